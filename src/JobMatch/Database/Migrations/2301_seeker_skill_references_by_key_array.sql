-- Issue 18, B1: the reference check of seeker_skill (migrations 2201, 2250) found the named seekers by
-- "s.id IN (SELECT seeker_id FROM new_rows)", which the planner ran as a hash of the 100,000 new rows and then 40,000
-- index probes in hash order; and it counted each table's distinct keys by sorting. The same checks now collect each
-- table's keys once (GROUP BY, hashed) into an array and find the rows by "= ANY (keys)", an index scan in key order.
-- Measured on a 100,000-record upload over 40,000 seekers (backend CPU, 2-core machine at load ~8): the seeker look-up
-- 0.27 s -> 0.10 s; the FOR KEY SHARE lock of 40,000 seekers (any writer whose rows are not its own) likewise.
--
-- The guarantee is unchanged (see 2201 and 2250 for what it is and why it holds): every named seeker exists and is
-- either this transaction's own row version or locked FOR KEY SHARE; every named skill and certifier exists and is
-- locked. NULL certifiers name nobody, as before (GROUP BY keeps one NULL, so it is removed from the array).
CREATE OR REPLACE FUNCTION seeker_skill_check_references() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    seekers bigint[] := ARRAY(SELECT seeker_id FROM new_rows GROUP BY seeker_id);
    skills int[] := ARRAY(SELECT skill_id FROM new_rows GROUP BY skill_id);
    certifiers uuid[] := ARRAY(SELECT certified_by FROM new_rows WHERE certified_by IS NOT NULL GROUP BY certified_by);
    own bigint;
    others bigint[];
BEGIN
    SELECT count(*) FILTER (WHERE s.xmin = pg_current_xact_id()::xid), array_agg(s.id) FILTER (WHERE s.xmin <> pg_current_xact_id()::xid)
      INTO own, others
      FROM seeker s WHERE s.id = ANY (seekers);
    -- READ COMMITTED: a row deleted and committed since the read above is skipped by the lock, so the locked ones count.
    IF own + (SELECT count(*) FROM (SELECT 1 FROM seeker s WHERE s.id = ANY (coalesce(others, '{}')) FOR KEY SHARE OF s) l) <> cardinality(seekers) THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a seeker that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'seeker_id';
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM skill k WHERE k.id = ANY (skills) FOR KEY SHARE OF k) l) <> cardinality(skills) THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a skill that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'skill_id';
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM organisation o WHERE o.id = ANY (certifiers) FOR KEY SHARE OF o) l) <> cardinality(certifiers) THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a certifying organisation that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'certified_by';
    END IF;
    RETURN NULL;
END
$$;
