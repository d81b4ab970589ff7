/**
 * Payment runs (issue 6) on both engines: the preview's figures; a second finance officer for a run
 * above the threshold (never the one who made it); a run processed twice, at once, or again after
 * stopping half-way pays each instalment exactly once; overlapping runs never pay an instalment
 * twice; the payment file's total is the posted total; the real pg-boss worker runs a queued run to
 * the end; the pages show GOV.UK errors and refuse other roles.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, enrolStaff, FIXTURE_TOTP_SECRET } from '../support/fixtures.ts';
import { addAgreedBudget, streamOf } from '../support/money.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, postForm, renderedPages, signIn, testApp, TEST_NOW } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { fixedClock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { moneySettingsRepository, DEFAULT_MONEY_SETTINGS } from '../../src/db/repositories/money-settings.ts';
import { ledgerServices } from '../../src/services/ledger.ts';
import { paymentRunServices, RunOutOfOrderError, type PaymentRunJob, type PaymentRunServices } from '../../src/services/payment-runs.ts';
import { ForbiddenError } from '../../src/services/errors.ts';
import type { Actor } from '../../src/domain/access/policy.ts';
import { startJobs } from '../../src/jobs/boss.ts';
import { paymentRunQueue, startPaymentRunWorker } from '../../src/jobs/payment-run.ts';

const clock = fixedClock(TEST_NOW);
const context = { requestId: 'test', sourceAddress: '127.0.0.1' };
const FIRST_RUN = '2026-11-20'; // instalment 1 of every budget agreed on 2026-11-19 is due
const SECOND_RUN = '2026-12-17'; // instalment 2 falls due

interface Scenario {
  readonly councilId: string;
  readonly officer: Actor;
  readonly second: Actor;
  readonly caseworker: Actor;
  readonly people: { personId: string; scheduleId: string }[];
  readonly withoutBank: { personId: string; scheduleId: string };
  readonly streams: { socialCare: string; education: string };
  readonly officerEmail: string;
}

let councils = 0;

/** The i-th element, which the test knows is there. */
function at<T>(list: readonly T[], i: number): T {
  const value = list[i];
  assert.ok(value !== undefined, `expected an element at ${i}`);
  return value;
}

for (const engine of await testEngines()) {
  describe(`payment runs (${engine})`, () => {
    let database: TestDatabase;
    let passwordHash: string;

    before(async () => {
      database = await createTestDatabase(engine);
      passwordHash = await fixturePasswordHash();
    });
    after(async () => database.dispose());

    const runsWith = (options: { batchSize?: number; jobs?: PaymentRunJob[] } = {}): PaymentRunServices => {
      const withCouncil = tenantRunner(database);
      const sent = options.jobs;
      return paymentRunServices({
        withCouncil,
        clock,
        ledger: ledgerServices({ withCouncil, clock }),
        batchSize: options.batchSize,
        queue: sent === undefined ? undefined : { send: async (job) => void sent.push(job) },
      });
    };

    async function financeOfficer(councilId: string, slug: string, name: string): Promise<{ actor: Actor; email: string }> {
      const id = crypto.randomUUID();
      const email = `${name}@${slug}.test`;
      await database.db
        .insertInto('accounts')
        .values({ id, council_id: councilId, kind: 'staff', email, display_name: `Finance ${name}`, role: 'finance_officer', job_title: 'Finance officer', team: 'Finance', approval_limit_pence: null, password_hash: passwordHash })
        .execute();
      await enrolStaff(database, councilId, id, FIXTURE_TOTP_SECRET);
      return { actor: { kind: 'staff', role: 'finance_officer', accountId: id, councilId, councilSlug: slug, councilName: `${slug} Council`, displayName: `Finance ${name}` }, email };
    }

    /** A council with two finance officers and `count` agreed direct payments (£100 social care + £20 education a week), all but one with bank details. */
    async function scenario(count = 3): Promise<Scenario> {
      councils += 1;
      const slug = `runs${councils}`;
      const c = await addCouncil(database, slug, { passwordHash, mfa: true });
      const officer = await financeOfficer(c.councilId, slug, 'first');
      const second = await financeOfficer(c.councilId, slug, 'second');
      const caseworker: Actor = { kind: 'staff', role: 'caseworker', accountId: c.accountId, councilId: c.councilId, councilSlug: slug, councilName: `${slug} Council`, displayName: 'Worker' };
      const people: { personId: string; scheduleId: string }[] = [];
      for (let i = 0; i <= count; i++) {
        const budget = await addAgreedBudget(database, c.councilId, {
          reference: `${slug.toUpperCase()}-P${i}`,
          caseworkerId: c.accountId,
          items: [
            { weeklyPounds: 100, management: 'direct_payment' },
            { weeklyPounds: 20, management: 'direct_payment', stream: 'education_high_needs' },
          ],
        });
        assert.ok(budget.scheduleId !== null);
        people.push({ personId: budget.personId, scheduleId: budget.scheduleId });
      }
      const withoutBank = people.pop();
      assert.ok(withoutBank !== undefined);
      const runs = runsWith();
      for (const [i, p] of people.entries()) {
        const saved = await runs.saveBankDetails(officer.actor, p.personId, { payeeReference: `SUP${i + 1}`, accountName: `Payee ${i + 1}`, sortCode: '30-94-30', accountNumber: `0073344${i}` }, context);
        assert.ok(saved.ok);
      }
      return {
        councilId: c.councilId,
        officer: officer.actor,
        second: second.actor,
        caseworker,
        people,
        withoutBank,
        streams: { socialCare: await streamOf(database, c.councilId, 'social_care'), education: await streamOf(database, c.councilId, 'education_high_needs') },
        officerEmail: officer.email,
      };
    }

    async function instalment(scheduleId: string, number: number): Promise<bigint> {
      const row = await database.db.selectFrom('payment_instalments').select('amount_pence').where('schedule_id', '=', scheduleId).where('number', '=', number).executeTakeFirstOrThrow();
      return BigInt(row.amount_pence);
    }

    /** How many ledger transactions each payment key of the council has. */
    async function keyCounts(councilId: string): Promise<Map<string, number>> {
      const rows = await sql<{ key: string; n: string }>`
        SELECT idempotency_key AS key, count(*) AS n FROM ledger_transactions
        WHERE council_id = ${councilId} AND idempotency_key LIKE 'payment:%' GROUP BY idempotency_key`.execute(database.db);
      return new Map(rows.rows.map((r) => [r.key, Number(r.n)]));
    }

    /**
     * Waits (up to 60 s: a busy 2-core CI machine runs PGlite slowly) for the run to complete. If it
     * does not, the failure says where the run and its pg-boss jobs were, and what went wrong on the way.
     */
    async function completion(runId: string, errors: readonly unknown[], what: string): Promise<void> {
      const deadline = Date.now() + 60_000;
      for (;;) {
        assert.deepEqual(errors.map(String), [], 'no job or maintenance error');
        if ((await runRow(runId)).status === 'completed') return;
        if (Date.now() > deadline) {
          const jobsNow = await sql<Record<string, unknown>>`
            SELECT state, retry_count, retry_limit, start_after, started_on, completed_on, output FROM pgboss.job
             WHERE name = 'payment-run' AND data->>'runId' = ${runId} ORDER BY created_on`.execute(database.db);
          assert.fail(`${what} within 60 s: the run is ${(await runRow(runId)).status}; its jobs: ${JSON.stringify(jobsNow.rows)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    async function runRow(runId: string) {
      return database.db.selectFrom('payment_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    }

    async function itemStatuses(runId: string): Promise<string[]> {
      return (await database.db.selectFrom('payment_run_items').select('status').where('run_id', '=', runId).execute()).map((r) => r.status);
    }

    async function created(runs: PaymentRunServices, actor: Actor, runDate: string): Promise<{ runId: string; reference: string; status: string }> {
      const outcome = await runs.create(actor, runDate, context);
      assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.errors));
      return outcome.value;
    }

    it('previews the count, total and split by stream of what is due, leaving out payees without bank details and holding negative instalments', async () => {
      const s = await scenario(2);
      // A cut after a change to the plan: a negative instalment, for finance to decide, never taken by a run.
      await database.db
        .insertInto('payment_instalments')
        .values({ council_id: s.councilId, schedule_id: at(s.people, 0).scheduleId, number: 90, due_on: '2026-11-19', period_from: '2026-11-19', period_to: '2026-11-19', amount_pence: -500n, by_stream: JSON.stringify([{ streamId: s.streams.socialCare, pence: '-500' }]) as never })
        .execute();
      const preview = await runsWith().preview(s.officer, FIRST_RUN, context);
      assert.ok(preview.ok);
      const expected = (await instalment(at(s.people, 0).scheduleId, 1)) + (await instalment(at(s.people, 1).scheduleId, 1));
      assert.equal(preview.value.count, 2);
      assert.equal(preview.value.payees, 2);
      assert.equal(preview.value.totalPence, expected);
      assert.deepEqual(preview.value.byStream.map((b) => b.name).sort(), ['Education (high needs)', 'Social care']);
      assert.equal(preview.value.byStream.reduce((sum, b) => sum + b.pence, 0n), expected);
      assert.deepEqual(preview.value.missingBankDetails.map((m) => m.person.id), [s.withoutBank.personId]);
      assert.equal(preview.value.missingBankDetails[0]?.amountPence, await instalment(s.withoutBank.scheduleId, 1));
      assert.deepEqual(preview.value.held.map((h) => [h.number, h.amountPence]), [[90, -500n]]);
      assert.equal(preview.value.needsSecondAuthoriser, false, 'the default threshold is £50,000');
      // A month later the second instalments are due as well.
      const later = await runsWith().preview(s.officer, SECOND_RUN, context);
      assert.ok(later.ok);
      assert.equal(later.value.count, 4);
    });

    it('refuses a run date that is not a real date', async () => {
      const s = await scenario(1);
      const outcome = await runsWith().create(s.officer, '2026-02-30', context);
      assert.deepEqual(outcome, { ok: false, errors: [{ path: 'runDate', message: 'Enter a real run date' }] });
    });

    it('needs a second finance officer above the threshold, and never the one who made the run', async () => {
      const s = await scenario(2);
      await moneySettingsRepository(database.db).save(s.councilId, { ...DEFAULT_MONEY_SETTINGS, secondAuthoriserAbovePence: 100n }, TEST_NOW);
      const jobs: PaymentRunJob[] = [];
      const runs = runsWith({ jobs });
      const run = await created(runs, s.officer, FIRST_RUN);
      assert.equal(run.status, 'awaiting_authorisation');
      assert.equal(run.reference, 'R0001');
      assert.deepEqual(jobs, [], 'nothing is paid before it is authorised');
      assert.equal((await runs.process(s.councilId, run.runId)).status, 'awaiting_authorisation');
      assert.deepEqual(await keyCounts(s.councilId), new Map());

      await assert.rejects(runs.authorise(s.officer, run.runId, context), ForbiddenError);
      // The database refuses it too, whoever writes.
      await assert.rejects(database.db.updateTable('payment_runs').set({ authorised_by: s.officer.accountId }).where('id', '=', run.runId).execute(), /check/i);

      await runs.authorise(s.second, run.runId, context);
      const row = await runRow(run.runId);
      assert.equal(row.status, 'queued');
      assert.equal(row.authorised_by, s.second.accountId);
      assert.deepEqual(jobs, [{ councilId: s.councilId, runId: run.runId }]);
    });

    it('cancels a run waiting for authorisation, freeing its instalments for another run', async () => {
      const s = await scenario(1);
      await moneySettingsRepository(database.db).save(s.councilId, { ...DEFAULT_MONEY_SETTINGS, secondAuthoriserAbovePence: 0n }, TEST_NOW);
      const runs = runsWith();
      const first = await created(runs, s.officer, FIRST_RUN);
      assert.deepEqual(await runs.cancel(s.officer, first.runId, '  ', context), { ok: false, errors: [{ path: 'reason', message: 'Say why the run is cancelled, in up to 1,000 characters' }] });
      assert.deepEqual(await runs.cancel(s.officer, first.runId, 'Wrong date', context), { ok: true, value: undefined });
      const again = await created(runs, s.officer, FIRST_RUN);
      assert.equal(again.reference, 'R0002');
      assert.equal((await runRow(again.runId)).payment_count, 1);
    });

    it('pays each instalment once when the same run is processed twice, one after the other and at the same time', async () => {
      const s = await scenario(3);
      const runs = runsWith({ batchSize: 1 });
      const run = await created(runs, s.officer, SECOND_RUN);
      const first = await runs.process(s.councilId, run.runId);
      assert.deepEqual(first, { finished: true, status: 'completed', paid: 6, skipped: 0 });
      const second = await runs.process(s.councilId, run.runId);
      assert.deepEqual(second, { finished: true, status: 'completed', paid: 0, skipped: 0 });

      // Another council, two processes at once, one payment per batch so that they interleave.
      const t = await scenario(3);
      const together = await created(runs, t.officer, SECOND_RUN);
      const both = await Promise.all([runs.process(t.councilId, together.runId), runs.process(t.councilId, together.runId)]);
      assert.equal(both[0].paid + both[1].paid, 6);

      for (const [c, r] of [
        [s, run],
        [t, together],
      ] as const) {
        const counts = await keyCounts(c.councilId);
        assert.equal(counts.size, 6);
        assert.ok([...counts.values()].every((n) => n === 1));
        const row = await runRow(r.runId);
        assert.equal(row.status, 'completed');
        assert.equal(row.posted_count, 6);
        assert.equal(BigInt(row.posted_pence), BigInt(row.total_pence));
        assert.ok(row.completed_at !== null);
        assert.deepEqual([...new Set(await itemStatuses(r.runId))], ['paid']);
      }
    });

    it('never pays an instalment twice across runs for overlapping dates, and skips one another run paid meanwhile', async () => {
      const s = await scenario(2);
      const runs = runsWith();
      const early = await created(runs, s.officer, FIRST_RUN);
      const late = await created(runs, s.officer, SECOND_RUN);
      assert.equal((await runRow(early.runId)).payment_count, 2);
      assert.equal((await runRow(late.runId)).payment_count, 2, 'the later run takes only the second instalments');
      // Meanwhile the second instalment of one schedule is posted by something else under its key.
      const [budgetAccount, holder] = await database.db
        .selectFrom('payment_schedules')
        .select(['budget_accounts', 'holder_account_id'])
        .where('id', '=', at(s.people, 0).scheduleId)
        .executeTakeFirstOrThrow()
        .then((r): [string, string] => [at(Object.values(r.budget_accounts), 0), r.holder_account_id]);
      const other = await ledgerServices({ withCouncil: tenantRunner(database), clock }).post(
        s.councilId,
        { idempotencyKey: `payment:${at(s.people, 0).scheduleId}:2`, kind: 'payment', effectiveOn: SECOND_RUN, description: 'Paid by hand', entries: [{ accountId: budgetAccount, amountPence: -100n }, { accountId: holder, amountPence: 100n }] },
        s.officer.accountId,
      );
      assert.ok(other.ok);
      await runs.process(s.councilId, late.runId);
      await runs.process(s.councilId, early.runId);
      const counts = await keyCounts(s.councilId);
      assert.equal(counts.size, 4);
      assert.ok([...counts.values()].every((n) => n === 1));
      const lateRow = await runRow(late.runId);
      assert.equal(lateRow.posted_count, 1);
      assert.equal(lateRow.skipped_count, 1);
      const skipped = await database.db.selectFrom('payment_run_items').select(['schedule_id', 'number', 'skipped_reason']).where('run_id', '=', late.runId).where('status', '=', 'skipped').execute();
      assert.deepEqual(skipped, [{ schedule_id: at(s.people, 0).scheduleId, number: 2, skipped_reason: 'Paid by another run' }]);
      assert.equal(BigInt(lateRow.posted_pence), await instalment(at(s.people, 1).scheduleId, 2));
    });

    it('finishes a run that stopped half-way exactly once when it is processed again', async () => {
      const s = await scenario(4);
      const runs = runsWith({ batchSize: 2 });
      const run = await created(runs, s.officer, SECOND_RUN);
      // Stop after one batch, twice: as if the process died after committing half the batches.
      const part = await runs.process(s.councilId, run.runId, { until: 0 });
      assert.deepEqual(part, { finished: false, status: 'running', paid: 2, skipped: 0 });
      await runs.process(s.councilId, run.runId, { until: 0 });
      const half = await runRow(run.runId);
      assert.equal(half.status, 'running');
      assert.equal(half.posted_count, 4);
      assert.equal((await keyCounts(s.councilId)).size, 4);
      const rest = await runs.process(s.councilId, run.runId);
      assert.deepEqual(rest, { finished: true, status: 'completed', paid: 4, skipped: 0 });
      const counts = await keyCounts(s.councilId);
      assert.equal(counts.size, 8);
      assert.ok([...counts.values()].every((n) => n === 1));
      const done = await runRow(run.runId);
      assert.equal(done.posted_count, 8);
      assert.equal(BigInt(done.posted_pence), BigInt(done.total_pence));
    });

    it('tries a failed run again, in the service and on its page, paying only what it had not paid', async () => {
      const s = await scenario(3);
      const jobs: PaymentRunJob[] = [];
      const runs = runsWith({ batchSize: 2, jobs });
      const run = await created(runs, s.officer, SECOND_RUN);
      jobs.length = 0;
      // The job pays one batch, then gives up: the run is marked failed, as the worker's last retry does.
      await runs.process(s.councilId, run.runId, { until: 0 });
      await runs.markFailed(s.councilId, run.runId, 'Connection terminated unexpectedly');
      const failed = await runRow(run.runId);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.posted_count, 2);
      await assert.rejects(runs.retry(s.caseworker, run.runId, context), ForbiddenError);

      const app = await testApp(database);
      try {
        const cookies = await signIn(app, s.officerEmail);
        const runUrl = `/payment-runs/${run.runId}`;
        const page = await app.inject({ url: runUrl, headers: { cookie: cookieHeader(cookies) } });
        assert.match(page.body, /Connection terminated unexpectedly/, 'the page says what went wrong');
        assert.match(page.body, /Try the payment run again/);
        const again = await postForm(app, `${runUrl}/retry`, cookies, { _csrf: csrfFrom(page.body) });
        assert.equal(again.statusCode, 303);
        assert.equal(again.headers.location, `${runUrl}?done=retried`);
        const queued = await runRow(run.runId);
        assert.equal(queued.status, 'queued');
        assert.equal(queued.failure, null);
        // Only a failed run can be tried again: pressing the button twice is told so, and queues nothing more.
        const twice = await postForm(app, `${runUrl}/retry`, cookies, { _csrf: csrfFrom(page.body) });
        assert.equal(twice.statusCode, 409);
      } finally {
        await app.close();
      }
      await assert.rejects(runs.retry(s.officer, run.runId, context), RunOutOfOrderError);
      // Failed again: the service queues the job once more.
      await runs.markFailed(s.councilId, run.runId, 'Connection terminated unexpectedly');
      await runs.retry(s.officer, run.runId, context);
      assert.deepEqual(jobs, [{ councilId: s.councilId, runId: run.runId }]);
      const audited = await database.db.selectFrom('audit_events').select(['detail']).where('action', '=', 'payment_run.retried').where('subject_id', '=', run.runId).execute();
      assert.equal(audited.length, 2, 'each retry is audited once');
      assert.equal((audited[0]?.detail as { failure?: string } | null)?.failure, 'Connection terminated unexpectedly');

      const rest = await runs.process(s.councilId, run.runId);
      assert.deepEqual(rest, { finished: true, status: 'completed', paid: 4, skipped: 0 });
      const counts = await keyCounts(s.councilId);
      assert.equal(counts.size, 6);
      assert.ok([...counts.values()].every((n) => n === 1), 'every instalment is paid exactly once');
    });

    it('makes a payment file whose total is the posted total, and a remittance notice for each payee', async () => {
      const s = await scenario(2);
      const runs = runsWith();
      const run = await created(runs, s.officer, SECOND_RUN);
      await assert.rejects(runs.paymentFile(s.officer, run.runId, context), /ready when the run has completed/);
      await runs.process(s.councilId, run.runId);
      const file = await runs.paymentFile(s.officer, run.runId, context);
      assert.ok(file.ok);
      const row = await runRow(run.runId);
      assert.equal(file.totalPence, BigInt(row.posted_pence));
      const lines = file.csv.trim().split('\r\n');
      assert.equal(lines[0], 'payee_reference,payee_name,sort_code,account_number,amount,payment_date,reference');
      assert.equal(lines.length, 3, 'one row per payee (two instalments each)');
      assert.match(lines[1] ?? '', /^SUP1,Payee 1,309430,00733440,\d+\.\d\d,2026-12-17,OB-R0001-1$/);
      const remittance = await runs.remittance(s.officer, run.runId, context);
      assert.equal(remittance.notices.length, 2);
      assert.match(remittance.notices[0]?.text ?? '', /^We have paid £[\d,.]+ into your direct payment account on 17 December 2026\. It covers 19 November 2026 to 13 January 2027\./);
    });

    it('refuses payment runs and bank details to other roles', async () => {
      const s = await scenario(1);
      const runs = runsWith();
      await assert.rejects(runs.preview(s.caseworker, FIRST_RUN, context), ForbiddenError);
      await assert.rejects(runs.create(s.caseworker, FIRST_RUN, context), ForbiddenError);
      await assert.rejects(runs.list(s.caseworker), ForbiddenError);
      await assert.rejects(runs.bankDetails(s.caseworker, at(s.people, 0).personId, context), ForbiddenError);
    });

    it('validates bank details field by field', async () => {
      const s = await scenario(1);
      const outcome = await runsWith().saveBankDetails(s.officer, s.withoutBank.personId, { payeeReference: '', accountName: 'J Parent', sortCode: '12-34', accountNumber: '1234567x' }, context);
      assert.deepEqual(outcome.ok ? [] : outcome.errors.map((e) => e.path), ['sortCode', 'accountNumber', 'payeeReference']);
    });

    it('lets a finance officer make a run in the pages, with the GOV.UK error summary for a bad date, and refuses a caseworker', async () => {
      const s = await scenario(2);
      const app = await testApp(database);
      try {
        const cookies = await signIn(app, s.officerEmail);
        const get = (url: string) => app.inject({ url, headers: { cookie: cookieHeader(cookies) } });
        assert.equal((await get('/payment-runs')).statusCode, 200);
        const form = await get('/payment-runs/new');
        assert.equal(form.statusCode, 200);
        const csrf = csrfFrom(form.body);

        const bad = await postForm(app, '/payment-runs/new', cookies, { _csrf: csrf, 'runDate-day': '30', 'runDate-month': '2', 'runDate-year': '2026' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /govuk-error-summary/);
        assert.match(bad.body, /<a href="#runDate">The run date must be a real date<\/a>/);
        assert.match(bad.body, /value="30"/, 'what was typed is shown again');
        const empty = await postForm(app, '/payment-runs/new', cookies, { _csrf: csrf, 'runDate-day': '', 'runDate-month': '', 'runDate-year': '' });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /Enter the run date/);

        const preview = await postForm(app, '/payment-runs/new', cookies, { _csrf: csrf, 'runDate-day': '17', 'runDate-month': '12', 'runDate-year': '2026' });
        assert.equal(preview.statusCode, 200);
        assert.match(preview.body, /Create payment run/);
        assert.match(preview.body, /Social care/);
        assert.match(preview.body, /no bank details/);
        const made = await postForm(app, '/payment-runs', cookies, { _csrf: csrfFrom(preview.body), runDate: SECOND_RUN });
        assert.equal(made.statusCode, 303);
        const runUrl = String(made.headers.location).replace(/\?.*$/, '');
        const runPage = await get(String(made.headers.location));
        assert.equal(runPage.statusCode, 200);
        assert.match(runPage.body, /0 of 4 payments posted/);
        assert.match(runPage.body, /Check progress/);

        const runId = runUrl.split('/').pop() ?? '';
        await runsWith().process(s.councilId, runId);
        const donePage = await get(runUrl);
        assert.match(donePage.body, /4 of 4 payments posted/);
        assert.match(donePage.body, /Download payment file \(CSV\)/);
        const csv = await get(`${runUrl}/payment-file.csv`);
        assert.equal(csv.statusCode, 200);
        assert.match(String(csv.headers['content-type']), /^text\/csv/);
        assert.match(String(csv.headers['content-disposition']), /^attachment; filename="payment-run-R0001-2026-12-17\.csv"$/);
        assert.equal((await get(`${runUrl}/remittance`)).statusCode, 200);
        const progress = await get(`${runUrl}/progress`);
        assert.equal(progress.json<{ postedCount: number }>().postedCount, 4);

        const bank = await get(`/people/${s.withoutBank.personId}/bank-details`);
        assert.equal(bank.statusCode, 200);
        const wrong = await postForm(app, `/people/${s.withoutBank.personId}/bank-details`, cookies, { _csrf: csrfFrom(bank.body), accountName: 'J Parent', sortCode: '1234', accountNumber: '12345678', payeeReference: 'SUP9' });
        assert.equal(wrong.statusCode, 400);
        assert.match(wrong.body, /<a href="#sortCode">Enter a valid sort code like 309430<\/a>/);
        assert.match(wrong.body, /value="J Parent"/);

        const worker = await signIn(app, `worker@${'runs' + String(councils)}.test`);
        for (const url of ['/payment-runs', '/payment-runs/new', runUrl, `/people/${s.withoutBank.personId}/bank-details`]) {
          assert.equal((await app.inject({ url, headers: { cookie: cookieHeader(worker) } })).statusCode, 403, url);
        }
        assert.deepEqual(await invalidPages(renderedPages.filter((p) => /payment-runs|bank-details/.test(p.url))), [], 'the pages are valid HTML');
      } finally {
        await app.close();
      }
    });

    it('runs a queued run to the end through the pg-boss worker', async () => {
      const s = await scenario(2);
      // Errors are kept and asserted in the test's own flow: thrown from pg-boss's handlers they would be lost or unattributed.
      const errors: unknown[] = [];
      const jobs = await startJobs(database, { pollingIntervalSeconds: 1, expireInSeconds: 6, maintenanceIntervalSeconds: 2, retryLimit: 3, paymentRunBatchSize: 1000 }, (error) => errors.push(error));
      try {
        const queue = await paymentRunQueue(jobs);
        const withCouncil = tenantRunner(database);
        const runs = paymentRunServices({ withCouncil, clock, ledger: ledgerServices({ withCouncil, clock }), queue });
        const worker = await startPaymentRunWorker({ jobs, queue, paymentRuns: runs, councilIds: async () => [s.councilId], onError: (error) => errors.push(error) });
        const run = await created(runs, s.officer, SECOND_RUN);
        await completion(run.runId, errors, 'the worker did not finish the run');
        assert.equal((await keyCounts(s.councilId)).size, 4);
        await worker.stop();
      } finally {
        await jobs.stop();
      }
    });

    it('resumes a run whose worker died, once pg-boss expires the dead job, without a restart', async () => {
      const s = await scenario(2);
      const errors: unknown[] = [];
      const jobs = await startJobs(database, { pollingIntervalSeconds: 1, expireInSeconds: 3, maintenanceIntervalSeconds: 1, retryLimit: 5, paymentRunBatchSize: 1000 }, (error) => errors.push(error));
      try {
        const queue = await paymentRunQueue(jobs);
        const withCouncil = tenantRunner(database);
        const runs = paymentRunServices({ withCouncil, clock, ledger: ledgerServices({ withCouncil, clock }), queue });
        const run = await created(runs, s.officer, SECOND_RUN);
        // A worker takes the job and dies with it: it is left active, and nothing is posted.
        const taken = await jobs.boss.fetch<PaymentRunJob>('payment-run');
        assert.deepEqual(taken.map((j) => j.data), [{ councilId: s.councilId, runId: run.runId }]);
        // A live worker that does not sweep at start-up: only the expiry can bring the job back.
        const worker = await startPaymentRunWorker({ jobs, queue, paymentRuns: runs, councilIds: async () => [], onError: (error) => errors.push(error) });
        assert.equal(worker.resumed, 0);
        await completion(run.runId, errors, 'the expired job was not retried and finished');
        const counts = await keyCounts(s.councilId);
        assert.equal(counts.size, 4);
        assert.ok([...counts.values()].every((n) => n === 1));
        await worker.stop();
      } finally {
        await jobs.stop();
      }
    });
  });
}
