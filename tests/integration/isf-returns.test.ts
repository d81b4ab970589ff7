/**
 * Individual service fund returns (issue 6) on both engines: a provider user returns, per person
 * whose fund it holds, what it spent in an ended quarter and the balance at its end; the spending
 * goes on the ledger and each balance is compared with the ledger's, to the penny; a quarter is
 * returned once; a provider returns only for the funds it holds; finance sees the differences and
 * who is missing; a bad figure is refused next to its field with what was typed kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, enrolStaff, FIXTURE_TOTP_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import { addProviderUser } from '../support/family.ts';
import { addAgreedBudget } from '../support/money.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, postForm, renderedPages, signIn, testApp, TEST_NOW } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { fixedClock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { ledgerServices, type LedgerServices } from '../../src/services/ledger.ts';
import { isfReturnServices, type IsfReturnServices } from '../../src/services/isf-returns.ts';
import type { ProviderActor, StaffActor } from '../../src/domain/access/policy.ts';
import { penceToDecimal } from '../../src/domain/money/money.ts';
import { NotFoundError } from '../../src/services/errors.ts';

const context = { requestId: 'isf-test', sourceAddress: '127.0.0.1' };
const JULY = '2026-07-01';
const APRIL = '2026-04-01';

for (const engine of await testEngines()) {
  describe(`individual service fund returns (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let isf: IsfReturnServices;
    let ledger: LedgerServices;
    let a: CouncilFixture;
    let helping: ProviderActor;
    let other: ProviderActor;
    let finance: StaffActor;
    /** Two people whose funds Helping Hands holds, and one whose fund Other Care holds. */
    let alex: string;
    let sam: string;
    let kit: string;

    /** The ledger's provider account of a person at a provider. */
    async function fundAccount(providerId: string, personId: string): Promise<string> {
      const row = await database.db
        .selectFrom('ledger_accounts')
        .select('id')
        .where('kind', '=', 'provider')
        .where('provider_id', '=', providerId)
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow();
      return row.id;
    }

    const fundAt = async (providerId: string, personId: string, asOf: string) => ledger.balance(a.councilId, await fundAccount(providerId, personId), asOf);
    const count = async (table: 'isf_returns' | 'ledger_transactions') =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'kappa', { passwordHash, email: 'caseworker@kappa.test' });
      const council = { councilId: a.councilId, councilSlug: a.slug, councilName: 'kappa Council' };
      const h = await addProviderUser(database, a.councilId, { email: 'office@helping.test', passwordHash, supports: [], providerName: 'Helping Hands Care' });
      const o = await addProviderUser(database, a.councilId, { email: 'office@other.test', passwordHash, supports: [], providerName: 'Other Care' });
      helping = { ...council, kind: 'provider', accountId: h.accountId, providerId: h.providerId, providerName: 'Helping Hands Care', displayName: 'Helping office' };
      other = { ...council, kind: 'provider', accountId: o.accountId, providerId: o.providerId, providerName: 'Other Care', displayName: 'Other office' };
      const financeId = crypto.randomUUID();
      await database.db
        .insertInto('accounts')
        .values({ id: financeId, council_id: a.councilId, kind: 'staff', email: 'finance@kappa.test', display_name: 'Fran Finance', role: 'finance_officer', job_title: 'Finance officer', team: 'Finance', approval_limit_pence: null, password_hash: passwordHash })
        .execute();
      await enrolStaff(database, a.councilId, financeId, FIXTURE_TOTP_SECRET);
      finance = { ...council, kind: 'staff', role: 'finance_officer', accountId: financeId, displayName: 'Fran Finance' };
      // Budgets for the year from 1 April 2026, each held by a provider as an individual service fund.
      const year = { caseworkerId: a.accountId, periodStartsOn: APRIL, periodEndsOn: '2027-03-31', agreedOn: '2026-03-20' };
      alex = (await addAgreedBudget(database, a.councilId, { ...year, reference: 'ISF-1', items: [{ weeklyPounds: 100, management: 'individual_service_fund', provider: 'Helping Hands Care' }] })).personId;
      sam = (await addAgreedBudget(database, a.councilId, { ...year, reference: 'ISF-2', items: [{ weeklyPounds: 50, management: 'individual_service_fund', provider: 'Helping Hands Care' }] })).personId;
      kit = (await addAgreedBudget(database, a.councilId, { ...year, reference: 'ISF-3', items: [{ weeklyPounds: 75, management: 'individual_service_fund', provider: 'Other Care' }] })).personId;
      const clock = fixedClock(TEST_NOW);
      ledger = ledgerServices({ withCouncil: tenantRunner(database), clock });
      isf = isfReturnServices({ withCouncil: tenantRunner(database), clock, ledger });
      app = await testApp(database);
      await app.ready();
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('lists the ended quarters for the provider, the one due first, and a form with only its own people', async () => {
      const view = await isf.quarters(helping);
      assert.deepEqual(
        view.quarters.map((q) => [q.quarter.startsOn, q.submitted === undefined ? 'due' : 'submitted']),
        [
          [JULY, 'due'],
          [APRIL, 'due'],
        ],
      );
      const form = await isf.providerReturn(helping, JULY, context);
      assert.equal(form.state, 'due');
      assert.deepEqual(form.state === 'due' ? form.people.map((p) => p.personId).sort() : [], [alex, sam].sort(), 'Other Care’s person is not on Helping Hands’ return');
      await assert.rejects(isf.providerReturn(helping, '2026-10-01', context), NotFoundError, 'the current quarter has not ended');
      await assert.rejects(isf.quarters(finance), /Only provider users/);
    });

    it('refuses bad amounts per field, saying which person and why, and keeps what was typed', async () => {
      const cookies = await signIn(app, 'office@helping.test');
      const page = await app.inject({ url: `/isf-returns/${JULY}`, headers: { cookie: cookieHeader(cookies) } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Submit return for the quarter ending 30 September 2026/);
      const before = { returns: await count('isf_returns'), transactions: await count('ledger_transactions') };
      const response = await postForm(app, `/isf-returns/${JULY}`, cookies, {
        _csrf: csrfFrom(page.body),
        [`spent-${alex}`]: '10.505',
        [`balance-${alex}`]: '',
        [`spent-${sam}`]: '-5',
        [`balance-${sam}`]: '2000000',
      });
      assert.equal(response.statusCode, 400);
      const body = response.body;
      for (const message of [
        'The amount spent for Sam ISF-1 must be in pounds and pence, with no more than 2 numbers after the decimal point',
        'Enter the balance held for Sam ISF-1 at the end of the quarter',
        'The amount spent for Sam ISF-2 cannot be less than £0',
        'The balance for Sam ISF-2 must be between −£1,000,000 and £1,000,000',
      ]) {
        assert.ok(body.includes(message), `the page says “${message}”`);
      }
      for (const field of [`spent-${alex}`, `balance-${alex}`, `spent-${sam}`, `balance-${sam}`]) {
        assert.ok(body.includes(`href="#${field}"`), `the error summary links to ${field}`);
      }
      assert.match(body, new RegExp(`id="spent-${alex}" name="spent-${alex}" type="text"[^>]*value="10.505"`));
      assert.match(body, new RegExp(`value="2000000"`));
      assert.deepEqual({ returns: await count('isf_returns'), transactions: await count('ledger_transactions') }, before, 'nothing recorded');
    });

    it('a provider cannot submit for a person whose fund it does not hold', async () => {
      const before = { returns: await count('isf_returns'), transactions: await count('ledger_transactions') };
      const outcome = await isf.submit(
        helping,
        JULY,
        [
          { personId: alex, spent: '0', balance: '0' },
          { personId: sam, spent: '0', balance: '0' },
          { personId: kit, spent: '10', balance: '10' },
        ],
        context,
      );
      assert.equal(outcome.ok, false);
      assert.deepEqual(
        outcome.ok ? [] : outcome.errors.map((e) => e.path),
        ['people'],
      );
      assert.deepEqual({ returns: await count('isf_returns'), transactions: await count('ledger_transactions') }, before, 'nothing recorded');
    });

    it('a provider submits a return: its spending goes on the ledger and differences from the ledger are flagged exactly, to the penny', async () => {
      const alexFund = await fundAt(helping.providerId, alex, '2026-09-30');
      const samFund = await fundAt(helping.providerId, sam, '2026-09-30');
      assert.ok(alexFund > 0n && samFund > 0n, 'the funds were passed to the provider when the plans were agreed');
      const alexSpent = 123_456n;
      const outcome = await isf.submit(
        helping,
        JULY,
        [
          // Alex: the fund less what was spent, exactly. Sam: nothing spent, a penny more than the fund.
          { personId: alex, spent: penceToDecimal(alexSpent), balance: penceToDecimal(alexFund - alexSpent) },
          { personId: sam, spent: '0', balance: penceToDecimal(samFund + 1n) },
        ],
        context,
      );
      assert.ok(outcome.ok, JSON.stringify(outcome));
      const returnId = outcome.value.returnId;
      const lines = await database.db.selectFrom('isf_return_lines').selectAll().where('return_id', '=', returnId).execute();
      const line = (personId: string) => lines.find((l) => l.person_id === personId);
      assert.deepEqual(
        { spent: line(alex)?.spent_pence, balance: line(alex)?.balance_pence, ledger: line(alex)?.ledger_balance_pence },
        { spent: alexSpent, balance: alexFund - alexSpent, ledger: alexFund - alexSpent },
      );
      assert.deepEqual({ spent: line(sam)?.spent_pence, balance: line(sam)?.balance_pence, ledger: line(sam)?.ledger_balance_pence }, { spent: 0n, balance: samFund + 1n, ledger: samFund });
      // The spending is on the ledger, out of the provider account on the quarter's last day.
      const posted = await database.db.selectFrom('ledger_transactions').selectAll().where('idempotency_key', '=', `isf-spend:${returnId}:${alex}`).executeTakeFirstOrThrow();
      assert.equal(posted.kind, 'spend');
      assert.equal(posted.effective_on, '2026-09-30');
      assert.equal(posted.recorded_by, helping.accountId);
      assert.equal(await fundAt(helping.providerId, alex, '2026-09-30'), alexFund - alexSpent);
      assert.equal(await fundAt(helping.providerId, alex, '2026-09-29'), alexFund, 'effective on the quarter’s last day, not before');
      assert.equal(
        (await database.db.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `isf-spend:${returnId}:${sam}`).execute()).length,
        0,
        'nothing spent, nothing posted',
      );
      const audited = await database.db.selectFrom('audit_events').select(['subject_id', 'actor_id']).where('action', '=', 'person.isf_return_submitted').execute();
      assert.deepEqual(audited.map((e) => e.subject_id).sort(), [alex, sam].sort());
      assert.ok(audited.every((e) => e.actor_id === helping.accountId));
      const after = await isf.quarters(helping);
      assert.equal(after.quarters[0]?.submitted?.byName, 'Provider user office@helping.test');
    });

    it('a second return for the same quarter is refused, and nothing more is recorded', async () => {
      const before = { returns: await count('isf_returns'), transactions: await count('ledger_transactions') };
      const again = await isf.submit(
        helping,
        JULY,
        [
          { personId: alex, spent: '1', balance: '1' },
          { personId: sam, spent: '1', balance: '1' },
        ],
        context,
      );
      assert.equal(again.ok, false);
      assert.match(again.ok ? '' : (again.errors[0]?.message ?? ''), /already sent the return for 1 July to 30 September 2026 .*cannot be sent twice/);
      assert.deepEqual({ returns: await count('isf_returns'), transactions: await count('ledger_transactions') }, before);

      // Two at the same moment for another quarter: one is recorded, the other refused.
      const lines = [
        { personId: alex, spent: '10', balance: '100' },
        { personId: sam, spent: '0', balance: '100' },
      ];
      const both = await Promise.all([isf.submit(helping, APRIL, lines, context), isf.submit(helping, APRIL, lines, context)]);
      assert.deepEqual(both.map((o) => o.ok).sort(), [false, true]);
      assert.equal(await count('isf_returns'), before.returns + 1);
      assert.equal(await count('ledger_transactions'), before.transactions + 1, 'the spending posted once');

      // The page says so too, showing the return already sent.
      const cookies = await signIn(app, 'office@helping.test');
      const page = await app.inject({ url: `/isf-returns/${JULY}`, headers: { cookie: cookieHeader(cookies) } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Return for the quarter ending 30 September 2026/);
      const post = await postForm(app, `/isf-returns/${JULY}`, cookies, { _csrf: csrfFrom(page.body), [`spent-${alex}`]: '1', [`balance-${alex}`]: '1', [`spent-${sam}`]: '1', [`balance-${sam}`]: '1' });
      assert.equal(post.statusCode, 409);
      assert.match(post.body, /cannot be sent twice/);
    });

    it('finance sees each quarter’s returns with the number of differences, and who is missing', async () => {
      const overview = await isf.overview(finance);
      const july = overview.find((q) => q.quarter.startsOn === JULY);
      assert.ok(july);
      const row = (providerId: string) => july.rows.find((r) => r.providerId === providerId);
      assert.equal(row(helping.providerId)?.submitted?.differences, 1);
      assert.equal(row(helping.providerId)?.missingCount, 0);
      assert.equal(row(other.providerId)?.submitted, undefined);
      assert.equal(row(other.providerId)?.missingCount, 1);

      const review = await isf.review(finance, JULY, helping.providerId, context);
      const sam1 = review.lines.find((l) => l.person.personId === sam);
      const alex1 = review.lines.find((l) => l.person.personId === alex);
      assert.deepEqual([sam1?.balance.flagged, sam1?.balance.differencePence, sam1?.balance.words], [true, 1n, '£0.01 more than the ledger']);
      assert.deepEqual([alex1?.balance.flagged, alex1?.balance.words], [false, 'Matches the ledger']);
      assert.equal(alex1?.ledgerSpentPence, 123_456n, 'the returned spending is what the ledger records for the quarter');
      assert.equal(alex1?.spent.flagged, false);
      assert.equal(review.differences, 1);
      assert.deepEqual(review.missing, []);

      const missing = await isf.review(finance, JULY, other.providerId, context);
      assert.equal(missing.submitted, undefined);
      assert.deepEqual(missing.missing.map((m) => m.personId), [kit]);
      const reads = await database.db.selectFrom('audit_events').select('subject_id').where('action', '=', 'person.isf_return_viewed').where('actor_id', '=', finance.accountId).execute();
      assert.deepEqual(reads.map((r) => r.subject_id).sort(), [alex, sam, kit].sort(), 'every person whose figures finance saw is audited');

      await assert.rejects(isf.overview(helping), /review individual service fund returns/);
      await assert.rejects(isf.review(other, JULY, helping.providerId, context), /review individual service fund returns/);

      const cookies = await signIn(app, 'finance@kappa.test');
      const list = await app.inject({ url: '/finance/isf-returns', headers: { cookie: cookieHeader(cookies) } });
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /1 July to 30 September 2026/);
      assert.match(list.body, /1 difference/);
      assert.match(list.body, /Not submitted/);
      const page = await app.inject({ url: `/finance/isf-returns/${JULY}/${helping.providerId}`, headers: { cookie: cookieHeader(cookies) } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<strong>Differs:<\/strong> £0.01 more than the ledger/);
      assert.match(page.body, /Nobody is missing/);
      assert.equal((await app.inject({ url: '/finance/isf-returns/not-a-quarter/x', headers: { cookie: cookieHeader(cookies) } })).statusCode, 400);
    });

    it('links the provider’s people page to its quarterly returns, and renders only valid HTML on every returns page', async () => {
      const cookies = await signIn(app, 'office@helping.test');
      const people = await app.inject({ url: '/my-people', headers: { cookie: cookieHeader(cookies) } });
      assert.match(people.body, /<a class="govuk-link" href="\/isf-returns">Quarterly returns<\/a>/);
      const quarters = await app.inject({ url: '/isf-returns', headers: { cookie: cookieHeader(cookies) } });
      assert.equal(quarters.statusCode, 200);
      assert.match(quarters.body, /Submitted on 20 November 2026 by Provider user office@helping.test/);
      const ours = renderedPages.filter((p) => / \/(finance\/)?isf-returns/.test(p.url));
      for (const part of ['GET /isf-returns →', `GET /isf-returns/${JULY} → 200`, `POST /isf-returns/${JULY} → 400`, `POST /isf-returns/${JULY} → 409`, 'GET /finance/isf-returns →', `GET /finance/isf-returns/${JULY}/`]) {
        assert.ok(ours.some((p) => p.url.includes(part)), `rendered ${part}`);
      }
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
