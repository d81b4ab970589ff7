/** A caseworker's day: find a person in the caseload and see their personal budget. */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { NORTHAM_CASEWORKER, columnTexts, expectAt, pence, signIn } from './helpers.ts';

const PAGE_SIZE = 25;

function count(text: string, pattern: RegExp): number {
  const match = pattern.exec(text.trim());
  if (match?.[1] === undefined) throw new Error(`"${text}" does not match ${pattern}`);
  return Number(match[1]);
}

async function resultCount(page: Page): Promise<number> {
  return count(await page.getByRole('main').getByRole('status').innerText(), /^(\d+) (?:people|person)$/);
}

test('a caseworker signs in, filters and pages through People, opens a person and sees their personal budget with a total, then signs out', async ({ page }) => {
  await signIn(page, NORTHAM_CASEWORKER);
  await expect(page).toHaveURL('/people');
  await expect(page).toHaveTitle('People – OneBudget');
  await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'People' })).toHaveAttribute('aria-current', 'page');

  const table = page.getByRole('table', { name: 'People in this council' });
  const rows = table.locator('tbody tr');
  const stage = page.getByLabel('Stage');
  const name = page.getByLabel('Name or reference');
  const apply = page.getByRole('button', { name: 'Apply filters' });
  const pagination = page.getByRole('navigation', { name: 'Pagination' });

  // Everyone in the council, a page at a time.
  const everyone = await resultCount(page);
  expect(everyone, 'the demo council has more people than fit on one page').toBeGreaterThan(PAGE_SIZE);
  await expect(rows).toHaveCount(PAGE_SIZE);
  await expect(stage.locator('option').first()).toHaveText(`All stages (${everyone})`);
  const firstPageNames = await columnTexts(table, 1);

  await pagination.getByRole('link', { name: /^Next/ }).click();
  await expectAt(page, '/people', { page: '2' });
  await expect(pagination.getByRole('link', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
  await expect(pagination.getByRole('link', { name: /^Previous/ })).toBeVisible();
  await expect(rows).toHaveCount(PAGE_SIZE);
  const secondPageNames = await columnTexts(table, 1);
  expect(secondPageNames.filter((n) => firstPageNames.includes(n)), 'page 2 shows other people than page 1').toEqual([]);

  const lastPage = Math.ceil(everyone / PAGE_SIZE);
  await pagination.getByRole('link', { name: `Page ${lastPage}` }).click();
  await expectAt(page, '/people', { page: String(lastPage) });
  await expect(rows).toHaveCount(everyone - (lastPage - 1) * PAGE_SIZE);
  await expect(pagination.getByRole('link', { name: /^Next/ })).toHaveCount(0);

  // Filter by stage: the count on the option is the count of results, and every row is at that stage.
  const agreedOption = (await stage.locator('option[value="agreed"]').innerText()).trim();
  const agreed = count(agreedOption, /^Budget agreed \((\d+)\)$/);
  expect(agreed).toBeGreaterThan(0);
  await stage.selectOption('agreed');
  await apply.click();
  await expectAt(page, '/people', { stage: 'agreed' });
  await expect(stage).toHaveValue('agreed');
  expect(await resultCount(page)).toBe(agreed);
  await expect(rows).toHaveCount(Math.min(agreed, PAGE_SIZE));
  expect(new Set(await columnTexts(table, 5))).toEqual(new Set(['Budget agreed']));
  if (agreed > PAGE_SIZE) {
    // Paging keeps the filter.
    await pagination.getByRole('link', { name: /^Next/ }).click();
    await expectAt(page, '/people', { stage: 'agreed', page: '2' });
    expect(new Set(await columnTexts(table, 5))).toEqual(new Set(['Budget agreed']));
  }

  // Filter by name as well: take a family name from the list.
  const someone = (await columnTexts(table, 1))[0] ?? '';
  const familyName = someone.split(' ').at(-1) ?? '';
  expect(familyName).not.toBe('');
  await name.fill(familyName);
  await apply.click();
  await expectAt(page, '/people', { q: familyName, stage: 'agreed' });
  await expect(name).toHaveValue(familyName);
  const matching = await resultCount(page);
  expect(matching).toBeGreaterThanOrEqual(1);
  expect(matching).toBeLessThan(agreed);
  const names = await columnTexts(table, 1);
  for (const n of names) expect(n.toLowerCase()).toContain(familyName.toLowerCase());
  expect(new Set(await columnTexts(table, 5))).toEqual(new Set(['Budget agreed']));

  // Open the person.
  const reference = (await columnTexts(table, 2))[0] ?? '';
  await table.getByRole('link', { name: someone, exact: true }).first().click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:3100\/people\/[0-9a-f-]{36}$/);
  await expect(page).toHaveTitle(`${someone} – OneBudget`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(someone);
  const about = page.locator('.govuk-summary-list').first();
  await expect(about.locator('.govuk-summary-list__row', { hasText: 'Reference' }).locator('dd')).toHaveText(reference);

  await expect(page.getByRole('heading', { level: 2, name: 'Personal budget' })).toBeVisible();
  const budget = page.getByRole('table', { name: 'Personal budget by support item, a year' });
  await expect(budget.getByRole('columnheader')).toHaveText(['Support', 'Funded by', 'How the money is managed', 'Each year']);
  const budgetRows = budget.locator('tbody tr');
  const lineCount = (await budgetRows.count()) - 1;
  expect(lineCount, 'an agreed budget has at least one line').toBeGreaterThanOrEqual(1);
  const totalRow = budgetRows.last();
  await expect(totalRow.locator('td').first()).toHaveText('Total');
  for (let i = 0; i < lineCount; i++) {
    await expect(budgetRows.nth(i).locator('td')).toHaveCount(4);
    await expect(budgetRows.nth(i).locator('td').first()).not.toHaveText('');
  }
  const amounts = await columnTexts(budget, 4);
  const lines = amounts.slice(0, lineCount).map(pence);
  const total = pence(amounts.at(-1) ?? '');
  expect(total, 'the total is the sum of the lines').toBe(lines.reduce((a, b) => a + b, 0));
  expect(total).toBeGreaterThan(0);

  await page.getByRole('link', { name: 'Back to people' }).click();
  await expect(page).toHaveURL('/people');

  // Sign out: back to the home page, and People is closed again.
  await page.getByRole('button', { name: /^Sign out/ }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Sign out/ })).toHaveCount(0);
  await page.goto('/people');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Fpeople');
});
