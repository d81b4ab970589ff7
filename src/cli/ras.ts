/**
 * `npm run ras -- <command>`: the council's resource allocation model from files (issue 4).
 *
 *   npm run ras -- import --council northam FILE.json
 *       Starts a new draft of the council's model from a JSON file (docs/ras-model.schema.json).
 *       Refused, with every problem named by its JSON path, if the file does not pass the checks
 *       or a draft exists already; nothing is saved then (exit 1). Recorded in the audit log as
 *       allocation_model.draft_started, with no actor and detail {via: 'cli'}.
 *   npm run ras -- export --council northam [--version N] [--out FILE]
 *       Writes a version of the model as pretty-printed JSON: the published version unless
 *       --version is given, to standard output unless --out is given.
 *   npm run ras -- score FILE.json --answers ANSWERS.json --age 8 [--current social_care=2720.00 ...] [--json]
 *       Scores a model file with an answers file ({"question-id": "level-id", ...}) for a person of
 *       that age, optionally with a current package per stream in pounds, and prints the
 *       explanation line by line, or with --json the figures (pence as decimal strings). Pure: no
 *       database. Bad input exits 1 with the problem named by its path.
 *
 * import and export open the configured database (DATABASE_URL, or the embedded one in DATA_DIR)
 * and migrate it first; stop the server first when using the embedded database. They act as no
 * one (the command line has no signed-in administrator), so they use the repositories directly,
 * inside the council's scope, and audit the change.
 */
import crypto from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { systemClock } from '../clock.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { repositories } from '../db/repositories/index.ts';
import { systemRepository } from '../db/system.ts';
import { tenantRunner } from '../db/tenancy.ts';
import { pointsWord, signedPence } from '../domain/allocation/explain.ts';
import { STREAM_CODES, STREAM_LABELS, type StreamCode } from '../domain/allocation/model.ts';
import { toPenceJson } from '../domain/allocation/result-json.ts';
import { score, type AllocationResult } from '../domain/allocation/score.ts';
import { formatErrors, modelToJson, parseModel, type ValidationError } from '../domain/allocation/validate.ts';
import { formatPence, parsePounds, type Pence } from '../domain/money/money.ts';

const USAGE = `Usage:
  npm run ras -- import --council SLUG FILE.json
  npm run ras -- export --council SLUG [--version N] [--out FILE]
  npm run ras -- score FILE.json --answers ANSWERS.json --age YEARS [--current STREAM=POUNDS ...] [--json]`;

/** A refusal to show the user: the message, and exit 1. */
class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
}

function refuseErrors(what: string, errors: readonly ValidationError[]): never {
  refuse(`${what}:\n${formatErrors(errors)}`);
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    refuse(`Cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    refuse(`${what.charAt(0).toUpperCase()}${what.slice(1)} ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// ---- score (pure) -------------------------------------------------------------------------------

function parseCurrent(values: readonly string[]): Partial<Record<StreamCode, Pence>> {
  const current: Partial<Record<StreamCode, Pence>> = {};
  for (const value of values) {
    const match = /^([a-z_]+)=(.+)$/.exec(value);
    if (match === null) refuse(`--current ${value}: write it as STREAM=POUNDS, for example social_care=2720.00`);
    const [, stream = '', pounds = ''] = match;
    if (!(STREAM_CODES as readonly string[]).includes(stream)) refuse(`--current ${value}: "${stream}" is not a funding stream; use ${STREAM_CODES.join(', ')}`);
    const parsed = parsePounds(pounds);
    if (!parsed.ok) refuse(`--current ${value}: "${pounds}" is not an amount in pounds, like 2720.00`);
    current[stream as StreamCode] = parsed.pence;
  }
  return current;
}

/** The explanation as plain text: each stream's lines with their points or signed amount, then the totals. */
export function explanationText(result: AllocationResult): string {
  const out: string[] = [`${result.modelName}`, `Age ${result.age}`, ''];
  for (const stream of result.streams) {
    out.push(`${STREAM_LABELS[stream.stream]}`);
    for (const line of stream.lines) {
      const amount = line.kind === 'answer' ? pointsWord(line.points) : line.kind === 'conversion' ? formatPence(line.amountPence) : signedPence(line.amountPence);
      out.push(`  ${line.text}  [${amount}]`);
    }
    out.push(`  ${stream.summary}`);
    if (stream.transition !== null && !stream.transition.limited) out.push(`  ${stream.transition.text}`);
    if (stream.capped) out.push('  Capped: the exceptional cases panel decides the amount.');
    out.push('');
  }
  const t = result.totals;
  out.push(`Total indicative budget: ${formatPence(t.indicativePence)} a year (between ${formatPence(t.rangeLowPence)} and ${formatPence(t.rangeHighPence)})`);
  if (t.currentPence !== null && t.differencePence !== null) {
    out.push(`Current package: ${formatPence(t.currentPence)} a year; difference before transitional protection: ${signedPence(t.differencePence)}`);
  }
  if (result.exceptionalCaseRequired) out.push('Exceptional case: the cap was reached, so the exceptional cases panel decides the amount.');
  return out.join('\n');
}

async function scoreCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { answers: { type: 'string' }, age: { type: 'string' }, current: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) refuse(`score needs one model file.\n${USAGE}`);
  if (values.answers === undefined) refuse('score needs --answers ANSWERS.json');
  if (values.age === undefined || !/^\d{1,3}$/.test(values.age)) refuse('score needs --age, a whole number of years, for example --age 8');
  const model = parseModel(await readJsonFile(file, 'the model file'));
  if (!model.ok) refuseErrors(`The model file ${file} is not a valid allocation model`, model.errors);
  const answers = await readJsonFile(values.answers, 'the answers file');
  const current = parseCurrent(values.current ?? []);
  const scored = score(model.value, answers as Record<string, string>, {
    age: Number(values.age),
    ...(Object.keys(current).length > 0 ? { currentPackagePence: current } : {}),
  });
  if (!scored.ok) refuseErrors(`The answers in ${values.answers} cannot be scored`, scored.errors);
  console.log(values.json === true ? JSON.stringify(JSON.parse(toPenceJson(scored.value)), null, 2) : explanationText(scored.value));
}

// ---- import and export (database) ---------------------------------------------------------------

async function withDatabase<T>(run: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, queryTimeoutMs: config.queryTimeoutMs });
  try {
    await migrate(database);
    return await run(database);
  } finally {
    await database.close();
  }
}

async function councilIdOf(database: Database, slug: string | undefined): Promise<string> {
  if (slug === undefined) refuse('Name the council: --council SLUG, for example --council northam');
  const council = await systemRepository(database.db).findCouncilBySlug(slug);
  if (council === undefined) refuse(`There is no council with the address "${slug}"`);
  return council.id;
}

async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { council: { type: 'string' } } });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) refuse(`import needs one model file.\n${USAGE}`);
  // Checked before the database is opened: a bad file changes nothing.
  const parsed = parseModel(await readJsonFile(file, 'the model file'));
  if (!parsed.ok) refuseErrors(`The model file ${file} is not a valid allocation model; nothing was saved`, parsed.errors);
  const version = await withDatabase(async (database) => {
    const councilId = await councilIdOf(database, values.council);
    return tenantRunner(database)(councilId, async (tx) => {
      const repos = repositories(tx);
      const draft = await repos.allocation.modelWithStatus('draft');
      if (draft !== undefined) refuse(`Version ${draft.version} is already a draft. Change it, or publish it, before starting another; nothing was saved.`);
      const next = await repos.allocation.nextVersion();
      const id = crypto.randomUUID();
      const now = systemClock.now();
      await repos.allocation.insertDraft({ id, councilId, version: next, json: JSON.stringify(modelToJson(parsed.value)), by: null, now });
      await repos.audit.record({
        councilId,
        occurredAt: now,
        actorId: null,
        actorRole: null,
        action: 'allocation_model.draft_started',
        subjectType: 'allocation_model',
        subjectId: id,
        detail: { version: next, from: 'imported JSON', via: 'cli' },
      });
      return next;
    });
  });
  console.log(`Version ${version} is a new draft of the allocation model of ${values.council ?? ''}, from ${file}.`);
}

async function exportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { council: { type: 'string' }, version: { type: 'string' }, out: { type: 'string' } } });
  if (positionals.length > 0) refuse(`export takes no file name: use --out FILE.\n${USAGE}`);
  if (values.version !== undefined && !/^\d{1,9}$/.test(values.version)) refuse(`--version ${values.version}: give a version number, for example --version 2`);
  const json = await withDatabase(async (database) => {
    const councilId = await councilIdOf(database, values.council);
    return tenantRunner(database)(councilId, async (tx) => {
      const repos = repositories(tx);
      const record = values.version === undefined ? await repos.allocation.modelWithStatus('published') : await repos.allocation.modelByVersion(Number(values.version));
      if (record === undefined) refuse(values.version === undefined ? 'No version of the allocation model is published: name one with --version N' : `There is no version ${values.version} of the allocation model`);
      const parsed = parseModel(record.json);
      if (!parsed.ok) refuseErrors(`Stored version ${record.version} does not pass the checks`, parsed.errors);
      return `${JSON.stringify(modelToJson(parsed.value), null, 2)}\n`;
    });
  });
  if (values.out === undefined) process.stdout.write(json);
  else {
    await writeFile(values.out, json);
    console.error(`Written to ${values.out}`);
  }
}

// ---- main ---------------------------------------------------------------------------------------

const COMMANDS: Readonly<Record<string, (args: string[]) => Promise<void>>> = { import: importCommand, export: exportCommand, score: scoreCommand };

const [command, ...rest] = process.argv.slice(2);
const run = command === undefined ? undefined : COMMANDS[command];
if (run === undefined) {
  console.error(USAGE);
  process.exitCode = 1;
} else {
  try {
    await run(rest);
  } catch (error) {
    if (error instanceof Refusal) console.error(error.message);
    else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) console.error(`${error.message}\n${USAGE}`);
    else throw error;
    process.exitCode = 1;
  }
}
