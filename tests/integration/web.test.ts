/**
 * The web app end to end through HTTP (Fastify inject), over a real database on both engines:
 * health checks, error pages and problem details, sign-in with CSRF, audited reads, council isolation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { cookieHeader, cookiesFrom, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { openDatabase } from '../../src/db/database.ts';

for (const engine of await testEngines()) {
  describe(`web app (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let alpha: CouncilFixture;
    let beta: CouncilFixture;
    let alphaCookies: Record<string, string>;

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      alpha = await addCouncil(database, 'alpha', { passwordHash, email: `worker-${engine}@alpha.test` });
      beta = await addCouncil(database, 'beta', { passwordHash, email: `worker-${engine}@beta.test` });
      app = await testApp(database);
      app.get('/test-only/explode', { config: { access: 'public', audit: null } }, async () => {
        throw new Error('secret internals: password=hunter2');
      });
      app.get('/api/v1/test-only/explode', { config: { access: 'public', audit: null } }, async () => {
        throw new Error('secret internals: password=hunter2');
      });
      await app.ready();
      alphaCookies = await signIn(app, `worker-${engine}@alpha.test`);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('reports the process alive on /healthz and the database reachable on /readyz', async () => {
      const health = await app.inject('/healthz');
      assert.equal(health.statusCode, 200);
      assert.match(String(health.headers['content-type']), /application\/json/);
      assert.equal(health.json().status, 'ok');
      const ready = await app.inject('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ready', database: engine });
    });

    it('shows a GOV.UK "Page not found" page for an unknown address', async () => {
      const response = await app.inject('/no-such-page');
      assert.equal(response.statusCode, 404);
      assert.match(response.body, /<h1 class="govuk-heading-l">Page not found<\/h1>/);
    });

    it('answers an unknown API address with problem details', async () => {
      const response = await app.inject('/api/v1/no-such-thing');
      assert.equal(response.statusCode, 404);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      const body = response.json();
      assert.equal(body.status, 404);
      assert.match(body.detail, /no API endpoint at GET \/api\/v1\/no-such-thing/);
    });

    it('shows "Sorry, there is a problem with the service" on a failure, with no internals', async () => {
      const response = await app.inject('/test-only/explode');
      assert.equal(response.statusCode, 500);
      assert.match(response.body, /Sorry, there is a problem with the service/);
      assert.doesNotMatch(response.body, /hunter2|secret internals|at .*\.ts:\d+/);
      const api = await app.inject('/api/v1/test-only/explode');
      assert.equal(api.statusCode, 500);
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      assert.doesNotMatch(api.body, /hunter2|secret internals|\.ts:\d+/);
    });

    it('publishes an OpenAPI 3.1 document generated from the API routes', async () => {
      const doc = (await app.inject('/api/v1/openapi.json')).json();
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(doc.paths['/api/v1/people/{personId}'], 'documents the person endpoint');
      assert.ok(doc.paths['/api/v1/councils/{slug}/services'], 'documents the Local Offer endpoint');
      assert.equal(doc.paths['/people'], undefined, 'pages are not part of the API document');
    });

    it('asks a signed-out visitor to sign in, and the API answers 401 problem details', async () => {
      const page = await app.inject('/people');
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/sign-in?returnTo=%2Fpeople');
      const api = await app.inject('/api/v1/people');
      assert.equal(api.statusCode, 401);
      assert.match(api.json().detail, /Sign in/);
    });

    it('refuses a form post without its CSRF token', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=worker-${engine}%40alpha.test&password=whatever`,
      });
      assert.equal(response.statusCode, 403);
      assert.doesNotMatch(response.body, /FST_CSRF/);
    });

    it('keeps the typed email and explains a wrong password', async () => {
      const form = await app.inject('/sign-in');
      const response = await app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie: cookieHeader(cookiesFrom(form)), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email: `worker-${engine}@alpha.test`, password: 'wrong password', _csrf: csrfFrom(form.body) }).toString(),
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /Enter a correct email address and password/);
      assert.match(response.body, new RegExp(`value="worker-${engine}@alpha.test"`));
      assert.match(response.body, /<title>Error: Sign in – OneBudget<\/title>/);
    });

    it('shows a signed-in worker their council’s people, and never another council’s', async () => {
      const response = await app.inject({ url: '/people', headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Alex alphason/);
      assert.doesNotMatch(response.body, /betason/);
      assert.equal(response.headers['cache-control'], 'no-store');
    });

    it('shows the last page, not an empty one, for a page number past the end', async () => {
      const response = await app.inject({ url: '/people?page=99999', headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Alex alphason/);
    });

    it('finds people by part of a name or reference, treating % and _ as plain characters', async () => {
      const search = async (q: string) =>
        (await app.inject({ url: `/api/v1/people?q=${encodeURIComponent(q)}`, headers: { cookie: cookieHeader(alphaCookies) } })).json().total;
      assert.equal(await search('alphas'), 1, 'two alphasons, but the restricted one is not listed to a worker not named on it');
      assert.equal(await search('ALPHA-1'), 1);
      assert.equal(await search('%'), 0);
      assert.equal(await search('_'), 0);
    });

    it('writes every read of a person’s record to the audit log', async () => {
      const count = async () =>
        Number(
          (
            await database.db
              .selectFrom('audit_events')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('subject_id', '=', alpha.personId)
              .where('action', '=', 'person.viewed')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const page = await app.inject({ url: `/people/${alpha.personId}`, headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Personal assistant, 6 hours a week/);
      assert.match(page.body, /£4,836\.00/);
      const api = await app.inject({ url: `/api/v1/people/${alpha.personId}`, headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(api.statusCode, 200);
      assert.equal(api.json().budgetLines[0].annualPence, 483600);
      assert.equal(await count(), before + 2);
    });

    it('treats another council’s person as not found, on the page and in the API', async () => {
      const page = await app.inject({ url: `/people/${beta.personId}`, headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(page.statusCode, 404);
      const api = await app.inject({ url: `/api/v1/people/${beta.personId}`, headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(api.statusCode, 404);
      assert.equal(api.json().status, 404);
    });

    it('keeps a restricted record from workers not named on it', async () => {
      const response = await app.inject({ url: `/people/${alpha.restrictedPersonId}`, headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(response.statusCode, 403);
      assert.match(response.body, /You do not have permission/);
    });

    it('rejects a malformed id in the API with a precise problem detail', async () => {
      const response = await app.inject({ url: '/api/v1/people/not-a-uuid', headers: { cookie: cookieHeader(alphaCookies) } });
      assert.equal(response.statusCode, 400);
      assert.match(response.json().detail, /personId/);
    });

    it('serves the public council pages and Local Offer under /c/{slug}', async () => {
      assert.equal((await app.inject('/c/alpha')).statusCode, 200);
      assert.equal((await app.inject('/c/alpha/local-offer')).statusCode, 200);
      assert.equal((await app.inject('/c/nowhere')).statusCode, 404);
      const api = await app.inject('/api/v1/councils/nowhere');
      assert.equal(api.statusCode, 404);
      assert.match(api.json().detail, /no council/);
    });

    it('sends security headers: a CSP allowing only the page’s one inline script, by its hash, with no unsafe-inline, no framing, no sniffing', async () => {
      const response = await app.inject('/');
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      const allowed = /'sha256-([^']+)'/.exec(csp)?.[1];
      const inline = [...response.body.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
      assert.equal(inline.length, 1, 'the page has one inline script');
      assert.equal(crypto.createHash('sha256').update(inline[0] ?? '').digest('base64'), allowed, 'the hash in the policy is the hash of that script, as the browser computes it');
      assert.ok(response.headers['x-request-id'], 'every response names its request id');
    });

    it('greets a signed-in worker by name on the home page', async () => {
      const response = await app.inject({ url: '/', headers: { cookie: cookieHeader(alphaCookies) } });
      assert.match(response.body, /You are signed in as Worker at alpha, alpha Council/);
    });

    it('signs out and ends the session', async () => {
      const cookies = await signIn(app, `worker-${engine}@beta.test`);
      const people = await app.inject({ url: '/people', headers: { cookie: cookieHeader(cookies) } });
      const response = await app.inject({
        method: 'POST',
        url: '/sign-out',
        headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrfFrom(people.body))}`,
      });
      assert.equal(response.statusCode, 303);
      const after = await app.inject({ url: '/people', headers: { cookie: cookieHeader(cookies) } });
      assert.equal(after.statusCode, 303, 'the old session cookie no longer works');
    });

    it('renders only valid HTML: html-validate finds no error on any page these tests rendered', async () => {
      assert.ok(renderedPages.length >= 15, `expected many rendered pages, got ${renderedPages.length}`);
      assert.deepEqual(await invalidPages(renderedPages), []);
    });

    it('signs out everywhere: every session of that person ends, on every device', async () => {
      const laptop = await signIn(app, alpha.adminEmail);
      const phone = await signIn(app, alpha.adminEmail);
      const account = await app.inject({ url: '/account', headers: { cookie: cookieHeader(laptop) } });
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /Sign out everywhere/);
      const response = await app.inject({
        method: 'POST',
        url: '/account/sign-out-everywhere',
        headers: { cookie: cookieHeader(laptop), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrfFrom(account.body))}`,
      });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/sign-in?signedOutEverywhere=yes');
      for (const jar of [laptop, phone]) assert.equal((await app.inject({ url: '/people', headers: { cookie: cookieHeader(jar) } })).statusCode, 303);
      assert.equal((await app.inject({ url: '/people', headers: { cookie: cookieHeader(alphaCookies) } })).statusCode, 200, 'other people stay signed in');
      const notice = await app.inject('/sign-in?signedOutEverywhere=yes');
      assert.match(notice.body, /You have been signed out on every device/);
    });

        it('refuses to register a route that does not declare its access and audit event', async () => {
      const fresh = await testApp(database);
      assert.throws(() => fresh.get('/undeclared', async () => 'hello'), /must declare config\.access/);
      await fresh.close();
    });
  });
}

describe('readiness when the database is gone', () => {
  it('says the database is not ready, with problem details, while the process stays alive', async () => {
    // Nothing listens on port 1: every connection attempt is refused at once.
    const unreachable = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', queryTimeoutMs: 2000, onConnectionError: () => undefined });
    const app = await testApp(unreachable);
    try {
      const response = await app.inject('/readyz');
      assert.equal(response.statusCode, 503);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.match(response.json().detail, /database is not reachable/);
      assert.equal((await app.inject('/healthz')).statusCode, 200);
    } finally {
      await app.close();
      await unreachable.close();
    }
  });
});

describe('API rate limit', () => {
  it('answers 429 problem details once an address passes the limit, and other addresses carry on', async () => {
    const database = await createTestDatabase('pglite');
    const app = await testApp(database, { env: { API_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await app.inject({ url: '/api/v1/councils', remoteAddress: '10.0.0.1' })).statusCode, 200);
      const refused = await app.inject({ url: '/api/v1/councils', remoteAddress: '10.0.0.1' });
      assert.equal(refused.statusCode, 429);
      assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
      assert.match(refused.json().detail, /at most 3 a minute/);
      assert.ok(refused.headers['retry-after'], 'says when to try again');
      assert.equal((await app.inject({ url: '/api/v1/councils', remoteAddress: '10.0.0.2' })).statusCode, 200);
      assert.equal((await app.inject({ url: '/', remoteAddress: '10.0.0.1' })).statusCode, 200, 'pages are not limited by the API limit');
    } finally {
      await app.close();
      await database.dispose();
    }
  });
});
