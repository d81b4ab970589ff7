import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { paginationOf, showingText, type PaginationItem } from '../../src/web/pagination.ts';
import { pageWindow } from '../../src/services/paging.ts';

const link = (n: number) => `/list?page=${n}`;
const numbers = (items: readonly PaginationItem[]) => items.map((i) => ('ellipsis' in i ? '…' : i.number));

describe('paging through a long list', () => {
  it('shows nothing when everything fits on one page', () => {
    assert.equal(paginationOf(1, 1, link), undefined);
    assert.equal(paginationOf(1, 0, link), undefined);
  });

  it('shows the first and last pages, the pages either side of this one, and an ellipsis for each gap', () => {
    assert.deepEqual(numbers(paginationOf(1, 2, link)?.items ?? []), [1, 2]);
    assert.deepEqual(numbers(paginationOf(5, 10, link)?.items ?? []), [1, '…', 4, 5, 6, '…', 10]);
    assert.deepEqual(numbers(paginationOf(1, 10, link)?.items ?? []), [1, 2, '…', 10]);
    assert.deepEqual(numbers(paginationOf(3, 10, link)?.items ?? []), [1, 2, 3, 4, '…', 10]);
    const p = paginationOf(2, 3, link);
    assert.deepEqual(p?.previous, { href: '/list?page=1' });
    assert.deepEqual(p?.next, { href: '/list?page=3' });
  });

  it('for any page of any list: pages in order, this page marked once, no two gaps together, previous and next only where there is one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 500 }).chain((count) => fc.tuple(fc.integer({ min: 1, max: count }), fc.constant(count))), ([page, count]) => {
        const p = paginationOf(page, count, link);
        assert.ok(p !== undefined);
        const shown = p.items.flatMap((i) => ('ellipsis' in i ? [] : [i]));
        assert.deepEqual(shown.filter((i) => i.current).map((i) => i.number), [page]);
        assert.ok(shown.every((i, k) => k === 0 || i.number > (shown[k - 1]?.number ?? 0)));
        assert.equal(shown[0]?.number, 1);
        assert.equal(shown.at(-1)?.number, count);
        assert.ok(shown.every((i) => i.href === link(i.number)));
        p.items.forEach((item, k) => {
          if (!('ellipsis' in item)) return;
          const before = p.items[k - 1];
          const after = p.items[k + 1];
          assert.ok(before !== undefined && after !== undefined && !('ellipsis' in before) && !('ellipsis' in after));
          assert.ok(after.number - before.number > 1, 'a gap stands for at least one page');
        });
        shown.forEach((item, k) => {
          const next = shown[k + 1];
          if (next !== undefined && next.number - item.number > 1) assert.ok('ellipsis' in (p.items[p.items.indexOf(item) + 1] ?? {}), 'every gap is marked');
        });
        assert.equal(p.previous?.href, page > 1 ? link(page - 1) : undefined);
        assert.equal(p.next?.href, page < count ? link(page + 1) : undefined);
        assert.ok(p.items.length <= 7, 'never more than seven items, however long the list');
      }),
    );
  });

  it('says which part of the list a page holds', () => {
    assert.equal(showingText(1, 50, 1, 'person', 'people'), '1 person');
    assert.equal(showingText(1, 50, 50, 'person', 'people'), '50 people');
    assert.equal(showingText(1, 50, 0, 'person', 'people'), '0 people');
    assert.equal(showingText(2, 50, 1234, 'person', 'people'), 'Showing 51 to 100 of 1,234 people');
    assert.equal(showingText(25, 50, 1234, 'person', 'people'), 'Showing 1,201 to 1,234 of 1,234 people');
  });
});

describe('which page of a list a service shows', () => {
  it('shows the page asked for, or the last when asked beyond the end, and never fewer than one page', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 500 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 100 }), (requested, total, pageSize) => {
        const w = pageWindow(requested, total, pageSize);
        assert.equal(w.pageCount, Math.max(1, Math.ceil(total / pageSize)));
        assert.equal(w.page, Math.min(Math.max(1, requested), w.pageCount));
        assert.equal(w.offset, (w.page - 1) * pageSize);
        assert.ok(total === 0 ? w.offset === 0 : w.offset < total, 'the page shown holds someone when anyone is listed');
      }),
    );
  });
});
