/**
 * The statement's chart and PDF: the chart is an image with a text alternative whose bars say in
 * words what they are (never colour alone); the PDF is tagged, in English, with its title, and every
 * piece of content is structure or an artifact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statementChart } from '../../src/web/charts/statement-chart.ts';
import { statementPdf, type StatementPdfInput } from '../../src/web/documents/statement-pdf.ts';
import { formatPence } from '../../src/domain/money/money.ts';

describe('the statement chart', () => {
  const svg = statementChart({
    id: 'chart',
    title: 'Money in and out of the direct payment account each month',
    description: '2 months: £800.00 in and £250.50 out in all.',
    months: [
      { label: 'October 2026', inPence: 40_000n, outPence: 25_050n },
      { label: 'November 2026', inPence: 40_000n, outPence: 0n },
    ],
  });

  it('is an image labelled by its title and description', () => {
    assert.match(svg, /^<svg [^>]*role="img" aria-labelledby="chart-title chart-desc"/);
    assert.match(svg, /<title id="chart-title">Money in and out of the direct payment account each month<\/title>/);
    assert.match(svg, /<desc id="chart-desc">2 months: £800\.00 in and £250\.50 out in all\.<\/desc>/);
  });

  it('says in words what each bar is and how much, so colour is never the only cue', () => {
    for (const label of ['October 2026', 'November 2026', `In ${formatPence(40_000n)}`, `Out ${formatPence(25_050n)}`, `Out ${formatPence(0n)}`]) {
      assert.ok(svg.includes(`>${label}</text>`), label);
    }
    // The "out" bars are hatched and outlined as well as differently coloured.
    assert.match(svg, /fill="url\(#chart-hatch\)" stroke="#0b0c0c"/);
  });

  it('escapes text and refuses an id that could break the page', () => {
    assert.ok(statementChart({ id: 'c', title: '<script>', description: 'a & b', months: [] }).includes('&lt;script&gt;'));
    assert.throws(() => statementChart({ id: '1"x', title: 't', description: 'd', months: [] }), RangeError);
  });
});

describe('the statement PDF', () => {
  const input: StatementPdfInput = {
    title: 'Money statement for Alex Example',
    reference: 'P-1',
    asOfText: 'As of 20 November 2026',
    periodText: 'This statement covers 1 April 2026 to 20 November 2026.',
    sections: [
      {
        heading: 'Direct payment',
        paragraphs: ['The plan includes a contingency of £250.00.'],
        tables: [{ caption: 'The direct payment account', head: ['Figure', 'Amount'], numeric: [false, true], rows: [['Balance in the account', formatPence(-1_250n)]] }],
      },
      {
        heading: 'Transactions',
        paragraphs: [],
        tables: [
          {
            caption: 'Every payment in and out, newest first',
            head: ['Date', 'What', 'Money in', 'Money out', 'Balance after'],
            numeric: [false, false, true, true, true],
            rows: Array.from({ length: 120 }, (_, i) => [`${1 + (i % 28)} October 2026`, `Spending ${i}`, '', '£1.00', formatPence(BigInt(10_000 - i * 100))]),
          },
        ],
      },
    ],
  };

  it('is a tagged PDF in British English whose viewer shows the title', async () => {
    const pdf = (await statementPdf(input, { compress: false })).toString('latin1');
    assert.ok(pdf.startsWith('%PDF-1.7'));
    assert.match(pdf, /\/StructTreeRoot \d+ 0 R/);
    assert.match(pdf, /\/Marked true/);
    assert.match(pdf, /\/Lang \(en-GB\)/);
    assert.match(pdf, /\/DisplayDocTitle true/);
    assert.match(pdf, /\(Money statement for Alex Example\)/);
    for (const type of ['Document', 'H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD']) assert.match(pdf, new RegExp(`/S /${type}\\n`), type);
    assert.match(pdf, /\/S \/TH\n\/A <<\n\/O \/Table\n\/Scope \/Column\n>>/);
  });

  it('marks everything it draws as structure or an artifact, on every page', async () => {
    const pdf = (await statementPdf(input, { compress: false })).toString('latin1');
    const streams = [...pdf.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) => m[1] ?? '').filter((s) => / T[Jj]$/m.test(s));
    assert.ok(streams.length >= 2, 'the transactions run onto a second page');
    for (const stream of streams) {
      let depth = 0;
      for (const line of stream.split('\n')) {
        if (/ BDC$| BMC$/.test(line)) depth++;
        else if (line === 'EMC') depth--;
        else if (/ T[Jj]$|^(S|f)$/.test(line)) assert.ok(depth > 0, `"${line}" painted outside marked content`);
      }
      assert.equal(depth, 0);
      assert.match(stream, /\/Artifact <<\n\/Type \/Pagination\n>> BDC/, 'the page footer is an artifact');
    }
  });

  it('keeps the exact text of characters the standard fonts cannot draw (the minus sign)', async () => {
    const pdf = (await statementPdf(input, { compress: false })).toString('latin1');
    // "−£12.50" is drawn as "-£12.50" and carries the real text as /ActualText.
    assert.match(pdf, /\/ActualText/);
  });
});
