-- An error's id is the first 128 bits of its fingerprint's SHA-256, so the primary key already
-- keeps one row per fingerprint; nothing looks errors up by fingerprint. The unique index on it
-- was one more b-tree written on every insert and update of an error (the ingest path updates
-- each error once per batch it appears in).
ALTER TABLE errors DROP CONSTRAINT errors_fingerprint_key;
