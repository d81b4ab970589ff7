/**
 * Statements (issue 6) on both engines, through the real pages: the family sees their own person's
 * live statement and its figures equal the ledger; another person's statement is not found; every
 * view and download is audited with its format; the CSV parses and adds up, and its text cells
 * cannot run as formulas; the PDF is tagged; the finance totals equal the sum of the statements;
 * a statement as of an earlier date ignores what was posted later.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, enrolStaff, FIXTURE_TOTP_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { addAgreedBudget, addProvider } from '../support/money.ts';
import { cookieHeader, fixturePasswordHash, renderedPages, signIn, testApp, TEST_NOW } from '../support/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { ledgerServices, type LedgerServices } from '../../src/services/ledger.ts';
import { statementServices, type StatementServices } from '../../src/services/statements.ts';
import type { Actor } from '../../src/domain/access/policy.ts';
import type { TransactionInput } from '../../src/domain/ledger/ledger.ts';
import { formatPence } from '../../src/domain/money/money.ts';
import { paymentKey } from '../../src/domain/payments/run.ts';
import { STATEMENT_CSV_COLUMNS, STATEMENT_CSV_FINANCE_COLUMNS, statementPageModel } from '../../src/web/pages/statements/presenters.ts';
import { invalidPages } from '../support/html.ts';

const clock = fixedClock(TEST_NOW);
const context = { requestId: 'test', sourceAddress: '127.0.0.1' };
const TODAY = '2026-11-20';

/** Pence from a CSV amount ("1234.56"). */
const csvPence = (text: string | undefined): bigint => {
  assert.match(text ?? '', /^-?\d+\.\d{2}$/);
  const [pounds, pence] = (text ?? '').split('.') as [string, string];
  const sign = pounds.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(pounds.replace('-', '')) * 100n + BigInt(pence));
};

for (const engine of await testEngines()) {
  describe(`statements (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let ledger: LedgerServices;
    let statements: StatementServices;
    let finance: Actor;
    let caseworker: Actor;
    let family: Record<string, string>;
    let financeCookies: Record<string, string>;
    let p1: { personId: string; holder: string; dpLine: string; provider: string; scheduleId: string };
    let p2: { personId: string; holder: string };
    const spendIds: string[] = [];

    async function accountOf(kind: 'dp_holder' | 'provider', personId: string): Promise<string> {
      const row = await database.db.selectFrom('ledger_accounts').select('id').where('kind', '=', kind).where('person_id', '=', personId).executeTakeFirstOrThrow();
      return row.id;
    }

    /** Posts each instalment of the schedule due on or before `upTo` as the payment run would (budget line → holder). */
    async function payInstalments(scheduleId: string, holder: string, upTo: string): Promise<bigint> {
      const schedule = await database.db.selectFrom('payment_schedules').select('budget_accounts').where('id', '=', scheduleId).executeTakeFirstOrThrow();
      const instalments = await database.db.selectFrom('payment_instalments').selectAll().where('schedule_id', '=', scheduleId).where('due_on', '<=', upTo).orderBy('number').execute();
      const inputs: TransactionInput[] = instalments.map((i) => ({
        idempotencyKey: paymentKey(scheduleId, i.number),
        kind: 'payment',
        effectiveOn: i.due_on,
        description: `Direct payment ${i.number} (run TEST)`,
        entries: [
          ...i.by_stream.map((part) => ({ accountId: schedule.budget_accounts[part.streamId] ?? '', amountPence: -BigInt(part.pence) })),
          { accountId: holder, amountPence: BigInt(i.amount_pence) },
        ],
      }));
      const results = await ledger.postMany(a.councilId, inputs, null);
      assert.ok(results.every((r) => r.ok), JSON.stringify(results.filter((r) => !r.ok)));
      return instalments.reduce((sum, i) => sum + BigInt(i.amount_pence), 0n);
    }

    /** Spending on the direct payment (holder → payments out), with its spending lines. */
    async function spend(personId: string, holder: string, on: string, pence: bigint, lines: { category: string; pence: bigint; type: 'spend' | 'refund' }[], description = `Spending on ${on}`): Promise<string> {
      const out = await ledger.account(a.councilId, { identity: { kind: 'payments_out' }, name: 'Payments out' });
      const key = `spend:${crypto.randomUUID()}`;
      const [result] = await ledger.postMany(
        a.councilId,
        [{ idempotencyKey: key, kind: pence > 0n ? 'spend' : 'refund', effectiveOn: on, description, entries: [{ accountId: holder, amountPence: -pence }, { accountId: out, amountPence: pence }] }],
        a.accountId,
      );
      assert.ok(result?.ok);
      if (lines.length > 0) {
        const returnId = crypto.randomUUID();
        await database.db
          .insertInto('spending_returns')
          .values({ id: returnId, council_id: a.councilId, person_id: personId, source: 'entry', fingerprint: null, file_name: null, line_count: lines.length, submitted_by: a.accountId, submitted_at: TEST_NOW })
          .execute();
        await database.db
          .insertInto('spending_lines')
          .values(
            lines.map((l) => ({
              id: crypto.randomUUID(),
              council_id: a.councilId,
              return_id: returnId,
              person_id: personId,
              spent_on: on,
              payee: 'A shop',
              category: l.category,
              type: l.type,
              amount_pence: l.pence,
              transaction_id: result.transactionId,
            })),
          )
          .execute();
      }
      return result.transactionId;
    }

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'sigma', { passwordHash });
      const withCouncil = tenantRunner(database);
      ledger = ledgerServices({ withCouncil, clock });
      statements = statementServices({ withCouncil, clock });
      const base = { councilId: a.councilId, councilSlug: a.slug, councilName: 'sigma Council' };
      const financeId = crypto.randomUUID();
      await database.db
        .insertInto('accounts')
        .values({ id: financeId, council_id: a.councilId, kind: 'staff', email: 'finance@sigma.test', display_name: 'Fran Finance', role: 'finance_officer', job_title: 'Finance officer', team: 'Finance', approval_limit_pence: null, password_hash: passwordHash })
        .execute();
      await enrolStaff(database, a.councilId, financeId, FIXTURE_TOTP_SECRET);
      await addStaff(database, a.councilId, { email: 'commissioner@sigma.test', passwordHash, role: 'commissioner' });
      finance = { ...base, kind: 'staff', role: 'finance_officer', accountId: financeId, displayName: 'Fran Finance' };
      caseworker = { ...base, kind: 'staff', role: 'caseworker', accountId: a.accountId, displayName: 'Worker' };

      await addProvider(database, a.councilId, 'Helping Hands');
      const one = await addAgreedBudget(database, a.councilId, {
        reference: 'ST-1',
        caseworkerId: a.accountId,
        periodStartsOn: '2026-04-01',
        periodEndsOn: '2027-03-31',
        contingencyPence: 25_000n,
        items: [
          { weeklyPounds: 100, management: 'direct_payment' },
          { weeklyPounds: 50, management: 'individual_service_fund', provider: 'Helping Hands' },
          { weeklyPounds: 30, management: 'council_managed', stream: 'education_high_needs' },
        ],
      });
      assert.ok(one.scheduleId !== null);
      const holder1 = await accountOf('dp_holder', one.personId);
      const schedule = await database.db.selectFrom('payment_schedules').select('budget_accounts').where('id', '=', one.scheduleId).executeTakeFirstOrThrow();
      p1 = { personId: one.personId, holder: holder1, dpLine: Object.values(schedule.budget_accounts)[0] ?? '', provider: await accountOf('provider', one.personId), scheduleId: one.scheduleId };
      await payInstalments(one.scheduleId, holder1, TODAY);
      spendIds.push(await spend(p1.personId, holder1, '2026-06-10', 12_000n, [{ category: 'personal_assistant', pence: 12_000n, type: 'spend' }]));
      spendIds.push(
        await spend(p1.personId, holder1, '2026-07-15', 4_550n, [
          { category: 'activities', pence: 3_000n, type: 'spend' },
          { category: 'equipment', pence: 1_550n, type: 'spend' },
        ]),
      );
      spendIds.push(await spend(p1.personId, holder1, '2026-08-02', -1_000n, [{ category: 'equipment', pence: 1_000n, type: 'refund' }]));
      spendIds.push(await spend(p1.personId, holder1, '2026-09-01', 2_000n, [], '=HYPERLINK("http://evil.test","Click")'));
      for (let i = 0; i < 50; i++) await spend(p1.personId, holder1, '2026-10-15', 100n, [{ category: 'activities', pence: 100n, type: 'spend' }]);
      // The provider spends from the individual service fund, as its return says.
      const out = await ledger.account(a.councilId, { identity: { kind: 'payments_out' }, name: 'Payments out' });
      const providerSpend = await ledger.post(
        a.councilId,
        { idempotencyKey: 'isf-spend-1', kind: 'spend', effectiveOn: '2026-10-01', description: 'Helping Hands return, quarter 2', entries: [{ accountId: p1.provider, amountPence: -20_000n }, { accountId: out, amountPence: 20_000n }] },
        financeId,
      );
      assert.ok(providerSpend.ok);

      const two = await addAgreedBudget(database, a.councilId, { reference: 'ST-2', caseworkerId: a.accountId, periodStartsOn: '2026-04-01', periodEndsOn: '2027-03-31', items: [{ weeklyPounds: 80, management: 'direct_payment' }] });
      assert.ok(two.scheduleId !== null);
      p2 = { personId: two.personId, holder: await accountOf('dp_holder', two.personId) };
      await payInstalments(two.scheduleId, p2.holder, '2026-08-31');
      await spend(p2.personId, p2.holder, '2026-08-20', 7_500n, []);

      await addFamilyAccount(database, a.councilId, { email: 'parent@sigma.test', passwordHash, links: [{ personId: p1.personId, relationship: 'parent_carer' }] });
      app = await testApp(database);
      family = await signIn(app, 'parent@sigma.test');
      financeCookies = await signIn(app, 'finance@sigma.test');
    });
    after(async () => {
      await app?.close();
      await database?.dispose();
    });

    const get = (url: string, cookies: Record<string, string>) => app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(cookies) } });
    const statementUrl = (personId: string, suffix = '') => `/people/${personId}/statement${suffix}`;

    it('shows the family their person’s statement with the figures the ledger holds', async () => {
      const response = await get(statementUrl(p1.personId), family);
      assert.equal(response.statusCode, 200);
      const html = response.body;
      const balance = await ledger.balance(a.councilId, p1.holder);
      const view = await statements.person(caseworker, p1.personId, { format: 'html' }, context);
      const dp = view.statement.directPayment;
      assert.ok(dp !== null);
      assert.equal(dp.account.balancePence, balance, 'the statement balance is the ledger balance');
      // Allocated for the year: £100 × 52 weeks.
      assert.equal(dp.lines.allocatedPence, 520_000n);
      assert.equal(dp.lines.balancePence, await ledger.balance(a.councilId, p1.dpLine), 'still to be paid is what the budget line holds');
      assert.equal(dp.account.spentPence, 12_000n + 4_550n - 1_000n + 2_000n + 5_000n);
      assert.deepEqual(
        dp.spentByCategory.map((c) => [c.code, c.pence]),
        [
          ['personal_assistant', 12_000n],
          ['activities', 8_000n],
          ['uncategorised', 2_000n],
          ['equipment', 550n],
        ],
      );
      for (const figure of [dp.account.balancePence, dp.account.receivedPence, dp.account.spentPence, dp.lines.allocatedPence, dp.lines.balancePence, 25_000n]) {
        assert.ok(html.includes(formatPence(figure)), `the page shows ${formatPence(figure)}`);
      }
      assert.match(html, /As of 20 November 2026/);
      assert.match(html, /contingency of £250\.00/);
      const isf = view.statement.isf;
      assert.ok(isf !== null);
      assert.equal(isf.held.balancePence, await ledger.balance(a.councilId, p1.provider));
      assert.equal(isf.held.spentPence, 20_000n);
      assert.ok(html.includes(formatPence(isf.held.balancePence)));
      assert.equal(view.statement.councilManaged?.lines.allocatedPence, 156_000n);
      // The chart has a text alternative and the same figures are in a table.
      assert.match(html, /<svg[^>]*role="img"[^>]*aria-labelledby="statement-chart-title statement-chart-desc"/);
      assert.match(html, /<th scope="col" class="govuk-table__header govuk-table__header--numeric">Balance at the end of the month<\/th>/);
      // The family is not shown the ledger's own words or ids.
      assert.ok(!html.includes(spendIds[0] ?? 'missing'), 'no transaction ids for the family');
      assert.ok(!html.includes('HYPERLINK'), 'no ledger descriptions for the family');
    });

    it('links the person’s page to their statement', async () => {
      const page = await get(`/people/${p1.personId}`, family);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`href="/people/${p1.personId}/statement"`));
    });

    it('shows finance the account names, ledger descriptions and transaction ids', async () => {
      const response = await get(statementUrl(p1.personId, '?page=2'), financeCookies);
      assert.equal(response.statusCode, 200);
      // The oldest movements are on the last page: the first spend is there with its id.
      assert.ok(response.body.includes(spendIds[0] ?? 'missing'), 'the transaction id');
      assert.match(response.body, /Direct payment account of /);
    });

    it('pages the transactions 50 at a time, newest first', async () => {
      const view = await statements.person(caseworker, p1.personId, { format: 'html' }, context);
      assert.ok(view.statement.transactions.length > 50);
      const first = await get(statementUrl(p1.personId), family);
      assert.match(first.body, /class="govuk-pagination"/);
      assert.match(first.body, /page 1 of 2/);
      const second = await get(statementUrl(p1.personId, '?page=2'), family);
      assert.equal(second.statusCode, 200);
      assert.match(second.body, /page 2 of 2/);
      const total = view.statement.transactions.length;
      assert.ok(total < 100, 'two pages');
      assert.equal(statementPageModel(view, 1, undefined).transactionRows.length, 50);
      assert.equal(statementPageModel(view, 2, undefined).transactionRows.length, total - 50, 'the second page holds the rest');
      const dates = view.statement.transactions.map((t) => t.date);
      assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
    });

    // The statement's read writes its audit event in the same statement, before the policy is asked:
    // a refusal must take the event back, so no view is ever recorded that did not happen.
    const viewsOf = async (personId: string) =>
      Number((await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'person.statement_viewed').where('subject_id', '=', personId).executeTakeFirstOrThrow()).n);

    it('does not show a family member the statement of a person they are not linked to, nor record a view', async () => {
      const before = await viewsOf(p2.personId);
      for (const suffix of ['', '.csv', '.pdf']) {
        const response = await get(statementUrl(p2.personId, suffix), family);
        assert.equal(response.statusCode, 404, `statement${suffix}`);
      }
      assert.equal(await viewsOf(p2.personId), before);
    });

    it('does not let a commissioner see a person’s statement or the finance totals, nor record a view', async () => {
      const commissioner = await signIn(app, 'commissioner@sigma.test');
      const before = await viewsOf(p1.personId);
      assert.equal((await get(statementUrl(p1.personId), commissioner)).statusCode, 403);
      assert.equal((await get('/finance/budgets', commissioner)).statusCode, 403);
      assert.equal(await viewsOf(p1.personId), before);
    });

    it('audits every view and download with its format', async () => {
      const count = async (format: string) =>
        (await database.db.selectFrom('audit_events').select(['detail']).where('action', '=', 'person.statement_viewed').where('subject_id', '=', p1.personId).execute()).filter(
          (e) => (typeof e.detail === 'string' ? (JSON.parse(e.detail) as { format?: string }) : (e.detail as { format?: string } | null))?.format === format,
        ).length;
      for (const [suffix, format] of [['', 'html'], ['.csv', 'csv'], ['.pdf', 'pdf']] as const) {
        const before = await count(format);
        const response = await get(statementUrl(p1.personId, suffix), family);
        assert.equal(response.statusCode, 200);
        assert.equal(await count(format), before + 1, `one ${format} event`);
      }
    });

    it('downloads a CSV that parses, adds up to the ledger and cannot run formulas', async () => {
      const response = await get(statementUrl(p1.personId, '.csv'), financeCookies);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(String(response.headers['content-disposition']), /attachment; filename="statement-ST-1-2026-11-20\.csv"/);
      const rows = parse(response.body, { columns: true }) as Record<string, string>[];
      const header = Object.keys(rows[0] ?? {});
      assert.deepEqual(header, [...STATEMENT_CSV_COLUMNS, ...STATEMENT_CSV_FINANCE_COLUMNS]);
      const holderRows = rows.filter((r) => r['Account'] === 'Direct payment account');
      const net = holderRows.reduce((sum, r) => sum + csvPence(r['Money in']) - csvPence(r['Money out']), 0n);
      assert.equal(net, await ledger.balance(a.councilId, p1.holder));
      assert.equal(csvPence(holderRows.at(-1)?.['Balance after']), await ledger.balance(a.councilId, p1.holder), 'oldest first: the last row is the balance now');
      const evil = rows.find((r) => r['Ledger description']?.includes('HYPERLINK'));
      assert.ok(evil, 'the spend with a formula-like description');
      assert.ok(evil['Ledger description']?.startsWith("'="), 'guarded against spreadsheet formulas');
      for (const r of rows) for (const cell of Object.values(r)) assert.doesNotMatch(cell, /^[=+@\t\r]/, 'no cell starts like a formula');
      // The family's file has the documented columns only.
      const familyCsv = parse((await get(statementUrl(p1.personId, '.csv'), family)).body, { columns: true }) as Record<string, string>[];
      assert.deepEqual(Object.keys(familyCsv[0] ?? {}), [...STATEMENT_CSV_COLUMNS]);
    });

    it('downloads a tagged PDF', async () => {
      const response = await get(statementUrl(p1.personId, '.pdf'), family);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/pdf');
      const pdf = response.rawPayload.toString('latin1');
      assert.ok(pdf.startsWith('%PDF-1.7'));
      assert.match(pdf, /\/StructTreeRoot \d+ 0 R/);
      assert.match(pdf, /\/Lang \(en-GB\)/);
      assert.match(pdf, /\/Marked true/);
      assert.match(pdf, /\/DisplayDocTitle true/);
    });

    it('finance totals equal the sum of the person statements', async () => {
      const totals = await statements.totals(finance, {});
      const views = [await statements.person(finance, p1.personId, { format: 'html' }, context), await statements.person(finance, p2.personId, { format: 'html' }, context)];
      const byManagement = (m: string) => totals.rows.filter((r) => r.management === m);
      const sum = (values: bigint[]) => values.reduce((s, v) => s + v, 0n);
      const dp = views.map((v) => v.statement.directPayment).filter((x) => x !== null);
      assert.equal(sum(byManagement('direct_payment').map((r) => r.allocatedPence)), sum(dp.map((d) => d.lines.allocatedPence)));
      assert.equal(sum(byManagement('direct_payment').map((r) => r.paidOutPence)), sum(dp.map((d) => d.account.receivedPence)));
      assert.equal(sum(byManagement('direct_payment').map((r) => r.spentPence)), sum(dp.map((d) => d.account.spentPence)));
      assert.equal(sum(byManagement('direct_payment').map((r) => r.heldPence)), sum(dp.map((d) => d.account.balancePence)));
      assert.equal(sum(byManagement('direct_payment').map((r) => r.notYetPaidPence)), sum(dp.map((d) => d.lines.balancePence)));
      const isf = views[0]?.statement.isf;
      assert.ok(isf);
      assert.equal(sum(byManagement('individual_service_fund').map((r) => r.heldPence)), isf.held.balancePence);
      assert.equal(sum(byManagement('individual_service_fund').map((r) => r.spentPence)), isf.held.spentPence);
      assert.equal(sum(byManagement('individual_service_fund').map((r) => r.allocatedPence)), isf.lines.allocatedPence);
      // Social care direct payments: two people, both wholly social care.
      const social = byManagement('direct_payment').find((r) => r.streamName === 'Social care');
      assert.equal(social?.people, 2);
      assert.equal(byManagement('council_managed').find((r) => r.streamName === 'Education (high needs)')?.allocatedPence, 156_000n);

      const page = await get('/finance/budgets', financeCookies);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(formatPence(sum(totals.rows.map((r) => r.heldPence)))), 'the total balance held');
    });

    it('shows a statement as of an earlier date without anything posted later', async () => {
      const asOf = '2026-07-01';
      const view = await statements.person(finance, p1.personId, { asOf, format: 'html' }, context);
      const dp = view.statement.directPayment;
      assert.ok(dp !== null);
      assert.equal(dp.account.balancePence, await ledger.balance(a.councilId, p1.holder, asOf));
      assert.equal(dp.account.spentPence, 12_000n);
      assert.ok(view.statement.transactions.every((t) => t.date <= asOf));
      const response = await get(statementUrl(p1.personId, `?asOf=${asOf}`), family);
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /As of 1 July 2026/);
      assert.ok(response.body.includes(formatPence(dp.account.balancePence)));
      const totals = await statements.totals(finance, { asOf });
      const later = await statements.totals(finance, {});
      const held = (rows: typeof totals.rows) => rows.filter((r) => r.management === 'direct_payment').reduce((s, r) => s + r.heldPence, 0n);
      assert.equal(held(totals.rows), (await ledger.balance(a.councilId, p1.holder, asOf)) + (await ledger.balance(a.councilId, p2.holder, asOf)));
      assert.notEqual(held(totals.rows), held(later.rows));
      const byDate = await get('/finance/budgets?asOf-day=1&asOf-month=7&asOf-year=2026', financeCookies);
      assert.equal(byDate.statusCode, 200);
      assert.match(byDate.body, /As of 1 July 2026/);
    });

    it('refuses a statement date that is not a real date or is in the future', async () => {
      assert.equal((await get(statementUrl(p1.personId, '?asOf=2026-02-30'), family)).statusCode, 400);
      assert.equal((await get(statementUrl(p1.personId, '?asOf=2027-01-01'), family)).statusCode, 400);
      const page = await get('/finance/budgets?asOf-day=31&asOf-month=2&asOf-year=2026', financeCookies);
      assert.equal(page.statusCode, 400);
      assert.match(page.body, /govuk-error-summary/);
      assert.match(page.body, /href="#asOf-day"/);
    });

    it('shows a person without a budget an empty statement', async () => {
      const response = await get(statementUrl(a.personId), financeCookies);
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /No personal budget has been agreed yet/);
    });

    it('renders valid HTML on every statement and totals page', async () => {
      const ours = renderedPages.filter((p) => / \/(people\/[^/ ]+\/statement|finance\/budgets)/.test(p.url));
      assert.ok(ours.length >= 5, 'the statement and totals pages were rendered');
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
