-- Notifications to applicants (email), projected from the dossier action log.
-- A projector reads dossier_actions after its cursor (settings 'notifications.cursor'), writes one
-- notification per public-facing action of a dossier with an applicant email, and a sender
-- delivers pending ones over SMTP with retries. UNIQUE (action_id) makes the projection idempotent
-- (at-least-once reading, exactly one notification per action).
CREATE TABLE notifications (
  id              bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT notifications_pkey PRIMARY KEY,
  action_id       bigint NOT NULL CONSTRAINT notifications_action_fk REFERENCES dossier_actions(id),
  dossier_id      bigint NOT NULL CONSTRAINT notifications_dossier_fk REFERENCES dossiers(id),
  channel         text NOT NULL DEFAULT 'email' CONSTRAINT notifications_channel_check CHECK (channel IN ('email')),
  recipient       text NOT NULL CONSTRAINT notifications_recipient_check CHECK (length(recipient) BETWEEN 3 AND 320),
  subject         text NOT NULL,
  body_text       text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CONSTRAINT notifications_attempts_check CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  CONSTRAINT notifications_action_key UNIQUE (action_id)
);
COMMENT ON TABLE notifications IS 'Messages to applicants about their dossiers (one per public-facing action), with delivery state.';
COMMENT ON COLUMN notifications.action_id IS 'The dossier_actions row that caused the message; unique, so re-reading the log never duplicates.';
COMMENT ON COLUMN notifications.attempts IS 'Delivery attempts so far (counted when a sender claims the row).';
COMMENT ON COLUMN notifications.next_attempt_at IS 'Earliest next delivery attempt: backoff after a failure, or the lease of the sender that claimed it.';
COMMENT ON COLUMN notifications.status IS 'pending (to send or retry) | sent | failed (gave up after the maximum attempts; last_error says why).';

-- The sender's queue: due pending messages, oldest first.
CREATE INDEX notifications_pending_idx ON notifications (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX notifications_dossier_idx ON notifications (dossier_id);

-- Start after the actions that already exist: history (imports, demo data) is never emailed.
INSERT INTO settings (key, value)
SELECT 'notifications.cursor', jsonb_build_object('actionId', coalesce(max(id), 0)) FROM dossier_actions
ON CONFLICT (key) DO NOTHING;
