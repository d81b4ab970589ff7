/**
 * The statutory pathway and the support plan in the browser (every page checked with axe and
 * html-validate by the fixtures): a caseworker reads their caseload, opens a new EHC case for a child
 * from the request, records the decision to assess (an out-of-order date is refused next to the
 * field), starts a support plan for the case, adds an outcome, and reaches the check before sign-off;
 * the parent sees the draft from their own account; an approver and an administrator open the
 * sign-off queue and the approval tiers.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { signIn, signInWithPassword, NORTHAM_CASEWORKER } from './helpers.ts';
import { DEMO_FAMILY_ACCOUNTS } from '../../src/demo/families.ts';

const { parent } = DEMO_FAMILY_ACCOUNTS.northam;

/** Signs out and waits for the home page, so that it is checked before the next sign-in. */
async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Sign out/ }).click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
}

test('a caseworker opens a case from a request, records the decision to assess and drafts a plan that the family can see', async ({ page, browser }) => {
  // The parent's first child: the family will read the draft from their own account.
  const familyContext = await browser.newContext();
  const family = await familyContext.newPage();
  await signInWithPassword(family, parent);
  await expect(family).toHaveURL('/my-people');
  const childHref = (await family.locator('.govuk-summary-card a[href^="/people/"]').first().getAttribute('href')) ?? '';
  expect(childHref).toMatch(/^\/people\/[0-9a-f-]{36}/);
  const personPath = childHref.split('/').slice(0, 3).join('/');
  await familyContext.close();

  // The caseworker works in the checked page.
  const staff = page;
  await signIn(staff, NORTHAM_CASEWORKER);
  await staff.getByRole('link', { name: 'Caseload' }).first().click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Caseload' })).toBeVisible();
  await expect(staff.getByRole('table').first()).toBeVisible();

  // Record the request: a new EHC case, with the request date typed as a family would give it.
  await staff.goto(personPath);
  await staff.getByRole('link', { name: 'Open a case' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Open a case' })).toBeVisible();
  await staff.getByRole('radio', { name: /Education, health and care/ }).check();
  const requestGroup = staff.getByRole('group', { name: 'Date the request was received' });
  await requestGroup.getByLabel('Day').fill('2');
  await requestGroup.getByLabel('Month').fill('11');
  await requestGroup.getByLabel('Year').fill('2026');
  await staff.getByRole('button', { name: 'Open the case' }).click();
  await expect(staff.getByRole('link', { name: 'Decided to assess' })).toBeVisible();

  // The decision to assess: a date before the request is refused next to the field, then recorded.
  await staff.getByRole('link', { name: 'Decided to assess' }).click();
  const when = staff.getByRole('group', { name: 'Date it happened' });
  await when.getByLabel('Day').fill('1');
  await when.getByLabel('Month').fill('10');
  await when.getByLabel('Year').fill('2026');
  await staff.getByRole('button', { name: 'Save this step' }).click();
  await expect(staff.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(staff.locator('.govuk-error-message').first()).toBeVisible();
  await when.getByLabel('Day').fill('20');
  await when.getByLabel('Month').fill('11');
  await when.getByLabel('Year').fill('2026');
  await staff.getByRole('button', { name: 'Save this step' }).click();
  await expect(staff.getByText('Decided to assess').first()).toBeVisible();
  await expect(staff.getByRole('table').first()).toContainText(/Final EHC plan|final/i);

  // Draft the plan for this case and add an outcome.
  await staff.goto(`${personPath}/plans`);
  await staff.getByRole('button', { name: 'Start a plan for the case requested on 2 November 2026' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Support plan' })).toBeVisible();
  await staff.getByRole('link', { name: 'Add an outcome' }).click();
  await staff.getByRole('radio').first().check();
  await staff.getByLabel('What is the outcome?').fill('I can go swimming with my friends');
  const byWhen = staff.getByRole('group', { name: 'By when?' });
  await byWhen.getByLabel('Day').fill('31');
  await byWhen.getByLabel('Month').fill('7');
  await byWhen.getByLabel('Year').fill('2027');
  await staff.getByLabel('How will we know?').fill('Goes swimming once a week');
  await staff.getByRole('button', { name: /Save/ }).click();
  await expect(staff.locator('dt', { hasText: 'I can go swimming with my friends' })).toBeVisible();
  const planUrl = staff.url();
  await staff.getByRole('link', { name: 'Check the plan and submit it for sign-off' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Check the plan before you submit it' })).toBeVisible();

  // The family reads the same draft from their own account.
  await signOut(page);
  await signInWithPassword(page, parent);
  await page.goto(new URL(planUrl).pathname);
  await expect(page.locator('dt', { hasText: 'I can go swimming with my friends' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Comment on this plan' })).toBeVisible();
});

test('an approver sees the plans waiting for sign-off and an administrator the approval tiers', async ({ page }) => {
  await signIn(page, 'approver@northam.example');
  await page.getByRole('link', { name: 'Sign-off' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plans waiting for sign-off' })).toBeVisible();
  await signOut(page);
  await signIn(page, 'admin@northam.example');
  await page.goto('/sign-off/tiers');
  await expect(page.getByRole('heading', { level: 1, name: 'Approval tiers' })).toBeVisible();
});
