-- The caseload (issue 5) asks, on every page, which restricted people the viewer may open: those
-- they lead, and those they are named on. Both are read from an index alone, instead of fetching
-- every restricted person's row (bench/caseload.ts).

CREATE INDEX people_restricted_lead ON people (council_id, lead_worker_id, id) WHERE restricted;
CREATE INDEX named_workers_account ON named_workers (council_id, account_id, person_id);
