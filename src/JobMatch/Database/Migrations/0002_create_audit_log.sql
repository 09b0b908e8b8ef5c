-- Append-only audit log: sign-ins, failed sign-ins, and every read of personal data.
-- Subjects are ids and pseudonymous references, never names or contact details.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_user_id uuid,
    actor_organisation_id uuid,
    action text NOT NULL,
    subject text,
    ip text
);

CREATE INDEX ix_audit_log_subject ON audit_log (subject, at);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_user_id, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
