import { sql } from 'kysely';
import pg from 'pg';
import { atCommit } from '../tenancy.ts';
import type { TenantTx } from '../tenancy.ts';
import { escapeLike } from './like.ts';

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

/**
 * One audit event as an INSERT with its values written in, each quoted by node-postgres'
 * escapeLiteral (which also writes a backslash safely whatever standard_conforming_strings says),
 * so that it can go in the same message as the COMMIT (`recordAtCommit`).
 */
export function auditInsertText(event: AuditEvent): string {
  const text = (value: string | null | undefined) => (value === null || value === undefined ? 'NULL' : pg.escapeLiteral(value));
  return `INSERT INTO audit_events (council_id, occurred_at, actor_id, actor_role, action, subject_type, subject_id, source_address, request_id, reason, detail) VALUES (${[
    `${text(event.councilId)}::uuid`,
    `${text(event.occurredAt.toISOString())}::timestamptz`,
    `${text(event.actorId)}::uuid`,
    text(event.actorRole),
    text(event.action),
    text(event.subjectType),
    `${text(event.subjectId)}::uuid`,
    text(event.sourceAddress),
    text(event.requestId),
    text(event.reason),
    `${text(event.detail === undefined ? null : JSON.stringify(event.detail))}::jsonb`,
  ].join(', ')})`;
}

export interface AuditFilter {
  readonly action?: string | undefined;
  /** Part of a staff member's name or email. */
  readonly actor?: string | undefined;
  /** A person's reference, exactly. */
  readonly personReference?: string | undefined;
  /** One person, by id. */
  readonly personId?: string | undefined;
  /** Inclusive, 'YYYY-MM-DD', days in England. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface AuditEntry {
  readonly seq: bigint;
  readonly occurredAt: Date;
  readonly actorName: string | null;
  readonly actorEmail: string | null;
  readonly actorRole: string | null;
  readonly action: string;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
  readonly subjectLabel: string | null;
  readonly sourceAddress: string | null;
  readonly requestId: string | null;
  readonly reason: string | null;
  readonly detail: unknown;
  readonly hash: string;
}

/** One look at or change to a person's record, as the family sees it: by role, organisation and date. */
export interface RecordAccess {
  readonly occurredAt: Date;
  readonly action: string;
  readonly actorId: string | null;
  /** The staff role, or 'family' or 'provider', as recorded at the time. */
  readonly actorRole: string | null;
  /** The staff member's team, when the actor is staff. */
  readonly actorTeam: string | null;
  /** The provider organisation, when the actor is a provider user. */
  readonly actorProvider: string | null;
}

export function auditRepository(tx: TenantTx) {
  const filtered = (filter: AuditFilter) => {
    let q = tx
      .selectFrom('audit_events as a')
      .leftJoin('accounts as s', 's.id', 'a.actor_id')
      // An API token acts under its own id (role api_client) and is named by its name (migration 0006).
      .leftJoin('api_tokens as t', (join) => join.onRef('t.id', '=', 'a.actor_id').on('a.actor_role', '=', 'api_client'))
      .leftJoin('api_tokens as st', (join) => join.onRef('st.id', '=', 'a.subject_id').on('a.subject_type', '=', 'api_token'))
      .leftJoin('people as p', (join) => join.onRef('p.id', '=', 'a.subject_id').on('a.subject_type', '=', 'person'));
    if (filter.action) q = q.where('a.action', '=', filter.action);
    if (filter.actor) {
      const like = `%${escapeLike(filter.actor)}%`;
      q = q.where((eb) => eb.or([eb('s.display_name', 'ilike', like), eb('s.email', 'ilike', like), eb('t.name', 'ilike', like)]));
    }
    if (filter.personId) q = q.where('a.subject_type', '=', 'person').where('a.subject_id', '=', filter.personId);
    if (filter.personReference) q = q.where((eb) => eb(eb.fn('upper', ['p.reference']), '=', filter.personReference?.toUpperCase() ?? ''));
    if (filter.from) q = q.where(sql<string>`(a.occurred_at AT TIME ZONE 'Europe/London')::date`, '>=', filter.from);
    if (filter.to) q = q.where(sql<string>`(a.occurred_at AT TIME ZONE 'Europe/London')::date`, '<=', filter.to);
    return q;
  };

  return {
    async search(
      filter: AuditFilter,
      page: { offset: number; limit: number; order?: 'newest first' | 'oldest first' },
    ): Promise<AuditEntry[]> {
      const rows = await filtered(filter)
        .select([
          'a.seq',
          'a.occurred_at',
          (eb) => eb.fn.coalesce('s.display_name', 't.name').as('actor_name'),
          's.email as actor_email',
          'a.actor_role',
          'a.action',
          'a.subject_type',
          'a.subject_id',
          sql<string | null>`CASE WHEN p.id IS NOT NULL THEN p.reference || ' ' || p.given_name || ' ' || p.family_name WHEN st.id IS NOT NULL THEN 'API token ' || st.name ELSE NULL END`.as('subject_label'),
          'a.source_address',
          'a.request_id',
          'a.reason',
          'a.detail',
          'a.hash',
        ])
        .orderBy('a.seq', page.order === 'oldest first' ? 'asc' : 'desc')
        .offset(page.offset)
        .limit(page.limit)
        .execute();
      return rows.map((r) => ({
        seq: r.seq,
        occurredAt: r.occurred_at,
        actorName: r.actor_name,
        actorEmail: r.actor_email,
        actorRole: r.actor_role,
        action: r.action,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        subjectLabel: r.subject_label,
        sourceAddress: r.source_address,
        requestId: r.request_id,
        reason: r.reason,
        detail: r.detail,
        hash: r.hash,
      }));
    },
    async count(filter: AuditFilter): Promise<number> {
      const row = await filtered(filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async actions(): Promise<string[]> {
      const rows = await tx.selectFrom('audit_events').select('action').distinct().orderBy('action').execute();
      return rows.map((r) => r.action);
    },

    /**
     * Records the event with the transaction's COMMIT (src/db/tenancy.ts `atCommit`): for the audit
     * event of a read, which then holds the council's audit chain only for the database's own time.
     * It is written only if the transaction commits; a later refusal or failure leaves no event.
     */
    recordAtCommit(event: AuditEvent): void {
      atCommit(tx, auditInsertText(event));
    },

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
    /** Every event about one person's record, newest first, leaving out the actions named. */
    async accessesTo(personId: string, options: { excludeActions: readonly string[]; limit: number }): Promise<RecordAccess[]> {
      let q = tx
        .selectFrom('audit_events as a')
        .leftJoin('accounts as s', 's.id', 'a.actor_id')
        .leftJoin('providers as pr', 'pr.id', 's.provider_id')
        .select(['a.occurred_at', 'a.action', 'a.actor_id', 'a.actor_role', 's.team', 'pr.name as provider_name'])
        .where('a.subject_type', '=', 'person')
        .where('a.subject_id', '=', personId);
      if (options.excludeActions.length > 0) q = q.where('a.action', 'not in', options.excludeActions);
      const rows = await q.orderBy('a.seq', 'desc').limit(options.limit).execute();
      return rows.map((r) => ({
        occurredAt: r.occurred_at,
        action: r.action,
        actorId: r.actor_id,
        actorRole: r.actor_role,
        actorTeam: r.team,
        actorProvider: r.provider_name,
      }));
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
