-- the errors escalating now, for the minute's check (few, among many)
CREATE INDEX errors_escalating_idx ON errors (id) WHERE escalating_since IS NOT NULL;
