/** Every repository bound to one council-scoped transaction. */
import type { TenantTx } from '../tenancy.ts';
import { auditRepository } from './audit.ts';
import { fundingStreamsRepository } from './funding-streams.ts';
import { localOfferRepository } from './local-offer.ts';
import { mfaRepository } from './mfa.ts';
import { pendingSignInsRepository } from './pending-sign-ins.ts';
import { peopleRepository } from './people.ts';
import { personAccessRepository } from './person-access.ts';
import { sessionsRepository } from './sessions.ts';
import { accountsRepository } from './accounts.ts';
import { credentialsRepository } from './credentials.ts';
import { invitationsRepository } from './invitations.ts';
import { passwordResetsRepository } from './password-resets.ts';
import { apiTokensRepository } from './api-tokens.ts';
import { oidcLinksRepository } from './oidc-links.ts';
import { allocationRepository } from './allocation.ts';
import { casesRepository } from './cases.ts';
import { plansRepository } from './plans.ts';
import { signOffRepository } from './sign-off.ts';
import { ledgerRepository } from './ledger.ts';

export function repositories(tx: TenantTx) {
  return {
    audit: auditRepository(tx),
    fundingStreams: fundingStreamsRepository(tx),
    localOffer: localOfferRepository(tx),
    mfa: mfaRepository(tx),
    pendingSignIns: pendingSignInsRepository(tx),
    people: peopleRepository(tx),
    personAccess: personAccessRepository(tx),
    sessions: sessionsRepository(tx),
    accounts: accountsRepository(tx),
    credentials: credentialsRepository(tx),
    invitations: invitationsRepository(tx),
    passwordResets: passwordResetsRepository(tx),
    apiTokens: apiTokensRepository(tx),
    oidcLinks: oidcLinksRepository(tx),
    allocation: allocationRepository(tx),
    cases: casesRepository(tx),
    plans: plansRepository(tx),
    signOff: signOffRepository(tx),
    ledger: ledgerRepository(tx),
  };
}

export type Repositories = ReturnType<typeof repositories>;
