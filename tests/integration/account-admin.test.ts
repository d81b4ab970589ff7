/**
 * Administrators disable accounts and reset a colleague's authenticator app, after re-entering a
 * code of their own (step-up). Both end every session of the account at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { londonDate, type Clock } from '../../src/clock.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, FIXTURE_PASSWORD, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { cookieHeader, cookiesFrom, csrfFrom, fixturePasswordHash, nextCode, postForm, renderedPages, signIn, TEST_NOW, testApp } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';

for (const engine of await testEngines()) {
  describe(`account administration and step-up (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let colleagueId: string;
    let familyId: string;
    let admin: Record<string, string>;
    let time = TEST_NOW.getTime();
    const clock: Clock = { now: () => new Date(time), today: () => londonDate(new Date(time)) };

    const get = (url: string, cookies: Record<string, string>) => app.inject({ url, headers: { cookie: cookieHeader(cookies) } });
    const submit = async (formUrl: string, url: string, cookies: Record<string, string>, fields: Record<string, string>) => {
      const page = await get(formUrl, cookies);
      return postForm(app, url, cookies, { ...fields, _csrf: csrfFrom(page.body) });
    };
    const stepUp = async (cookies: Record<string, string>, code = nextCode(app, a.adminEmail)) => submit('/step-up', `/step-up?returnTo=${encodeURIComponent(`/accounts/${colleagueId}`)}`, cookies, { code });

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'mu', { passwordHash, email: 'worker@mu.test' });
      colleagueId = await addStaff(database, a.councilId, { email: 'colleague@mu.test', passwordHash });
      familyId = await addFamilyAccount(database, a.councilId, { email: 'parent@mu.test', passwordHash, links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      app = await testApp(database, { clock });
      await app.ready();
      admin = await signIn(app, a.adminEmail);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('lists the council’s accounts of every kind for administrators only', async () => {
      const list = await get('/accounts', admin);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /colleague@mu\.test/);
      assert.match(list.body, /parent@mu\.test/);
      assert.match(list.body, /Family member/);
      const families = await get('/accounts?kind=family', admin);
      assert.doesNotMatch(families.body, /colleague@mu\.test/);
      assert.equal((await get('/accounts', await signIn(app, 'worker@mu.test'))).statusCode, 403);
    });

    it('asks for a fresh authenticator code before a high-value change, and refuses the change without one', async () => {
      const page = await get(`/accounts/${colleagueId}`, admin);
      assert.match(page.body, /Confirm it’s you to make changes/);
      assert.doesNotMatch(page.body, /Disable the account/);
      const refused = await postForm(app, `/accounts/${colleagueId}/disable`, admin, { reason: 'Left the council', _csrf: csrfFrom(page.body) });
      assert.equal(refused.statusCode, 303);
      assert.match(String(refused.headers.location), /^\/step-up/);
      const still = await database.db.selectFrom('accounts').select('disabled_at').where('id', '=', colleagueId).executeTakeFirstOrThrow();
      assert.equal(still.disabled_at, null, 'nothing changed');

      const wrong = await stepUp(admin, '000000');
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /The code is not correct/);
      const ok = await stepUp(admin);
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, `/accounts/${colleagueId}`);
      assert.match((await get(`/accounts/${colleagueId}`, admin)).body, /Disable the account/);
    });

    it('disabling an account ends all its sessions and stops it signing in, with the reason audited', async () => {
      const colleague = await signIn(app, 'colleague@mu.test');
      assert.equal((await get('/people', colleague)).statusCode, 200);
      const empty = await submit(`/accounts/${colleagueId}`, `/accounts/${colleagueId}/disable`, admin, { reason: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Enter the reason for this change/);
      const done = await submit(`/accounts/${colleagueId}`, `/accounts/${colleagueId}/disable`, admin, { reason: 'Left the council on 20 November' });
      assert.equal(done.statusCode, 303);
      assert.equal((await get('/people', colleague)).statusCode, 303, 'the colleague’s session has ended');
      const form = await app.inject({ url: '/sign-in' });
      const again = await postForm(app, '/sign-in', cookiesFrom(form), { email: 'colleague@mu.test', password: FIXTURE_PASSWORD, _csrf: csrfFrom(form.body) });
      assert.equal(again.statusCode, 400, 'a disabled account cannot sign in');
      assert.match(again.body, /Enter a correct email address and password/, 'with the same answer as a wrong password');
      const event = await database.db
        .selectFrom('audit_events')
        .select(['reason', 'detail', 'actor_role'])
        .where('action', '=', 'account.disabled')
        .where('subject_id', '=', colleagueId)
        .executeTakeFirstOrThrow();
      assert.equal(event.reason, 'Left the council on 20 November');
      assert.deepEqual((event.detail as { sessionsEnded: number }).sessionsEnded, 1);

      const enabled = await submit(`/accounts/${colleagueId}`, `/accounts/${colleagueId}/enable`, admin, { reason: 'Came back' });
      assert.equal(enabled.statusCode, 303);
      time += 30_000;
      assert.ok(await signIn(app, 'colleague@mu.test'), 'an enabled account signs in again');
    });

    it('resetting a colleague’s authenticator app ends their sessions and makes them set up a new one', async () => {
      time += 30_000;
      const colleague = await signIn(app, 'colleague@mu.test');
      const done = await submit(`/accounts/${colleagueId}`, `/accounts/${colleagueId}/reset-authenticator`, admin, { reason: 'Lost phone, ticket 4411' });
      assert.equal(done.statusCode, 303);
      assert.equal((await get('/people', colleague)).statusCode, 303);
      const form = await app.inject({ url: '/sign-in' });
      const next = await postForm(app, '/sign-in', cookiesFrom(form), { email: 'colleague@mu.test', password: FIXTURE_PASSWORD, _csrf: csrfFrom(form.body) });
      assert.equal(next.headers.location, '/sign-in/set-up-authenticator');
    });

    it('the proof of step-up lasts 10 minutes for that session only', async () => {
      time += 11 * 60_000;
      admin = await signIn(app, a.adminEmail); // a new session: idle for 11 minutes is fine, but start clean
      assert.match((await get(`/accounts/${familyId}`, admin)).body, /Confirm it’s you to make changes/);
      await stepUp(admin);
      assert.match((await get(`/accounts/${familyId}`, admin)).body, /Disable the account/);
      time += 11 * 60_000;
      assert.match((await get(`/accounts/${familyId}`, admin)).body, /Confirm it’s you to make changes/);
      const other = await signIn(app, a.adminEmail);
      assert.match((await get(`/accounts/${familyId}`, other)).body, /Confirm it’s you to make changes/);
    });

    it('an administrator cannot disable their own account', async () => {
      await stepUp(admin);
      const self = await submit(`/accounts/${a.adminId}`, `/accounts/${a.adminId}/disable`, admin, { reason: 'Testing' });
      assert.equal(self.statusCode, 403);
    });

    it('renders every page as valid HTML', async () => {
      assert.deepEqual(await invalidPages(renderedPages), []);
    });
  });
}
