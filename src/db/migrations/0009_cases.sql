-- The statutory pathway (issue 5): a person's cases, each with its lead professional, and every
-- step of the case as it happened. Deadlines are worked out from the steps by
-- src/domain/pathway/ (never stored as the truth); the case keeps the next one only so that a
-- caseload of 20,000 can be listed and counted from an index (decision 0013).
--
-- Steps are append-only: a mistake is put right by another step that says so, never by editing.

CREATE TABLE cases (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  case_type text NOT NULL CHECK (case_type IN ('ehc', 'social_care_child', 'social_care_adult', 'continuing_care')),
  lead_worker_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  -- Where the case has got to (src/domain/pathway/steps.ts: caseStage), kept with every step.
  stage text NOT NULL,
  -- The date the statutory clock starts: the request for an assessment.
  request_date date NOT NULL,
  -- EHC: the school year's phase transfer the plan is preparing for (final amended plan by 15 February of it).
  phase_transfer_year smallint CHECK (phase_transfer_year IS NULL OR phase_transfer_year BETWEEN 2000 AND 2100),
  -- The earliest deadline not yet met, as the domain worked it out when the last step was recorded.
  next_due_on date,
  next_due_kind text,
  -- Some reg 10(4) exception has been recorded on this case (reported separately).
  has_exception boolean NOT NULL DEFAULT false,
  -- A copy of people.restricted (kept by the triggers below), so that the caseload can be counted
  -- from the cases' own index without reading 20,000 people to leave out the restricted few.
  person_restricted boolean NOT NULL DEFAULT false,
  closed_on date,
  closed_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, lead_worker_id) REFERENCES accounts (council_id, id),
  CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
  CHECK ((next_due_on IS NULL) = (next_due_kind IS NULL))
);
CREATE INDEX cases_person ON cases (council_id, person_id);
-- The caseload: open cases by deadline, for everyone or for one lead worker.
CREATE INDEX cases_open_due ON cases (council_id, next_due_on, id) WHERE status = 'open';
CREATE INDEX cases_worker_open_due ON cases (council_id, lead_worker_id, next_due_on, id) WHERE status = 'open';

-- Keeps cases.person_restricted equal to the person's restricted flag.
CREATE FUNCTION cases_copy_person_restricted() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.restricted INTO NEW.person_restricted FROM people p WHERE p.council_id = NEW.council_id AND p.id = NEW.person_id;
  NEW.person_restricted := coalesce(NEW.person_restricted, false);
  RETURN NEW;
END
$$;
CREATE TRIGGER cases_person_restricted BEFORE INSERT OR UPDATE OF person_id ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_copy_person_restricted();

CREATE FUNCTION people_restricted_to_cases() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases SET person_restricted = NEW.restricted WHERE council_id = NEW.council_id AND person_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER people_restricted_to_cases AFTER UPDATE OF restricted ON people
  FOR EACH ROW WHEN (OLD.restricted IS DISTINCT FROM NEW.restricted) EXECUTE FUNCTION people_restricted_to_cases();

-- The few restricted people, so that the caseload can find which of them a worker may see without
-- reading every person.
CREATE INDEX people_restricted ON people (council_id, id) WHERE restricted;

CREATE TABLE case_steps (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  case_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'request_received', 'decided_to_assess', 'decided_not_to_assess',
    'advice_requested', 'advice_received',
    'decided_to_issue', 'decided_not_to_issue',
    'draft_issued', 'family_responded', 'final_issued',
    'exception_recorded',
    'review_meeting_planned', 'review_papers_sent', 'review_meeting_held', 'review_report_sent',
    'review_decision', 'amended_plan_issued',
    'plan_agreed', 'plan_reviewed',
    'direct_payment_started', 'direct_payment_reviewed',
    'lead_worker_changed', 'case_closed')),
  -- The day it happened (may be earlier than the day it was recorded, never later).
  occurred_on date NOT NULL,
  -- What the kind needs: reasons, who advice was asked of, a meeting date, an exception's dates...
  details jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object'),
  recorded_by uuid NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, case_id) REFERENCES cases (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, recorded_by) REFERENCES accounts (council_id, id)
);
CREATE INDEX case_steps_case ON case_steps (council_id, case_id, occurred_on, recorded_at);

-- Reminders sent, so that each is sent once: to the lead worker before a deadline, to the family at
-- each stage.
CREATE TABLE case_reminders (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  case_id uuid NOT NULL,
  -- The deadline or stage it is about, and the date it is due.
  about text NOT NULL,
  due_on date NOT NULL,
  recipient text NOT NULL CHECK (recipient IN ('worker', 'family')),
  recipient_account_id uuid NOT NULL,
  sent_at timestamptz NOT NULL,
  UNIQUE (case_id, about, due_on, recipient_account_id),
  FOREIGN KEY (council_id, case_id) REFERENCES cases (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, recipient_account_id) REFERENCES accounts (council_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['cases', 'case_steps', 'case_reminders']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON cases TO onebudget_app;
GRANT SELECT, INSERT ON case_steps, case_reminders TO onebudget_app;
