-- Admin-configurable settings of the leaders' monitoring (issue 5): the heatmap thresholds and
-- the Decision 766 index configuration (grade bands, items not applicable per unit kind, group
-- 3's split). One row per setting, its value a JSON document checked by src/core (checkThresholds,
-- checkIndex766Config) before it is written; no row = the defaults in the code. Every change is
-- also written to audit_log in the same transaction (src/monitoring/settings.ts).

CREATE TABLE monitoring_settings (
  key        text NOT NULL CONSTRAINT monitoring_settings_key_check CHECK (key IN ('heatmap_thresholds', 'index766_config')),
  value      jsonb NOT NULL CONSTRAINT monitoring_settings_value_check CHECK (jsonb_typeof(value) = 'object'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by bigint CONSTRAINT monitoring_settings_updated_by_fk REFERENCES users(id),
  CONSTRAINT monitoring_settings_pkey PRIMARY KEY (key)
);
COMMENT ON TABLE monitoring_settings IS 'Admin overrides of the monitoring defaults (heatmap thresholds, Decision 766 index configuration); a missing row means the defaults of the code apply. Changes are recorded in audit_log.';
COMMENT ON COLUMN monitoring_settings.value IS 'heatmap_thresholds: {indicator id: {"green": n, "yellow": n}} for the overridden indicators only; index766_config: a whole Index766Config (src/core/index766.ts). Only validated values are written.';
COMMENT ON COLUMN monitoring_settings.updated_by IS 'The admin who made the last change (users.id).';
