-- How a seeker agreed to be told (issue 15): the notifications consent names its channels. 'sms' to the seeker's own
-- phone, 'email' to their own address, or 'relay' (alone): neither, their case worker tells them from the caseload's
-- offers page. The senders read the choice when sending, so a change or a withdrawal also redirects what is queued.
ALTER TABLE consent ADD COLUMN channels text[];

-- Consents recorded before the choice existed keep what they meant then: SMS where the seeker has a phone, e-mail
-- where they have an address, the case worker's relay when they have neither.
UPDATE consent SET channels = ARRAY['sms', 'email'] WHERE purpose = 'notifications';

ALTER TABLE consent ADD CONSTRAINT consent_channels_check CHECK (
    (purpose = 'notifications') = (channels IS NOT NULL)
    AND (channels IS NULL OR (
        cardinality(channels) BETWEEN 1 AND 2
        AND channels <@ ARRAY['sms', 'email', 'relay']
        AND (cardinality(channels) = 1 OR NOT 'relay' = ANY (channels))
        AND channels <> ARRAY['sms', 'sms'] AND channels <> ARRAY['email', 'email'])));

-- The view active_consent (1900) is "SELECT * FROM consent", which PostgreSQL expands when the view is created. A
-- fresh database creates it after this script and gets the new column there; a database that already has the view
-- (1900 ran before this script was added) gets it re-created here with the same definition, now including channels.
DO $$
BEGIN
    IF to_regclass('active_consent') IS NOT NULL THEN
        CREATE OR REPLACE VIEW active_consent AS
        SELECT * FROM consent WHERE withdrawn_at IS NULL AND (expires_at IS NULL OR expires_at > now());
    END IF;
END
$$;
