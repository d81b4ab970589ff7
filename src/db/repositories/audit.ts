import type { TenantTx } from '../tenancy.ts';

export interface AuditEvent {
  readonly councilId: string;
  readonly occurredAt: Date;
  readonly actorId: string | null;
  readonly actorRole: string | null;
  readonly action: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
  readonly sourceAddress?: string;
  readonly requestId?: string;
  readonly reason?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export function auditRepository(tx: TenantTx) {
  return {
    async record(event: AuditEvent): Promise<void> {
      await tx
        .insertInto('audit_events')
        .values({
          council_id: event.councilId,
          occurred_at: event.occurredAt,
          actor_id: event.actorId,
          actor_role: event.actorRole,
          action: event.action,
          subject_type: event.subjectType ?? null,
          subject_id: event.subjectId ?? null,
          source_address: event.sourceAddress ?? null,
          request_id: event.requestId ?? null,
          reason: event.reason ?? null,
          detail: event.detail === undefined ? null : JSON.stringify(event.detail),
        })
        .execute();
    },
    async countFor(subjectType: string, subjectId: string): Promise<number> {
      const row = await tx
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('subject_type', '=', subjectType)
        .where('subject_id', '=', subjectId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
