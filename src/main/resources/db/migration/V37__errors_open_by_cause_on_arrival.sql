-- Every update of an error writes all of its indexes (its indexed activity_seq changes, so no
-- update is HOT), and the ingest path updates each error once per batch it appears in.
-- errors_open_source_idx goes: open errors by agent are few per agent, and
-- errors_source_activity_idx finds them. The open errors of a cause are found by the time
-- their last event arrived (last_received, Rebound's clock, what correlation asks), not by
-- the agent's last_seen.
DROP INDEX errors_open_source_idx;
DROP INDEX errors_open_cause_idx;
CREATE INDEX errors_open_cause_idx ON errors (cause, last_received) WHERE status IN ('open', 'regressed');
