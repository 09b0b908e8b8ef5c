-- Data-encryption keys for field-level encryption (SECURITY.md R20). Each key is stored only wrapped (AES-GCM)
-- by a key-encryption key that lives outside the database (configuration or a key file). One key can be wrapped
-- by several key-encryption keys, so the outer key can rotate without re-encrypting any field.
CREATE TABLE encryption_key (
    id text NOT NULL,
    kek_id text NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('data', 'index')),
    wrapped bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, kek_id)
);
