-- Issue 18, B4: every new match row takes its employer handle from random_pseudonym('C-') (migration 1300), and the
-- nightly pass writes about 100,000 rows at once. As a SQL function with an aggregate over unnest() it was planned and
-- started as a sub-query on every call: 104,155 calls cost 2.9 s on a loaded 2-core machine, about a third of the
-- merge. The same draw in PL/pgSQL (its expression plans are cached for the session) cost 1.3 s.
--
-- Same alphabet (32 characters, no 0/O/1/I), same random source (gen_random_uuid's bytes 0-5 and 10-11, which skip the
-- version and variant bits), same 8 characters of 5 bits each (256 is a multiple of 32: no bias). Handles already
-- stored do not change. RandomPseudonymTests draws thousands and checks format, alphabet and spread.
CREATE OR REPLACE FUNCTION random_pseudonym(prefix text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    b constant bytea := uuid_send(gen_random_uuid());
    a constant text := '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
BEGIN
    RETURN prefix
        || substr(a, 1 + get_byte(b, 0) % 32, 1) || substr(a, 1 + get_byte(b, 1) % 32, 1)
        || substr(a, 1 + get_byte(b, 2) % 32, 1) || substr(a, 1 + get_byte(b, 3) % 32, 1)
        || substr(a, 1 + get_byte(b, 4) % 32, 1) || substr(a, 1 + get_byte(b, 5) % 32, 1)
        || substr(a, 1 + get_byte(b, 10) % 32, 1) || substr(a, 1 + get_byte(b, 11) % 32, 1);
END
$$;
