/**
 * The statutory pathway, the support plan and sign-off in the browser (every page checked with axe
 * and html-validate by the fixtures), as issue 5's journey: a caseworker reads their caseload, opens a
 * new EHC case for a child from the request and records the decision to assess (an out-of-order date
 * is refused next to the field), completes the questionnaire with the family, and drafts a plan from
 * the indicative budget; the parent comments on the draft and asks for a personal budget from their
 * own account; the caseworker answers the comment and submits the plan; an approver whose limit
 * covers it approves it; the parent agrees to it and downloads it as a PDF. An administrator opens
 * the approval tiers.
 */
import { test, expect } from './fixtures.ts';
import { fillDate, signIn, signInWithPassword, signOut, NORTHAM_CASEWORKER } from './helpers.ts';
import { DEMO_FAMILY_ACCOUNTS } from '../../src/demo/families.ts';
import { londonDate } from '../../src/clock.ts';

const { parent } = DEMO_FAMILY_ACCOUNTS.northam;

test('from a request to an agreed plan: the decision to assess, the questionnaire, a draft the family comments on, approval within the limit, agreement and the PDF', async ({ page }) => {
  // Four people, six sign-ins and some forty pages, each checked with axe and html-validate.
  test.setTimeout(240_000);
  // The parent's first child: the family reads, comments on and agrees the plan from their own account.
  await signInWithPassword(page, parent);
  await expect(page).toHaveURL('/my-people');
  const childHref = (await page.locator('.govuk-summary-card a[href^="/people/"]').first().getAttribute('href')) ?? '';
  expect(childHref).toMatch(/^\/people\/[0-9a-f-]{36}/);
  const personPath = childHref.split('/').slice(0, 3).join('/');
  await signOut(page);

  // The caseworker's caseload.
  await signIn(page, NORTHAM_CASEWORKER);
  await page.getByRole('link', { name: 'Caseload' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Caseload' })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();

  // Record the request: a new EHC case, with the request date typed as a family would give it.
  await page.goto(personPath);
  await page.getByRole('link', { name: 'Open a case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open a case' })).toBeVisible();
  await page.getByRole('radio', { name: /Education, health and care/ }).check();
  await fillDate(page, 'Date the request was received', '2026-11-02');
  await page.getByRole('button', { name: 'Open the case' }).click();
  await expect(page.getByRole('link', { name: 'Decided to assess' })).toBeVisible();

  // The decision to assess: a date before the request is refused next to the field, then recorded.
  await page.getByRole('link', { name: 'Decided to assess' }).click();
  await fillDate(page, 'Date it happened', '2026-10-01');
  await page.getByRole('button', { name: 'Save this step' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.locator('.govuk-error-message').first()).toBeVisible();
  await fillDate(page, 'Date it happened', '2026-11-20');
  await page.getByRole('button', { name: 'Save this step' }).click();
  await expect(page.getByText('Decided to assess').first()).toBeVisible();
  await expect(page.getByRole('table').first()).toContainText(/Final EHC plan|final/i);

  // The questionnaire, completed with the family: start (or carry on with) one and answer everything.
  await page.goto(personPath);
  await page.getByRole('link', { name: /See the indicative budget, how it was worked out/ }).click();
  const carryOn = page.getByRole('link', { name: 'Continue' });
  if ((await carryOn.count()) > 0) await carryOn.click();
  else await page.getByRole('button', { name: /^Start (a new|the) questionnaire$/ }).click();
  for (let guard = 0; guard < 40 && !page.url().endsWith('/check-answers'); guard++) {
    await page.getByRole('radio').nth(1).check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Check the answers before submitting' })).toBeVisible();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByText('Questionnaire submitted. The indicative budget is below.')).toBeVisible();

  // Draft the plan for this case from the indicative budget: an outcome and the support that serves it.
  await page.goto(`${personPath}/plans`);
  await page.getByRole('button', { name: 'Start a plan for the case requested on 2 November 2026' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support plan' })).toBeVisible();
  await page.getByRole('link', { name: 'Add an outcome' }).click();
  await page.getByRole('radio').first().check();
  await page.getByLabel('What is the outcome?').fill('I can go swimming with my friends');
  await fillDate(page, 'By when?', '2027-07-31');
  await page.getByLabel('How will we know?').fill('Goes swimming once a week');
  await page.getByRole('button', { name: /Save/ }).click();
  await expect(page.locator('dt', { hasText: 'I can go swimming with my friends' })).toBeVisible();
  await page.getByRole('link', { name: 'Add support' }).click();
  await page.getByLabel('What is the support?').fill('Swimming with a support worker');
  await page.getByLabel('Who provides it? (optional)').fill('Northam Leisure');
  await page.getByLabel('Cost of each unit').fill('15.50');
  await page.getByLabel('How many units each time').fill('2');
  await page.getByRole('group', { name: 'How often' }).getByRole('radio', { name: 'Every week' }).check();
  await page.getByRole('group', { name: 'Which funding stream pays for it' }).getByRole('radio').first().check();
  await page.getByRole('group', { name: 'How the money is managed' }).getByRole('radio', { name: 'Managed by the council' }).check();
  await page.getByRole('checkbox', { name: 'I can go swimming with my friends' }).check();
  await page.getByRole('button', { name: /Save/ }).click();
  // £15.50 × 2 every week is £1,612.00 a year.
  await expect(page.getByRole('table').filter({ hasText: 'Swimming with a support worker' })).toContainText('£1,612.00');
  const planPath = new URL(page.url()).pathname;
  await signOut(page);

  // The family comments on the draft and asks for a personal budget for all of it.
  await signInWithPassword(page, parent);
  await page.goto(planPath);
  await expect(page.locator('dt', { hasText: 'I can go swimming with my friends' })).toBeVisible();
  await page.getByRole('link', { name: 'Comment on this plan' }).click();
  await page.getByRole('group', { name: 'Which part of the plan is your comment about?' }).getByRole('radio', { name: 'Support' }).check();
  await page.getByLabel('Your comment').fill('Saturday mornings suit us best.');
  await page.getByLabel('What would you change? (optional)').fill('Swimming on Saturday mornings with a support worker');
  await page.getByRole('button', { name: /Save|Send/ }).click();
  await expect(page.getByText('Saturday mornings suit us best.')).toBeVisible();
  await page.getByRole('link', { name: 'Ask for a personal budget' }).click();
  await page.getByRole('radio', { name: 'All the support' }).check();
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.getByText(/personal budget/i).first()).toBeVisible();
  await signOut(page);

  // The caseworker answers the comment and submits the plan for sign-off.
  await signIn(page, NORTHAM_CASEWORKER);
  await page.goto(planPath);
  await page.getByRole('link', { name: /^Answer/ }).first().click();
  await page.getByRole('radio', { name: 'Accept it' }).check();
  await page.getByLabel('Note for the family').fill('Saturday mornings are booked from January.');
  await page.getByRole('button', { name: 'Save the answer' }).click();
  await page.getByRole('link', { name: 'Check the plan and submit it for sign-off' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check the plan before you submit it' })).toBeVisible();
  await page.getByRole('button', { name: 'Submit the plan for sign-off' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Plan submitted for sign-off');
  await signOut(page);

  // The team manager's limit (£5,000 a year) covers the plan: it is in their queue, and they approve it.
  await signIn(page, 'approver@northam.example');
  await page.getByRole('link', { name: 'Sign-off' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plans waiting for sign-off' })).toBeVisible();
  await page.locator(`a[href="/sign-off/${planPath.split('/')[2] ?? ''}"]`).first().click();
  await page.getByRole('radio', { name: 'Approve the plan' }).check();
  await page.getByLabel('Reasons for the decision').fill('Meets the outcomes at a fair cost, within the indicative budget.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Plan approved');
  await signOut(page);

  // The family agrees to the plan and its personal budget, and downloads the plan.
  await signInWithPassword(page, parent);
  await page.goto(planPath);
  await page.getByRole('link', { name: 'Agree to this plan and its personal budget' }).click();
  await page.getByLabel('Your full name').fill('Jo Parent');
  await fillDate(page, 'Date agreed', londonDate(new Date()));
  await page.getByRole('checkbox', { name: 'I agree to this plan and its personal budget' }).check();
  await page.getByRole('button', { name: 'Agree the plan' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Plan agreed');
  const pdfHref = (await page.getByRole('link', { name: 'Download the plan (PDF)' }).getAttribute('href')) ?? '';
  const pdf = await page.request.get(pdfHref);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
});

test('an approver sees the plans waiting within their limit and the timeliness report, a commissioner its figures and an administrator the approval tiers', async ({ page }) => {
  await signIn(page, 'approver@northam.example');
  await page.getByRole('link', { name: 'Sign-off' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plans waiting for sign-off' })).toBeVisible();
  // The demo leaves a plan under £5,000 waiting for the team manager.
  await expect(page.getByRole('table', { name: 'Plans you can sign off' })).toBeVisible();
  await page.getByRole('link', { name: 'Caseload' }).first().click();
  await page.getByRole('link', { name: /timeliness/i }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC plan timeliness' })).toBeVisible();
  await signOut(page);
  await signIn(page, 'commissioner@northam.example');
  await page.getByRole('link', { name: 'EHC timeliness' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'EHC plan timeliness' })).toBeVisible();
  await signOut(page);
  await signIn(page, 'admin@northam.example');
  await page.goto('/sign-off/tiers');
  await expect(page.getByRole('heading', { level: 1, name: 'Approval tiers' })).toBeVisible();
});
