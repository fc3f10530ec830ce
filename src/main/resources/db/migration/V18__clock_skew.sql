-- How far an agent's clock is off: the median of received_at - occurred_at over its recent
-- events (positive: its clock is behind), and when that was last measured.
ALTER TABLE agents ADD COLUMN clock_skew_ms bigint;
ALTER TABLE agents ADD COLUMN clock_skew_at timestamptz;
