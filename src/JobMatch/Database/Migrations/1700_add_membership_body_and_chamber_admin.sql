-- Issue 17: each membership body (the Chamber, the Women Chamber, NASCIB) is an organisation whose chamber admins vet
-- the employers that claim membership of it. The body carries its membership value, as employers do, so that
-- "my members" is one equality. Platform-wide organisations can be deactivated (programme onboarding).
ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
    CHECK (kind IN ('employer', 'training_provider', 'case_agency', 'platform', 'membership_body'));
ALTER TABLE organisation DROP CONSTRAINT organisation_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_membership_kind_check
    CHECK ((kind IN ('employer', 'membership_body')) = (membership IS NOT NULL)
       AND (kind <> 'membership_body' OR membership IN ('chamber', 'women_chamber', 'nascib')));
ALTER TABLE organisation ADD COLUMN deactivated_at timestamptz;

-- One organisation per body.
CREATE UNIQUE INDEX ux_organisation_membership_body ON organisation (membership) WHERE kind = 'membership_body';
-- Members of a body, for the chamber admin's lists and figures.
CREATE INDEX ix_organisation_employer_membership ON organisation (membership) WHERE kind = 'employer';

INSERT INTO organisation (id, kind, name, membership) VALUES
    ('01930000-0000-7000-8000-000000000001', 'membership_body', 'Cox''s Bazar Chamber of Commerce and Industry', 'chamber'),
    ('01930000-0000-7000-8000-000000000002', 'membership_body', 'Cox''s Bazar Women Chamber of Commerce and Industry', 'women_chamber'),
    ('01930000-0000-7000-8000-000000000003', 'membership_body', 'NASCIB Cox''s Bazar', 'nascib')
ON CONFLICT DO NOTHING;

ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
    CHECK (role IN ('admin', 'employer', 'training_provider', 'case_worker', 'job_seeker', 'chamber_admin'));

-- Self-registration asks where the business is; the admin-created employers may leave it empty.
ALTER TABLE employer ADD COLUMN upazila_code text REFERENCES upazila (code);
