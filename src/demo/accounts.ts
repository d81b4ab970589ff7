/**
 * The fixed, documented demo staff accounts: the same eight roles in each demo council, all signing
 * in with DEMO_PASSWORD. The seed adds about ten generated caseworkers per council besides these.
 */
import type { StaffRole } from '../db/schema.ts';

export const DEMO_PASSWORD = 'onebudget-demo-2026';

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
  ],
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
      });
    });
  }
  return accounts;
}
