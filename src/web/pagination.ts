/**
 * The GOV.UK pagination component's parameters for a list shown a page at a time: previous and
 * next links, the first and last page, the pages either side of the current one, and an ellipsis
 * for each run of pages left out (https://design-system.service.gov.uk/components/pagination/).
 * One rule for every paged list, so that they all behave alike.
 */
export type PaginationItem = { readonly number: number; readonly href: string; readonly current: boolean } | { readonly ellipsis: true };

export interface Pagination {
  readonly previous: { readonly href: string } | undefined;
  readonly next: { readonly href: string } | undefined;
  readonly items: readonly PaginationItem[];
}

/** `undefined` when there is only one page (nothing to show); `link(n)` is page n's address. */
export function paginationOf(page: number, pageCount: number, link: (n: number) => string): Pagination | undefined {
  if (pageCount <= 1) return undefined;
  const items: PaginationItem[] = [];
  for (let n = 1; n <= pageCount; n++) {
    if (n === 1 || n === pageCount || Math.abs(n - page) <= 1) items.push({ number: n, href: link(n), current: n === page });
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return {
    previous: page > 1 ? { href: link(page - 1) } : undefined,
    next: page < pageCount ? { href: link(page + 1) } : undefined,
    items,
  };
}

/** "Showing 51 to 100 of 1,234 people": what part of the list this page holds. */
export function showingText(page: number, pageSize: number, total: number, one: string, many: string): string {
  const noun = total === 1 ? one : many;
  if (total <= pageSize) return `${total.toLocaleString('en-GB')} ${noun}`;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return `Showing ${first.toLocaleString('en-GB')} to ${last.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} ${noun}`;
}
