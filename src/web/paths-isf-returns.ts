/** Typed paths of individual service fund returns (issue 6). Spread into `paths.isfReturns`. */
const enc = encodeURIComponent;

export const isfReturnPaths = {
  /** The provider user's quarters, each with its return's status. */
  quarters: () => '/isf-returns',
  /** One ended quarter for the provider: the form, or the return already sent. `submitted` shows the success banner. */
  quarter: ({ quarterStartsOn }: { quarterStartsOn: string }, query?: { submitted?: boolean }) =>
    `/isf-returns/${enc(quarterStartsOn)}${query?.submitted === true ? '?submitted=yes' : ''}`,
  /** Finance: every quarter's returns by provider. */
  overview: () => '/finance/isf-returns',
  /** Finance: one provider's return for one quarter, compared with the ledger, with who is missing. */
  review: ({ quarterStartsOn, providerId }: { quarterStartsOn: string; providerId: string }) => `/finance/isf-returns/${enc(quarterStartsOn)}/${enc(providerId)}`,
};
