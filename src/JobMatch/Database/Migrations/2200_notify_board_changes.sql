-- The public board is served from each web node's output cache (Vacancies/BoardCache). Any write that can change what
-- the board shows sends NOTIFY jobmatch_board, delivered at commit to every node that LISTENs (and never for a write
-- that rolled back), whichever node, job or tool made it. One notice per statement, not per row: a 20,000-row import
-- sends one, and PostgreSQL folds identical notices of one transaction into one.
CREATE FUNCTION board_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobmatch_board', '');
    RETURN NULL;
END
$$;

-- What the board reads: vacancies and their wanted skills, the employer's vetting and fee status, the organisation's
-- name and membership, and skill names (the detail page and the search text).
CREATE TRIGGER vacancy_board_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vacancy
    FOR EACH STATEMENT EXECUTE FUNCTION board_changed();
CREATE TRIGGER vacancy_skill_board_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vacancy_skill
    FOR EACH STATEMENT EXECUTE FUNCTION board_changed();
CREATE TRIGGER employer_board_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON employer
    FOR EACH STATEMENT EXECUTE FUNCTION board_changed();
CREATE TRIGGER organisation_board_changed AFTER UPDATE OR DELETE OR TRUNCATE ON organisation
    FOR EACH STATEMENT EXECUTE FUNCTION board_changed();
CREATE TRIGGER skill_board_changed AFTER UPDATE OR DELETE OR TRUNCATE ON skill
    FOR EACH STATEMENT EXECUTE FUNCTION board_changed();
