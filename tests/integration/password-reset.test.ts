/**
 * Forgotten and changed passwords, through HTTP (Fastify inject), on both engines: the same answer
 * for every email, the link in the email, single use and expiry, throttling, every session ending,
 * the old password no longer working, staff still needing their authenticator app, CSRF, the audit
 * trail, and valid HTML on every page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, FIXTURE_PASSWORD, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, postForm, renderedPages, signIn, testApp, withResponseCookies } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { memoryMailer, type MailMessage } from '../../src/services/mail/mailer.ts';
import { londonDate, type Clock } from '../../src/clock.ts';

const BASE_URL = 'https://onebudget.test';
const NEW_PASSWORD = 'pelican umbrella saxophone';
const SAME_ANSWER = 'If an account uses that email, we have sent a link. It works for 1 hour.';

/** The page with everything that differs between two renders of it taken out (tokens, nonces, the email typed). */
function comparable(html: string): string {
  return html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/[\w.+-]+@[\w.-]+\.test/g, '(email)');
}

for (const engine of await testEngines()) {
  describe(`password reset and change (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let council: CouncilFixture;
    let passwordHash: string;
    const mail = memoryMailer();
    let now = new Date('2026-11-20T10:00:00Z');
    const clock: Clock = { now: () => new Date(now), today: () => londonDate(now) };
    const pagesBefore = renderedPages.length;
    let addresses = 0;
    const newAddress = () => `192.0.2.${(addresses += 1)}`;
    let accounts = 0;

    const browser = (cookies: Record<string, string> = {}) => {
      const address = newAddress();
      return {
        get cookies() {
          return cookies;
        },
        async get(url: string) {
          const response = await app.inject({ url, headers: { cookie: cookieHeader(cookies) }, remoteAddress: address });
          cookies = withResponseCookies(cookies, response);
          return response;
        },
        async submit(from: string, fields: Record<string, string>, to = from) {
          const page = await this.get(from);
          const response = await postForm(app, to, cookies, { ...fields, _csrf: csrfFrom(page.body) }, address);
          cookies = withResponseCookies(cookies, response);
          return response;
        },
      };
    };

    const mailTo = (email: string): MailMessage[] => mail.sent.filter((m) => m.to === email);
    const linkIn = (message: MailMessage | undefined): string => {
      const match = new RegExp(`${BASE_URL}(/password-reset/[A-Za-z0-9_-]{43})(\\s|$)`).exec(message?.body ?? '');
      assert.ok(match?.[1], `the email holds a reset link:\n${message?.body}`);
      return match[1];
    };
    const errorOf = (response: LightMyRequestResponse, field: string) =>
      new RegExp(`<p id="${field}-error" class="govuk-error-message">\\s*<span class="govuk-visually-hidden">Error:</span>([^<]*)</p>`).exec(response.body)?.[1]?.trim();
    const events = (action: string, subjectId: string) =>
      database.db.selectFrom('audit_events').select(['actor_id', 'actor_role', 'detail']).where('action', '=', action).where('subject_id', '=', subjectId).orderBy('seq').execute();
    const sessionsOf = async (accountId: string) =>
      Number((await database.db.selectFrom('sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).n);

    /** A new staff member (with an authenticator app) or family member, so that no test's throttle counts against another's. */
    const newStaff = async () => {
      const email = `staff${(accounts += 1)}@xi.test`;
      return { email, accountId: await addStaff(database, council.councilId, { email, passwordHash }) };
    };
    const newFamily = async () => {
      const email = `family${(accounts += 1)}@xi.test`;
      return { email, accountId: await addFamilyAccount(database, council.councilId, { email, passwordHash, links: [{ personId: council.personId, relationship: 'parent_carer' }] }) };
    };
    const requestLink = (email: string) => browser().submit('/password-reset', { email });

    before(async () => {
      database = await createTestDatabase(engine);
      passwordHash = await fixturePasswordHash();
      council = await addCouncil(database, 'xi', { passwordHash, email: 'worker@xi.test' });
      app = await testApp(database, { clock, mailer: mail, env: { PUBLIC_BASE_URL: BASE_URL } });
      await app.ready();
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('the sign-in page links to "Forgotten your password?"', async () => {
      const page = await browser().get('/sign-in');
      assert.match(page.body, /<a class="govuk-link" href="\/password-reset">Forgotten your password\?<\/a>/);
      const form = await browser().get('/password-reset');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Reset your password/);
    });

    it('a known and an unknown email get the same answer; only the known one gets an email, with the link', async () => {
      const { email, accountId } = await newFamily();
      const known = await requestLink(email);
      const unknown = await requestLink('nobody@xi.test');
      assert.equal(known.statusCode, 200);
      assert.equal(unknown.statusCode, 200);
      assert.ok(known.body.includes(SAME_ANSWER));
      assert.equal(comparable(known.body), comparable(unknown.body));
      assert.equal(mailTo('nobody@xi.test').length, 0);
      const [message] = mailTo(email);
      assert.equal(message?.subject, 'Reset your OneBudget password');
      assert.equal(message?.kind, 'password-reset');
      assert.match(message?.body ?? '', /until 11am on 20 November 2026/);
      linkIn(message);
      const [event] = await events('account.password_reset_requested', accountId);
      assert.ok(event, 'the request is audited');
      assert.equal(event.actor_id, null);
      const invalid = await requestLink('not an email');
      assert.equal(invalid.statusCode, 400);
      assert.equal(errorOf(invalid, 'email'), 'Enter an email address in the correct format, like name@example.com');
    });

    it('CSRF: a request without the form token is refused', async () => {
      const { email } = await newFamily();
      const response = await app.inject({
        method: 'POST',
        url: '/password-reset',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email }).toString(),
      });
      assert.equal(response.statusCode, 403);
      assert.equal(mailTo(email).length, 0);
    });

    it('a new password ends every session and sign-in in progress; the old password stops working; staff still need their app', async () => {
      const { email, accountId } = await newStaff();
      const laptop = await signIn(app, email);
      const phone = await signIn(app, email);
      assert.equal(await sessionsOf(accountId), 2);
      // A sign-in waiting for its authenticator code, on a third device.
      const tablet = browser();
      assert.equal((await tablet.submit('/sign-in', { email, password: FIXTURE_PASSWORD })).statusCode, 303);

      await requestLink(email);
      const link = linkIn(mailTo(email).at(-1));
      const someone = browser();
      const form = await someone.get(link);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Choose a new password/);
      assert.match(form.body, /autocomplete="new-password"/);
      const mismatch = await someone.submit(link, { password: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}!` });
      assert.equal(mismatch.statusCode, 400);
      assert.equal(errorOf(mismatch, 'confirmPassword'), 'The passwords do not match. Enter the same password twice');
      const weak = await someone.submit(link, { password: 'password1234', confirmPassword: 'password1234' });
      assert.equal(weak.statusCode, 400);
      assert.match(errorOf(weak, 'password') ?? '', /harder to guess/);
      const eleven = await someone.submit(link, { password: 'kettle bike', confirmPassword: 'kettle bike' });
      assert.equal(errorOf(eleven, 'password'), 'Password must be 12 characters or more');

      const done = await someone.submit(link, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/sign-in?passwordChanged=yes');
      assert.equal(await sessionsOf(accountId), 0);
      for (const cookies of [laptop, phone]) {
        const response = await app.inject({ url: '/people', headers: { cookie: cookieHeader(cookies) } });
        assert.equal(response.statusCode, 303, 'the session has ended');
        assert.match(String(response.headers.location), /^\/sign-in\?returnTo=/);
      }
      const waiting = await tablet.get('/sign-in/authenticator-code');
      assert.equal(waiting.statusCode, 303, 'the sign-in in progress has ended');
      const banner = await browser().get('/sign-in?passwordChanged=yes');
      assert.match(banner.body, /Your password has been changed/);

      const old = await browser().submit('/sign-in', { email, password: FIXTURE_PASSWORD });
      assert.equal(old.statusCode, 400, 'the old password no longer works');
      const fresh = await browser().submit('/sign-in', { email, password: NEW_PASSWORD });
      assert.equal(fresh.statusCode, 303);
      assert.equal(fresh.headers.location, '/sign-in/authenticator-code', 'staff still give their authenticator code');

      const reused = await browser().get(link);
      assert.equal(reused.statusCode, 410);
      assert.match(reused.body, /This password reset link has expired or has already been used/);
      const [event] = await events('account.password_reset', accountId);
      assert.deepEqual(event?.detail, { sessionsEnded: 2, pendingSignInsEnded: 1 });
    });

    it('a link works for 1 hour, and a newer password stops older links working', async () => {
      const { email } = await newFamily();
      await requestLink(email);
      await requestLink(email);
      const [first, second] = mailTo(email).map(linkIn);
      assert.ok(first && second && first !== second);
      const saved = now;
      try {
        now = new Date(saved.getTime() + 59 * 60_000);
        assert.equal((await browser().get(first)).statusCode, 200);
        now = new Date(saved.getTime() + 61 * 60_000);
        assert.equal((await browser().get(first)).statusCode, 410);
        const late = await browser().submit('/sign-in', { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, first);
        assert.equal(late.statusCode, 410);
      } finally {
        now = saved;
      }
      assert.equal((await browser().submit(second, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).statusCode, 303);
      assert.equal((await browser().get(first)).statusCode, 410, 'the other link was used up with it');
      assert.equal((await browser().get('/password-reset/not-a-token')).statusCode, 404);
    });

    it('requests are throttled per email: the answer stays the same, but no more email is sent', async () => {
      const { email } = await newFamily();
      for (let i = 0; i < 5; i++) {
        const response = await requestLink(email);
        assert.equal(response.statusCode, 200);
        assert.ok(response.body.includes(SAME_ANSWER));
      }
      assert.equal(mailTo(email).length, 3);
    });

    it('Your account: change your password with the current one; every session ends, this one too', async () => {
      const { email, accountId } = await newFamily();
      const here = browser();
      assert.equal((await here.submit('/sign-in', { email, password: FIXTURE_PASSWORD })).statusCode, 303);
      const elsewhere = browser();
      assert.equal((await elsewhere.submit('/sign-in', { email, password: FIXTURE_PASSWORD })).statusCode, 303);
      const account = await here.get('/account');
      assert.match(account.body, /href="\/account\/password"/);
      const form = await here.get('/account/password');
      assert.equal(form.statusCode, 200);
      const wrong = await here.submit('/account/password', { currentPassword: 'not the password', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(wrong.statusCode, 400);
      assert.equal(errorOf(wrong, 'currentPassword'), 'Your current password is not correct');
      const forged = await app.inject({
        method: 'POST',
        url: '/account/password',
        headers: { cookie: cookieHeader(here.cookies), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ currentPassword: FIXTURE_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }).toString(),
      });
      assert.equal(forged.statusCode, 403, 'CSRF');
      const changed = await here.submit('/account/password', { currentPassword: FIXTURE_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(changed.statusCode, 303);
      assert.equal(changed.headers.location, '/sign-in?passwordChanged=yes');
      assert.equal(here.cookies.onebudget_session, undefined, 'this browser’s session cookie is cleared');
      assert.equal(await sessionsOf(accountId), 0);
      assert.equal((await elsewhere.get('/my-people')).statusCode, 303, 'the other device is signed out');
      assert.equal((await browser().submit('/sign-in', { email, password: FIXTURE_PASSWORD })).statusCode, 400);
      assert.equal((await browser().submit('/sign-in', { email, password: NEW_PASSWORD })).statusCode, 303);
      const [event] = await events('account.password_changed', accountId);
      assert.equal(event?.actor_id, accountId);
      assert.deepEqual(event?.detail, { sessionsEnded: 2 });
    });

    it('every page rendered is valid HTML', async () => {
      const pages = renderedPages.slice(pagesBefore).filter((p) => /password|account|sign-in/.test(p.url));
      assert.ok(pages.length >= 10, `checked ${pages.length} pages`);
      assert.deepEqual(await invalidPages(pages), []);
    });
  });
}
