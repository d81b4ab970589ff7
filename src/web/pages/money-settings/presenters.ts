/** The money settings page's view model. */
import type { MoneySettings } from '../../../db/repositories/money-settings.ts';
import { SPENDING_CATEGORIES } from '../../../domain/monitoring/categories.ts';
import { penceToDecimal } from '../../../domain/money/money.ts';
import { paths } from '../../paths.ts';

export interface SettingsValues {
  readonly paymentFrequency: string;
  readonly secondAuthoriserAbove: string;
  readonly surplusThresholdWeeks: string;
  readonly rolloverCarryPercent: string;
  readonly notPermittedCategories: readonly string[];
}

export function valuesOf(settings: MoneySettings): SettingsValues {
  return {
    paymentFrequency: settings.paymentFrequency,
    secondAuthoriserAbove: penceToDecimal(settings.secondAuthoriserAbovePence),
    surplusThresholdWeeks: String(settings.surplusThresholdWeeks),
    rolloverCarryPercent: String(settings.rolloverCarryPercent),
    notPermittedCategories: settings.notPermittedCategories,
  };
}

export function settingsModel(values: SettingsValues, errors: readonly { field: string; text: string }[], saved: boolean) {
  return {
    title: 'Money settings',
    saved,
    action: paths.monitoring.settings(),
    values,
    errors,
    frequencyItems: [
      { value: 'four_weekly', text: 'Every 4 weeks', checked: values.paymentFrequency === 'four_weekly' },
      { value: 'monthly', text: 'Every month', checked: values.paymentFrequency === 'monthly' },
    ],
    categoryItems: SPENDING_CATEGORIES.map((c) => ({ value: c.code, text: c.label, checked: values.notPermittedCategories.includes(c.code) })),
  };
}
