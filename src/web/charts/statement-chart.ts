/**
 * The statement's chart: money in and money out each month, drawn on the server as SVG like the
 * charts in svg.ts (role="img", a <title> and <desc> the chart is labelled by, GOV.UK colours with at
 * least 3:1 contrast, presentation attributes only, so a strict content security policy is fine).
 *
 * Horizontal bars, a month to a group, so that long amounts stay readable on a phone. Meaning never
 * rests on colour: every bar is followed by its words and amount ("In £1,200.00", "Out £310.50"),
 * and the "out" bars are also outlined and hatched rather than solid. The chart is supplementary:
 * the page shows the same figures in a table beside it, which is the accessible equivalent.
 */
import { formatPence, type Pence } from '../../domain/money/money.ts';
import { escapeHtml } from '../format.ts';
import { CHART_COLOURS, CHART_FONT_SIZE, CHART_WIDTH } from './svg.ts';

export interface StatementChartMonth {
  /** "January 2027". */
  readonly label: string;
  readonly inPence: Pence;
  readonly outPence: Pence;
}

export interface StatementChartOptions {
  /** Unique on the page; the title and description get `${id}-title` and `${id}-desc`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly months: readonly StatementChartMonth[];
}

const FONT = 'font-family="&quot;GDS Transport&quot;, arial, sans-serif"';
const n = (value: number) => String(Math.round(value * 10) / 10);

function text(x: number, y: number, content: string, fill: string = CHART_COLOURS.black): string {
  return `<text x="${n(x)}" y="${n(y)}" fill="${fill}">${escapeHtml(content)}</text>`;
}

/** A rough width of text at the chart font size (average glyph ≈ 0.55 em), for layout only. */
function textWidth(content: string): number {
  return [...content].length * CHART_FONT_SIZE * 0.55;
}

export function statementChart(options: StatementChartOptions): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(options.id)) throw new RangeError(`a chart id must start with a letter and hold only letters, digits, - and _: "${options.id}"`);
  for (const m of options.months) if (m.inPence < 0n || m.outPence < 0n) throw new RangeError('money in and out are amounts of 0 or more');
  const id = options.id;
  const open = (height: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${CHART_WIDTH} ${n(height)}" width="100%" preserveAspectRatio="xMidYMid meet" ${FONT} font-size="${CHART_FONT_SIZE}">` +
    `<title id="${id}-title">${escapeHtml(options.title)}</title><desc id="${id}-desc">${escapeHtml(options.description)}</desc>`;
  if (options.months.length === 0) return `${open(120)}${text(CHART_WIDTH / 2 - textWidth('No money in or out yet') / 2, 66, 'No money in or out yet')}</svg>`;

  const labels = options.months.map((m) => ({ in: `In ${formatPence(m.inPence)}`, out: `Out ${formatPence(m.outPence)}` }));
  const widest = Math.max(...labels.flatMap((l) => [textWidth(l.in), textWidth(l.out)]));
  const left = 8;
  const barSpace = Math.max(40, CHART_WIDTH - left - widest - 16);
  const max = options.months.reduce((top, m) => (m.inPence > top ? m.inPence : m.outPence > top ? m.outPence : top), 0n);
  const scale = (p: Pence) => (max === 0n ? 0 : (Number(p) / Number(max)) * barSpace);
  const bar = 22;
  const group = 26 + 2 * (bar + 6) + 14;
  const height = options.months.length * group + 8;

  const parts: string[] = [
    open(height),
    `<defs><pattern id="${id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="${CHART_COLOURS.black}" stroke-width="4"/></pattern></defs>`,
  ];
  options.months.forEach((m, i) => {
    const top = 8 + i * group;
    parts.push(text(left, top + 18, m.label));
    const rows: [Pence, string, string][] = [
      [m.inPence, labels[i]?.in ?? '', `fill="${CHART_COLOURS.blue}"`],
      [m.outPence, labels[i]?.out ?? '', `fill="url(#${id}-hatch)" stroke="${CHART_COLOURS.black}" stroke-width="1.5"`],
    ];
    rows.forEach(([pence, label, paint], j) => {
      const y = top + 26 + j * (bar + 6);
      const width = pence === 0n ? 0 : Math.max(2, scale(pence));
      if (width > 0) parts.push(`<rect x="${left}" y="${n(y)}" width="${n(width)}" height="${bar}" ${paint}/>`);
      parts.push(text(left + width + 6, y + bar - 5, label));
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
