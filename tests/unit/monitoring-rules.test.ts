/** The small rules the monitoring service adds around the pure monitoring domain: due dates, the regular payment, receipts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { receiptTypeOf, statementText } from '../../src/services/monitoring.ts';
import { quarterEnds, typicalInstalment } from '../../src/domain/monitoring/returns.ts';

describe('monitoring rules', () => {
  it('expects a return at the end of each quarter from the budget start, the last one on the budget’s last day', () => {
    assert.deepEqual(quarterEnds('2026-04-01', '2027-03-31'), ['2026-06-30', '2026-09-30', '2026-12-31', '2027-03-31']);
    assert.deepEqual(quarterEnds('2026-11-19', '2027-11-18'), ['2027-02-18', '2027-05-18', '2027-08-18', '2027-11-18']);
    // A short budget: one return, on its last day.
    assert.deepEqual(quarterEnds('2026-04-01', '2026-05-15'), ['2026-05-15']);
  });

  it('takes the most common instalment as the regular payment, ignoring a pro-rata first one and cuts', () => {
    assert.equal(typicalInstalment([12_345n, 40_000n, 40_000n, 40_000n, -500n]), 40_000n);
    assert.equal(typicalInstalment([30_000n, 40_000n]), 40_000n, 'a tie goes to the larger, in the holder’s favour');
    assert.equal(typicalInstalment([]), null);
  });

  it('accepts a receipt by what its bytes are, never by its name: JPEG, PNG and PDF only', () => {
    assert.equal(receiptTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0])), 'image/jpeg');
    assert.equal(receiptTypeOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'image/png');
    assert.equal(receiptTypeOf(Buffer.from('%PDF-1.7\n')), 'application/pdf');
    assert.equal(receiptTypeOf(Buffer.from('<html><script>')), null);
    assert.equal(receiptTypeOf(Buffer.from('GIF89a')), null);
  });

  it('reads a statement saved as UTF-8 or as Excel’s Windows-1252 CSV without losing the pound sign', () => {
    assert.equal(statementText(Buffer.from('amount\n£12.50\n', 'utf8')), 'amount\n£12.50\n');
    assert.equal(statementText(Buffer.from([0x61, 0x0a, 0xa3, 0x31])), 'a\n£1');
  });
});
