-- GET /api/incidents?agent=: the incidents that hold an agent's errors, newest first
CREATE INDEX incident_errors_source_idx ON incident_errors (source, incident_id) WHERE current;
