-- OneBudget foundation: councils (tenants), funding streams, staff, people, providers and services,
-- sessions and the audit log. Every tenant table carries council_id and is protected by row-level
-- security: the application works as the role onebudget_app, which sees only the rows of the council
-- named by the transaction setting app.council_id (see src/db/tenancy.ts).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'onebudget_app') THEN
    CREATE ROLE onebudget_app NOLOGIN;
  END IF;
END
$$;

-- The login role must be able to SET ROLE onebudget_app (a superuser can anyway).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'onebudget_app', 'MEMBER') THEN
    EXECUTE format('GRANT onebudget_app TO %I', current_user);
  END IF;
END
$$;

-- The council in scope for this transaction; NULL when none is set, so no tenant row matches.
CREATE FUNCTION app_council_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.council_id', true), '')::uuid $$;

CREATE TABLE councils (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,40}$'),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE funding_streams (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  code text NOT NULL CHECK (code IN ('education_high_needs', 'social_care', 'health_continuing_care')),
  name text NOT NULL,
  funder text NOT NULL,
  annual_envelope_pence bigint NOT NULL CHECK (annual_envelope_pence >= 0),
  UNIQUE (council_id, code),
  UNIQUE (council_id, id)
);

CREATE TABLE staff (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  email text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('caseworker', 'approver', 'finance_officer', 'commissioner', 'administrator')),
  job_title text NOT NULL,
  team text NOT NULL,
  approval_limit_pence bigint CHECK (approval_limit_pence IS NULL OR approval_limit_pence >= 0),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (council_id, id)
);
-- An email address signs in to exactly one account, whichever council holds it.
CREATE UNIQUE INDEX staff_email_unique ON staff (lower(email));

CREATE TABLE people (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  reference text NOT NULL,
  given_name text NOT NULL,
  family_name text NOT NULL,
  date_of_birth date NOT NULL,
  postcode text NOT NULL,
  case_type text NOT NULL CHECK (case_type IN ('ehc', 'social_care_child', 'social_care_adult', 'continuing_care')),
  primary_need text CHECK (primary_need IN ('ASD','DS','HI','MLD','MSI','OTH','PD','PMLD','SEMH','SLCN','SLD','SpLD','VI')),
  needs_summary text NOT NULL,
  setting text,
  stage text NOT NULL CHECK (stage IN ('request', 'assessment', 'allocation', 'planning', 'approval', 'agreed', 'review')),
  stage_since date NOT NULL,
  request_date date NOT NULL,
  lead_worker_id uuid,
  indicative_budget_pence bigint CHECK (indicative_budget_pence IS NULL OR indicative_budget_pence >= 0),
  current_package_pence bigint CHECK (current_package_pence IS NULL OR current_package_pence >= 0),
  restricted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (council_id, reference),
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, lead_worker_id) REFERENCES staff (council_id, id)
);
CREATE INDEX people_council_stage ON people (council_id, stage);
CREATE INDEX people_council_name ON people (council_id, family_name, given_name);

-- The agreed personal budget, one line per funding stream and way of managing the money.
CREATE TABLE budget_lines (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  funding_stream_id uuid NOT NULL,
  management text NOT NULL CHECK (management IN ('direct_payment', 'individual_service_fund', 'council_managed')),
  description text NOT NULL,
  annual_pence bigint NOT NULL CHECK (annual_pence >= 0),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, funding_stream_id) REFERENCES funding_streams (council_id, id)
);
CREATE INDEX budget_lines_person ON budget_lines (council_id, person_id);

CREATE TABLE providers (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('charity', 'care_agency', 'school', 'personal_assistant_agency', 'social_enterprise', 'nhs_trust', 'council_service')),
  email text NOT NULL,
  phone text NOT NULL,
  town text NOT NULL,
  UNIQUE (council_id, id)
);

CREATE TABLE services (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  provider_id uuid NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  category text NOT NULL,
  min_age smallint NOT NULL CHECK (min_age >= 0),
  max_age smallint NOT NULL CHECK (max_age >= min_age),
  unit text NOT NULL CHECK (unit IN ('hour', 'session', 'day', 'night', 'week', 'item')),
  unit_cost_pence bigint NOT NULL CHECK (unit_cost_pence >= 0),
  FOREIGN KEY (council_id, provider_id) REFERENCES providers (council_id, id)
);
CREATE INDEX services_council_category ON services (council_id, category, name);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  staff_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  FOREIGN KEY (council_id, staff_id) REFERENCES staff (council_id, id) ON DELETE CASCADE
);

-- Append-only: who did or saw what, when and why. The database refuses UPDATE and DELETE.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  occurred_at timestamptz NOT NULL,
  actor_id uuid,
  actor_role text,
  action text NOT NULL,
  subject_type text,
  subject_id uuid,
  source_address text,
  request_id text,
  reason text,
  detail jsonb
);
CREATE INDEX audit_events_subject ON audit_events (council_id, subject_type, subject_id, occurred_at);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Row-level security on every tenant table.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['funding_streams', 'staff', 'people', 'budget_lines', 'providers', 'services', 'sessions', 'audit_events']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO onebudget_app;
GRANT SELECT ON councils TO onebudget_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON funding_streams, staff, people, budget_lines, providers, services, sessions TO onebudget_app;
GRANT SELECT, INSERT ON audit_events TO onebudget_app;
GRANT USAGE ON SEQUENCE audit_events_id_seq TO onebudget_app;
GRANT EXECUTE ON FUNCTION app_council_id() TO onebudget_app;
