/**
 * Payment runs (issue 6), each use case in one council transaction with its audit event:
 *  - preview: what is due on or before a run date and not yet taken by a run or the ledger, by
 *    funding stream, with the instalments held for review and the payees without bank details;
 *  - create: freezes the items and totals (what was previewed is what is paid); above the council's
 *    threshold a second, different finance officer must authorise it, otherwise it is queued;
 *  - process: the background job's body (also called directly, by the benchmark): posts the items
 *    in batches, each batch's ledger transactions, item statuses and run progress in ONE council
 *    transaction, under keys `payment:<schedule>:<n>` (src/domain/payments/run.ts), so that running
 *    it twice, at once, or again after a crash pays every instalment exactly once;
 *  - retry: a run whose job gave up is queued again, and pays only what it had not paid;
 *  - the payment file (CSV) and remittance notices of a completed run; payees' bank details.
 * See docs/decisions/0018-payment-runs.md.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { WithCouncil, TenantTx } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import { moneySettingsRepository } from '../db/repositories/money-settings.ts';
import {
  paymentRunsRepository,
  type BankDetailsRecord,
  type InstalmentRow,
  type ItemSettlement,
  type PaymentRunRecord,
  type PersonName,
  type SkippedItem,
} from '../db/repositories/payment-runs.ts';
import type { StoredStreamPart } from '../db/schema.ts';
import type { Action, Actor } from '../domain/access/policy.ts';
import { isUuid } from '../domain/ids.ts';
import type { Pence } from '../domain/money/money.ts';
import { isIsoDate } from '../domain/pathway/dates.ts';
import { paymentFile, remittanceNotices, remittanceText, type PayeeBankDetails, type PaymentFileProblem } from '../domain/payments/payment-file.ts';
import { needsSecondAuthoriser, planRun, previewRun, type DueInstalment, type ScheduleForRun } from '../domain/payments/run.ts';
import type { Instalment } from '../domain/payments/schedule.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { LedgerServices } from './ledger.ts';
import { requirePerson } from './people.ts';
import { requireAction as requireRole, type FieldError, type Outcome } from './outcome.ts';

export type { FieldError, Outcome } from './outcome.ts';

/** The job a run puts on the queue (src/jobs/payment-run.ts sends it to pg-boss). */
export interface PaymentRunJob {
  readonly councilId: string;
  readonly runId: string;
}
export interface PaymentRunQueue {
  send(job: PaymentRunJob): Promise<void>;
}

/** A step out of order (authorising a cancelled run, say): pages answer 409 with the detail. */
export class RunOutOfOrderError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'RunOutOfOrderError';
  }
}

/** How many payments one database transaction posts (decision 0018). */
export const DEFAULT_BATCH_SIZE = 1000;

export interface StreamTotal {
  readonly streamId: string;
  readonly name: string;
  readonly pence: Pence;
}

export interface HeldInstalment {
  readonly person: PersonName;
  readonly number: number;
  readonly dueOn: string;
  readonly amountPence: Pence;
  readonly reason: string;
}

export interface RunPreviewView {
  readonly runDate: string;
  readonly count: number;
  readonly payees: number;
  readonly totalPence: Pence;
  readonly byStream: readonly StreamTotal[];
  readonly needsSecondAuthoriser: boolean;
  readonly thresholdPence: Pence;
  readonly held: readonly HeldInstalment[];
  /** Payees left out because no bank details are recorded: with what they are owed. */
  readonly missingBankDetails: readonly { readonly person: PersonName; readonly count: number; readonly amountPence: Pence }[];
}

export interface RunView {
  readonly run: PaymentRunRecord;
  readonly byStream: readonly StreamTotal[];
  readonly pendingCount: number;
  readonly skipped: readonly (SkippedItem & { readonly person: PersonName | undefined })[];
  /** Whether this actor may authorise it now, and why not. */
  readonly mayAuthorise: { readonly ok: true } | { readonly ok: false; readonly reason: string };
}

export interface ProcessResult {
  /** True when nothing is left to do (completed, or a run not meant to be processed). */
  readonly finished: boolean;
  readonly status: PaymentRunRecord['status'] | 'missing';
  readonly paid: number;
  readonly skipped: number;
}

export interface RemittanceView {
  readonly run: PaymentRunRecord;
  readonly notices: readonly { readonly person: PersonName | undefined; readonly amountPence: Pence; readonly text: string }[];
}

const storedParts = (parts: readonly { streamId: string; pence: Pence }[]): StoredStreamPart[] => parts.map((p) => ({ streamId: p.streamId, pence: p.pence.toString() }));

function toInstalment(row: InstalmentRow): Instalment {
  return {
    number: row.number,
    kind: 'regular',
    dueOn: row.dueOn,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    amountPence: row.amountPence,
    byStream: row.byStream.map((p) => ({ streamId: p.streamId, pence: BigInt(p.pence) })),
    adjustments: [],
  };
}

/** Instalment rows as the schedules planRun takes (one schedule per row is fine: keys use the schedule id). */
function schedulesOf(rows: readonly InstalmentRow[]): ScheduleForRun[] {
  const bySchedule = new Map<string, { schedule: Omit<ScheduleForRun, 'instalments'>; instalments: Instalment[] }>();
  for (const row of rows) {
    let entry = bySchedule.get(row.scheduleId);
    if (entry === undefined) {
      entry = { schedule: { id: row.scheduleId, personId: row.personId, holderAccountId: row.holderAccountId, budgetAccountIdByStream: row.budgetAccounts }, instalments: [] };
      bySchedule.set(row.scheduleId, entry);
    }
    entry.instalments.push(toInstalment(row));
  }
  return [...bySchedule.values()].map((e) => ({ ...e.schedule, instalments: e.instalments }));
}

const NOTHING_POSTED: ReadonlySet<string> = new Set();

/** The transactions a run posts for these rows: exactly as run.ts builds them (the run's reference in the description). */
export function duesFor(rows: readonly InstalmentRow[], run: { reference: string; runDate: string }): DueInstalment[] {
  return [...planRun(schedulesOf(rows), { id: run.reference, runDate: run.runDate }, NOTHING_POSTED).due];
}

const SORT_CODE = /^\d{6}$/;
const ACCOUNT_NUMBER = /^\d{8}$/;

export function paymentRunServices(deps: { withCouncil: WithCouncil; clock: Clock; ledger: LedgerServices; queue?: PaymentRunQueue | undefined; batchSize?: number }) {
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;

  const requireAction = (actor: Actor, action: Action) => requireRole(actor, action, 'Your role does not allow this: payment runs are for finance officers');

  function dateProblem(runDate: string): FieldError[] {
    return isIsoDate(runDate) ? [] : [{ path: 'runDate', message: 'Enter a real run date' }];
  }

  async function streamTotals(tx: TenantTx, parts: readonly { streamId: string; pence: Pence }[]): Promise<StreamTotal[]> {
    const names = await paymentRunsRepository(tx).streamNames();
    return parts.map((p) => ({ streamId: p.streamId, name: names.get(p.streamId) ?? 'Unknown funding stream', pence: p.pence }));
  }

  /** What a run on `runDate` would pay now, and what it leaves out. */
  async function computePreview(tx: TenantTx, councilId: string, runDate: string) {
    const repo = paymentRunsRepository(tx);
    const rows = await repo.untakenInstalmentsDue(runDate);
    const payable = rows.filter((r) => r.hasBankDetails);
    const dues = planRun(schedulesOf(payable), { id: 'preview', runDate }, NOTHING_POSTED).due;
    const withoutBank = rows.filter((r) => !r.hasBankDetails && r.amountPence > 0n);
    const heldRows = rows.filter((r) => r.amountPence < 0n);
    const names = await repo.peopleNames([...withoutBank, ...heldRows].map((r) => r.personId));
    const unknown = (id: string): PersonName => names.get(id) ?? { id, name: 'Unknown person', reference: '' };
    const missing = new Map<string, { person: PersonName; count: number; amountPence: Pence }>();
    for (const r of withoutBank) {
      const m = missing.get(r.personId) ?? { person: unknown(r.personId), count: 0, amountPence: 0n };
      missing.set(r.personId, { ...m, count: m.count + 1, amountPence: m.amountPence + r.amountPence });
    }
    const summary = previewRun(dues);
    const settings = await moneySettingsRepository(tx).get(councilId);
    const preview: RunPreviewView = {
      runDate,
      count: summary.count,
      payees: summary.payees,
      totalPence: summary.totalPence,
      byStream: await streamTotals(tx, summary.byStream),
      needsSecondAuthoriser: needsSecondAuthoriser(summary.totalPence, settings.secondAuthoriserAbovePence),
      thresholdPence: settings.secondAuthoriserAbovePence,
      held: planRun(schedulesOf(heldRows), { id: 'preview', runDate }, NOTHING_POSTED).toReview.map((t) => ({
        person: unknown(t.personId),
        number: t.instalment.number,
        dueOn: t.instalment.dueOn,
        amountPence: t.instalment.amountPence,
        reason: t.reason,
      })),
      missingBankDetails: [...missing.values()],
    };
    return { preview, dues, summary };
  }

  async function loadRun(tx: TenantTx, runId: string): Promise<PaymentRunRecord> {
    const run = isUuid(runId) ? await paymentRunsRepository(tx).byId(runId) : undefined;
    if (run === undefined) throw new NotFoundError(`No payment run with id ${runId} in this council`);
    return run;
  }

  function authoriseCheck(actor: Actor, run: PaymentRunRecord): RunView['mayAuthorise'] {
    if (run.status !== 'awaiting_authorisation') return { ok: false, reason: 'This run is not waiting to be authorised' };
    if (run.createdBy === actor.accountId) return { ok: false, reason: 'Another finance officer must authorise this run: you made it' };
    return { ok: true };
  }

  async function audit(tx: TenantTx, actor: Actor, context: RequestContext, action: string, subject: { type: string; id: string }, detail?: Record<string, unknown>) {
    await repositories(tx).audit.record({ ...auditedBy(actor, context, deps.clock.now()), action, subjectType: subject.type, subjectId: subject.id, ...(detail === undefined ? {} : { detail }) });
  }

  async function enqueue(councilId: string, runId: string): Promise<void> {
    if (deps.queue !== undefined) await deps.queue.send({ councilId, runId });
  }

  async function statusOf(councilId: string, runId: string): Promise<PaymentRunRecord['status'] | undefined> {
    return deps.withCouncil(councilId, async (tx) => (await paymentRunsRepository(tx).byId(runId))?.status);
  }

  /**
   * One batch in one council transaction: lock the run (a concurrent process of the same run waits
   * here, then sees what this one committed), post those of `keys` still pending, settle them and
   * add them to the run's progress. Money, items and progress commit together or not at all.
   */
  async function processBatch(councilId: string, runId: string, keys: readonly { scheduleId: string; number: number }[]): Promise<{ paid: number; skipped: number } | 'stopped'> {
    return deps.ledger.withRetries(councilId, async (tx) => {
      const repo = paymentRunsRepository(tx);
      const run = await repo.lockRun(runId);
      if (run === undefined || run.status !== 'running') return 'stopped';
      const rows = await repo.pendingOf(runId, keys);
      if (rows.length === 0) return { paid: 0, skipped: 0 };
      const dues = duesFor(rows, run);
      const results = await deps.ledger.postWithin(tx, councilId, dues.map((d) => d.transaction), null);
      const settlements: ItemSettlement[] = dues.map((due, i) => {
        const result = results[i];
        const base = { scheduleId: due.scheduleId, number: due.instalment.number };
        if (result === undefined) throw new Error('a payment was left without an outcome');
        if (result.ok) return { ...base, status: 'paid', transactionId: result.transactionId, skippedReason: null };
        const reason =
          result.reason === 'idempotency_conflict'
            ? 'Paid by another run'
            : result.reason === 'insufficient_funds'
              ? 'The budget does not hold enough money for this payment'
              : result.reason === 'unknown_account'
                ? 'The schedule names a ledger account that does not exist'
                : `The payment is not valid: ${result.problems.map((p) => p.message).join('; ')}`;
        return { ...base, status: 'skipped', transactionId: null, skippedReason: reason };
      });
      const changed = await repo.settle(runId, settlements);
      return { paid: changed.paid, skipped: changed.skipped };
    });
  }

  /** Completes the run when nothing is pending; false when something still is (or it is no longer running). */
  async function completeIfDone(councilId: string, runId: string): Promise<boolean> {
    return deps.withCouncil(councilId, async (tx) => {
      const repo = paymentRunsRepository(tx);
      const run = await repo.lockRun(runId);
      if (run === undefined || run.status !== 'running') return true;
      if ((await repo.pendingCount(runId)) > 0) return false;
      await repo.setStatus(runId, 'completed', { completedAt: deps.clock.now(), failure: null });
      return true;
    });
  }

  return {
    /** What a run on this date would pay. Audited (it lists people). */
    async preview(actor: Actor, runDate: string, context: RequestContext): Promise<Outcome<RunPreviewView>> {
      requireAction(actor, 'payments:run');
      const problems = dateProblem(runDate);
      if (problems.length > 0) return { ok: false, errors: problems };
      return deps.withCouncil(actor.councilId, async (tx) => {
        const { preview } = await computePreview(tx, actor.councilId, runDate);
        await audit(tx, actor, context, 'payment_run.previewed', { type: 'council', id: actor.councilId }, { runDate, count: preview.count, totalPence: preview.totalPence.toString() });
        return { ok: true, value: preview };
      });
    },

    /** Freezes a run: its items (pending) and totals. Queued at once unless a second finance officer must authorise it. */
    async create(actor: Actor, runDate: string, context: RequestContext): Promise<Outcome<{ runId: string; reference: string; status: PaymentRunRecord['status'] }>> {
      requireAction(actor, 'payments:run');
      const problems = dateProblem(runDate);
      if (problems.length > 0) return { ok: false, errors: problems };
      const outcome = await deps.withCouncil(actor.councilId, async (tx): Promise<Outcome<{ runId: string; reference: string; status: PaymentRunRecord['status'] }>> => {
        const repo = paymentRunsRepository(tx);
        await repo.lockRunCreation(actor.councilId);
        const { preview, dues } = await computePreview(tx, actor.councilId, runDate);
        if (dues.length === 0) return { ok: false, errors: [{ path: 'runDate', message: 'Nothing is due to be paid on or before this date' }] };
        const id = crypto.randomUUID();
        const reference = await repo.nextReference();
        const status = preview.needsSecondAuthoriser ? 'awaiting_authorisation' : 'queued';
        await repo.insertRun({
          id,
          councilId: actor.councilId,
          reference,
          runDate,
          status,
          paymentCount: preview.count,
          totalPence: preview.totalPence,
          byStream: storedParts(preview.byStream),
          needsSecondAuthoriser: preview.needsSecondAuthoriser,
          createdBy: actor.accountId,
          now: deps.clock.now(),
        });
        await repo.insertItems(
          actor.councilId,
          id,
          dues.map((d) => ({ scheduleId: d.scheduleId, number: d.instalment.number, personId: d.personId, amountPence: d.instalment.amountPence })),
        );
        await audit(tx, actor, context, 'payment_run.created', { type: 'payment_run', id }, { reference, runDate, count: preview.count, totalPence: preview.totalPence.toString(), status });
        return { ok: true, value: { runId: id, reference, status } };
      });
      // After the commit: pg-boss is not part of our council transaction (decision 0018). A job lost
      // here is sent again by the start-up sweep (resumeUnfinished).
      if (outcome.ok && outcome.value.status === 'queued') await enqueue(actor.councilId, outcome.value.runId);
      return outcome;
    },

    async list(actor: Actor): Promise<PaymentRunRecord[]> {
      requireAction(actor, 'payments:run');
      return deps.withCouncil(actor.councilId, (tx) => paymentRunsRepository(tx).list(200));
    },

    /** A run with its progress. Audited: it lists people whose payments were skipped. */
    async view(actor: Actor, runId: string, context: RequestContext): Promise<RunView> {
      requireAction(actor, 'payments:run');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repo = paymentRunsRepository(tx);
        const run = await loadRun(tx, runId);
        const skipped = await repo.skippedItems(run.id);
        const names = await repo.peopleNames(skipped.map((s) => s.personId));
        const view: RunView = {
          run,
          byStream: await streamTotals(tx, run.byStream.map((p) => ({ streamId: p.streamId, pence: BigInt(p.pence) }))),
          pendingCount: await repo.pendingCount(run.id),
          skipped: skipped.map((s) => ({ ...s, person: names.get(s.personId) })),
          mayAuthorise: authoriseCheck(actor, run),
        };
        await audit(tx, actor, context, 'payment_run.viewed', { type: 'payment_run', id: run.id });
        return view;
      });
    },

    /** Progress only (no names): for the page's "Check progress" and its JSON. */
    async progress(actor: Actor, runId: string): Promise<Pick<PaymentRunRecord, 'status' | 'paymentCount' | 'postedCount' | 'postedPence' | 'skippedCount'>> {
      requireAction(actor, 'payments:run');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const run = await loadRun(tx, runId);
        return { status: run.status, paymentCount: run.paymentCount, postedCount: run.postedCount, postedPence: run.postedPence, skippedCount: run.skippedCount };
      });
    },

    /** A second finance officer, never the one who made the run (the database refuses that too). */
    async authorise(actor: Actor, runId: string, context: RequestContext): Promise<void> {
      requireAction(actor, 'payments:run');
      const run = await deps.withCouncil(actor.councilId, async (tx) => {
        const current = await loadRun(tx, runId);
        const check = authoriseCheck(actor, current);
        if (!check.ok) {
          if (current.status === 'awaiting_authorisation') throw new ForbiddenError(check.reason);
          throw new RunOutOfOrderError(check.reason);
        }
        await paymentRunsRepository(tx).authorise(current.id, actor.accountId, deps.clock.now());
        await audit(tx, actor, context, 'payment_run.authorised', { type: 'payment_run', id: current.id }, { reference: current.reference, totalPence: current.totalPence.toString() });
        return current;
      });
      await enqueue(actor.councilId, run.id);
    },

    /** Cancels a run waiting for authorisation: its instalments are free for another run. */
    async cancel(actor: Actor, runId: string, reason: string, context: RequestContext): Promise<Outcome> {
      requireAction(actor, 'payments:run');
      const trimmed = reason.trim();
      if (trimmed === '' || trimmed.length > 1000) return { ok: false, errors: [{ path: 'reason', message: 'Say why the run is cancelled, in up to 1,000 characters' }] };
      return deps.withCouncil(actor.councilId, async (tx) => {
        const run = await loadRun(tx, runId);
        if (run.status !== 'awaiting_authorisation') throw new RunOutOfOrderError('Only a run waiting to be authorised can be cancelled');
        await paymentRunsRepository(tx).cancel(run.id, actor.accountId, trimmed, deps.clock.now());
        await audit(tx, actor, context, 'payment_run.cancelled', { type: 'payment_run', id: run.id }, { reference: run.reference });
        return { ok: true, value: undefined };
      });
    },

    /**
     * Sends a failed run back to the queue (its job gave up after its retries: the database was
     * unreachable for too long, say). The job pays the items still pending; those already paid stay
     * paid and are never paid again (their ledger keys). What went wrong is kept in the audit event.
     */
    async retry(actor: Actor, runId: string, context: RequestContext): Promise<void> {
      requireAction(actor, 'payments:run');
      const run = await deps.withCouncil(actor.councilId, async (tx) => {
        const current = await loadRun(tx, runId);
        const repo = paymentRunsRepository(tx);
        // Locked, so that two officers pressing the button at once queue it once and audit it once.
        const locked = await repo.lockRun(current.id);
        if (locked?.status !== 'failed') throw new RunOutOfOrderError('Only a run that failed can be tried again');
        await repo.setStatus(current.id, 'queued', { failure: null });
        await audit(tx, actor, context, 'payment_run.retried', { type: 'payment_run', id: current.id }, { reference: current.reference, failure: current.failure });
        return current;
      });
      await enqueue(actor.councilId, run.id);
    },

    /**
     * The job's body: posts the run's pending items batch by batch until none is left (or until
     * `until`, a time in ms, has passed: the job then continues in a new job). Safe to call twice at
     * once, or again after a crash: each batch locks the run row, and the ledger keys pay each
     * instalment once. Progress counts only items that changed from pending in that batch.
     */
    async process(councilId: string, runId: string, options: { until?: number } = {}): Promise<ProcessResult> {
      if (!isUuid(runId)) return { finished: true, status: 'missing', paid: 0, skipped: 0 };
      const start = await deps.withCouncil(councilId, async (tx) => {
        const repo = paymentRunsRepository(tx);
        const run = await repo.lockRun(runId);
        if (run === undefined) return 'missing' as const;
        if (run.status === 'queued' || run.status === 'running') await repo.setStatus(runId, 'running', { startedAt: deps.clock.now() });
        return run.status === 'queued' ? 'running' : run.status;
      });
      if (start !== 'running') return { finished: true, status: start, paid: 0, skipped: 0 };
      let paid = 0;
      let skipped = 0;
      for (;;) {
        // The order is read once per pass (due date, schedule, number); each batch then takes its
        // items by primary key, so a batch costs the same at the start and at the end of a large run.
        const keys = await deps.withCouncil(councilId, (tx) => paymentRunsRepository(tx).pendingKeys(runId));
        for (let from = 0; from < keys.length; from += batchSize) {
          const batch = await processBatch(councilId, runId, keys.slice(from, from + batchSize));
          if (batch === 'stopped') return { finished: true, status: (await statusOf(councilId, runId)) ?? 'missing', paid, skipped };
          paid += batch.paid;
          skipped += batch.skipped;
          if (options.until !== undefined && Date.now() >= options.until && from + batchSize < keys.length) return { finished: false, status: 'running', paid, skipped };
        }
        if (await completeIfDone(councilId, runId)) {
          const status = (await statusOf(councilId, runId)) ?? 'missing';
          return { finished: true, status, paid, skipped };
        }
      }
    },

    statusOf,

    /** Records why the job gave up (its last retry failed): the run shows it as failed. */
    async markFailed(councilId: string, runId: string, failure: string): Promise<void> {
      await deps.withCouncil(councilId, async (tx) => {
        const repo = paymentRunsRepository(tx);
        const run = await repo.lockRun(runId);
        if (run !== undefined && (run.status === 'running' || run.status === 'queued')) await repo.setStatus(runId, 'failed', { failure: failure.slice(0, 2000) });
      });
    },

    /** Runs queued or running in every council given: the start-up sweep sends their jobs again. */
    async unfinished(councilIds: readonly string[]): Promise<PaymentRunJob[]> {
      const jobs: PaymentRunJob[] = [];
      for (const councilId of councilIds) {
        const runs = await deps.withCouncil(councilId, (tx) => paymentRunsRepository(tx).unfinished());
        jobs.push(...runs.map((r) => ({ councilId, runId: r.id })));
      }
      return jobs;
    },

    /** The bank file of a completed run (docs/payment-file.md), or the problems that stop it. */
    async paymentFile(actor: Actor, runId: string, context: RequestContext): Promise<{ ok: true; csv: string; fileName: string; totalPence: Pence } | { ok: false; reference: string; problems: readonly (PaymentFileProblem & { person: PersonName | undefined })[] }> {
      requireAction(actor, 'payments:run');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repo = paymentRunsRepository(tx);
        const run = await loadRun(tx, runId);
        if (run.status !== 'completed') throw new RunOutOfOrderError('The payment file is ready when the run has completed');
        const rows = await repo.paidItems(run.id);
        const dues = duesFor(rows, run);
        const bank = await repo.bankDetails(dues.map((d) => d.personId));
        const payees = new Map<string, PayeeBankDetails>([...bank].map(([personId, b]) => [personId, { reference: b.payeeReference, name: b.accountName, sortCode: b.sortCode, accountNumber: b.accountNumber }]));
        const file = paymentFile({ runReference: run.reference, paymentDate: run.runDate, dues, payees });
        await audit(tx, actor, context, 'payment_run.file_downloaded', { type: 'payment_run', id: run.id }, { reference: run.reference, ok: file.ok });
        if (!file.ok) {
          const names = await repo.peopleNames(file.problems.map((p) => p.personId));
          return { ok: false, reference: run.reference, problems: file.problems.map((p) => ({ ...p, person: names.get(p.personId) })) };
        }
        return { ok: true, csv: file.csv, fileName: `payment-run-${run.reference}-${run.runDate}.csv`, totalPence: file.totalPence };
      });
    },

    /** One notice per person paid by a completed run. */
    async remittance(actor: Actor, runId: string, context: RequestContext): Promise<RemittanceView> {
      requireAction(actor, 'payments:run');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repo = paymentRunsRepository(tx);
        const run = await loadRun(tx, runId);
        if (run.status !== 'completed') throw new RunOutOfOrderError('Remittance notices are ready when the run has completed');
        const dues = duesFor(await repo.paidItems(run.id), run);
        const streams = await repo.streamNames();
        const notices = remittanceNotices(dues, run.runDate, (id) => (streams.get(id) ?? 'other funding').toLowerCase());
        const names = await repo.peopleNames(notices.map((n) => n.personId));
        await audit(tx, actor, context, 'payment_run.remittances_viewed', { type: 'payment_run', id: run.id }, { reference: run.reference, notices: notices.length });
        return { run, notices: notices.map((n) => ({ person: names.get(n.personId), amountPence: n.amountPence, text: remittanceText(n) })) };
      });
    },

    /** A person's payee bank details (or none), audited as a read of their record. */
    async bankDetails(actor: Actor, personId: string, context: RequestContext): Promise<{ person: PersonName; details: BankDetailsRecord | undefined }> {
      requireAction(actor, 'payments:bank-details');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'payments:bank-details', personId, deps.clock.today());
        const repo = paymentRunsRepository(tx);
        const person = (await repo.peopleNames([personId])).get(personId);
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        const details = (await repo.bankDetails([personId])).get(personId);
        await audit(tx, actor, context, 'person.bank_details_viewed', { type: 'person', id: personId });
        return { person, details };
      });
    },

    /** Records the account a person's direct payment is paid into. Spaces and hyphens in numbers are ignored. */
    async saveBankDetails(
      actor: Actor,
      personId: string,
      input: { payeeReference: string; accountName: string; sortCode: string; accountNumber: string },
      context: RequestContext,
    ): Promise<Outcome> {
      requireAction(actor, 'payments:bank-details');
      const sortCode = input.sortCode.replace(/[\s-]/g, '');
      const accountNumber = input.accountNumber.replace(/[\s-]/g, '');
      const payeeReference = input.payeeReference.trim();
      const accountName = input.accountName.trim();
      const errors: FieldError[] = [];
      if (accountName === '' || accountName.length > 200) errors.push({ path: 'accountName', message: 'Enter the name on the account, in up to 200 characters' });
      if (!SORT_CODE.test(sortCode)) errors.push({ path: 'sortCode', message: 'Enter a valid sort code like 309430' });
      if (!ACCOUNT_NUMBER.test(accountNumber)) errors.push({ path: 'accountNumber', message: 'Enter a valid account number like 00733445' });
      if (payeeReference === '' || payeeReference.length > 40) errors.push({ path: 'payeeReference', message: 'Enter the payee reference, in up to 40 characters' });
      if (errors.length > 0) return { ok: false, errors };
      return deps.withCouncil(actor.councilId, async (tx) => {
        await requirePerson(repositories(tx), actor, 'payments:bank-details', personId, deps.clock.today());
        await paymentRunsRepository(tx).saveBankDetails({ councilId: actor.councilId, personId, payeeReference, accountName, sortCode, accountNumber, updatedBy: actor.accountId, now: deps.clock.now() });
        // The account number is not written to the audit log: its last two digits say which one it was.
        await audit(tx, actor, context, 'person.bank_details_changed', { type: 'person', id: personId }, { accountEndsWith: accountNumber.slice(-2) });
        return { ok: true, value: undefined };
      });
    },
  };
}

export type PaymentRunServices = ReturnType<typeof paymentRunServices>;
