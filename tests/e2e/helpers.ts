/** Small steps the journeys share. Everything goes through the pages, as a person would. */
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { expect } from './fixtures.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.ts';

export { DEMO_PASSWORD, DEMO_TOTP_SECRET };

export const NORTHAM_CASEWORKER = 'caseworker@northam.example';
export const SOUTHBY_CASEWORKER = 'caseworker@southby.example';

const PERIOD_MS = 30_000;
/**
 * The last 30-second step whose code each account used in this run: the service accepts a code
 * once. Kept in a file of the run (playwright.config.ts names the run), not in memory, because
 * Playwright starts a new worker process after a test fails.
 */
const USED_STEPS_FILE = path.join('.tmp', `e2e-totp-steps-${process.env.ONEBUDGET_E2E_RUN ?? 'local'}.json`);

function usedStep(email: string): number | undefined {
  if (!fs.existsSync(USED_STEPS_FILE)) return undefined;
  return (JSON.parse(fs.readFileSync(USED_STEPS_FILE, 'utf8')) as Record<string, number>)[email];
}

function recordUsedStep(email: string, step: number): void {
  const steps = fs.existsSync(USED_STEPS_FILE) ? (JSON.parse(fs.readFileSync(USED_STEPS_FILE, 'utf8')) as Record<string, number>) : {};
  fs.mkdirSync(path.dirname(USED_STEPS_FILE), { recursive: true });
  fs.writeFileSync(USED_STEPS_FILE, JSON.stringify({ ...steps, [email]: step }));
}

/**
 * What an authenticator app holding `secret` (by default the published demo secret) shows for
 * this account, made with otpauth as the app would: SHA-1, 6 digits, 30 seconds. The service
 * accepts a code once and one step ahead of now, so signing the same account in twice within 30
 * seconds uses the next step's code, and a third time waits for the next step.
 */
export async function authenticatorCode(email: string, secret: string = DEMO_TOTP_SECRET): Promise<string> {
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / PERIOD_MS);
    const step = Math.max(current, (usedStep(email) ?? -Infinity) + 1);
    if (step <= current + 1) {
      recordUsedStep(email, step);
      return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: step * PERIOD_MS });
    }
    await new Promise((resolve) => setTimeout(resolve, (current + 1) * PERIOD_MS - now + 100));
  }
}

/** On the "Enter the code from your authenticator app" page: types the code and continues. */
export async function enterAuthenticatorCode(page: Page, email: string, secret?: string): Promise<void> {
  await expect(page).toHaveURL('/sign-in/authenticator-code');
  await page.getByLabel('Enter the code from your authenticator app').fill(await authenticatorCode(email, secret));
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Signs in through the sign-in pages (password, then the authenticator code) and waits for the page the service sends you to. */
export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enterAuthenticatorCode(page, email);
  await expect(page.getByRole('button', { name: /^Sign out/ })).toBeVisible();
}

/** Signs out and waits for the home page, so that it is checked before the next sign-in. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Sign out/ }).click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
}

/** Fills a GOV.UK date input group ('YYYY-MM-DD'). */
export async function fillDate(page: Page, legend: string, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(Number(day)));
  await group.getByLabel('Month').fill(String(Number(month)));
  await group.getByLabel('Year').fill(year ?? '');
}

function csrfOf(html: string): string {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  expect(csrf, 'the form carries a CSRF token').toBeDefined();
  return csrf ?? '';
}

/** Signs an API request context in with the sign-in forms (CSRF tokens, cookies and the authenticator code included). */
export async function signInApi(request: APIRequestContext, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  const form = await request.get('/sign-in');
  expect(form.status()).toBe(200);
  const response = await request.post('/sign-in', { form: { _csrf: csrfOf(await form.text()), email, password }, maxRedirects: 0 });
  expect(response.status(), 'sign-in answers with a redirect').toBe(303);
  expect(response.headers().location).toBe('/sign-in/authenticator-code');
  const codePage = await request.get('/sign-in/authenticator-code');
  expect(codePage.status()).toBe(200);
  const code = await authenticatorCode(email);
  const done = await request.post('/sign-in/authenticator-code', { form: { _csrf: csrfOf(await codePage.text()), code }, maxRedirects: 0 });
  expect(done.status(), 'the authenticator code is accepted').toBe(303);
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

/** Family and provider accounts without an authenticator app sign in with their password alone. */
export async function signInWithPassword(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^Sign out/ })).toBeVisible();
}
