-- The basic verbs (retry, reload, restart, scale) an agent answered 409 to, "not applicable
-- here": recovery does not plan them for it again, nor counts the refusal against the strategy.
-- Cleared when the agent registers again (a new version may handle them).
ALTER TABLE agents ADD COLUMN verbs_refused text[] NOT NULL DEFAULT '{}';
