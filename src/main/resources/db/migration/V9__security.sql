-- API keys (only a hash of the secret is kept) and the audit log of operators' actions.

CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    owner       text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('agent', 'viewer', 'operator')),
    agent_ids   text[]      NOT NULL DEFAULT '{}',
    -- the key's public part, to find it; the secret is only ever stored hashed
    prefix      text        NOT NULL UNIQUE,
    secret_hash text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at  timestamptz,
    revoked_by  text,
    replaced_by uuid REFERENCES api_keys (id)
);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    role        text        NOT NULL,
    via         text        NOT NULL,
    action      text        NOT NULL,
    target      text,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    remote_addr text
);

CREATE INDEX audit_log_at_idx ON audit_log (id DESC);
