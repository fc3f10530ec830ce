-- An outbox event that breaks the contract (a bug in the feature that built it) is set aside,
-- with the reason in last_error, instead of blocking every event behind it.
ALTER TABLE outbox ADD COLUMN refused_at timestamptz;

DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL AND refused_at IS NULL;
