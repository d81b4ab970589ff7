/**
 * Staff single sign-on through an OpenID Connect provider (a fake one, tests/support/fake-oidc.ts),
 * on both engines: the happy path, every refusal (unknown email, another council, family account,
 * disabled account, another subject, a forged state, an error from the provider), the OneBudget
 * authenticator code when the provider did not prove a second factor, and the throttle.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, type CouncilFixture } from '../support/fixtures.ts';
import { clearedCookies, cookieHeader, csrfFrom, fixturePasswordHash, nextCode, postForm, renderedPages, testApp, withResponseCookies } from '../support/app.ts';
import { startFakeProvider, type FakeProvider, type FakeUser } from '../support/fake-oidc.ts';
import { htmlErrors } from '../support/html.ts';

const PROBLEM_TITLE = 'We could not sign you in with your council account';

function reasonOf(response: LightMyRequestResponse): string | undefined {
  return /data-reason="([a-z-]+)"/.exec(response.body)?.[1];
}

for (const engine of await testEngines()) {
  describe(`staff single sign-on (${engine})`, () => {
    let database: TestDatabase;
    let provider: FakeProvider;
    let app: FastifyInstance;
    let alpha: CouncilFixture;
    let beta: CouncilFixture;
    let passwordHash: string;
    let accounts = 0;
    let addresses = 0;
    /** A new source address (TEST-NET-2) per browser, so that one test's failures never throttle another. */
    const newAddress = () => `198.51.100.${(addresses += 1)}`;
    const newStaff = async (options: { mfaSecret?: string | null } = {}) => {
      accounts += 1;
      const email = `sso${accounts}@alpha.test`;
      const accountId = await addStaff(database, alpha.councilId, { email, passwordHash, ...options });
      return { email, accountId };
    };
    const oidcEnv = (extra: Record<string, string> = {}) => ({
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_COUNCIL: 'alpha',
      ...extra,
    });
    const user = (sub: string, claims: Record<string, unknown>): FakeUser => ({ sub, claims });

    /**
     * A browser that signs in through the provider: /sign-in/oidc, the provider's /authorize (which
     * signs `as` in at once), then the callback. `tamper` may change the provider's answer first.
     */
    const ssoSignIn = async (
      as: FakeUser,
      options: { target?: FastifyInstance; address?: string; tamper?: (answer: URL) => void; returnTo?: string; cookies?: Record<string, string> } = {},
    ) => {
      const target = options.target ?? app;
      const address = options.address ?? newAddress();
      provider.user = as;
      let cookies = options.cookies ?? {};
      const start = await target.inject({
        url: options.returnTo === undefined ? '/sign-in/oidc' : `/sign-in/oidc?returnTo=${encodeURIComponent(options.returnTo)}`,
        headers: { cookie: cookieHeader(cookies) },
        remoteAddress: address,
      });
      assert.equal(start.statusCode, 303, start.body);
      cookies = withResponseCookies(cookies, start);
      const authorize = new URL(String(start.headers.location));
      const answer = await fetch(authorize, { redirect: 'manual' });
      assert.equal(answer.status, 302, await answer.text());
      const back = new URL(answer.headers.get('location') ?? '');
      options.tamper?.(back);
      const callback = await target.inject({ url: `${back.pathname}${back.search}`, headers: { cookie: cookieHeader(cookies) }, remoteAddress: address });
      cookies = withResponseCookies(cookies, callback);
      return { start, authorize, callback, cookies, address };
    };

    const signedInEvents = (accountId: string) =>
      database.db
        .selectFrom('audit_events')
        .select(['action', 'detail', 'actor_id'])
        .where('actor_id', '=', accountId)
        .orderBy('seq')
        .execute();

    before(async () => {
      provider = await startFakeProvider();
      database = await createTestDatabase(engine);
      passwordHash = await fixturePasswordHash();
      alpha = await addCouncil(database, 'alpha', { passwordHash, email: `worker-${engine}@alpha.test` });
      beta = await addCouncil(database, 'beta', { passwordHash, email: `worker-${engine}@beta.test` });
      app = await testApp(database, { env: oidcEnv() });
      await app.ready();
    });
    after(async () => {
      await app.close();
      await database.dispose();
      await provider.close();
    });

    it('offers the button on the sign-in page only when single sign-on is set up', async () => {
      const page = await app.inject({ url: '/sign-in?returnTo=%2Fpeople' });
      assert.match(page.body, /<a href="\/sign-in\/oidc\?returnTo=%2Fpeople"[^>]*class="govuk-button govuk-button--secondary"[^>]*data-sso="oidc"/);
      assert.match(page.body, /Sign in with your council account/);
      const plain = await testApp(database);
      try {
        const without = await plain.inject({ url: '/sign-in' });
        assert.equal(without.statusCode, 200);
        assert.doesNotMatch(without.body, /data-sso|\/sign-in\/oidc|council account/);
        assert.equal((await plain.inject({ url: '/sign-in/oidc' })).statusCode, 404);
        assert.equal((await plain.inject({ url: '/sign-in/oidc/callback?code=x&state=y' })).statusCode, 404);
      } finally {
        await plain.close();
      }
    });

    it('signs in an active member of staff whose provider proved a second factor, pins the subject and audits it', async () => {
      const { email, accountId } = await newStaff();
      const { authorize, callback, cookies } = await ssoSignIn(user('entra-object-1', { email, amr: ['pwd', 'mfa'] }));
      // The authorization request: code flow with PKCE (S256), state and nonce, to the registered redirect URI.
      assert.equal(authorize.searchParams.get('response_type'), 'code');
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      assert.ok((authorize.searchParams.get('code_challenge') ?? '').length >= 43);
      assert.ok(authorize.searchParams.get('state'));
      assert.ok(authorize.searchParams.get('nonce'));
      assert.equal(authorize.searchParams.get('redirect_uri'), 'http://127.0.0.1:3000/sign-in/oidc/callback');
      assert.match(authorize.searchParams.get('scope') ?? '', /\bopenid\b/);

      assert.equal(callback.statusCode, 303, callback.body);
      assert.equal(callback.headers.location, '/people');
      assert.ok(cookies.onebudget_session, 'a session cookie');
      assert.ok(clearedCookies(callback).includes('onebudget_oidc'), 'the transaction cookie is used once');
      assert.equal(cookies.onebudget_sign_in, undefined, 'no pending sign-in');
      assert.equal((await app.inject({ url: '/people', headers: { cookie: cookieHeader(cookies) } })).statusCode, 200);

      const events = await signedInEvents(accountId);
      assert.deepEqual(
        events.map((e) => e.action),
        ['account.oidc_linked', 'account.signed_in'],
      );
      assert.deepEqual(events[0]?.detail, { issuer: provider.issuer, subject: 'entra-object-1' });
      assert.deepEqual(events[1]?.detail, { method: 'oidc', issuer: provider.issuer, providerMfa: true });
      const row = await database.db.selectFrom('accounts').select(['oidc_issuer', 'oidc_subject']).where('id', '=', accountId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { oidc_issuer: provider.issuer, oidc_subject: 'entra-object-1' });
    });

    it('lets the same subject sign in again, to the page asked for, and refuses another subject with the same email', async () => {
      const { email, accountId } = await newStaff();
      assert.equal((await ssoSignIn(user('first-subject', { email, amr: ['mfa'] }))).callback.statusCode, 303);
      const again = await ssoSignIn(user('first-subject', { email: email.toUpperCase(), amr: ['mfa'] }), { returnTo: `/people/${alpha.personId}` });
      assert.equal(again.callback.statusCode, 303);
      assert.equal(again.callback.headers.location, `/people/${alpha.personId}`);

      const impostor = await ssoSignIn(user('second-subject', { email, amr: ['mfa'] }));
      assert.equal(impostor.callback.statusCode, 403);
      assert.match(impostor.callback.body, new RegExp(PROBLEM_TITLE));
      assert.equal(reasonOf(impostor.callback), 'other-identity');
      assert.match(impostor.callback.body, /is linked to a different council account/);
      assert.match(impostor.callback.body, /<a class="govuk-link" href="\/sign-in">Go back to the sign-in page<\/a>/);
      assert.equal(impostor.cookies.onebudget_session, undefined);
      const row = await database.db.selectFrom('accounts').select('oidc_subject').where('id', '=', accountId).executeTakeFirstOrThrow();
      assert.equal(row.oidc_subject, 'first-subject', 'still pinned to the first subject');
    });

    it('refuses a subject already pinned to another account', async () => {
      const first = await newStaff();
      const second = await newStaff();
      assert.equal((await ssoSignIn(user('shared-subject', { email: first.email, amr: ['mfa'] }))).callback.statusCode, 303);
      const { callback } = await ssoSignIn(user('shared-subject', { email: second.email, amr: ['mfa'] }));
      assert.equal(callback.statusCode, 403);
      assert.equal(reasonOf(callback), 'identity-in-use');
    });

    it('refuses an email with no account, and never creates one', async () => {
      const email = `nobody-${crypto.randomUUID()}@alpha.test`;
      const { callback, cookies } = await ssoSignIn(user('someone', { email, amr: ['mfa'] }));
      assert.equal(callback.statusCode, 403);
      assert.equal(reasonOf(callback), 'unknown-account');
      assert.match(callback.body, new RegExp(`There is no OneBudget staff account for ${email} at alpha Council`));
      assert.equal(cookies.onebudget_session, undefined);
      const created = await database.db.selectFrom('accounts').select('id').where('email', '=', email).execute();
      assert.deepEqual(created, []);
    });

    it('refuses a member of staff of another council', async () => {
      const { callback } = await ssoSignIn(user('beta-worker', { email: `worker-${engine}@beta.test`, amr: ['mfa'] }));
      assert.equal(callback.statusCode, 403);
      assert.equal(reasonOf(callback), 'unknown-account');
      assert.doesNotMatch(callback.body, /beta Council/, 'the other council is not named');
      const row = await database.db.selectFrom('accounts').select('oidc_subject').where('id', '=', beta.accountId).executeTakeFirstOrThrow();
      assert.equal(row.oidc_subject, null);
    });

    it('refuses a family account', async () => {
      const id = crypto.randomUUID();
      const email = `parent-${engine}@alpha.test`;
      await database.db
        .insertInto('accounts')
        .values({ id, council_id: alpha.councilId, kind: 'family', email, display_name: 'A parent', role: null, job_title: null, team: null, approval_limit_pence: null, password_hash: passwordHash })
        .execute();
      const { callback } = await ssoSignIn(user('parent', { email, amr: ['mfa'] }));
      assert.equal(callback.statusCode, 403);
      assert.equal(reasonOf(callback), 'not-staff');
      assert.match(callback.body, /only for council staff/);
    });

    it('refuses a disabled account', async () => {
      const { email, accountId } = await newStaff();
      await database.db.updateTable('accounts').set({ disabled_at: new Date('2026-11-01T00:00:00Z') }).where('id', '=', accountId).execute();
      const { callback, cookies } = await ssoSignIn(user('disabled-one', { email, amr: ['mfa'] }));
      assert.equal(callback.statusCode, 403);
      assert.equal(reasonOf(callback), 'disabled');
      assert.equal(cookies.onebudget_session, undefined);
    });

    it('refuses an email the provider says it has not verified', async () => {
      const { email } = await newStaff();
      const { callback } = await ssoSignIn(user('unverified', { email, email_verified: false, amr: ['mfa'] }));
      assert.equal(callback.statusCode, 403);
      assert.equal(reasonOf(callback), 'unverified-email');
    });

    it('asks for the OneBudget authenticator code when the provider did not prove a second factor', async () => {
      const { email, accountId } = await newStaff();
      const { callback, cookies } = await ssoSignIn(user('password-only', { email, amr: ['pwd'] }));
      assert.equal(callback.statusCode, 303, reasonOf(callback));
      assert.equal(callback.headers.location, '/sign-in/authenticator-code');
      assert.equal(cookies.onebudget_session, undefined, 'no session yet');
      assert.ok(cookies.onebudget_sign_in, 'a pending sign-in');
      const codePage = await app.inject({ url: '/sign-in/authenticator-code', headers: { cookie: cookieHeader(cookies) } });
      assert.equal(codePage.statusCode, 200);
      const withCsrf = withResponseCookies(cookies, codePage);
      const done = await postForm(app, '/sign-in/authenticator-code', withCsrf, { code: nextCode(app, email), _csrf: csrfFrom(codePage.body) });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/people');
      const signedIn = withResponseCookies(withCsrf, done);
      assert.equal((await app.inject({ url: '/people', headers: { cookie: cookieHeader(signedIn) } })).statusCode, 200);
      const actions = (await signedInEvents(accountId)).map((e) => e.action);
      assert.deepEqual(actions, ['account.oidc_linked', 'account.oidc_verified', 'account.signed_in']);
    });

    it('asks a member of staff without an authenticator app to set one up when the provider did not prove a second factor', async () => {
      const { email } = await newStaff({ mfaSecret: null });
      const { callback } = await ssoSignIn(user('no-app-yet', { email }));
      assert.equal(callback.statusCode, 303);
      assert.equal(callback.headers.location, '/sign-in/set-up-authenticator');
    });

    it('refuses a forged or missing state, a missing transaction cookie and a replayed answer', async () => {
      const { email } = await newStaff();
      const forged = await ssoSignIn(user('state-test', { email, amr: ['mfa'] }), { tamper: (answer) => answer.searchParams.set('state', 'forged-state') });
      assert.equal(forged.callback.statusCode, 400);
      assert.equal(reasonOf(forged.callback), 'state');
      assert.match(forged.callback.body, new RegExp(PROBLEM_TITLE));
      assert.equal(forged.cookies.onebudget_session, undefined);

      const stateless = await ssoSignIn(user('state-test', { email, amr: ['mfa'] }), { tamper: (answer) => answer.searchParams.delete('state') });
      assert.equal(stateless.callback.statusCode, 400);
      assert.equal(reasonOf(stateless.callback), 'state');

      // Another browser (no transaction cookie) bringing back a genuine answer.
      const address = newAddress();
      provider.user = user('state-test', { email, amr: ['mfa'] });
      const start = await app.inject({ url: '/sign-in/oidc', remoteAddress: address });
      const answer = await fetch(String(start.headers.location), { redirect: 'manual' });
      const back = new URL(answer.headers.get('location') ?? '');
      const elsewhere = await app.inject({ url: `${back.pathname}${back.search}`, remoteAddress: address });
      assert.equal(elsewhere.statusCode, 400);
      assert.equal(reasonOf(elsewhere), 'expired');

      // The genuine browser, then the same answer again: the transaction cookie is gone after one use.
      const genuine = withResponseCookies({}, start);
      const first = await app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie: cookieHeader(genuine) }, remoteAddress: address });
      assert.equal(first.statusCode, 303);
      const replay = await app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie: cookieHeader(withResponseCookies(genuine, first)) }, remoteAddress: address });
      assert.equal(replay.statusCode, 400);
      assert.equal(reasonOf(replay), 'expired');
    });

    it('says so when the provider does not sign the person in', async () => {
      provider.error = 'access_denied';
      try {
        const { callback } = await ssoSignIn(user('whoever', { email: 'whoever@alpha.test' }));
        assert.equal(callback.statusCode, 403);
        assert.equal(reasonOf(callback), 'cancelled');
        assert.doesNotMatch(callback.body, /Error:|at .*\.ts:\d+/, 'no stack trace');
      } finally {
        provider.error = undefined;
      }
    });

    it('trusts the provider alone when OIDC_REQUIRE_MFA is off, matching on another claim', async () => {
      const { email, accountId } = await newStaff();
      const relaxed = await testApp(database, { env: oidcEnv({ OIDC_REQUIRE_MFA: 'false', OIDC_EMAIL_CLAIM: 'preferred_username', OIDC_DISPLAY_NAME: 'Sign in with Alpha Council' }) });
      try {
        assert.match((await relaxed.inject({ url: '/sign-in' })).body, /Sign in with Alpha Council/);
        // The email claim is ignored: only preferred_username counts.
        const wrongClaim = await ssoSignIn(user('upn-user', { email, amr: ['pwd'] }), { target: relaxed });
        assert.equal(wrongClaim.callback.statusCode, 403);
        assert.equal(reasonOf(wrongClaim.callback), 'no-email');
        const { callback } = await ssoSignIn(user('upn-user', { preferred_username: email, amr: ['pwd'] }), { target: relaxed });
        assert.equal(callback.statusCode, 303);
        assert.equal(callback.headers.location, '/people');
        const last = (await signedInEvents(accountId)).at(-1);
        assert.deepEqual(last?.detail, { method: 'oidc', issuer: provider.issuer, providerMfa: false });
      } finally {
        await relaxed.close();
      }
    });

    it('throttles an address after 10 failed answers within 5 minutes', async () => {
      const { email } = await newStaff();
      const address = newAddress();
      for (let attempt = 1; attempt <= 10; attempt++) {
        const { callback } = await ssoSignIn(user('throttle', { email, amr: ['mfa'] }), { address, tamper: (answer) => answer.searchParams.set('state', `forged-${attempt}`) });
        assert.equal(callback.statusCode, 400, `attempt ${attempt}`);
      }
      const eleventh = await ssoSignIn(user('throttle', { email, amr: ['mfa'] }), { address });
      assert.equal(eleventh.callback.statusCode, 429);
      assert.equal(reasonOf(eleventh.callback), 'throttled');
      // Another address is not affected.
      assert.equal((await ssoSignIn(user('throttle', { email, amr: ['mfa'] }))).callback.statusCode, 303);
    });

    it('renders valid HTML on every single sign-on page', async () => {
      const pages = renderedPages.filter((p) => p.url.includes('/sign-in'));
      assert.ok(pages.some((p) => p.url.includes('/sign-in/oidc/callback')));
      for (const page of pages) {
        const errors = await htmlErrors(page.html, page.url);
        assert.deepEqual(errors, [], page.url);
      }
    });
  });
}
