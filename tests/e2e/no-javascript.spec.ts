/** Everything works with JavaScript switched off (and every page is checked that way too). */
import { test, expect } from './fixtures.ts';
import { DEMO_PASSWORD, NORTHAM_CASEWORKER, columnTexts, enterAuthenticatorCode, expectAt, pence } from './helpers.ts';

test.use({ javaScriptEnabled: false });

test('the whole sign-in and people journey works with JavaScript disabled', async ({ page }) => {
  await page.goto('/people');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Fpeople');
  await expect(page.locator('body'), 'JavaScript really is off').not.toHaveClass(/js-enabled/);

  // A mistake first: the server shows the errors, no script needed.
  await page.getByLabel('Email address').fill(NORTHAM_CASEWORKER);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText(['Enter your password']);
  await expect(page.getByLabel('Email address')).toHaveValue(NORTHAM_CASEWORKER);

  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enterAuthenticatorCode(page, NORTHAM_CASEWORKER);
  await expect(page).toHaveURL('/people');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People');

  const table = page.getByRole('table', { name: 'People in this council' });
  await page.getByLabel('Stage').selectOption('planning');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expectAt(page, '/people', { stage: 'planning' });
  expect(new Set(await columnTexts(table, 5))).toEqual(new Set(['Planning']));

  await page.getByLabel('Stage').selectOption('agreed');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expectAt(page, '/people', { stage: 'agreed' });
  await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /^Next/ }).click();
  await expectAt(page, '/people', { stage: 'agreed', page: '2' });

  const someone = (await columnTexts(table, 1))[0] ?? '';
  await table.getByRole('link', { name: someone, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(someone);
  const budget = page.getByRole('table', { name: 'Personal budget by support item, a year' });
  const amounts = (await columnTexts(budget, 4)).map(pence);
  expect(amounts.length).toBeGreaterThanOrEqual(2);
  expect(amounts.at(-1)).toBe(amounts.slice(0, -1).reduce((a, b) => a + b, 0));

  await page.getByRole('button', { name: /^Sign out/ }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('the Local Offer filter works with JavaScript disabled', async ({ page }) => {
  await page.goto('/c/southby/local-offer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Local Offer');
  const kind = page.getByLabel('Kind of support');
  const category = (await kind.locator('option').nth(1).innerText()).trim();
  await kind.selectOption({ label: category });
  await page.getByRole('button', { name: 'Show services' }).click();
  await expectAt(page, '/c/southby/local-offer', { category });
  await expect(page.getByRole('main').getByRole('status')).toHaveText(new RegExp(`^\\d+ services? in ${category}$`));
  await expect(kind).toHaveValue(category);
});
