/**
 * `npm run ras -- score`: a model file and an answers file in, the explanation or the figures out,
 * with no database. Runs the real command line in a child process.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHILDREN_BANDS_JSON, THREE_STREAMS_JSON } from '../../src/domain/allocation/examples.ts';

const CLI = path.resolve(import.meta.dirname, '../../src/cli/ras.ts');

function ras(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', cwd: path.resolve(import.meta.dirname, '../..') });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run ras -- score', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ras-cli-'));
    await writeFile(file('children.json'), JSON.stringify(CHILDREN_BANDS_JSON));
    await writeFile(file('three.json'), JSON.stringify(THREE_STREAMS_JSON));
    // 21 + 8 + 0 + 21 + 21 + 8 + 8 = 87 points: the band "Lots" (85 to 134), £7,800.00.
    await writeFile(
      file('answers.json'),
      JSON.stringify({ 'staying-safe': 'lots', nights: 'some', health: 'none', 'play-and-learning': 'lots', 'getting-out': 'lots', communication: 'some', family: 'some' }),
    );
    await writeFile(file('bad-answers.json'), JSON.stringify({ 'staying-safe': 'lots', nights: 'loads' }));
    await writeFile(
      file('three-answers.json'),
      JSON.stringify({ 'personal-care': 'lots', 'getting-out': 'lots', 'health-needs': 'some', learning: 'some', communication: 'lots', behaviour: 'exceptional', 'unpaid-help': 'most-days' }),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the explanation with its arithmetic and the total', () => {
    const run = ras('score', file('children.json'), '--answers', file('answers.json'), '--age', '8');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Staying safe — Lots of support: 21 points/);
    assert.match(run.stdout, /87 points is in the band "Lots" \(85 to 134 points\): £7,800.00/);
    // Age 8: −10% of £7,800.00 = −£780.00; £7,020.00 is already a multiple of £10.
    assert.match(run.stdout, /Age adjustment, age 8: −10% of £7,800.00 = −£780.00/);
    assert.match(run.stdout, /Total indicative budget: £7,020.00 a year \(between £6,318.00 and £7,722.00\)/);
  });

  it('prints the figures as JSON, pence as strings, with a current package', () => {
    const run = ras('score', file('children.json'), '--answers', file('answers.json'), '--age', '8', '--current', 'social_care=8,000.00', '--json');
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { totals: { indicativePence: string; currentPence: string }; streams: { points: number; transition: { limited: boolean } }[] };
    assert.equal(result.streams[0]?.points, 87);
    assert.equal(result.totals.currentPence, '800000');
    // £7,020.00 is £980.00 less than £8,000.00: within the 15% (£1,200.00) limit, so it applies in full.
    assert.equal(result.totals.indicativePence, '702000');
    assert.equal(result.streams[0]?.transition.limited, false);
  });

  it('scores every stream of a price-per-point model', () => {
    const run = ras('score', file('three.json'), '--answers', file('three-answers.json'), '--age', '8', '--json');
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { streams: { stream: string }[]; totals: { indicativePence: string } };
    assert.deepEqual(result.streams.map((s) => s.stream), ['education_high_needs', 'social_care', 'health_continuing_care']);
    // Education 38 × £32.75 = £1,244.50, down to £1,240.00; social care 84 × £42.50 = £3,570.00,
    // −10% (£357.00) = £3,213.00, −15% (£481.95) = £2,731.05, up to £2,732.00; health 35 × £94.85 =
    // £3,319.75, to the nearest £1: £3,320.00. Total £7,292.00.
    assert.equal(result.totals.indicativePence, '729200');
  });

  it('refuses a bad answers file, naming the question, with exit code 1', () => {
    const run = ras('score', file('children.json'), '--answers', file('bad-answers.json'), '--age', '8');
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /answers\.nights: "loads" is not an answer to "Support at night"/);
    assert.match(run.stderr, /answers\.health: Missing: "Health and personal care"/);
  });

  it('refuses a bad age, a bad current package and a missing file', () => {
    assert.equal(ras('score', file('children.json'), '--answers', file('answers.json'), '--age', 'eight').code, 1);
    const current = ras('score', file('children.json'), '--answers', file('answers.json'), '--age', '8', '--current', 'social_care=lots');
    assert.equal(current.code, 1);
    assert.match(current.stderr, /not an amount in pounds/);
    const missing = ras('score', file('nothing.json'), '--answers', file('answers.json'), '--age', '8');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot read the model file .*nothing\.json/);
  });
});
