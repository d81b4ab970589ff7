/** Kysely's view of the tables in src/db/migrations. Keep in step with the SQL. */
import type { ColumnType, Generated } from 'kysely';

/** A DATE column: read and written as 'YYYY-MM-DD'. */
type IsoDate = string;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable column that an insert may leave out. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A timestamp that is unset (NULL) until something happens. */
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface CouncilsTable {
  id: string;
  slug: string;
  name: string;
  created_at: Timestamp;
}

export interface FundingStreamsTable {
  id: string;
  council_id: string;
  code: 'education_high_needs' | 'social_care' | 'health_continuing_care';
  name: string;
  funder: string;
  annual_envelope_pence: bigint;
}

export type StaffRole = 'caseworker' | 'approver' | 'finance_officer' | 'commissioner' | 'administrator';

export type AccountKind = 'staff' | 'family' | 'provider';

/** Everyone who signs in (migration 0004): staff have a role, job title and team; provider users a provider. */
export interface AccountsTable {
  id: string;
  council_id: string;
  kind: AccountKind;
  email: string;
  display_name: string;
  role: Optional<StaffRole>;
  job_title: Optional<string>;
  team: Optional<string>;
  approval_limit_pence: Optional<bigint>;
  provider_id: Optional<string>;
  password_hash: string;
  disabled_at: OptionalTimestamp;
  password_changed_at: OptionalTimestamp;
  created_at: Timestamp;
  /** Staff single sign-on (migration 0007): the identity pinned at the first sign-in through it. */
  oidc_issuer: Optional<string>;
  oidc_subject: Optional<string>;
}

export type FamilyRelationship = 'parent_carer' | 'young_person' | 'nominee' | 'suitable_person';

export interface FamilyLinksTable {
  council_id: string;
  account_id: string;
  person_id: string;
  relationship: FamilyRelationship;
  created_at: Timestamp;
}

export interface SupportArrangementsTable {
  council_id: string;
  person_id: string;
  provider_id: string;
  description: string;
  starts_on: IsoDate;
  ends_on: IsoDate | null;
}

export interface NamedWorkersTable {
  council_id: string;
  person_id: string;
  account_id: string;
  added_at: Timestamp;
}

export type CaseType = 'ehc' | 'social_care_child' | 'social_care_adult' | 'continuing_care';
export type PrimaryNeed =
  | 'ASD' | 'DS' | 'HI' | 'MLD' | 'MSI' | 'OTH' | 'PD' | 'PMLD' | 'SEMH' | 'SLCN' | 'SLD' | 'SpLD' | 'VI';
export type JourneyStage = 'request' | 'assessment' | 'allocation' | 'planning' | 'approval' | 'agreed' | 'review';

export interface PeopleTable {
  id: string;
  council_id: string;
  reference: string;
  given_name: string;
  family_name: string;
  date_of_birth: IsoDate;
  postcode: string;
  case_type: CaseType;
  primary_need: PrimaryNeed | null;
  needs_summary: string;
  setting: string | null;
  stage: JourneyStage;
  stage_since: IsoDate;
  request_date: IsoDate;
  lead_worker_id: string | null;
  indicative_budget_pence: bigint | null;
  current_package_pence: bigint | null;
  restricted: Generated<boolean>;
  created_at: Timestamp;
}

export type Management = 'direct_payment' | 'individual_service_fund' | 'council_managed';

export interface BudgetLinesTable {
  id: string;
  council_id: string;
  person_id: string;
  funding_stream_id: string;
  management: Management;
  description: string;
  annual_pence: bigint;
}

export type ProviderKind =
  | 'charity' | 'care_agency' | 'school' | 'personal_assistant_agency' | 'social_enterprise' | 'nhs_trust' | 'council_service';

export interface ProvidersTable {
  id: string;
  council_id: string;
  name: string;
  kind: ProviderKind;
  email: string;
  phone: string;
  town: string;
}

export type ServiceUnit = 'hour' | 'session' | 'day' | 'night' | 'week' | 'item';

export interface ServicesTable {
  id: string;
  council_id: string;
  provider_id: string;
  name: string;
  description: string;
  category: string;
  min_age: number;
  max_age: number;
  unit: ServiceUnit;
  unit_cost_pence: bigint;
}

export interface SessionsTable {
  id_hash: string;
  council_id: string;
  account_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  /** When this session last re-entered its second factor (step-up), if ever. */
  stepped_up_at: OptionalTimestamp;
}

export interface AuditEventsTable {
  id: Generated<bigint>;
  council_id: string;
  occurred_at: Timestamp;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  source_address: string | null;
  request_id: string | null;
  reason: string | null;
  detail: unknown;
  /** Set by the database (trigger audit_events_chain): the council's next number and the hash chain. */
  seq: Generated<bigint>;
  prev_hash: Generated<string>;
  hash: Generated<string>;
}

/** Not a tenant table: reached only through src/db/system.ts (see migration 0003). */
export interface SignInAttemptsTable {
  id: Generated<bigint>;
  email_key: string;
  source_address: string;
  attempted_at: Timestamp;
  succeeded: Generated<boolean>;
}

export interface AccountMfaTable {
  account_id: string;
  council_id: string;
  /** Encrypted (src/services/secret-box.ts). */
  totp_secret: string;
  enrolled_at: Timestamp;
  last_used_step: bigint;
}

export interface MfaRecoveryCodesTable {
  council_id: string;
  account_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface PendingSignInsTable {
  id_hash: string;
  council_id: string;
  account_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  return_to: string | null;
  /** Encrypted (src/services/secret-box.ts). */
  enrolment_secret: string | null;
}

/** API tokens for machine clients (migration 0006): only the SHA-256 of the secret is kept. */
export interface ApiTokensTable {
  id: string;
  council_id: string;
  name: string;
  /** ClientScope values (src/domain/access/policy.ts). */
  scopes: string[];
  token_hash: string;
  prefix: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_used_at: OptionalTimestamp;
  revoked_at: OptionalTimestamp;
  revoked_by: Optional<string>;
}

/** Invitations for family and provider users (migration 0005): only the SHA-256 of the token is kept. */
export interface InvitationsTable {
  id: string;
  council_id: string;
  token_hash: string;
  email: string;
  display_name: string;
  kind: 'family' | 'provider';
  person_id: Optional<string>;
  relationship: Optional<FamilyRelationship>;
  provider_id: Optional<string>;
  invited_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: OptionalTimestamp;
  accepted_by: Optional<string>;
  revoked_at: OptionalTimestamp;
}

/** Links to set a new password (migration 0005): only the SHA-256 of the token is kept. */
export interface PasswordResetTokensTable {
  token_hash: string;
  council_id: string;
  account_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: OptionalTimestamp;
}

export type AllocationModelStatus = 'draft' | 'published' | 'retired';

/** Allocation model versions (migration 0008). `model` is the JSON of docs/ras-model.schema.json. */
export interface AllocationModelsTable {
  id: string;
  council_id: string;
  version: number;
  status: AllocationModelStatus;
  model: ColumnType<unknown, string, string>;
  published_on: IsoDate | null;
  retired_on: IsoDate | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
  published_by: Optional<string>;
}

export type AssessmentStatus = 'in_progress' | 'submitted';
export type CompletedWith = 'worker_with_family' | 'family';

/** Questionnaires completed under a model version (migration 0008). */
export interface AllocationAssessmentsTable {
  id: string;
  council_id: string;
  person_id: string;
  model_id: string;
  status: AssessmentStatus;
  completed_with: CompletedWith;
  /** Question id to level id. */
  answers: ColumnType<Record<string, string>, string | undefined, string>;
  age_years: number;
  /** Stream code to pence (a JSON number). */
  current_package: ColumnType<Record<string, number>, string | undefined, string>;
  started_by: string;
  started_at: Timestamp;
  updated_at: Timestamp;
  submitted_by: Optional<string>;
  submitted_at: OptionalTimestamp;
  /** The person's latest submitted questionnaire. */
  is_current: Generated<boolean>;
}

/** Indicative budgets, append-only (migration 0008). */
export interface AllocationResultsTable {
  id: string;
  council_id: string;
  assessment_id: string;
  person_id: string;
  model_id: string;
  scored_at: Timestamp;
  education_high_needs_pence: bigint | null;
  social_care_pence: bigint | null;
  health_continuing_care_pence: bigint | null;
  total_pence: bigint;
  exceptional_case_required: boolean;
  explanation: ColumnType<unknown, string, never>;
}

export type ExceptionalCaseStatus = 'pending' | 'agreed' | 'refused';

export interface ExceptionalCaseRequestsTable {
  id: string;
  council_id: string;
  person_id: string;
  result_id: string;
  trigger: 'cap' | 'worker';
  reason: string;
  requested_pence: bigint | null;
  requested_by: string;
  requested_at: Timestamp;
  status: ExceptionalCaseStatus;
  decided_by: Optional<string>;
  decided_at: OptionalTimestamp;
  decision_reason: Optional<string>;
  agreed_pence: Optional<bigint>;
}

export interface CalibrationGroupsTable {
  id: string;
  council_id: string;
  name: string;
  row_count: number;
  rows: ColumnType<unknown, string, never>;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}

export type ImpactRunStatus = 'queued' | 'running' | 'finished' | 'failed';

export interface AllocationImpactRunsTable {
  id: string;
  council_id: string;
  draft_model_id: string;
  published_model_id: string | null;
  status: ImpactRunStatus;
  total: ColumnType<number, number | undefined, number>;
  done: ColumnType<number, number | undefined, number>;
  started_by: string | null;
  started_at: Timestamp;
  finished_at: OptionalTimestamp;
  report: ColumnType<unknown, string | null | undefined, string | null>;
  error: Optional<string>;
}

// ---- The statutory pathway (migration 0009) ---------------------------------------------------

export type CaseStatus = 'open' | 'closed';

export type CaseStepKind =
  | 'request_received'
  | 'decided_to_assess'
  | 'decided_not_to_assess'
  | 'advice_requested'
  | 'advice_received'
  | 'decided_to_issue'
  | 'decided_not_to_issue'
  | 'draft_issued'
  | 'family_responded'
  | 'final_issued'
  | 'exception_recorded'
  | 'review_meeting_planned'
  | 'review_papers_sent'
  | 'review_meeting_held'
  | 'review_report_sent'
  | 'review_decision'
  | 'amended_plan_issued'
  | 'plan_agreed'
  | 'plan_reviewed'
  | 'direct_payment_started'
  | 'direct_payment_reviewed'
  | 'lead_worker_changed'
  | 'case_closed';

export interface CasesTable {
  id: string;
  council_id: string;
  person_id: string;
  case_type: CaseType;
  lead_worker_id: string;
  status: CaseStatus;
  stage: string;
  request_date: IsoDate;
  phase_transfer_year: Optional<number>;
  next_due_on: Optional<IsoDate>;
  next_due_kind: Optional<string>;
  has_exception: Generated<boolean>;
  /** A copy of people.restricted, kept by triggers (for counting the caseload from its index). */
  person_restricted: Generated<boolean>;
  closed_on: Optional<IsoDate>;
  closed_reason: Optional<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseStepsTable {
  id: string;
  council_id: string;
  case_id: string;
  kind: CaseStepKind;
  occurred_on: IsoDate;
  /** jsonb: read as an object, written as JSON text. */
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface CaseRemindersTable {
  id: string;
  council_id: string;
  case_id: string;
  about: string;
  due_on: IsoDate;
  recipient: 'worker' | 'family';
  recipient_account_id: string;
  sent_at: Timestamp;
}

// ---- Plans and sign-off (migration 0010) ------------------------------------------------------

export type PlanKind = 'initial' | 'review';
export type PlanStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'agreed' | 'superseded';

export interface PlansTable {
  id: string;
  council_id: string;
  person_id: string;
  case_id: string;
  kind: PlanKind;
  replaces_plan_id: Optional<string>;
  status: PlanStatus;
  current_version: number;
  author_id: string;
  /** jsonb: stream code → whole pence as a string. */
  indicative_budget: ColumnType<Record<string, string>, string | undefined, string>;
  period_starts_on: Optional<IsoDate>;
  period_ends_on: Optional<IsoDate>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanVersionsTable {
  council_id: string;
  plan_id: string;
  version: number;
  /** jsonb in the form of src/domain/plans/content.ts, money as strings. */
  content: ColumnType<unknown, string, never>;
  total_pence: bigint;
  change_note: string;
  created_by: string;
  created_at: Timestamp;
}

export type PlanCommentStatus = 'open' | 'accepted' | 'declined';

export interface PlanCommentsTable {
  id: string;
  council_id: string;
  plan_id: string;
  version: number;
  section: string;
  author_id: string;
  body: string;
  proposed_change: Optional<string>;
  status: PlanCommentStatus;
  response_note: Optional<string>;
  responded_by: Optional<string>;
  responded_at: OptionalTimestamp;
  created_at: Timestamp;
}

export interface PersonalBudgetRequestsTable {
  id: string;
  council_id: string;
  person_id: string;
  plan_id: string;
  stage: 'draft' | 'review';
  scope: 'all' | 'some';
  item_ids: ColumnType<string[], string | undefined, never>;
  note: Optional<string>;
  requested_by: string;
  requested_on: IsoDate;
  created_at: Timestamp;
}

export interface ApprovalTiersTable {
  id: string;
  council_id: string;
  name: string;
  up_to_pence: bigint;
}

export type PlanDecisionKind = 'submitted' | 'approved' | 'returned' | 'panel_approved' | 'panel_returned';

export interface PlanDecisionsTable {
  id: string;
  council_id: string;
  plan_id: string;
  version: number;
  decision: PlanDecisionKind;
  decided_by: string;
  decided_at: Timestamp;
  reasons: string;
  total_pence: bigint;
  limit_pence: Optional<bigint>;
  panel_date: Optional<IsoDate>;
  panel_members: Optional<string>;
}

export interface PlanAgreementsTable {
  plan_id: string;
  council_id: string;
  version: number;
  agreed_by: string;
  typed_name: string;
  agreed_on: IsoDate;
  confirmed: boolean;
  recorded_at: Timestamp;
}

export type DirectPaymentRefusalCategory = 'safeguarding' | 'consent' | 'capacity' | 'efficient_use_of_resources' | 'no_head_teacher_agreement';

export interface DirectPaymentRefusalsTable {
  id: string;
  council_id: string;
  plan_id: string;
  version: number;
  item_ids: ColumnType<string[], string | undefined, never>;
  outcome: 'refused' | 'withheld';
  category: DirectPaymentRefusalCategory;
  reasons: string;
  decided_by: string;
  decided_on: IsoDate;
  recorded_at: Timestamp;
}

export interface DbsChecksTable {
  id: string;
  council_id: string;
  plan_id: string;
  item_id: string;
  kind: 'check' | 'exception';
  checked_on: Optional<IsoDate>;
  certificate_number: Optional<string>;
  exception_reason: Optional<string>;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface PersonalBudgetsTable {
  id: string;
  council_id: string;
  person_id: string;
  plan_id: string;
  version: number;
  starts_on: IsoDate;
  ends_on: IsoDate;
  total_pence: bigint;
  status: 'active' | 'ended';
  created_at: Timestamp;
}

export interface PersonalBudgetLinesTable {
  id: string;
  council_id: string;
  personal_budget_id: string;
  funding_stream_id: string;
  management: Management;
  annual_pence: bigint;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: Timestamp;
}

export interface Schema {
  councils: CouncilsTable;
  funding_streams: FundingStreamsTable;
  accounts: AccountsTable;
  family_links: FamilyLinksTable;
  support_arrangements: SupportArrangementsTable;
  named_workers: NamedWorkersTable;
  people: PeopleTable;
  budget_lines: BudgetLinesTable;
  providers: ProvidersTable;
  services: ServicesTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  sign_in_attempts: SignInAttemptsTable;
  account_mfa: AccountMfaTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  pending_sign_ins: PendingSignInsTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  password_reset_tokens: PasswordResetTokensTable;
  allocation_models: AllocationModelsTable;
  allocation_assessments: AllocationAssessmentsTable;
  allocation_results: AllocationResultsTable;
  exceptional_case_requests: ExceptionalCaseRequestsTable;
  calibration_groups: CalibrationGroupsTable;
  allocation_impact_runs: AllocationImpactRunsTable;
  cases: CasesTable;
  case_steps: CaseStepsTable;
  case_reminders: CaseRemindersTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  plan_comments: PlanCommentsTable;
  personal_budget_requests: PersonalBudgetRequestsTable;
  approval_tiers: ApprovalTiersTable;
  plan_decisions: PlanDecisionsTable;
  plan_agreements: PlanAgreementsTable;
  direct_payment_refusals: DirectPaymentRefusalsTable;
  dbs_checks: DbsChecksTable;
  personal_budgets: PersonalBudgetsTable;
  personal_budget_lines: PersonalBudgetLinesTable;
  schema_migrations: SchemaMigrationsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  council_money_settings: CouncilMoneySettingsTable;
  payee_bank_details: PayeeBankDetailsTable;
  payment_schedules: PaymentSchedulesTable;
  payment_instalments: PaymentInstalmentsTable;
  payment_runs: PaymentRunsTable;
  payment_run_items: PaymentRunItemsTable;
  spending_returns: SpendingReturnsTable;
  spending_lines: SpendingLinesTable;
  recoveries: RecoveriesTable;
  isf_returns: IsfReturnsTable;
  isf_return_lines: IsfReturnLinesTable;
}

// ---- The ledger (migration 0013) ----------------------------------------------------------------

export type LedgerAccountKindColumn =
  | 'stream_pot' | 'budget' | 'dp_holder' | 'provider' | 'council_commitment' | 'recoveries' | 'write_offs' | 'payments_out';

export interface LedgerAccountsTable {
  id: string;
  council_id: string;
  kind: LedgerAccountKindColumn;
  personal_budget_id: Optional<string>;
  funding_stream_id: Optional<string>;
  management: Optional<Management>;
  person_id: Optional<string>;
  provider_id: Optional<string>;
  period_starts_on: Optional<IsoDate>;
  name: string;
  overdraft_allowed: boolean;
  created_at: Timestamp;
}

export type LedgerTransactionKindColumn =
  | 'allocation' | 'payment' | 'spend' | 'refund' | 'recovery' | 'write_off' | 'rollover' | 'reversal' | 'adjustment';

/** Never updated or deleted (the database refuses). */
export interface LedgerTransactionsTable {
  id: string;
  council_id: string;
  idempotency_key: string;
  content_hash: string;
  kind: LedgerTransactionKindColumn;
  effective_on: IsoDate;
  recorded_at: Timestamp;
  recorded_by: Optional<string>;
  description: string;
  reverses_transaction_id: Optional<string>;
}

/** Positive amount = debit (money into the account), negative = credit. Never updated or deleted. */
export interface LedgerEntriesTable {
  id: Generated<bigint>;
  council_id: string;
  transaction_id: string;
  account_id: string;
  amount_pence: bigint;
  effective_on: IsoDate;
}

// ---- The money around the ledger (migration 0014) -------------------------------------------------

export type PaymentFrequencyColumn = 'four_weekly' | 'monthly';

export interface CouncilMoneySettingsTable {
  council_id: string;
  payment_frequency: PaymentFrequencyColumn;
  second_authoriser_above_pence: bigint;
  surplus_threshold_weeks: number;
  rollover_carry_percent: number;
  not_permitted_categories: string[];
  updated_at: Timestamp;
}

export interface PayeeBankDetailsTable {
  council_id: string;
  person_id: string;
  payee_reference: string;
  account_name: string;
  sort_code: string;
  account_number: string;
  updated_by: Optional<string>;
  updated_at: Timestamp;
}

/** A stream's share, as stored in jsonb: pence as a decimal string (JSON has no bigint). */
export interface StoredStreamPart {
  streamId: string;
  pence: string;
}

export interface PaymentSchedulesTable {
  id: string;
  council_id: string;
  person_id: string;
  personal_budget_id: string;
  holder_account_id: string;
  frequency: PaymentFrequencyColumn;
  /** Funding stream id → ledger account id of the direct payment budget line. */
  budget_accounts: Record<string, string>;
  status: 'active' | 'ended';
  created_at: Timestamp;
}

export interface PaymentInstalmentsTable {
  council_id: string;
  schedule_id: string;
  number: number;
  due_on: IsoDate;
  period_from: IsoDate;
  period_to: IsoDate;
  amount_pence: bigint;
  by_stream: StoredStreamPart[];
}

export type PaymentRunStatus = 'awaiting_authorisation' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface PaymentRunsTable {
  id: string;
  council_id: string;
  reference: string;
  run_date: IsoDate;
  status: PaymentRunStatus;
  payment_count: number;
  total_pence: bigint;
  by_stream: StoredStreamPart[];
  needs_second_authoriser: boolean;
  created_by: string;
  created_at: Timestamp;
  authorised_by: Optional<string>;
  authorised_at: OptionalTimestamp;
  cancelled_by: Optional<string>;
  cancelled_at: OptionalTimestamp;
  cancel_reason: Optional<string>;
  posted_count: Generated<number>;
  posted_pence: Generated<bigint>;
  skipped_count: Generated<number>;
  started_at: OptionalTimestamp;
  completed_at: OptionalTimestamp;
  failure: Optional<string>;
}

export interface PaymentRunItemsTable {
  council_id: string;
  run_id: string;
  schedule_id: string;
  number: number;
  person_id: string;
  amount_pence: bigint;
  status: 'pending' | 'paid' | 'skipped';
  transaction_id: Optional<string>;
  skipped_reason: Optional<string>;
}

export interface SpendingReturnsTable {
  id: string;
  council_id: string;
  person_id: string;
  source: 'upload' | 'entry';
  fingerprint: Optional<string>;
  file_name: Optional<string>;
  line_count: number;
  submitted_by: string;
  submitted_at: Timestamp;
}

export interface SpendingLinesTable {
  id: string;
  council_id: string;
  return_id: string;
  person_id: string;
  spent_on: IsoDate;
  payee: string;
  category: string;
  type: 'spend' | 'refund';
  amount_pence: bigint;
  reference: Generated<string>;
  receipt_name: Optional<string>;
  receipt_type: Optional<string>;
  receipt: Optional<Buffer>;
  transaction_id: string;
}

export interface RecoveriesTable {
  id: string;
  council_id: string;
  person_id: string;
  amount_pence: bigint;
  kind: 'surplus' | 'year_end';
  reasons: string;
  status: 'proposed' | 'approved' | 'cancelled';
  proposed_by: string;
  proposed_at: Timestamp;
  decided_by: Optional<string>;
  decided_at: OptionalTimestamp;
  decision_note: Optional<string>;
  challenge_by: Optional<IsoDate>;
  transaction_id: Optional<string>;
  // Migration 0015: the working, and the family's challenge with its outcome.
  working: Generated<string>;
  challenge_received_on: Optional<IsoDate>;
  challenge_recorded_by: Optional<string>;
  challenge_recorded_at: OptionalTimestamp;
  challenge_summary: Optional<string>;
  challenge_outcome: Optional<'upheld' | 'partly_upheld' | 'not_upheld'>;
  challenge_decided_by: Optional<string>;
  challenge_decided_at: OptionalTimestamp;
  challenge_note: Optional<string>;
  repaid_pence: Optional<bigint>;
  repayment_transaction_id: Optional<string>;
}

export interface IsfReturnsTable {
  id: string;
  council_id: string;
  provider_id: string;
  quarter_starts_on: IsoDate;
  submitted_by: string;
  submitted_at: Timestamp;
}

export interface IsfReturnLinesTable {
  council_id: string;
  return_id: string;
  person_id: string;
  spent_pence: bigint;
  balance_pence: bigint;
  ledger_balance_pence: bigint;
}
