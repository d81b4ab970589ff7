/**
 * The person-centred support plan (issue 5) through its services, on both engines: a caseworker
 * starts a plan from the indicative budget, writes it section by section (every save a version,
 * bad input refused with nothing saved), the family comments and asks for a personal budget, the
 * worker answers, versions are compared, and every read is audited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { addAllocationFixtures } from '../support/allocation.ts';
import { addPlanCase } from '../support/plans.ts';
import { invalidPages } from '../support/html.ts';
import type { FastifyInstance } from 'fastify';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp, TEST_NOW } from '../support/app.ts';
import { londonDate, type Clock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { planServices } from '../../src/services/plans.ts';
import { NotFoundError } from '../../src/services/errors.ts';
import type { Actor } from '../../src/domain/access/policy.ts';
import type { SupportItem } from '../../src/domain/plans/content.ts';

const clock: Clock = { now: () => TEST_NOW, today: () => londonDate(TEST_NOW) };
const context = { requestId: 'test', sourceAddress: '127.0.0.1' };

const personalAssistant: Omit<SupportItem, 'id'> = {
  description: 'Personal assistant',
  provider: 'Jo Bloggs',
  unitCostPence: 1550n,
  quantity: 6,
  frequency: 'weekly',
  stream: 'social_care',
  management: 'direct_payment',
  outcomeIds: [],
  paysPersonalAssistant: true,
};

for (const engine of await testEngines()) {
  describe(`support plans (${engine})`, () => {
    let database: TestDatabase;
    let a: CouncilFixture;
    let plans: ReturnType<typeof planServices>;
    let worker: Actor;
    let parent: Actor;
    let otherParent: Actor;
    let caseId: string;
    let planId: string;
    let indicative: bigint;
    const versionCount = async () => (await database.db.selectFrom('plan_versions').select('version').where('plan_id', '=', planId).execute()).length;
    const events = async (action: string) =>
      database.db.selectFrom('audit_events').select(['action', 'actor_role']).where('subject_id', '=', a.personId).where('action', '=', action).execute();

    before(async () => {
      database = await createTestDatabase(engine);
      a = await addCouncil(database, 'pl', { passwordHash: 'not-a-real-hash', mfa: false });
      await addAllocationFixtures(database, { councilId: a.councilId, adminId: a.adminId, caseworkerId: a.accountId, personId: a.personId });
      const result = await database.db.selectFrom('allocation_results').select('social_care_pence').where('person_id', '=', a.personId).orderBy('scored_at', 'desc').executeTakeFirstOrThrow();
      indicative = BigInt(result.social_care_pence ?? 0n);
      const parentId = await addFamilyAccount(database, a.councilId, { email: 'parent@pl.test', passwordHash: 'x', links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      const otherId = await addFamilyAccount(database, a.councilId, { email: 'other@pl.test', passwordHash: 'x', links: [{ personId: a.restrictedPersonId, relationship: 'parent_carer' }] });
      caseId = await addPlanCase(database, a.councilId, { personId: a.personId, leadWorkerId: a.accountId });
      plans = planServices({ withCouncil: tenantRunner(database), clock });
      const who = { councilId: a.councilId, councilSlug: a.slug, councilName: 'pl Council' };
      worker = { ...who, kind: 'staff', role: 'caseworker', accountId: a.accountId, displayName: 'Worker' };
      parent = { ...who, kind: 'family', accountId: parentId, displayName: 'Parent' };
      otherParent = { ...who, kind: 'family', accountId: otherId, displayName: 'Other parent' };
    });
    after(async () => {
      await database.dispose();
    });

    it('lets a caseworker start a plan from the person’s indicative budget, once per case', async () => {
      const started = await plans.startPlan(worker, a.personId, caseId, context);
      assert.ok(started.ok);
      planId = started.value.planId;
      const view = await plans.view(worker, planId, {}, context);
      assert.equal(view.plan.status, 'draft');
      assert.equal(view.plan.kind, 'initial');
      assert.equal(view.shown.version, 1);
      assert.deepEqual(view.plan.indicativeBudget, { social_care: indicative });
      assert.equal(view.shown.content.items.length, 0);
      assert.ok(view.mayEdit);
      assert.equal(view.mayComment, false);
      const again = await plans.startPlan(worker, a.personId, caseId, context);
      assert.equal(again.ok, false);
      assert.equal((await events('person.plan_started')).length, 1);
    });

    it('saves outcomes and support items as new versions, with totals against the indicative budget', async () => {
      const outcome = await plans.saveSection(
        worker,
        planId,
        { section: 'outcome', outcome: { area: 'care', description: 'Go swimming on my own', byWhen: '2027-07-31', measure: 'I swim a length' } },
        context,
      );
      assert.ok(outcome.ok);
      assert.equal(outcome.value.version, 2);
      const outcomeId = (await plans.view(worker, planId, {}, context)).shown.content.outcomes[0]?.id ?? '';
      const item = await plans.saveSection(worker, planId, { section: 'item', item: { ...personalAssistant, outcomeIds: [outcomeId] } }, context);
      assert.ok(item.ok);
      const money = await plans.saveSection(worker, planId, { section: 'money', kind: 'parent_carer', name: 'Sam Parent' }, context);
      assert.ok(money.ok);
      const view = await plans.view(worker, planId, {}, context);
      assert.equal(view.shown.version, 4);
      assert.equal(view.totals.totalPence, 483600n);
      assert.deepEqual(view.totals.byStream, [{ stream: 'social_care', planPence: 483600n, indicativePence: indicative, overBy: indicative < 483600n ? 483600n - indicative : 0n }]);
      assert.equal(view.versions.length, 4);
      assert.equal(view.versions[0]?.changeNote, 'Changed who manages the money');
      const stored = await database.db.selectFrom('plans').select('current_version').where('id', '=', planId).executeTakeFirstOrThrow();
      assert.equal(stored.current_version, 4);
    });

    it('refuses a negative cost, an item without a stream and an impossible date, saving nothing', async () => {
      const before = await versionCount();
      const negative = await plans.saveSection(worker, planId, { section: 'item', item: { ...personalAssistant, unitCostPence: -100n } }, context);
      assert.equal(negative.ok, false);
      assert.ok(!negative.ok && negative.errors.some((e) => e.path === 'items.1.unitCost'));
      const noStream = await plans.saveSection(worker, planId, { section: 'item', item: { ...personalAssistant, stream: '' as never } }, context);
      assert.ok(!noStream.ok && noStream.errors.some((e) => e.path === 'items.1.stream' && e.message === 'Select which funding stream pays for the support'));
      const unfunded = await plans.saveSection(worker, planId, { section: 'item', item: { ...personalAssistant, stream: 'health_continuing_care' } }, context);
      assert.ok(!unfunded.ok && unfunded.errors.some((e) => e.path === 'items.1.stream'), 'the fixture council funds social care only');
      const badDate = await plans.saveSection(
        worker,
        planId,
        { section: 'outcome', outcome: { area: 'health', description: 'Sleep well', byWhen: '2027-02-30', measure: 'Sleep diary' } },
        context,
      );
      assert.ok(!badDate.ok && badDate.errors.some((e) => e.path === 'outcomes.1.byWhen'));
      assert.equal(await versionCount(), before);
    });

    it('lets the family comment and propose a change; the worker must give a note to decline', async () => {
      const comment = await plans.comment(parent, planId, { section: 'support', body: 'Jo can only do 5 hours', proposedChange: '5 hours a week' }, context);
      assert.ok(comment.ok);
      const empty = await plans.comment(parent, planId, { section: 'support', body: '  ' }, context);
      assert.ok(!empty.ok && empty.errors[0]?.path === 'body');
      const declined = await plans.respondToComment(worker, comment.value.commentId, { accept: false, note: '' }, context);
      assert.ok(!declined.ok && declined.errors[0]?.path === 'note');
      const accepted = await plans.respondToComment(worker, comment.value.commentId, { accept: true, note: 'Changed to 5 hours' }, context);
      assert.ok(accepted.ok);
      const twice = await plans.respondToComment(worker, comment.value.commentId, { accept: false, note: 'No' }, context);
      assert.equal(twice.ok, false);
      const view = await plans.view(parent, planId, {}, context);
      assert.equal(view.comments[0]?.status, 'accepted');
      assert.equal(view.comments[0]?.responseNote, 'Changed to 5 hours');
      assert.equal(view.comments[0]?.proposedChange, '5 hours a week');
      assert.ok(view.mayComment);
      assert.equal(view.mayEdit, false);
    });

    it('records the family’s request for a personal budget for some items, dated today', async () => {
      const itemId = (await plans.view(parent, planId, {}, context)).shown.content.items[0]?.id ?? '';
      const none = await plans.requestPersonalBudget(parent, planId, { scope: 'some', itemIds: [] }, context);
      assert.ok(!none.ok && none.errors[0]?.path === 'itemIds');
      const unknown = await plans.requestPersonalBudget(parent, planId, { scope: 'some', itemIds: ['not-an-item'] }, context);
      assert.equal(unknown.ok, false);
      const asked = await plans.requestPersonalBudget(parent, planId, { scope: 'some', itemIds: [itemId], note: 'We want to employ Jo' }, context);
      assert.ok(asked.ok);
      const view = await plans.view(worker, planId, {}, context);
      assert.deepEqual(
        view.budgetRequests.map((r) => [r.stage, r.scope, r.itemIds, r.requestedOn, r.note]),
        [['draft', 'some', [itemId], '2026-11-20', 'We want to employ Jo']],
      );
    });

    it('does not let the family edit the plan, nor another family see it', async () => {
      await assert.rejects(plans.saveSection(parent, planId, { section: 'risks', risks: 'None' }, context), NotFoundError);
      await assert.rejects(plans.view(otherParent, planId, {}, context), NotFoundError);
      await assert.rejects(plans.comment(otherParent, planId, { section: 'support', body: 'Hello' }, context), NotFoundError);
      await assert.rejects(plans.pdf(otherParent, planId, undefined, context), NotFoundError);
    });

    it('compares two versions in plain English and audits every read', async () => {
      const compared = await plans.diff(worker, planId, 2, 4, context);
      assert.deepEqual(
        compared.changes.map((c) => [c.section, c.kind]),
        [
          ['support', 'added'],
          ['money', 'changed'],
          ['money', 'added'],
        ],
      );
      assert.match(compared.changes[0]?.after ?? '', /£4,836\.00 a year/);
      const pdf = await plans.pdf(parent, planId, 3, context);
      assert.equal(pdf.shown.version, 3);
      const viewed = await events('person.plan_viewed');
      assert.ok(viewed.some((e) => e.actor_role === 'family'));
      assert.ok(viewed.some((e) => e.actor_role === 'caseworker'));
      assert.equal((await events('person.plan_pdf_downloaded')).length, 1);
      assert.equal((await events('person.plan_changed')).length, 3);
      assert.equal((await events('person.plan_commented')).length, 1);
      assert.equal((await events('person.plan_comment_answered')).length, 1);
      assert.equal((await events('person.personal_budget_requested')).length, 1);
    });

    it('makes a returned plan a draft again when it is edited, and refuses edits while it is submitted', async () => {
      await database.db.updateTable('plans').set({ status: 'submitted' }).where('id', '=', planId).execute();
      const whileSubmitted = await plans.saveSection(worker, planId, { section: 'risks', risks: 'Water safety' }, context);
      assert.ok(!whileSubmitted.ok && whileSubmitted.errors[0]?.path === 'plan');
      await database.db.updateTable('plans').set({ status: 'returned' }).where('id', '=', planId).execute();
      const saved = await plans.saveSection(worker, planId, { section: 'risks', risks: 'Water safety' }, context);
      assert.ok(saved.ok);
      assert.equal((await plans.view(worker, planId, {}, context)).plan.status, 'draft');
    });

    it('starts a review plan from the agreed plan’s content', async () => {
      await database.db.updateTable('plans').set({ status: 'agreed' }).where('id', '=', planId).execute();
      const review = await plans.startPlan(worker, a.personId, caseId, context);
      assert.ok(review.ok);
      const view = await plans.view(worker, review.value.planId, {}, context);
      assert.equal(view.plan.kind, 'review');
      assert.equal(view.plan.replacesPlanId, planId);
      assert.equal(view.shown.content.risks, 'Water safety');
      assert.equal(view.shown.content.items.length, 1);
    });
  });
}

for (const engine of await testEngines()) {
  describe(`support plan pages (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let caseId: string;
    let planId = '';
    const cookies: Record<string, string> = {};
    const get = (url: string, who: string) => app.inject({ url, headers: { cookie: cookies[who] ?? '' } });
    const post = async (url: string, who: string, fields: Record<string, string | string[]>) => {
      const home = await get('/', who);
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...fields, _csrf: csrfFrom(home.body) })) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      return app.inject({ method: 'POST', url, headers: { cookie: cookies[who] ?? '', 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
    };
    const versionCount = async () => (await database.db.selectFrom('plan_versions').select('version').where('plan_id', '=', planId).execute()).length;
    const item = { description: 'Personal assistant', provider: 'Jo', unitCost: '15.50', quantity: '6', frequency: 'weekly', stream: 'social_care', management: 'direct_payment', paysPersonalAssistant: 'yes' };

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'pp', { passwordHash, email: 'worker@pp.test' });
      await addFamilyAccount(database, a.councilId, { email: 'parent@pp.test', passwordHash, links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      await addFamilyAccount(database, a.councilId, { email: 'other@pp.test', passwordHash, links: [{ personId: a.restrictedPersonId, relationship: 'parent_carer' }] });
      caseId = await addPlanCase(database, a.councilId, { personId: a.personId, leadWorkerId: a.accountId });
      app = await testApp(database);
      await app.ready();
      for (const [name, email] of [
        ['worker', 'worker@pp.test'],
        ['parent', 'parent@pp.test'],
        ['other', 'other@pp.test'],
      ] as const) {
        cookies[name] = cookieHeader(await signIn(app, email));
      }
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('lets a caseworker start a plan from the person’s plans page and add an outcome and support', async () => {
      const list = await get(`/people/${a.personId}/plans`, 'worker');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Start a plan for the case/);
      const started = await post(`/people/${a.personId}/plans`, 'worker', { caseId });
      assert.equal(started.statusCode, 303);
      planId = (started.headers.location ?? '').split('/').pop() ?? '';
      const page = await get(`/plans/${planId}`, 'worker');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Add an outcome/);
      const outcome = await post(`/plans/${planId}/outcomes/new`, 'worker', { area: 'care', description: 'Go swimming on my own', 'byWhen-day': '31', 'byWhen-month': '7', 'byWhen-year': '2027', measure: 'I swim a length' });
      assert.equal(outcome.statusCode, 303);
      const added = await post(`/plans/${planId}/support/new`, 'worker', item);
      assert.equal(added.statusCode, 303);
      const money = await post(`/plans/${planId}/sections/money`, 'worker', { kind: 'parent_carer', name: 'Sam Parent' });
      assert.equal(money.statusCode, 303);
      const after = await get(`/plans/${planId}`, 'worker');
      assert.match(after.body, /Go swimming on my own/);
      assert.match(after.body, /£4,836\.00/);
      assert.equal(await versionCount(), 4);
      const itemId = ((await database.db.selectFrom('plan_versions').select('content').where('plan_id', '=', planId).orderBy('version', 'desc').executeTakeFirstOrThrow()).content as { items: { id: string }[] }).items[0]?.id ?? '';
      const change = await get(`/plans/${planId}/support/${itemId}`, 'worker');
      assert.equal(change.statusCode, 200);
      assert.match(change.body, /value="15\.50"/);
      assert.match(change.body, /Remove this support/);
    });

    it('shows GOV.UK errors for a negative cost, a missing stream and an impossible date, keeping what was typed and saving nothing', async () => {
      const before = await versionCount();
      const negative = await post(`/plans/${planId}/support/new`, 'worker', { ...item, unitCost: '-5', description: 'Typed description' });
      assert.equal(negative.statusCode, 400);
      assert.match(negative.body, /govuk-error-summary/);
      assert.match(negative.body, /The cost of each unit must be £0 or more/);
      assert.match(negative.body, /value="Typed description"/);
      const noStream = await post(`/plans/${planId}/support/new`, 'worker', { ...item, stream: '' });
      assert.equal(noStream.statusCode, 400);
      assert.match(noStream.body, /Select which funding stream pays for the support/);
      const badDate = await post(`/plans/${planId}/outcomes/new`, 'worker', { area: 'care', description: 'Sleep', 'byWhen-day': '30', 'byWhen-month': '2', 'byWhen-year': '2027', measure: 'Diary' });
      assert.equal(badDate.statusCode, 400);
      assert.match(badDate.body, /must be a real date/);
      assert.equal(await versionCount(), before);
    });

    it('lets the family comment and ask for a personal budget, and the worker answer with a note', async () => {
      const familyPage = await get(`/plans/${planId}`, 'parent');
      assert.equal(familyPage.statusCode, 200);
      assert.match(familyPage.body, /Comment on this plan/);
      assert.match(familyPage.body, /Ask for a personal budget/);
      assert.doesNotMatch(familyPage.body, /Add an outcome/);
      const commented = await post(`/plans/${planId}/comments/new`, 'parent', { section: 'support', body: 'Jo can only do 5 hours', proposedChange: '5 hours a week' });
      assert.equal(commented.statusCode, 303);
      const commentId = (await database.db.selectFrom('plan_comments').select('id').where('plan_id', '=', planId).executeTakeFirstOrThrow()).id;
      const noNote = await post(`/plans/${planId}/comments/${commentId}`, 'worker', { decision: 'decline', note: '' });
      assert.equal(noNote.statusCode, 400);
      assert.match(noNote.body, /Enter why you are declining the comment/);
      const accepted = await post(`/plans/${planId}/comments/${commentId}`, 'worker', { decision: 'accept', note: 'Changed to 5 hours' });
      assert.equal(accepted.statusCode, 303);
      const itemId = ((await database.db.selectFrom('plan_versions').select('content').where('plan_id', '=', planId).orderBy('version', 'desc').executeTakeFirstOrThrow()).content as { items: { id: string }[] }).items[0]?.id ?? '';
      const asked = await post(`/plans/${planId}/personal-budget-request`, 'parent', { scope: 'some', itemIds: [itemId] });
      assert.equal(asked.statusCode, 303);
      const shown = await get(`/plans/${planId}`, 'parent');
      assert.match(shown.body, /Accepted: Changed to 5 hours/);
      assert.match(shown.body, /asked for a personal budget for Personal assistant/);
    });

    it('does not let the family edit, nor another family see the plan', async () => {
      assert.equal((await post(`/plans/${planId}/sections/risks`, 'parent', { risks: 'None' })).statusCode, 403);
      assert.equal((await get(`/plans/${planId}`, 'other')).statusCode, 404);
    });

    it('compares versions and downloads the PDF, auditing the reads', async () => {
      const versions = await get(`/plans/${planId}/versions`, 'worker');
      assert.equal(versions.statusCode, 200);
      assert.match(versions.body, /Compare two versions/);
      const compared = await get(`/plans/${planId}/compare?from=2&to=4`, 'worker');
      assert.equal(compared.statusCode, 200);
      assert.match(compared.body, /Changes from version 2 to version 4/);
      assert.match(compared.body, /Personal assistant, 6 a week at £15\.50 each/);
      const pdf = await get(`/plans/${planId}/plan.pdf`, 'parent');
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const audited = await database.db.selectFrom('audit_events').select('action').where('subject_id', '=', a.personId).execute();
      assert.ok(audited.some((e) => e.action === 'person.plan_viewed'));
      assert.ok(audited.some((e) => e.action === 'person.plan_pdf_downloaded'));
    });

    it('answers the plan and its totals as JSON to a signed-in worker, and a problem for an unknown plan', async () => {
      const answer = await get(`/api/v1/plans/${planId}`, 'worker');
      assert.equal(answer.statusCode, 200);
      const json = answer.json<{ status: string; version: { number: number }; totals: { totalPence: string } }>();
      assert.equal(json.status, 'draft');
      assert.equal(json.totals.totalPence, '483600');
      const unknown = await get('/api/v1/plans/00000000-0000-4000-8000-000000000000', 'worker');
      assert.equal(unknown.statusCode, 404);
      assert.match(String(unknown.headers['content-type']), /application\/problem\+json/);
      assert.equal((await get(`/api/v1/plans/${planId}`, 'other')).statusCode, 404);
    });

    it('removes a support item as a new version', async () => {
      assert.equal((await post(`/plans/${planId}/support/new`, 'worker', { ...item, description: 'Taxi to swimming', paysPersonalAssistant: '' })).statusCode, 303);
      const latest = async () =>
        (await database.db.selectFrom('plan_versions').select('content').where('plan_id', '=', planId).orderBy('version', 'desc').executeTakeFirstOrThrow()).content as { items: { id: string; description: string }[] };
      const taxi = (await latest()).items.find((i) => i.description === 'Taxi to swimming');
      assert.ok(taxi !== undefined);
      const before = await versionCount();
      assert.equal((await post(`/plans/${planId}/support/${taxi.id}/remove`, 'worker', {})).statusCode, 303);
      assert.equal(await versionCount(), before + 1);
      assert.equal((await latest()).items.some((i) => i.id === taxi.id), false);
    });

    it('renders every plan page as valid HTML', async () => {
      for (const url of [`/people/${a.personId}/plans`, `/plans/${planId}`, `/plans/${planId}/support/new`, `/plans/${planId}/outcomes/new`, `/plans/${planId}/sections/profile`, `/plans/${planId}/sections/contingency`, `/plans/${planId}/sections/money`, `/plans/${planId}/personal-budget-request`]) {
        assert.equal((await get(url, 'worker')).statusCode, 200, url);
      }
      assert.equal((await get(`/plans/${planId}/comments/new`, 'parent')).statusCode, 200);
      const ours = renderedPages.filter((p) => /\/plans\b/.test(p.url));
      assert.ok(ours.length >= 10);
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
