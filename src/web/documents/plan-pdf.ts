/**
 * The support plan as an accessible, tagged PDF: the same content as the plan page — the person,
 * version and status, the profile, outcomes, the provision (support items with their costs),
 * contingency, risks, and Section J, the personal budget: amounts by stream and by how each part
 * is managed, the total, and who manages a direct payment.
 *
 * Tagged by hand with pdfkit, as src/web/documents/allocation-pdf.ts: one `Document` element with
 * H1, H2, P and L/LI in reading order; /Lang (en-GB), a Title shown as the window title. Text
 * outside WinAnsiEncoding is drawn in its nearest form and carries the exact text as /ActualText.
 */
import PDFDocument from 'pdfkit';
import { STREAM_LABELS } from '../../domain/allocation/model.ts';
import { formatPence } from '../../domain/money/money.ts';
import { MANAGEMENT_LABELS } from '../../domain/people/people.ts';
import type { PlanContent } from '../../domain/plans/content.ts';
import type { PlanTotals } from '../../domain/plans/costs.ts';
import { FREQUENCY_LABELS, MONEY_MANAGER_LABELS, OUTCOME_AREA_LABELS, formatQuantity } from '../../domain/plans/labels.ts';
import { formatDate } from '../format.ts';
import { winAnsiText } from './allocation-pdf.ts';

export interface PlanPdfInput {
  readonly plan: { readonly status: string; readonly person: { readonly name: string; readonly reference: string } };
  readonly shown: { readonly version: number; readonly content: PlanContent };
  readonly totals: PlanTotals;
}

const STATUS: Readonly<Record<string, string>> = {
  draft: 'Draft: not yet agreed',
  submitted: 'Submitted for sign-off',
  returned: 'Returned for changes',
  approved: 'Approved, waiting for the family’s agreement',
  agreed: 'Agreed',
  superseded: 'Replaced by a later plan',
};

type Struct = ReturnType<PDFKit.PDFDocument['struct']>;

export async function planPdf(input: PlanPdfInput, options: { compress?: boolean } = {}): Promise<Buffer> {
  const title = `Support plan for ${input.plan.person.name}`;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    compress: options.compress ?? true,
    font: 'Helvetica',
    info: { Title: title, Creator: 'OneBudget', Subject: `Version ${input.shown.version}` },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - 112;

  const element = (parent: Struct, type: string, text: string, font: string, size: number, after: number) => {
    const drawn = winAnsiText(text);
    doc.font(font).fontSize(size).fillColor('#0b0c0c');
    if (doc.y + doc.currentLineHeight(true) * 2 > doc.page.height - 56) doc.addPage();
    parent.add(doc.struct(type, drawn === text ? {} : { actual: text }, () => doc.text(drawn, 56, doc.y, { width, lineGap: 2 })));
    doc.y += after;
  };
  const h1 = (text: string) => element(root, 'H1', text, 'Helvetica-Bold', 20, 10);
  const h2 = (text: string) => {
    doc.y += 6;
    element(root, 'H2', text, 'Helvetica-Bold', 14, 6);
  };
  const p = (text: string) => element(root, 'P', text, 'Helvetica', 11, 6);
  const list = (entries: readonly string[]) => {
    if (entries.length === 0) return;
    const l = doc.struct('L');
    root.add(l);
    for (const entry of entries) {
      const li = doc.struct('LI');
      l.add(li);
      element(li, 'LBody', `• ${entry}`, 'Helvetica', 11, 4);
      li.end();
    }
    l.end();
  };

  const { content, version } = input.shown;
  const { totals } = input;
  h1(title);
  p(`Reference ${input.plan.person.reference}. Version ${version}. ${STATUS[input.plan.status] ?? input.plan.status}.`);

  h2('About me');
  p(`What people like and admire about me: ${content.profile.likeAndAdmire || 'Not given yet'}`);
  p(`What is important to me: ${content.profile.importantToMe || 'Not given yet'}`);
  p(`How best to support me: ${content.profile.howToSupportMe || 'Not given yet'}`);
  list(content.profile.iStatements);

  h2('Outcomes');
  if (content.outcomes.length === 0) p('No outcomes yet.');
  list(content.outcomes.map((o) => `${OUTCOME_AREA_LABELS[o.area]}: ${o.description}, by ${o.byWhen === '' ? 'no date' : formatDate(o.byWhen)}. How we will know: ${o.measure}`));

  h2('Provision');
  if (content.items.length === 0) p('No support items yet.');
  list(
    content.items.map(
      (item, i) =>
        `${item.description}${item.provider === '' ? '' : ` (${item.provider})`}: ${formatPence(item.unitCostPence)} × ${formatQuantity(item.quantity)}, ${FREQUENCY_LABELS[item.frequency].toLowerCase()} = ${formatPence(totals.items[i]?.annualPence ?? 0n)} a year. ${STREAM_LABELS[item.stream]}, ${MANAGEMENT_LABELS[item.management].toLowerCase()}${item.paysPersonalAssistant ? ', pays a personal assistant' : ''}.`,
    ),
  );

  h2('Contingency');
  p(content.contingency.amountPence === 0n ? 'None.' : `${formatPence(content.contingency.amountPence)}: ${content.contingency.purpose}`);

  h2('Risks and how I keep safe');
  p(content.risks || 'Not given yet');

  h2('Section J: the personal budget');
  list(totals.byStream.map((s) => `${STREAM_LABELS[s.stream]}: ${formatPence(s.planPence)} a year${s.indicativePence === null ? '' : ` (indicative budget ${formatPence(s.indicativePence)})`}`));
  p('How each part is managed:');
  list(totals.byStreamAndManagement.map((m) => `${STREAM_LABELS[m.stream]}, ${MANAGEMENT_LABELS[m.management].toLowerCase()}: ${formatPence(m.annualPence)} a year`));
  p(`Contingency: ${formatPence(totals.contingencyPence)} a year.`);
  p(`Total: ${formatPence(totals.totalPence)} a year.`);
  p(`Who manages a direct payment: ${MONEY_MANAGER_LABELS[content.moneyManager.kind]}${content.moneyManager.name === '' ? '' : `, ${content.moneyManager.name}`}.`);
  if (content.overBudgetReason.trim() !== '') p(`Why the plan costs more than the indicative budget: ${content.overBudgetReason}`);

  root.end();
  doc.end();
  return done;
}
