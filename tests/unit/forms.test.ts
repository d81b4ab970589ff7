import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDateInput } from '../../src/web/forms/date-input.ts';
import { auditCsv } from '../../src/web/pages/audit/presenters.ts';

describe('a GOV.UK date input', () => {
  it('reads a real date, with or without leading zeros', () => {
    assert.deepEqual(parseDateInput({ day: '7', month: '3', year: '2026' }, 'Date'), { ok: true, date: '2026-03-07' });
    assert.deepEqual(parseDateInput({ day: '29', month: '02', year: '2028' }, 'Date'), { ok: true, date: '2028-02-29' });
  });

  it('treats three empty fields as no date', () => {
    assert.deepEqual(parseDateInput({ day: '', month: '', year: '' }, 'Date'), { ok: true, date: undefined });
  });

  it('says which part is missing, and highlights only that part', () => {
    assert.deepEqual(parseDateInput({ day: '1', month: '', year: '2026' }, 'The start date'), {
      ok: false,
      message: 'The start date must include a month',
      fields: ['month'],
    });
  });

  it('refuses dates that do not exist', () => {
    for (const [day, month, year] of [['29', '2', '2026'], ['31', '4', '2026'], ['0', '1', '2026'], ['1', '13', '2026'], ['1', '1', '26'], ['x', '1', '2026']]) {
      const result = parseDateInput({ day: day ?? '', month: month ?? '', year: year ?? '' }, 'Date');
      assert.equal(result.ok, false, `${day}/${month}/${year}`);
    }
  });
});

describe('the audit CSV', () => {
  it('keeps spreadsheet programs from running text as a formula', () => {
    const csv = auditCsv([
      {
        seq: 1n,
        occurredAt: new Date('2026-11-20T10:00:00Z'),
        actorName: '=HYPERLINK("http://evil.example")',
        actorEmail: null,
        actorRole: null,
        action: 'test',
        subjectType: null,
        subjectId: null,
        subjectLabel: null,
        sourceAddress: null,
        requestId: null,
        reason: '+1 unexpected',
        detail: null,
        hash: 'abc',
      },
    ]);
    assert.match(csv, /"'=HYPERLINK\(""http:\/\/evil\.example""\)"/);
    assert.match(csv, /'\+1 unexpected/);
  });
});
