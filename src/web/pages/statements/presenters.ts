/**
 * Page models of the statement (page, CSV, PDF) and the finance budget totals: plain text and GOV.UK
 * component arguments. Money with formatPence, dates with longDate; templates only lay this out.
 */
import { stringify } from 'csv-stringify/sync';
import { formatPence, penceToDecimal, type Pence } from '../../../domain/money/money.ts';
import { longDate } from '../../../domain/pathway/dates.ts';
import { guardFormula } from '../../../domain/payments/payment-file.ts';
import { MANAGEMENT_LABELS } from '../../../domain/people/people.ts';
import type { HeldFigures, LineFigures, Statement, StatementTransaction } from '../../../domain/statements/statement.ts';
import type { BudgetTotals, PersonStatement } from '../../../services/statements.ts';
import { statementChart } from '../../charts/statement-chart.ts';
import type { StatementPdfInput, StatementPdfSection } from '../../documents/statement-pdf.ts';
import { escapeHtml } from '../../format.ts';
import { paths } from '../../paths.ts';
import { paginationOf } from '../../pagination.ts';

/** Transactions on one page of the statement. */
export const TRANSACTIONS_PER_PAGE = 50;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2027-01' → 'January 2027'. */
export function monthLabel(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1] ?? ''} ${month.slice(0, 4)}`;
}

const money = (pence: Pence) => ({ text: formatPence(pence), format: 'numeric', classes: 'app-nowrap' });
/** A summary list row; `amountText` is the same figure for the PDF. */
const row = (key: string, pence: Pence, bold = false) => ({
  key: { text: key },
  value: bold ? { html: `<strong>${escapeHtml(formatPence(pence))}</strong>` } : { text: formatPence(pence) },
  amountText: formatPence(pence),
});
type FigureRow = ReturnType<typeof row>;

/** Where the money of a held account is, in words a family reads. */
export function accountWords(t: Pick<StatementTransaction, 'accountKind' | 'providerName'>): string {
  if (t.accountKind === 'dp_holder') return 'Direct payment account';
  if (t.accountKind === 'provider') return `Individual service fund held by ${t.providerName ?? 'the provider'}`;
  return 'Council-managed services';
}

/** What a movement was, in plain words (the family's view). */
export function whatWords(t: StatementTransaction): string {
  const correction = t.kind === 'reversal' ? 'Correction: ' : '';
  const categories = t.categories.length === 0 ? '' : `: ${t.categories.join(', ')}`;
  switch (t.flow) {
    case 'received':
      if (t.accountKind === 'dp_holder') return `${correction}Direct payment paid in`;
      if (t.accountKind === 'provider') return `${correction}Individual service fund passed to ${t.providerName ?? 'the provider'}`;
      return `${correction}Committed to council-managed services`;
    case 'spent':
      if (t.accountKind === 'dp_holder') return `${correction}${t.inPence > 0n ? 'Refund' : 'Spending'}${categories}`;
      if (t.accountKind === 'provider') return `${correction}Spent by ${t.providerName ?? 'the provider'}, as the provider returned`;
      return `${correction}Paid by the council for services`;
    case 'recovered':
      // Money coming back on a recovery is the council paying back what it recovered, after a challenge.
      return `${correction}${t.inPence > 0n ? 'Paid back by the council after a challenge' : 'Recovered by the council'}`;
    case 'written_off':
      return `${correction}Overspend written off by the council`;
    default:
      return `${correction}Adjustment`;
  }
}

function lineRows(lines: LineFigures) {
  return [row('Allocated for this budget period', lines.allocatedPence)];
}

function heldRows(held: HeldFigures, words: { received: string; spent: string; balance: string }) {
  return [
    ...(held.openingPence !== 0n ? [row('Carried from before this period', held.openingPence)] : []),
    row(words.received, held.receivedPence),
    row(words.spent, held.spentPence),
    ...(held.recoveredPence !== 0n ? [row('Recovered by the council', held.recoveredPence)] : []),
    ...(held.writtenOffPence !== 0n ? [row('Overspend written off by the council', held.writtenOffPence)] : []),
    ...(held.otherPence !== 0n ? [row('Other adjustments', held.otherPence)] : []),
    row(words.balance, held.balancePence, true),
  ];
}

function transactionRow(t: StatementTransaction, financeDetail: boolean) {
  const what = escapeHtml(whatWords(t));
  const detail = financeDetail
    ? `<br><span class="govuk-body-s">${escapeHtml(t.description)}<br>${escapeHtml(t.accountName)}<br>Transaction ${escapeHtml(t.transactionId)}</span>`
    : `<br><span class="govuk-body-s">${escapeHtml(accountWords(t))}</span>`;
  return [
    { text: longDate(t.date), classes: 'app-nowrap' },
    { html: `${what}${detail}` },
    t.inPence > 0n ? money(t.inPence) : { text: '', format: 'numeric' },
    t.outPence > 0n ? money(t.outPence) : { text: '', format: 'numeric' },
    money(t.balanceAfterPence),
  ];
}

function seriesWords(s: Statement): string {
  if (s.seriesOf === 'individual_service_fund') return 'the individual service funds providers hold';
  if (s.seriesOf === 'council_managed') return 'council-managed services';
  return 'the direct payment account';
}

export function statementPageModel(view: PersonStatement, page: number, asOfGiven: string | undefined) {
  const { person, statement: s, financeDetail } = view;
  const dp = s.directPayment;
  const pageCount = Math.max(1, Math.ceil(s.transactions.length / TRANSACTIONS_PER_PAGE));
  const current = Math.min(page, pageCount);
  const shown = s.transactions.slice((current - 1) * TRANSACTIONS_PER_PAGE, current * TRANSACTIONS_PER_PAGE);
  const link = (p: number) => paths.statements.person({ personId: person.id }, { asOf: asOfGiven, page: p });
  const series = seriesWords(s);
  const chartCaption = `Money in and out of ${series} each month, ${s.months.length === 0 ? 'none yet' : `${monthLabel(s.months[0]?.month ?? '')} to ${monthLabel(s.months.at(-1)?.month ?? '')}`}`;
  const monthsTotalIn = s.months.reduce((sum, m) => sum + m.inPence, 0n);
  const monthsTotalOut = s.months.reduce((sum, m) => sum + m.outPence, 0n);
  return {
    title: `Money statement for ${person.name}`,
    name: person.name,
    reference: person.reference,
    backHref: paths.people.show({ personId: person.id }),
    asOfText: `As of ${longDate(s.asOf)}`,
    periodText:
      s.period === null
        ? 'No personal budget has been agreed yet, so there is no money to show.'
        : `This statement covers ${longDate(s.period.from)} to ${longDate(s.asOf)}${s.period.budgetEndsOn === null ? '' : `. The budget period ends on ${longDate(s.period.budgetEndsOn)}`}.`,
    financeDetail,
    csvHref: paths.statements.csv({ personId: person.id }, { asOf: asOfGiven }),
    pdfHref: paths.statements.pdf({ personId: person.id }, { asOf: asOfGiven }),
    directPayment:
      dp === null
        ? null
        : {
            budgetRows: [...lineRows(dp.lines), row('Paid from the budget to the account', dp.lines.paidPence), row('Still to be paid this period', dp.lines.balancePence)],
            rows: [
              ...heldRows(dp.account, { received: 'Paid into the account', spent: 'Spent (refunds taken off)', balance: 'Balance in the account' }),
              row('Contingency', dp.contingencyPence),
            ],
            categoryRows: dp.spentByCategory.map((c) => [{ text: c.label }, money(c.pence)]),
            spentText: formatPence(dp.account.spentPence),
            upcomingRows: dp.upcoming.slice(0, 6).map((u) => [
              { text: `${longDate(u.dueOn)}${u.overdue ? ' (due, not yet paid)' : ''}` },
              { text: `${longDate(u.periodFrom)} to ${longDate(u.periodTo)}` },
              money(u.amountPence),
            ]),
            upcomingMoreText:
              dp.upcoming.length > 6
                ? `${dp.upcoming.length - 6} more ${dp.upcoming.length - 6 === 1 ? 'payment is' : 'payments are'} planned after these. All ${dp.upcoming.length} payments still to come add up to ${formatPence(dp.upcomingTotalPence)}.`
                : null,
            contingencyText:
              dp.contingencyPence === 0n
                ? 'The plan has no contingency. Everything in the account is there to pay for the support in the plan.'
                : `The plan includes a contingency of ${formatPence(dp.contingencyPence)}${dp.contingencyPurpose.trim() === '' ? '' : ` for ${dp.contingencyPurpose.trim()}`}. This is money to keep in the account for when needs change or something unexpected happens, such as a bad month. The council never counts it as money not spent, and does not ask for it back as surplus.`,
            aboveContingencyText:
              dp.contingencyPence === 0n ? null : `The balance above the contingency is ${formatPence(dp.aboveContingencyPence)}.`,
          },
    isf:
      s.isf === null
        ? null
        : {
            rows: [
              ...lineRows(s.isf.lines),
              ...(s.isf.lines.balancePence !== 0n ? [row('Not yet passed to a provider', s.isf.lines.balancePence)] : []),
              ...heldRows(s.isf.held, { received: 'Passed to the provider this period', spent: 'Spent, as the provider returned', balance: 'Held by the provider' }),
            ],
            providerRows: s.isf.providers.map((p) => [
              { text: financeDetail ? `${p.providerName} (${p.accountName})` : p.providerName },
              money(p.figures.receivedPence),
              money(p.figures.spentPence),
              money(p.figures.balancePence),
            ]),
          },
    councilManaged:
      s.councilManaged === null
        ? null
        : {
            rows: [
              ...lineRows(s.councilManaged.lines),
              ...(s.councilManaged.lines.balancePence !== 0n ? [row('Not yet committed', s.councilManaged.lines.balancePence)] : []),
              ...heldRows(s.councilManaged.commitment, { received: 'Committed this period', spent: 'Paid by the council for services', balance: 'Committed and not yet spent' }),
            ],
          },
    chartSvg: statementChart({
      id: 'statement-chart',
      title: chartCaption,
      description:
        s.months.length === 0
          ? 'No money has gone in or out yet.'
          : `${s.months.length} ${s.months.length === 1 ? 'month' : 'months'}: ${formatPence(monthsTotalIn)} in and ${formatPence(monthsTotalOut)} out in all. The table that follows the chart gives every figure.`,
      months: s.months.map((m) => ({ label: monthLabel(m.month), inPence: m.inPence, outPence: m.outPence })),
    }),
    chartCaption,
    monthRows: s.months.map((m) => [{ text: monthLabel(m.month) }, money(m.inPence), money(m.outPence), money(m.balancePence)]),
    transactionCount: s.transactions.length,
    transactionsCaption: `Every payment in and out, newest first${pageCount > 1 ? ` (page ${current} of ${pageCount})` : ''}`,
    transactionRows: shown.map((t) => transactionRow(t, financeDetail)),
    pagination: paginationOf(current, pageCount, link),
  };
}

/** The CSV columns, as docs/statement-download.md documents them. */
export const STATEMENT_CSV_COLUMNS = ['Date', 'Account', 'What', 'Categories', 'Money in', 'Money out', 'Balance after'] as const;
/** Added for finance officers and administrators. */
export const STATEMENT_CSV_FINANCE_COLUMNS = ['Ledger description', 'Ledger account', 'Transaction id'] as const;

/**
 * Every movement on a held account, oldest first (like a bank statement), one row each. Text cells
 * are guarded against spreadsheet formulas; amounts are plain decimals ("1234.56").
 */
export function statementCsv(view: PersonStatement): string {
  const header = [...STATEMENT_CSV_COLUMNS, ...(view.financeDetail ? STATEMENT_CSV_FINANCE_COLUMNS : [])];
  const rows = [...view.statement.transactions].reverse().map((t) => [
    t.date,
    guardFormula(accountWords(t)),
    guardFormula(whatWords(t)),
    guardFormula(t.categories.join('; ')),
    penceToDecimal(t.inPence),
    penceToDecimal(t.outPence),
    penceToDecimal(t.balanceAfterPence),
    ...(view.financeDetail ? [guardFormula(t.description), guardFormula(t.accountName), t.transactionId] : []),
  ]);
  return stringify([header, ...rows], { record_delimiter: 'windows' });
}

/** The file names of the downloads: the person's reference and the date. */
export function statementFileName(view: PersonStatement, extension: 'csv' | 'pdf'): string {
  return `statement-${view.person.reference.replace(/[^A-Za-z0-9-]/g, '')}-${view.statement.asOf}.${extension}`;
}

export function financeTotalsModel(totals: BudgetTotals | null, form: { dateItems: unknown; errors: readonly { field: string; text: string }[] }) {
  const rows = totals?.rows ?? [];
  const sum = (pick: (r: BudgetTotals['rows'][number]) => Pence) => rows.reduce((s, r) => s + pick(r), 0n);
  return {
    title: 'Personal budget totals',
    errors: form.errors,
    dateItems: form.dateItems,
    dateError: form.errors.find((e) => e.field === 'asOf-day')?.text,
    asOfText: totals === null ? null : `As of ${longDate(totals.asOf)}`,
    caption: totals === null ? '' : `Personal budget money by funding stream and way of managing, as of ${longDate(totals.asOf)}`,
    rows: rows.map((r) => [
      { text: r.streamName ?? 'More than one stream' },
      { text: MANAGEMENT_LABELS[r.management] },
      money(r.allocatedPence),
      money(r.paidOutPence),
      money(r.spentPence),
      money(r.heldPence),
      money(r.notYetPaidPence),
      { text: r.people.toLocaleString('en-GB'), format: 'numeric' },
    ]),
    totalRow:
      rows.length === 0
        ? null
        : [
            { text: 'Total', classes: 'govuk-!-font-weight-bold' },
            { text: '' },
            ...[sum((r) => r.allocatedPence), sum((r) => r.paidOutPence), sum((r) => r.spentPence), sum((r) => r.heldPence), sum((r) => r.notYetPaidPence)].map((p) => ({
              ...money(p),
              classes: 'app-nowrap govuk-!-font-weight-bold',
            })),
            { text: '' },
          ],
    severalStreams: rows.some((r) => r.streamId === null),
  };
}

/** The statement PDF's content: the page's figures, worded the same, and every transaction. */
export function statementPdfInput(view: PersonStatement): StatementPdfInput {
  const model = statementPageModel(view, 1, undefined);
  const s = view.statement;
  const figureTable = (caption: string, rows: readonly FigureRow[]) => ({
    caption,
    head: ['Figure', 'Amount'],
    numeric: [false, true],
    widths: [3, 1],
    rows: rows.map((r) => [r.key.text, r.amountText]),
  });
  const sections: StatementPdfSection[] = [];
  const dp = model.directPayment;
  if (dp !== null && s.directPayment !== null) {
    sections.push({
      heading: 'Direct payment',
      paragraphs: [dp.contingencyText, ...(dp.aboveContingencyText === null ? [] : [dp.aboveContingencyText])],
      tables: [
        figureTable('The budget', dp.budgetRows),
        figureTable('The direct payment account', dp.rows),
        {
          caption: 'What the money was spent on (refunds taken off)',
          head: ['Category', 'Spent'],
          numeric: [false, true],
          widths: [3, 1],
          rows: s.directPayment.spentByCategory.length === 0 ? [] : [...s.directPayment.spentByCategory.map((c) => [c.label, formatPence(c.pence)]), ['Total', formatPence(s.directPayment.account.spentPence)]],
        },
        {
          caption: 'Payments still to come',
          head: ['Due', 'Pays for', 'Amount'],
          numeric: [false, false, true],
          widths: [2, 3, 1.2],
          rows: s.directPayment.upcoming.map((u) => [`${longDate(u.dueOn)}${u.overdue ? ' (due, not yet paid)' : ''}`, `${longDate(u.periodFrom)} to ${longDate(u.periodTo)}`, formatPence(u.amountPence)]),
        },
      ],
    });
  }
  if (model.isf !== null) {
    sections.push({
      heading: 'Individual service fund',
      paragraphs: ['A provider holds this money and pays for the support with it. The provider sends the council a return each quarter saying what was spent.'],
      tables: [
        figureTable('The individual service fund', model.isf.rows),
        {
          caption: 'By provider',
          head: ['Provider', 'Received this period', 'Spent this period', 'Held now'],
          numeric: [false, true, true, true],
          widths: [2.5, 1.2, 1.2, 1.2],
          rows: model.isf.providerRows.map((r) => r.map((c) => c.text)),
        },
      ],
    });
  }
  if (model.councilManaged !== null) {
    sections.push({
      heading: 'Managed by the council',
      paragraphs: ['The council arranges and pays for this support itself. No money is paid to you for it.'],
      tables: [figureTable('Council-managed support', model.councilManaged.rows)],
    });
  }
  sections.push({
    heading: 'Money in and out each month',
    paragraphs: [],
    tables: [
      {
        caption: model.chartCaption,
        head: ['Month', 'Money in', 'Money out', 'Balance at the end of the month'],
        numeric: [false, true, true, true],
        widths: [1.6, 1.2, 1.2, 1.6],
        rows: model.monthRows.map((r) => r.map((c) => c.text)),
      },
    ],
  });
  sections.push({
    heading: 'Transactions',
    paragraphs: [],
    tables: [
      {
        caption: 'Every payment in and out, newest first',
        head: ['Date', 'What', 'Money in', 'Money out', 'Balance after'],
        numeric: [false, false, true, true, true],
        widths: [1.3, 3, 1.1, 1.1, 1.2],
        rows: s.transactions.map((t) => [
          longDate(t.date),
          view.financeDetail ? `${whatWords(t)}. ${t.description}. ${t.accountName}. Transaction ${t.transactionId}` : `${whatWords(t)}. ${accountWords(t)}`,
          t.inPence > 0n ? formatPence(t.inPence) : '',
          t.outPence > 0n ? formatPence(t.outPence) : '',
          formatPence(t.balanceAfterPence),
        ]),
      },
    ],
  });
  return { title: model.title, reference: model.reference, asOfText: model.asOfText, periodText: model.periodText, sections };
}
