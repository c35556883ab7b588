-- 0006_vuln_exposure.sql - how many devices each vulnerability is on, kept
-- at ingest (docs/internals/assess.md).
--
-- Listing the organization's vulnerabilities with their exposed-device
-- counts needed a grouped pass over every finding per request (0.3 s at a
-- million findings).  The counts now change with the findings, in the same
-- transaction: +1 when a vulnerability appears on a device, -1 when it
-- disappears.  first_detected is the first time any device had it: history,
-- so it stays when the count falls to 0.
CREATE TABLE vuln_exposure (
	vuln_id        TEXT PRIMARY KEY,
	exposed        INTEGER NOT NULL CHECK (exposed >= 0),
	first_detected INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO vuln_exposure (vuln_id, exposed, first_detected)
	SELECT vuln_id, count(DISTINCT device_id), min(first_seen) FROM device_vuln
	GROUP BY vuln_id;
