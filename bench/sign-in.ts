/**
 * Signing in as a browser would, for the benchmarks: the real forms with their CSRF tokens and
 * cookies, the password and then a code of the published demo authenticator secret (benchmark
 * servers run in demo mode).
 */
import { DEMO_TOTP_SECRET } from '../src/demo/accounts.ts';
import { totpCode, totpStep } from '../src/domain/identity/totp.ts';
import { assertLoopback, type Server } from './support.ts';

export type CookieJar = Map<string, string>;

function absorbCookies(jar: CookieJar, response: Response): void {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const value = pair.slice(eq + 1).trim();
    // An empty value is a cookie being cleared (the pending sign-in, once the session exists).
    if (value === '') jar.delete(pair.slice(0, eq).trim());
    else jar.set(pair.slice(0, eq).trim(), value);
  }
}

export function cookieHeader(jar: CookieJar): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export async function fetchLoopback(url: string, init: RequestInit = {}): Promise<Response> {
  assertLoopback(url);
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000), ...init });
}

/** Gets a form page and posts it back with these fields, its CSRF token and the cookies; returns the answer. */
async function submitForm(server: Server, jar: CookieJar, path: string, fields: Record<string, string>): Promise<Response> {
  const form = await fetchLoopback(`${server.origin}${path}`, { headers: { cookie: cookieHeader(jar) } });
  const html = await form.text();
  if (form.status !== 200) throw new Error(`GET ${path} answered ${form.status}`);
  absorbCookies(jar, form);
  const match = /<input[^>]*name="_csrf"[^>]*value="([^"]*)"/.exec(html) ?? /<input[^>]*value="([^"]*)"[^>]*name="_csrf"/.exec(html);
  if (match?.[1] === undefined) throw new Error(`No _csrf hidden input on ${path}`);
  const body = new URLSearchParams({ ...fields, _csrf: decodeHtmlAttribute(match[1]) });
  const posted = await fetchLoopback(`${server.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: body.toString(),
  });
  await posted.arrayBuffer();
  absorbCookies(jar, posted);
  return posted;
}

/**
 * Signs in through the real forms: the password, then the demo authenticator's code. Returns the
 * browser's cookies.
 */
export async function signIn(server: Server, email: string, password: string): Promise<CookieJar> {
  const jar: CookieJar = new Map();
  const posted = await submitForm(server, jar, '/sign-in', { email, password });
  if (posted.status !== 303) throw new Error(`POST /sign-in answered ${posted.status}, expected 303 (wrong password or CSRF?)`);
  const code = totpCode(DEMO_TOTP_SECRET, totpStep(new Date()));
  const done = await submitForm(server, jar, '/sign-in/authenticator-code', { code });
  if (done.status !== 303) throw new Error(`POST /sign-in/authenticator-code answered ${done.status}, expected 303`);
  if (![...jar.keys()].some((name) => name.endsWith('onebudget_session'))) throw new Error('signing in set no session cookie');
  return jar;
}
