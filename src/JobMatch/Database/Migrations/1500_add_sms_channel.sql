-- SMS as a second outbox channel (issue 15). A row is sent by e-mail or by SMS; the address (e-mail or phone) is
-- still read from the recipient's record when sending, so the row holds ids and non-personal values only.
ALTER TABLE outbox_message ADD COLUMN channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms'));
-- What the SMS gateway reported after accepting the message (delivery reports). 'delivered' and 'failed' are final:
-- reports can arrive out of order, and a final state is never replaced.
ALTER TABLE outbox_message ADD COLUMN delivery text CHECK (delivery IN ('smsc_accepted', 'delivered', 'failed'));
ALTER TABLE outbox_message ADD COLUMN delivery_at timestamptz;

DROP INDEX ix_outbox_message_due;
CREATE INDEX ix_outbox_message_due ON outbox_message (channel, next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX ix_outbox_message_recipient ON outbox_message (recipient_kind, recipient_id);

-- The short code an offer SMS carries ("YES 4821"). Unique per seeker for ever (the primary key), so an old reply can
-- never answer a newer offer; used once; valid until expires_at (the offer's answer window by SMS).
CREATE TABLE sms_answer_code (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    code text NOT NULL CHECK (code ~ '^[0-9]{4}$'),
    match_id bigint NOT NULL UNIQUE REFERENCES match (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    reminded_at timestamptz,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (seeker_id, code)
);

CREATE INDEX ix_sms_answer_code_remind ON sms_answer_code (expires_at) WHERE used_at IS NULL AND reminded_at IS NULL;

-- An answer given by replying to the offer SMS records its consent with method 'by_sms'.
ALTER TABLE consent DROP CONSTRAINT consent_method_check;
ALTER TABLE consent ADD CONSTRAINT consent_method_check CHECK (method IN ('in_person', 'by_phone', 'online', 'by_case_worker', 'by_sms'));
