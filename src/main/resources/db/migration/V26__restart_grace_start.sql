-- When the restart grace began: only a heartbeat published after it (the broker's append
-- time) ends the grace early, not one that was on its way when the agent went quiet.
ALTER TABLE agents ADD COLUMN quiet_since timestamptz;
