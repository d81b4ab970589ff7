/**
 * The fixed, documented demo staff accounts: the same nine accounts in each demo council, all signing
 * in with DEMO_PASSWORD, plus one new starter in Northam who has not set up an authenticator app
 * yet. The seed adds about ten generated caseworkers per council besides these.
 */
import type { StaffRole } from '../db/schema.ts';

export const DEMO_PASSWORD = 'onebudget-demo-2026';

/**
 * The published demo TOTP secret (base32, 20 bytes). In demo mode only (DEMO_DATA on and not
 * production), every demo staff account except the new starter is seeded with this authenticator
 * secret, so anyone can compute its codes, and the sign-in pages show the current code with a
 * banner saying so. It is public: it must never protect a real account.
 */
export const DEMO_TOTP_SECRET = 'ONEBUDGETDEMOTOTPSECRETPUBLISHED';

export const DEMO_COUNCIL_SLUGS = ['northam', 'southby'] as const;
export type DemoCouncilSlug = (typeof DEMO_COUNCIL_SLUGS)[number];

export interface DemoAccount {
  readonly email: string;
  readonly councilSlug: DemoCouncilSlug;
  readonly role: StaffRole;
  readonly displayName: string;
  readonly jobTitle: string;
  readonly team: string;
  readonly approvalLimitPence: bigint | null;
  /** Seeded with the demo authenticator secret (in demo mode); false: sets one up at first sign-in. */
  readonly mfaEnrolled: boolean;
}

interface AccountTemplate {
  readonly mailbox: string;
  readonly role: StaffRole;
  readonly jobTitle: string;
  readonly team: string;
  readonly approvalLimitPence: bigint | null;
}

const TEMPLATES: readonly AccountTemplate[] = [
  { mailbox: 'caseworker', role: 'caseworker', jobTitle: 'SEND caseworker', team: 'SEND team', approvalLimitPence: null },
  {
    mailbox: 'socialworker',
    role: 'caseworker',
    jobTitle: 'Social worker',
    team: 'Adult social care community team',
    approvalLimitPence: null,
  },
  { mailbox: 'approver', role: 'approver', jobTitle: 'Team manager', team: 'SEND team', approvalLimitPence: 500_000n },
  {
    mailbox: 'groupmanager',
    role: 'approver',
    jobTitle: 'Group manager',
    team: 'SEND and disabilities service',
    approvalLimitPence: 2_000_000n,
  },
  {
    mailbox: 'headofservice',
    role: 'approver',
    jobTitle: 'Head of service',
    team: 'SEND and disabilities service',
    approvalLimitPence: 25_000_000n,
  },
  {
    mailbox: 'finance',
    role: 'finance_officer',
    jobTitle: 'Finance officer',
    team: 'Personal budgets finance team',
    approvalLimitPence: null,
  },
  {
    mailbox: 'commissioner',
    role: 'commissioner',
    jobTitle: 'Commissioning manager',
    team: 'Joint commissioning team',
    approvalLimitPence: null,
  },
  {
    mailbox: 'admin',
    role: 'administrator',
    jobTitle: 'System administrator',
    team: 'Digital and systems team',
    approvalLimitPence: null,
  },
  // The second finance officer a payment run above the council's threshold needs (issue 6).
  {
    mailbox: 'financemanager',
    role: 'finance_officer',
    jobTitle: 'Finance manager',
    team: 'Personal budgets finance team',
    approvalLimitPence: null,
  },
];

/** Display names per council, in the order of TEMPLATES. */
const NAMES: Readonly<Record<DemoCouncilSlug, readonly string[]>> = {
  northam: [
    'Priya Shah',
    'Daniel Okafor',
    'Helen Marsh',
    'Tom Whitfield',
    'Angela Brennan',
    'Marcus Reid',
    'Fatima Hussain',
    'Gareth Lloyd',
    'Nadia Kowalski',
  ],
  southby: [
    'Emma Clarke',
    'Joseph Mensah',
    'Rachel Pike',
    'Simon Hargreaves',
    'Lesley Crowther',
    'Aisha Rahman',
    'Owen Price',
    'Karen Wallis',
    'Peter Adeyemi',
  ],
};

/** A caseworker who has just joined: signs in for the first time and sets up an authenticator app. */
export const NEW_STARTER: DemoAccount = {
  email: 'newstarter@northam.example',
  councilSlug: 'northam',
  role: 'caseworker',
  displayName: 'Jordan Ellis',
  jobTitle: 'SEND caseworker (new starter)',
  team: 'SEND team',
  approvalLimitPence: null,
  mfaEnrolled: false,
};

export function demoAccounts(): readonly DemoAccount[] {
  const accounts: DemoAccount[] = [];
  for (const councilSlug of DEMO_COUNCIL_SLUGS) {
    TEMPLATES.forEach((template, index) => {
      accounts.push({
        email: `${template.mailbox}@${councilSlug}.example`,
        councilSlug,
        role: template.role,
        displayName: NAMES[councilSlug][index] ?? template.jobTitle,
        jobTitle: template.jobTitle,
        team: template.team,
        approvalLimitPence: template.approvalLimitPence,
        mfaEnrolled: true,
      });
    });
  }
  accounts.push(NEW_STARTER);
  return accounts;
}
