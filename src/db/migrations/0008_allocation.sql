-- Resource allocation (issue 4): each council's allocation models in versions, the questionnaires
-- completed under them, the indicative budgets they gave, exceptional-case requests, calibration test
-- groups and what-if impact runs. The arithmetic lives in src/domain/allocation/ (decision 0011).
--
-- A published model never changes: the trigger below refuses any change to a published or retired
-- version except retiring it, so every result can be reproduced from the version that made it.
-- Results are append-only (no UPDATE or DELETE for the application role).

CREATE TABLE allocation_models (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  version integer NOT NULL CHECK (version BETWEEN 1 AND 100000),
  status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  -- The model as JSON, in the form of docs/ras-model.schema.json (checked by the application).
  model jsonb NOT NULL CHECK (jsonb_typeof(model) = 'object'),
  published_on date,
  retired_on date,
  created_by uuid,
  created_at timestamptz NOT NULL,
  updated_by uuid,
  updated_at timestamptz NOT NULL,
  published_by uuid,
  UNIQUE (council_id, version),
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, created_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, updated_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, published_by) REFERENCES accounts (council_id, id),
  CHECK ((status = 'draft') = (published_on IS NULL)),
  CHECK ((status = 'retired') = (retired_on IS NOT NULL)),
  CHECK (retired_on IS NULL OR retired_on >= published_on)
);
-- At most one draft and one published version per council at a time.
CREATE UNIQUE INDEX allocation_models_one_draft ON allocation_models (council_id) WHERE status = 'draft';
CREATE UNIQUE INDEX allocation_models_one_published ON allocation_models (council_id) WHERE status = 'published';

CREATE FUNCTION allocation_models_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'allocation model version % cannot be deleted', OLD.version;
  END IF;
  IF NEW.id <> OLD.id OR NEW.council_id <> OLD.council_id OR NEW.version <> OLD.version
     OR NEW.created_at <> OLD.created_at OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'allocation model version %: its identity cannot change', OLD.version;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'published' AND NEW.status = 'retired'
     AND NEW.model = OLD.model AND NEW.published_on = OLD.published_on
     AND NEW.published_by IS NOT DISTINCT FROM OLD.published_by
     AND NEW.updated_at = OLD.updated_at AND NEW.updated_by IS NOT DISTINCT FROM OLD.updated_by THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'allocation model version % is % and cannot be changed', OLD.version, OLD.status;
END
$$;
CREATE TRIGGER allocation_models_guard BEFORE UPDATE OR DELETE ON allocation_models
  FOR EACH ROW EXECUTE FUNCTION allocation_models_guard();

-- A questionnaire completed for one person under one model version: with the family by a worker
-- (supported self-assessment) or by the family from their own account. Saved as it goes.
CREATE TABLE allocation_assessments (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  model_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'submitted')),
  completed_with text NOT NULL CHECK (completed_with IN ('worker_with_family', 'family')),
  -- Question id to level id. json, not jsonb: answers are only ever read whole, and json keeps the
  -- text as written, so a what-if run over every questionnaire reads it without converting it.
  answers json NOT NULL DEFAULT '{}'::json CHECK (json_typeof(answers) = 'object'),
  -- Whole years on the day it was started (and, once submitted, on the day it was submitted).
  age_years smallint NOT NULL CHECK (age_years BETWEEN 0 AND 130),
  -- The current package per stream code in pence when it was submitted: {"social_care": 420000}.
  current_package json NOT NULL DEFAULT '{}'::json CHECK (json_typeof(current_package) = 'object'),
  started_by uuid NOT NULL,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_by uuid,
  submitted_at timestamptz,
  -- The person's current questionnaire: the latest submitted one. Submitting another makes the one
  -- before it no longer current (the only change a submitted questionnaire allows).
  is_current boolean NOT NULL DEFAULT false,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, model_id) REFERENCES allocation_models (council_id, id),
  CHECK (NOT is_current OR status = 'submitted'),
  FOREIGN KEY (council_id, started_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, submitted_by) REFERENCES accounts (council_id, id),
  CHECK ((status = 'submitted') = (submitted_at IS NOT NULL)),
  CHECK ((submitted_at IS NULL) = (submitted_by IS NULL))
);
CREATE UNIQUE INDEX allocation_assessments_one_open ON allocation_assessments (council_id, person_id) WHERE status = 'in_progress';
CREATE INDEX allocation_assessments_person ON allocation_assessments (council_id, person_id, submitted_at DESC);
CREATE UNIQUE INDEX allocation_assessments_one_current ON allocation_assessments (council_id, person_id) WHERE is_current;
-- What-if runs read every current questionnaire in the order they were written (and so, mostly, in
-- the order of the table on disk).
CREATE INDEX allocation_assessments_current ON allocation_assessments (council_id, submitted_at, id) WHERE is_current;

CREATE FUNCTION allocation_assessments_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD.status = 'submitted' THEN
    -- Only one change is allowed: no longer being the person's current questionnaire.
    IF OLD.is_current AND NOT NEW.is_current
       AND NEW.id = OLD.id AND NEW.person_id = OLD.person_id AND NEW.model_id = OLD.model_id AND NEW.status = OLD.status
       AND NEW.completed_with = OLD.completed_with AND NEW.answers::text = OLD.answers::text AND NEW.age_years = OLD.age_years
       AND NEW.current_package::text = OLD.current_package::text AND NEW.started_by = OLD.started_by AND NEW.started_at = OLD.started_at
       AND NEW.updated_at = OLD.updated_at AND NEW.submitted_by = OLD.submitted_by AND NEW.submitted_at = OLD.submitted_at THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'questionnaire % was submitted and cannot be changed', OLD.id;
  END IF;
  IF NEW.person_id <> OLD.person_id OR NEW.model_id <> OLD.model_id OR NEW.started_by <> OLD.started_by OR NEW.started_at <> OLD.started_at THEN
    RAISE EXCEPTION 'questionnaire %: who it is for and its model cannot change', OLD.id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER allocation_assessments_guard BEFORE UPDATE ON allocation_assessments
  FOR EACH ROW EXECUTE FUNCTION allocation_assessments_guard();

-- The indicative budget a submitted questionnaire gave: the figures, and the whole explanation as
-- the family was shown it. Append-only.
CREATE TABLE allocation_results (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  assessment_id uuid NOT NULL,
  person_id uuid NOT NULL,
  model_id uuid NOT NULL,
  scored_at timestamptz NOT NULL,
  -- Indicative budget per stream for the first year (after transitional protection); NULL when the
  -- model does not convert that stream.
  education_high_needs_pence bigint CHECK (education_high_needs_pence >= 0),
  social_care_pence bigint CHECK (social_care_pence >= 0),
  health_continuing_care_pence bigint CHECK (health_continuing_care_pence >= 0),
  total_pence bigint NOT NULL CHECK (total_pence >= 0),
  exceptional_case_required boolean NOT NULL,
  -- The AllocationResult of src/domain/allocation/score.ts, pence as strings.
  explanation jsonb NOT NULL,
  UNIQUE (council_id, assessment_id),
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, assessment_id) REFERENCES allocation_assessments (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, model_id) REFERENCES allocation_models (council_id, id)
);
CREATE INDEX allocation_results_person ON allocation_results (council_id, person_id, scored_at DESC);

-- An exceptional case: the cap was reached, or the worker believes the figure is not enough. An
-- approver decides, with reasons; the agreed figure is reported for recalibration.
CREATE TABLE exceptional_case_requests (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  result_id uuid NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('cap', 'worker')),
  reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 4000),
  -- The annual amount the worker believes is needed, if they gave one.
  requested_pence bigint CHECK (requested_pence >= 0),
  requested_by uuid NOT NULL,
  requested_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'agreed', 'refused')),
  decided_by uuid,
  decided_at timestamptz,
  decision_reason text CHECK (decision_reason IS NULL OR length(btrim(decision_reason)) BETWEEN 1 AND 4000),
  agreed_pence bigint CHECK (agreed_pence >= 0),
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, result_id) REFERENCES allocation_results (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, requested_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, decided_by) REFERENCES accounts (council_id, id),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK ((decided_at IS NULL) = (decided_by IS NULL) AND (decided_at IS NULL) = (decision_reason IS NULL)),
  CHECK ((status = 'agreed') = (agreed_pence IS NOT NULL)),
  -- Nobody decides their own request.
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE UNIQUE INDEX exceptional_case_requests_one_pending ON exceptional_case_requests (council_id, result_id) WHERE status = 'pending';
CREATE INDEX exceptional_case_requests_status ON exceptional_case_requests (council_id, status, requested_at);

CREATE FUNCTION exceptional_case_requests_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'exceptional case request % was decided and cannot be changed', OLD.id;
  END IF;
  IF NEW.person_id <> OLD.person_id OR NEW.result_id <> OLD.result_id OR NEW.trigger <> OLD.trigger OR NEW.reason <> OLD.reason
     OR NEW.requested_pence IS DISTINCT FROM OLD.requested_pence OR NEW.requested_by <> OLD.requested_by OR NEW.requested_at <> OLD.requested_at THEN
    RAISE EXCEPTION 'exceptional case request %: the request itself cannot change', OLD.id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER exceptional_case_requests_guard BEFORE UPDATE ON exceptional_case_requests
  FOR EACH ROW EXECUTE FUNCTION exceptional_case_requests_guard();

-- A calibration test group: people whose current package costs are known, with their answers or
-- points, uploaded as CSV (src/domain/allocation/calibration.ts) and kept as parsed rows.
CREATE TABLE calibration_groups (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  row_count integer NOT NULL CHECK (row_count >= 1),
  rows jsonb NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
  uploaded_by uuid,
  uploaded_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, uploaded_by) REFERENCES accounts (council_id, id)
);
CREATE INDEX calibration_groups_council ON calibration_groups (council_id, uploaded_at DESC);

-- A what-if run: a draft model applied to every current assessment of the council, compared with the
-- published model. Runs in the background; progress is kept here so a page can be left and returned to.
CREATE TABLE allocation_impact_runs (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  draft_model_id uuid NOT NULL,
  published_model_id uuid,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed')),
  total integer NOT NULL DEFAULT 0 CHECK (total >= 0),
  done integer NOT NULL DEFAULT 0 CHECK (done >= 0 AND done <= total),
  started_by uuid,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  report jsonb,
  error text,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, draft_model_id) REFERENCES allocation_models (council_id, id),
  FOREIGN KEY (council_id, published_model_id) REFERENCES allocation_models (council_id, id),
  FOREIGN KEY (council_id, started_by) REFERENCES accounts (council_id, id),
  CHECK ((status = 'finished') = (report IS NOT NULL))
);
CREATE INDEX allocation_impact_runs_council ON allocation_impact_runs (council_id, started_at DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['allocation_models', 'allocation_assessments', 'allocation_results', 'exceptional_case_requests', 'calibration_groups', 'allocation_impact_runs']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON allocation_models, allocation_assessments, exceptional_case_requests, allocation_impact_runs TO onebudget_app;
GRANT SELECT, INSERT ON allocation_results, calibration_groups TO onebudget_app;
GRANT DELETE ON allocation_impact_runs TO onebudget_app;
GRANT EXECUTE ON FUNCTION allocation_models_guard(), allocation_assessments_guard(), exceptional_case_requests_guard() TO onebudget_app;
