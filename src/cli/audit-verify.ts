/**
 * `npm run audit:verify`: recompute every council's audit hash chain and name any break.
 * Exits 0 when every chain is whole, 1 when any is broken. Prints each chain's head hash: keep a
 * copy somewhere else (a ticket, a signed email) and a later rewrite of the whole chain shows too.
 */
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { describeBreak } from '../domain/audit/chain.ts';
import { verifyAuditChains } from '../services/audit.ts';
import { auditChainReader } from '../db/audit-chain.ts';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, queryTimeoutMs: config.queryTimeoutMs });
let broken = 0;
try {
  await migrate(database);
  for (const report of await verifyAuditChains(auditChainReader(database.db))) {
    if (report.breaks.length === 0) {
      console.log(`${report.councilName} (${report.councilSlug}): ${report.events} events, chain whole. Head: ${report.head || '(empty)'}`);
    } else {
      broken += 1;
      console.log(`${report.councilName} (${report.councilSlug}): ${report.events} events, CHAIN BROKEN:`);
      for (const b of report.breaks) console.log(`  - ${describeBreak(b)}`);
    }
  }
} finally {
  await database.close();
}
process.exit(broken === 0 ? 0 : 1);
