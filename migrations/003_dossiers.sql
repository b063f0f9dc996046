-- Dossiers (hồ sơ): current state + append-only action log, written in one transaction.
CREATE TABLE dossiers (
  id                       bigserial PRIMARY KEY,
  code                     text NOT NULL CONSTRAINT dossiers_code_key UNIQUE,
  procedure_code           text NOT NULL CONSTRAINT dossiers_procedure_fk REFERENCES procedures(code),
  case_code                text NOT NULL,
  channel                  smallint NOT NULL CONSTRAINT dossiers_channel_check CHECK (channel IN (1, 2, 3)),
  status_code              smallint NOT NULL CONSTRAINT dossiers_status_check CHECK (status_code BETWEEN 1 AND 10),
  receiving_unit           text NOT NULL CONSTRAINT dossiers_receiving_unit_fk REFERENCES units(code),
  deciding_unit            text NOT NULL CONSTRAINT dossiers_deciding_unit_fk REFERENCES units(code),
  current_unit             text NOT NULL CONSTRAINT dossiers_current_unit_fk REFERENCES units(code),
  current_step             text NOT NULL,
  assignee_id              bigint CONSTRAINT dossiers_assignee_fk REFERENCES users(id),
  owner_id                 bigint CONSTRAINT dossiers_owner_fk REFERENCES users(id),
  applicant_type           text NOT NULL CONSTRAINT dossiers_applicant_type_check CHECK (applicant_type IN ('citizen', 'business')),
  applicant_name           text NOT NULL,
  applicant_id_number      text,
  applicant_phone          text,
  applicant_email          text,
  applicant_address        text,
  form_data                jsonb NOT NULL DEFAULT '{}',
  submitted_at             timestamptz NOT NULL,
  received_at              timestamptz,
  limit_kind               text NOT NULL,
  limit_value              numeric NOT NULL,
  appointment_at           timestamptz,
  appointment_set_by       text CONSTRAINT dossiers_appointment_set_by_check CHECK (appointment_set_by IN ('rule', 'apology')),
  legal_appointment_at     timestamptz,
  step_due_at              timestamptz,
  paused_at                timestamptz,
  paused_working_ms        bigint NOT NULL DEFAULT 0,
  supplement_request_count smallint NOT NULL DEFAULT 0,
  apology_count            smallint NOT NULL DEFAULT 0,
  fee_amount               bigint,
  paid_at                  timestamptz,
  pages                    integer,
  transfer_sent_at         timestamptz,
  transfer_received_at     timestamptz,
  transfer_returned_at     timestamptz,
  finished_at              timestamptz,
  returned_at              timestamptz,
  timeliness               text CONSTRAINT dossiers_timeliness_check CHECK (timeliness IN ('early', 'on_time', 'late')),
  action_count             integer NOT NULL DEFAULT 0,
  version                  integer NOT NULL DEFAULT 1,
  updated_at               timestamptz NOT NULL,
  queue_due                timestamptz GENERATED ALWAYS AS (coalesce(appointment_at, 'infinity'::timestamptz)) STORED,
  CONSTRAINT dossiers_case_fk FOREIGN KEY (procedure_code, case_code) REFERENCES procedure_cases (procedure_code, code)
);
COMMENT ON TABLE dossiers IS 'Current state of each dossier, derived from dossier_actions and written in the same transaction.';
COMMENT ON COLUMN dossiers.code IS '{receiving unit code}-{yyMMdd}-{4-digit daily sequence}.';
COMMENT ON COLUMN dossiers.current_unit IS 'Unit that holds the dossier now (queues); deciding_unit differs from receiving_unit for no-boundary and inter-agency procedures.';
COMMENT ON COLUMN dossiers.appointment_at IS 'Appointment the applicant was given (may be moved by an apology letter, form 4).';
COMMENT ON COLUMN dossiers.legal_appointment_at IS 'Appointment by the legal time limit (+ supplement pauses); early/on time/late is judged against it.';
COMMENT ON COLUMN dossiers.paused_at IS 'Set while waiting for the applicant''s supplement: the legal clock is paused.';
COMMENT ON COLUMN dossiers.paused_working_ms IS 'Working time spent waiting for supplements (added to the appointment on resume).';
COMMENT ON COLUMN dossiers.finished_at IS 'First of: processing finished (9), result returned (10), stopped/refused/withdrawn after receipt.';
COMMENT ON COLUMN dossiers.queue_due IS 'Appointment for queue ordering (no appointment sorts last); keyset pagination on (queue_due, id).';

-- Staff queues: one unit's open dossiers by status, soonest due first (keyset on queue_due, id).
CREATE INDEX dossiers_queue_idx ON dossiers (current_unit, status_code, queue_due, id);
CREATE INDEX dossiers_owner_idx ON dossiers (owner_id, id) WHERE owner_id IS NOT NULL;
CREATE INDEX dossiers_assignee_idx ON dossiers (assignee_id, status_code) WHERE assignee_id IS NOT NULL;
CREATE INDEX dossiers_receiving_idx ON dossiers (receiving_unit, submitted_at);
CREATE INDEX dossiers_open_due_idx ON dossiers (queue_due) WHERE status_code IN (2, 4, 5, 6);

CREATE TABLE dossier_actions (
  id              bigserial PRIMARY KEY,
  dossier_id      bigint NOT NULL CONSTRAINT dossier_actions_dossier_fk REFERENCES dossiers(id),
  seq             integer NOT NULL,
  type            text NOT NULL,
  at              timestamptz NOT NULL,
  actor_id        bigint CONSTRAINT dossier_actions_actor_fk REFERENCES users(id),
  actor_role      text NOT NULL,
  actor_unit      text,
  from_status     smallint,
  to_status       smallint NOT NULL,
  from_unit       text,
  to_unit         text,
  from_step       text,
  to_step         text,
  step_timeliness text CONSTRAINT dossier_actions_step_timeliness_check CHECK (step_timeliness IN ('early', 'on_time', 'late')),
  reason          text,
  payload         jsonb NOT NULL DEFAULT '{}',
  idempotency_key text NOT NULL,
  CONSTRAINT dossier_actions_seq_key UNIQUE (dossier_id, seq),
  CONSTRAINT dossier_actions_idempotency_key UNIQUE (dossier_id, idempotency_key)
);
COMMENT ON TABLE dossier_actions IS 'Append-only log of everything done to a dossier (actor, time, reason, payload). History, reports and the index are computed from it.';

-- Daily per-unit sequence for dossier codes; the upsert serialises concurrent submissions on one row.
CREATE TABLE dossier_code_counters (
  unit_code  text NOT NULL,
  day        date NOT NULL,
  last_value integer NOT NULL,
  PRIMARY KEY (unit_code, day)
);

-- Idempotent submission: the same client key returns the same dossier.
CREATE TABLE dossier_submissions (
  client_key      text NOT NULL,
  idempotency_key text NOT NULL,
  dossier_id      bigint NOT NULL CONSTRAINT dossier_submissions_dossier_fk REFERENCES dossiers(id),
  request_hash    text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_key, idempotency_key)
);
COMMENT ON COLUMN dossier_submissions.client_key IS 'Who submitted: user:<id>, or anon for channel-less imports.';
