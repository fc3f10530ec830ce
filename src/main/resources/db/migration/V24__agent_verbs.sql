-- The control verbs an agent says it handles beyond the basic ones (retry, reload,
-- restart, scale): strategies that need more (circuit-break, fallback, take-over) act only
-- on agents that declared them.
ALTER TABLE agents ADD COLUMN verbs text[] NOT NULL DEFAULT '{}';
-- Why a run starts with the strategy it recommends: its rule, or the symptom that chose it.
ALTER TABLE recovery_runs ADD COLUMN recommended_why text;
