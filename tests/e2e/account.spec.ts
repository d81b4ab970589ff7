/** A member of staff who left OneBudget open elsewhere signs out on every device at once. */
import { test, expect } from './fixtures.ts';
import { signIn } from './helpers.ts';

const EMAIL = 'groupmanager@northam.example';

test('sign out everywhere ends the session on every device', async ({ page, browser }) => {
  // Signed in on another computer…
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await signIn(other, EMAIL);
  await expect(other).toHaveURL('/people');

  // …and here.
  await signIn(page, EMAIL);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Your account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL('/sign-in?signedOutEverywhere=yes');
  await expect(page.getByText('You have been signed out on every device.')).toBeVisible();

  await other.goto('/people');
  await expect(other).toHaveURL('/sign-in?returnTo=%2Fpeople&sessionEnded=yes');
  await expect(other.getByText('You have been signed out. Sign in again to carry on.')).toBeVisible();
  await elsewhere.close();
});
