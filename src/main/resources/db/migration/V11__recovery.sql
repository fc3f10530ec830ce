-- Recovery runs (one per incident), their attempts, and the kill switch.

CREATE TABLE recovery_runs (
    id          uuid PRIMARY KEY,
    incident_id uuid        NOT NULL UNIQUE,
    target      text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('running', 'waiting_person', 'succeeded', 'cancelled')),
    level       integer     NOT NULL CHECK (level BETWEEN 1 AND 6),
    phase       text        NOT NULL CHECK (phase IN ('act', 'verify')),
    next_at     timestamptz NOT NULL,
    attempt_id  uuid,
    reason      text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz
);

CREATE INDEX recovery_runs_due_idx ON recovery_runs (next_at) WHERE status = 'running';

CREATE TABLE recovery_attempts (
    id          uuid PRIMARY KEY,
    run_id      uuid        NOT NULL REFERENCES recovery_runs (id),
    incident_id uuid        NOT NULL,
    target      text        NOT NULL,
    level       integer     NOT NULL,
    strategy    text        NOT NULL,
    executor    text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    outcome     text CHECK (outcome IN ('succeeded', 'failed', 'action_failed')),
    evidence    jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX recovery_attempts_run_idx ON recovery_attempts (run_id, started_at);

CREATE TABLE recovery_switch (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    paused    boolean     NOT NULL DEFAULT false,
    paused_by text,
    paused_at timestamptz
);

INSERT INTO recovery_switch (id) VALUES (true);
