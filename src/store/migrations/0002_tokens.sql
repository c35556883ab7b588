-- 0002_tokens.sql - API tokens (docs/internals/auth.md).
--
-- A token is never stored: `digest` is the BLAKE2b-256 of the whole token
-- string, looked up through its unique index.  `prefix` is the public id
-- ("vgt_" + the first 8 characters of the random part) that listings
-- show.  Times are Unix seconds (UTC); NULL means "never" / "not yet".
-- Only agent tokens may name the device they belong to (NULL until the
-- agent is enrolled).
CREATE TABLE api_token (
	id           INTEGER PRIMARY KEY,
	prefix       TEXT NOT NULL UNIQUE,
	digest       BLOB NOT NULL UNIQUE CHECK (length(digest) = 32),
	name         TEXT,
	role         TEXT NOT NULL CHECK (role IN ('admin', 'securityAdmin', 'analyst',
	                                           'itAdmin', 'agent', 'enroll')),
	device_id    TEXT CHECK (device_id IS NULL OR role = 'agent'),
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER,
	revoked_at   INTEGER,
	last_used_at INTEGER
) STRICT;
