/** An administrator answers a subject access request: everything held, as a document or as JSON. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';

for (const engine of await testEngines()) {
  describe(`subject access export (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let council: CouncilFixture;
    let admin: string;
    let worker: string;

    const exportAs = async (cookie: string, personId: string, fields: Record<string, string>) => {
      const form = await app.inject({ url: `/people/${personId}/subject-access`, headers: { cookie } });
      return app.inject({
        method: 'POST',
        url: `/people/${personId}/subject-access`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...fields, _csrf: form.statusCode === 200 ? csrfFrom(form.body) : 'none' }).toString(),
      });
    };

    before(async () => {
      database = await createTestDatabase(engine);
      council = await addCouncil(database, 'eta', { passwordHash: await fixturePasswordHash(), email: 'worker@eta.test' });
      app = await testApp(database);
      await app.ready();
      worker = cookieHeader(await signIn(app, 'worker@eta.test'));
      admin = cookieHeader(await signIn(app, council.adminEmail));
      await app.inject({ url: `/people/${council.personId}`, headers: { cookie: worker } });
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('gives a readable document with the record, the budget and everyone who looked', async () => {
      const response = await exportAs(admin, council.personId, { reason: 'SAR-2026-0142', format: 'html' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.match(response.body, /Everything held about Alex etason/);
      assert.match(response.body, /SAR-2026-0142/);
      assert.match(response.body, /Personal assistant, 6 hours a week/);
      assert.match(response.body, /Worker at eta/);
      assert.match(response.body, /person\.viewed/);
    });

    it('gives machine-readable JSON with money in pence', async () => {
      const response = await exportAs(admin, council.personId, { reason: 'SAR-2026-0143', format: 'json' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-disposition']), /attachment; filename="subject-access-ETA-1\.json"/);
      const bundle = response.json();
      assert.equal(bundle.person.reference, 'ETA-1');
      assert.equal(bundle.person.budgetLines[0].annualPence, '483600');
      assert.ok(bundle.accessLog.some((e: { action: string }) => e.action === 'person.exported'), 'the earlier export shows in the log');
    });

    it('records every export in the audit log with its reason', async () => {
      const rows = await database.db
        .selectFrom('audit_events')
        .select(['reason'])
        .where('action', '=', 'person.exported')
        .where('subject_id', '=', council.personId)
        .orderBy('seq')
        .execute();
      assert.deepEqual(rows.map((r) => r.reason), ['SAR-2026-0142', 'SAR-2026-0143']);
    });

    it('asks for a reason and a format, keeping what was typed', async () => {
      const response = await exportAs(admin, council.personId, { reason: '  ' });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /Enter the subject access request reference/);
      assert.match(response.body, /Select how you want the export/);
    });

    it('lets an administrator export a restricted record, which they cannot otherwise open', async () => {
      assert.equal((await app.inject({ url: `/people/${council.restrictedPersonId}`, headers: { cookie: admin } })).statusCode, 403);
      const response = await exportAs(admin, council.restrictedPersonId, { reason: 'SAR-2026-0150', format: 'json' });
      assert.equal(response.statusCode, 200);
    });

    it('is for administrators only', async () => {
      assert.equal((await app.inject({ url: `/people/${council.personId}/subject-access`, headers: { cookie: worker } })).statusCode, 403);
    });

    it('renders valid HTML on the form and the document', async () => {
      assert.deepEqual(await invalidPages(renderedPages), []);
    });
  });
}
