-- Issue 18, B1: the per-statement reference check of seeker_skill (migration 2201) locked every named seeker FOR KEY
-- SHARE, and a lock writes the row's header: for a 100,000-record upload that was 40,000 tuple writes and WAL records,
-- on seekers the upload's own transaction had just rewritten anyway (seeker.skill_ids, now refreshed before the merge).
--
-- A seeker row version this transaction wrote (its xmin is our transaction id) needs no lock: a concurrent DELETE of
-- that seeker must lock the row first and so waits for our commit, and its AFTER DELETE trigger then reads our records
-- with a fresh snapshot and deletes them. Every other named seeker is locked as before, so the guarantee is the same
-- for every writer. Rows written in a sub-transaction (a savepoint) carry the sub-transaction's id, do not match, and
-- are locked: the check can only ever lock more than it must, never less. (A frozen row whose 32-bit xmin happens to
-- equal ours would be skipped; freezing keeps the raw xmin, so this needs a row older than four billion transactions
-- to be named in the very transaction whose id repeats its xmin, and a concurrent delete of that seeker in that
-- moment: accepted and written down here.)
CREATE OR REPLACE FUNCTION seeker_skill_check_references() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    named bigint;
    own bigint;
    others bigint[];
BEGIN
    SELECT count(*) FILTER (WHERE s.xmin = pg_current_xact_id()::xid), array_agg(s.id) FILTER (WHERE s.xmin <> pg_current_xact_id()::xid)
      INTO own, others
      FROM seeker s WHERE s.id IN (SELECT seeker_id FROM new_rows);
    SELECT count(DISTINCT seeker_id) INTO named FROM new_rows;
    -- READ COMMITTED: a row deleted and committed since the read above is skipped by the lock, so the locked ones count.
    IF own + (SELECT count(*) FROM (SELECT 1 FROM seeker s WHERE s.id = ANY (coalesce(others, '{}')) FOR KEY SHARE OF s) l) <> named THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a seeker that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'seeker_id';
    END IF;
    -- Skills and certifiers as in migration 2201, one comparison each.
    IF (SELECT count(*) FROM (SELECT 1 FROM skill k WHERE k.id IN (SELECT skill_id FROM new_rows) FOR KEY SHARE OF k) l)
       <> (SELECT count(DISTINCT skill_id) FROM new_rows) THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a skill that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'skill_id';
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM organisation o WHERE o.id IN (SELECT certified_by FROM new_rows) FOR KEY SHARE OF o) l)
       <> (SELECT count(DISTINCT certified_by) FROM new_rows) THEN -- NULL (self-declared) names nobody
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a certifying organisation that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'certified_by';
    END IF;
    RETURN NULL;
END
$$;
