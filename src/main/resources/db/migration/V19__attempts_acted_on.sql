-- The agents an attempt's actions were carried out on (a restart of dependencies or of a group acts
-- on others than the run's target): every one of them counts its level 3+ actions against its
-- restart intensity. Attempts stored before this column count against their run's target.
ALTER TABLE recovery_attempts ADD COLUMN acted_on text[] NOT NULL DEFAULT '{}';
