/*
 * collect_apk.c - installed Alpine packages from lib/apk/db/installed.
 *
 * The format is apk-tools' installed database (apk_db_index_read() in
 * src/database.c, documented in apk-spec(5)): records separated by blank
 * lines, one "K:value" line per field, a line shorter than two bytes ending
 * the record.  Written from that description and the behaviour on real
 * databases, not copied.  The kept fields and the tolerance rules are
 * documented in collect_apk.h.
 *
 * The database is read once and parsed in place; only P, V, A, o and L are
 * copied into the inventory, and repeated values (architecture, path) are
 * shared.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_apk.h"
#include "core/err.h"

#define COLLECTOR   "apk"
#define DB_PATH     "/lib/apk/db/installed"
#define DB_USR_PATH "/usr/lib/apk/db/installed"

/* The keys we keep. */
enum field { F_NAME, F_VERSION, F_ARCH, F_ORIGIN, F_LICENSE, NFIELDS };

static const char field_keys[NFIELDS] = {'P', 'V', 'A', 'o', 'L'};

/* One record being read: the first value of each kept key, as slices of the input. */
struct record {
	struct vg_str value[NFIELDS];
	bool seen[NFIELDS];
	int line;            /* 1-based line the record starts on */
	int malformed;       /* lines that are not "K:value" */
	int first_malformed; /* line of the first of them */
};

/* State of one vg_apk_parse() call. */
struct parser {
	struct vg_inventory *inv;
	const char *path; /* in the arena */
	struct vg_str last_arch;
	const char *last_arch_copy;
};

static const char *
opt_string(struct vg_inventory *inv, const struct record *r, enum field f)
{
	return r->seen[f] && r->value[f].len ? vg_inv_str(inv, r->value[f]) : NULL;
}

/* Nearly every package of a database has the same architecture: copy it once. */
static const char *
arch_string(struct parser *ps, const struct record *r)
{
	struct vg_str a = r->value[F_ARCH];

	if (!r->seen[F_ARCH] || a.len == 0)
		return NULL;
	if (!ps->last_arch_copy || !vg_str_eq(a, ps->last_arch)) {
		ps->last_arch = a;
		ps->last_arch_copy = vg_inv_str(ps->inv, a);
	}
	return ps->last_arch_copy;
}

/* Why a record cannot be kept, or NULL. */
static const char *
record_problem(const struct record *r)
{
	if (!r->seen[F_NAME] || r->value[F_NAME].len == 0)
		return "record without a package name (P:)";
	if (!r->seen[F_VERSION] || r->value[F_VERSION].len == 0)
		return "record without a version (V:)";
	for (int f = 0; f < NFIELDS; f++) {
		if (r->value[f].len > VG_APK_MAX_VALUE)
			return "field value too long";
		if (r->value[f].len && memchr(r->value[f].p, '\0', r->value[f].len))
			return "NUL byte in a field value";
	}
	return NULL;
}

/* A printable, bounded quote of a name for warnings. */
static int
quotable(struct vg_str s)
{
	size_t n = 0;

	while (n < s.len && n < 64 && s.p[n] >= 0x20 && s.p[n] < 0x7f)
		n++;
	return (int)n;
}

static void
finish_record(struct parser *ps, const struct record *r)
{
	const char *why = record_problem(r);
	struct vg_str name = r->value[F_NAME];
	struct vg_package *pkg;

	if (why) {
		if (name.len)
			vg_inv_warn(ps->inv, COLLECTOR, ps->path, r->line,
				    "skipped record for '%.*s': %s", quotable(name), name.p, why);
		else
			vg_inv_warn(ps->inv, COLLECTOR, ps->path, r->line, "skipped record: %s",
				    why);
		return;
	}
	if (r->malformed)
		vg_inv_warn(ps->inv, COLLECTOR, ps->path, r->first_malformed,
			    "ignored %d malformed line(s) in the record for '%.*s'", r->malformed,
			    quotable(name), name.p);
	pkg = vg_inv_add_package(ps->inv, VG_PKG_APK);
	pkg->name = vg_inv_str(ps->inv, name);
	pkg->version = vg_inv_str(ps->inv, r->value[F_VERSION]);
	pkg->architecture = arch_string(ps, r);
	pkg->source_name = opt_string(ps->inv, r, F_ORIGIN);
	if (!pkg->source_name || strcmp(pkg->source_name, pkg->name) == 0)
		pkg->source_name = pkg->name;
	pkg->source_version = pkg->version;
	pkg->license = opt_string(ps->inv, r, F_LICENSE);
	pkg->path = ps->path;
}

/* One line of a record: keep the first value of the keys we want. */
static void
record_line(struct record *r, struct vg_str line, int lineno)
{
	const char *k;

	if (line.p[1] != ':') {
		if (r->malformed++ == 0)
			r->first_malformed = lineno;
		return;
	}
	k = memchr(field_keys, line.p[0], NFIELDS);
	if (k && !r->seen[k - field_keys]) {
		r->seen[k - field_keys] = true;
		r->value[k - field_keys] = vg_str_sub(line, 2, line.len);
	}
}

int
vg_apk_parse(struct vg_inventory *inv, struct vg_str data, const char *path)
{
	struct parser ps = {.inv = inv};
	struct record r;
	bool in_record = false;
	size_t pos = 0, nrecords = 0;
	struct vg_str line;
	int lineno = 0;

	ps.path = vg_inv_strc(inv, path ? path : "");
	if (data.len > VG_APK_MAX_FILE) {
		vg_inv_warn(inv, COLLECTOR, ps.path, 0, "file larger than %zu bytes, not read",
			    VG_APK_MAX_FILE);
		return VG_ETOOBIG;
	}
	/* CRLF reads as LF (vg_str_next_line), so "\r\n" alone still ends a record. */
	while (vg_str_next_line(data, &pos, &line)) {
		if (lineno < INT_MAX)
			lineno++;
		/* apk ends a record at any line shorter than "K:". */
		if (line.len < 2) {
			if (in_record)
				finish_record(&ps, &r);
			in_record = false;
			continue;
		}
		if (!in_record) {
			/* Tiny records must not make a big file a huge inventory. */
			if (nrecords++ == VG_APK_MAX_RECORDS) {
				vg_inv_warn(inv, COLLECTOR, ps.path, lineno,
					    "more than %d records, the rest not read",
					    VG_APK_MAX_RECORDS);
				break;
			}
			memset(&r, 0, sizeof(r));
			r.line = lineno;
			in_record = true;
		}
		record_line(&r, line, lineno);
	}
	if (in_record)
		finish_record(&ps, &r);
	return VG_OK;
}

/* Read and parse one candidate database; false when it does not exist. */
static bool
collect_file(struct vg_inventory *inv, const char *rel)
{
	char full[4096];
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!vg_inv_path(inv, rel, full, sizeof(full))) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "path too long under the root");
		return true;
	}
	rc = vg_inv_read_file(full, VG_APK_MAX_FILE, &data, &len);
	if (rc == VG_ENOTFOUND)
		return false;
	if (rc != VG_OK) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "cannot read: %s", vg_strerror(rc));
		return true;
	}
	/* The read is bounded, so VG_ETOOBIG cannot happen (and would be a warning). */
	rc = vg_apk_parse(inv, vg_str_n(data, len), rel);
	free(data);
	(void)rc;
	return true;
}

int
vg_collect_apk(struct vg_inventory *inv)
{
	/*
	 * usrmerged systems (Wolfi) keep the database in /usr/lib/apk/db, usually
	 * with /lib a symlink to it: read the first that exists, only once.
	 */
	if (!collect_file(inv, DB_PATH))
		(void)collect_file(inv, DB_USR_PATH);
	return VG_OK;
}
