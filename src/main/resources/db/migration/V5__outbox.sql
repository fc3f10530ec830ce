-- Error events Rebound synthesizes (an agent failing), written in the same transaction as the
-- change that caused them and published to the bus afterwards: none is lost when Kafka is away.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text
);

CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;
