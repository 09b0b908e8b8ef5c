-- The e-mail outbox (SECURITY.md R24, R26). Every e-mail is first a row here, written in the same transaction as the
-- change that caused it; the DispatchOutbox job sends it. Rows hold ids and non-personal values only: the address is
-- read from the recipient's current record when sending, so a changed or erased address is never used.
CREATE TABLE outbox_message (
    id uuid PRIMARY KEY,                        -- the notification id; the e-mail's Message-ID is <id@jobmatch>
    kind text NOT NULL,                         -- what the notification is about, e.g. 'employer_digest'
    recipient_kind text NOT NULL CHECK (recipient_kind IN ('seeker', 'employer', 'user')),
    recipient_id text NOT NULL,                 -- an id, never an address
    template text NOT NULL,
    template_args jsonb NOT NULL DEFAULT '{}',  -- ids and non-personal values only
    language text CHECK (language IN ('en', 'bn')), -- empty until sent: the recipient's language at send time
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed_permanent', 'cancelled')),
    attempts int NOT NULL DEFAULT 0,
    -- When the row is next due: for 'pending' the retry time, for 'sending' the end of the claim (a dispatcher that
    -- died mid-batch leaves rows that become due again then).
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,                            -- an SMTP status or exception type; never an address or server text
    dedupe_key text UNIQUE,                     -- optional: a job that may run twice enqueues a notification once
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    finished_at timestamptz                     -- sent, failed permanently or cancelled
);

CREATE INDEX ix_outbox_message_due ON outbox_message (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX ix_outbox_message_failed ON outbox_message (finished_at DESC) WHERE status = 'failed_permanent';
CREATE INDEX ix_outbox_message_finished ON outbox_message (finished_at) WHERE status IN ('sent', 'cancelled');
