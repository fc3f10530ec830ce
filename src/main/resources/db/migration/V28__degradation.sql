-- Every change of the fleet's degradation level or of its features off, as the instance
-- that leads recovery saw it.
CREATE TABLE degradation_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    from_level   text        NOT NULL,
    to_level     text        NOT NULL,
    features_off text[]      NOT NULL,
    why          text        NOT NULL
);
