-- Issue 17: invitations go to the invitee by e-mail. The mail's link carries its own token, made when the mail is
-- sent (never stored in the outbox); only its SHA-256 is kept here, beside the hand-over token's. Either opens the
-- invitation, which is still used once.
ALTER TABLE invitation ADD COLUMN mail_token_hash bytea UNIQUE;
-- The invitee's language when the inviter knows it; empty: the mail is written in English and Bangla.
ALTER TABLE invitation ADD COLUMN language text CHECK (language IN ('en', 'bn'));
-- An invitation to an address that already signs in: written like any other, so the inviter's answer does not tell
-- whether the address has an account, but it can never be used; the account holder gets a neutral notice instead.
ALTER TABLE invitation ADD COLUMN existing_account boolean NOT NULL DEFAULT false;
