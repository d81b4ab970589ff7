/**
 * Cases and the statutory pathway through the pages and the API (issue 5): opening a case, the EHC
 * steps in order, out-of-order steps and bad input refused with nothing saved, the caseload around
 * "today" (TEST_NOW: 20 November 2026), restricted records kept out of other workers' lists, the
 * audited timeline, and the emails (a family's at the draft plan, a worker's before each deadline,
 * each sent once).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, mailOf, renderedPages, signIn, testApp, TEST_NOW } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { addCase, addPerson } from '../support/cases.ts';
import { fixedClock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { systemRepository } from '../../src/db/system.ts';
import { caseServices } from '../../src/services/cases.ts';
import { memoryMailer, type MailMessage } from '../../src/services/mail/mailer.ts';

/** 42 days before a date: a request whose "decide whether to assess" deadline falls on it. */
const sixWeeksBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 42 * 86_400_000).toISOString().slice(0, 10);

for (const engine of await testEngines()) {
  describe(`cases and the statutory pathway (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let b: CouncilFixture;
    let otherWorkerB: string;
    let restrictedCaseB: string;
    const caseIdsB: Record<string, string> = {};
    const cookies: Record<string, string> = {};

    const get = (url: string, who: string) => app.inject({ url, headers: { cookie: cookies[who] ?? '' } });
    const csrf = async (who: string) => csrfFrom((await get('/', who)).body);
    const post = async (url: string, who: string, fields: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookies[who] ?? '', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...fields, _csrf: await csrf(who) }).toString(),
      });
    const postJson = async (url: string, who: string, body: unknown) =>
      app.inject({ method: 'POST', url, headers: { cookie: cookies[who] ?? '', 'x-csrf-token': await csrf(who), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    const dateFields = (name: string, iso: string) => {
      const [year, month, day] = iso.split('-');
      return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year ?? '' };
    };
    const stepsOf = async (caseId: string) =>
      database.db.selectFrom('case_steps').select(['kind', 'occurred_on']).where('case_id', '=', caseId).orderBy('occurred_on').orderBy('recorded_at').execute();
    const caseRow = async (caseId: string) => database.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const sent = () => (mailOf(app) as unknown as { sent: MailMessage[] }).sent;

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'ca', { passwordHash, email: 'worker@ca.test' });
      b = await addCouncil(database, 'cb', { passwordHash, email: 'worker@cb.test' });
      await addFamilyAccount(database, a.councilId, { email: 'parent@ca.test', passwordHash, links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      otherWorkerB = await addStaff(database, b.councilId, { email: 'other@cb.test', passwordHash });
      // A worker in another team, whose cases are not "my team's" for the cb worker.
      const elsewhere = await addStaff(database, b.councilId, { email: 'elsewhere@cb.test', passwordHash });
      await database.db.updateTable('accounts').set({ team: 'Adults' }).where('id', '=', elsewhere).execute();

      // Council cb's caseload, around today (20 November 2026).
      const people = async (ref: string, given: string, family: string, restricted = false) =>
        addPerson(database, b.councilId, { reference: ref, givenName: given, familyName: family, restricted, leadWorkerId: restricted ? otherWorkerB : null });
      const add = async (key: string, personId: string, lead: string, due: string | null, caseType: 'ehc' | 'social_care_adult' = 'ehc') => {
        caseIdsB[key] = await addCase(database, b.councilId, {
          personId,
          leadWorkerId: lead,
          caseType,
          requestDate: due === null ? '2026-03-02' : sixWeeksBefore(due),
          stage: 'request',
          nextDueOn: due,
          nextDueKind: 'decide_whether_to_assess',
        });
      };
      await add('overdue', await people('CB-10', 'Olive', 'Oakes'), b.accountId, '2026-11-10');
      await add('today', await people('CB-11', 'Toby', 'Tate'), b.accountId, '2026-11-20');
      await add('soon', await people('CB-12', 'Sam', 'Sowerby'), b.accountId, '2026-11-26');
      await add('later', await people('CB-13', 'Lena', 'Lark'), b.accountId, '2026-11-27');
      await add('track', await people('CB-14', 'Ada', 'Ashby'), otherWorkerB, '2027-01-10', 'social_care_adult');
      await add('none', await people('CB-15', 'Ned', 'Nash'), b.accountId, null);
      await add('elsewhere', await people('CB-16', 'Eve', 'Ellis'), elsewhere, '2026-11-21');
      restrictedCaseB = await addCase(database, b.councilId, {
        personId: await people('CB-17', 'Rae', 'Rowe', true),
        leadWorkerId: otherWorkerB,
        requestDate: sixWeeksBefore('2026-11-14'),
        stage: 'request',
        nextDueOn: '2026-11-14',
        nextDueKind: 'decide_whether_to_assess',
      });

      app = await testApp(database);
      await app.ready();
      for (const [name, email] of [
        ['worker', 'worker@ca.test'],
        ['admin', a.adminEmail],
        ['parent', 'parent@ca.test'],
        ['workerB', 'worker@cb.test'],
        ['otherB', 'other@cb.test'],
      ] as const) {
        cookies[name] = cookieHeader(await signIn(app, email));
      }
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    let caseId = '';

    it('opens an EHC case from the person, with the signed-in caseworker offered as lead worker', async () => {
      const form = await get(`/people/${a.personId}/cases/new`, 'worker');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`<option value="${a.accountId}" selected>`));
      const opened = await post(`/people/${a.personId}/cases/new`, 'worker', { caseType: 'ehc', ...dateFields('requestDate', '2026-07-01'), leadWorkerId: a.accountId });
      assert.equal(opened.statusCode, 303);
      caseId = /\/cases\/([0-9a-f-]{36})$/.exec(String(opened.headers.location))?.[1] ?? '';
      assert.notEqual(caseId, '');
      assert.deepEqual(await stepsOf(caseId), [{ kind: 'request_received', occurred_on: '2026-07-01' }]);
      const row = await caseRow(caseId);
      assert.equal(row.next_due_kind, 'decide_whether_to_assess');
      assert.equal(row.next_due_on, '2026-08-12');
    });

    it('refuses to open a case with an impossible or future request date, keeping what was typed and saving nothing', async () => {
      const before = await database.db.selectFrom('cases').select('id').where('person_id', '=', a.personId).execute();
      const impossible = await post(`/people/${a.personId}/cases/new`, 'worker', { caseType: 'ehc', 'requestDate-day': '31', 'requestDate-month': '2', 'requestDate-year': '2026', leadWorkerId: a.accountId });
      assert.equal(impossible.statusCode, 400);
      assert.match(impossible.body, /govuk-error-summary/);
      assert.match(impossible.body, /Date the request was received must be a real date/);
      assert.match(impossible.body, /name="requestDate-day"[^>]*value="31"|value="31"[^>]*name="requestDate-day"/);
      const future = await post(`/people/${a.personId}/cases/new`, 'worker', { caseType: 'ehc', ...dateFields('requestDate', '2026-11-21'), leadWorkerId: a.accountId });
      assert.equal(future.statusCode, 400);
      assert.match(future.body, /must be today or in the past/);
      const noType = await post(`/people/${a.personId}/cases/new`, 'worker', { ...dateFields('requestDate', '2026-11-02'), leadWorkerId: a.accountId });
      assert.equal(noType.statusCode, 400);
      assert.match(noType.body, /Select the type of case/);
      const after = await database.db.selectFrom('cases').select('id').where('person_id', '=', a.personId).execute();
      assert.equal(after.length, before.length);
    });

    it('shows the timeline with its deadlines, offers only the next steps, and audits the read', async () => {
      const page = await get(`/cases/${caseId}`, 'worker');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Request for an EHC needs assessment received/);
      assert.match(page.body, /Decision whether to assess/);
      assert.match(page.body, /Overdue by 100 days/);
      assert.match(page.body, new RegExp(`/cases/${caseId}/steps/decided_to_assess`));
      assert.doesNotMatch(page.body, new RegExp(`/cases/${caseId}/steps/final_issued`));
      const events = await database.db.selectFrom('audit_events').select('action').where('subject_id', '=', a.personId).where('action', '=', 'person.case_viewed').execute();
      assert.ok(events.length >= 1);
    });

    it('records the decision to assess through the pages, and refuses a draft before the decision to issue and a final before the draft', async () => {
      const done = await post(`/cases/${caseId}/steps/decided_to_assess`, 'worker', dateFields('occurredOn', '2026-08-10'));
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, `/cases/${caseId}`);
      const draftForm = await get(`/cases/${caseId}/steps/draft_issued`, 'worker');
      assert.equal(draftForm.statusCode, 400);
      const draft = await post(`/cases/${caseId}/steps/draft_issued`, 'worker', dateFields('occurredOn', '2026-09-01'));
      assert.equal(draft.statusCode, 400);
      assert.match(draft.body, /The draft plan cannot be issued before the decision to issue a plan/);
      const final = await post(`/cases/${caseId}/steps/final_issued`, 'worker', dateFields('occurredOn', '2026-09-01'));
      assert.equal(final.statusCode, 400);
      assert.match(final.body, /The final plan cannot be issued before the draft plan/);
      const unknown = await post(`/cases/${caseId}/steps/made_up`, 'worker', dateFields('occurredOn', '2026-09-01'));
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual((await stepsOf(caseId)).map((s) => s.kind), ['request_received', 'decided_to_assess']);
      assert.equal((await caseRow(caseId)).stage, 'assessing');
    });

    it('shows GOV.UK errors next to the field for an impossible date, a future date and missing reasons', async () => {
      const impossible = await post(`/cases/${caseId}/steps/advice_requested`, 'worker', { 'occurredOn-day': '31', 'occurredOn-month': '2', 'occurredOn-year': '2026', adviceFrom: 'Educational psychologist' });
      assert.equal(impossible.statusCode, 400);
      assert.match(impossible.body, /href="#occurredOn-day"/);
      assert.match(impossible.body, /The date it happened must be a real date/);
      assert.match(impossible.body, /Educational psychologist/, 'what was typed is kept');
      const future = await post(`/cases/${caseId}/steps/advice_requested`, 'worker', { ...dateFields('occurredOn', '2026-11-21'), adviceFrom: 'School' });
      assert.equal(future.statusCode, 400);
      assert.match(future.body, /The date it happened must be today or in the past/);
      const noReasons = await post(`/cases/${caseId}/steps/decided_not_to_issue`, 'worker', { ...dateFields('occurredOn', '2026-09-01'), appealInformationGiven: 'yes' });
      assert.equal(noReasons.statusCode, 400);
      assert.match(noReasons.body, /href="#reasons"/);
      assert.match(noReasons.body, /Enter the reasons for the decision/);
      assert.equal((await stepsOf(caseId)).length, 2, 'nothing saved');
    });

    it('records advice, the decision to issue and the draft through the API, and emails the family once at the draft', async () => {
      const asked = await postJson(`/api/v1/cases/${caseId}/steps`, 'worker', { kind: 'advice_requested', occurredOn: '2026-08-11', details: { adviceFrom: 'Educational psychologist' } });
      assert.equal(asked.statusCode, 201, asked.body);
      const requestId = (asked.json() as { stepId: string }).stepId;
      const early = await postJson(`/api/v1/cases/${caseId}/steps`, 'worker', { kind: 'final_issued', occurredOn: '2026-09-01' });
      assert.equal(early.statusCode, 422);
      assert.match(String(early.headers['content-type']), /application\/problem\+json/);
      const problem = early.json() as { status: number; errors: { path: string; message: string }[] };
      assert.equal(problem.status, 422);
      assert.ok(problem.errors.some((e) => e.path === 'kind' && /before the draft plan/.test(e.message)));
      assert.equal((await postJson(`/api/v1/cases/${caseId}/steps`, 'worker', { kind: 'advice_received', occurredOn: '2026-09-15', details: { adviceRequestId: requestId } })).statusCode, 201);
      assert.equal((await postJson(`/api/v1/cases/${caseId}/steps`, 'worker', { kind: 'decided_to_issue', occurredOn: '2026-09-20' })).statusCode, 201);
      const mailBefore = sent().length;
      assert.equal((await postJson(`/api/v1/cases/${caseId}/steps`, 'worker', { kind: 'draft_issued', occurredOn: '2026-10-20' })).statusCode, 201);
      const toFamily = sent().slice(mailBefore).filter((m) => m.to === 'parent@ca.test');
      assert.equal(toFamily.length, 1);
      const detail = await get(`/api/v1/cases/${caseId}`, 'worker');
      assert.equal(detail.statusCode, 200);
      const body = detail.json() as { stage: string; steps: { kind: string }[]; deadlines: { kind: string; state: string }[]; allowedNextSteps: string[] };
      assert.equal(body.stage, 'draft_issued');
      assert.deepEqual(body.steps.map((s) => s.kind), ['request_received', 'decided_to_assess', 'advice_requested', 'advice_received', 'decided_to_issue', 'draft_issued']);
      assert.ok(body.deadlines.some((d) => d.kind === 'final_plan'));
      assert.ok(body.allowedNextSteps.includes('final_issued'));
      const person = await database.db.selectFrom('people').select('stage').where('id', '=', a.personId).executeTakeFirstOrThrow();
      assert.equal(person.stage, 'agreed', 'a case never moves the journey back from where other parts of the system set it');
    });

    it('opens a case through the API and refuses every step once it is closed, through both', async () => {
      const opened = await postJson(`/api/v1/people/${a.personId}/cases`, 'worker', { caseType: 'ehc', requestDate: '2026-10-01', leadWorkerId: a.accountId });
      assert.equal(opened.statusCode, 201, opened.body);
      const id = (opened.json() as { caseId: string }).caseId;
      const badDate = await postJson(`/api/v1/people/${a.personId}/cases`, 'worker', { caseType: 'ehc', requestDate: '2026-02-31', leadWorkerId: a.accountId });
      assert.equal(badDate.statusCode, 422);
      const closing = await post(`/cases/${id}/steps/decided_not_to_assess`, 'worker', { ...dateFields('occurredOn', '2026-11-02'), reasons: 'The evidence shows needs are met from the school’s resources.', appealInformationGiven: 'yes' });
      assert.equal(closing.statusCode, 303);
      const row = await caseRow(id);
      assert.equal(row.status, 'closed');
      assert.equal(row.closed_on, '2026-11-02');
      assert.equal(row.next_due_on, null);
      const viaApi = await postJson(`/api/v1/cases/${id}/steps`, 'worker', { kind: 'decided_to_assess', occurredOn: '2026-11-03' });
      assert.equal(viaApi.statusCode, 422);
      const viaPage = await post(`/cases/${id}/steps/decided_to_assess`, 'worker', dateFields('occurredOn', '2026-11-03'));
      assert.equal(viaPage.statusCode, 400);
      assert.equal((await stepsOf(id)).length, 2);
    });

    it('does not let a family open the caseload, a case form or record a step', async () => {
      assert.equal((await get('/cases', 'parent')).statusCode, 403);
      assert.notEqual((await get(`/cases/${caseId}/steps/final_issued`, 'parent')).statusCode, 200);
      const attempt = await post(`/cases/${caseId}/steps/final_issued`, 'parent', dateFields('occurredOn', '2026-11-10'));
      assert.ok(attempt.statusCode === 403 || attempt.statusCode === 404, `got ${attempt.statusCode}`);
      const api = await postJson(`/api/v1/cases/${caseId}/steps`, 'parent', { kind: 'final_issued', occurredOn: '2026-11-10' });
      assert.ok(api.statusCode === 403 || api.statusCode === 404, `got ${api.statusCode}`);
      assert.equal((await stepsOf(caseId)).length, 6);
    });

    it('counts my cases by deadline around today, and filters and sorts them', async () => {
      const list = await get('/api/v1/cases', 'workerB');
      assert.equal(list.statusCode, 200);
      const mine = list.json() as { total: number; counts: Record<string, number>; cases: { caseId: string }[] };
      assert.deepEqual(mine.counts, { overdue: 1, due_soon: 2, on_track: 1, no_deadline: 1 });
      assert.deepEqual(mine.cases.map((c) => c.caseId), [caseIdsB.overdue, caseIdsB.today, caseIdsB.soon, caseIdsB.later, caseIdsB.none]);
      const soon = (await get('/api/v1/cases?state=due_soon', 'workerB')).json() as { total: number; cases: { caseId: string }[] };
      assert.equal(soon.total, 2);
      assert.deepEqual(soon.cases.map((c) => c.caseId), [caseIdsB.today, caseIdsB.soon]);
      const byName = (await get('/api/v1/cases?sort=name', 'workerB')).json() as { cases: { familyName: string }[] };
      assert.deepEqual(byName.cases.map((c) => c.familyName), ['Lark', 'Nash', 'Oakes', 'Sowerby', 'Tate']);
      const found = (await get('/api/v1/cases?q=cb-12', 'workerB')).json() as { total: number };
      assert.equal(found.total, 1);
      const pastTheEnd = (await get('/api/v1/cases?pageSize=2&page=9', 'workerB')).json() as { page: number; pageCount: number; cases: { caseId: string }[] };
      assert.deepEqual([pastTheEnd.page, pastTheEnd.pageCount], [3, 3], 'a page past the end shows the last page');
      assert.deepEqual(pastTheEnd.cases.map((c) => c.caseId), [caseIdsB.none]);
      const nobody = (await get('/api/v1/cases?q=nobody-of-that-name', 'workerB')).json() as { total: number; counts: Record<string, number>; cases: unknown[] };
      assert.deepEqual([nobody.total, nobody.cases.length], [0, 0]);
      assert.deepEqual(nobody.counts, { overdue: 0, due_soon: 0, on_track: 0, no_deadline: 0 });
      const page = await get('/cases?state=overdue', 'workerB');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Overdue by 10 days/);
      assert.match(page.body, /Olive Oakes/);
      assert.doesNotMatch(page.body, /Sam Sowerby/);
      const all = await get('/cases', 'workerB');
      assert.match(all.body, /Due today/);
      assert.match(all.body, /Due in 6 days/);
      assert.match(all.body, /On track/);
    });

    it('lists my team’s cases without a restricted person’s case the worker may not open, and without other teams’', async () => {
      const team = (await get('/api/v1/cases?scope=team', 'workerB')).json() as { scope: string; counts: Record<string, number>; cases: { caseId: string }[] };
      assert.equal(team.scope, 'team');
      const ids = team.cases.map((c) => c.caseId);
      assert.ok(ids.includes(caseIdsB.track ?? ''));
      assert.ok(!ids.includes(restrictedCaseB), 'the restricted case is not listed');
      assert.ok(!ids.includes(caseIdsB.elsewhere ?? ''), 'another team’s case is not listed');
      assert.deepEqual(team.counts, { overdue: 1, due_soon: 2, on_track: 2, no_deadline: 1 });
      const page = await get('/cases?scope=team', 'workerB');
      assert.doesNotMatch(page.body, /Rae Rowe/);
      const asLead = (await get('/api/v1/cases?scope=team', 'otherB')).json() as { cases: { caseId: string }[] };
      assert.ok(asLead.cases.some((c) => c.caseId === restrictedCaseB), 'its lead worker sees it');
      const allForCaseworker = (await get('/api/v1/cases?scope=all', 'workerB')).json() as { scope: string };
      assert.equal(allForCaseworker.scope, 'team', 'a caseworker asking for all cases gets their team’s');
      const forbidden = await get(`/cases/${restrictedCaseB}`, 'workerB');
      assert.equal(forbidden.statusCode, 403);
    });

    it('stops listing a case to other workers as soon as its person’s record is restricted', async () => {
      const personId = (await caseRow(caseIdsB.track ?? '')).person_id;
      await database.db.updateTable('people').set({ restricted: true }).where('id', '=', personId).execute();
      try {
        const team = (await get('/api/v1/cases?scope=team', 'workerB')).json() as { cases: { caseId: string }[] };
        assert.ok(!team.cases.some((c) => c.caseId === caseIdsB.track));
      } finally {
        await database.db.updateTable('people').set({ restricted: false }).where('id', '=', personId).execute();
      }
      const again = (await get('/api/v1/cases?scope=team', 'workerB')).json() as { cases: { caseId: string }[] };
      assert.ok(again.cases.some((c) => c.caseId === caseIdsB.track));
    });

    it('emails each lead worker once about deadlines in the next 7 days or passed in the last 7, however often the job runs', async () => {
      const mailer = memoryMailer();
      const cases = caseServices({
        withCouncil: tenantRunner(database),
        system: systemRepository(database.db),
        clock: fixedClock(TEST_NOW),
        mailer,
        links: { case: (id) => `https://onebudget.test/cases/${id}` },
      });
      // Two cases a page, so that the job's paging through the due cases is exercised too.
      const first = await cases.sendDueReminders(TEST_NOW, 2);
      assert.equal(first, mailer.sent.length);
      const about = (id: string | undefined) => mailer.sent.filter((m) => m.body.includes(`https://onebudget.test/cases/${id}`));
      for (const key of ['today', 'soon', 'later'] as const) {
        const mails = about(caseIdsB[key]);
        assert.equal(mails.length, 1, `one reminder for the ${key} case`);
        assert.equal(mails[0]?.to, 'worker@cb.test');
      }
      assert.equal(about(caseIdsB.overdue).length, 0, 'a deadline 10 days past on the first run shows on the caseload, not in an email');
      assert.equal(about(caseIdsB.track).length, 0, 'nothing yet for a deadline months away');
      assert.equal(about(restrictedCaseB)[0]?.to, 'other@cb.test', 'a deadline 6 days past is still emailed, to its own lead worker');
      const second = await cases.sendDueReminders(TEST_NOW);
      assert.equal(second, 0);
      assert.equal(mailer.sent.length, first);
    });
    it('renders every case page as valid HTML, each step form included', async () => {
      const detail = (await get(`/api/v1/cases/${caseId}`, 'worker')).json() as { allowedNextSteps: string[] };
      for (const kind of [...detail.allowedNextSteps, 'lead_worker_changed']) {
        const form = await get(`/cases/${caseId}/steps/${kind}`, 'worker');
        assert.equal(form.statusCode, 200, kind);
      }
      const exception = await post(`/cases/${caseId}/steps/exception_recorded`, 'worker', { ...dateFields('occurredOn', '2026-11-01'), 'fromDate-day': '30', 'fromDate-month': '2', 'fromDate-year': '2026' });
      assert.equal(exception.statusCode, 400);
      assert.match(exception.body, /href="#fromDate-day"/);
      assert.match(exception.body, /Select the reason the time limit could not be met|must be a real date/);
      for (const url of ['/cases', '/cases?scope=team', '/cases?state=overdue&sort=name']) await get(url, 'workerB');
      const ours = renderedPages.filter((p) => /^(GET|POST) (\/cases|\/people\/[^/ ]+\/cases)/.test(p.url));
      assert.ok(ours.length > 10);
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
