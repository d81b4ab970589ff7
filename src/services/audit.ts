/** Use cases over the audit log as a whole. */
import type { AuditChainReader } from '../db/audit-chain.ts';
import { verifyChainAsync, type ChainReport } from '../domain/audit/chain.ts';
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { AuditEntry, AuditFilter } from '../db/repositories/audit.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError } from './errors.ts';
import { pageWindow } from './paging.ts';

export interface CouncilChainReport extends ChainReport {
  readonly councilSlug: string;
  readonly councilName: string;
}

/** Recomputes every council's chain from the stored events. */
export async function verifyAuditChains(reader: AuditChainReader): Promise<CouncilChainReport[]> {
  const reports: CouncilChainReport[] = [];
  for (const council of await reader.councils()) {
    const report = await verifyChainAsync(reader.chainOf(council.id));
    reports.push({ ...report, councilSlug: council.slug, councilName: council.name });
  }
  return reports;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
  readonly actions: readonly string[];
}

/** The most rows one export may hold; a wider search is narrowed first (the page says so). */
export const AUDIT_EXPORT_LIMIT = 100_000;

export function auditServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  const allow = (actor: Actor) => {
    if (!mayDo(actor, 'audit:search')) throw new ForbiddenError('Only administrators can search the audit log');
  };
  return {
    async search(actor: Actor, filter: AuditFilter, page: number, pageSize: number): Promise<AuditPage> {
      allow(actor);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const total = await repos.audit.count(filter);
        const shown = pageWindow(page, total, pageSize);
        const entries = await repos.audit.search(filter, { offset: shown.offset, limit: pageSize });
        return { entries, total, page: shown.page, pageCount: shown.pageCount, actions: await repos.audit.actions() };
      });
    },

    /** Every matching event, newest first, for a CSV download; the export is itself audited. */
    async export(actor: Actor, filter: AuditFilter, context: RequestContext): Promise<{ entries: AuditEntry[]; truncated: boolean }> {
      allow(actor);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const entries = await repos.audit.search(filter, { offset: 0, limit: AUDIT_EXPORT_LIMIT + 1 });
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'audit.exported',
          detail: { filter: { ...filter }, rows: Math.min(entries.length, AUDIT_EXPORT_LIMIT) },
        });
        return { entries: entries.slice(0, AUDIT_EXPORT_LIMIT), truncated: entries.length > AUDIT_EXPORT_LIMIT };
      });
    },
  };
}
