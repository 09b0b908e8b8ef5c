-- Employer details next to the organisation row (kind 'employer', which carries the membership).
-- Contact data is business data, not survivor data, but it is still never logged.
-- Columns are nullable so an organisation can exist before its details are filled in; the app validates them.
CREATE TABLE employer (
    organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
    membership_number text,
    trade_licence_number text,
    contact_person text,
    contact_email text,
    contact_phone text,
    address text,
    sector_code text REFERENCES sector (code),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'suspended')),
    suspended_reason text,
    verified_at timestamptz,
    verified_by uuid REFERENCES app_user (id),
    -- Declared by the employer: charging workers a recruitment fee blocks publishing (ILO C181 art. 7).
    charges_recruitment_fee boolean NOT NULL DEFAULT false,
    preferred_language text NOT NULL DEFAULT 'en' CHECK (preferred_language IN ('en', 'bn')),
    version bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'suspended' OR suspended_reason IS NOT NULL)
);

CREATE INDEX ix_employer_status ON employer (status);
