-- The audit log refuses TRUNCATE too: 007's row trigger never fires for it. The same function raises
-- "audit_log is append-only (TRUNCATE refused)"; the retention job's escape hatch is for DELETE only.
-- A superuser or the table's owner can still disable triggers: the README's Security section says which role the
-- service must run as.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
