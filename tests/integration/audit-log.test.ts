/** Administrators search the audit log and download it as CSV; nobody else can. Both engines. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { cookieHeader, fixturePasswordHash, renderedPages, signIn, testApp } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';

for (const engine of await testEngines()) {
  describe(`audit log pages (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let council: CouncilFixture;
    let other: CouncilFixture;
    let admin: string;
    let worker: string;

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      council = await addCouncil(database, 'epsilon', { passwordHash, email: 'worker@epsilon.test' });
      other = await addCouncil(database, 'zeta', { passwordHash, email: 'worker@zeta.test' });
      app = await testApp(database);
      await app.ready();
      worker = cookieHeader(await signIn(app, 'worker@epsilon.test'));
      admin = cookieHeader(await signIn(app, council.adminEmail));
      await signIn(app, 'worker@zeta.test');
      await app.inject({ url: `/people/${council.personId}`, headers: { cookie: worker } });
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('shows an administrator who looked at which record, newest first', async () => {
      const response = await app.inject({ url: '/audit', headers: { cookie: admin } });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /person\.viewed/);
      assert.match(response.body, /Worker at epsilon \(Caseworker\)/);
      assert.match(response.body, /EPSILON-1 Alex epsilonson/);
      assert.doesNotMatch(response.body, /zeta/, 'nothing from another council');
    });

    it('narrows the log by person reference, member of staff, action and dates', async () => {
      const byPerson = await app.inject({ url: '/audit?person=epsilon-1', headers: { cookie: admin } });
      assert.match(byPerson.body, /1 event\b/);
      const byActor = await app.inject({ url: '/audit?actor=administrator&action=account.signed_in', headers: { cookie: admin } });
      assert.match(byActor.body, /1 event\b/);
      const outside = await app.inject({ url: '/audit?from-day=1&from-month=1&from-year=2030', headers: { cookie: admin } });
      assert.match(outside.body, /0 events/);
    });

    it('explains a date that is not real, next to the field, keeping what was typed', async () => {
      const response = await app.inject({ url: '/audit?actor=sam&from-day=31&from-month=2&from-year=2026', headers: { cookie: admin } });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /The start date must be a real date/);
      assert.match(response.body, /href="#from-day"/);
      assert.match(response.body, /value="sam"/);
      const partial = await app.inject({ url: '/audit?to-day=3&to-year=2026', headers: { cookie: admin } });
      assert.match(partial.body, /The end date must include a month/);
    });

    it('downloads the search as CSV, and records that it was downloaded', async () => {
      const response = await app.inject({ url: '/audit/export.csv?person=EPSILON-1', headers: { cookie: admin } });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(String(response.headers['content-disposition']), /attachment; filename="onebudget-audit-epsilon-\d{4}-\d{2}-\d{2}\.csv"/);
      const lines = response.body.trim().split('\n');
      assert.match(lines[0] ?? '', /^sequence,occurred_at_utc,actor_name,actor_email,actor_role,action/);
      assert.equal(lines.length, 2);
      assert.match(lines[1] ?? '', /person\.viewed/);
      const log = await app.inject({ url: '/audit?action=audit.exported', headers: { cookie: admin } });
      assert.match(log.body, /1 event\b/);
    });

    it('renders only valid HTML on every audit page, with and without errors', async () => {
      assert.ok(renderedPages.some((p) => p.url.includes('/audit?')));
      assert.deepEqual(await invalidPages(renderedPages), []);
    });

    it('refuses the audit log to anyone but an administrator', async () => {
      assert.equal((await app.inject({ url: '/audit', headers: { cookie: worker } })).statusCode, 403);
      assert.equal((await app.inject({ url: '/audit/export.csv', headers: { cookie: worker } })).statusCode, 403);
      assert.equal((await app.inject('/audit')).statusCode, 303);
      assert.ok(other.councilId);
    });
  });
}
