-- Issue 14 (two nodes): the sign-in throttle and the registration limit counted in each process, so an attacker who
-- spread attempts over two web nodes got twice the attempts. Their counters live here, shared by every node.
-- A row is one counter: a keyed hash (HMAC under the index key, which only the key-encryption key unwraps) of what is
-- counted, e.g. "sign-in per user name" + the name, so a dump holds no sign-in name or address; the number of hits
-- in the current window; and when that window ends (a hit after it starts a new window). Rows whose window has ended
-- mean nothing and are deleted a few at a time by the next hits (ix_throttle_counter_window_end).
CREATE TABLE throttle_counter (
    key bytea PRIMARY KEY,
    hits integer NOT NULL,
    window_ends_at timestamptz NOT NULL
);

CREATE INDEX ix_throttle_counter_window_end ON throttle_counter (window_ends_at);
