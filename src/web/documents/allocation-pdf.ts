/**
 * The indicative budget as an accessible, tagged PDF: the same content as the result page (the total
 * and its range, then each funding stream with every line of its arithmetic), for the family to keep.
 *
 * Tagging is done by hand with pdfkit: one `Document` element holds, in reading order, H1, P, Sect,
 * H2, Table/TR/TH/TD and L/LI/Lbl/LBody; every piece of drawn content is either inside one of those
 * (a marked-content sequence with an MCID) or an `Artifact` (rules, boxes, repeated table headers,
 * the page footer). The catalogue has `/MarkInfo << /Marked true >>`, `/Lang (en-GB)` and
 * `/ViewerPreferences << /DisplayDocTitle true >>`.
 *
 * Fonts are the standard Helvetica pair (no font files), which pdfkit writes in WinAnsiEncoding: a
 * character outside that encoding (the minus sign U+2212 that formatPence uses, or a letter such as
 * "ł" in a name) is drawn as its nearest WinAnsi form, and the element carries the exact original as
 * /ActualText, so assistive technology and copying get the real text. Because these fonts are not
 * embedded the file cannot claim PDF/UA-1 conformance (it needs embedded fonts), so no PDF/UA
 * identifier is written: the intent is PDF/UA, the claim would be false.
 */
import PDFDocument from 'pdfkit';
import { STREAM_LABELS } from '../../domain/allocation/model.ts';
import { bandRangeWords, differenceWords, pointsWord, signedPence } from '../../domain/allocation/explain.ts';
import type { AllocationResult, ExplanationLine, StreamResult } from '../../domain/allocation/score.ts';
import { formatPence, type Pence } from '../../domain/money/money.ts';
import { formatDate } from '../format.ts';
import { paths } from '../paths.ts';

export interface ExceptionalCaseDecision {
  /** Where the panel's decision stands, in words: "Agreed by the exceptional cases panel on 2 April 2026". */
  readonly status: string;
  /** The panel's reasons, in plain English. */
  readonly reasons: string;
  /** The yearly amount the panel agreed, or null while there is none. */
  readonly agreedPence: Pence | null;
}

export interface AllocationPdfInput {
  /** The council whose allocation model this is; `slug` makes the address of its published model. */
  readonly council: { readonly name: string; readonly slug: string };
  readonly person: {
    readonly name: string;
    /** The council's reference for the person. */
    readonly reference: string;
    /** 'YYYY-MM-DD' when known; the age used is always `result.age`. */
    readonly dateOfBirth?: string;
  };
  /** The published model version that produced the result. */
  readonly model: { readonly name: string; readonly version: number; /** 'YYYY-MM-DD' */ readonly publishedOn: string };
  readonly submitted: {
    /** 'YYYY-MM-DD' */
    readonly on: string;
    /** Follows "Questionnaire submitted on 3 March 2026": "with the family by Jo Smith, caseworker" or "by the family". */
    readonly by: string;
  };
  /** "Indicative budget — not yet a decision". */
  readonly status: string;
  readonly result: AllocationResult;
  readonly exceptionalCase?: ExceptionalCaseDecision;
  /** "https://onebudget.example.org" to print the full address of the published model; without it, the path. */
  readonly siteUrl?: string;
}

export interface AllocationPdfOptions {
  /** Deflate the content streams (the default). Tests pass false to read the text. */
  readonly compress?: boolean;
  /** The document's creation date (default: now), for reproducible files. */
  readonly creationDate?: Date;
}

// ---------------------------------------------------------------------------------------------
// Text that the standard fonts can draw.

/** Unicode code points pdfkit maps into WinAnsiEncoding besides 0x20–0x7E and 0xA0–0xFF. */
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d,
  0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

const NEAREST: Readonly<Record<string, string>> = {
  '\u2212': '-', // minus sign
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '\u2013',
  '\u2015': '\u2014',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2032': "'",
  '\u2033': '"',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2192': '->',
};

function drawable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code);
}

/** The text as the standard fonts can draw it: WinAnsi characters only, one line breaks kept. */
export function winAnsiText(text: string): string {
  let out = '';
  for (const char of text) {
    if (char === '\n') out += '\n';
    else if (drawable(char)) out += char;
    else if (NEAREST[char] !== undefined) out += NEAREST[char];
    else if (/\s/u.test(char)) out += ' ';
    else {
      const bare = char.normalize('NFKD').replace(/\p{M}/gu, '');
      out += bare !== '' && [...bare].every(drawable) ? bare : '?';
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Layout.

const PAGE = { size: 'A4', margins: { top: 56, bottom: 70, left: 56, right: 56 } } as const;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const INK = '#0b0c0c';
const SECONDARY = '#484949';
const RULE = '#b1b4b6';
const WARNING = '#d4351c';
const LINE_GAP = 2;
const SIZE = { h1: 22, h2: 16, total: 22, body: 11, table: 10, footer: 9 } as const;
const AMOUNT_COLUMN = 118;
const CELL_PAD = 5;
const BULLET_INDENT = 16;

type Struct = PDFKit.PDFStructureElement;

interface TextStyle {
  readonly font?: string;
  readonly size?: number;
  readonly color?: string;
  /** Space after the block, in points. */
  readonly after?: number;
  /** Room to keep free below the block's first lines, so a heading is not left alone at a page foot. */
  readonly keepWithNext?: number;
}

interface Cell {
  readonly type: 'TH' | 'TD';
  readonly text: string;
  readonly bold?: boolean;
  readonly align?: 'left' | 'right';
  /** For a TH: the cells it heads. */
  readonly scope?: 'Column' | 'Row';
}

/** Sets /A (attributes) on a structure element: pdfkit's types do not expose its dictionary. */
function setAttributes(element: Struct, attributes: Record<string, string>): void {
  (element as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = attributes;
}

/** Draws into one tagged document; every method tags what it draws or marks it as an artifact. */
class TaggedWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly root: Struct;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  private use(style: TextStyle): void {
    this.doc
      .font(style.font ?? FONT)
      .fontSize(style.size ?? SIZE.body)
      .fillColor(style.color ?? INK);
  }

  /** Starts a new page unless `height` fits below the current position. Call only between elements. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom && this.doc.y > this.doc.page.margins.top) this.doc.addPage();
  }

  /** A structure element with content: a closure that pdfkit runs inside its marked content. */
  private element(parent: Struct, type: string, text: string, draw: (drawn: string) => void): Struct {
    const drawn = winAnsiText(text);
    const element = this.doc.struct(type, drawn === text ? {} : { actual: text }, () => draw(drawn));
    parent.add(element);
    return element;
  }

  /** A heading or paragraph across the full width; long text continues on the next page. */
  block(parent: Struct, type: string, text: string, style: TextStyle = {}): void {
    this.use(style);
    const first = this.doc.currentLineHeight(true) + LINE_GAP;
    const whole = this.doc.heightOfString(winAnsiText(text), { width: this.width, lineGap: LINE_GAP });
    this.ensureSpace(Math.min(whole, first * 3) + (style.keepWithNext ?? 0));
    this.element(parent, type, text, (drawn) => {
      this.doc.text(drawn, this.left, this.doc.y, { width: this.width, lineGap: LINE_GAP });
    });
    this.doc.x = this.left;
    this.doc.y += style.after ?? 8;
  }

  heading(parent: Struct, level: 1 | 2, text: string): void {
    if (level === 2) this.doc.y += 6;
    this.block(parent, `H${level}`, text, { font: BOLD, size: level === 1 ? SIZE.h1 : SIZE.h2, after: level === 1 ? 12 : 8, keepWithNext: 48 });
  }

  paragraph(parent: Struct, text: string, style: TextStyle = {}): void {
    this.block(parent, 'P', text, style);
  }

  /** A container element (Sect, L, LI, Table, TR) whose children are added later; end it when done. */
  container(parent: Struct, type: string): Struct {
    const element = this.doc.struct(type);
    parent.add(element);
    return element;
  }

  /** Decoration: drawn as an artifact, outside the structure. */
  artifact(draw: () => void, type: 'Pagination' | 'Layout'): void {
    this.doc.markContent('Artifact', { type });
    this.doc.save();
    draw();
    this.doc.restore();
    this.doc.endMarkedContent();
  }

  rule(color = RULE, weight = 1): void {
    const y = this.doc.y;
    this.artifact(() => {
      this.doc
        .lineWidth(weight)
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .strokeColor(color)
        .stroke();
    }, 'Layout');
  }

  /** Paragraphs with a thick bar on their left, like the GOV.UK warning and inset text. */
  notice(parent: Struct, texts: readonly string[], color: string): void {
    const inset = 15;
    const width = this.width - inset;
    this.use({ font: BOLD });
    const heights = texts.map((t) => this.doc.heightOfString(winAnsiText(t), { width, lineGap: LINE_GAP }));
    const total = heights.reduce((a, b) => a + b, 0) + 6 * (texts.length - 1);
    this.ensureSpace(total + 8);
    const top = this.doc.y;
    for (const text of texts) {
      this.use({ font: BOLD });
      this.element(parent, 'P', text, (drawn) => {
        this.doc.text(drawn, this.left + inset, this.doc.y, { width, lineGap: LINE_GAP });
      });
      this.doc.y += 6;
    }
    const bottom = Math.min(this.doc.y - 6, this.bottom);
    // A notice that ran onto a new page gets no bar rather than a wrong one.
    if (bottom > top) this.artifact(() => this.doc.rect(this.left, top - 2, 5, bottom - top + 2).fill(color), 'Layout');
    this.doc.x = this.left;
    this.doc.y += 8;
  }

  /** A bulleted list: L > LI > (Lbl, LBody). */
  bullets(parent: Struct, items: readonly string[]): void {
    const list = this.container(parent, 'L');
    setAttributes(list, { O: 'List', ListNumbering: 'Disc' });
    const width = this.width - BULLET_INDENT;
    for (const text of items) {
      this.use({});
      const first = this.doc.currentLineHeight(true) + LINE_GAP;
      const whole = this.doc.heightOfString(winAnsiText(text), { width, lineGap: LINE_GAP });
      this.ensureSpace(Math.min(whole, first * 3));
      const item = this.container(list, 'LI');
      const y = this.doc.y;
      this.element(item, 'Lbl', '\u2022', (drawn) => {
        this.doc.text(drawn, this.left + 4, y, { lineBreak: false });
      });
      this.element(item, 'LBody', text, (drawn) => {
        this.doc.text(drawn, this.left + BULLET_INDENT, y, { width, lineGap: LINE_GAP });
      });
      item.end();
      this.doc.x = this.left;
      this.doc.y += 6;
    }
    list.end();
    this.doc.y += 4;
  }

  private cellWidths(): [number, number] {
    return [this.width - AMOUNT_COLUMN, AMOUNT_COLUMN];
  }

  private cellStyle(cell: Cell): TextStyle {
    return { font: cell.bold === true || cell.type === 'TH' ? BOLD : FONT, size: SIZE.table };
  }

  private rowHeight(cells: readonly Cell[]): number {
    const widths = this.cellWidths();
    let height = 0;
    cells.forEach((cell, i) => {
      this.use(this.cellStyle(cell));
      const h = this.doc.heightOfString(winAnsiText(cell.text), { width: (widths[i] ?? 0) - 2 * CELL_PAD, lineGap: LINE_GAP });
      height = Math.max(height, h);
    });
    return height + 2 * CELL_PAD;
  }

  private drawCells(cells: readonly Cell[], top: number, draw: (cell: Cell, x: number, width: number, drawText: (drawn: string) => void) => void): void {
    const widths = this.cellWidths();
    let x = this.left;
    cells.forEach((cell, i) => {
      const width = widths[i] ?? 0;
      const cellX = x;
      draw(cell, cellX, width, (drawn) => {
        this.use(this.cellStyle(cell));
        this.doc.text(drawn, cellX + CELL_PAD, top + CELL_PAD, { width: width - 2 * CELL_PAD, align: cell.align ?? 'left', lineGap: LINE_GAP });
      });
      x += width;
    });
  }

  private rowRule(y: number, weight: number): void {
    this.artifact(() => {
      this.doc
        .lineWidth(weight)
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .strokeColor(weight > 1 ? INK : RULE)
        .stroke();
    }, 'Layout');
  }

  /** Continues a table on a new page, under a copy of its header row drawn as an artifact. */
  private breakTable(header: readonly Cell[], headerHeight: number): void {
    this.doc.addPage();
    const top = this.doc.y;
    this.artifact(() => this.drawCells(header, top, (cell, _x, _width, drawText) => drawText(winAnsiText(cell.text))), 'Pagination');
    this.rowRule(top + headerHeight, 2);
    this.doc.y = top + headerHeight;
  }

  /**
   * A two-column table: a header row (TH, column scope), then body rows. A row never splits across
   * pages; on each continuation page the header row is drawn again as an artifact.
   */
  table(parent: Struct, header: readonly Cell[], rows: readonly (readonly Cell[])[]): void {
    const table = this.container(parent, 'Table');
    const headerHeight = this.rowHeight(header);
    const firstHeight = rows[0] === undefined ? 0 : this.rowHeight(rows[0]);
    this.ensureSpace(headerHeight + firstHeight + 4);

    const drawRow = (cells: readonly Cell[], isHeader: boolean) => {
      const height = isHeader ? headerHeight : this.rowHeight(cells);
      if (this.doc.y + height > this.bottom && !isHeader) this.breakTable(header, headerHeight);
      const top = this.doc.y;
      const tr = this.container(table, 'TR');
      this.drawCells(cells, top, (cell, _x, _width, drawText) => {
        const element = this.doc.struct(cell.type, winAnsiText(cell.text) === cell.text ? {} : { actual: cell.text });
        if (cell.type === 'TH') setAttributes(element, { O: 'Table', Scope: cell.scope ?? 'Column' });
        element.add(() => drawText(winAnsiText(cell.text)));
        element.end();
        tr.add(element);
      });
      tr.end();
      this.doc.x = this.left;
      this.doc.y = top + height;
      this.rowRule(this.doc.y, isHeader ? 2 : 0.75);
    };

    drawRow(header, true);
    rows.forEach((row, i) => {
      // Keep the last row (the total) with the row before it.
      const last = rows[rows.length - 1];
      if (i === rows.length - 2 && last !== undefined && this.doc.y + this.rowHeight(row) + this.rowHeight(last) > this.bottom) {
        this.breakTable(header, headerHeight);
      }
      drawRow(row, false);
    });
    table.end();
    this.doc.y += 12;
  }

  /** "Page 1 of 3" and who the document is for, at the foot of every page, as pagination artifacts. */
  footers(text: string): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const page = this.doc.page;
      const bottomMargin = page.margins.bottom;
      // Writing inside the bottom margin would otherwise make pdfkit start a new page.
      page.margins.bottom = 0;
      const y = page.height - bottomMargin + 24;
      this.artifact(() => {
        this.doc
          .lineWidth(0.75)
          .moveTo(this.left, y - 8)
          .lineTo(this.left + this.width, y - 8)
          .strokeColor(RULE)
          .stroke();
        this.use({ size: SIZE.footer, color: SECONDARY });
        this.doc.text(winAnsiText(text), this.left, y, { width: this.width - 90, height: 2 * this.doc.currentLineHeight(true), ellipsis: true });
        this.doc.text(`Page ${i - range.start + 1} of ${range.count}`, this.left + this.width - 90, y, { width: 90, align: 'right', lineBreak: false });
      }, 'Pagination');
      page.margins.bottom = bottomMargin;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Content.

function lineFigure(line: ExplanationLine): string {
  if (line.kind === 'answer') return pointsWord(line.points);
  // The first money line is the starting amount; every later one is a signed change.
  return line.kind === 'conversion' ? formatPence(line.amountPence) : signedPence(line.amountPence);
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

function stream(w: TaggedWriter, parent: Struct, s: StreamResult): void {
  const label = STREAM_LABELS[s.stream];
  const sect = w.container(parent, 'Sect');
  w.heading(sect, 2, label);
  w.paragraph(sect, s.summary);
  if (s.band !== null) {
    w.paragraph(sect, `Band: ${s.band.name} (${bandRangeWords(s.band)}), ${formatPence(s.band.annualPence)} a year.`);
  }
  w.table(
    sect,
    [
      { type: 'TH', text: `How the ${label.toLowerCase()} figure is worked out` },
      { type: 'TH', text: 'Points or amount', align: 'right' },
    ],
    [
      ...s.lines.map((line): Cell[] => [
        { type: 'TD', text: line.text },
        { type: 'TD', text: lineFigure(line), align: 'right' },
      ]),
      [
        { type: 'TH', text: `Indicative ${label.toLowerCase()} budget for a year`, scope: 'Row' },
        { type: 'TD', text: formatPence(s.indicativePence), align: 'right', bold: true },
      ],
    ],
  );
  if (s.transition !== null) w.paragraph(sect, `Compared with the current package: ${s.transition.text}`);
  if (s.exceptionalCaseRequired) {
    w.notice(
      sect,
      [`The ${label.toLowerCase()} figure reached the cap, so the case goes to the exceptional cases panel. The panel decides the ${label.toLowerCase()} amount.`],
      WARNING,
    );
  }
  sect.end();
}

function build(w: TaggedWriter, input: AllocationPdfInput): void {
  const { result, person, model, council } = input;
  const doc = w.root;

  w.heading(doc, 1, `Indicative budget for ${person.name}`);
  w.paragraph(doc, input.status, { font: BOLD, after: 10 });

  const details = w.container(doc, 'Sect');
  w.paragraph(details, `Reference: ${person.reference}`, { after: 3 });
  w.paragraph(
    details,
    person.dateOfBirth === undefined ? `Age: ${result.age}` : `Date of birth: ${formatDate(person.dateOfBirth)} (age ${result.age} for this budget)`,
    { after: 3 },
  );
  w.paragraph(details, `Council: ${council.name}`, { after: 3 });
  w.paragraph(details, `Allocation model: ${model.name}, version ${model.version}, published ${formatDate(model.publishedOn)}`, { after: 3 });
  w.paragraph(details, `Questionnaire submitted on ${formatDate(input.submitted.on)} ${input.submitted.by}`, { after: 10 });
  details.end();
  w.rule();
  w.doc.y += 10;

  const totals = result.totals;
  const total = w.container(doc, 'Sect');
  w.heading(total, 2, 'Total indicative budget');
  w.paragraph(total, `${formatPence(totals.indicativePence)} a year`, { font: BOLD, size: SIZE.total, after: 6 });
  w.paragraph(
    total,
    totals.rangeLowPence === totals.rangeHighPence
      ? `Exactly ${formatPence(totals.indicativePence)}: this model gives no range.`
      : `The budget is likely to be between ${formatPence(totals.rangeLowPence)} and ${formatPence(totals.rangeHighPence)} a year.`,
  );
  if (result.streams.length > 1) {
    w.paragraph(total, `This is the total of ${listWords(result.streams.map((s) => `${STREAM_LABELS[s.stream].toLowerCase()} (${formatPence(s.indicativePence)})`))}.`);
  }
  if (totals.currentPence !== null && totals.differencePence !== null) {
    const protectedText =
      totals.indicativePence === totals.afterAdjustmentsPence ? '' : ` With transitional protection the budget for the first year is ${formatPence(totals.indicativePence)}.`;
    w.paragraph(
      total,
      `The new budget of ${formatPence(totals.afterAdjustmentsPence)} is ${differenceWords(totals.differencePence)} the current package of ${formatPence(totals.currentPence)}.${protectedText}`,
    );
  }
  if (result.exceptionalCaseRequired) {
    const capped = result.streams.filter((s) => s.exceptionalCaseRequired).map((s) => STREAM_LABELS[s.stream].toLowerCase());
    w.notice(
      total,
      [
        `Exceptional case: the ${listWords(capped)} ${capped.length === 1 ? 'figure' : 'figures'} reached the cap of the allocation model.`,
        input.exceptionalCase === undefined
          ? 'The exceptional cases panel will look at the case and decide the amount. The figures here show the capped amounts until it does.'
          : 'The exceptional cases panel looks at the case and decides the amount: see its decision below.',
      ],
      WARNING,
    );
  }
  total.end();

  if (input.exceptionalCase !== undefined) {
    const decision = input.exceptionalCase;
    const sect = w.container(doc, 'Sect');
    w.heading(sect, 2, 'Exceptional case decision');
    w.paragraph(sect, `Status: ${decision.status}`);
    if (decision.agreedPence !== null) w.paragraph(sect, `Amount agreed: ${formatPence(decision.agreedPence)} a year`, { font: BOLD });
    w.paragraph(sect, `Reasons: ${decision.reasons}`);
    sect.end();
  }

  for (const s of result.streams) stream(w, doc, s);

  const address = `${input.siteUrl?.replace(/\/+$/, '') ?? ''}${paths.council.allocation({ slug: council.slug })}`;
  const next = w.container(doc, 'Sect');
  w.heading(next, 2, 'What happens next');
  w.paragraph(
    next,
    'This is an indicative budget: a starting point for planning support, not a decision. Your worker will use it with you to plan how your needs will be met, and the council confirms the budget when it agrees the plan.',
  );
  if (result.exceptionalCaseRequired && input.exceptionalCase === undefined) {
    w.paragraph(next, 'Because a figure reached the cap, the exceptional cases panel will decide the amount. You will be told its decision and the reasons.');
  }
  next.end();

  const wrong = w.container(doc, 'Sect');
  w.heading(wrong, 2, 'If you think this figure is wrong');
  w.bullets(wrong, [
    'Talk to your worker first. They can go through the answers with you and correct anything recorded wrongly, which changes the figure.',
    'If the support needed costs more than this figure allows, ask your worker to refer the case to the exceptional cases panel. The panel can agree a different amount and gives its reasons.',
    `How the figure is worked out is set out in ${council.name}'s published allocation model: ${address}. This budget used version ${model.version}, published ${formatDate(model.publishedOn)}.`,
  ]);
  wrong.end();
}

/** The indicative budget as an accessible tagged PDF (A4), resolved when the file is complete. */
export async function allocationPdf(input: AllocationPdfInput, options: AllocationPdfOptions = {}): Promise<Buffer> {
  const title = `Indicative budget for ${input.person.name}`;
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: PAGE.margins,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: true,
    compress: options.compress ?? true,
    font: FONT,
    info: {
      Title: title,
      Author: input.council.name,
      Subject: `Indicative personal budget from ${input.model.name}, version ${input.model.version}`,
      Creator: 'OneBudget',
      ...(options.creationDate === undefined ? {} : { CreationDate: options.creationDate }),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const writer = new TaggedWriter(doc);
  build(writer, input);
  writer.root.end();
  writer.footers(`${title} (reference ${input.person.reference}), ${input.council.name}`);
  doc.end();
  return done;
}
