import type { TenantTx } from '../tenancy.ts';
import type { AccountKind, StaffRole } from '../schema.ts';

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
  return {
    async findById(id: string): Promise<Account | undefined> {
      const row = await tx.selectFrom('accounts').select(columns).where('id', '=', id).executeTakeFirst();
      return row && toAccount(row);
    },
  };
}
