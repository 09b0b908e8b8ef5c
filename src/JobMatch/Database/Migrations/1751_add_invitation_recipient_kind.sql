-- Issue 17: an invitation e-mail goes to someone with no account yet; its recipient is the invitation itself, whose
-- address (and the link's token) the Onboarding resolver gives when sending.
ALTER TABLE outbox_message DROP CONSTRAINT outbox_message_recipient_kind_check;
ALTER TABLE outbox_message ADD CONSTRAINT outbox_message_recipient_kind_check
    CHECK (recipient_kind IN ('seeker', 'employer', 'user', 'invitation'));
