/**
 * A session ends after a spell without activity. This journey runs against a second server whose
 * idle timeout is 1 minute (playwright.config.ts), instead of the default 30.
 */
import { test, expect } from './fixtures.ts';
import { signIn } from './helpers.ts';

test.use({ baseURL: 'http://127.0.0.1:3101' });

const EMAIL = 'approver@southby.example';

test('after the idle timeout the next page asks you to sign in again, says why, and takes you back', async ({ page }) => {
  test.setTimeout(200_000);
  await signIn(page, EMAIL);
  await page.goto('/people?q=a');
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();

  // Still signed in while busy: a page every 35 seconds keeps the session going past the minute.
  for (let i = 0; i < 2; i++) {
    await page.waitForTimeout(35_000);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
  }

  // More than a minute with nothing done.
  await page.waitForTimeout(65_000);
  await page.reload();
  await expect(page).toHaveURL('/sign-in?returnTo=%2Fpeople%3Fq%3Da&sessionEnded=yes');
  await expect(page.getByText('You have been signed out. Sign in again to carry on.')).toBeVisible();
});
