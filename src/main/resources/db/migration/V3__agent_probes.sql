-- Active HTTP liveness probes of agents that registered a health_url.
ALTER TABLE agents
    ADD COLUMN probe_failures   integer NOT NULL DEFAULT 0,
    ADD COLUMN next_probe_at    timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_probe_at    timestamptz,
    ADD COLUMN last_probe_ok    boolean,
    ADD COLUMN last_probe_ms    double precision,
    ADD COLUMN last_probe_error text;

CREATE INDEX agents_probe_due_idx ON agents (next_probe_at) WHERE health_url IS NOT NULL;
