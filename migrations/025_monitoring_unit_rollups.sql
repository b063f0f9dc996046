-- Per-unit monthly roll-ups of the monitoring flows and flags (issue 5 item 10). The heatmap of
-- all units without a field filter needs no field: reading monitoring_monthly_field and
-- monitoring_flag_monthly_field (unit × field × channel × month) it summed ~2,000 rows a month
-- for a province, ten times what a unit × channel × month table holds. At 10 million dossiers that
-- was most of the heatmap's time.
--
-- Each table is kept by a row trigger on the per-field monthly table it sums, in the same
-- statement as every change to it (an action, a bulk flush, the flags' trigger, a rebuild's
-- delete and re-insert), so it cannot drift from it: unit × channel × month = the sum over fields.
-- The per-field tables' keys never change (their writers only add to the counts), so an UPDATE
-- moves one row by NEW − OLD.

CREATE TABLE monitoring_monthly_unit (
  month      date NOT NULL,
  unit_code  text NOT NULL CONSTRAINT monitoring_monthly_unit_unit_fk REFERENCES units(code),
  channel    smallint NOT NULL CONSTRAINT monitoring_monthly_unit_channel_check CHECK (channel IN (1, 2, 3)),
  received                 integer NOT NULL DEFAULT 0,
  settled_early            integer NOT NULL DEFAULT 0,
  settled_on_time          integer NOT NULL DEFAULT 0,
  settled_late             integer NOT NULL DEFAULT 0,
  settled_working_ms       bigint NOT NULL DEFAULT 0,
  supplement_requests      integer NOT NULL DEFAULT 0,
  apologies                integer NOT NULL DEFAULT 0,
  CONSTRAINT monitoring_monthly_unit_pkey PRIMARY KEY (month, unit_code, channel)
);
COMMENT ON TABLE monitoring_monthly_unit IS 'monitoring_monthly_field summed over the fields: per deciding unit × channel × local calendar month (kept by the trigger monitoring_monthly_unit_sync).';

CREATE TABLE monitoring_flag_monthly_unit (
  month      date NOT NULL,
  unit_code  text NOT NULL CONSTRAINT monitoring_flag_monthly_unit_unit_fk REFERENCES units(code),
  channel    smallint NOT NULL CONSTRAINT monitoring_flag_monthly_unit_channel_check CHECK (channel IN (1, 2, 3)),
  fo_eligible              integer NOT NULL DEFAULT 0,
  full_online              integer NOT NULL DEFAULT 0,
  with_fee                 integer NOT NULL DEFAULT 0,
  paid_online              integer NOT NULL DEFAULT 0,
  digitised                integer NOT NULL DEFAULT 0,
  reusing                  integer NOT NULL DEFAULT 0,
  paper_result             integer NOT NULL DEFAULT 0,
  paper_e_result           integer NOT NULL DEFAULT 0,
  disliked                 integer NOT NULL DEFAULT 0,
  fo_eligible_settled      integer NOT NULL DEFAULT 0,
  full_online_settled      integer NOT NULL DEFAULT 0,
  with_fee_settled         integer NOT NULL DEFAULT 0,
  paid_online_settled      integer NOT NULL DEFAULT 0,
  digitised_settled        integer NOT NULL DEFAULT 0,
  reusing_settled          integer NOT NULL DEFAULT 0,
  paper_result_settled     integer NOT NULL DEFAULT 0,
  paper_e_result_settled   integer NOT NULL DEFAULT 0,
  disliked_settled         integer NOT NULL DEFAULT 0,
  CONSTRAINT monitoring_flag_monthly_unit_pkey PRIMARY KEY (month, unit_code, channel)
);
COMMENT ON TABLE monitoring_flag_monthly_unit IS 'monitoring_flag_monthly_field summed over the fields: per deciding unit × channel × local calendar month (kept by the trigger monitoring_flag_monthly_unit_sync).';

CREATE FUNCTION monitoring_monthly_unit_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO monitoring_monthly_unit (month, unit_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies)
    VALUES (NEW.month, NEW.unit_code, NEW.channel, NEW.received, NEW.settled_early, NEW.settled_on_time, NEW.settled_late, NEW.settled_working_ms, NEW.supplement_requests, NEW.apologies)
    ON CONFLICT (month, unit_code, channel) DO UPDATE SET
        received = monitoring_monthly_unit.received + excluded.received,
        settled_early = monitoring_monthly_unit.settled_early + excluded.settled_early,
        settled_on_time = monitoring_monthly_unit.settled_on_time + excluded.settled_on_time,
        settled_late = monitoring_monthly_unit.settled_late + excluded.settled_late,
        settled_working_ms = monitoring_monthly_unit.settled_working_ms + excluded.settled_working_ms,
        supplement_requests = monitoring_monthly_unit.supplement_requests + excluded.supplement_requests,
        apologies = monitoring_monthly_unit.apologies + excluded.apologies;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE monitoring_monthly_unit u SET received = u.received - OLD.received, settled_early = u.settled_early - OLD.settled_early, settled_on_time = u.settled_on_time - OLD.settled_on_time, settled_late = u.settled_late - OLD.settled_late, settled_working_ms = u.settled_working_ms - OLD.settled_working_ms, supplement_requests = u.supplement_requests - OLD.supplement_requests, apologies = u.apologies - OLD.apologies
     WHERE u.month = OLD.month AND u.unit_code = OLD.unit_code AND u.channel = OLD.channel;
  ELSIF (NEW.month, NEW.unit_code, NEW.channel) = (OLD.month, OLD.unit_code, OLD.channel) THEN
    UPDATE monitoring_monthly_unit u SET received = u.received + (NEW.received - OLD.received), settled_early = u.settled_early + (NEW.settled_early - OLD.settled_early), settled_on_time = u.settled_on_time + (NEW.settled_on_time - OLD.settled_on_time), settled_late = u.settled_late + (NEW.settled_late - OLD.settled_late), settled_working_ms = u.settled_working_ms + (NEW.settled_working_ms - OLD.settled_working_ms), supplement_requests = u.supplement_requests + (NEW.supplement_requests - OLD.supplement_requests), apologies = u.apologies + (NEW.apologies - OLD.apologies)
     WHERE u.month = NEW.month AND u.unit_code = NEW.unit_code AND u.channel = NEW.channel;
  ELSE
    RAISE EXCEPTION 'the key of % does not change (month, unit, channel)', TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER monitoring_monthly_unit_sync AFTER INSERT OR UPDATE OR DELETE ON monitoring_monthly_field
  FOR EACH ROW EXECUTE FUNCTION monitoring_monthly_unit_sync();
INSERT INTO monitoring_monthly_unit (month, unit_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies)
SELECT month, unit_code, channel, sum(received), sum(settled_early), sum(settled_on_time), sum(settled_late), sum(settled_working_ms), sum(supplement_requests), sum(apologies)
  FROM monitoring_monthly_field GROUP BY 1, 2, 3;

CREATE FUNCTION monitoring_flag_monthly_unit_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO monitoring_flag_monthly_unit (month, unit_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
    VALUES (NEW.month, NEW.unit_code, NEW.channel, NEW.fo_eligible, NEW.full_online, NEW.with_fee, NEW.paid_online, NEW.digitised, NEW.reusing, NEW.paper_result, NEW.paper_e_result, NEW.disliked, NEW.fo_eligible_settled, NEW.full_online_settled, NEW.with_fee_settled, NEW.paid_online_settled, NEW.digitised_settled, NEW.reusing_settled, NEW.paper_result_settled, NEW.paper_e_result_settled, NEW.disliked_settled)
    ON CONFLICT (month, unit_code, channel) DO UPDATE SET
        fo_eligible = monitoring_flag_monthly_unit.fo_eligible + excluded.fo_eligible,
        full_online = monitoring_flag_monthly_unit.full_online + excluded.full_online,
        with_fee = monitoring_flag_monthly_unit.with_fee + excluded.with_fee,
        paid_online = monitoring_flag_monthly_unit.paid_online + excluded.paid_online,
        digitised = monitoring_flag_monthly_unit.digitised + excluded.digitised,
        reusing = monitoring_flag_monthly_unit.reusing + excluded.reusing,
        paper_result = monitoring_flag_monthly_unit.paper_result + excluded.paper_result,
        paper_e_result = monitoring_flag_monthly_unit.paper_e_result + excluded.paper_e_result,
        disliked = monitoring_flag_monthly_unit.disliked + excluded.disliked,
        fo_eligible_settled = monitoring_flag_monthly_unit.fo_eligible_settled + excluded.fo_eligible_settled,
        full_online_settled = monitoring_flag_monthly_unit.full_online_settled + excluded.full_online_settled,
        with_fee_settled = monitoring_flag_monthly_unit.with_fee_settled + excluded.with_fee_settled,
        paid_online_settled = monitoring_flag_monthly_unit.paid_online_settled + excluded.paid_online_settled,
        digitised_settled = monitoring_flag_monthly_unit.digitised_settled + excluded.digitised_settled,
        reusing_settled = monitoring_flag_monthly_unit.reusing_settled + excluded.reusing_settled,
        paper_result_settled = monitoring_flag_monthly_unit.paper_result_settled + excluded.paper_result_settled,
        paper_e_result_settled = monitoring_flag_monthly_unit.paper_e_result_settled + excluded.paper_e_result_settled,
        disliked_settled = monitoring_flag_monthly_unit.disliked_settled + excluded.disliked_settled;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE monitoring_flag_monthly_unit u SET fo_eligible = u.fo_eligible - OLD.fo_eligible, full_online = u.full_online - OLD.full_online, with_fee = u.with_fee - OLD.with_fee, paid_online = u.paid_online - OLD.paid_online, digitised = u.digitised - OLD.digitised, reusing = u.reusing - OLD.reusing, paper_result = u.paper_result - OLD.paper_result, paper_e_result = u.paper_e_result - OLD.paper_e_result, disliked = u.disliked - OLD.disliked, fo_eligible_settled = u.fo_eligible_settled - OLD.fo_eligible_settled, full_online_settled = u.full_online_settled - OLD.full_online_settled, with_fee_settled = u.with_fee_settled - OLD.with_fee_settled, paid_online_settled = u.paid_online_settled - OLD.paid_online_settled, digitised_settled = u.digitised_settled - OLD.digitised_settled, reusing_settled = u.reusing_settled - OLD.reusing_settled, paper_result_settled = u.paper_result_settled - OLD.paper_result_settled, paper_e_result_settled = u.paper_e_result_settled - OLD.paper_e_result_settled, disliked_settled = u.disliked_settled - OLD.disliked_settled
     WHERE u.month = OLD.month AND u.unit_code = OLD.unit_code AND u.channel = OLD.channel;
  ELSIF (NEW.month, NEW.unit_code, NEW.channel) = (OLD.month, OLD.unit_code, OLD.channel) THEN
    UPDATE monitoring_flag_monthly_unit u SET fo_eligible = u.fo_eligible + (NEW.fo_eligible - OLD.fo_eligible), full_online = u.full_online + (NEW.full_online - OLD.full_online), with_fee = u.with_fee + (NEW.with_fee - OLD.with_fee), paid_online = u.paid_online + (NEW.paid_online - OLD.paid_online), digitised = u.digitised + (NEW.digitised - OLD.digitised), reusing = u.reusing + (NEW.reusing - OLD.reusing), paper_result = u.paper_result + (NEW.paper_result - OLD.paper_result), paper_e_result = u.paper_e_result + (NEW.paper_e_result - OLD.paper_e_result), disliked = u.disliked + (NEW.disliked - OLD.disliked), fo_eligible_settled = u.fo_eligible_settled + (NEW.fo_eligible_settled - OLD.fo_eligible_settled), full_online_settled = u.full_online_settled + (NEW.full_online_settled - OLD.full_online_settled), with_fee_settled = u.with_fee_settled + (NEW.with_fee_settled - OLD.with_fee_settled), paid_online_settled = u.paid_online_settled + (NEW.paid_online_settled - OLD.paid_online_settled), digitised_settled = u.digitised_settled + (NEW.digitised_settled - OLD.digitised_settled), reusing_settled = u.reusing_settled + (NEW.reusing_settled - OLD.reusing_settled), paper_result_settled = u.paper_result_settled + (NEW.paper_result_settled - OLD.paper_result_settled), paper_e_result_settled = u.paper_e_result_settled + (NEW.paper_e_result_settled - OLD.paper_e_result_settled), disliked_settled = u.disliked_settled + (NEW.disliked_settled - OLD.disliked_settled)
     WHERE u.month = NEW.month AND u.unit_code = NEW.unit_code AND u.channel = NEW.channel;
  ELSE
    RAISE EXCEPTION 'the key of % does not change (month, unit, channel)', TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER monitoring_flag_monthly_unit_sync AFTER INSERT OR UPDATE OR DELETE ON monitoring_flag_monthly_field
  FOR EACH ROW EXECUTE FUNCTION monitoring_flag_monthly_unit_sync();
INSERT INTO monitoring_flag_monthly_unit (month, unit_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
SELECT month, unit_code, channel, sum(fo_eligible), sum(full_online), sum(with_fee), sum(paid_online), sum(digitised), sum(reusing), sum(paper_result), sum(paper_e_result), sum(disliked), sum(fo_eligible_settled), sum(full_online_settled), sum(with_fee_settled), sum(paid_online_settled), sum(digitised_settled), sum(reusing_settled), sum(paper_result_settled), sum(paper_e_result_settled), sum(disliked_settled)
  FROM monitoring_flag_monthly_field GROUP BY 1, 2, 3;

-- The open dossiers now per deciding unit (open_online: channel 2), kept with the other roll-ups
-- of monitoring_open (migration 021). The heatmap reads the totals here (one row a unit) and, from
-- monitoring_open_unit, only the rows due today or later: overdue = open − those. Before, it
-- summed every due day of every unit (about 13,000 rows at 10 million dossiers).
CREATE TABLE monitoring_open_total (
  unit_code    text NOT NULL CONSTRAINT monitoring_open_total_unit_fk REFERENCES units(code),
  open_count   integer NOT NULL,
  open_online  integer NOT NULL,
  CONSTRAINT monitoring_open_total_pkey PRIMARY KEY (unit_code)
);
COMMENT ON TABLE monitoring_open_total IS 'monitoring_open summed per deciding unit (open_online: channel 2); kept by the trigger monitoring_open_rollup.';
CREATE INDEX monitoring_open_unit_due_idx ON monitoring_open_unit (due_day);

CREATE OR REPLACE FUNCTION monitoring_open_rollup_add(p_unit text, p_field text, p_due date, p_count integer, p_online integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_count = 0 AND p_online = 0 THEN RETURN; END IF;
  INSERT INTO monitoring_open_unit (unit_code, due_day, open_count, open_online) VALUES (p_unit, p_due, p_count, p_online)
  ON CONFLICT (unit_code, due_day) DO UPDATE
    SET open_count = monitoring_open_unit.open_count + excluded.open_count, open_online = monitoring_open_unit.open_online + excluded.open_online;
  INSERT INTO monitoring_open_field (field_code, unit_code, due_day, open_count, open_online) VALUES (p_field, p_unit, p_due, p_count, p_online)
  ON CONFLICT (field_code, unit_code, due_day) DO UPDATE
    SET open_count = monitoring_open_field.open_count + excluded.open_count, open_online = monitoring_open_field.open_online + excluded.open_online;
  INSERT INTO monitoring_open_total (unit_code, open_count, open_online) VALUES (p_unit, p_count, p_online)
  ON CONFLICT (unit_code) DO UPDATE
    SET open_count = monitoring_open_total.open_count + excluded.open_count, open_online = monitoring_open_total.open_online + excluded.open_online;
END;
$$;

-- An update that keeps the row's key (every upsert of an action) moves the roll-ups once, by NEW − OLD.
CREATE OR REPLACE FUNCTION monitoring_open_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.unit_code, NEW.field_code, NEW.due_day, NEW.channel) = (OLD.unit_code, OLD.field_code, OLD.due_day, OLD.channel) THEN
    PERFORM monitoring_open_rollup_add(NEW.unit_code, NEW.field_code, NEW.due_day, NEW.open_count - OLD.open_count,
                                       CASE WHEN NEW.channel = 2 THEN NEW.open_count - OLD.open_count ELSE 0 END);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM monitoring_open_rollup_add(OLD.unit_code, OLD.field_code, OLD.due_day, -OLD.open_count, CASE WHEN OLD.channel = 2 THEN -OLD.open_count ELSE 0 END);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM monitoring_open_rollup_add(NEW.unit_code, NEW.field_code, NEW.due_day, NEW.open_count, CASE WHEN NEW.channel = 2 THEN NEW.open_count ELSE 0 END);
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION monitoring_open_rollup_fill() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM monitoring_open_unit;
  DELETE FROM monitoring_open_field;
  DELETE FROM monitoring_open_total;
  INSERT INTO monitoring_open_unit (unit_code, due_day, open_count, open_online)
  SELECT unit_code, due_day, sum(open_count), coalesce(sum(open_count) FILTER (WHERE channel = 2), 0) FROM monitoring_open GROUP BY 1, 2;
  INSERT INTO monitoring_open_field (field_code, unit_code, due_day, open_count, open_online)
  SELECT field_code, unit_code, due_day, sum(open_count), coalesce(sum(open_count) FILTER (WHERE channel = 2), 0) FROM monitoring_open GROUP BY 1, 2, 3;
  INSERT INTO monitoring_open_total (unit_code, open_count, open_online)
  SELECT unit_code, sum(open_count), coalesce(sum(open_count) FILTER (WHERE channel = 2), 0) FROM monitoring_open GROUP BY 1;
END;
$$;

INSERT INTO monitoring_open_total (unit_code, open_count, open_online)
SELECT unit_code, sum(open_count), coalesce(sum(open_count) FILTER (WHERE channel = 2), 0) FROM monitoring_open GROUP BY 1;

-- Dossiers paid online per deciding unit × procedure × local calendar month of receipt (item 4.2's
-- B numerator: the procedures with at least one). The heatmap reads whole months here and only the
-- edge days of its period from monitoring_flag_daily's partial index: a quarter of a province was
-- tens of thousands of day rows there, a few thousand month rows here. Kept by a row trigger on
-- monitoring_flag_daily (only rows whose paid_online moves do anything).
CREATE TABLE monitoring_paid_monthly (
  month           date NOT NULL,
  unit_code       text NOT NULL CONSTRAINT monitoring_paid_monthly_unit_fk REFERENCES units(code),
  procedure_code  text NOT NULL,
  field_code      text NOT NULL,
  paid_online     integer NOT NULL,
  CONSTRAINT monitoring_paid_monthly_pkey PRIMARY KEY (month, unit_code, procedure_code)
);
COMMENT ON TABLE monitoring_paid_monthly IS 'Dossiers paid online per deciding unit × procedure × month received (monitoring_flag_daily.paid_online summed by month; kept by the trigger monitoring_paid_monthly_sync).';

CREATE FUNCTION monitoring_paid_monthly_add(p_day date, p_unit text, p_procedure text, p_field text, p_delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_delta = 0 THEN RETURN; END IF;
  INSERT INTO monitoring_paid_monthly (month, unit_code, procedure_code, field_code, paid_online)
  VALUES (date_trunc('month', p_day)::date, p_unit, p_procedure, p_field, p_delta)
  ON CONFLICT (month, unit_code, procedure_code) DO UPDATE SET paid_online = monitoring_paid_monthly.paid_online + excluded.paid_online;
END;
$$;

CREATE FUNCTION monitoring_paid_monthly_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.unit_code, NEW.day, NEW.procedure_code) = (OLD.unit_code, OLD.day, OLD.procedure_code) THEN
    PERFORM monitoring_paid_monthly_add(NEW.day, NEW.unit_code, NEW.procedure_code, NEW.field_code, NEW.paid_online - OLD.paid_online);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM monitoring_paid_monthly_add(OLD.day, OLD.unit_code, OLD.procedure_code, OLD.field_code, -OLD.paid_online);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM monitoring_paid_monthly_add(NEW.day, NEW.unit_code, NEW.procedure_code, NEW.field_code, NEW.paid_online);
  END IF;
  RETURN NULL;
END;
$$;
-- Only rows whose paid_online moves call the function (the conditions are checked without it), and
-- none while monitoring_flags_fill refills the flag tables (it fills this one set-based after).
CREATE TRIGGER monitoring_paid_monthly_insert AFTER INSERT ON monitoring_flag_daily
  FOR EACH ROW WHEN (NEW.paid_online <> 0 AND current_setting('motcua.paid_monthly', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION monitoring_paid_monthly_sync();
CREATE TRIGGER monitoring_paid_monthly_update AFTER UPDATE ON monitoring_flag_daily
  FOR EACH ROW WHEN ((NEW.paid_online <> OLD.paid_online OR NEW.unit_code <> OLD.unit_code OR NEW.day <> OLD.day OR NEW.procedure_code <> OLD.procedure_code)
                     AND current_setting('motcua.paid_monthly', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION monitoring_paid_monthly_sync();
CREATE TRIGGER monitoring_paid_monthly_delete AFTER DELETE ON monitoring_flag_daily
  FOR EACH ROW WHEN (OLD.paid_online <> 0 AND current_setting('motcua.paid_monthly', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION monitoring_paid_monthly_sync();

CREATE FUNCTION monitoring_paid_monthly_fill() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM monitoring_paid_monthly;
  INSERT INTO monitoring_paid_monthly (month, unit_code, procedure_code, field_code, paid_online)
  SELECT date_trunc('month', day)::date, unit_code, procedure_code, min(field_code), sum(paid_online)
    FROM monitoring_flag_daily WHERE paid_online <> 0 GROUP BY 1, 2, 3;
END;
$$;

-- The flag tables' set-based fill (migration 020) keeps its body under a new name; the name the
-- rebuild and bulk loads call now also fills monitoring_paid_monthly, set-based, after it.
ALTER FUNCTION monitoring_flags_fill() RENAME TO monitoring_flags_fill_tables;
CREATE FUNCTION monitoring_flags_fill() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('motcua.paid_monthly', 'off', true);
  PERFORM monitoring_flags_fill_tables();
  PERFORM monitoring_paid_monthly_fill();
  PERFORM set_config('motcua.paid_monthly', '', true);
END;
$$;

SELECT monitoring_paid_monthly_fill();
