/**
 * Plan content to and from its stored JSON form (plan_versions.content): money as whole pence in
 * strings, because JSON has no bigint. Reading is strict: a stored document that does not have the
 * shape of PlanContent is a bug or a tampered row, so it throws rather than guessing.
 */
import { STREAM_CODES, type StreamCode } from '../allocation/model.ts';
import type { Management } from '../people/people.ts';
import type {
  Frequency,
  MoneyManagerKind,
  OutcomeArea,
  PlanContent,
  PlanOutcome,
  SupportItem,
} from './content.ts';

export const OUTCOME_AREAS = ['education', 'health', 'care', 'preparing_for_adulthood'] as const satisfies readonly OutcomeArea[];
export const FREQUENCIES = ['once', 'weekly', 'fortnightly', 'four_weekly', 'monthly', 'termly', 'yearly'] as const satisfies readonly Frequency[];
export const MANAGEMENTS = ['direct_payment', 'individual_service_fund', 'council_managed'] as const satisfies readonly Management[];
export const MONEY_MANAGER_KINDS = ['person', 'parent_carer', 'nominee', 'suitable_person', 'not_applicable'] as const satisfies readonly MoneyManagerKind[];

export const EMPTY_CONTENT: PlanContent = Object.freeze({
  profile: Object.freeze({ likeAndAdmire: '', importantToMe: '', howToSupportMe: '', iStatements: Object.freeze([]) }),
  outcomes: Object.freeze([]),
  items: Object.freeze([]),
  contingency: Object.freeze({ amountPence: 0n, purpose: '' }),
  risks: '',
  moneyManager: Object.freeze({ kind: 'not_applicable' as const, name: '' }),
  overBudgetReason: '',
});

/** The stored JSON text: money as whole-pence strings. */
export function contentToJson(content: PlanContent): string {
  return JSON.stringify({
    profile: {
      likeAndAdmire: content.profile.likeAndAdmire,
      importantToMe: content.profile.importantToMe,
      howToSupportMe: content.profile.howToSupportMe,
      iStatements: [...content.profile.iStatements],
    },
    outcomes: content.outcomes.map((o) => ({
      id: o.id,
      area: o.area,
      description: o.description,
      byWhen: o.byWhen,
      measure: o.measure,
    })),
    items: content.items.map((i) => ({
      id: i.id,
      description: i.description,
      provider: i.provider,
      unitCostPence: i.unitCostPence.toString(),
      quantity: i.quantity,
      frequency: i.frequency,
      stream: i.stream,
      management: i.management,
      outcomeIds: [...i.outcomeIds],
      paysPersonalAssistant: i.paysPersonalAssistant,
    })),
    contingency: { amountPence: content.contingency.amountPence.toString(), purpose: content.contingency.purpose },
    risks: content.risks,
    moneyManager: { kind: content.moneyManager.kind, name: content.moneyManager.name },
    overBudgetReason: content.overBudgetReason,
  });
}

class MalformedPlanContent extends Error {
  constructor(path: string, expected: string) {
    super(`Stored plan content is malformed at ${path}: expected ${expected}`);
    this.name = 'MalformedPlanContent';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new MalformedPlanContent(path, 'an object');
  return value;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new MalformedPlanContent(path, 'a string');
  return value;
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedPlanContent(path, 'an array');
  return value;
}

function pence(value: unknown, path: string): bigint {
  // A number is accepted too (a document written by hand or by an older version), but only whole.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw new MalformedPlanContent(path, 'whole pence as a string');
  return BigInt(value);
}

/** Whole pence as a plan document stores them (`pence`'s rule), or undefined when the value is not that. */
export function storedPence(value: unknown): bigint | undefined {
  try {
    return pence(value, '');
  } catch {
    return undefined;
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new MalformedPlanContent(path, `one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Reads a stored document (the parsed JSON, or its text). Throws when it is not plan content. */
export function contentFromJson(value: unknown): PlanContent {
  const root = record(typeof value === 'string' ? (JSON.parse(value) as unknown) : value, 'content');
  const profile = record(root['profile'], 'profile');
  const contingency = record(root['contingency'], 'contingency');
  const moneyManager = record(root['moneyManager'], 'moneyManager');
  const outcomes: PlanOutcome[] = arr(root['outcomes'], 'outcomes').map((raw, i) => {
    const o = record(raw, `outcomes.${i}`);
    return {
      id: str(o['id'], `outcomes.${i}.id`),
      area: oneOf(o['area'], OUTCOME_AREAS, `outcomes.${i}.area`),
      description: str(o['description'], `outcomes.${i}.description`),
      byWhen: str(o['byWhen'], `outcomes.${i}.byWhen`),
      measure: str(o['measure'], `outcomes.${i}.measure`),
    };
  });
  const items: SupportItem[] = arr(root['items'], 'items').map((raw, i) => {
    const it = record(raw, `items.${i}`);
    const quantity = it['quantity'];
    if (typeof quantity !== 'number' || !Number.isFinite(quantity)) throw new MalformedPlanContent(`items.${i}.quantity`, 'a number');
    const paysPa = it['paysPersonalAssistant'];
    if (typeof paysPa !== 'boolean') throw new MalformedPlanContent(`items.${i}.paysPersonalAssistant`, 'true or false');
    return {
      id: str(it['id'], `items.${i}.id`),
      description: str(it['description'], `items.${i}.description`),
      provider: str(it['provider'], `items.${i}.provider`),
      unitCostPence: pence(it['unitCostPence'], `items.${i}.unitCostPence`),
      quantity,
      frequency: oneOf(it['frequency'], FREQUENCIES, `items.${i}.frequency`),
      stream: oneOf<StreamCode>(it['stream'], STREAM_CODES, `items.${i}.stream`),
      management: oneOf(it['management'], MANAGEMENTS, `items.${i}.management`),
      outcomeIds: arr(it['outcomeIds'], `items.${i}.outcomeIds`).map((id, j) => str(id, `items.${i}.outcomeIds.${j}`)),
      paysPersonalAssistant: paysPa,
    };
  });
  return {
    profile: {
      likeAndAdmire: str(profile['likeAndAdmire'], 'profile.likeAndAdmire'),
      importantToMe: str(profile['importantToMe'], 'profile.importantToMe'),
      howToSupportMe: str(profile['howToSupportMe'], 'profile.howToSupportMe'),
      iStatements: arr(profile['iStatements'], 'profile.iStatements').map((s, i) => str(s, `profile.iStatements.${i}`)),
    },
    outcomes,
    items,
    contingency: {
      amountPence: pence(contingency['amountPence'], 'contingency.amountPence'),
      purpose: str(contingency['purpose'], 'contingency.purpose'),
    },
    risks: str(root['risks'], 'risks'),
    moneyManager: {
      kind: oneOf(moneyManager['kind'], MONEY_MANAGER_KINDS, 'moneyManager.kind'),
      name: str(moneyManager['name'], 'moneyManager.name'),
    },
    overBudgetReason: str(root['overBudgetReason'], 'overBudgetReason'),
  };
}
