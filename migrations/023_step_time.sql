-- Where time goes (issue 5 item 9): how long each step of a procedure's internal process takes,
-- against its norm. The dossier remembers when its current step began; each action that leaves a
-- step records the working time spent at it and its norm (payload stepWorkingMs / stepNormMs,
-- src/core/dossier-machine.ts), and monitoring_steps_monthly sums them per deciding unit × local
-- month × procedure × step. Maintained like the other monitoring aggregates: in the same
-- statement as each dossier action, in bulk by imports and the simulator, and rebuilt from the
-- action log by `npm run monitoring:rebuild` (src/monitoring/step-aggregates.ts).

ALTER TABLE dossiers ADD COLUMN step_entered_at timestamptz;
ALTER TABLE dossiers ADD COLUMN step_waited_working_ms bigint NOT NULL DEFAULT 0
  CONSTRAINT dossiers_step_waited_working_ms_check CHECK (step_waited_working_ms >= 0);
COMMENT ON COLUMN dossiers.step_entered_at IS 'When the current step began (the receipt for the step the desk hands to); NULL when unknown (a step begun before migration 023 and not found in the action log).';
COMMENT ON COLUMN dossiers.step_waited_working_ms IS 'Working time the current step spent waiting for a supplement: not counted as time at the step.';

-- Open dossiers carry on from where they are: their step began at the last action that entered it
-- (a receipt, or a move from another step), and the supplement waits since then are the step's.
UPDATE dossiers d
SET step_entered_at = e.at,
    step_waited_working_ms = coalesce((
      SELECT sum((w.payload ->> 'waitedWorkingMs')::bigint)
      FROM dossier_actions w
      WHERE w.dossier_id = d.id AND w.seq > e.seq AND w.type = 'supplement' AND w.payload ? 'waitedWorkingMs'
    ), 0)
FROM (
  SELECT DISTINCT ON (a.dossier_id) a.dossier_id, a.seq, a.at
  FROM dossier_actions a
  JOIN dossiers o ON o.id = a.dossier_id
  WHERE o.received_at IS NOT NULL AND o.finished_at IS NULL
    AND a.to_step = o.current_step
    AND (a.type = 'receive' OR a.from_step IS DISTINCT FROM a.to_step)
  ORDER BY a.dossier_id, a.seq DESC
) e
WHERE d.id = e.dossier_id;

CREATE TABLE monitoring_steps_monthly (
  unit_code       text NOT NULL CONSTRAINT monitoring_steps_monthly_unit_fk REFERENCES units(code),
  month           date NOT NULL CONSTRAINT monitoring_steps_monthly_month_check CHECK (extract(day FROM month) = 1),
  procedure_code  text NOT NULL CONSTRAINT monitoring_steps_monthly_procedure_fk REFERENCES procedures(code),
  step            text NOT NULL,
  handovers       integer NOT NULL DEFAULT 0,
  early           integer NOT NULL DEFAULT 0,
  on_time         integer NOT NULL DEFAULT 0,
  late            integer NOT NULL DEFAULT 0,
  working_ms      bigint NOT NULL DEFAULT 0,
  norm_ms         bigint NOT NULL DEFAULT 0,
  with_norm       integer NOT NULL DEFAULT 0,
  CONSTRAINT monitoring_steps_monthly_pkey PRIMARY KEY (unit_code, month, procedure_code, step)
);
COMMENT ON TABLE monitoring_steps_monthly IS 'Steps left per deciding unit × local month × procedure × step: how many, early / on time / late against the step''s due instant, working time spent at the step (minus supplement waits) and the norms, from the actions whose payload has stepWorkingMs.';
COMMENT ON COLUMN monitoring_steps_monthly.month IS 'First day of the local (UTC+7) calendar month of the hand-over.';
COMMENT ON COLUMN monitoring_steps_monthly.working_ms IS 'Sum of the working time spent at the step by the dossiers that left it.';
COMMENT ON COLUMN monitoring_steps_monthly.norm_ms IS 'Sum of the step''s norm over the hand-overs that had one (with_norm of them): average norm = norm_ms ÷ with_norm.';

-- No live-monitoring trigger (migration 018) on this table: the step figures are not on the live
-- dashboards, and a hand-over would otherwise wake every open dashboard without moving any of
-- their figures.
