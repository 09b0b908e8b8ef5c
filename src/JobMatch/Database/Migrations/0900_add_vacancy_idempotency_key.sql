-- The client's Idempotency-Key of the POST that created a draft, so a retried or double-submitted create returns the
-- draft it already made instead of a second one (SECURITY.md F7). Unique per employer; NULL when no key was sent.
ALTER TABLE vacancy ADD COLUMN idempotency_key text CHECK (length(idempotency_key) <= 100);
CREATE UNIQUE INDEX ux_vacancy_idempotency_key ON vacancy (employer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
