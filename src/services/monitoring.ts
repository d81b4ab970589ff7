/**
 * Direct payment monitoring (issue 6), each use case in one council transaction with its audit event:
 *  - the family or finance records spending: a statement CSV (docs/statement-csv.md: all or nothing,
 *    errors by row and column, the same statement twice refused) or one line with an optional receipt.
 *    Every line posts to the ledger in the same transaction (spend: holder → payments_out, key
 *    `spend:<lineId>`; refund: payments_out → holder, `refund:<lineId>`);
 *  - the account is reconciled over the budget period and flagged (src/domain/monitoring/flags.ts):
 *    categories the council does not allow, missing quarterly returns, surplus above the threshold;
 *  - the year-end rollover under the council's policy (src/domain/monitoring/rollover.ts).
 * Recovering money is in src/services/recoveries.ts; the choices are in
 * docs/decisions/0019-monitoring-and-recovery.md.
 */
import crypto from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { londonDate, type Clock } from '../clock.ts';
import type { TenantTx, WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import { ledgerRepository, type AccountHistoryEntry } from '../db/repositories/ledger.ts';
import { moneySettingsRepository, type MoneySettings } from '../db/repositories/money-settings.ts';
import {
  monitoringRepository,
  type MonitoredBudgetRecord,
  type MonitoringRepository,
  type NewSpendingLine,
  type RecoveryRecord,
  type ScheduleRecord,
  type SpendingLineRecord,
  type SpendingReturnRecord,
} from '../db/repositories/monitoring.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { isUuid } from '../domain/ids.ts';
import type { TransactionInput } from '../domain/ledger/ledger.ts';
import { CATEGORY_CODES, categoryLabel, monitoringCategories, SPENDING_CATEGORIES, statementCategories } from '../domain/monitoring/categories.ts';
import { monitorAccount, type MonitoringResult, type PaymentReceived, type RegularPayment } from '../domain/monitoring/flags.ts';
import { yearEndRollover, type Rollover } from '../domain/monitoring/rollover.ts';
import { MAX_STATEMENT_BYTES, parseStatementCsv, type StatementCsvError, type StatementLine } from '../domain/monitoring/statement-csv.ts';
import { parsePounds, sumPence, type Pence } from '../domain/money/money.ts';
import { compareDates, isIsoDate, laterOf, earlierOf } from '../domain/pathway/dates.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { NotFoundError } from './errors.ts';
import { pageWindow } from './paging.ts';
import type { LedgerServices } from './ledger.ts';
import { personHeader, requirePerson, type PersonHeader } from './people.ts';
import { quarterEnds, typicalInstalment } from '../domain/monitoring/returns.ts';
import { fail, ok, requireAction, type FieldError, type Outcome } from './outcome.ts';


/** Days after a quarter ends before its return counts as missing (decision 0019). */
export const RETURN_GRACE_DAYS = 28;
/** A receipt: a photo or a PDF, as the database allows (spending_lines.receipt). */
export const MAX_RECEIPT_BYTES = 5 * 1024 * 1024;
export const RECEIPT_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' } as const;
export type ReceiptType = keyof typeof RECEIPT_TYPES;

export type UploadOutcome =
  | { readonly ok: true; readonly value: { readonly returnId: string; readonly lineCount: number } }
  /** Nothing was imported: every problem by row and column (row 0 = the whole file). */
  | { readonly ok: false; readonly kind: 'invalid'; readonly errors: readonly StatementCsvError[] }
  /** The same statement was uploaded before, on `uploadedAt`: nothing was imported. */
  | { readonly ok: false; readonly kind: 'duplicate'; readonly uploadedAt: Date };

export type { PersonHeader } from './people.ts';

/** Everything the monitoring of one account needs and gives. */
export interface AccountState {
  readonly budget: MonitoredBudgetRecord;
  readonly schedule: ScheduleRecord | undefined;
  readonly holderAccountId: string;
  readonly period: { readonly start: string; readonly end: string };
  /** The holder's ledger balance the day before the period starts. */
  readonly openingPence: Pence;
  /** Ledger movements on the holder account in the period that are neither payments nor spending (recoveries, corrections). */
  readonly otherMovementsPence: Pence;
  readonly contingencyPence: Pence;
  readonly regularPayment: RegularPayment;
  readonly returnsExpected: readonly string[];
  readonly settings: MoneySettings;
  readonly result: MonitoringResult;
}

/** What the monitoring of one direct payment reads from the database. */
interface MonitoredAccount {
  readonly budget: MonitoredBudgetRecord;
  readonly schedule: ScheduleRecord | undefined;
  readonly holderAccountId: string;
  readonly history: readonly AccountHistoryEntry[];
  readonly lines: readonly SpendingLineRecord[];
  readonly returns: readonly SpendingReturnRecord[];
}

export interface SpendingView {
  readonly person: PersonHeader;
  /** Undefined when the person has no direct payment (no budget or no holder account). */
  readonly account: AccountState | undefined;
  readonly returns: readonly (SpendingReturnRecord & { readonly lines: readonly SpendingLineRecord[] })[];
  readonly recoveries: readonly RecoveryRecord[];
  readonly categories: readonly { readonly code: string; readonly label: string; readonly permitted: boolean }[];
}

export interface RolloverView {
  readonly person: PersonHeader;
  readonly asOf: string;
  readonly budget: MonitoredBudgetRecord;
  readonly balancePence: Pence;
  readonly contingencyPence: Pence;
  readonly carryPercent: number;
  readonly rollover: Rollover;
}

export interface FinanceRow {
  readonly person: PersonHeader;
  readonly counts: { readonly not_permitted_category: number; readonly missing_return: number; readonly surplus: number };
  readonly surplusPence: Pence;
  readonly balancePence: Pence;
}

export interface FinanceList {
  /** This page's people, by reference. */
  readonly rows: readonly FinanceRow[];
  /** Everyone the filter keeps, on every page. */
  readonly total: number;
  /** The page shown: the one asked for, or the last when it asked beyond the end. */
  readonly page: number;
  readonly pageCount: number;
  readonly pageSize: number;
  /** People with a direct payment on restricted records the actor may not open: not listed. */
  readonly restrictedNotShown: number;
}

export type FlagKind = keyof FinanceRow['counts'];
export const FLAG_KINDS: readonly FlagKind[] = ['not_permitted_category', 'missing_return', 'surplus'];

const MAX_REASONS = 3000;
const MAX_NOTE = 1000;

/** The type of a receipt from its first bytes (never the name or the browser's word), or null when not allowed. */
export function receiptTypeOf(bytes: Buffer): ReceiptType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

export function isReceiptType(value: string | null): value is ReceiptType {
  return value !== null && Object.hasOwn(RECEIPT_TYPES, value);
}

/** A statement's bytes as text: UTF-8 (with or without a BOM), else Windows-1252 as Excel's "CSV (comma delimited)" saves it. */
export function statementText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export function monitoringServices(deps: { withCouncil: WithCouncil; clock: Clock; ledger: LedgerServices }) {
  const { clock, ledger } = deps;


  /** The person's account reconciled and flagged as of `asOf` (today by default); undefined without a direct payment. */
  async function accountState(tx: TenantTx, councilId: string, personId: string, asOf?: string): Promise<AccountState | undefined> {
    const inputs = (await monitoredAccounts(tx, [personId])).get(personId);
    if (inputs === undefined) return undefined;
    return monitored(inputs, await moneySettingsRepository(tx).get(councilId), asOf);
  }

  /**
   * What monitoring needs of each person's direct payment, read for all of them at once: a fixed
   * number of queries however many people (the finance list reads every holder in the council).
   * A person without a budget or a holder account is absent.
   */
  async function monitoredAccounts(tx: TenantTx, personIds: readonly string[]): Promise<Map<string, MonitoredAccount>> {
    const m = monitoringRepository(tx);
    const budgets = await m.budgetsOf(personIds);
    const schedules = await m.schedulesOf([...budgets.values()].map((b) => b.id));
    const withoutSchedule = [...budgets].filter(([, budget]) => !schedules.has(budget.id)).map(([personId]) => personId);
    const holders = await m.holderAccountIdsOf(withoutSchedule);
    const found = [...budgets].flatMap(([personId, budget]) => {
      const schedule = schedules.get(budget.id);
      const holderAccountId = schedule?.holderAccountId ?? holders.get(personId);
      return holderAccountId === undefined ? [] : [{ personId, budget, schedule, holderAccountId }];
    });
    const people = found.map((f) => f.personId);
    const histories = await ledgerRepository(tx).accountHistoriesOf([...new Set(found.map((f) => f.holderAccountId))]);
    const lines = await m.linesOf(people);
    const returns = await m.returnsOf(people);
    const accounts = new Map<string, MonitoredAccount>();
    for (const { personId, ...account } of found) {
      accounts.set(personId, { ...account, history: histories.get(account.holderAccountId) ?? [], lines: lines.get(personId) ?? [], returns: returns.get(personId) ?? [] });
    }
    return accounts;
  }

  /** The account reconciled and flagged as of `asOf` (today by default). */
  function monitored(account: MonitoredAccount, settings: MoneySettings, asOf: string | undefined): AccountState {
    const { budget, schedule, holderAccountId, history, lines } = account;
    const start = budget.startsOn;
    const end = laterOf(start, earlierOf(asOf ?? clock.today(), budget.endsOn));
    const inPeriod = (date: string) => compareDates(date, start) >= 0 && compareDates(date, end) <= 0;

    const openingPence = sumPence(history.filter((h) => compareDates(h.effectiveOn, start) < 0).map((h) => BigInt(h.amountPence)));
    const periodEntries = history.filter((h) => inPeriod(h.effectiveOn));
    const payments: PaymentReceived[] = periodEntries
      .filter((h) => h.kind === 'payment' && BigInt(h.amountPence) > 0n)
      .map((h) => ({ date: h.effectiveOn, pence: BigInt(h.amountPence) }));
    const spentNet = sumPence(lines.filter((l) => inPeriod(l.spentOn)).map((l) => (l.type === 'refund' ? -l.amountPence : l.amountPence)));
    const periodTotal = sumPence(periodEntries.map((h) => BigInt(h.amountPence)));
    const otherMovementsPence = periodTotal - sumPence(payments.map((p) => p.pence)) + spentNet;

    const contingencyPence = budget.contingencyPence;
    const typical = schedule === undefined ? null : typicalInstalment(schedule.instalmentAmounts);
    const regularPayment: RegularPayment =
      schedule !== undefined && typical !== null ? { kind: 'agreed', amountPence: typical, frequency: schedule.frequency } : { kind: 'recent_payments' };
    const returnsExpected = quarterEnds(budget.startsOn, budget.endsOn);
    const result = monitorAccount({
      period: { start, end },
      // Recoveries and corrections change the balance too: counted with the opening balance, so the
      // balance monitored is the ledger's (the page shows them on their own line).
      openingBalancePence: openingPence + otherMovementsPence,
      payments,
      spending: lines.map((l) => ({ id: l.id, date: l.spentOn, category: l.category, pence: l.amountPence, type: l.type })),
      categories: monitoringCategories(settings.notPermittedCategories),
      returnsExpected,
      returnsReceived: account.returns.map((r) => londonDate(r.submittedAt)),
      contingencyPence,
      regularPayment,
      surplusThresholdWeeks: settings.surplusThresholdWeeks,
      returnGraceDays: RETURN_GRACE_DAYS,
    });
    return { budget, schedule, holderAccountId, period: { start, end }, openingPence, otherMovementsPence, contingencyPence, regularPayment, returnsExpected, settings, result };
  }

  async function paymentsOutAccount(tx: TenantTx, councilId: string): Promise<string> {
    return ledger.accountWithin(tx, councilId, { identity: { kind: 'payments_out' }, name: 'Payments out (the bank)' });
  }

  /** Posts the lines' ledger transactions and writes the return and its lines, in the caller's transaction. */
  async function recordLines(
    tx: TenantTx,
    actor: Actor,
    personId: string,
    holderAccountId: string,
    ret: { source: 'upload' | 'entry'; fingerprint: string | null; fileName: string | null },
    lines: readonly (Omit<NewSpendingLine, 'id' | 'transactionId'>)[],
  ): Promise<string> {
    const paymentsOut = await paymentsOutAccount(tx, actor.councilId);
    const withIds = lines.map((l) => ({ ...l, id: crypto.randomUUID() }));
    const inputs: TransactionInput[] = withIds.map((l) => ({
      idempotencyKey: `${l.type}:${l.id}`,
      kind: l.type,
      effectiveOn: l.spentOn,
      description: `${l.type === 'refund' ? 'Refund from' : 'Spending:'} ${l.payee} (${categoryLabel(l.category)})`.slice(0, 500),
      entries:
        l.type === 'spend'
          ? [{ accountId: holderAccountId, amountPence: -l.amountPence }, { accountId: paymentsOut, amountPence: l.amountPence }]
          : [{ accountId: paymentsOut, amountPence: -l.amountPence }, { accountId: holderAccountId, amountPence: l.amountPence }],
    }));
    const results = await ledger.postWithin(tx, actor.councilId, inputs, actor.accountId);
    const transactionIds = results.map((r, i) => {
      if (!r.ok) throw new Error(`spending line ${i + 1} could not be posted to the ledger: ${r.reason}`);
      return r.transactionId;
    });
    const returnId = crypto.randomUUID();
    const m = monitoringRepository(tx);
    await m.insertReturn({ id: returnId, councilId: actor.councilId, personId, ...ret, lineCount: lines.length, submittedBy: actor.accountId, submittedAt: clock.now() });
    await m.insertLines(actor.councilId, personId, returnId, withIds.map((l, i) => ({ ...l, transactionId: transactionIds[i] ?? '' })));
    return returnId;
  }

  async function holderOrRefuse(m: MonitoringRepository, personId: string): Promise<string | undefined> {
    const budget = await m.budget(personId);
    const schedule = budget === undefined ? undefined : await m.schedule(budget.id);
    return schedule?.holderAccountId ?? (await m.holderAccountId(personId));
  }

  const NO_DIRECT_PAYMENT = 'There is no direct payment for this person, so there is no spending to record';

  return {
    accountState,

    /** The spending page: returns and lines, the reconciliation and flags, the recoveries. Audited as a read. */
    async spending(actor: Actor, personId: string, context: RequestContext): Promise<SpendingView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:spending', personId, clock.today());
        const m = monitoringRepository(tx);
        // The returns and lines are read once: with the account when there is one.
        const found = (await monitoredAccounts(tx, [personId])).get(personId);
        const settings = await moneySettingsRepository(tx).get(actor.councilId);
        const lines = found?.lines ?? (await m.lines(personId));
        const returns = found?.returns ?? (await m.returns(personId));
        const view: SpendingView = {
          person: await personHeader(repos, personId),
          account: found === undefined ? undefined : monitored(found, settings, undefined),
          returns: returns.map((r) => ({ ...r, lines: lines.filter((l) => l.returnId === r.id) })),
          recoveries: await m.recoveries(personId),
          categories: monitoringCategories(settings.notPermittedCategories),
        };
        repos.audit.recordAtCommit({ ...auditedBy(actor, context, clock.now()), action: 'person.spending_viewed', subjectType: 'person', subjectId: personId });
        return view;
      });
    },

    /**
     * A statement CSV: all or nothing. Every problem is reported by row and column and nothing is
     * imported; the same statement (by fingerprint) uploaded before is refused, with its date.
     */
    async uploadStatement(actor: Actor, personId: string, file: { name: string; bytes: Buffer }, context: RequestContext): Promise<UploadOutcome> {
      const fileProblem =
        file.bytes.length === 0 ? 'Select a CSV file to upload' : file.bytes.length > MAX_STATEMENT_BYTES ? 'The file must be smaller than 2 MB. Split the statement into smaller files' : null;
      const parsed = fileProblem === null ? parseStatementCsv(statementText(file.bytes), { categories: statementCategories(), today: clock.today() }) : null;
      try {
        return await ledger.withRetries(actor.councilId, async (tx): Promise<UploadOutcome> => {
          const repos = repositories(tx);
          // Who may record first: a record the actor may not see is not found, whatever the file.
          await requirePerson(repos, actor, 'person:spending', personId, clock.today());
          if (fileProblem !== null || parsed === null) return { ok: false, kind: 'invalid', errors: [{ row: 0, column: '', message: fileProblem ?? 'Select a CSV file to upload' }] };
          const m = monitoringRepository(tx);
          const holder = await holderOrRefuse(m, personId);
          if (holder === undefined) return { ok: false, kind: 'invalid', errors: [{ row: 0, column: '', message: NO_DIRECT_PAYMENT }] };
          if (!parsed.ok) return { ok: false, kind: 'invalid', errors: parsed.errors };
          const before = await m.returnByFingerprint(personId, parsed.fingerprint);
          if (before !== undefined) return { ok: false, kind: 'duplicate', uploadedAt: before.submittedAt };
          const fileName = file.name.trim().slice(0, 200) || 'statement.csv';
          const returnId = await recordLines(tx, actor, personId, holder, { source: 'upload', fingerprint: parsed.fingerprint, fileName }, parsed.lines.map(fromStatement));
          await repos.audit.record({
            ...auditedBy(actor, context, clock.now()),
            action: 'person.spending_return_uploaded',
            subjectType: 'person',
            subjectId: personId,
            detail: { returnId, lineCount: parsed.lines.length, fingerprint: parsed.fingerprint },
          });
          return { ok: true, value: { returnId, lineCount: parsed.lines.length } };
        });
      } catch (error) {
        // The same statement uploaded twice at the same moment: the unique index lets one in.
        if ((error as { constraint?: string }).constraint !== 'spending_returns_fingerprint' || parsed === null || !parsed.ok) throw error;
        const before = await deps.withCouncil(actor.councilId, (tx) => monitoringRepository(tx).returnByFingerprint(personId, parsed.fingerprint));
        if (before === undefined) throw error;
        return { ok: false, kind: 'duplicate', uploadedAt: before.submittedAt };
      }
    },

    /**
     * One line entered by hand, with the same rules and words as a statement row, and an optional
     * receipt (a JPEG, PNG or PDF of up to 5 MB, its type read from its bytes).
     */
    async enterLine(
      actor: Actor,
      personId: string,
      input: { date: string; payee: string; category: string; amount: string; type: string; reference?: string; receipt?: { bytes: Buffer; name?: string } },
      context: RequestContext,
    ): Promise<Outcome<{ lineId: string }>> {
      const errors: FieldError[] = [];
      if (input.category !== '' && !CATEGORY_CODES.has(input.category)) errors.push({ path: 'category', message: 'Select a category from the list' });
      if (input.type !== 'spend' && input.type !== 'refund') errors.push({ path: 'type', message: 'Select whether this is spending or a refund' });
      // The same rules and words as a row of a statement: the line is read as a one-row statement.
      const csv = stringify([
        ['date', 'payee', 'category', 'amount', 'reference', 'type'],
        [input.date, input.payee, input.category, input.amount, input.reference ?? '', input.type === 'refund' ? 'refund' : 'spend'],
      ]);
      const parsed = parseStatementCsv(csv, { categories: statementCategories(), today: clock.today() });
      if (!parsed.ok) {
        for (const e of parsed.errors) {
          if (e.column === 'category' && errors.some((x) => x.path === 'category')) continue;
          const path = e.column === '' ? 'payee' : e.column;
          const message = e.column === 'amount' && /minus sign/.test(e.message) ? 'Enter the amount without a minus sign. For money paid back, choose refund' : e.message;
          errors.push({ path, message: e.column === 'category' && input.category === '' ? 'Select a category' : message });
        }
      }
      let receipt: NewSpendingLine['receipt'] = null;
      if (input.receipt !== undefined && input.receipt.bytes.length > 0) {
        const type = receiptTypeOf(input.receipt.bytes);
        if (input.receipt.bytes.length > MAX_RECEIPT_BYTES) errors.push({ path: 'receipt', message: 'The receipt must be smaller than 5 MB' });
        else if (type === null) errors.push({ path: 'receipt', message: 'The receipt must be a JPG, PNG or PDF file' });
        else receipt = { name: receiptName(input.receipt.name, input.date, type), type, bytes: input.receipt.bytes };
      }
      const line = parsed.ok ? parsed.lines[0] : undefined;
      if (errors.length > 0 || line === undefined) {
        // Who may record first: a record the actor may not see is not found, whatever was typed.
        await deps.withCouncil(actor.councilId, (tx) => requirePerson(repositories(tx), actor, 'person:spending', personId, clock.today()));
        return fail(errors);
      }
      return ledger.withRetries(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:spending', personId, clock.today());
        const holder = await holderOrRefuse(monitoringRepository(tx), personId);
        if (holder === undefined) return fail<{ lineId: string }>([{ path: 'payee', message: NO_DIRECT_PAYMENT }]);
        const returnId = await recordLines(tx, actor, personId, holder, { source: 'entry', fingerprint: null, fileName: null }, [{ ...fromStatement(line), receipt }]);
        const recorded = (await monitoringRepository(tx).lines(personId)).find((l) => l.returnId === returnId);
        if (recorded === undefined) throw new Error('the line just recorded is missing');
        await repos.audit.record({
          ...auditedBy(actor, context, clock.now()),
          action: 'person.spending_line_entered',
          subjectType: 'person',
          subjectId: personId,
          detail: { returnId, lineId: recorded.id, receipt: receipt !== null },
        });
        return ok({ lineId: recorded.id });
      });
    },

    /** A line's receipt for download by those who may see the spending; its type only when allowed. */
    async receipt(actor: Actor, lineId: string, context: RequestContext): Promise<{ name: string; type: ReceiptType; bytes: Buffer }> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const found = isUuid(lineId) ? await monitoringRepository(tx).receipt(lineId) : undefined;
        if (found === undefined) throw new NotFoundError(`No spending line with id ${lineId}`);
        await requirePerson(repos, actor, 'person:spending', found.personId, clock.today());
        if (found.bytes === null || !isReceiptType(found.type)) throw new NotFoundError('This line has no receipt');
        await repos.audit.record({
          ...auditedBy(actor, context, clock.now()),
          action: 'person.spending_receipt_downloaded',
          subjectType: 'person',
          subjectId: found.personId,
          detail: { lineId },
        });
        return { name: found.name ?? `receipt.${RECEIPT_TYPES[found.type]}`, type: found.type, bytes: found.bytes };
      });
    },

    /**
     * People with an active direct payment and their flags, counted by kind; only those with `flag`
     * when given. A restricted record the actor may not open is left out, and counted. A page at a
     * time (`paging.page` from 1): every person's flags are worked out (the filter needs them), so the
     * total is exact; only the page is kept.
     */
    async financeList(actor: Actor, filter: { flag?: FlagKind }, paging: { page: number; pageSize: number }): Promise<FinanceList> {
      requireAction(actor, 'monitoring:list');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const rows: FinanceRow[] = [];
        const everyone = await monitoringRepository(tx).directPaymentPeople(clock.today());
        const people = everyone.filter((p) => mayDo(actor, 'person:spending', p.facts));
        const accounts = await monitoredAccounts(tx, people.map((p) => p.personId));
        const settings = await moneySettingsRepository(tx).get(actor.councilId);
        for (const p of people) {
          const account = accounts.get(p.personId);
          const state = account === undefined ? undefined : monitored(account, settings, undefined);
          const counts = { not_permitted_category: 0, missing_return: 0, surplus: 0 };
          for (const f of state?.result.flags ?? []) counts[f.kind] += f.kind === 'not_permitted_category' ? f.lineIds.length : 1;
          if (filter.flag !== undefined && counts[filter.flag] === 0) continue;
          rows.push({
            person: { id: p.personId, name: p.name, reference: p.reference },
            counts,
            surplusPence: state?.result.reconciliation.surplusPence ?? 0n,
            balancePence: state?.result.reconciliation.balancePence ?? 0n,
          });
        }
        const { page, pageCount, offset } = pageWindow(paging.page, rows.length, paging.pageSize);
        return {
          rows: rows.slice(offset, offset + paging.pageSize),
          total: rows.length,
          page,
          pageCount,
          pageSize: paging.pageSize,
          restrictedNotShown: everyone.length - people.length,
        };
      });
    },

    /**
     * The year-end rollover of the holder's balance as of `asOf` (the budget's last day by default);
     * `rollover` is undefined when the person has no direct payment. Audited as a read.
     */
    async rollover(actor: Actor, personId: string, asOf: string | undefined, context: RequestContext): Promise<{ person: PersonHeader; rollover: Omit<RolloverView, 'person'> | undefined }> {
      requireAction(actor, 'recovery:propose');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'recovery:propose', personId, clock.today());
        const view = await rolloverWithin(tx, actor.councilId, personId, asOf);
        await repos.audit.record({ ...auditedBy(actor, context, clock.now()), action: 'person.rollover_viewed', subjectType: 'person', subjectId: personId, detail: { asOf: view?.asOf ?? null } });
        return { person: await personHeader(repos, personId), rollover: view };
      });
    },

    rolloverWithin,

    /** The council's money settings (defaults until saved), for administrators. */
    async settings(actor: Actor): Promise<MoneySettings> {
      requireAction(actor, 'money-settings:manage');
      return deps.withCouncil(actor.councilId, (tx) => moneySettingsRepository(tx).get(actor.councilId));
    },

    /** Saves the council's money settings; every value checked, nothing saved when one is wrong. */
    async saveSettings(
      actor: Actor,
      input: { paymentFrequency: string; secondAuthoriserAbove: string; surplusThresholdWeeks: string; rolloverCarryPercent: string; notPermittedCategories: readonly string[] },
      context: RequestContext,
    ): Promise<Outcome> {
      requireAction(actor, 'money-settings:manage');
      const errors: FieldError[] = [];
      const frequency = paymentFrequencyOf(input.paymentFrequency);
      if (frequency === null) errors.push({ path: 'paymentFrequency', message: 'Select how often direct payments are paid' });
      const limit = parsePounds(input.secondAuthoriserAbove);
      if (!limit.ok) {
        errors.push({
          path: 'secondAuthoriserAbove',
          message: limit.error === 'empty' ? 'Enter the amount above which a payment run needs a second finance officer' : 'Enter the amount in pounds, like 50000',
        });
      }
      const weeks = wholeNumber(input.surplusThresholdWeeks);
      if (weeks === null || weeks < 1 || weeks > 52) errors.push({ path: 'surplusThresholdWeeks', message: 'Enter the surplus threshold as a whole number of weeks from 1 to 52' });
      const percent = wholeNumber(input.rolloverCarryPercent);
      if (percent === null || percent < 0 || percent > 100) errors.push({ path: 'rolloverCarryPercent', message: 'Enter the percentage that may be carried forward as a whole number from 0 to 100' });
      const categories = [...new Set(input.notPermittedCategories)];
      if (categories.some((c) => !CATEGORY_CODES.has(c))) errors.push({ path: 'notPermittedCategories', message: 'Select only categories from the list' });
      if (errors.length > 0 || !limit.ok || weeks === null || percent === null || frequency === null) return fail(errors);
      const ordered = SPENDING_CATEGORIES.map((c) => c.code).filter((c) => categories.includes(c));
      return deps.withCouncil(actor.councilId, async (tx) => {
        const settings = { paymentFrequency: frequency, secondAuthoriserAbovePence: limit.pence, surplusThresholdWeeks: weeks, rolloverCarryPercent: percent, notPermittedCategories: ordered };
        await moneySettingsRepository(tx).save(actor.councilId, settings, clock.now());
        await repositories(tx).audit.record({
          ...auditedBy(actor, context, clock.now()),
          action: 'money_settings.changed',
          subjectType: 'council',
          subjectId: actor.councilId,
          detail: { ...settings, secondAuthoriserAbovePence: limit.pence.toString() },
        });
        return ok(undefined);
      });
    },
  };

  /** The rollover for a person's budget as of a date, inside an open transaction; undefined without a direct payment. */
  async function rolloverWithin(tx: TenantTx, councilId: string, personId: string, asOf: string | undefined): Promise<Omit<RolloverView, 'person'> | undefined> {
    const m = monitoringRepository(tx);
    const budget = await m.budget(personId);
    if (budget === undefined) return undefined;
    const holder = await holderOrRefuse(m, personId);
    if (holder === undefined) return undefined;
    const day = asOf !== undefined && isIsoDate(asOf) ? asOf : budget.endsOn;
    const balancePence = (await ledgerRepository(tx).balancesOf([holder], day)).get(holder) ?? 0n;
    const settings = await moneySettingsRepository(tx).get(councilId);
    const contingencyPence = budget.contingencyPence;
    const rollover = yearEndRollover({
      balancePence,
      contingencyPence,
      annualAllocationPence: budget.directPaymentAnnualPence,
      policy: { carryForwardPercent: settings.rolloverCarryPercent },
    });
    return { asOf: day, budget, balancePence, contingencyPence, carryPercent: settings.rolloverCarryPercent, rollover };
  }
}

export type MonitoringServices = ReturnType<typeof monitoringServices>;

function fromStatement(l: StatementLine): Omit<NewSpendingLine, 'id' | 'transactionId'> {
  return { spentOn: l.date, payee: l.payee, category: l.category, type: l.type, amountPence: l.amountPence, reference: l.reference, receipt: null };
}

function paymentFrequencyOf(text: string): 'four_weekly' | 'monthly' | null {
  return text === 'four_weekly' || text === 'monthly' ? text : null;
}

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d{1,3}$/.test(t) ? Number(t) : null;
}

/** A safe download name: the one given (letters, digits, dots, dashes, spaces), else receipt-<date>, with the extension of its real type. */
function receiptName(given: string | undefined, date: string, type: ReceiptType): string {
  const ext = RECEIPT_TYPES[type];
  const base = (given ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[^A-Za-z0-9 ._-]/g, '').trim().slice(0, 80);
  return `${base === '' ? `receipt-${isIsoDate(date) ? date : 'spending'}` : base}.${ext}`;
}

export { MAX_REASONS, MAX_NOTE };
