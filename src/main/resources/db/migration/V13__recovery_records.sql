-- Recovery that learns and waits well: each strategy's record per kind of error (the
-- choice among a level's strategies and the adaptive timeouts rest on it), the policy a
-- run follows, approval, inhibition and the 'acting' phase that makes an interrupted
-- action never run twice.

CREATE TABLE recovery_records (
    error_kind        text             NOT NULL,   -- cause|category|agent kind
    strategy          text             NOT NULL,
    level             integer          NOT NULL,
    attempts          integer          NOT NULL DEFAULT 0,  -- judged attempts
    successes         integer          NOT NULL DEFAULT 0,
    relapses          integer          NOT NULL DEFAULT 0,  -- successes followed by the same fault soon after
    ttr_seconds_sum   double precision NOT NULL DEFAULT 0,  -- over successes
    recovered_sum     double precision NOT NULL DEFAULT 0,  -- share of the incident's agents healthy at judgement
    actions_sum       integer          NOT NULL DEFAULT 0,  -- agents acted on (impact)
    duration_samples  integer          NOT NULL DEFAULT 0,
    duration_ms_mean  double precision NOT NULL DEFAULT 0,  -- exponentially weighted, of executor calls
    duration_ms_var   double precision NOT NULL DEFAULT 0,
    updated_at        timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (error_kind, strategy)
);

ALTER TABLE recovery_runs
    ADD COLUMN error_kind     text    NOT NULL DEFAULT '',
    ADD COLUMN policy         text    NOT NULL DEFAULT 'default',
    ADD COLUMN level_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN inhibited_by   uuid,
    ADD COLUMN watch_since    timestamptz,
    ADD COLUMN approved_by    text;

ALTER TABLE recovery_runs DROP CONSTRAINT recovery_runs_status_check;
ALTER TABLE recovery_runs ADD CONSTRAINT recovery_runs_status_check
    CHECK (status IN ('running', 'waiting_person', 'waiting_approval', 'succeeded', 'cancelled'));
ALTER TABLE recovery_runs DROP CONSTRAINT recovery_runs_phase_check;
ALTER TABLE recovery_runs ADD CONSTRAINT recovery_runs_phase_check CHECK (phase IN ('act', 'acting', 'verify'));

ALTER TABLE recovery_attempts
    ADD COLUMN error_kind  text    NOT NULL DEFAULT '',
    ADD COLUMN timeout_ms  bigint,
    ADD COLUMN duration_ms bigint,
    ADD COLUMN choice      jsonb   NOT NULL DEFAULT '{}'::jsonb;

CREATE INDEX recovery_attempts_target_idx ON recovery_attempts (target, started_at);
