/**
 * Staff sign in with a password and a code from an authenticator app. A new member of staff sets
 * up the app the first time and is given recovery codes; too many wrong attempts are refused.
 */
import { test, expect } from './fixtures.ts';
import { DEMO_PASSWORD, authenticatorCode, enterAuthenticatorCode } from './helpers.ts';

const SOCIAL_WORKER = 'socialworker@northam.example';
const NEW_STARTER = 'newstarter@northam.example';

test('a member of staff signs in with their authenticator code', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(SOCIAL_WORKER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // The password alone is not enough.
  await expect(page).toHaveURL('/sign-in/authenticator-code');
  await expect(page).toHaveTitle('Enter the code from your authenticator app – OneBudget');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the code from your authenticator app');
  await expect(page.getByRole('button', { name: /^Sign out/ })).toHaveCount(0);
  const code = page.getByLabel('Enter the code from your authenticator app');
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  await expect(page.getByRole('link', { name: 'Use a recovery code instead' })).toBeVisible();

  // Demo mode says so, and shows a code, so that the demo can be tried without an app.
  const demo = page.getByRole('region', { name: 'Demo mode' });
  await expect(demo).toContainText('Demo mode: the code for every demo account comes from the published demo secret');
  await expect(demo.locator('[data-demo-code]')).toHaveText(/^\d{3} \d{3}$/);

  // A wrong code first, then the one the app shows.
  await code.fill('000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.govuk-error-summary')).toBeFocused();
  await expect(page.locator('#code-error')).toHaveText('Error: The code is not correct. Enter the code your authenticator app shows now');
  await enterAuthenticatorCode(page, SOCIAL_WORKER);
  await expect(page).toHaveURL('/people');
  await expect(page.getByRole('button', { name: /^Sign out/ })).toBeVisible();
});

test.describe('a new member of staff', () => {
  test.describe.configure({ mode: 'serial' });
  let recoveryCodes: string[] = [];

  test('a new member of staff enrols: scans the QR code, enters a code, saves recovery codes', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(NEW_STARTER);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page).toHaveURL('/sign-in/set-up-authenticator');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up your authenticator app');
    const qr = page.getByRole('img', { name: 'QR code for adding your OneBudget account to an authenticator app' });
    await expect(qr).toBeVisible();
    // The DOM types are not in this project's lib: the image is read through the two properties needed.
    const rendered = await qr.evaluate((img) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    });
    expect(rendered, 'the QR code image renders').toBe(true);
    await expect(qr).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);

    // "Scanning" it: the key the QR code carries is also printed, grouped in fours, for typing.
    const key = (await page.locator('#setup-key').innerText()).trim();
    expect(key).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const secret = key.replaceAll(' ', '');

    await page.getByLabel('Enter the 6-digit code from your authenticator app').fill(await authenticatorCode(NEW_STARTER, secret));
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Save your recovery codes');
    await expect(page.getByText('You will not see these codes again')).toBeVisible();
    recoveryCodes = (await page.locator('.app-recovery-codes li').allInnerTexts()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
    await expect(page).toHaveURL('/people');
    await expect(page.getByRole('button', { name: /^Sign out/ })).toBeVisible();

    // From now on this account is asked for the code from its app.
    await page.getByRole('button', { name: /^Sign out/ }).click();
    await expect(page).toHaveURL('/');
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(NEW_STARTER);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL('/sign-in/authenticator-code');
    await expect(page.getByRole('region', { name: 'Demo mode' }), 'its own secret is not the demo secret: no code is shown').toHaveCount(0);
    await enterAuthenticatorCode(page, NEW_STARTER, secret);
    await expect(page).toHaveURL('/people');
  });

  test('a recovery code signs in once and not twice', async ({ page }) => {
    const [first, second] = recoveryCodes;
    if (first === undefined || second === undefined) throw new Error('the enrolment journey gave no recovery codes');
    const useRecoveryCode = async (code: string) => {
      await page.goto('/sign-in');
      await page.getByLabel('Email address').fill(NEW_STARTER);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Use a recovery code instead' }).click();
      await expect(page).toHaveURL('/sign-in/recovery-code');
      await page.getByLabel('Enter a recovery code').fill(code);
      await page.getByRole('button', { name: 'Continue' }).click();
    };

    await useRecoveryCode(first.toUpperCase());
    await expect(page).toHaveURL('/people');
    await page.getByRole('button', { name: /^Sign out/ }).click();
    await expect(page).toHaveURL('/');

    await useRecoveryCode(first);
    await expect(page).toHaveURL('/sign-in/recovery-code');
    await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText([
      'That recovery code is not correct, or it has already been used',
    ]);
    await expect(page.getByRole('button', { name: /^Sign out/ })).toHaveCount(0);

    await page.getByLabel('Enter a recovery code').fill(second);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL('/people');
  });
});

test.describe('from an address of its own', () => {
  // The server trusts X-Forwarded-For in these tests (playwright.config.ts), so that tripping the
  // per-address throttle here does not lock the other journeys out of 127.0.0.1.
  test.use({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.23' } });

  test('too many wrong passwords are refused with a clear message', async ({ page }) => {
    const account = 'finance@southby.example';
    await page.goto('/sign-in');
    for (let attempt = 1; attempt <= 10; attempt++) {
      await page.getByLabel('Email address').fill(account);
      await page.getByLabel('Password').fill(`not the password ${attempt}`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(response.status(), `attempt ${attempt}`).toBe(400);
      await expect(page.locator('#email-error')).toHaveText('Error: Enter a correct email address and password');
    }

    // The 11th is refused even with the right password, and the page says what to do.
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(refused.status()).toBe(429);
    const message = 'Too many attempts to sign in. Wait 5 minutes, then try again';
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([message]);
    await expect(page.locator('#email-error')).toHaveText(`Error: ${message}`);
    await expect(page).toHaveTitle('Error: Sign in – OneBudget');
    await expect(page.getByRole('button', { name: /^Sign out/ })).toHaveCount(0);
  });
});
