/**
 * Startup: how long from launching `node --import tsx src/main.ts` until the home page is served.
 *   fresh  — an empty database: create (embedded) or use a new empty database (PostgreSQL), migrate,
 *            seed the demo councils (~600 people), listen, render GET / with 200.
 *   reopen — the same database again, already migrated and seeded (3 runs, median reported).
 *   floor  — `node --import tsx -e "0"`, the bare runtime start, measured in the same run (median of 3).
 */
import {
  atMost,
  engine,
  median,
  round,
  runtimeFloorMs,
  say,
  startServer,
  waitForOk,
  withScratchStorage,
  type BenchResult,
} from './support.ts';

export const description = 'time from launch to the first home page: fresh database, reopened database, bare runtime floor';

const FLOOR_RUNS = 3;
const REOPEN_RUNS = 3;
const FRESH_TARGET_MS = 20_000;
const REOPEN_TARGET_MS = 5_000;
// Generous bounds so a slow machine still yields a figure (the targets say what is acceptable).
const FRESH_TIMEOUT_MS = 180_000;
const REOPEN_TIMEOUT_MS = 60_000;

async function timeToFirstPage(
  label: string,
  storage: { dataDir: string; databaseUrl: string | undefined },
  timeoutMs: number,
): Promise<number> {
  const server = await startServer(storage);
  try {
    const servedAt = await waitForOk(server, '/', { timeoutMs, intervalMs: 20 });
    const ms = servedAt - server.spawnedAt;
    say(`  ${label} to first page: ${Math.round(ms)} ms (pid ${server.pid})`);
    // Sanity check (after timing): the page lists the seeded demo councils.
    const response = await fetch(`${server.origin}/`, { signal: AbortSignal.timeout(10_000) });
    const html = await response.text();
    if (!html.includes('href="/c/northam"')) throw new Error('The home page does not list the Northam demo council: was the demo data seeded?');
    return ms;
  } finally {
    const stopMs = await server.stop();
    say(`  stopped pid ${server.pid} in ${Math.round(stopMs)} ms`);
  }
}

export async function run(): Promise<BenchResult> {
  say(`engine: ${engine()}`);
  say(`floor: timing node --import tsx -e "0" (${FLOOR_RUNS} runs)`);
  const floorRuns: number[] = [];
  for (let i = 0; i < FLOOR_RUNS; i++) {
    const ms = await runtimeFloorMs();
    floorRuns.push(ms);
    say(`  floor run ${i + 1}: ${Math.round(ms)} ms`);
  }
  const floorMs = median(floorRuns);

  return withScratchStorage('startup', async (storage) => {
    say(`fresh: empty ${storage.databaseUrl === undefined ? `DATA_DIR ${storage.dataDir}` : 'database'} → migrate, seed, first GET / with 200`);
    const freshMs = await timeToFirstPage('fresh start', storage, FRESH_TIMEOUT_MS);

    const reopenRuns: number[] = [];
    for (let i = 0; i < REOPEN_RUNS; i++) {
      say(`reopen ${i + 1}/${REOPEN_RUNS}: start again on the same database → first GET / with 200`);
      reopenRuns.push(await timeToFirstPage('reopen', storage, REOPEN_TIMEOUT_MS));
    }
    const reopenMs = median(reopenRuns);

    say(
      `floor ${Math.round(floorMs)} ms; fresh ${Math.round(freshMs)} ms (${round(freshMs / floorMs, 2)}× floor); ` +
        `reopen median ${Math.round(reopenMs)} ms (${round(reopenMs / floorMs, 2)}× floor). ` +
        'Ratios to the floor are the comparable figures on noisy machines.',
    );
    const targets = {
      freshToFirstPageMs: atMost('freshToFirstPageMs', freshMs, FRESH_TARGET_MS, 'ms'),
      reopenToFirstPageMs: atMost('reopenToFirstPageMs', reopenMs, REOPEN_TARGET_MS, 'ms'),
    };
    for (const t of Object.values(targets)) say(`target ${t.figure} ≤ ${t.atMost} ${t.unit}: ${t.met ? 'met' : 'MISSED'}`);
    return {
      figures: {
        floorMs: round(floorMs),
        floorRunsMs: floorRuns.map((v) => round(v)),
        freshToFirstPageMs: round(freshMs),
        freshRatioToFloor: round(freshMs / floorMs, 2),
        reopenToFirstPageMs: round(reopenMs),
        reopenRunsMs: reopenRuns.map((v) => round(v)),
        reopenRatioToFloor: round(reopenMs / floorMs, 2),
      },
      targets,
    };
  });
}
