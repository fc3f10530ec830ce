-- Anomaly detection and failure prediction: each agent's last values of each metric its
-- heartbeats report (with the times they were reported, on the broker's clock), and the
-- predictions made from them with how they ended.

CREATE TABLE agent_predictions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id         text             NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    metric           text             NOT NULL,
    predicted_at     timestamptz      NOT NULL,
    value            double precision NOT NULL,
    limit_value      double precision NOT NULL,
    slope_per_second double precision NOT NULL,
    crosses_at       timestamptz      NOT NULL,
    confidence       double precision NOT NULL,
    outcome          text             NOT NULL DEFAULT 'pending'
        CHECK (outcome IN ('pending', 'came_true', 'lapsed')),
    outcome_at       timestamptz
);

CREATE INDEX agent_predictions_agent_idx ON agent_predictions (agent_id, predicted_at DESC);

CREATE TABLE agent_metric_windows (
    agent_id        text               NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    metric          text               NOT NULL,
    at_ms           bigint[]           NOT NULL,
    samples         double precision[] NOT NULL,
    -- the medians of the values per bucket (rebound.agents.foresight.bucket), newest last
    bucket_at_ms    bigint[]           NOT NULL DEFAULT '{}',
    buckets         double precision[] NOT NULL DEFAULT '{}',
    -- anomalous values in a row
    anomalous       integer            NOT NULL DEFAULT 0,
    -- the prediction in force, if any, and heartbeats in a row that no longer show it
    prediction_id   bigint             REFERENCES agent_predictions (id) ON DELETE SET NULL,
    predicted_since timestamptz,
    unpredicted     integer            NOT NULL DEFAULT 0,
    PRIMARY KEY (agent_id, metric)
);
