/**
 * Worked examples of the resource allocation system, each figure calculated by hand in pence in the
 * comments: the three example models (src/domain/allocation/examples.ts), band edges, age
 * reductions, informal support, rounding, the minimum, the cap and transitional protection.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHILDREN_BANDS_MODEL, ELEMENT_3_MODEL, THREE_STREAMS_MODEL } from '../../src/domain/allocation/examples.ts';
import { allQuestions, questionApplies, type AllocationModel, type Answers, type StreamCode } from '../../src/domain/allocation/model.ts';
import { lineAmount, score, type AllocationResult, type ScoreOptions, type StreamResult } from '../../src/domain/allocation/score.ts';
import { sumPence } from '../../src/domain/money/money.ts';

/** Every question that applies at `age` answered with its first level, except those given. */
function answers(model: AllocationModel, age: number, given: Record<string, string>): Answers {
  const out: Record<string, string> = {};
  for (const q of allQuestions(model)) if (questionApplies(q, age)) out[q.id] = given[q.id] ?? (q.levels[0]?.id as string);
  return out;
}

function scored(model: AllocationModel, given: Record<string, string>, options: ScoreOptions): AllocationResult {
  const result = score(model, answers(model, options.age, given), options);
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  for (const s of result.value.streams) assert.equal(sumPence(s.lines.map(lineAmount)), s.indicativePence, `${s.stream} lines add up`);
  return result.value;
}

function stream(result: AllocationResult, code: StreamCode): StreamResult {
  const found = result.streams.find((s) => s.stream === code);
  assert.ok(found, code);
  return found;
}

/** The money lines only, as [kind, pence]. */
function money(s: StreamResult): [string, bigint][] {
  return s.lines.flatMap((l) => (l.kind === 'answer' ? [] : [[l.kind, l.amountPence] as [string, bigint]]));
}

describe('example 1: children’s social care, points to five bands (0 / 8 / 21 / 28 a question)', () => {
  const social = (given: Record<string, string>, options: ScoreOptions) => stream(scored(CHILDREN_BANDS_MODEL, given, options), 'social_care');

  it('puts each points total on a band edge in the right band', () => {
    // Bands: No support 0–20 £0; Small 21–44 £1,200; Some 45–84 £3,600; Lots 85–134 £7,800; Exceptional 135+ £14,500.
    // Age 12: no age reduction; every band amount is a whole £10, so rounding never changes it; cap £13,000.
    const cases: [string, Record<string, string>, number, string, bigint][] = [
      ['nothing', {}, 0, 'No support', 0n],
      ['8 + 8 = 16', { nights: 'some', health: 'some' }, 16, 'No support', 0n],
      ['21', { 'getting-out': 'lots' }, 21, 'Small', 120_000n],
      ['8 + 8 + 28 = 44', { nights: 'some', health: 'some', family: 'exceptional' }, 44, 'Small', 120_000n],
      ['8 + 8 + 8 + 21 = 45', { nights: 'some', health: 'some', family: 'some', 'getting-out': 'lots' }, 45, 'Some', 360_000n],
      ['28 × 3 = 84', { nights: 'exceptional', health: 'exceptional', family: 'exceptional' }, 84, 'Some', 360_000n],
      ['8 + 21 + 28 + 28 = 85', { nights: 'some', health: 'lots', family: 'exceptional', communication: 'exceptional' }, 85, 'Lots', 780_000n],
      // 28 + 28 + 28 + 21 + 21 + 8 = 134
      ['134', { 'staying-safe': 'exceptional', nights: 'exceptional', health: 'exceptional', 'play-and-learning': 'lots', 'getting-out': 'lots', family: 'some' }, 134, 'Lots', 780_000n],
    ];
    for (const [name, given, points, band, pence] of cases) {
      const s = social(given, { age: 12 });
      assert.equal(s.points, points, name);
      assert.equal(s.band?.name, band, name);
      assert.equal(s.indicativePence, pence, name);
      assert.equal(s.capped, false, name);
    }
  });

  // 28 + 28 + 21 + 21 + 21 + 8 + 8 = 135: the first points total in the Exceptional band.
  const exceptional135 = { 'staying-safe': 'exceptional', nights: 'exceptional', health: 'lots', 'play-and-learning': 'lots', 'getting-out': 'lots', communication: 'some', family: 'some' };

  it('caps the Exceptional band at £13,000 and refers the case to the panel', () => {
    // Age 12: Exceptional band 1,450,000; no age reduction; rounding: already a whole £10;
    // cap 1,300,000: 1,300,000 − 1,450,000 = −150,000; range 10% of 1,300,000 = 130,000 → 1,170,000 to 1,430,000.
    const s = social(exceptional135, { age: 12 });
    assert.equal(s.points, 135);
    assert.equal(s.band?.name, 'Exceptional');
    assert.deepEqual(money(s), [
      ['conversion', 1_450_000n],
      ['cap', -150_000n],
    ]);
    assert.equal(s.afterAdjustmentsPence, 1_300_000n);
    assert.equal(s.capped, true);
    assert.equal(s.exceptionalCaseRequired, true);
    assert.equal(s.rangeLowPence, 1_170_000n);
    assert.equal(s.rangeHighPence, 1_430_000n);
    assert.equal(s.lines.at(-1)?.text, 'Capped at £13,000.00: −£1,500.00. A budget above the cap goes to the exceptional cases panel, which decides the amount.');
  });

  it('reduces for a young child, then rounds to the nearest £10 with halves going up', () => {
    // Age 3: Exceptional 1,450,000; age 0–4 reduction 25%: 1,450,000 × 25 / 100 = 362,500 → 1,087,500;
    // nearest 1,000: 1,087,500 is exactly half-way between 1,087,000 and 1,088,000, so up: +500 → 1,088,000;
    // below the cap (1,300,000); range 10% of 1,088,000 = 108,800 → 979,200 to 1,196,800.
    const s = social(exceptional135, { age: 3 });
    assert.deepEqual(money(s), [
      ['conversion', 1_450_000n],
      ['age-reduction', -362_500n],
      ['rounding', 500n],
    ]);
    assert.equal(s.indicativePence, 1_088_000n);
    assert.equal(s.capped, false);
    assert.equal(s.rangeLowPence, 979_200n);
    assert.equal(s.rangeHighPence, 1_196_800n);
    assert.deepEqual(
      s.lines.filter((l) => l.kind !== 'answer').map((l) => l.text),
      [
        '135 points is in the band "Exceptional" (135 points or more): £14,500.00',
        'Age adjustment, age 3: −25% of £14,500.00 = −£3,625.00. Any parent gives a young child a lot of care; this part is usual parental responsibility.',
        'Rounded to the nearest £10: +£5.00',
      ],
    );
    assert.equal(s.summary, 'Social care: £10,880.00 a year, between £9,792.00 and £11,968.00 (plus or minus 10%).');
  });

  it('caps after the age reduction when the reduced figure is still above the cap', () => {
    // Age 8: Exceptional 1,450,000; 10%: −145,000 → 1,305,000 (a whole £10); cap: −5,000 → 1,300,000.
    const s = social(exceptional135, { age: 8 });
    assert.deepEqual(money(s), [
      ['conversion', 1_450_000n],
      ['age-reduction', -145_000n],
      ['cap', -5_000n],
    ]);
    assert.equal(s.exceptionalCaseRequired, true);
  });

  it('lists every answer with its points, and the band with its range', () => {
    // Age 8, Small band: 1 × 21 = 21 points → 120,000; 10%: −12,000 → 108,000; range 10,800 → 97,200 to 118,800.
    const s = social({ 'getting-out': 'lots' }, { age: 8 });
    assert.deepEqual(
      s.lines.map((l) => l.text),
      [
        'Staying safe — No extra support: 0 points',
        'Support at night — No extra support: 0 points',
        'Health and personal care — No extra support: 0 points',
        'Play and learning — No extra support: 0 points',
        'Getting out and about — Lots of support: 21 points',
        'Communication and relationships — No extra support: 0 points',
        'How the family is coping — No extra support: 0 points',
        '21 points is in the band "Small" (21 to 44 points): £1,200.00',
        'Age adjustment, age 8: −10% of £1,200.00 = −£120.00. Any parent gives a child of this age some care; this part is usual parental responsibility.',
      ],
    );
    assert.equal(s.indicativePence, 108_000n);
    assert.equal(s.rangeLowPence, 97_200n);
    assert.equal(s.rangeHighPence, 118_800n);
  });

  it('asks about becoming independent only from age 14, and counts it then', () => {
    // Age 16, every question exceptional: 8 × 28 = 224 points → Exceptional, capped.
    const all = Object.fromEntries(allQuestions(CHILDREN_BANDS_MODEL).map((q) => [q.id, 'exceptional']));
    const s = social(all, { age: 16 });
    assert.equal(s.points, 224);
    assert.equal(s.lines.filter((l) => l.kind === 'answer').length, 8);
    const young = social({}, { age: 13 });
    assert.equal(young.lines.filter((l) => l.kind === 'answer').length, 7);
  });

  it('limits a reduction from a current package to 15% in the first year, but not an increase', () => {
    // Age 12, 85 points → Lots 780,000. Current package 1,000,000: change −220,000;
    // limit 15% of 1,000,000 = 150,000, so the first year is 850,000: +70,000.
    // Range 10% of 850,000 = 85,000 → 765,000 to 935,000.
    const given = { nights: 'some', health: 'lots', family: 'exceptional', communication: 'exceptional' };
    const s = social(given, { age: 12, currentPackagePence: { social_care: 1_000_000n } });
    assert.equal(s.afterAdjustmentsPence, 780_000n);
    assert.equal(s.indicativePence, 850_000n);
    assert.deepEqual(money(s).at(-1), ['transition', 70_000n]);
    assert.equal(s.transition?.differencePence, -220_000n);
    assert.equal(s.transition?.limitPence, 150_000n);
    assert.equal(s.transition?.limited, true);
    assert.equal(
      s.transition?.text,
      'The new budget of £7,800.00 is £2,200.00 less than the current package of £10,000.00. In the first year a reduction is limited to 15% of the current package (£1,500.00), so the budget for the first year is £8,500.00: +£700.00.',
    );
    assert.equal(s.rangeLowPence, 765_000n);
    assert.equal(s.rangeHighPence, 935_000n);

    // Current package 500,000: an increase of 280,000 is not limited (the rule limits decreases only).
    const up = social(given, { age: 12, currentPackagePence: { social_care: 500_000n } });
    assert.equal(up.indicativePence, 780_000n);
    assert.equal(up.transition?.limited, false);
    assert.equal(up.transition?.differencePence, 280_000n);
    assert.equal(up.lines.some((l) => l.kind === 'transition'), false);
  });
});

describe('example 2: price per point in three streams', () => {
  // Answers of the issue's example: social care 21 + 21 + 4 + 2 + 5 + 11 + 0 = 64 points.
  const issueExample = {
    'personal-care': 'lots',
    'getting-out': 'lots',
    'health-needs': 'some',
    learning: 'some',
    communication: 'some',
    behaviour: 'some',
    'unpaid-help': 'most-days',
  };

  it('works the issue’s example: 64 points × £42.50, age 8, help from family on most days', () => {
    const result = scored(THREE_STREAMS_MODEL, issueExample, { age: 8 });

    // Social care: 64 × 4,250 = 272,000; age 5–10, 10%: 27,200 → 244,800;
    // most days, 15%: 244,800 × 15 / 100 = 36,720 → 208,080; up to the next 100: +20 → 208,100;
    // above the minimum (100,000), below the cap (450,000); range 10%: 20,810 → 187,290 to 228,910.
    const social = stream(result, 'social_care');
    assert.equal(social.points, 64);
    assert.deepEqual(money(social), [
      ['conversion', 272_000n],
      ['age-reduction', -27_200n],
      ['informal-support', -36_720n],
      ['rounding', 20n],
    ]);
    assert.equal(social.indicativePence, 208_100n);
    assert.equal(social.rangeLowPence, 187_290n);
    assert.equal(social.rangeHighPence, 228_910n);
    assert.deepEqual(
      social.lines.map((l) => l.text),
      [
        'Personal care — Lots of support: 21 points',
        'Getting out and about — Lots of support: 21 points',
        'Health needs — Some support: 4 points',
        'Learning — Some support: 2 points',
        'Communication — Some support: 5 points',
        'Behaviour and staying safe — Some support: 11 points',
        'Help from family and friends — Most days: 0 points',
        '64 points × £42.50 = £2,720.00',
        'Age adjustment, age 8: −10% of £2,720.00 = −£272.00. Any parent gives a child of this age some care; this part is usual parental responsibility.',
        'Deduction for unpaid help (Help from family and friends: Most days): −15% of £2,448.00 = −£367.20',
        'Rounded up to the next £1: +£0.20',
      ],
    );

    // Education: 2 + 0 + 2 + 10 + 6 + 4 + 0 = 24 points × 3,275 = 78,600; down to the 1,000 below: −600 → 78,000;
    // range 5%: 3,900 → 74,100 to 81,900.
    const education = stream(result, 'education_high_needs');
    assert.equal(education.points, 24);
    assert.deepEqual(money(education), [
      ['conversion', 78_600n],
      ['rounding', -600n],
    ]);
    assert.equal(education.lines.at(-1)?.text, 'Rounded down to the £10 below: −£6.00');
    assert.equal(education.rangeLowPence, 74_100n);
    assert.equal(education.rangeHighPence, 81_900n);

    // Health: 10 + 2 + 10 + 0 + 2 + 3 + 0 = 27 points × 9,485 = 256,095; nearest 100: +5 → 256,100;
    // range 15%: 256,100 × 15 / 100 = 38,415 → 217,685 to 294,515.
    const health = stream(result, 'health_continuing_care');
    assert.equal(health.points, 27);
    assert.deepEqual(money(health), [
      ['conversion', 256_095n],
      ['rounding', 5n],
    ]);
    assert.equal(health.rangeLowPence, 217_685n);
    assert.equal(health.rangeHighPence, 294_515n);

    // Totals: before 78,600 + 272,000 + 256,095 = 606,695; after 78,000 + 208,100 + 256,100 = 542,200;
    // low 74,100 + 187,290 + 217,685 = 479,075; high 81,900 + 228,910 + 294,515 = 605,325.
    assert.deepEqual(result.totals, {
      beforeAdjustmentsPence: 606_695n,
      afterAdjustmentsPence: 542_200n,
      indicativePence: 542_200n,
      rangeLowPence: 479_075n,
      rangeHighPence: 605_325n,
      currentPence: null,
      differencePence: null,
    });
    assert.equal(result.exceptionalCaseRequired, false);
    assert.deepEqual(
      result.streams.map((s) => s.stream),
      ['education_high_needs', 'social_care', 'health_continuing_care'],
    );
  });

  it('raises a small budget to the minimum, after a half-penny deduction and rounding up', () => {
    // Age 12 (no age reduction), getting out: lots, help once or twice a week (5%).
    // Social care: 21 × 4,250 = 89,250; 5% = 4,462.5, half away from zero → 4,463 → 84,787;
    // up to the next 100: +13 → 84,800; minimum 100,000: +15,200 → 100,000.
    const result = scored(THREE_STREAMS_MODEL, { 'getting-out': 'lots', 'unpaid-help': 'some' }, { age: 12 });
    const social = stream(result, 'social_care');
    assert.deepEqual(money(social), [
      ['conversion', 89_250n],
      ['informal-support', -4_463n],
      ['rounding', 13n],
      ['minimum', 15_200n],
    ]);
    assert.equal(social.lines.at(-1)?.text, 'Raised to the minimum budget of £1,000.00: +£152.00');
    // Health: 2 × 9,485 = 18,970; nearest 100: +30 → 19,000. Education: 0 points → £0, no minimum.
    assert.equal(stream(result, 'health_continuing_care').indicativePence, 19_000n);
    assert.equal(stream(result, 'education_high_needs').indicativePence, 0n);
    assert.equal(result.totals.indicativePence, 119_000n);
  });

  it('rounds a half pound up to the nearest £1, and down to the £10 below', () => {
    // Age 12, health needs: some. Health: 10 × 9,485 = 94,850, exactly half-way → up: +50 → 94,900.
    // Education: 2 × 3,275 = 6,550 → 6,000 (−550). Social care: 4 × 4,250 = 17,000 → minimum: +83,000.
    const result = scored(THREE_STREAMS_MODEL, { 'health-needs': 'some' }, { age: 12 });
    assert.deepEqual(money(stream(result, 'health_continuing_care')), [
      ['conversion', 94_850n],
      ['rounding', 50n],
    ]);
    assert.deepEqual(money(stream(result, 'education_high_needs')), [
      ['conversion', 6_550n],
      ['rounding', -550n],
    ]);
    assert.deepEqual(money(stream(result, 'social_care')), [
      ['conversion', 17_000n],
      ['minimum', 83_000n],
    ]);
  });

  it('leaves a budget of £0 at £0: the minimum is for a budget above £0', () => {
    const result = scored(THREE_STREAMS_MODEL, {}, { age: 12 });
    for (const s of result.streams) {
      assert.equal(s.indicativePence, 0n);
      assert.deepEqual(money(s), [['conversion', 0n]]);
    }
    assert.equal(stream(result, 'social_care').lines.at(-1)?.text, '0 points × £42.50 = £0.00');
  });

  it('caps social care and health and refers the case, but not education', () => {
    // Age 16, every need exceptional, no unpaid help.
    // Social care: 28 + 28 + 12 + 8 + 15 + 26 = 117 × 4,250 = 497,250; up: +50 → 497,300; cap 450,000: −47,300.
    // Education: 4 + 0 + 6 + 40 + 20 + 12 = 82 × 3,275 = 268,550; down: −550 → 268,000; no cap.
    // Health: 16 + 4 + 40 + 0 + 6 + 9 = 75 × 9,485 = 711,375; nearest: +25 → 711,400; cap 600,000: −111,400.
    const all = { 'personal-care': 'exceptional', 'getting-out': 'exceptional', 'health-needs': 'exceptional', learning: 'exceptional', communication: 'exceptional', behaviour: 'exceptional' };
    const result = scored(THREE_STREAMS_MODEL, all, { age: 16 });
    const social = stream(result, 'social_care');
    assert.deepEqual(money(social), [
      ['conversion', 497_250n],
      ['rounding', 50n],
      ['cap', -47_300n],
    ]);
    assert.equal(social.exceptionalCaseRequired, true);
    const education = stream(result, 'education_high_needs');
    assert.equal(education.indicativePence, 268_000n);
    assert.equal(education.exceptionalCaseRequired, false);
    const health = stream(result, 'health_continuing_care');
    assert.deepEqual(money(health), [
      ['conversion', 711_375n],
      ['rounding', 25n],
      ['cap', -111_400n],
    ]);
    assert.equal(result.exceptionalCaseRequired, true);
    // 450,000 + 268,000 + 600,000
    assert.equal(result.totals.indicativePence, 1_318_000n);
  });

  it('applies the young-child reduction, then the informal-support deduction on what is left', () => {
    // Age 3 (learning asked from 2). Social care: 28 + 21 + 8 + 2 + 10 + 0 = 69 × 4,250 = 293,250;
    // age 0–4, 20%: 58,650 → 234,600; every day, 25%: 58,650 → 175,950; up: +50 → 176,000.
    const given = { 'personal-care': 'exceptional', 'getting-out': 'lots', 'health-needs': 'lots', learning: 'some', communication: 'lots', 'unpaid-help': 'every-day' };
    const social = stream(scored(THREE_STREAMS_MODEL, given, { age: 3 }), 'social_care');
    assert.deepEqual(money(social), [
      ['conversion', 293_250n],
      ['age-reduction', -58_650n],
      ['informal-support', -58_650n],
      ['rounding', 50n],
    ]);
    assert.equal(social.indicativePence, 176_000n);
  });

  it('compares with current packages and applies each stream’s transition rule', () => {
    // Current: education 50,000, social care 300,000, health 200,000.
    // Social care: 208,100 is 91,900 less; reductions limited to 10% of 300,000 = 30,000 → 270,000 (+61,900);
    //   range 10% of 270,000 = 27,000 → 243,000 to 297,000.
    // Education: 78,000 is 28,000 more; changes either way limited to 20% of 50,000 = 10,000 → 60,000 (−18,000);
    //   range 5% of 60,000 = 3,000 → 57,000 to 63,000.
    // Health: no rule; 256,100 is 56,100 more, in full.
    // Totals: current 550,000; after adjustments 542,200; difference −7,800; first year 270,000 + 60,000 + 256,100 = 586,100.
    const result = scored(THREE_STREAMS_MODEL, issueExample, {
      age: 8,
      currentPackagePence: { education_high_needs: 50_000n, social_care: 300_000n, health_continuing_care: 200_000n },
    });
    const social = stream(result, 'social_care');
    assert.deepEqual(money(social).at(-1), ['transition', 61_900n]);
    assert.equal(social.indicativePence, 270_000n);
    assert.equal(social.rangeLowPence, 243_000n);
    assert.equal(social.rangeHighPence, 297_000n);
    const education = stream(result, 'education_high_needs');
    assert.deepEqual(money(education).at(-1), ['transition', -18_000n]);
    assert.equal(education.indicativePence, 60_000n);
    assert.equal(education.rangeLowPence, 57_000n);
    const health = stream(result, 'health_continuing_care');
    assert.equal(health.transition?.limited, false);
    assert.equal(health.transition?.differencePence, 56_100n);
    assert.equal(health.transition?.text, 'The new budget of £2,561.00 is £561.00 more than the current package of £2,000.00.');
    assert.equal(result.totals.currentPence, 550_000n);
    assert.equal(result.totals.afterAdjustmentsPence, 542_200n);
    assert.equal(result.totals.differencePence, -7_800n);
    assert.equal(result.totals.indicativePence, 586_100n);
  });
});

describe('example 3: education top-up banding (Element 3)', () => {
  const edu = (given: Record<string, string>, options: ScoreOptions) => stream(scored(ELEMENT_3_MODEL, given, options), 'education_high_needs');

  it('bands the four areas of need, edge by edge', () => {
    // Levels 0 / 1 / 3 / 6 / 10. Bands: No top-up 0–4 £0; A 5–10 £2,100; B 11–17 £4,600; C 18–24 £7,900;
    // D 25–31 £11,700; E 32+ £16,200. No age reduction, no rounding, range 0%.
    const levels = ['universal', 'sen-support', 'targeted', 'specialist', 'complex'] as const;
    const points = [0, 1, 3, 6, 10];
    const ids = ['communication-and-interaction', 'cognition-and-learning', 'social-emotional-mental-health', 'sensory-and-physical'];
    const pick = (...chosen: number[]) => Object.fromEntries(chosen.map((p, i) => [ids[i], levels[points.indexOf(p)]]));
    const cases: [number[], number, string, bigint][] = [
      [[0, 0, 0, 0], 0, 'No top-up', 0n],
      [[1, 3, 0, 0], 4, 'No top-up', 0n],
      [[1, 1, 3, 0], 5, 'Band A', 210_000n],
      [[10, 0, 0, 0], 10, 'Band A', 210_000n],
      [[10, 1, 0, 0], 11, 'Band B', 460_000n],
      [[10, 6, 1, 0], 17, 'Band B', 460_000n],
      [[10, 6, 1, 1], 18, 'Band C', 790_000n],
      [[10, 10, 3, 1], 24, 'Band C', 790_000n],
      [[10, 6, 6, 3], 25, 'Band D', 1_170_000n],
      [[10, 10, 10, 1], 31, 'Band D', 1_170_000n],
      [[10, 10, 6, 6], 32, 'Band E', 1_620_000n],
      [[10, 10, 10, 10], 40, 'Band E', 1_620_000n],
    ];
    for (const [chosen, total, band, pence] of cases) {
      const s = edu(pick(...chosen), { age: 9 });
      assert.equal(s.points, total, chosen.join('+'));
      assert.equal(s.band?.name, band, chosen.join('+'));
      assert.equal(s.indicativePence, pence, chosen.join('+'));
      assert.equal(s.rangeLowPence, pence);
      assert.equal(s.rangeHighPence, pence);
    }
    const s = edu(pick(10, 6, 1, 1), { age: 9 });
    assert.equal(s.lines.at(-1)?.text, '18 points is in the band "Band C" (18 to 24 points): £7,900.00');
    assert.equal(s.summary, 'Education: £7,900.00 a year, exactly £7,900.00.');
  });

  it('limits a change either way to 25% of the current top-up in the first year', () => {
    // Band B 460,000 against a current 1,000,000: −540,000, limited to 25% = 250,000 → 750,000 (+290,000).
    const down = edu({ 'communication-and-interaction': 'complex', 'cognition-and-learning': 'sen-support' }, { age: 9, currentPackagePence: { education_high_needs: 1_000_000n } });
    assert.equal(down.indicativePence, 750_000n);
    assert.deepEqual(money(down).at(-1), ['transition', 290_000n]);
    // Band E 1,620,000 against 1,000,000: +620,000, limited to 250,000 → 1,250,000 (−370,000).
    const allComplex = { 'communication-and-interaction': 'complex', 'cognition-and-learning': 'complex', 'social-emotional-mental-health': 'complex', 'sensory-and-physical': 'complex' };
    const up = edu(allComplex, { age: 9, currentPackagePence: { education_high_needs: 1_000_000n } });
    assert.equal(up.indicativePence, 1_250_000n);
    assert.deepEqual(money(up).at(-1), ['transition', -370_000n]);
    // A current top-up of £0 is no package: nothing to limit from, so Band B applies in full (+460,000 shown).
    const fresh = edu({ 'communication-and-interaction': 'complex', 'cognition-and-learning': 'sen-support' }, { age: 9, currentPackagePence: { education_high_needs: 0n } });
    assert.equal(fresh.indicativePence, 460_000n);
    assert.equal(fresh.transition?.differencePence, 460_000n);
    assert.equal(fresh.transition?.rule, null);
    assert.equal(fresh.transition?.text, 'The new budget of £4,600.00 is £4,600.00 more than the current package of £0.00.');
  });

  it('asks nothing below age 2, so the budget is £0', () => {
    const s = edu({}, { age: 1 });
    assert.equal(s.points, 0);
    assert.equal(s.lines.length, 1);
    assert.equal(s.indicativePence, 0n);
  });
});
