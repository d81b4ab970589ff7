/** What a member of the public relies on, without signing in. */
import { test, expect } from './fixtures.ts';
import { expectAt } from './helpers.ts';

test('a visitor sees both demo councils, the Beta banner and footer links to the accessibility statement and privacy notice, which open', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Personal budgets for children, young people and adults – OneBudget');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Personal budgets for children, young people and adults');

  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: 'Northam City Council', exact: true })).toHaveAttribute('href', '/c/northam');
  await expect(main.getByRole('link', { name: 'Southby County Council', exact: true })).toHaveAttribute('href', '/c/southby');

  const banner = page.locator('.govuk-phase-banner');
  await expect(banner.locator('.govuk-tag')).toHaveText('Beta');
  await expect(banner).toContainText('This is a new service.');

  const footer = page.getByRole('contentinfo');
  await footer.getByRole('link', { name: 'Accessibility statement' }).click();
  await expect(page).toHaveURL('/accessibility');
  await expect(page).toHaveTitle('Accessibility statement – OneBudget');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessibility statement for OneBudget');

  await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy notice' }).click();
  await expect(page).toHaveURL('/privacy');
  await expect(page).toHaveTitle('Privacy notice – OneBudget');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy notice');
});

test("a visitor browses a council's page and its Local Offer, and filters it by a kind of support", async ({ page }) => {
  await page.goto('/');
  await page.getByRole('main').getByRole('link', { name: 'Northam City Council', exact: true }).click();
  await expect(page).toHaveURL('/c/northam');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Northam City Council');
  await expect(page.getByRole('heading', { level: 2, name: 'Who pays for personal budgets here' })).toBeVisible();

  await page.getByRole('main').getByRole('link', { name: 'Local Offer' }).click();
  await expect(page).toHaveURL('/c/northam/local-offer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Local Offer');
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Northam City Council' })).toBeVisible();

  const result = page.getByRole('status');
  const services = page.getByRole('main').getByRole('heading', { level: 2 });
  const allCount = Number(/^(\d+) services?$/.exec(await result.innerText())?.[1]);
  expect(allCount, 'the Local Offer lists services').toBeGreaterThan(1);
  await expect(services).toHaveCount(allCount);

  const kind = page.getByLabel('Kind of support');
  await expect(kind).toHaveValue('');
  const categories = (await kind.locator('option').allInnerTexts()).map((t) => t.trim()).filter((t) => t !== 'All kinds of support');
  expect(categories.length, 'there is more than one kind of support to choose from').toBeGreaterThan(1);
  const category = categories[0] ?? '';

  await kind.selectOption({ label: category });
  await page.getByRole('button', { name: 'Show services' }).click();
  await expectAt(page, '/c/northam/local-offer', { category });
  await expect(kind).toHaveValue(category);
  await expect(result).toHaveText(new RegExp(`^\\d+ services? in ${category}$`));
  const shown = Number(/^(\d+)/.exec(await result.innerText())?.[1]);
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(allCount);
  await expect(services).toHaveCount(shown);
  const kinds = page.getByRole('main').locator('.govuk-summary-list__row', { hasText: 'Kind of support' }).locator('dd');
  await expect(kinds).toHaveCount(shown);
  for (const text of await kinds.allInnerTexts()) expect(text.trim()).toBe(category);

  // Back to every kind of support.
  await kind.selectOption({ label: 'All kinds of support' });
  await page.getByRole('button', { name: 'Show services' }).click();
  await expectAt(page, '/c/northam/local-offer');
  await expect(result).toHaveText(`${allCount} services`);
});

test('an unknown page shows "Page not found" with status 404', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle('Page not found – OneBudget');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('link', { name: 'OneBudget home page' })).toHaveAttribute('href', '/');
});

test('an address for a council that does not exist shows "Page not found" with status 404', async ({ page }) => {
  for (const address of ['/c/nowhere', '/c/nowhere/local-offer']) {
    const response = await page.goto(address);
    expect(response?.status(), address).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  }
});
