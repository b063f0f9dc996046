-- Monthly roll-up of the monitoring flows (issue 5 item 10): monitoring_daily_field summed over the
-- days of a local calendar month. The heatmap of all units reads whole months here and only the
-- days at the edges of its period from the daily table, so a quarter is ~3 rows per unit × field ×
-- channel instead of ~90. Maintained exactly like the daily tables: in the same statement as each
-- dossier action, in bulk by AggregateBuffer, and by the rebuild (src/monitoring/aggregates.ts).

CREATE TABLE monitoring_monthly_field (
  month                date NOT NULL CONSTRAINT monitoring_monthly_field_month_check CHECK (extract(day FROM month) = 1),
  unit_code            text NOT NULL CONSTRAINT monitoring_monthly_field_unit_fk REFERENCES units(code),
  field_code           text NOT NULL,
  channel              smallint NOT NULL CONSTRAINT monitoring_monthly_field_channel_check CHECK (channel IN (1, 2, 3)),
  received             integer NOT NULL DEFAULT 0,
  settled_early        integer NOT NULL DEFAULT 0,
  settled_on_time      integer NOT NULL DEFAULT 0,
  settled_late         integer NOT NULL DEFAULT 0,
  settled_working_ms   bigint NOT NULL DEFAULT 0,
  supplement_requests  integer NOT NULL DEFAULT 0,
  apologies            integer NOT NULL DEFAULT 0,
  CONSTRAINT monitoring_monthly_field_pkey PRIMARY KEY (month, unit_code, field_code, channel)
);
COMMENT ON TABLE monitoring_monthly_field IS 'monitoring_daily_field summed over each local calendar month: the heatmap reads whole months here, the edge days of its period from the daily table.';
COMMENT ON COLUMN monitoring_monthly_field.month IS 'First day of the local (UTC+7) calendar month.';

INSERT INTO monitoring_monthly_field (month, unit_code, field_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies)
SELECT date_trunc('month', day)::date, unit_code, field_code, channel,
       sum(received), sum(settled_early), sum(settled_on_time), sum(settled_late), sum(settled_working_ms), sum(supplement_requests), sum(apologies)
FROM monitoring_daily_field
GROUP BY 1, 2, 3, 4;
