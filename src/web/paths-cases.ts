/** Typed paths of cases, the caseload and the statutory pathway (issue 5). Spread into `paths.cases`. */
const enc = encodeURIComponent;

export const casePaths = {
  /** The caseload. */
  caseload: () => '/cases',
  /** One case: its deadlines and its timeline. */
  show: ({ caseId }: { caseId: string }) => `/cases/${enc(caseId)}`,
};
