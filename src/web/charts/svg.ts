/**
 * Charts drawn on the server as SVG strings, so pages work without JavaScript. They are
 * supplementary: a page always shows the same figures in a table beside the chart.
 *
 * Accessibility: each `<svg>` has role="img" and aria-labelledby naming its `<title>` and `<desc>`
 * (ids from the `id` you pass, which must be unique on the page). It scales to its container
 * (width 100%, a viewBox, height from the aspect ratio). Its parts are presentational: the
 * title and description are what assistive technology reads. The viewBox is 480 units wide and text is
 * 18 units, so text is at least 12px when the chart is shown 320px wide (the narrowest phone).
 * Colours are from the GOV.UK palette, each at least 3:1 against white; the fitted line is dashed so
 * it does not rely on colour. All text is escaped. Only presentation attributes are used (no style
 * attribute), so a strict content security policy does not affect the drawing.
 */
import { escapeHtml } from '../format.ts';

/** The chart colours (GOV.UK palette), each with at least 3:1 contrast against white. */
export const CHART_COLOURS = { blue: '#1d70b8', black: '#0b0c0c', secondary: '#505a5f', red: '#d4351c' } as const;

/** Width of every chart's viewBox, in user units. */
export const CHART_WIDTH = 480;
/** Text size in user units: 18 × 320 / 480 = 12px at the narrowest phone width. */
export const CHART_FONT_SIZE = 18;

const FONT = 'font-family="&quot;GDS Transport&quot;, arial, sans-serif"';

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  /** Shown as the point's tooltip, e.g. the person's reference. */
  readonly label?: string;
}

export interface ScatterChartOptions {
  /** Unique on the page; the title and description get `${id}-title` and `${id}-desc`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly ScatterPoint[];
  /** A fitted line y = slope × x + intercept, drawn across the x axis. */
  readonly line?: { readonly slope: number; readonly intercept: number };
  /** Tick label text; default: the number in en-GB style. */
  readonly formatX?: (value: number) => string;
  readonly formatY?: (value: number) => string;
}

export interface HistogramChartOptions {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Drawn as horizontal bars, top to bottom in this order, each labelled with its count. */
  readonly bars: readonly { readonly label: string; readonly count: number }[];
}

const defaultFormat = (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: 10 });

/**
 * Evenly spaced "nice" ticks (1, 2 or 5 × 10^k apart) covering [min, max], about `target` of them.
 * The first tick is ≤ min and the last ≥ max.
 */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError('ticks need finite bounds');
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (lo === hi) {
    if (lo === 0) hi = 1;
    else {
      const pad = Math.abs(lo) / 2;
      lo -= lo > 0 ? Math.min(pad, lo) : pad;
      hi += pad;
    }
  }
  // Far below a penny or a point, spans only add float noise: keep at least a billionth of the size.
  const span = Math.max(hi - lo, 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi)));
  const rough = span / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalised = rough / magnitude;
  const step = (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10) * magnitude;
  const tick = (i: number) => Number((i * step).toPrecision(12)) + 0; // + 0 turns −0 into 0
  let first = Math.floor(lo / step);
  let last = Math.max(Math.ceil(hi / step), first + 1);
  // Float noise (0.3 / 0.1 = 2.9999999999999996) can add a tick beyond the data: drop it.
  if (tick(first + 1) <= lo && last - first > 1) first++;
  if (tick(last - 1) >= hi && last - first > 1) last--;
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(tick(i));
  // Quotients that underflow (5e-324 / 2 = 0) can leave an end uncovered: add a tick.
  if (tick(first) > lo) ticks.unshift(tick(first - 1));
  if (tick(last) < hi) ticks.push(tick(last + 1));
  return ticks;
}

function checkId(id: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) throw new RangeError(`a chart id must start with a letter and hold only letters, digits, - and _: "${id}"`);
}

const n = (value: number) => String(Math.round(value * 10) / 10);

function open(id: string, height: number, title: string, description: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${CHART_WIDTH} ${n(height)}" width="100%" preserveAspectRatio="xMidYMid meet" ${FONT} font-size="${CHART_FONT_SIZE}">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>`
  );
}

function text(x: number, y: number, content: string, options: { readonly anchor?: 'start' | 'middle' | 'end'; readonly fill?: string } = {}): string {
  const anchor = options.anchor === undefined || options.anchor === 'start' ? '' : ` text-anchor="${options.anchor}"`;
  return `<text x="${n(x)}" y="${n(y)}" fill="${options.fill ?? CHART_COLOURS.black}"${anchor}>${escapeHtml(content)}</text>`;
}

/** A rough width of text at the chart font size (average glyph ≈ 0.55 em), for layout only. */
function textWidth(content: string): number {
  return [...content].length * CHART_FONT_SIZE * 0.55;
}

/** A scatter chart with axes starting at zero, nice round ticks and an optional fitted line. */
export function scatterChart(options: ScatterChartOptions): string {
  checkId(options.id);
  const formatX = options.formatX ?? defaultFormat;
  const formatY = options.formatY ?? defaultFormat;
  const points = options.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const height = 360;
  if (points.length === 0) {
    return `${open(options.id, 120, options.title, options.description)}${text(CHART_WIDTH / 2, 66, 'No data to show', { anchor: 'middle' })}</svg>`;
  }

  // Domains include zero, so a line through the origin reads true, and the fitted line's ends.
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(0, ...xs), 4);
  const x0 = xTicks[0] as number;
  const x1 = xTicks[xTicks.length - 1] as number;
  const line = options.line !== undefined && Number.isFinite(options.line.slope) && Number.isFinite(options.line.intercept) ? options.line : undefined;
  const lineYs = line === undefined ? [] : [line.slope * x0 + line.intercept, line.slope * x1 + line.intercept];
  const yTicks = niceTicks(Math.min(0, ...ys, ...lineYs), Math.max(0, ...ys, ...lineYs), 5);
  const y0 = yTicks[0] as number;
  const y1 = yTicks[yTicks.length - 1] as number;

  const yTickLabels = yTicks.map(formatY);
  const left = Math.min(CHART_WIDTH * 0.4, Math.max(...yTickLabels.map(textWidth)) + 16);
  const right = CHART_WIDTH - 16 - textWidth(formatX(x1)) / 2;
  const top = 40; // room for the y-axis label
  const bottom = height - 64; // room for x tick labels and the x-axis label
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * (right - left);
  const sy = (y: number) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);

  const parts: string[] = [open(options.id, height, options.title, options.description)];
  // Axes and ticks.
  const axis = `stroke="${CHART_COLOURS.black}" stroke-width="1.5"`;
  parts.push(`<line x1="${n(left)}" y1="${n(bottom)}" x2="${n(right)}" y2="${n(bottom)}" ${axis}/>`);
  parts.push(`<line x1="${n(left)}" y1="${n(top)}" x2="${n(left)}" y2="${n(bottom)}" ${axis}/>`);
  xTicks.forEach((t) => {
    const x = sx(t);
    parts.push(`<line x1="${n(x)}" y1="${n(bottom)}" x2="${n(x)}" y2="${n(bottom + 6)}" ${axis}/>`);
    parts.push(text(x, bottom + 26, formatX(t), { anchor: 'middle', fill: CHART_COLOURS.secondary }));
  });
  yTicks.forEach((t, i) => {
    const y = sy(t);
    parts.push(`<line x1="${n(left - 6)}" y1="${n(y)}" x2="${n(left)}" y2="${n(y)}" ${axis}/>`);
    parts.push(text(left - 10, y + 6, yTickLabels[i] ?? '', { anchor: 'end', fill: CHART_COLOURS.secondary }));
  });
  const xLabelCentre = (left + right) / 2;
  parts.push(text(xLabelCentre, height - 12, fitText(options.xLabel, 2 * Math.min(xLabelCentre, CHART_WIDTH - xLabelCentre) - 16), { anchor: 'middle' }));
  parts.push(text(8, 22, fitText(options.yLabel, CHART_WIDTH - 16)));

  // The fitted line, clipped to the plot by keeping it within the y domain (which includes its ends).
  if (line !== undefined) {
    parts.push(
      `<line x1="${n(sx(x0))}" y1="${n(sy(line.slope * x0 + line.intercept))}" x2="${n(sx(x1))}" y2="${n(sy(line.slope * x1 + line.intercept))}" ` +
        `stroke="${CHART_COLOURS.red}" stroke-width="2.5" stroke-dasharray="8 5"/>`,
    );
  }
  // The points.
  for (const p of points) {
    const circle = `<circle cx="${n(sx(p.x))}" cy="${n(sy(p.y))}" r="5" fill="${CHART_COLOURS.blue}" stroke="${CHART_COLOURS.blue}"`;
    parts.push(p.label === undefined ? `${circle}/>` : `${circle}><title>${escapeHtml(`${p.label}: ${formatX(p.x)}, ${formatY(p.y)}`)}</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** A histogram as horizontal bars (long labels stay readable on a phone), each bar labelled with its count. */
export function histogramChart(options: HistogramChartOptions): string {
  checkId(options.id);
  for (const bar of options.bars) {
    if (!Number.isSafeInteger(bar.count) || bar.count < 0) throw new RangeError(`a bar count must be a whole number ≥ 0, got ${bar.count}`);
  }
  if (options.bars.length === 0) {
    return `${open(options.id, 120, options.title, options.description)}${text(CHART_WIDTH / 2, 66, 'No data to show', { anchor: 'middle' })}</svg>`;
  }
  const rowHeight = 34;
  const top = 12;
  const height = top + options.bars.length * rowHeight + 12;
  const maxLabel = CHART_WIDTH * 0.5;
  const labels = options.bars.map((b) => fitText(b.label, maxLabel));
  const left = Math.max(...labels.map(textWidth)) + 16;
  const maxCount = Math.max(...options.bars.map((b) => b.count));
  const countWidth = textWidth(maxCount.toLocaleString('en-GB')) + 12;
  const barSpace = CHART_WIDTH - left - countWidth - 8;

  const parts: string[] = [open(options.id, height, options.title, options.description)];
  options.bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const width = maxCount === 0 ? 0 : (bar.count / maxCount) * barSpace;
    parts.push(text(left - 10, y + rowHeight / 2 + 6, labels[i] ?? '', { anchor: 'end' }));
    if (width > 0) parts.push(`<rect x="${n(left)}" y="${n(y + 5)}" width="${n(Math.max(width, 2))}" height="${rowHeight - 10}" fill="${CHART_COLOURS.blue}"/>`);
    parts.push(text(left + width + 6, y + rowHeight / 2 + 6, bar.count.toLocaleString('en-GB')));
  });
  parts.push(`<line x1="${n(left)}" y1="${top}" x2="${n(left)}" y2="${n(height - 12)}" stroke="${CHART_COLOURS.black}" stroke-width="1.5"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** The text, shortened with "…" when it would be wider than `width` (the table beside the chart has it in full). */
function fitText(content: string, width: number): string {
  if (textWidth(content) <= width) return content;
  const chars = [...content];
  let keep = chars.length;
  while (keep > 1 && textWidth(`${chars.slice(0, keep).join('')}…`) > width) keep--;
  return `${chars.slice(0, keep).join('').trimEnd()}…`;
}
