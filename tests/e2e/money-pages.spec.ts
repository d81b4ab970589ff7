/**
 * The money pages the journeys in money.spec.ts do not pass through, each opened in the browser and
 * checked by the fixtures (axe, html-validate, no console errors), with their errors shown where a
 * form is sent wrong. Nothing here changes the demo's money: every form sent is refused.
 */
import { test, expect } from './fixtures.ts';
import { fillDate, signIn, signInWithPassword } from './helpers.ts';
import { DEMO_FAMILY_ACCOUNTS } from '../../src/demo/families.ts';

const { provider } = DEMO_FAMILY_ACCOUNTS.northam;

test('finance finds flagged direct payments, opens a person’s spending and its forms, and reads the budget totals and ISF returns', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'finance@northam.example');
  await page.getByRole('link', { name: 'Money' }).first().click();

  // The monitoring list, all of it and then only the surplus flags.
  await page.getByRole('link', { name: 'Direct payment monitoring' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Direct payment monitoring' })).toBeVisible();
  const everyone = await page.locator('table tbody tr').count();
  expect(everyone).toBeGreaterThan(10);
  await page.getByLabel('Show').selectOption('surplus');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/finance\/monitoring\?flag=surplus$/);
  const flagged = page.locator('table tbody tr');
  expect(await flagged.count()).toBeGreaterThan(0);
  expect(await flagged.count()).toBeLessThan(everyone);

  // A person with surplus: their spending, and each of its forms sent empty.
  await flagged.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Direct payment spending' })).toBeVisible();
  const spending = page.url();
  await page.getByRole('link', { name: 'Propose recovering surplus' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Propose recovering surplus' })).toBeVisible();
  await page.getByRole('button', { name: 'Propose the recovery' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enter the reasons for recovering this money, in words the family will read' })).toBeVisible();

  await page.goto(spending);
  await page.getByRole('link', { name: 'Year-end rollover' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Year-end rollover' })).toBeVisible();
  await fillDate(page, 'Work it out on', '2026-02-31');
  await page.getByRole('button', { name: 'Work it out' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'The date to work it out on must be a real date' })).toBeVisible();
  await fillDate(page, 'Work it out on', '2026-03-31');
  await page.getByRole('button', { name: 'Work it out' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'How it works out on 31 March 2026' })).toBeVisible();

  await page.goto(spending);
  await page.getByRole('link', { name: 'Upload a statement (CSV file)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Upload a statement' })).toBeVisible();
  await page.getByRole('button', { name: 'Upload the statement' }).click();
  await expect(page.getByRole('heading', { name: 'Nothing was uploaded. Fix these problems and upload the file again' })).toBeVisible();
  await expect(page.getByText('Error: Select a CSV file to upload')).toBeVisible();

  await page.goto(spending);
  await page.getByRole('link', { name: 'Record one payment, with a receipt if you have one' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Record spending' })).toBeVisible();
  await page.getByLabel('Amount').fill('12.345');
  await page.getByRole('button', { name: 'Record the spending' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByLabel('Amount')).toHaveValue('12.345');

  // The bank account the direct payment goes to, from the person's record.
  await page.goto(spending);
  await page.getByRole('link', { name: 'Back to the record' }).click();
  await page.getByRole('link', { name: 'Bank account the direct payment is paid into' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bank details for direct payments' })).toBeVisible();
  await page.getByLabel('Sort code').fill('12345');
  await page.getByRole('button', { name: 'Save bank details' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();

  // The council's totals, as of today and as of a date that is not one.
  await page.goto('/money');
  await page.getByRole('link', { name: 'Budget totals' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();
  await fillDate(page, 'As of', '2026-02-31');
  await page.getByRole('button', { name: 'Show totals' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();

  // Providers' individual service fund returns, and one compared with the ledger.
  await page.goto('/money');
  await page.getByRole('link', { name: 'Individual service fund returns' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Individual service fund returns' })).toBeVisible();
  await page.getByRole('link', { name: /^See the return/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /: return for \d+ \w+ to \d+ \w+ \d{4}$/ })).toBeVisible();
});

test('an administrator’s money settings refuse a threshold that is not a number and keep what was typed', async ({ page }) => {
  await signIn(page, 'admin@northam.example');
  await page.goto('/money');
  await page.getByRole('link', { name: 'Money settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Money settings' })).toBeVisible();
  await page.getByLabel('Surplus threshold').fill('eight');
  await page.getByRole('button', { name: 'Save the settings' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByLabel('Surplus threshold')).toHaveValue('eight');
});

test('a provider sees its quarterly returns and opens the latest', async ({ page }) => {
  await signInWithPassword(page, provider);
  await page.goto('/isf-returns');
  await expect(page.getByRole('heading', { level: 1, name: 'Quarterly returns' })).toBeVisible();
  await page.getByRole('link', { name: /^(Submit return for|See the return)/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Return for (the )?quarter ending / })).toBeVisible();
});
