-- vacancy.skill_text (1600) copies the names of a vacancy's wanted skills for the board's search, and was kept only
-- when vacancy_skill changed. A renamed skill (skills.csv edited, the taxonomy loaded again at start-up) left the old
-- name searchable and the new one not. The taxonomy load upserts every skill on every start, so the trigger fires only
-- for a name that really changed, and refreshes just the vacancies wanting that skill, in the loader's transaction.
CREATE FUNCTION skill_name_vacancy_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE vacancy v SET skill_text = vacancy_skill_text(v.id)
    WHERE v.id IN (SELECT vs.vacancy_id FROM vacancy_skill vs WHERE vs.skill_id = NEW.id)
      AND v.skill_text IS DISTINCT FROM vacancy_skill_text(v.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER skill_name_vacancy_sync AFTER UPDATE OF name_en, name_bn ON skill
    FOR EACH ROW WHEN (OLD.name_en IS DISTINCT FROM NEW.name_en OR OLD.name_bn IS DISTINCT FROM NEW.name_bn)
    EXECUTE FUNCTION skill_name_vacancy_sync();

-- Names renamed before this migration: bring every vacancy's copy up to date once.
UPDATE vacancy v SET skill_text = vacancy_skill_text(v.id) WHERE v.skill_text IS DISTINCT FROM vacancy_skill_text(v.id);
