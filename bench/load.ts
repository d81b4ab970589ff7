/** Load on one GET route with autocannon, as the page benchmarks measure it: a warm-up, then the run. */
import autocannon from 'autocannon';
import { assertLoopback, round, say, type Server } from './support.ts';

export interface Measured {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly total: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmUpSeconds: number;
}

/** autocannon reports p97.5 but not p95; the histogram's own percentile is used when present. */
function p95Of(result: autocannon.Result): number {
  const latency = result.latency as unknown as Record<string, number>; // autocannon's type lists only some percentiles
  return latency.p95 ?? latency.p97_5 ?? result.latency.p99;
}

/** Fails on any non-2xx answer or error: a fast error page must never pass for a fast page. */
export async function measure(label: string, server: Server, path: string, headers: Record<string, string>, load: LoadOptions): Promise<Measured> {
  const url = `${server.origin}${path}`;
  assertLoopback(url);
  const options = { url, connections: load.connections, pipelining: 1, timeout: 10, headers };
  say(`${label}: warm-up ${load.warmUpSeconds} s on GET ${path}`);
  await autocannon({ ...options, duration: load.warmUpSeconds });
  say(`${label}: ${load.connections} connections for ${load.durationSeconds} s on GET ${path}`);
  const result = await autocannon({ ...options, duration: load.durationSeconds });
  if (result.non2xx > 0 || result.errors > 0 || result.requests.total === 0) {
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.requests.total} requests${server.exited() ? `; server exited:\n${server.output()}` : ''}`);
  }
  const measured = {
    requestsPerSecond: round(result.requests.average, 1),
    p50Ms: round(result.latency.p50, 2),
    p95Ms: round(p95Of(result), 2),
    p99Ms: round(result.latency.p99, 2),
    total: result.requests.total,
  };
  say(`  ${label}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50Ms} ms, p95 ${measured.p95Ms} ms, p99 ${measured.p99Ms} ms, ${measured.total} requests`);
  return measured;
}
