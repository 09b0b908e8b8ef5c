-- Sign-in names never in clear (issue 14). A user is found by a keyed blind index (HMAC-SHA256 under the index key,
-- which only the key-encryption key unwraps) of the normalised sign-in name; user_name, email, phone_number and
-- authenticator_key hold AES-GCM ciphertext (v2:...). The app fills the indexes and encrypts rows written before this
-- migration when it starts (Identity/SignInNameMigration.cs); until then those rows keep their clear values.
ALTER TABLE app_user ADD COLUMN user_name_index bytea;
ALTER TABLE app_user ADD COLUMN email_index bytea;
ALTER TABLE app_user ALTER COLUMN normalized_user_name DROP NOT NULL;
CREATE UNIQUE INDEX ux_app_user_user_name_index ON app_user (user_name_index);
CREATE INDEX ix_app_user_email_index ON app_user (email_index);
DROP INDEX ix_app_user_normalized_email;

-- Every row written from now on carries the index and no clear normalised name (NOT VALID: the rows written before
-- this migration are checked when the app rewrites them, not now).
ALTER TABLE app_user ADD CONSTRAINT ck_app_user_no_clear_name
    CHECK (user_name_index IS NOT NULL AND normalized_user_name IS NULL AND normalized_email IS NULL
           AND user_name LIKE 'v2:%' AND (email IS NULL OR email LIKE 'v2:%') AND (phone_number IS NULL OR phone_number LIKE 'v2:%')
           AND (authenticator_key IS NULL OR authenticator_key LIKE 'v2:%')) NOT VALID;
