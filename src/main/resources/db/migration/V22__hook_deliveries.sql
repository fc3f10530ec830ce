-- Webhook notifications waiting to be taken, one per subscription and notification: the
-- id is the Idempotency-Key each attempt carries; (subscription, key) keeps a notification
-- whose event was delivered twice from being sent twice.
CREATE TABLE hook_deliveries
(
  id           UUID        NOT NULL PRIMARY KEY,
  subscription TEXT        NOT NULL,
  key          TEXT        NOT NULL,
  event        TEXT        NOT NULL,
  body         JSONB       NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  next_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  attempts     INTEGER     NOT NULL DEFAULT 0,
  status       TEXT        NOT NULL DEFAULT 'pending',
  last_answer  TEXT,
  delivered_at TIMESTAMPTZ,
  UNIQUE (subscription, key)
);
CREATE INDEX hook_deliveries_due ON hook_deliveries (next_at) WHERE status = 'pending';
