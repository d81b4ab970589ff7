import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { govukTableHtml, type TableCell, type TableParams } from '../../src/web/views/govuk-table.ts';

const require = createRequire(import.meta.url);
const govukDist = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(govukDist), { autoescape: true, throwOnUndefined: false });

/** What the GOV.UK macro itself writes for the same table. */
function byTheMacro(params: TableParams): string {
  return env.renderString('{% from "govuk/components/table/macro.njk" import govukTable %}{{ govukTable(params) }}', { params });
}

/** Markup compared without the indentation between tags (the macro's template is indented). */
const tight = (html: string) => html.replace(/>\s+</g, '><').trim();

// Texts with everything that must be escaped, and some that must not be changed.
const text = fc.oneof(fc.string(), fc.constantFrom('£1,234.56', 'Tom & Jerry’s <b>"club"</b>', "it's \\ back", '0', ''));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const cell: fc.Arbitrary<TableCell> = fc.record(
  {
    text: fc.oneof(text, fc.integer()),
    html: optional(fc.constantFrom('<strong class="govuk-tag">Flagged</strong>', '<a class="govuk-link" href="/x?a=1&amp;b=2">See</a>', '')),
    format: optional(fc.constantFrom('numeric', '')),
    classes: optional(fc.constantFrom('govuk-!-font-weight-bold', 'app-nowrap govuk-!-font-weight-bold', '')),
  },
  { requiredKeys: [] },
);

describe('tables written without the macro', () => {
  it('write exactly the markup of the GOV.UK table macro, for any cells', () => {
    fc.assert(
      fc.property(
        fc.record({
          caption: optional(text),
          captionClasses: optional(fc.constantFrom('govuk-visually-hidden', 'govuk-heading-s', '')),
          head: optional(fc.array(cell, { maxLength: 5 })),
          rows: fc.array(fc.option(fc.array(cell, { maxLength: 5 }), { nil: undefined }), { maxLength: 6 }),
        }),
        (params) => {
          assert.equal(tight(govukTableHtml(params)), tight(byTheMacro(params)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('escapes a family’s own words in a cell, so a payee name can never become markup', () => {
    const html = govukTableHtml({ rows: [[{ text: '<script>alert(1)</script>' }]] });
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});
