import type { TenantTx } from '../tenancy.ts';
import type { StaffRole } from '../schema.ts';

export interface StaffMember {
  readonly id: string;
  readonly councilId: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: StaffRole;
  readonly jobTitle: string;
  readonly team: string;
  readonly approvalLimitPence: bigint | null;
}

export function staffRepository(tx: TenantTx) {
  return {
    async findById(id: string): Promise<StaffMember | undefined> {
      const row = await tx
        .selectFrom('staff')
        .select(['id', 'council_id', 'email', 'display_name', 'role', 'job_title', 'team', 'approval_limit_pence'])
        .where('id', '=', id)
        .executeTakeFirst();
      return (
        row && {
          id: row.id,
          councilId: row.council_id,
          email: row.email,
          displayName: row.display_name,
          role: row.role,
          jobTitle: row.job_title,
          team: row.team,
          approvalLimitPence: row.approval_limit_pence,
        }
      );
    },
  };
}
