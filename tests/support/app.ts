/** Builds the real app over a test database, and signs in through the real sign-in pages. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { hash } from '@node-rs/argon2';
import { loadConfig } from '../../src/config.ts';
import { fixedClock, type Clock } from '../../src/clock.ts';
import { services } from '../../src/services/index.ts';
import { buildApp } from '../../src/web/app.ts';
import type { Database } from '../../src/db/database.ts';
import { totpCode, totpStep, TOTP_WINDOW } from '../../src/domain/identity/totp.ts';
import { DEMO_TOTP_SECRET } from '../../src/demo/accounts.ts';
import { memoryMailer, type Mailer } from '../../src/services/mail/mailer.ts';
import { FIXTURE_PASSWORD, FIXTURE_TOTP_SECRET } from './fixtures.ts';

export const TEST_NOW = new Date('2026-11-20T10:00:00Z');

let passwordHash: Promise<string> | undefined;
export function fixturePasswordHash(): Promise<string> {
  passwordHash ??= hash(FIXTURE_PASSWORD);
  return passwordHash;
}

/** Every HTML page any test app renders, so a suite can check them all with html-validate. */
export const renderedPages: { url: string; html: string }[] = [];

/** The clock each test app runs on, so that signIn can make the code of that moment. */
const clocks = new WeakMap<FastifyInstance, Clock>();

export interface TestAppOptions {
  /** Defaults to a clock fixed at TEST_NOW. */
  readonly clock?: Clock;
  /** Environment for loadConfig; NODE_ENV defaults to test (which is demo mode). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the app's mail goes; defaults to a memoryMailer(), which mailOf(app) returns. */
  readonly mailer?: Mailer;
}

/** Mail settings a production configuration must have; test apps never use them (they take `mailer`). */
export const TEST_PRODUCTION_MAIL_ENV = {
  MAIL_TRANSPORT: 'smtp',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  MAIL_FROM: 'OneBudget <no-reply@onebudget.test>',
  PUBLIC_BASE_URL: 'https://onebudget.test',
} as const;

const mailers = new WeakMap<FastifyInstance, Mailer>();

/** The mailer a test app sends through (a memoryMailer() unless the test gave its own). */
export function mailOf(app: FastifyInstance): Mailer {
  const mailer = mailers.get(app);
  if (mailer === undefined) throw new Error('not a test app');
  return mailer;
}

export async function testApp(database: Database, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const production = options.env?.NODE_ENV === 'production';
  const config = loadConfig({ NODE_ENV: 'test', ...(production ? TEST_PRODUCTION_MAIL_ENV : {}), ...options.env });
  const clock = options.clock ?? fixedClock(TEST_NOW);
  const mailer = options.mailer ?? memoryMailer();
  const app = await buildApp(
    services({
      database,
      clock,
      sessionIdleMinutes: 30,
      sessionSecret: config.sessionSecret,
      mfaIssuer: config.mfaIssuer,
      oidc: config.oidc,
      demoTotpSecret: config.demoMode ? DEMO_TOTP_SECRET : undefined,
      mailer,
      publicBaseUrl: config.publicBaseUrl,
    }),
    config,
  );
  clocks.set(app, clock);
  mailers.set(app, mailer);
  app.addHook('onSend', async (request, reply, payload) => {
    if (String(reply.getHeader('content-type')).startsWith('text/html') && typeof payload === 'string') {
      renderedPages.push({ url: `${request.method} ${request.url} → ${reply.statusCode}`, html: payload });
    }
    return payload;
  });
  return app;
}

/** The cookies a response sets; a cookie it expires (cleared) comes back as undefined. */
export function cookiesFrom(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(
    response.cookies
      .filter((c) => c.value !== '' && (c.expires === undefined || c.expires.getTime() > Date.now()) && c.maxAge !== 0)
      .map((c) => [c.name, c.value]),
  );
}

/** The names of the cookies a response clears. */
export function clearedCookies(response: LightMyRequestResponse): string[] {
  return response.cookies.filter((c) => c.value === '' || (c.expires !== undefined && c.expires.getTime() <= Date.now()) || c.maxAge === 0).map((c) => c.name);
}

/** A browser's cookie jar after a response: new cookies added, cleared ones removed. */
export function withResponseCookies(cookies: Record<string, string>, response: LightMyRequestResponse): Record<string, string> {
  const cleared = new Set(clearedCookies(response));
  return Object.fromEntries(Object.entries({ ...cookies, ...cookiesFrom(response) }).filter(([name]) => !cleared.has(name)));
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (match?.[1] === undefined) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A form post with the browser's cookies, as the pages send it. */
export function postForm(app: FastifyInstance, url: string, cookies: Record<string, string>, fields: Record<string, string>, remoteAddress?: string) {
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
  });
}

/**
 * The last authenticator step used per app and email, so that signing in again at the same fixed
 * moment uses the next code in the accepted window instead of one already used.
 */
const usedSteps = new WeakMap<FastifyInstance, Map<string, number>>();

/** A code the app accepts now for this account (secret), never one this helper has used before. */
export function nextCode(app: FastifyInstance, email: string, secret = FIXTURE_TOTP_SECRET): string {
  const now = (clocks.get(app) ?? fixedClock(TEST_NOW)).now();
  const used = usedSteps.get(app) ?? new Map<string, number>();
  usedSteps.set(app, used);
  const key = email.toLowerCase();
  const current = totpStep(now);
  const step = Math.max(current - TOTP_WINDOW, (used.get(key) ?? -Infinity) + 1);
  if (step > current + TOTP_WINDOW) {
    throw new Error(`${email} has used every code accepted at ${now.toISOString()}: move the test clock on 30 seconds`);
  }
  used.set(key, step);
  return totpCode(secret, step);
}

/**
 * Signs in through the real pages: GET and POST /sign-in, then the authenticator code (made from
 * the fixture secret). Returns the cookies of the signed-in browser.
 */
export async function signIn(app: FastifyInstance, email: string, password = FIXTURE_PASSWORD): Promise<Record<string, string>> {
  const form = await app.inject({ method: 'GET', url: '/sign-in' });
  let cookies = cookiesFrom(form);
  const response = await postForm(app, '/sign-in', cookies, { email, password, _csrf: csrfFrom(form.body) });
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`);
  cookies = withResponseCookies(cookies, response);
  // A family or provider account without an authenticator app is signed in by its password alone.
  if (response.headers.location === '/my-people') return cookies;
  if (response.headers.location !== '/sign-in/authenticator-code') throw new Error(`sign-in went to ${String(response.headers.location)}`);
  const codePage = await app.inject({ url: '/sign-in/authenticator-code', headers: { cookie: cookieHeader(cookies) } });
  if (codePage.statusCode !== 200) throw new Error(`the code page answered ${codePage.statusCode}`);
  const done = await postForm(app, '/sign-in/authenticator-code', cookies, { code: nextCode(app, email), _csrf: csrfFrom(codePage.body) });
  if (done.statusCode !== 303) throw new Error(`the authenticator code was refused with ${done.statusCode}`);
  return withResponseCookies(cookies, done);
}

/** Step-up: re-enters an authenticator code on /step-up for this signed-in browser (its session). */
export async function stepUp(app: FastifyInstance, cookies: Record<string, string>, email: string): Promise<void> {
  const page = await app.inject({ url: '/step-up', headers: { cookie: cookieHeader(cookies) } });
  if (page.statusCode !== 200) throw new Error(`the step-up page answered ${page.statusCode}`);
  const done = await postForm(app, '/step-up', cookies, { code: nextCode(app, email), _csrf: csrfFrom(page.body) });
  if (done.statusCode !== 303) throw new Error(`step-up was refused with ${done.statusCode}`);
}
