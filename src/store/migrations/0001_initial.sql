-- 0001_initial.sql - the first knowledge-base schema (docs/internals/store.md).
--
-- Every table is STRICT.  Rows remember the source they were imported
-- from (source.id), so that a REPLACE import can drop a source's rows and
-- a MERGE import can drop one record's rows.  The children of a vuln row
-- (aliases, CWEs, references, CPE configurations) go with it through
-- ON DELETE CASCADE.

-- One row per source name ("nvd", "osv", "debian-dsa", "kev", "epss", ...).
-- `gen` counts the imports of the source; affected rows carry the
-- generation that wrote them (see MERGE in store.md).
CREATE TABLE source (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	format      TEXT,
	mode        TEXT,
	version     TEXT,
	snapshot    TEXT,
	path        TEXT,
	records     INTEGER NOT NULL DEFAULT 0,
	imported_at TEXT,
	last_error  TEXT,
	failed_at   TEXT,
	gen         INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A vulnerability record as one source describes it.  *_score is the base
-- score recomputed from the vector by src/core/cvss.c (NULL when the
-- vector is absent or invalid), *_src the source's own number.
CREATE TABLE vuln (
	id            INTEGER PRIMARY KEY,
	source        INTEGER NOT NULL REFERENCES source(id),
	vid           TEXT NOT NULL,
	summary       TEXT,
	description   TEXT,
	published     TEXT,
	modified      TEXT,
	withdrawn     INTEGER NOT NULL DEFAULT 0,
	cvss_v2       TEXT,
	cvss_v2_score REAL,
	cvss_v2_src   REAL,
	cvss_v3       TEXT,
	cvss_v3_score REAL,
	cvss_v3_src   REAL,
	cvss_v4       TEXT,
	cvss_v4_score REAL,
	cvss_v4_src   REAL,
	severity      TEXT,
	UNIQUE (source, vid)
) STRICT;
CREATE INDEX vuln_vid ON vuln (vid);

-- Aliases in the order the source gives them; the second index answers
-- "which records name X as an alias".
CREATE TABLE alias (
	vuln  INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	seq   INTEGER NOT NULL,
	alias TEXT NOT NULL,
	PRIMARY KEY (vuln, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX alias_alias ON alias (alias);

CREATE TABLE cwe (
	vuln INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	seq  INTEGER NOT NULL,
	cwe  TEXT NOT NULL,
	PRIMARY KEY (vuln, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE ref (
	vuln    INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	seq     INTEGER NOT NULL,
	url     TEXT NOT NULL,
	tags    TEXT,
	exploit INTEGER NOT NULL,
	PRIMARY KEY (vuln, seq)
) STRICT, WITHOUT ROWID;

-- NVD applicability: configuration -> nodes -> matches.  `product` is the
-- criteria's CPE product, unquoted, lower-cased, with '-' written '_'
-- (NULL for ANY/NA or an unparsable name); the partial index makes
-- "configurations with a vulnerable criterion for product P" a lookup.
CREATE TABLE cpe_config (
	id     INTEGER PRIMARY KEY,
	vuln   INTEGER NOT NULL REFERENCES vuln(id) ON DELETE CASCADE,
	seq    INTEGER NOT NULL,
	and_op INTEGER NOT NULL
) STRICT;
CREATE INDEX cpe_config_vuln ON cpe_config (vuln);

CREATE TABLE cpe_node (
	id     INTEGER PRIMARY KEY,
	config INTEGER NOT NULL REFERENCES cpe_config(id) ON DELETE CASCADE,
	seq    INTEGER NOT NULL,
	and_op INTEGER NOT NULL,
	negate INTEGER NOT NULL
) STRICT;
CREATE INDEX cpe_node_config ON cpe_node (config);

CREATE TABLE cpe_match (
	node       INTEGER NOT NULL REFERENCES cpe_node(id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	criteria   TEXT NOT NULL,
	vulnerable INTEGER NOT NULL,
	start_incl TEXT,
	start_excl TEXT,
	end_incl   TEXT,
	end_excl   TEXT,
	product    TEXT,
	PRIMARY KEY (node, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX cpe_match_product ON cpe_match (product) WHERE vulnerable;

-- Affected-package statements.  `pkey` is the package name as compared
-- (PEP 503-normalized for PyPI, lower-cased for NuGet and Packagist, else
-- the name itself); `rec` the record that owns the statement (advisory,
-- else vuln_id); `gen` the source generation that wrote it.  Scheme and
-- status are stored by name so that the enums may be reordered.
CREATE TABLE affected (
	id            INTEGER PRIMARY KEY,
	source        INTEGER NOT NULL REFERENCES source(id),
	gen           INTEGER NOT NULL,
	rec           TEXT NOT NULL,
	ns            TEXT NOT NULL,
	pkey          TEXT NOT NULL,
	package       TEXT NOT NULL,
	vuln_id       TEXT NOT NULL,
	advisory      TEXT,
	scheme        TEXT NOT NULL,
	status        TEXT NOT NULL,
	introduced    TEXT,
	fixed         TEXT,
	last_affected TEXT,
	exact         TEXT,
	urgency       TEXT,
	note          TEXT
) STRICT;
CREATE INDEX affected_pkg ON affected (ns, pkey);
CREATE INDEX affected_rec ON affected (source, rec);
CREATE INDEX affected_vuln ON affected (vuln_id);

-- CISA KEV, one row per CVE.
CREATE TABLE kev (
	cve             TEXT PRIMARY KEY,
	source          INTEGER NOT NULL REFERENCES source(id),
	vendor          TEXT,
	product         TEXT,
	name            TEXT,
	date_added      TEXT,
	due_date        TEXT,
	ransomware      INTEGER NOT NULL,
	required_action TEXT,
	description     TEXT,
	cwes            TEXT
) STRICT, WITHOUT ROWID;

-- FIRST EPSS, keyed by the CVE id packed into an integer
-- (year * 10^10 + number, vg_kb_cve_key() in kb.c) so that the
-- 300,000-row daily import fills one rowid b-tree.  The score date is the
-- source's snapshot.  `source` has no REFERENCES clause on purpose: the
-- foreign-key check would cost a third of the import; only the sink
-- writes the column, always with the id of an existing source row.
CREATE TABLE epss (
	cve         INTEGER PRIMARY KEY,
	source      INTEGER NOT NULL,
	probability REAL NOT NULL,
	percentile  REAL NOT NULL
) STRICT;
