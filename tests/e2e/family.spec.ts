/**
 * Families and providers in the browser: a parent of two siblings sees both children's records and
 * who has looked at them; a provider sees only the people whose support it holds.
 */
import { test, expect } from './fixtures.ts';
import { signInWithPassword } from './helpers.ts';
import { DEMO_FAMILY_ACCOUNTS } from '../../src/demo/families.ts';

const { parent, provider, youngPerson } = DEMO_FAMILY_ACCOUNTS.northam;

test('a parent carer sees both children, and who has looked at a record, by role, organisation and date', async ({ page }) => {
  await signInWithPassword(page, parent);
  await expect(page).toHaveURL('/my-people');
  await expect(page.getByRole('heading', { level: 1, name: 'Your family’s records' })).toBeVisible();
  const cards = page.locator('.govuk-summary-card');
  await expect(cards).toHaveCount(2);
  const familyNames = (await cards.locator('.govuk-summary-card__title').allInnerTexts()).map((t) => t.trim().split(' ').at(-1));
  expect(new Set(familyNames).size, 'siblings share a family name').toBe(1);

  const first = cards.first();
  const name = (await first.locator('.govuk-summary-card__title').innerText()).trim();
  await first.getByRole('link', { name: /Who has looked/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who has looked at this record' })).toBeVisible();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  const table = page.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText(['When', 'Who', 'Where they work', 'What they did']);
  await expect(table.getByRole('cell', { name: 'Caseworker' }).first()).toBeVisible();
  await expect(table.getByRole('cell', { name: 'Brightpath Care Ltd' })).toBeVisible();

  // Opening the record is itself recorded, and shows at the top of the list next time.
  await page.getByRole('link', { name: 'Back to the record' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('link', { name: 'Who has looked at this record' }).click();
  await expect(table.locator('tbody tr').first().getByRole('cell').nth(1)).toHaveText('You');
  await expect(table.locator('tbody tr').first().getByRole('cell').nth(3)).toHaveText('Looked at the record');
});

test('a young person over 16 holds their own account and sees their own record', async ({ page }) => {
  await signInWithPassword(page, youngPerson);
  const card = page.locator('.govuk-summary-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByText('This is your own record')).toBeVisible();
});

test('a provider sees only the people whose support it holds, and cannot search everyone', async ({ page }) => {
  await signInWithPassword(page, provider);
  await expect(page.getByRole('heading', { level: 1, name: 'People you support' })).toBeVisible();
  await expect(page.getByText('Brightpath Care Ltd').first()).toBeVisible();
  await page.locator('.govuk-summary-card').first().getByRole('link', { name: /See the record/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'About' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Who has looked at this record' })).toHaveCount(0);
  const response = await page.goto('/people');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'You do not have permission to see this page' })).toBeVisible();
});
