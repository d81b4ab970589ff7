/**
 * An administrator disables an account after confirming it is them with a fresh authenticator code
 * (step-up); the account can no longer sign in until it is enabled again.
 */
import { test, expect } from './fixtures.ts';
import { authenticatorCode, signIn, DEMO_PASSWORD } from './helpers.ts';
import { DEMO_FAMILY_ACCOUNTS } from '../../src/demo/families.ts';

const ADMIN = 'admin@southby.example';
const { nominee } = DEMO_FAMILY_ACCOUNTS.southby;

test('disabling an account needs a fresh authenticator code, a reason, and stops the account signing in', async ({ page, browser }) => {
  await signIn(page, ADMIN);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Accounts' }).click();
  await page.getByLabel('Name or email').fill(nominee);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('1 account', { exact: true })).toBeVisible();
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  await page.getByRole('link', { name: 'Confirm it’s you to make changes' }).click();
  await expect(page.getByLabel('Enter the code from your authenticator app')).toBeVisible();
  await page.getByLabel('Enter the code from your authenticator app').fill(await authenticatorCode(ADMIN));
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('button', { name: 'Disable the account' }).click();
  await expect(page.getByRole('link', { name: 'Enter the reason for this change' })).toBeVisible();
  await page.locator('#disable-reason').fill('Nominee arrangement ended on 20 November');
  await page.getByRole('button', { name: 'Disable the account' }).click();
  await expect(page.getByText('The account is disabled and every session it had has ended.')).toBeVisible();

  const elsewhere = await browser.newContext();
  const family = await elsewhere.newPage();
  await family.goto('/sign-in');
  await family.getByLabel('Email address').fill(nominee);
  await family.getByLabel('Password').fill(DEMO_PASSWORD);
  await family.getByRole('button', { name: 'Sign in' }).click();
  await expect(family.getByRole('link', { name: 'Enter a correct email address and password' })).toBeVisible();

  await page.locator('#enable-reason').fill('Set up again at the family’s request');
  await page.getByRole('button', { name: 'Enable the account' }).click();
  await expect(page.getByText('The account is active again.')).toBeVisible();
  await expect(family.getByLabel('Email address')).toHaveValue(nominee);
  await family.getByLabel('Password').fill(DEMO_PASSWORD);
  await family.getByRole('button', { name: 'Sign in' }).click();
  await expect(family).toHaveURL('/my-people');
  await elsewhere.close();
});
