-- Per-step time norms of a procedure's internal process, and the due instant of a dossier's
-- current step, so that each hand-over on the process control sheet (form 6) is judged early /
-- on time / late against its own step, not only against the dossier's appointment.
ALTER TABLE procedures ADD COLUMN step_norms jsonb NOT NULL DEFAULT '{}'
  CONSTRAINT procedures_step_norms_check CHECK (jsonb_typeof(step_norms) = 'object');
COMMENT ON COLUMN procedures.step_norms IS 'Working hours allowed per step, e.g. {"specialist": 16}; a step without one gets a share of the time limit by weight (desk 1, leader 2, other steps 6; src/core/step-norms.ts). The return step is due at the appointment.';
COMMENT ON COLUMN dossiers.step_due_at IS 'When the current step is due: its norm from when it was entered, never after the appointment.';
