-- The strategy a run's rule recommends (recovery: strategy:<name>): the run starts at its
-- level and uses it there.
ALTER TABLE recovery_runs ADD COLUMN recommended text;
