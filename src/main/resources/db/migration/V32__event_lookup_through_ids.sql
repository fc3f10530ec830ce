-- An event is found by its id through error_event_ids, which now also keeps its position:
-- error_events' own index on event_id (a second random-order b-tree written for every event)
-- goes. error_events is then reached by (error_id, seq), which its other index serves.
ALTER TABLE error_event_ids ADD COLUMN seq bigint;

UPDATE error_event_ids i SET seq = e.seq FROM error_events e WHERE e.event_id = i.event_id;

DROP INDEX error_events_event_id_idx;
