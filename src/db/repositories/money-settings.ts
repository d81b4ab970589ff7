/** A council's money settings (migration 0014): defaults until an administrator saves its own. */
import type { Kysely } from 'kysely';
import type { PaymentFrequencyColumn, Schema } from '../schema.ts';
import { DEFAULT_NOT_PERMITTED } from '../../domain/monitoring/categories.ts';
import { DEFAULT_SURPLUS_THRESHOLD_WEEKS } from '../../domain/monitoring/flags.ts';
import type { Pence } from '../../domain/money/money.ts';

export interface MoneySettings {
  readonly paymentFrequency: PaymentFrequencyColumn;
  /** A payment run with a total above this needs a second finance officer to authorise it. */
  readonly secondAuthoriserAbovePence: Pence;
  readonly surplusThresholdWeeks: number;
  readonly rolloverCarryPercent: number;
  readonly notPermittedCategories: readonly string[];
  /** False while the council uses the defaults. */
  readonly saved: boolean;
}

/**
 * The defaults: four-weekly payments (most councils pay direct payments every 4 weeks, in line with
 * care rotas); a second authoriser above £50,000 a run; surplus flagged above 8 weeks of payments
 * (DOMAIN.md); up to 10% of the year's direct payment carried forward at year end.
 */
export const DEFAULT_MONEY_SETTINGS: MoneySettings = {
  paymentFrequency: 'four_weekly',
  secondAuthoriserAbovePence: 5_000_000n,
  surplusThresholdWeeks: DEFAULT_SURPLUS_THRESHOLD_WEEKS,
  rolloverCarryPercent: 10,
  notPermittedCategories: DEFAULT_NOT_PERMITTED,
  saved: false,
};

export function moneySettingsRepository(db: Kysely<Schema>) {
  return {
    async get(councilId: string): Promise<MoneySettings> {
      const row = await db.selectFrom('council_money_settings').selectAll().where('council_id', '=', councilId).executeTakeFirst();
      if (row === undefined) return DEFAULT_MONEY_SETTINGS;
      return {
        paymentFrequency: row.payment_frequency,
        secondAuthoriserAbovePence: BigInt(row.second_authoriser_above_pence),
        surplusThresholdWeeks: row.surplus_threshold_weeks,
        rolloverCarryPercent: row.rollover_carry_percent,
        notPermittedCategories: row.not_permitted_categories,
        saved: true,
      };
    },

    async save(councilId: string, settings: Omit<MoneySettings, 'saved'>, now: Date): Promise<void> {
      const values = {
        payment_frequency: settings.paymentFrequency,
        second_authoriser_above_pence: settings.secondAuthoriserAbovePence,
        surplus_threshold_weeks: settings.surplusThresholdWeeks,
        rollover_carry_percent: settings.rolloverCarryPercent,
        not_permitted_categories: [...settings.notPermittedCategories],
        updated_at: now,
      };
      await db
        .insertInto('council_money_settings')
        .values({ council_id: councilId, ...values })
        .onConflict((oc) => oc.column('council_id').doUpdateSet(values))
        .execute();
    },
  };
}

export type MoneySettingsRepository = ReturnType<typeof moneySettingsRepository>;
