-- The case file (survivor status, referral source, case notes) lives in its own schema. Only
-- Seekers/CaseFileQueries.cs reads it; no other query joins it. Values are encrypted by the application.
CREATE SCHEMA casefile;
REVOKE ALL ON SCHEMA casefile FROM PUBLIC;

CREATE TABLE casefile.case_file (
    seeker_id bigint PRIMARY KEY REFERENCES public.seeker (id) ON DELETE CASCADE,
    survivor_status text,
    referral_source text,
    version bigint NOT NULL DEFAULT 1,
    updated_by uuid NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE casefile.case_note (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seeker_id bigint NOT NULL REFERENCES public.seeker (id) ON DELETE CASCADE,
    body text NOT NULL,
    written_by uuid NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_case_note_seeker ON casefile.case_note (seeker_id, written_at);

-- A role for employer-facing code (SECURITY.md R4): it may read the public schema but has no grant on casefile,
-- so a bug there cannot read what it cannot reach. Created only where the migrating user may create roles.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jm_employer_api') THEN
        IF (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            CREATE ROLE jm_employer_api NOLOGIN;
        ELSE
            RAISE NOTICE 'jm_employer_api not created: the migrating user may not create roles';
            RETURN;
        END IF;
    END IF;
    GRANT USAGE ON SCHEMA public TO jm_employer_api;
    GRANT SELECT ON seeker, seeker_skill, matchable_seeker, skill, sector, upazila TO jm_employer_api;
END;
$$;
