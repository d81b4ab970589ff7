-- The money around the ledger (issue 6): payment settings, direct payment schedules, payment runs,
-- spending returns, recoveries and ISF returns. The ledger itself (0013) stays the only record of
-- money; these tables hold what finance plans, authorises and is told, each row pointing at the
-- ledger transaction that moved the money where there is one.

-- ---- A council's money settings (one row per council; the service uses defaults without one) ----
CREATE TABLE council_money_settings (
  council_id uuid PRIMARY KEY REFERENCES councils(id),
  payment_frequency text NOT NULL CHECK (payment_frequency IN ('four_weekly', 'monthly')),
  -- A run above this total needs a second finance officer to authorise it.
  second_authoriser_above_pence bigint NOT NULL CHECK (second_authoriser_above_pence >= 0),
  -- Surplus above this many weeks of payments (excluding the contingency) is flagged.
  surplus_threshold_weeks smallint NOT NULL CHECK (surplus_threshold_weeks BETWEEN 1 AND 52),
  -- Year end: up to this percentage of the year's direct payment may be carried forward.
  rollover_carry_percent smallint NOT NULL CHECK (rollover_carry_percent BETWEEN 0 AND 100),
  -- Spending categories a direct payment may not buy (codes of src/domain/monitoring/categories.ts).
  not_permitted_categories text[] NOT NULL,
  updated_at timestamptz NOT NULL
);

-- A person's budgets, for their statement (the budget in force on a date) without scanning the council's.
CREATE INDEX personal_budgets_person ON personal_budgets (council_id, person_id, starts_on);

-- ---- Who a direct payment is paid to ------------------------------------------------------------
-- The bank account of a person's direct payment holder (the person, a parent carer or a nominee).
CREATE TABLE payee_bank_details (
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid PRIMARY KEY,
  -- The council's reference for the payee (its finance system's supplier number, say).
  payee_reference text NOT NULL CHECK (length(payee_reference) BETWEEN 1 AND 40),
  account_name text NOT NULL CHECK (length(account_name) BETWEEN 1 AND 200),
  sort_code text NOT NULL CHECK (sort_code ~ '^[0-9]{6}$'),
  account_number text NOT NULL CHECK (account_number ~ '^[0-9]{8}$'),
  updated_by uuid,
  updated_at timestamptz NOT NULL,
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, updated_by) REFERENCES accounts (council_id, id)
);

-- ---- Direct payment schedules -------------------------------------------------------------------
-- One per personal budget with a direct payment (its id is the budget's id: src/domain/payments/set-up.ts).
CREATE TABLE payment_schedules (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  personal_budget_id uuid NOT NULL,
  holder_account_id uuid NOT NULL,
  frequency text NOT NULL CHECK (frequency IN ('four_weekly', 'monthly')),
  -- { "<funding stream id>": "<ledger account id of the direct payment budget line>" }
  budget_accounts jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'ended')),
  created_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  UNIQUE (personal_budget_id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id),
  FOREIGN KEY (council_id, personal_budget_id) REFERENCES personal_budgets (council_id, id),
  FOREIGN KEY (council_id, holder_account_id) REFERENCES ledger_accounts (council_id, id)
);
CREATE INDEX payment_schedules_person ON payment_schedules (council_id, person_id);

-- The instalments of a schedule: what is planned, not money (the ledger holds what was paid, under
-- the key payment:<schedule id>:<number>). A mid-year change replaces the instalments not yet paid.
CREATE TABLE payment_instalments (
  council_id uuid NOT NULL REFERENCES councils(id),
  schedule_id uuid NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  due_on date NOT NULL,
  period_from date NOT NULL,
  period_to date NOT NULL,
  -- Negative only after a cut (held for finance to review, never taken by a run).
  amount_pence bigint NOT NULL,
  -- [{ "streamId": "<uuid>", "pence": "<integer>" }]: each stream's share, summing to amount_pence.
  by_stream jsonb NOT NULL,
  PRIMARY KEY (schedule_id, number),
  FOREIGN KEY (council_id, schedule_id) REFERENCES payment_schedules (council_id, id) ON DELETE CASCADE,
  CHECK (period_to >= period_from)
);
-- "What is due on or before the run date": the run reads this index.
CREATE INDEX payment_instalments_due ON payment_instalments (council_id, due_on);

-- ---- Payment runs -------------------------------------------------------------------------------
CREATE TABLE payment_runs (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  -- Short, for people and bank references: R0001, R0002, … per council.
  reference text NOT NULL CHECK (reference ~ '^R[0-9]{4,}$'),
  run_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('awaiting_authorisation', 'queued', 'running', 'completed', 'failed', 'cancelled')),
  -- Frozen when the run is created: what the finance officer previewed is what is authorised and paid.
  payment_count integer NOT NULL CHECK (payment_count >= 0),
  total_pence bigint NOT NULL CHECK (total_pence >= 0),
  -- [{ "streamId": "<uuid>", "pence": "<integer>" }]
  by_stream jsonb NOT NULL,
  needs_second_authoriser boolean NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  authorised_by uuid,
  authorised_at timestamptz,
  cancelled_by uuid,
  cancelled_at timestamptz,
  cancel_reason text,
  -- Progress, as the background job posts.
  posted_count integer NOT NULL DEFAULT 0 CHECK (posted_count >= 0),
  posted_pence bigint NOT NULL DEFAULT 0 CHECK (posted_pence >= 0),
  skipped_count integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
  started_at timestamptz,
  completed_at timestamptz,
  failure text,
  UNIQUE (council_id, id),
  UNIQUE (council_id, reference),
  FOREIGN KEY (council_id, created_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, authorised_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, cancelled_by) REFERENCES accounts (council_id, id),
  -- Two finance officers: the one who authorises is never the one who made the run.
  CHECK (authorised_by IS NULL OR authorised_by <> created_by)
);
CREATE INDEX payment_runs_council ON payment_runs (council_id, created_at DESC);

-- The instalments a run pays, frozen at creation. status: pending → paid (with its transaction), or
-- skipped (paid by another run meanwhile, or the payee's bank details are missing: the reason says).
CREATE TABLE payment_run_items (
  council_id uuid NOT NULL REFERENCES councils(id),
  run_id uuid NOT NULL,
  schedule_id uuid NOT NULL,
  number integer NOT NULL,
  person_id uuid NOT NULL,
  amount_pence bigint NOT NULL CHECK (amount_pence > 0),
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'skipped')),
  transaction_id uuid,
  skipped_reason text,
  PRIMARY KEY (run_id, schedule_id, number),
  FOREIGN KEY (council_id, run_id) REFERENCES payment_runs (council_id, id),
  FOREIGN KEY (schedule_id, number) REFERENCES payment_instalments (schedule_id, number) ON DELETE RESTRICT,
  FOREIGN KEY (council_id, transaction_id) REFERENCES ledger_transactions (council_id, id),
  CHECK ((status = 'paid') = (transaction_id IS NOT NULL))
);
CREATE INDEX payment_run_items_person ON payment_run_items (council_id, person_id);

-- ---- Spending on a direct payment ---------------------------------------------------------------
-- A return: a statement CSV uploaded, or lines entered by hand, by the family or finance.
CREATE TABLE spending_returns (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  source text NOT NULL CHECK (source IN ('upload', 'entry')),
  -- src/domain/monitoring/statement-csv.ts statementFingerprint: the same statement uploaded twice.
  fingerprint text,
  file_name text,
  line_count integer NOT NULL CHECK (line_count >= 0),
  submitted_by uuid NOT NULL,
  submitted_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id),
  FOREIGN KEY (council_id, submitted_by) REFERENCES accounts (council_id, id),
  CHECK ((source = 'upload') = (fingerprint IS NOT NULL))
);
CREATE UNIQUE INDEX spending_returns_fingerprint ON spending_returns (council_id, person_id, fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX spending_returns_person ON spending_returns (council_id, person_id, submitted_at);

CREATE TABLE spending_lines (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  return_id uuid NOT NULL,
  person_id uuid NOT NULL,
  spent_on date NOT NULL,
  payee text NOT NULL CHECK (length(payee) BETWEEN 1 AND 200),
  category text NOT NULL CHECK (length(category) BETWEEN 1 AND 60),
  type text NOT NULL CHECK (type IN ('spend', 'refund')),
  amount_pence bigint NOT NULL CHECK (amount_pence > 0 AND amount_pence <= 2500000),
  reference text NOT NULL DEFAULT '',
  -- A receipt, when one was attached (entered lines): kept in the database, small files only.
  receipt_name text,
  receipt_type text,
  receipt bytea,
  -- The ledger transaction that recorded it (spend: holder → payments_out; refund the other way).
  transaction_id uuid NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, return_id) REFERENCES spending_returns (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id),
  FOREIGN KEY (council_id, transaction_id) REFERENCES ledger_transactions (council_id, id),
  CHECK (receipt IS NULL OR octet_length(receipt) <= 5242880)
);
CREATE INDEX spending_lines_person ON spending_lines (council_id, person_id, spent_on);

-- ---- Recovering surplus ----------------------------------------------------------------------------
-- Proposed with reasons, approved by someone else, the family told with reasons and how to challenge;
-- only then posted (holder → recoveries). Never automatic (DOMAIN.md: blanket clawback is unlawful).
CREATE TABLE recoveries (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  amount_pence bigint NOT NULL CHECK (amount_pence > 0),
  -- 'surplus' (above the threshold) or 'year_end' (rollover policy).
  kind text NOT NULL CHECK (kind IN ('surplus', 'year_end')),
  reasons text NOT NULL CHECK (length(reasons) BETWEEN 1 AND 4000),
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'cancelled')),
  proposed_by uuid NOT NULL,
  proposed_at timestamptz NOT NULL,
  decided_by uuid,
  decided_at timestamptz,
  decision_note text,
  -- The family may challenge until this date (the notice says how).
  challenge_by date,
  transaction_id uuid,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id),
  FOREIGN KEY (council_id, proposed_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, decided_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, transaction_id) REFERENCES ledger_transactions (council_id, id),
  CHECK (decided_by IS NULL OR decided_by <> proposed_by),
  CHECK ((status = 'approved') = (transaction_id IS NOT NULL))
);
CREATE INDEX recoveries_person ON recoveries (council_id, person_id, proposed_at);

-- ---- ISF returns ----------------------------------------------------------------------------------
-- A provider's quarterly return: for each person whose fund it holds, what was spent and the balance.
CREATE TABLE isf_returns (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  provider_id uuid NOT NULL,
  -- The first day of the quarter (1 April, 1 July, 1 October, 1 January).
  quarter_starts_on date NOT NULL,
  submitted_by uuid NOT NULL,
  submitted_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  UNIQUE (council_id, provider_id, quarter_starts_on),
  FOREIGN KEY (council_id, provider_id) REFERENCES providers (council_id, id),
  FOREIGN KEY (council_id, submitted_by) REFERENCES accounts (council_id, id)
);

CREATE TABLE isf_return_lines (
  council_id uuid NOT NULL REFERENCES councils(id),
  return_id uuid NOT NULL,
  person_id uuid NOT NULL,
  spent_pence bigint NOT NULL CHECK (spent_pence >= 0),
  balance_pence bigint NOT NULL,
  -- What the ledger held for the person at the provider at the quarter's end, when submitted.
  ledger_balance_pence bigint NOT NULL,
  PRIMARY KEY (return_id, person_id),
  FOREIGN KEY (council_id, return_id) REFERENCES isf_returns (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id)
);

-- ---- Tenancy and privileges -------------------------------------------------------------------------
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['council_money_settings', 'payee_bank_details', 'payment_schedules', 'payment_instalments',
                           'payment_runs', 'payment_run_items', 'spending_returns', 'spending_lines', 'recoveries',
                           'isf_returns', 'isf_return_lines']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON council_money_settings, payee_bank_details, payment_schedules, payment_runs,
                                payment_run_items, recoveries TO onebudget_app;
-- Instalments not yet paid are replaced when a plan changes mid-year.
GRANT SELECT, INSERT, DELETE ON payment_instalments TO onebudget_app;
-- Spending and returns are records of what was said: corrected by new lines, never edited.
GRANT SELECT, INSERT ON spending_returns, spending_lines, isf_returns, isf_return_lines TO onebudget_app;
