/**
 * A GOV.UK table written in TypeScript: the markup the govukTable macro writes, for the cells a
 * page's presenter builds ({ text | html, format, classes }), without colspans, attributes or row
 * headers. Registered as the template global `govukTableHtml`.
 *
 * Why: a long table through the macro (or through a Nunjucks loop over its cells) costs a Nunjucks
 * frame and a loop variable for every cell, and that was the largest part of rendering the
 * statement page families open most (bench/payments.ts). tests/unit/govuk-table.test.ts checks the
 * markup against the GOV.UK macro itself for any cells.
 */
import nunjucks from 'nunjucks';

export interface TableCell {
  /** Escaped as a template's {{ }} escapes it. */
  readonly text?: string | number | null | undefined;
  /** Trusted markup, written as it is (the macro's `html`); wins over `text`. */
  readonly html?: string | null | undefined;
  /** 'numeric' right-aligns the cell with tabular figures. */
  readonly format?: string | null | undefined;
  readonly classes?: string | null | undefined;
}

export interface TableParams {
  readonly caption?: string | null | undefined;
  readonly captionClasses?: string | null | undefined;
  readonly head?: readonly TableCell[] | null | undefined;
  /** A falsy row is left out, as the macro leaves it out. */
  readonly rows: readonly (readonly TableCell[] | null | undefined)[];
}

// Nunjucks' own autoescape map (node_modules/nunjucks/src/lib.js), so a cell reads the same either way.
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '\\': '&#92;' };
const ESCAPE = /[&"'<>\\]/g;

function escape(value: string): string {
  return value.replace(ESCAPE, (c) => ESCAPES[c] ?? c);
}

/** What `{{ value }}` prints: nothing for null and undefined, the text of anything else. */
function printed(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : escape(String(value));
}

function content(cell: TableCell): string {
  return cell.html ? cell.html : printed(cell.text);
}

function classes(base: string, cell: TableCell, modifier: string): string {
  return `${base}${cell.format ? ` ${modifier}--${escape(cell.format)}` : ''}${cell.classes ? ` ${escape(cell.classes)}` : ''}`;
}

export function govukTableHtml(params: TableParams): string {
  const parts: string[] = ['<table class="govuk-table">'];
  if (params.caption) {
    parts.push(`<caption class="govuk-table__caption${params.captionClasses ? ` ${escape(params.captionClasses)}` : ''}">${escape(params.caption)}</caption>`);
  }
  if (params.head) {
    parts.push('<thead class="govuk-table__head"><tr class="govuk-table__row">');
    for (const item of params.head) parts.push(`<th scope="col" class="${classes('govuk-table__header', item, 'govuk-table__header')}">${content(item)}</th>`);
    parts.push('</tr></thead>');
  }
  parts.push('<tbody class="govuk-table__body">');
  for (const row of params.rows) {
    if (!row) continue;
    parts.push('<tr class="govuk-table__row">');
    for (const cell of row) parts.push(`<td class="${classes('govuk-table__cell', cell, 'govuk-table__cell')}">${content(cell)}</td>`);
    parts.push('</tr>');
  }
  parts.push('</tbody></table>');
  return parts.join('');
}

/** The template global: marked safe, since every text in it has been escaped here. */
export function govukTableGlobal(params: TableParams): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(govukTableHtml(params));
}
