-- 0008_config_tally.sql - per-check device counts for the organization's
-- Secure Score for devices (docs/internals/config.md "Speed").
--
-- The score needs, for each check, how many devices it is applicable to
-- (passed, failed or error) and how many of them pass.  Grouping every
-- device_config row per request took 1.4 s at 10,000 devices x 150 checks;
-- config_tally keeps the counts over all devices, maintained by triggers on
-- device_config (inserts, result changes, deletes, including the cascade of
-- a device's deletion), so the score reads 150 rows and subtracts only the
-- devices outside its 30-day window (found through device_by_last_seen).
-- A row whose counts fall to 0 stays: a check reported once is cheap to keep.
CREATE TABLE config_tally (
	policy     TEXT NOT NULL,
	check_id   TEXT NOT NULL,
	applicable INTEGER NOT NULL CHECK (applicable >= 0),
	compliant  INTEGER NOT NULL CHECK (compliant >= 0),
	PRIMARY KEY (policy, check_id)
) STRICT, WITHOUT ROWID;
INSERT INTO config_tally (policy, check_id, applicable, compliant)
	SELECT policy, check_id,
	       sum(CASE WHEN result IN ('passed', 'failed', 'error') THEN 1 ELSE 0 END),
	       sum(CASE WHEN result = 'passed' THEN 1 ELSE 0 END)
	FROM device_config GROUP BY policy, check_id;

CREATE TRIGGER device_config_tally_insert AFTER INSERT ON device_config
BEGIN
	INSERT INTO config_tally (policy, check_id, applicable, compliant)
	VALUES (NEW.policy, NEW.check_id,
		CASE WHEN NEW.result IN ('passed', 'failed', 'error') THEN 1 ELSE 0 END,
		CASE WHEN NEW.result = 'passed' THEN 1 ELSE 0 END)
	ON CONFLICT (policy, check_id) DO UPDATE
	SET applicable = applicable + excluded.applicable, compliant = compliant + excluded.compliant;
END;

CREATE TRIGGER device_config_tally_delete AFTER DELETE ON device_config
BEGIN
	UPDATE config_tally
	SET applicable = applicable -
			 CASE WHEN OLD.result IN ('passed', 'failed', 'error') THEN 1 ELSE 0 END,
	    compliant = compliant - CASE WHEN OLD.result = 'passed' THEN 1 ELSE 0 END
	WHERE policy = OLD.policy AND check_id = OLD.check_id;
END;

CREATE TRIGGER device_config_tally_update AFTER UPDATE OF result ON device_config
BEGIN
	UPDATE config_tally
	SET applicable = applicable -
			 CASE WHEN OLD.result IN ('passed', 'failed', 'error') THEN 1 ELSE 0 END +
			 CASE WHEN NEW.result IN ('passed', 'failed', 'error') THEN 1 ELSE 0 END,
	    compliant = compliant - CASE WHEN OLD.result = 'passed' THEN 1 ELSE 0 END +
			CASE WHEN NEW.result = 'passed' THEN 1 ELSE 0 END
	WHERE policy = OLD.policy AND check_id = OLD.check_id;
END;

-- The devices outside the score's window, without a scan of the device table.
CREATE INDEX device_by_last_seen ON device (last_seen);
