/**
 * HTTP throughput and latency on loopback with autocannon, against one server started for the run:
 *   floor  — GET /healthz (a static JSON route: the cost of Fastify, the hooks and the loopback)
 *   home   — GET / (public, renders the GOV.UK layout, lists the councils)
 *   person — GET /people/<id> signed in as the Northam caseworker (reads the person under
 *            row-level security and writes one audit row per read, as intended)
 * Each page's requests/s is reported as a ratio to the floor's, the comparable figure on noisy machines.
 */
import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { cookieHeader, fetchLoopback, signIn, type CookieJar } from './sign-in.ts';
import {
  assertLoopback,
  atLeast,
  engine,
  round,
  say,
  waitForOk,
  withScratchStorage,
  withServer,
  type BenchResult,
  type Server,
} from './support.ts';

export const description = 'requests/s and latency of /healthz (floor), / and a signed-in person page, with autocannon';

const SIGN_IN_EMAIL = 'caseworker@northam.example';
const CONNECTIONS = 10;
const DURATION_S = 10;
const WARM_UP_S = 2;
const REQUEST_TIMEOUT_S = 10;
const HOME_TARGET_RPS = 200;
const PERSON_TARGET_RPS = 100;

interface Measured {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly total: number;
}

// ---------------------------------------------------------------------------------------------
async function firstPersonPath(server: Server, jar: CookieJar): Promise<string> {
  const response = await fetchLoopback(`${server.origin}/people`, { headers: { cookie: cookieHeader(jar) } });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET /people answered ${response.status} (not signed in?)`);
  const match = /href="(\/people\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"/.exec(html);
  if (match?.[1] === undefined) throw new Error('No /people/<uuid> link on /people: is the demo data seeded?');
  return match[1];
}

// ---------------------------------------------------------------------------------------------
// autocannon

async function cannon(url: string, durationS: number, headers: Record<string, string>): Promise<autocannon.Result> {
  assertLoopback(url);
  return autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: durationS,
    timeout: REQUEST_TIMEOUT_S,
    headers,
  });
}

async function measure(label: string, server: Server, path: string, headers: Record<string, string>): Promise<Measured> {
  const url = `${server.origin}${path}`;
  say(`${label}: warm-up ${WARM_UP_S} s on GET ${path}`);
  const warm = await cannon(url, WARM_UP_S, headers);
  failOnBadResponses(`${label} (warm-up)`, warm, server);
  say(`${label}: ${CONNECTIONS} connections for ${DURATION_S} s on GET ${path}`);
  const result = await cannon(url, DURATION_S, headers);
  failOnBadResponses(label, result, server);
  const measured: Measured = {
    requestsPerSecond: round(result.requests.average, 1),
    p50Ms: round(result.latency.p50, 2),
    p99Ms: round(result.latency.p99, 2),
    non2xx: result.non2xx,
    total: result.requests.total,
  };
  say(
    `  ${label}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, ` +
      `${measured.total} requests, ${measured.non2xx} non-2xx`,
  );
  return measured;
}

function failOnBadResponses(label: string, result: autocannon.Result, server: Server): void {
  const problems: string[] = [];
  if (server.exited()) problems.push(`the server exited during the run; its output:\n${server.output()}`);
  if (result.non2xx > 0) {
    const codes = Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, stat]) => `${code}×${stat.count ?? '?'}`)
      .join(', ');
    problems.push(`${result.non2xx} non-2xx responses (${codes})`);
  }
  if (result.errors > 0) problems.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  if (result.requests.total === 0) problems.push('no requests completed');
  if (problems.length > 0) throw new Error(`${label}: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------

export async function run(): Promise<BenchResult> {
  say(`engine: ${engine()}`);
  return withScratchStorage('http', (storage) =>
    withServer(storage, async (server) => {
      say(`started server pid ${server.pid} on ${server.origin}; waiting for migrate + seed + listen`);
      await waitForOk(server, '/healthz', { timeoutMs: 180_000, intervalMs: 100 });
      await waitForOk(server, '/', { timeoutMs: 30_000, intervalMs: 100 });

      say(`signing in as ${SIGN_IN_EMAIL}`);
      const jar = await signIn(server, SIGN_IN_EMAIL, DEMO_PASSWORD);
      const personPath = await firstPersonPath(server, jar);
      const cookie = cookieHeader(jar);
      const check = await fetchLoopback(`${server.origin}${personPath}`, { headers: { cookie } });
      await check.arrayBuffer();
      if (check.status !== 200) throw new Error(`GET ${personPath} answered ${check.status} when signed in`);
      say(`person page: ${personPath}`);

      const floor = await measure('floor /healthz', server, '/healthz', {});
      const home = await measure('home /', server, '/', {});
      const person = await measure('person page', server, personPath, { cookie });

      const homeRatio = round(home.requestsPerSecond / floor.requestsPerSecond, 3);
      const personRatio = round(person.requestsPerSecond / floor.requestsPerSecond, 3);
      say(
        `ratios to the /healthz floor (the comparable figures on noisy machines): home ${homeRatio}, person ${personRatio}. ` +
          'Absolute requests/s depend on the machine; compare runs by their ratios.',
      );
      const targets = {
        homeRequestsPerSecond: atLeast('homeRequestsPerSecond', home.requestsPerSecond, HOME_TARGET_RPS, 'req/s'),
        personRequestsPerSecond: atLeast('personRequestsPerSecond', person.requestsPerSecond, PERSON_TARGET_RPS, 'req/s'),
      };
      for (const t of Object.values(targets)) say(`target ${t.figure} ≥ ${t.atLeast} ${t.unit}: ${t.met ? 'met' : 'MISSED'}`);
      return {
        figures: {
          connections: CONNECTIONS,
          durationSeconds: DURATION_S,
          floorRequestsPerSecond: floor.requestsPerSecond,
          floorP50Ms: floor.p50Ms,
          floorP99Ms: floor.p99Ms,
          floorNon2xx: floor.non2xx,
          homeRequestsPerSecond: home.requestsPerSecond,
          homeP50Ms: home.p50Ms,
          homeP99Ms: home.p99Ms,
          homeNon2xx: home.non2xx,
          homeRatioToFloor: homeRatio,
          personRequestsPerSecond: person.requestsPerSecond,
          personP50Ms: person.p50Ms,
          personP99Ms: person.p99Ms,
          personNon2xx: person.non2xx,
          personRatioToFloor: personRatio,
        },
        targets,
      };
    }),
  );
}
