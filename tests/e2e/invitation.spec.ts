/**
 * A caseworker invites a parent to see their child's record; the parent opens the link from the
 * email, creates an account and sees the record. The link works once.
 */
import path from 'node:path';
import { test, expect } from './fixtures.ts';
import { NORTHAM_CASEWORKER, signIn } from './helpers.ts';
import { readOutbox } from '../../src/services/mail/mailer.ts';

// The e2e server writes its mail to the outbox in its data directory (playwright.config.ts).
const OUTBOX = path.join('.tmp', `e2e-data-${process.env.ONEBUDGET_E2E_RUN ?? 'local'}`, 'outbox');
const PARENT = 'grandparent.carer@example.com';

test('an invited family member accepts the link, creates an account and sees the record, once', async ({ page, browser }) => {
  await signIn(page, NORTHAM_CASEWORKER);
  await page.goto('/people?mine=yes&stage=planning');
  const first = page.getByRole('table').locator('tbody tr').first().getByRole('link');
  const name = (await first.innerText()).trim();
  await first.click();
  await page.getByRole('link', { name: 'Invite a family member to see this record' }).click();

  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('link', { name: /^Enter .* full name$/ })).toBeVisible();
  await page.getByLabel('Full name').fill('Pat Example');
  await page.getByLabel('Email address').fill(PARENT);
  await page.getByLabel('Parent carer').check();
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Invitation sent' })).toBeVisible();

  const mail = (await readOutbox(OUTBOX)).filter((m) => m.to === PARENT).at(-1);
  expect(mail, 'the invitation was sent to the parent').toBeDefined();
  const link = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/.exec(mail?.body ?? '')?.[0];
  expect(link, 'the email holds the link').toBeDefined();
  const invitationPath = new URL(link ?? '').pathname;

  const home = await browser.newContext();
  const parent = await home.newPage();
  await parent.goto(invitationPath);
  await expect(parent.getByRole('heading', { level: 1 })).toBeVisible();
  await parent.getByLabel('Full name').fill('Pat Example');
  await parent.getByLabel('Create a password').fill('sunflower meadow kettle harbour');
  await parent.getByLabel('Enter the password again').fill('sunflower meadow kettle harbour');
  await parent.getByRole('button', { name: 'Create account' }).click();
  await expect(parent).toHaveURL('/my-people');
  await expect(parent.getByRole('heading', { level: 2, name })).toBeVisible();

  // The link works once.
  const again = await browser.newContext();
  const other = await again.newPage();
  const response = await other.goto(invitationPath);
  expect([404, 410]).toContain(response?.status());
  await expect(other.getByRole('heading', { level: 1 })).toContainText(/expired|already been used|not valid/i);
  await home.close();
  await again.close();
});
