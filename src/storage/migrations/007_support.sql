-- Support lookup, the support actions and the audit pages.

-- Search by email or name prefix in under 200 ms on 1M users. The expressions are in the "C" collation, so a
-- `LIKE 'abc%'` prefix is an index range and `ORDER BY ... COLLATE "C"` with a LIMIT reads only the first rows of
-- that range (a default-collation index can do neither). pg_trgm would also find infixes, but it is not in every
-- PostgreSQL we run on (PGlite loads it as a separate extension); prefixes are what agents type.
CREATE INDEX users_email_prefix ON users ((lower(email) COLLATE "C"));
CREATE INDEX users_name_prefix ON users ((lower(name) COLLATE "C"));
CREATE INDEX users_family_name_prefix ON users ((lower(family_name) COLLATE "C"));

-- A user's invitations (the support page's timeline; the latest one for a recorded contact).
CREATE INDEX invitations_user ON invitations (user_id, created_at);

-- A user's whole credential history, revoked ones included (005's indexes cover only the live ones).
CREATE INDEX webauthn_credentials_user_all ON webauthn_credentials (user_id);
CREATE INDEX totp_credentials_user_all ON totp_credentials (user_id);
CREATE INDEX recovery_codes_user_all ON recovery_codes (user_id);

-- A support wave holds the single-user invitations support sends (resend, reset enrolment); see
-- src/support/issue-support-invitation.ts. Cohort waves are what comms create.
ALTER TABLE waves ADD COLUMN kind text NOT NULL DEFAULT 'cohort' CHECK (kind IN ('cohort', 'support'));
CREATE INDEX waves_support ON waves (campaign_id, created_at) WHERE kind = 'support';

-- Why the user got in touch, as the agent wrote it (the note holds any detail).
ALTER TABLE support_contacts ADD COLUMN reason text;

-- The audit page filters by actor, action and date; retention deletes by date.
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC);

-- Append only, enforced here too: no UPDATE ever, and DELETE only from the retention job, which says so with
-- SET LOCAL cutover.audit_prune = 'on' in its own transaction (src/audit/prune-audit-log.ts).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('cutover.audit_prune', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
