/**
 * The difference between two versions of a plan, by section, in plain English: every field or list
 * entry added, removed or changed, with money formatted. Outcomes and items are matched by id, so a
 * changed item shows as changed, not as one removed and one added.
 */
import { STREAM_LABELS } from '../allocation/model.ts';
import { formatPence } from '../money/money.ts';
import { MANAGEMENT_LABELS } from '../people/people.ts';
import type { PlanContent, PlanOutcome, SupportItem } from './content.ts';
import { itemAnnualPence } from './costs.ts';
import { FREQUENCY_LABELS, MONEY_MANAGER_LABELS, OUTCOME_AREA_LABELS, formatQuantity, itemSummary } from './labels.ts';

export type PlanSection = 'profile' | 'outcomes' | 'support' | 'contingency' | 'risks' | 'money' | 'over-budget';

export interface PlanChange {
  readonly section: PlanSection;
  readonly label: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before: string | null;
  readonly after: string | null;
}

export const SECTION_LABELS: Readonly<Record<PlanSection, string>> = {
  profile: 'About me',
  outcomes: 'Outcomes',
  support: 'Support',
  contingency: 'Contingency',
  risks: 'Risks and how I keep safe',
  money: 'Who manages the money',
  'over-budget': 'Why the plan costs more than the indicative budget',
};

function text(section: PlanSection, label: string, before: string, after: string, out: PlanChange[]): void {
  if (before === after) return;
  const kind = before === '' ? 'added' : after === '' ? 'removed' : 'changed';
  out.push({ section, label, kind, before: before === '' ? null : before, after: after === '' ? null : after });
}

function outcomeText(o: PlanOutcome): string {
  return `${OUTCOME_AREA_LABELS[o.area]}: ${o.description} by ${o.byWhen}. We will know because: ${o.measure}`;
}

function itemFields(item: SupportItem, outcomeNames: ReadonlyMap<string, string>): [string, string][] {
  return [
    ['what the support is', item.description],
    ['provider', item.provider],
    ['cost of each unit', formatPence(item.unitCostPence)],
    ['quantity', formatQuantity(item.quantity)],
    ['how often', FREQUENCY_LABELS[item.frequency]],
    ['funding stream', STREAM_LABELS[item.stream]],
    ['how the money is managed', MANAGEMENT_LABELS[item.management]],
    ['outcomes it serves', item.outcomeIds.map((id) => outcomeNames.get(id) ?? id).join('; ')],
    ['pays a personal assistant', item.paysPersonalAssistant ? 'Yes' : 'No'],
    ['cost a year', formatPence(itemAnnualPence(item))],
  ];
}

export function diffContents(before: PlanContent, after: PlanContent): PlanChange[] {
  const out: PlanChange[] = [];
  const b = before.profile;
  const a = after.profile;
  text('profile', 'What people like and admire about me', b.likeAndAdmire, a.likeAndAdmire, out);
  text('profile', 'What is important to me', b.importantToMe, a.importantToMe, out);
  text('profile', 'How best to support me', b.howToSupportMe, a.howToSupportMe, out);
  text('profile', 'I statements', b.iStatements.join('\n'), a.iStatements.join('\n'), out);

  const beforeOutcomes = new Map(before.outcomes.map((o) => [o.id, o]));
  const afterOutcomes = new Map(after.outcomes.map((o) => [o.id, o]));
  for (const o of before.outcomes) {
    if (!afterOutcomes.has(o.id)) out.push({ section: 'outcomes', label: `Outcome "${o.description}"`, kind: 'removed', before: outcomeText(o), after: null });
  }
  for (const o of after.outcomes) {
    const old = beforeOutcomes.get(o.id);
    if (old === undefined) out.push({ section: 'outcomes', label: `Outcome "${o.description}"`, kind: 'added', before: null, after: outcomeText(o) });
    else if (outcomeText(old) !== outcomeText(o)) {
      out.push({ section: 'outcomes', label: `Outcome "${o.description}"`, kind: 'changed', before: outcomeText(old), after: outcomeText(o) });
    }
  }

  const outcomeNames = new Map([...before.outcomes, ...after.outcomes].map((o) => [o.id, o.description]));
  const beforeItems = new Map(before.items.map((i) => [i.id, i]));
  const afterItems = new Map(after.items.map((i) => [i.id, i]));
  const whole = (item: SupportItem): string => `${itemSummary(item)}: ${formatPence(itemAnnualPence(item))} a year`;
  for (const item of before.items) {
    if (!afterItems.has(item.id)) out.push({ section: 'support', label: `Support item "${itemSummary(item)}"`, kind: 'removed', before: whole(item), after: null });
  }
  for (const item of after.items) {
    const old = beforeItems.get(item.id);
    if (old === undefined) {
      out.push({ section: 'support', label: `Support item "${itemSummary(item)}"`, kind: 'added', before: null, after: whole(item) });
      continue;
    }
    const oldFields = itemFields(old, outcomeNames);
    const newFields = itemFields(item, outcomeNames);
    newFields.forEach(([name, value], index) => {
      const was = oldFields[index]?.[1] ?? '';
      if (was !== value) {
        out.push({ section: 'support', label: `Support item "${itemSummary(item)}": ${name}`, kind: 'changed', before: was === '' ? null : was, after: value === '' ? null : value });
      }
    });
  }

  if (before.contingency.amountPence !== after.contingency.amountPence) {
    out.push({
      section: 'contingency',
      label: 'Contingency amount',
      kind: 'changed',
      before: formatPence(before.contingency.amountPence),
      after: formatPence(after.contingency.amountPence),
    });
  }
  text('contingency', 'What the contingency is for', before.contingency.purpose, after.contingency.purpose, out);
  text('risks', 'Risks and how I keep safe', before.risks, after.risks, out);
  text('money', 'Who manages the direct payment', MONEY_MANAGER_LABELS[before.moneyManager.kind], MONEY_MANAGER_LABELS[after.moneyManager.kind], out);
  text('money', 'Name of the person managing the direct payment', before.moneyManager.name, after.moneyManager.name, out);
  text('over-budget', 'Why the plan costs more than the indicative budget', before.overBudgetReason, after.overBudgetReason, out);
  return out;
}
