/** Typed path builders: every link and redirect is made here, never by joining strings in a page. */
const enc = encodeURIComponent;

export const paths = {
  home: () => '/',
  accessibility: () => '/accessibility',
  privacy: () => '/privacy',
  /** The sign-in page; `timedOut` says the 5 minutes for the second factor ran out. */
  signIn: (query?: { returnTo?: string; timedOut?: boolean; signedOutEverywhere?: boolean }) => {
    const params = new URLSearchParams();
    if (query?.returnTo) params.set('returnTo', query.returnTo);
    if (query?.timedOut) params.set('timedOut', 'yes');
    if (query?.signedOutEverywhere) params.set('signedOutEverywhere', 'yes');
    const text = params.toString();
    return text === '' ? '/sign-in' : `/sign-in?${text}`;
  },
  signInAuthenticatorCode: () => '/sign-in/authenticator-code',
  signInRecoveryCode: () => '/sign-in/recovery-code',
  signInSetUpAuthenticator: () => '/sign-in/set-up-authenticator',
  signOut: () => '/sign-out',
  account: {
    show: () => '/account',
    signOutEverywhere: () => '/account/sign-out-everywhere',
  },
  /** A family's or provider's people. */
  myPeople: () => '/my-people',
  health: () => '/healthz',
  ready: () => '/readyz',
  people: {
    index: (query?: { stage?: string; q?: string; mine?: boolean; page?: number }) => {
      const params = new URLSearchParams();
      if (query?.q) params.set('q', query.q);
      if (query?.stage) params.set('stage', query.stage);
      if (query?.mine) params.set('mine', 'yes');
      if (query?.page !== undefined && query.page > 1) params.set('page', String(query.page));
      const text = params.toString();
      return text === '' ? '/people' : `/people?${text}`;
    },
    show: ({ personId }: { personId: string }) => `/people/${enc(personId)}`,
    subjectAccess: ({ personId }: { personId: string }) => `/people/${enc(personId)}/subject-access`,
    whoHasLooked: ({ personId }: { personId: string }) => `/people/${enc(personId)}/who-has-looked`,
  },
  audit: {
    index: (query = '') => `/audit${query}`,
    export: (query = '') => `/audit/export.csv${query}`,
  },
  council: {
    home: ({ slug }: { slug: string }) => `/c/${enc(slug)}`,
    localOffer: ({ slug, category }: { slug: string; category?: string }) =>
      `/c/${enc(slug)}/local-offer${category ? `?category=${enc(category)}` : ''}`,
  },
  api: {
    openapi: () => '/api/v1/openapi.json',
  },
} as const;
