-- When an agent's registered version last changed, on Rebound's clock: a failure right
-- after a rollout is met with a rollback.
ALTER TABLE agents ADD COLUMN version_changed_at timestamptz;
ALTER TABLE agents ADD COLUMN previous_version text;
