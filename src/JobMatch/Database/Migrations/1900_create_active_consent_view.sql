-- The one definition of "consent is active": not withdrawn and not past its end date. Every query outside the Consent
-- folder that asks whether a seeker consents reads this view instead of repeating the condition (checked by
-- tests/JobMatch.Tests/Architecture/ConsentRuleTests). ExpireConsents later records the end as a withdrawal; until then
-- the date alone makes the consent inactive.
CREATE VIEW active_consent AS
SELECT *
FROM consent
WHERE withdrawn_at IS NULL
  AND (expires_at IS NULL OR expires_at > now());
