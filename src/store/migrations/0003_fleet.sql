-- 0003_fleet.sql - enrolled devices and their reports (docs/internals/fleet.md).
--
-- Times are Unix seconds (UTC).  A device keeps the current copy of each
-- inventory section it reported (compact JSON, with the agent's hash and
-- count) and the ids of the reports already applied, so that a resent
-- report is acknowledged without being applied twice.

-- One row per enrolled machine; the same machine id always maps to the same device.
CREATE TABLE device (
	id         TEXT PRIMARY KEY,
	machine_id TEXT NOT NULL UNIQUE,
	hostname   TEXT,
	os_ns      TEXT,
	first_seen INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	value      TEXT NOT NULL DEFAULT 'Normal' CHECK (value IN ('Low', 'Normal', 'High')),
	group_name TEXT
) STRICT;

-- The latest copy of each section of a device (docs/inventory.md).
CREATE TABLE device_section (
	device_id TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
	name      TEXT NOT NULL,
	hash      TEXT NOT NULL,
	count     INTEGER NOT NULL,
	body      TEXT NOT NULL,
	PRIMARY KEY (device_id, name)
) STRICT, WITHOUT ROWID;

-- Reports applied, by the agent's report id; `applied` lists the sections
-- that changed, comma-separated.
CREATE TABLE device_report (
	device_id   TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
	report_id   TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('full', 'delta')),
	received_at INTEGER NOT NULL,
	applied     TEXT NOT NULL,
	PRIMARY KEY (device_id, report_id)
) STRICT, WITHOUT ROWID;

-- Distinct software (src/engine/match.h's tuple); ns '' when unknown.
CREATE TABLE tuple (
	id      INTEGER PRIMARY KEY,
	ns      TEXT NOT NULL,
	package TEXT NOT NULL,
	version TEXT NOT NULL,
	scheme  TEXT NOT NULL,
	UNIQUE (ns, package, version, scheme)
) STRICT;

-- The tuples a device runs; `binaries` is a JSON array of the package names behind it.
CREATE TABLE device_tuple (
	device_id TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
	tuple_id  INTEGER NOT NULL REFERENCES tuple (id),
	binaries  TEXT NOT NULL,
	PRIMARY KEY (device_id, tuple_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX device_tuple_by_tuple ON device_tuple (tuple_id);
