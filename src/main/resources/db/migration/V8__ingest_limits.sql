-- Noise protection: events over a source's rate or an error's spike limit are folded into
-- their error's counts without a row of their own, and counted here by source and reason.
-- ingest_offsets records, in the same transaction as the events, how far each partition
-- was processed, so that a batch read again after a crash changes nothing, stored or not.

ALTER TABLE errors ADD COLUMN suppressed bigint NOT NULL DEFAULT 0;

CREATE TABLE suppressed_events (
    source     text        NOT NULL,
    reason     text        NOT NULL CHECK (reason IN ('source_rate', 'error_spike')),
    count      bigint      NOT NULL,
    first_at   timestamptz NOT NULL DEFAULT now(),
    last_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, reason)
);

CREATE TABLE ingest_offsets (
    topic           text    NOT NULL,
    kafka_partition integer NOT NULL,
    last_offset     bigint  NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);
