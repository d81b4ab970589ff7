/**
 * Budget set-up (issue 6): when a plan is agreed, its personal budget is put on the ledger in the
 * same council transaction as the agreement, so there is never an agreed budget without its money or
 * money without its agreed budget. The rules are in src/domain/payments/set-up.ts; this finds or
 * opens the accounts they plan, posts the transactions under their stable keys and stores the
 * direct payment schedule with its instalments.
 *
 * Individual service funds: a plan names its providers as text (the Local Offer issue will link them).
 * An ISF line goes to a provider's account when every ISF item of that stream names the same provider
 * and that name is a provider of the council (compared trimmed, ignoring case); otherwise the money
 * stays on the budget line until finance passes it on: money is never sent to a guessed provider.
 */
import type { Clock } from '../clock.ts';
import type { TenantTx } from '../db/tenancy.ts';
import { moneySettingsRepository } from '../db/repositories/money-settings.ts';
import { paymentSchedulesRepository } from '../db/repositories/payment-schedules.ts';
import { contentFromJson } from '../domain/plans/json.ts';
import { bindAccounts, bindSchedule, budgetSetUp, type AgreedBudgetLine } from '../domain/payments/set-up.ts';
import type { LedgerServices } from './ledger.ts';

export interface SetUpResult {
  readonly scheduleId: string | null;
  readonly transactionIds: readonly string[];
}

export function budgetSetUpServices(deps: { ledger: LedgerServices; clock: Clock }) {
  return {
    /**
     * Puts an agreed personal budget on the ledger, inside the caller's council transaction. Safe to
     * run again for the same budget: the accounts are found, the transactions replayed, the schedule
     * kept. Throws when the ledger refuses (a programming error: nothing is half done, the caller's
     * transaction rolls back).
     */
    async setUpWithin(tx: TenantTx, councilId: string, personalBudgetId: string, recordedBy: string | null): Promise<SetUpResult> {
      const schedules = paymentSchedulesRepository(tx);
      const budget = await schedules.budgetForSetUp(personalBudgetId);
      if (budget === undefined) throw new Error(`No personal budget ${personalBudgetId} to set up`);
      const content = contentFromJson(budget.content);
      const settings = await moneySettingsRepository(tx).get(councilId);

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
      for (const account of plan.accounts) {
        ids.set(account.ref, await deps.ledger.accountWithin(tx, councilId, { identity: account.identity, name: account.name }));
      }
      const idOf = (ref: string): string => ids.get(ref) ?? '';
      const results = await deps.ledger.postWithin(tx, councilId, bindAccounts(plan, idOf), recordedBy);
      const transactionIds = results.map((result, i) => {
        if (!result.ok) throw new Error(`The ledger refused the set-up of budget ${budget.id} (${plan.transactions[i]?.idempotencyKey}): ${result.reason}`);
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
        await schedules.insertInstalments(councilId, schedule.id, schedule.instalments);
      }
      return { scheduleId: schedule.id, transactionIds };
    },
  };
}

export type BudgetSetUpServices = ReturnType<typeof budgetSetUpServices>;
