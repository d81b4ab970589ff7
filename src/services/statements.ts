/**
 * Statements (issue 6), each use case in one council transaction:
 *  - a person's live statement, as of today or an earlier date, for the family (their own people)
 *    and staff who may see the person; finance officers and administrators get the finance detail
 *    (account names, transaction descriptions and ids). Every view and download is audited as
 *    'person.statement_viewed' with its format, in the same transaction as the read (with its COMMIT);
 *  - the council's budget totals by funding stream and way of managing, as of a date (finance).
 * The figures are built by src/domain/statements/statement.ts from the person's own accounts only.
 */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { auditRepository } from '../db/repositories/audit.ts';
import { statementsRepository, type BudgetTotalsRow } from '../db/repositories/statements.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { compareDates, isIsoDate } from '../domain/pathway/dates.ts';
import { buildStatement, periodBudget, type Statement } from '../domain/statements/statement.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { allowPerson } from './people.ts';
import { isUuid } from '../domain/ids.ts';

export type StatementFormat = 'html' | 'csv' | 'pdf';

export interface PersonStatement {
  readonly person: { readonly id: string; readonly name: string; readonly reference: string };
  readonly statement: Statement;
  /** The finance view: account names, transaction descriptions and ids. */
  readonly financeDetail: boolean;
}

export interface BudgetTotals {
  readonly asOf: string;
  readonly rows: readonly BudgetTotalsRow[];
}

/** A statement date: a real date, not after today. Undefined means today. */
export type AsOfProblem = { readonly ok: false; readonly message: string };

export function checkAsOf(asOf: string, today: string): { readonly ok: true; readonly date: string } | AsOfProblem {
  if (!isIsoDate(asOf)) return { ok: false, message: 'The date must be a real date' };
  if (compareDates(asOf, today) > 0) return { ok: false, message: 'The date must be today or in the past' };
  return { ok: true, date: asOf };
}

export function statementServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  return {
    /** The person's statement as of `asOf` (today when not given); throws NotFound/Forbidden as the person pages do. */
    async person(actor: Actor, personId: string, options: { asOf?: string; format: StatementFormat }, context: RequestContext): Promise<PersonStatement> {
      const today = deps.clock.today();
      const asOf = options.asOf ?? today;
      const checked = checkAsOf(asOf, today);
      if (!checked.ok) throw new RangeError(checked.message);
      // The access facts and the statement in one round trip (see personStatement); nothing read is
      // used until the policy has allowed it. The view's audit event is sent with the COMMIT
      // (decision 0022), and the figures are worked out after it.
      const data = await deps.withCouncil(actor.councilId, async (tx) => {
        const found = isUuid(personId) ? await statementsRepository(tx).personStatement({ councilId: actor.councilId, personId, asOf, today }) : undefined;
        allowPerson(actor, 'person:statement', personId, found?.facts);
        if (found === undefined) throw new NotFoundError(`No person with id ${personId} in this council`); // allowPerson has refused already
        auditRepository(tx).recordAtCommit({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.statement_viewed',
          subjectType: 'person',
          subjectId: personId,
          detail: { format: options.format, asOf },
        });
        return found;
      });
      const current = periodBudget(data.budgets, asOf);
      const contingency = current === null ? null : (data.budgets.find((b) => b.id === current.id)?.contingency ?? null);
      const statement = buildStatement({ ...data, asOf, contingency });
      return { person: data.person, statement, financeDetail: mayDo(actor, 'money:finance-view') };
    },

    /** The council's totals by funding stream × way of managing as of `asOf` (today when not given). */
    async totals(actor: Actor, options: { asOf?: string }): Promise<BudgetTotals> {
      if (!mayDo(actor, 'money:finance-view')) throw new ForbiddenError('Only finance officers and administrators can see the council’s budget totals');
      const today = deps.clock.today();
      const asOf = options.asOf ?? today;
      const checked = checkAsOf(asOf, today);
      if (!checked.ok) throw new RangeError(checked.message);
      return deps.withCouncil(actor.councilId, async (tx) => ({ asOf, rows: await statementsRepository(tx).totals(actor.councilId, asOf) }));
    },
  };
}

export type StatementServices = ReturnType<typeof statementServices>;
