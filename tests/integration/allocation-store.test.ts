/**
 * What the database and the allocation services guarantee, on both engines: a published model can
 * never change; a submitted questionnaire and its result are kept as they were; a decided exceptional
 * case stays decided and nobody decides their own; every result re-scores to the same figures under
 * its version; bad model JSON and bad test groups are refused naming the place, with nothing saved;
 * an impact run covers every current questionnaire.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { addAllocationFixtures, type AllocationFixture } from '../support/allocation.ts';
import { tenantRunner, type WithCouncil } from '../../src/db/tenancy.ts';
import { services, type Services } from '../../src/services/index.ts';
import { fixedClock } from '../../src/clock.ts';
import type { StaffActor } from '../../src/domain/access/policy.ts';
import { CHILDREN_BANDS_JSON } from '../../src/domain/allocation/examples.ts';
import type { RequestContext } from '../../src/services/context.ts';
import { TEST_NOW, testApp } from '../support/app.ts';
import { parseModel } from '../../src/domain/allocation/validate.ts';

const context: RequestContext = { requestId: 'test', sourceAddress: '127.0.0.1' };

async function refuses(work: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(work, (error: Error) => {
    assert.match(error.message, pattern);
    return true;
  });
}

for (const engine of await testEngines()) {
  describe(`allocation: what is kept stays as it was (${engine})`, () => {
    let database: TestDatabase;
    let withCouncil: WithCouncil;
    let council: CouncilFixture;
    let fixture: AllocationFixture;
    let wired: Services;
    let admin: StaffActor;
    let caseworker: StaffActor;
    let approver: StaffActor;

    before(async () => {
      database = await createTestDatabase(engine);
      withCouncil = tenantRunner(database);
      council = await addCouncil(database, 'kappa');
      fixture = await addAllocationFixtures(database, { councilId: council.councilId, adminId: council.adminId, caseworkerId: council.accountId, personId: council.personId });
      const approverId = crypto.randomUUID();
      await database.db
        .insertInto('accounts')
        .values({ id: approverId, council_id: council.councilId, kind: 'staff', email: 'approver@kappa.test', display_name: 'Approver', role: 'approver', job_title: 'Team manager', team: 'SEND', approval_limit_pence: 500_000n, password_hash: 'x' })
        .execute();
      wired = services({ database, clock: fixedClock(TEST_NOW), sessionIdleMinutes: 30, sessionSecret: 'a'.repeat(40) });
      const base = { councilId: council.councilId, councilSlug: council.slug, councilName: 'Kappa', displayName: 'Someone' };
      admin = { ...base, kind: 'staff', role: 'administrator', accountId: council.adminId };
      caseworker = { ...base, kind: 'staff', role: 'caseworker', accountId: council.accountId };
      approver = { ...base, kind: 'staff', role: 'approver', accountId: approverId };
    });
    after(async () => database.dispose());

    it('refuses any change to a published model, even by SQL through the application role', async () => {
      await refuses(
        () => withCouncil(council.councilId, (tx) => sql`UPDATE allocation_models SET model = jsonb_set(model, '{name}', '"Changed"') WHERE id = ${fixture.publishedModelId}`.execute(tx)),
        /published and cannot be changed/,
      );
      await refuses(() => withCouncil(council.councilId, (tx) => sql`UPDATE allocation_models SET published_on = '2026-01-01' WHERE id = ${fixture.publishedModelId}`.execute(tx)), /cannot be changed/);
      await refuses(() => withCouncil(council.councilId, (tx) => sql`DELETE FROM allocation_models WHERE id = ${fixture.publishedModelId}`.execute(tx)), /permission denied|cannot be deleted/);
      const saved = await wired.allocation.saveDraft(admin, 1, CHILDREN_BANDS_JSON, context);
      assert.equal(saved.ok, false);
      assert.match(saved.ok ? '' : (saved.errors[0]?.message ?? ''), /Version 1 is published and cannot be changed/);
    });

    it('keeps results and submitted questionnaires as they were', async () => {
      await refuses(() => withCouncil(council.councilId, (tx) => sql`UPDATE allocation_results SET total_pence = 1 WHERE id = ${fixture.resultId}`.execute(tx)), /permission denied/);
      await refuses(() => withCouncil(council.councilId, (tx) => sql`DELETE FROM allocation_results WHERE id = ${fixture.resultId}`.execute(tx)), /permission denied/);
      await refuses(
        () => withCouncil(council.councilId, (tx) => sql`UPDATE allocation_assessments SET answers = '{}' WHERE status = 'submitted'`.execute(tx)),
        /was submitted and cannot be changed/,
      );
    });

    it('re-scores a stored result under its version to exactly the same figures and explanation', async () => {
      const { stored, again } = await wired.allocation.rescore(caseworker, council.personId, fixture.resultId);
      assert.deepEqual(again, stored);
    });

    it('keeps exactly one current questionnaire per person: submitting another retires the one before, and nothing else may change', async () => {
      const open = await wired.allocation.questionnaire(caseworker, council.personId, context);
      assert.ok(open !== null, 'the fixture has a questionnaire in progress');
      for (const { question } of open.questions) {
        const level = question.levels[1] ?? question.levels[0];
        assert.ok(level !== undefined);
        assert.equal((await wired.allocation.answer(caseworker, council.personId, { questionId: question.id, levelId: level.id }, context)).ok, true);
      }
      const submitted = await wired.allocation.submit(caseworker, council.personId, context);
      assert.ok(submitted.ok);
      const rows = await database.db.selectFrom('allocation_assessments').select(['id', 'status', 'is_current']).where('person_id', '=', council.personId).execute();
      const current = rows.filter((r) => r.is_current);
      assert.equal(current.length, 1);
      assert.equal(rows.filter((r) => r.status === 'submitted').length, 2);
      const older = rows.find((r) => r.status === 'submitted' && !r.is_current);
      assert.ok(older !== undefined);
      await refuses(() => withCouncil(council.councilId, (tx) => sql`UPDATE allocation_assessments SET is_current = true WHERE id = ${older.id}`.execute(tx)), /cannot be changed/);
      await refuses(
        () => withCouncil(council.councilId, (tx) => sql`UPDATE allocation_assessments SET is_current = false, age_years = 3 WHERE id = ${current[0]?.id ?? ''}`.execute(tx)),
        /cannot be changed/,
      );
      const { stored, again } = await wired.allocation.rescore(caseworker, council.personId, submitted.value.resultId);
      assert.deepEqual(again, stored);
    });

    it('lets a draft change, refuses bad JSON naming the exact path, and saves nothing then', async () => {
      const bad = structuredClone(CHILDREN_BANDS_JSON) as unknown as { conversions: { social_care: { bands: { fromPoints: number }[]; colour?: string } } };
      const bands = bad.conversions.social_care.bands;
      if (bands[2] !== undefined) bands[2].fromPoints -= 3;
      bad.conversions.social_care.colour = 'blue';
      const before = await wired.allocation.modelVersion(admin, 2);
      const refused = await wired.allocation.saveDraft(admin, 2, bad, context);
      assert.equal(refused.ok, false);
      const paths = refused.ok ? [] : refused.errors.map((e) => e.path);
      assert.ok(paths.includes('conversions.social_care.colour'), paths.join(', '));
      const after = await wired.allocation.modelVersion(admin, 2);
      assert.deepEqual(after.json, before.json);
      const renamed = { ...CHILDREN_BANDS_JSON, name: 'Children’s model, recalibrated' };
      assert.deepEqual(await wired.allocation.saveDraft(admin, 2, renamed, context), { ok: true, value: undefined });
      assert.equal((await wired.allocation.modelVersion(admin, 2)).model.name, 'Children’s model, recalibrated');
    });

    it('stays decided once decided, and nobody decides their own request', async () => {
      const own = await wired.allocation.decideException(caseworker, fixture.requestId, { decision: 'refused', reason: 'x', agreedPence: null }, context).catch((e: Error) => e);
      assert.ok(own instanceof Error && /approvers/.test(own.message), 'a caseworker may not decide at all');
      await refuses(
        () => withCouncil(council.councilId, (tx) => sql`UPDATE exceptional_case_requests SET status = 'refused', decided_by = requested_by, decided_at = now(), decision_reason = 'mine' WHERE id = ${fixture.requestId}`.execute(tx)),
        /check constraint/,
      );
      const agreed = await wired.allocation.decideException(approver, fixture.requestId, { decision: 'agreed', reason: 'Two carers are needed for outings.', agreedPence: 850_000n }, context);
      assert.deepEqual(agreed, { ok: true, value: undefined });
      const person = await database.db.selectFrom('people').select('indicative_budget_pence').where('id', '=', council.personId).executeTakeFirstOrThrow();
      assert.equal(person.indicative_budget_pence, 850_000n);
      await refuses(() => withCouncil(council.councilId, (tx) => sql`UPDATE exceptional_case_requests SET agreed_pence = 1 WHERE id = ${fixture.requestId}`.execute(tx)), /was decided/);
      const again = await wired.allocation.decideException(approver, fixture.requestId, { decision: 'refused', reason: 'Changed my mind', agreedPence: null }, context);
      assert.equal(again.ok, false);
    });

    it('refuses a test group file with its problems by row and column, keeping nothing', async () => {
      const before = (await wired.allocationAnalysis.testGroups(admin)).length;
      const refused = await wired.allocationAnalysis.uploadTestGroup(admin, { name: 'Bad', csv: 'reference,points_social_care,current_social_care\nA,10,12.345\nA,x,10\n' }, context);
      assert.equal(refused.ok, false);
      const paths = refused.ok ? [] : refused.errors.map((e) => e.path);
      assert.ok(paths.some((p) => /row 2/.test(p) && /current_social_care/.test(p)), paths.join('; '));
      assert.ok(paths.some((p) => /row 3/.test(p) && /points_social_care/.test(p)), paths.join('; '));
      assert.equal((await wired.allocationAnalysis.testGroups(admin)).length, before);
      const view = await wired.allocationAnalysis.calibration(admin, fixture.groupId, {});
      const social = view.report.streams.find((s) => s.stream === 'social_care');
      assert.ok(social !== undefined && social.fits.throughOrigin.ok, 'a price is fitted');
    });

    it('publishes the model in force as JSON on the public API, and answers problem details when there is none', async () => {
      await addCouncil(database, 'mu');
      const app = await testApp(database);
      try {
        const published = await app.inject({ url: `/api/v1/councils/${council.slug}/allocation-model` });
        assert.equal(published.statusCode, 200);
        const body = published.json<{ version: number; publishedOn: string; model: unknown }>();
        assert.equal(body.version, 1);
        assert.equal(body.publishedOn, '2026-10-01');
        assert.ok(parseModel(body.model).ok, 'the published JSON passes the model checks');
        const none = await app.inject({ url: '/api/v1/councils/mu/allocation-model' });
        assert.equal(none.statusCode, 404);
        assert.match(String(none.headers['content-type']), /application\/problem\+json/);
        assert.match(none.json<{ detail: string }>().detail, /has not published an allocation model/);
      } finally {
        await app.close();
      }
    });

    it('runs a draft against every current questionnaire and reports the impact', async () => {
      const started = await wired.allocationAnalysis.startImpactRun(admin, context);
      assert.ok(started.ok);
      await wired.allocationAnalysis.whenFinished(started.value.runId);
      const run = await wired.allocationAnalysis.impactRun(admin, started.value.runId);
      assert.equal(run.status, 'finished', run.error ?? '');
      assert.equal(run.report?.people, 1);
      const person = await database.db.selectFrom('people').select('reference').where('id', '=', council.personId).executeTakeFirstOrThrow();
      assert.equal(run.report?.largestChanges[0]?.reference, person.reference, 'the largest changes name people by reference');
      assert.equal(run.done, run.total);
      await assert.rejects(() => wired.allocationAnalysis.impactRuns(caseworker), /administrators and commissioners/);
    });
  });
}
