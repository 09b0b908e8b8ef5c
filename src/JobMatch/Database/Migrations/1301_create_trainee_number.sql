-- Training providers know a trainee by the provider's own trainee number, never by case work's reference or by an
-- employer's candidate handle (random, stored: see random_pseudonym in 1300). One number per (provider, seeker), kept
-- across re-enrolments so the provider's records stay joined; deleted on erasure.
CREATE TABLE trainee_number (
    provider_id uuid NOT NULL REFERENCES organisation (id),
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    number text NOT NULL DEFAULT random_pseudonym('T-') CHECK (number ~ '^T-[2-9A-HJ-NP-Z]{8}$'),
    PRIMARY KEY (provider_id, seeker_id),
    UNIQUE (provider_id, number)
);

INSERT INTO trainee_number (provider_id, seeker_id)
SELECT DISTINCT provider_id, seeker_id FROM enrolment;
