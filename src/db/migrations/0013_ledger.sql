-- The double-entry ledger (issue 6): where every penny of a personal budget is, provably.
--
-- SIGN CONVENTION (the one place it is written for the database; also docs/decisions/0017-ledger.md):
--   amount_pence > 0 is a DEBIT: money INTO the account.
--   amount_pence < 0 is a CREDIT: money OUT OF the account.
--   An account's balance is the sum of its entries: what it holds. A budget allocated £1,000 and
--   committed £300 holds +£700; the funding stream pot it came from goes to −£1,000 (it has given it).
--
-- The rules the database itself enforces, whoever writes (the application role or the owner):
--   * Balanced: at commit, every ledger transaction has at least two entries and they sum to zero
--     (deferred constraint triggers, so the entries may be inserted after their transaction row).
--   * Immutable: entries and transactions are never changed or deleted (triggers; the application
--     role is also granted only SELECT and INSERT). A mistake is corrected by a reversing transaction.
--   * One council: row-level security (tenant_isolation) and foreign keys that include council_id.
--   * Idempotent: a client-supplied key is unique per council; the service compares content hashes.

CREATE TABLE ledger_accounts (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  kind text NOT NULL CHECK (kind IN (
    'stream_pot',          -- a funding stream's money for the year
    'budget',              -- a person's personal budget: one per budget line (stream × way of managing)
    'dp_holder',           -- a direct payment holder's account: money paid to the family
    'provider',            -- an ISF provider holding money for a person
    'council_commitment',  -- council-managed services committed
    'recoveries',          -- money recovered (surplus direct payments and the like)
    'write_offs',          -- money the council has decided not to recover
    'payments_out'         -- the bank: money leaving the council
  )),
  -- What the account is about. Which links an account has is its natural identity (see the unique
  -- constraint below); links are optional except where a kind cannot make sense without them.
  personal_budget_id uuid,
  funding_stream_id uuid,
  management text CHECK (management IS NULL OR management IN ('direct_payment', 'individual_service_fund', 'council_managed')),
  person_id uuid,
  provider_id uuid,
  -- The first day of the year a stream pot (or any account kept per period) is for.
  period_starts_on date,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- False for a budget: a budget can never be committed beyond its allocation.
  overdraft_allowed boolean NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (council_id, id),
  -- "Find or create" of an account is idempotent: one account per natural identity (NULL = "none",
  -- so two stream-less recoveries accounts of one council are the same account).
  CONSTRAINT ledger_accounts_natural_identity UNIQUE NULLS NOT DISTINCT
    (council_id, kind, personal_budget_id, funding_stream_id, management, person_id, provider_id, period_starts_on),
  FOREIGN KEY (council_id, personal_budget_id) REFERENCES personal_budgets (council_id, id),
  FOREIGN KEY (council_id, funding_stream_id) REFERENCES funding_streams (council_id, id),
  FOREIGN KEY (council_id, person_id) REFERENCES people (council_id, id),
  FOREIGN KEY (council_id, provider_id) REFERENCES providers (council_id, id),
  -- A budget account is a line of an agreed personal budget.
  FOREIGN KEY (personal_budget_id, funding_stream_id, management)
    REFERENCES personal_budget_lines (personal_budget_id, funding_stream_id, management),
  CHECK (kind <> 'budget' OR (personal_budget_id IS NOT NULL AND funding_stream_id IS NOT NULL AND management IS NOT NULL)),
  CHECK (kind <> 'budget' OR NOT overdraft_allowed),
  CHECK (kind <> 'stream_pot' OR funding_stream_id IS NOT NULL),
  CHECK (kind <> 'provider' OR provider_id IS NOT NULL)
);

CREATE TABLE ledger_transactions (
  id uuid PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  -- Supplied by the client: posting the same key again returns the original (same content) or is
  -- refused (different content). See src/services/ledger.ts.
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  -- sha256 hex of the canonical content (src/domain/ledger/ledger.ts contentHash): everything but the key.
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  kind text NOT NULL CHECK (kind IN ('allocation', 'payment', 'spend', 'refund', 'recovery', 'write_off', 'rollover', 'reversal', 'adjustment')),
  -- The day the money moves: balances "as of a date" count the entries effective on or before it.
  effective_on date NOT NULL,
  recorded_at timestamptz NOT NULL,
  -- Who posted it; NULL for the system (the payment run job).
  recorded_by uuid,
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  reverses_transaction_id uuid,
  UNIQUE (council_id, id),
  CONSTRAINT ledger_transactions_idempotency_key UNIQUE (council_id, idempotency_key),
  FOREIGN KEY (council_id, recorded_by) REFERENCES accounts (council_id, id),
  FOREIGN KEY (council_id, reverses_transaction_id) REFERENCES ledger_transactions (council_id, id),
  CHECK ((kind = 'reversal') = (reverses_transaction_id IS NOT NULL))
);
-- A transaction is reversed at most once.
CREATE UNIQUE INDEX ledger_transactions_one_reversal ON ledger_transactions (reverses_transaction_id)
  WHERE reverses_transaction_id IS NOT NULL;

-- A bigint identity rather than a uuid: a payment run writes hundreds of thousands of entries, and
-- an 8-byte ever-increasing key keeps the primary key index small and appended at its right edge
-- (a random uuid would touch a random index page per row). Nothing outside refers to an entry by id.
CREATE TABLE ledger_entries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  council_id uuid NOT NULL REFERENCES councils(id),
  transaction_id uuid NOT NULL,
  account_id uuid NOT NULL,
  -- Positive = debit (money into the account), negative = credit (out of it). Never zero; at most
  -- £100 million either way (the same limit as src/domain/ledger/ledger.ts).
  amount_pence bigint NOT NULL CHECK (amount_pence <> 0 AND amount_pence BETWEEN -10000000000 AND 10000000000),
  -- Copied from the transaction (checked at commit), so that a balance as of a date reads one index.
  effective_on date NOT NULL,
  FOREIGN KEY (council_id, transaction_id) REFERENCES ledger_transactions (council_id, id),
  FOREIGN KEY (council_id, account_id) REFERENCES ledger_accounts (council_id, id),
  -- An account appears once in a transaction; this index also finds a transaction's entries.
  UNIQUE (transaction_id, account_id)
);
-- Balances and statements: the amounts are in the index, so a balance is an index-only scan.
CREATE INDEX ledger_entries_account ON ledger_entries (council_id, account_id, effective_on) INCLUDE (amount_pence);

-- ---- Balanced transactions ------------------------------------------------------------------

CREATE FUNCTION ledger_assert_balanced(tx_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  entry_count bigint;
  total numeric;
  wrong_dates bigint;
BEGIN
  SELECT count(e.id), coalesce(sum(e.amount_pence), 0), count(*) FILTER (WHERE e.effective_on <> t.effective_on)
    INTO entry_count, total, wrong_dates
    FROM ledger_transactions t
    LEFT JOIN ledger_entries e ON e.transaction_id = t.id
   WHERE t.id = tx_id;
  IF entry_count < 2 THEN
    RAISE EXCEPTION 'ledger transaction % has % entries: a transaction moves money between at least two accounts', tx_id, entry_count
      USING ERRCODE = 'check_violation';
  END IF;
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: its entries sum to % pence, not zero', tx_id, total
      USING ERRCODE = 'check_violation';
  END IF;
  IF wrong_dates > 0 THEN
    RAISE EXCEPTION 'ledger transaction % has entries effective on another day than the transaction', tx_id
      USING ERRCODE = 'check_violation';
  END IF;
END
$$;

-- Fires at commit once per new transaction row: it and all its entries are in by then.
CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_assert_balanced(NEW.id);
  RETURN NULL;
END
$$;

-- Fires at commit once per new entry. An entry added to a transaction made in this same database
-- transaction is covered by the check above (skipped here: a payment run adds 100,000s of entries);
-- an entry added to an older, already committed transaction is checked here, and unbalances it.
-- (xmin is the 32-bit id of the inserting transaction; a committed row could match the current id
-- again only some four billion transactions later, and then an added entry would go unchecked.)
CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = NEW.transaction_id AND t.xmin::text = (pg_current_xact_id()::xid)::text) THEN
    PERFORM ledger_assert_balanced(NEW.transaction_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();

-- ---- Immutable ------------------------------------------------------------------------------

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries cannot be changed or deleted; post a reversing transaction (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_immutable BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- An account keeps its identity and its overdraft rule for ever; only its display name may change
-- (a person's or provider's name is corrected). It is never deleted: entries refer to it.
CREATE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.id, NEW.council_id, NEW.kind, NEW.personal_budget_id, NEW.funding_stream_id, NEW.management,
                           NEW.person_id, NEW.provider_id, NEW.period_starts_on, NEW.overdraft_allowed, NEW.created_at)
                          IS NOT DISTINCT FROM
                          (OLD.id, OLD.council_id, OLD.kind, OLD.personal_budget_id, OLD.funding_stream_id, OLD.management,
                           OLD.person_id, OLD.provider_id, OLD.period_starts_on, OLD.overdraft_allowed, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ledger accounts cannot be changed (except their name) or deleted (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_accounts_immutable BEFORE UPDATE OR DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_account_guard();
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- ---- Tenancy and privileges -----------------------------------------------------------------

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ledger_accounts', 'ledger_transactions', 'ledger_entries']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (council_id = app_council_id()) WITH CHECK (council_id = app_council_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT ON ledger_transactions, ledger_entries TO onebudget_app;
-- UPDATE of the name only: renaming, and SELECT … FOR NO KEY UPDATE (which needs an UPDATE
-- privilege) to serialise postings against a budget.
GRANT SELECT, INSERT ON ledger_accounts TO onebudget_app;
GRANT UPDATE (name) ON ledger_accounts TO onebudget_app;
