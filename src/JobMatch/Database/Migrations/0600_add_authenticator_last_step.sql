-- The time step of the last TOTP code accepted for this user: a code is accepted only once (R10, ASVS 6.5.1).
ALTER TABLE app_user ADD COLUMN authenticator_last_step bigint;
