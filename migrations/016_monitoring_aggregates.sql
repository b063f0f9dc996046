-- Monitoring aggregates (issue 5 §1): what the leaders' dashboard, the Decision 766 index and the
-- periodic reports read instead of scanning dossiers. Written in the same statement as each dossier
-- action (src/dossiers/repository.ts writeDecisionAtomic), in bulk by imports and the simulator,
-- and rebuilt from the action log by `npm run monitoring:rebuild`; the same pure functions
-- (src/core/aggregates.ts) compute the changes in all three, and a test proves rebuild = incremental.
-- Every count is attributed to the dossier's deciding unit; days are local dates (UTC+7).

CREATE TABLE monitoring_daily (
  unit_code            text NOT NULL CONSTRAINT monitoring_daily_unit_fk REFERENCES units(code),
  day                  date NOT NULL,
  procedure_code       text NOT NULL CONSTRAINT monitoring_daily_procedure_fk REFERENCES procedures(code),
  channel              smallint NOT NULL CONSTRAINT monitoring_daily_channel_check CHECK (channel IN (1, 2, 3)),
  field_code           text NOT NULL,
  received             integer NOT NULL DEFAULT 0,
  settled_early        integer NOT NULL DEFAULT 0,
  settled_on_time      integer NOT NULL DEFAULT 0,
  settled_late         integer NOT NULL DEFAULT 0,
  settled_working_ms   bigint NOT NULL DEFAULT 0,
  supplement_requests  integer NOT NULL DEFAULT 0,
  apologies            integer NOT NULL DEFAULT 0,
  CONSTRAINT monitoring_daily_pkey PRIMARY KEY (unit_code, day, procedure_code, channel)
);
COMMENT ON TABLE monitoring_daily IS 'Dossier flows per deciding unit × local day × procedure × channel: received, settled by timeliness, processing time, supplement requests, apologies.';
COMMENT ON COLUMN monitoring_daily.settled_working_ms IS 'Sum over the settled dossiers of the working time from receipt to settlement, minus supplement waits.';
COMMENT ON COLUMN monitoring_daily.field_code IS 'The procedure''s field when the row was first written (filters by field without a join).';

-- The same flows without the procedure: what the heatmap of all units reads for a period.
CREATE TABLE monitoring_daily_field (
  day                  date NOT NULL,
  unit_code            text NOT NULL CONSTRAINT monitoring_daily_field_unit_fk REFERENCES units(code),
  field_code           text NOT NULL,
  channel              smallint NOT NULL CONSTRAINT monitoring_daily_field_channel_check CHECK (channel IN (1, 2, 3)),
  received             integer NOT NULL DEFAULT 0,
  settled_early        integer NOT NULL DEFAULT 0,
  settled_on_time      integer NOT NULL DEFAULT 0,
  settled_late         integer NOT NULL DEFAULT 0,
  settled_working_ms   bigint NOT NULL DEFAULT 0,
  supplement_requests  integer NOT NULL DEFAULT 0,
  apologies            integer NOT NULL DEFAULT 0,
  CONSTRAINT monitoring_daily_field_pkey PRIMARY KEY (day, unit_code, field_code, channel)
);
COMMENT ON TABLE monitoring_daily_field IS 'monitoring_daily summed over the procedures of a field: the heatmap''s source for a period (rows per day ≈ units × fields × channels).';

-- Open dossiers now, by the day their legal appointment falls on ('infinity' = no appointment).
CREATE TABLE monitoring_open (
  unit_code       text NOT NULL CONSTRAINT monitoring_open_unit_fk REFERENCES units(code),
  procedure_code  text NOT NULL CONSTRAINT monitoring_open_procedure_fk REFERENCES procedures(code),
  channel         smallint NOT NULL CONSTRAINT monitoring_open_channel_check CHECK (channel IN (1, 2, 3)),
  due_day         date NOT NULL,
  field_code      text NOT NULL,
  -- No CHECK (open_count >= 0): INSERT ... ON CONFLICT checks the proposed row (a -1) before it
  -- finds the row to add it to. The tests check that no count goes negative.
  open_count      integer NOT NULL,
  CONSTRAINT monitoring_open_pkey PRIMARY KEY (unit_code, procedure_code, channel, due_day)
);
COMMENT ON TABLE monitoring_open IS 'Received, unsettled dossiers per deciding unit × procedure × channel × legal appointment day: overdue now = due_day before today, due soon = the next working days.';
COMMENT ON COLUMN monitoring_open.due_day IS 'Local date of the legal appointment; ''infinity'' for procedures without one.';
