/** Typed paths of statements and the finance budget totals (issue 6). Spread into `paths.statements`. */
const enc = encodeURIComponent;

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export const statementPaths = {
  /** A person's live statement; `asOf` an earlier date (YYYY-MM-DD), `page` the page of transactions. */
  person: ({ personId }: { personId: string }, options?: { asOf?: string; page?: number }) =>
    `/people/${enc(personId)}/statement${query({ asOf: options?.asOf, page: options?.page !== undefined && options.page > 1 ? options.page : undefined })}`,
  /** The statement as a spreadsheet (docs/statement-download.md). */
  csv: ({ personId }: { personId: string }, options?: { asOf?: string }) => `/people/${enc(personId)}/statement.csv${query({ asOf: options?.asOf })}`,
  /** The statement as an accessible PDF. */
  pdf: ({ personId }: { personId: string }, options?: { asOf?: string }) => `/people/${enc(personId)}/statement.pdf${query({ asOf: options?.asOf })}`,
  /** Finance: the council's budget totals by funding stream and way of managing, as of a date. */
  financeTotals: () => '/finance/budgets',
};
