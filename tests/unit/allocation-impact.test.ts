/**
 * The impact report of a draft model: totals, the change histogram, the largest changes, the effect
 * of transitional protection; worked examples and properties against a plain recomputation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IMPACT_BUCKETS, compareChanges, impactAccumulator, impactBucket, type ImpactReport, type ImpactRow } from '../../src/domain/allocation/impact.ts';
import { STREAM_CODES, type StreamCode } from '../../src/domain/allocation/model.ts';

function row(reference: string, published: bigint, draft: bigint, firstYear = draft, missingAnswers = 0): ImpactRow {
  return {
    reference,
    personId: `person-${reference}`,
    publishedPence: { social_care: published },
    draftPence: { social_care: draft },
    draftFirstYearPence: { social_care: firstYear },
    missingAnswers,
  };
}

function reportOf(rows: readonly ImpactRow[], topN?: number): ImpactReport {
  const acc = impactAccumulator(topN === undefined ? {} : { topN });
  for (const r of rows) acc.add(r);
  return acc.report();
}

const countOf = (report: ImpactReport, key: string) => report.histogram.find((b) => b.key === key)?.count;

describe('the impact of a draft model', () => {
  it('totals each stream under the published model, the draft, and the draft after protection', () => {
    const report = reportOf([
      {
        reference: 'A',
        personId: 'a',
        publishedPence: { social_care: 100000n, education_high_needs: 50000n },
        draftPence: { social_care: 80000n, education_high_needs: 60000n },
        draftFirstYearPence: { social_care: 90000n, education_high_needs: 60000n },
        missingAnswers: 0,
      },
      row('B', 20000n, 30000n),
    ]);
    assert.equal(report.people, 2);
    assert.deepEqual(
      report.streams.map((s) => [s.stream, s.publishedPence, s.draftPence, s.draftFirstYearPence, s.differencePence, s.firstYearDifferencePence]),
      [
        ['education_high_needs', 50000n, 60000n, 60000n, 10000n, 10000n],
        ['social_care', 120000n, 110000n, 120000n, -10000n, 0n],
      ],
    );
    assert.deepEqual(report.totals, { publishedPence: 170000n, draftPence: 170000n, draftFirstYearPence: 180000n, differencePence: 0n, firstYearDifferencePence: 10000n });
    // A's total: 150000 → 140000 (a decrease); B: 20000 → 30000 (an increase).
    assert.equal(report.increases, 1);
    assert.equal(report.decreases, 1);
    assert.equal(report.unchanged, 0);
  });

  it('puts each person in the right bucket, a boundary going to the bucket further from zero', () => {
    const cases: [bigint, bigint, string][] = [
      [10000n, 0n, 'down-50-or-more'],
      [10000n, 5000n, 'down-50-or-more'],
      [10000n, 5001n, 'down-25-to-50'],
      [10000n, 7500n, 'down-25-to-50'],
      [10000n, 7501n, 'down-10-to-25'],
      [10000n, 9000n, 'down-10-to-25'],
      [10000n, 9999n, 'down-under-10'],
      [10000n, 10000n, 'unchanged'],
      [0n, 0n, 'unchanged'],
      [10000n, 10001n, 'up-under-10'],
      [10000n, 11000n, 'up-10-to-25'],
      [10000n, 12500n, 'up-25-to-50'],
      [10000n, 14999n, 'up-25-to-50'],
      [10000n, 15000n, 'up-50-or-more'],
      [0n, 1n, 'new-budget'],
    ];
    for (const [published, draft, bucket] of cases) assert.equal(impactBucket(published, draft), bucket, `${published} → ${draft}`);
    const report = reportOf(cases.map(([p, d], i) => row(`R${i}`, p, d)));
    assert.deepEqual(
      report.histogram.map((b) => [b.key, b.count]),
      [
        ['down-50-or-more', 2],
        ['down-25-to-50', 2],
        ['down-10-to-25', 2],
        ['down-under-10', 1],
        ['unchanged', 2],
        ['up-under-10', 1],
        ['up-10-to-25', 1],
        ['up-25-to-50', 2],
        ['up-50-or-more', 1],
        ['new-budget', 1],
      ],
    );
    assert.deepEqual(
      report.histogram.map((b) => b.label),
      IMPACT_BUCKETS.map((b) => b.label),
    );
  });

  it('lists the largest changes either way, largest first, ties by reference', () => {
    const report = reportOf([row('C', 1000n, 1500n), row('A', 1000n, 500n), row('B', 1000n, 1100n), row('D', 0n, 2000n), row('E', 1000n, 1000n)], 3);
    assert.deepEqual(
      report.largestChanges.map((c) => [c.reference, c.differencePence, c.percent]),
      [
        ['D', 2000n, null],
        ['A', -500n, -50],
        ['C', 500n, 50],
      ],
    );
    assert.equal(report.largestChanges[0]?.bucket, 'new-budget');
  });

  it('shows how many people transitional protection limits and what it adds in the first year', () => {
    const report = reportOf([
      row('A', 10000n, 5000n, 9000n), // protection raises by 4000
      row('B', 10000n, 20000n, 11000n), // protection holds back 9000
      row('C', 10000n, 9500n), // within the limit
    ]);
    assert.deepEqual(report.transitionalProtection, { peopleLimited: 2, addedPence: -5000n, raisedPence: 4000n, heldBackPence: -9000n });
  });

  it('counts assessments that lack answers to questions new in the draft', () => {
    const report = reportOf([row('A', 1n, 1n, 1n, 2), row('B', 1n, 1n, 1n, 0), row('C', 1n, 1n, 1n, 1)]);
    assert.deepEqual(report.missingAnswers, { assessments: 2, questions: 3 });
  });

  it('can be fed in chunks, reporting progress, with a report at any point that does not disturb it', () => {
    const acc = impactAccumulator();
    acc.add(row('A', 100n, 200n));
    const early = acc.report();
    assert.equal(acc.people, 1);
    acc.add(row('B', 100n, 50n));
    assert.equal(early.people, 1);
    assert.equal(acc.report().people, 2);
    assert.equal(acc.report().largestChanges.length, 2);
  });

  it('gives an empty report for no people', () => {
    const report = reportOf([]);
    assert.equal(report.people, 0);
    assert.deepEqual(report.streams, []);
    assert.equal(report.totals.publishedPence, 0n);
    assert.ok(report.histogram.every((b) => b.count === 0));
    assert.deepEqual(report.largestChanges, []);
  });

  it('refuses negative amounts and a bad count of missing answers', () => {
    assert.throws(() => impactAccumulator().add(row('A', -1n, 0n)), RangeError);
    assert.throws(() => impactAccumulator().add(row('A', 1n, 0n, 0n, -1)), RangeError);
    assert.throws(() => impactAccumulator({ topN: 1.5 }), RangeError);
  });
});

describe('properties of the impact report', () => {
  const amount = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10_000_000n }));
  const streamAmounts = fc.record(
    { education_high_needs: amount, social_care: amount, health_continuing_care: amount },
    { requiredKeys: [] },
  );
  const rowArb = fc.record({
    reference: fc.stringMatching(/^[A-E]{1,2}$/),
    personId: fc.uuid(),
    publishedPence: streamAmounts,
    draftPence: streamAmounts,
    draftFirstYearPence: streamAmounts,
    missingAnswers: fc.integer({ min: 0, max: 3 }),
  });
  const rowsArb = fc.array(rowArb, { maxLength: 80 });
  const total = (amounts: Partial<Record<StreamCode, bigint>>) => STREAM_CODES.reduce((acc, s) => acc + (amounts[s] ?? 0n), 0n);
  const firstYearTotal = (r: ImpactRow) => STREAM_CODES.reduce((acc, s) => acc + (r.draftFirstYearPence[s] ?? r.draftPence[s] ?? 0n), 0n);

  it('histogram counts add up to the number of people, as do increases, decreases and no change', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const report = reportOf(rows);
        assert.equal(
          report.histogram.reduce((acc, b) => acc + b.count, 0),
          rows.length,
        );
        assert.equal(report.increases + report.decreases + report.unchanged, rows.length);
        assert.equal(countOf(report, 'unchanged'), report.unchanged);
      }),
    );
  });

  it('totals equal the sums of the rows', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const report = reportOf(rows);
        assert.equal(report.totals.publishedPence, rows.reduce((acc, r) => acc + total(r.publishedPence), 0n));
        assert.equal(report.totals.draftPence, rows.reduce((acc, r) => acc + total(r.draftPence), 0n));
        assert.equal(report.totals.draftFirstYearPence, rows.reduce((acc, r) => acc + firstYearTotal(r), 0n));
        assert.equal(report.totals.differencePence, report.totals.draftPence - report.totals.publishedPence);
        assert.equal(report.transitionalProtection.addedPence, report.totals.draftFirstYearPence - report.totals.draftPence);
        for (const s of report.streams) {
          assert.equal(s.publishedPence, rows.reduce((acc, r) => acc + (r.publishedPence[s.stream] ?? 0n), 0n));
        }
      }),
    );
  });

  it('the largest changes equal the first N of a full sort', () => {
    const rest = { publishedPence: 0n, draftPence: 0n, draftFirstYearPence: 0n, percent: null, bucket: 'unchanged' } as const;
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 0, max: 30 }), (rows, topN) => {
        const report = reportOf(rows, topN);
        const sorted = rows
          .map((r) => ({ reference: r.reference, personId: r.personId, differencePence: total(r.draftPence) - total(r.publishedPence) }))
          .sort((a, b) => compareChanges({ ...a, ...rest }, { ...b, ...rest }))
          .slice(0, topN);
        assert.deepEqual(
          report.largestChanges.map((c) => [c.reference, c.personId, c.differencePence]),
          sorted.map((c) => [c.reference, c.personId, c.differencePence]),
        );
      }),
    );
  });

  it('gives the same report whatever order the rows arrive in', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        assert.deepEqual(reportOf([...rows].reverse()), reportOf(rows));
      }),
    );
  });
});
