-- Text search on the public board uses pg_trgm over titles and descriptions in both languages
-- (see Vacancies/BoardQueries.cs for why trigram rather than full-text search).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE vacancy (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id uuid NOT NULL REFERENCES employer (organisation_id),
    title_en text,
    title_bn text,
    description_en text,
    description_bn text,
    isco08 text CHECK (isco08 ~ '^[0-9]{4}$'),
    sector_code text REFERENCES sector (code),
    upazila_code text REFERENCES upazila (code),
    -- Workplace location; defaults to the upazila centroid.
    lat double precision,
    lon double precision,
    wage_min_bdt int CHECK (wage_min_bdt >= 0),
    wage_max_bdt int,
    kind text NOT NULL DEFAULT 'wage' CHECK (kind IN ('wage', 'apprenticeship', 'self')),
    openings int NOT NULL DEFAULT 1 CHECK (openings >= 1),
    hours text,
    shifts text,
    facilities text[] NOT NULL DEFAULT '{}'
        CHECK (facilities <@ ARRAY['women_friendly', 'childcare', 'transport', 'accommodation', 'written_contract']),
    min_education_level int REFERENCES education_level (level),
    closing_date date,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'filled', 'closed')),
    published_at timestamptz,
    closed_at timestamptz,
    version bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- One searchable text of both languages, so one trigram index answers English and Bangla queries.
    search_text text GENERATED ALWAYS AS (
        coalesce(title_en, '') || ' ' || coalesce(title_bn, '') || ' ' ||
        coalesce(description_en, '') || ' ' || coalesce(description_bn, '')) STORED,
    CHECK (title_en IS NOT NULL OR title_bn IS NOT NULL),
    CHECK (wage_max_bdt IS NULL OR wage_min_bdt IS NULL OR wage_max_bdt >= wage_min_bdt),
    CHECK (status = 'draft' OR published_at IS NOT NULL OR status = 'closed')
);

CREATE INDEX ix_vacancy_employer ON vacancy (employer_id, status);
CREATE INDEX ix_vacancy_open ON vacancy (published_at DESC) WHERE status = 'open';
CREATE INDEX ix_vacancy_closing ON vacancy (closing_date) WHERE status = 'open';
-- GIN's fast-update pending list stays on: inserts stay cheap (a 20,000-row insert with fastupdate off ran past 30 s here).
-- Until (auto)vacuum flushes the list after a bulk import the planner scans sequentially instead (measured 77 ms vs 0.1 ms
-- on 20,000 rows), which is still correct.
CREATE INDEX ix_vacancy_search ON vacancy USING gin (search_text gin_trgm_ops);

CREATE TABLE vacancy_skill (
    vacancy_id bigint NOT NULL REFERENCES vacancy (id) ON DELETE CASCADE,
    skill_id int NOT NULL REFERENCES skill (id),
    min_level int NOT NULL CHECK (min_level BETWEEN 1 AND 4),
    required boolean NOT NULL,
    UNIQUE (vacancy_id, skill_id)
);

CREATE INDEX ix_vacancy_skill_skill ON vacancy_skill (skill_id);
