/** People who use only a keyboard. */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { DEMO_PASSWORD, NORTHAM_CASEWORKER, authenticatorCode } from './helpers.ts';

/** Presses Tab until `target` has focus, failing after `limit` presses. Returns the number of presses. */
async function tabTo(page: Page, target: Locator, limit = 15): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab');
    if ((await target.and(page.locator(':focus')).count()) === 1) return presses;
  }
  throw new Error(`Could not reach ${target.toString()} within ${limit} presses of Tab`);
}

test('the skip link is the first Tab stop and moves focus to the main content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/#main-content');
  await expect(page.locator('main#main-content')).toBeFocused();
  // The next Tab stop is inside the main content, not back in the header.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('main').getByRole('link', { name: 'Northam City Council', exact: true })).toBeFocused();
});

test('the sign-in form can be completed and submitted with the keyboard only', async ({ page }) => {
  await page.goto('/');
  // From the home page to the sign-in page by keyboard.
  const signInLink = page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Sign in' });
  await tabTo(page, signInLink);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/sign-in');

  const email = page.getByLabel('Email address');
  await tabTo(page, email);
  await page.keyboard.type(NORTHAM_CASEWORKER);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Tab');
  const button = page.getByRole('button', { name: 'Sign in' });
  await expect(button).toBeFocused();
  await page.keyboard.press('Enter');

  // Then the code from the authenticator app, by keyboard too: Enter in the field sends it.
  await expect(page).toHaveURL('/sign-in/authenticator-code');
  const code = page.getByLabel('Enter the code from your authenticator app');
  await tabTo(page, code, 25);
  await page.keyboard.type(await authenticatorCode(NORTHAM_CASEWORKER));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/people');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People');

  // Signing out works from the keyboard too.
  const signOut = page.getByRole('button', { name: /^Sign out/ });
  await tabTo(page, signOut);
  await page.keyboard.press('Space');
  await expect(page).toHaveURL('/');
});
