/**
 * The audit log's hash chain, recomputed independently of the database that wrote it.
 * Must match `audit_canonical` and `audit_chain` in src/db/migrations/0002_audit_chain.sql.
 */
import crypto from 'node:crypto';

/** An audit event as stored, every field as the text PostgreSQL renders (see the verify query). */
export interface ChainedEvent {
  readonly id: string;
  readonly councilId: string;
  readonly seq: string;
  readonly occurredAt: string; // 'YYYY-MM-DDTHH:MM:SS.ffffffZ'
  readonly actorId: string | null;
  readonly actorRole: string | null;
  readonly action: string;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
  readonly sourceAddress: string | null;
  readonly requestId: string | null;
  readonly reason: string | null;
  readonly detail: string | null; // jsonb as text
  readonly prevHash: string;
  readonly hash: string;
}

function field(value: string | null): string {
  return value === null ? '-' : `${Buffer.byteLength(value, 'utf8')}:${value}`;
}

export function canonical(e: ChainedEvent): string {
  return [
    e.councilId,
    e.seq,
    e.occurredAt,
    e.actorId,
    e.actorRole,
    e.action,
    e.subjectType,
    e.subjectId,
    e.sourceAddress,
    e.requestId,
    e.reason,
    e.detail,
  ]
    .map(field)
    .join('|');
}

export function eventHash(prevHash: string, e: ChainedEvent): string {
  return crypto.createHash('sha256').update(`${prevHash}|${canonical(e)}`, 'utf8').digest('hex');
}

export type ChainBreak =
  | { readonly kind: 'altered'; readonly seq: string; readonly id: string }
  | { readonly kind: 'missing'; readonly afterSeq: string; readonly expectedSeq: string }
  | { readonly kind: 'relinked'; readonly seq: string; readonly id: string };

export interface ChainReport {
  readonly events: number;
  readonly head: string;
  readonly breaks: readonly ChainBreak[];
}

/**
 * Checks one council's events fed in sequence order: each must follow its predecessor (no gap),
 * name its predecessor's hash, and hash to what it says. Keeps at most 100 breaks.
 */
export function chainVerifier() {
  const breaks: ChainBreak[] = [];
  let expectedSeq = 1n;
  let previousHash = '';
  let previousSeq = '0';
  let count = 0;
  return {
    add(e: ChainedEvent): void {
      count += 1;
      const found: ChainBreak[] = [];
      const seq = BigInt(e.seq);
      if (seq !== expectedSeq) found.push({ kind: 'missing', afterSeq: previousSeq, expectedSeq: expectedSeq.toString() });
      if (e.prevHash !== previousHash) found.push({ kind: 'relinked', seq: e.seq, id: e.id });
      if (eventHash(e.prevHash, e) !== e.hash) found.push({ kind: 'altered', seq: e.seq, id: e.id });
      breaks.push(...found.slice(0, Math.max(0, 100 - breaks.length)));
      expectedSeq = seq + 1n;
      previousHash = e.hash;
      previousSeq = e.seq;
    },
    report(): ChainReport {
      return { events: count, head: previousHash, breaks: [...breaks] };
    },
  };
}

export function verifyChain(events: Iterable<ChainedEvent>): ChainReport {
  const verifier = chainVerifier();
  for (const e of events) verifier.add(e);
  return verifier.report();
}

export async function verifyChainAsync(events: AsyncIterable<ChainedEvent>): Promise<ChainReport> {
  const verifier = chainVerifier();
  for await (const e of events) verifier.add(e);
  return verifier.report();
}

export function describeBreak(b: ChainBreak): string {
  switch (b.kind) {
    case 'altered':
      return `event ${b.seq} (id ${b.id}) does not match its hash: it was changed after it was written`;
    case 'missing':
      return `after event ${b.afterSeq} the next event should be ${b.expectedSeq}: events were removed`;
    case 'relinked':
      return `event ${b.seq} (id ${b.id}) does not follow on from the event before it: the chain was cut or rebuilt here`;
  }
}
