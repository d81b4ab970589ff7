/** One council's staff never see another council's people. */
import { test, expect } from './fixtures.ts';
import { NORTHAM_CASEWORKER, SOUTHBY_CASEWORKER, signIn, signInApi } from './helpers.ts';

interface PeopleList {
  total: number;
  people: { id: string; reference: string; givenName: string; familyName: string }[];
}

test('a Northam caseworker cannot open a Southby person', async ({ page, playwright, baseURL }) => {
  // A Southby person, as Southby's own caseworker sees them.
  const southby = await playwright.request.newContext({ baseURL });
  await signInApi(southby, SOUTHBY_CASEWORKER);
  const list = await southby.get('/api/v1/people?pageSize=1');
  expect(list.status()).toBe(200);
  const body = (await list.json()) as PeopleList;
  const person = body.people[0];
  if (person === undefined) throw new Error('Southby has no people');
  expect(person.reference).toMatch(/^SB-/);
  expect((await southby.get(`/api/v1/people/${person.id}`)).status(), 'Southby can open its own person').toBe(200);
  await southby.dispose();

  await signIn(page, NORTHAM_CASEWORKER);
  const response = await page.goto(`/people/${person.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('main')).not.toContainText(person.familyName);
  await expect(page.getByRole('main')).not.toContainText(person.reference);

  // The API, with the same Northam session, says the same thing.
  const api = await page.request.get(`/api/v1/people/${person.id}`);
  expect(api.status()).toBe(404);
  expect(api.headers()['content-type']).toMatch(/^application\/problem\+json/);
  expect(await api.text()).not.toContain(person.familyName);

  // And Southby's person is not in Northam's list.
  await page.goto(`/people?q=${encodeURIComponent(person.reference)}`);
  await expect(page.getByRole('main').getByRole('status')).toHaveText('0 people');
});

test('a person address that names nobody shows "Page not found"', async ({ page }) => {
  await signIn(page, NORTHAM_CASEWORKER);
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-person']) {
    const response = await page.goto(`/people/${id}`);
    expect(response?.status(), id).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  }
});
