-- The one rule "may this seeker be shown to this employer for this vacancy now" (design.md, survivor safety), as a
-- view over every match row. forbidden_reason is NULL when the match may be shown; otherwise it names the first rule
-- that forbids it, for the case worker only (it is written into match_event when the match is withdrawn and never
-- reaches an employer). Every employer-facing candidate read selects from employer_candidate below; the case-work
-- review queue and every transition towards the employer check forbidden_reason; withdrawing the open matches a
-- change forbids selects them here, so what is withdrawn and what is hidden can never disagree.
--
-- Order matters only for the reason shown: erasure, then the employer's standing, then the seeker's do-not-match
-- rules (which hold even after the person accepted: safety beats a started conversation), then the rules that stop
-- applying once the person has answered the offer themselves (status, consent to be matched, availability, must-have
-- skills).

-- Seekers can be paused or withdrawn from the programme by case work; both stop matching like 'placed'.
ALTER TABLE seeker DROP CONSTRAINT seeker_status_check;
ALTER TABLE seeker ADD CONSTRAINT seeker_status_check CHECK (status IN ('active', 'paused', 'withdrawn', 'placed', 'erased'));

-- Pseudonyms for outside audiences: random (from gen_random_uuid's random bytes), stored, never derived from the
-- seeker's reference, so nothing shown to one organisation can be computed from what another sees. Alphabet without
-- 0/O/1/I; 8 characters (40 bits), unique within their scope.
CREATE FUNCTION random_pseudonym(prefix text) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT prefix || string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 1 + get_byte(r.b, i) % 32, 1), '' ORDER BY i)
    FROM (SELECT uuid_send(gen_random_uuid()) AS b) r, unnest(ARRAY[0, 1, 2, 3, 4, 5, 10, 11]) AS i
$$;

-- Employers: a handle per (vacancy, seeker), so the same person has unrelated handles on two vacancies.
ALTER TABLE match ADD COLUMN handle text;
UPDATE match SET handle = random_pseudonym('C-');
ALTER TABLE match ALTER COLUMN handle SET DEFAULT random_pseudonym('C-');
ALTER TABLE match ALTER COLUMN handle SET NOT NULL;
ALTER TABLE match ADD CONSTRAINT match_handle_format CHECK (handle ~ '^C-[2-9A-HJ-NP-Z]{8}$');
CREATE UNIQUE INDEX ux_match_vacancy_handle ON match (vacancy_id, handle);

CREATE VIEW match_rule AS
SELECT m.id AS match_id, m.vacancy_id, m.seeker_id, v.employer_id, m.status, m.handle,
    CASE
        WHEN s.status = 'erased' THEN 'seeker_erased'
        WHEN e.status <> 'verified' THEN 'employer_' || e.status
        WHEN v.employer_id = ANY (s.blocked_employer_ids) THEN 'do_not_match_employer'
        WHEN v.sector_code = ANY (s.blocked_sectors) THEN 'do_not_match_sector'
        WHEN v.upazila_code = ANY (s.blocked_upazilas) THEN 'do_not_match_upazila'
        WHEN m.status IN ('accepted', 'declined', 'interviewed', 'hired', 'not_selected') THEN NULL
        WHEN s.status <> 'active' THEN 'seeker_' || s.status
        WHEN NOT EXISTS (SELECT 1 FROM matchable_seeker ms WHERE ms.seeker_id = s.id) THEN 'consent_withdrawn'
        WHEN s.available_from > v.closing_date THEN 'not_available'
        WHEN EXISTS (SELECT 1 FROM vacancy_skill vs WHERE vs.vacancy_id = v.id AND vs.required
                     AND NOT (vs.skill_id = ANY (s.skill_ids))) THEN 'missing_required_skill'
    END AS forbidden_reason
FROM match m
JOIN vacancy v ON v.id = m.vacancy_id
JOIN employer e ON e.organisation_id = v.employer_id
JOIN seeker s ON s.id = m.seeker_id;

-- What an employer may read: permitted matches in a state the employer sees, with the per-vacancy handle. No
-- identity, no agency, no reason: only ids for joining the allow-listed card columns.
CREATE VIEW employer_candidate AS
SELECT r.match_id, r.vacancy_id, r.seeker_id, r.employer_id, r.status, r.handle
FROM match_rule r
WHERE r.forbidden_reason IS NULL
  AND r.status IN ('shown', 'invited', 'accepted', 'declined', 'interviewed', 'hired', 'not_selected');

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jm_employer_api') THEN
        GRANT SELECT ON employer_candidate, match_rule TO jm_employer_api;
    END IF;
END;
$$;
