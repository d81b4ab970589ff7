/**
 * Direct payment monitoring and recovery (issue 6), through the services over a real database on
 * both engines: statements (all or nothing, by row and column, twice refused), lines entered by
 * hand, spending posted to the ledger, the flags, recovering surplus with a second person's approval
 * and a notice, and the year-end rollover.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import type { FastifyInstance } from 'fastify';
import { addCouncil, enrolStaff, FIXTURE_TOTP_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount } from '../support/family.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp, TEST_NOW, withResponseCookies } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { addAgreedBudget } from '../support/money.ts';
import { fixedClock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { ledgerServices } from '../../src/services/ledger.ts';
import { monitoringServices } from '../../src/services/monitoring.ts';
import { recoveryServices } from '../../src/services/recoveries.ts';
import { OutOfOrderError } from '../../src/services/sign-off.ts';
import { ForbiddenError, NotFoundError } from '../../src/services/errors.ts';
import { memoryMailer } from '../../src/services/mail/mailer.ts';
import type { Actor } from '../../src/domain/access/policy.ts';

const context = { requestId: 'test', sourceAddress: '127.0.0.1' };
const csv = (rows: readonly string[]) => Buffer.from(`date,payee,category,amount,reference,type\n${rows.join('\n')}\n`, 'utf8');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** Pays the schedule's instalments due by TEST_NOW into the holder account, as a payment run would. */
async function payDueInstalments(database: TestDatabase, ledger: ReturnType<typeof ledgerServices>, councilId: string, scheduleId: string) {
  const schedule = await database.db.selectFrom('payment_schedules').selectAll().where('id', '=', scheduleId).executeTakeFirstOrThrow();
  const due = await database.db.selectFrom('payment_instalments').selectAll().where('schedule_id', '=', schedule.id).where('due_on', '<=', '2026-11-20').orderBy('number').execute();
  let paidPence = 0n;
  for (const i of due) {
    const entries = i.by_stream.map((part) => ({ accountId: schedule.budget_accounts[part.streamId] ?? '', amountPence: -BigInt(part.pence) }));
    const result = await ledger.post(
      councilId,
      { idempotencyKey: `payment:${schedule.id}:${i.number}`, kind: 'payment', effectiveOn: i.due_on, description: 'Direct payment', entries: [...entries, { accountId: schedule.holder_account_id, amountPence: BigInt(i.amount_pence) }] },
      null,
    );
    assert.ok(result.ok, `instalment ${i.number} paid`);
    paidPence += BigInt(i.amount_pence);
  }
  const all = await database.db.selectFrom('payment_instalments').select('amount_pence').where('schedule_id', '=', schedule.id).execute();
  const counts = new Map<bigint, number>();
  for (const i of all) counts.set(BigInt(i.amount_pence), (counts.get(BigInt(i.amount_pence)) ?? 0) + 1);
  const typicalPence = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? 0n;
  return { holderId: schedule.holder_account_id, paidPence, typicalPence };
}


/** One page big enough for everyone the tests make. */
const EVERYONE = { page: 1, pageSize: 10_000 };
for (const engine of await testEngines()) {
  describe(`direct payment monitoring and recovery (${engine})`, () => {
    let database: TestDatabase;
    let a: CouncilFixture;
    let b: CouncilFixture;
    const clock = fixedClock(TEST_NOW);
    const mailer = memoryMailer();
    let ledger: ReturnType<typeof ledgerServices>;
    let monitoring: ReturnType<typeof monitoringServices>;
    let recoveries: ReturnType<typeof recoveryServices>;
    let finance: Actor;
    let finance2: Actor;
    let approver: Actor;
    let family: Actor;
    let otherCouncilFinance: Actor;

    const staff = (f: CouncilFixture, accountId: string, role: 'finance_officer' | 'approver'): Actor => ({
      kind: 'staff',
      role,
      accountId,
      displayName: role,
      councilId: f.councilId,
      councilSlug: f.slug,
      councilName: `${f.slug} Council`,
    });

    async function addStaff(f: CouncilFixture, role: 'finance_officer' | 'approver', email: string): Promise<Actor> {
      const id = crypto.randomUUID();
      await database.db
        .insertInto('accounts')
        .values({ id, council_id: f.councilId, kind: 'staff', email, display_name: `${role} ${email}`, role, job_title: 'Finance', team: 'Finance', password_hash: await fixturePasswordHash() })
        .execute();
      return staff(f, id, role);
    }

    /** A person with a £100 a week direct payment from 1 April 2026, its instalments due by today paid into the holder account. */
    async function directPaymentPerson(reference: string, contingencyPence = 20_000n): Promise<{ personId: string; holderId: string; paidPence: bigint; typicalPence: bigint }> {
      const fixture = await addAgreedBudget(database, a.councilId, {
        reference,
        caseworkerId: a.accountId,
        items: [{ weeklyPounds: 100, management: 'direct_payment' }],
        periodStartsOn: '2026-04-01',
        periodEndsOn: '2027-03-31',
        contingencyPence,
      });
      assert.ok(fixture.scheduleId !== null, 'a direct payment has a schedule');
      const { holderId, paidPence, typicalPence } = await payDueInstalments(database, ledger, a.councilId, fixture.scheduleId);
      return { personId: fixture.personId, holderId, paidPence, typicalPence };
    }

    const counts = async (personId: string) => ({
      returns: (await database.db.selectFrom('spending_returns').select('id').where('person_id', '=', personId).execute()).length,
      lines: (await database.db.selectFrom('spending_lines').select('id').where('person_id', '=', personId).execute()).length,
      spendTransactions: (
        await database.db.selectFrom('ledger_transactions').select('id').where('council_id', '=', a.councilId).where('kind', 'in', ['spend', 'refund']).execute()
      ).length,
    });

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'mon', { passwordHash, email: 'worker@mon.test' });
      b = await addCouncil(database, 'other', { passwordHash, email: 'worker@other.test' });
      ledger = ledgerServices({ withCouncil: tenantRunner(database), clock });
      monitoring = monitoringServices({ withCouncil: tenantRunner(database), clock, ledger });
      recoveries = recoveryServices({ withCouncil: tenantRunner(database), clock, ledger, monitoring, mailer, links: { notice: (id) => `https://onebudget.test/recoveries/${id}/notice` } });
      finance = await addStaff(a, 'finance_officer', 'f1@mon.test');
      finance2 = await addStaff(a, 'finance_officer', 'f2@mon.test');
      approver = await addStaff(a, 'approver', 'ap@mon.test');
      otherCouncilFinance = await addStaff(b, 'finance_officer', 'f@other.test');
    });
    after(async () => {
      await database.dispose();
    });

    it('reports a malformed statement by row and column and imports nothing: no return, no lines, no ledger transactions', async () => {
      const { personId } = await directPaymentPerson('DPM-1');
      const before = await counts(personId);
      const outcome = await monitoring.uploadStatement(
        finance,
        personId,
        { name: 'bad.csv', bytes: csv(['02/11/2026,Jane Smith,personal_assistant,120.00,,', '03/11/2026,,respite,12.5,,', '31/02/2026,Shop,equipment,10.00,,']) },
        context,
      );
      assert.equal(outcome.ok, false);
      assert.ok(!outcome.ok && outcome.kind === 'invalid');
      const errors = !outcome.ok && outcome.kind === 'invalid' ? outcome.errors : [];
      assert.deepEqual(
        errors.map((e) => [e.row, e.column]),
        [
          [3, 'payee'],
          [3, 'category'],
          [4, 'date'],
        ],
      );
      assert.deepEqual(await counts(personId), before);
    });

    it('refuses amounts with more than two decimal places, negative amounts and absurd amounts, in a statement and in a line entered by hand', async () => {
      const { personId } = await directPaymentPerson('DPM-2');
      const before = await counts(personId);
      const outcome = await monitoring.uploadStatement(
        finance,
        personId,
        { name: 'amounts.csv', bytes: csv(['02/11/2026,A,equipment,12.505,,', '02/11/2026,B,equipment,-5.00,,', '02/11/2026,C,equipment,25000.01,,', '02/11/2026,D,equipment,0,,']) },
        context,
      );
      const messages = !outcome.ok && outcome.kind === 'invalid' ? outcome.errors.map((e) => `${e.row}/${e.column}: ${e.message}`) : [];
      assert.deepEqual(messages, [
        '2/amount: The amount must have no more than 2 decimal places, like 12.50',
        '3/amount: Enter the amount without a minus sign. For money paid back to you, enter refund in the type column',
        '4/amount: The amount must be £25,000.00 or less',
        '5/amount: The amount must be more than £0.00',
      ]);
      const line = (amount: string) => monitoring.enterLine(finance, personId, { date: '2026-11-02', payee: 'Shop', category: 'equipment', amount, type: 'spend' }, context);
      assert.deepEqual(await line('12.505'), { ok: false, errors: [{ path: 'amount', message: 'The amount must have no more than 2 decimal places, like 12.50' }] });
      assert.deepEqual(await line('-5'), { ok: false, errors: [{ path: 'amount', message: 'Enter the amount without a minus sign. For money paid back, choose refund' }] });
      assert.deepEqual(await line('30000'), { ok: false, errors: [{ path: 'amount', message: 'The amount must be £25,000.00 or less' }] });
      assert.deepEqual(await counts(personId), before);
    });

    it('detects the same statement uploaded twice, even with its rows in another order, and imports nothing the second time', async () => {
      const { personId } = await directPaymentPerson('DPM-3');
      const first = await monitoring.uploadStatement(finance, personId, { name: 'q.csv', bytes: csv(['02/11/2026,Jane Smith,personal_assistant,120.00,W1,', '09/11/2026,Riverside,short_breaks,85.00,,']) }, context);
      assert.ok(first.ok);
      const afterFirst = await counts(personId);
      const again = await monitoring.uploadStatement(finance, personId, { name: 'q-again.csv', bytes: csv(['2026-11-09,Riverside,Short breaks and respite,85,,spend', '2026-11-02,jane smith,personal_assistant,"£120.00",W1,']) }, context);
      assert.equal(again.ok, false);
      assert.ok(!again.ok && again.kind === 'duplicate' && again.uploadedAt.getTime() === TEST_NOW.getTime());
      assert.deepEqual(await counts(personId), afterFirst);
    });

    it('posts spending and refunds to the ledger, each line naming its transaction, so the holder balance changes by exactly the net', async () => {
      const { personId, holderId } = await directPaymentPerson('DPM-4');
      const before = await ledger.balance(a.councilId, holderId);
      const outcome = await monitoring.uploadStatement(
        finance,
        personId,
        { name: 's.csv', bytes: csv(['02/11/2026,Jane Smith,personal_assistant,"£1,234.56",,', '09/11/2026,Riverside,short_breaks,85.00,,', '15/11/2026,Riverside,short_breaks,12.50,part refund,refund']) },
        context,
      );
      assert.ok(outcome.ok && outcome.value.lineCount === 3);
      assert.equal(await ledger.balance(a.councilId, holderId), before - 123_456n - 8_500n + 1_250n);
      const lines = await database.db.selectFrom('spending_lines').select(['id', 'type', 'transaction_id']).where('person_id', '=', personId).execute();
      const ret = await database.db.selectFrom('spending_returns').select(['source', 'fingerprint', 'line_count']).where('person_id', '=', personId).executeTakeFirstOrThrow();
      assert.equal(ret.source, 'upload');
      assert.equal(ret.line_count, 3);
      for (const line of lines) {
        const tx = await database.db.selectFrom('ledger_transactions').select(['idempotency_key', 'kind']).where('id', '=', line.transaction_id).executeTakeFirstOrThrow();
        assert.equal(tx.idempotency_key, `${line.type}:${line.id}`);
        assert.equal(tx.kind, line.type);
      }
      // A line entered by hand, with a receipt, posts too; the receipt comes back with its real type.
      const entered = await monitoring.enterLine(finance, personId, { date: '2026-11-18', payee: 'Taxi', category: 'transport', amount: '20', type: 'spend', receipt: { bytes: PNG, name: 'taxi.png' } }, context);
      assert.ok(entered.ok);
      assert.equal(await ledger.balance(a.councilId, holderId), before - 123_456n - 8_500n + 1_250n - 2_000n);
      const receipt = await monitoring.receipt(finance, entered.value.lineId, context);
      assert.deepEqual([receipt.type, receipt.name, receipt.bytes.equals(PNG)], ['image/png', 'taxi.png', true]);
      const notAReceipt = await monitoring.enterLine(finance, personId, { date: '2026-11-18', payee: 'Taxi', category: 'transport', amount: '20', type: 'spend', receipt: { bytes: Buffer.from('<html>') } }, context);
      assert.deepEqual(notAReceipt, { ok: false, errors: [{ path: 'receipt', message: 'The receipt must be a JPG, PNG or PDF file' }] });
    });

    it('flags spending in a category the council does not allow, line by line', async () => {
      const { personId } = await directPaymentPerson('DPM-5');
      await monitoring.uploadStatement(finance, personId, { name: 'x.csv', bytes: csv(['02/11/2026,St Mary School,school_place,500.00,,', '03/11/2026,St Mary School,school_place,50.00,,', '04/11/2026,Pool,activities,5.00,,']) }, context);
      const view = await monitoring.spending(finance, personId, context);
      const flag = view.account?.result.flags.find((f) => f.kind === 'not_permitted_category');
      assert.ok(flag !== undefined && flag.kind === 'not_permitted_category');
      assert.equal(flag.category, 'school_place');
      assert.equal(flag.lineIds.length, 2);
      assert.equal(flag.spentPence, 55_000n);
    });

    it('flags missing quarterly returns until a return arrives', async () => {
      const { personId } = await directPaymentPerson('DPM-6', 0n);
      const before = await monitoring.spending(finance, personId, context);
      assert.deepEqual(before.account?.result.flags.filter((f) => f.kind === 'missing_return').map((f) => (f.kind === 'missing_return' ? f.dueDate : '')), ['2026-06-30', '2026-09-30']);
      await monitoring.enterLine(finance, personId, { date: '2026-11-02', payee: 'Pool', category: 'activities', amount: '5', type: 'spend' }, context);
      const afterOne = await monitoring.spending(finance, personId, context);
      assert.equal(afterOne.account?.result.flags.filter((f) => f.kind === 'missing_return').length, 1);
    });

    it('flags surplus above 8 weeks of payments, not counting the agreed contingency', async () => {
      const { personId, paidPence, typicalPence } = await directPaymentPerson('DPM-7', 20_000n);
      await monitoring.enterLine(finance, personId, { date: '2026-11-02', payee: 'Pool', category: 'activities', amount: '100', type: 'spend' }, context);
      const view = await monitoring.spending(finance, personId, context);
      const r = view.account?.result.reconciliation;
      assert.ok(r !== undefined);
      // Four-weekly payments: 8 weeks of payments is two instalments.
      assert.equal(r.thresholdPence, 2n * typicalPence);
      assert.equal(r.balancePence, paidPence - 10_000n);
      assert.equal(r.surplusPence, paidPence - 10_000n - 20_000n - 2n * typicalPence);
      const flag = view.account?.result.flags.find((f) => f.kind === 'surplus');
      assert.ok(flag !== undefined && flag.kind === 'surplus' && flag.surplusPence === r.surplusPence && flag.contingencyPence === 20_000n);
      const list = (await monitoring.financeList(finance, { flag: 'surplus' }, EVERYONE)).rows;
      assert.ok(list.some((row) => row.person.id === personId && row.surplusPence === r.surplusPence));
    });

    it('recovers surplus only with reasons and a different approver, posts it exactly once, and gives the family a notice with the reasons and how to challenge', async () => {
      const { personId, holderId } = await directPaymentPerson('DPM-8', 20_000n);
      const familyId = await addFamilyAccount(database, a.councilId, { email: 'parent@mon.test', passwordHash: await fixturePasswordHash(), links: [{ personId, relationship: 'parent_carer' }] });
      family = { kind: 'family', accountId: familyId, displayName: 'Parent', councilId: a.councilId, councilSlug: a.slug, councilName: 'mon Council' };
      const surplus = (await monitoring.spending(finance, personId, context)).account?.result.reconciliation.surplusPence ?? 0n;
      assert.ok(surplus > 10_000n);

      assert.deepEqual(await recoveries.proposeSurplus(finance, personId, { amount: '100.00', reasons: ' ' }, context), {
        ok: false,
        errors: [{ path: 'reasons', message: 'Enter the reasons for recovering this money, in words the family will read' }],
      });
      const tooMuch = await recoveries.proposeSurplus(finance, personId, { amount: ((surplus + 1n) / 100n + 1n).toString(), reasons: 'Not needed' }, context);
      assert.ok(!tooMuch.ok && tooMuch.errors[0]?.path === 'amount');
      const proposed = await recoveries.proposeSurplus(finance, personId, { amount: '100.00', reasons: 'The money has built up because the swimming club closed for the summer.' }, context);
      assert.ok(proposed.ok);
      const recoveryId = proposed.value.recoveryId;

      await assert.rejects(recoveries.decide(finance, recoveryId, { decision: 'approve', note: 'Fine' }, context), ForbiddenError, 'the proposer may not approve');
      await assert.rejects(recoveries.decide(family, recoveryId, { decision: 'approve', note: 'Fine' }, context), ForbiddenError, 'the family may not approve');
      await assert.rejects(database.db.updateTable('recoveries').set({ decided_by: finance.accountId }).where('id', '=', recoveryId).execute(), /recoveries_check|check/i, 'the database refuses the proposer as decider');
      assert.deepEqual(await recoveries.decide(finance2, recoveryId, { decision: 'approve', note: '' }, context), { ok: false, errors: [{ path: 'note', message: 'Enter a note about your decision' }] });

      const before = await ledger.balance(a.councilId, holderId);
      assert.deepEqual(await recoveries.decide(approver, recoveryId, { decision: 'approve', note: 'Agreed: reasons are clear' }, context), { ok: true, value: { personId } });
      await assert.rejects(recoveries.decide(finance2, recoveryId, { decision: 'approve', note: 'Again' }, context), OutOfOrderError);
      assert.equal(await ledger.balance(a.councilId, holderId), before - 10_000n);
      const posted = await database.db.selectFrom('ledger_transactions').select(['id', 'kind']).where('council_id', '=', a.councilId).where('idempotency_key', '=', `recovery:${recoveryId}`).execute();
      assert.equal(posted.length, 1);
      const row = await database.db.selectFrom('recoveries').select(['status', 'challenge_by', 'transaction_id']).where('id', '=', recoveryId).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.challenge_by, row.transaction_id], ['approved', '2026-12-18', posted[0]?.id]);

      const notice = await recoveries.notice(family, recoveryId, context);
      assert.equal(notice.reasons, 'The money has built up because the swimming club closed for the summer.');
      assert.ok(notice.working.some((l) => l.includes('contingency')));
      assert.equal(notice.recovery.challengeBy, '2026-12-18');
      assert.ok(mailer.sent.some((m) => m.to === 'parent@mon.test' && m.body.includes(`/recoveries/${recoveryId}/notice`)));

      // A proposal can be cancelled instead: nothing moves, and there is no notice.
      const second = await recoveries.proposeSurplus(finance, personId, { amount: '5.00', reasons: 'Test' }, context);
      assert.ok(second.ok);
      const balance = await ledger.balance(a.councilId, holderId);
      assert.deepEqual(await recoveries.decide(finance2, second.value.recoveryId, { decision: 'cancel', note: 'The family has bills to come' }, context), { ok: true, value: { personId } });
      assert.equal(await ledger.balance(a.councilId, holderId), balance);
      await assert.rejects(recoveries.notice(family, second.value.recoveryId, context), NotFoundError);
    });

    /** A £100 recovery from a new person's surplus, proposed by `finance` and approved by `approver` today. */
    async function approvedRecovery(reference: string): Promise<{ personId: string; holderId: string; recoveryId: string; beforePence: bigint }> {
      const { personId, holderId } = await directPaymentPerson(reference, 0n);
      const beforePence = await ledger.balance(a.councilId, holderId);
      const proposed = await recoveries.proposeSurplus(finance, personId, { amount: '100.00', reasons: 'The money has built up.' }, context);
      assert.ok(proposed.ok);
      const approved = await recoveries.decide(approver, proposed.value.recoveryId, { decision: 'approve', note: 'Agreed' }, context);
      assert.ok(approved.ok);
      assert.equal(await ledger.balance(a.councilId, holderId), beforePence - 10_000n);
      return { personId, holderId, recoveryId: proposed.value.recoveryId, beforePence };
    }

    const repayments = async (recoveryId: string) =>
      database.db.selectFrom('ledger_transactions').select('id').where('council_id', '=', a.councilId).where('idempotency_key', '=', `recovery:${recoveryId}:repaid`).execute();

    it('records the family’s challenge only with a real date since the approval and what they said, and only once', async () => {
      const { recoveryId } = await approvedRecovery('DPC-1');
      assert.deepEqual(await recoveries.recordChallenge(finance, recoveryId, { receivedOn: '', summary: ' ' }, context), {
        ok: false,
        errors: [
          { path: 'receivedOn', message: 'Enter the date the challenge was received' },
          { path: 'summary', message: 'Enter what the family said' },
        ],
      });
      const future = await recoveries.recordChallenge(finance, recoveryId, { receivedOn: '2026-11-21', summary: 'x' }, context);
      assert.ok(!future.ok && future.errors[0]?.message === 'The date the challenge was received must be today or in the past');
      const early = await recoveries.recordChallenge(finance, recoveryId, { receivedOn: '2026-11-19', summary: 'x' }, context);
      assert.ok(!early.ok && /on or after the day the recovery was approved, 20 November 2026/.test(early.errors[0]?.message ?? ''));
      await assert.rejects(recoveries.recordChallenge(approver, recoveryId, { receivedOn: '2026-11-20', summary: 'x' }, context), ForbiddenError, 'recording needs a finance officer');
      assert.deepEqual(await recoveries.recordChallenge(finance, recoveryId, { receivedOn: '2026-11-20', summary: 'The money is for holiday cover.' }, context), { ok: true, value: { personId: (await recoveries.view(finance, recoveryId, context)).recovery.personId } });
      await assert.rejects(recoveries.recordChallenge(finance, recoveryId, { receivedOn: '2026-11-20', summary: 'Again' }, context), OutOfOrderError);
      const view = await recoveries.view(finance2, recoveryId, context);
      assert.equal(view.recovery.challenge?.summary, 'The money is for holiday cover.');
      assert.equal(view.recovery.challenge?.decision, null);
      assert.equal(view.mayRecordChallenge, false);
      assert.deepEqual(view.mayDecideChallenge, { ok: true });

      // A challenge after the date to challenge by is still recorded; the audit says it came late.
      const late = await approvedRecovery('DPC-2');
      const later = recoveryServices({ withCouncil: tenantRunner(database), clock: fixedClock(new Date('2027-01-05T10:00:00Z')), ledger, monitoring, mailer });
      assert.ok((await later.recordChallenge(finance, late.recoveryId, { receivedOn: '2027-01-04', summary: 'We were away.' }, context)).ok);
      const audit = await database.db.selectFrom('audit_events').select('detail').where('action', '=', 'person.recovery_challenge_recorded').where('subject_id', '=', late.personId).executeTakeFirstOrThrow();
      assert.equal((audit.detail as { late?: boolean }).late, true);
    });

    it('lets the family challenge an approved recovery from its notice in their own words, received today, once; staff and other families may not', async () => {
      const { personId, recoveryId } = await approvedRecovery('DPC-6');
      const parentId = await addFamilyAccount(database, a.councilId, { email: 'parent6@mon.test', passwordHash: await fixturePasswordHash(), links: [{ personId, relationship: 'parent_carer' }] });
      const parent: Actor = { kind: 'family', accountId: parentId, displayName: 'Parent Six', councilId: a.councilId, councilSlug: a.slug, councilName: 'mon Council' };
      const strangerId = await addFamilyAccount(database, a.councilId, { email: 'stranger6@mon.test', passwordHash: await fixturePasswordHash(), links: [{ personId: a.restrictedPersonId, relationship: 'parent_carer' }] });
      const stranger: Actor = { ...parent, accountId: strangerId, displayName: 'Stranger' };

      assert.deepEqual(await recoveries.challenge(parent, recoveryId, { summary: '  ' }, context), { ok: false, errors: [{ path: 'summary', message: 'Enter why you think the decision is wrong' }] });
      assert.deepEqual(await recoveries.challenge(parent, recoveryId, { summary: 'x'.repeat(3001) }, context), {
        ok: false,
        errors: [{ path: 'summary', message: 'Why you think the decision is wrong must be 3,000 characters or fewer' }],
      });
      await assert.rejects(recoveries.challenge(finance, recoveryId, { summary: 'x' }, context), ForbiddenError, 'staff record a challenge with the day it came');
      await assert.rejects(recoveries.challenge(stranger, recoveryId, { summary: 'x' }, context), NotFoundError, 'another family is told nothing');
      assert.equal((await recoveries.view(finance, recoveryId, context)).recovery.challenge, null, 'nothing recorded by the refusals');

      assert.deepEqual(await recoveries.challenge(parent, recoveryId, { summary: ' The money is promised to our PA for December. ' }, context), { ok: true, value: { personId } });
      await assert.rejects(recoveries.challenge(parent, recoveryId, { summary: 'Again' }, context), OutOfOrderError);
      const view = await recoveries.view(finance2, recoveryId, context);
      assert.deepEqual(
        { summary: view.recovery.challenge?.summary, receivedOn: view.recovery.challenge?.receivedOn, decision: view.recovery.challenge?.decision },
        { summary: 'The money is promised to our PA for December.', receivedOn: '2026-11-20', decision: null },
      );
      assert.ok((await recoveries.waiting(finance2)).rows.some((w) => w.id === recoveryId && w.waitingFor === 'challenge'), 'finance sees it waiting for a decision');
      const audit = await database.db.selectFrom('audit_events').select(['actor_id', 'detail']).where('action', '=', 'person.recovery_challenge_recorded').where('subject_id', '=', personId).executeTakeFirstOrThrow();
      assert.equal(audit.actor_id, parentId);
      assert.deepEqual(audit.detail, { recoveryId, receivedOn: '2026-11-20', late: false, online: true });

      // A recovery not yet approved has no notice: the family cannot challenge it.
      const proposed = await recoveries.proposeSurplus(finance, personId, { amount: '1.00', reasons: 'Test' }, context);
      assert.ok(proposed.ok);
      await assert.rejects(recoveries.challenge(parent, proposed.value.recoveryId, { summary: 'x' }, context), NotFoundError);
    });

    it('lets only someone who was not part of the decision decide a challenge; upheld pays it all back exactly once, even decided twice at the same moment', async () => {
      const { personId, holderId, recoveryId, beforePence } = await approvedRecovery('DPC-3');
      const parentId = await addFamilyAccount(database, a.councilId, { email: 'parent3@mon.test', passwordHash: await fixturePasswordHash(), links: [{ personId, relationship: 'parent_carer' }] });
      const parent: Actor = { kind: 'family', accountId: parentId, displayName: 'Parent', councilId: a.councilId, councilSlug: a.slug, councilName: 'mon Council' };
      assert.ok((await recoveries.recordChallenge(finance, recoveryId, { receivedOn: '2026-11-20', summary: 'Promised to the PA.' }, context)).ok);
      const decision = { outcome: 'upheld', note: 'The invoice shows the money was promised.' };
      await assert.rejects(recoveries.decideChallenge(finance, recoveryId, decision, context), ForbiddenError, 'the proposer may not decide the challenge');
      await assert.rejects(recoveries.decideChallenge(approver, recoveryId, decision, context), ForbiddenError, 'the approver may not decide the challenge');
      await assert.rejects(recoveries.decideChallenge(parent, recoveryId, decision, context), ForbiddenError, 'the family may not decide the challenge');
      for (const who of [finance, approver]) {
        await assert.rejects(
          database.db
            .updateTable('recoveries')
            .set({ challenge_outcome: 'not_upheld', challenge_decided_by: who.accountId, challenge_decided_at: TEST_NOW, challenge_note: 'x', repaid_pence: 0n })
            .where('id', '=', recoveryId)
            .execute(),
          /check/i,
          'the database refuses someone who was part of the decision',
        );
      }
      assert.deepEqual(await recoveries.decideChallenge(finance2, recoveryId, { outcome: '', note: '' }, context), {
        ok: false,
        errors: [
          { path: 'outcome', message: 'Select whether the challenge is upheld, partly upheld or not upheld' },
          { path: 'challengeNote', message: 'Enter a note about your decision, in words the family will read' },
        ],
      });
      assert.equal((await repayments(recoveryId)).length, 0, 'nothing is paid back while the form has errors');

      const sentBefore = mailer.sent.length;
      const both = await Promise.allSettled([recoveries.decideChallenge(finance2, recoveryId, decision, context), recoveries.decideChallenge(finance2, recoveryId, decision, context)]);
      assert.equal(both.filter((r) => r.status === 'fulfilled' && r.value.ok).length, 1, 'one decision stands');
      const refused = both.find((r) => r.status === 'rejected');
      assert.ok(refused !== undefined && refused.reason instanceof OutOfOrderError, 'the other is out of order');
      assert.equal((await repayments(recoveryId)).length, 1, 'paid back exactly once');
      assert.equal(await ledger.balance(a.councilId, holderId), beforePence, 'the holder has all of it back');
      const repaid = await repayments(recoveryId);
      const entries = await database.db.selectFrom('ledger_entries').select('amount_pence').where('transaction_id', '=', repaid[0]?.id ?? '').execute();
      assert.equal(entries.reduce((sum, e) => sum + BigInt(e.amount_pence), 0n), 0n, 'the repayment balances');

      const notice = await recoveries.notice(parent, recoveryId, context);
      assert.equal(notice.recovery.challenge?.decision?.outcome, 'upheld');
      assert.equal(notice.recovery.challenge?.decision?.repaidPence, 10_000n);
      assert.ok(mailer.sent.slice(sentBefore).some((m) => m.to === 'parent3@mon.test' && m.subject === 'We have looked again at a decision about a direct payment'));
      await assert.rejects(recoveries.decideChallenge(finance2, recoveryId, { outcome: 'not_upheld', note: 'Changed my mind' }, context), OutOfOrderError, 'a decided challenge stays decided');
      assert.equal(personId, notice.recovery.personId);
    });

    it('pays back only the amount entered when a challenge is partly upheld, and nothing when it is not upheld', async () => {
      const partly = await approvedRecovery('DPC-4');
      assert.ok((await recoveries.recordChallenge(finance, partly.recoveryId, { receivedOn: '2026-11-20', summary: 'Some of it is promised.' }, context)).ok);
      for (const [repayPounds, message] of [
        ['', 'Enter the amount to pay back'],
        ['0', 'The amount to pay back must be more than £0.00'],
        ['100.00', 'The amount to pay back must be less than the amount recovered, £100.00. If all of it is to be paid back, select upheld'],
        ['12.345', 'Enter the amount to pay back in pounds and pence, like 120.50'],
      ] as const) {
        assert.deepEqual(await recoveries.decideChallenge(finance2, partly.recoveryId, { outcome: 'partly_upheld', repayPounds, note: 'Part' }, context), { ok: false, errors: [{ path: 'repay', message }] });
      }
      assert.ok((await recoveries.decideChallenge(finance2, partly.recoveryId, { outcome: 'partly_upheld', repayPounds: '40.00', note: '£40 was promised.' }, context)).ok);
      assert.equal(await ledger.balance(a.councilId, partly.holderId), partly.beforePence - 6_000n);
      assert.equal((await repayments(partly.recoveryId)).length, 1);

      const not = await approvedRecovery('DPC-5');
      assert.ok((await recoveries.recordChallenge(finance, not.recoveryId, { receivedOn: '2026-11-20', summary: 'We disagree.' }, context)).ok);
      assert.ok((await recoveries.decideChallenge(finance2, not.recoveryId, { outcome: 'not_upheld', repayPounds: '50', note: 'The money was not needed.' }, context)).ok);
      assert.equal(await ledger.balance(a.councilId, not.holderId), not.beforePence - 10_000n, 'the recovery stands');
      assert.equal((await repayments(not.recoveryId)).length, 0);
      const row = await database.db.selectFrom('recoveries').select(['challenge_outcome', 'repaid_pence', 'repayment_transaction_id']).where('id', '=', not.recoveryId).executeTakeFirstOrThrow();
      assert.deepEqual([row.challenge_outcome, BigInt(row.repaid_pence ?? -1), row.repayment_transaction_id], ['not_upheld', 0n, null]);
    });

    it('proposes the year-end recovery the rollover policy gives, with the rollover’s working beside its reasons', async () => {
      const { personId } = await directPaymentPerson('DPM-9', 0n);
      const view = (await monitoring.rollover(finance, personId, '2026-11-20', context)).rollover;
      assert.ok(view !== undefined && view.rollover.proposedRecoveryPence > 0n);
      const proposed = await recoveries.proposeYearEnd(finance, personId, { asOf: '2026-11-20', reasons: '' }, context);
      assert.ok(proposed.ok);
      const row = await database.db.selectFrom('recoveries').select(['kind', 'amount_pence', 'reasons', 'working', 'status']).where('id', '=', proposed.value.recoveryId).executeTakeFirstOrThrow();
      assert.deepEqual([row.kind, BigInt(row.amount_pence), row.status], ['year_end', view.rollover.proposedRecoveryPence, 'proposed']);
      assert.match(row.reasons, /rollover policy/);
      assert.deepEqual(row.working.split('\n'), [...view.rollover.explanation]);
    });

    it('shows one council nothing of another council’s spending or recoveries, and a family nothing of another family’s', async () => {
      const { personId } = await directPaymentPerson('DPM-10');
      await assert.rejects(monitoring.spending(otherCouncilFinance, personId, context), NotFoundError);
      await assert.rejects(monitoring.uploadStatement(otherCouncilFinance, personId, { name: 'x.csv', bytes: csv(['02/11/2026,A,equipment,1.00,,']) }, context), NotFoundError);
      const proposed = await recoveries.proposeSurplus(finance, personId, { amount: '1.00', reasons: 'Test' }, context);
      assert.ok(proposed.ok);
      await assert.rejects(recoveries.decide(otherCouncilFinance, proposed.value.recoveryId, { decision: 'approve', note: 'x' }, context), NotFoundError);
      assert.deepEqual(await monitoring.financeList(otherCouncilFinance, {}, EVERYONE), { rows: [], total: 0, page: 1, pageCount: 1, pageSize: EVERYONE.pageSize, restrictedNotShown: 0 });
      // A family member of someone else is told nothing either, even about a bad file or a bad amount.
      const strangerId = await addFamilyAccount(database, a.councilId, { email: 'stranger@mon.test', passwordHash: await fixturePasswordHash(), links: [{ personId: a.restrictedPersonId, relationship: 'parent_carer' }] });
      const stranger: Actor = { kind: 'family', accountId: strangerId, displayName: 'Stranger', councilId: a.councilId, councilSlug: a.slug, councilName: 'mon Council' };
      await assert.rejects(monitoring.uploadStatement(stranger, personId, { name: 'x.csv', bytes: Buffer.alloc(0) }, context), NotFoundError);
      await assert.rejects(monitoring.enterLine(stranger, personId, { date: '2026-11-02', payee: 'A', category: 'equipment', amount: '-1', type: 'spend' }, context), NotFoundError);
      await assert.rejects(monitoring.spending(stranger, personId, context), NotFoundError);
    });

    it('gives everyone on the finance monitoring list the same flags, surplus and balance as their own spending page', async () => {
      // By now the council has many direct payments in different states (run after the tests above).
      const list = (await monitoring.financeList(finance, {}, EVERYONE)).rows;
      assert.ok(list.length >= 8, `many people on the list (${list.length})`);
      for (const kind of ['not_permitted_category', 'missing_return', 'surplus'] as const) {
        assert.ok(list.some((row) => row.counts[kind] > 0), `someone on the list has a ${kind} flag`);
        const filtered = (await monitoring.financeList(finance, { flag: kind }, EVERYONE)).rows;
        assert.deepEqual(filtered.map((row) => row.person.id), list.filter((row) => row.counts[kind] > 0).map((row) => row.person.id));
      }
      for (const row of list) {
        const account = (await monitoring.spending(finance, row.person.id, context)).account;
        assert.ok(account !== undefined, `${row.person.reference} has a direct payment`);
        const flags = account.result.flags;
        assert.deepEqual(
          row.counts,
          {
            not_permitted_category: flags.reduce((n, f) => n + (f.kind === 'not_permitted_category' ? f.lineIds.length : 0), 0),
            missing_return: flags.filter((f) => f.kind === 'missing_return').length,
            surplus: flags.filter((f) => f.kind === 'surplus').length,
          },
          row.person.reference,
        );
        assert.equal(row.surplusPence, account.result.reconciliation.surplusPence, row.person.reference);
        assert.equal(row.balancePence, account.result.reconciliation.balancePence, row.person.reference);
      }
      assert.ok(new Set(list.map((row) => row.balancePence)).size > 1, 'the people have different balances');
    });

    it('pages the finance monitoring list: everyone once, by reference, with the filter applied before paging and the last page for a page beyond the end', async () => {
      const everyone = await monitoring.financeList(finance, {}, EVERYONE);
      assert.ok(everyone.total >= 8 && everyone.rows.length === everyone.total);
      const pageSize = 3;
      const pageCount = Math.ceil(everyone.total / pageSize);
      const seen: string[] = [];
      for (let page = 1; page <= pageCount; page++) {
        const shown = await monitoring.financeList(finance, {}, { page, pageSize });
        assert.deepEqual([shown.page, shown.pageCount, shown.total], [page, pageCount, everyone.total]);
        assert.equal(shown.rows.length, page < pageCount ? pageSize : everyone.total - pageSize * (pageCount - 1));
        seen.push(...shown.rows.map((row) => row.person.reference));
      }
      assert.deepEqual(seen, everyone.rows.map((row) => row.person.reference), 'every person once, in the same order');
      assert.deepEqual(seen, [...seen].sort(), 'by reference');
      const beyond = await monitoring.financeList(finance, {}, { page: pageCount + 5, pageSize });
      assert.equal(beyond.page, pageCount);
      assert.deepEqual(beyond.rows.map((row) => row.person.id), everyone.rows.slice((pageCount - 1) * pageSize).map((row) => row.person.id));
      const flagged = await monitoring.financeList(finance, { flag: 'missing_return' }, { page: 1, pageSize: 1 });
      assert.equal(flagged.total, everyone.rows.filter((row) => row.counts.missing_return > 0).length, 'the total counts only the people the filter keeps');
      assert.equal(flagged.pageCount, flagged.total);
    });

    it('leaves a restricted record off the monitoring list and the waiting recoveries unless the officer is named on it, and says how many are not shown', async () => {
      const { personId } = await directPaymentPerson('DPR-1', 0n);
      const proposed = await recoveries.proposeSurplus(finance, personId, { amount: '1.00', reasons: 'The money has built up.' }, context);
      assert.ok(proposed.ok);
      await database.db.updateTable('people').set({ restricted: true }).where('id', '=', personId).execute();

      const list = await monitoring.financeList(finance2, {}, EVERYONE);
      assert.ok(!list.rows.some((row) => row.person.id === personId), 'not listed for an officer who is not named');
      assert.equal(list.restrictedNotShown, 1);
      await assert.rejects(monitoring.spending(finance2, personId, context), ForbiddenError, 'as its page refuses them');
      const waiting = await recoveries.waiting(approver);
      assert.ok(!waiting.rows.some((r) => r.personId === personId));
      assert.equal(waiting.restrictedNotShown, 1);

      await database.db.insertInto('named_workers').values([
        { council_id: a.councilId, person_id: personId, account_id: finance2.accountId, added_at: new Date() },
        { council_id: a.councilId, person_id: personId, account_id: approver.accountId, added_at: new Date() },
      ]).execute();
      const named = await monitoring.financeList(finance2, {}, EVERYONE);
      assert.ok(named.rows.some((row) => row.person.id === personId), 'listed once the officer is named');
      assert.equal(named.restrictedNotShown, 0);
      assert.ok((await monitoring.spending(finance2, personId, context)).account !== undefined);
      const approverWaiting = await recoveries.waiting(approver);
      assert.ok(approverWaiting.rows.some((r) => r.id === proposed.value.recoveryId));
      assert.equal(approverWaiting.restrictedNotShown, 0);
      await database.db.updateTable('people').set({ restricted: false }).where('id', '=', personId).execute();
    });
  });
}

/** A multipart/form-data body as a browser sends a form with files. */
function multipart(fields: Record<string, string>, files: readonly { field: string; filename: string; type: string; content: Buffer }[]) {
  const boundary = `----onebudget${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const engine of await testEngines()) {
  describe(`direct payment monitoring pages (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let personId: string;
    let familyJar: Record<string, string>;
    let financeJar: Record<string, string>;
    let adminJar: Record<string, string>;
    let approverJar: Record<string, string>;
    let reviewerJar: Record<string, string>;

    const get = (url: string, jar: Record<string, string>) => app.inject({ url, headers: { cookie: cookieHeader(jar) } });
    async function postFiles(jar: Record<string, string>, pageUrl: string, url: string, fields: Record<string, string>, files: Parameters<typeof multipart>[1], csrf = true) {
      const page = await get(pageUrl, jar);
      assert.equal(page.statusCode, 200);
      const body = multipart(csrf ? { _csrf: csrfFrom(page.body), ...fields } : fields, files);
      return app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(withResponseCookies(jar, page)), 'content-type': body.contentType }, payload: body.payload });
    }
    async function postForm(jar: Record<string, string>, pageUrl: string, url: string, fields: Record<string, string | string[]>) {
      const page = await get(pageUrl, jar);
      assert.equal(page.statusCode, 200);
      const params = new URLSearchParams({ _csrf: csrfFrom(page.body) });
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      return app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(withResponseCookies(jar, page)), 'content-type': 'application/x-www-form-urlencoded' }, payload: params.toString() });
    }

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'monweb', { passwordHash, email: 'worker@monweb.test' });
      const fixture = await addAgreedBudget(database, a.councilId, {
        reference: 'WEB-1',
        caseworkerId: a.accountId,
        items: [{ weeklyPounds: 100, management: 'direct_payment' }],
        periodStartsOn: '2026-04-01',
        periodEndsOn: '2027-03-31',
      });
      personId = fixture.personId;
      assert.ok(fixture.scheduleId !== null);
      await payDueInstalments(database, ledgerServices({ withCouncil: tenantRunner(database), clock: fixedClock(TEST_NOW) }), a.councilId, fixture.scheduleId);
      await addFamilyAccount(database, a.councilId, { email: 'parent@monweb.test', passwordHash, links: [{ personId, relationship: 'parent_carer' }] });
      /** A staff member who can sign in with the fixture authenticator. */
      const addSignInStaff = async (email: string, displayName: string, role: 'finance_officer' | 'approver') => {
        const id = crypto.randomUUID();
        await database.db
          .insertInto('accounts')
          .values({ id, council_id: a.councilId, kind: 'staff', email, display_name: displayName, role, job_title: displayName, team: 'Finance', password_hash: passwordHash })
          .execute();
        await enrolStaff(database, a.councilId, id, FIXTURE_TOTP_SECRET);
      };
      await addSignInStaff('finance@monweb.test', 'Finance officer', 'finance_officer');
      await addSignInStaff('approver@monweb.test', 'Approver', 'approver');
      // Neither proposes nor approves the recovery in these tests: decides the family's challenge.
      await addSignInStaff('reviewer@monweb.test', 'Reviewer', 'finance_officer');
      app = await testApp(database);
      reviewerJar = await signIn(app, 'reviewer@monweb.test');
      approverJar = await signIn(app, 'approver@monweb.test');
      familyJar = await signIn(app, 'parent@monweb.test');
      financeJar = await signIn(app, 'finance@monweb.test');
      adminJar = await signIn(app, a.adminEmail);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('lets the family upload a statement, shows a malformed one by row and column, and says when the same statement comes again', async () => {
      const pageUrl = `/people/${personId}/spending/upload`;
      const url = pageUrl;
      const bad = await postFiles(familyJar, pageUrl, url, {}, [{ field: 'statement', filename: 's.csv', type: 'text/csv', content: csv(['02/11/2026,Jane,personal_assistant,12.505,,']) }]);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Row 2, column amount: The amount must have no more than 2 decimal places, like 12.50/);
      const noToken = await postFiles(familyJar, pageUrl, url, {}, [{ field: 'statement', filename: 's.csv', type: 'text/csv', content: csv(['02/11/2026,Jane,personal_assistant,12.50,,']) }], false);
      assert.equal(noToken.statusCode, 403);
      const good = await postFiles(familyJar, pageUrl, url, {}, [{ field: 'statement', filename: 's.csv', type: 'text/csv', content: csv(['02/11/2026,Jane,personal_assistant,12.50,,', '03/11/2026,School,school_place,40.00,,']) }]);
      assert.equal(good.statusCode, 303);
      assert.equal(good.headers.location, `/people/${personId}/spending?done=uploaded`);
      const again = await postFiles(familyJar, pageUrl, url, {}, [{ field: 'statement', filename: 's.csv', type: 'text/csv', content: csv(['03/11/2026,School,school_place,40.00,,', '02/11/2026,Jane,personal_assistant,12.50,,']) }]);
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /This statement was already uploaded on 20 November 2026/);
      const page = await get(`/people/${personId}/spending`, familyJar);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /1 line is in a category the council does not allow: A school or college place/);
    });

    it('records a line with a receipt, keeps what was typed when something is wrong, and serves the receipt as a download', async () => {
      const pageUrl = `/people/${personId}/spending/line`;
      const fields = { 'date-day': '18', 'date-month': '11', 'date-year': '2026', payee: 'Taxi firm', category: 'transport', amount: '-5', type: 'spend', reference: '' };
      const bad = await postFiles(familyJar, pageUrl, pageUrl, fields, []);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter the amount without a minus sign/);
      assert.match(bad.body, /value="Taxi firm"/);
      const good = await postFiles(familyJar, pageUrl, pageUrl, { ...fields, amount: '15.00' }, [{ field: 'receipt', filename: 'taxi.png', type: 'image/png', content: PNG }]);
      assert.equal(good.statusCode, 303);
      const line = await database.db.selectFrom('spending_lines').select(['id', 'receipt_type']).where('person_id', '=', personId).where('payee', '=', 'Taxi firm').executeTakeFirstOrThrow();
      assert.equal(line.receipt_type, 'image/png');
      const receipt = await get(`/spending-lines/${line.id}/receipt`, familyJar);
      assert.equal(receipt.statusCode, 200);
      assert.equal(receipt.headers['content-type'], 'image/png');
      assert.match(String(receipt.headers['content-disposition']), /^attachment; filename="receipt-2026-11-18\.png"$/);
      assert.ok(receipt.rawPayload.equals(PNG));
    });

    it('lets finance see the monitoring list and administrators change the money settings; the family may do neither', async () => {
      const list = await get('/finance/monitoring?flag=not_permitted_category', financeJar);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /WEB-1/);
      assert.match(list.body, /<p class="govuk-body" id="result-count">\d+ (person|people)<\/p>/);
      for (const page of ['999', 'abc', '-1']) {
        const shown = await get(`/finance/monitoring?flag=not_permitted_category&page=${page}`, financeJar);
        assert.equal(shown.statusCode, 200, `page=${page} shows a page of the list, not an error`);
        assert.match(shown.body, /WEB-1/);
      }
      assert.equal((await get('/finance/monitoring', familyJar)).statusCode, 403);
      assert.equal((await get('/settings/money', familyJar)).statusCode, 403);
      assert.equal((await get('/recoveries', familyJar)).statusCode, 403);
      const wrong = await postForm(adminJar, '/settings/money', '/settings/money', { paymentFrequency: 'monthly', secondAuthoriserAbove: '50000', surplusThresholdWeeks: '60', rolloverCarryPercent: '10', 'notPermittedCategories[]': ['school_place'] });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Enter the surplus threshold as a whole number of weeks from 1 to 52/);
      const saved = await postForm(adminJar, '/settings/money', '/settings/money', { paymentFrequency: 'monthly', secondAuthoriserAbove: '40000', surplusThresholdWeeks: '6', rolloverCarryPercent: '15', 'notPermittedCategories[]': ['school_place', 'household_bills'] });
      assert.equal(saved.statusCode, 303);
      const row = await database.db.selectFrom('council_money_settings').selectAll().where('council_id', '=', a.councilId).executeTakeFirstOrThrow();
      assert.deepEqual([row.payment_frequency, BigInt(row.second_authoriser_above_pence), row.surplus_threshold_weeks, row.rollover_carry_percent, row.not_permitted_categories], ['monthly', 4_000_000n, 6, 15, ['school_place', 'household_bills']]);
    });

    it('takes a surplus recovery from proposal to the family’s notice through the pages', async () => {
      const proposeUrl = `/people/${personId}/spending/recovery`;
      const noReasons = await postForm(financeJar, proposeUrl, proposeUrl, { amount: '10.00', reasons: '' });
      assert.equal(noReasons.statusCode, 400);
      assert.match(noReasons.body, /Enter the reasons for recovering this money/);
      const proposed = await postForm(financeJar, proposeUrl, proposeUrl, { amount: '10.00', reasons: 'Money built up over the summer.' });
      assert.equal(proposed.statusCode, 303);
      const recovery = await database.db.selectFrom('recoveries').select('id').where('person_id', '=', personId).executeTakeFirstOrThrow();
      const decideUrl = `/recoveries/${recovery.id}`;
      const own = await get(decideUrl, financeJar);
      assert.match(own.body, /You proposed this recovery/);
      assert.doesNotMatch(own.body, /Record the decision/);
      assert.equal((await get(decideUrl, familyJar)).statusCode, 403);
      const approved = await postForm(approverJar, decideUrl, decideUrl, { decision: 'approve', note: 'Agreed' });
      assert.equal(approved.statusCode, 303);
      const notice = await get(`/recoveries/${recovery.id}/notice`, familyJar);
      assert.equal(notice.statusCode, 200);
      assert.match(notice.body, /We are recovering £10.00 from a direct payment/);
      assert.match(notice.body, /Money built up over the summer\./);
      assert.match(notice.body, /Tell us by 18 December 2026/);
      const yearEnd = await get(`/people/${personId}/spending/year-end?asOf=2026-11-20`, financeJar);
      assert.equal(yearEnd.statusCode, 200);
      assert.match(yearEnd.body, /The balance at year end is/);
      // The day to work it out on, typed in the date fields: a date that is not one is said next to them, never ignored.
      const typed = await get(`/people/${personId}/spending/year-end?asOf-day=31&asOf-month=3&asOf-year=2026`, financeJar);
      assert.equal(typed.statusCode, 200);
      assert.match(typed.body, /How it works out on 31 March 2026/);
      for (const query of ['asOf-day=31&asOf-month=2&asOf-year=2026', 'asOf=2026-02-31', 'asOf-day=31&asOf-month=3&asOf-year=']) {
        const bad = await get(`/people/${personId}/spending/year-end?${query}`, financeJar);
        assert.equal(bad.statusCode, 400, query);
        assert.match(bad.body, /There is a problem/, query);
        assert.match(bad.body, /The date to work it out on must (be a real date|include a year)/, query);
      }
    });

    it('records the family’s challenge and decides it through the pages; the notice and the statement show the money paid back', async () => {
      const recovery = await database.db.selectFrom('recoveries').select('id').where('person_id', '=', personId).where('status', '=', 'approved').executeTakeFirstOrThrow();
      const url = `/recoveries/${recovery.id}`;
      const record = `${url}/challenge`;
      const bad = await postForm(financeJar, url, record, { 'receivedOn-day': '31', 'receivedOn-month': '2', 'receivedOn-year': '2026', summary: 'Kept this text' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /The date the challenge was received must be a real date/);
      assert.match(bad.body, /Kept this text/);
      assert.equal((await postForm(familyJar, `/recoveries/${recovery.id}/notice`, record, { 'receivedOn-day': '20', 'receivedOn-month': '11', 'receivedOn-year': '2026', summary: 'x' })).statusCode, 403);
      const recorded = await postForm(financeJar, url, record, { 'receivedOn-day': '20', 'receivedOn-month': '11', 'receivedOn-year': '2026', summary: 'The PA is owed £4 for October.' });
      assert.equal(recorded.statusCode, 303);
      const own = await get(url, approverJar);
      assert.match(own.body, /The PA is owed £4 for October\./);
      assert.match(own.body, /someone who was not part of the decision must look at the challenge/);
      assert.doesNotMatch(own.body, /Decide the challenge/);
      const list = await get('/recoveries', reviewerJar);
      assert.match(list.body, /Challenge by the family \(surplus\)/);
      assert.match(list.body, /You can decide it/);
      const waiting = await get(`/recoveries/${recovery.id}/notice`, familyJar);
      assert.match(waiting.body, /We received your challenge on 20 November 2026\./);

      const decide = `${url}/challenge/decision`;
      const noAmount = await postForm(reviewerJar, url, decide, { outcome: 'partly_upheld', repay: '', challengeNote: 'Kept note' });
      assert.equal(noAmount.statusCode, 400);
      assert.match(noAmount.body, /Enter the amount to pay back/);
      assert.match(noAmount.body, /Kept note/);
      const decided = await postForm(reviewerJar, url, decide, { outcome: 'partly_upheld', repay: '4.00', challengeNote: 'The PA’s October invoice was due.' });
      assert.equal(decided.statusCode, 303);
      const notice = await get(`/recoveries/${recovery.id}/notice`, familyJar);
      assert.match(notice.body, /you were partly right/);
      assert.match(notice.body, /£4.00 has been paid back into your direct payment account/);
      const statement = await get(`/people/${personId}/statement`, familyJar);
      assert.equal(statement.statusCode, 200);
      assert.match(statement.body, /Paid back by the council after a challenge/);
      assert.match(statement.body, /Recovered by the council/);
    });

    it('lets the family send a challenge from the notice, keeps what they wrote when it is empty or too long, and shows it received', async () => {
      const proposeUrl = `/people/${personId}/spending/recovery`;
      assert.equal((await postForm(financeJar, proposeUrl, proposeUrl, { amount: '5.00', reasons: 'More money built up in the autumn.' })).statusCode, 303);
      const recovery = await database.db.selectFrom('recoveries').select('id').where('person_id', '=', personId).where('status', '=', 'proposed').executeTakeFirstOrThrow();
      assert.equal((await postForm(approverJar, `/recoveries/${recovery.id}`, `/recoveries/${recovery.id}`, { decision: 'approve', note: 'Agreed' })).statusCode, 303);
      const noticeUrl = `/recoveries/${recovery.id}/notice`;
      const challengeUrl = `${noticeUrl}/challenge`;
      const notice = await get(noticeUrl, familyJar);
      assert.match(notice.body, /Why do you think this decision is wrong\?/);
      assert.match(notice.body, /Send your challenge/);
      assert.doesNotMatch((await get(noticeUrl, financeJar)).body, /Send your challenge/, 'the printed notice has no form');

      const empty = await postForm(familyJar, noticeUrl, challengeUrl, { summary: ' ' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /There is a problem/);
      assert.match(empty.body, /href="#summary">Enter why you think the decision is wrong/);
      const tooLong = await postForm(familyJar, noticeUrl, challengeUrl, { summary: `Kept words ${'x'.repeat(3000)}` });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /must be 3,000 characters or fewer/);
      assert.match(tooLong.body, /Kept words x/);
      assert.equal((await postForm(financeJar, noticeUrl, challengeUrl, { summary: 'x' })).statusCode, 403, 'staff record a challenge on the recovery page');

      const sent = await postForm(familyJar, noticeUrl, challengeUrl, { summary: 'We paid the PA for November from this money.' });
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, noticeUrl);
      const after = await get(noticeUrl, familyJar);
      assert.match(after.body, /We received your challenge on 20 November 2026\./);
      assert.doesNotMatch(after.body, /Send your challenge/);
      assert.match((await get(`/recoveries/${recovery.id}`, financeJar)).body, /We paid the PA for November from this money\./);
      assert.equal((await postForm(familyJar, noticeUrl, challengeUrl, { summary: 'Again' })).statusCode, 409);
    });

    it('renders valid HTML on every monitoring page', async () => {
      assert.equal((await get(`/people/${personId}/spending/year-end?asOf=2026-11-20`, financeJar)).statusCode, 200);
      assert.equal((await get(`/people/${personId}/spending`, financeJar)).statusCode, 200);
      assert.equal((await get('/recoveries', financeJar)).statusCode, 200);
      // A person without a direct payment: the pages say so rather than fail.
      const none = await get(`/people/${a.personId}/spending`, financeJar);
      assert.equal(none.statusCode, 200);
      assert.match(none.body, /There is no direct payment for/);
      assert.equal((await get(`/people/${a.personId}/spending/year-end`, financeJar)).statusCode, 200);
      assert.equal((await get(`/recoveries/${crypto.randomUUID()}`, financeJar)).statusCode, 404);
      const ours = renderedPages.filter((p) => /\/(people\/[^/]+\/spending|finance\/monitoring|settings\/money|recoveries)/.test(p.url));
      assert.ok(ours.length > 5);
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
