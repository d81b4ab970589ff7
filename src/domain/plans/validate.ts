/**
 * What makes plan content acceptable, as GOV.UK error messages by path ('items.2.unitCost',
 * 'outcomes.0.byWhen', 'overBudgetReason'). Pure: the service decides which errors stop a save
 * (those of the section being saved) and sign-off decides which stop a submission (all of them).
 */
import { STREAM_CODES, type StreamCode } from '../allocation/model.ts';
import type { Pence } from '../money/money.ts';
import type { PlanContent } from './content.ts';
import { planTotals } from './costs.ts';

export interface PlanProblem {
  readonly path: string;
  readonly message: string;
}

export const LIMITS = {
  profileText: 4000,
  iStatement: 500,
  iStatements: 30,
  outcomeDescription: 500,
  measure: 1000,
  outcomes: 50,
  itemDescription: 500,
  provider: 200,
  items: 100,
  contingencyPurpose: 1000,
  risks: 4000,
  moneyManagerName: 200,
  overBudgetReason: 4000,
} as const;

export interface ValidateOptions {
  /** The streams the council funds; any known stream when not given. */
  readonly fundedStreams?: readonly StreamCode[];
}

/** A real calendar date 'YYYY-MM-DD' between 2000 and 2099 (anything else is a typing slip). */
export function isReasonableDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** At most two decimal places, checked on the number as typed would round-trip. */
export function hasAtMostTwoDecimals(quantity: number): boolean {
  return Number.isFinite(quantity) && Math.abs(Math.round(quantity * 100) - quantity * 100) < 1e-6;
}

function tooLong(problems: PlanProblem[], path: string, value: string, max: number, what: string): void {
  if (value.length > max) problems.push({ path, message: `${what} must be ${max} characters or fewer` });
}

export function validatePlanContent(
  content: PlanContent,
  indicative: Readonly<Partial<Record<StreamCode, Pence>>>,
  options: ValidateOptions = {},
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const funded: readonly StreamCode[] = options.fundedStreams ?? STREAM_CODES;

  const p = content.profile;
  tooLong(problems, 'profile.likeAndAdmire', p.likeAndAdmire, LIMITS.profileText, 'What people like and admire about me');
  tooLong(problems, 'profile.importantToMe', p.importantToMe, LIMITS.profileText, 'What is important to me');
  tooLong(problems, 'profile.howToSupportMe', p.howToSupportMe, LIMITS.profileText, 'How best to support me');
  if (p.iStatements.length > LIMITS.iStatements) {
    problems.push({ path: 'profile.iStatements', message: `Write ${LIMITS.iStatements} I statements or fewer` });
  } else if (p.iStatements.some((s) => s.length > LIMITS.iStatement)) {
    problems.push({ path: 'profile.iStatements', message: `Each I statement must be ${LIMITS.iStatement} characters or fewer` });
  }

  if (content.outcomes.length > LIMITS.outcomes) {
    problems.push({ path: 'outcomes', message: `A plan can have ${LIMITS.outcomes} outcomes or fewer` });
  }
  const outcomeIds = new Set<string>();
  content.outcomes.forEach((o, i) => {
    outcomeIds.add(o.id);
    const at = `outcomes.${i}`;
    if (o.description.trim() === '') problems.push({ path: `${at}.description`, message: 'Enter what the outcome is' });
    tooLong(problems, `${at}.description`, o.description, LIMITS.outcomeDescription, 'The outcome');
    if (o.byWhen.trim() === '') problems.push({ path: `${at}.byWhen`, message: 'Enter the date the outcome should be achieved by' });
    else if (!isReasonableDate(o.byWhen)) problems.push({ path: `${at}.byWhen`, message: 'The date the outcome should be achieved by must be a real date' });
    if (o.measure.trim() === '') problems.push({ path: `${at}.measure`, message: 'Enter how we will know the outcome has been achieved' });
    tooLong(problems, `${at}.measure`, o.measure, LIMITS.measure, 'How we will know');
  });

  if (content.items.length > LIMITS.items) {
    problems.push({ path: 'items', message: `A plan can have ${LIMITS.items} support items or fewer` });
  }
  let anyDirectPayment = false;
  content.items.forEach((item, i) => {
    const at = `items.${i}`;
    if (item.description.trim() === '') problems.push({ path: `${at}.description`, message: 'Enter what the support is' });
    tooLong(problems, `${at}.description`, item.description, LIMITS.itemDescription, 'What the support is');
    tooLong(problems, `${at}.provider`, item.provider, LIMITS.provider, 'The provider');
    if (item.unitCostPence < 0n) problems.push({ path: `${at}.unitCost`, message: 'The cost of each unit must be £0 or more' });
    if (!Number.isFinite(item.quantity) || item.quantity <= 0) {
      problems.push({ path: `${at}.quantity`, message: 'The quantity must be more than 0' });
    } else if (!hasAtMostTwoDecimals(item.quantity)) {
      problems.push({ path: `${at}.quantity`, message: 'The quantity must have no more than 2 decimal places' });
    } else if (item.quantity > 10000) {
      problems.push({ path: `${at}.quantity`, message: 'The quantity must be 10,000 or less' });
    }
    if ((item.stream as string) === '' || !STREAM_CODES.includes(item.stream)) {
      problems.push({ path: `${at}.stream`, message: 'Select which funding stream pays for the support' });
    } else if (!funded.includes(item.stream)) {
      problems.push({ path: `${at}.stream`, message: 'Select a funding stream the council funds' });
    }
    if ((item.management as string) === '' || !['direct_payment', 'individual_service_fund', 'council_managed'].includes(item.management)) {
      problems.push({ path: `${at}.management`, message: 'Select how the money for the support is managed' });
    }
    const unknown = item.outcomeIds.filter((id) => !outcomeIds.has(id));
    if (unknown.length > 0) problems.push({ path: `${at}.outcomeIds`, message: 'Select only outcomes that are in the plan' });
    if (item.paysPersonalAssistant && item.management !== 'direct_payment') {
      problems.push({ path: `${at}.paysPersonalAssistant`, message: 'A personal assistant can only be paid by direct payment' });
    }
    if (item.management === 'direct_payment') anyDirectPayment = true;
  });

  if (content.contingency.amountPence < 0n) problems.push({ path: 'contingency.amount', message: 'The contingency must be £0 or more' });
  tooLong(problems, 'contingency.purpose', content.contingency.purpose, LIMITS.contingencyPurpose, 'What the contingency is for');
  if (content.contingency.amountPence > 0n && content.contingency.purpose.trim() === '') {
    problems.push({ path: 'contingency.purpose', message: 'Enter what the contingency is for' });
  }

  tooLong(problems, 'risks', content.risks, LIMITS.risks, 'Risks and how I keep safe');

  const mm = content.moneyManager;
  if (anyDirectPayment && mm.kind === 'not_applicable') {
    problems.push({ path: 'moneyManager.kind', message: 'Select who will manage the direct payment' });
  }
  if ((mm.kind === 'nominee' || mm.kind === 'suitable_person' || mm.kind === 'parent_carer') && mm.name.trim() === '') {
    problems.push({ path: 'moneyManager.name', message: 'Enter the name of the person who will manage the direct payment' });
  }
  tooLong(problems, 'moneyManager.name', mm.name, LIMITS.moneyManagerName, 'The name');

  tooLong(problems, 'overBudgetReason', content.overBudgetReason, LIMITS.overBudgetReason, 'The reason');
  if (planTotals(content, indicative).overBudget && content.overBudgetReason.trim() === '') {
    problems.push({ path: 'overBudgetReason', message: 'Explain why the plan costs more than the indicative budget' });
  }
  return problems;
}
