-- The restricted role employer- and provider-facing reads run under (Database/EmployerReads.cs, security.md R4).
-- 0103 gave it every column of seeker; an employer card needs none of the columns that say who referred a person,
-- who they are or what a case worker decided about them (agency_id, user_id, gender, blocked_*), so it gets the card's
-- columns only; likewise for match (no review or decline reasons). It still has no grant on schema casefile or on seeker_identity. Skipped where the role does not exist
-- (a migrating user without CREATEROLE; README says how to create it).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jm_employer_api') THEN
        RAISE NOTICE 'jm_employer_api does not exist: grants skipped';
        RETURN;
    END IF;
    REVOKE SELECT ON seeker FROM jm_employer_api;
    GRANT SELECT (id, reference, status, upazila_code, education_level, languages, literacy, wants, preferred_sectors,
                  expected_wage_bdt, max_travel_km, available_from, hours_per_week, birth_year, skill_ids)
        ON seeker TO jm_employer_api;
    -- Not the case worker's review reason nor the seeker's decline reason.
    GRANT SELECT (id, vacancy_id, seeker_id, status, rank, score, ranker, explanation, proposed_at, updated_at, version)
        ON match TO jm_employer_api;
    GRANT SELECT ON vacancy_skill TO jm_employer_api;
END;
$$;
