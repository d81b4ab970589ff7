/**
 * The words of an allocation's explanation: plain English, every figure with its arithmetic.
 * Amounts use formatPence ("£2,720.00", "−£272.00"); rounding units use formatPenceShort ("£10").
 */
import { formatPence, formatPenceShort, type Pence } from '../money/money.ts';
import type { AgeReduction, Band, RoundingMode, TransitionRule } from './model.ts';

export function pointsWord(points: number): string {
  return `${points} ${points === 1 ? 'point' : 'points'}`;
}

/** "+£2.80", "−£272.00", "£0.00": a change, always signed unless zero. */
export function signedPence(pence: Pence): string {
  return pence > 0n ? `+${formatPence(pence)}` : formatPence(pence);
}

export function answerText(questionTitle: string, levelLabel: string, points: number): string {
  return `${questionTitle} — ${levelLabel}: ${pointsWord(points)}`;
}

export function pricePerPointText(points: number, pricePerPointPence: Pence, amount: Pence): string {
  return `${pointsWord(points)} × ${formatPence(pricePerPointPence)} = ${formatPence(amount)}`;
}

export function bandRangeWords(band: Band): string {
  return band.toPoints === null ? `${pointsWord(band.fromPoints)} or more` : `${band.fromPoints} to ${pointsWord(band.toPoints)}`;
}

export function bandText(points: number, band: Band): string {
  return `${pointsWord(points)} is in the band "${band.name}" (${bandRangeWords(band)}): ${formatPence(band.annualPence)}`;
}

export function ageReductionText(age: number, reduction: AgeReduction, of: Pence, amount: Pence): string {
  return `Age adjustment, age ${age}: −${reduction.percent}% of ${formatPence(of)} = ${signedPence(amount)}. ${reduction.reason}`;
}

export function informalSupportText(questionTitle: string, levelLabel: string, percent: number, of: Pence, amount: Pence): string {
  return `Deduction for unpaid help (${questionTitle}: ${levelLabel}): −${percent}% of ${formatPence(of)} = ${signedPence(amount)}`;
}

export function roundingText(mode: RoundingMode, unit: Pence, amount: Pence): string {
  const unitText = formatPenceShort(unit);
  const how = mode === 'nearest' ? `Rounded to the nearest ${unitText}` : mode === 'up' ? `Rounded up to the next ${unitText}` : `Rounded down to the ${unitText} below`;
  return `${how}: ${signedPence(amount)}`;
}

export function minimumText(minimum: Pence, amount: Pence): string {
  return `Raised to the minimum budget of ${formatPence(minimum)}: ${signedPence(amount)}`;
}

export function capText(cap: Pence, amount: Pence): string {
  return `Capped at ${formatPence(cap)}: ${signedPence(amount)}. A budget above the cap goes to the exceptional cases panel, which decides the amount.`;
}

export function differenceWords(difference: Pence): string {
  if (difference === 0n) return 'the same as';
  const abs = difference < 0n ? -difference : difference;
  return `${formatPence(abs)} ${difference < 0n ? 'less than' : 'more than'}`;
}

/** Sets out the comparison with the current package, and the protection if it applies. */
export function transitionText(current: Pence, allocation: Pence, rule: TransitionRule | null, limit: Pence | null, firstYear: Pence): string {
  const compared = `The new budget of ${formatPence(allocation)} is ${differenceWords(allocation - current)} the current package of ${formatPence(current)}.`;
  if (rule === null) return compared;
  const which = rule.appliesTo === 'decreases' ? 'a reduction' : 'a change';
  const ruleWords = `In the first year ${which} is limited to ${rule.maxChangePercentFirstYear}% of the current package (${formatPence(limit ?? 0n)})`;
  if (firstYear === allocation) return `${compared} ${ruleWords}, so the new budget applies in full.`;
  return `${compared} ${ruleWords}, so the budget for the first year is ${formatPence(firstYear)}: ${signedPence(firstYear - allocation)}.`;
}

export function rangeText(low: Pence, high: Pence, percent: number): string {
  return percent === 0 ? `exactly ${formatPence(low)}` : `between ${formatPence(low)} and ${formatPence(high)} (plus or minus ${percent}%)`;
}
