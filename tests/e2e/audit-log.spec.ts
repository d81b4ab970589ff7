/** An administrator checks who looked at a child's record, and downloads the evidence. */
import fs from 'node:fs';
import { test, expect } from './fixtures.ts';
import { NORTHAM_CASEWORKER, signIn } from './helpers.ts';

test('an administrator finds who looked at a record in the audit log and downloads it as CSV', async ({ page, browser }) => {
  // A caseworker opens someone's record in another browser…
  const other = await browser.newContext();
  const caseworker = await other.newPage();
  await signIn(caseworker, NORTHAM_CASEWORKER);
  await caseworker.getByRole('table', { name: 'People in this council' }).locator('tbody a').first().click();
  const reference = (await caseworker.locator('.govuk-caption-l').innerText()).trim();
  await other.close();

  // …and the administrator sees that look.
  await signIn(page, 'admin@northam.example');
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await page.getByLabel('Person reference').fill(reference);
  // Only looks at the record: the demo's year of money has recorded other events about the person.
  await page.getByLabel('Action').selectOption('person.viewed');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toContainText('1 event');
  const row = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr').first();
  await expect(row).toContainText('person.viewed');
  await expect(row).toContainText('(Caseworker)');
  await expect(row).toContainText(reference);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download these events as a spreadsheet (CSV)' }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(csv[0]).toMatch(/^sequence,occurred_at_utc,actor_name/);
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain('person.viewed');
});

test('a date that does not exist is explained beside the date fields', async ({ page }) => {
  await signIn(page, 'admin@northam.example');
  await page.goto('/audit');
  await page.getByRole('group', { name: 'From' }).getByLabel('Day').fill('31');
  await page.getByRole('group', { name: 'From' }).getByLabel('Month').fill('2');
  await page.getByRole('group', { name: 'From' }).getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('alert')).toContainText('The start date must be a real date');
  await expect(page.getByRole('group', { name: 'From' })).toContainText('The start date must be a real date');
  await expect(page).toHaveTitle(/^Error: Audit log/);
});
