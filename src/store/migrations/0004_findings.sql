-- 0004_findings.sql - what the engine concluded about the fleet
-- (docs/internals/assess.md).
--
-- Matching is per distinct tuple, so its result is kept per tuple
-- (tuple_vuln): the fleet-wide match cache that every vigild thread and
-- every later report share.  A device's findings (device_vuln) are its
-- tuples' vulnerabilities with the risk of each on that device (the context
-- factor depends on what runs and listens there).  Vulnerability details
-- the API filters on are copied once per vulnerability (vuln_summary), so a
-- listing is one indexed query, not a merge across sources per row.  Times
-- are Unix seconds (UTC).  Plain SQL types and no SQLite-only functions in
-- queries, so a PostgreSQL backend can run the same statements.

-- Software identity of a tuple (Defender's "vendor-_-product"), and the
-- knowledge-base generation it was last matched at (NULL: never).
ALTER TABLE tuple ADD COLUMN vendor TEXT;
ALTER TABLE tuple ADD COLUMN software_id TEXT;
ALTER TABLE tuple ADD COLUMN matched_gen INTEGER;
CREATE INDEX tuple_by_software ON tuple (software_id);

-- What runs and listens of a device tuple, for the context factor, and when
-- the device was first seen with it (kept while the packages section changes).
ALTER TABLE device_tuple ADD COLUMN running INTEGER NOT NULL DEFAULT 0;
ALTER TABLE device_tuple ADD COLUMN listening INTEGER NOT NULL DEFAULT 0;
ALTER TABLE device_tuple ADD COLUMN first_seen INTEGER NOT NULL DEFAULT 0;
-- Which packages section wrote the row (fleet.c replaces a device's rows by marking).
ALTER TABLE device_tuple ADD COLUMN mark INTEGER NOT NULL DEFAULT 0;

-- The device's operating system and score, kept with the device for the
-- machines API; exposure_score is 0-100 (docs/scoring.md).
ALTER TABLE device ADD COLUMN os_platform TEXT;
ALTER TABLE device ADD COLUMN os_version TEXT;
ALTER TABLE device ADD COLUMN os_arch TEXT;
ALTER TABLE device ADD COLUMN kernel TEXT;
ALTER TABLE device ADD COLUMN exposed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE device ADD COLUMN risk_sum REAL NOT NULL DEFAULT 0;
ALTER TABLE device ADD COLUMN exposure_score REAL NOT NULL DEFAULT 0;
ALTER TABLE device ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE device ADD COLUMN last_full INTEGER;

-- The vulnerabilities of one tuple, with the device-independent factors of
-- their risk: r = s x l x c x w, c being the device's (score.h).
CREATE TABLE tuple_vuln (
	tuple_id      INTEGER NOT NULL REFERENCES tuple (id) ON DELETE CASCADE,
	vuln_id       TEXT NOT NULL,
	status        TEXT NOT NULL,
	fixed_version TEXT,
	confidence    TEXT NOT NULL,
	source        TEXT,
	severity      TEXT NOT NULL,
	s             REAL NOT NULL,
	l             REAL NOT NULL,
	w             REAL NOT NULL,
	PRIMARY KEY (tuple_id, vuln_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX tuple_vuln_by_vuln ON tuple_vuln (vuln_id);

-- A device's current findings; first_seen survives re-assessment and
-- version changes of the same vulnerability on the device.
CREATE TABLE device_vuln (
	device_id  TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
	tuple_id   INTEGER NOT NULL REFERENCES tuple (id),
	vuln_id    TEXT NOT NULL,
	risk       REAL NOT NULL,
	first_seen INTEGER NOT NULL,
	PRIMARY KEY (device_id, tuple_id, vuln_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX device_vuln_by_vuln ON device_vuln (vuln_id, device_id, first_seen);
CREATE INDEX device_vuln_by_tuple ON device_vuln (tuple_id);

-- The details of each vulnerability found on some tuple, as the API shows
-- them (Defender's Vulnerability entity).
CREATE TABLE vuln_summary (
	id             TEXT PRIMARY KEY,
	cve_id         TEXT,
	description    TEXT,
	severity       TEXT NOT NULL,
	cvss_v3        REAL,
	cvss_vector    TEXT,
	published      INTEGER,
	updated        INTEGER,
	public_exploit INTEGER NOT NULL,
	kev            INTEGER NOT NULL,
	epss           REAL,
	exploit_uris   TEXT NOT NULL,
	gen            INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The event timeline, append-only: kind is "vulnerabilityAppeared" or
-- "vulnerabilityDisappeared" (more kinds come with remediation).
CREATE TABLE event (
	id        INTEGER PRIMARY KEY,
	time      INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	device_id TEXT,
	vuln_id   TEXT,
	tuple_id  INTEGER,
	detail    TEXT
) STRICT;
CREATE INDEX event_by_time ON event (time);
CREATE INDEX event_by_device ON event (device_id, time);
