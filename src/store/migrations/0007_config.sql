-- 0007_config.sql - secure configuration assessment (issue 6;
-- docs/internals/config.md).
--
-- config_check is the catalog of checks vigild loads from its policies at
-- start (Vigil's baseline in content/, Wazuh SCA files the operator adds):
-- what a check is called, its category and impact.  device_config holds each
-- device's latest result per check, as its agent reported it in the
-- "configuration" section; device_config_history one row per change of a
-- result, so "when did this device become non-compliant" has an answer.
-- A device's result for a check the catalog does not know is kept and shown,
-- but counts in no score.
CREATE TABLE config_check (
	policy      TEXT NOT NULL,
	check_id    TEXT NOT NULL,
	title       TEXT NOT NULL,
	category    TEXT NOT NULL CHECK (category IN ('', 'Application', 'OS', 'Network',
						  'Accounts', 'Security controls')),
	subcategory TEXT,
	impact      INTEGER NOT NULL CHECK (impact BETWEEN 0 AND 10),
	description TEXT,
	rationale   TEXT,
	remediation TEXT,
	refs        TEXT NOT NULL DEFAULT '[]',
	loaded_at   INTEGER NOT NULL,
	PRIMARY KEY (policy, check_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE device_config (
	device_id  TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
	policy     TEXT NOT NULL,
	check_id   TEXT NOT NULL,
	result     TEXT NOT NULL CHECK (result IN ('passed', 'failed', 'notApplicable', 'error')),
	reason     TEXT,
	evidence   TEXT,
	first_seen INTEGER NOT NULL,
	changed_at INTEGER NOT NULL,
	PRIMARY KEY (device_id, policy, check_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX device_config_by_check ON device_config (policy, check_id, result);

CREATE TABLE device_config_history (
	id        INTEGER PRIMARY KEY,
	device_id TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
	policy    TEXT NOT NULL,
	check_id  TEXT NOT NULL,
	result    TEXT NOT NULL,
	previous  TEXT,
	time      INTEGER NOT NULL
) STRICT;
CREATE INDEX device_config_history_by_device ON device_config_history (device_id, time);

-- The device's own Secure Score (points of its passed scored checks, and the
-- maximum over its applicable ones), written with its results.
ALTER TABLE device ADD COLUMN config_points REAL;
ALTER TABLE device ADD COLUMN config_max REAL;
