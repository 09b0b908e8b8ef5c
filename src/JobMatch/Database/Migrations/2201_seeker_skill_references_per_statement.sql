-- seeker_skill's three references (seeker, skill, certifying organisation) are checked once per statement instead of
-- once per row (issue 18, B1). A foreign key runs one query per inserted row and reference: a 100,000-row upload ran
-- 300,000 of them, most of the merge's time. The guarantee stays in the database, for every writer (the upload's merge,
-- a seeker's own skills, course completions, a COPY), in two halves:
--
-- 1. Writes to seeker_skill (AFTER INSERT / AFTER UPDATE, FOR EACH STATEMENT, over the statement's new rows): every
--    seeker, skill and certifier named must exist, and is locked FOR KEY SHARE until the transaction ends, which is the
--    lock PostgreSQL's own foreign keys take, here in one statement per table rather than one per row. A missing one
--    fails the statement with SQLSTATE 23503 (foreign_key_violation), as the foreign key did.
-- 2. Writes to the referenced tables: deleting seekers deletes their skill records (the former ON DELETE CASCADE);
--    deleting a skill or organisation still named by a skill record, or changing the id of a referenced row, fails
--    with 23503 (the former NO ACTION). A delete waits for the KEY SHARE lock of any transaction that is adding records
--    for that row; once it has committed, the delete's own statements (READ COMMITTED: a fresh snapshot each) see those
--    records. A transaction with an older snapshot would not, so such deletes are refused outside READ COMMITTED.
--    TRUNCATE of seeker, skill or organisation stays impossible: other foreign keys reference each of them.
ALTER TABLE seeker_skill
    DROP CONSTRAINT seeker_skill_seeker_id_fkey,
    DROP CONSTRAINT seeker_skill_skill_id_fkey,
    DROP CONSTRAINT seeker_skill_certified_by_fkey;

-- SECURITY DEFINER, as a foreign key's checks run as the table owner (FOR KEY SHARE needs UPDATE rights on the parent).
CREATE FUNCTION seeker_skill_check_references() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    wanted bigint;
    found bigint;
BEGIN
    SELECT count(DISTINCT seeker_id) INTO wanted FROM new_rows;
    SELECT count(*) INTO found FROM (SELECT 1 FROM seeker s WHERE s.id IN (SELECT seeker_id FROM new_rows) FOR KEY SHARE OF s) locked;
    IF found <> wanted THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a seeker that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'seeker_id';
    END IF;
    SELECT count(DISTINCT skill_id) INTO wanted FROM new_rows;
    SELECT count(*) INTO found FROM (SELECT 1 FROM skill k WHERE k.id IN (SELECT skill_id FROM new_rows) FOR KEY SHARE OF k) locked;
    IF found <> wanted THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a skill that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'skill_id';
    END IF;
    SELECT count(DISTINCT certified_by) INTO wanted FROM new_rows; -- NULL (self-declared) names nobody
    SELECT count(*) INTO found FROM (SELECT 1 FROM organisation o WHERE o.id IN (SELECT certified_by FROM new_rows) FOR KEY SHARE OF o) locked;
    IF found <> wanted THEN
        RAISE EXCEPTION 'insert or update on table "seeker_skill" names a certifying organisation that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill', COLUMN = 'certified_by';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER seeker_skill_references_on_insert AFTER INSERT ON seeker_skill
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seeker_skill_check_references();
CREATE TRIGGER seeker_skill_references_on_update AFTER UPDATE ON seeker_skill
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seeker_skill_check_references();

CREATE FUNCTION seeker_skill_parents_deleted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'deleting from table "%" must run in READ COMMITTED (skill records of concurrent transactions are checked by a fresh snapshot)', TG_TABLE_NAME
            USING ERRCODE = 'serialization_failure';
    END IF;
    -- Nested, not joined by AND: PL/pgSQL plans a statement when it first runs it, and old_rows.id has each table's type.
    IF TG_TABLE_NAME = 'seeker' THEN
        DELETE FROM seeker_skill WHERE seeker_id IN (SELECT id FROM old_rows);
    ELSIF TG_TABLE_NAME = 'skill' THEN
        IF EXISTS (SELECT 1 FROM seeker_skill WHERE skill_id IN (SELECT id FROM old_rows)) THEN
            RAISE EXCEPTION 'delete on table "skill" leaves skill records naming it' USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill';
        END IF;
    ELSIF TG_TABLE_NAME = 'organisation' THEN
        IF EXISTS (SELECT 1 FROM seeker_skill WHERE certified_by IN (SELECT id FROM old_rows)) THEN
            RAISE EXCEPTION 'delete on table "organisation" leaves skill records naming it' USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill';
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER seeker_skill_seeker_deleted AFTER DELETE ON seeker
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seeker_skill_parents_deleted();
CREATE TRIGGER seeker_skill_skill_deleted AFTER DELETE ON skill
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seeker_skill_parents_deleted();
CREATE TRIGGER seeker_skill_organisation_deleted AFTER DELETE ON organisation
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seeker_skill_parents_deleted();

-- A referenced row keeps its id (only fires when an UPDATE names the id column and changes it).
CREATE FUNCTION seeker_skill_parent_key_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- Nested for the same reason as above: OLD.id has each table's type.
    IF TG_TABLE_NAME = 'seeker' THEN
        IF NOT EXISTS (SELECT 1 FROM seeker_skill WHERE seeker_id = OLD.id) THEN RETURN NULL; END IF;
    ELSIF TG_TABLE_NAME = 'skill' THEN
        IF NOT EXISTS (SELECT 1 FROM seeker_skill WHERE skill_id = OLD.id) THEN RETURN NULL; END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM seeker_skill WHERE certified_by = OLD.id) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'update of the id of table "%" leaves skill records naming the old id', TG_TABLE_NAME
        USING ERRCODE = 'foreign_key_violation', TABLE = 'seeker_skill';
END
$$;

CREATE TRIGGER seeker_skill_seeker_key AFTER UPDATE OF id ON seeker
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION seeker_skill_parent_key_changed();
CREATE TRIGGER seeker_skill_skill_key AFTER UPDATE OF id ON skill
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION seeker_skill_parent_key_changed();
CREATE TRIGGER seeker_skill_organisation_key AFTER UPDATE OF id ON organisation
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION seeker_skill_parent_key_changed();
