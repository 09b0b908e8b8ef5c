-- Duplicate registration by e-mail as well as phone (issue 13): a keyed blind index (HMAC-SHA256 under the index key,
-- see Privacy/FieldKeyRing.BlindIndex) of the normalised e-mail, beside phone_index, for equality look-ups only. SQL
-- cannot compute it (the key never reaches the database), so the app fills it for rows written before this migration
-- when it starts (Seekers/SeekerEmailIndex.cs); the rows left to fill are exactly those with an e-mail and no index.
ALTER TABLE seeker_identity ADD COLUMN email_index bytea;
CREATE INDEX ix_seeker_identity_email_index ON seeker_identity (email_index);
