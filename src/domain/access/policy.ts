/**
 * One policy answers "may this actor do this action on this record?". Every route declares its
 * action (see src/web/route-config.ts) and the services ask here before they read or change a record.
 *
 * Three kinds of actor sign in (migration 0004):
 *  - staff, by role, only ever within their own council; a record marked restricted only by the
 *    workers named on it (its lead worker and its named workers);
 *  - family users, only for the people they are linked to (parent carer, the young person themself,
 *    a nominee or suitable person);
 *  - provider users, only for the people whose support their organisation currently holds;
 *  - machine clients with an API token, only the actions of its scopes, never a restricted record.
 * Nobody ever reads across councils.
 */
import type { StaffRole } from '../../db/schema.ts';

interface ActorBase {
  readonly accountId: string;
  readonly councilId: string;
  readonly councilSlug: string;
  readonly councilName: string;
  readonly displayName: string;
}

export interface StaffActor extends ActorBase {
  readonly kind: 'staff';
  readonly role: StaffRole;
}

export interface FamilyActor extends ActorBase {
  readonly kind: 'family';
}

export interface ProviderActor extends ActorBase {
  readonly kind: 'provider';
  readonly providerId: string;
  readonly providerName: string;
}

/**
 * A machine client calling the JSON API with an API token an administrator issued. `accountId` is
 * the token's id and `displayName` its name, so that the audit log names the token. A token may do
 * only the actions in its scopes, never on a restricted record.
 */
export interface ClientActor extends ActorBase {
  readonly kind: 'client';
  readonly scopes: readonly ClientScope[];
}

export type Actor = StaffActor | FamilyActor | ProviderActor | ClientActor;

export type Action =
  /** Search every person of the council (staff). */
  | 'people:list'
  /** The people this account is linked to or supports (family and provider users). */
  | 'my-people:list'
  | 'person:view'
  /** "Who has looked at my record": the accesses to one person's record. */
  | 'person:access-log'
  | 'person:export'
  | 'audit:search'
  /** Invite a family member to see a person's record. */
  | 'person:invite-family'
  /** Name the workers who may open a restricted record. */
  | 'person:name-workers'
  /** Disable accounts, reset a colleague's authenticator, invite provider users. */
  | 'accounts:manage'
  /** Issue and revoke API tokens for machine clients. */
  | 'api-tokens:manage'
  /** Complete a person's allocation questionnaire: a worker with the family, or the family themselves. */
  | 'person:assess'
  /** Ask the exceptional cases panel to decide an indicative budget the cap or the worker finds insufficient. */
  | 'person:request-exception'
  /** Decide exceptional-case requests (an approver; never their own). */
  | 'allocation:decide-exception'
  /** Author, preview, import, export and publish the council's allocation models. */
  | 'allocation-models:manage'
  /** Calibrate a model against a test group, and see a draft's impact before it is published. */
  | 'allocation:analyse'
  /** The caseload: open cases with their deadlines (one's own, the team's, everyone's). */
  | 'cases:list'
  /** The EHC plan timeliness report: plans issued within 20 weeks, with and without exceptions. */
  | 'cases:report'
  /** Open a case for a person and record the steps of its statutory pathway. */
  | 'person:manage-case'
  /** Draft and change a person's support plan; answer the family's comments; submit it for sign-off. */
  | 'person:plan'
  /** Comment on the draft plan, propose changes, and ask for a personal budget (the family). */
  | 'person:comment-plan'
  /** Approve or return a plan within one's delegated limit, or record a panel decision above every limit. */
  | 'plan:approve'
  /** Agree an approved plan: the family, or a worker recording the family's signed agreement. */
  | 'plan:agree'
  /** Refuse or withhold a direct payment, with a reason category and the written notice. */
  | 'plan:refuse-direct-payment'
  /** Record a personal assistant's DBS check (a caseworker) or agree an exception to it (an approver). */
  | 'plan:record-dbs'
  /** Set the council's sign-off tiers. */
  | 'approval-tiers:manage'
  /** Preview, create, authorise (a second finance officer), cancel and follow payment runs; their payment file and remittances. */
  | 'payments:run'
  /** Record the bank account a person's direct payment is paid into. */
  | 'payments:bank-details'
  /** A person's direct payment spending: returns, lines, receipts and flags (finance, and the family). */
  | 'person:spending'
  /** The finance list of direct payments and their monitoring flags. */
  | 'monitoring:list'
  /** Propose recovering surplus (or a year-end recovery) from a direct payment, with reasons. */
  | 'recovery:propose'
  /** Approve or cancel a proposed recovery (never one's own proposal). */
  | 'recovery:decide'
  /** Challenge an approved recovery from its notice, in the family's own words (the family). */
  | 'recovery:challenge'
  /** The council's money settings: payment frequency, thresholds, rollover, categories not allowed. */
  | 'money-settings:manage'
  /** Send the organisation's quarterly individual service fund returns (provider users). */
  | 'isf:submit-return'
  /** See providers' individual service fund returns and their differences from the ledger (finance). */
  | 'isf:review-returns'
  /** A person's live statement: allocated, paid in, spent, balance, contingency, upcoming payments (staff who see people, and the family). */
  | 'person:statement'
  /** Finance detail of money: account names and transaction ids on statements, and the council's budget totals. */
  | 'money:finance-view'
  /** The Money page: the way in to the money pages a person may use. */
  | 'money:hub';

/** The actions an API token can be given. */
export const CLIENT_SCOPES = ['people:list', 'person:view'] as const satisfies readonly Action[];
export type ClientScope = (typeof CLIENT_SCOPES)[number];

/** What the policy needs to know about one person's record. */
export interface PersonAccessFacts {
  readonly councilId: string;
  readonly restricted: boolean;
  readonly leadWorkerId: string | null;
  /** Staff named on the record, besides its lead worker. */
  readonly namedWorkerIds: readonly string[];
  /** Family accounts linked to the person. */
  readonly familyAccountIds: readonly string[];
  /** Providers currently holding some of the person's support. */
  readonly providerIds: readonly string[];
}

type Audience = 'family' | 'provider';

interface Rule {
  readonly staff: readonly StaffRole[];
  /** Family and provider users may do it, for records they are linked to (or, without a record, for their own). */
  readonly others: readonly Audience[];
  /** Staff may do it even on a restricted record they are not named on. */
  readonly ignoresRestriction?: true;
}

const RULES: Readonly<Record<Action, Rule>> = {
  'people:list': { staff: ['caseworker', 'approver', 'finance_officer', 'administrator'], others: [] },
  'my-people:list': { staff: [], others: ['family', 'provider'] },
  'person:view': { staff: ['caseworker', 'approver', 'finance_officer', 'administrator'], others: ['family', 'provider'] },
  // The family's own view of who looked; administrators see the same through the audit log.
  'person:access-log': { staff: ['administrator'], others: ['family'] },
  /**
   * Answering a subject access request is a legal duty (UK GDPR Article 15) that falls to the
   * council as a whole, so an administrator may export even a restricted record, giving the
   * request's reference as the reason, which the audit log keeps.
   */
  'person:export': { staff: ['administrator'], others: [], ignoresRestriction: true },
  'audit:search': { staff: ['administrator'], others: [] },
  'person:invite-family': { staff: ['caseworker', 'administrator'], others: [] },
  // Naming workers on a restricted record is an administrator's decision, whoever is named today.
  'person:name-workers': { staff: ['administrator'], others: [], ignoresRestriction: true },
  'accounts:manage': { staff: ['administrator'], others: [] },
  'api-tokens:manage': { staff: ['administrator'], others: [] },
  // Supported self-assessment: the caseworker completes it with the family; or the family from their own account.
  'person:assess': { staff: ['caseworker'], others: ['family'] },
  'person:request-exception': { staff: ['caseworker'], others: [] },
  'allocation:decide-exception': { staff: ['approver'], others: [] },
  'allocation-models:manage': { staff: ['administrator'], others: [] },
  // Aggregates and test groups only: commissioners still never open an individual record.
  'allocation:analyse': { staff: ['administrator', 'commissioner'], others: [] },
  // Approvers see the caseload too: they lead the teams whose deadlines it shows.
  'cases:list': { staff: ['caseworker', 'approver', 'administrator'], others: [] },
  // Commissioners too, for the figures only (the service shows them no names); a caseworker sees their team's.
  'cases:report': { staff: ['caseworker', 'approver', 'administrator', 'commissioner'], others: [] },
  'person:manage-case': { staff: ['caseworker'], others: [] },
  'person:plan': { staff: ['caseworker'], others: [] },
  'person:comment-plan': { staff: [], others: ['family'] },
  'plan:approve': { staff: ['approver'], others: [] },
  // A family without an account signs on paper; their worker records it with the name they signed.
  'plan:agree': { staff: ['caseworker'], others: ['family'] },
  'plan:refuse-direct-payment': { staff: ['approver'], others: [] },
  // The route is open to both; the service asks person:plan for a check and plan:approve for an exception.
  'plan:record-dbs': { staff: ['caseworker', 'approver'], others: [] },
  'approval-tiers:manage': { staff: ['administrator'], others: [] },
  'payments:run': { staff: ['finance_officer'], others: [] },
  'payments:bank-details': { staff: ['finance_officer'], others: [] },
  // The family records and sees their own spending; finance monitors it.
  'person:spending': { staff: ['finance_officer'], others: ['family'] },
  'monitoring:list': { staff: ['finance_officer'], others: [] },
  'recovery:propose': { staff: ['finance_officer'], others: [] },
  // Another finance officer or an approver; the service refuses the proposer (and the database too).
  'recovery:decide': { staff: ['finance_officer', 'approver'], others: [] },
  // Staff record a challenge that came by post or phone, with the day it came (recovery:propose).
  'recovery:challenge': { staff: [], others: ['family'] },
  'money-settings:manage': { staff: ['administrator'], others: [] },
  // A provider user returns for the funds their own organisation holds (the service checks the provider).
  'isf:submit-return': { staff: [], others: ['provider'] },
  'isf:review-returns': { staff: ['finance_officer'], others: [] },
  // Not provider users: a provider holds an individual service fund, not the family's direct payment.
  'person:statement': { staff: ['caseworker', 'approver', 'finance_officer', 'administrator'], others: ['family'] },
  // Not commissioners: the totals count people per stream and way of managing, and a small count can point at one family.
  'money:finance-view': { staff: ['finance_officer', 'administrator'], others: [] },
  // Whoever may use one of the money pages: finance, approvers (recoveries), administrators (settings, totals).
  'money:hub': { staff: ['finance_officer', 'approver', 'administrator'], others: [] },
};

export function mayDo(actor: Actor, action: Action, record?: PersonAccessFacts): boolean {
  const rule = RULES[action];
  if (record !== undefined && record.councilId !== actor.councilId) return false;
  switch (actor.kind) {
    case 'staff': {
      if (!rule.staff.includes(actor.role)) return false;
      if (record === undefined || !record.restricted || rule.ignoresRestriction === true) return true;
      return record.leadWorkerId === actor.accountId || record.namedWorkerIds.includes(actor.accountId);
    }
    case 'family':
      if (!rule.others.includes('family')) return false;
      return record === undefined || record.familyAccountIds.includes(actor.accountId);
    case 'provider':
      if (!rule.others.includes('provider')) return false;
      return record === undefined || record.providerIds.includes(actor.providerId);
    case 'client':
      if (!(actor.scopes as readonly Action[]).includes(action)) return false;
      return record === undefined || !record.restricted;
  }
}

/** What the audit log keeps as the actor's role: the staff role, or the kind of account. */
export function auditRole(actor: Actor): string {
  return actor.kind === 'staff' ? actor.role : actor.kind === 'client' ? 'api_client' : actor.kind;
}
