-- 0005_section_zlib.sql - device sections stored compressed (docs/internals/fleet.md).
--
-- A device's packages section is most of what the store keeps per device
-- (about 42 KiB of JSON at 150 packages; 709 MiB for 10,000 devices).  The
-- bodies are now zlib-compressed when that pays (`enc` 'zlib', `size` the
-- JSON's length, needed to inflate it), or kept as JSON text (`enc` 'json').
-- Rows an older vigild wrote are copied as they are.
CREATE TABLE device_section_z (
	device_id TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
	name      TEXT NOT NULL,
	hash      TEXT NOT NULL,
	count     INTEGER NOT NULL,
	enc       TEXT NOT NULL CHECK (enc IN ('json', 'zlib')),
	size      INTEGER NOT NULL,
	body      BLOB NOT NULL,
	PRIMARY KEY (device_id, name)
) STRICT, WITHOUT ROWID;
INSERT INTO device_section_z (device_id, name, hash, count, enc, size, body)
	SELECT device_id, name, hash, count, 'json', length(CAST(body AS BLOB)), CAST(body AS BLOB)
	FROM device_section;
DROP TABLE device_section;
ALTER TABLE device_section_z RENAME TO device_section;
