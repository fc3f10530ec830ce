-- Where the log scanner stands in each file it tails.
CREATE TABLE log_positions (
    path       text PRIMARY KEY,
    file_key   text        NOT NULL,
    position   bigint      NOT NULL,
    -- bumped on every rotation or truncation, so offsets read again after one make new event ids
    generation bigint      NOT NULL DEFAULT 0,
    suppressed bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
