-- Issue 3: families and providers sign in too. The staff table becomes `accounts`, one row per
-- person who signs in, of three kinds:
--   staff    — a council officer with a role (and, for approvers, a delegated annual limit);
--   family   — a parent carer, a young person from 16, or a nominee or suitable person, linked to
--              the people they may see by `family_links` (a parent of siblings has several links,
--              a person may have several family accounts);
--   provider — a user at a provider organisation, who sees only the people whose support that
--              organisation holds (`support_arrangements`).
-- One email signs in to one account. An account can be disabled; disabling it, or changing its
-- password, ends all its sessions (src/services/accounts.ts).

ALTER TABLE staff RENAME TO accounts;
ALTER INDEX staff_email_unique RENAME TO accounts_email_unique;
ALTER TABLE accounts ADD COLUMN kind text NOT NULL DEFAULT 'staff';
ALTER TABLE accounts ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE accounts
  ALTER COLUMN role DROP NOT NULL,
  ALTER COLUMN job_title DROP NOT NULL,
  ALTER COLUMN team DROP NOT NULL,
  ADD COLUMN provider_id uuid,
  ADD COLUMN disabled_at timestamptz,
  ADD COLUMN password_changed_at timestamptz,
  ADD CONSTRAINT accounts_kind CHECK (kind IN ('staff', 'family', 'provider')),
  ADD CONSTRAINT accounts_staff_fields CHECK ((kind = 'staff') = (role IS NOT NULL AND job_title IS NOT NULL AND team IS NOT NULL)),
  ADD CONSTRAINT accounts_provider_fields CHECK ((kind = 'provider') = (provider_id IS NOT NULL)),
  ADD CONSTRAINT accounts_approval_limit CHECK (approval_limit_pence IS NULL OR kind = 'staff'),
  ADD CONSTRAINT accounts_provider FOREIGN KEY (council_id, provider_id) REFERENCES providers (council_id, id);
CREATE INDEX accounts_provider ON accounts (council_id, provider_id) WHERE provider_id IS NOT NULL;

-- Everything that pointed at a staff member now points at an account.
ALTER TABLE sessions RENAME COLUMN staff_id TO account_id;
ALTER TABLE staff_mfa RENAME TO account_mfa;
ALTER TABLE account_mfa RENAME COLUMN staff_id TO account_id;
ALTER TABLE mfa_recovery_codes RENAME COLUMN staff_id TO account_id;
ALTER TABLE pending_sign_ins RENAME COLUMN staff_id TO account_id;
CREATE INDEX sessions_account ON sessions (council_id, account_id);

-- Step-up: when this session last re-entered its second factor, for high-value actions.
ALTER TABLE sessions ADD COLUMN stepped_up_at timestamptz;

-- Which people a family account may see, and as what.
CREATE TABLE family_links (
  council_id uuid NOT NULL REFERENCES councils(id),
  account_id uuid NOT NULL,
  person_id uuid NOT NULL,
  relationship text NOT NULL CHECK (relationship IN ('parent_carer', 'young_person', 'nominee', 'suitable_person')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, person_id),
  FOREIGN KEY (council_id, account_id) REFERENCES accounts (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE
);
CREATE INDEX family_links_person ON family_links (council_id, person_id);

-- A provider organisation holding (some of) a person's support. Issue 5's plans and issue 6's
-- individual service funds will create these; until then the demo data and administrators do.
-- ends_on NULL means the arrangement is current.
CREATE TABLE support_arrangements (
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  provider_id uuid NOT NULL,
  description text NOT NULL,
  starts_on date NOT NULL,
  ends_on date,
  PRIMARY KEY (person_id, provider_id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, provider_id) REFERENCES providers (council_id, id),
  CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX support_arrangements_provider ON support_arrangements (council_id, provider_id);

-- The workers named on a restricted record, besides its lead worker: only they (and a subject
-- access export) may open it.
CREATE TABLE named_workers (
  council_id uuid NOT NULL REFERENCES councils(id),
  person_id uuid NOT NULL,
  account_id uuid NOT NULL,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, account_id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, account_id) REFERENCES accounts (council_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['family_links', 'support_arrangements', 'named_workers']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON family_links, support_arrangements, named_workers TO onebudget_app;
