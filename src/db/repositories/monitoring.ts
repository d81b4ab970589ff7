/**
 * Direct payment monitoring (issue 6, migration 0014): spending returns and their lines, the
 * budget, schedule and holder account a person's spending is checked against, and recoveries.
 * Only SQL: the rules are in src/domain/monitoring/ and src/services/monitoring.ts.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import { groupBy } from '../rows.ts';
import { factsColumnSql, factsOf } from './person-access.ts';
import type { PersonAccessFacts } from '../../domain/access/policy.ts';
import type { PaymentFrequencyColumn } from '../schema.ts';
import type { Pence } from '../../domain/money/money.ts';
import type { ChallengeOutcome } from '../../domain/monitoring/challenge.ts';
import { storedPence } from '../../domain/plans/json.ts';

/** Rows per insert statement: 1,000 lines × 12 columns stays far below PostgreSQL's 65,535 parameters. */
const LINE_CHUNK = 1_000;

export interface MonitoredBudgetRecord {
  readonly id: string;
  readonly planId: string;
  readonly version: number;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly status: 'active' | 'ended';
  /**
   * The agreed plan's contingency (kept out of the surplus), read from the plan version's stored JSON
   * (`contingency.amountPence`, whole pence in a string): 0 when the version or the amount is missing.
   * Only this figure is read: the finance list reads every holder's budget, and whole plans were most
   * of its time.
   */
  readonly contingencyPence: Pence;
  /** The year's amount paid as a direct payment: the budget's direct payment lines. */
  readonly directPaymentAnnualPence: Pence;
}

export interface ScheduleRecord {
  readonly id: string;
  readonly holderAccountId: string;
  readonly frequency: PaymentFrequencyColumn;
  readonly status: 'active' | 'ended';
  readonly instalmentAmounts: readonly Pence[];
}

export interface SpendingLineRecord {
  readonly id: string;
  readonly returnId: string;
  readonly spentOn: string;
  readonly payee: string;
  readonly category: string;
  readonly type: 'spend' | 'refund';
  readonly amountPence: Pence;
  readonly reference: string;
  readonly receiptName: string | null;
  readonly receiptType: string | null;
  readonly transactionId: string;
}

export interface SpendingReturnRecord {
  readonly id: string;
  readonly source: 'upload' | 'entry';
  readonly fileName: string | null;
  readonly lineCount: number;
  readonly submittedBy: string;
  readonly submittedByName: string;
  readonly submittedAt: Date;
}

export interface NewSpendingLine {
  readonly id: string;
  readonly spentOn: string;
  readonly payee: string;
  readonly category: string;
  readonly type: 'spend' | 'refund';
  readonly amountPence: Pence;
  readonly reference: string;
  readonly receipt: { readonly name: string; readonly type: string; readonly bytes: Buffer } | null;
  readonly transactionId: string;
}

export interface RecoveryRecord {
  readonly id: string;
  readonly personId: string;
  readonly amountPence: Pence;
  readonly kind: 'surplus' | 'year_end';
  readonly reasons: string;
  readonly status: 'proposed' | 'approved' | 'cancelled';
  readonly proposedBy: string;
  readonly proposedByName: string;
  readonly proposedAt: Date;
  readonly decidedBy: string | null;
  readonly decidedByName: string | null;
  readonly decidedAt: Date | null;
  readonly decisionNote: string | null;
  readonly challengeBy: string | null;
  readonly transactionId: string | null;
  /** How the amount was worked out, one line each (shown on the notice). */
  readonly working: string;
  /** The family's challenge, when one was received (decision 0019: one per recovery). */
  readonly challenge: RecoveryChallenge | null;
}

export interface RecoveryChallenge {
  readonly receivedOn: string;
  readonly recordedByName: string;
  readonly recordedAt: Date;
  readonly summary: string;
  readonly decision: {
    readonly outcome: ChallengeOutcome;
    readonly decidedBy: string;
    readonly decidedByName: string;
    readonly decidedAt: Date;
    readonly note: string;
    readonly repaidPence: Pence;
    readonly transactionId: string | null;
  } | null;
}

export interface DirectPaymentPersonRecord {
  readonly personId: string;
  readonly name: string;
  readonly reference: string;
  /** The policy's facts about the person's record (restricted records are not listed to everyone). */
  readonly facts: PersonAccessFacts;
}

export function monitoringRepository(tx: TenantTx) {
  const recoveries = () =>
    tx
      .selectFrom('recoveries as r')
      .innerJoin('accounts as p', 'p.id', 'r.proposed_by')
      .leftJoin('accounts as d', 'd.id', 'r.decided_by')
      .leftJoin('accounts as cr', 'cr.id', 'r.challenge_recorded_by')
      .leftJoin('accounts as cd', 'cd.id', 'r.challenge_decided_by')
      .select([
        'r.id',
        'r.person_id as personId',
        'r.amount_pence as amountPence',
        'r.kind',
        'r.reasons',
        'r.status',
        'r.proposed_by as proposedBy',
        'p.display_name as proposedByName',
        'r.proposed_at as proposedAt',
        'r.decided_by as decidedBy',
        'd.display_name as decidedByName',
        'r.decided_at as decidedAt',
        'r.decision_note as decisionNote',
        'r.challenge_by as challengeBy',
        'r.working',
        'r.challenge_received_on as challengeReceivedOn',
        'cr.display_name as challengeRecordedByName',
        'r.challenge_recorded_at as challengeRecordedAt',
        'r.challenge_summary as challengeSummary',
        'r.challenge_outcome as challengeOutcome',
        'r.challenge_decided_by as challengeDecidedBy',
        'cd.display_name as challengeDecidedByName',
        'r.challenge_decided_at as challengeDecidedAt',
        'r.challenge_note as challengeNote',
        'r.repaid_pence as repaidPence',
        'r.repayment_transaction_id as repaymentTransactionId',
        'r.transaction_id as transactionId',
      ]);

  /** `budget` for several people in one query, keyed by person (a person without a budget is absent). */
  async function budgetsOf(personIds: readonly string[]): Promise<Map<string, MonitoredBudgetRecord>> {
    if (personIds.length === 0) return new Map();
    const rows = await tx
      .selectFrom('personal_budgets as b')
      .leftJoin('plan_versions as v', (join) => join.onRef('v.plan_id', '=', 'b.plan_id').onRef('v.version', '=', 'b.version'))
      .select(['b.person_id', 'b.id', 'b.plan_id', 'b.version', 'b.starts_on', 'b.ends_on', 'b.status'])
      .select(sql<string | null>`v.content -> 'contingency' ->> 'amountPence'`.as('contingency'))
      .select(
        sql<string>`(SELECT coalesce(sum(l.annual_pence), 0)::text FROM personal_budget_lines l
                     WHERE l.personal_budget_id = b.id AND l.management = 'direct_payment')`.as('dp_total'),
      )
      .where('b.person_id', '=', sql<string>`any(${[...personIds]}::uuid[])`)
      .distinctOn('b.person_id')
      .orderBy('b.person_id')
      .orderBy(sql`b.status = 'active'`, 'desc')
      .orderBy('b.starts_on', 'desc')
      .orderBy('b.created_at', 'desc')
      .execute();
    return new Map(
      rows.map((b) => [
        b.person_id,
        {
          id: b.id,
          planId: b.plan_id,
          version: b.version,
          startsOn: b.starts_on,
          endsOn: b.ends_on,
          status: b.status,
          contingencyPence: storedPence(b.contingency) ?? 0n,
          directPaymentAnnualPence: BigInt(b.dp_total),
        },
      ]),
    );
  }

  /** `schedule` for several budgets in one query, keyed by budget. */
  async function schedulesOf(personalBudgetIds: readonly string[]): Promise<Map<string, ScheduleRecord>> {
    if (personalBudgetIds.length === 0) return new Map();
    const rows = await tx
      .selectFrom('payment_schedules as s')
      .select(['s.personal_budget_id', 's.id', 's.holder_account_id', 's.frequency', 's.status'])
      .select(
        sql<string[]>`array(SELECT i.amount_pence::text FROM payment_instalments i WHERE i.schedule_id = s.id ORDER BY i.number)`.as('amounts'),
      )
      .where('s.personal_budget_id', '=', sql<string>`any(${[...personalBudgetIds]}::uuid[])`)
      .distinctOn('s.personal_budget_id')
      .orderBy('s.personal_budget_id')
      .orderBy('s.id')
      .execute();
    return new Map(
      rows.map((r) => [
        r.personal_budget_id,
        { id: r.id, holderAccountId: r.holder_account_id, frequency: r.frequency, status: r.status, instalmentAmounts: r.amounts.map((a) => BigInt(a)) },
      ]),
    );
  }

  /** `holderAccountId` for several people in one query, keyed by person. */
  async function holderAccountIdsOf(personIds: readonly string[]): Promise<Map<string, string>> {
    if (personIds.length === 0) return new Map();
    const rows = await tx
      .selectFrom('ledger_accounts')
      .select(['person_id', 'id'])
      .where('kind', '=', 'dp_holder')
      .where('person_id', '=', sql<string>`any(${[...personIds]}::uuid[])`)
      .distinctOn('person_id')
      .orderBy('person_id')
      .orderBy('created_at')
      .execute();
    return new Map(rows.flatMap((r) => (r.person_id === null ? [] : [[r.person_id, r.id] as const])));
  }

  /** The spending returns of several people in one query, each person's latest first (a person without any is absent). */
  async function returnsOf(personIds: readonly string[]): Promise<Map<string, SpendingReturnRecord[]>> {
    if (personIds.length === 0) return new Map();
    const rows = await tx
      .selectFrom('spending_returns as r')
      .innerJoin('accounts as a', 'a.id', 'r.submitted_by')
      .select([
        'r.person_id as personId',
        'r.id',
        'r.source',
        'r.file_name as fileName',
        'r.line_count as lineCount',
        'r.submitted_by as submittedBy',
        'a.display_name as submittedByName',
        'r.submitted_at as submittedAt',
      ])
      .where('r.person_id', '=', sql<string>`any(${[...personIds]}::uuid[])`)
      .orderBy('r.submitted_at', 'desc')
      .orderBy('r.id')
      .execute();
    return groupBy(rows, ({ personId, ...record }) => [personId, record]);
  }

  /** The spending lines of several people in one query (without receipt bytes), each person's oldest first. */
  async function linesOf(personIds: readonly string[]): Promise<Map<string, SpendingLineRecord[]>> {
    if (personIds.length === 0) return new Map();
    const rows = await tx
      .selectFrom('spending_lines')
      .select([
        'person_id as personId',
        'id',
        'return_id as returnId',
        'spent_on as spentOn',
        'payee',
        'category',
        'type',
        'amount_pence as amountPence',
        'reference',
        'receipt_name as receiptName',
        'receipt_type as receiptType',
        'transaction_id as transactionId',
      ])
      .where('person_id', '=', sql<string>`any(${[...personIds]}::uuid[])`)
      .orderBy('spent_on')
      .orderBy('id')
      .execute();
    return groupBy(rows, ({ personId, ...line }) => [personId, { ...line, amountPence: BigInt(line.amountPence) }]);
  }

  return {
    /** The person's active personal budget, else their latest one; with its plan content and direct payment total. */
    async budget(personId: string): Promise<MonitoredBudgetRecord | undefined> {
      return (await budgetsOf([personId])).get(personId);
    },

    budgetsOf,

    /** The budget's direct payment schedule, with its instalments' amounts in order. */
    async schedule(personalBudgetId: string): Promise<ScheduleRecord | undefined> {
      return (await schedulesOf([personalBudgetId])).get(personalBudgetId);
    },

    schedulesOf,

    /** The person's direct payment holder account, when one was ever opened. */
    async holderAccountId(personId: string): Promise<string | undefined> {
      return (await holderAccountIdsOf([personId])).get(personId);
    },

    holderAccountIdsOf,

    /** The person's spending returns, latest first. */
    async returns(personId: string): Promise<SpendingReturnRecord[]> {
      return (await returnsOf([personId])).get(personId) ?? [];
    },

    returnsOf,

    /** Every spending line of the person (without receipt bytes), oldest first. */
    async lines(personId: string): Promise<SpendingLineRecord[]> {
      return (await linesOf([personId])).get(personId) ?? [];
    },

    linesOf,

    /** The upload with this fingerprint for the person, if the same statement came before. */
    async returnByFingerprint(personId: string, fingerprint: string): Promise<{ id: string; submittedAt: Date } | undefined> {
      return tx
        .selectFrom('spending_returns')
        .select(['id', 'submitted_at as submittedAt'])
        .where('person_id', '=', personId)
        .where('fingerprint', '=', fingerprint)
        .executeTakeFirst();
    },

    async insertReturn(row: {
      id: string;
      councilId: string;
      personId: string;
      source: 'upload' | 'entry';
      fingerprint: string | null;
      fileName: string | null;
      lineCount: number;
      submittedBy: string;
      submittedAt: Date;
    }): Promise<void> {
      await tx
        .insertInto('spending_returns')
        .values({
          id: row.id,
          council_id: row.councilId,
          person_id: row.personId,
          source: row.source,
          fingerprint: row.fingerprint,
          file_name: row.fileName,
          line_count: row.lineCount,
          submitted_by: row.submittedBy,
          submitted_at: row.submittedAt,
        })
        .execute();
    },

    async insertLines(councilId: string, personId: string, returnId: string, lines: readonly NewSpendingLine[]): Promise<void> {
      for (let i = 0; i < lines.length; i += LINE_CHUNK) {
        const part = lines.slice(i, i + LINE_CHUNK);
        await tx
          .insertInto('spending_lines')
          .values(
            part.map((l) => ({
              id: l.id,
              council_id: councilId,
              return_id: returnId,
              person_id: personId,
              spent_on: l.spentOn,
              payee: l.payee,
              category: l.category,
              type: l.type,
              amount_pence: l.amountPence,
              reference: l.reference,
              receipt_name: l.receipt?.name ?? null,
              receipt_type: l.receipt?.type ?? null,
              receipt: l.receipt?.bytes ?? null,
              transaction_id: l.transactionId,
            })),
          )
          .execute();
      }
    },

    /** A line's receipt, with the person it belongs to (undefined for no such line). */
    async receipt(lineId: string): Promise<{ personId: string; name: string | null; type: string | null; bytes: Buffer | null } | undefined> {
      return tx
        .selectFrom('spending_lines')
        .select(['person_id as personId', 'receipt_name as name', 'receipt_type as type', 'receipt as bytes'])
        .where('id', '=', lineId)
        .executeTakeFirst();
    },

    // ---- Recoveries ---------------------------------------------------------------------------

    async recoveries(personId: string): Promise<RecoveryRecord[]> {
      const rows = await recoveries().where('r.person_id', '=', personId).orderBy('r.proposed_at', 'desc').execute();
      return rows.map(toRecovery);
    },

    /** Recoveries waiting for a decision, and approved ones whose challenge is waiting, oldest first, with the person's name and the policy's facts about their record. */
    async waitingRecoveries(today: string): Promise<(RecoveryRecord & { personName: string; personReference: string; facts: PersonAccessFacts })[]> {
      const rows = await recoveries()
        .innerJoin('people as person', 'person.id', 'r.person_id')
        .select([sql<string>`person.given_name || ' ' || person.family_name`.as('personName'), 'person.reference as personReference', factsColumnSql('person', today).as('facts')])
        .where((eb) => eb.or([eb('r.status', '=', 'proposed'), eb.and([eb('r.challenge_received_on', 'is not', null), eb('r.challenge_outcome', 'is', null)])]))
        .orderBy('r.proposed_at')
        .execute();
      return rows.map((r) => ({
        ...toRecovery(r),
        personName: r.personName,
        personReference: r.personReference,
        facts: factsOf(r.facts),
      }));
    },

    async recovery(recoveryId: string): Promise<RecoveryRecord | undefined> {
      const row = await recoveries().where('r.id', '=', recoveryId).executeTakeFirst();
      return row && toRecovery(row);
    },

    /** Locks the recovery until the transaction ends, so that two decisions on it happen one after the other. */
    async lockRecovery(recoveryId: string): Promise<void> {
      await tx.selectFrom('recoveries').select('id').where('id', '=', recoveryId).forUpdate().execute();
    },

    async insertRecovery(row: {
      id: string;
      councilId: string;
      personId: string;
      amountPence: Pence;
      kind: 'surplus' | 'year_end';
      reasons: string;
      working: string;
      proposedBy: string;
      proposedAt: Date;
    }): Promise<void> {
      await tx
        .insertInto('recoveries')
        .values({
          id: row.id,
          council_id: row.councilId,
          person_id: row.personId,
          amount_pence: row.amountPence,
          kind: row.kind,
          reasons: row.reasons,
          working: row.working,
          status: 'proposed',
          proposed_by: row.proposedBy,
          proposed_at: row.proposedAt,
        })
        .execute();
    },

    /** Marks a proposed recovery approved or cancelled; false when it was no longer proposed. */
    async decideRecovery(row: {
      id: string;
      status: 'approved' | 'cancelled';
      decidedBy: string;
      decidedAt: Date;
      note: string;
      challengeBy: string | null;
      transactionId: string | null;
    }): Promise<boolean> {
      const result = await tx
        .updateTable('recoveries')
        .set({ status: row.status, decided_by: row.decidedBy, decided_at: row.decidedAt, decision_note: row.note, challenge_by: row.challengeBy, transaction_id: row.transactionId })
        .where('id', '=', row.id)
        .where('status', '=', 'proposed')
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Records the family's challenge on an approved recovery; false when it was not approved or already has one. */
    async recordChallenge(row: { id: string; receivedOn: string; recordedBy: string; recordedAt: Date; summary: string }): Promise<boolean> {
      const result = await tx
        .updateTable('recoveries')
        .set({ challenge_received_on: row.receivedOn, challenge_recorded_by: row.recordedBy, challenge_recorded_at: row.recordedAt, challenge_summary: row.summary })
        .where('id', '=', row.id)
        .where('status', '=', 'approved')
        .where('challenge_received_on', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Records the outcome of a challenge; false when there was no challenge or it was already decided. */
    async decideChallenge(row: {
      id: string;
      outcome: ChallengeOutcome;
      decidedBy: string;
      decidedAt: Date;
      note: string;
      repaidPence: Pence;
      transactionId: string | null;
    }): Promise<boolean> {
      const result = await tx
        .updateTable('recoveries')
        .set({
          challenge_outcome: row.outcome,
          challenge_decided_by: row.decidedBy,
          challenge_decided_at: row.decidedAt,
          challenge_note: row.note,
          repaid_pence: row.repaidPence,
          repayment_transaction_id: row.transactionId,
        })
        .where('id', '=', row.id)
        .where('challenge_received_on', 'is not', null)
        .where('challenge_outcome', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** People with a direct payment schedule that is active, by reference, with the policy's facts about each record. */
    async directPaymentPeople(today: string): Promise<DirectPaymentPersonRecord[]> {
      const rows = await tx
        .selectFrom('payment_schedules as s')
        .innerJoin('people as p', 'p.id', 's.person_id')
        .select(['p.id as personId', sql<string>`p.given_name || ' ' || p.family_name`.as('name'), 'p.reference', factsColumnSql('p', today).as('facts')])
        .where('s.status', '=', 'active')
        .distinct()
        .orderBy('reference')
        .execute();
      return rows.map((row) => ({ ...row, facts: factsOf(row.facts) }));
    },
  };
}

function toRecovery(row: {
  id: string;
  personId: string;
  amountPence: bigint | string;
  kind: 'surplus' | 'year_end';
  reasons: string;
  status: 'proposed' | 'approved' | 'cancelled';
  proposedBy: string;
  proposedByName: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  challengeBy: string | null;
  transactionId: string | null;
  working: string;
  challengeReceivedOn: string | null;
  challengeRecordedByName: string | null;
  challengeRecordedAt: Date | null;
  challengeSummary: string | null;
  challengeOutcome: ChallengeOutcome | null;
  challengeDecidedBy: string | null;
  challengeDecidedByName: string | null;
  challengeDecidedAt: Date | null;
  challengeNote: string | null;
  repaidPence: bigint | string | null;
  repaymentTransactionId: string | null;
}): RecoveryRecord {
  const challenge: RecoveryChallenge | null =
    row.challengeReceivedOn === null || row.challengeRecordedAt === null || row.challengeSummary === null
      ? null
      : {
          receivedOn: row.challengeReceivedOn,
          recordedByName: row.challengeRecordedByName ?? '',
          recordedAt: row.challengeRecordedAt,
          summary: row.challengeSummary,
          decision:
            row.challengeOutcome === null || row.challengeDecidedBy === null || row.challengeDecidedAt === null
              ? null
              : {
                  outcome: row.challengeOutcome,
                  decidedBy: row.challengeDecidedBy,
                  decidedByName: row.challengeDecidedByName ?? '',
                  decidedAt: row.challengeDecidedAt,
                  note: row.challengeNote ?? '',
                  repaidPence: BigInt(row.repaidPence ?? 0),
                  transactionId: row.repaymentTransactionId,
                },
        };
  return {
    id: row.id,
    personId: row.personId,
    amountPence: BigInt(row.amountPence),
    kind: row.kind,
    reasons: row.reasons,
    status: row.status,
    proposedBy: row.proposedBy,
    proposedByName: row.proposedByName,
    proposedAt: row.proposedAt,
    decidedBy: row.decidedBy,
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    challengeBy: row.challengeBy,
    transactionId: row.transactionId,
    working: row.working,
    challenge,
  };
}

export type MonitoringRepository = ReturnType<typeof monitoringRepository>;
