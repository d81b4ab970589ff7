/**
 * A person's money statement as an accessible, tagged PDF: the same content as the statement page —
 * the figures for each way of managing, spending by category, the payments still to come, the
 * contingency in plain words, money in and out by month, and every transaction.
 *
 * Tagged by hand with pdfkit, as src/web/documents/plan-pdf.ts and allocation-pdf.ts: one `Document`
 * element holding H1, H2, P and Table/TR/TH/TD in reading order; column headers carry /Scope
 * /Column; rules and the page footers are Artifacts. The catalogue has /MarkInfo << /Marked true >>,
 * /Lang (en-GB) and a Title shown as the window title. Text outside WinAnsiEncoding (the minus sign
 * formatPence writes) is drawn in its nearest form and carries the exact text as /ActualText. As for
 * the other PDFs, the standard fonts are not embedded, so no PDF/UA identifier is claimed (see the
 * comment at the top of allocation-pdf.ts): the structure is PDF/UA's, the claim would be false.
 */
import PDFDocument from 'pdfkit';
import { winAnsiText } from './allocation-pdf.ts';

/** What the statement PDF shows: rows of text the page's presenter has already worded. */
export interface StatementPdfInput {
  readonly title: string;
  readonly reference: string;
  readonly asOfText: string;
  readonly periodText: string;
  /** Each a heading, optional paragraphs, and tables. */
  readonly sections: readonly StatementPdfSection[];
}

export interface StatementPdfSection {
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly tables: readonly StatementPdfTable[];
}

export interface StatementPdfTable {
  /** Said before the table as a paragraph (the PDF's caption). */
  readonly caption: string;
  readonly head: readonly string[];
  /** Which columns are amounts (right-aligned). */
  readonly numeric: readonly boolean[];
  readonly rows: readonly (readonly string[])[];
  /** Relative widths of the columns; equal when not given. */
  readonly widths?: readonly number[];
}

type Struct = PDFKit.PDFStructureElement;

const MARGIN = 50;
const FOOT = 64;
const INK = '#0b0c0c';
const RULE = '#b1b4b6';
const PAD = 4;

function setAttributes(element: Struct, attributes: Record<string, string>): void {
  (element as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = attributes;
}

export async function statementPdf(input: StatementPdfInput, options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: FOOT, left: MARGIN, right: MARGIN },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: true,
    compress: options.compress ?? true,
    font: 'Helvetica',
    info: { Title: input.title, Creator: 'OneBudget', Subject: `Money statement, ${input.asOfText.toLowerCase()}` },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - FOOT;

  const artifact = (draw: () => void, type: 'Pagination' | 'Layout') => {
    doc.markContent('Artifact', { type });
    doc.save();
    draw();
    doc.restore();
    doc.endMarkedContent();
  };
  const use = (font: string, size: number) => doc.font(font).fontSize(size).fillColor(INK);
  const block = (type: string, text: string, font: string, size: number, after: number) => {
    use(font, size);
    const drawn = winAnsiText(text);
    const first = doc.currentLineHeight(true) * 2;
    if (doc.y + first > bottom()) doc.addPage();
    root.add(doc.struct(type, drawn === text ? {} : { actual: text }, () => doc.text(drawn, MARGIN, doc.y, { width, lineGap: 2 })));
    doc.x = MARGIN;
    doc.y += after;
  };

  const table = (t: StatementPdfTable) => {
    const weights = t.widths ?? t.head.map(() => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / total) * width);
    const heightOf = (cells: readonly string[], bold: boolean) => {
      use(bold ? 'Helvetica-Bold' : 'Helvetica', 9);
      return Math.max(...cells.map((c, i) => doc.heightOfString(winAnsiText(c), { width: (widths[i] ?? 0) - 2 * PAD, lineGap: 1 }))) + 2 * PAD;
    };
    const drawCells = (cells: readonly string[], bold: boolean, top: number, each: (i: number, draw: () => void) => void) => {
      let x = MARGIN;
      cells.forEach((cell, i) => {
        const cellX = x;
        each(i, () => {
          use(bold ? 'Helvetica-Bold' : 'Helvetica', 9);
          doc.text(winAnsiText(cell), cellX + PAD, top + PAD, { width: (widths[i] ?? 0) - 2 * PAD, align: t.numeric[i] === true ? 'right' : 'left', lineGap: 1 });
        });
        x += widths[i] ?? 0;
      });
    };
    const rule = (y: number, heavy: boolean) =>
      artifact(() => {
        doc.lineWidth(heavy ? 1.5 : 0.5).moveTo(MARGIN, y).lineTo(MARGIN + width, y).strokeColor(heavy ? INK : RULE).stroke();
      }, 'Layout');
    const headHeight = heightOf(t.head, true);
    const element = doc.struct('Table');
    root.add(element);
    const row = (cells: readonly string[], header: boolean) => {
      const height = header ? headHeight : heightOf(cells, false);
      if (doc.y + height > bottom()) {
        doc.addPage();
        if (!header) {
          // The header again on the new page, as an artifact: the tagged header is the first one.
          const top = doc.y;
          artifact(() => drawCells(t.head, true, top, (_i, draw) => draw()), 'Pagination');
          doc.y = top + headHeight;
          rule(doc.y, true);
        }
      }
      const top = doc.y;
      const tr = doc.struct('TR');
      element.add(tr);
      drawCells(cells, header, top, (i, draw) => {
        const text = cells[i] ?? '';
        const cell = doc.struct(header ? 'TH' : 'TD', winAnsiText(text) === text ? {} : { actual: text });
        if (header) setAttributes(cell, { O: 'Table', Scope: 'Column' });
        cell.add(draw);
        cell.end();
        tr.add(cell);
      });
      tr.end();
      doc.x = MARGIN;
      doc.y = top + height;
      rule(doc.y, header);
    };
    row(t.head, true);
    for (const cells of t.rows) row(cells, false);
    element.end();
    doc.y += 12;
  };

  block('H1', input.title, 'Helvetica-Bold', 20, 6);
  block('P', `Reference ${input.reference}. ${input.asOfText}.`, 'Helvetica-Bold', 11, 4);
  block('P', input.periodText, 'Helvetica', 11, 8);
  for (const section of input.sections) {
    doc.y += 6;
    block('H2', section.heading, 'Helvetica-Bold', 14, 6);
    for (const p of section.paragraphs) block('P', p, 'Helvetica', 11, 6);
    for (const t of section.tables) {
      block('P', t.caption, 'Helvetica-Bold', 10, 4);
      if (t.rows.length === 0) block('P', 'None.', 'Helvetica', 10, 8);
      else table(t);
    }
  }
  root.end();

  // "Page 1 of 3" on every page, as pagination artifacts.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - FOOT + 24;
    artifact(() => {
      use('Helvetica', 8);
      doc.text(winAnsiText(`${input.title} (${input.reference}). ${input.asOfText}.`), MARGIN, y, { width: width - 80, lineBreak: false, ellipsis: true });
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN + width - 80, y, { width: 80, align: 'right', lineBreak: false });
    }, 'Pagination');
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return done;
}
