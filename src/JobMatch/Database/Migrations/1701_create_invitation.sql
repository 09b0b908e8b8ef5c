-- Issue 17, programme onboarding: the platform admin (or an agency's lead case worker, for their own agency) invites
-- a person to an organisation. The link carries a random token; only its SHA-256 is stored, so a database dump
-- opens no account. An invitation expires and is used once (used_at), and the account is made only then.
CREATE TABLE invitation (
    id uuid PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    role text NOT NULL CHECK (role IN ('admin', 'training_provider', 'case_worker', 'chamber_admin')),
    -- The sign-in name the invited person will use (their work e-mail address).
    user_name text NOT NULL,
    display_name text NOT NULL,
    lead boolean NOT NULL DEFAULT false,
    invited_by uuid NOT NULL REFERENCES app_user (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    user_id uuid REFERENCES app_user (id),
    revoked_at timestamptz
);

CREATE INDEX ix_invitation_organisation ON invitation (organisation_id, created_at DESC);

-- The lead case worker of an agency may invite colleagues to it. A row per lead (an agency may have several).
CREATE TABLE staff_lead (
    user_id uuid PRIMARY KEY REFERENCES app_user (id)
);
