/**
 * Individual service fund returns (issue 6), each use case in one council transaction with its audit
 * events:
 *  - a provider user sees the ended quarters with their status, and for a quarter not yet returned
 *    a form with a row per person whose fund the organisation holds (a provider ledger account for
 *    the provider and person with an entry by the quarter's end);
 *  - submitting records the return and its lines, posts each person's returned spending to the
 *    ledger (provider account → payments_out) and stores the ledger balance at the quarter's end
 *    after that posting beside the returned balance, all or nothing; a second return for the same
 *    quarter is refused (the council corrects a return, not the provider);
 *  - a finance officer sees every quarter's returns by provider with the number of differences,
 *    and each return person by person, with the people whose figures are missing.
 * Every read of a person's figures, and every line submitted, is written to the audit log against
 * the person. The rules are in src/domain/monitoring/isf-return.ts.
 */
import crypto from 'node:crypto';
import { londonDate, type Clock } from '../clock.ts';
import type { WithCouncil, TenantTx } from '../db/tenancy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { ISF_RETURN_UNIQUE, isfReturnsRepository, type HeldFund, type IsfReturnLineRecord, type IsfReturnRecord } from '../db/repositories/isf-returns.ts';
import { mayDo, type Actor, type ProviderActor } from '../domain/access/policy.ts';
import {
  compareLine,
  compareSpent,
  countDifferences,
  endedQuarters,
  hasEnded,
  isQuarterStart,
  parseReturnAmount,
  quarterLabel,
  quarterStarting,
  spendTransaction,
  type LineComparison,
  type Quarter,
} from '../domain/monitoring/isf-return.ts';
import type { Pence } from '../domain/money/money.ts';
import { compareDates, longDate } from '../domain/pathway/dates.ts';
import { fail, ok, type FieldError, type Outcome } from './outcome.ts';
import type { LedgerServices } from './ledger.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';

/** How many ended quarters the lists go back (two years). */
const QUARTERS_SHOWN = 8;

export const ISF_AUDIT = {
  viewed: 'person.isf_return_viewed',
  submitted: 'person.isf_return_submitted',
} as const;

export interface FundPerson {
  readonly personId: string;
  readonly name: string;
  readonly reference: string;
}

export interface ProviderQuarter {
  readonly quarter: Quarter;
  /** Undefined while no return has been submitted for it. */
  readonly submitted?: { readonly at: Date; readonly byName: string };
}

export interface ProviderQuarters {
  readonly providerName: string;
  readonly quarters: readonly ProviderQuarter[];
}

export interface SubmittedLine {
  readonly person: FundPerson;
  readonly spentPence: Pence;
  readonly balancePence: Pence;
}

/** A quarter for the provider: the form (who to return for), or the return already submitted. */
export type ProviderReturnView =
  | { readonly state: 'due'; readonly providerName: string; readonly quarter: Quarter; readonly people: readonly FundPerson[] }
  | {
      readonly state: 'submitted';
      readonly providerName: string;
      readonly quarter: Quarter;
      readonly submittedAt: Date;
      readonly submittedByName: string;
      readonly lines: readonly SubmittedLine[];
    };

export interface ReturnLineInput {
  readonly personId: string;
  /** As typed (pounds and pence). */
  readonly spent: string;
  readonly balance: string;
}

export interface OverviewRow {
  readonly providerId: string;
  readonly providerName: string;
  /** People whose fund the provider held at the quarter's end. */
  readonly peopleCount: number;
  readonly submitted?: { readonly at: Date; readonly byName: string; readonly differences: number };
  /** People held at the quarter's end with no line in a return (all of them when none was submitted). */
  readonly missingCount: number;
}

export interface OverviewQuarter {
  readonly quarter: Quarter;
  readonly rows: readonly OverviewRow[];
}

export interface ReviewLine {
  readonly person: FundPerson;
  readonly spentPence: Pence;
  readonly balancePence: Pence;
  readonly ledgerBalancePence: Pence;
  readonly balance: LineComparison;
  /** Spending the ledger records on the provider account in the quarter, now. */
  readonly ledgerSpentPence: Pence;
  readonly spent: LineComparison;
}

export interface ReviewView {
  readonly quarter: Quarter;
  readonly providerId: string;
  readonly providerName: string;
  readonly submitted?: { readonly at: Date; readonly byName: string };
  readonly lines: readonly ReviewLine[];
  readonly differences: number;
  /** Held at the quarter's end, with no line in the return. */
  readonly missing: readonly FundPerson[];
}


const personOf = (row: Pick<HeldFund | IsfReturnLineRecord, 'personId' | 'givenName' | 'familyName' | 'reference'>): FundPerson => ({
  personId: row.personId,
  name: `${row.givenName} ${row.familyName}`,
  reference: row.reference,
});

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === ISF_RETURN_UNIQUE;
};

export function isfReturnServices(deps: { withCouncil: WithCouncil; clock: Clock; ledger: LedgerServices }) {
  const { withCouncil, clock, ledger } = deps;

  function requireProvider(actor: Actor): ProviderActor {
    if (actor.kind !== 'provider' || !mayDo(actor, 'isf:submit-return')) throw new ForbiddenError('Only provider users send individual service fund returns');
    return actor;
  }

  function requireFinance(actor: Actor): void {
    if (!mayDo(actor, 'isf:review-returns')) throw new ForbiddenError('Your role does not allow you to review individual service fund returns');
  }

  /** The quarter starting on this day, once it has ended: returns are only for ended quarters. */
  function endedQuarter(quarterStartsOn: string): Quarter {
    if (!isQuarterStart(quarterStartsOn)) throw new NotFoundError(`${quarterStartsOn} is not the first day of a quarter`);
    const quarter = quarterStarting(quarterStartsOn);
    if (!hasEnded(quarter, clock.today())) throw new NotFoundError(`The quarter ${quarterLabel(quarter)} has not ended yet: its return is due once it has`);
    return quarter;
  }

  async function auditRead(repos: Repositories, actor: Actor, context: RequestContext, personIds: readonly string[], detail: Readonly<Record<string, unknown>>): Promise<void> {
    const now = clock.now();
    for (const personId of personIds) {
      await repos.audit.record({ ...auditedBy(actor, context, now), action: ISF_AUDIT.viewed, subjectType: 'person', subjectId: personId, detail });
    }
  }

  const alreadySubmitted = (quarter: Quarter, at?: Date): FieldError => ({
    path: 'quarter',
    message: `Your organisation has already sent the return for ${quarterLabel(quarter)}${at === undefined ? '' : ` (on ${longDate(londonDate(at))})`}. A return cannot be sent twice: contact the council’s finance team to correct it`,
  });

  /** Everything `submit` does, in the council transaction `withRetries` gives it. */
  async function submitWithin(tx: TenantTx, actor: ProviderActor, quarter: Quarter, input: readonly ReturnLineInput[], context: RequestContext): Promise<Outcome<{ returnId: string }>> {
    const repos = repositories(tx);
    const isf = isfReturnsRepository(tx);
    const existing = await isf.find(actor.providerId, quarter.startsOn);
    if (existing !== undefined) return fail([alreadySubmitted(quarter, existing.submittedAt)]);
    const funds = await isf.heldFunds({ providerId: actor.providerId, asOf: quarter.endsOn });
    if (funds.length === 0) return fail([{ path: 'quarter', message: `Your organisation did not hold anyone’s individual service fund in ${quarterLabel(quarter)}, so there is nothing to return` }]);

    const errors: FieldError[] = [];
    const held = new Set(funds.map((f) => f.personId));
    // A row for someone whose fund the organisation does not hold: refused, and nothing is recorded.
    if (input.some((line) => !held.has(line.personId.toLowerCase()))) {
      errors.push({ path: 'people', message: 'The return names someone whose individual service fund your organisation does not hold. Send the return only for the people listed' });
    }
    const byPerson = new Map(input.map((line) => [line.personId.toLowerCase(), line]));
    const figures: { fund: HeldFund; spentPence: Pence; balancePence: Pence }[] = [];
    for (const fund of funds) {
      const line = byPerson.get(fund.personId);
      const who = personOf(fund).name;
      const spent = parseReturnAmount('spent', line?.spent ?? '', who);
      const balance = parseReturnAmount('balance', line?.balance ?? '', who);
      if (!spent.ok) errors.push({ path: `spent.${fund.personId}`, message: spent.message });
      if (!balance.ok) errors.push({ path: `balance.${fund.personId}`, message: balance.message });
      if (spent.ok && balance.ok) figures.push({ fund, spentPence: spent.pence, balancePence: balance.pence });
    }
    if (errors.length > 0) return fail(errors);

    const now = clock.now();
    const returnId = crypto.randomUUID();
    // The return first: a second one for the quarter stops here, on the unique constraint, before any money moves.
    await isf.insertReturn({ id: returnId, councilId: actor.councilId, providerId: actor.providerId, quarterStartsOn: quarter.startsOn, submittedBy: actor.accountId, submittedAt: now });
    const paymentsOut = await ledger.accountWithin(tx, actor.councilId, { identity: { kind: 'payments_out' }, name: 'Payments out' });
    const postings = figures
      .map((f) => spendTransaction({ returnId, personId: f.fund.personId, quarter, providerAccountId: f.fund.accountId, paymentsOutAccountId: paymentsOut, spentPence: f.spentPence }))
      .filter((t) => t !== null);
    const results = await ledger.postWithin(tx, actor.councilId, postings, actor.accountId);
    const refused = results.find((r) => !r.ok);
    // Provider accounts may go overdrawn and every key is new: a refusal here is a programming error.
    if (refused !== undefined) throw new Error(`The ledger refused the spending of an ISF return: ${JSON.stringify(refused, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    const balances = await repos.ledger.balancesOf(figures.map((f) => f.fund.accountId), quarter.endsOn);
    const lines = figures.map((f) => ({ personId: f.fund.personId, spentPence: f.spentPence, balancePence: f.balancePence, ledgerBalancePence: balances.get(f.fund.accountId) ?? 0n }));
    await isf.insertLines(actor.councilId, returnId, lines);
    for (const line of lines) {
      await repos.audit.record({
        ...auditedBy(actor, context, now),
        action: ISF_AUDIT.submitted,
        subjectType: 'person',
        subjectId: line.personId,
        detail: {
          returnId,
          quarterStartsOn: quarter.startsOn,
          spentPence: line.spentPence.toString(),
          balancePence: line.balancePence.toString(),
          ledgerBalancePence: line.ledgerBalancePence.toString(),
        },
      });
    }
    return ok({ returnId });
  }

  return {
    /** The provider's ended quarters, the latest first, each submitted (when, by whom) or due. */
    async quarters(actor: Actor): Promise<ProviderQuarters> {
      const provider = requireProvider(actor);
      return withCouncil(actor.councilId, async (tx) => {
        const isf = isfReturnsRepository(tx);
        const funds = await isf.heldFunds({ providerId: provider.providerId });
        const returns = await isf.list({ providerId: provider.providerId });
        const earliest = funds.reduce<string | null>((first, f) => (first === null || compareDates(f.heldFrom, first) < 0 ? f.heldFrom : first), null);
        const shown = endedQuarters(clock.today(), earliest, QUARTERS_SHOWN);
        // A return for a quarter older than the list goes back still shows.
        const older = returns.filter((r) => !shown.some((q) => q.startsOn === r.quarterStartsOn)).map((r) => quarterStarting(r.quarterStartsOn));
        const quarters = [...shown, ...older].sort((x, y) => compareDates(y.startsOn, x.startsOn));
        const byQuarter = new Map(returns.map((r) => [r.quarterStartsOn, r]));
        return {
          providerName: provider.providerName,
          quarters: quarters.map((quarter) => {
            const r = byQuarter.get(quarter.startsOn);
            return r === undefined ? { quarter } : { quarter, submitted: { at: r.submittedAt, byName: r.submittedByName } };
          }),
        };
      });
    },

    /**
     * One ended quarter for the provider: who the return is for (its form), or the return already
     * sent with the figures the provider gave. Each person listed is audited as a read.
     */
    async providerReturn(actor: Actor, quarterStartsOn: string, context: RequestContext): Promise<ProviderReturnView> {
      const provider = requireProvider(actor);
      const quarter = endedQuarter(quarterStartsOn);
      return withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const isf = isfReturnsRepository(tx);
        const existing = await isf.find(provider.providerId, quarter.startsOn);
        if (existing !== undefined) {
          const lines = await isf.lines([existing.id]);
          await auditRead(repos, actor, context, lines.map((l) => l.personId), { returnId: existing.id, quarterStartsOn: quarter.startsOn });
          return {
            state: 'submitted',
            providerName: provider.providerName,
            quarter,
            submittedAt: existing.submittedAt,
            submittedByName: existing.submittedByName,
            lines: lines.map((l) => ({ person: personOf(l), spentPence: l.spentPence, balancePence: l.balancePence })),
          };
        }
        const funds = await isf.heldFunds({ providerId: provider.providerId, asOf: quarter.endsOn });
        await auditRead(repos, actor, context, funds.map((f) => f.personId), { quarterStartsOn: quarter.startsOn, form: true });
        return { state: 'due', providerName: provider.providerName, quarter, people: funds.map(personOf) };
      });
    },

    /**
     * Sends the provider's return for an ended quarter: a spent and a balance figure for every person
     * whose fund it held at the quarter's end, and for nobody else. Refused per field (nothing
     * recorded) when a figure is missing or wrong; refused when the quarter was already returned.
     */
    async submit(actor: Actor, quarterStartsOn: string, input: readonly ReturnLineInput[], context: RequestContext): Promise<Outcome<{ returnId: string }>> {
      const provider = requireProvider(actor);
      const quarter = endedQuarter(quarterStartsOn);
      try {
        return await ledger.withRetries(actor.councilId, (tx) => submitWithin(tx, provider, quarter, input, context));
      } catch (error) {
        // Two submissions at the same moment: the unique constraint lets one in; the other lands here.
        if (isUniqueViolation(error)) return fail([alreadySubmitted(quarter)]);
        throw error;
      }
    },

    /** Finance: every ended quarter, each provider holding funds in it, with its return or what is missing. */
    async overview(actor: Actor): Promise<OverviewQuarter[]> {
      requireFinance(actor);
      return withCouncil(actor.councilId, async (tx) => {
        const isf = isfReturnsRepository(tx);
        const funds = await isf.heldFunds();
        const returns = await isf.list();
        const lines = await isf.lines(returns.map((r) => r.id));
        const linesOf = new Map<string, IsfReturnLineRecord[]>();
        for (const line of lines) linesOf.set(line.returnId, [...(linesOf.get(line.returnId) ?? []), line]);
        const earliest = funds.reduce<string | null>((first, f) => (first === null || compareDates(f.heldFrom, first) < 0 ? f.heldFrom : first), null);
        const returnOf = new Map(returns.map((r) => [`${r.quarterStartsOn}|${r.providerId}`, r]));
        return endedQuarters(clock.today(), earliest, QUARTERS_SHOWN).map((quarter) => {
          const heldThen = funds.filter((f) => compareDates(f.heldFrom, quarter.endsOn) <= 0);
          const providers = new Map<string, { name: string; people: Set<string> }>();
          for (const f of heldThen) {
            const entry = providers.get(f.providerId) ?? { name: f.providerName, people: new Set<string>() };
            entry.people.add(f.personId);
            providers.set(f.providerId, entry);
          }
          for (const r of returns.filter((x) => x.quarterStartsOn === quarter.startsOn)) {
            if (!providers.has(r.providerId)) providers.set(r.providerId, { name: r.providerName, people: new Set() });
          }
          const rows: OverviewRow[] = [...providers].map(([providerId, p]) => {
            const r: IsfReturnRecord | undefined = returnOf.get(`${quarter.startsOn}|${providerId}`);
            const returned = r === undefined ? [] : (linesOf.get(r.id) ?? []);
            const returnedPeople = new Set(returned.map((l) => l.personId));
            return {
              providerId,
              providerName: p.name,
              peopleCount: p.people.size,
              missingCount: [...p.people].filter((id) => !returnedPeople.has(id)).length,
              ...(r === undefined ? {} : { submitted: { at: r.submittedAt, byName: r.submittedByName, differences: countDifferences(returned) } }),
            };
          });
          rows.sort((x, y) => x.providerName.localeCompare(y.providerName, 'en-GB'));
          return { quarter, rows };
        });
      });
    },

    /** Finance: one provider's return for one ended quarter, person by person, with who is missing. Each person is audited as a read. */
    async review(actor: Actor, quarterStartsOn: string, providerId: string, context: RequestContext): Promise<ReviewView> {
      requireFinance(actor);
      const quarter = endedQuarter(quarterStartsOn);
      return withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const isf = isfReturnsRepository(tx);
        const providerName = await isf.providerName(providerId);
        if (providerName === undefined) throw new NotFoundError(`No provider with id ${providerId} in this council`);
        const existing = await isf.find(providerId, quarter.startsOn);
        const returned = existing === undefined ? [] : await isf.lines([existing.id]);
        const funds = await isf.heldFunds({ providerId, asOf: quarter.endsOn });
        const accountOf = new Map(funds.map((f) => [f.personId, f.accountId]));
        const spent = await isf.spentBetween([...accountOf.values()], quarter.startsOn, quarter.endsOn);
        const lines: ReviewLine[] = returned.map((l) => {
          const account = accountOf.get(l.personId);
          const ledgerSpentPence = account === undefined ? 0n : (spent.get(account) ?? 0n);
          return {
            person: personOf(l),
            spentPence: l.spentPence,
            balancePence: l.balancePence,
            ledgerBalancePence: l.ledgerBalancePence,
            balance: compareLine(l),
            ledgerSpentPence,
            spent: compareSpent(l.spentPence, ledgerSpentPence),
          };
        });
        const returnedPeople = new Set(returned.map((l) => l.personId));
        const missing = funds.filter((f) => !returnedPeople.has(f.personId)).map(personOf);
        await auditRead(repos, actor, context, [...lines.map((l) => l.person.personId), ...missing.map((m) => m.personId)], {
          providerId,
          quarterStartsOn: quarter.startsOn,
          returnId: existing?.id ?? null,
        });
        return {
          quarter,
          providerId,
          providerName,
          ...(existing === undefined ? {} : { submitted: { at: existing.submittedAt, byName: existing.submittedByName } }),
          lines,
          differences: lines.filter((l) => l.balance.flagged).length,
          missing,
        };
      });
    },
  };
}

export type IsfReturnServices = ReturnType<typeof isfReturnServices>;
