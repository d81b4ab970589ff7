-- Families and provider users join by invitation, and anyone can reset a forgotten password by a
-- link sent to their email (docs/decisions/0007-invitations-and-mail.md).
--
-- Both links carry a random 256-bit token. Only its SHA-256 is stored here, so a copy of these
-- tables cannot be used to accept an invitation or set a password. Each link works once and
-- expires: an invitation after 7 days, a password reset after 1 hour.

-- An invitation to a family member (to see one person's record, as parent carer, the young person
-- themself from 16, a nominee or a suitable person) or to a user at a provider organisation.
CREATE TABLE invitations (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  token_hash text NOT NULL UNIQUE,
  email text NOT NULL,
  -- The name the inviter gave; the invitee may correct it when accepting.
  display_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('family', 'provider')),
  person_id uuid,
  relationship text CHECK (relationship IN ('parent_carer', 'young_person', 'nominee', 'suitable_person')),
  provider_id uuid,
  invited_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  -- The account that accepted: new, or an existing family account given another link.
  accepted_by uuid,
  revoked_at timestamptz,
  CHECK ((kind = 'family') = (person_id IS NOT NULL AND relationship IS NOT NULL)),
  CHECK ((kind = 'provider') = (provider_id IS NOT NULL)),
  CHECK (expires_at > created_at),
  CHECK ((accepted_at IS NULL) = (accepted_by IS NULL)),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id) ON DELETE CASCADE,
  FOREIGN KEY (council_id, provider_id) REFERENCES providers (council_id, id),
  FOREIGN KEY (council_id, invited_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, accepted_by) REFERENCES accounts (council_id, id)
);
CREATE INDEX invitations_person ON invitations (council_id, person_id) WHERE person_id IS NOT NULL;
CREATE INDEX invitations_provider ON invitations (council_id, provider_id) WHERE provider_id IS NOT NULL;

-- A link to set a new password, for 1 hour, once.
CREATE TABLE password_reset_tokens (
  token_hash text PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  account_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK (expires_at > created_at),
  FOREIGN KEY (council_id, account_id) REFERENCES accounts (council_id, id) ON DELETE CASCADE
);
CREATE INDEX password_reset_tokens_account ON password_reset_tokens (council_id, account_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['invitations', 'password_reset_tokens']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON invitations, password_reset_tokens TO onebudget_app;
