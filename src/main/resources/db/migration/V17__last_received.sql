-- When an error's latest event reached the bus (the broker's append time, or Rebound's receipt):
-- the clock regressions and windows are decided on, never the agents'. Errors stored before
-- this column take the time Rebound last changed them.
ALTER TABLE errors ADD COLUMN last_received timestamptz;
UPDATE errors SET last_received = updated_at;
ALTER TABLE errors ALTER COLUMN last_received SET NOT NULL;
