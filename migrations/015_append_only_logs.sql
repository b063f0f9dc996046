-- The action log of dossiers and the audit log of administrative changes are append-only: every
-- dossier action (actor, role, unit, time, reason, payload) and every admin change stays as it was
-- written. Nothing in the application updates or deletes them; these triggers make the database
-- itself refuse it, so a bug or a hand-typed statement cannot rewrite history.
CREATE FUNCTION motcua_refuse_log_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The % log is append-only: % is not allowed (nhật ký % chỉ được ghi thêm, không được sửa hay xóa).', TG_TABLE_NAME, TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
COMMENT ON FUNCTION motcua_refuse_log_change() IS 'Trigger function refusing UPDATE and DELETE on append-only logs.';

CREATE TRIGGER dossier_actions_append_only
  BEFORE UPDATE OR DELETE ON dossier_actions
  FOR EACH ROW EXECUTE FUNCTION motcua_refuse_log_change();

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION motcua_refuse_log_change();
