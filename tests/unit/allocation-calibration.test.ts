/**
 * Calibration: reading a test group CSV (all or nothing, errors naming row and column), fitting the
 * price per point (hand-worked examples and properties), and the calibration report.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_TEST_GROUP_ERRORS,
  MAX_TEST_GROUP_ROWS,
  TEST_GROUP_CSV_COLUMNS,
  calibrationReport,
  fitPricePerPoint,
  parseTestGroupCsv,
  testGroupCsvHeader,
  type CalibrationRow,
  type PriceFit,
  type FitResult,
  type TestGroupRow,
} from '../../src/domain/allocation/calibration.ts';
import type { StreamCode } from '../../src/domain/allocation/model.ts';
import type { ValidationError } from '../../src/domain/allocation/validate.ts';

const SC: StreamCode[] = ['social_care'];
const BOTH: StreamCode[] = ['education_high_needs', 'social_care'];

function rowsOf(text: string, streams: readonly StreamCode[] = SC): TestGroupRow[] {
  const result = parseTestGroupCsv(text, streams);
  if (!result.ok) assert.fail(`expected the file to be accepted, got:\n${result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return result.value;
}

function errorsOf(text: string, streams: readonly StreamCode[] = SC): readonly ValidationError[] {
  const result = parseTestGroupCsv(text, streams);
  if (result.ok) assert.fail('expected the file to be refused');
  return result.errors;
}

function assertOneError(text: string, path: string, messagePart: RegExp, streams: readonly StreamCode[] = SC): void {
  const errors = errorsOf(text, streams);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0]?.path, path);
  assert.match(errors[0]?.message ?? '', messagePart);
}

function fitted(result: FitResult): PriceFit {
  if (!result.ok) assert.fail(`expected a fit, got: ${result.reason}`);
  return result;
}

describe('reading a test group CSV', () => {
  it('reads points and current costs in pounds into whole pence, with empty meaning no package', () => {
    const rows = rowsOf(
      'reference,points_education_high_needs,points_social_care,current_education_high_needs,current_social_care\n' +
        'TG-1,10,20,"2,720.50",2720\n' +
        'TG-2,0,5,,£15.5\n',
      BOTH,
    );
    assert.deepEqual(rows, [
      { row: 2, reference: 'TG-1', points: { education_high_needs: 10, social_care: 20 }, answers: null, age: null, currentPence: { education_high_needs: 272050n, social_care: 272000n } },
      { row: 3, reference: 'TG-2', points: { education_high_needs: 0, social_care: 5 }, answers: null, age: null, currentPence: { social_care: 1550n } },
    ]);
  });

  it('accepts columns in any order, any case, with a byte order mark and Windows line endings', () => {
    const rows = rowsOf('\uFEFFCurrent_Social_Care, Reference ,POINTS_SOCIAL_CARE\r\n100.00,A,3\r\n');
    assert.deepEqual(rows, [{ row: 2, reference: 'A', points: { social_care: 3 }, answers: null, age: null, currentPence: { social_care: 10000n } }]);
  });

  it('reads an answers column as question-to-level pairs for the caller to score', () => {
    const rows = rowsOf('reference,age,answers,current_social_care\nA,8,mobility=lots; personal-care=some;,500\n');
    assert.deepEqual(rows[0]?.answers, { mobility: 'lots', 'personal-care': 'some' });
    assert.deepEqual(rows[0]?.points, {});
    assert.equal(rows[0]?.age, 8);
  });

  it('reads ages from 0 to 130 in whole years, and takes an age beside points without needing it', () => {
    const answers = rowsOf('reference,answers,age,current_social_care\nA,q=l,0,1\nB,q=l,130,1\nC,q=l, 17.0 ,1\n');
    assert.deepEqual(
      answers.map((r) => r.age),
      [0, 130, 17],
    );
    const points = rowsOf('reference,points_social_care,age,current_social_care\nA,1,40,1\nB,2,,1\n');
    assert.deepEqual(
      points.map((r) => r.age),
      [40, null],
    );
    assert.equal(rowsOf('reference,points_social_care,current_social_care\nA,1,1\n')[0]?.age, null);
  });

  it('skips blank rows that spreadsheets add but keeps the row numbers a spreadsheet shows', () => {
    const errors = errorsOf('reference,points_social_care,current_social_care\nA,1,1\n,,\n\nB,x,1\n');
    assert.equal(errors[0]?.path, 'row 5, column "points_social_care"');
  });

  it('documents every column and offers a template header', () => {
    assert.deepEqual(
      TEST_GROUP_CSV_COLUMNS.map((c) => c.name),
      ['reference', 'points_<stream>', 'answers', 'age', 'current_<stream>'],
    );
    assert.deepEqual(testGroupCsvHeader(['social_care', 'education_high_needs'], 'points'), [
      'reference',
      'points_education_high_needs',
      'points_social_care',
      'current_education_high_needs',
      'current_social_care',
    ]);
    assert.deepEqual(testGroupCsvHeader(SC, 'answers'), ['reference', 'age', 'answers', 'current_social_care']);
  });
});

describe('refusing a test group CSV, naming the row and column', () => {
  const header = 'reference,points_social_care,current_social_care\n';

  it('refuses an empty file', () => {
    assertOneError('', '', /empty/);
    assertOneError('\n\n', '', /empty/);
  });

  it('refuses a file with a header but no people', () => {
    assertOneError(header, 'row 2', /no people/);
  });

  it('refuses a missing required column', () => {
    assertOneError('reference,points_social_care\nA,1\n', 'row 1, column "current_social_care"', /missing/);
    assertOneError('points_social_care,current_social_care\n1,1\n', 'row 1, column "reference"', /missing/);
    assertOneError('reference,current_social_care\nA,1\n', 'row 1, column "points_social_care"', /missing.*answers/);
  });

  it('refuses an unknown column, and a column for a stream not being calibrated', () => {
    assertOneError('reference,points_social_care,current_social_care,notes\nA,1,1,x\n', 'row 1, column "notes"', /not a column/);
    assertOneError('reference,points_social_care,current_social_care,current_health_continuing_care\nA,1,1,1\n', 'row 1, column "current_health_continuing_care"', /health.*not being calibrated/);
  });

  it('refuses a column given twice, and both points and answers', () => {
    assertOneError('reference,points_social_care,current_social_care,Reference\nA,1,1,B\n', 'row 1, column "Reference"', /more than once/);
    assertOneError('reference,points_social_care,answers,age,current_social_care\nA,1,q=l,9,1\n', 'row 1, column "points_social_care"', /either points or answers/);
  });

  it('refuses points that are not a whole number, or negative', () => {
    assertOneError(`${header}A,x,1\n`, 'row 2, column "points_social_care"', /not a number/);
    assertOneError(`${header}A,2.5,1\n`, 'row 2, column "points_social_care"', /whole number/);
    assertOneError(`${header}A,-3,1\n`, 'row 2, column "points_social_care"', /negative/);
    assertOneError(`${header}A,,1\n`, 'row 2, column "points_social_care"', /Enter the points/);
  });

  it('refuses a current cost that is not an amount, negative, or with more than 2 decimal places', () => {
    assertOneError(`${header}A,1,12.3.4\n`, 'row 2, column "current_social_care"', /amount in pounds/);
    assertOneError(`${header}A,1,1e3\n`, 'row 2, column "current_social_care"', /amount in pounds/);
    assertOneError(`${header}A,1,-20.00\n`, 'row 2, column "current_social_care"', /negative/);
    assertOneError(`${header}A,1,20.005\n`, 'row 2, column "current_social_care"', /2 decimal places/);
  });

  it('refuses a duplicate reference, ignoring case, pointing at the first', () => {
    assertOneError(`${header}TG-1,1,1\nB,1,1\ntg-1,1,1\n`, 'row 4, column "reference"', /already used on row 2/);
  });

  it('refuses a missing or overlong reference', () => {
    assertOneError(`${header},1,1\n`, 'row 2, column "reference"', /Enter/);
    assertOneError(`${header}${'x'.repeat(41)},1,1\n`, 'row 2, column "reference"', /40 characters/);
    assert.equal(rowsOf(`${header}${'x'.repeat(40)},1,1\n`).length, 1);
  });

  it('refuses a row with more or fewer cells than the header', () => {
    assertOneError(`${header}A,1,1,9\n`, 'row 2', /extra cells/);
    assertOneError(`${header}A,1\n`, 'row 2', /missing cells/);
  });

  it('refuses answers without an age column, or without an age on a row', () => {
    assertOneError('reference,answers,current_social_care\nA,q=l,1\n', 'row 1, column "age"', /"age" is missing.*scored at that age/);
    assertOneError('reference,age,answers,current_social_care\nA,,q=l,1\n', 'row 2, column "age"', /Enter the person’s age/);
  });

  it('refuses an age that is not whole years from 0 to 130, with points as with answers', () => {
    const h = 'reference,age,answers,current_social_care\n';
    assertOneError(`${h}A,-1,q=l,1\n`, 'row 2, column "age"', /negative/);
    assertOneError(`${h}A,8.5,q=l,1\n`, 'row 2, column "age"', /whole years/);
    assertOneError(`${h}A,eight,q=l,1\n`, 'row 2, column "age"', /not a number/);
    assertOneError(`${h}A,131,q=l,1\n`, 'row 2, column "age"', /130 or under/);
    assertOneError('reference,points_social_care,age,current_social_care\nA,1,200,1\n', 'row 2, column "age"', /130 or under/);
  });

  it('refuses answers that are not questionId=levelId pairs', () => {
    const h = 'reference,age,answers,current_social_care\n';
    assertOneError(`${h}A,9,mobility,1\n`, 'row 2, column "answers"', /not a questionId=levelId pair/);
    assertOneError(`${h}A,9,q=a;q=b,1\n`, 'row 2, column "answers"', /more than once/);
    assertOneError(`${h}A,9,,1\n`, 'row 2, column "answers"', /Enter/);
  });

  it('refuses a file that cannot be read as CSV', () => {
    assertOneError(`${header}A,1,"1\n`, '', /quoted cell is never closed/);
  });

  it(`refuses more than ${MAX_TEST_GROUP_ROWS.toLocaleString('en-GB')} people`, () => {
    const ok = header + Array.from({ length: MAX_TEST_GROUP_ROWS }, (_, i) => `P${i},1,1\n`).join('');
    assert.equal(rowsOf(ok).length, MAX_TEST_GROUP_ROWS);
    assertOneError(`${ok}extra,1,1\n`, '', /at most 50,000/);
  });

  it('accepts nothing when any row is wrong, and lists every error', () => {
    const errors = errorsOf(`${header}A,1,1\nB,x,1\nC,1,-1\n`);
    assert.deepEqual(
      errors.map((e) => e.path),
      ['row 3, column "points_social_care"', 'row 4, column "current_social_care"'],
    );
  });

  it(`lists at most ${MAX_TEST_GROUP_ERRORS} errors`, () => {
    const text = header + Array.from({ length: 500 }, (_, i) => `P${i},x,y\n`).join('');
    const errors = errorsOf(text);
    assert.equal(errors.length, MAX_TEST_GROUP_ERRORS);
    assert.equal(errors[0]?.path, 'row 2, column "points_social_care"');
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseTestGroupCsv(text, BOTH);
        if (!result.ok) assert.ok(result.errors.length >= 1 && result.errors.length <= MAX_TEST_GROUP_ERRORS);
      }),
    );
  });
});

describe('fitting a price per point', () => {
  it('a price fitted through the origin reproduces a group that is exactly proportional', () => {
    // points [10, 20, 30], costs £100, £200, £300: Σxy / Σx² = (10×10000 + 20×20000 + 30×30000) / (100 + 400 + 900) = 1000p.
    const { throughOrigin, withIntercept } = fitPricePerPoint([10, 20, 30], [10000n, 20000n, 30000n]);
    const origin = fitted(throughOrigin);
    assert.equal(origin.pricePerPointPence, 1000n);
    assert.equal(origin.interceptPence, 0n);
    assert.equal(origin.rSquared, 1);
    assert.equal(origin.medianAbsolutePercentError, 0);
    assert.equal(origin.sumSquaredResidualsPence2, 0n);
    const line = fitted(withIntercept);
    assert.equal(line.pricePerPointPence, 1000n);
    assert.equal(line.interceptPence, 0n);
    assert.equal(line.rSquared, 1);
  });

  it('a fit with an intercept finds the fixed part of the cost', () => {
    // costs = £50 + £2 a point: [£70, £90, £110] at [10, 20, 30].
    const line = fitted(fitPricePerPoint([10, 20, 30], [7000n, 9000n, 11000n]).withIntercept);
    assert.equal(line.pricePerPointPence, 200n);
    assert.equal(line.interceptPence, 5000n);
    assert.equal(line.rSquared, 1);
    assert.equal(line.medianAbsolutePercentError, 0);
  });

  it('works a noisy group out by hand: price, R² against the mean, median percentage error', () => {
    // points [1, 2, 3], costs [100p, 300p, 300p].
    // Origin: Σxy = 100 + 600 + 900 = 1600, Σx² = 14, price = 114.29p → 114p. Fitted [114, 228, 342],
    //   residuals [−14, 72, −42], SSres = 196 + 5184 + 1764 = 7144; mean 233.33, SStot = 26666.67;
    //   R² = 1 − 7144 / 26666.67 = 0.7321; errors 14%, 24%, 14% → median 14%.
    const origin = fitted(fitPricePerPoint([1, 2, 3], [100n, 300n, 300n]).throughOrigin);
    assert.equal(origin.pricePerPointPence, 114n);
    assert.equal(origin.sumSquaredResidualsPence2, 7144n);
    assert.ok(Math.abs((origin.rSquared ?? NaN) - (1 - 7144 / (80000 / 3))) < 1e-12);
    assert.ok(Math.abs((origin.medianAbsolutePercentError ?? NaN) - 14) < 1e-9);
    assert.ok(Math.abs(origin.exactPricePerPointPence - 1600 / 14) < 1e-9);
    // With intercept: slope = (3×1600 − 6×700) / (3×14 − 36) = 600 / 6 = 100p; intercept = (700 − 100×6) / 3 = 33.33 → 33p.
    //   Fitted [133, 233, 333], residuals [−33, 67, −33], SSres = 1089 + 4489 + 1089 = 6667.
    const line = fitted(fitPricePerPoint([1, 2, 3], [100n, 300n, 300n]).withIntercept);
    assert.equal(line.pricePerPointPence, 100n);
    assert.equal(line.interceptPence, 33n);
    assert.equal(line.sumSquaredResidualsPence2, 6667n);
    // Errors 33%, 22.33%, 11% → median 22.33%.
    assert.ok(Math.abs((line.medianAbsolutePercentError ?? NaN) - (67 / 300) * 100) < 1e-9);
  });

  it('rounds the price to whole pence, halves away from zero', () => {
    // Σxy / Σx² = (2 × 5) / 4 = 2.5p → 3p; −2.5p would be −3p.
    assert.equal(fitted(fitPricePerPoint([2, 0], [5n, 0n]).throughOrigin).pricePerPointPence, 3n);
    assert.equal(fitted(fitPricePerPoint([2, 0], [-5n, 0n]).throughOrigin).pricePerPointPence, -3n);
  });

  it('says a price cannot be fitted to fewer than 2 people, rather than giving NaN', () => {
    for (const [points, costs] of [
      [[], []],
      [[5], [100n]],
    ] as const) {
      const fits = fitPricePerPoint(points, costs);
      assert.equal(fits.throughOrigin.ok, false);
      assert.equal(fits.withIntercept.ok, false);
      if (!fits.throughOrigin.ok) assert.match(fits.throughOrigin.reason, /at least 2 people/);
    }
  });

  it('says a price cannot be fitted when everyone has 0 points, or (with an intercept) the same points', () => {
    const zero = fitPricePerPoint([0, 0, 0], [100n, 200n, 300n]);
    assert.equal(zero.throughOrigin.ok, false);
    assert.equal(zero.withIntercept.ok, false);
    const same = fitPricePerPoint([4, 4], [100n, 300n]);
    assert.equal(fitted(same.throughOrigin).pricePerPointPence, 50n);
    assert.equal(same.withIntercept.ok, false);
  });

  it('gives no R² when every cost is the same, and no percentage error when every cost is £0', () => {
    const flat = fitted(fitPricePerPoint([1, 2], [500n, 500n]).throughOrigin);
    assert.equal(flat.rSquared, null);
    const free = fitted(fitPricePerPoint([1, 2], [0n, 0n]).throughOrigin);
    assert.equal(free.medianAbsolutePercentError, null);
    assert.equal(free.pricePerPointPence, 0n);
  });

  const groupArb = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.bigInt({ min: 0n, max: 10_000_000n })), { minLength: 2, maxLength: 60 })
    .filter((rows) => rows.some(([x]) => x > 0));
  const ssRes = (rows: readonly (readonly [number, bigint])[], price: bigint, intercept: bigint) =>
    rows.reduce((acc, [x, y]) => acc + (y - BigInt(x) * price - intercept) ** 2n, 0n);

  it('the origin fit minimises squared error: a penny more or less never fits better', () => {
    fc.assert(
      fc.property(groupArb, (rows) => {
        const fit = fitted(fitPricePerPoint(rows.map(([x]) => x), rows.map(([, y]) => y)).throughOrigin);
        const best = ssRes(rows, fit.pricePerPointPence, 0n);
        assert.equal(best, fit.sumSquaredResidualsPence2);
        assert.ok(ssRes(rows, fit.pricePerPointPence + 1n, 0n) >= best);
        assert.ok(ssRes(rows, fit.pricePerPointPence - 1n, 0n) >= best);
      }),
    );
  });

  it('the intercept fit minimises squared error for its price: a penny more or less of intercept never fits better', () => {
    fc.assert(
      fc.property(groupArb, (rows) => {
        const fit = fitPricePerPoint(rows.map(([x]) => x), rows.map(([, y]) => y)).withIntercept;
        if (!fit.ok) return; // all points equal
        const best = ssRes(rows, fit.pricePerPointPence, fit.interceptPence);
        assert.ok(ssRes(rows, fit.pricePerPointPence, fit.interceptPence + 1n) >= best);
        assert.ok(ssRes(rows, fit.pricePerPointPence, fit.interceptPence - 1n) >= best);
      }),
    );
  });

  it('reproduces any exactly proportional group, whatever its price', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 30 }), fc.bigInt({ min: 0n, max: 100_000n }), (xs, price) => {
        const fit = fitted(fitPricePerPoint(xs, xs.map((x) => BigInt(x) * price)).throughOrigin);
        assert.equal(fit.pricePerPointPence, price);
        assert.equal(fit.sumSquaredResidualsPence2, 0n);
        if (fit.medianAbsolutePercentError !== null) assert.equal(fit.medianAbsolutePercentError, 0);
      }),
    );
  });
});

describe('the calibration report', () => {
  const group: CalibrationRow[] = [
    { reference: 'A', points: { social_care: 10 }, currentPence: { social_care: 10000n } },
    { reference: 'B', points: { social_care: 20 }, currentPence: { social_care: 20000n } },
    { reference: 'C', points: { social_care: 30 }, currentPence: { social_care: 30000n } },
    // Far above what the points suggest.
    { reference: 'D', points: { social_care: 10 }, currentPence: { social_care: 40000n } },
    // No current package: not in the fit, and any allocation is a change from £0.
    { reference: 'E', points: { social_care: 5 }, currentPence: {} },
  ];

  it('prices allocations with the fitted price and lists the people outside the tolerance, largest difference first', () => {
    const report = calibrationReport({ streams: SC, rows: group, envelopePence: { social_care: 100000n } });
    const stream = report.streams[0];
    assert.ok(stream !== undefined);
    // Σxy = 10×10000 + 20×20000 + 30×30000 + 10×40000 = 1,800,000; Σx² = 1500; price = 1200p.
    const origin = fitted(stream.fits.throughOrigin);
    assert.equal(origin.rows, 4);
    assert.equal(origin.pricePerPointPence, 1200n);
    assert.equal(stream.allocationBasis, 'fitted-price');
    assert.equal(stream.people, 5);
    // Allocations: A 12000 (+20%), B 24000 (+20%), C 36000 (+20%), D 12000 (−70%), E 6000 (from £0).
    assert.deepEqual(
      stream.outliers.map((o) => [o.reference, o.differencePence, o.percent]),
      [
        ['D', -28000n, -70],
        ['E', 6000n, null],
      ],
    );
    assert.equal(stream.outliers[1]?.hasCurrentPackage, false);
    assert.equal(stream.currentPence, 100000n);
    assert.equal(stream.allocationPence, 90000n);
    assert.equal(stream.allocationMinusCurrentPence, -10000n);
    assert.equal(stream.headroomPence, 10000n);
    assert.deepEqual(report.totals, { currentPence: 100000n, allocationPence: 90000n, envelopePence: 100000n, headroomPence: 10000n });
  });

  it('uses a tighter tolerance when asked, counting exactly the boundary as inside', () => {
    const exactly20 = calibrationReport({ streams: SC, rows: group, tolerancePercent: 20 });
    assert.deepEqual(
      exactly20.streams[0]?.outliers.map((o) => o.reference),
      ['D', 'E'],
    );
    const below20 = calibrationReport({ streams: SC, rows: group, tolerancePercent: 19 });
    assert.deepEqual(
      below20.streams[0]?.outliers.map((o) => o.reference),
      ['D', 'C', 'E', 'B', 'A'],
    );
  });

  it('compares the model’s own allocations when the caller scored everyone', () => {
    const rows = group.map((r) => ({ ...r, allocationPence: { social_care: r.currentPence.social_care ?? 0n } }));
    const stream = calibrationReport({ streams: SC, rows }).streams[0];
    assert.equal(stream?.allocationBasis, 'model');
    assert.deepEqual(stream?.outliers, []);
    assert.equal(stream?.allocationPence, 100000n);
  });

  it('refuses allocations given for some people in a stream but not others', () => {
    const rows: CalibrationRow[] = group.map((r, i) => (i === 0 ? { ...r, allocationPence: { social_care: 1n } } : r));
    assert.throws(() => calibrationReport({ streams: SC, rows }), RangeError);
  });

  it('shows no allocations, rather than wrong ones, when nothing can be fitted', () => {
    const report = calibrationReport({ streams: BOTH, rows: group, envelopePence: { social_care: 1n, education_high_needs: 1n } });
    const education = report.streams[0];
    assert.equal(education?.stream, 'education_high_needs');
    assert.equal(education?.people, 0);
    assert.equal(education?.allocationBasis, 'none');
    assert.equal(education?.allocationPence, null);
    assert.equal(report.totals.allocationPence, null);
    assert.equal(report.totals.envelopePence, 2n);
    assert.equal(report.totals.headroomPence, null);
  });

  it('totals equal the sums of the rows, and every outlier is really outside the tolerance', () => {
    const rowArb = fc.record({
      points: fc.integer({ min: 0, max: 100 }),
      current: fc.option(fc.bigInt({ min: 0n, max: 5_000_000n }), { nil: undefined }),
      allocation: fc.bigInt({ min: 0n, max: 5_000_000n }),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.integer({ min: 0, max: 100 }), (raw, tolerance) => {
        const rows = raw.map((r, i) => ({
          reference: `R${i}`,
          points: { social_care: r.points },
          currentPence: r.current === undefined ? {} : { social_care: r.current },
          allocationPence: { social_care: r.allocation },
        }));
        const report = calibrationReport({ streams: SC, rows, tolerancePercent: tolerance });
        const stream = report.streams[0];
        assert.ok(stream !== undefined);
        assert.equal(stream.currentPence, raw.reduce((acc, r) => acc + (r.current ?? 0n), 0n));
        if (raw.length > 0) assert.equal(stream.allocationPence, raw.reduce((acc, r) => acc + r.allocation, 0n));
        const expected = raw.filter((r) => {
          const current = r.current ?? 0n;
          const diff = r.allocation - current;
          return (diff < 0n ? -diff : diff) * 100n > BigInt(tolerance) * current;
        }).length;
        assert.equal(stream.outliers.length, expected);
      }),
    );
  });
});
