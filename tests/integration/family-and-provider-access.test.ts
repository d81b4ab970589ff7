/**
 * Families and providers sign in too, and see only their own people: a parent of siblings sees
 * both children, a young person their own record, a provider the people whose support it holds.
 * Families can see who has looked at the record. Restricted records open only to named workers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, FIXTURE_TOTP_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount, addProviderUser } from '../support/family.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';

for (const engine of await testEngines()) {
  describe(`family and provider access (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let b: CouncilFixture;
    let siblingId: string;
    const cookies: Record<string, string> = {};

    const get = (url: string, who: string) => app.inject({ url, headers: { cookie: cookies[who] ?? '' } });
    const post = async (url: string, who: string, fields: Record<string, string>) => {
      const page = await get(url.replace(/\/[^/]+\/remove$/, ''), who);
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookies[who] ?? '', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...fields, _csrf: csrfFrom(page.body) }).toString(),
      });
    };
    const eventsFor = (personId: string) =>
      database.db.selectFrom('audit_events').select(['action', 'actor_role', 'actor_id']).where('subject_id', '=', personId).orderBy('seq').execute();

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'kappa', { passwordHash, email: 'worker@kappa.test' });
      b = await addCouncil(database, 'lambda', { passwordHash, email: 'worker@lambda.test' });
      siblingId = crypto.randomUUID();
      await database.db
        .insertInto('people')
        .values({
          id: siblingId,
          council_id: a.councilId,
          reference: 'KAPPA-3',
          given_name: 'Sam',
          family_name: 'kappason',
          date_of_birth: '2018-06-01',
          postcode: 'NM1 1AA',
          case_type: 'ehc',
          primary_need: 'SLCN',
          needs_summary: 'Speech and language needs.',
          setting: 'Test Primary School',
          stage: 'planning',
          stage_since: '2026-09-01',
          request_date: '2026-05-01',
          lead_worker_id: a.accountId,
          indicative_budget_pence: null,
          current_package_pence: null,
          restricted: false,
        })
        .execute();
      await addFamilyAccount(database, a.councilId, {
        email: 'parent@kappa.test',
        passwordHash,
        links: [
          { personId: a.personId, relationship: 'parent_carer' },
          { personId: siblingId, relationship: 'parent_carer' },
        ],
      });
      await addFamilyAccount(database, a.councilId, { email: 'other-parent@kappa.test', passwordHash, links: [{ personId: a.restrictedPersonId, relationship: 'parent_carer' }] });
      await addProviderUser(database, a.councilId, { email: 'pa@provider.test', passwordHash, supports: [a.personId], providerName: 'Brightside Care' });
      await addStaff(database, a.councilId, { email: 'colleague@kappa.test', passwordHash, mfaSecret: FIXTURE_TOTP_SECRET });
      app = await testApp(database);
      await app.ready();
      for (const [who, email] of [
        ['parent', 'parent@kappa.test'],
        ['otherParent', 'other-parent@kappa.test'],
        ['provider', 'pa@provider.test'],
        ['worker', 'worker@kappa.test'],
        ['colleague', 'colleague@kappa.test'],
        ['admin', a.adminEmail],
      ] as const) {
        cookies[who] = cookieHeader(await signIn(app, email));
      }
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('signs a family member in with their password and shows a parent of siblings both children', async () => {
      const page = await get('/my-people', 'parent');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Your family’s records/);
      assert.match(page.body, /Alex kappason/);
      assert.match(page.body, /Sam kappason/);
      assert.doesNotMatch(page.body, /Robin kappason/);
      assert.equal(page.headers['cache-control'], 'no-store');
    });

    it('lets a family member open their linked children’s records, audited as a family read, and nobody else’s', async () => {
      const before = (await eventsFor(siblingId)).length;
      const sibling = await get(`/people/${siblingId}`, 'parent');
      assert.equal(sibling.statusCode, 200);
      assert.match(sibling.body, /Sam kappason/);
      const events = await eventsFor(siblingId);
      assert.equal(events.length, before + 1);
      assert.deepEqual({ action: events.at(-1)?.action, role: events.at(-1)?.actor_role }, { action: 'person.viewed', role: 'family' });
      assert.equal((await get(`/people/${a.restrictedPersonId}`, 'parent')).statusCode, 404, 'a record they are not linked to is not found');
      assert.equal((await get(`/people/${b.personId}`, 'parent')).statusCode, 404, 'another council’s person is not found');
      assert.equal((await get('/people', 'parent')).statusCode, 403, 'families cannot search people');
      assert.equal((await get('/audit', 'parent')).statusCode, 403);
    });

    it('shows a provider only the people whose support it holds, while it holds it', async () => {
      const list = await get('/my-people', 'provider');
      assert.match(list.body, /People you support/);
      assert.match(list.body, /Brightside Care/);
      assert.match(list.body, /Alex kappason/);
      assert.doesNotMatch(list.body, /Sam kappason/);
      assert.equal((await get(`/people/${a.personId}`, 'provider')).statusCode, 200);
      assert.equal((await get(`/people/${siblingId}`, 'provider')).statusCode, 404);
      assert.equal((await get(`/people/${a.personId}/who-has-looked`, 'provider')).statusCode, 403);
      await database.db.updateTable('support_arrangements').set({ ends_on: '2026-06-30' }).where('person_id', '=', a.personId).execute();
      try {
        assert.equal((await get(`/people/${a.personId}`, 'provider')).statusCode, 404, 'an ended arrangement opens nothing');
        assert.doesNotMatch((await get('/my-people', 'provider')).body, /Alex kappason/);
      } finally {
        await database.db.updateTable('support_arrangements').set({ ends_on: null }).where('person_id', '=', a.personId).execute();
      }
    });

    it('shows the family who has looked at the record, by role, organisation and date, without staff names', async () => {
      await get(`/people/${a.personId}`, 'worker');
      await get(`/people/${a.personId}`, 'provider');
      await get(`/people/${a.personId}`, 'parent');
      const page = await get(`/people/${a.personId}/who-has-looked`, 'parent');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Who has looked at this record/);
      assert.match(page.body, /Caseworker/);
      assert.match(page.body, /kappa Council, SEND/);
      assert.match(page.body, /Brightside Care/);
      assert.match(page.body, />You</);
      assert.match(page.body, /Looked at the record/);
      assert.doesNotMatch(page.body, /Worker at kappa/, 'staff names are not shown');
      const events = await eventsFor(a.personId);
      assert.equal(events.at(-1)?.action, 'person.access_log_viewed', 'looking at the list is itself recorded');
      assert.doesNotMatch(page.body, /Looked at who has seen the record/, 'but not listed back to the family');
      assert.equal((await get(`/people/${siblingId}/who-has-looked`, 'otherParent')).statusCode, 404, 'another family cannot see it');
    });

    it('opens a restricted record only to the workers an administrator names on it', async () => {
      const colleagueId = (await database.db.selectFrom('accounts').select('id').where('email', '=', 'colleague@kappa.test').executeTakeFirstOrThrow()).id;
      assert.equal((await get(`/people/${a.restrictedPersonId}`, 'colleague')).statusCode, 403);
      assert.equal((await get(`/people/${a.restrictedPersonId}`, 'admin')).statusCode, 403, 'not even an administrator who is not named');
      assert.doesNotMatch((await get('/people?q=kappason', 'colleague')).body, /Robin kappason/, 'a restricted record is not even listed');
      assert.match((await get('/people', 'colleague')).body, /All stages \(2\)/, 'nor counted');
      assert.equal((await get(`/people/${a.restrictedPersonId}/named-workers`, 'worker')).statusCode, 403, 'only administrators name workers');

      const noReason = await post(`/people/${a.restrictedPersonId}/named-workers`, 'admin', { email: 'colleague@kappa.test', reason: '' });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Enter why this member of staff needs to open the record/);
      assert.match(noReason.body, /value="colleague@kappa.test"/, 'what was typed is kept');
      const stranger = await post(`/people/${a.restrictedPersonId}/named-workers`, 'admin', { email: 'worker@lambda.test', reason: 'Cover' });
      assert.match(stranger.body, /Enter the email address of a member of staff at this council/, 'staff of another council cannot be named');

      const named = await post(`/people/${a.restrictedPersonId}/named-workers`, 'admin', { email: 'colleague@kappa.test', reason: 'Covering leave until 4 January' });
      assert.equal(named.statusCode, 303);
      assert.equal((await get(`/people/${a.restrictedPersonId}`, 'colleague')).statusCode, 200);
      assert.match((await get('/people?q=kappason', 'colleague')).body, /Robin kappason/, 'and is listed once they are named');
      assert.match((await get('/people', 'colleague')).body, /All stages \(3\)/);
      const added = await database.db
        .selectFrom('audit_events')
        .select(['reason', 'actor_role'])
        .where('action', '=', 'person.named_worker_added')
        .where('subject_id', '=', a.restrictedPersonId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(added, { reason: 'Covering leave until 4 January', actor_role: 'administrator' });

      const removed = await post(`/people/${a.restrictedPersonId}/named-workers/${colleagueId}/remove`, 'admin', {});
      assert.equal(removed.statusCode, 303);
      assert.equal((await get(`/people/${a.restrictedPersonId}`, 'colleague')).statusCode, 403);
    });

    it('a restricted record stays open to the family linked to it, without the staff warning', async () => {
      const page = await get(`/people/${a.restrictedPersonId}`, 'otherParent');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /This record is restricted/);
    });

    it('includes the linked family and the providers in a subject access export', async () => {
      const response = await post(`/people/${a.personId}/subject-access`, 'admin', { reason: 'SAR-2026-0200', format: 'json' });
      assert.equal(response.statusCode, 200);
      const bundle = response.json();
      assert.deepEqual(bundle.family.map((f: { email: string; relationship: string }) => [f.email, f.relationship]), [['parent@kappa.test', 'parent_carer']]);
      assert.deepEqual(bundle.providers.map((p: { name: string }) => p.name), ['Brightside Care']);
      const document = await post(`/people/${a.personId}/subject-access`, 'admin', { reason: 'SAR-2026-0200', format: 'html' });
      assert.match(document.body, /Family accounts linked to this record/);
      assert.match(document.body, /Parent carer/);
    });

    it('renders every page as valid HTML', async () => {
      assert.deepEqual(await invalidPages(renderedPages), []);
    });
  });
}
