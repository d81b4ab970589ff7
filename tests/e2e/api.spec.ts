/** The JSON API. These are not pages, so there is nothing for axe or html-validate to check. */
import { test, expect } from './fixtures.ts';

test.use({ minimumPagesChecked: 0 });

test('the OpenAPI document is OpenAPI 3.1 and lists /api/v1/people', async ({ request }) => {
  const response = await request.get('/api/v1/openapi.json');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/json/);
  const document = (await response.json()) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
  expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  expect(document.info.title).toBe('OneBudget API');
  expect(Object.keys(document.paths)).toContain('/api/v1/people');
  expect(Object.keys(document.paths)).toContain('/api/v1/people/{personId}');
});

test('an unknown API address answers 404 with application/problem+json and a detail', async ({ request }) => {
  const response = await request.get('/api/v1/nope');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-type']).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { status: number; title: string; detail: string };
  expect(problem.status).toBe(404);
  expect(problem.title).toBe('Not found');
  expect(typeof problem.detail).toBe('string');
  expect(problem.detail.length).toBeGreaterThan(0);
});

test('the people API needs a session and says so as a problem', async ({ request }) => {
  const response = await request.get('/api/v1/people');
  expect(response.status()).toBe(401);
  expect(response.headers()['content-type']).toMatch(/^application\/problem\+json/);
  expect(((await response.json()) as { detail: string }).detail).toMatch(/sign in/i);
});
