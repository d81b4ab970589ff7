/**
 * The indicative budget as a tagged PDF (src/web/documents/allocation-pdf.ts). The files are made
 * with `compress: false` so the test can read them: the objects as text, and the page content
 * streams, where pdfkit writes text with the standard fonts as hex strings in WinAnsiEncoding inside
 * TJ arrays (`[<496e646963> 20 <6174697665>] TJ`). The helpers below decode those rather than guess.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHILDREN_BANDS_MODEL, THREE_STREAMS_MODEL } from '../../src/domain/allocation/examples.ts';
import { allQuestions, questionApplies, type AllocationModel } from '../../src/domain/allocation/model.ts';
import { score, type AllocationResult, type ScoreOptions } from '../../src/domain/allocation/score.ts';
import { formatPence } from '../../src/domain/money/money.ts';
import { allocationPdf, winAnsiText, type AllocationPdfInput } from '../../src/web/documents/allocation-pdf.ts';

// ---------------------------------------------------------------------------------------------
// Reading an uncompressed PDF.

/**
 * WinAnsiEncoding (Windows-1252) bytes to text. Written out because Node's TextDecoder decodes
 * 'windows-1252' as Latin-1, turning 0x80–0x9F (the dashes, curly quotes, bullet) into controls.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function winAnsiDecode(bytes: Uint8Array): string {
  return [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? '') : String.fromCharCode(b))).join('');
}

/** The bytes of a PDF literal string body, escapes undone (PDF 32000-1, 7.3.4.2). */
function literalBytes(body: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      bytes.push(c.charCodeAt(0));
      continue;
    }
    const next = body[++i] ?? '';
    const octal = /^[0-7]{1,3}/.exec(body.slice(i, i + 3));
    if (octal !== null) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else if (next === '\n') continue;
    else bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return bytes;
}

/** A PDF text string (info values, /ActualText): UTF-16BE after a BOM, otherwise PDFDocEncoding (≈ Latin-1). */
function textString(bytes: number[]): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.slice(2)).swap16().toString('utf16le');
  return Buffer.from(bytes).toString('latin1');
}

/** The page content streams: the streams that draw text or paths. */
function contentStreams(pdf: string): string[] {
  return [...pdf.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) => m[1] ?? '').filter((s) => / (BDC|BMC)$/m.test(s));
}

/** Every string a TJ or Tj shows, decoded from WinAnsiEncoding, in drawing order. */
function shownText(stream: string): string[] {
  const out: string[] = [];
  for (const line of stream.split('\n')) {
    if (!/\bT[Jj]$/.test(line)) continue;
    const pieces = [...line.matchAll(/<([0-9a-fA-F]*)>|\(((?:\\.|[^\\)])*)\)/g)].map((m) =>
      m[1] !== undefined ? winAnsiDecode(Buffer.from(m[1], 'hex')) : winAnsiDecode(Uint8Array.from(literalBytes(m[2] ?? ''))),
    );
    out.push(pieces.join(''));
  }
  return out;
}

const ARTIFACT = /\/Artifact (?:BMC|<<\n[\s\S]*?>> BDC)\n([\s\S]*?)\nEMC/g;

/** The text of the artifacts (page footers, repeated table headers), each artifact's strings joined by "|". */
function artifactText(stream: string): string[] {
  return [...stream.matchAll(ARTIFACT)].map((m) => shownText(m[1] ?? '').join('|'));
}

/**
 * The real content's text, artifacts left out, run together across lines and pages (pdfkit keeps
 * the space that ends a wrapped line), so a figure or sentence can be found whatever the wrapping.
 */
function documentText(pdf: string): string {
  return contentStreams(pdf)
    .map((s) => shownText(s.replace(ARTIFACT, '')).join(''))
    .join('');
}

/** The body of object `id` ("12 0 obj ... endobj"). */
function object(pdf: string, id: string): string {
  const match = new RegExp(`(?:^|\\n)${id} 0 obj\\n([\\s\\S]*?)\\nendobj`).exec(pdf);
  assert.ok(match, `object ${id}`);
  return match[1] ?? '';
}

/** The object a dictionary key refers to: `/MarkInfo 5 0 R` → object 5. */
function referenced(pdf: string, key: string): string {
  const match = new RegExp(`/${key} (\\d+) 0 R`).exec(pdf);
  assert.ok(match, `/${key} reference`);
  return object(pdf, match[1] ?? '');
}

function structTypes(pdf: string): Set<string> {
  return new Set([...pdf.matchAll(/\n\/S \/([A-Za-z0-9]+)\n/g)].map((m) => m[1] ?? ''));
}

/**
 * Checks one content stream: marked content is balanced, and no text or path is painted outside it
 * (everything is either structure content with an MCID or an Artifact). Returns the MCIDs in order.
 */
function checkMarking(stream: string): number[] {
  let depth = 0;
  const mcids: number[] = [];
  const lines = stream.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\/[A-Za-z0-9]+ <<$/.test(line)) {
      // A BDC's property list spans lines: "/TD <<", "/MCID 3", ">> BDC".
      const end = lines.findIndex((l, j) => j > i && / BDC$/.test(l));
      assert.ok(end > i, 'BDC');
      const mcid = /\/MCID (\d+)/.exec(lines.slice(i, end + 1).join('\n'));
      if (mcid) mcids.push(Number(mcid[1]));
      i = end;
      depth++;
    } else if (/ BDC$| BMC$/.test(line)) {
      depth++;
    } else if (line === 'EMC') {
      depth--;
      assert.ok(depth >= 0, 'EMC without BDC');
    } else if (/ T[Jj]$|^(S|s|f|F|f\*|B|B\*|b|b\*)$/.test(line)) {
      assert.ok(depth > 0, `"${line}" painted outside marked content`);
    }
  }
  assert.equal(depth, 0, 'marked content left open');
  return mcids;
}

// ---------------------------------------------------------------------------------------------
// Examples.

function answers(model: AllocationModel, age: number, given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of allQuestions(model)) if (questionApplies(q, age)) out[q.id] = given[q.id] ?? (q.levels[0]?.id as string);
  return out;
}

function scored(model: AllocationModel, given: Record<string, string>, options: ScoreOptions): AllocationResult {
  const result = score(model, answers(model, options.age, given), options);
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  return result.value;
}

// The example: three streams, age 8, help from family on most days; current packages for transitional protection.
const threeStreams = scored(
  THREE_STREAMS_MODEL,
  { 'personal-care': 'lots', 'getting-out': 'lots', 'health-needs': 'some', learning: 'some', communication: 'some', behaviour: 'some', 'unpaid-help': 'most-days' },
  { age: 8, currentPackagePence: { social_care: 300_000n, education_high_needs: 100_000n, health_continuing_care: 0n } },
);

// Children's model, age 16, every question exceptional: 8 questions, 224 points, capped at £13,000.
const capped = scored(CHILDREN_BANDS_MODEL, Object.fromEntries(allQuestions(CHILDREN_BANDS_MODEL).map((q) => [q.id, 'exceptional'])), { age: 16 });

function input(result: AllocationResult, extra: Partial<AllocationPdfInput> = {}): AllocationPdfInput {
  return {
    council: { name: 'Exampleshire County Council', slug: 'exampleshire' },
    person: { name: 'Sam Example', reference: 'EX-000123', dateOfBirth: '2018-05-03' },
    model: { name: result.modelName, version: 3, publishedOn: '2026-04-01' },
    submitted: { on: '2026-11-03', by: 'with the family by Jo Smith, caseworker' },
    status: 'Indicative budget — not yet a decision',
    result,
    ...extra,
  };
}

async function pdfOf(value: AllocationPdfInput): Promise<string> {
  return (await allocationPdf(value, { compress: false, creationDate: new Date('2026-11-03T10:00:00Z') })).toString('latin1');
}

describe('allocationPdf: an accessible tagged PDF of an indicative budget', () => {
  it('is a tagged PDF 1.7 in British English whose viewer shows the title', async () => {
    const pdf = await pdfOf(input(threeStreams));
    assert.ok(pdf.startsWith('%PDF-1.7\n'));
    assert.match(pdf, /\/StructTreeRoot \d+ 0 R/);
    assert.match(referenced(pdf, 'StructTreeRoot'), /\/Type \/StructTreeRoot/);
    assert.match(referenced(pdf, 'MarkInfo'), /\/Marked true/);
    assert.match(pdf, /\/Lang \(en-GB\)/);
    assert.match(referenced(pdf, 'ViewerPreferences'), /\/DisplayDocTitle true/);
    assert.equal(textString(literalBytes(/^\((.*)\)$/s.exec(referenced(pdf, 'Title'))?.[1] ?? '')), 'Indicative budget for Sam Example');
    assert.equal(textString(literalBytes(/^\((.*)\)$/s.exec(referenced(pdf, 'Author'))?.[1] ?? '')), 'Exampleshire County Council');
    assert.match(referenced(pdf, 'Subject'), /Indicative personal budget/);
  });

  it('builds the structure: Document, H1, H2 per section, a Table per stream, a list, paragraphs', async () => {
    const pdf = await pdfOf(input(threeStreams));
    const types = structTypes(pdf);
    for (const type of ['Document', 'H1', 'H2', 'P', 'Sect', 'Table', 'TR', 'TH', 'TD', 'L', 'LI', 'Lbl', 'LBody']) assert.ok(types.has(type), `/S /${type}`);
    assert.equal([...pdf.matchAll(/\n\/S \/H1\n/g)].length, 1, 'one H1');
    assert.equal([...pdf.matchAll(/\n\/S \/Table\n/g)].length, 3, 'a table per stream');
    // Total, each stream, what happens next, if you think this figure is wrong.
    assert.equal([...pdf.matchAll(/\n\/S \/H2\n/g)].length, 6);
    // Column headers say what they head.
    assert.match(pdf, /\/S \/TH\n\/A <<\n\/O \/Table\n\/Scope \/Column\n>>/);
    // Every page's entry in the parent tree names an element for each MCID.
    assert.doesNotMatch(referenced(pdf, 'StructTreeRoot'), /null/);
  });

  it('marks every piece of content: structure with an MCID, or an artifact (rules, footers)', async () => {
    const pdf = await pdfOf(input(threeStreams));
    const streams = contentStreams(pdf);
    assert.ok(streams.length >= 2, 'more than one page');
    for (const stream of streams) {
      const mcids = checkMarking(stream);
      assert.deepEqual(
        mcids,
        mcids.map((_, i) => i),
        'MCIDs 0, 1, 2… on each page',
      );
      assert.match(stream, /\/Artifact <<\n\/Type \/Pagination\n>> BDC/);
    }
    streams.forEach((stream, i) => {
      const footer = artifactText(stream).find((t) => t.endsWith(`|Page ${i + 1} of ${streams.length}`));
      assert.equal(footer, `Indicative budget for Sam Example (reference EX-000123), Exampleshire County Council|Page ${i + 1} of ${streams.length}`);
    });
    assert.ok(!documentText(pdf).includes('Page 1 of'), 'page numbers are artifacts, not content');
  });

  it('shows the total, its range, each stream’s figure and summary, and every explanation line', async () => {
    const pdf = await pdfOf(input(threeStreams));
    const text = documentText(pdf);
    const totals = threeStreams.totals;
    assert.ok(text.includes(`${formatPence(totals.indicativePence)} a year`), 'total');
    assert.ok(text.includes(`between ${formatPence(totals.rangeLowPence)} and ${formatPence(totals.rangeHighPence)} a year`), 'range');
    assert.equal(formatPence(totals.indicativePence), '£6,061.00');
    for (const s of threeStreams.streams) {
      assert.ok(text.includes(winAnsiText(s.summary)), s.summary);
      assert.ok(text.includes(formatPence(s.indicativePence)), `${s.stream} figure`);
      for (const line of s.lines) assert.ok(text.includes(winAnsiText(line.text)), line.text);
      if (s.transition !== null) assert.ok(text.includes(winAnsiText(s.transition.text)), `${s.stream} transition`);
    }
    // Exact pence, signed: social care's deduction for unpaid help and its rounding.
    assert.ok(text.includes('Behaviour and staying safe — Some support: 11 points'));
    assert.ok(text.includes('-£367.20'));
    assert.ok(text.includes('+£0.20'));
    assert.ok(text.includes('Questionnaire submitted on 3 November 2026 with the family by Jo Smith, caseworker'));
    assert.ok(text.includes('Allocation model: Education, health and care resource allocation (example), version 3, published 1 April 2026'));
    assert.ok(text.includes('What happens next'));
    assert.ok(text.includes('If you think this figure is wrong'));
    assert.ok(text.includes('/c/exampleshire/allocation'));
    assert.ok(!text.includes('Exceptional case'), 'no cap reached');
  });

  it('gives the exact text as /ActualText where the standard fonts cannot draw it (the minus sign, a letter)', async () => {
    const pdf = await pdfOf(input(threeStreams, { person: { name: 'Łucja Example', reference: 'EX-1' } }));
    const actual = [...pdf.matchAll(/\/ActualText \(((?:\\.|[^\\)])*)\)/g)].map((m) => textString(literalBytes(m[1] ?? '')));
    assert.ok(actual.includes('Indicative budget for Łucja Example'));
    assert.ok(actual.includes('−£367.20'));
    assert.ok(documentText(pdf).includes('Indicative budget for ?ucja Example'));
    assert.ok(documentText(pdf).includes('Age: 8'));
  });

  it('refers a capped case to the exceptional cases panel, and shows the panel’s decision', async () => {
    const plain = documentText(await pdfOf(input(capped)));
    const social = capped.streams[0];
    assert.ok(social?.capped);
    assert.equal(capped.streams.length, 1);
    assert.ok(plain.includes('£13,000.00 a year'));
    assert.ok(plain.includes('Exceptional case: the social care figure reached the cap'));
    assert.ok(plain.includes('The social care figure reached the cap, so the case goes to the exceptional cases panel.'));
    assert.ok(plain.includes('Capped at £13,000.00: -£1,500.00.'));
    assert.ok(plain.includes('Band: Exceptional (135 points or more), £14,500.00 a year.'));
    assert.equal(social.lines.filter((l) => l.kind === 'answer').length, 8);
    for (const line of social.lines) assert.ok(plain.includes(winAnsiText(line.text)), line.text);

    const decided = documentText(
      await pdfOf(input(capped, { exceptionalCase: { status: 'Agreed by the panel on 2 December 2026', reasons: 'Two carers are needed at night.', agreedPence: 1_620_050n } })),
    );
    assert.ok(decided.includes('Exceptional case decision'));
    assert.ok(decided.includes('Amount agreed: £16,200.50 a year'));
    assert.ok(decided.includes('Reasons: Two carers are needed at night.'));
  });

  it('runs long text on over pages, still tagged, with the table header repeated as an artifact', async () => {
    const reasons = 'Two carers are needed at night, every night, because of the risk of seizures. '.repeat(120);
    const pdf = await pdfOf(input(capped, { exceptionalCase: { status: 'Agreed', reasons, agreedPence: null } }));
    const streams = contentStreams(pdf);
    assert.ok(streams.length >= 3, `${streams.length} pages`);
    for (const stream of streams) checkMarking(stream);
    // One P, marked on several pages: its /K lists marked-content references on other pages.
    assert.match(pdf, /\/S \/P\n\/P \d+ 0 R\n\/K \[\d+ <<\n\/Type \/MCR\n\/Pg \d+ 0 R\n\/MCID \d+\n>>/);
    assert.ok(documentText(pdf).includes(`Reasons: ${reasons.trimEnd()}`));

    // The three-stream example fills more than two pages, and its last table goes on to a new page
    // under a copy of its header row, drawn as a pagination artifact.
    const three = await pdfOf(input(threeStreams));
    const artifacts = contentStreams(three).flatMap(artifactText);
    assert.ok(artifacts.includes('How the health figure is worked out|Points or amount'), artifacts.join('\n'));
  });

  it('compresses by default', async () => {
    const pdf = (await allocationPdf(input(threeStreams))).toString('latin1');
    assert.ok(pdf.startsWith('%PDF-1.7'));
    assert.match(pdf, /\/Filter \/FlateDecode/);
    assert.match(pdf, /\/StructTreeRoot/);
  });
});

describe('winAnsiText', () => {
  it('keeps what WinAnsiEncoding has and replaces the rest with its nearest form', () => {
    assert.equal(winAnsiText('Personal care — Lots of support: £2,720.00 × 3 ‘a’ “b” •'), 'Personal care — Lots of support: £2,720.00 × 3 ‘a’ “b” •');
    assert.equal(winAnsiText('−£272.00'), '-£272.00');
    assert.equal(winAnsiText('Zoë Dvořák Łucja'), 'Zoë Dvorák ?ucja');
    assert.equal(winAnsiText('a\u2009b\tc\u00a0d'), 'a b c\u00a0d');
  });
});
