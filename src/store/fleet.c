/*
 * fleet.c - devices and inventory reports (fleet.h, docs/internals/fleet.md).
 *
 * Statements are prepared per call: a report costs a handful of them plus
 * two per distinct tuple, which the prepare does not dominate.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>

#include "agent/tuple.h"
#include "core/alloc.h"
#include "store/auth.h"
#include "store/config.h"
#include "store/fleet.h"
#include "store/kb_int.h"
#include "store/sqlite_util.h"

#define HASH_LEN (7 + 64) /* "sha256:" + hex */

static const char *const section_names[VG_FLEET_SEC_N] = {"device",    "packages", "processes",
							  "listeners", "accounts", "configuration"};

/* A report's sections after validation (pointers borrowed from the document). */
struct report {
	const char *hash[VG_FLEET_SEC_N]; /* NULL: configuration not in `sections` */
	json_int_t count[VG_FLEET_SEC_N];
	const json_t *body[VG_FLEET_SEC_N]; /* NULL: not sent */
};

/* One package's tuple, before grouping. */
struct ptuple {
	const char *ns, *package, *version, *scheme, *binary;
	size_t index; /* inventory order, to keep the binaries in it */
};

const char *
vg_fleet_section_name(enum vg_fleet_section s)
{
	return (unsigned)s < VG_FLEET_SEC_N ? section_names[s] : "?";
}

int
vg_fleet_kind_parse(const char *s, enum vg_fleet_kind *out)
{
	if (s && strcmp(s, "full") == 0)
		*out = VG_FLEET_FULL;
	else if (s && strcmp(s, "delta") == 0)
		*out = VG_FLEET_DELTA;
	else
		return VG_EINVAL;
	return VG_OK;
}

bool
vg_fleet_report_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > VG_FLEET_REPORT_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* ---- statements --------------------------------------------------------------- */

/*
 * The connection's cached statement of @sql, a string literal (vg_kb_cached():
 * prepared once per connection, not per report and tuple).  Reset it after use.
 */
static int
prepare(struct vg_kb *kb, const char *sql, sqlite3_stmt **st, struct vg_err *err)
{
	*st = vg_kb_cached(kb, sql, err);
	return *st ? VG_OK : VG_EIO;
}

/* Step @st once, expecting no row, and reset it. */
static int
exec_done(struct vg_kb *kb, sqlite3_stmt *st, int brc, const char *what, struct vg_err *err)
{
	int rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;

	rc = rc == SQLITE_DONE ? VG_OK : vg_sql_error(err, kb->db, rc, what);
	sqlite3_reset(st);
	return rc;
}

static bool
printable_ascii(const char *s, size_t max, bool required)
{
	size_t n;

	if (s == NULL)
		return !required;
	n = strlen(s);
	if (n > max || (required && n == 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* ---- enrollment ----------------------------------------------------------------- */

int
vg_fleet_enroll(struct vg_kb *kb, const char *machine_id, const char *hostname, const char *ns,
		char device_id[VG_FLEET_DEVICE_ID_LEN + 1], struct vg_err *err)
{
	static const char sql[] =
		"INSERT INTO device (id, machine_id, hostname, os_ns, first_seen, last_seen)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (machine_id) DO UPDATE SET"
		" hostname = coalesce(excluded.hostname, hostname),"
		" os_ns = coalesce(excluded.os_ns, os_ns), last_seen = excluded.last_seen"
		" RETURNING id";
	unsigned char rnd[16];
	char fresh[VG_FLEET_DEVICE_ID_LEN + 1];
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	device_id[0] = '\0';
	if (!printable_ascii(machine_id, VG_FLEET_FIELD_MAX, true))
		return vg_error(err, VG_EINVAL, "'machineId' must be 1 to %d printable bytes",
				VG_FLEET_FIELD_MAX);
	if (!printable_ascii(hostname, VG_FLEET_FIELD_MAX, false) ||
	    !printable_ascii(ns, VG_FLEET_FIELD_MAX, false))
		return vg_error(err, VG_EINVAL,
				"'hostname' and 'os.namespace' must be at most %d "
				"printable bytes",
				VG_FLEET_FIELD_MAX);
	if (kb->flags & VG_KB_READONLY)
		return vg_error(err, VG_EPERM, "knowledge base '%s' is open read-only", kb->path);
	randombytes_buf(rnd, sizeof(rnd));
	memcpy(fresh, "dev_", 4);
	sodium_bin2hex(fresh + 4, sizeof(fresh) - 4, rnd, sizeof(rnd));
	rc = prepare(kb, sql, &st, err);
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, fresh, &brc);
	vg_sql_bind_text(st, 2, machine_id, &brc);
	vg_sql_bind_text(st, 3, hostname, &brc);
	vg_sql_bind_text(st, 4, ns, &brc);
	vg_sql_bind_int(st, 5, vg_auth_now(), &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	if (rc == SQLITE_ROW) {
		snprintf(device_id, VG_FLEET_DEVICE_ID_LEN + 1, "%s",
			 (const char *)sqlite3_column_text(st, 0));
		rc = VG_OK;
	} else
		rc = vg_sql_error(err, kb->db, rc, "enrolling a device");
	sqlite3_reset(st);
	return rc;
}

int
vg_fleet_revoke_device_tokens(struct vg_kb *kb, const char *device_id, size_t *n,
			      struct vg_err *err)
{
	static const char sql[] = "UPDATE api_token SET revoked_at = ?1 WHERE device_id = ?2"
				  " AND role = 'agent' AND revoked_at IS NULL";
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	if (n)
		*n = 0;
	rc = prepare(kb, sql, &st, err);
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_int(st, 1, vg_auth_now(), &brc);
	vg_sql_bind_text(st, 2, device_id, &brc);
	rc = exec_done(kb, st, brc, "revoking the device's tokens", err);
	if (rc == VG_OK && n)
		*n = (size_t)sqlite3_changes(kb->db);
	return rc;
}

/* ---- validation ------------------------------------------------------------------ */

static bool
hash_valid(const char *h)
{
	if (strlen(h) != HASH_LEN || strncmp(h, "sha256:", 7) != 0)
		return false;
	for (size_t i = 7; i < HASH_LEN; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return false;
	return true;
}

static int
validate_section(const json_t *doc, const json_t *sections, enum vg_fleet_section s,
		 enum vg_fleet_kind kind, struct report *r, struct vg_err *err)
{
	const char *name = section_names[s];
	const json_t *m = json_object_get(sections, name), *h, *c, *b;
	json_int_t n;

	/* The one optional section: absent from `sections` and from the document. */
	if (s == VG_FLEET_SEC_CONFIGURATION && m == NULL && json_object_get(doc, name) == NULL)
		return VG_OK;
	if (!json_is_object(m))
		return vg_error(err, VG_EINVAL, "'sections.%s' is missing or not an object", name);
	h = json_object_get(m, "hash");
	c = json_object_get(m, "count");
	if (!json_is_string(h) || !hash_valid(json_string_value(h)))
		return vg_error(err, VG_EINVAL,
				"'sections.%s.hash' must be 'sha256:' and 64 hex "
				"digits",
				name);
	if (!json_is_integer(c) || json_integer_value(c) < 0 ||
	    json_integer_value(c) > VG_FLEET_MAX_ITEMS)
		return vg_error(err, VG_EINVAL,
				"'sections.%s.count' must be an integer from 0 to %d", name,
				VG_FLEET_MAX_ITEMS);
	r->hash[s] = json_string_value(h);
	r->count[s] = json_integer_value(c);
	b = json_object_get(doc, name);
	r->body[s] = b;
	if (b == NULL)
		return kind == VG_FLEET_FULL ? vg_error(err, VG_EINVAL,
							"'%s' is missing from a full report", name)
					     : VG_OK;
	if (s == VG_FLEET_SEC_DEVICE)
		n = json_is_object(b) ? 1 : -1;
	else
		n = json_is_array(b) ? (json_int_t)json_array_size(b) : -1;
	if (n < 0)
		return vg_error(err, VG_EINVAL, "'%s' must be an %s", name,
				s == VG_FLEET_SEC_DEVICE ? "object" : "array");
	if (n != r->count[s])
		return vg_error(err, VG_EINVAL,
				"'sections.%s.count' is %" JSON_INTEGER_FORMAT
				", the section has %" JSON_INTEGER_FORMAT " items",
				name, r->count[s], n);
	return s == VG_FLEET_SEC_CONFIGURATION ? vg_config_section_validate(b, err) : VG_OK;
}

static int
validate(const json_t *doc, enum vg_fleet_kind kind, struct report *r, struct vg_err *err)
{
	const json_t *v, *sections;
	int rc = VG_OK;

	if (!json_is_object(doc))
		return vg_error(err, VG_EINVAL, "the report is not a JSON object");
	v = json_object_get(doc, "schemaVersion");
	if (!json_is_string(v) || strcmp(json_string_value(v), "1.0") != 0)
		return vg_error(err, VG_EINVAL, "'schemaVersion' must be \"1.0\"");
	sections = json_object_get(doc, "sections");
	if (!json_is_object(sections))
		return vg_error(err, VG_EINVAL, "'sections' is missing or not an object");
	for (int s = 0; rc == VG_OK && s < VG_FLEET_SEC_N; s++)
		rc = validate_section(doc, sections, (enum vg_fleet_section)s, kind, r, err);
	return rc;
}

/* ---- reading the device ---------------------------------------------------------- */

/* The device's namespace (malloc'd, "" when unknown); VG_ENOTFOUND for no device. */
static int
device_ns(struct vg_kb *kb, const char *device_id, char **ns, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	rc = prepare(kb, "SELECT coalesce(os_ns, '') FROM device WHERE id = ?1", &st, err);
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	if (rc == SQLITE_ROW) {
		*ns = vg_xstrdup((const char *)sqlite3_column_text(st, 0));
		rc = VG_OK;
	} else if (rc == SQLITE_DONE)
		rc = vg_error(err, VG_ENOTFOUND, "no device '%s'", device_id);
	else
		rc = vg_sql_error(err, kb->db, rc, "reading the device");
	sqlite3_reset(st);
	return rc;
}

/* Whether @report_id is known; then *@applied is its applied sections. */
static int
known_report(struct vg_kb *kb, const char *device_id, const char *report_id, bool *known,
	     unsigned *applied, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	*known = false;
	rc = prepare(kb,
		     "SELECT applied FROM device_report WHERE device_id = ?1 AND report_id = ?2",
		     &st, err);
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_text(st, 2, report_id, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	if (rc == SQLITE_ROW) {
		const char *list = (const char *)sqlite3_column_text(st, 0);

		*known = true;
		*applied = 0;
		/* The list is written by record_report() from section_names. */
		for (int s = 0; s < VG_FLEET_SEC_N; s++) {
			size_t n = strlen(section_names[s]);

			for (const char *p = list; p && *p; p = strchr(p, ','), p = p ? p + 1 : p)
				if (strncmp(p, section_names[s], n) == 0 &&
				    (p[n] == ',' || p[n] == '\0'))
					*applied |= 1u << s;
		}
		rc = VG_OK;
	} else
		rc = rc == SQLITE_DONE ? VG_OK : vg_sql_error(err, kb->db, rc, "reading reports");
	sqlite3_reset(st);
	return rc;
}

/* The stored hash of each section ("" when never stored). */
static int
stored_hashes(struct vg_kb *kb, const char *device_id, char hashes[VG_FLEET_SEC_N][HASH_LEN + 1],
	      struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	for (int s = 0; s < VG_FLEET_SEC_N; s++)
		hashes[s][0] = '\0';
	rc = prepare(kb, "SELECT name, hash FROM device_section WHERE device_id = ?1", &st, err);
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	while ((rc = brc == SQLITE_OK ? sqlite3_step(st) : brc) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		for (int s = 0; s < VG_FLEET_SEC_N; s++)
			if (strcmp(name, section_names[s]) == 0)
				snprintf(hashes[s], HASH_LEN + 1, "%s",
					 (const char *)sqlite3_column_text(st, 1));
	}
	rc = rc == SQLITE_DONE ? VG_OK : vg_sql_error(err, kb->db, rc, "reading sections");
	sqlite3_reset(st);
	return rc;
}

/* ---- writing --------------------------------------------------------------------- */

/*
 * Sections above this many bytes of JSON are stored zlib-compressed (the
 * packages section shrinks about tenfold); smaller ones are not worth it.
 */
#define ZLIB_FROM 1024

static int
store_section(struct vg_kb *kb, const char *device_id, enum vg_fleet_section s,
	      const struct report *r, struct vg_err *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO device_section (device_id, name, hash, count, enc, size, body)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	char *body = json_dumps(r->body[s], JSON_COMPACT | JSON_ENCODE_ANY);
	size_t len = body ? strlen(body) : 0;
	uLongf zlen = compressBound((uLong)len);
	Bytef *z = len >= ZLIB_FROM ? vg_xmalloc(zlen) : NULL;
	bool zipped = z && compress2(z, &zlen, (const Bytef *)body, (uLong)len, 6) == Z_OK;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	if (body == NULL)
		return vg_error(err, VG_EINVAL, "'%s' cannot be serialised", section_names[s]);
	rc = prepare(kb, sql, &st, err);
	if (rc == VG_OK) {
		vg_sql_bind_text(st, 1, device_id, &brc);
		vg_sql_bind_text(st, 2, section_names[s], &brc);
		vg_sql_bind_text(st, 3, r->hash[s], &brc);
		vg_sql_bind_int(st, 4, r->count[s], &brc);
		vg_sql_bind_text(st, 5, zipped ? "zlib" : "json", &brc);
		vg_sql_bind_int(st, 6, (int64_t)len, &brc);
		if (brc == SQLITE_OK)
			brc = sqlite3_bind_blob(st, 7, zipped ? (const void *)z : body,
						zipped ? (int)zlen : (int)len, SQLITE_STATIC);
		rc = exec_done(kb, st, brc, "storing a section", err);
	}
	free(z);
	free(body);
	return rc;
}

static const char *
str_field(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* "debian" -> "Debian": the reference's osPlatform is a product name. */
static char *
platform_of(const char *os_id)
{
	char *p;

	if (!printable_ascii(os_id, VG_FLEET_FIELD_MAX, true))
		return NULL;
	p = vg_xstrdup(os_id);
	p[0] = (char)toupper((unsigned char)p[0]);
	return p;
}

/* A string field of the device section, or NULL when absent or not printable. */
static const char *
dev_field(const json_t *o, const char *key)
{
	const char *v = str_field(o, key);

	return printable_ascii(v, VG_FLEET_FIELD_MAX, false) ? v : NULL;
}

/*
 * The device section's fields the API filters on go to the device row
 * (hostname, OS, architecture, running kernel, exposure); *@ns follows.
 */
static int
store_device_fields(struct vg_kb *kb, const char *device_id, const json_t *dev, char **ns,
		    struct vg_err *err)
{
	static const char sql[] =
		"UPDATE device SET hostname = coalesce(?2, hostname), os_ns = ?3, os_platform = ?4,"
		" os_version = ?5, os_arch = ?6, kernel = ?7, exposed = ?8 WHERE id = ?1";
	const json_t *os = json_object_get(dev, "os");
	const char *nsv = str_field(os, "namespace");
	char *platform = platform_of(str_field(os, "id"));
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	if (!printable_ascii(nsv, VG_FLEET_FIELD_MAX, false)) {
		free(platform);
		return vg_error(err, VG_EINVAL, "'device.os.namespace' is not a namespace");
	}
	free(*ns);
	*ns = vg_xstrdup(nsv ? nsv : "");
	rc = prepare(kb, sql, &st, err);
	if (rc == VG_OK) {
		vg_sql_bind_text(st, 1, device_id, &brc);
		vg_sql_bind_text(st, 2, dev_field(dev, "hostname"), &brc);
		vg_sql_bind_text(st, 3, nsv, &brc);
		vg_sql_bind_text(st, 4, platform, &brc);
		vg_sql_bind_text(st, 5, dev_field(os, "versionId"), &brc);
		vg_sql_bind_text(st, 6, dev_field(dev, "architecture"), &brc);
		vg_sql_bind_text(st, 7, dev_field(json_object_get(dev, "kernel"), "running"), &brc);
		vg_sql_bind_int(st, 8, json_is_true(json_object_get(dev, "networkExposed")), &brc);
		rc = exec_done(kb, st, brc, "updating the device", err);
	}
	free(platform);
	return rc;
}

/* The epoch of an rpm item, which reports write as a string or a number. */
static const char *
epoch_of(const json_t *p, struct vg_arena *arena)
{
	const json_t *e = json_object_get(p, "epoch");

	if (json_is_string(e))
		return json_string_value(e);
	if (json_is_integer(e))
		return vg_arena_printf(arena, "%" JSON_INTEGER_FORMAT, json_integer_value(e));
	return NULL;
}

/*
 * Package @i's tuple in @t, by the rule the matcher uses (agent/tuple.h);
 * false when it has none (no version, or a language package left to its OS
 * package).  VG_EINVAL in *@rc for an item that is not a package.
 */
static bool
tuple_of(const json_t *p, size_t i, const char *os_ns, bool skip_os_managed, struct vg_arena *arena,
	 struct ptuple *t, int *rc, struct vg_err *err)
{
	const char *type = str_field(p, "type");
	struct vg_package pkg = {.name = str_field(p, "name")};
	struct vg_tuple tu;

	if (!json_is_object(p) || type == NULL) {
		*rc = vg_error(err, VG_EINVAL, "'packages[%zu].type' is missing", i);
		return false;
	}
	if (pkg.name == NULL || pkg.name[0] == '\0') {
		*rc = vg_error(err, VG_EINVAL, "'packages[%zu].name' is missing", i);
		return false;
	}
	if (vg_pkg_type_parse(type, &pkg.type) != VG_OK) {
		*rc = vg_error(err, VG_EINVAL, "'packages[%zu].type' '%s' is not a package type", i,
			       type);
		return false;
	}
	pkg.version = str_field(p, "version");
	pkg.source_name = str_field(p, "sourceName");
	pkg.source_version = str_field(p, "sourceVersion");
	pkg.path = str_field(p, "path");
	pkg.epoch = pkg.type == VG_PKG_RPM ? epoch_of(p, arena) : NULL;
	if (vg_package_tuple(&pkg, os_ns, skip_os_managed, arena, &tu) != VG_TUPLE_OK)
		return false;
	*t = (struct ptuple){tu.ns,    tu.package, tu.version, vg_ver_scheme_name(tu.scheme),
			     pkg.name, i};
	return true;
}

static int
cmp_ptuple(const void *a, const void *b)
{
	const struct ptuple *x = a, *y = b;
	int c = strcmp(x->package, y->package);

	if (c == 0)
		c = strcmp(x->version, y->version);
	if (c == 0)
		c = strcmp(x->scheme, y->scheme);
	return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static bool
same_tuple(const struct ptuple *x, const struct ptuple *y)
{
	return strcmp(x->package, y->package) == 0 && strcmp(x->version, y->version) == 0 &&
	       strcmp(x->scheme, y->scheme) == 0;
}

/* Store the tuple of the group @g[0..@n) (its namespace @ns) for the device. */
static int
store_tuple(struct vg_kb *kb, const char *device_id, const char *ns, const struct ptuple *g,
	    size_t n, int64_t mark, struct vg_err *err)
{
	static const char ins_tuple[] =
		"INSERT INTO tuple (ns, package, version, scheme) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (ns, package, version, scheme) DO UPDATE SET ns = excluded.ns"
		" RETURNING id";
	json_t *bins = json_array();
	char *text = NULL;
	sqlite3_stmt *st;
	int64_t tid = 0;
	int rc, brc = SQLITE_OK;

	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		for (size_t j = 0; j < json_array_size(bins) && !dup; j++)
			dup = strcmp(json_string_value(json_array_get(bins, j)), g[i].binary) == 0;
		if (!dup)
			json_array_append_new(bins, json_string(g[i].binary));
	}
	text = json_dumps(bins, JSON_COMPACT);
	json_decref(bins);
	rc = prepare(kb, ins_tuple, &st, err);
	if (rc == VG_OK) {
		vg_sql_bind_text(st, 1, ns, &brc);
		vg_sql_bind_text(st, 2, g->package, &brc);
		vg_sql_bind_text(st, 3, g->version, &brc);
		vg_sql_bind_text(st, 4, g->scheme, &brc);
		rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
		if (rc == SQLITE_ROW)
			tid = sqlite3_column_int64(st, 0);
		rc = rc == SQLITE_ROW ? VG_OK : vg_sql_error(err, kb->db, rc, "storing a tuple");
		sqlite3_reset(st);
	}
	if (rc == VG_OK)
		rc = prepare(
			kb,
			"INSERT INTO device_tuple (device_id, tuple_id, binaries, first_seen, mark)"
			" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device_id, tuple_id) DO UPDATE"
			" SET binaries = excluded.binaries, mark = excluded.mark",
			&st, err);
	if (rc == VG_OK) {
		vg_sql_bind_text(st, 1, device_id, &brc);
		vg_sql_bind_int(st, 2, tid, &brc);
		vg_sql_bind_text(st, 3, text ? text : "[]", &brc);
		vg_sql_bind_int(st, 4, vg_auth_now(), &brc);
		vg_sql_bind_int(st, 5, mark, &brc);
		rc = exec_done(kb, st, brc, "storing a device tuple", err);
	}
	free(text);
	return rc;
}

static bool
has_os_packages(const json_t *pkgs)
{
	size_t i;
	const json_t *p;

	json_array_foreach(pkgs, i, p)
	{
		enum vg_pkg_type type;

		if (vg_pkg_type_parse(str_field(p, "type"), &type) == VG_OK &&
		    vg_pkg_type_is_os(type))
			return true;
	}
	return false;
}

/* The mark of the device's next packages section: one above its rows' highest. */
static int
next_mark(struct vg_kb *kb, const char *device_id, int64_t *mark, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = prepare(kb,
			 "SELECT coalesce(max(mark), 0) + 1 FROM device_tuple WHERE device_id = ?1",
			 &st, err),
	    brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	*mark = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? VG_OK : vg_sql_error(err, kb->db, rc, "reading device tuples");
}

/* Replace the device's tuples with those of the packages section @pkgs. */
static int
store_tuples(struct vg_kb *kb, const char *device_id, const char *ns, const json_t *pkgs,
	     size_t *ntuples, struct vg_err *err)
{
	size_t n = 0, total = json_array_size(pkgs), i;
	struct ptuple *ts = vg_xcalloc(total ? total : 1, sizeof(*ts));
	bool skip_os_managed = has_os_packages(pkgs);
	struct vg_arena arena;
	sqlite3_stmt *st;
	const json_t *p;
	int64_t mark = 0;
	int rc = VG_OK, brc = SQLITE_OK;

	*ntuples = 0;
	vg_arena_init(&arena);
	json_array_foreach(pkgs, i, p)
	{
		if (tuple_of(p, i, ns, skip_os_managed, &arena, &ts[n], &rc, err))
			n++;
		if (rc != VG_OK)
			break;
	}
	/* The rows of this packages section get a new mark; those left with an older one are
	 * gone.  Kept rows keep their first_seen and their context flags. */
	if (rc == VG_OK)
		rc = next_mark(kb, device_id, &mark, err);
	if (rc == VG_OK && n)
		qsort(ts, n, sizeof(*ts), cmp_ptuple);
	for (size_t a = 0, b; rc == VG_OK && a < n; a = b) {
		for (b = a + 1; b < n && same_tuple(&ts[a], &ts[b]); b++)
			continue;
		rc = store_tuple(kb, device_id, ts[a].ns, &ts[a], b - a, mark, err);
		++*ntuples;
	}
	if (rc == VG_OK)
		rc = prepare(kb, "DELETE FROM device_tuple WHERE device_id = ?1 AND mark <> ?2",
			     &st, err);
	if (rc == VG_OK) {
		vg_sql_bind_text(st, 1, device_id, &brc);
		vg_sql_bind_int(st, 2, mark, &brc);
		rc = exec_done(kb, st, brc, "dropping device tuples", err);
	}
	vg_arena_release(&arena);
	free(ts);
	return rc;
}

static int
record_report(struct vg_kb *kb, const char *device_id, const char *report_id,
	      enum vg_fleet_kind kind, unsigned applied, struct vg_err *err)
{
	char list[128] = "";
	size_t len = 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	for (int s = 0; s < VG_FLEET_SEC_N; s++)
		if (applied & (1u << s))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						len ? "," : "", section_names[s]);
	rc = prepare(kb,
		     "INSERT INTO device_report (device_id, report_id, kind, received_at, applied)"
		     " VALUES (?1, ?2, ?3, ?4, ?5)",
		     &st, err);
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_text(st, 2, report_id, &brc);
	vg_sql_bind_text(st, 3, kind == VG_FLEET_FULL ? "full" : "delta", &brc);
	vg_sql_bind_int(st, 4, vg_auth_now(), &brc);
	vg_sql_bind_text(st, 5, list, &brc);
	rc = exec_done(kb, st, brc, "recording the report", err);
	if (rc != VG_OK)
		return rc;
	/* lastSeen and the time of the last full report, as the reference's Machine has them. */
	rc = prepare(kb,
		     "UPDATE device SET last_seen = ?2,"
		     " last_full = CASE WHEN ?3 THEN ?2 ELSE last_full END WHERE id = ?1",
		     &st, err);
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_int(st, 2, vg_auth_now(), &brc);
	vg_sql_bind_int(st, 3, kind == VG_FLEET_FULL, &brc);
	return exec_done(kb, st, brc, "updating the device", err);
}

/*
 * A full report without a configuration section: the device has no results
 * any more (its agent lost its policies, or is older).  Its rows go; their
 * history stays.
 */
static int
drop_configuration(struct vg_kb *kb, const char *device_id, struct vg_err *err)
{
	static const char sql[] = "DELETE FROM device_section WHERE device_id = ?1 AND name = ?2";
	sqlite3_stmt *st;
	int rc = prepare(kb, sql, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_text(st, 2, section_names[VG_FLEET_SEC_CONFIGURATION], &brc);
	rc = exec_done(kb, st, brc, "dropping a section", err);
	return rc == VG_OK ? vg_config_apply(kb, device_id, NULL, vg_auth_now(), NULL, err) : rc;
}

/* A delta needs every unsent section stored with the hash its map gives. */
static int
check_delta(const struct report *r, char stored[VG_FLEET_SEC_N][HASH_LEN + 1], struct vg_err *err)
{
	for (int s = 0; s < VG_FLEET_SEC_N; s++)
		if (r->body[s] == NULL && strcmp(stored[s], r->hash[s] ? r->hash[s] : "") != 0)
			return vg_error(err, VG_EEXIST,
					"the stored '%s' section differs from the report's: a full "
					"report is required",
					section_names[s]);
	return VG_OK;
}

/* Everything between BEGIN and COMMIT. */
static int
apply(struct vg_kb *kb, const char *device_id, const char *report_id, enum vg_fleet_kind kind,
      const struct report *r, struct vg_fleet_result *res, struct vg_err *err)
{
	char stored[VG_FLEET_SEC_N][HASH_LEN + 1];
	char *ns = NULL;
	bool known;
	int rc = device_ns(kb, device_id, &ns, err);

	if (rc == VG_OK)
		rc = known_report(kb, device_id, report_id, &known, &res->applied, err);
	if (rc == VG_OK && known) {
		res->duplicate = true;
		free(ns);
		return VG_OK;
	}
	if (rc == VG_OK)
		rc = stored_hashes(kb, device_id, stored, err);
	if (rc == VG_OK && kind == VG_FLEET_DELTA)
		rc = check_delta(r, stored, err);
	/* Sections in enum order: the device's namespace is known before its packages. */
	for (int s = 0; rc == VG_OK && s < VG_FLEET_SEC_N; s++) {
		if (r->body[s] == NULL || strcmp(stored[s], r->hash[s]) == 0)
			continue;
		res->applied |= 1u << s;
		rc = store_section(kb, device_id, (enum vg_fleet_section)s, r, err);
		if (rc == VG_OK && s == VG_FLEET_SEC_DEVICE)
			rc = store_device_fields(kb, device_id, r->body[s], &ns, err);
		if (rc == VG_OK && s == VG_FLEET_SEC_PACKAGES)
			rc = store_tuples(kb, device_id, ns, r->body[s], &res->ntuples, err);
		if (rc == VG_OK && s == VG_FLEET_SEC_CONFIGURATION)
			rc = vg_config_apply(kb, device_id, r->body[s], vg_auth_now(), NULL, err);
	}
	if (rc == VG_OK && kind == VG_FLEET_FULL && r->body[VG_FLEET_SEC_CONFIGURATION] == NULL &&
	    stored[VG_FLEET_SEC_CONFIGURATION][0] != '\0') {
		res->applied |= 1u << VG_FLEET_SEC_CONFIGURATION;
		rc = drop_configuration(kb, device_id, err);
	}
	if (rc == VG_OK)
		rc = record_report(kb, device_id, report_id, kind, res->applied, err);
	free(ns);
	return rc;
}

int
vg_fleet_ingest(struct vg_kb *kb, const char *device_id, const char *report_id,
		enum vg_fleet_kind kind, const json_t *doc, const struct vg_fleet_hook *hook,
		struct vg_fleet_result *res, struct vg_err *err)
{
	struct report r = {0};
	int rc;

	*res = (struct vg_fleet_result){0};
	if (device_id == NULL || !vg_fleet_report_id_valid(report_id))
		return vg_error(err, VG_EINVAL, "invalid report id");
	if (kind != VG_FLEET_FULL && kind != VG_FLEET_DELTA)
		return vg_error(err, VG_EINVAL, "invalid report kind");
	rc = validate(doc, kind, &r, err);
	if (rc == VG_OK)
		rc = vg_kb_txn_begin(kb, err);
	if (rc != VG_OK)
		return rc;
	rc = apply(kb, device_id, report_id, kind, &r, res, err);
	if (rc == VG_OK && !res->duplicate && res->applied && hook && hook->fn)
		rc = hook->fn(hook->ctx, kb, device_id, res->applied, err);
	if (rc == VG_OK)
		rc = vg_kb_txn_commit(kb, err);
	if (rc != VG_OK) {
		vg_kb_txn_rollback(kb);
		*res = (struct vg_fleet_result){0};
	}
	return rc;
}

int
vg_fleet_ingest_text(struct vg_kb *kb, const char *device_id, const char *report_id,
		     enum vg_fleet_kind kind, const char *text, size_t len,
		     const struct vg_fleet_hook *hook, struct vg_fleet_result *res,
		     struct vg_err *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	int rc;

	*res = (struct vg_fleet_result){0};
	if (doc == NULL)
		return vg_error(err, VG_EINVAL, "the report is not JSON: line %d column %d: %s",
				jerr.line, jerr.column, jerr.text);
	rc = vg_fleet_ingest(kb, device_id, report_id, kind, doc, hook, res, err);
	json_decref(doc);
	return rc;
}
