-- Open dossiers per deciding unit × month of their legal appointment day, for the heatmap of all
-- units (issue 5 item 10). The heatmap's "overdue now" is open − those due today or later; it read
-- every row of monitoring_open_unit (unit × due day) from today on: at 10 million dossiers about
-- 6,500 rows, the largest read of a heatmap request. With this table it reads the days of the
-- current month (and of the next, when the "due soon" days reach into it) from
-- monitoring_open_unit, and the later months here: a few rows a unit.
--
-- Kept by a row trigger on monitoring_open_unit, which is itself kept by the trigger on
-- monitoring_open (migration 021), so every writer (an action, a bulk flush, a rebuild) moves it
-- in the same statement. TRUNCATE fires no row trigger: truncate it with monitoring_open_unit.

CREATE TABLE monitoring_open_month (
  unit_code    text NOT NULL CONSTRAINT monitoring_open_month_unit_fk REFERENCES units(code),
  due_month    date NOT NULL CONSTRAINT monitoring_open_month_first_day CHECK (extract(day FROM due_month) = 1),
  open_count   integer NOT NULL,
  CONSTRAINT monitoring_open_month_pkey PRIMARY KEY (unit_code, due_month)
);
COMMENT ON TABLE monitoring_open_month IS 'monitoring_open_unit summed per deciding unit × month of the legal appointment day (due_month: its first day); kept by the trigger monitoring_open_month_sync.';
CREATE INDEX monitoring_open_month_due_idx ON monitoring_open_month (due_month);

CREATE FUNCTION monitoring_open_month_add(p_unit text, p_due date, p_count integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_count = 0 THEN RETURN; END IF;
  INSERT INTO monitoring_open_month (unit_code, due_month, open_count) VALUES (p_unit, date_trunc('month', p_due)::date, p_count)
  ON CONFLICT (unit_code, due_month) DO UPDATE SET open_count = monitoring_open_month.open_count + excluded.open_count;
END;
$$;

CREATE FUNCTION monitoring_open_month_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.unit_code, date_trunc('month', NEW.due_day)) = (OLD.unit_code, date_trunc('month', OLD.due_day)) THEN
    PERFORM monitoring_open_month_add(NEW.unit_code, NEW.due_day, NEW.open_count - OLD.open_count);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM monitoring_open_month_add(OLD.unit_code, OLD.due_day, -OLD.open_count);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM monitoring_open_month_add(NEW.unit_code, NEW.due_day, NEW.open_count);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER monitoring_open_month_sync AFTER INSERT OR UPDATE OR DELETE ON monitoring_open_unit
  FOR EACH ROW EXECUTE FUNCTION monitoring_open_month_sync();

INSERT INTO monitoring_open_month (unit_code, due_month, open_count)
SELECT unit_code, date_trunc('month', due_day)::date, sum(open_count) FROM monitoring_open_unit GROUP BY 1, 2;
