/** The one wiring point for use cases: `services(deps)` → `buildApp(services)`. */
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { systemRepository } from '../db/system.ts';
import { tenantRunner } from '../db/tenancy.ts';
import { authServices } from './auth.ts';
import { auditServices } from './audit.ts';
import { subjectAccessServices } from './subject-access.ts';
import { councilServices } from './councils.ts';
import { peopleServices } from './people.ts';
import { apiTokenServices } from './api-tokens.ts';
import { namedWorkerServices } from './named-workers.ts';
import { accountAdminServices } from './account-admin.ts';
import { secretBox } from './secret-box.ts';
import { invitationServices, type MailLinks } from './invitations.ts';
import { passwordChangeServices } from './password-changes.ts';
import { memoryMailer, type Mailer } from './mail/mailer.ts';
import { absoluteLink } from './mail/wording.ts';
import { paths } from '../web/paths.ts';
import { oidcServices, type OidcServices } from './oidc.ts';
import { allocationServices } from './allocation.ts';
import { allocationAnalysisServices } from './allocation-analysis.ts';
import { caseServices } from './cases.ts';
import { timelinessServices } from './timeliness.ts';
import { planServices } from './plans.ts';
import { signOffServices } from './sign-off.ts';
import { ledgerServices } from './ledger.ts';
import { monitoringServices } from './monitoring.ts';
import { recoveryServices } from './recoveries.ts';
import { isfReturnServices } from './isf-returns.ts';
import { statementServices } from './statements.ts';
import { paymentRunServices, type PaymentRunQueue } from './payment-runs.ts';
import { budgetSetUpServices } from './budget-set-up.ts';
import type { OidcConfig } from '../config.ts';

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly sessionIdleMinutes: number;
  /** SESSION_SECRET: the key that encrypts authenticator secrets is derived from it. */
  readonly sessionSecret: string;
  /**
   * Demo mode only (DEMO_DATA on, not production): the published demo TOTP secret, whose codes
   * the sign-in pages then show. Undefined everywhere else.
   */
  readonly demoTotpSecret?: string | undefined;
  /** The name authenticator apps show (MFA_ISSUER). */
  readonly mfaIssuer?: string;
  /** Staff single sign-on (OIDC_*); undefined when it is not set up. */
  readonly oidc?: OidcConfig | undefined;
  /**
   * Where invitations and password reset links are sent (src/services/mail/). main.ts passes the
   * one MAIL_TRANSPORT names; without one, mail is kept in memory and goes nowhere.
   */
  readonly mailer?: Mailer;
  /** PUBLIC_BASE_URL: the absolute address links in mail start with. */
  readonly publicBaseUrl?: string;
  /** Where a background job's failure is reported (main.ts logs it); the job's row records it too. */
  readonly onBackgroundError?: (error: unknown) => void;
  /** Where payment runs send their background job (pg-boss, src/jobs/payment-run.ts); none in tests that call process() themselves. */
  readonly paymentRunQueue?: PaymentRunQueue;
  /** PAYMENT_RUN_BATCH_SIZE: payments posted per database transaction (1,000 by default). */
  readonly paymentRunBatchSize?: number;
}

export function services(deps: ServiceDeps) {
  const system = systemRepository(deps.database.db);
  const withCouncil = tenantRunner(deps.database);
  let oidc: OidcServices | undefined;
  const mailer = deps.mailer ?? memoryMailer();
  const base = deps.publicBaseUrl ?? 'http://127.0.0.1:3000';
  const links: MailLinks = {
    invitation: (token) => absoluteLink(base, paths.invitations.accept({ token })),
    passwordReset: (token) => absoluteLink(base, paths.passwordReset.withLink({ token })),
  };
  const ledger = ledgerServices({ withCouncil, clock: deps.clock });
  const monitoring = monitoringServices({ withCouncil, clock: deps.clock, ledger });
  const budgetSetUp = budgetSetUpServices({ ledger, clock: deps.clock });
  return {
    engine: deps.database.engine,
    clock: deps.clock,
    auth: authServices({
      system,
      withCouncil,
      clock: deps.clock,
      idleMinutes: deps.sessionIdleMinutes,
      secrets: secretBox(deps.sessionSecret),
      issuer: deps.mfaIssuer ?? 'OneBudget',
      demoTotpSecret: deps.demoTotpSecret,
    }),
    audit: auditServices({ withCouncil, clock: deps.clock }),
    councils: councilServices({ system, withCouncil }),
    people: peopleServices({ withCouncil, clock: deps.clock }),
    apiTokens: apiTokenServices({ system, withCouncil, clock: deps.clock }),
    namedWorkers: namedWorkerServices({ withCouncil, clock: deps.clock }),
    accountAdmin: accountAdminServices({ withCouncil, clock: deps.clock }),
    subjectAccess: subjectAccessServices({ withCouncil, clock: deps.clock }),
    invitations: invitationServices({ system, withCouncil, clock: deps.clock, mailer, links }),
    passwords: passwordChangeServices({ system, withCouncil, clock: deps.clock, mailer, links }),
    allocation: allocationServices({ withCouncil, system, clock: deps.clock }),
    allocationAnalysis: allocationAnalysisServices({ withCouncil, system, clock: deps.clock, onRunError: deps.onBackgroundError }),
    cases: caseServices({ withCouncil, system, clock: deps.clock, mailer, links: { case: (caseId) => absoluteLink(base, paths.cases.show({ caseId })) } }),
    timeliness: timelinessServices({ withCouncil, clock: deps.clock }),
    plans: planServices({ withCouncil, clock: deps.clock }),
    signOff: signOffServices({
      withCouncil,
      clock: deps.clock,
      budgetSetUp,
      mailer,
      links: { plan: (planId) => absoluteLink(base, paths.plans.show({ planId })), notice: (refusalId) => absoluteLink(base, paths.signOff.notice({ refusalId })) },
    }),
    ledger,
    monitoring,
    recoveries: recoveryServices({ withCouncil, clock: deps.clock, ledger, monitoring, mailer, links: { notice: (recoveryId) => absoluteLink(base, paths.monitoring.notice({ recoveryId })) } }),
    isfReturns: isfReturnServices({ withCouncil, clock: deps.clock, ledger }),
    statements: statementServices({ withCouncil, clock: deps.clock }),
    paymentRuns: paymentRunServices({ withCouncil, clock: deps.clock, ledger, queue: deps.paymentRunQueue, batchSize: deps.paymentRunBatchSize }),
    /** Made on first use, from the auth services above; one instance, so the provider is discovered once. */
    get oidc(): OidcServices {
      oidc ??= oidcServices({ config: deps.oidc, system, withCouncil, clock: deps.clock, auth: this.auth });
      return oidc;
    },
    health: {
      /** True when the database answers a trivial query. */
      async databaseReady(): Promise<boolean> {
        try {
          await sql`SELECT 1`.execute(deps.database.db);
          return true;
        } catch {
          return false;
        }
      },
    },
  };
}

export type Services = ReturnType<typeof services>;
