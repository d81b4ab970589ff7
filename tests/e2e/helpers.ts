/** Small steps the journeys share. Everything goes through the pages, as a person would. */
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';
import { DEMO_PASSWORD } from '../../src/demo/accounts.ts';

export { DEMO_PASSWORD };

export const NORTHAM_CASEWORKER = 'caseworker@northam.example';
export const SOUTHBY_CASEWORKER = 'caseworker@southby.example';

/** Signs in through the sign-in page and waits for the page the service sends you to. */
export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^Sign out/ })).toBeVisible();
}

/** Signs an API request context in with the sign-in form (CSRF token and cookies included). */
export async function signInApi(request: APIRequestContext, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  const form = await request.get('/sign-in');
  expect(form.status()).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  expect(csrf, 'the sign-in form carries a CSRF token').toBeDefined();
  const response = await request.post('/sign-in', { form: { _csrf: csrf ?? '', email, password }, maxRedirects: 0 });
  expect(response.status(), 'sign-in answers with a redirect').toBe(303);
}

/**
 * Waits until the page is at `pathname` with exactly these query parameters. Empty parameters are
 * ignored: a GET form sends its empty fields (`q=`), which mean the same as no parameter.
 */
export async function expectAt(page: Page, pathname: string, query: Record<string, string> = {}): Promise<void> {
  await expect
    .poll(() => {
      const url = new URL(page.url());
      return { pathname: url.pathname, query: Object.fromEntries([...url.searchParams].filter(([, value]) => value !== '')) };
    }, { message: `the page is ${pathname} with ${JSON.stringify(query)}` })
    .toEqual({ pathname, query });
}

/** The text of every cell in one column of a GOV.UK table body, trimmed. */
export async function columnTexts(table: Locator, column: number): Promise<string[]> {
  const cells = table.locator('tbody tr').locator(`td:nth-child(${column}), th:nth-child(${column})`);
  return (await cells.allInnerTexts()).map((t) => t.trim());
}

/** "£1,234.56" → 123456 pence ("−£5.00", with a minus sign, is negative). */
export function pence(text: string): number {
  const match = /^([-−])?£([\d,]+)(?:\.(\d{2}))?$/.exec(text.trim());
  if (match === null) throw new Error(`Not an amount of money: "${text}"`);
  const pounds = Number((match[2] ?? '0').replaceAll(',', ''));
  const value = pounds * 100 + Number(match[3] ?? '0');
  return match[1] ? -value : value;
}
