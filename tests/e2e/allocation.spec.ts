/**
 * Resource allocation in the browser (every page checked with axe and html-validate by the fixtures):
 * a parent finishes the questionnaire from their own account and reads the explanation; anyone reads
 * the council's published model; an administrator sees the draft's impact and the calibration; an
 * approver decides an exceptional case.
 */
import { test, expect } from './fixtures.ts';
import { signIn, signInWithPassword } from './helpers.ts';
import { DEMO_FAMILY_ACCOUNTS } from '../../src/demo/families.ts';

const { parent } = DEMO_FAMILY_ACCOUNTS.northam;

test('a parent finishes the questionnaire from their own account and sees every pound of the indicative budget explained', async ({ page }) => {
  await signInWithPassword(page, parent);
  await expect(page).toHaveURL('/my-people');
  // The demo leaves one of the two children's questionnaires part-answered for the parent to finish.
  const cards = page.locator('.govuk-summary-card');
  let found = false;
  for (let i = 0; i < (await cards.count()) && !found; i++) {
    await page.goto('/my-people');
    await cards.nth(i).getByRole('link', { name: 'Indicative budget' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Indicative budget for / })).toBeVisible();
    found = (await page.getByRole('heading', { level: 2, name: 'Questionnaire in progress' }).count()) === 1;
  }
  expect(found, 'one child has a questionnaire in progress').toBe(true);
  await expect(page.getByText(/You have answered \d+ of \d+ questions|answered \d+ of \d+/)).toBeVisible();
  await page.getByRole('link', { name: 'Continue' }).click();

  // Answer what is left. Submitting nothing first shows the GOV.UK error next to the radios.
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.locator('.govuk-error-message')).toContainText('Select');
  for (let guard = 0; guard < 30 && !page.url().endsWith('/check-answers'); guard++) {
    await page.getByRole('radio').nth(1).check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Check the answers before submitting' })).toBeVisible();
  await page.getByRole('button', { name: 'Submit' }).click();

  await expect(page.getByText('Questionnaire submitted. The indicative budget is below.')).toBeVisible();
  await expect(page.locator('.govuk-panel')).toContainText('£');
  await expect(page.getByRole('heading', { level: 2, name: 'How the indicative budget was worked out' })).toBeVisible();
  // Every answer's points and the arithmetic, in plain words.
  await expect(page.getByText(/points × £[\d,]+\.\d{2} = £/).first()).toBeVisible();
  await expect(page.getByRole('link', { name: /Download the indicative budget/ })).toBeVisible();
  const pdf = await page.request.get((await page.getByRole('link', { name: /Download the indicative budget/ }).getAttribute('href')) ?? '');
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
});

test('anyone can read how Northam works out indicative budgets, without signing in', async ({ page }) => {
  await page.goto('/c/northam');
  await page.getByRole('link', { name: 'how the council works out an indicative budget' }).click();
  await expect(page).toHaveURL('/c/northam/allocation');
  await expect(page.getByRole('heading', { level: 1, name: 'How indicative budgets are worked out' })).toBeVisible();
  await expect(page.getByText('Northam City Council resource allocation').first()).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'About this tool' })).toBeVisible();
});

test('an administrator sees the draft’s impact on everyone and calibrates it against the test group', async ({ page }) => {
  await signIn(page, 'admin@northam.example');
  await page.goto('/allocation/models');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText('Draft').first()).toBeVisible();

  await page.goto('/allocation/impact');
  // The demo queued a what-if run; the server ran it when it started.
  await expect(page.getByText('Finished').first()).toBeVisible();
  await page.getByRole('button', { name: /Try the draft against every current assessment/ }).click();
  await expect(page).toHaveURL(/\/allocation\/impact\/[0-9a-f-]{36}$/);
  for (let i = 0; i < 20 && (await page.locator('svg[role="img"]').count()) === 0; i++) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  await expect(page.locator('svg[role="img"]')).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();

  await page.goto('/allocation/calibration');
  await page.getByRole('link', { name: 'Test group: 2025–26 packages' }).click();
  await expect(page.locator('svg[role="img"]').first()).toBeVisible();
  await expect(page.getByText(/R²|R squared/).first()).toBeVisible();
});

test('an approver decides a caseworker’s exceptional case request with reasons', async ({ page }) => {
  await signIn(page, 'approver@northam.example');
  await page.goto('/allocation/exceptional-cases');
  await expect(page.getByRole('heading', { level: 1, name: 'Exceptional cases waiting for a decision' })).toBeVisible();
  const waiting = await page.getByRole('table').locator('tbody tr').count();
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Exceptional case: / })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'How the indicative budget was worked out' })).toBeVisible();
  await page.getByRole('radio', { name: /^Refuse the request/ }).check();
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /^Refuse the request/ }), 'the choice already made is kept').toBeChecked();
  await page.getByLabel('Reasons for the decision').fill('The plan can meet the outcomes within the indicative budget by sharing a worker with the after-school club.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect(page).toHaveURL('/allocation/exceptional-cases');
  await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(waiting - 1);
});
