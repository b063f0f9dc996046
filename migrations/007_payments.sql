-- Online payment of fees and charges (phí, lệ phí) of a dossier, and the provider callbacks that
-- settle them. Feeds index group 4 (domain.md §5): dossiers paid online, procedures with at least
-- one online payment.
CREATE TABLE payments (
  id              bigserial PRIMARY KEY,
  reference       text NOT NULL CONSTRAINT payments_reference_key UNIQUE,
  dossier_id      bigint NOT NULL CONSTRAINT payments_dossier_fk REFERENCES dossiers(id),
  amount          bigint NOT NULL CONSTRAINT payments_amount_check CHECK (amount > 0),
  currency        text NOT NULL DEFAULT 'VND' CONSTRAINT payments_currency_check CHECK (currency = 'VND'),
  purpose         text NOT NULL,
  provider        text NOT NULL CONSTRAINT payments_provider_check CHECK (provider IN ('local', 'bank_transfer')),
  method          text NOT NULL DEFAULT 'online' CONSTRAINT payments_method_check CHECK (method IN ('online', 'bank_transfer')),
  status          text NOT NULL DEFAULT 'pending' CONSTRAINT payments_status_check CHECK (status IN ('pending', 'paid', 'failed', 'expired')),
  created_by      bigint NOT NULL CONSTRAINT payments_created_by_fk REFERENCES users(id),
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  paid_at         timestamptz,
  failed_at       timestamptz,
  provider_txn_id text,
  receipt_number  text CONSTRAINT payments_receipt_number_key UNIQUE,
  CONSTRAINT payments_paid_check CHECK ((status = 'paid') = (paid_at IS NOT NULL AND receipt_number IS NOT NULL)),
  CONSTRAINT payments_expiry_check CHECK (expires_at > created_at)
);
COMMENT ON TABLE payments IS 'Payments of a dossier''s fee through a payment provider; one row per attempt. A pending row past expires_at counts as expired when read.';
COMMENT ON COLUMN payments.reference IS 'Public payment reference: shown to the payer, used as the VietQR transfer content and by the provider.';
COMMENT ON COLUMN payments.purpose IS 'Transfer content sent to the bank (ASCII, at most 25 characters).';
COMMENT ON COLUMN payments.method IS 'online = paid through a payment provider (counts as "paid online" for index group 4).';
COMMENT ON COLUMN payments.receipt_number IS 'Number of the payment receipt (biên lai), assigned when the payment is confirmed.';

-- A dossier's payments, newest first (the pending one is found here).
CREATE INDEX payments_dossier_idx ON payments (dossier_id, created_at DESC, id DESC);
-- At most one payment in flight per dossier (a stale pending row is expired before a new one is made).
CREATE UNIQUE INDEX payments_one_pending_idx ON payments (dossier_id) WHERE status = 'pending';
-- Index group 4: online payments by the time they were paid.
CREATE INDEX payments_paid_idx ON payments (paid_at, dossier_id) WHERE status = 'paid';

CREATE TABLE payment_callbacks (
  id           bigserial PRIMARY KEY,
  provider     text NOT NULL,
  event_id     text NOT NULL,
  reference    text,
  payload      jsonb NOT NULL,
  outcome      text NOT NULL CONSTRAINT payment_callbacks_outcome_check
               CHECK (outcome IN ('paid', 'failed', 'expired', 'ignored_already_settled', 'rejected_amount', 'rejected_unknown_payment')),
  received_at  timestamptz NOT NULL,
  CONSTRAINT payment_callbacks_event_key UNIQUE (provider, event_id)
);
COMMENT ON TABLE payment_callbacks IS 'Callbacks from payment providers whose signature was verified, one per provider event id: a replayed event changes nothing. Callbacks with a bad or old signature are refused (401) and only logged: storing them would let anyone occupy event ids.';
COMMENT ON COLUMN payment_callbacks.outcome IS 'What the callback did: settled the payment (paid/failed/expired), nothing (already settled), or was rejected (amount mismatch, unknown reference).';
CREATE INDEX payment_callbacks_reference_idx ON payment_callbacks (reference, received_at);

-- Index group 4 counts the dossiers with a fee received by a unit in a period (src/payments/queries.ts).
CREATE INDEX dossiers_fee_received_idx ON dossiers (receiving_unit, received_at) WHERE fee_amount > 0;
