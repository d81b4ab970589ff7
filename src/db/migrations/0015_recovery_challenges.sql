-- Recovery challenges (decision 0019): the working in its own column, and the family's challenge
-- recorded on the recovery with its outcome and any repayment. One challenge per recovery: the
-- council's review; after that the family goes to the Ombudsman, outside the system.

-- ---- The working, out of the reasons ---------------------------------------------------------------
-- It used to follow a marker line in `reasons`; the notice shows it under "How we worked it out".
ALTER TABLE recoveries ADD COLUMN working text NOT NULL DEFAULT '' CHECK (length(working) <= 4000);
UPDATE recoveries
   SET working = substr(reasons, position(E'\n\n--- How this was worked out ---\n' IN reasons) + length(E'\n\n--- How this was worked out ---\n')),
       reasons = substr(reasons, 1, position(E'\n\n--- How this was worked out ---\n' IN reasons) - 1)
 WHERE position(E'\n\n--- How this was worked out ---\n' IN reasons) > 1;

-- ---- The challenge ----------------------------------------------------------------------------------
-- Received (a late challenge is still recorded and considered), then decided by someone who was not
-- part of the decision: neither who proposed the recovery nor who approved it (the notice promises it). Upheld repays it all; partly upheld repays part; not upheld
-- repays nothing. A repayment is posted recoveries → holder under `recovery:<id>:repaid`.
ALTER TABLE recoveries
  ADD COLUMN challenge_received_on date,
  ADD COLUMN challenge_recorded_by uuid,
  ADD COLUMN challenge_recorded_at timestamptz,
  ADD COLUMN challenge_summary text CHECK (length(challenge_summary) BETWEEN 1 AND 4000),
  ADD COLUMN challenge_outcome text CHECK (challenge_outcome IN ('upheld', 'partly_upheld', 'not_upheld')),
  ADD COLUMN challenge_decided_by uuid,
  ADD COLUMN challenge_decided_at timestamptz,
  ADD COLUMN challenge_note text CHECK (length(challenge_note) BETWEEN 1 AND 4000),
  ADD COLUMN repaid_pence bigint CHECK (repaid_pence >= 0),
  ADD COLUMN repayment_transaction_id uuid,
  ADD FOREIGN KEY (council_id, challenge_recorded_by) REFERENCES accounts (council_id, id),
  ADD FOREIGN KEY (council_id, challenge_decided_by) REFERENCES accounts (council_id, id),
  ADD FOREIGN KEY (council_id, repayment_transaction_id) REFERENCES ledger_transactions (council_id, id),
  -- Only an approved recovery can be challenged; received, recorded and summarised together.
  ADD CHECK (challenge_received_on IS NULL OR status = 'approved'),
  ADD CHECK ((challenge_received_on IS NULL) = (challenge_recorded_by IS NULL)
             AND (challenge_received_on IS NULL) = (challenge_recorded_at IS NULL)
             AND (challenge_received_on IS NULL) = (challenge_summary IS NULL)),
  -- An outcome needs a received challenge, and comes with who decided, when, a note and the amount repaid.
  ADD CHECK (challenge_outcome IS NULL OR challenge_received_on IS NOT NULL),
  ADD CHECK ((challenge_outcome IS NULL) = (challenge_decided_by IS NULL)
             AND (challenge_outcome IS NULL) = (challenge_decided_at IS NULL)
             AND (challenge_outcome IS NULL) = (challenge_note IS NULL)
             AND (challenge_outcome IS NULL) = (repaid_pence IS NULL)),
  -- The review is by someone who was not part of the decision.
  ADD CHECK (challenge_decided_by IS NULL OR (challenge_decided_by <> decided_by AND challenge_decided_by <> proposed_by)),
  ADD CHECK (repaid_pence IS NULL OR repaid_pence <= amount_pence),
  ADD CHECK (challenge_outcome IS DISTINCT FROM 'upheld' OR (repaid_pence = amount_pence AND repayment_transaction_id IS NOT NULL)),
  ADD CHECK (challenge_outcome IS DISTINCT FROM 'partly_upheld' OR (repaid_pence > 0 AND repaid_pence < amount_pence AND repayment_transaction_id IS NOT NULL)),
  ADD CHECK (challenge_outcome IS DISTINCT FROM 'not_upheld' OR (repaid_pence = 0 AND repayment_transaction_id IS NULL)),
  ADD CHECK (repayment_transaction_id IS NULL OR challenge_outcome IN ('upheld', 'partly_upheld'));
