-- Job seekers. The profile columns are plain (matching reads them); identity lives encrypted in seeker_identity.
-- Outside case work a seeker is known only by the random reference.
CREATE TABLE seeker (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference text NOT NULL UNIQUE CHECK (reference ~ '^JS-[0-9A-Z]{6}$'),
    agency_id uuid NOT NULL REFERENCES organisation (id),
    user_id uuid UNIQUE REFERENCES app_user (id) ON DELETE SET NULL,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'placed', 'erased')),
    upazila_code text REFERENCES upazila (code),
    education_level int REFERENCES education_level (level),
    languages text[] NOT NULL DEFAULT '{}',
    literacy text CHECK (literacy IN ('none', 'basic', 'functional', 'fluent')),
    wants text NOT NULL DEFAULT 'any' CHECK (wants IN ('wage', 'self', 'any')),
    preferred_sectors text[] NOT NULL DEFAULT '{}',
    expected_wage_bdt int CHECK (expected_wage_bdt >= 0),
    max_travel_km int CHECK (max_travel_km >= 0),
    available_from date,
    hours_per_week int CHECK (hours_per_week BETWEEN 0 AND 84),
    -- Kept only for fairness reports; never a ranking feature.
    gender text CHECK (gender IN ('F', 'M', 'X')),
    -- Coarse, for an age band; the full date of birth is encrypted in seeker_identity.
    birth_year int CHECK (birth_year BETWEEN 1900 AND 2100),
    -- Do-not-match rules, set only by case workers.
    blocked_sectors text[] NOT NULL DEFAULT '{}',
    blocked_employer_ids uuid[] NOT NULL DEFAULT '{}',
    blocked_upazilas text[] NOT NULL DEFAULT '{}',
    -- Kept in sync with seeker_skill for candidate generation (skill_ids && @vacancySkillIds).
    skill_ids int[] NOT NULL DEFAULT '{}',
    version bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_active_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_seeker_agency ON seeker (agency_id, created_at);
CREATE INDEX ix_seeker_skill_ids ON seeker USING GIN (skill_ids);

-- Identity, every value encrypted by the application (v1:<keyId>:<base64>). Deleted on erasure.
-- phone_index is a keyed hash (HMAC-SHA256) of the normalised phone number, for duplicate warnings only.
CREATE TABLE seeker_identity (
    seeker_id bigint PRIMARY KEY REFERENCES seeker (id) ON DELETE CASCADE,
    full_name text NOT NULL,
    first_name text NOT NULL,
    phone text,
    email text,
    address text,
    date_of_birth text,
    phone_index bytea,
    preferred_language text NOT NULL DEFAULT 'bn' CHECK (preferred_language IN ('en', 'bn')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_seeker_identity_phone_index ON seeker_identity (phone_index);

CREATE TABLE seeker_skill (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    skill_id int NOT NULL REFERENCES skill (id),
    level int NOT NULL CHECK (level BETWEEN 1 AND 4),
    source text NOT NULL CHECK (source IN ('self_declared', 'assessed', 'certified')),
    certified_by uuid REFERENCES organisation (id),
    certified_on date,
    months_experience int NOT NULL DEFAULT 0 CHECK (months_experience BETWEEN 0 AND 720),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (seeker_id, skill_id),
    -- A certificate has a date; self-declared records have no certifier.
    CHECK (source <> 'certified' OR certified_on IS NOT NULL),
    CHECK (source <> 'self_declared' OR certified_by IS NULL)
);

CREATE INDEX ix_seeker_skill_skill ON seeker_skill (skill_id);
