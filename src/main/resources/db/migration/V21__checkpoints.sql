-- Task checkpoints: what an agent saved of a task (its state, progress, intermediate
-- results, the dependencies it completed) so that a restart resumes where it failed.
-- The body is kept as the bytes the agent sent, with their SHA-256, checked on every read.
CREATE TABLE agent_checkpoints
(
  agent_id   TEXT        NOT NULL,
  task       TEXT        NOT NULL,
  version    INTEGER     NOT NULL,
  body       BYTEA       NOT NULL,
  sha256     TEXT        NOT NULL,
  size       INTEGER     NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_by TEXT        NOT NULL,
  PRIMARY KEY (agent_id, task, version)
);
CREATE INDEX agent_checkpoints_by_created_at ON agent_checkpoints (created_at);
