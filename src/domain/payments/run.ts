/**
 * Payment runs (issue 6): what is due on a run date, the ledger transaction each payment posts, and
 * the preview a finance officer sees before authorising. Pure rules: no I/O, no clock; dates
 * 'YYYY-MM-DD', money bigint pence.
 *
 * How money moves through the ledger (decision 0017: a positive entry is money INTO an account).
 * `from` is credited (−), `to` is debited (+); every transaction balances.
 *
 * | flow        | kind        | from (−)                                  | to (+)                     | when                                                     |
 * |-------------|-------------|-------------------------------------------|----------------------------|----------------------------------------------------------|
 * | allocation  | allocation  | stream pot                                | budget line                | budget agreed (set-up.ts), the period amount             |
 * | ISF         | allocation  | ISF budget line                           | provider (for the person)  | budget agreed, when the provider is known (set-up.ts)    |
 * | commitment  | allocation  | council-managed budget line               | council commitment         | budget agreed (set-up.ts)                                |
 * | payment     | payment     | each direct payment budget line, its share | direct payment holder     | a payment run pays an instalment (this file)             |
 * | spend       | spend       | holder / provider / council commitment    | payments_out               | spending recorded (statement, return, invoice paid)      |
 * | refund      | refund      | payments_out                              | holder / provider          | a supplier gives money back                              |
 * | recovery    | recovery    | holder (or provider)                      | recoveries                 | surplus recovered, with reasons and a route to challenge |
 * | write-off   | write_off   | write_offs                                | holder (or provider)       | the council decides not to recover an overspend          |
 *
 * Why a payment is ONE transaction, budget lines → holder, and not a second "bank → holder" one:
 * the holder account is the money the family holds, outside the council; paying the family IS the
 * money leaving the council. A second bank leg would need a counter-entry somewhere and would count
 * the same pounds twice. One transaction also means there is never a moment when the budget has paid
 * and the holder has not received (the ledger posts all entries or none). The bank side is the
 * payment file (payment-file.ts), made from the very transactions posted, so the file's total is the
 * run's total. `payments_out` is where money finally leaves the scheme for the outside world:
 * spending by a family or provider, and invoices the council pays for council-managed services.
 *
 * Keys: instalment n of schedule s is posted under `payment:<s>:<n>` — deliberately WITHOUT the run.
 * The ledger accepts a key once (decision 0017), so the same instalment can never be paid by two
 * different runs: that is what makes "running the same run again never pays twice", and what makes
 * a run that crashed half-way resumable — run it again and what it already posted is replayed, not
 * paid again. The run's id IS in the description, which is part of the content the ledger hashes:
 * the same run retried gets `replayed: true` (its payment file still lists the payment), while a
 * DIFFERENT run that raced to the same instalment gets `idempotency_conflict` and must leave it out
 * of its file — it was paid by the other run.
 */
import type { TransactionInput } from '../ledger/ledger.ts';
import { MAX_KEY_LENGTH } from '../ledger/ledger.ts';
import type { Pence } from '../money/money.ts';
import { compareDates, isIsoDate, longDate } from '../pathway/dates.ts';
import type { Instalment, StreamPart } from './schedule.ts';

/** A direct payment schedule as the run takes it: with the ledger accounts it pays from and to. */
export interface ScheduleForRun {
  /** Stable for the life of the schedule (set-up uses the budget's id); part of every key. */
  readonly id: string;
  /** The direct payment holder (the payee). */
  readonly personId: string;
  readonly holderAccountId: string;
  /** The direct payment budget line account each stream's share is paid from. */
  readonly budgetAccountIdByStream: Readonly<Record<string, string>>;
  readonly instalments: readonly Instalment[];
}

export interface RunInfo {
  /** The run's id (or number): written in each payment's description, never in its key. */
  readonly id: string;
  /** The run date chosen by the finance officer: everything due on or before it is paid. */
  readonly runDate: string;
}

export interface DueInstalment {
  readonly scheduleId: string;
  readonly personId: string;
  readonly instalment: Instalment;
  /** `payment:<scheduleId>:<number>`. */
  readonly key: string;
  readonly transaction: TransactionInput;
}

/** An instalment the run will not pay by itself: for finance to decide (see `planRun`). */
export interface InstalmentToReview {
  readonly scheduleId: string;
  readonly personId: string;
  readonly instalment: Instalment;
  readonly key: string;
  readonly reason: string;
}

export interface RunPlan {
  readonly due: readonly DueInstalment[];
  readonly toReview: readonly InstalmentToReview[];
}

/** The ledger key of instalment `number` of a schedule. */
export function paymentKey(scheduleId: string, number: number): string {
  return `payment:${scheduleId}:${number}`;
}

function requireRun(run: RunInfo): void {
  if (!isIsoDate(run.runDate)) throw new RangeError(`The run date must be a real date written YYYY-MM-DD (got "${run.runDate}")`);
  if (run.id.trim() === '' || run.id.length > 100) throw new RangeError('A payment run needs an id of 1 to 100 characters');
}

function accountFor(schedule: ScheduleForRun, streamId: string): string {
  const id = schedule.budgetAccountIdByStream[streamId];
  if (id === undefined) throw new RangeError(`Schedule ${schedule.id} has no budget account for stream ${streamId}`);
  return id;
}

/**
 * The payment: each stream's share out of its budget line, the whole amount into the holder account.
 * A zero share moves nothing (the ledger refuses zero entries). A share can be negative when an
 * adjustment after a plan change gives a stream money back: its budget line then receives it.
 */
function paymentTransaction(schedule: ScheduleForRun, instalment: Instalment, run: RunInfo): TransactionInput {
  const byAccount = new Map<string, Pence>();
  for (const part of instalment.byStream) {
    const account = accountFor(schedule, part.streamId);
    byAccount.set(account, (byAccount.get(account) ?? 0n) - part.pence);
  }
  const entries = [...byAccount].filter(([, pence]) => pence !== 0n).map(([accountId, amountPence]) => ({ accountId, amountPence }));
  return {
    idempotencyKey: paymentKey(schedule.id, instalment.number),
    kind: 'payment',
    // The day the money actually moves: the run date (on or after the due date). A late run does
    // not back-date money, so a statement already sent for an earlier date stays true.
    effectiveOn: run.runDate,
    description: `Direct payment ${instalment.number} for ${longDate(instalment.periodFrom)} to ${longDate(instalment.periodTo)} (run ${run.id})`,
    entries: [...entries, { accountId: schedule.holderAccountId, amountPence: instalment.amountPence }],
  };
}

/**
 * What a run on `run.runDate` does, given the keys the ledger already holds (`posted`):
 * - `due`: every instalment due on or before the run date, not yet posted, with a positive amount,
 *   each with its transaction. Ordered by due date, then schedule, then number, so payments post in
 *   date order (the ledger's overdraft check relies on it, decision 0017).
 * - `toReview`: instalments due and not posted whose amount is NEGATIVE (a cut after a plan change
 *   paid in advance). A run never takes money back from a family by itself: DOMAIN.md — recovery
 *   only with reasons and a route to challenge. Finance nets it off or recovers it.
 * A zero instalment is neither: there is nothing to pay.
 */
export function planRun(schedules: readonly ScheduleForRun[], run: RunInfo, posted: ReadonlySet<string>): RunPlan {
  requireRun(run);
  const due: DueInstalment[] = [];
  const toReview: InstalmentToReview[] = [];
  for (const schedule of schedules) {
    for (const instalment of schedule.instalments) {
      const key = paymentKey(schedule.id, instalment.number);
      if (key.length > MAX_KEY_LENGTH) throw new RangeError(`Schedule id ${schedule.id} is too long for a ledger key`);
      if (compareDates(instalment.dueOn, run.runDate) > 0 || posted.has(key)) continue;
      const base = { scheduleId: schedule.id, personId: schedule.personId, instalment, key };
      if (instalment.amountPence > 0n) due.push({ ...base, transaction: paymentTransaction(schedule, instalment, run) });
      else if (instalment.amountPence < 0n) toReview.push({ ...base, reason: 'The amount is negative after a change to the plan: net it off or recover it, with reasons' });
    }
  }
  const order = (a: { instalment: Instalment; scheduleId: string }, b: { instalment: Instalment; scheduleId: string }): number =>
    compareDates(a.instalment.dueOn, b.instalment.dueOn) ||
    (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0) ||
    a.instalment.number - b.instalment.number;
  return { due: due.sort(order), toReview: toReview.sort(order) };
}

/** The instalments a run on `run.runDate` pays (see `planRun`). */
export function dueInstalments(schedules: readonly ScheduleForRun[], run: RunInfo, posted: ReadonlySet<string>): DueInstalment[] {
  return [...planRun(schedules, run, posted).due];
}

export interface RunPreview {
  readonly count: number;
  /** How many different people are paid (one row each in the payment file). */
  readonly payees: number;
  readonly totalPence: Pence;
  /** Each funding stream's part of the total, streams in the order first met; sums to the total. */
  readonly byStream: readonly StreamPart[];
}

/** What the finance officer sees before authorising a run. */
export function previewRun(dues: readonly DueInstalment[]): RunPreview {
  const byStream = new Map<string, Pence>();
  let totalPence = 0n;
  for (const due of dues) {
    totalPence += due.instalment.amountPence;
    for (const part of due.instalment.byStream) byStream.set(part.streamId, (byStream.get(part.streamId) ?? 0n) + part.pence);
  }
  return {
    count: dues.length,
    payees: new Set(dues.map((d) => d.personId)).size,
    totalPence,
    byStream: [...byStream].map(([streamId, pence]) => ({ streamId, pence })),
  };
}

/**
 * Whether a second finance officer must authorise the run: when its total is ABOVE the council's
 * threshold (a run of exactly the threshold does not). Money rule: large sums need two people.
 */
export function needsSecondAuthoriser(totalPence: Pence, thresholdPence: Pence): boolean {
  if (thresholdPence < 0n) throw new RangeError('The second-authoriser threshold cannot be negative');
  return totalPence > thresholdPence;
}
