-- A proposed match of one seeker to one vacancy, and everything that happens to it afterwards.
-- Matches refer to seekers by id only; employer-facing views show the seeker's public reference.
CREATE TABLE match (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vacancy_id bigint NOT NULL,
    seeker_id bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('proposed', 'approved', 'skipped', 'shown', 'invited', 'accepted', 'declined',
                                           'interviewed', 'hired', 'not_selected', 'withdrawn')),
    rank int NOT NULL,
    score real NOT NULL,
    ranker text NOT NULL,            -- 'model' or 'rule'
    model_version int,               -- ranking_model.version when ranked by a model
    explanation jsonb NOT NULL,      -- skills met/missing, distance, wage fit, top feature contributions: no personal data
    proposed_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 1,
    -- Outcome details, filled by the transitions that record them.
    review_reason text,
    decline_reason text,
    not_selected_reason text,
    hired_start_date date,
    hired_monthly_wage_bdt int,
    hired_written_contract boolean,
    UNIQUE (vacancy_id, seeker_id)
);

CREATE INDEX ix_match_seeker_status ON match (seeker_id, status);
CREATE INDEX ix_match_vacancy_status ON match (vacancy_id, status, rank);

-- Every transition, with who and when: the history case workers see, and the source of training labels.
CREATE TABLE match_event (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id bigint NOT NULL REFERENCES match (id) ON DELETE CASCADE,
    from_status text,
    to_status text NOT NULL,
    actor_user_id uuid,
    actor_role text NOT NULL,
    reason text,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_match_event_match ON match_event (match_id, at);

-- Retention check-ins at 1, 3 and 6 months after a hire.
CREATE TABLE retention_checkin (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id bigint NOT NULL REFERENCES match (id) ON DELETE CASCADE,
    months int NOT NULL CHECK (months IN (1, 3, 6)),
    due_on date NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'still_employed', 'left', 'no_answer')),
    answered_at timestamptz,
    left_on date,
    left_reason text,
    case_worker_alerted_at timestamptz,
    UNIQUE (match_id, months)
);

CREATE INDEX ix_retention_checkin_due ON retention_checkin (status, due_on);

-- The ranking-model registry: every trained model, its metrics, and which one serves.
CREATE TABLE ranking_model (
    version int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trained_at timestamptz NOT NULL DEFAULT now(),
    trained_from text NOT NULL CHECK (trained_from IN ('simulated_world', 'recorded_outcomes')),
    training_rows int NOT NULL,
    training_vacancies int NOT NULL,
    metrics jsonb NOT NULL,           -- ndcg@1/@3/@10 on held-out vacancies, for the model and the rule ranker
    women_exposure_ratio real,
    feature_names text[] NOT NULL,
    model bytea NOT NULL,
    active boolean NOT NULL DEFAULT false
);

CREATE UNIQUE INDEX ux_ranking_model_one_active ON ranking_model (active) WHERE active;
