/**
 * The money in the browser (issue 6), every page checked with axe and html-validate by the fixtures:
 * from an agreed plan (the demo nominee's adult, whose agreed direct payment has a payment due since
 * the council's last run) to a payment run — previewed and created by the finance officer, authorised
 * by the finance manager when its total needs a second officer, run as a background job, its payment
 * file downloaded — to the family's statement, where the payment has arrived, with its CSV and PDF.
 */
import { test, expect } from './fixtures.ts';
import { fillDate, signIn, signInWithPassword, signOut } from './helpers.ts';
import { DEMO_FAMILY_ACCOUNTS } from '../../src/demo/families.ts';
import { londonDate } from '../../src/clock.ts';
import { longDate } from '../../src/domain/pathway/dates.ts';

const { nominee, youngPerson } = DEMO_FAMILY_ACCOUNTS.northam;

test('from an agreed plan to a payment run to the family’s statement', async ({ page }) => {
  test.setTimeout(240_000);
  const today = londonDate(new Date());

  // The family's agreed plan: the adult the nominee manages a direct payment for.
  await signInWithPassword(page, nominee);
  await expect(page).toHaveURL('/my-people');
  const personHref = (await page.locator('.govuk-summary-card a[href^="/people/"]').first().getAttribute('href')) ?? '';
  const personPath = personHref.split('/').slice(0, 3).join('/');
  expect(personPath).toMatch(/^\/people\/[0-9a-f-]{36}$/);
  await page.goto(personPath);
  await page.getByRole('link', { name: /Money statement/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Money statement for / })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Direct payment' })).toBeVisible();
  const paidInToday = page.locator('h2#transactions + table tbody tr').filter({ hasText: longDate(today) }).filter({ hasText: 'Direct payment paid in' });
  await expect(paidInToday).toHaveCount(0);
  await signOut(page);

  // The finance officer previews a run for today and creates it.
  await signIn(page, 'finance@northam.example');
  await page.getByRole('link', { name: 'Money' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Money' })).toBeVisible();
  await page.getByRole('link', { name: 'Payment runs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Payment runs' })).toBeVisible();
  await page.getByRole('button', { name: 'Start a new payment run' }).click();
  // A date that is not a date is refused next to the field.
  await fillDate(page, 'What is the run date?', '2026-02-31');
  await page.getByRole('button', { name: 'See what this run would pay' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await fillDate(page, 'What is the run date?', today);
  await page.getByRole('button', { name: 'See what this run would pay' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Payment run for ${longDate(today)}` })).toBeVisible();
  await page.getByRole('button', { name: 'Create payment run' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Payment run R\d{4,}$/ })).toBeVisible();
  const runPath = new URL(page.url()).pathname;

  // Above the council's threshold a second finance officer authorises it; the creator cannot.
  if ((await page.getByRole('heading', { level: 2, name: 'Authorise' }).count()) > 0) {
    await expect(page.getByRole('button', { name: 'Authorise payment run' })).toHaveCount(0);
    await signOut(page);
    await signIn(page, 'financemanager@northam.example');
    await page.goto(runPath);
    await page.getByRole('button', { name: 'Authorise payment run' }).click();
  }

  // The background job posts the payments; the page says how far it has gone.
  await expect(async () => {
    await page.goto(runPath);
    await expect(page.getByRole('link', { name: 'Download payment file (CSV)' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000, 2_000, 3_000] });
  const fileHref = (await page.getByRole('link', { name: 'Download payment file (CSV)' }).getAttribute('href')) ?? '';
  const file = await page.request.get(fileHref);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toContain('text/csv');
  expect((await file.text()).split('\n')[0]).toContain('payee_reference');
  await page.getByRole('link', { name: 'Remittance notices' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Remittance notices for payment run R\d{4,}$/ })).toBeVisible();
  await signOut(page);

  // The family's statement shows the payment the day it is made, and downloads as CSV and PDF.
  await signInWithPassword(page, nominee);
  await page.goto(personPath);
  await page.getByRole('link', { name: /Money statement/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Money statement for / })).toBeVisible();
  await expect(paidInToday).toHaveCount(1);
  for (const name of ['as a spreadsheet (CSV)', 'as a PDF']) {
    const href = (await page.getByRole('link', { name }).getAttribute('href')) ?? '';
    const download = await page.request.get(href);
    expect(download.status()).toBe(200);
  }
});

test('a recovery is approved by a second officer, the family’s challenge recorded, and decided by someone who was not part of it', async ({ page }) => {
  test.setTimeout(180_000);
  const rows = page.locator('table tbody tr');

  // The finance manager approves the demo's recovery the finance officer proposed.
  await signIn(page, 'financemanager@northam.example');
  await page.goto('/recoveries');
  await expect(page.getByRole('heading', { level: 1, name: 'Recoveries waiting for a decision' })).toBeVisible();
  await rows.filter({ hasNotText: 'Challenge by the family' }).filter({ hasText: 'Surplus' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Decide a recovery' })).toBeVisible();
  const recoveryPath = new URL(page.url()).pathname;
  await page.getByRole('radio', { name: /^Approve: recover/ }).check();
  await page.getByLabel('Note about your decision').fill('The statements show the money is not needed.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect(page.getByText('The decision was recorded.')).toBeVisible();
  await signOut(page);

  // The family rang: the finance officer records their challenge; a date that is not a date is refused, the words kept.
  await signIn(page, 'finance@northam.example');
  await page.goto(recoveryPath);
  await fillDate(page, 'When the challenge was received', '2026-02-31');
  await page.getByLabel('What the family said').fill('The money is promised to the PA for holiday cover.');
  await page.getByRole('button', { name: 'Record the challenge' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByLabel('What the family said')).toHaveValue('The money is promised to the PA for holiday cover.');
  await fillDate(page, 'When the challenge was received', londonDate(new Date()));
  await page.getByRole('button', { name: 'Record the challenge' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'The family’s challenge' })).toBeVisible();
  // The officer proposed it, so someone else decides.
  await expect(page.getByRole('button', { name: 'Record the decision on the challenge' })).toHaveCount(0);
  await signOut(page);

  // An approver who was not part of it decides: partly upheld needs the amount.
  await signIn(page, 'approver@northam.example');
  await page.goto('/recoveries');
  await expect(rows.filter({ hasText: 'Challenge by the family' }).first()).toBeVisible();
  await page.goto(recoveryPath);
  await page.getByRole('radio', { name: 'Partly upheld: pay back part of it' }).check();
  await page.getByLabel('Why you decided this, in words the family will read').fill('The invoice shows £1 was promised.');
  await page.getByRole('button', { name: 'Record the decision on the challenge' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await page.getByLabel('If partly upheld, the amount to pay back').fill('1.00');
  await page.getByRole('button', { name: 'Record the decision on the challenge' }).click();
  await expect(page.getByText('Partly upheld: some of the money recovered was paid back')).toBeVisible();
  await signOut(page);

  // The notice the family reads now says what was decided and what was paid back.
  await signIn(page, 'finance@northam.example');
  await page.goto(recoveryPath);
  await page.getByRole('link', { name: 'Read the notice sent to the family' }).click();
  await expect(page.getByText('£1.00 has been paid back into your direct payment account')).toBeVisible();
});

test('a family reads the notice of a recovery and challenges it online, in their own words', async ({ page }) => {
  const today = londonDate(new Date());
  // The demo recovered part of the surplus in the young person's account and has not heard back.
  await signInWithPassword(page, youngPerson);
  await expect(page).toHaveURL('/my-people');
  await page.locator('.govuk-summary-card a[href^="/people/"]').first().click();
  await page.getByRole('link', { name: 'Direct payment spending and returns' }).click();
  await page.getByRole('link', { name: 'Read the notice' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^We are recovering £[\d,]+\.\d{2} from a direct payment$/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'How to challenge this decision' })).toBeVisible();

  // Sent empty, it is refused next to the field; then sent in their words.
  await page.getByRole('button', { name: 'Send your challenge' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await page.getByRole('link', { name: 'Enter why you think the decision is wrong' }).click();
  await expect(page.getByLabel('Why do you think this decision is wrong?')).toBeFocused();
  await page.getByLabel('Why do you think this decision is wrong?').fill('We have promised this money to our PA for the winter, and can send the invoice.');
  await page.getByRole('button', { name: 'Send your challenge' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Your challenge' })).toBeVisible();
  await expect(page.getByText(`We received your challenge on ${longDate(today)}.`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send your challenge' })).toHaveCount(0);
});
