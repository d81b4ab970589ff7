/** Reading a direct payment statement CSV: all or nothing, every problem named by row and column. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  MAX_STATEMENT_ROWS,
  formatStatementCsv,
  parseStatementCsv,
  readStatementDate,
  type StatementCsvResult,
  type StatementLine,
} from '../../src/domain/monitoring/statement-csv.ts';

const CATEGORIES = [
  { code: 'pa_wages', label: 'Personal assistant wages' },
  { code: 'respite', label: 'Short breaks and respite' },
  { code: 'activities', label: 'Activities' },
  { code: 'school_place', label: 'School place' },
];
const OPTIONS = { categories: CATEGORIES, today: '2026-12-03' };

function parseOk(text: string, options = OPTIONS): readonly StatementLine[] {
  const result = parseStatementCsv(text, options);
  if (!result.ok) assert.fail(`expected the file to be read, got ${JSON.stringify(result.errors)}`);
  return result.lines;
}

function errorsOf(result: StatementCsvResult): readonly { row: number; column: string; message: string }[] {
  if (result.ok) assert.fail('expected the file to be refused');
  return result.errors;
}

function fingerprintOf(text: string): string {
  const result = parseStatementCsv(text, OPTIONS);
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  return result.fingerprint;
}

const EXAMPLE = [
  'date,payee,category,amount,reference,type',
  '02/11/2026,Jane Smith,Personal assistant wages,"£1,234.56",Nov wk 1,',
  '2026-11-09,"Riverside Centre, Unit 4",respite,85,INV-204,spend',
  '15/11/2026,Riverside Centre,RESPITE,12.5,INV-204 part refund,refund',
].join('\n');

describe('reading a statement a family exported from a spreadsheet', () => {
  it('reads the documented example into lines in pence with category codes and spreadsheet rows', () => {
    assert.deepEqual(parseOk(EXAMPLE), [
      { row: 2, date: '2026-11-02', payee: 'Jane Smith', category: 'pa_wages', amountPence: 123_456n, type: 'spend', reference: 'Nov wk 1' },
      { row: 3, date: '2026-11-09', payee: 'Riverside Centre, Unit 4', category: 'respite', amountPence: 8_500n, type: 'spend', reference: 'INV-204' },
      { row: 4, date: '2026-11-15', payee: 'Riverside Centre', category: 'respite', amountPence: 1_250n, type: 'refund', reference: 'INV-204 part refund' },
    ]);
  });

  it('reads the example in docs/statement-csv.md, so the guidance families follow stays true', () => {
    const doc = readFileSync(new URL('../../docs/statement-csv.md', import.meta.url), 'utf8');
    const example = /```csv\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const lines = parseOk(example);
    assert.deepEqual(
      lines.map((l) => [l.row, l.date, l.category, l.amountPence, l.type]),
      [
        [2, '2026-11-02', 'pa_wages', 123_456n, 'spend'],
        [3, '2026-11-09', 'respite', 8_500n, 'spend'],
        [4, '2026-11-15', 'respite', 1_250n, 'refund'],
      ],
    );
  });

  it('accepts Excel output: byte order mark, CRLF, header in capitals and columns in any order', () => {
    const text = '\uFEFFAmount , PAYEE,Category,Date\r\n12.50,Corner Café,activities,3/4/2026\r\n';
    assert.deepEqual(parseOk(text), [
      { row: 2, date: '2026-04-03', payee: 'Corner Café', category: 'activities', amountPence: 1_250n, type: 'spend', reference: '' },
    ]);
  });

  it('skips blank rows but keeps counting them, so row numbers match the spreadsheet', () => {
    const text = 'date,payee,category,amount\n\n,,,\n2026-01-05,Swim club,activities,12.345\n';
    assert.deepEqual(errorsOf(parseStatementCsv(text, OPTIONS)), [
      { row: 4, column: 'amount', message: 'The amount must have no more than 2 decimal places, like 12.50' },
    ]);
  });

  it('counts a value with a line break inside quotes as one spreadsheet row', () => {
    const text = 'date,payee,category,amount\n2026-01-05,"Swim\nclub",activities,10\n2026-01-06,Gym,activities,\n';
    const errors = errorsOf(parseStatementCsv(text, OPTIONS));
    assert.deepEqual(errors.map((e) => [e.row, e.column]), [[3, 'amount']]);
  });

  it('turns DD/MM/YYYY into an ISO date and refuses impossible dates and American order', () => {
    assert.equal(readStatementDate('28/02/2026'), '2026-02-28');
    assert.equal(readStatementDate('29/02/2028'), '2028-02-29');
    assert.equal(readStatementDate('31/02/2026'), null);
    assert.equal(readStatementDate('12/31/2026'), null);
    assert.equal(readStatementDate('2026-02-30'), null);
    assert.equal(readStatementDate('5/3/26'), null);
  });
});

describe('refusing a file: every problem, and nothing imported', () => {
  it('reports every bad cell in every row with a message a person can act on', () => {
    const text = [
      'date,payee,category,amount,type',
      '31/02/2026,,Gardening,-5,spend',
      '2026-12-04,Shop,activities,"£30,000.00",gift',
      '2026-11-01,Shop,activities,0,',
    ].join('\r\n');
    assert.deepEqual(errorsOf(parseStatementCsv(text, OPTIONS)), [
      { row: 2, column: 'date', message: 'The date must be a real date, like 27/03/2026' },
      { row: 2, column: 'payee', message: 'Enter who was paid' },
      {
        row: 2,
        column: 'category',
        message: '"Gardening" is not a category. Enter one of: Personal assistant wages, Short breaks and respite, Activities, School place',
      },
      { row: 2, column: 'amount', message: 'Enter the amount without a minus sign. For money paid back to you, enter refund in the type column' },
      { row: 3, column: 'date', message: 'The date must be today or in the past' },
      { row: 3, column: 'amount', message: 'The amount must be £25,000.00 or less' },
      { row: 3, column: 'type', message: 'Enter spend or refund as the type, or leave it blank for spending' },
      { row: 4, column: 'amount', message: 'The amount must be more than £0.00' },
    ]);
  });

  it('accepts exactly £25,000 on one line and refuses a penny more', () => {
    const header = 'date,payee,category,amount\n';
    assert.equal(parseOk(`${header}2026-11-01,Agency,pa_wages,25000.00`)[0]?.amountPence, 2_500_000n);
    assert.equal(errorsOf(parseStatementCsv(`${header}2026-11-01,Agency,pa_wages,25000.01`, OPTIONS))[0]?.column, 'amount');
  });

  it('refuses lines dated before the statement period starts', () => {
    const text = 'date,payee,category,amount\n31/03/2026,Shop,activities,5\n01/04/2026,Shop,activities,5\n';
    assert.deepEqual(errorsOf(parseStatementCsv(text, { ...OPTIONS, periodStart: '2026-04-01' })), [
      { row: 2, column: 'date', message: 'The date must be on or after 1 April 2026, when this statement starts' },
    ]);
  });

  it('refuses payees over 200 characters and references over 100, counting characters not bytes', () => {
    const ok = `2026-11-01,${'é'.repeat(200)},activities,5,${'r'.repeat(100)}`;
    const bad = `2026-11-01,${'é'.repeat(201)},activities,5,${'r'.repeat(101)}`;
    const header = 'date,payee,category,amount,reference\n';
    assert.equal(parseOk(header + ok).length, 1);
    assert.deepEqual(errorsOf(parseStatementCsv(header + bad, OPTIONS)).map((e) => e.column), ['payee', 'reference']);
  });

  it('says what is wrong with the file as a whole: empty, header only, semicolons', () => {
    assert.match(errorsOf(parseStatementCsv('', OPTIONS))[0]?.message ?? '', /The file is empty/);
    assert.match(errorsOf(parseStatementCsv('\uFEFF\r\n', OPTIONS))[0]?.message ?? '', /The file is empty/);
    assert.match(errorsOf(parseStatementCsv('date,payee,category,amount\r\n', OPTIONS))[0]?.message ?? '', /no spending lines/);
    assert.deepEqual(errorsOf(parseStatementCsv('date;payee;category;amount\n2026-11-01;Shop;activities;5\n', OPTIONS)), [
      { row: 1, column: '', message: 'Separate the columns with commas. Save the file from your spreadsheet as "CSV (comma delimited)"' },
    ]);
  });

  it('names missing, unknown and repeated columns in the header row', () => {
    const errors = errorsOf(parseStatementCsv('Date,Payee,Ammount,notes,date\n2026-11-01,Shop,5,x,2026-11-01\n', OPTIONS));
    assert.deepEqual(
      errors.map((e) => [e.row, e.column]),
      [[1, 'Ammount'], [1, 'notes'], [1, 'date'], [1, 'category'], [1, 'amount']],
    );
  });

  it('refuses a row with more values than columns, the sign of an unquoted comma', () => {
    const text = 'date,payee,category,amount\n2026-11-01,Smith, J,activities,5\n';
    assert.deepEqual(errorsOf(parseStatementCsv(text, OPTIONS)).map((e) => [e.row, e.column]), [[2, '']]);
  });

  it('points at the row where a quotation mark is left open', () => {
    const text = 'date,payee,category,amount\n2026-11-01,Shop,activities,5\n2026-11-02,"Shop,activities,5\n';
    const errors = errorsOf(parseStatementCsv(text, OPTIONS));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.row, 3);
    assert.match(errors[0]?.message ?? '', /quotation mark/);
  });

  it(`refuses more than ${MAX_STATEMENT_ROWS} lines, and files over 2 MB, with a clear message`, () => {
    const row = '2026-11-01,Shop,activities,5\n';
    const tooMany = errorsOf(parseStatementCsv(`date,payee,category,amount\n${row.repeat(MAX_STATEMENT_ROWS + 1)}`, OPTIONS));
    assert.deepEqual(tooMany, [{ row: MAX_STATEMENT_ROWS + 2, column: '', message: 'A file can have up to 5,000 lines. Split the statement into smaller files' }]);
    assert.equal(parseOk(`date,payee,category,amount\n${row.repeat(MAX_STATEMENT_ROWS)}`).length, MAX_STATEMENT_ROWS);
    const huge = `date,payee,category,amount\n${`2026-11-01,${'x'.repeat(190)},activities,5\n`.repeat(11_000)}`;
    assert.match(errorsOf(parseStatementCsv(huge, OPTIONS))[0]?.message ?? '', /smaller than 2 MB/);
  });
});

// --- Properties --------------------------------------------------------------------------------

const dateArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2026-12-03T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const textArb = (max: number, min: number) =>
  fc
    .string({ unit: fc.constantFrom('a', 'B', 'é', ' ', ',', '"', '\n', '1', '£', "'", '&'), minLength: min, maxLength: max })
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s.length >= min);
const lineArb = fc.record({
  date: dateArb,
  payee: textArb(60, 1),
  category: fc.constantFrom(...CATEGORIES.map((c) => c.code)),
  amountPence: fc.bigInt({ min: 1n, max: 2_500_000n }),
  type: fc.constantFrom('spend' as const, 'refund' as const),
  reference: textArb(40, 0),
});
const linesArb = fc.array(lineArb, { minLength: 1, maxLength: 25 }).map((lines) => lines.map((l, i) => ({ ...l, row: i + 2 })));

describe('properties of the statement reader', () => {
  it('reads back exactly what it writes, for any valid lines', () => {
    fc.assert(
      fc.property(linesArb, (lines) => {
        assert.deepEqual(parseOk(formatStatementCsv(lines)), lines);
      }),
    );
  });

  it('refuses the whole file when any one amount has three decimal places, naming that row and column', () => {
    fc.assert(
      fc.property(linesArb, fc.nat(), fc.integer({ min: 0, max: 999 }), (lines, pick, thousandths) => {
        const index = pick % lines.length;
        const amount = `12.${String(thousandths).padStart(3, '0')}`;
        // Written one record at a time so the bad amount goes into exactly one row.
        const records = lines.map((l, i) => {
          const record = formatStatementCsv([l]).replace(/^[^\n]*\n/, '').replace(/\n$/, '');
          return i === index ? record.replace(/,\d+\.\d\d,/, `,${amount},`) : record;
        });
        const text = ['date,payee,category,amount,reference,type', ...records].join('\n');
        const result = parseStatementCsv(text, OPTIONS);
        assert.equal(result.ok, false);
        assert.deepEqual(errorsOf(result), [{ row: index + 2, column: 'amount', message: 'The amount must have no more than 2 decimal places, like 12.50' }]);
      }),
    );
  });

  it('gives the same fingerprint to the same statement shuffled, with CRLF and other columns order and styles', () => {
    fc.assert(
      fc.property(linesArb, fc.infiniteStream(fc.nat()), (lines, seeds) => {
        const original = formatStatementCsv(lines);
        const shuffled = [...lines].map((l) => ({ l, k: seeds.next().value })).sort((a, b) => a.k - b.k).map((x) => x.l);
        const rewritten = [
          'Type , Amount,Reference,Category,Payee,DATE',
          ...shuffled.map((l) => {
            const [y, m, d] = l.date.split('-');
            const pounds = `£${(l.amountPence / 100n).toLocaleString('en-GB')}.${(l.amountPence % 100n).toString().padStart(2, '0')}`;
            const label = CATEGORIES.find((c) => c.code === l.category)?.label ?? '';
            return [` ${l.type.toUpperCase()}`, pounds, l.reference, label, `  ${l.payee} `, `${d}/${m}/${y}`]
              .map((v) => `"${v.replaceAll('"', '""')}"`)
              .join(',');
          }),
        ].join('\r\n');
        assert.equal(fingerprintOf(rewritten), fingerprintOf(original));
      }),
    );
  });

  it('gives a different fingerprint when any amount changes by a penny', () => {
    fc.assert(
      fc.property(linesArb, fc.nat(), (lines, pick) => {
        const index = pick % lines.length;
        const changed = lines.map((l, i) => (i === index ? { ...l, amountPence: l.amountPence === 1n ? 2n : l.amountPence - 1n } : l));
        assert.notEqual(fingerprintOf(formatStatementCsv(changed)), fingerprintOf(formatStatementCsv(lines)));
      }),
    );
  });
});
