/**
 * API tokens for machine clients: issued and revoked by administrators on GOV.UK pages, shown once,
 * stored hashed; on the JSON API a bearer token is a client actor limited to its scopes and its
 * council, refused once expired or revoked, and audited. Both engines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { addAllocationFixtures } from '../support/allocation.ts';
import { addFamilyAccount } from '../support/family.ts';
import { addPathwayFixtures, type PathwayFixture } from '../support/pathway.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, stepUp, TEST_NOW, testApp, withResponseCookies } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { fixedClock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { parseApiToken } from '../../src/domain/identity/api-token.ts';
import type { DeclaredRoute } from '../../src/web/app.ts';

const TOKEN = /obt_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{43}/;
const DAY_MS = 24 * 60 * 60 * 1000;

for (const engine of await testEngines()) {
  describe(`API tokens (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    const laterApps: FastifyInstance[] = [];
    let council: CouncilFixture;
    let pathway: PathwayFixture;
    let other: CouncilFixture;
    let admin: Record<string, string>;
    let otherAdmin: Record<string, string>;
    let worker: string;
    /** Tokens issued in `before`, by what they may do. */
    let listOnly: string;
    let viewOnly: string;
    let both: string;
    let yearLong: string;
    let issuedPage: LightMyRequestResponse;

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const api = (url: string, token: string, target = app) => target.inject({ url, headers: bearer(token) });

    /** Fills in and sends the "Issue an API token" form as a browser would. */
    async function submitIssue(jar: Record<string, string>, fields: { name: string; scopes: string[]; days: string }) {
      const form = await app.inject({ url: '/api-tokens/new', headers: { cookie: cookieHeader(jar) } });
      assert.equal(form.statusCode, 200);
      const cookies = withResponseCookies(jar, form);
      const body = new URLSearchParams({ _csrf: csrfFrom(form.body), name: fields.name, days: fields.days });
      for (const scope of fields.scopes) body.append('scopes[]', scope);
      return app.inject({
        method: 'POST',
        url: '/api-tokens/new',
        headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
    }

    async function issue(jar: Record<string, string>, name: string, scopes: string[], days = '90'): Promise<string> {
      const response = await submitIssue(jar, { name, scopes, days });
      assert.equal(response.statusCode, 200, response.body);
      const token = TOKEN.exec(response.body)?.[0];
      assert.ok(token, 'the page shows the token');
      issuedPage = response;
      return token;
    }

    /** A browser form post of `fields` (with the page's CSRF token) from `pageUrl`'s page. */
    async function postFrom(jar: Record<string, string>, pageUrl: string, url: string) {
      const page = await app.inject({ url: pageUrl, headers: { cookie: cookieHeader(jar) } });
      const cookies = withResponseCookies(jar, page);
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(page.body) }).toString(),
      });
    }

    const idOf = (token: string) => {
      const parsed = parseApiToken(token);
      assert.ok(parsed);
      return parsed.id;
    };

    const auditRows = (action: string) =>
      database.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();

    async function appAt(instant: Date): Promise<FastifyInstance> {
      const later = await testApp(database, { clock: fixedClock(instant) });
      await later.ready();
      laterApps.push(later);
      return later;
    }

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      council = await addCouncil(database, 'kappa', { passwordHash, email: 'worker@kappa.test' });
      other = await addCouncil(database, 'lambda', { passwordHash, email: 'worker@lambda.test' });
      // A published allocation model, so that the public allocation-model route has something to give.
      await addAllocationFixtures(database, { councilId: council.councilId, adminId: council.adminId, caseworkerId: council.accountId, personId: council.personId });
      // A case, a plan and an agreed budget, so that the routes reading them have something to give.
      const parent = await addFamilyAccount(database, council.councilId, { email: 'parent@kappa.test', passwordHash, links: [{ personId: council.personId, relationship: 'parent_carer' }] });
      pathway = await addPathwayFixtures(database, council, parent);
      app = await testApp(database);
      // A state-changing API endpoint, to show which requests need a CSRF token.
      app.post('/api/v1/test-only/change', { config: { access: 'people:list', audit: null } }, async () => ({ changed: true }));
      await app.ready();
      admin = await signIn(app, council.adminEmail);
      otherAdmin = await signIn(app, other.adminEmail);
      worker = cookieHeader(await signIn(app, 'worker@kappa.test'));
      // Issuing a token is a high-value action: the administrator re-enters a code first.
      const unconfirmed = await app.inject({ url: '/api-tokens/new', headers: { cookie: cookieHeader(admin) } });
      assert.equal(unconfirmed.statusCode, 303);
      assert.equal(unconfirmed.headers.location, '/step-up?returnTo=%2Fapi-tokens%2Fnew');
      await stepUp(app, admin, council.adminEmail);
      listOnly = await issue(admin, 'Reporting dashboard', ['people:list']);
      viewOnly = await issue(admin, 'Finance system', ['person:view'], '30');
      yearLong = await issue(admin, 'Year-long client', ['people:list'], '365');
      both = await issue(admin, 'Case management bridge', ['people:list', 'person:view']);
    });
    after(async () => {
      for (const later of laterApps) await later.close();
      await app.close();
      await database.dispose();
    });

    it('refuses to issue a token without a fresh authenticator code (step-up), even from a filled-in form', async () => {
      const before = (await auditRows('api_token.issued')).length;
      const list = await app.inject({ url: '/api-tokens', headers: { cookie: cookieHeader(otherAdmin) } });
      const response = await app.inject({
        method: 'POST',
        url: '/api-tokens/new',
        headers: { cookie: cookieHeader(withResponseCookies(otherAdmin, list)), 'content-type': 'application/x-www-form-urlencoded', referer: 'http://localhost/api-tokens/new' },
        payload: new URLSearchParams({ _csrf: csrfFrom(list.body), name: 'Sneaky', 'scopes[]': 'people:list', days: '30' }).toString(),
      });
      assert.equal(response.statusCode, 303);
      assert.match(String(response.headers.location), /^\/step-up/);
      assert.equal((await auditRows('api_token.issued')).length, before, 'nothing was issued');
    });

    it('shows a new token once, on a page no cache may keep, with a warning that it cannot be shown again', async () => {
      assert.equal(issuedPage.headers['cache-control'], 'no-store');
      assert.match(issuedPage.body, /API token issued/);
      assert.match(issuedPage.body, /You will not be able to see it again/);
      assert.match(issuedPage.body, /Case management bridge/);
      const list = await app.inject({ url: '/api-tokens', headers: { cookie: cookieHeader(admin) } });
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, TOKEN, 'the list never shows a whole token');
      for (const token of [listOnly, viewOnly, both]) {
        assert.match(list.body, new RegExp(`<code>${token.slice(0, 12)}…</code>`), 'each token is recognisable by its prefix');
        assert.ok(!list.body.includes(token.slice(27)), 'no part of a secret is on the list');
      }
      assert.match(list.body, /Finance system/);
      assert.match(list.body, /Read a person’s full record/);
      assert.match(list.body, /Search and list people/);
      assert.match(list.body, /Administrator at kappa/);
    });

    it('keeps only a hash of the secret: the token and its secret appear in no column and no audit event', async () => {
      const secret = parseApiToken(both)?.secret;
      assert.ok(secret);
      const rows = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM api_tokens t`.execute(database.db);
      assert.equal(rows.rows.length, 4);
      for (const { row } of rows.rows) {
        for (const token of [listOnly, viewOnly, both, yearLong]) {
          assert.ok(!row.includes(parseApiToken(token)?.secret ?? '?'), 'no secret in api_tokens');
          assert.ok(!row.includes(token), 'no token in api_tokens');
        }
      }
      const stored = await database.db.selectFrom('api_tokens').select(['token_hash', 'prefix', 'scopes', 'expires_at', 'created_at']).where('id', '=', idOf(both)).executeTakeFirstOrThrow();
      assert.equal(stored.token_hash, crypto.createHash('sha256').update(secret).digest('hex'));
      assert.equal(stored.prefix, both.slice(0, 12));
      assert.deepEqual(stored.scopes, ['people:list', 'person:view']);
      assert.equal(stored.expires_at.getTime() - stored.created_at.getTime(), 90 * DAY_MS);
      const events = await sql<{ row: string }>`SELECT row_to_json(a)::text AS row FROM audit_events a`.execute(database.db);
      for (const { row } of events.rows) assert.ok(!row.includes(secret), 'no secret in the audit log');
    });

    it('audits each issue with the name, scopes and expiry', async () => {
      const issued = await auditRows('api_token.issued');
      assert.equal(issued.length, 4);
      const last = issued.at(-1);
      assert.equal(last?.actor_id, council.adminId);
      assert.equal(last?.actor_role, 'administrator');
      assert.equal(last?.subject_type, 'api_token');
      assert.equal(last?.subject_id, idOf(both));
      assert.deepEqual(last?.detail, {
        name: 'Case management bridge',
        scopes: ['people:list', 'person:view'],
        expiresAt: new Date(TEST_NOW.getTime() + 90 * DAY_MS).toISOString(),
        prefix: both.slice(0, 12),
      });
    });

    it('explains each mistake in the form next to its field, keeping what was typed', async () => {
      const response = await submitIssue(admin, { name: 'Half-filled', scopes: [], days: '400' });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /<title>Error: Issue an API token – OneBudget<\/title>/);
      assert.match(response.body, /href="#scopes"[^>]*>Select what the API token may do/);
      assert.match(response.body, /href="#days"[^>]*>The number of days must be between 1 and 365/);
      assert.match(response.body, /value="Half-filled"/);
      assert.match(response.body, /value="400"/);
      const empty = await submitIssue(admin, { name: '', scopes: ['people:list'], days: '90' });
      assert.match(empty.body, /href="#name"[^>]*>Enter a name for the API token/);
      assert.match(empty.body, /value="people:list" checked/);
      const fresh = await app.inject({ url: '/api-tokens/new', headers: { cookie: cookieHeader(admin) } });
      assert.match(fresh.body, /value="90"/, 'the form suggests 90 days');
      assert.equal((await auditRows('api_token.issued')).length, 4, 'nothing was issued');
    });

    it('lets a token with the scope people:list list its council’s people, and records its use', async () => {
      const response = await api('/api/v1/people', listOnly);
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.total, 1, 'two people, but a restricted record is never listed to a token');
      assert.ok(body.people.every((p: { reference: string }) => p.reference.startsWith('KAPPA-')), 'only its own council’s people');
      const row = await database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', idOf(listOnly)).executeTakeFirstOrThrow();
      assert.equal(row.last_used_at?.toISOString(), TEST_NOW.toISOString());
      const list = await app.inject({ url: '/api-tokens', headers: { cookie: cookieHeader(admin) } });
      assert.match(list.body, /20 November 2026 at 10:00/);
    });

    it('refuses a route outside the token’s scopes with 403 problem details', async () => {
      const view = await api(`/api/v1/people/${council.personId}`, listOnly);
      assert.equal(view.statusCode, 403);
      assert.match(String(view.headers['content-type']), /^application\/problem\+json/);
      assert.match(String(view.headers['www-authenticate']), /error="insufficient_scope", scope="person:view"/);
      assert.match(view.json().detail, /needs the scope person:view/);
      const list = await api('/api/v1/people', viewOnly);
      assert.equal(list.statusCode, 403);
      assert.match(String(list.headers['www-authenticate']), /scope="people:list"/);
    });

    it('reads a person’s record with the scope person:view, audited under the token', async () => {
      const response = await api(`/api/v1/people/${council.personId}`, viewOnly);
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().id, council.personId);
      const viewed = (await auditRows('person.viewed')).filter((e) => e.actor_id === idOf(viewOnly));
      assert.equal(viewed.length, 1);
      assert.equal(viewed[0]?.actor_role, 'api_client');
      assert.equal(viewed[0]?.subject_id, council.personId);
      const log = await app.inject({ url: '/audit?action=person.viewed', headers: { cookie: cookieHeader(admin) } });
      assert.match(log.body, /Finance system \(API client\)/, 'the audit log names the token');
      const byName = await app.inject({ url: '/audit?actor=finance+system', headers: { cookie: cookieHeader(admin) } });
      assert.match(byName.body, /1 event\b/, 'and finds its events by the token’s name');
      const issuedLog = await app.inject({ url: '/audit?action=api_token.issued', headers: { cookie: cookieHeader(admin) } });
      assert.match(issuedLog.body, /API token Finance system/, 'a token as the subject of an event is named too');
    });

    it('never reads a restricted record, and answers 404 as for an id that does not exist', async () => {
      const restricted = await api(`/api/v1/people/${council.restrictedPersonId}`, both);
      assert.equal(restricted.statusCode, 404);
      const missing = await api(`/api/v1/people/${crypto.randomUUID()}`, both);
      assert.equal(missing.statusCode, 404);
      const words = (r: LightMyRequestResponse) => String(r.json().detail).replace(/[0-9a-f-]{36}/, 'ID');
      assert.equal(words(restricted), words(missing), 'not even the detail tells a restricted record from no record');
      const list = await api('/api/v1/people?q=Robin', both);
      assert.equal(list.statusCode, 200);
    });

    it('never finds another council’s person', async () => {
      const response = await api(`/api/v1/people/${other.personId}`, both);
      assert.equal(response.statusCode, 404);
      assert.doesNotMatch(response.body, /lambdason/);
    });

    it('refuses an unknown or malformed token with 401 and WWW-Authenticate: Bearer error="invalid_token"', async () => {
      const parsed = parseApiToken(both);
      assert.ok(parsed);
      const forged = `${both.slice(0, 27)}${crypto.randomBytes(32).toString('base64url')}`;
      const swappedId = both.replace(both.slice(4, 26), listOnly.slice(4, 26));
      for (const token of ['nonsense', '', forged, swappedId, both.toUpperCase()]) {
        const response = await app.inject({ url: '/api/v1/people', headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.statusCode, 401, token);
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        assert.match(String(response.headers['www-authenticate']), /^Bearer realm="OneBudget API", error="invalid_token"$/);
        assert.match(response.json().detail, /not valid/);
      }
      const publicRoute = await api('/api/v1/councils', 'obt_nonsense');
      assert.equal(publicRoute.statusCode, 401, 'a bad token is refused even where none is needed');
      const none = await app.inject('/api/v1/people');
      assert.equal(none.statusCode, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="OneBudget API"');
    });

    it('uses the bearer token, not the session cookie, when a request carries both', async () => {
      // An administrator may list people; the token may only view records.
      const withBoth = await app.inject({ url: '/api/v1/people', headers: { cookie: cookieHeader(admin), ...bearer(viewOnly) } });
      assert.equal(withBoth.statusCode, 403);
      const badToken = await app.inject({ url: '/api/v1/people', headers: { cookie: cookieHeader(admin), authorization: 'Bearer obt_x' } });
      assert.equal(badToken.statusCode, 401, 'a bad token is not rescued by a good cookie');
      const cookieOnly = await app.inject({ url: '/api/v1/people', headers: { cookie: cookieHeader(admin) } });
      assert.equal(cookieOnly.statusCode, 200);
    });

    it('needs a CSRF token for a state-changing API request authenticated by a cookie, not by a bearer token', async () => {
      const byCookie = await app.inject({ method: 'POST', url: '/api/v1/test-only/change', headers: { cookie: cookieHeader(admin) } });
      assert.equal(byCookie.statusCode, 403);
      assert.match(String(byCookie.headers['content-type']), /^application\/problem\+json/);
      const byToken = await app.inject({ method: 'POST', url: '/api/v1/test-only/change', headers: { cookie: cookieHeader(admin), ...bearer(listOnly) } });
      assert.equal(byToken.statusCode, 200);
      assert.deepEqual(byToken.json(), { changed: true });
    });

    it('ignores bearer tokens on every page: only the JSON API accepts them', async () => {
      const concrete = (route: DeclaredRoute) =>
        route.url.replace(':personId', council.personId).replace(':slug', council.slug).replace(':tokenId', idOf(both)).replace(/:[A-Za-z]+/g, 'x');
      const pages = app.declaredRoutes.filter((r) => !r.url.startsWith('/api/') && !r.url.startsWith('/test-only'));
      assert.ok(pages.some((r) => r.url === '/api-tokens') && pages.some((r) => r.url === '/people/:personId'));
      const differences: string[] = [];
      for (const route of pages) {
        const request = { method: route.method as 'GET' | 'POST', url: concrete(route) };
        const anonymous = await app.inject(request);
        const withToken = await app.inject({ ...request, headers: bearer(both) });
        const where = (r: LightMyRequestResponse) => String(r.headers.location ?? '').split('?')[0];
        if (anonymous.statusCode !== withToken.statusCode || where(anonymous) !== where(withToken)) {
          differences.push(`${route.method} ${route.url}: ${anonymous.statusCode} anonymous, ${withToken.statusCode} with a token`);
        }
      }
      assert.deepEqual(differences, []);
      const people = await app.inject({ url: '/people', headers: bearer(both) });
      assert.equal(people.statusCode, 303);
      assert.match(String(people.headers.location), /^\/sign-in\?returnTo=/);
    });

    it('allows each API route to a token exactly as its scopes say', async () => {
      const routes = app.declaredRoutes.filter((r) => r.url.startsWith('/api/v1/') && r.method === 'GET' && !r.url.includes('test-only'));
      assert.ok(routes.length >= 6);
      const tokens = { 'people:list': listOnly, 'person:view': viewOnly };
      const mismatches: string[] = [];
      for (const route of routes) {
        const url = route.url.replace(':personId', council.personId).replace(':slug', council.slug).replace(':caseId', pathway.caseId).replace(':planId', pathway.planId);
        for (const [scope, token] of Object.entries(tokens)) {
          const status = (await api(url, token)).statusCode;
          const want = route.access === 'public' || route.access === scope ? 200 : 403;
          if (status !== want) mismatches.push(`${route.url} with ${scope}: ${status}, expected ${want}`);
        }
      }
      assert.deepEqual(mismatches, []);
    });

    it('records a token’s use at most once a minute', async () => {
      const lastUsed = async () =>
        (await database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', idOf(listOnly)).executeTakeFirstOrThrow()).last_used_at?.toISOString();
      assert.equal(await lastUsed(), TEST_NOW.toISOString());
      const soon = new Date(TEST_NOW.getTime() + 30_000);
      assert.equal((await api('/api/v1/people', listOnly, await appAt(soon))).statusCode, 200);
      assert.equal(await lastUsed(), TEST_NOW.toISOString(), 'not again within the minute');
      const later = new Date(TEST_NOW.getTime() + 61_000);
      assert.equal((await api('/api/v1/people', listOnly, await appAt(later))).statusCode, 200);
      assert.equal(await lastUsed(), later.toISOString());
    });

    it('stops a token working when it expires', async () => {
      const lastDay = await appAt(new Date(TEST_NOW.getTime() + 90 * DAY_MS - 1000));
      assert.equal((await api('/api/v1/people', listOnly, lastDay)).statusCode, 200);
      const expired = await appAt(new Date(TEST_NOW.getTime() + 90 * DAY_MS));
      const response = await api('/api/v1/people', listOnly, expired);
      assert.equal(response.statusCode, 401);
      assert.match(String(response.headers['www-authenticate']), /error="invalid_token"/);
      assert.equal((await api('/api/v1/people', yearLong, expired)).statusCode, 200, 'a token issued for a year still works');
      const adminLater = await signIn(expired, council.adminEmail);
      const list = await expired.inject({ url: '/api-tokens', headers: { cookie: cookieHeader(adminLater) } });
      assert.match(list.body, /Expired/);
    });

    it('keeps each council’s tokens to itself', async () => {
      const list = await app.inject({ url: '/api-tokens', headers: { cookie: cookieHeader(otherAdmin) } });
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /Finance system|Reporting dashboard/);
      assert.match(list.body, /No API tokens have been issued/);
      const page = await app.inject({ url: `/api-tokens/${idOf(both)}/revoke`, headers: { cookie: cookieHeader(otherAdmin) } });
      assert.equal(page.statusCode, 404);
      const revoke = await postFrom(otherAdmin, '/api-tokens', `/api-tokens/${idOf(both)}/revoke`);
      assert.equal(revoke.statusCode, 404);
      assert.equal((await api('/api/v1/people', both)).statusCode, 200, 'the token still works');
    });

    it('refuses the token pages to staff who are not administrators', async () => {
      for (const url of ['/api-tokens', '/api-tokens/new', `/api-tokens/${idOf(both)}/revoke`]) {
        const response = await app.inject({ url, headers: { cookie: worker } });
        assert.equal(response.statusCode, 403, url);
        assert.match(response.body, /You do not have permission/);
        const anonymous = await app.inject(url);
        assert.equal(anonymous.statusCode, 303, url);
      }
      const account = await app.inject({ url: '/account', headers: { cookie: worker } });
      assert.doesNotMatch(account.body, /API tokens/);
      const adminAccount = await app.inject({ url: '/account', headers: { cookie: cookieHeader(admin) } });
      assert.match(adminAccount.body, /href="\/api-tokens"/, 'administrators find the page from their account');
    });

    it('answers a malformed or unknown token id with a bad request or not found', async () => {
      assert.equal((await app.inject({ url: '/api-tokens/not-an-id/revoke', headers: { cookie: cookieHeader(admin) } })).statusCode, 400);
      assert.equal((await app.inject({ url: `/api-tokens/${crypto.randomUUID()}/revoke`, headers: { cookie: cookieHeader(admin) } })).statusCode, 404);
    });

    it('revokes a token after asking, audited; it is refused from then on', async () => {
      const id = idOf(both);
      const confirm = await app.inject({ url: `/api-tokens/${id}/revoke`, headers: { cookie: cookieHeader(admin) } });
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /Are you sure you want to revoke the API token Case management bridge\?/);
      assert.equal((await api('/api/v1/people', both)).statusCode, 200, 'asking changes nothing');
      const response = await postFrom(admin, `/api-tokens/${id}/revoke`, `/api-tokens/${id}/revoke`);
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, `/api-tokens?revoked=${id}`);
      const list = await app.inject({ url: response.headers.location, headers: { cookie: cookieHeader(admin) } });
      assert.match(list.body, /The API token Case management bridge is revoked/);
      assert.match(list.body, /Revoked/);
      const refused = await api('/api/v1/people', both);
      assert.equal(refused.statusCode, 401);
      assert.match(String(refused.headers['www-authenticate']), /error="invalid_token"/);
      const again = await postFrom(admin, '/api-tokens', `/api-tokens/${id}/revoke`);
      assert.equal(again.statusCode, 303);
      const revoked = await auditRows('api_token.revoked');
      assert.equal(revoked.length, 1, 'revoking twice is recorded once');
      assert.equal(revoked[0]?.actor_id, council.adminId);
      assert.equal(revoked[0]?.subject_id, id);
      assert.deepEqual(revoked[0]?.detail, {
        name: 'Case management bridge',
        scopes: ['people:list', 'person:view'],
        expiresAt: new Date(TEST_NOW.getTime() + 90 * DAY_MS).toISOString(),
        prefix: both.slice(0, 12),
      });
      const row = await database.db.selectFrom('api_tokens').select(['revoked_at', 'revoked_by']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.revoked_by, council.adminId);
      const confirmAgain = await app.inject({ url: `/api-tokens/${id}/revoke`, headers: { cookie: cookieHeader(admin) } });
      assert.match(confirmAgain.body, /is already revoked/);
    });

    it('lets the application role neither delete a token, change its hash, nor undo a revocation', async () => {
      const withCouncil = tenantRunner(database);
      const id = idOf(both);
      await assert.rejects(withCouncil(council.councilId, (tx) => sql`DELETE FROM api_tokens WHERE id = ${id}`.execute(tx)), /permission denied/);
      await assert.rejects(
        withCouncil(council.councilId, (tx) => sql`UPDATE api_tokens SET token_hash = ${'0'.repeat(64)} WHERE id = ${id}`.execute(tx)),
        /permission denied/,
      );
      await assert.rejects(
        withCouncil(council.councilId, (tx) => sql`UPDATE api_tokens SET revoked_at = NULL, revoked_by = NULL WHERE id = ${id}`.execute(tx)),
        /stays revoked/,
      );
      const seen = await withCouncil(other.councilId, (tx) => sql<{ n: string }>`SELECT count(*) AS n FROM api_tokens`.execute(tx));
      assert.equal(Number(seen.rows[0]?.n), 0, 'another council’s scope sees none of these tokens');
    });

    it('describes the bearer scheme in the OpenAPI document', async () => {
      const doc = (await app.inject('/api/v1/openapi.json')).json();
      assert.equal(doc.components.securitySchemes.bearer.type, 'http');
      assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
      assert.deepEqual(doc.paths['/api/v1/people'].get.security, [{ session: [] }, { bearer: [] }]);
      assert.deepEqual(doc.paths['/api/v1/people/{personId}'].get.security, [{ session: [] }, { bearer: [] }]);
    });

    it('renders only valid HTML on every API token page', async () => {
      for (const url of ['GET /api-tokens', 'POST /api-tokens/new → 200', 'POST /api-tokens/new → 400', '/revoke → 200']) {
        assert.ok(renderedPages.some((p) => p.url.includes(url)), `rendered ${url}`);
      }
      // Other suites' pages are checked by their own tests; these are the pages this feature renders or changes.
      const ours = renderedPages.filter((p) => / \/(api-tokens|account|audit)\b/.test(p.url));
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
