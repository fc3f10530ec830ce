-- The secret Rebound signs its control calls to an agent with (HMAC-SHA256). Kept as it is,
-- not hashed: Rebound needs it to sign. Issued to the operator with the agent's key.
CREATE TABLE control_secrets (
    agent_id   text PRIMARY KEY,
    secret     text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
