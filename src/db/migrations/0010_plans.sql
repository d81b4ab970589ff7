-- The person-centred support plan and its sign-off (issue 5).
--
-- A plan belongs to a case. Every save makes a new version (plan_versions, never changed), so any
-- two versions can be compared; the content is one JSON document in the form of
-- src/domain/plans/content.ts, with money in whole pence as strings. The plan row keeps where it has
-- got to. Sign-off decisions, the family's agreement, refusals of a direct payment and DBS checks are
-- append-only records that name the version they are about. On agreement the approved amounts by
-- stream and way of managing become the person's personal budget for the plan period.

CREATE TABLE plans (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  case_id uuid NOT NULL,
  -- The first plan of a case, or a plan made at a review (which replaces the agreed one when agreed).
  kind text NOT NULL CHECK (kind IN ('initial', 'review')),
  replaces_plan_id uuid,
  status text NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'agreed', 'superseded')),
  current_version integer NOT NULL CHECK (current_version >= 1),
  -- The worker who wrote it: they never approve it.
  author_id uuid NOT NULL,
  -- The indicative budget the plan was drafted against, per stream code in pence: {"social_care": "1234500"}.
  indicative_budget jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(indicative_budget) = 'object'),
  period_starts_on date,
  period_ends_on date,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, case_id) REFERENCES cases (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, replaces_plan_id) REFERENCES plans (council_id, id),
  FOREIGN KEY (council_id, author_id) REFERENCES accounts (council_id, id),
  CHECK (period_ends_on IS NULL OR period_starts_on IS NULL OR period_ends_on > period_starts_on)
);
CREATE INDEX plans_person ON plans (council_id, person_id, created_at DESC);
CREATE INDEX plans_case ON plans (council_id, case_id);
-- At most one plan of a case being written or signed off at a time.
CREATE UNIQUE INDEX plans_one_open_per_case ON plans (case_id) WHERE status IN ('draft', 'submitted', 'returned', 'approved');

CREATE TABLE plan_versions (
  council_id uuid NOT NULL REFERENCES councils(id),
  plan_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  -- Total annual cost of the support items in pence, kept for listing and routing.
  total_pence bigint NOT NULL CHECK (total_pence >= 0),
  -- What changed, in the words of whoever saved it ("Accepted the family's change to outcome 2").
  change_note text NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (plan_id, version),
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, created_by) REFERENCES accounts (council_id, id)
);

-- Co-production: the family comments on a section of a version and may propose a change; the
-- worker accepts or declines each with a note.
CREATE TABLE plan_comments (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  plan_id uuid NOT NULL,
  version integer NOT NULL,
  -- The section: 'profile', 'outcomes', 'support', 'contingency', 'risks', 'money', or a part of one ('outcome:<id>', 'item:<id>').
  section text NOT NULL CHECK (length(section) BETWEEN 1 AND 100),
  author_id uuid NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  proposed_change text CHECK (proposed_change IS NULL OR length(proposed_change) BETWEEN 1 AND 4000),
  status text NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
  response_note text,
  responded_by uuid,
  responded_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, author_id) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, responded_by) REFERENCES accounts (council_id, id),
  CHECK ((status = 'open') = (responded_at IS NULL)),
  CHECK ((status = 'open') = (responded_by IS NULL))
);
CREATE INDEX plan_comments_plan ON plan_comments (council_id, plan_id, created_at);

-- The family's request for a personal budget, for all the support or some items, at draft or review.
CREATE TABLE personal_budget_requests (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  stage text NOT NULL CHECK (stage IN ('draft', 'review')),
  scope text NOT NULL CHECK (scope IN ('all', 'some')),
  -- The support item ids asked for when the scope is 'some'.
  item_ids jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(item_ids) = 'array'),
  note text,
  requested_by uuid NOT NULL,
  requested_on date NOT NULL,
  created_at timestamptz NOT NULL,
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, requested_by) REFERENCES accounts (council_id, id)
);
CREATE INDEX personal_budget_requests_plan ON personal_budget_requests (council_id, plan_id);

-- The council's sign-off thresholds: an approver's own limit (accounts.approval_limit_pence) says
-- what they may approve; these name the tiers, and anything above the highest goes to panel.
CREATE TABLE approval_tiers (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  up_to_pence bigint NOT NULL CHECK (up_to_pence > 0),
  UNIQUE (council_id, up_to_pence)
);

CREATE TABLE plan_decisions (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  plan_id uuid NOT NULL,
  version integer NOT NULL,
  decision text NOT NULL CHECK (decision IN ('submitted', 'approved', 'returned', 'panel_approved', 'panel_returned')),
  decided_by uuid NOT NULL,
  decided_at timestamptz NOT NULL,
  reasons text NOT NULL,
  -- The plan total and the decider's limit when they decided (the limit is NULL for a panel).
  total_pence bigint NOT NULL CHECK (total_pence >= 0),
  limit_pence bigint,
  panel_date date,
  panel_members text,
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, decided_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version),
  CHECK ((decision LIKE 'panel_%') = (panel_date IS NOT NULL))
);
CREATE INDEX plan_decisions_plan ON plan_decisions (council_id, plan_id, decided_at);

-- The family's agreement to an approved version: the name they typed, the date, the confirmation.
CREATE TABLE plan_agreements (
  plan_id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  version integer NOT NULL,
  agreed_by uuid NOT NULL,
  typed_name text NOT NULL CHECK (length(typed_name) BETWEEN 1 AND 200),
  agreed_on date NOT NULL,
  confirmed boolean NOT NULL CHECK (confirmed),
  recorded_at timestamptz NOT NULL,
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, agreed_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version)
);

-- Refusing or withholding a direct payment: a reason category and the reasons, and the written
-- notice (with the right to ask for a review) made from them.
CREATE TABLE direct_payment_refusals (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  plan_id uuid NOT NULL,
  version integer NOT NULL,
  -- The support items the refusal covers (all of the plan's direct payment items when empty).
  item_ids jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(item_ids) = 'array'),
  outcome text NOT NULL CHECK (outcome IN ('refused', 'withheld')),
  category text NOT NULL CHECK (category IN ('safeguarding', 'consent', 'capacity', 'efficient_use_of_resources', 'no_head_teacher_agreement')),
  reasons text NOT NULL CHECK (length(reasons) BETWEEN 1 AND 4000),
  decided_by uuid NOT NULL,
  decided_on date NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, decided_by) REFERENCES accounts (council_id, id)
);

-- A personal assistant paid by direct payment: the DBS check (date and certificate number), or an
-- exception an approver agreed with reasons.
CREATE TABLE dbs_checks (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  plan_id uuid NOT NULL,
  item_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('check', 'exception')),
  checked_on date,
  certificate_number text CHECK (certificate_number IS NULL OR certificate_number ~ '^[0-9]{12}$'),
  exception_reason text,
  recorded_by uuid NOT NULL,
  recorded_at timestamptz NOT NULL,
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, recorded_by) REFERENCES accounts (council_id, id),
  CHECK ((kind = 'check') = (checked_on IS NOT NULL AND certificate_number IS NOT NULL)),
  CHECK ((kind = 'exception') = (exception_reason IS NOT NULL))
);
CREATE INDEX dbs_checks_plan ON dbs_checks (council_id, plan_id, item_id);

-- The personal budget an agreed plan makes, for the plan period: ready for the money (issue 6).
CREATE TABLE personal_budgets (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  version integer NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  total_pence bigint NOT NULL CHECK (total_pence >= 0),
  status text NOT NULL CHECK (status IN ('active', 'ended')),
  created_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version),
  CHECK (ends_on > starts_on)
);
CREATE UNIQUE INDEX personal_budgets_one_active ON personal_budgets (person_id) WHERE status = 'active';

CREATE TABLE personal_budget_lines (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  personal_budget_id uuid NOT NULL,
  funding_stream_id uuid NOT NULL,
  management text NOT NULL CHECK (management IN ('direct_payment', 'individual_service_fund', 'council_managed')),
  annual_pence bigint NOT NULL CHECK (annual_pence >= 0),
  UNIQUE (personal_budget_id, funding_stream_id, management),
  FOREIGN KEY (council_id, personal_budget_id) REFERENCES personal_budgets (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, funding_stream_id) REFERENCES funding_streams (council_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['plans', 'plan_versions', 'plan_comments', 'personal_budget_requests', 'approval_tiers',
                           'plan_decisions', 'plan_agreements', 'direct_payment_refusals', 'dbs_checks',
                           'personal_budgets', 'personal_budget_lines']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON plans, plan_comments, personal_budgets, approval_tiers TO onebudget_app;
GRANT SELECT, INSERT ON plan_versions, personal_budget_requests, plan_decisions, plan_agreements,
                        direct_payment_refusals, dbs_checks, personal_budget_lines TO onebudget_app;
GRANT DELETE ON approval_tiers TO onebudget_app;
