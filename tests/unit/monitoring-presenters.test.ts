/**
 * The finance monitoring list and the waiting recoveries say how many restricted records they leave
 * out, in plain English, so an officer knows to ask to be named rather than thinking there are none.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { financeListModel, waitingModel } from '../../src/web/pages/monitoring/presenters.ts';
import type { FinanceList } from '../../src/services/monitoring.ts';

const list = (over: Partial<FinanceList>): FinanceList => ({ rows: [], total: 0, page: 1, pageCount: 1, pageSize: 50, restrictedNotShown: 0, ...over });

describe('monitoring lists and restricted records', () => {
  it('says nothing when no restricted record is left out', () => {
    assert.equal(financeListModel(list({ restrictedNotShown: 0 }), undefined).restrictedNote, '');
    assert.equal(waitingModel({ rows: [], restrictedNotShown: 0 }).restrictedNote, '');
  });

  it('says how many are left out, in the singular and the plural', () => {
    assert.equal(
      financeListModel(list({ restrictedNotShown: 1 }), undefined).restrictedNote,
      '1 direct payment on a restricted record you are not named on is not shown here. An administrator can name you on a record.',
    );
    assert.equal(
      financeListModel(list({ restrictedNotShown: 1200 }), 'surplus').restrictedNote,
      '1,200 direct payments on restricted records you are not named on are not shown here. An administrator can name you on a record.',
    );
    assert.equal(
      waitingModel({ rows: [], restrictedNotShown: 2 }).restrictedNote,
      '2 recoveries on restricted records you are not named on are not shown here. An administrator can name you on a record.',
    );
  });

  it('pages a long list and keeps the filter in every page link', () => {
    const model = financeListModel(list({ total: 120, page: 2, pageCount: 3 }), 'surplus');
    assert.equal(model.resultText, 'Showing 51 to 100 of 120 people');
    assert.deepEqual(model.pagination?.previous, { href: '/finance/monitoring?flag=surplus' });
    assert.deepEqual(model.pagination?.next, { href: '/finance/monitoring?flag=surplus&page=3' });
    assert.equal(financeListModel(list({ total: 7 }), undefined).pagination, undefined, 'one page: no pagination');
    assert.equal(financeListModel(list({ total: 7 }), undefined).resultText, '7 people');
  });
});
