/**
 * Staff sign-in security through HTTP (Fastify inject), on both engines: throttling of failed
 * attempts, the authenticator code that every member of staff must give after the password, setting
 * up an authenticator app with recovery codes, and demo mode.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, FIXTURE_PASSWORD, FIXTURE_TOTP_SECRET, TEST_SESSION_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import {
  clearedCookies,
  cookieHeader,
  cookiesFrom,
  csrfFrom,
  fixturePasswordHash,
  postForm,
  renderedPages,
  testApp,
  withResponseCookies,
} from '../support/app.ts';
import { htmlErrors } from '../support/html.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { totpCode, totpStep } from '../../src/domain/identity/totp.ts';
import { DEMO_TOTP_SECRET } from '../../src/demo/accounts.ts';
import type { Clock } from '../../src/clock.ts';

const THROTTLED = 'Too many attempts to sign in. Wait 5 minutes, then try again';

/** The page with everything that differs between two renders of it taken out (tokens, nonces, ids). */
function comparable(html: string): string {
  return html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/value="[^"]*@[^"]*"/g, 'value="(email)"');
}

for (const engine of await testEngines()) {
  describe(`staff sign-in security (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let council: CouncilFixture;
    let passwordHash: string;
    let now = new Date('2026-11-20T10:00:00Z');
    const clock: Clock = { now: () => new Date(now), today: () => now.toISOString().slice(0, 10) };
    const wait = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
    let accounts = 0;
    /** A new account in the fixture council, so that no test's attempts count against another's. */
    const newAccount = async (options: { mfaSecret?: string | null } = {}) => {
      accounts += 1;
      const email = `staff${accounts}-${engine}@alpha.test`;
      const accountId = await addStaff(database, council.councilId, { email, passwordHash, ...options });
      return { email, accountId };
    };
    let addresses = 0;
    /** A new source address (TEST-NET-3), for the same reason. */
    const newAddress = () => `203.0.113.${(addresses += 1)}`;

    /** A browser: a cookie jar and a source address. */
    const browser = (address: string) => {
      let cookies: Record<string, string> = {};
      return {
        get cookies() {
          return cookies;
        },
        async get(url: string) {
          const response = await app.inject({ url, headers: { cookie: cookieHeader(cookies) }, remoteAddress: address });
          cookies = withResponseCookies(cookies, response);
          return response;
        },
        /** Posts the form on the page at `from` (for its CSRF token) to `to`. */
        async submit(from: string, to: string, fields: Record<string, string>) {
          const page = await this.get(from);
          const response = await postForm(app, to, cookies, { ...fields, _csrf: csrfFrom(page.body) }, address);
          cookies = withResponseCookies(cookies, response);
          return response;
        },
        signInWith(email: string, password: string) {
          return this.submit('/sign-in', '/sign-in', { email, password });
        },
        enterCode(code: string) {
          return this.submit('/sign-in/authenticator-code', '/sign-in/authenticator-code', { code });
        },
      };
    };

    const codeNow = (secret = FIXTURE_TOTP_SECRET, offset = 0) => totpCode(secret, totpStep(now) + offset);
    const errorOf = (response: LightMyRequestResponse) => /<p id="[a-z-]+-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span>([^<]*)<\/p>/.exec(response.body)?.[1]?.trim();

    before(async () => {
      database = await createTestDatabase(engine);
      passwordHash = await fixturePasswordHash();
      council = await addCouncil(database, 'alpha', { passwordHash, email: `worker-${engine}@alpha.test` });
      app = await testApp(database, { clock });
      await app.ready();
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    describe('throttling', () => {
      it('the 11th wrong password within 5 minutes is refused', async () => {
        const { email } = await newAccount();
        const someone = browser(newAddress());
        for (let attempt = 1; attempt <= 10; attempt++) {
          const response = await someone.signInWith(email, `wrong password ${attempt}`);
          assert.equal(response.statusCode, 400, `attempt ${attempt}`);
          assert.equal(errorOf(response), 'Enter a correct email address and password');
          wait(20);
        }
        // The 11th, 3 min 20 s after the first: refused without the password being checked, so
        // even the right one does not get through.
        const eleventh = await someone.signInWith(email, FIXTURE_PASSWORD);
        assert.equal(eleventh.statusCode, 429);
        assert.equal(errorOf(eleventh), THROTTLED);
        assert.match(eleventh.body, /<h2 class="govuk-error-summary__title">\s*There is a problem\s*<\/h2>/);
        assert.match(eleventh.body, new RegExp(`<a href="#email">${THROTTLED}</a>`));
        assert.equal(cookiesFrom(eleventh).onebudget_sign_in, undefined, 'no pending sign-in');
        // From another address the account is just as closed.
        const elsewhere = await browser(newAddress()).signInWith(email, FIXTURE_PASSWORD);
        assert.equal(elsewhere.statusCode, 429);
      });

      it('after 5 minutes the account can try again', async () => {
        const { email } = await newAccount();
        const someone = browser(newAddress());
        for (let attempt = 1; attempt <= 10; attempt++) await someone.signInWith(email, 'not my password');
        assert.equal((await someone.signInWith(email, FIXTURE_PASSWORD)).statusCode, 429);
        wait(4 * 60 + 59);
        assert.equal((await someone.signInWith(email, FIXTURE_PASSWORD)).statusCode, 429, 'still within the 5 minutes');
        wait(2);
        const again = await someone.signInWith(email, FIXTURE_PASSWORD);
        assert.equal(again.statusCode, 303);
        assert.equal(again.headers.location, '/sign-in/authenticator-code');
        const signedIn = await someone.enterCode(codeNow());
        assert.equal(signedIn.statusCode, 303);
        assert.equal((await someone.get('/people')).statusCode, 200);
      });

      it('unknown and known emails get the same answer', async () => {
        const { email: known } = await newAccount();
        const unknown = `nobody-${engine}@alpha.test`;
        const knownBrowser = browser(newAddress());
        const unknownBrowser = browser(newAddress());
        const wrong = [await knownBrowser.signInWith(known, 'a wrong password'), await unknownBrowser.signInWith(unknown, 'a wrong password')];
        assert.deepEqual(wrong.map((r) => r.statusCode), [400, 400]);
        assert.equal(comparable(wrong[0]?.body ?? ''), comparable(wrong[1]?.body ?? ''));
        // The right password of a known account means nothing for an unknown email.
        const rightPassword = await unknownBrowser.signInWith(unknown, FIXTURE_PASSWORD);
        assert.equal(rightPassword.statusCode, 400);
        assert.equal(comparable(rightPassword.body), comparable(wrong[0]?.body ?? ''));
        // Both are throttled alike, after the same number of attempts.
        for (let attempt = 2; attempt <= 10; attempt++) {
          await knownBrowser.signInWith(known, 'a wrong password');
          if (attempt < 10) await unknownBrowser.signInWith(unknown, 'a wrong password');
        }
        const throttled = [await knownBrowser.signInWith(known, 'a wrong password'), await unknownBrowser.signInWith(unknown, 'a wrong password')];
        assert.deepEqual(throttled.map((r) => r.statusCode), [429, 429]);
        assert.equal(comparable(throttled[0]?.body ?? ''), comparable(throttled[1]?.body ?? ''));
        // The unknown email was counted under its normalised form, whatever its case.
        assert.equal((await unknownBrowser.signInWith(` ${unknown.toUpperCase()} `, 'a wrong password')).statusCode, 429);
      });

      it('attempts from one address against many accounts are throttled', async () => {
        const address = newAddress();
        const attacker = browser(address);
        for (let attempt = 1; attempt <= 10; attempt++) {
          const { email } = await newAccount();
          assert.equal((await attacker.signInWith(email, 'Password1234')).statusCode, 400);
        }
        const { email: fresh } = await newAccount();
        const refused = await attacker.signInWith(fresh, FIXTURE_PASSWORD);
        assert.equal(refused.statusCode, 429, 'the address is throttled, even for an account it never tried');
        assert.equal(errorOf(refused), THROTTLED);
        const fromElsewhere = await browser(newAddress()).signInWith(fresh, FIXTURE_PASSWORD);
        assert.equal(fromElsewhere.statusCode, 303, 'the account itself is not');
      });

      it('attempts sent all at once cannot slip past the limit', async () => {
        const { email } = await newAccount();
        const address = newAddress();
        const form = await app.inject({ url: '/sign-in', remoteAddress: address });
        const cookies = cookiesFrom(form);
        const csrf = csrfFrom(form.body);
        const responses = await Promise.all(
          Array.from({ length: 16 }, (_, i) => postForm(app, '/sign-in', cookies, { email, password: `guess number ${i}`, _csrf: csrf }, address)),
        );
        const statuses = responses.map((r) => r.statusCode).sort();
        assert.deepEqual(statuses, [...Array<number>(10).fill(400), ...Array<number>(6).fill(429)]);
      });

      it('wrong authenticator codes count toward the same throttle', async () => {
        const { email } = await newAccount();
        const someone = browser(newAddress());
        assert.equal((await someone.signInWith(email, FIXTURE_PASSWORD)).statusCode, 303);
        const wrongCode = codeNow(FIXTURE_TOTP_SECRET, 5);
        for (let attempt = 1; attempt <= 10; attempt++) {
          const response = await someone.enterCode(wrongCode);
          assert.equal(response.statusCode, 400, `attempt ${attempt}`);
          assert.equal(errorOf(response), 'The code is not correct. Enter the code your authenticator app shows now');
        }
        const right = await someone.enterCode(codeNow());
        assert.equal(right.statusCode, 429);
        assert.equal(errorOf(right), THROTTLED);
        assert.equal(someone.cookies.onebudget_session, undefined);
        assert.equal((await browser(newAddress()).signInWith(email, FIXTURE_PASSWORD)).statusCode, 429, 'and the password step too');
      });

      it('keeps no personal data beyond the normalised email and address, and forgets attempts after a day', async () => {
        const columns = await sql<{ column_name: string }>`
          SELECT column_name FROM information_schema.columns WHERE table_name = 'sign_in_attempts' ORDER BY ordinal_position`.execute(database.db);
        assert.deepEqual(columns.rows.map((r) => r.column_name), ['id', 'email_key', 'source_address', 'attempted_at', 'succeeded']);
        const before = await database.db.selectFrom('sign_in_attempts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
        assert.ok(Number(before.n) > 30);
        wait(24 * 60 * 60 + 1);
        await browser(newAddress()).signInWith(`someone-${engine}@alpha.test`, 'whatever it is');
        const rows = await database.db.selectFrom('sign_in_attempts').select(['email_key', 'attempted_at']).execute();
        assert.equal(rows.length, 1, 'only the attempt just made is left');
        assert.equal(rows[0]?.email_key, `someone-${engine}@alpha.test`);
      });
    });

    describe('the authenticator code', () => {
      it('a correct password alone gives no session: the authenticator code is asked for next', async () => {
        const { email } = await newAccount();
        const someone = browser(newAddress());
        const response = await someone.signInWith(email, FIXTURE_PASSWORD);
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, '/sign-in/authenticator-code');
        assert.ok(someone.cookies.onebudget_sign_in, 'a pending sign-in cookie');
        assert.equal(someone.cookies.onebudget_session, undefined, 'no session cookie');
        assert.equal((await someone.get('/people')).statusCode, 303, 'not signed in');
        const page = await someone.get('/sign-in/authenticator-code');
        assert.equal(page.statusCode, 200);
        assert.equal(page.headers['cache-control'], 'no-store');
        assert.match(page.body, /<label class="govuk-label govuk-label--l" for="code">\s*Enter the code from your authenticator app\s*<\/label>/);
        assert.match(page.body, /autocomplete="one-time-code"/);
        assert.match(page.body, /<a class="govuk-link" href="\/sign-in\/recovery-code">Use a recovery code instead<\/a>/);
        assert.doesNotMatch(page.body, /Demo mode/, 'a secret that is not the demo secret is never shown');
      });

      it('a member of staff signs in with their authenticator code, and gets a new session id', async () => {
        const { email, accountId } = await newAccount();
        const someone = browser(newAddress());
        await someone.signInWith(email, FIXTURE_PASSWORD);
        const pending = someone.cookies.onebudget_sign_in;
        const done = await someone.enterCode(codeNow());
        assert.equal(done.statusCode, 303);
        assert.equal(done.headers.location, '/people');
        assert.ok(clearedCookies(done).includes('onebudget_sign_in'), 'the pending sign-in cookie is cleared');
        const session = someone.cookies.onebudget_session;
        assert.ok(session && session !== pending, 'a new session token');
        assert.equal((await someone.get('/people')).statusCode, 200);
        const events = await database.db
          .selectFrom('audit_events')
          .select(['action', 'detail', 'source_address'])
          .where('subject_id', '=', accountId)
          .execute();
        assert.deepEqual(events.map((e) => e.action), ['account.signed_in']);
        assert.deepEqual(events[0]?.detail, { secondFactor: 'authenticator' });
        const pendingLeft = await database.db.selectFrom('pending_sign_ins').select('id_hash').where('account_id', '=', accountId).execute();
        assert.deepEqual(pendingLeft, [], 'the pending sign-in is gone');
        // Signing in again in the same browser ends the session it had.
        await someone.signInWith(email, FIXTURE_PASSWORD);
        const oldSession = { onebudget_session: session };
        await someone.enterCode(codeNow(FIXTURE_TOTP_SECRET, 1));
        assert.notEqual(someone.cookies.onebudget_session, session);
        assert.equal((await app.inject({ url: '/people', headers: { cookie: cookieHeader(oldSession) } })).statusCode, 303, 'the old session ended');
      });

      it('a pending sign-in completes once, even when the code is sent twice at the same moment', async () => {
        const { email, accountId } = await newAccount();
        const address = newAddress();
        const someone = browser(address);
        await someone.signInWith(email, FIXTURE_PASSWORD);
        const page = await someone.get('/sign-in/authenticator-code');
        const csrf = csrfFrom(page.body);
        const [first, second] = await Promise.all(
          [codeNow(), codeNow(FIXTURE_TOTP_SECRET, 1)].map((code) => postForm(app, '/sign-in/authenticator-code', someone.cookies, { code, _csrf: csrf }, address)),
        );
        const locations = [first?.headers.location, second?.headers.location].sort();
        assert.deepEqual(locations, ['/people', '/sign-in?timedOut=yes']);
        const sessions = await database.db.selectFrom('sessions').select('id_hash').where('account_id', '=', accountId).execute();
        assert.equal(sessions.length, 1, 'one session, not two');
      });

      it('an authenticator code works once', async () => {
        const { email } = await newAccount();
        const first = browser(newAddress());
        await first.signInWith(email, FIXTURE_PASSWORD);
        const code = codeNow();
        assert.equal((await first.enterCode(code)).statusCode, 303);
        const second = browser(newAddress());
        await second.signInWith(email, FIXTURE_PASSWORD);
        const again = await second.enterCode(code);
        assert.equal(again.statusCode, 400);
        assert.equal(errorOf(again), 'That code has already been used. Wait for your authenticator app to show a new code, then enter it');
        // An earlier code is refused too; the next one works.
        assert.equal((await second.enterCode(codeNow(FIXTURE_TOTP_SECRET, -1))).statusCode, 400);
        assert.equal((await second.enterCode(codeNow(FIXTURE_TOTP_SECRET, 1))).statusCode, 303);
      });

      it('explains a code in the wrong form, and asks for a missing one', async () => {
        const { email } = await newAccount();
        const someone = browser(newAddress());
        await someone.signInWith(email, FIXTURE_PASSWORD);
        assert.equal(errorOf(await someone.enterCode('')), 'Enter the code from your authenticator app');
        assert.equal(errorOf(await someone.enterCode('12345')), 'The code must be 6 digits');
        assert.equal((await someone.enterCode(` ${codeNow().slice(0, 3)} ${codeNow().slice(3)} `)).statusCode, 303, 'spaces are fine');
      });

      it('gives 5 minutes for the code, then asks for the password again', async () => {
        const { email } = await newAccount();
        const someone = browser(newAddress());
        await someone.signInWith(email, FIXTURE_PASSWORD);
        wait(5 * 60 + 1);
        const late = await someone.submit('/sign-in', '/sign-in/authenticator-code', { code: codeNow() });
        assert.equal(late.statusCode, 303);
        assert.equal(late.headers.location, '/sign-in?timedOut=yes');
        assert.equal(someone.cookies.onebudget_sign_in, undefined);
        const page = await someone.get('/sign-in?timedOut=yes');
        assert.match(page.body, /Your sign-in timed out\. You have 5 minutes to enter the code from your authenticator app\. Sign in again\./);
        assert.equal((await someone.get('/sign-in/authenticator-code')).headers.location, '/sign-in', 'no pending sign-in at all: just the sign-in page');
      });

      it('refuses a forged or unsigned pending sign-in cookie', async () => {
        const response = await app.inject({ url: '/sign-in/authenticator-code', headers: { cookie: 'onebudget_sign_in=made-up-token' } });
        assert.equal(response.statusCode, 303);
        assert.match(String(response.headers.location), /^\/sign-in/);
      });
    });

    describe('setting up an authenticator app', () => {
      it('a new member of staff sets up an app, sees 10 recovery codes once, and each recovery code works once', async () => {
        const { email, accountId } = await newAccount({ mfaSecret: null });
        const someone = browser(newAddress());
        const start = await someone.signInWith(email, FIXTURE_PASSWORD);
        assert.equal(start.headers.location, '/sign-in/set-up-authenticator');
        assert.equal((await someone.get('/sign-in/authenticator-code')).headers.location, '/sign-in/set-up-authenticator');

        const page = await someone.get('/sign-in/set-up-authenticator');
        assert.equal(page.statusCode, 200);
        assert.equal(page.headers['cache-control'], 'no-store');
        assert.match(page.body, /<img class="app-qr-code" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" width="228" height="228" alt="QR code for adding your OneBudget account to an authenticator app">/);
        const key = /<p class="govuk-body app-secret" id="setup-key">([A-Z2-7 ]+)<\/p>/.exec(page.body)?.[1];
        assert.ok(key, 'the key, for typing');
        assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'grouped in fours');
        const secret = key.replaceAll(' ', '');
        const qr = Buffer.from(/src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page.body)?.[1] ?? '', 'base64').toString('utf8');
        assert.match(qr, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.match(page.body, /Enter the 6-digit code from your authenticator app/);
        // Reloading shows the same key: it is kept with the pending sign-in, not made anew.
        assert.match((await someone.get('/sign-in/set-up-authenticator')).body, new RegExp(key));

        assert.equal(errorOf(await someone.submit('/sign-in/set-up-authenticator', '/sign-in/set-up-authenticator', { code: codeNow(secret, 3) })),
          'The code is not correct. Enter the code your authenticator app shows now');
        const done = await someone.submit('/sign-in/set-up-authenticator', '/sign-in/set-up-authenticator', { code: codeNow(secret) });
        assert.equal(done.statusCode, 200);
        assert.equal(done.headers['cache-control'], 'no-store');
        assert.ok(clearedCookies(done).includes('onebudget_sign_in'));
        assert.ok(someone.cookies.onebudget_session, 'signed in');
        assert.match(done.body, /<h1 class="govuk-heading-l">Save your recovery codes<\/h1>/);
        assert.match(done.body, /You will not see these codes again/);
        const codes = [...done.body.matchAll(/<li><span class="app-secret">([a-z0-9-]+)<\/span><\/li>/g)].map((m) => m[1] ?? '');
        assert.equal(codes.length, 10);
        assert.match(done.body, /<a href="\/people" class="govuk-button" draggable="false">I have saved my recovery codes<\/a>/);

        // What is stored: the secret encrypted, the recovery codes hashed.
        const mfa = await database.db.selectFrom('account_mfa').selectAll().where('account_id', '=', accountId).executeTakeFirstOrThrow();
        assert.doesNotMatch(mfa.totp_secret, new RegExp(secret));
        assert.match(mfa.totp_secret, /^v1\./);
        const stored = await database.db.selectFrom('mfa_recovery_codes').select('code_hash').where('account_id', '=', accountId).execute();
        assert.equal(stored.length, 10);
        for (const code of codes) assert.ok(stored.every((s) => !s.code_hash.includes(code.replaceAll('-', ''))));
        const events = await database.db.selectFrom('audit_events').select('action').where('subject_id', '=', accountId).orderBy('id').execute();
        assert.deepEqual(events.map((e) => e.action), ['account.mfa_enrolled', 'account.signed_in']);

        // Next time: the code from the app, or a recovery code, once.
        wait(60);
        const later = browser(newAddress());
        assert.equal((await later.signInWith(email, FIXTURE_PASSWORD)).headers.location, '/sign-in/authenticator-code');
        const recoveryPage = await later.get('/sign-in/recovery-code');
        assert.match(recoveryPage.body, /Enter a recovery code/);
        const used = await later.submit('/sign-in/recovery-code', '/sign-in/recovery-code', { code: (codes[0] ?? '').toUpperCase() });
        assert.equal(used.statusCode, 303);
        assert.equal(used.headers.location, '/people');
        const detail = await database.db
          .selectFrom('audit_events')
          .select('detail')
          .where('subject_id', '=', accountId)
          .where('action', '=', 'account.signed_in')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        assert.deepEqual(detail.detail, { secondFactor: 'recovery_code', recoveryCodesLeft: 9 });

        const reuse = browser(newAddress());
        await reuse.signInWith(email, FIXTURE_PASSWORD);
        const refused = await reuse.submit('/sign-in/recovery-code', '/sign-in/recovery-code', { code: codes[0] ?? '' });
        assert.equal(refused.statusCode, 400);
        assert.equal(errorOf(refused), 'That recovery code is not correct, or it has already been used');
        assert.equal(errorOf(await reuse.submit('/sign-in/recovery-code', '/sign-in/recovery-code', { code: 'abcd' })),
          'Enter the recovery code as it was given to you: 16 letters and numbers, like abcd-efgh-jkmn-pqrs');
        assert.equal((await reuse.submit('/sign-in/recovery-code', '/sign-in/recovery-code', { code: codes[1] ?? '' })).statusCode, 303);
      });
    });

    describe('demo mode', () => {
      it('shows the current code, with a banner, only for an account on the published demo secret', async () => {
        const { email } = await newAccount({ mfaSecret: DEMO_TOTP_SECRET });
        const someone = browser(newAddress());
        await someone.signInWith(email, FIXTURE_PASSWORD);
        const page = await someone.get('/sign-in/authenticator-code');
        assert.match(page.body, /<section class="govuk-notification-banner" aria-labelledby="demo-mode-title">/);
        assert.match(page.body, /<h2 class="govuk-notification-banner__title" id="demo-mode-title">Demo mode<\/h2>/);
        assert.match(page.body, /Demo mode: the code for every demo account comes from the published demo secret/);
        const shown = /data-demo-code="(\d{6})"/.exec(page.body)?.[1];
        assert.equal(shown, codeNow(DEMO_TOTP_SECRET));
        assert.match(page.body, /A real OneBudget service never shows your code/);
        assert.equal((await someone.enterCode(shown ?? '')).statusCode, 303);
        // Signed in again within the same 30 seconds, the page offers the next code, not the used one.
        const again = browser(newAddress());
        await again.signInWith(email, FIXTURE_PASSWORD);
        const next = /data-demo-code="(\d{6})"/.exec((await again.get('/sign-in/authenticator-code')).body)?.[1];
        assert.equal(next, codeNow(DEMO_TOTP_SECRET, 1));
        assert.equal((await again.enterCode(next ?? '')).statusCode, 303);
      });

      it('never shows a code in production, even with DEMO_DATA=true', async () => {
        const production = await testApp(database, {
          clock,
          env: { NODE_ENV: 'production', LOG_LEVEL: 'silent', SESSION_SECRET: TEST_SESSION_SECRET, DATABASE_URL: 'postgres://unused@127.0.0.1/unused', DEMO_DATA: 'true' },
        });
        try {
          const { email } = await newAccount({ mfaSecret: DEMO_TOTP_SECRET });
          const form = await production.inject('/sign-in');
          let cookies = cookiesFrom(form);
          const start = await postForm(production, '/sign-in', cookies, { email, password: FIXTURE_PASSWORD, _csrf: csrfFrom(form.body) }, newAddress());
          assert.equal(start.statusCode, 303);
          cookies = withResponseCookies(cookies, start);
          assert.ok(cookies['__Host-onebudget_sign_in'], 'the pending cookie is a __Host- cookie in production');
          const page = await production.inject({ url: '/sign-in/authenticator-code', headers: { cookie: cookieHeader(cookies) } });
          assert.equal(page.statusCode, 200);
          assert.doesNotMatch(page.body, /Demo mode|data-demo-code/);
          assert.ok(!page.body.includes(codeNow(DEMO_TOTP_SECRET)));
          const pending = start.cookies.find((c) => c.name === '__Host-onebudget_sign_in');
          assert.equal(pending?.secure, true);
          assert.equal(pending?.httpOnly, true);
          assert.equal(pending?.path, '/');
        } finally {
          await production.close();
        }
      });
    });

    describe('where the data lives', () => {
      it('keeps sign-in attempts out of reach of every council’s scope', async () => {
        const withCouncil = tenantRunner(database);
        await assert.rejects(
          withCouncil(council.councilId, (tx) => sql`SELECT count(*) FROM sign_in_attempts`.execute(tx)),
          /permission denied/,
        );
      });

      it('protects every table that has a council_id with row-level security', async () => {
        const tables = await sql<{ table_name: string; rls: boolean }>`
          SELECT c.table_name, cl.relrowsecurity AS rls
          FROM information_schema.columns c
          JOIN pg_class cl ON cl.relname = c.table_name AND cl.relkind = 'r'
          WHERE c.column_name = 'council_id' AND c.table_schema = 'public'`.execute(database.db);
        const names = tables.rows.map((t) => t.table_name);
        for (const table of ['account_mfa', 'mfa_recovery_codes', 'pending_sign_ins']) assert.ok(names.includes(table), table);
        assert.deepEqual(tables.rows.filter((t) => !t.rls).map((t) => t.table_name), []);
      });
    });

    it('renders only valid HTML on every sign-in page these tests rendered', async () => {
      const pages = renderedPages.filter((p) => p.url.includes('/sign-in'));
      assert.ok(pages.length >= 20, `expected many sign-in pages, got ${pages.length}`);
      const problems: string[] = [];
      for (const page of pages) {
        const errors = await htmlErrors(page.html, page.url);
        if (errors.length > 0) problems.push(`${page.url}\n${errors.join('\n')}`);
      }
      assert.deepEqual(problems, []);
    });
  });
}
