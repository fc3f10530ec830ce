-- error_events partitioned by day of receipt (Rebound's clock, UTC), so retention drops whole
-- days instead of deleting rows. A partitioned table's unique keys must include its partition
-- key, so idempotency moves to error_event_ids: one narrow row per stored event, kept as long
-- as the events are.

CREATE TABLE error_event_ids (
    event_id    uuid        PRIMARY KEY,
    received_at timestamptz NOT NULL
);

CREATE INDEX error_event_ids_received_idx ON error_event_ids (received_at);

ALTER TABLE error_events RENAME TO error_events_before_partitioning;
ALTER INDEX error_events_error_seq_idx RENAME TO error_events_before_partitioning_error_seq_idx;

-- an event's position, across partitions (PostgreSQL before 17 has no identity columns on
-- partitioned tables)
CREATE SEQUENCE error_events_position;

CREATE TABLE error_events (
    event_id        uuid        NOT NULL,
    seq             bigint      NOT NULL DEFAULT nextval('error_events_position'),
    error_id        uuid        NOT NULL,
    source          text        NOT NULL,
    type            text        NOT NULL,
    severity        text        NOT NULL,
    category        text        NOT NULL,
    message         text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    context         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL
) PARTITION BY RANGE (received_at);

CREATE INDEX error_events_error_seq_idx ON error_events (error_id, seq DESC);
CREATE INDEX error_events_event_id_idx ON error_events (event_id);

-- what no day's partition takes (one was not created in time): kept, never lost
CREATE TABLE error_events_default PARTITION OF error_events DEFAULT;

-- today and the week ahead; Rebound keeps creating them ahead (EventPartitions)
DO $$
DECLARE
    day date;
BEGIN
    FOR i IN 0..7 LOOP
        day := (now() AT TIME ZONE 'UTC')::date + i;
        EXECUTE format('CREATE TABLE %I PARTITION OF error_events FOR VALUES FROM (%L) TO (%L)',
                       'error_events_p' || to_char(day, 'YYYYMMDD'),
                       (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
    END LOOP;
END $$;

-- the events stored so far, with their positions (errors' activity_seq points at them)
INSERT INTO error_events (event_id, seq, error_id, source, type, severity, category, message, occurred_at,
                          received_at, context, topic, kafka_partition, kafka_offset)
SELECT event_id, seq, error_id, source, type, severity, category, message, occurred_at, received_at, context,
       topic, kafka_partition, kafka_offset
FROM error_events_before_partitioning;

INSERT INTO error_event_ids (event_id, received_at)
SELECT event_id, received_at FROM error_events_before_partitioning;

-- past every position handed out: stored events' and those counted without being stored
SELECT setval('error_events_position', greatest((SELECT max(seq) FROM error_events_before_partitioning),
                                                (SELECT max(activity_seq) FROM errors), 1));

ALTER SEQUENCE error_events_position OWNED BY error_events.seq;

DROP TABLE error_events_before_partitioning;
