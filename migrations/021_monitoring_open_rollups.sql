-- Roll-ups of the open dossiers (monitoring_open, migration 016) for the heatmap of all units
-- (issue 5 item 10). monitoring_open keys the open dossiers by unit × procedure × channel × due
-- day: at 10 million dossiers it has about one row per open dossier, and "overdue now" and "due in
-- the next 2 working days" summed over it for a province cost tens of milliseconds. The heatmap
-- needs neither the procedure nor the channel (only how many are online), so:
--   monitoring_open_unit   unit × due day                (≈ units × open due days rows);
--   monitoring_open_field  field × unit × due day        (the same, for a field filter).
-- They are kept by a trigger on monitoring_open, in the same statement as every change to it (an
-- action, a bulk flush, a rebuild), so they cannot drift from it; monitoring_open_rollup_fill()
-- recomputes them set-based.

CREATE TABLE monitoring_open_unit (
  unit_code    text NOT NULL CONSTRAINT monitoring_open_unit_unit_fk REFERENCES units(code),
  due_day      date NOT NULL,
  open_count   integer NOT NULL,
  open_online  integer NOT NULL,
  CONSTRAINT monitoring_open_unit_pkey PRIMARY KEY (unit_code, due_day)
);
COMMENT ON TABLE monitoring_open_unit IS 'monitoring_open summed per deciding unit × legal appointment day (open_online: channel 2); kept by the trigger monitoring_open_rollup.';

CREATE TABLE monitoring_open_field (
  field_code   text NOT NULL,
  unit_code    text NOT NULL CONSTRAINT monitoring_open_field_unit_fk REFERENCES units(code),
  due_day      date NOT NULL,
  open_count   integer NOT NULL,
  open_online  integer NOT NULL,
  CONSTRAINT monitoring_open_field_pkey PRIMARY KEY (field_code, unit_code, due_day)
);
COMMENT ON TABLE monitoring_open_field IS 'monitoring_open summed per field × deciding unit × legal appointment day; kept by the trigger monitoring_open_rollup.';

CREATE FUNCTION monitoring_open_rollup_add(p_unit text, p_field text, p_due date, p_count integer, p_online integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_count = 0 AND p_online = 0 THEN RETURN; END IF;
  INSERT INTO monitoring_open_unit (unit_code, due_day, open_count, open_online) VALUES (p_unit, p_due, p_count, p_online)
  ON CONFLICT (unit_code, due_day) DO UPDATE
    SET open_count = monitoring_open_unit.open_count + excluded.open_count, open_online = monitoring_open_unit.open_online + excluded.open_online;
  INSERT INTO monitoring_open_field (field_code, unit_code, due_day, open_count, open_online) VALUES (p_field, p_unit, p_due, p_count, p_online)
  ON CONFLICT (field_code, unit_code, due_day) DO UPDATE
    SET open_count = monitoring_open_field.open_count + excluded.open_count, open_online = monitoring_open_field.open_online + excluded.open_online;
END;
$$;

CREATE FUNCTION monitoring_open_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM monitoring_open_rollup_add(OLD.unit_code, OLD.field_code, OLD.due_day, -OLD.open_count, CASE WHEN OLD.channel = 2 THEN -OLD.open_count ELSE 0 END);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM monitoring_open_rollup_add(NEW.unit_code, NEW.field_code, NEW.due_day, NEW.open_count, CASE WHEN NEW.channel = 2 THEN NEW.open_count ELSE 0 END);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER monitoring_open_rollup AFTER INSERT OR UPDATE OR DELETE ON monitoring_open
  FOR EACH ROW EXECUTE FUNCTION monitoring_open_rollup();

-- Recomputes both roll-ups from monitoring_open (the rebuild, bulk loads).
CREATE FUNCTION monitoring_open_rollup_fill() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM monitoring_open_unit;
  DELETE FROM monitoring_open_field;
  INSERT INTO monitoring_open_unit (unit_code, due_day, open_count, open_online)
  SELECT unit_code, due_day, sum(open_count), coalesce(sum(open_count) FILTER (WHERE channel = 2), 0) FROM monitoring_open GROUP BY 1, 2;
  INSERT INTO monitoring_open_field (field_code, unit_code, due_day, open_count, open_online)
  SELECT field_code, unit_code, due_day, sum(open_count), coalesce(sum(open_count) FILTER (WHERE channel = 2), 0) FROM monitoring_open GROUP BY 1, 2, 3;
END;
$$;

SELECT monitoring_open_rollup_fill();
