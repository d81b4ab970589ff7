/**
 * The real process, as `npm start` runs it: it starts on an empty data directory with demo data,
 * answers /healthz, refuses a second process on the same directory, and stops cleanly on SIGTERM.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PORT = 3400 + (process.pid % 500);

function start(dataDir: string, port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'warn', DEMO_DATA: 'true', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitForHealth(port: number, deadlineMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no answer on /healthz within ${deadlineMs} ms`);
}

describe('the OneBudget process on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-process-'));
  let first: ReturnType<typeof start>;

  before(async () => {
    first = start(dataDir, PORT);
    await waitForHealth(PORT, 60_000);
  });
  after(async () => {
    if (first.child.exitCode === null) {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the home page with both demo councils and prints the demo accounts', async () => {
    const home = await (await fetch(`http://127.0.0.1:${PORT}/`)).text();
    assert.match(home, /Northam City Council/);
    assert.match(home, /Southby County Council/);
    assert.match(first.output(), /caseworker@northam\.example/);
    assert.match(first.output(), /password: onebudget-demo-2026/);
  });

  it('stops a second process on the same data directory at once, with a clear message', async () => {
    const second = start(dataDir, PORT + 1);
    const timer = setTimeout(() => second.child.kill('SIGKILL'), 20_000);
    const code = await second.exited;
    clearTimeout(timer);
    assert.equal(code, 1);
    assert.match(second.output(), /already in use by another OneBudget process \(pid \d+\)/);
  });

  it('finishes and releases the data directory on SIGTERM', async () => {
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.equal(fs.existsSync(path.join(dataDir, 'onebudget.lock')), false);
  });
});
