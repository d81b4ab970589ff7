/**
 * Family and provider users join by invitation, through HTTP (Fastify inject), on both engines:
 * the staff pages that send one, the email, the page that accepts it, single use, expiry, the
 * young person from 16, a parent of siblings adding a second record with their existing password,
 * provider users, refused emails, CSRF, the audit trail, and valid HTML on every page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, FIXTURE_PASSWORD, type CouncilFixture } from '../support/fixtures.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, postForm, renderedPages, signIn, testApp, withResponseCookies } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { memoryMailer, type MailMessage } from '../../src/services/mail/mailer.ts';
import type { Clock } from '../../src/clock.ts';
import { londonDate } from '../../src/clock.ts';

const BASE_URL = 'https://onebudget.test';
const NEW_PASSWORD = 'marmalade lighthouse trombone';
const GONE = /This invitation link has expired or has already been used/;

for (const engine of await testEngines()) {
  describe(`invitations (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let b: CouncilFixture;
    let siblingId: string;
    let olderId: string;
    let providerId: string;
    let caseworker: Record<string, string>;
    let admin: Record<string, string>;
    const mail = memoryMailer();
    let now = new Date('2026-11-20T10:00:00Z');
    const clock: Clock = { now: () => new Date(now), today: () => londonDate(now) };
    const pagesBefore = renderedPages.length;
    let addresses = 0;
    const newAddress = () => `198.51.100.${(addresses += 1)}`;

    /** A browser: a cookie jar and a source address. */
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
        /** Posts the form on the page at `from` (for its CSRF token) to `to`, or to `from` itself. */
        async submit(from: string, fields: Record<string, string>, to = from) {
          const page = await this.get(from);
          const response = await postForm(app, to, cookies, { ...fields, _csrf: csrfFrom(page.body) }, address);
          cookies = withResponseCookies(cookies, response);
          return response;
        },
      };
    };

    const lastMail = (): MailMessage => {
      const message = mail.sent.at(-1);
      assert.ok(message, 'an email was sent');
      return message;
    };
    const linkIn = (message: MailMessage): string => {
      const match = new RegExp(`${BASE_URL}(/invitations/[A-Za-z0-9_-]{43})(\\s|$)`).exec(message.body);
      assert.ok(match?.[1], `the email holds an invitation link:\n${message.body}`);
      return match[1];
    };
    const errorOf = (response: LightMyRequestResponse, field: string) =>
      new RegExp(`<p id="${field}-error" class="govuk-error-message">\\s*<span class="govuk-visually-hidden">Error:</span>([^<]*)</p>`).exec(response.body)?.[1]?.trim();
    const events = (action: string) =>
      database.db.selectFrom('audit_events').select(['actor_id', 'actor_role', 'subject_type', 'subject_id', 'detail']).where('action', '=', action).orderBy('seq').execute();
    const accountByEmail = (email: string) => database.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();

    /** The caseworker invites someone to see a person's record; returns the link's path. */
    const inviteFamily = async (personId: string, fields: { displayName: string; email: string; relationship: string }) => {
      const staff = browser(caseworker);
      const response = await staff.submit(`/people/${personId}/invite-family`, fields);
      assert.equal(response.statusCode, 200, response.body.slice(0, 2000));
      assert.match(response.body, /Invitation sent/);
      return linkIn(lastMail());
    };

    const addPerson = async (givenName: string, dateOfBirth: string) => {
      const id = crypto.randomUUID();
      await database.db
        .insertInto('people')
        .values({
          id,
          council_id: a.councilId,
          reference: `MU-${givenName}`,
          given_name: givenName,
          family_name: 'muson',
          date_of_birth: dateOfBirth,
          postcode: 'NM1 1AA',
          case_type: 'ehc',
          primary_need: 'SLCN',
          needs_summary: 'Speech and language needs.',
          setting: 'Test School',
          stage: 'planning',
          stage_since: '2026-09-01',
          request_date: '2026-05-01',
          lead_worker_id: a.accountId,
          indicative_budget_pence: null,
          current_package_pence: null,
        })
        .execute();
      return id;
    };

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'mu', { passwordHash, email: 'worker@mu.test' });
      b = await addCouncil(database, 'nu', { passwordHash, email: 'worker@nu.test' });
      siblingId = await addPerson('Sam', '2018-06-01');
      // 16 on 1 November 2026: old enough to hold their own account on the test day (20 November).
      olderId = await addPerson('Jordan', '2010-11-01');
      providerId = crypto.randomUUID();
      await database.db
        .insertInto('providers')
        .values({ id: providerId, council_id: a.councilId, name: 'Brightside Care', kind: 'care_agency', email: 'office@brightside.test', phone: '01234 567890', town: 'Northam' })
        .execute();
      await database.db
        .insertInto('support_arrangements')
        .values({ council_id: a.councilId, person_id: a.personId, provider_id: providerId, description: 'Personal assistant, 6 hours a week', starts_on: '2026-01-01', ends_on: null })
        .execute();
      app = await testApp(database, { clock, mailer: mail, env: { PUBLIC_BASE_URL: BASE_URL } });
      await app.ready();
      caseworker = await signIn(app, 'worker@mu.test');
      admin = await signIn(app, a.adminEmail);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('a caseworker invites a parent from the person’s record: errors as content, then the email with its link', async () => {
      const staff = browser(caseworker);
      const record = await staff.get(`/people/${a.personId}`);
      assert.match(record.body, new RegExp(`href="/people/${a.personId}/invite-family"`));
      const form = await staff.get(`/people/${a.personId}/invite-family`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Invite a family member to see Alex muson’s record/);
      assert.match(form.body, /No family accounts can see this record yet/);

      const empty = await staff.submit(`/people/${a.personId}/invite-family`, { displayName: '', email: 'not an email', relationship: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /There is a problem/);
      assert.equal(errorOf(empty, 'displayName'), 'Enter their full name');
      assert.equal(errorOf(empty, 'email'), 'Enter an email address in the correct format, like name@example.com');
      assert.equal(errorOf(empty, 'relationship'), 'Select how they are connected to the person');
      assert.match(empty.body, /value="not an email"/, 'what was entered is kept');
      assert.equal(mail.sent.length, 0);

      const sent = await staff.submit(`/people/${a.personId}/invite-family`, { displayName: 'Pat Musson', email: 'pat@family.test', relationship: 'parent_carer' });
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /<h1 class="govuk-panel__title">\s*Invitation sent\s*<\/h1>/);
      assert.match(sent.body, /We have emailed pat@family.test/);
      const message = lastMail();
      assert.equal(message.to, 'pat@family.test');
      assert.equal(message.kind, 'invitation');
      assert.match(message.subject, /Alex/);
      assert.doesNotMatch(`${message.subject}\n${message.body}`, /muson/i, 'the email names the person by first name only');
      assert.match(message.body, /Worker at mu at mu Council has invited you/);
      assert.match(message.body, /until 10am on 27 November 2026/);
      linkIn(message);

      const [event] = await events('invitation.sent');
      assert.equal(event?.actor_id, a.accountId);
      assert.equal(event?.actor_role, 'caseworker');
      assert.equal(event?.subject_type, 'person');
      assert.equal(event?.subject_id, a.personId);
      const listed = await staff.get(`/people/${a.personId}/invite-family`);
      assert.match(listed.body, /Invitations waiting to be accepted[\s\S]*pat@family.test/);
    });

    it('the invitee accepts: a family account, linked, signed in and sent to their people; the link then never works again', async () => {
      const link = await inviteFamily(a.personId, { displayName: 'Chris Musson', email: 'chris@family.test', relationship: 'parent_carer' });
      const invitee = browser();
      const page = await invitee.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Create your OneBudget account/);
      assert.match(page.body, /Worker at mu \(SEND caseworker\) at mu Council has invited you to see Alex’s record in OneBudget, as their parent carer/);
      assert.match(page.body, /value="Chris Musson"/, 'the name the inviter gave is suggested');
      assert.match(page.body, /autocomplete="new-password"/);

      // CSRF: a post without the form's token is refused.
      const forged = await app.inject({
        method: 'POST',
        url: link,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(invitee.cookies) },
        payload: new URLSearchParams({ displayName: 'Chris Musson', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }).toString(),
      });
      assert.equal(forged.statusCode, 403);
      assert.equal(await accountByEmail('chris@family.test'), undefined);

      const mismatch = await invitee.submit(link, { displayName: 'Chris Musson', password: NEW_PASSWORD, confirmPassword: 'something else entirely' });
      assert.equal(mismatch.statusCode, 400);
      assert.equal(errorOf(mismatch, 'confirmPassword'), 'The passwords do not match. Enter the same password twice');
      const short = await invitee.submit(link, { displayName: 'Chris Musson', password: 'short pass', confirmPassword: 'short pass' });
      assert.equal(short.statusCode, 400);
      assert.equal(errorOf(short, 'password'), 'Password must be 12 characters or more');

      const accepted = await invitee.submit(link, { displayName: 'Chris M Musson', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, '/my-people');
      assert.ok(invitee.cookies.onebudget_session, 'signed in');
      const account = await accountByEmail('chris@family.test');
      assert.equal(account?.kind, 'family');
      assert.equal(account?.display_name, 'Chris M Musson');
      assert.match(account?.password_hash ?? '', /^\$argon2id\$/);
      const links = await database.db.selectFrom('family_links').selectAll().where('account_id', '=', account?.id ?? '').execute();
      assert.deepEqual(links.map((l) => [l.person_id, l.relationship]), [[a.personId, 'parent_carer']]);
      const mine = await invitee.get('/my-people');
      assert.equal(mine.statusCode, 200);
      assert.match(mine.body, /Alex/);
      const acceptedEvent = (await events('invitation.accepted')).at(-1);
      assert.equal(acceptedEvent?.actor_id, account?.id);
      assert.equal(acceptedEvent?.actor_role, 'family');
      assert.equal(acceptedEvent?.subject_id, a.personId);
      const signedIn = (await events('account.signed_in')).at(-1);
      assert.equal(signedIn?.actor_id, account?.id);

      // Single use: the link is gone, whoever opens it.
      const again = await browser().get(link);
      assert.equal(again.statusCode, 410);
      assert.match(again.body, GONE);
      const secondAccept = await browser().submit('/sign-in', { displayName: 'Someone Else', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, link);
      assert.equal(secondAccept.statusCode, 410);
      // The new password signs in (family accounts have no authenticator app by default).
      const signInAgain = await browser().submit('/sign-in', { email: 'chris@family.test', password: NEW_PASSWORD });
      assert.equal(signInAgain.statusCode, 303);
      assert.equal(signInAgain.headers.location, '/my-people');
    });

    it('a parent of siblings adds the second child with their existing password, to the same account', async () => {
      const link = await inviteFamily(siblingId, { displayName: 'Chris Musson', email: 'Chris@Family.test', relationship: 'parent_carer' });
      const parent = browser();
      const page = await parent.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /You already have a OneBudget account with this email address/);
      assert.match(page.body, /autocomplete="current-password"/);
      const wrong = await parent.submit(link, { password: 'not my password at all' });
      assert.equal(wrong.statusCode, 400);
      assert.equal(errorOf(wrong, 'password'), 'The password is not correct. Enter the password of your OneBudget account');
      const added = await parent.submit(link, { password: NEW_PASSWORD });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, '/my-people');
      const accounts = await database.db.selectFrom('accounts').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', 'chris@family.test')).execute();
      assert.equal(accounts.length, 1, 'no second account');
      const links = await database.db.selectFrom('family_links').select('person_id').where('account_id', '=', accounts[0]?.id ?? '').execute();
      assert.deepEqual(new Set(links.map((l) => l.person_id)), new Set([a.personId, siblingId]));
      const mine = await parent.get('/my-people');
      assert.match(mine.body, /Alex/);
      assert.match(mine.body, /Sam/);
      assert.equal((await browser().get(link)).statusCode, 410);
    });

    it('the young person themself can be invited only from 16', async () => {
      const staff = browser(caseworker);
      const young = await staff.submit(`/people/${a.personId}/invite-family`, { displayName: 'Alex Musson', email: 'alex@family.test', relationship: 'young_person' });
      assert.equal(young.statusCode, 400);
      assert.equal(errorOf(young, 'relationship'), 'A young person can have their own account from the age of 16. Alex is 11');
      assert.equal(mail.sent.filter((m) => m.to === 'alex@family.test').length, 0);
      const link = await inviteFamily(olderId, { displayName: 'Jordan Muson', email: 'jordan@family.test', relationship: 'young_person' });
      assert.match(lastMail().subject, /your personal budget/);
      const page = await browser().get(link);
      assert.match(page.body, /invited you to see your own record/);
    });

    it('an invitation expires after 7 days', async () => {
      const link = await inviteFamily(siblingId, { displayName: 'Robin Musson', email: 'robin@family.test', relationship: 'nominee' });
      const saved = now;
      try {
        now = new Date(now.getTime() + 7 * 24 * 60 * 60 * 1000 - 60_000);
        assert.equal((await browser().get(link)).statusCode, 200, 'a minute before the end it still works');
        now = new Date(now.getTime() + 2 * 60_000);
        const expired = await browser().get(link);
        assert.equal(expired.statusCode, 410);
        assert.match(expired.body, GONE);
        // Posted with a valid form token (from another page): still gone.
        const late = await browser().submit('/sign-in', { displayName: 'Robin Musson', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, link);
        assert.equal(late.statusCode, 410);
      } finally {
        now = saved;
      }
      assert.equal(await accountByEmail('robin@family.test'), undefined);
    });

    it('an unknown or malformed link is "not found", on a GOV.UK page', async () => {
      const unknown = await browser().get(`/invitations/${crypto.randomBytes(32).toString('base64url')}`);
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, GONE);
      const malformed = await browser().get('/invitations/not-a-token');
      assert.equal(malformed.statusCode, 404);
      assert.doesNotMatch(malformed.body, /at .*\.ts:\d+/);
    });

    it('an administrator invites a provider user, who then sees the people their organisation supports', async () => {
      const administrator = browser(admin);
      const form = await administrator.get('/accounts/invite-provider');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Brightside Care \(Northam\)/);
      const missing = await administrator.submit('/accounts/invite-provider', { providerId: '', displayName: 'Dana Bright', email: 'dana@brightside.test' });
      assert.equal(missing.statusCode, 400);
      assert.equal(errorOf(missing, 'providerId'), 'Select the provider organisation');
      const sent = await administrator.submit('/accounts/invite-provider', { providerId, displayName: 'Dana Bright', email: 'dana@brightside.test' });
      assert.equal(sent.statusCode, 200);
      const message = lastMail();
      assert.equal(message.to, 'dana@brightside.test');
      assert.match(message.subject, /Brightside Care/);
      const link = linkIn(message);
      const [event] = (await events('invitation.sent')).filter((e) => e.subject_type === 'provider');
      assert.equal(event?.subject_id, providerId);
      assert.equal(event?.actor_role, 'administrator');

      const user = browser();
      const page = await user.get(link);
      assert.match(page.body, /invited you to use OneBudget for Brightside Care/);
      const accepted = await user.submit(link, { displayName: 'Dana Bright', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(accepted.statusCode, 303);
      const account = await accountByEmail('dana@brightside.test');
      assert.equal(account?.kind, 'provider');
      assert.equal(account?.provider_id, providerId);
      const session = await database.db.selectFrom('sessions').select('account_id').where('account_id', '=', account?.id ?? '').executeTakeFirst();
      assert.ok(session, 'a session was opened');
      const mine = await user.get('/my-people');
      assert.equal(mine.statusCode, 200);
      assert.match(mine.body, /Alex/);
      assert.doesNotMatch(mine.body, /Sam/);
    });

    it('refuses an email that belongs to a staff account, here or in another council', async () => {
      const staff = browser(caseworker);
      const colleague = await staff.submit(`/people/${a.personId}/invite-family`, { displayName: 'A Colleague', email: a.adminEmail, relationship: 'parent_carer' });
      assert.equal(colleague.statusCode, 400);
      assert.match(errorOf(colleague, 'email') ?? '', /belongs to a staff or provider account/);

      // Another council's account is invisible here, so the invitation goes; accepting it is refused.
      const link = await inviteFamily(a.personId, { displayName: 'Nu Worker', email: 'worker@nu.test', relationship: 'parent_carer' });
      const page = await browser().get(link);
      assert.equal(page.statusCode, 409);
      assert.match(page.body, /already used by a OneBudget account at another council/);
      assert.doesNotMatch(page.body, /name="password"/);
      const post = await browser().submit('/sign-in', { displayName: 'Nu Worker', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, link);
      assert.equal(post.statusCode, 409);
      const account = await accountByEmail('worker@nu.test');
      assert.equal(account?.council_id, b.councilId);
      assert.equal(account?.kind, 'staff');
      // The other council's worker still signs in with their own password.
      assert.ok(await signIn(app, 'worker@nu.test', FIXTURE_PASSWORD));
    });

    it('only staff who may invite reach the page, and only for people of their own council', async () => {
      const other = await signIn(app, 'worker@nu.test');
      const response = await app.inject({ url: `/people/${a.personId}/invite-family`, headers: { cookie: cookieHeader(other) } });
      assert.equal(response.statusCode, 404);
      const family = browser();
      const familySignIn = await family.submit('/sign-in', { email: 'chris@family.test', password: NEW_PASSWORD });
      assert.equal(familySignIn.statusCode, 303);
      assert.equal((await family.get(`/people/${a.personId}/invite-family`)).statusCode, 403);
      assert.equal((await family.get('/accounts/invite-provider')).statusCode, 403);
      assert.equal((await browser(caseworker).get('/accounts/invite-provider')).statusCode, 403);
    });

    it('every page rendered is valid HTML', async () => {
      const pages = renderedPages.slice(pagesBefore).filter((p) => /invit|my-people|sign-in/.test(p.url));
      assert.ok(pages.length >= 10, `checked ${pages.length} pages`);
      assert.deepEqual(await invalidPages(pages), []);
    });
  });
}
