/** Typed path builders: every link and redirect is made here, never by joining strings in a page. */
import { casePaths } from './paths-cases.ts';
import { planPaths } from './paths-plans.ts';
import { signOffPaths } from './paths-sign-off.ts';
import { paymentPaths } from './paths-payments.ts';
import { statementPaths } from './paths-statements.ts';
import { isfReturnPaths } from './paths-isf-returns.ts';
import { monitoringPaths } from './paths-monitoring.ts';

const enc = encodeURIComponent;

export const paths = {
  /** Cases, the caseload and the statutory pathway (issue 5). */
  cases: casePaths,
  /** Support plans and co-production (issue 5). */
  plans: planPaths,
  /** Sign-off, the family's agreement and the personal budget (issue 5). */
  signOff: signOffPaths,
  /** Payment runs and payees' bank details (issue 6). */
  payments: paymentPaths,
  /** Statements and the finance budget totals (issue 6). */
  statements: statementPaths,
  /** Individual service fund returns: providers send them, finance compares them with the ledger (issue 6). */
  isfReturns: isfReturnPaths,
  /** Direct payment monitoring, recoveries and the council's money settings (issue 6). */
  monitoring: monitoringPaths,
  home: () => '/',
  /** Money (issue 6): the way in to payment runs, monitoring, recoveries, ISF returns, totals and settings. */
  money: () => '/money',
  accessibility: () => '/accessibility',
  privacy: () => '/privacy',
  /** The sign-in page; `timedOut` says the 5 minutes for the second factor ran out. */
  signIn: (query?: { returnTo?: string; timedOut?: boolean; signedOutEverywhere?: boolean; passwordChanged?: boolean; sessionEnded?: boolean }) => {
    const params = new URLSearchParams();
    if (query?.returnTo) params.set('returnTo', query.returnTo);
    if (query?.sessionEnded) params.set('sessionEnded', 'yes');
    if (query?.timedOut) params.set('timedOut', 'yes');
    if (query?.signedOutEverywhere) params.set('signedOutEverywhere', 'yes');
    if (query?.passwordChanged) params.set('passwordChanged', 'yes');
    const text = params.toString();
    return text === '' ? '/sign-in' : `/sign-in?${text}`;
  },
  signInAuthenticatorCode: () => '/sign-in/authenticator-code',
  signInRecoveryCode: () => '/sign-in/recovery-code',
  signInSetUpAuthenticator: () => '/sign-in/set-up-authenticator',
  /** Staff single sign-on: off to the council's identity provider, and back. */
  signInOidc: (query?: { returnTo?: string }) => (query?.returnTo ? `/sign-in/oidc?returnTo=${enc(query.returnTo)}` : '/sign-in/oidc'),
  signInOidcCallback: () => '/sign-in/oidc/callback',
  signOut: () => '/sign-out',
  account: {
    show: () => '/account',
    signOutEverywhere: () => '/account/sign-out-everywhere',
    changePassword: () => '/account/password',
  },
  /** Forgotten passwords: ask for a link by email, then choose a new password with it. */
  passwordReset: {
    request: () => '/password-reset',
    withLink: ({ token }: { token: string }) => `/password-reset/${enc(token)}`,
  },
  /** Invitations for family and provider users: sent by staff, accepted by the link in the email. */
  invitations: {
    inviteFamily: ({ personId }: { personId: string }) => `/people/${enc(personId)}/invite-family`,
    inviteProvider: () => '/accounts/invite-provider',
    accept: ({ token }: { token: string }) => `/invitations/${enc(token)}`,
  },
  /** Re-enter a code from the authenticator app before a high-value action. */
  stepUp: (query?: { returnTo?: string }) => (query?.returnTo ? `/step-up?returnTo=${enc(query.returnTo)}` : '/step-up'),
  /** Administrators' account management. */
  accountAdmin: {
    index: (query?: { q?: string; kind?: string; page?: number }) => {
      const params = new URLSearchParams();
      if (query?.q) params.set('q', query.q);
      if (query?.kind) params.set('kind', query.kind);
      if (query?.page !== undefined && query.page > 1) params.set('page', String(query.page));
      const text = params.toString();
      return text === '' ? '/accounts' : `/accounts?${text}`;
    },
    show: ({ accountId }: { accountId: string }) => `/accounts/${enc(accountId)}`,
    change: ({ accountId, change }: { accountId: string; change: 'disable' | 'enable' | 'reset-authenticator' }) =>
      `/accounts/${enc(accountId)}/${change}`,
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
    namedWorkers: ({ personId }: { personId: string }) => `/people/${enc(personId)}/named-workers`,
  },
  audit: {
    index: (query = '') => `/audit${query}`,
    export: (query = '') => `/audit/export.csv${query}`,
  },
  /** Administrators: API tokens for machine clients. `revoked` names a token just revoked. */
  apiTokens: {
    index: (query?: { revoked?: string }) => (query?.revoked ? `/api-tokens?revoked=${enc(query.revoked)}` : '/api-tokens'),
    new: () => '/api-tokens/new',
    revoke: ({ tokenId }: { tokenId: string }) => `/api-tokens/${enc(tokenId)}/revoke`,
  },
  /**
   * Resource allocation (issue 4). A person's questionnaire and indicative budget live under their
   * record; the council's models, exceptional cases, calibration and what-if runs under /allocation.
   */
  allocation: {
    /**
     * A person's indicative budget: the questionnaire in progress and the result (the latest, or
     * `result`); `submitted` shows the banner that says the questionnaire has just been submitted.
     */
    person: ({ personId }: { personId: string }, query?: { result?: string; submitted?: boolean }) => {
      const params = new URLSearchParams();
      if (query?.result) params.set('result', query.result);
      if (query?.submitted) params.set('submitted', 'yes');
      const text = params.toString();
      return `/people/${enc(personId)}/allocation${text === '' ? '' : `?${text}`}`;
    },
    /** POST: start the questionnaire (or resume the one in progress). */
    start: ({ personId }: { personId: string }) => `/people/${enc(personId)}/allocation/start`,
    /** One question page; an unknown question goes to the next unanswered one. `returnTo: 'check'` goes back to check your answers after saving. */
    question: ({ personId, questionId }: { personId: string; questionId: string }, query?: { returnTo?: 'check' }) =>
      `/people/${enc(personId)}/allocation/questions/${enc(questionId)}${query?.returnTo === 'check' ? '?returnTo=check' : ''}`,
    /** Check your answers, then submit (POST). */
    checkAnswers: ({ personId }: { personId: string }) => `/people/${enc(personId)}/allocation/check-answers`,
    /** The explanation as an accessible PDF. */
    pdf: ({ personId }: { personId: string }, query?: { result?: string }) =>
      `/people/${enc(personId)}/allocation/indicative-budget.pdf${query?.result ? `?result=${enc(query.result)}` : ''}`,
    /** The worker asks the exceptional cases panel to decide the amount. */
    requestException: ({ personId }: { personId: string }) => `/people/${enc(personId)}/allocation/exceptional-case`,
    /** Approvers: requests waiting for a decision, and one request. */
    exceptions: () => '/allocation/exceptional-cases',
    exception: ({ requestId }: { requestId: string }) => `/allocation/exceptional-cases/${enc(requestId)}`,
    /** Administrators: model versions. */
    models: () => '/allocation/models',
    newDraft: () => '/allocation/models/new',
    /** `done` names the action just finished, for its success banner. */
    model: ({ version }: { version: number }, query?: { done?: 'started' | 'saved' | 'published' }) =>
      `/allocation/models/${version}${query?.done ? `?done=${enc(query.done)}` : ''}`,
    editModel: ({ version }: { version: number }) => `/allocation/models/${version}/edit`,
    preview: ({ version }: { version: number }) => `/allocation/models/${version}/preview`,
    publish: ({ version }: { version: number }) => `/allocation/models/${version}/publish`,
    exportModel: ({ version }: { version: number }) => `/allocation/models/${version}/model.json`,
    /** The JSON Schema of a model file (docs/ras-model.schema.json). */
    modelSchema: () => '/allocation/models/schema.json',
    /** Administrators and commissioners: calibration test groups, what-if impact runs, the overrides report. */
    calibration: () => '/allocation/calibration',
    calibrationGroup: ({ groupId }: { groupId: string }, query?: { version?: number; tolerance?: number }) => {
      const params = new URLSearchParams();
      if (query?.version !== undefined) params.set('version', String(query.version));
      if (query?.tolerance !== undefined) params.set('tolerance', String(query.tolerance));
      const text = params.toString();
      return `/allocation/calibration/${enc(groupId)}${text === '' ? '' : `?${text}`}`;
    },
    /** A blank test group CSV for the published model's streams: points (default) or ages and answers. */
    calibrationTemplate: (query?: { input?: 'answers' }) => `/allocation/calibration/template.csv${query?.input === 'answers' ? '?input=answers' : ''}`,
    impact: () => '/allocation/impact',
    impactRun: ({ runId }: { runId: string }) => `/allocation/impact/${enc(runId)}`,
    overrides: () => '/allocation/overrides',
  },
  council: {
    home: ({ slug }: { slug: string }) => `/c/${enc(slug)}`,
    /** The published allocation model, for anyone. */
    allocation: ({ slug }: { slug: string }) => `/c/${enc(slug)}/allocation`,
    localOffer: ({ slug, category }: { slug: string; category?: string }) =>
      `/c/${enc(slug)}/local-offer${category ? `?category=${enc(category)}` : ''}`,
  },
  api: {
    openapi: () => '/api/v1/openapi.json',
  },
} as const;
