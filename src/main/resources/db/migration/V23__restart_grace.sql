-- An agent recovery has just restarted is not judged silent, nor probed, until it is
-- heard from again or this passes (rebound.recovery.restart-grace after the restart).
ALTER TABLE agents ADD COLUMN quiet_until timestamptz;
