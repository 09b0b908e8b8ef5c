-- What the domain jobs have told people about, so a job that runs twice tells nobody twice (R27). Each mark is set in
-- the same transaction as the outbox row that does the telling (R26).

-- When the employer was told about this candidate (a digest). NULL while the candidate is new to the employer.
ALTER TABLE match ADD COLUMN employer_notified_at timestamptz;
CREATE INDEX ix_match_digest_due ON match (vacancy_id) WHERE status = 'shown' AND employer_notified_at IS NULL;

-- When the employer was asked to answer this retention check-in.
ALTER TABLE retention_checkin ADD COLUMN employer_asked_at timestamptz;
