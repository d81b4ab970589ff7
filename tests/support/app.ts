/** Builds the real app over a test database, and signs in through the real sign-in form. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { hash } from '@node-rs/argon2';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/clock.ts';
import { services } from '../../src/services/index.ts';
import { buildApp } from '../../src/web/app.ts';
import type { Database } from '../../src/db/database.ts';
import { FIXTURE_PASSWORD } from './fixtures.ts';

export const TEST_NOW = new Date('2026-11-20T10:00:00Z');

let passwordHash: Promise<string> | undefined;
export function fixturePasswordHash(): Promise<string> {
  passwordHash ??= hash(FIXTURE_PASSWORD);
  return passwordHash;
}

/** Every HTML page any test app renders, so a suite can check them all with html-validate. */
export const renderedPages: { url: string; html: string }[] = [];

export async function testApp(database: Database): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: 'test' });
  const app = await buildApp(services({ database, clock: fixedClock(TEST_NOW), sessionIdleMinutes: 30 }), config);
  app.addHook('onSend', async (request, reply, payload) => {
    if (String(reply.getHeader('content-type')).startsWith('text/html') && typeof payload === 'string') {
      renderedPages.push({ url: `${request.method} ${request.url} → ${reply.statusCode}`, html: payload });
    }
    return payload;
  });
  return app;
}

export function cookiesFrom(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(response.cookies.map((c) => [c.name, c.value]));
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

/** Signs in through GET and POST /sign-in; returns the cookies of the signed-in browser. */
export async function signIn(app: FastifyInstance, email: string, password = FIXTURE_PASSWORD): Promise<Record<string, string>> {
  const form = await app.inject({ method: 'GET', url: '/sign-in' });
  const cookies = cookiesFrom(form);
  const response = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, password, _csrf: csrfFrom(form.body) }).toString(),
  });
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`);
  return { ...cookies, ...cookiesFrom(response) };
}
