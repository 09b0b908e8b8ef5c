-- A case worker tried to register a phone number that a seeker of ANOTHER agency already has. The case worker is told
-- only that the number could not be registered (never where or whether the person is known); the programme admin
-- gets this task to check the pair with both agencies. Rows are counted per case worker for the rate limit.
CREATE TABLE duplicate_check (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    existing_seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    requesting_agency_id uuid NOT NULL REFERENCES organisation (id),
    requested_by uuid NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);

CREATE INDEX ix_duplicate_check_requester ON duplicate_check (requested_by, requested_at);
CREATE INDEX ix_duplicate_check_open ON duplicate_check (requested_at) WHERE resolved_at IS NULL;
