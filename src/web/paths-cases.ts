/** Typed paths of cases, the caseload and the statutory pathway (issue 5). Spread into `paths.cases`. */
const enc = encodeURIComponent;

export interface CaseloadLinkQuery {
  readonly scope?: string | undefined;
  readonly state?: string | undefined;
  readonly caseType?: string | undefined;
  readonly stage?: string | undefined;
  readonly q?: string | undefined;
  readonly sort?: string | undefined;
  readonly page?: number | undefined;
}

/** A report period as the timeliness form's date inputs send it (from-day, from-month, from-year...). */
function periodQuery(period: { from?: string | undefined; to?: string | undefined }): string {
  const params = new URLSearchParams();
  for (const name of ['from', 'to'] as const) {
    const [year, month, day] = (period[name] ?? '').split('-');
    if (year === undefined || month === undefined || day === undefined) continue;
    params.set(`${name}-day`, String(Number(day)));
    params.set(`${name}-month`, String(Number(month)));
    params.set(`${name}-year`, year);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export const casePaths = {
  /** The caseload, with its filters (the defaults are left out of the address). */
  caseload: (query: CaseloadLinkQuery = {}) => {
    const params = new URLSearchParams();
    if (query.scope !== undefined && query.scope !== '' && query.scope !== 'mine') params.set('scope', query.scope);
    if (query.state) params.set('state', query.state);
    if (query.caseType) params.set('caseType', query.caseType);
    if (query.stage) params.set('stage', query.stage);
    if (query.q) params.set('q', query.q);
    if (query.sort !== undefined && query.sort !== '' && query.sort !== 'due') params.set('sort', query.sort);
    if (query.page !== undefined && query.page > 1) params.set('page', String(query.page));
    const text = params.toString();
    return text === '' ? '/cases' : `/cases?${text}`;
  },
  /** One case: its deadlines and its timeline. */
  show: ({ caseId }: { caseId: string }) => `/cases/${enc(caseId)}`,
  /** Open a case for a person. */
  open: ({ personId }: { personId: string }) => `/people/${enc(personId)}/cases/new`,
  /** Record one kind of step on a case. */
  step: ({ caseId, kind }: { caseId: string; kind: string }) => `/cases/${enc(caseId)}/steps/${enc(kind)}`,
  /** The EHC plan timeliness report for a period ('YYYY-MM-DD' dates; the last 12 months when left out). */
  timeliness: (period: { from?: string | undefined; to?: string | undefined } = {}) => `/cases/timeliness${periodQuery(period)}`,
  /** The same report's figures by month, as a spreadsheet (CSV). */
  timelinessCsv: (period: { from?: string | undefined; to?: string | undefined } = {}) => `/cases/timeliness.csv${periodQuery(period)}`,
};
