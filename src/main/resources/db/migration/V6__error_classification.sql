-- What the correlation rules made of an error (following its latest event), and how far
-- the correlator has looked at it: an error whose activity_seq is past its observed_seq has
-- news the correlator has not seen yet.

ALTER TABLE errors
    ADD COLUMN rule_id       text,
    ADD COLUMN cause         text,
    ADD COLUMN confidence    real,
    ADD COLUMN error_class   text CHECK (error_class IN ('transient', 'recoverable', 'fatal')),
    ADD COLUMN recovery      text,
    ADD COLUMN group_key     text,
    ADD COLUMN observed_seq  bigint NOT NULL DEFAULT 0;

CREATE INDEX errors_unobserved_idx ON errors (activity_seq) WHERE observed_seq < activity_seq;

-- the correlator's window queries: open errors of one cause, or from some agents, lately
CREATE INDEX errors_open_cause_idx ON errors (cause, last_seen) WHERE status IN ('open', 'regressed');
CREATE INDEX errors_open_source_idx ON errors (source, last_seen) WHERE status IN ('open', 'regressed');
