-- Tamper-evident audit log: each council's events form a hash chain. A BEFORE INSERT trigger gives
-- every event the next sequence number of its council, the hash of the event before it, and its own
-- hash: sha256 over the previous hash and a canonical text of the event. Any later change, removal
-- or insertion breaks the chain, and `npm run audit:verify` names where. The canonical text is
-- defined twice, here and in src/domain/audit/chain.ts; an integration test proves they agree.

ALTER TABLE audit_events
  ADD COLUMN seq bigint,
  ADD COLUMN prev_hash text,
  ADD COLUMN hash text;

-- Each field as <bytes>:<text>, or '-' for NULL, joined by '|': unambiguous whatever the text holds.
CREATE FUNCTION audit_field(value text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT coalesce(octet_length(value)::text || ':' || value, '-') $$;

CREATE FUNCTION audit_canonical(e audit_events) RETURNS text
  LANGUAGE sql STABLE
  AS $$
    SELECT concat_ws('|',
      audit_field(e.council_id::text),
      audit_field(e.seq::text),
      audit_field(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
      audit_field(e.actor_id::text),
      audit_field(e.actor_role),
      audit_field(e.action),
      audit_field(e.subject_type),
      audit_field(e.subject_id::text),
      audit_field(e.source_address),
      audit_field(e.request_id),
      audit_field(e.reason),
      audit_field(e.detail::text))
  $$;

CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  -- One writer per council at a time, so that two transactions cannot both extend the same link.
  PERFORM pg_advisory_xact_lock(hashtextextended('onebudget.audit:' || NEW.council_id::text, 0));
  SELECT seq, hash INTO last_seq, last_hash
    FROM audit_events
    WHERE council_id = NEW.council_id AND seq IS NOT NULL
    ORDER BY seq DESC
    LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, '');
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || '|' || audit_canonical(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END
$$;

-- Events written before this migration join the chain in their original order.
DO $$
DECLARE
  e audit_events;
  prev_seq bigint;
  prev text;
  current_council uuid := NULL;
BEGIN
  ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
  FOR e IN SELECT * FROM audit_events ORDER BY council_id, id LOOP
    IF current_council IS DISTINCT FROM e.council_id THEN
      current_council := e.council_id;
      prev_seq := 0;
      prev := '';
    END IF;
    e.seq := prev_seq + 1;
    e.prev_hash := prev;
    e.hash := encode(sha256(convert_to(prev || '|' || audit_canonical(e), 'UTF8')), 'hex');
    UPDATE audit_events SET seq = e.seq, prev_hash = e.prev_hash, hash = e.hash WHERE id = e.id;
    prev_seq := e.seq;
    prev := e.hash;
  END LOOP;
  ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
END
$$;

ALTER TABLE audit_events
  ALTER COLUMN seq SET NOT NULL,
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_events_council_seq ON audit_events (council_id, seq);

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_chain();

GRANT EXECUTE ON FUNCTION audit_field(text), audit_canonical(audit_events), audit_chain() TO onebudget_app;
