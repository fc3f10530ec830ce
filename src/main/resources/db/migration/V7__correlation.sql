-- Correlation: the rules, the incidents, their errors, what happened to them, and the
-- merges and splits people made (which later events respect).

CREATE TABLE correlation_rules (
    id          text PRIMARY KEY,
    origin      text        NOT NULL CHECK (origin IN ('builtin', 'file', 'api')),
    definition  jsonb       NOT NULL,
    enabled     boolean     NOT NULL DEFAULT true,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- bumped by every rule change, so that every instance reloads its rule set
CREATE SEQUENCE correlation_rules_version;

CREATE TABLE incidents (
    id                   uuid PRIMARY KEY,
    status               text        NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'mitigating', 'resolved', 'closed')),
    kind                 text        NOT NULL CHECK (kind IN ('rule', 'burst', 'severity', 'dependency', 'recurrence', 'manual')),
    correlation_key      text        NOT NULL,
    title                text        NOT NULL,
    severity             text        NOT NULL,
    cause                text,
    rule_id              text,
    error_class          text,
    recovery             text,
    root_agent           text,
    root_error_id        uuid,
    root_path            text[]      NOT NULL DEFAULT '{}',
    reason               jsonb       NOT NULL,
    previous_incident_id uuid REFERENCES incidents (id),
    merged_into          uuid REFERENCES incidents (id),
    error_count          integer     NOT NULL DEFAULT 0,
    source_count         integer     NOT NULL DEFAULT 0,
    opened_at            timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    last_activity_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at          timestamptz,
    resolved_by          text,
    closed_at            timestamptz,
    closed_by            text,
    note                 text
);

-- one active incident per correlation key; a recurrence after it is resolved opens another
CREATE UNIQUE INDEX incidents_active_key_idx ON incidents (correlation_key) WHERE status IN ('open', 'mitigating');
CREATE INDEX incidents_opened_idx ON incidents (opened_at DESC, id DESC);
CREATE INDEX incidents_root_idx ON incidents (root_agent) WHERE status IN ('open', 'mitigating');

CREATE TABLE incident_errors (
    incident_id uuid        NOT NULL REFERENCES incidents (id),
    error_id    uuid        NOT NULL,
    source      text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('root', 'member', 'symptom')),
    -- for a symptom: the agents from its source to the root
    path        text[]      NOT NULL DEFAULT '{}',
    added_by    text        NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    -- false once the error left (merged elsewhere or split off); kept for the history
    current     boolean     NOT NULL DEFAULT true,
    PRIMARY KEY (incident_id, error_id)
);

CREATE INDEX incident_errors_error_idx ON incident_errors (error_id) WHERE current;

CREATE TABLE incident_timeline (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id uuid        NOT NULL REFERENCES incidents (id),
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text        NOT NULL,
    actor       text        NOT NULL,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id);

-- a person's merge or split: the error belongs to this incident (and, after it is
-- resolved, to its recurrences), whatever the rules would say
CREATE TABLE incident_pins (
    error_id    uuid PRIMARY KEY,
    incident_id uuid        NOT NULL REFERENCES incidents (id),
    pinned_by   text        NOT NULL,
    pinned_at   timestamptz NOT NULL DEFAULT now()
);
