/**
 * `npm run demo:reset`: remove everything in the configured database, migrate it and seed the demo
 * councils again. Refuses in production. Stop the server first when using the embedded database.
 */
import { loadConfig } from '../config.ts';
import { systemClock } from '../clock.ts';
import { openDatabase } from '../db/database.ts';
import { dropEverything, migrate } from '../db/migrate.ts';
import { seedDemo } from '../demo/seed.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../demo/accounts.ts';
import { hashNewPassword } from '../services/passwords.ts';
import { secretBox } from '../services/secret-box.ts';
import { groupInFours } from '../domain/identity/totp.ts';

const config = loadConfig();
if (config.env === 'production') {
  console.error('demo:reset deletes every record: it will not run with NODE_ENV=production.');
  process.exit(1);
}
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, queryTimeoutMs: config.queryTimeoutMs });
try {
  await dropEverything(database);
  await migrate(database);
  const summary = await seedDemo(database, {
    passwordHash: await hashNewPassword(DEMO_PASSWORD, { hasMfa: false }),
    today: systemClock.today(),
    // Not production (refused above): demo staff get the published demo authenticator secret.
    mfa: { secrets: secretBox(config.sessionSecret) },
  });
  for (const c of summary.councils) {
    console.log(`${c.name}: ${c.people} people, ${c.staff} staff, ${c.providers} providers, ${c.services} services`);
    const plans = c.plans;
    console.log(
      `  plans: ${plans.draft} draft, ${plans.submitted} awaiting approval, ${plans.returned} returned, ${plans.approved} approved awaiting agreement, ${plans.agreed} agreed, ${plans.superseded} superseded`,
    );
    const m = c.money;
    console.log(`  money: ${m.budgets} budgets on the ledger, ${m.runs} payment runs paying ${m.payments} payments, ${m.returns} spending returns, ${m.recoveries} recoveries, ${m.isfReturns} ISF returns`);
  }
  console.log(`Demo data reset. Every demo account's password is: ${DEMO_PASSWORD}`);
  console.log(`Demo staff sign in with codes from the demo authenticator secret ${groupInFours(DEMO_TOTP_SECRET)}`);
} finally {
  await database.close();
}
