/** Typed paths of direct payment monitoring, recoveries and the money settings (issue 6). Spread into `paths.monitoring`. */
const enc = encodeURIComponent;

export const monitoringPaths = {
  /** A person's direct payment spending: returns, lines, flags and recoveries. `done` names what was just recorded. */
  spending: ({ personId }: { personId: string }, done?: 'uploaded' | 'entered' | 'proposed' | 'decided') =>
    done === undefined ? `/people/${enc(personId)}/spending` : `/people/${enc(personId)}/spending?done=${done}`,
  /** Upload a statement CSV (POST). */
  upload: ({ personId }: { personId: string }) => `/people/${enc(personId)}/spending/upload`,
  /** Enter one line of spending, with an optional receipt. */
  enterLine: ({ personId }: { personId: string }) => `/people/${enc(personId)}/spending/line`,
  /** A line's receipt, as a download. */
  receipt: ({ lineId }: { lineId: string }) => `/spending-lines/${enc(lineId)}/receipt`,
  /** Propose recovering surplus. */
  proposeRecovery: ({ personId }: { personId: string }) => `/people/${enc(personId)}/spending/recovery`,
  /** The year-end rollover as of a date (the budget's last day by default). */
  yearEnd: ({ personId }: { personId: string }, asOf?: string) =>
    asOf === undefined ? `/people/${enc(personId)}/spending/year-end` : `/people/${enc(personId)}/spending/year-end?asOf=${enc(asOf)}`,
  /** Recoveries waiting for a decision (finance officers and approvers). */
  waiting: () => '/recoveries',
  /** One recovery: approve or cancel it. */
  recovery: ({ recoveryId }: { recoveryId: string }) => `/recoveries/${enc(recoveryId)}`,
  /** Recording the family's challenge to an approved recovery, and deciding it. */
  recordChallenge: ({ recoveryId }: { recoveryId: string }) => `/recoveries/${enc(recoveryId)}/challenge`,
  /** The family's own challenge, sent from the notice. */
  challenge: ({ recoveryId }: { recoveryId: string }) => `/recoveries/${enc(recoveryId)}/notice/challenge`,
  decideChallenge: ({ recoveryId }: { recoveryId: string }) => `/recoveries/${enc(recoveryId)}/challenge/decision`,
  /** The family's notice of an approved recovery. */
  notice: ({ recoveryId }: { recoveryId: string }) => `/recoveries/${enc(recoveryId)}/notice`,
  /** Finance: people with direct payments and their flags, optionally only those with one kind of flag; `page` from 1. */
  financeList: (query?: { flag?: string; page?: number }) => {
    const params = new URLSearchParams();
    if (query?.flag !== undefined && query.flag !== '') params.set('flag', query.flag);
    if (query?.page !== undefined && query.page > 1) params.set('page', String(query.page));
    const text = params.toString();
    return text === '' ? '/finance/monitoring' : `/finance/monitoring?${text}`;
  },
  /** The council's money settings (administrators). */
  settings: (query?: { saved?: boolean }) => (query?.saved === true ? '/settings/money?saved=yes' : '/settings/money'),
};
