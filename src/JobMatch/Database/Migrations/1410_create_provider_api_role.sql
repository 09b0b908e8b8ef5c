-- Least privilege for the remaining employer- and provider-facing reads (security.md R4, Database/EmployerReads.cs,
-- Database/ProviderReads.cs). Every read an employer's or a training provider's request makes (and the data of the
-- e-mails employers get) runs under one of two restricted roles, so a query that strays into the case file, the
-- identities or the referring agency fails with 42501 instead of answering.
--
-- jm_employer_api gains what its pages show besides the cards: its vacancies, its profile, its check-ins and the
-- digest's counts. jm_provider_api is new: trainees by number, courses, uploads, demand. Providers see tables
-- employers must not (enrolments, trainee numbers, courses), so it is a role of its own. Neither has a grant on schema
-- casefile, on seeker_identity or on seeker.agency_id/user_id/gender/blocked_*. Skipped where the roles do not exist
-- (a migrating user without CREATEROLE; README says how to create them).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jm_employer_api') THEN
        GRANT SELECT ON vacancy, employer TO jm_employer_api;
        -- Not requires_match_review (a case agency's setting).
        GRANT SELECT (id, kind, name, membership, created_at) ON organisation TO jm_employer_api;
        -- Check-ins as the employer answers them; not when case workers were alerted.
        GRANT SELECT (id, match_id, months, due_on, status, answered_at, left_on, left_reason, employer_asked_at)
            ON retention_checkin TO jm_employer_api;
        GRANT SELECT (hired_start_date, employer_notified_at, handle) ON match TO jm_employer_api;
    ELSE
        RAISE NOTICE 'jm_employer_api does not exist: grants skipped';
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jm_provider_api') THEN
        IF (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            CREATE ROLE jm_provider_api NOLOGIN;
        ELSE
            RAISE NOTICE 'jm_provider_api not created: the migrating user may not create roles';
            RETURN;
        END IF;
    END IF;
    GRANT USAGE ON SCHEMA public TO jm_provider_api;
    -- reference: only for the audit rows of the (audited) first-name read; the provider is shown its trainee number.
    GRANT SELECT (id, reference, status) ON seeker TO jm_provider_api;
    GRANT SELECT (id, seeker_id, provider_id, enrolled_at, ended_at) ON enrolment TO jm_provider_api;
    GRANT SELECT ON trainee_number, seeker_skill, skill, sector, upazila, course, course_skill, course_completion, upload, vacancy_skill
        TO jm_provider_api;
    GRANT SELECT (id, kind, name) ON organisation TO jm_provider_api;
    -- Demand counts open positions: not who offers them.
    GRANT SELECT (id, status, upazila_code, openings) ON vacancy TO jm_provider_api;
    -- The preview shows line numbers and errors only.
    GRANT SELECT (upload_id, line, error) ON upload_row TO jm_provider_api;
END;
$$;
