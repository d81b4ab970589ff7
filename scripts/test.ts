/**
 * `npm test`: the one gate, locally and in CI. Runs lint, typecheck, unit tests, integration tests
 * (embedded PGlite and PostgreSQL) and the browser tests, then prints one plain summary line.
 * Every step runs even when an earlier one fails, so one run shows everything that is wrong.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

interface StepResult {
  readonly name: string;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
}

const results: StepResult[] = [];
fs.mkdirSync('.tmp', { recursive: true });

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const child = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return child.status ?? 1;
}

function timed(name: string, work: () => { passed: number; failed: number }): void {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const { passed, failed } = work();
  results.push({ name, passed, failed, seconds: (Date.now() - started) / 1000 });
}

function check(name: string, command: string, args: string[]): void {
  timed(name, () => (run(command, args) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }));
}

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

function nodeTests(name: string, dir: string, extraArgs: string[]): void {
  timed(name, () => {
    const tap = path.join('.tmp', `${path.basename(dir)}.tap`);
    fs.rmSync(tap, { force: true });
    const status = run(process.execPath, [
      '--import',
      'tsx',
      '--test',
      ...extraArgs,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...testFiles(dir),
    ]);
    const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
    const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const passed = count('pass');
    const failed = count('fail') + count('cancelled');
    // A runner that crashed before reporting is a failure, never a silent pass.
    return status !== 0 && failed === 0 ? { passed, failed: 1 } : { passed, failed };
  });
}

function browserTests(): void {
  timed('browser tests (Playwright, axe, html-validate)', () => {
    const report = path.join('test-results', 'e2e.json');
    fs.rmSync(report, { force: true });
    const status = run('npx', ['playwright', 'test']);
    if (!fs.existsSync(report)) return { passed: 0, failed: 1 };
    const stats = (JSON.parse(fs.readFileSync(report, 'utf8')) as { stats: Record<string, number> }).stats;
    const passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
    const failed = (stats.unexpected ?? 0) + (stats.skipped ?? 0);
    return status !== 0 && failed === 0 ? { passed, failed: 1 } : { passed, failed };
  });
}

check('lint', 'npx', ['eslint', '.']);
check('typecheck', 'npx', ['tsc', '-p', '.']);
nodeTests('unit tests', 'tests/unit', []);
nodeTests('integration tests (PGlite and PostgreSQL)', 'tests/integration', ['--test-concurrency=1']);
browserTests();

console.log('\nSummary');
for (const r of results) {
  console.log(`  ${r.failed === 0 ? 'ok  ' : 'FAIL'} ${r.name}: ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)} s)`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
