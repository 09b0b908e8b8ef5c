-- The board's text search also finds a vacancy by the names of the skills it wants, in English and Bangla (issue 16:
-- "cleaning" found nothing when only the wanted skill was named "Hotel room cleaning"). The names are copied into
-- the vacancy row (skill_text), kept by a trigger on vacancy_skill, and the generated search_text includes them, so
-- the one trigram index still answers every query and the board's SQL does not change. Descriptions were already in
-- search_text. PostgreSQL 15 cannot change a generated column's expression, so search_text is dropped and re-added.
ALTER TABLE vacancy ADD COLUMN skill_text text NOT NULL DEFAULT '';

CREATE FUNCTION vacancy_skill_text(p_vacancy_id bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(k.name_en || ' ' || k.name_bn, ' ' ORDER BY k.id), '')
    FROM vacancy_skill vs JOIN skill k ON k.id = vs.skill_id
    WHERE vs.vacancy_id = p_vacancy_id
$$;

CREATE FUNCTION vacancy_skill_text_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE vacancy SET skill_text = vacancy_skill_text(NEW.vacancy_id)
        WHERE id = NEW.vacancy_id AND skill_text IS DISTINCT FROM vacancy_skill_text(NEW.vacancy_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.vacancy_id <> NEW.vacancy_id) THEN
        UPDATE vacancy SET skill_text = vacancy_skill_text(OLD.vacancy_id)
        WHERE id = OLD.vacancy_id AND skill_text IS DISTINCT FROM vacancy_skill_text(OLD.vacancy_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER vacancy_skill_text_sync AFTER INSERT OR UPDATE OR DELETE ON vacancy_skill
    FOR EACH ROW EXECUTE FUNCTION vacancy_skill_text_sync();

UPDATE vacancy v SET skill_text = vacancy_skill_text(v.id) WHERE EXISTS (SELECT 1 FROM vacancy_skill vs WHERE vs.vacancy_id = v.id);

ALTER TABLE vacancy DROP COLUMN search_text;
ALTER TABLE vacancy ADD COLUMN search_text text GENERATED ALWAYS AS (
    coalesce(title_en, '') || ' ' || coalesce(title_bn, '') || ' ' ||
    coalesce(description_en, '') || ' ' || coalesce(description_bn, '') || ' ' || skill_text) STORED;
CREATE INDEX ix_vacancy_search ON vacancy USING gin (search_text gin_trgm_ops);
