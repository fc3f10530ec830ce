-- Each error's events per hour of receipt (Rebound's clock), for spike detection, and the
-- escalation an error is in, if any.
CREATE TABLE error_hourly (
    error_id uuid        NOT NULL REFERENCES errors (id) ON DELETE CASCADE,
    hour     timestamptz NOT NULL,
    count    bigint      NOT NULL,
    PRIMARY KEY (error_id, hour)
);

CREATE INDEX error_hourly_hour_idx ON error_hourly (hour);

ALTER TABLE errors
    ADD COLUMN escalating_since timestamptz,
    ADD COLUMN escalation jsonb;
