/**
 * Which page of a list to show: the one asked for (from 1), or the last when it asks beyond the end
 * (an old link, a typed address, a list that shrank) — rather than an empty page. One rule for every
 * paged list.
 */
export interface PageWindow {
  readonly page: number;
  readonly pageCount: number;
  /** Rows before this page. */
  readonly offset: number;
}

export function pageWindow(requested: number, total: number, pageSize: number): PageWindow {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requested), pageCount);
  return { page, pageCount, offset: (page - 1) * pageSize };
}
