-- Consent records: to be matched, to receive notifications, to share contact details with one named employer
-- for one vacancy. Withdrawal takes effect on the next request (nothing caches consent).
CREATE TABLE consent (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('matching', 'notifications', 'share_contact')),
    employer_id uuid REFERENCES organisation (id),
    -- No foreign key: the vacancy table belongs to another feature.
    vacancy_id bigint,
    method text NOT NULL CHECK (method IN ('in_person', 'by_phone', 'online', 'by_case_worker')),
    recorded_by uuid NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    withdrawn_at timestamptz,
    withdrawn_by uuid,
    CHECK ((purpose = 'share_contact') = (employer_id IS NOT NULL AND vacancy_id IS NOT NULL)),
    CHECK (purpose = 'share_contact' OR (employer_id IS NULL AND vacancy_id IS NULL))
);

-- At most one active consent per (seeker, purpose, vacancy).
CREATE UNIQUE INDEX ux_consent_active ON consent (seeker_id, purpose, COALESCE(vacancy_id, 0)) WHERE withdrawn_at IS NULL;

-- The only way matching finds candidates: active seekers with an active consent to be matched.
CREATE VIEW matchable_seeker AS
SELECT s.id AS seeker_id, s.reference, s.agency_id
FROM seeker s
WHERE s.status = 'active'
  AND EXISTS (
      SELECT 1 FROM consent c
      WHERE c.seeker_id = s.id AND c.purpose = 'matching' AND c.withdrawn_at IS NULL
        AND (c.expires_at IS NULL OR c.expires_at > now()));
