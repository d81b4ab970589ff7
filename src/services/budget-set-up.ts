/**
 * Budget set-up (issue 6): when a plan is agreed, its personal budget is put on the ledger in the
 * same council transaction as the agreement, so there is never an agreed budget without its money or
 * money without its agreed budget. The rules are in src/domain/payments/set-up.ts; this finds or
 * opens the accounts they plan, posts the transactions under their stable keys and stores the
 * direct payment schedule with its instalments.
 *
 * A mid-year change (a new plan agreed while the old budget still runs; src/domain/payments/change.ts):
 * the old budget's instalments due from the change are dropped, what it no longer needs goes back to
 * its stream pot (`budget:<old id>:release`), and the new schedule's first payments are reduced by what
 * the family was already paid in advance for days the new budget pays for.
 *
 * Individual service funds: a plan names its providers as text (the Local Offer issue will link them).
 * An ISF line goes to a provider's account when every ISF item of that stream names the same provider
 * and that name is a provider of the council (compared trimmed, ignoring case); otherwise the money
 * stays on the budget line until finance passes it on: money is never sent to a guessed provider.
 */
import type { Clock } from '../clock.ts';
import type { TenantTx } from '../db/tenancy.ts';
import { moneySettingsRepository, type MoneySettings } from '../db/repositories/money-settings.ts';
import { paymentSchedulesRepository, type BudgetForSetUp, type PaymentSchedulesRepository } from '../db/repositories/payment-schedules.ts';
import type { TransactionInput } from '../domain/ledger/ledger.ts';
import { contentFromJson } from '../domain/plans/json.ts';
import { closeOut, netOverlap, releaseTransaction } from '../domain/payments/change.ts';
import { paymentKey } from '../domain/payments/run.ts';
import { bindAccounts, bindSchedule, budgetSetUp, type AgreedBudgetLine, type BudgetSetUp } from '../domain/payments/set-up.ts';
import type { LedgerServices } from './ledger.ts';

export interface SetUpResult {
  readonly scheduleId: string | null;
  readonly transactionIds: readonly string[];
}

/** A budget's set-up plan with the ledger ids of its accounts (found or opened). */
interface BoundPlan {
  readonly budget: BudgetForSetUp;
  readonly plan: BudgetSetUp;
  readonly lines: readonly AgreedBudgetLine[];
  readonly idOf: (ref: string) => string;
}

export function budgetSetUpServices(deps: { ledger: LedgerServices; clock: Clock }) {
  async function boundPlan(tx: TenantTx, councilId: string, schedules: PaymentSchedulesRepository, budgetId: string, settings: MoneySettings): Promise<BoundPlan> {
    const budget = await schedules.budgetForSetUp(budgetId);
    if (budget === undefined) throw new Error(`No personal budget ${budgetId} to set up`);
    const content = contentFromJson(budget.content);
    // The provider of each ISF stream, when the plan names exactly one the council knows.
    const isfItems = content.items.filter((i) => i.management === 'individual_service_fund');
    const known = new Map((await schedules.providersNamed(isfItems.map((i) => i.provider))).map((p) => [p.name.trim().toLowerCase(), p]));
    const providerOfStream = (streamCode: string): { id: string; name: string } | null => {
      const names = new Set(isfItems.filter((i) => i.stream === streamCode).map((i) => i.provider.trim().toLowerCase()));
      const [only] = names;
      return names.size === 1 && only !== undefined ? (known.get(only) ?? null) : null;
    };
    const lines: AgreedBudgetLine[] = budget.lines.map((line) => {
      const provider = line.management === 'individual_service_fund' ? providerOfStream(line.streamCode) : null;
      return {
        streamId: line.streamId,
        management: line.management,
        annualPence: line.annualPence,
        streamName: line.streamName,
        ...(provider === null ? {} : { providerId: provider.id, providerName: provider.name }),
      };
    });
    const plan = budgetSetUp(
      { id: budget.id, personId: budget.personId, startsOn: budget.startsOn, endsOn: budget.endsOn, lines, personName: budget.personName },
      { frequency: settings.paymentFrequency },
    );
    const ids = new Map<string, string>();
    for (const account of plan.accounts) ids.set(account.ref, await deps.ledger.accountWithin(tx, councilId, { identity: account.identity, name: account.name }));
    return { budget, plan, lines, idOf: (ref) => ids.get(ref) ?? '' };
  }

  /**
   * Ends the old budget's money from `changeOn`: drops its instalments from that day (those not paid
   * or in a run), returns what it no longer needs to the pot, and says what the family was already
   * paid for days from the change (to take off the new schedule's first payments).
   */
  /** The old budget's schedule, its instalments, and the numbers a payment has taken (paid, or in a run). */
  async function oldInstalments(schedules: PaymentSchedulesRepository, budgetId: string) {
    const schedule = await schedules.scheduleOfBudget(budgetId);
    const instalments = schedule === undefined ? [] : await schedules.instalments(schedule.id);
    const taken = new Set<number>();
    if (schedule !== undefined) {
      const posted = await schedules.postedKeys(instalments.map((i) => paymentKey(schedule.id, i.number)));
      for (const i of instalments) if (posted.has(paymentKey(schedule.id, i.number))) taken.add(i.number);
      for (const n of await schedules.instalmentsInRuns(schedule.id)) taken.add(n);
    }
    return { schedule, instalments, taken };
  }

  async function closeOutOld(tx: TenantTx, councilId: string, schedules: PaymentSchedulesRepository, old: BoundPlan, changeOn: string) {
    const { schedule, instalments, taken } = await oldInstalments(schedules, old.budget.id);
    const result = closeOut(old.budget, changeOn, instalments, taken);
    if (schedule !== undefined) {
      await schedules.deleteInstalments(schedule.id, result.drop);
      await schedules.endSchedule(schedule.id);
    }
    const release = releaseTransaction({ id: old.budget.id, lines: old.lines }, changeOn, result.release, old.idOf);
    return { release, overlap: result.overlap };
  }

  return {
    /**
     * Puts an agreed personal budget on the ledger, inside the caller's council transaction. With
     * `supersedes` (the person's budget this one replaces) the old budget is closed out from the new
     * one's first day. Safe to run again for the same budget: the accounts are found, the
     * transactions replayed, the schedule kept. Throws when the ledger refuses (a programming error:
     * nothing is half done, the caller's transaction rolls back).
     */
    async setUpWithin(tx: TenantTx, councilId: string, personalBudgetId: string, recordedBy: string | null, options: { supersedes?: string } = {}): Promise<SetUpResult> {
      const schedules = paymentSchedulesRepository(tx);
      const settings = await moneySettingsRepository(tx).get(councilId);
      const { budget, plan, idOf } = await boundPlan(tx, councilId, schedules, personalBudgetId, settings);

      let release: TransactionInput | null = null;
      let overlap: { streamId: string; pence: bigint }[] = [];
      if (options.supersedes !== undefined) {
        const old = await boundPlan(tx, councilId, schedules, options.supersedes, settings);
        if (budget.startsOn >= old.budget.startsOn && budget.startsOn <= old.budget.endsOn) {
          const closed = await closeOutOld(tx, councilId, schedules, old, budget.startsOn);
          release = closed.release;
          overlap = [...closed.overlap];
        } else {
          // A new budget after the old one ends leaves the old one's instalments to be paid (they are
          // owed); one that starts before the old one began replaces it all, so what no payment has
          // taken is removed (else those days would be paid twice).
          const { schedule: oldSchedule, instalments, taken } = await oldInstalments(schedules, old.budget.id);
          if (oldSchedule !== undefined) {
            if (budget.startsOn < old.budget.startsOn) await schedules.deleteInstalments(oldSchedule.id, instalments.filter((i) => !taken.has(i.number)).map((i) => i.number));
            await schedules.endSchedule(oldSchedule.id);
          }
        }
      }

      const inputs = [...bindAccounts(plan, idOf), ...(release === null ? [] : [release])];
      const results = await deps.ledger.postWithin(tx, councilId, inputs, recordedBy);
      const transactionIds = results.map((result, i) => {
        if (!result.ok) throw new Error(`The ledger refused the set-up of budget ${budget.id} (${inputs[i]?.idempotencyKey}): ${result.reason}`);
        return result.transactionId;
      });

      const schedule = bindSchedule(plan, idOf);
      if (schedule === null) return { scheduleId: null, transactionIds };
      if ((await schedules.scheduleOfBudget(budget.id)) === undefined) {
        await schedules.insertSchedule({
          id: schedule.id,
          councilId,
          personId: schedule.personId,
          personalBudgetId: budget.id,
          holderAccountId: schedule.holderAccountId,
          frequency: settings.paymentFrequency,
          budgetAccounts: schedule.budgetAccountIdByStream,
          createdAt: deps.clock.now(),
        });
        await schedules.insertInstalments(councilId, schedule.id, netOverlap(schedule.instalments, overlap));
      }
      return { scheduleId: schedule.id, transactionIds };
    },
  };
}

export type BudgetSetUpServices = ReturnType<typeof budgetSetUpServices>;
