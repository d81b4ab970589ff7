/**
 * Budget set-up on agreement (issue 6), on both engines: agreeing a plan puts its personal budget on
 * the ledger in the same transaction — each stream's pot gives the period amount to the budget lines,
 * an individual service fund goes on to the provider the plan names, council-managed money is
 * committed, and a direct payment gets its schedule of instalments that pay out exactly the period amount.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { addAgreedBudget, addProvider, setUpOn } from '../support/money.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { fixedClock } from '../../src/clock.ts';
import { paymentSchedulesRepository } from '../../src/db/repositories/payment-schedules.ts';
import { paymentRunsRepository } from '../../src/db/repositories/payment-runs.ts';
import { planRun, type ScheduleForRun } from '../../src/domain/payments/run.ts';
import { ledgerServices } from '../../src/services/ledger.ts';
import { TEST_NOW } from '../support/app.ts';

for (const engine of await testEngines()) {
  describe(`budget set-up on agreement (${engine})`, () => {
    let database: TestDatabase;
    let a: CouncilFixture;

    /** Balances of the person's accounts by kind (and the stream pots), from the entries. */
    async function balances(where: { personalBudgetId?: string; personId?: string }) {
      const rows = await database.db
        .selectFrom('ledger_accounts as a')
        .leftJoin('ledger_entries as e', 'e.account_id', 'a.id')
        .select(['a.id', 'a.kind', 'a.management', 'a.provider_id', sql<string>`coalesce(sum(e.amount_pence), 0)`.as('balance')])
        .where((eb) => eb.or([eb('a.personal_budget_id', '=', where.personalBudgetId ?? null), eb('a.person_id', '=', where.personId ?? null)]))
        .groupBy(['a.id', 'a.kind', 'a.management', 'a.provider_id'])
        .execute();
      return rows.map((r) => ({ ...r, balance: BigInt(r.balance) }));
    }

    before(async () => {
      database = await createTestDatabase(engine);
      a = await addCouncil(database, 'setup');
    });
    after(async () => {
      await database.dispose();
    });

    it('puts every way of managing the money on the ledger when the plan is agreed, to the penny', async () => {
      const providerId = await addProvider(database, a.councilId, 'Brightside Care');
      // A budget year from 1 December: 52 weeks × £100 = £5,200 a year for each line.
      const budget = await addAgreedBudget(database, a.councilId, {
        reference: 'SET-1',
        caseworkerId: a.accountId,
        periodStartsOn: '2026-12-01',
        periodEndsOn: '2027-11-30',
        items: [
          { weeklyPounds: 100, management: 'direct_payment' },
          { weeklyPounds: 100, management: 'individual_service_fund', provider: '  brightside care ' },
          { weeklyPounds: 100, management: 'council_managed' },
        ],
      });
      const accounts = await balances({ personalBudgetId: budget.personalBudgetId, personId: budget.personId });
      const of = (kind: string, management?: string) => accounts.filter((x) => x.kind === kind && (management === undefined || x.management === management));
      assert.deepEqual(of('budget', 'direct_payment').map((x) => x.balance), [520_000n], 'the direct payment line holds the year until it is paid out');
      assert.deepEqual(of('budget', 'individual_service_fund').map((x) => x.balance), [0n], 'the ISF line has passed its money on');
      assert.deepEqual(of('budget', 'council_managed').map((x) => x.balance), [0n], 'the council-managed line is committed');
      assert.deepEqual(of('provider').map((x) => [x.provider_id, x.balance]), [[providerId, 520_000n]], 'the provider named in the plan holds the fund');
      assert.deepEqual(of('council_commitment').map((x) => x.balance), [520_000n]);

      const pot = await database.db
        .selectFrom('ledger_accounts as a')
        .innerJoin('ledger_entries as e', 'e.account_id', 'a.id')
        .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
        .select([sql<string>`sum(e.amount_pence)`.as('given'), sql<string>`min(a.period_starts_on::text)`.as('year')])
        .where('a.kind', '=', 'stream_pot')
        .where('t.idempotency_key', '=', `budget:${budget.personalBudgetId}:allocation`)
        .executeTakeFirstOrThrow();
      assert.equal(BigInt(pot.given), -1_560_000n, 'the stream pot gave the whole budget');
      assert.equal(pot.year, '2026-04-01', 'the pot is the stream’s money for the financial year the budget starts in');

      const instalments = await database.db
        .selectFrom('payment_instalments')
        .select(['number', 'due_on', 'period_from', 'period_to', 'amount_pence'])
        .where('schedule_id', '=', budget.scheduleId ?? '')
        .orderBy('number')
        .execute();
      // Four-weekly by default: 13 whole cycles of 28 days, then 1 day to the period end (365 days).
      assert.equal(instalments.length, 14);
      assert.equal(instalments[0]?.due_on, '2026-12-01', 'paid in advance from the first day');
      assert.deepEqual([instalments[13]?.period_from, instalments[13]?.period_to], ['2027-11-30', '2027-11-30'], 'the last payment runs to the period end');
      assert.equal(instalments.reduce((sum, i) => sum + BigInt(i.amount_pence), 0n), 520_000n, 'the instalments pay exactly the year’s direct payment');
    });

    it('leaves an individual service fund on the budget line when the provider named is not one the council knows', async () => {
      const budget = await addAgreedBudget(database, a.councilId, {
        reference: 'SET-2',
        caseworkerId: a.accountId,
        items: [{ weeklyPounds: 50, management: 'individual_service_fund', provider: 'Nobody We Know Ltd' }],
      });
      const accounts = await balances({ personalBudgetId: budget.personalBudgetId, personId: budget.personId });
      assert.deepEqual(accounts.filter((x) => x.kind === 'provider'), []);
      assert.ok(accounts.some((x) => x.kind === 'budget' && x.balance > 0n), 'the money waits on the line until finance passes it on');
      assert.equal(budget.scheduleId, null, 'no direct payment, no schedule');
    });

    it('posts nothing twice when the set-up runs again for the same budget', async () => {
      const budget = await addAgreedBudget(database, a.councilId, { reference: 'SET-3', caseworkerId: a.accountId, items: [{ weeklyPounds: 75, management: 'direct_payment' }] });
      const count = async () => Number((await database.db.selectFrom('ledger_transactions').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const again = await tenantRunner(database)(a.councilId, (tx) => setUpOn(database).setUpWithin(tx, a.councilId, budget.personalBudgetId, a.accountId));
      assert.equal(await count(), before);
      assert.equal(again.scheduleId, budget.scheduleId);
      const instalments = await database.db.selectFrom('payment_instalments').select(sql<string>`count(*)`.as('n')).where('schedule_id', '=', budget.scheduleId ?? '').executeTakeFirstOrThrow();
      assert.equal(Number(instalments.n), 14);
    });

    it('closes out the old budget when a new plan is agreed mid-year: no day paid twice, the rest back in the pot', async () => {
      // £100 a week from 1 April; paid up to the change; a new plan at £150 a week from 15 November.
      const first = await addAgreedBudget(database, a.councilId, {
        reference: 'SET-4',
        caseworkerId: a.accountId,
        periodStartsOn: '2026-04-01',
        periodEndsOn: '2027-03-31',
        agreedOn: '2026-04-01',
        items: [{ weeklyPounds: 100, management: 'direct_payment' }],
      });
      const oldSchedule = await tenantRunner(database)(a.councilId, async (tx) => {
        const repo = paymentSchedulesRepository(tx);
        const record = await repo.scheduleOfBudget(first.personalBudgetId);
        return { record, instalments: await repo.instalments(record?.id ?? '') };
      });
      const record = oldSchedule.record;
      assert.ok(record);
      const schedule: ScheduleForRun = {
        id: record.id,
        personId: record.personId,
        holderAccountId: record.holderAccountId,
        budgetAccountIdByStream: record.budgetAccounts,
        instalments: oldSchedule.instalments.map((i) => ({ ...i, kind: 'regular' as const, adjustments: [] })),
      };
      const due = planRun([schedule], { id: 'R0001', runDate: '2026-11-14' }, new Set()).due;
      const ledger = ledgerServices({ withCouncil: tenantRunner(database), clock: fixedClock(TEST_NOW) });
      assert.ok((await ledger.postMany(a.councilId, due.map((d) => d.transaction), null)).every((r) => r.ok));
      const paid = due.reduce((sum, d) => sum + d.instalment.amountPence, 0n);

      const second = await addAgreedBudget(database, a.councilId, {
        reference: 'SET-4b',
        personId: first.personId,
        caseworkerId: a.accountId,
        periodStartsOn: '2026-11-15',
        periodEndsOn: '2027-03-31',
        items: [{ weeklyPounds: 150, management: 'direct_payment' }],
      });
      const left = await database.db.selectFrom('payment_instalments').select('number').where('schedule_id', '=', record.id).orderBy('number').execute();
      assert.deepEqual(left.map((r) => r.number), due.map((d) => d.instalment.number), 'only what fell due before the change is left on the old schedule');
      const oldLine = (await balances({ personalBudgetId: first.personalBudgetId })).find((x) => x.kind === 'budget');
      assert.equal(oldLine?.balance, 0n, 'the old budget line has paid what was due and returned the rest to the pot');

      // The last old payment (11 November to 8 December) paid 24 days from 15 November in advance.
      const last = due[due.length - 1]?.instalment;
      assert.deepEqual([last?.periodFrom, last?.periodTo], ['2026-11-11', '2026-12-08']);
      const overlap = ((last?.amountPence ?? 0n) * 24n * 2n + 28n) / 56n;
      const fresh = await database.db.selectFrom('payment_instalments').select(['number', 'amount_pence']).where('schedule_id', '=', second.scheduleId ?? '').orderBy('number').execute();
      const newPeriod = 780_000n * 137n / 365n; // 15 November to 31 March: 137 of 365 days at £7,800 a year (rounded below)
      const newTotal = fresh.reduce((sum, i) => sum + BigInt(i.amount_pence), 0n);
      assert.ok(newTotal + overlap - newPeriod >= 0n && newTotal + overlap - newPeriod <= 1n, 'the new schedule pays the new period less the days already paid');
      const holder = (await balances({ personId: first.personId })).find((x) => x.kind === 'dp_holder');
      assert.equal(holder?.balance, paid, 'the family has what was paid, once');
    });

    it('still pays an old budget’s instalment that fell due before a plan change but had not been paid, and never one the change removed', async () => {
      // Four-weekly from 1 April; nothing paid yet when a new plan is agreed from 15 November.
      const first = await addAgreedBudget(database, a.councilId, {
        reference: 'SET-5',
        caseworkerId: a.accountId,
        periodStartsOn: '2026-04-01',
        periodEndsOn: '2027-03-31',
        agreedOn: '2026-04-01',
        items: [{ weeklyPounds: 100, management: 'direct_payment' }],
      });
      const oldSchedule = await database.db.selectFrom('payment_schedules').select('id').where('personal_budget_id', '=', first.personalBudgetId).executeTakeFirstOrThrow();
      const second = await addAgreedBudget(database, a.councilId, {
        reference: 'SET-5b',
        personId: first.personId,
        caseworkerId: a.accountId,
        periodStartsOn: '2026-11-15',
        periodEndsOn: '2027-03-31',
        items: [{ weeklyPounds: 150, management: 'direct_payment' }],
      });
      const kept = await database.db.selectFrom('payment_instalments').select(['number', 'due_on']).where('schedule_id', '=', oldSchedule.id).orderBy('number').execute();
      assert.ok(kept.length > 0 && kept.every((i) => i.due_on < '2026-11-15'), 'the old schedule keeps only what fell due before the change');
      const due = await tenantRunner(database)(a.councilId, (tx) => paymentRunsRepository(tx).untakenInstalmentsDue('2026-12-31'));
      const oldDue = due.filter((i) => i.scheduleId === oldSchedule.id).map((i) => i.number);
      assert.deepEqual(oldDue, kept.map((i) => i.number), 'a run pays what the old budget still owes');
      assert.ok(due.some((i) => i.scheduleId === second.scheduleId), 'and the new schedule from the change');
    });

    it('keeps the books balanced: every council’s entries sum to zero after set-ups', async () => {
      const total = await database.db.selectFrom('ledger_entries').select(sql<string>`coalesce(sum(amount_pence), 0)`.as('t')).executeTakeFirstOrThrow();
      assert.equal(BigInt(total.t), 0n);
    });
  });
}
