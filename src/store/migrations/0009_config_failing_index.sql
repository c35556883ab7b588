-- 0009_config_failing_index.sql - index only the results that need finding by check
-- (docs/internals/config.md "Speed").
--
-- Every query that starts from a check (a configuration recommendation's exposed
-- devices, its critical devices, a device's configuration recommendations) asks for the
-- devices where it failed or erred; the score itself reads config_tally.  The index of
-- 0007 held every result, so each full report (one row per check, ~280 with the
-- baseline) touched one index page per check: ingest with the configuration section ran
-- at 27 full reports/s against 41 with this partial index (bench/fleet_api.sh, 1
-- connection), which holds only failed and error results.
DROP INDEX device_config_by_check;
CREATE INDEX device_config_failing ON device_config (policy, check_id)
	WHERE result IN ('failed', 'error');
