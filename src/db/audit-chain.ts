/**
 * Reads each council's audit chain for verification, through the owner connection (verification
 * spans councils and must see every row). Keyset pages keep memory flat for millions of events.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';
import type { ChainedEvent } from '../domain/audit/chain.ts';
import { systemRepository, type CouncilRow } from './system.ts';

const PAGE = 5000;

interface Row {
  id: string;
  council_id: string;
  seq: string;
  occurred_at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  source_address: string | null;
  request_id: string | null;
  reason: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

async function* chainOf(db: Kysely<Schema>, councilId: string): AsyncGenerator<ChainedEvent> {
  let after = 0n;
  for (;;) {
    const { rows } = await sql<Row>`
      SELECT id::text, council_id::text, seq::text,
             to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
             actor_id::text, actor_role, action, subject_type, subject_id::text, source_address,
             request_id, reason, detail::text, prev_hash, hash
        FROM audit_events
       WHERE council_id = ${councilId} AND seq > ${after.toString()}::bigint
       ORDER BY audit_events.seq -- the table column: the output column "seq" is text
       LIMIT ${PAGE}`.execute(db);
    for (const r of rows) {
      yield {
        id: r.id,
        councilId: r.council_id,
        seq: r.seq,
        occurredAt: r.occurred_at,
        actorId: r.actor_id,
        actorRole: r.actor_role,
        action: r.action,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        sourceAddress: r.source_address,
        requestId: r.request_id,
        reason: r.reason,
        detail: r.detail,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
    }
    if (rows.length < PAGE) return;
    after = BigInt(rows[rows.length - 1]?.seq ?? '0');
  }
}

export interface AuditChainReader {
  councils(): Promise<CouncilRow[]>;
  chainOf(councilId: string): AsyncIterable<ChainedEvent>;
}

export function auditChainReader(db: Kysely<Schema>): AuditChainReader {
  return {
    councils: () => systemRepository(db).listCouncils(),
    chainOf: (councilId) => chainOf(db, councilId),
  };
}
