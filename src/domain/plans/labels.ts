/** Plain-English labels for plan content, shared by the pages, the difference and the PDF. */
import type { Frequency, MoneyManagerKind, OutcomeArea, SupportItem } from './content.ts';
import { formatPence } from '../money/money.ts';

export const OUTCOME_AREA_LABELS: Readonly<Record<OutcomeArea, string>> = {
  education: 'Education',
  health: 'Health',
  care: 'Care',
  preparing_for_adulthood: 'Preparing for adulthood',
};

export const FREQUENCY_LABELS: Readonly<Record<Frequency, string>> = {
  once: 'Once',
  weekly: 'Every week',
  fortnightly: 'Every 2 weeks',
  four_weekly: 'Every 4 weeks',
  monthly: 'Every month',
  termly: 'Every term',
  yearly: 'Every year',
};

/** "a week", for "6 hours a week". */
export const FREQUENCY_SHORT: Readonly<Record<Frequency, string>> = {
  once: 'once',
  weekly: 'a week',
  fortnightly: 'a fortnight',
  four_weekly: 'every 4 weeks',
  monthly: 'a month',
  termly: 'a term',
  yearly: 'a year',
};

export const MONEY_MANAGER_LABELS: Readonly<Record<MoneyManagerKind, string>> = {
  person: 'The person themselves',
  parent_carer: 'A parent carer',
  nominee: 'A nominee',
  suitable_person: 'A suitable person (the person lacks capacity)',
  not_applicable: 'No direct payment',
};

/** A quantity as typed: 6, 2.5, 0.75. */
export function formatQuantity(quantity: number): string {
  return (Math.round(quantity * 100) / 100).toString();
}

/** "Personal assistant, 6 a week at £15.50 each". */
export function itemSummary(item: SupportItem): string {
  return `${item.description}, ${formatQuantity(item.quantity)} ${FREQUENCY_SHORT[item.frequency]} at ${formatPence(item.unitCostPence)} each`;
}
