-- Board events the matching and background-job features react to: a vacancy published, an open vacancy's
-- skills changed, a vacancy closed, an employer suspended. Written in the same transaction as the change,
-- so no event is lost and none is recorded for a change that rolled back (an outbox).
CREATE TABLE vacancy_event (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('published', 'skills_changed', 'closed', 'employer_suspended')),
    vacancy_id bigint REFERENCES vacancy (id),
    employer_id uuid NOT NULL REFERENCES employer (organisation_id),
    at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz
);

CREATE INDEX ix_vacancy_event_unprocessed ON vacancy_event (id) WHERE processed_at IS NULL;
