/** Signing in: what staff rely on when they get it wrong, and when they arrive from a bookmark. */
import { test, expect } from './fixtures.ts';
import { DEMO_PASSWORD, NORTHAM_CASEWORKER, enterAuthenticatorCode } from './helpers.ts';

test('sign-in with empty fields shows the error summary and field errors, keeps the typed email, and a wrong password is refused', async ({ page }) => {
  await page.goto('/sign-in');
  const email = page.getByLabel('Email address');
  const password = page.getByLabel('Password');
  const submit = page.getByRole('button', { name: 'Sign in' });
  const summary = page.locator('.govuk-error-summary');
  const submitAndExpect = async (status: number) => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sign-in'),
      submit.click(),
    ]);
    expect(response.status()).toBe(status);
  };

  // Both fields empty.
  await submitAndExpect(400);
  await expect(page).toHaveTitle('Error: Sign in – OneBudget');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(summary).toBeFocused(); // govuk-frontend moves focus to the summary
  await expect(summary.getByRole('link')).toHaveText(['Enter your email address', 'Enter your password']);
  await expect(summary.getByRole('link', { name: 'Enter your email address' })).toHaveAttribute('href', '#email');
  await expect(summary.getByRole('link', { name: 'Enter your password' })).toHaveAttribute('href', '#password');
  await expect(page.locator('#email-error')).toHaveText('Error: Enter your email address');
  await expect(page.locator('#password-error')).toHaveText('Error: Enter your password');
  await expect(email).toHaveAccessibleDescription(/Enter your email address/);
  await expect(password).toHaveAccessibleDescription(/Enter your password/);
  // A link in the summary takes you to its field.
  await summary.getByRole('link', { name: 'Enter your password' }).click();
  await expect(password).toBeFocused();

  // An email in the wrong format.
  await email.fill('caseworker at northam');
  await password.fill('anything');
  await submitAndExpect(400);
  await expect(page.locator('#email-error')).toHaveText('Error: Enter an email address in the correct format, like name@example.com');
  await expect(email).toHaveValue('caseworker at northam');

  // The email typed, no password: only the password is in error, and the email is kept.
  await email.fill(NORTHAM_CASEWORKER);
  await password.fill('');
  await submitAndExpect(400);
  await expect(summary.getByRole('link')).toHaveText(['Enter your password']);
  await expect(page.locator('#email-error')).toHaveCount(0);
  await expect(email).toHaveValue(NORTHAM_CASEWORKER);

  // A wrong password: one message that does not say which part was wrong.
  await password.fill(`${DEMO_PASSWORD}-wrong`);
  await submitAndExpect(400);
  await expect(summary.getByRole('link')).toHaveText(['Enter a correct email address and password']);
  await expect(page.locator('#email-error')).toHaveText('Error: Enter a correct email address and password');
  await expect(email).toHaveValue(NORTHAM_CASEWORKER);
  await expect(password, 'the password is never sent back').toHaveValue('');
  await expect(page.getByRole('button', { name: /^Sign out/ })).toHaveCount(0);
});

test('a signed-out visitor who opens /people is sent to sign in and then returned to /people', async ({ page }) => {
  await page.goto('/people');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Fpeople');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

  await page.getByLabel('Email address').fill(NORTHAM_CASEWORKER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enterAuthenticatorCode(page, NORTHAM_CASEWORKER);
  await expect(page).toHaveURL('/people');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People');
});

test('sign-in never sends anyone to another site afterwards', async ({ page }) => {
  await page.goto('/sign-in?returnTo=%2F%2Fevil.example%2Fpeople');
  await page.getByLabel('Email address').fill(NORTHAM_CASEWORKER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enterAuthenticatorCode(page, NORTHAM_CASEWORKER);
  await expect(page).toHaveURL('/people');
});
