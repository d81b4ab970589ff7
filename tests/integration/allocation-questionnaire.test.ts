/**
 * A person's indicative budget through the web pages (issue 4): the questionnaire question by
 * question (save and come back, errors as content, check your answers, submit), the result with its
 * explanation for staff and for the family, the PDF, and exceptional cases from request to decision.
 *
 * The fixture person is 11 on the test clock, so 7 of the example model's 8 questions apply; they
 * have a social care package of £4,836.00 a year (one budget line), which the transition rule protects.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, enrolStaff, FIXTURE_TOTP_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp, TEST_NOW } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { londonDate, type Clock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { systemRepository } from '../../src/db/system.ts';
import { repositories } from '../../src/db/repositories/index.ts';
import { allocationServices } from '../../src/services/allocation.ts';
import { CHILDREN_BANDS_JSON } from '../../src/domain/allocation/examples.ts';
import { resultFromJson } from '../../src/domain/allocation/result-json.ts';
import { lineAmount } from '../../src/domain/allocation/score.ts';
import { sumPence } from '../../src/domain/money/money.ts';
import type { Actor } from '../../src/domain/access/policy.ts';
import { escapeHtml } from '../../src/web/format.ts';

/** The questions asked at age 11, in order. */
const QUESTIONS = ['staying-safe', 'nights', 'health', 'play-and-learning', 'getting-out', 'communication', 'family'] as const;

for (const engine of await testEngines()) {
  describe(`allocation questionnaire and indicative budget (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let approverId: string;
    let allocation: ReturnType<typeof allocationServices>;
    let worker: Actor;
    const cookies: Record<string, string> = {};
    const context = { requestId: 'test', sourceAddress: '127.0.0.1' };
    // The test clock stands still unless a test moves it on (results are ordered by when they were worked out).
    let minutes = 0;
    const instant = () => new Date(TEST_NOW.getTime() + minutes * 60_000);
    const clock: Clock = { now: instant, today: () => londonDate(instant()) };

    const base = () => `/people/${a.personId}/allocation`;
    const backLink = (html: string) => /<a href="([^"]+)" class="govuk-back-link/.exec(html)?.[1];
    const get = (url: string, who: string) => app.inject({ url, headers: { cookie: cookies[who] ?? '' } });
    const post = async (url: string, who: string, fields: Record<string, string> = {}) => {
      const home = await get('/', who); // the sign-out form carries a CSRF token, and reading it audits nothing
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookies[who] ?? '', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...fields, _csrf: csrfFrom(home.body) }).toString(),
      });
    };
    const events = async (action?: string) => {
      let q = database.db.selectFrom('audit_events').select(['action', 'actor_role']).where('subject_id', '=', a.personId);
      if (action !== undefined) q = q.where('action', '=', action);
      return q.orderBy('seq').execute();
    };
    const openAnswers = async () =>
      (await database.db.selectFrom('allocation_assessments').select('answers').where('person_id', '=', a.personId).where('status', '=', 'in_progress').executeTakeFirst())
        ?.answers;
    const latestResult = async () =>
      database.db.selectFrom('allocation_results').selectAll().where('person_id', '=', a.personId).orderBy('scored_at', 'desc').orderBy('id').executeTakeFirstOrThrow();

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'mu', { passwordHash, email: 'worker@mu.test' });
      approverId = crypto.randomUUID();
      await database.db
        .insertInto('accounts')
        .values({ id: approverId, council_id: a.councilId, kind: 'staff', email: 'approver@mu.test', display_name: 'Pat Approver', role: 'approver', job_title: 'Team manager', team: 'SEND', approval_limit_pence: 500_000n, password_hash: passwordHash })
        .execute();
      await enrolStaff(database, a.councilId, approverId, FIXTURE_TOTP_SECRET);
      await addFamilyAccount(database, a.councilId, { email: 'parent@mu.test', passwordHash, links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      await addFamilyAccount(database, a.councilId, { email: 'other-parent@mu.test', passwordHash, links: [{ personId: a.restrictedPersonId, relationship: 'parent_carer' }] });

      // The council publishes the children's example model, as an administrator would.
      allocation = allocationServices({ withCouncil: tenantRunner(database), system: systemRepository(database.db), clock });
      const who = { councilId: a.councilId, councilSlug: a.slug, councilName: 'mu Council' };
      const admin: Actor = { ...who, kind: 'staff', role: 'administrator', accountId: a.adminId, displayName: 'Administrator' };
      worker = { ...who, kind: 'staff', role: 'caseworker', accountId: a.accountId, displayName: 'Worker at mu' };
      const draft = await allocation.startDraft(admin, { json: CHILDREN_BANDS_JSON }, context);
      assert.ok(draft.ok);
      assert.ok((await allocation.publishDraft(admin, draft.value.version, 'First published model', context)).ok);

      app = await testApp(database, { clock });
      await app.ready();
      for (const [name, email] of [
        ['worker', 'worker@mu.test'],
        ['approver', 'approver@mu.test'],
        ['parent', 'parent@mu.test'],
        ['otherParent', 'other-parent@mu.test'],
      ] as const) {
        cookies[name] = cookieHeader(await signIn(app, email));
      }
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('offers to start the questionnaire, and a question page only once one is in progress', async () => {
      const page = await get(base(), 'worker');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Indicative budget for Alex muson/);
      assert.match(page.body, /There is no indicative budget yet/);
      assert.match(page.body, /Start the questionnaire/);
      const early = await get(`${base()}/questions/staying-safe`, 'worker');
      assert.equal(early.statusCode, 303, 'no questionnaire in progress: back to the indicative budget page');
      assert.equal(early.headers.location, base());
      assert.equal((await get(`${base()}/check-answers`, 'worker')).headers.location, base());
    });

    it('lets a caseworker answer question by question, save part-way and come back where they left off', async () => {
      const started = await post(`${base()}/start`, 'worker');
      assert.equal(started.statusCode, 303);
      assert.equal(started.headers.location, `${base()}/questions/staying-safe`);
      assert.equal((await events('person.allocation_started')).length, 1);

      const question = await get(`${base()}/questions/staying-safe`, 'worker');
      assert.equal(question.statusCode, 200);
      assert.match(question.body, /<h1 class="govuk-fieldset__heading">How much help does your child need to stay safe at home and when out\?<\/h1>/);
      assert.match(question.body, /Alex muson’s questionnaire: question 1 of 7/);
      assert.match(question.body, /<span class="govuk-caption-l">Staying safe<\/span>/);
      assert.match(question.body, /Lots of support/);
      assert.match(question.body, /Needs extra help with staying safe every day, for much of the day\./, 'each level’s guidance is its hint');
      assert.match(question.body, /Save and continue/);
      assert.match(question.body, /Save and come back later/);
      assert.equal(backLink(question.body), base(), 'the first question goes back to the indicative budget page');

      const first = await post(`${base()}/questions/staying-safe`, 'worker', { levelId: 'lots', action: 'continue' });
      assert.equal(first.statusCode, 303);
      assert.equal(first.headers.location, `${base()}/questions/nights`);
      const second = await get(`${base()}/questions/nights`, 'worker');
      assert.match(second.body, /question 2 of 7/);
      assert.equal(backLink(second.body), `${base()}/questions/staying-safe`);

      const later = await post(`${base()}/questions/nights`, 'worker', { levelId: 'lots', action: 'later' });
      assert.equal(later.statusCode, 303);
      assert.equal(later.headers.location, base(), 'save and come back later returns to the indicative budget page');
      assert.deepEqual(await openAnswers(), { 'staying-safe': 'lots', nights: 'lots' });

      const back = await get(base(), 'worker');
      assert.match(back.body, /You have answered 2 of 7 questions/);
      assert.match(back.body, new RegExp(`href="${base()}/questions/health"[^>]*>\\s*Continue`), 'continue goes to the next unanswered question');
      const unknown = await get(`${base()}/questions/no-such-question`, 'worker');
      assert.equal(unknown.statusCode, 303);
      assert.equal(unknown.headers.location, `${base()}/questions/health`, 'an unknown question goes to the next unanswered one');
    });

    it('shows an error next to the radios when nothing is chosen, and refuses a level or a question that does not exist', async () => {
      const before = await openAnswers();
      const nothing = await post(`${base()}/questions/health`, 'worker', { action: 'continue' });
      assert.equal(nothing.statusCode, 400);
      assert.match(nothing.body, /govuk-error-summary/);
      assert.match(nothing.body, /<a href="#levelId">Select how much support is needed with health and personal care<\/a>/);
      assert.match(nothing.body, /<p id="levelId-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> Select how much support is needed with health and personal care/);
      assert.match(nothing.body, /<title>Error: /);

      const badLevel = await post(`${base()}/questions/health`, 'worker', { levelId: 'enormous', action: 'continue' });
      assert.equal(badLevel.statusCode, 400);
      assert.match(badLevel.body, /govuk-error-summary/);
      assert.match(badLevel.body, /levelId-error/);

      const notAsked = await post(`${base()}/questions/independence`, 'worker', { levelId: 'lots', action: 'continue' });
      assert.equal(notAsked.statusCode, 400, 'a question not asked at this age is refused');
      const madeUp = await post(`${base()}/questions/made-up`, 'worker', { levelId: 'lots', action: 'continue' });
      assert.equal(madeUp.statusCode, 400, 'a question not in the questionnaire is refused');
      assert.match(madeUp.body, /This is not a question of the questionnaire/);
      assert.deepEqual(await openAnswers(), before, 'nothing was saved');
      assert.equal((await events('person.allocation_answered')).length, 2, 'only the two good answers were recorded');
    });

    it('checks the answers grouped by area, changes one and returns to the check, then submits and shows the explained total', async () => {
      for (const id of QUESTIONS.slice(2)) {
        const saved = await post(`${base()}/questions/${id}`, 'worker', { levelId: 'some', action: 'continue' });
        assert.equal(saved.statusCode, 303, id);
        if (id === 'family') assert.equal(saved.headers.location, `${base()}/check-answers`, 'after the last question: check your answers');
      }
      const check = await get(`${base()}/check-answers`, 'worker');
      assert.equal(check.statusCode, 200);
      assert.match(check.body, /Check the answers before submitting/);
      for (const domain of ['Staying safe', 'Being healthy', 'Enjoying and achieving', 'Making a positive contribution', 'Family and carers']) {
        assert.match(check.body, new RegExp(`<h2 class="govuk-heading-m">${domain}</h2>`));
      }
      assert.match(check.body, new RegExp(`href="${base()}/questions/family\\?returnTo=check"`));
      assert.match(check.body, /Change<span class="govuk-visually-hidden"> how the family is coping<\/span>/);

      const change = await get(`${base()}/questions/family?returnTo=check`, 'worker');
      assert.match(change.body, /name="returnTo" value="check"/);
      assert.equal(backLink(change.body), `${base()}/check-answers`);
      assert.match(change.body, /value="some" checked/, 'the saved answer is chosen');
      const changed = await post(`${base()}/questions/family`, 'worker', { levelId: 'some', returnTo: 'check', action: 'continue' });
      assert.equal(changed.headers.location, `${base()}/check-answers`);

      const submitted = await post(`${base()}/check-answers`, 'worker');
      assert.equal(submitted.statusCode, 303);
      assert.equal(submitted.headers.location, `${base()}?submitted=yes`);

      // 21 + 21 + 5 × 8 = 82 points: the band "Some", £3,600.00. Age 11: no age reduction. A reduction
      // from the current £4,836.00 is limited to 15% (£725.40) in the first year: £4,110.60.
      const stored = await latestResult();
      assert.equal(stored.total_pence, 411_060n);
      const result = resultFromJson(stored.explanation);
      const stream = result.streams[0];
      assert.ok(stream);
      assert.equal(sumPence(stream.lines.map(lineAmount)), result.totals.indicativePence, 'the explanation’s lines add up to the total');

      const page = await get(submitted.headers.location as string, 'worker');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Questionnaire submitted\. The indicative budget is below\./);
      assert.match(page.body, /govuk-panel__title[^>]*>\s*£4,110\.60 a year/);
      assert.match(page.body, /between £3,699\.54 and £4,521\.66 a year/);
      assert.match(page.body, /This is an indicative budget: an estimate to plan with, not yet a decision\./);
      for (const line of stream.lines) assert.ok(page.body.includes(escapeHtml(line.text)), `the page shows "${line.text}"`);
      assert.match(page.body, /Transitional protection/);
      assert.match(page.body, /Completed with the family by Worker at mu on 20 November 2026/);
      assert.match(page.body, /version 1, published on 20 November 2026/);
      assert.match(page.body, new RegExp(`href="${base()}/indicative-budget\\.pdf"`));
      assert.match(page.body, /href="\/c\/mu\/allocation"/);
      assert.match(page.body, new RegExp(`href="${base()}/exceptional-case"[^>]*>Ask for an exceptional case decision`));
      assert.doesNotMatch(page.body, /Continue/, 'nothing is in progress any more');

      const person = await database.db.selectFrom('people').select('indicative_budget_pence').where('id', '=', a.personId).executeTakeFirstOrThrow();
      assert.equal(person.indicative_budget_pence, 411_060n);
      const record = await get(`/people/${a.personId}`, 'worker');
      assert.match(record.body, /Indicative budget/);
      assert.match(record.body, new RegExp(`href="${base()}"`), 'the record links to the indicative budget page');
    });

    it('re-scores the stored result under its version to exactly the same figures', async () => {
      const stored = await latestResult();
      const { stored: kept, again } = await allocation.rescore(worker, a.personId, stored.id);
      assert.deepStrictEqual(again, kept);
      assert.equal(again.totals.indicativePence, 411_060n);
    });

    it('downloads the indicative budget as a PDF, audited', async () => {
      const before = (await events('person.allocation_pdf_downloaded')).length;
      const pdf = await get(`${base()}/indicative-budget.pdf`, 'parent');
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="indicative-budget-MU-1-2026-11-20\.pdf"$/);
      assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal((await events('person.allocation_pdf_downloaded')).length, before + 1);
    });

    it('sends a worker’s request to an approver, who agrees an amount with reasons that becomes the indicative budget', async () => {
      const form = await get(`${base()}/exceptional-case`, 'worker');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /£4,110\.60 a year/);

      const empty = await post(`${base()}/exceptional-case`, 'worker', { reason: ' ', amount: 'lots' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /<a href="#reason">Enter why the indicative budget is not enough<\/a>/);
      assert.match(empty.body, /<a href="#amount">Enter the amount in pounds/);
      assert.match(empty.body, /id="amount-error"/);

      const sent = await post(`${base()}/exceptional-case`, 'worker', { reason: 'Two carers are needed at night.', amount: '£6,000' });
      assert.equal(sent.statusCode, 303);
      const pending = await get(base(), 'worker');
      assert.match(pending.body, /Waiting for a decision/);
      assert.match(pending.body, /Worker’s request/);
      assert.doesNotMatch(pending.body, /Ask for an exceptional case decision/, 'one request at a time');

      assert.equal((await get('/allocation/exceptional-cases', 'worker')).statusCode, 403, 'caseworkers do not decide');
      const list = await get('/allocation/exceptional-cases', 'approver');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Alex muson/);
      assert.match(list.body, /Worker’s request/);
      assert.match(list.body, /£6,000\.00/);
      const home = await get('/', 'approver');
      assert.match(home.body, /href="\/allocation\/exceptional-cases"/, 'the approver’s home page links to the list');

      const request = await database.db.selectFrom('exceptional_case_requests').select('id').where('person_id', '=', a.personId).executeTakeFirstOrThrow();
      const viewedBefore = (await events('person.exceptional_case_viewed')).length;
      const page = await get(`/allocation/exceptional-cases/${request.id}`, 'approver');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Two carers are needed at night\./);
      assert.match(page.body, /How the indicative budget was worked out/);
      assert.equal((await events('person.exceptional_case_viewed')).length, viewedBefore + 1);

      const noAmount = await post(`/allocation/exceptional-cases/${request.id}`, 'approver', { decision: 'agreed', amount: '', reason: '' });
      assert.equal(noAmount.statusCode, 400);
      assert.match(noAmount.body, /<a href="#amount">Enter the annual amount agreed<\/a>/);
      assert.match(noAmount.body, /<a href="#reason">Enter the reasons for the decision<\/a>/);
      const contradiction = await post(`/allocation/exceptional-cases/${request.id}`, 'approver', { decision: 'refused', amount: '5800', reason: 'Not needed.' });
      assert.equal(contradiction.statusCode, 400, 'a refusal with an amount is pointed out, not quietly ignored');
      assert.match(contradiction.body, /<a href="#amount">Leave the amount empty when you refuse the request/);

      const agreed = await post(`/allocation/exceptional-cases/${request.id}`, 'approver', {
        decision: 'agreed',
        amount: '5800',
        reason: 'Night support by two carers is needed twice a week.',
      });
      assert.equal(agreed.statusCode, 303);
      const person = await database.db.selectFrom('people').select('indicative_budget_pence').where('id', '=', a.personId).executeTakeFirstOrThrow();
      assert.equal(person.indicative_budget_pence, 580_000n);
      const shown = await get(base(), 'parent');
      assert.match(shown.body, /govuk-panel__title[^>]*>\s*£5,800\.00 a year/);
      assert.match(shown.body, /Agreed/);
      assert.match(shown.body, /Night support by two carers is needed twice a week\./);
      assert.equal((await get('/allocation/exceptional-cases/x', 'approver')).statusCode, 400, 'not a request id');
      assert.equal((await get(`/allocation/exceptional-cases/${crypto.randomUUID()}`, 'approver')).statusCode, 404, 'no such request');
    });

    it('does not let an approver decide a request they made', async () => {
      const result = await latestResult();
      const id = crypto.randomUUID();
      await tenantRunner(database)(a.councilId, (tx) =>
        repositories(tx).allocation.insertRequest({
          id,
          councilId: a.councilId,
          personId: a.personId,
          resultId: result.id,
          trigger: 'worker',
          reason: 'Asked by the approver themself.',
          requestedPence: null,
          by: approverId,
          now: TEST_NOW,
        }),
      );
      const page = await get(`/allocation/exceptional-cases/${id}`, 'approver');
      assert.match(page.body, /You asked for this decision, so another approver must make it\./);
      const refused = await post(`/allocation/exceptional-cases/${id}`, 'approver', { decision: 'refused', reason: 'Not needed.' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /You asked for this decision, so another approver must make it\./);
      const row = await database.db.selectFrom('exceptional_case_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
    });

    it('lets a linked family member complete it from their own account; a capped result goes to the panel', async () => {
      minutes += 5; // a later questionnaire, the same day
      const page = await get(base(), 'parent');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /£5,800\.00 a year/, 'the family sees the same page');
      assert.match(page.body, /Start a new questionnaire/);
      assert.doesNotMatch(page.body, /Ask for an exceptional case decision/, 'only workers ask for exceptional cases');

      const started = await post(`${base()}/start`, 'parent');
      assert.equal(started.headers.location, `${base()}/questions/staying-safe`);
      assert.equal((await post(`${base()}/questions/staying-safe`, 'parent', { levelId: 'exceptional', action: 'continue' })).statusCode, 303);
      const early = await post(`${base()}/check-answers`, 'parent');
      assert.equal(early.statusCode, 400, 'submitting with unanswered questions is refused');
      assert.match(early.body, /Answer every question before submitting/);
      assert.match(early.body, new RegExp(`<a href="${base()}/questions/nights\\?returnTo=check">Answer “Support at night”</a>`));

      for (const id of QUESTIONS.slice(1)) await post(`${base()}/questions/${id}`, 'parent', { levelId: 'exceptional', action: 'continue' });
      const submitted = await post(`${base()}/check-answers`, 'parent');
      assert.equal(submitted.statusCode, 303);
      const result = await get(submitted.headers.location as string, 'parent');
      // 7 × 28 = 196 points: the band "Exceptional", £14,500.00, capped at £13,000.00.
      assert.match(result.body, /govuk-panel__title[^>]*>\s*£13,000\.00 a year/);
      assert.match(result.body, /Completed by the family on 20 November 2026/);
      assert.match(result.body, /Cap reached/);
      assert.match(result.body, /Waiting for a decision/);
      assert.match(result.body, /All indicative budgets/);
      const cap = await database.db
        .selectFrom('exceptional_case_requests')
        .select(['status', 'trigger'])
        .where('person_id', '=', a.personId)
        .where('trigger', '=', 'cap')
        .executeTakeFirstOrThrow();
      assert.deepEqual(cap, { status: 'pending', trigger: 'cap' });
      const list = await get('/allocation/exceptional-cases', 'approver');
      assert.match(list.body, /Cap reached/);
      const familyEvents = (await events()).filter((e) => e.actor_role === 'family').map((e) => e.action);
      assert.ok(familyEvents.includes('person.allocation_submitted'));
    });

    it('hides the indicative budget from a family member who is not linked to the person', async () => {
      assert.equal((await get(base(), 'otherParent')).statusCode, 404);
      assert.equal((await get(`${base()}/questions/staying-safe`, 'otherParent')).statusCode, 404);
      assert.equal((await get(`${base()}/indicative-budget.pdf`, 'otherParent')).statusCode, 404);
      assert.equal((await post(`${base()}/start`, 'otherParent')).statusCode, 404);
    });

    it('writes an audit event for every read of the person’s indicative budget', async () => {
      for (const [url, action, who] of [
        [base(), 'person.allocation_viewed', 'parent'],
        [`${base()}/exceptional-case`, 'person.allocation_viewed', 'worker'],
        [`${base()}/indicative-budget.pdf`, 'person.allocation_pdf_downloaded', 'worker'],
      ] as const) {
        const before = (await events()).length;
        const same = (await events(action)).length;
        assert.equal((await get(url, who)).statusCode, 200, url);
        assert.equal((await events(action)).length, same + 1, `${url} wrote ${action}`);
        assert.equal((await events()).length, before + 1, `${url} wrote nothing else`);
      }
      await post(`${base()}/start`, 'worker');
      const before = (await events('person.allocation_questionnaire_viewed')).length;
      assert.equal((await get(`${base()}/questions/staying-safe`, 'worker')).statusCode, 200);
      assert.equal((await get(`${base()}/check-answers`, 'worker')).statusCode, 200);
      assert.equal((await events('person.allocation_questionnaire_viewed')).length, before + 2);
    });

    it('renders only valid HTML on the indicative budget pages', async () => {
      const ours = renderedPages.filter((p) => /\/allocation\b/.test(p.url));
      assert.ok(ours.length > 10);
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
