/**
 * The payment file and remittance notices (src/domain/payments/payment-file.ts, docs/payment-file.md):
 * one row per payee, amounts exact from pence, spreadsheet formulas defused, and a notice a family
 * can read.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parsePounds, penceToDecimal } from '../../src/domain/money/money.ts';
import {
  guardFormula,
  MAX_BANK_REFERENCE,
  PAYMENT_FILE_COLUMNS,
  paymentFile,
  remittanceNotices,
  remittanceText,
  type PayeeBankDetails,
} from '../../src/domain/payments/payment-file.ts';
import { dueInstalments, previewRun, type DueInstalment, type ScheduleForRun } from '../../src/domain/payments/run.ts';
import { paymentSchedule } from '../../src/domain/payments/schedule.ts';

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function schedule(n: number, annual: { education: bigint; socialCare: bigint }): ScheduleForRun {
  return {
    id: uuid(n),
    personId: uuid(100 + n),
    holderAccountId: uuid(n * 10),
    budgetAccountIdByStream: { education: uuid(n * 10 + 1), 'social-care': uuid(n * 10 + 2) },
    instalments: paymentSchedule({
      periodStart: '2026-04-01',
      periodEnd: '2027-03-31',
      frequency: 'monthly',
      streams: [
        { streamId: 'education', annualPence: annual.education },
        { streamId: 'social-care', annualPence: annual.socialCare },
      ],
    }),
  };
}

const A = schedule(1, { education: 600_000n, socialCare: 1_200_000n });
const B = schedule(2, { education: 0n, socialCare: 123_456n });
const payee = (reference: string, name: string): PayeeBankDetails => ({ reference, name, sortCode: '01-23-45', accountNumber: '00123456' });
const PAYEES = new Map([
  [A.personId, payee('S0002', 'Ada Lovelace')],
  [B.personId, payee('S0001', 'Grace Hopper')],
]);
const dues = (runDate: string, schedules = [A, B]): DueInstalment[] => dueInstalments(schedules, { id: 'R14', runDate }, new Set());
const parseCsv = (csv: string): Record<string, string>[] => parse(csv, { columns: true, skip_empty_lines: true });

describe('payment file: layout', () => {
  it('writes one row per payee, ordered by payee reference, with bank references OB-<run>-<n>', () => {
    const file = paymentFile({ runReference: '14', paymentDate: '2026-04-01', dues: dues('2026-04-01'), payees: PAYEES });
    assert.ok(file.ok);
    assert.equal(
      file.csv,
      [
        PAYMENT_FILE_COLUMNS.join(','),
        // 123456 pence a year in 12 payments: 10288 pence, with the extra pennies first.
        'S0001,Grace Hopper,012345,00123456,102.88,2026-04-01,OB-14-1',
        'S0002,Ada Lovelace,012345,00123456,1500.00,2026-04-01,OB-14-2',
        '',
      ].join('\r\n'),
    );
    assert.equal(file.totalPence, 160_288n);
    assert.equal(file.totalPence, previewRun(dues('2026-04-01')).totalPence, 'the file pays exactly what the run posted');
  });

  it('pays a family one sum when a late run catches up two instalments', () => {
    const file = paymentFile({ runReference: '14', paymentDate: '2026-05-02', dues: dues('2026-05-02', [A]), payees: PAYEES });
    assert.ok(file.ok);
    assert.deepEqual(file.rows.map((r) => [r.payeeReference, r.amount]), [['S0002', '3000.00']]);
  });

  it('reads back with a CSV parser exactly as written', () => {
    const file = paymentFile({ runReference: '14', paymentDate: '2026-04-01', dues: dues('2026-04-01'), payees: PAYEES });
    assert.ok(file.ok);
    assert.deepEqual(
      parseCsv(file.csv),
      file.rows.map((r) => ({
        payee_reference: r.payeeReference,
        payee_name: r.payeeName,
        sort_code: r.sortCode,
        account_number: r.accountNumber,
        amount: r.amount,
        payment_date: r.paymentDate,
        reference: r.reference,
      })),
    );
  });

  it('round-trips any payee name and amount: commas, quotes and line breaks survive, and the pence are exact', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && !/^[=+\-@\t\r]/.test(s.trim())),
        fc.bigInt({ min: 12n, max: 100_000_000_000n }),
        (name, annual) => {
          const s = schedule(3, { education: annual, socialCare: 0n });
          const file = paymentFile({ runReference: 'R1', paymentDate: '2026-04-01', dues: dues('2026-04-01', [s]), payees: new Map([[s.personId, payee('P1', name)]]) });
          assert.ok(file.ok);
          const [row] = parseCsv(file.csv);
          assert.equal(row?.payee_name, name.trim());
          const back = parsePounds(row?.amount ?? '');
          assert.deepEqual(back, { ok: true, pence: s.instalments[0]?.amountPence });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes nothing when a payee lacks usable bank details, and says which and why', () => {
    const payees = new Map([[A.personId, { ...payee('S0002', 'Ada Lovelace'), sortCode: '12345' }]]);
    const file = paymentFile({ runReference: '14', paymentDate: '2026-04-01', dues: dues('2026-04-01'), payees });
    assert.deepEqual(file, {
      ok: false,
      problems: [
        { personId: A.personId, message: 'The sort code must be 6 digits' },
        { personId: B.personId, message: 'No bank details are recorded for this direct payment holder' },
      ],
    });
  });

  it('refuses a run reference that would make a bank reference longer than Bacs carries', () => {
    assert.equal(MAX_BANK_REFERENCE, 18);
    const input = { paymentDate: '2026-04-01', dues: dues('2026-04-01'), payees: PAYEES };
    // Two payees: the longest reference is OB-<run>-2.
    assert.ok(paymentFile({ ...input, runReference: '1234567890123' }).ok); // OB-1234567890123-2: 18
    assert.throws(() => paymentFile({ ...input, runReference: '12345678901234' }), /at most 18 characters/); // 19
    assert.throws(() => paymentFile({ ...input, runReference: 'R 1' }), /letters and digits/);
  });
});

describe('payment file: spreadsheet formulas', () => {
  it('prefixes a value beginning with =, +, -, @, a tab or a carriage return with a quote', () => {
    for (const risky of ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\t=1', '\r=1']) assert.equal(guardFormula(risky), `'${risky}`);
    for (const safe of ['Ada', '1500.00', "O'Brien", ' =1 inside']) assert.equal(guardFormula(safe), safe);
  });

  it('defuses a payee name that is a formula in the file itself', () => {
    const payees = new Map([
      [A.personId, payee('=cmd|calc', '=HYPERLINK("http://evil")')],
      [B.personId, payee('S1', '@Grace')],
    ]);
    const file = paymentFile({ runReference: '14', paymentDate: '2026-04-01', dues: dues('2026-04-01'), payees });
    assert.ok(file.ok);
    const rows = parseCsv(file.csv);
    assert.deepEqual(rows.map((r) => [r.payee_reference, r.payee_name]), [
      ["'=cmd|calc", '\'=HYPERLINK("http://evil")'],
      ['S1', "'@Grace"],
    ]);
  });
});

describe('payment file: amounts from pence', () => {
  it('writes pence as pounds with two decimals, exactly', () => {
    assert.deepEqual([0n, 5n, 50n, 123_456n, -5n, 10n ** 20n + 1n].map(penceToDecimal), ['0.00', '0.05', '0.50', '1234.56', '-0.05', '1000000000000000000.01']);
  });

  it('reads back as the same pence for any amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), (pence) => {
        assert.deepEqual(parsePounds(penceToDecimal(pence)), { ok: true, pence });
      }),
    );
  });
});

describe('remittance notices', () => {
  const names = (id: string): string => ({ education: 'education', 'social-care': 'social care' })[id] ?? id;

  it('tells the family what was paid, when, for which days and from which streams', () => {
    const [notice] = remittanceNotices(dues('2026-05-02', [A]), '2026-05-02', names);
    assert.ok(notice !== undefined);
    assert.equal(
      remittanceText(notice),
      'We have paid £3,000.00 into your direct payment account on 2 May 2026. It covers 1 April 2026 to 31 May 2026. ' +
        'It is made up of: education £1,000.00, social care £2,000.00.',
    );
  });

  it('writes one notice per family and leaves out a stream that paid nothing', () => {
    const notices = remittanceNotices(dues('2026-04-01'), '2026-04-01', names);
    assert.deepEqual(notices.map((n) => [n.personId, n.amountPence, n.parts.map((p) => p.label)]), [
      [A.personId, 150_000n, ['education', 'social care']],
      [B.personId, 10_288n, ['social care']],
    ]);
  });
});
