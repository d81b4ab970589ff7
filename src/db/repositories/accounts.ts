import type { TenantTx } from '../tenancy.ts';
import { escapeLike } from './like.ts';
import type { AccountKind, StaffRole } from '../schema.ts';
import { emailMatches } from '../email.ts';

export interface Account {
  readonly id: string;
  readonly councilId: string;
  readonly kind: AccountKind;
  readonly email: string;
  readonly displayName: string;
  /** Staff only. */
  readonly role: StaffRole | null;
  readonly jobTitle: string | null;
  readonly team: string | null;
  readonly approvalLimitPence: bigint | null;
  /** Provider users only. */
  readonly providerId: string | null;
  readonly disabledAt: Date | null;
}

/** One line of the administrators' list of accounts. */
export interface AccountListing extends Account {
  readonly providerName: string | null;
  readonly hasAuthenticator: boolean;
  readonly sessions: number;
}

export interface AccountFilter {
  /** Part of a name or email. */
  readonly text?: string | undefined;
  readonly kind?: AccountKind | undefined;
}

export function accountsRepository(tx: TenantTx) {
  const columns = [
    'id',
    'council_id',
    'kind',
    'email',
    'display_name',
    'role',
    'job_title',
    'team',
    'approval_limit_pence',
    'provider_id',
    'disabled_at',
  ] as const;
  type Row = {
    id: string;
    council_id: string;
    kind: AccountKind;
    email: string;
    display_name: string;
    role: StaffRole | null;
    job_title: string | null;
    team: string | null;
    approval_limit_pence: bigint | null;
    provider_id: string | null;
    disabled_at: Date | null;
  };
  const toAccount = (row: Row): Account => ({
    id: row.id,
    councilId: row.council_id,
    kind: row.kind,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    jobTitle: row.job_title,
    team: row.team,
    approvalLimitPence: row.approval_limit_pence,
    providerId: row.provider_id,
    disabledAt: row.disabled_at,
  });
  const listingBase = () =>
    tx
      .selectFrom('accounts as a')
      .leftJoin('providers as pr', 'pr.id', 'a.provider_id')
      .leftJoin('account_mfa as m', 'm.account_id', 'a.id');
  const withListingColumns = (q: ReturnType<typeof listingBase>) =>
    q.select(columns.map((c) => `a.${c}` as const)).select([
      'pr.name as provider_name',
      'm.account_id as mfa_account_id',
      (eb) => eb.selectFrom('sessions as s').select((e) => e.fn.countAll<string>().as('n')).whereRef('s.account_id', '=', 'a.id').as('session_count'),
    ]);
  const toListing = (r: Row & { provider_name: string | null; mfa_account_id: string | null; session_count: string | number | bigint | null }): AccountListing => ({
    ...toAccount(r),
    providerName: r.provider_name,
    hasAuthenticator: r.mfa_account_id !== null,
    sessions: Number(r.session_count ?? 0),
  });
  return {
    async findById(id: string): Promise<Account | undefined> {
      const row = await tx.selectFrom('accounts').select(columns).where('id', '=', id).executeTakeFirst();
      return row && toAccount(row);
    },
    async findByEmail(email: string): Promise<Account | undefined> {
      const row = await tx
        .selectFrom('accounts')
        .select(columns)
        .where(emailMatches(email))
        .executeTakeFirst();
      return row && toAccount(row);
    },
    /** Accounts for the administrators' list, with their app and live sessions. */
    async list(filter: AccountFilter, page: { offset: number; limit: number }): Promise<{ accounts: AccountListing[]; total: number }> {
      let q = listingBase();
      if (filter.kind !== undefined) q = q.where('a.kind', '=', filter.kind);
      if (filter.text) {
        const like = `%${escapeLike(filter.text)}%`;
        q = q.where((eb) => eb.or([eb('a.display_name', 'ilike', like), eb('a.email', 'ilike', like)]));
      }
      const total = Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const rows = await withListingColumns(q).orderBy('a.display_name').orderBy('a.id').offset(page.offset).limit(page.limit).execute();
      return { total, accounts: rows.map(toListing) };
    },
    /** One account as the administrators' list shows it. */
    async listing(id: string): Promise<AccountListing | undefined> {
      const row = await withListingColumns(listingBase().where('a.id', '=', id)).executeTakeFirst();
      return row && toListing(row);
    },
    async setDisabled(id: string, disabledAt: Date | null): Promise<void> {
      await tx.updateTable('accounts').set({ disabled_at: disabledAt }).where('id', '=', id).execute();
    },
  };
}
