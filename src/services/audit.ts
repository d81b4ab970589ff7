/** Use cases over the audit log as a whole. */
import type { Database } from '../db/database.ts';
import { chainOf } from '../db/audit-chain.ts';
import { systemRepository } from '../db/system.ts';
import { verifyChainAsync, type ChainReport } from '../domain/audit/chain.ts';

export interface CouncilChainReport extends ChainReport {
  readonly councilSlug: string;
  readonly councilName: string;
}

/** Recomputes every council's chain from the stored events. */
export async function verifyAuditChains(database: Database): Promise<CouncilChainReport[]> {
  const councils = await systemRepository(database.db).listCouncils();
  const reports: CouncilChainReport[] = [];
  for (const council of councils) {
    const report = await verifyChainAsync(chainOf(database.db, council.id));
    reports.push({ ...report, councilSlug: council.slug, councilName: council.name });
  }
  return reports;
}
