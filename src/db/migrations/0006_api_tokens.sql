-- API tokens for machine clients (docs/decisions/0008-api-tokens.md). An administrator issues a
-- token for the council's JSON API with a name, scopes and an expiry; it is shown once and never
-- again. A token reads `obt_<id>_<secret>`: <id> is this row's id in base64url (not secret) and
-- <secret> 32 random bytes. This table keeps only the SHA-256 of the secret (hex, so that the check
-- below refuses anything that is not a hash) and a short prefix to recognise the token in lists.
-- A token is never deleted: revoking it sets revoked_at, so the audit log can always name it.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  -- The actions the token may do: CLIENT_SCOPES in src/domain/access/policy.ts.
  scopes text[] NOT NULL CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['people:list', 'person:view']::text[]),
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  prefix text NOT NULL CHECK (prefix ~ '^obt_[A-Za-z0-9_-]{8}$'),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- Set at most once a minute as the token is used.
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid,
  UNIQUE (council_id, id),
  FOREIGN KEY (council_id, created_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, revoked_by) REFERENCES accounts (council_id, id),
  -- Every token expires, at most a year after it was issued.
  CHECK (expires_at > created_at AND expires_at <= created_at + interval '1 year'),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE UNIQUE INDEX api_tokens_token_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_council ON api_tokens (council_id, created_at);

-- A revoked token stays revoked: nothing may clear or change its revocation.
CREATE FUNCTION api_tokens_stay_revoked() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL
     AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.revoked_by IS DISTINCT FROM OLD.revoked_by) THEN
    RAISE EXCEPTION 'API token % is revoked and stays revoked', OLD.id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER api_tokens_stay_revoked BEFORE UPDATE ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION api_tokens_stay_revoked();

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_tokens
  USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id());

-- No DELETE, and only the columns that record use and revocation may change.
GRANT SELECT, INSERT ON api_tokens TO onebudget_app;
GRANT UPDATE (last_used_at, revoked_at, revoked_by) ON api_tokens TO onebudget_app;
GRANT EXECUTE ON FUNCTION api_tokens_stay_revoked() TO onebudget_app;
