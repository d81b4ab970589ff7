/**
 * Shared helpers for the benchmarks: start the app as a child process on a loopback port, wait for
 * it, stop it by its pid, and clean up the temporary data directory (and, on PostgreSQL, the scratch
 * database) afterwards — always, even when the benchmark fails. Every loop and wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root (the parent of bench/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const LOOPBACK = '127.0.0.1';

export type Engine = 'pglite' | 'postgres';

/** A comparable figure measured next to its target. */
export interface Target {
  readonly figure: string;
  readonly atMost?: number;
  readonly atLeast?: number;
  readonly unit: string;
  readonly met: boolean;
}

export interface BenchResult {
  readonly figures: Record<string, number | number[]>;
  readonly targets: Record<string, Target>;
}

export function engine(): Engine {
  return databaseUrlFromEnv() === undefined ? 'pglite' : 'postgres';
}

export function databaseUrlFromEnv(): string | undefined {
  const value = process.env.DATABASE_URL?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function say(message: string): void {
  console.log(`[bench] ${message}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function atMost(figure: string, value: number, limit: number, unit: string): Target {
  return { figure, atMost: limit, unit, met: value <= limit };
}

export function atLeast(figure: string, value: number, limit: number, unit: string): Target {
  return { figure, atLeast: limit, unit, met: value >= limit };
}

// ---------------------------------------------------------------------------------------------
// Clean-up registry: whatever a benchmark creates (servers, directories, databases) is registered
// here so that an interrupted run (Ctrl-C) still tidies up. Normal runs clean up in `finally`.

type Cleanup = () => Promise<void>;
const cleanups = new Set<Cleanup>();
const liveChildren = new Set<ChildProcess>();

function registerCleanup(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every outstanding clean-up (most recent first). Used by run.ts on SIGINT/SIGTERM. */
export async function cleanUpEverything(): Promise<void> {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      await fn();
    } catch (error) {
      console.error('[bench] clean-up failed:', error instanceof Error ? error.message : error);
    }
  }
}

// Last resort if the runner exits with a server still running: kill it by pid (synchronously).
process.on('exit', () => {
  for (const child of liveChildren) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Temporary data directory

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh directory under .tmp/bench-<label>-XXXXXX in the repository. */
export function makeDataDir(label: string): TempDir {
  const parent = path.join(ROOT, '.tmp');
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, `bench-${label}-`));
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    unregister();
    // Only ever remove what we created, and only inside .tmp/.
    if (path.dirname(dir) !== parent || !path.basename(dir).startsWith('bench-')) throw new Error(`Refusing to remove ${dir}`);
    await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  const unregister = registerCleanup(remove);
  return { path: dir, remove };
}

// ---------------------------------------------------------------------------------------------
// Scratch PostgreSQL database (when DATABASE_URL is set)

export interface ScratchDatabase {
  readonly name: string;
  /** DATABASE_URL pointing at the scratch database. */
  readonly url: string;
  drop(): Promise<void>;
}

let scratchCounter = 0;

async function withAdminClient<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000, statement_timeout: 60_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password !== '') u.password = '***';
  return u.toString();
}

/**
 * Creates an empty, uniquely named database on the server named by `serverUrl`. It is dropped when
 * the benchmark ends, unless BENCH_KEEP_DATABASE=1 (to look at its queries' plans afterwards).
 */
export async function createScratchDatabase(serverUrl: string, label: string): Promise<ScratchDatabase> {
  scratchCounter += 1;
  const name = `onebudget_bench_${label}_${process.pid}_${scratchCounter}`;
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`Unexpected database name ${name}`);
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  say(`created scratch database ${name} on ${redact(serverUrl)}`);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    unregister();
    if (process.env.BENCH_KEEP_DATABASE === '1') {
      say(`kept scratch database ${name} (BENCH_KEEP_DATABASE=1): drop it with DROP DATABASE "${name}"`);
      return;
    }
    await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    say(`dropped scratch database ${name}`);
  };
  const unregister = registerCleanup(drop);
  return { name, url: url.toString(), drop };
}

// ---------------------------------------------------------------------------------------------
// Ports and HTTP polling

/** A port that was free a moment ago on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== LOOPBACK && host !== 'localhost' && host !== '[::1]') throw new Error(`Benchmarks only talk to loopback, not ${host}`);
}

// ---------------------------------------------------------------------------------------------
// The app as a child process

export interface StartOptions {
  readonly dataDir: string;
  /** DATABASE_URL for the child; when absent the runner's own DATABASE_URL (if any) is inherited. */
  readonly databaseUrl?: string | undefined;
  readonly port?: number;
}

export interface Server {
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** performance.now() just before the process was spawned. */
  readonly spawnedAt: number;
  /** The last few kilobytes the child wrote (stdout and stderr). */
  output(): string;
  exited(): boolean;
  /** SIGTERM by pid, wait for exit (SIGKILL after a bound); resolves to the milliseconds it took. */
  stop(): Promise<number>;
}

const OUTPUT_LIMIT = 16 * 1024;
const STOP_GRACE_MS = 15_000; // the app forces its own exit after 10 s

export async function startServer(options: StartOptions): Promise<Server> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: LOOPBACK,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    DEMO_DATA: 'true',
  };
  const databaseUrl = options.databaseUrl ?? databaseUrlFromEnv();
  if (databaseUrl === undefined) delete env.DATABASE_URL;
  else env.DATABASE_URL = databaseUrl;

  const spawnedAt = performance.now();
  // BENCH_CPU_PROFILE_DIR=dir writes a V8 CPU profile of each server run there (Node refuses
  // --cpu-prof in NODE_OPTIONS), to see where a request's time goes.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR?.trim();
  const profile = profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    // spawn failed synchronously (e.g. EAGAIN); the 'error' event carries the reason.
    const reason = await new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(error.message));
      setTimeout(() => resolve('unknown'), 1000).unref();
    });
    throw new Error(`Could not start the server: ${reason}`);
  }
  const pid = child.pid;
  liveChildren.add(child);

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exitPromise = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  void exitPromise.then(() => liveChildren.delete(child));
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  let stopping: Promise<number> | undefined;
  const stop = (): Promise<number> => {
    stopping ??= (async () => {
      unregister();
      const started = performance.now();
      if (exited()) return 0;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Gone between the check and the signal.
      }
      const inTime = await Promise.race([exitPromise.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      if (!inTime) {
        say(`server pid ${pid} did not stop within ${STOP_GRACE_MS} ms of SIGTERM; sending SIGKILL`);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        await Promise.race([exitPromise, sleep(5_000)]);
      }
      return performance.now() - started;
    })();
    return stopping;
  };
  const unregister = registerCleanup(async () => {
    await stop();
  });

  return {
    pid,
    port,
    origin: `http://${LOOPBACK}:${port}`,
    spawnedAt,
    output: () => output,
    exited,
    stop,
  };
}

export interface WaitOptions {
  /** Give up after this long (from the call). */
  readonly timeoutMs: number;
  /** Pause between attempts. */
  readonly intervalMs?: number;
}

/**
 * Polls GET `pathname` on the server until it answers 200. Resolves to performance.now() at the
 * moment the 200 response (headers and body) was received. Fails at once if the server exits.
 */
export async function waitForOk(server: Server, pathname: string, options: WaitOptions): Promise<number> {
  const url = `${server.origin}${pathname}`;
  assertLoopback(url);
  const interval = options.intervalMs ?? 20;
  const deadline = performance.now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  const maxAttempts = Math.ceil(options.timeoutMs / Math.max(interval, 1)) + 10;
  for (let attempt = 0; attempt < maxAttempts && performance.now() < deadline; attempt++) {
    if (server.exited()) {
      throw new Error(`The server exited before ${pathname} answered 200. Its output:\n${server.output()}`);
    }
    try {
      const remaining = Math.max(100, Math.min(5_000, deadline - performance.now()));
      const response = await fetch(url, { signal: AbortSignal.timeout(remaining), redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now();
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
    }
    await sleep(interval);
  }
  throw new Error(`${url} did not answer 200 within ${options.timeoutMs} ms (last: ${lastProblem}). Server output:\n${server.output()}`);
}

/** Runs `fn` with a started server, and always stops it afterwards. */
export async function withServer<T>(options: StartOptions, fn: (server: Server) => Promise<T>): Promise<T> {
  const server = await startServer(options);
  try {
    return await fn(server);
  } finally {
    if (server.exited()) {
      say(`server pid ${server.pid} had already exited`);
    } else {
      const ms = await server.stop();
      say(`stopped server pid ${server.pid} (${Math.round(ms)} ms after SIGTERM)`);
    }
    await server.stop(); // no-op when already stopped; unregisters the clean-up
  }
}

/**
 * Where the app keeps its data for one benchmark: a temporary DATA_DIR always, plus a scratch
 * database on the PostgreSQL server when DATABASE_URL is set (so the bench never seeds or writes to
 * a database it did not create). Both are removed afterwards, even on failure.
 */
export async function withScratchStorage<T>(
  label: string,
  fn: (storage: { dataDir: string; databaseUrl: string | undefined }) => Promise<T>,
): Promise<T> {
  const dir = makeDataDir(label);
  try {
    const serverUrl = databaseUrlFromEnv();
    if (serverUrl === undefined) return await fn({ dataDir: dir.path, databaseUrl: undefined });
    const scratch = await createScratchDatabase(serverUrl, label);
    try {
      return await fn({ dataDir: dir.path, databaseUrl: scratch.url });
    } finally {
      await scratch.drop();
    }
  } finally {
    await dir.remove();
  }
}

/** Milliseconds from spawn to exit of `node --import tsx -e "0"`: the bare runtime start. */
export async function runtimeFloorMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', '0'], { cwd: ROOT, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('node --import tsx -e "0" took more than 30 s'));
    }, 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== 0) throw new Error(`node --import tsx -e "0" exited with ${code}`);
  return performance.now() - started;
}
