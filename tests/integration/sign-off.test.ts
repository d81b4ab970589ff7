/**
 * Sign-off within delegated limits, the family's agreement and the personal budget (issue 5), through
 * the service: who may approve (never the author, never above their limit), the panel above every
 * limit, DBS checks before submission, refusing a direct payment with a notice, and agreement
 * turning the plan into the person's personal budget and current budget lines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import type { FastifyInstance } from 'fastify';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp, TEST_NOW } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { addApprover, addPlan, planContent, supportItem } from '../support/sign-off.ts';
import { setUpOn } from '../support/money.ts';
import { londonDate, type Clock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { signOffServices, OutOfOrderError } from '../../src/services/sign-off.ts';
import { ForbiddenError } from '../../src/services/errors.ts';
import { memoryMailer } from '../../src/services/mail/mailer.ts';
import type { Actor } from '../../src/domain/access/policy.ts';

for (const engine of await testEngines()) {
  describe(`sign-off, agreement and the personal budget (${engine})`, () => {
    let database: TestDatabase;
    let a: CouncilFixture;
    let service: ReturnType<typeof signOffServices>;
    let worker: Actor;
    let otherWorker: Actor;
    let manager: Actor; // limit £5,000
    let groupManager: Actor; // limit £20,000
    let noLimit: Actor;
    let authorApprover: Actor; // an approver who wrote a plan
    let admin: Actor;
    let family: Actor;
    let familyPersonId: string;
    const context = { requestId: 'test', sourceAddress: '127.0.0.1' };
    const clock: Clock = { now: () => TEST_NOW, today: () => londonDate(TEST_NOW) };
    const today = londonDate(TEST_NOW);

    const events = async (personId: string, action: string) =>
      database.db.selectFrom('audit_events').select(['action', 'actor_id']).where('subject_id', '=', personId).where('action', '=', action).execute();
    const status = async (planId: string) => (await database.db.selectFrom('plans').select('status').where('id', '=', planId).executeTakeFirstOrThrow()).status;

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'so', { passwordHash, email: 'worker@so.test' });
      await database.db
        .insertInto('funding_streams')
        .values({ id: crypto.randomUUID(), council_id: a.councilId, code: 'education_high_needs', name: 'Education (high needs)', funder: 'DfE', annual_envelope_pence: 100_000_000n })
        .execute();
      const who = { councilId: a.councilId, councilSlug: a.slug, councilName: 'so Council' };
      const staff = (accountId: string, role: 'caseworker' | 'approver' | 'administrator'): Actor => ({ ...who, kind: 'staff', role, accountId, displayName: role });
      worker = staff(a.accountId, 'caseworker');
      const otherWorkerId = crypto.randomUUID();
      await database.db
        .insertInto('accounts')
        .values({ id: otherWorkerId, council_id: a.councilId, kind: 'staff', email: 'w2@so.test', display_name: 'Second worker', role: 'caseworker', job_title: 'SEND caseworker', team: 'SEND', password_hash: passwordHash })
        .execute();
      otherWorker = staff(otherWorkerId, 'caseworker');
      manager = staff(await addApprover(database, a.councilId, { email: 'm5@so.test', passwordHash, limitPence: 500_000n }), 'approver');
      groupManager = staff(await addApprover(database, a.councilId, { email: 'm20@so.test', passwordHash, limitPence: 2_000_000n }), 'approver');
      noLimit = staff(await addApprover(database, a.councilId, { email: 'm0@so.test', passwordHash, limitPence: null }), 'approver');
      authorApprover = groupManager;
      admin = staff(a.adminId, 'administrator');
      familyPersonId = a.personId;
      const familyId = await addFamilyAccount(database, a.councilId, { email: 'parent@so.test', passwordHash, links: [{ personId: familyPersonId, relationship: 'parent_carer' }] });
      family = { ...who, kind: 'family', accountId: familyId, displayName: 'Parent' };
      service = signOffServices({ withCouncil: tenantRunner(database), clock, budgetSetUp: setUpOn(database) });
    });
    after(async () => {
      await database.dispose();
    });

    it('submits a draft plan that passes the checks, recording the submission and moving the person to approval', async () => {
      const { planId, personId } = await addPlan(database, a.councilId, { reference: 'SGN-1', authorId: a.accountId, content: planContent([supportItem('i1', 50)]) });
      const result = await service.submit(worker, planId, { note: 'Ready' }, context);
      assert.deepEqual(result, { ok: true, value: undefined });
      assert.equal(await status(planId), 'submitted');
      const person = await database.db.selectFrom('people').select('stage').where('id', '=', personId).executeTakeFirstOrThrow();
      assert.equal(person.stage, 'approval');
      assert.equal((await events(personId, 'person.plan_submitted')).length, 1);
      await assert.rejects(service.submit(worker, planId, {}, context), OutOfOrderError, 'a submitted plan cannot be submitted again');
    });

    it('refuses sign-off by the plan’s author, whatever their limit', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGN-2', authorId: authorApprover.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted' });
      await assert.rejects(service.decide(authorApprover, planId, { decision: 'approve', reasons: 'Fine' }, context), (e: unknown) => e instanceof ForbiddenError && /You wrote this plan/.test(e.detail));
      assert.equal(await status(planId), 'submitted');
    });

    it('refuses sign-off above the approver’s limit and by an approver with no limit', async () => {
      // £150 a week: £7,800 a year, above £5,000.
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGN-3', authorId: a.accountId, content: planContent([supportItem('i1', 150)]), status: 'submitted' });
      await assert.rejects(service.decide(manager, planId, { decision: 'approve', reasons: 'Fine' }, context), (e: unknown) => e instanceof ForbiddenError && /£7,800\.00 a year, above your limit of £5,000\.00/.test(e.detail));
      await assert.rejects(service.decide(noLimit, planId, { decision: 'approve', reasons: 'Fine' }, context), ForbiddenError);
      assert.equal(await status(planId), 'submitted');
      const queue = await service.queue(manager);
      assert.ok(queue.others.some((p) => p.planId === planId && /above your limit/.test(p.why)));
      assert.ok(!queue.mine.some((p) => p.planId === planId));
      assert.ok((await service.queue(groupManager)).mine.some((p) => p.planId === planId));
    });

    it('approves within the limit with reasons, and a second approver cannot decide it again', async () => {
      const { planId, personId } = await addPlan(database, a.councilId, { reference: 'SGN-4', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted' });
      const noReasons = await service.decide(manager, planId, { decision: 'approve', reasons: '  ' }, context);
      assert.deepEqual(noReasons, { ok: false, errors: [{ path: 'reasons', message: 'Enter the reasons for your decision' }] });
      assert.equal(await status(planId), 'submitted');
      assert.deepEqual(await service.decide(manager, planId, { decision: 'approve', reasons: 'Meets the outcomes' }, context), { ok: true, value: undefined });
      assert.equal(await status(planId), 'approved');
      await assert.rejects(service.decide(groupManager, planId, { decision: 'return', reasons: 'No' }, context), OutOfOrderError);
      const decisions = await database.db.selectFrom('plan_decisions').select(['decision', 'reasons', 'limit_pence']).where('plan_id', '=', planId).execute();
      assert.deepEqual(decisions.map((d) => [d.decision, d.reasons, d.limit_pence === null ? null : BigInt(d.limit_pence)]), [['approved', 'Meets the outcomes', 500_000n]]);
      assert.equal((await events(personId, 'person.plan_approved')).length, 1);
    });

    it('returns a plan with reasons and puts the person back to planning', async () => {
      const { planId, personId } = await addPlan(database, a.councilId, { reference: 'SGN-5', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted' });
      assert.ok((await service.decide(manager, planId, { decision: 'return', reasons: 'Outcome 1 is not measurable' }, context)).ok);
      assert.equal(await status(planId), 'returned');
      assert.equal((await database.db.selectFrom('people').select('stage').where('id', '=', personId).executeTakeFirstOrThrow()).stage, 'planning');
      assert.equal((await events(personId, 'person.plan_returned')).length, 1);
      await assert.rejects(service.submit(worker, planId, {}, context), (e: unknown) => e instanceof OutOfOrderError && /change it before submitting/.test(e.detail));
    });

    it('emails the family when their plan is approved or sent back, and about a direct payment notice, with a link and no names', async () => {
      const mailer = memoryMailer();
      const telling = signOffServices({
        withCouncil: tenantRunner(database),
        clock,
        budgetSetUp: setUpOn(database),
        mailer,
        links: { plan: (id) => `https://onebudget.test/plans/${id}`, notice: (id) => `https://onebudget.test/direct-payment-notices/${id}` },
      });
      const approved = await addPlan(database, a.councilId, { reference: 'ignored', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted', personId: familyPersonId });
      const refused = await telling.decide(manager, approved.planId, { decision: 'approve', reasons: '' }, context);
      assert.equal(refused.ok, false);
      assert.equal(mailer.sent.length, 0, 'nothing is sent for a decision that was not recorded');
      assert.ok((await telling.decide(manager, approved.planId, { decision: 'approve', reasons: 'Meets the outcomes' }, context)).ok);
      assert.deepEqual(mailer.sent.map((m) => [m.to, m.subject, m.kind]), [['parent@so.test', 'A support plan is ready for you to agree', 'plan-family-update']]);
      assert.ok(mailer.sent[0]?.body.endsWith(`https://onebudget.test/plans/${approved.planId}`));
      const notLinked = await addPlan(database, a.councilId, { reference: 'SGN-12', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted' });
      assert.ok((await telling.decide(manager, notLinked.planId, { decision: 'return', reasons: 'Outcome 1 is not measurable' }, context)).ok);
      assert.equal(mailer.sent.length, 1, 'a person with no family account: nobody to tell');
      await database.db.updateTable('plans').set({ status: 'superseded' }).where('id', '=', approved.planId).execute();
      const dp = await addPlan(database, a.councilId, { reference: 'ignored', authorId: a.accountId, content: planContent([supportItem('dp', 30, { management: 'direct_payment' })]), personId: familyPersonId });
      const notice = await telling.refuseDirectPayment(manager, dp.planId, { outcome: 'refused', category: 'consent', reasons: 'Not agreed.', itemIds: [] }, context);
      assert.ok(notice.ok);
      assert.equal(mailer.sent[1]?.subject, 'A decision about a direct payment');
      assert.ok(mailer.sent[1]?.body.endsWith(`https://onebudget.test/direct-payment-notices/${notice.value.refusalId}`));
      assert.ok(mailer.sent.every((m) => !m.body.includes('Not agreed.')), 'the reasons stay behind the sign-in');
    });

    it('lets the panel decide only a plan above every approver’s limit', async () => {
      const within = await addPlan(database, a.councilId, { reference: 'SGN-6', authorId: a.accountId, content: planContent([supportItem('i1', 300)]), status: 'submitted' });
      const panelInput = { decision: 'approve', reasons: 'Agreed at panel', panelDate: today, panelMembers: 'Head of service, finance lead' };
      await assert.rejects(service.panelDecision(manager, within.planId, panelInput, context), ForbiddenError);
      // £500 a week: £26,000 a year, above £20,000.
      const above = await addPlan(database, a.councilId, { reference: 'SGN-7', authorId: a.accountId, content: planContent([supportItem('i1', 500)]), status: 'submitted' });
      assert.ok((await service.queue(manager)).panel.some((p) => p.planId === above.planId));
      await assert.rejects(service.decide(groupManager, above.planId, { decision: 'approve', reasons: 'x' }, context), ForbiddenError);
      const missing = await service.panelDecision(manager, above.planId, { ...panelInput, panelDate: '', panelMembers: '' }, context);
      assert.deepEqual(missing.ok ? [] : missing.errors.map((e) => e.path), ['panelDate', 'panelMembers']);
      assert.ok((await service.panelDecision(manager, above.planId, panelInput, context)).ok);
      assert.equal(await status(above.planId), 'approved');
      const decision = await database.db.selectFrom('plan_decisions').select(['decision', 'panel_date', 'panel_members']).where('plan_id', '=', above.planId).executeTakeFirstOrThrow();
      assert.deepEqual([decision.decision, decision.panel_date, decision.panel_members], ['panel_approved', today, 'Head of service, finance lead']);
      assert.equal((await events(above.personId, 'person.plan_panel_decided')).length, 1);
    });

    it('refuses agreeing a plan that has not been approved', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGN-8', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted' });
      await assert.rejects(service.agree(worker, planId, { typedName: 'Jo Parent', agreedOn: today, confirmed: true }, context), OutOfOrderError);
      assert.equal(await status(planId), 'submitted');
    });

    it('the family agrees an approved plan and the personal budget appears with lines by stream and management', async () => {
      const content = planContent([
        supportItem('pa', 100, { management: 'direct_payment', paysPersonalAssistant: true }),
        supportItem('club', 20, { management: 'direct_payment' }),
        supportItem('tutor', 40, { stream: 'education_high_needs', management: 'council_managed' }),
      ]);
      const { planId } = await addPlan(database, a.councilId, { reference: 'ignored', authorId: a.accountId, content, personId: familyPersonId });
      // The PA needs a DBS check before submission.
      const blocked = await service.submit(worker, planId, {}, context);
      assert.equal(blocked.ok, false);
      assert.ok(!blocked.ok && blocked.errors.some((e) => e.path === 'dbs.pa' && /DBS check/.test(e.message)));
      assert.equal(await status(planId), 'draft');
      const badCheck = await service.recordDbs(worker, planId, 'pa', { kind: 'check', checkedOn: '2099-01-01', certificateNumber: '123' }, context);
      assert.deepEqual(badCheck.ok ? [] : badCheck.errors.map((e) => e.path), ['checkedOn', 'certificateNumber']);
      await assert.rejects(service.recordDbs(worker, planId, 'pa', { kind: 'exception', reason: 'Family member' }, context), ForbiddenError, 'a caseworker cannot agree an exception');
      assert.ok((await service.recordDbs(manager, planId, 'pa', { kind: 'exception', reason: 'Close family member already checked by the school' }, context)).ok);
      assert.ok((await service.submit(worker, planId, {}, context)).ok);
      assert.ok((await service.decide(groupManager, planId, { decision: 'approve', reasons: 'Good plan' }, context)).ok);

      const bad = await service.agree(family, planId, { typedName: ' ', agreedOn: '2099-01-01', confirmed: false }, context);
      assert.deepEqual(bad.ok ? [] : bad.errors.map((e) => e.path), ['typedName', 'agreedOn', 'confirmed']);
      assert.equal(await status(planId), 'approved');
      assert.equal(await service.activeBudget(worker, familyPersonId, context), undefined);

      const agreed = await service.agree(family, planId, { typedName: 'Jo Parent', agreedOn: today, confirmed: true }, context);
      assert.ok(agreed.ok);
      assert.equal(await status(planId), 'agreed');
      const budget = await service.activeBudget(family, familyPersonId, context);
      assert.ok(budget !== undefined);
      assert.equal(budget.startsOn, today);
      assert.equal(budget.totalPence, (100n + 20n + 40n) * 52n * 100n);
      assert.deepEqual(
        budget.lines.map((l) => [l.stream, l.management, l.annualPence]),
        [
          ['education_high_needs', 'council_managed', 208_000n],
          ['social_care', 'direct_payment', 624_000n],
        ],
      );
      const lines = await database.db.selectFrom('budget_lines').select(['management', 'annual_pence']).where('person_id', '=', familyPersonId).orderBy('annual_pence').execute();
      assert.deepEqual(lines.map((l) => [l.management, BigInt(l.annual_pence)]), [['council_managed', 208_000n], ['direct_payment', 624_000n]], 'the old budget lines are replaced');
      const person = await database.db.selectFrom('people').select(['stage', 'stage_since']).where('id', '=', familyPersonId).executeTakeFirstOrThrow();
      assert.deepEqual([person.stage, person.stage_since], ['agreed', today]);
      for (const action of ['person.dbs_check_recorded', 'person.plan_submitted', 'person.plan_approved', 'person.plan_agreed', 'person.personal_budget_viewed']) {
        assert.ok((await events(familyPersonId, action)).length >= 1, `${action} is audited`);
      }
      await assert.rejects(service.agree(family, planId, { typedName: 'Jo Parent', agreedOn: today, confirmed: true }, context), OutOfOrderError);
    });

    it('a family member cannot agree a plan of someone they are not linked to', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGN-9', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'approved' });
      await assert.rejects(service.agree(family, planId, { typedName: 'Jo', agreedOn: today, confirmed: true }, context));
      assert.equal(await status(planId), 'approved');
    });

    it('refusing a direct payment needs a category and reasons, and makes a notice the family can open', async () => {
      const content = planContent([supportItem('dp', 30, { management: 'direct_payment' })]);
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGN-10', authorId: a.accountId, content, personId: familyPersonId });
      const before = await database.db.selectFrom('direct_payment_refusals').select('id').execute();
      const refusedBefore = (await events(familyPersonId, 'person.direct_payment_refused')).length;
      const viewedBefore = (await events(familyPersonId, 'person.direct_payment_notice_viewed')).length;
      const bad = await service.refuseDirectPayment(manager, planId, { outcome: 'refused', category: '', reasons: '', itemIds: [] }, context);
      assert.deepEqual(bad.ok ? [] : bad.errors.map((e) => e.path), ['category', 'reasons']);
      assert.equal((await database.db.selectFrom('direct_payment_refusals').select('id').execute()).length, before.length, 'nothing saved');
      await assert.rejects(service.refuseDirectPayment(otherWorker, planId, { outcome: 'refused', category: 'safeguarding', reasons: 'r', itemIds: [] }, context), ForbiddenError);
      const done = await service.refuseDirectPayment(manager, planId, { outcome: 'withheld', category: 'capacity', reasons: 'Sam cannot manage the account yet.', itemIds: ['dp'] }, context);
      assert.ok(done.ok);
      const notice = await service.notice(family, done.value.refusalId, context);
      assert.equal(notice.notice.title, 'We have withheld a direct payment');
      assert.ok(notice.notice.paragraphs.some((p) => p.includes('Sam cannot manage the account yet.')));
      assert.ok(notice.notice.paragraphs.some((p) => p.includes('nominee')));
      assert.deepEqual(notice.notice.items, ['Support dp (£1,560.00 a year)']);
      assert.equal((await events(familyPersonId, 'person.direct_payment_refused')).length, refusedBefore + 1);
      assert.equal((await events(familyPersonId, 'person.direct_payment_notice_viewed')).length, viewedBefore + 1);
    });

    it('keeps approval tiers: at least one, strictly increasing, administrators only', async () => {
      assert.deepEqual(await service.tiers(admin), []);
      await assert.rejects(service.tiers(worker), ForbiddenError);
      const bad = await service.saveTiers(admin, [{ name: 'A', upToPence: 500_000n }, { name: 'B', upToPence: 400_000n }], context);
      assert.deepEqual(bad.ok ? [] : bad.errors.map((e) => e.path), ['tiers.1.upTo']);
      assert.ok((await service.saveTiers(admin, [{ name: 'Team manager', upToPence: 500_000n }, { name: 'Group manager', upToPence: 2_000_000n }], context)).ok);
      assert.deepEqual((await service.tiers(admin)).map((t) => [t.name, t.upToPence]), [['Team manager', 500_000n], ['Group manager', 2_000_000n]]);
      assert.ok((await service.saveTiers(admin, [{ name: 'Only', upToPence: 100n }], context)).ok);
      assert.equal((await service.tiers(admin)).length, 1, 'replaced in one go');
    });
  });
}

for (const engine of await testEngines()) {
  describe(`sign-off pages (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let managerId: string;
    const cookies: Record<string, string> = {};
    const today = londonDate(TEST_NOW);
    const [year, month, day] = today.split('-');
    const get = (url: string, who: string) => app.inject({ url, headers: { cookie: cookies[who] ?? '' } });
    const post = async (url: string, who: string, fields: Record<string, string> = {}) => {
      const home = await get('/', who);
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookies[who] ?? '', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...fields, _csrf: csrfFrom(home.body) }).toString(),
      });
    };
    const status = async (planId: string) => (await database.db.selectFrom('plans').select('status').where('id', '=', planId).executeTakeFirstOrThrow()).status;

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'sp', { passwordHash, email: 'worker@sp.test' });
      managerId = await addApprover(database, a.councilId, { email: 'manager@sp.test', passwordHash, limitPence: 500_000n });
      // A group manager with a higher limit, so that a £7,800 plan is not for the panel.
      await addApprover(database, a.councilId, { email: 'group@sp.test', passwordHash, limitPence: 2_000_000n });
      await addFamilyAccount(database, a.councilId, { email: 'parent@sp.test', passwordHash, links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      app = await testApp(database, { clock: { now: () => TEST_NOW, today: () => today } });
      await app.ready();
      for (const [name, email] of [
        ['worker', 'worker@sp.test'],
        ['manager', 'manager@sp.test'],
        ['parent', 'parent@sp.test'],
        ['admin', a.adminEmail],
      ] as const) {
        cookies[name] = cookieHeader(await signIn(app, email));
      }
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('the worker sees what stops submission, and submits once it is fixed', async () => {
      const content = planContent([supportItem('pa', 50, { management: 'direct_payment', paysPersonalAssistant: true })]);
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGP-1', authorId: a.accountId, content });
      const page = await get(`/plans/${planId}/submit`, 'worker');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Record a DBS check for the personal assistant/);
      assert.doesNotMatch(page.body, /Submit the plan for sign-off/);
      const refused = await post(`/plans/${planId}/submit`, 'worker');
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /govuk-error-summary/);
      const badDbs = await post(`/plans/${planId}/dbs/pa`, 'worker', { kind: 'check', 'checkedOn-day': day ?? '', 'checkedOn-month': month ?? '', 'checkedOn-year': year ?? '', certificateNumber: '12' });
      assert.equal(badDbs.statusCode, 400);
      assert.match(badDbs.body, /The DBS certificate number must be 12 digits/);
      assert.match(badDbs.body, /value="12"/, 'keeps what was typed');
      const dbs = await post(`/plans/${planId}/dbs/pa`, 'worker', { kind: 'check', 'checkedOn-day': day ?? '', 'checkedOn-month': month ?? '', 'checkedOn-year': year ?? '', certificateNumber: '001234567890' });
      assert.equal(dbs.statusCode, 303);
      const submitted = await post(`/plans/${planId}/submit`, 'worker', { note: 'Ready' });
      assert.equal(submitted.statusCode, 303);
      assert.equal(await status(planId), 'submitted');
    });

    it('the approver approves within their limit from the queue, with reasons required', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGP-2', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted' });
      const queue = await get('/sign-off', 'manager');
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, new RegExp(`href="/sign-off/${planId}"`));
      const page = await get(`/sign-off/${planId}`, 'manager');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Record the decision/);
      const missing = await post(`/sign-off/${planId}`, 'manager', { form: 'approver', decision: 'approve', reasons: '' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Enter the reasons for your decision/);
      assert.equal(await status(planId), 'submitted');
      const done = await post(`/sign-off/${planId}`, 'manager', { form: 'approver', decision: 'approve', reasons: 'Meets the outcomes' });
      assert.equal(done.statusCode, 303);
      assert.equal(await status(planId), 'approved');
      const again = await post(`/sign-off/${planId}`, 'manager', { form: 'approver', decision: 'return', reasons: 'x' });
      assert.equal(again.statusCode, 409, 'an already decided plan cannot be decided again');
      const audited = await database.db.selectFrom('audit_events').select('actor_id').where('action', '=', 'person.plan_approved').execute();
      assert.deepEqual(audited.map((e) => e.actor_id), [managerId]);
    });

    it('an approver above their limit is refused with the reason', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGP-3', authorId: a.accountId, content: planContent([supportItem('i1', 150)]), status: 'submitted' });
      const page = await get(`/sign-off/${planId}`, 'manager');
      assert.match(page.body, /above your limit of £5,000\.00/);
      assert.doesNotMatch(page.body, /Record the decision/);
      const refused = await post(`/sign-off/${planId}`, 'manager', { form: 'approver', decision: 'approve', reasons: 'ok' });
      assert.equal(refused.statusCode, 403);
      assert.equal(await status(planId), 'submitted');
      const panel = await post(`/sign-off/${planId}`, 'manager', { form: 'panel', decision: 'approve', reasons: 'ok', 'panelDate-day': '1', 'panelDate-month': '11', 'panelDate-year': '2026', panelMembers: 'A, B' });
      assert.equal(panel.statusCode, 403, 'within an approver’s limit, the panel does not decide');
    });

    it('the panel’s decision is recorded on the page of a plan above every limit', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGP-6', authorId: a.accountId, content: planContent([supportItem('i1', 500)]), status: 'submitted' });
      const page = await get(`/sign-off/${planId}`, 'manager');
      assert.match(page.body, /The panel’s decision/);
      const bad = await post(`/sign-off/${planId}`, 'manager', { form: 'panel', decision: 'approve', reasons: 'Agreed', 'panelDate-day': '31', 'panelDate-month': '2', 'panelDate-year': '2026', panelMembers: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /The date of the panel must be a real date/);
      assert.match(bad.body, /Enter who sat on the panel/);
      const done = await post(`/sign-off/${planId}`, 'manager', { form: 'panel', decision: 'approve', reasons: 'Agreed', 'panelDate-day': '19', 'panelDate-month': '11', 'panelDate-year': '2026', panelMembers: 'Head of service' });
      assert.equal(done.statusCode, 303);
      assert.equal(await status(planId), 'approved');
    });

    it('the family agrees an approved plan on their page, and cannot agree before approval', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'x', authorId: a.accountId, content: planContent([supportItem('i1', 50)]), status: 'submitted', personId: a.personId });
      const early = await get(`/plans/${planId}/agree`, 'parent');
      assert.equal(early.statusCode, 200);
      assert.match(early.body, /has not been signed off yet/);
      assert.equal((await post(`/plans/${planId}/agree`, 'parent', { typedName: 'Jo', confirmed: 'yes', 'agreedOn-day': day ?? '', 'agreedOn-month': month ?? '', 'agreedOn-year': year ?? '' })).statusCode, 409);
      assert.equal((await post(`/sign-off/${planId}`, 'manager', { form: 'approver', decision: 'approve', reasons: 'Good' })).statusCode, 303);
      const bad = await post(`/plans/${planId}/agree`, 'parent', { typedName: 'Jo Parent', 'agreedOn-day': '31', 'agreedOn-month': '2', 'agreedOn-year': '2026' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /The date the plan was agreed must be a real date/);
      assert.match(bad.body, /Confirm that you agree to this plan and its personal budget/);
      assert.match(bad.body, /value="Jo Parent"/);
      const agreed = await post(`/plans/${planId}/agree`, 'parent', { typedName: 'Jo Parent', confirmed: 'yes', 'agreedOn-day': day ?? '', 'agreedOn-month': month ?? '', 'agreedOn-year': year ?? '' });
      assert.equal(agreed.statusCode, 303);
      assert.equal(agreed.headers.location, `/plans/${planId}?done=agreed`);
      const after = await get(`/plans/${planId}?done=agreed`, 'parent');
      assert.match(after.body, /Plan agreed\. Its personal budget is now in place/);
      assert.match(after.body, /Signed off/, 'the family sees the sign-off decision and its reasons');
      assert.equal(await status(planId), 'agreed');
      const budget = await database.db.selectFrom('personal_budgets').select(['total_pence', 'status']).where('plan_id', '=', planId).executeTakeFirstOrThrow();
      assert.deepEqual([BigInt(budget.total_pence), budget.status], [260_000n, 'active']);
    });

    it('refusing a direct payment without a category or reasons shows errors and saves nothing; with both the family can open the notice', async () => {
      const { planId } = await addPlan(database, a.councilId, { reference: 'SGP-5', authorId: a.accountId, content: planContent([supportItem('dp', 30, { management: 'direct_payment' })]), personId: a.personId });
      const form = await get(`/plans/${planId}/direct-payment-refusal`, 'manager');
      assert.equal(form.statusCode, 200);
      const bad = await post(`/plans/${planId}/direct-payment-refusal`, 'manager', { outcome: 'refused' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Select the reason for the decision/);
      assert.match(bad.body, /Enter the reasons for the decision/);
      assert.equal((await database.db.selectFrom('direct_payment_refusals').select('id').where('plan_id', '=', planId).execute()).length, 0);
      const done = await post(`/plans/${planId}/direct-payment-refusal`, 'manager', { outcome: 'refused', category: 'safeguarding', reasons: 'Concerns raised by the school.' });
      assert.equal(done.statusCode, 303);
      const notice = await get(String(done.headers.location), 'parent');
      assert.equal(notice.statusCode, 200);
      assert.match(notice.body, /We have refused a direct payment/);
      assert.match(notice.body, /Concerns raised by the school\./);
      assert.match(notice.body, /right to ask the council to review this decision/);
      // The family finds the notice from the plan itself.
      const plan = await get(`/plans/${planId}`, 'parent');
      assert.equal(plan.statusCode, 200);
      assert.ok(plan.body.includes(`href="${String(done.headers.location)}"`), 'the plan links to the notice');
      assert.match(plan.body, /Refused on [^<]*: To keep the person safe \(safeguarding\)/);
    });

    it('an administrator sets up approval tiers, and bad limits are refused', async () => {
      const page = await get('/sign-off/tiers', 'admin');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Not set up yet/);
      const bad = await post('/sign-off/tiers', 'admin', { 'name-0': 'Team manager', 'upTo-0': 'lots' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /must be an amount in pounds/);
      assert.match(bad.body, /value="Team manager"/);
      const saved = await post('/sign-off/tiers', 'admin', { 'name-0': 'Team manager', 'upTo-0': '5000', 'name-1': 'Group manager', 'upTo-1': '20000', 'name-2': '', 'upTo-2': '' });
      assert.equal(saved.statusCode, 303);
      const tiers = await database.db.selectFrom('approval_tiers').select(['name', 'up_to_pence']).orderBy('up_to_pence').execute();
      assert.deepEqual(tiers.map((t) => [t.name, BigInt(t.up_to_pence)]), [['Team manager', 500_000n], ['Group manager', 2_000_000n]]);
      // The page with tiers set up (two rows and a spare) is checked as valid HTML below.
      const shown = await get('/sign-off/tiers', 'admin');
      assert.match(shown.body, /name="upTo-1"[^>]*value="20000"|value="20000"[^>]*name="upTo-1"/);
      assert.equal((await get('/sign-off/tiers', 'worker')).statusCode, 403);
    });

    it('every sign-off page it rendered is valid HTML', async () => {
      const ours = renderedPages.filter((p) => /\/(sign-off|submit|agree|direct-payment|dbs)/.test(p.url));
      assert.ok(ours.length > 10);
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
