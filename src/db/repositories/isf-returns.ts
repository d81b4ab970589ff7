/**
 * Individual service fund returns (migration 0014: isf_returns, isf_return_lines) and the provider
 * ledger accounts they are about. Only SQL: the rules are in src/domain/monitoring/isf-return.ts and
 * src/services/isf-returns.ts. Row-level security keeps every query within the council.
 *
 * A provider "holds a person's fund" when the ledger has an account {kind 'provider', provider,
 * person} with at least one entry: that is where the fund was passed to the provider
 * (src/domain/payments/set-up.ts), and what a return is compared with.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import type { Pence } from '../../domain/money/money.ts';

/** PostgreSQL's name for UNIQUE (council_id, provider_id, quarter_starts_on) of isf_returns. */
export const ISF_RETURN_UNIQUE = 'isf_returns_council_id_provider_id_quarter_starts_on_key';

/** One fund a provider holds for a person: its ledger account and when money first reached it. */
export interface HeldFund {
  readonly accountId: string;
  readonly providerId: string;
  readonly providerName: string;
  readonly personId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly reference: string;
  /** The first day the account had an entry: the fund is held from then on. */
  readonly heldFrom: string;
}

export interface IsfReturnRecord {
  readonly id: string;
  readonly providerId: string;
  readonly providerName: string;
  readonly quarterStartsOn: string;
  readonly submittedBy: string;
  readonly submittedByName: string;
  readonly submittedAt: Date;
}

export interface IsfReturnLineRecord {
  readonly returnId: string;
  readonly personId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly reference: string;
  readonly spentPence: Pence;
  readonly balancePence: Pence;
  readonly ledgerBalancePence: Pence;
}

export interface NewIsfReturnLine {
  readonly personId: string;
  readonly spentPence: Pence;
  readonly balancePence: Pence;
  readonly ledgerBalancePence: Pence;
}

export function isfReturnsRepository(tx: TenantTx) {
  const returns = () =>
    tx
      .selectFrom('isf_returns as r')
      .innerJoin('providers as p', 'p.id', 'r.provider_id')
      .innerJoin('accounts as a', 'a.id', 'r.submitted_by')
      .select([
        'r.id',
        'r.provider_id as providerId',
        'p.name as providerName',
        'r.quarter_starts_on as quarterStartsOn',
        'r.submitted_by as submittedBy',
        'a.display_name as submittedByName',
        'r.submitted_at as submittedAt',
      ]);

  return {
    /**
     * The funds providers hold (every provider, or one), with when each was first held. Only funds
     * with an entry on or before `asOf` when it is given.
     */
    async heldFunds(filter: { providerId?: string; asOf?: string } = {}): Promise<HeldFund[]> {
      let query = tx
        .selectFrom('ledger_accounts as la')
        .innerJoin('ledger_entries as le', 'le.account_id', 'la.id')
        .innerJoin('providers as pr', 'pr.id', 'la.provider_id')
        .innerJoin('people as pe', 'pe.id', 'la.person_id')
        .select([
          'la.id as accountId',
          'pr.id as providerId',
          'pr.name as providerName',
          'pe.id as personId',
          'pe.given_name as givenName',
          'pe.family_name as familyName',
          'pe.reference',
          sql<string>`min(le.effective_on)::text`.as('heldFrom'),
        ])
        .where('la.kind', '=', 'provider')
        .groupBy(['la.id', 'pr.id', 'pr.name', 'pe.id', 'pe.given_name', 'pe.family_name', 'pe.reference'])
        .orderBy('pr.name')
        .orderBy('pe.family_name')
        .orderBy('pe.given_name')
        .orderBy('pe.id');
      if (filter.providerId !== undefined) query = query.where('la.provider_id', '=', filter.providerId);
      if (filter.asOf !== undefined) query = query.where('le.effective_on', '<=', filter.asOf);
      return query.execute();
    },

    /** Spending less refunds recorded on each account between two days (both included). */
    async spentBetween(accountIds: readonly string[], from: string, to: string): Promise<Map<string, Pence>> {
      const out = new Map<string, Pence>(accountIds.map((id) => [id, 0n]));
      if (accountIds.length === 0) return out;
      const rows = await tx
        .selectFrom('ledger_entries as e')
        .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
        .select(['e.account_id', sql<string>`(-sum(e.amount_pence))::text`.as('spent')])
        .where('e.account_id', '=', sql<string>`any(${[...accountIds]}::uuid[])`)
        .where('t.kind', 'in', ['spend', 'refund'])
        .where('e.effective_on', '>=', from)
        .where('e.effective_on', '<=', to)
        .groupBy('e.account_id')
        .execute();
      for (const r of rows) out.set(r.account_id, BigInt(r.spent));
      return out;
    },

    async providerName(providerId: string): Promise<string | undefined> {
      const row = await tx.selectFrom('providers').select('name').where('id', '=', providerId).executeTakeFirst();
      return row?.name;
    },

    /** Every return (one provider's, or all), the latest quarter first. */
    async list(filter: { providerId?: string } = {}): Promise<IsfReturnRecord[]> {
      let query = returns().orderBy('r.quarter_starts_on', 'desc').orderBy('p.name');
      if (filter.providerId !== undefined) query = query.where('r.provider_id', '=', filter.providerId);
      return query.execute();
    },

    async find(providerId: string, quarterStartsOn: string): Promise<IsfReturnRecord | undefined> {
      return returns().where('r.provider_id', '=', providerId).where('r.quarter_starts_on', '=', quarterStartsOn).executeTakeFirst();
    },

    /** The lines of these returns, with the people's names. */
    async lines(returnIds: readonly string[]): Promise<IsfReturnLineRecord[]> {
      if (returnIds.length === 0) return [];
      return tx
        .selectFrom('isf_return_lines as l')
        .innerJoin('people as pe', 'pe.id', 'l.person_id')
        .select([
          'l.return_id as returnId',
          'l.person_id as personId',
          'pe.given_name as givenName',
          'pe.family_name as familyName',
          'pe.reference',
          'l.spent_pence as spentPence',
          'l.balance_pence as balancePence',
          'l.ledger_balance_pence as ledgerBalancePence',
        ])
        .where('l.return_id', '=', sql<string>`any(${[...returnIds]}::uuid[])`)
        .orderBy('pe.family_name')
        .orderBy('pe.given_name')
        .orderBy('pe.id')
        .execute();
    },

    /**
     * Records a return (its lines follow, once the ledger has been told). A second return for the
     * provider and quarter fails on the unique constraint ISF_RETURN_UNIQUE (the caller turns that
     * into a refusal).
     */
    async insertReturn(row: { id: string; councilId: string; providerId: string; quarterStartsOn: string; submittedBy: string; submittedAt: Date }): Promise<void> {
      await tx
        .insertInto('isf_returns')
        .values({ id: row.id, council_id: row.councilId, provider_id: row.providerId, quarter_starts_on: row.quarterStartsOn, submitted_by: row.submittedBy, submitted_at: row.submittedAt })
        .execute();
    },

    async insertLines(councilId: string, returnId: string, lines: readonly NewIsfReturnLine[]): Promise<void> {
      if (lines.length === 0) return;
      await tx
        .insertInto('isf_return_lines')
        .values(
          lines.map((l) => ({
            council_id: councilId,
            return_id: returnId,
            person_id: l.personId,
            spent_pence: l.spentPence,
            balance_pence: l.balancePence,
            ledger_balance_pence: l.ledgerBalancePence,
          })),
        )
        .execute();
    },
  };
}

export type IsfReturnsRepository = ReturnType<typeof isfReturnsRepository>;
