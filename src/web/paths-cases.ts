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
};
