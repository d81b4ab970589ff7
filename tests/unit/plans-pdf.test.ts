/** The support plan PDF: produced, tagged (structure tree, en-GB, title) and showing Section J's figures. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planPdf } from '../../src/web/documents/plan-pdf.ts';
import { planTotals } from '../../src/domain/plans/costs.ts';
import { EMPTY_CONTENT } from '../../src/domain/plans/json.ts';
import type { PlanContent } from '../../src/domain/plans/content.ts';
import { formatPence } from '../../src/domain/money/money.ts';

/** The text drawn: pdfkit writes it uncompressed as hex strings in WinAnsiEncoding (Windows-1252) inside TJ arrays. */
function drawnText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const parts: string[] = [];
  for (const array of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    for (const hex of (array[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)) {
      const bytes = Buffer.from(hex[1] ?? '', 'hex');
      parts.push(bytes.toString('latin1'));
    }
  }
  return parts.join('');
}

const content: PlanContent = {
  ...EMPTY_CONTENT,
  items: [
    { id: 'a', description: 'Personal assistant', provider: 'Jo', unitCostPence: 1550n, quantity: 6, frequency: 'weekly', stream: 'social_care', management: 'direct_payment', outcomeIds: [], paysPersonalAssistant: true },
    { id: 'b', description: 'Speech therapy', provider: '', unitCostPence: 6000n, quantity: 1, frequency: 'monthly', stream: 'education_high_needs', management: 'council_managed', outcomeIds: [], paysPersonalAssistant: false },
  ],
  contingency: { amountPence: 25000n, purpose: 'Cover when Jo is ill' },
  moneyManager: { kind: 'parent_carer', name: 'Sam Parent' },
};

describe('the support plan PDF', () => {
  it('is a tagged PDF in English with the plan’s title', async () => {
    const totals = planTotals(content, { social_care: 500000n });
    const pdf = await planPdf({ plan: { status: 'draft', person: { name: 'Alex Example', reference: 'P-1' } }, shown: { version: 3, content }, totals }, { compress: false });
    const source = pdf.toString('latin1');
    assert.ok(source.startsWith('%PDF-1.7'));
    assert.match(source, /\/StructTreeRoot/);
    assert.match(source, /\/Lang \(en-GB\)/);
    assert.match(source, /\/Marked true/);
    const titleRef = /\/Title (\d+) 0 R/.exec(source)?.[1];
    assert.ok(titleRef !== undefined, 'a Title in the document information');
    assert.match(source, new RegExp(`\\n${titleRef} 0 obj\\s*\\(Support plan for Alex Example\\)`));
    assert.match(source, /\/DisplayDocTitle true/);
  });
  it('shows Section J: amounts by stream and way of managing, the total and who manages the direct payment', async () => {
    const totals = planTotals(content, { social_care: 500000n });
    const pdf = await planPdf({ plan: { status: 'draft', person: { name: 'Alex Example', reference: 'P-1' } }, shown: { version: 3, content }, totals }, { compress: false });
    const text = drawnText(pdf);
    assert.ok(text.includes('Section J: the personal budget'));
    assert.ok(text.includes(`Social care: ${formatPence(483600n)} a year`), 'social care stream');
    assert.ok(text.includes(`Education, managed by the council: ${formatPence(72000n)} a year`), 'education, council managed');
    assert.ok(text.includes(`Social care, direct payment: ${formatPence(483600n)} a year`), 'social care, direct payment');
    assert.ok(text.includes(`Total: ${formatPence(483600n + 72000n + 25000n)} a year.`), 'total with contingency');
    assert.ok(text.includes('Who manages a direct payment: A parent carer, Sam Parent.'));
  });
});
