/**
 * `npm run bench -- NAME` runs bench/NAME.ts (its exported `run()`), prints what it does as it goes,
 * and prints as its last line one JSON object:
 *   {"bench":"NAME","figures":{...},"targets":{...},"engine":"pglite|postgres"}
 * Without a NAME, or with an unknown one, it lists the benchmarks and exits with 2. A failed
 * benchmark prints the error on stderr, prints no JSON line and exits with 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanUpEverything, engine, ROOT, type BenchResult } from './support.ts';

const BENCH_DIR = path.join(ROOT, 'bench');
const NOT_BENCHMARKS = new Set(['run', 'support', 'sign-in', 'load']);

interface BenchModule {
  run(): Promise<BenchResult>;
  description?: string;
}

function available(): string[] {
  return fs
    .readdirSync(BENCH_DIR)
    .filter((file) => /^[a-z0-9][a-z0-9-]*\.ts$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .filter((name) => !NOT_BENCHMARKS.has(name))
    .sort();
}

async function load(name: string): Promise<BenchModule> {
  const module = (await import(pathToFileURL(path.join(BENCH_DIR, `${name}.ts`)).href)) as Partial<BenchModule>;
  if (typeof module.run !== 'function') throw new Error(`bench/${name}.ts does not export run()`);
  return module as BenchModule;
}

async function usage(problem: string): Promise<never> {
  console.error(problem);
  console.error('Usage: npm run bench -- NAME');
  console.error('Benchmarks:');
  for (const name of available()) {
    let description = '';
    try {
      description = (await load(name)).description ?? '';
    } catch {
      description = '(does not load)';
    }
    console.error(`  ${name.padEnd(12)} ${description}`);
  }
  process.exit(2);
}

let interrupted = false;
function onSignal(signal: NodeJS.Signals, code: number): void {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`[bench] ${signal}: stopping servers and removing temporary data`);
    const force = setTimeout(() => process.exit(code), 30_000);
    force.unref();
    void cleanUpEverything().finally(() => process.exit(code));
  });
}

async function main(): Promise<void> {
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  const name = process.argv[2];
  if (name === undefined || name === '') return usage('Name a benchmark.');
  if (!available().includes(name)) return usage(`There is no benchmark called "${name}".`);

  const bench = await load(name);
  const started = performance.now();
  console.log(`[bench] ${name}: ${bench.description ?? ''}`);
  let result: BenchResult;
  try {
    result = await bench.run();
  } finally {
    await cleanUpEverything();
  }
  console.log(`[bench] ${name} finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const line = JSON.stringify({ bench: name, figures: result.figures, targets: result.targets, engine: engine() });
  process.stdout.write(`${line}\n`, () => process.exit(0));
}

main().catch(async (error: unknown) => {
  console.error('[bench] failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  await cleanUpEverything();
  process.exit(1);
});
