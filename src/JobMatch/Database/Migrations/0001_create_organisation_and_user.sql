-- Organisations: employers, training providers, case agencies and the platform operator.
CREATE TABLE organisation (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('employer', 'training_provider', 'case_agency', 'platform')),
    name text NOT NULL,
    -- Employers carry their membership; other kinds leave it empty.
    membership text CHECK (membership IN ('chamber', 'women_chamber', 'nascib', 'other')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'employer') = (membership IS NOT NULL))
);

-- Sign-in accounts (ASP.NET Core Identity on Dapper). Every user belongs to one organisation; job seekers to none.
CREATE TABLE app_user (
    id uuid PRIMARY KEY,
    user_name text NOT NULL,
    normalized_user_name text NOT NULL UNIQUE,
    email text,
    normalized_email text,
    email_confirmed boolean NOT NULL DEFAULT false,
    phone_number text,
    password_hash text,
    security_stamp text NOT NULL,
    concurrency_stamp text NOT NULL,
    lockout_enabled boolean NOT NULL DEFAULT true,
    lockout_end timestamptz,
    access_failed_count int NOT NULL DEFAULT 0,
    two_factor_enabled boolean NOT NULL DEFAULT false,
    authenticator_key text,
    role text NOT NULL CHECK (role IN ('admin', 'employer', 'training_provider', 'case_worker', 'job_seeker')),
    organisation_id uuid REFERENCES organisation (id),
    display_name text NOT NULL,
    preferred_language text NOT NULL DEFAULT 'en' CHECK (preferred_language IN ('en', 'bn')),
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'job_seeker') = (organisation_id IS NULL))
);

CREATE INDEX ix_app_user_normalized_email ON app_user (normalized_email);
CREATE INDEX ix_app_user_organisation ON app_user (organisation_id);
