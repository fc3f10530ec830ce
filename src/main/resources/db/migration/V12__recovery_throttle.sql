-- How often a run was held back by the restart-intensity limit.
ALTER TABLE recovery_runs ADD COLUMN throttled integer NOT NULL DEFAULT 0;
