/**
 * The forms of the plan pages. Each reads what was typed as strings and gives either what the
 * service needs or the errors to show next to the fields, keeping what was typed.
 */
import { parsePounds } from '../../../domain/money/money.ts';
import type { Frequency, MoneyManagerKind, OutcomeArea, PlanOutcome, SupportItem } from '../../../domain/plans/content.ts';
import { FREQUENCIES, MANAGEMENTS, MONEY_MANAGER_KINDS, OUTCOME_AREAS } from '../../../domain/plans/json.ts';
import { STREAM_CODES, type StreamCode } from '../../../domain/allocation/model.ts';
import type { Management } from '../../../domain/people/people.ts';
import { parseDateInput, readDateParts } from '../../forms/date-input.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

export type Values = Record<string, string | string[]>;
export type Read<T> = { ok: true; value: T; values: Values } | { ok: false; errors: FieldError[]; values: Values };

const str = (body: Readonly<Record<string, unknown>>, name: string): string => {
  const v = body[name];
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '';
};
const list = (body: Readonly<Record<string, unknown>>, name: string): string[] => {
  const v = body[name];
  if (typeof v === 'string') return v === '' ? [] : [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
};
const oneOf = <T extends string>(value: string, allowed: readonly T[]): T | undefined => (allowed as readonly string[]).includes(value) ? (value as T) : undefined;

/** The service's path ('items.2.unitCost') as the field it belongs to ('unitCost'). */
export function fieldOf(path: string): string {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return last === 'byWhen' ? 'byWhen-day' : last === 'amount' ? 'amount' : last;
}

// ---- An outcome --------------------------------------------------------------------------------
export function outcomeValues(o: PlanOutcome | undefined): Values {
  const [y, m, d] = (o?.byWhen ?? '').split('-');
  return {
    area: o?.area ?? '',
    description: o?.description ?? '',
    'byWhen-day': d === undefined ? '' : String(Number(d)),
    'byWhen-month': m === undefined ? '' : String(Number(m)),
    'byWhen-year': y ?? '',
    measure: o?.measure ?? '',
  };
}

export function readOutcomeForm(body: Readonly<Record<string, unknown>>): Read<Omit<PlanOutcome, 'id'>> {
  const parts = readDateParts(body, 'byWhen');
  const values: Values = { area: str(body, 'area'), description: str(body, 'description'), measure: str(body, 'measure'), 'byWhen-day': parts.day, 'byWhen-month': parts.month, 'byWhen-year': parts.year };
  const errors: FieldError[] = [];
  const area = oneOf<OutcomeArea>(str(body, 'area'), OUTCOME_AREAS);
  if (area === undefined) errors.push({ field: 'area', text: 'Select the area of the outcome' });
  const date = parseDateInput(parts, 'The date the outcome should be achieved by');
  let byWhen = '';
  if (!date.ok) errors.push({ field: `byWhen-${date.fields[0] ?? 'day'}`, text: date.message });
  else byWhen = date.date ?? '';
  // Empty description, measure and date, and an impossible year, are the domain's to say.
  if (errors.length > 0 || area === undefined) return { ok: false, errors, values };
  return { ok: true, value: { area, description: str(body, 'description'), byWhen, measure: str(body, 'measure') }, values };
}

// ---- A support item ----------------------------------------------------------------------------
export function itemValues(i: SupportItem | undefined): Values {
  return {
    description: i?.description ?? '',
    provider: i?.provider ?? '',
    unitCost: i === undefined ? '' : (Number(i.unitCostPence) / 100).toFixed(2),
    quantity: i === undefined ? '' : String(i.quantity),
    frequency: i?.frequency ?? '',
    stream: i?.stream ?? '',
    management: i?.management ?? '',
    outcomeIds: [...(i?.outcomeIds ?? [])],
    paysPersonalAssistant: i?.paysPersonalAssistant === true ? 'yes' : '',
  };
}

export function readItemForm(body: Readonly<Record<string, unknown>>): Read<Omit<SupportItem, 'id'>> {
  const values: Values = {
    description: str(body, 'description'),
    provider: str(body, 'provider'),
    unitCost: str(body, 'unitCost'),
    quantity: str(body, 'quantity'),
    frequency: str(body, 'frequency'),
    stream: str(body, 'stream'),
    management: str(body, 'management'),
    outcomeIds: list(body, 'outcomeIds'),
    paysPersonalAssistant: str(body, 'paysPersonalAssistant') === 'yes' ? 'yes' : '',
  };
  const errors: FieldError[] = [];
  const unitCostText = str(body, 'unitCost');
  let unitCostPence = 0n;
  if (/^-/.test(unitCostText.replace('£', ''))) {
    errors.push({ field: 'unitCost', text: 'The cost of each unit must be £0 or more' });
  } else {
    const cost = parsePounds(unitCostText);
    if (!cost.ok) {
      errors.push({ field: 'unitCost', text: cost.error === 'empty' ? 'Enter the cost of each unit' : cost.error === 'too_large' ? 'The cost of each unit is too large' : 'The cost of each unit must be an amount in pounds, like 15.50' });
    } else unitCostPence = cost.pence;
  }
  const quantityText = str(body, 'quantity');
  let quantity = Number.NaN;
  if (quantityText === '') errors.push({ field: 'quantity', text: 'Enter how many units each time' });
  else if (!/^-?\d+(\.\d+)?$/.test(quantityText)) errors.push({ field: 'quantity', text: 'The quantity must be a number, like 6 or 2.5' });
  else quantity = Number(quantityText);
  const frequency = oneOf<Frequency>(str(body, 'frequency'), FREQUENCIES);
  if (frequency === undefined) errors.push({ field: 'frequency', text: 'Select how often the support is bought' });
  const stream = oneOf<StreamCode>(str(body, 'stream'), STREAM_CODES);
  if (stream === undefined) errors.push({ field: 'stream', text: 'Select which funding stream pays for the support' });
  const management = oneOf<Management>(str(body, 'management'), MANAGEMENTS);
  if (management === undefined) errors.push({ field: 'management', text: 'Select how the money for the support is managed' });
  if (errors.length > 0 || frequency === undefined || stream === undefined || management === undefined) return { ok: false, errors, values };
  return {
    ok: true,
    value: {
      description: values.description as string,
      provider: values.provider as string,
      unitCostPence,
      quantity,
      frequency,
      stream,
      management,
      outcomeIds: values.outcomeIds as string[],
      paysPersonalAssistant: values.paysPersonalAssistant === 'yes',
    },
    values,
  };
}

// ---- The simple sections -------------------------------------------------------------------------
export function readMoneyForm(body: Readonly<Record<string, unknown>>): Read<{ kind: MoneyManagerKind; name: string }> {
  const values: Values = { kind: str(body, 'kind'), name: str(body, 'name') };
  const kind = oneOf<MoneyManagerKind>(str(body, 'kind'), MONEY_MANAGER_KINDS);
  if (kind === undefined) return { ok: false, errors: [{ field: 'kind', text: 'Select who will manage a direct payment' }], values };
  return { ok: true, value: { kind, name: str(body, 'name') }, values };
}

export function readContingencyForm(body: Readonly<Record<string, unknown>>): Read<{ amountPence: bigint; purpose: string }> {
  const values: Values = { amount: str(body, 'amount'), purpose: str(body, 'purpose') };
  const amountText = str(body, 'amount');
  if (amountText === '') return { ok: true, value: { amountPence: 0n, purpose: values.purpose as string }, values };
  const amount = parsePounds(amountText);
  if (!amount.ok) return { ok: false, errors: [{ field: 'amount', text: 'The contingency must be an amount in pounds, like 500' }], values };
  return { ok: true, value: { amountPence: amount.pence, purpose: values.purpose as string }, values };
}

export function readText(body: Readonly<Record<string, unknown>>, name: string): string {
  return str(body, name);
}

export function readList(body: Readonly<Record<string, unknown>>, name: string): string[] {
  return list(body, name);
}
