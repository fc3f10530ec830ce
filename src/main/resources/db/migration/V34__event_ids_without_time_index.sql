-- An event's id goes with its event (EventPartitions.dropBefore finds the ids through the
-- events it drops), so error_event_ids needs no index on received_at: one index fewer written
-- for every event stored.
DROP INDEX error_event_ids_received_idx;
