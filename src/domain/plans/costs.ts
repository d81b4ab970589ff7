/**
 * What a plan costs a year: exact integer arithmetic on pence. A quantity has at most two decimal
 * places, so it is taken as hundredths (an integer); the product is rounded half up to whole pence
 * once, at the end. 52 weeks a year, not 52.14 (see docs/decisions/0014-support-plans.md).
 */
import { STREAM_CODES, type StreamCode } from '../allocation/model.ts';
import type { Pence } from '../money/money.ts';
import type { Management } from '../people/people.ts';
import type { Frequency, PlanContent, SupportItem } from './content.ts';
import { MANAGEMENTS } from './json.ts';

const TIMES_PER_YEAR: Readonly<Record<Frequency, number>> = {
  once: 1,
  weekly: 52,
  fortnightly: 26,
  four_weekly: 13,
  monthly: 12,
  termly: 3,
  yearly: 1,
};

export function timesPerYear(frequency: Frequency): number {
  return TIMES_PER_YEAR[frequency];
}

/** The quantity in hundredths: 2.5 → 250. Rounds away float noise (2.675 * 100 = 267.49999...). */
export function quantityHundredths(quantity: number): bigint {
  // An invalid quantity (NaN, infinite) costs nothing here; validation refuses it.
  return Number.isFinite(quantity) ? BigInt(Math.round(quantity * 100)) : 0n;
}

/** Unit cost × quantity × times a year, rounded half up to whole pence once. Never negative for valid items. */
export function itemAnnualPence(item: SupportItem): Pence {
  const hundredths = quantityHundredths(item.quantity) * item.unitCostPence * BigInt(timesPerYear(item.frequency));
  // Half up (away from zero, so an invalid negative item mirrors a positive one).
  return hundredths < 0n ? -((-hundredths + 50n) / 100n) : (hundredths + 50n) / 100n;
}

export interface PlanTotals {
  readonly items: readonly { readonly id: string; readonly annualPence: Pence }[];
  readonly byStream: readonly {
    readonly stream: StreamCode;
    readonly planPence: Pence;
    readonly indicativePence: Pence | null;
    /** 0n when within the indicative budget (or there is none). */
    readonly overBy: Pence;
  }[];
  readonly byStreamAndManagement: readonly { readonly stream: StreamCode; readonly management: Management; readonly annualPence: Pence }[];
  readonly contingencyPence: Pence;
  /** Items plus contingency. */
  readonly totalPence: Pence;
  readonly overBudget: boolean;
}

/**
 * Totals by item, by stream (against the indicative budget) and by stream and way of managing.
 * A stream appears when the plan uses it or the indicative budget names it, in the usual order.
 */
export function planTotals(content: PlanContent, indicative: Readonly<Partial<Record<StreamCode, Pence>>>): PlanTotals {
  const items = content.items.map((item) => ({ id: item.id, annualPence: itemAnnualPence(item) }));
  const streamSum = new Map<StreamCode, Pence>();
  const managementSum = new Map<string, Pence>();
  content.items.forEach((item, index) => {
    const cost = items[index]?.annualPence ?? 0n;
    streamSum.set(item.stream, (streamSum.get(item.stream) ?? 0n) + cost);
    const key = `${item.stream}|${item.management}`;
    managementSum.set(key, (managementSum.get(key) ?? 0n) + cost);
  });
  const byStream = STREAM_CODES.filter((s) => streamSum.has(s) || indicative[s] !== undefined).map((stream) => {
    const planPence = streamSum.get(stream) ?? 0n;
    const indicativePence = indicative[stream] ?? null;
    const overBy = indicativePence !== null && planPence > indicativePence ? planPence - indicativePence : 0n;
    return { stream, planPence, indicativePence, overBy };
  });
  const byStreamAndManagement: { stream: StreamCode; management: Management; annualPence: Pence }[] = [];
  for (const stream of STREAM_CODES) {
    for (const management of MANAGEMENTS) {
      const sum = managementSum.get(`${stream}|${management}`);
      if (sum !== undefined) byStreamAndManagement.push({ stream, management, annualPence: sum });
    }
  }
  const itemsTotal = items.reduce((sum, i) => sum + i.annualPence, 0n);
  const contingencyPence = content.contingency.amountPence;
  return {
    items,
    byStream,
    byStreamAndManagement,
    contingencyPence,
    totalPence: itemsTotal + contingencyPence,
    overBudget: byStream.some((s) => s.overBy > 0n),
  };
}
