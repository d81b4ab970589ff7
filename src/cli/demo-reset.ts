/**
 * `npm run demo:reset`: remove everything in the configured database, migrate it and seed the demo
 * councils again. Refuses in production. Stop the server first when using the embedded database.
 */
import { hash } from '@node-rs/argon2';
import { loadConfig } from '../config.ts';
import { systemClock } from '../clock.ts';
import { openDatabase } from '../db/database.ts';
import { dropEverything, migrate } from '../db/migrate.ts';
import { seedDemo } from '../demo/seed.ts';
import { DEMO_PASSWORD } from '../demo/accounts.ts';

const config = loadConfig();
if (config.env === 'production') {
  console.error('demo:reset deletes every record: it will not run with NODE_ENV=production.');
  process.exit(1);
}
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, queryTimeoutMs: config.queryTimeoutMs });
try {
  await dropEverything(database);
  await migrate(database);
  const summary = await seedDemo(database, { passwordHash: await hash(DEMO_PASSWORD), today: systemClock.today() });
  for (const c of summary.councils) {
    console.log(`${c.name}: ${c.people} people, ${c.staff} staff, ${c.providers} providers, ${c.services} services`);
  }
  console.log(`Demo data reset. Every demo account's password is: ${DEMO_PASSWORD}`);
} finally {
  await database.close();
}
