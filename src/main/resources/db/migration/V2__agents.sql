-- The agent registry and each agent's health, kept by heartbeats and the sweeper.

CREATE TABLE agents (
    id                 text PRIMARY KEY,
    kind               text        NOT NULL DEFAULT 'agent',
    depends_on         text[]      NOT NULL DEFAULT '{}',
    control_url        text,
    health_url         text,
    criticality        text        NOT NULL DEFAULT 'important'
        CHECK (criticality IN ('essential', 'critical', 'important', 'optional')),
    policy             text        NOT NULL DEFAULT 'default',
    version            text,
    labels             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    registered_by      text        NOT NULL,
    registered_at      timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    state              text        NOT NULL DEFAULT 'unknown'
        CHECK (state IN ('unknown', 'healthy', 'degraded', 'critical', 'failed', 'stopped')),
    state_since        timestamptz NOT NULL DEFAULT now(),
    state_reason       text,
    last_heartbeat_at  timestamptz,
    interval_ms        bigint,
    good_streak        integer     NOT NULL DEFAULT 0,
    missed             integer     NOT NULL DEFAULT 0,
    recent_response_ms double precision[] NOT NULL DEFAULT '{}',
    last_metrics       jsonb
);

-- what the sweeper looks at: agents that are expected to heartbeat
CREATE INDEX agents_watched_idx ON agents (last_heartbeat_at)
    WHERE state IN ('healthy', 'degraded', 'critical');

CREATE TABLE agent_health_history (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id   text        NOT NULL,
    from_state text        NOT NULL,
    to_state   text        NOT NULL,
    cause      text        NOT NULL,
    reason     text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX agent_health_history_agent_idx ON agent_health_history (agent_id, id DESC);
