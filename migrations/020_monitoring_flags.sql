-- Dossier facts for the Decision 766 items beyond flows (issue 5 items 2, 7): full online (3.3),
-- online payment (4.1, 4.2), digitisation (5.1, 5.2, 5.4) and complaints or dislikes (6.3).
--
-- Each received dossier carries a set of flags (dossiers.monitoring_flags, bits below). Flags
-- only ever turn on. A flag is counted twice, like "received" and "settled" in migration 016:
--   <flag>          +1 on the local day the dossier was received (per its deciding unit, procedure, channel);
--   <flag>_settled  +1 on the local day it was settled (finished_at), once it is.
-- A flag that turns on later (a copy scanned, a fee paid, a dislike after the result) is added to
-- the rows of those two days then. So for any period, exactly as for the flows:
--   received with the flag in the period        = sum of <flag> over its days;
--   settled with the flag in the period         = sum of <flag>_settled over its days;
--   carried over with the flag (received before, open at the start) = the same net as migration 016.
-- The counts follow the flags as they are now, whatever day a flag turned on.
--
-- Who writes them: the trigger monitoring_flags_sync on dossiers (BEFORE INSERT OR UPDATE) computes
-- the dossier's flags from the tables that hold the facts (monitoring_flags_compute) and adds what
-- changed, in the same statement as the change; the tables holding the facts (payments,
-- dossier_documents, signed_results, dossier_ratings, complaints) touch the dossier row from
-- AFTER triggers so that it is computed again. Nothing in the application has to remember to do
-- it, and every writer (actions, imports, the simulator) is covered. `npm run monitoring:rebuild`
-- recomputes everything set-based (monitoring_flags_rebuild()).
--
-- Bits: 1 fo_eligible; 2 full_online; 4 with_fee; 8 paid_online; 16 digitised; 32 reusing; 64 paper_result; 128 paper_e_result; 256 disliked.
-- Local days are Vietnam time (UTC+7), as the other aggregates.

ALTER TABLE dossiers ADD COLUMN monitoring_flags integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN dossiers.monitoring_flags IS 'Flags counted in the monitoring_flag_* aggregates (migration 020): 1 fo_eligible, 2 full_online, 4 with_fee, 8 paid_online, 16 digitised, 32 reusing, 64 paper_result, 128 paper_e_result, 256 disliked; 0 until received.';

CREATE TABLE monitoring_flag_daily (
  unit_code       text NOT NULL CONSTRAINT monitoring_flag_daily_unit_fk REFERENCES units(code),
  day             date NOT NULL,
  procedure_code  text NOT NULL CONSTRAINT monitoring_flag_daily_procedure_fk REFERENCES procedures(code),
  channel         smallint NOT NULL CONSTRAINT monitoring_flag_daily_channel_check CHECK (channel IN (1, 2, 3)),
  field_code      text NOT NULL,
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
  CONSTRAINT monitoring_flag_daily_pkey PRIMARY KEY (unit_code, day, procedure_code, channel)
);
CREATE TABLE monitoring_flag_daily_field (
  unit_code       text NOT NULL CONSTRAINT monitoring_flag_daily_field_unit_fk REFERENCES units(code),
  day             date NOT NULL,
  channel         smallint NOT NULL CONSTRAINT monitoring_flag_daily_field_channel_check CHECK (channel IN (1, 2, 3)),
  field_code      text NOT NULL,
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
  CONSTRAINT monitoring_flag_daily_field_pkey PRIMARY KEY (day, unit_code, field_code, channel)
);
CREATE TABLE monitoring_flag_monthly_field (
  unit_code       text NOT NULL CONSTRAINT monitoring_flag_monthly_field_unit_fk REFERENCES units(code),
  month           date NOT NULL,
  channel         smallint NOT NULL CONSTRAINT monitoring_flag_monthly_field_channel_check CHECK (channel IN (1, 2, 3)),
  field_code      text NOT NULL,
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
  CONSTRAINT monitoring_flag_monthly_field_pkey PRIMARY KEY (month, unit_code, field_code, channel)
);
COMMENT ON TABLE monitoring_flag_daily IS 'Dossier flags (migration 020 header) per deciding unit × local day × procedure × channel: <flag> on the day received, <flag>_settled on the day settled.';
COMMENT ON TABLE monitoring_flag_daily_field IS 'monitoring_flag_daily summed over the procedures of a field (the heatmap of all units reads it).';
COMMENT ON TABLE monitoring_flag_monthly_field IS 'monitoring_flag_daily_field summed per calendar month (the heatmap reads whole months here).';
-- Open dossiers now (received, not settled) by flag, per unit × field × channel: with the flows
-- since a period began, what was carried over into it (flows.ts explains the arithmetic), so a
-- recent period reads only its own days. Only the flags counted over the received total.
CREATE TABLE monitoring_flag_open (
  unit_code   text NOT NULL CONSTRAINT monitoring_flag_open_unit_fk REFERENCES units(code),
  field_code  text NOT NULL,
  channel     smallint NOT NULL CONSTRAINT monitoring_flag_open_channel_check CHECK (channel IN (1, 2, 3)),
  fo_eligible integer NOT NULL DEFAULT 0,
  full_online integer NOT NULL DEFAULT 0,
  with_fee    integer NOT NULL DEFAULT 0,
  paid_online integer NOT NULL DEFAULT 0,
  digitised   integer NOT NULL DEFAULT 0,
  reusing     integer NOT NULL DEFAULT 0,
  CONSTRAINT monitoring_flag_open_pkey PRIMARY KEY (unit_code, field_code, channel)
);
COMMENT ON TABLE monitoring_flag_open IS 'Open dossiers now by flag (migration 020 header) per deciding unit × field × channel.';

-- The flags are computed from these on every dossier write: each lookup must be an index read.
CREATE INDEX signed_results_dossier_idx ON signed_results (dossier_id);

-- 4.2 counts the procedures with at least one dossier paid online in a period.
CREATE INDEX monitoring_flag_daily_paid_idx ON monitoring_flag_daily (day, unit_code, procedure_code) WHERE paid_online > 0;

-- Adds (p_sign = 1) or removes (-1) one dossier's flags p_bits on one day's rows: the received
-- side or the settled side.
CREATE FUNCTION monitoring_flags_add(p_unit text, p_day date, p_procedure text, p_channel smallint, p_field text, p_bits integer, p_settled boolean, p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_bits = 0 THEN RETURN; END IF;
  IF p_settled THEN
  INSERT INTO monitoring_flag_daily (unit_code, day, procedure_code, channel, field_code, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
  VALUES (p_unit, p_day, p_procedure, p_channel, p_field, ((p_bits & 1) <> 0)::int * p_sign, ((p_bits & 2) <> 0)::int * p_sign, ((p_bits & 4) <> 0)::int * p_sign, ((p_bits & 8) <> 0)::int * p_sign, ((p_bits & 16) <> 0)::int * p_sign, ((p_bits & 32) <> 0)::int * p_sign, ((p_bits & 64) <> 0)::int * p_sign, ((p_bits & 128) <> 0)::int * p_sign, ((p_bits & 256) <> 0)::int * p_sign)
  ON CONFLICT (unit_code, day, procedure_code, channel) DO UPDATE SET fo_eligible_settled = monitoring_flag_daily.fo_eligible_settled + excluded.fo_eligible_settled, full_online_settled = monitoring_flag_daily.full_online_settled + excluded.full_online_settled, with_fee_settled = monitoring_flag_daily.with_fee_settled + excluded.with_fee_settled, paid_online_settled = monitoring_flag_daily.paid_online_settled + excluded.paid_online_settled, digitised_settled = monitoring_flag_daily.digitised_settled + excluded.digitised_settled, reusing_settled = monitoring_flag_daily.reusing_settled + excluded.reusing_settled, paper_result_settled = monitoring_flag_daily.paper_result_settled + excluded.paper_result_settled, paper_e_result_settled = monitoring_flag_daily.paper_e_result_settled + excluded.paper_e_result_settled, disliked_settled = monitoring_flag_daily.disliked_settled + excluded.disliked_settled;
  INSERT INTO monitoring_flag_daily_field (day, unit_code, field_code, channel, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
  VALUES (p_day, p_unit, p_field, p_channel, ((p_bits & 1) <> 0)::int * p_sign, ((p_bits & 2) <> 0)::int * p_sign, ((p_bits & 4) <> 0)::int * p_sign, ((p_bits & 8) <> 0)::int * p_sign, ((p_bits & 16) <> 0)::int * p_sign, ((p_bits & 32) <> 0)::int * p_sign, ((p_bits & 64) <> 0)::int * p_sign, ((p_bits & 128) <> 0)::int * p_sign, ((p_bits & 256) <> 0)::int * p_sign)
  ON CONFLICT (day, unit_code, field_code, channel) DO UPDATE SET fo_eligible_settled = monitoring_flag_daily_field.fo_eligible_settled + excluded.fo_eligible_settled, full_online_settled = monitoring_flag_daily_field.full_online_settled + excluded.full_online_settled, with_fee_settled = monitoring_flag_daily_field.with_fee_settled + excluded.with_fee_settled, paid_online_settled = monitoring_flag_daily_field.paid_online_settled + excluded.paid_online_settled, digitised_settled = monitoring_flag_daily_field.digitised_settled + excluded.digitised_settled, reusing_settled = monitoring_flag_daily_field.reusing_settled + excluded.reusing_settled, paper_result_settled = monitoring_flag_daily_field.paper_result_settled + excluded.paper_result_settled, paper_e_result_settled = monitoring_flag_daily_field.paper_e_result_settled + excluded.paper_e_result_settled, disliked_settled = monitoring_flag_daily_field.disliked_settled + excluded.disliked_settled;
  INSERT INTO monitoring_flag_monthly_field (month, unit_code, field_code, channel, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
  VALUES (date_trunc('month', p_day)::date, p_unit, p_field, p_channel, ((p_bits & 1) <> 0)::int * p_sign, ((p_bits & 2) <> 0)::int * p_sign, ((p_bits & 4) <> 0)::int * p_sign, ((p_bits & 8) <> 0)::int * p_sign, ((p_bits & 16) <> 0)::int * p_sign, ((p_bits & 32) <> 0)::int * p_sign, ((p_bits & 64) <> 0)::int * p_sign, ((p_bits & 128) <> 0)::int * p_sign, ((p_bits & 256) <> 0)::int * p_sign)
  ON CONFLICT (month, unit_code, field_code, channel) DO UPDATE SET fo_eligible_settled = monitoring_flag_monthly_field.fo_eligible_settled + excluded.fo_eligible_settled, full_online_settled = monitoring_flag_monthly_field.full_online_settled + excluded.full_online_settled, with_fee_settled = monitoring_flag_monthly_field.with_fee_settled + excluded.with_fee_settled, paid_online_settled = monitoring_flag_monthly_field.paid_online_settled + excluded.paid_online_settled, digitised_settled = monitoring_flag_monthly_field.digitised_settled + excluded.digitised_settled, reusing_settled = monitoring_flag_monthly_field.reusing_settled + excluded.reusing_settled, paper_result_settled = monitoring_flag_monthly_field.paper_result_settled + excluded.paper_result_settled, paper_e_result_settled = monitoring_flag_monthly_field.paper_e_result_settled + excluded.paper_e_result_settled, disliked_settled = monitoring_flag_monthly_field.disliked_settled + excluded.disliked_settled;
  ELSE
  INSERT INTO monitoring_flag_daily (unit_code, day, procedure_code, channel, field_code, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked)
  VALUES (p_unit, p_day, p_procedure, p_channel, p_field, ((p_bits & 1) <> 0)::int * p_sign, ((p_bits & 2) <> 0)::int * p_sign, ((p_bits & 4) <> 0)::int * p_sign, ((p_bits & 8) <> 0)::int * p_sign, ((p_bits & 16) <> 0)::int * p_sign, ((p_bits & 32) <> 0)::int * p_sign, ((p_bits & 64) <> 0)::int * p_sign, ((p_bits & 128) <> 0)::int * p_sign, ((p_bits & 256) <> 0)::int * p_sign)
  ON CONFLICT (unit_code, day, procedure_code, channel) DO UPDATE SET fo_eligible = monitoring_flag_daily.fo_eligible + excluded.fo_eligible, full_online = monitoring_flag_daily.full_online + excluded.full_online, with_fee = monitoring_flag_daily.with_fee + excluded.with_fee, paid_online = monitoring_flag_daily.paid_online + excluded.paid_online, digitised = monitoring_flag_daily.digitised + excluded.digitised, reusing = monitoring_flag_daily.reusing + excluded.reusing, paper_result = monitoring_flag_daily.paper_result + excluded.paper_result, paper_e_result = monitoring_flag_daily.paper_e_result + excluded.paper_e_result, disliked = monitoring_flag_daily.disliked + excluded.disliked;
  INSERT INTO monitoring_flag_daily_field (day, unit_code, field_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked)
  VALUES (p_day, p_unit, p_field, p_channel, ((p_bits & 1) <> 0)::int * p_sign, ((p_bits & 2) <> 0)::int * p_sign, ((p_bits & 4) <> 0)::int * p_sign, ((p_bits & 8) <> 0)::int * p_sign, ((p_bits & 16) <> 0)::int * p_sign, ((p_bits & 32) <> 0)::int * p_sign, ((p_bits & 64) <> 0)::int * p_sign, ((p_bits & 128) <> 0)::int * p_sign, ((p_bits & 256) <> 0)::int * p_sign)
  ON CONFLICT (day, unit_code, field_code, channel) DO UPDATE SET fo_eligible = monitoring_flag_daily_field.fo_eligible + excluded.fo_eligible, full_online = monitoring_flag_daily_field.full_online + excluded.full_online, with_fee = monitoring_flag_daily_field.with_fee + excluded.with_fee, paid_online = monitoring_flag_daily_field.paid_online + excluded.paid_online, digitised = monitoring_flag_daily_field.digitised + excluded.digitised, reusing = monitoring_flag_daily_field.reusing + excluded.reusing, paper_result = monitoring_flag_daily_field.paper_result + excluded.paper_result, paper_e_result = monitoring_flag_daily_field.paper_e_result + excluded.paper_e_result, disliked = monitoring_flag_daily_field.disliked + excluded.disliked;
  INSERT INTO monitoring_flag_monthly_field (month, unit_code, field_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked)
  VALUES (date_trunc('month', p_day)::date, p_unit, p_field, p_channel, ((p_bits & 1) <> 0)::int * p_sign, ((p_bits & 2) <> 0)::int * p_sign, ((p_bits & 4) <> 0)::int * p_sign, ((p_bits & 8) <> 0)::int * p_sign, ((p_bits & 16) <> 0)::int * p_sign, ((p_bits & 32) <> 0)::int * p_sign, ((p_bits & 64) <> 0)::int * p_sign, ((p_bits & 128) <> 0)::int * p_sign, ((p_bits & 256) <> 0)::int * p_sign)
  ON CONFLICT (month, unit_code, field_code, channel) DO UPDATE SET fo_eligible = monitoring_flag_monthly_field.fo_eligible + excluded.fo_eligible, full_online = monitoring_flag_monthly_field.full_online + excluded.full_online, with_fee = monitoring_flag_monthly_field.with_fee + excluded.with_fee, paid_online = monitoring_flag_monthly_field.paid_online + excluded.paid_online, digitised = monitoring_flag_monthly_field.digitised + excluded.digitised, reusing = monitoring_flag_monthly_field.reusing + excluded.reusing, paper_result = monitoring_flag_monthly_field.paper_result + excluded.paper_result, paper_e_result = monitoring_flag_monthly_field.paper_e_result + excluded.paper_e_result, disliked = monitoring_flag_monthly_field.disliked + excluded.disliked;
  END IF;
END;
$$;

-- Moves one dossier's open flags: + the bits of p_plus, − those of p_minus.
CREATE FUNCTION monitoring_flag_open_add(p_unit text, p_field text, p_channel smallint, p_plus integer, p_minus integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF (p_plus & 63) = (p_minus & 63) THEN RETURN; END IF;
  INSERT INTO monitoring_flag_open (unit_code, field_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing)
  VALUES (p_unit, p_field, p_channel, ((p_plus & 1) <> 0)::int - ((p_minus & 1) <> 0)::int, ((p_plus & 2) <> 0)::int - ((p_minus & 2) <> 0)::int, ((p_plus & 4) <> 0)::int - ((p_minus & 4) <> 0)::int, ((p_plus & 8) <> 0)::int - ((p_minus & 8) <> 0)::int, ((p_plus & 16) <> 0)::int - ((p_minus & 16) <> 0)::int, ((p_plus & 32) <> 0)::int - ((p_minus & 32) <> 0)::int)
  ON CONFLICT (unit_code, field_code, channel) DO UPDATE SET fo_eligible = monitoring_flag_open.fo_eligible + excluded.fo_eligible, full_online = monitoring_flag_open.full_online + excluded.full_online, with_fee = monitoring_flag_open.with_fee + excluded.with_fee, paid_online = monitoring_flag_open.paid_online + excluded.paid_online, digitised = monitoring_flag_open.digitised + excluded.digitised, reusing = monitoring_flag_open.reusing + excluded.reusing;
END;
$$;

-- The flags of a received dossier from the tables that hold its facts (0 before receipt).
-- Definitions (domain.md §5, in motcua's terms):
--   fo_eligible   the procedure is marked eligible for full online (procedures.full_online_eligible);
--   full_online   and the dossier was submitted online (channel 2);
--   with_fee      a fee or charge was assessed (fee_amount > 0);
--   paid_online   a payment of it succeeded online (payments: status paid, method online);
--   digitised     every document its case requires has an electronic copy (and at least one copy);
--   reusing       at least one copy was reused from an earlier dossier (once-only);
--   paper_result  the procedure's result is a paper document (result_type paper or both);
--   paper_e_result and a signed electronic result was issued (signed_results);
--   disliked      a complaint names the dossier, or its applicant rated it "dissatisfied".
CREATE FUNCTION monitoring_flags_compute(d dossiers) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN d.received_at IS NULL THEN 0 ELSE
      (CASE WHEN p.full_online_eligible THEN 1 ELSE 0 END)
    | (CASE WHEN p.full_online_eligible AND d.channel = 2 THEN 2 ELSE 0 END)
    | (CASE WHEN coalesce(d.fee_amount, 0) > 0 THEN 4 ELSE 0 END)
    | (CASE WHEN EXISTS (SELECT 1 FROM payments y WHERE y.dossier_id = d.id AND y.status = 'paid' AND y.method = 'online') THEN 8 ELSE 0 END)
    | (CASE WHEN EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id)
             AND NOT EXISTS (SELECT 1 FROM procedure_documents pd
                              WHERE pd.procedure_code = d.procedure_code AND pd.required
                                AND (cardinality(pd.case_codes) = 0 OR d.case_code = ANY (pd.case_codes))
                                AND NOT EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id AND dd.document_seq = pd.seq))
            THEN 16 ELSE 0 END)
    | (CASE WHEN EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id AND dd.source = 'reuse') THEN 32 ELSE 0 END)
    | (CASE WHEN p.result_type IN ('paper', 'both') THEN 64 ELSE 0 END)
    | (CASE WHEN p.result_type IN ('paper', 'both') AND EXISTS (SELECT 1 FROM signed_results s WHERE s.dossier_id = d.id) THEN 128 ELSE 0 END)
    | (CASE WHEN EXISTS (SELECT 1 FROM dossier_ratings r WHERE r.dossier_id = d.id AND r.level = 'dissatisfied')
              OR EXISTS (SELECT 1 FROM complaints c WHERE c.dossier_id = d.id) THEN 256 ELSE 0 END)
  END
  FROM procedures p WHERE p.code = d.procedure_code
$$;

-- Keeps a dossier's flags and their counts: runs before every insert or update of a dossier row.
-- A bulk writer that fills the aggregates itself (the benchmark's generator) may turn it off for
-- its own transaction with SET LOCAL motcua.monitoring_flags = 'off'.
CREATE FUNCTION monitoring_flags_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_received boolean := TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL;
  was_settled boolean := TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL AND OLD.finished_at IS NOT NULL;
  old_flags integer := CASE WHEN TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL THEN OLD.monitoring_flags ELSE 0 END;
  new_flags integer;
  added integer;
  field text;
BEGIN
  IF coalesce(current_setting('motcua.monitoring_flags', true), '') = 'off' THEN RETURN NEW; END IF;
  IF NEW.received_at IS NULL THEN
    NEW.monitoring_flags := 0;
    RETURN NEW;
  END IF;
  new_flags := monitoring_flags_compute(NEW) | old_flags;
  added := new_flags & ~old_flags;
  NEW.monitoring_flags := new_flags;
  IF added = 0 AND (was_settled OR NEW.finished_at IS NULL) THEN RETURN NEW; END IF;
  SELECT p.field_code INTO field FROM procedures p WHERE p.code = NEW.procedure_code;
  PERFORM monitoring_flag_open_add(NEW.deciding_unit, field, NEW.channel,
                                   CASE WHEN NEW.finished_at IS NULL THEN new_flags ELSE 0 END,
                                   CASE WHEN was_received AND NOT was_settled THEN old_flags ELSE 0 END);
  PERFORM monitoring_flags_add(NEW.deciding_unit, ((NEW.received_at AT TIME ZONE 'UTC') + interval '7 hours')::date, NEW.procedure_code, NEW.channel, field,
                               CASE WHEN was_received THEN added ELSE new_flags END, false, 1);
  IF NEW.finished_at IS NOT NULL THEN
    PERFORM monitoring_flags_add(NEW.deciding_unit, ((NEW.finished_at AT TIME ZONE 'UTC') + interval '7 hours')::date, NEW.procedure_code, NEW.channel, field,
                                 CASE WHEN was_settled THEN added ELSE new_flags END, true, 1);
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER dossiers_monitoring_flags BEFORE INSERT OR UPDATE ON dossiers
  FOR EACH ROW EXECUTE FUNCTION monitoring_flags_sync();

-- A fact about a dossier changed elsewhere: touch its row so that monitoring_flags_sync runs.
CREATE FUNCTION monitoring_flags_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.dossier_id IS NOT NULL THEN
    UPDATE dossiers SET monitoring_flags = monitoring_flags WHERE id = NEW.dossier_id AND received_at IS NOT NULL;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER payments_monitoring_flags AFTER INSERT OR UPDATE OF status ON payments
  FOR EACH ROW WHEN (NEW.status = 'paid') EXECUTE FUNCTION monitoring_flags_touch();
CREATE TRIGGER dossier_documents_monitoring_flags AFTER INSERT ON dossier_documents
  FOR EACH ROW EXECUTE FUNCTION monitoring_flags_touch();
CREATE TRIGGER signed_results_monitoring_flags AFTER INSERT ON signed_results
  FOR EACH ROW EXECUTE FUNCTION monitoring_flags_touch();
CREATE TRIGGER dossier_ratings_monitoring_flags AFTER INSERT OR UPDATE OF level ON dossier_ratings
  FOR EACH ROW WHEN (NEW.level = 'dissatisfied') EXECUTE FUNCTION monitoring_flags_touch();
CREATE TRIGGER complaints_monitoring_flags AFTER INSERT ON complaints
  FOR EACH ROW EXECUTE FUNCTION monitoring_flags_touch();

-- The three tables from the dossiers' stored flags, set-based (the rebuild, bulk loads).
CREATE FUNCTION monitoring_flags_fill() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM monitoring_flag_daily;
  DELETE FROM monitoring_flag_daily_field;
  DELETE FROM monitoring_flag_monthly_field;
  INSERT INTO monitoring_flag_daily (unit_code, day, procedure_code, channel, field_code, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
  SELECT s.unit_code, s.day, s.procedure_code, s.channel, p.field_code, sum(fo_eligible), sum(full_online), sum(with_fee), sum(paid_online), sum(digitised), sum(reusing), sum(paper_result), sum(paper_e_result), sum(disliked), sum(fo_eligible_settled), sum(full_online_settled), sum(with_fee_settled), sum(paid_online_settled), sum(digitised_settled), sum(reusing_settled), sum(paper_result_settled), sum(paper_e_result_settled), sum(disliked_settled)
    FROM (
      SELECT d.deciding_unit AS unit_code, ((d.received_at AT TIME ZONE 'UTC') + interval '7 hours')::date AS day, d.procedure_code, d.channel,
             ((d.monitoring_flags & 1) <> 0)::int AS fo_eligible, ((d.monitoring_flags & 2) <> 0)::int AS full_online, ((d.monitoring_flags & 4) <> 0)::int AS with_fee, ((d.monitoring_flags & 8) <> 0)::int AS paid_online, ((d.monitoring_flags & 16) <> 0)::int AS digitised, ((d.monitoring_flags & 32) <> 0)::int AS reusing, ((d.monitoring_flags & 64) <> 0)::int AS paper_result, ((d.monitoring_flags & 128) <> 0)::int AS paper_e_result, ((d.monitoring_flags & 256) <> 0)::int AS disliked,
             0 AS fo_eligible_settled, 0 AS full_online_settled, 0 AS with_fee_settled, 0 AS paid_online_settled, 0 AS digitised_settled, 0 AS reusing_settled, 0 AS paper_result_settled, 0 AS paper_e_result_settled, 0 AS disliked_settled
        FROM dossiers d WHERE d.received_at IS NOT NULL AND d.monitoring_flags <> 0
      UNION ALL
      SELECT d.deciding_unit, ((d.finished_at AT TIME ZONE 'UTC') + interval '7 hours')::date, d.procedure_code, d.channel,
             0, 0, 0, 0, 0, 0, 0, 0, 0,
             ((d.monitoring_flags & 1) <> 0)::int, ((d.monitoring_flags & 2) <> 0)::int, ((d.monitoring_flags & 4) <> 0)::int, ((d.monitoring_flags & 8) <> 0)::int, ((d.monitoring_flags & 16) <> 0)::int, ((d.monitoring_flags & 32) <> 0)::int, ((d.monitoring_flags & 64) <> 0)::int, ((d.monitoring_flags & 128) <> 0)::int, ((d.monitoring_flags & 256) <> 0)::int
        FROM dossiers d WHERE d.received_at IS NOT NULL AND d.finished_at IS NOT NULL AND d.monitoring_flags <> 0
    ) s JOIN procedures p ON p.code = s.procedure_code
   GROUP BY s.unit_code, s.day, s.procedure_code, s.channel, p.field_code;
  DELETE FROM monitoring_flag_open;
  INSERT INTO monitoring_flag_open (unit_code, field_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing)
  SELECT d.deciding_unit, p.field_code, d.channel, sum(((d.monitoring_flags & 1) <> 0)::int), sum(((d.monitoring_flags & 2) <> 0)::int), sum(((d.monitoring_flags & 4) <> 0)::int), sum(((d.monitoring_flags & 8) <> 0)::int), sum(((d.monitoring_flags & 16) <> 0)::int), sum(((d.monitoring_flags & 32) <> 0)::int)
    FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
   WHERE d.received_at IS NOT NULL AND d.finished_at IS NULL AND (d.monitoring_flags & 63) <> 0
   GROUP BY 1, 2, 3;
  INSERT INTO monitoring_flag_daily_field (day, unit_code, field_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
  SELECT day, unit_code, field_code, channel, sum(fo_eligible), sum(full_online), sum(with_fee), sum(paid_online), sum(digitised), sum(reusing), sum(paper_result), sum(paper_e_result), sum(disliked), sum(fo_eligible_settled), sum(full_online_settled), sum(with_fee_settled), sum(paid_online_settled), sum(digitised_settled), sum(reusing_settled), sum(paper_result_settled), sum(paper_e_result_settled), sum(disliked_settled)
    FROM monitoring_flag_daily GROUP BY 1, 2, 3, 4;
  INSERT INTO monitoring_flag_monthly_field (month, unit_code, field_code, channel, fo_eligible, full_online, with_fee, paid_online, digitised, reusing, paper_result, paper_e_result, disliked, fo_eligible_settled, full_online_settled, with_fee_settled, paid_online_settled, digitised_settled, reusing_settled, paper_result_settled, paper_e_result_settled, disliked_settled)
  SELECT date_trunc('month', day)::date, unit_code, field_code, channel, sum(fo_eligible), sum(full_online), sum(with_fee), sum(paid_online), sum(digitised), sum(reusing), sum(paper_result), sum(paper_e_result), sum(disliked), sum(fo_eligible_settled), sum(full_online_settled), sum(with_fee_settled), sum(paid_online_settled), sum(digitised_settled), sum(reusing_settled), sum(paper_result_settled), sum(paper_e_result_settled), sum(disliked_settled)
    FROM monitoring_flag_daily GROUP BY 1, 2, 3, 4;
END;
$$;

-- Recomputes every dossier's flags from the facts' tables, then the three tables (the rebuild).
CREATE FUNCTION monitoring_flags_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('motcua.monitoring_flags', 'off', true);
  -- One pass over the table with monitoring_flags_compute's expression written inline: calling
  -- the function for every row (its sub-plans started each time) had not finished 10 million
  -- dossiers after 25 minutes; inline, the sub-plans are started once.
  UPDATE dossiers d SET monitoring_flags = CASE WHEN d.received_at IS NULL THEN 0 ELSE
        (CASE WHEN p.full_online_eligible THEN 1 ELSE 0 END)
      | (CASE WHEN p.full_online_eligible AND d.channel = 2 THEN 2 ELSE 0 END)
      | (CASE WHEN coalesce(d.fee_amount, 0) > 0 THEN 4 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM payments y WHERE y.dossier_id = d.id AND y.status = 'paid' AND y.method = 'online') THEN 8 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id)
               AND NOT EXISTS (SELECT 1 FROM procedure_documents pd
                                WHERE pd.procedure_code = d.procedure_code AND pd.required
                                  AND (cardinality(pd.case_codes) = 0 OR d.case_code = ANY (pd.case_codes))
                                  AND NOT EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id AND dd.document_seq = pd.seq))
              THEN 16 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id AND dd.source = 'reuse') THEN 32 ELSE 0 END)
      | (CASE WHEN p.result_type IN ('paper', 'both') THEN 64 ELSE 0 END)
      | (CASE WHEN p.result_type IN ('paper', 'both') AND EXISTS (SELECT 1 FROM signed_results s WHERE s.dossier_id = d.id) THEN 128 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM dossier_ratings r WHERE r.dossier_id = d.id AND r.level = 'dissatisfied')
                OR EXISTS (SELECT 1 FROM complaints c WHERE c.dossier_id = d.id) THEN 256 ELSE 0 END)
    END
    FROM procedures p
   WHERE p.code = d.procedure_code
     AND d.monitoring_flags IS DISTINCT FROM (CASE WHEN d.received_at IS NULL THEN 0 ELSE
        (CASE WHEN p.full_online_eligible THEN 1 ELSE 0 END)
      | (CASE WHEN p.full_online_eligible AND d.channel = 2 THEN 2 ELSE 0 END)
      | (CASE WHEN coalesce(d.fee_amount, 0) > 0 THEN 4 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM payments y WHERE y.dossier_id = d.id AND y.status = 'paid' AND y.method = 'online') THEN 8 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id)
               AND NOT EXISTS (SELECT 1 FROM procedure_documents pd
                                WHERE pd.procedure_code = d.procedure_code AND pd.required
                                  AND (cardinality(pd.case_codes) = 0 OR d.case_code = ANY (pd.case_codes))
                                  AND NOT EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id AND dd.document_seq = pd.seq))
              THEN 16 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM dossier_documents dd WHERE dd.dossier_id = d.id AND dd.source = 'reuse') THEN 32 ELSE 0 END)
      | (CASE WHEN p.result_type IN ('paper', 'both') THEN 64 ELSE 0 END)
      | (CASE WHEN p.result_type IN ('paper', 'both') AND EXISTS (SELECT 1 FROM signed_results s WHERE s.dossier_id = d.id) THEN 128 ELSE 0 END)
      | (CASE WHEN EXISTS (SELECT 1 FROM dossier_ratings r WHERE r.dossier_id = d.id AND r.level = 'dissatisfied')
                OR EXISTS (SELECT 1 FROM complaints c WHERE c.dossier_id = d.id) THEN 256 ELSE 0 END)
    END);
  PERFORM monitoring_flags_fill();
  PERFORM set_config('motcua.monitoring_flags', '', true);
END;
$$;

-- Live updates (migration 018): the flag tables note their units like the other aggregates.
CREATE TRIGGER monitoring_flag_daily_note_insert
  AFTER INSERT ON monitoring_flag_daily REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();
CREATE TRIGGER monitoring_flag_daily_note_update
  AFTER UPDATE ON monitoring_flag_daily REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();

-- Dossiers received before this migration get their flags now.
SELECT monitoring_flags_rebuild();
