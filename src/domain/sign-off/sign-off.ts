/**
 * Sign-off within delegated limits, refusing or withholding a direct payment, and DBS checks for
 * personal assistants (issue 5). Pure rules: no I/O, no clock.
 */
import { formatPence, type Pence } from '../money/money.ts';
import type { PlanContent, SupportItem } from '../plans/content.ts';

export type Decision<R = string> = { readonly ok: true } | { readonly ok: false; readonly reason: R };

/**
 * May this approver decide this plan? Never its author; never above their own limit; an approver
 * without a limit cannot approve plans at all.
 */
export function approverMayDecide(input: {
  readonly approverId: string;
  readonly limitPence: Pence | null;
  readonly authorId: string;
  readonly totalPence: Pence;
}): Decision {
  if (input.approverId === input.authorId) {
    return { ok: false, reason: 'You wrote this plan: another approver must sign it off' };
  }
  if (input.limitPence === null) {
    return { ok: false, reason: 'You do not have a delegated limit for signing off plans: ask an administrator to set one' };
  }
  if (input.totalPence > input.limitPence) {
    return {
      ok: false,
      reason: `This plan costs ${formatPence(input.totalPence)} a year, above your limit of ${formatPence(input.limitPence)}: it needs an approver with a higher limit or the panel`,
    };
  }
  return { ok: true };
}

export interface ApprovalTier {
  readonly name: string;
  readonly upToPence: Pence;
}

/** The lowest tier whose limit covers the total, or 'panel' above the highest (or when there are no tiers). */
export function routeFor(totalPence: Pence, tiers: readonly ApprovalTier[]): ApprovalTier | 'panel' {
  const sorted = [...tiers].sort((a, b) => (a.upToPence < b.upToPence ? -1 : a.upToPence > b.upToPence ? 1 : 0));
  return sorted.find((tier) => totalPence <= tier.upToPence) ?? 'panel';
}

/**
 * A plan goes to the panel when its total is above every approver's limit in the council (and, when
 * tiers are set up, above the highest tier). No approvers with limits: everything goes to panel.
 */
export function needsPanel(totalPence: Pence, approverLimits: readonly (Pence | null)[], tiers: readonly ApprovalTier[]): boolean {
  const aboveEveryApprover = approverLimits.every((limit) => limit === null || totalPence > limit);
  const aboveTiers = tiers.length === 0 || routeFor(totalPence, tiers) === 'panel';
  return aboveEveryApprover && aboveTiers;
}

/** Tiers as typed on the admin page: names and limits, strictly increasing, at least one. */
export function tierProblems(tiers: readonly { readonly name: string; readonly upToPence: Pence | null }[]): { index: number; field: 'name' | 'upTo' | 'all'; message: string }[] {
  const problems: { index: number; field: 'name' | 'upTo' | 'all'; message: string }[] = [];
  if (tiers.length === 0) problems.push({ index: 0, field: 'all', message: 'Enter at least one tier' });
  let previous: Pence | null = null;
  tiers.forEach((tier, index) => {
    const name = tier.name.trim();
    if (name === '') problems.push({ index, field: 'name', message: `Enter a name for tier ${index + 1}` });
    else if (name.length > 100) problems.push({ index, field: 'name', message: `The name of tier ${index + 1} must be 100 characters or fewer` });
    if (tier.upToPence === null) {
      problems.push({ index, field: 'upTo', message: `Enter the limit of tier ${index + 1} in pounds, like 5000` });
    } else if (tier.upToPence <= 0n) {
      problems.push({ index, field: 'upTo', message: `The limit of tier ${index + 1} must be more than £0` });
    } else {
      if (previous !== null && tier.upToPence <= previous) {
        problems.push({ index, field: 'upTo', message: `The limit of tier ${index + 1} must be more than the limit of tier ${index}` });
      }
      previous = tier.upToPence;
    }
  });
  return problems;
}

export const REFUSAL_CATEGORIES = ['safeguarding', 'consent', 'capacity', 'efficient_use_of_resources', 'no_head_teacher_agreement'] as const;
export type RefusalCategory = (typeof REFUSAL_CATEGORIES)[number];
export type RefusalOutcome = 'refused' | 'withheld';

export const REFUSAL_CATEGORY_LABELS: Readonly<Record<RefusalCategory, string>> = {
  safeguarding: 'To keep the person safe (safeguarding)',
  consent: 'The person has not agreed to a direct payment (consent)',
  capacity: 'The person cannot manage a direct payment, even with help (capacity)',
  efficient_use_of_resources: 'A direct payment would not be an efficient use of the council’s resources',
  no_head_teacher_agreement: 'The head teacher has not agreed to support in school paid by a direct payment',
};

export function isRefusalCategory(value: string): value is RefusalCategory {
  return (REFUSAL_CATEGORIES as readonly string[]).includes(value);
}

export interface NoticeInput {
  readonly outcome: RefusalOutcome;
  readonly category: RefusalCategory;
  readonly reasons: string;
  readonly decidedOn: string;
  readonly personName: string;
  /** The direct payment items the decision covers, by description. */
  readonly items: readonly { readonly description: string; readonly annualPence: Pence }[];
  /** True when the plan pays for special educational provision (the SEN direct payment rules apply). */
  readonly sen: boolean;
}

export interface NoticeText {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly items: readonly string[];
  readonly reviewHeading: string;
  readonly review: readonly string[];
}

/**
 * The written notice of a refused or withheld direct payment: what, why (category and reasons) and
 * the right to ask the council to look at it again. Accurate to DOMAIN.md: refusing needs written
 * reasons and an offer of review; a payment withheld on consent or capacity grounds may go to a
 * nominee or suitable person instead.
 */
export function noticeText(input: NoticeInput): NoticeText {
  const verb = input.outcome === 'refused' ? 'refused' : 'withheld';
  const title = input.outcome === 'refused' ? 'We have refused a direct payment' : 'We have withheld a direct payment';
  const paragraphs: string[] = [
    `On ${input.decidedOn} the council ${verb} a direct payment for ${input.personName}.`,
    `Reason: ${REFUSAL_CATEGORY_LABELS[input.category]}.`,
    `Why we decided this: ${input.reasons}`,
    'The support in the plan is not cut by this decision: the council will arrange it in another way, such as an individual service fund or a council-managed budget.',
  ];
  if (input.outcome === 'withheld' && (input.category === 'consent' || input.category === 'capacity')) {
    paragraphs.push('The direct payment may instead be paid to a nominee or a suitable person who manages it on the person’s behalf. Tell your caseworker if there is someone who could do this.');
  }
  const items = input.items.map((item) => `${item.description} (${formatPence(item.annualPence)} a year)`);
  const review = [
    'You have the right to ask the council to review this decision. Tell your caseworker, or write to the council, saying why you think the decision is wrong and anything we did not know.',
    'Please ask within 28 days of the date of this notice. The council will look at the decision again, with someone who did not make it, and write to you with the outcome and the reasons.',
    input.sen
      ? 'For special educational provision the council must consider your request and tell you the outcome in writing. You can also get free, impartial advice from your local SEND information, advice and support service (SENDIASS).'
      : 'If you are still unhappy after the review, you can complain to the council and then to the Local Government and Social Care Ombudsman.',
  ];
  return { title, paragraphs, items, reviewHeading: 'If you disagree', review };
}

export interface DbsRecord {
  readonly itemId: string;
  readonly kind: 'check' | 'exception';
}

/** The personal-assistant direct-payment items with neither a DBS check nor an agreed exception. */
export function dbsProblems(content: PlanContent, checks: readonly DbsRecord[]): SupportItem[] {
  const covered = new Set(checks.map((c) => c.itemId));
  return content.items.filter((item) => item.management === 'direct_payment' && item.paysPersonalAssistant && !covered.has(item.id));
}

/** Items that pay a personal assistant from a direct payment (the ones needing a DBS check). */
export function personalAssistantItems(content: PlanContent): SupportItem[] {
  return content.items.filter((item) => item.management === 'direct_payment' && item.paysPersonalAssistant);
}

/** A DBS certificate number is 12 digits. */
export function isCertificateNumber(value: string): boolean {
  return /^[0-9]{12}$/.test(value);
}

/** The last day of a 12-month period starting on `startsOn` ('YYYY-MM-DD'): a year later less a day. */
export function periodEnd(startsOn: string): string {
  const [y, m, d] = startsOn.split('-').map(Number) as [number, number, number];
  // A year later (29 February → 28 February, or 1 March less a day = 28/29 Feb), less a day.
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0); // 29 Feb in a non-leap year rolls to 1 March: back to 28 Feb
  else next.setUTCDate(next.getUTCDate() - 1);
  return next.toISOString().slice(0, 10);
}
