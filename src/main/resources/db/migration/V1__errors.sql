-- Error events (one row per occurrence, immutable) and errors (the aggregate per fingerprint).

CREATE FUNCTION severity_rank(severity text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE severity
        WHEN 'critical' THEN 5
        WHEN 'high' THEN 4
        WHEN 'medium' THEN 3
        WHEN 'low' THEN 2
        ELSE 1
    END;

CREATE TABLE errors (
    id                 uuid PRIMARY KEY,
    fingerprint        text        NOT NULL UNIQUE,
    fingerprint_inputs jsonb       NOT NULL,
    source             text        NOT NULL,
    type               text        NOT NULL,
    category           text        NOT NULL,
    severity           text        NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
    status             text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'regressed', 'suppressed')),
    count              bigint      NOT NULL,
    first_seen         timestamptz NOT NULL,
    last_seen          timestamptz NOT NULL,
    message            text        NOT NULL,
    last_event_id      uuid        NOT NULL,
    -- highest error_events.seq of this error: the order of "newest activity first" and the cursor's position
    activity_seq       bigint      NOT NULL,
    resolved_at        timestamptz,
    resolved_by        text,
    resolution_note    text,
    regressed_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX errors_activity_idx ON errors (activity_seq DESC);
CREATE INDEX errors_source_activity_idx ON errors (source, activity_seq DESC);
CREATE INDEX errors_status_activity_idx ON errors (status, activity_seq DESC);

CREATE TABLE error_events (
    event_id    uuid PRIMARY KEY,
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    error_id    uuid        NOT NULL,
    source      text        NOT NULL,
    type        text        NOT NULL,
    severity    text        NOT NULL,
    category    text        NOT NULL,
    message     text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    context     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    topic       text        NOT NULL,
    kafka_partition integer NOT NULL,
    kafka_offset    bigint  NOT NULL
);

CREATE UNIQUE INDEX error_events_error_seq_idx ON error_events (error_id, seq DESC);
