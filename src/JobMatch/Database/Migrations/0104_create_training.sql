-- Training providers: enrolments (a case worker enrols a seeker with a provider, with the seeker's consent),
-- courses and the skills they teach, completions that write assessed or certified skill records.
CREATE TABLE enrolment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    provider_id uuid NOT NULL REFERENCES organisation (id),
    consent_method text NOT NULL CHECK (consent_method IN ('in_person', 'by_phone', 'online', 'by_case_worker')),
    enrolled_by uuid NOT NULL,
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz
);

CREATE UNIQUE INDEX ux_enrolment_active ON enrolment (seeker_id, provider_id) WHERE ended_at IS NULL;
CREATE INDEX ix_enrolment_provider ON enrolment (provider_id) WHERE ended_at IS NULL;

CREATE TABLE course (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES organisation (id),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider_id, code)
);

CREATE TABLE course_skill (
    course_id bigint NOT NULL REFERENCES course (id) ON DELETE CASCADE,
    skill_id int NOT NULL REFERENCES skill (id),
    level int NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (course_id, skill_id)
);

CREATE TABLE course_completion (
    course_id bigint NOT NULL REFERENCES course (id),
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    completed_on date NOT NULL,
    certified boolean NOT NULL,
    recorded_by uuid NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, seeker_id)
);

-- CSV uploads: the file is parsed, copied (binary COPY) into upload_row, validated set-based, previewed, then
-- merged in one transaction. Rows name trainees by reference only.
CREATE TABLE upload (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES organisation (id),
    kind text NOT NULL CHECK (kind IN ('skills', 'completions')),
    uploaded_by uuid NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    row_count int NOT NULL DEFAULT 0,
    error_count int NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'previewed' CHECK (status IN ('previewed', 'committed', 'rejected')),
    committed_at timestamptz
);

-- Unlogged and without a foreign key: a staging table written by binary COPY, emptied on commit.
CREATE UNLOGGED TABLE upload_row (
    upload_id uuid NOT NULL,
    line int NOT NULL,
    reference text,
    code text,
    level int,
    source text,
    on_date date,
    months int,
    certified boolean,
    error text,
    seeker_id bigint,
    skill_id int,
    course_id bigint,
    PRIMARY KEY (upload_id, line)
);
