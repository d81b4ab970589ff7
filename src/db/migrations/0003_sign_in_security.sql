-- Staff sign-in security (issue 3): throttling failed sign-in attempts, TOTP multi-factor
-- authentication with single-use recovery codes, and the short-lived pending sign-in that sits
-- between a correct password and the second factor.

-- Sign-in attempts, for throttling: at most 10 failures per account and per source address in
-- 5 minutes (src/domain/identity/sign-in.ts). NOT a tenant table: an attempt may name an email that
-- is no account, so no council can own the row, and the throttle must treat unknown emails exactly
-- like known ones. It is reached only through src/db/system.ts on the owner connection; the
-- application role has no grant on it. It holds no personal data beyond the normalised email as
-- typed and the source address, and rows older than a day are deleted as new attempts arrive.
CREATE TABLE sign_in_attempts (
  id bigserial PRIMARY KEY,
  email_key text NOT NULL,
  source_address text NOT NULL,
  attempted_at timestamptz NOT NULL,
  -- Recorded as a failure when the attempt starts; set true once it succeeds, so that an attempt
  -- cut short by a crash still counts.
  succeeded boolean NOT NULL DEFAULT false
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email_key, attempted_at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (source_address, attempted_at);
CREATE INDEX sign_in_attempts_time ON sign_in_attempts (attempted_at);

-- A staff member's authenticator app (RFC 6238 TOTP). The secret is encrypted by the application
-- (AES-256-GCM, key derived from SESSION_SECRET: docs/decisions/0005-staff-mfa.md). last_used_step
-- is the 30-second step of the last code accepted: no code is accepted twice.
CREATE TABLE staff_mfa (
  staff_id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  totp_secret text NOT NULL,
  enrolled_at timestamptz NOT NULL,
  last_used_step bigint NOT NULL,
  FOREIGN KEY (council_id, staff_id) REFERENCES staff (council_id, id) ON DELETE CASCADE
);

-- Single-use recovery codes, stored as SHA-256 hashes (each code carries about 79 random bits).
CREATE TABLE mfa_recovery_codes (
  council_id uuid NOT NULL REFERENCES councils(id),
  staff_id uuid NOT NULL,
  code_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (staff_id, code_hash),
  FOREIGN KEY (council_id, staff_id) REFERENCES staff (council_id, id) ON DELETE CASCADE
);

-- A correct password waiting for its second factor, for 5 minutes at most. The browser holds a
-- random token in its own signed cookie; this table holds only its SHA-256. No session exists
-- until the second factor is given. enrolment_secret is the encrypted secret being set up, for an
-- account that has no authenticator app yet. return_to is a path on this site.
CREATE TABLE pending_sign_ins (
  id_hash text PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  staff_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  return_to text,
  enrolment_secret text,
  FOREIGN KEY (council_id, staff_id) REFERENCES staff (council_id, id) ON DELETE CASCADE
);
CREATE INDEX pending_sign_ins_expiry ON pending_sign_ins (expires_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff_mfa', 'mfa_recovery_codes', 'pending_sign_ins']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON staff_mfa, mfa_recovery_codes, pending_sign_ins TO onebudget_app;
