-- Leases: one holder at a time per name (the recovery orchestrator's leader), with a fencing
-- token that grows with every change of holder, so a step written by a former leader that
-- lost its lease can be refused.

CREATE TABLE leases (
    name       text PRIMARY KEY,
    holder     text        NOT NULL,
    token      bigint      NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
