/**
 * Sign-off through the JSON API (issue 5): each refusal answers with its exact status and problem
 * details (403 for the plan's author and above the approver's limit, 409 for a step out of order,
 * 422 naming each field for bad input) and saves nothing; the happy path — submit, approve within
 * the approver's limit, the family agrees — makes a personal budget an API token can read.
 * The service and the pages are tested in sign-off.test.ts. Both engines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, signIn, stepUp, testApp, TEST_NOW, withResponseCookies } from '../support/app.ts';
import { addApprover, addPlan, planContent, supportItem } from '../support/sign-off.ts';
import { londonDate } from '../../src/clock.ts';
import { periodEnd } from '../../src/domain/sign-off/sign-off.ts';

const TOKEN = /obt_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{43}/;

type Who = 'worker' | 'manager' | 'group' | 'parent' | 'admin';

for (const engine of await testEngines()) {
  describe(`sign-off API (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let groupId: string;
    /** A token with the person:view scope, issued through the administrator's pages. */
    let viewToken: string;
    const jars: Partial<Record<Who, Record<string, string>>> = {};
    const today = londonDate(TEST_NOW);

    const cookie = (who: Who) => cookieHeader(jars[who] ?? {});
    const get = (url: string, who: Who) => app.inject({ url, headers: { cookie: cookie(who) } });
    /** A JSON request of a signed-in browser: its session cookie and the CSRF token of its pages, in a header. */
    const postJson = async (url: string, who: Who, body: unknown) => {
      const csrf = csrfFrom((await get('/', who)).body);
      return app.inject({ method: 'POST', url, headers: { cookie: cookie(who), 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    };

    /** The answer is problem details with exactly these members, and nothing of the server's insides. */
    function assertProblem(response: LightMyRequestResponse, url: string, want: { status: number; title: string; detail: RegExp }): Record<string, unknown> {
      assert.equal(response.statusCode, want.status, response.body);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json; charset=utf-8$/);
      const body = response.json() as Record<string, unknown>;
      const members = want.status === 422 ? ['detail', 'errors', 'instance', 'requestId', 'status', 'title', 'type'] : ['detail', 'instance', 'requestId', 'status', 'title', 'type'];
      assert.deepEqual(Object.keys(body).sort(), members);
      assert.equal(body.type, 'about:blank');
      assert.equal(body.title, want.title);
      assert.equal(body.status, want.status);
      assert.match(String(body.detail), want.detail);
      assert.equal(body.instance, url);
      assert.equal(typeof body.requestId, 'string');
      assert.doesNotMatch(response.body, /stack|node_modules|\.ts:\d+|Error:/, 'no stack trace or error name');
      return body;
    }

    const planRow = (planId: string) => database.db.selectFrom('plans').select(['status', 'updated_at']).where('id', '=', planId).executeTakeFirstOrThrow();
    const decisionsOf = (planId: string) => database.db.selectFrom('plan_decisions').select(['decision', 'decided_by']).where('plan_id', '=', planId).execute();
    const stageOf = async (personId: string) => (await database.db.selectFrom('people').select('stage').where('id', '=', personId).executeTakeFirstOrThrow()).stage;
    const eventsAbout = async (personId: string, action: string) =>
      (await database.db.selectFrom('audit_events').select('id').where('subject_id', '=', personId).where('action', '=', action).execute()).length;
    const count = async (table: 'personal_budgets' | 'plan_agreements' | 'direct_payment_refusals' | 'dbs_checks', planId: string) =>
      (await database.db.selectFrom(table).select('plan_id').where('plan_id', '=', planId).execute()).length;

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'sapi', { passwordHash, email: 'worker@sapi.test' });
      await addApprover(database, a.councilId, { email: 'manager@sapi.test', passwordHash, limitPence: 500_000n });
      groupId = await addApprover(database, a.councilId, { email: 'group@sapi.test', passwordHash, limitPence: 2_000_000n });
      await addFamilyAccount(database, a.councilId, { email: 'parent@sapi.test', passwordHash, links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      await database.db.insertInto('approval_tiers').values({ id: crypto.randomUUID(), council_id: a.councilId, name: 'Team manager', up_to_pence: 500_000n }).execute();
      app = await testApp(database);
      await app.ready();
      for (const [who, email] of [
        ['worker', 'worker@sapi.test'],
        ['manager', 'manager@sapi.test'],
        ['group', 'group@sapi.test'],
        ['parent', 'parent@sapi.test'],
        ['admin', a.adminEmail],
      ] as const) {
        jars[who] = await signIn(app, email);
      }
      // Issued as an administrator does on the pages (after step-up), as in api-tokens.test.ts.
      const admin = jars.admin ?? {};
      await stepUp(app, admin, a.adminEmail);
      const form = await app.inject({ url: '/api-tokens/new', headers: { cookie: cookieHeader(admin) } });
      assert.equal(form.statusCode, 200);
      const issued = await app.inject({
        method: 'POST',
        url: '/api-tokens/new',
        headers: { cookie: cookieHeader(withResponseCookies(admin, form)), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(form.body), name: 'Payments system', days: '30', 'scopes[]': 'person:view' }).toString(),
      });
      assert.equal(issued.statusCode, 200, issued.body);
      viewToken = TOKEN.exec(issued.body)?.[0] ?? '';
      assert.ok(viewToken, 'the page shows the token');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('refuses to submit a plan that fails the plan checks with 422 naming each field, and saves nothing', async () => {
      const content = planContent([supportItem('pa', 50, { management: 'direct_payment', paysPersonalAssistant: true, description: ' ' })], {
        outcomes: [{ id: 'o1', area: 'care', description: 'Go swimming every week', byWhen: '2027-06-30', measure: '' }],
        moneyManager: { kind: 'not_applicable', name: '' },
      });
      const { planId, personId } = await addPlan(database, a.councilId, { reference: 'SOA-1', authorId: a.accountId, content });
      const before = await planRow(planId);
      const stageBefore = await stageOf(personId);
      const url = `/api/v1/plans/${planId}/submit`;
      const response = await postJson(url, 'worker', { note: 'Ready' });
      const body = assertProblem(response, url, { status: 422, title: 'Unprocessable content', detail: /Enter how we will know the outcome has been achieved\. Enter what the support is\./ });
      assert.deepEqual(
        (body.errors as { path: string }[]).map((e) => e.path),
        ['outcomes.0.measure', 'items.0.description', 'moneyManager.kind', 'dbs.pa'],
      );
      assert.deepEqual(await planRow(planId), before, 'still a draft, not touched');
      assert.deepEqual(await decisionsOf(planId), []);
      assert.equal(await stageOf(personId), stageBefore, 'the person is not moved to approval');
      assert.equal(await eventsAbout(personId, 'person.plan_submitted'), 0);
    });

    it('refuses approval by the plan’s author with 403 problem details, and saves nothing', async () => {
      const { planId, personId } = await addPlan(database, a.councilId, { reference: 'SOA-2', authorId: groupId, content: planContent([supportItem('i1', 50)]), status: 'submitted' });
      const url = `/api/v1/plans/${planId}/decisions`;
      const response = await postJson(url, 'group', { decision: 'approve', reasons: 'Looks right' });
      assertProblem(response, url, { status: 403, title: 'Forbidden', detail: /^You wrote this plan/ });
      assert.equal((await planRow(planId)).status, 'submitted');
      assert.deepEqual(await decisionsOf(planId), []);
      assert.equal(await eventsAbout(personId, 'person.plan_approved'), 0);
    });

    it('refuses approval above the approver’s limit with 403 and the reason; a second decision on a decided plan is 409', async () => {
      // £150 a week: £7,800 a year, above the manager's £5,000 and within the group manager's £20,000.
      const { planId, personId } = await addPlan(database, a.councilId, { reference: 'SOA-3', authorId: a.accountId, content: planContent([supportItem('i1', 150)]), status: 'submitted' });
      const url = `/api/v1/plans/${planId}/decisions`;
      const above = await postJson(url, 'manager', { decision: 'approve', reasons: 'Looks right' });
      assertProblem(above, url, { status: 403, title: 'Forbidden', detail: /£7,800\.00 a year, above your limit of £5,000\.00/ });
      assert.equal((await planRow(planId)).status, 'submitted');
      assert.deepEqual(await decisionsOf(planId), []);

      const approved = await postJson(url, 'group', { decision: 'approve', reasons: 'Meets the outcomes' });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.deepEqual(approved.json(), { planId, status: 'approved' });

      const again = await postJson(url, 'group', { decision: 'return', reasons: 'Changed my mind' });
      assertProblem(again, url, { status: 409, title: 'Conflict', detail: /^This plan has already been decided: it is approved$/ });
      assert.equal((await planRow(planId)).status, 'approved');
      assert.deepEqual(await decisionsOf(planId), [{ decision: 'approved', decided_by: groupId }], 'only the first decision landed');
      assert.equal(await eventsAbout(personId, 'person.plan_returned'), 0);
    });

    it('refuses the family’s agreement to a plan not yet approved with 409, and makes no personal budget', async () => {
      for (const status of ['draft', 'submitted'] as const) {
        const { planId, personId } = await addPlan(database, a.councilId, { reference: `SOA-4-${status}`, authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status });
        const url = `/api/v1/plans/${planId}/agreement`;
        const response = await postJson(url, 'worker', { typedName: 'Jo Parent', agreedOn: today, confirmed: true });
        assertProblem(response, url, { status: 409, title: 'Conflict', detail: /^This plan has not been signed off yet: it can be agreed once it is approved$/ });
        assert.equal((await planRow(planId)).status, status);
        assert.equal(await count('personal_budgets', planId), 0, 'no personal budget');
        assert.equal(await count('plan_agreements', planId), 0, 'no agreement');
        const budgets = await database.db.selectFrom('personal_budgets').select('id').where('person_id', '=', personId).execute();
        assert.deepEqual(budgets, []);
        assert.equal(await eventsAbout(personId, 'person.plan_agreed'), 0);
      }
    });

    it('refuses a direct payment refusal without a category or reasons with 422 naming both, and saves nothing', async () => {
      const content = planContent([supportItem('dp', 60, { management: 'direct_payment' })]);
      const { planId, personId } = await addPlan(database, a.councilId, { reference: 'SOA-5', authorId: a.accountId, content, status: 'submitted' });
      const url = `/api/v1/plans/${planId}/direct-payment-refusals`;
      for (const body of [{ outcome: 'refused' }, { outcome: 'refused', category: '', reasons: '   ' }]) {
        const response = await postJson(url, 'manager', body);
        const problem = assertProblem(response, url, { status: 422, title: 'Unprocessable content', detail: /^Select the reason for the decision\. Enter the reasons for the decision/ });
        assert.deepEqual(problem.errors, [
          { path: 'category', message: 'Select the reason for the decision' },
          { path: 'reasons', message: 'Enter the reasons for the decision, in words the family will read' },
        ]);
      }
      assert.equal(await count('direct_payment_refusals', planId), 0);
      assert.equal(await eventsAbout(personId, 'person.direct_payment_refused'), 0);
      // A category the council does not have is named too, not a 500.
      const unknown = await postJson(url, 'manager', { outcome: 'refused', category: 'because', reasons: 'Not safe' });
      assert.deepEqual((assertProblem(unknown, url, { status: 422, title: 'Unprocessable content', detail: /^Select the reason/ }).errors as { path: string }[]).map((e) => e.path), ['category']);

      const made = await postJson(url, 'manager', { outcome: 'withheld', category: 'capacity', reasons: 'Needs a suitable person to manage it.', itemIds: ['dp'] });
      assert.equal(made.statusCode, 201, made.body);
      const { refusalId, noticeUrl } = made.json() as { refusalId: string; noticeUrl: string };
      assert.equal(noticeUrl, `/direct-payment-notices/${refusalId}`);
      assert.equal(await count('direct_payment_refusals', planId), 1);
    });

    it('refuses a DBS check with an impossible date with 422, and saves nothing', async () => {
      const content = planContent([supportItem('pa', 50, { management: 'direct_payment', paysPersonalAssistant: true })]);
      const { planId } = await addPlan(database, a.councilId, { reference: 'SOA-6', authorId: a.accountId, content });
      const url = `/api/v1/plans/${planId}/dbs/pa`;
      const impossible = await postJson(url, 'worker', { kind: 'check', checkedOn: '2026-02-30', certificateNumber: '001234567890' });
      const problem = assertProblem(impossible, url, { status: 422, title: 'Unprocessable content', detail: /^The date of the DBS check must be a real date$/ });
      assert.deepEqual(problem.errors, [{ path: 'checkedOn', message: 'The date of the DBS check must be a real date' }]);
      const future = await postJson(url, 'worker', { kind: 'check', checkedOn: '2027-01-01', certificateNumber: '12' });
      assert.deepEqual((assertProblem(future, url, { status: 422, title: 'Unprocessable content', detail: /today or in the past/ }).errors as { path: string }[]).map((e) => e.path), ['checkedOn', 'certificateNumber']);
      assert.equal(await count('dbs_checks', planId), 0);
      // Still blocked from submission: the check was not recorded.
      const submit = await postJson(`/api/v1/plans/${planId}/submit`, 'worker', {});
      assert.deepEqual((assertProblem(submit, `/api/v1/plans/${planId}/submit`, { status: 422, title: 'Unprocessable content', detail: /DBS/ }).errors as { path: string }[]).map((e) => e.path), ['dbs.pa']);

      const recorded = await postJson(url, 'worker', { kind: 'check', checkedOn: today, certificateNumber: '0012 3456 7890' });
      assert.equal(recorded.statusCode, 201, recorded.body);
      assert.equal(await count('dbs_checks', planId), 1);
      const unknownItem = `/api/v1/plans/${planId}/dbs/nope`;
      assertProblem(await postJson(unknownItem, 'worker', { kind: 'check', checkedOn: today, certificateNumber: '001234567890' }), unknownItem, { status: 404, title: 'Not found', detail: /No personal assistant/ });
    });

    it('refuses a change of approval tiers by anyone but an administrator with 403, and keeps the tiers', async () => {
      const tiers = async () => (await database.db.selectFrom('approval_tiers').select(['name', 'up_to_pence']).where('council_id', '=', a.councilId).orderBy('up_to_pence').execute()).map((t) => [t.name, BigInt(t.up_to_pence)]);
      const url = '/api/v1/approval-tiers';
      const body = { tiers: [{ name: 'Team manager', upToPence: '1000000' }, { name: 'Head of service', upToPence: '5000000' }] };
      for (const who of ['worker', 'manager', 'parent'] as const) {
        assertProblem(await postJson(url, who, body), url, { status: 403, title: 'Forbidden', detail: /./ });
      }
      assert.deepEqual(await tiers(), [['Team manager', 500_000n]]);
      const decreasing = await postJson(url, 'admin', { tiers: [{ name: 'Team manager', upToPence: '1000000' }, { name: '', upToPence: '500000' }] });
      assert.deepEqual(assertProblem(decreasing, url, { status: 422, title: 'Unprocessable content', detail: /tier 2/ }).errors, [
        { path: 'tiers.1.name', message: 'Enter a name for tier 2' },
        { path: 'tiers.1.upTo', message: 'The limit of tier 2 must be more than the limit of tier 1' },
      ]);
      assert.deepEqual(await tiers(), [['Team manager', 500_000n]]);
      const saved = await postJson(url, 'admin', body);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json(), body);
      assert.deepEqual(await tiers(), [['Team manager', 1_000_000n], ['Head of service', 5_000_000n]]);
    });

    it('submits, approves within the approver’s limit and agrees, and the personal budget is readable over the API', async () => {
      // £50 a week: £2,600 a year, within the manager's £5,000.
      const { planId } = await addPlan(database, a.councilId, { reference: 'SOA-7', personId: a.personId, authorId: a.accountId, content: planContent([supportItem('i1', 50)]) });
      const budgetUrl = `/api/v1/people/${a.personId}/personal-budget`;
      const none = await app.inject({ url: budgetUrl, headers: { authorization: `Bearer ${viewToken}` } });
      assertProblem(none, budgetUrl, { status: 404, title: 'Not found', detail: /no personal budget yet/ });
      // A token reads; it cannot sign off.
      const byToken = await app.inject({ method: 'POST', url: `/api/v1/plans/${planId}/submit`, headers: { authorization: `Bearer ${viewToken}`, 'content-type': 'application/json' }, payload: '{}' });
      assert.equal(byToken.statusCode, 403);
      assert.equal((await planRow(planId)).status, 'draft');

      const submitted = await postJson(`/api/v1/plans/${planId}/submit`, 'worker', { note: 'Ready for sign-off' });
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.deepEqual(submitted.json(), { planId, status: 'submitted' });
      const approved = await postJson(`/api/v1/plans/${planId}/decisions`, 'manager', { decision: 'approve', reasons: 'Meets the outcomes' });
      assert.equal(approved.statusCode, 200, approved.body);
      const notConfirmed = await postJson(`/api/v1/plans/${planId}/agreement`, 'parent', { typedName: 'Jo Parent', agreedOn: today, confirmed: false });
      assert.deepEqual((assertProblem(notConfirmed, `/api/v1/plans/${planId}/agreement`, { status: 422, title: 'Unprocessable content', detail: /Confirm/ }).errors as { path: string }[]).map((e) => e.path), ['confirmed']);
      assert.equal(await count('personal_budgets', planId), 0);
      const agreed = await postJson(`/api/v1/plans/${planId}/agreement`, 'parent', { typedName: 'Jo Parent', agreedOn: today, confirmed: true });
      assert.equal(agreed.statusCode, 200, agreed.body);
      const { personalBudgetId, status } = agreed.json() as { personalBudgetId: string; status: string };
      assert.equal(status, 'agreed');
      assert.equal((await planRow(planId)).status, 'agreed');
      assert.deepEqual((await decisionsOf(planId)).map((d) => d.decision), ['submitted', 'approved']);

      const want = {
        id: personalBudgetId,
        planId,
        version: 1,
        startsOn: today,
        endsOn: periodEnd(today),
        totalPence: '260000',
        lines: [{ stream: 'social_care', management: 'council_managed', annualPence: '260000' }],
      };
      for (const headers of [{ authorization: `Bearer ${viewToken}` }, { cookie: cookie('worker') }, { cookie: cookie('parent') }]) {
        const read = await app.inject({ url: budgetUrl, headers });
        assert.equal(read.statusCode, 200, read.body);
        assert.deepEqual(read.json(), want);
      }
      const again = await postJson(`/api/v1/plans/${planId}/agreement`, 'parent', { typedName: 'Jo Parent', agreedOn: today, confirmed: true });
      assertProblem(again, `/api/v1/plans/${planId}/agreement`, { status: 409, title: 'Conflict', detail: /^This plan has already been agreed$/ });
      assert.equal(await count('personal_budgets', planId), 1, 'one personal budget');
    });
  });
}
