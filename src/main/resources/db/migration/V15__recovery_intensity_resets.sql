-- When an operator reset an agent's restart-intensity counter ('*': every agent's); level 3+
-- actions before it no longer count against the agent.
CREATE TABLE recovery_intensity_resets (
    target   text PRIMARY KEY,
    reset_at timestamptz NOT NULL DEFAULT now()
);
