/**
 * End-to-end journeys in a real browser against the real server (`npm run test:e2e`).
 *
 * The server runs on a fresh embedded database for every run, seeded with the two demo councils.
 * Every HTML page a journey visits is checked with axe and html-validate (tests/e2e/fixtures.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const PORT = 3100;
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Workers load this file again; the environment carries the runner's run id to them, so the whole
// run agrees on one data directory (only the runner starts the server, but keep them consistent).
if (process.env.ONEBUDGET_E2E_RUN === undefined) {
  // The runner's first load: clear data directories left by earlier runs (about 40 MB each).
  // Port 3100 is fixed, so no other run can be using them.
  for (const entry of fs.existsSync('.tmp') ? fs.readdirSync('.tmp') : []) {
    if (entry.startsWith('e2e-data-') || entry.startsWith('e2e-totp-steps-')) fs.rmSync(path.join('.tmp', entry), { recursive: true, force: true });
  }
}
process.env.ONEBUDGET_E2E_RUN ??= `${new Date().toISOString().replace(/[^0-9]/g, '')}-${process.pid}`;
const DATA_DIR = path.join('.tmp', `e2e-data-${process.env.ONEBUDGET_E2E_RUN}`);
/** A second server whose sessions end after 1 idle minute, for the idle-expiry journey (idle.spec.ts). */
export const IDLE_PORT = 3101;
const IDLE_DATA_DIR = path.join('.tmp', `e2e-data-${process.env.ONEBUDGET_E2E_RUN}-idle`);

function server(port: number, dataDir: string, extraEnv: Record<string, string>) {
  return {
    command: 'node --import tsx src/main.ts',
    cwd: ROOT,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      DEMO_DATA: 'true',
      DATABASE_URL: '', // always the embedded database, even where a developer has set one
      // Read the source address from X-Forwarded-For, so that the journey that trips the sign-in
      // throttle can do it from an address of its own and leave 127.0.0.1 free for the others.
      TRUST_PROXY: 'true',
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // One server process on an embedded database, on a 2-core machine: one worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: [server(PORT, DATA_DIR, {}), server(IDLE_PORT, IDLE_DATA_DIR, { SESSION_IDLE_MINUTES: '1' })],
});
