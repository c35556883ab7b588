/*
 * collect_rpm.c - rpm packages: the rpm database through librpm, the
 * CBL-Mariner / Azure Linux distroless manifest, and the import listings
 * (`rpm -qa` text, rpm JSON arrays).
 *
 * The database is read the way `rpm --root ROOT -qa` reads it: librpm with
 * the transaction root set to the inventory root, opened O_RDONLY, every
 * header of RPMDBI_PACKAGES.  The backend is chosen from the file that
 * exists (rpmdb.sqlite: sqlite, Packages.db: ndb, Packages: Berkeley DB
 * read through librpm's bdb_ro), looking in usr/lib/sysimage/rpm first
 * (Fedora 36+, openSUSE) and var/lib/rpm second, so librpm never has to
 * guess and never logs its "found X database while attempting Y" notice.
 * Roots without any of these files cost a stat() per directory: librpm is
 * not initialised at all, which matters because this runs on every Debian
 * scan.  librpm's log messages are turned into inventory warnings, never
 * printed.
 *
 * Nothing under the root is written.  librpm opens the database read-only
 * and takes no lock for reading, but sqlite creates the -wal and -shm files
 * of a WAL-mode database (rpm's default) next to it even for a read-only
 * connection when they are missing, as they are in most images; such a
 * database is read from a private copy in $TMPDIR.  When both exist (a live
 * host, where rpm keeps them) it is read in place, as `rpm -qa` does, so
 * that a concurrent rpm transaction is seen consistently.
 *
 * librpm's state (macros, log callback) is process-global: vg_collect_rpm()
 * must not run in two threads at once.
 *
 * Field rules follow rpm's own: version is "[epoch:]version-release" (the
 * epoch shown whenever the header carries one, as rpm's %{EVR} does), the
 * source package comes from SOURCERPM "name-version-release.src.rpm", and
 * gpg-pubkey entries (imported keys, not software) are skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>

#include "agent/collect_rpm.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/version/version.h"

#define COLLECTOR "rpm"

/* Where distroless CBL-Mariner / Azure Linux images list their rpms instead of an rpmdb. */
#define MANIFEST_PATH "/var/lib/rpmmanifest/container-manifest-2"

/* librpm messages kept per collection: a corrupt database can log one per header. */
#define MAX_LIBRPM_WARNINGS 10

/* Longest epoch: rpm stores it as a uint32. */
#define MAX_EPOCH_DIGITS 10

/* Longest excerpt of the input shown back in a warning. */
#define SHOW_MAX 48

/* One package record from any source.  Slices borrow from the input; p == NULL means absent. */
struct rec {
	struct vg_str name, epoch, version, release, arch, srpm, vendor, label, license;
};

/* ---- Helpers shared by every source ---- */

static struct vg_str
absent(void)
{
	return vg_str_n(NULL, 0);
}

/* rpm prints "(none)" for a missing tag; an empty field is just as absent. */
static struct vg_str
opt(struct vg_str s)
{
	s = vg_str_trim(s);
	return s.len == 0 || vg_str_eqc(s, "(none)") ? absent() : s;
}

/* A printable, bounded copy of @s for messages: warnings end up in JSON and on terminals. */
static const char *
show(struct vg_str s, char *buf, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < s.len && n + 4 < cap && n < SHOW_MAX; i++) {
		unsigned char c = (unsigned char)s.p[i];

		buf[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (n < s.len && n + 4 <= cap) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* A name, version or release: 1..VG_RPM_MAX_FIELD bytes of printable ASCII, no space. */
static bool
is_token(struct vg_str s)
{
	if (s.len == 0 || s.len > VG_RPM_MAX_FIELD)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

/* Free text (vendor, licence): bounded, no control bytes (they would cut or garble output). */
static bool
is_text(struct vg_str s)
{
	if (s.len > VG_RPM_MAX_TEXT_FIELD)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 || (unsigned char)s.p[i] == 0x7f)
			return false;
	return true;
}

/* An epoch is an unsigned 32-bit decimal in rpm headers. */
static bool
is_epoch(struct vg_str s)
{
	uint64_t v = 0;

	if (s.len == 0 || s.len > MAX_EPOCH_DIGITS)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	return v <= UINT32_MAX;
}

static bool
is_digits(struct vg_str s)
{
	if (s.len == 0 || s.len > 20)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

/* Strip a suffix; true if it was there. */
static bool
strip_suffix(struct vg_str *s, const char *suffix)
{
	size_t n = strlen(suffix);

	if (s->len < n || memcmp(s->p + s->len - n, suffix, n) != 0)
		return false;
	s->len -= n;
	return true;
}

bool
vg_rpm_split_srpm(struct vg_str srpm, struct vg_str *name, struct vg_str *evr)
{
	struct vg_str s = srpm;
	ptrdiff_t rel, ver;

	if (!strip_suffix(&s, ".src.rpm") && !strip_suffix(&s, ".nosrc.rpm"))
		return false;
	rel = vg_str_rchr(s, '-');
	if (rel <= 0 || (size_t)rel + 1 == s.len)
		return false;
	ver = vg_str_rchr(vg_str_n(s.p, (size_t)rel), '-');
	if (ver <= 0 || ver + 1 == rel)
		return false;
	*name = vg_str_n(s.p, (size_t)ver);
	*evr = vg_str_n(s.p + ver + 1, s.len - (size_t)ver - 1);
	return true;
}

/* Copy an optional free-text field, dropping values that are too long or contain control bytes. */
static const char *
keep_text(struct vg_inventory *inv, struct vg_str s)
{
	return s.p && s.len > 0 && is_text(s) ? vg_inv_str(inv, s) : NULL;
}

/* Check @r's required fields and build "[epoch:]version-release" into @evr. */
static int
check_record(const struct rec *r, char *evr, size_t cap, struct vg_err *err)
{
	char b[SHOW_MAX + 8];
	int n;

	if (!is_token(r->name))
		return vg_error(err, VG_EINVAL, "invalid package name '%s'",
				show(r->name, b, sizeof(b)));
	if (r->epoch.p && !is_epoch(r->epoch))
		return vg_error(err, VG_EINVAL, "invalid epoch '%s'", show(r->epoch, b, sizeof(b)));
	/* rpm forbids '-' and ':' in version and release: they would make the EVR ambiguous. */
	if (!is_token(r->version) || vg_str_chr(r->version, '-') >= 0 ||
	    vg_str_chr(r->version, ':') >= 0)
		return vg_error(err, VG_EINVAL, "invalid version '%s'",
				show(r->version, b, sizeof(b)));
	if (!is_token(r->release) || vg_str_chr(r->release, '-') >= 0 ||
	    vg_str_chr(r->release, ':') >= 0)
		return vg_error(err, VG_EINVAL, "invalid release '%s'",
				show(r->release, b, sizeof(b)));
	if (r->epoch.p)
		n = snprintf(evr, cap, "%.*s:%.*s-%.*s", (int)r->epoch.len, r->epoch.p,
			     (int)r->version.len, r->version.p, (int)r->release.len, r->release.p);
	else
		n = snprintf(evr, cap, "%.*s-%.*s", (int)r->version.len, r->version.p,
			     (int)r->release.len, r->release.p);
	if (n < 0 || (size_t)n >= cap)
		return vg_error(err, VG_EINVAL, "version too long");
	return vg_rpm_validate(vg_str_n(evr, (size_t)n), err);
}

/*
 * Add @r to @inv: 1 if added, 0 if skipped on purpose (gpg-pubkey), VG_EINVAL
 * with @err filled if malformed.  @kept_path is already in @inv's arena
 * (copied once per listing, not once per package).
 */
static int
add_record(struct vg_inventory *inv, const struct rec *r, const char *kept_path, struct vg_err *err)
{
	char evr[2 * VG_RPM_MAX_FIELD + MAX_EPOCH_DIGITS + 4];
	struct vg_str sname, sevr;
	struct vg_package *p;
	int rc;

	if (vg_str_eqc(r->name, "gpg-pubkey"))
		return 0;
	rc = check_record(r, evr, sizeof(evr), err);
	if (rc < 0)
		return rc;
	p = vg_inv_add_package(inv, VG_PKG_RPM);
	p->name = vg_inv_str(inv, r->name);
	p->version = vg_inv_strc(inv, evr);
	p->epoch = r->epoch.p ? vg_inv_str(inv, r->epoch) : NULL;
	p->rpm_version = vg_inv_str(inv, r->version);
	p->release = vg_inv_str(inv, r->release);
	p->architecture = r->arch.p && is_token(r->arch) ? vg_inv_str(inv, r->arch) : NULL;
	p->vendor = keep_text(inv, r->vendor);
	p->modularity = keep_text(inv, r->label);
	p->license = keep_text(inv, r->license);
	p->source_rpm = r->srpm.p && is_token(r->srpm) ? vg_inv_str(inv, r->srpm) : NULL;
	if (p->source_rpm && vg_rpm_split_srpm(r->srpm, &sname, &sevr)) {
		p->source_name = vg_inv_str(inv, sname);
		p->source_version = vg_inv_str(inv, sevr);
	} else {
		/* No source rpm: the contract's fallback is the package itself. */
		p->source_name = p->name;
		p->source_version = p->version;
	}
	p->path = kept_path;
	return 1;
}

/* "[EPOCH:]VERSION-RELEASE" into @r; rpm's "(none):" epoch prefix means no epoch. */
static bool
split_evr(struct vg_str s, struct rec *r)
{
	ptrdiff_t colon, dash;

	if (s.len >= 7 && memcmp(s.p, "(none):", 7) == 0)
		s = vg_str_sub(s, 7, s.len);
	colon = vg_str_chr(s, ':');
	r->epoch = colon >= 0 ? vg_str_n(s.p, (size_t)colon) : absent();
	if (colon >= 0)
		s = vg_str_sub(s, (size_t)colon + 1, s.len);
	dash = vg_str_rchr(s, '-');
	if (dash < 0)
		return false;
	r->version = vg_str_n(s.p, (size_t)dash);
	r->release = vg_str_sub(s, (size_t)dash + 1, s.len);
	return true;
}

static int
too_big(struct vg_inventory *inv, const char *path, const char *what)
{
	vg_inv_warn(inv, COLLECTOR, path, 0, "%s larger than the limit (%u bytes)", what,
		    VG_RPM_MAX_INPUT);
	return VG_ETOOBIG;
}

static int
too_many(struct vg_inventory *inv, const char *path, int line)
{
	vg_inv_warn(inv, COLLECTOR, path, line, "more than %d packages: the rest is ignored",
		    VG_RPM_MAX_RECORDS);
	return VG_ETOOBIG;
}

/* ---- Line-oriented formats ---- */

/* The next line of *@rest (without its "\n" or "\r\n"); false at the end. */
static bool
next_line(struct vg_str *rest, struct vg_str *line)
{
	ptrdiff_t nl;

	if (rest->len == 0)
		return false;
	nl = vg_str_chr(*rest, '\n');
	if (nl < 0) {
		*line = *rest;
		*rest = vg_str_n(rest->p + rest->len, 0);
	} else {
		*line = vg_str_n(rest->p, (size_t)nl);
		*rest = vg_str_sub(*rest, (size_t)nl + 1, rest->len);
	}
	if (line->len > 0 && line->p[line->len - 1] == '\r')
		line->len--;
	return true;
}

#define MAX_FIELDS 12

/* Split @line at TABs into at most MAX_FIELDS fields; returns the real count (may exceed it). */
static size_t
split_tabs(struct vg_str line, struct vg_str *f)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= line.len; i++) {
		if (i < line.len && line.p[i] != '\t')
			continue;
		if (n < MAX_FIELDS)
			f[n] = vg_str_trim(vg_str_n(line.p + start, i - start));
		n++;
		start = i + 1;
	}
	return n;
}

/* Per-format line handler: fill @r from the fields or return a message via @err. */
typedef int (*line_fn)(struct vg_str *f, size_t nf, struct rec *r, struct vg_err *err);

static int
qa_line(struct vg_str *f, size_t nf, struct rec *r, struct vg_err *err)
{
	char b[SHOW_MAX + 8];
	size_t i = 0;

	if (nf != 3 && nf != 4)
		return vg_error(err, VG_EINVAL, "expected 3 or 4 TAB-separated fields, got %zu",
				nf);
	if (nf == 4)
		r->label = opt(f[i++]);
	r->name = f[i];
	if (!split_evr(f[i + 1], r))
		return vg_error(err, VG_EINVAL, "no release in '%s'", show(f[i + 1], b, sizeof(b)));
	if (!is_digits(f[i + 2]) && !vg_str_eqc(f[i + 2], "(none)"))
		return vg_error(err, VG_EINVAL, "invalid size '%s'", show(f[i + 2], b, sizeof(b)));
	return VG_OK;
}

static int
manifest_line(struct vg_str *f, size_t nf, struct rec *r, struct vg_err *err)
{
	char b[SHOW_MAX + 8];
	struct vg_str epoch;

	if (nf != 10)
		return vg_error(err, VG_EINVAL, "expected 10 TAB-separated fields, got %zu", nf);
	epoch = opt(f[5]);
	r->name = f[0];
	if (!split_evr(f[1], r))
		return vg_error(err, VG_EINVAL, "no release in '%s'", show(f[1], b, sizeof(b)));
	if (r->epoch.p && epoch.p)
		return vg_error(err, VG_EINVAL, "two epochs in '%s'", show(f[1], b, sizeof(b)));
	if (epoch.p)
		r->epoch = epoch;
	r->vendor = opt(f[4]);
	r->arch = opt(f[7]);
	r->srpm = opt(f[9]);
	return VG_OK;
}

static int
parse_lines(struct vg_inventory *inv, struct vg_str text, const char *path, line_fn fn)
{
	struct vg_str rest = text, line, f[MAX_FIELDS];
	const char *kept_path;
	size_t added = 0;
	int lineno = 0;

	if (text.len > VG_RPM_MAX_INPUT)
		return too_big(inv, path, "listing");
	kept_path = vg_inv_strc(inv, path);
	while (next_line(&rest, &line)) {
		struct vg_err err = {0};
		struct rec r = {0};
		size_t nf;
		int rc;

		lineno++;
		if (vg_str_trim(line).len == 0)
			continue;
		nf = split_tabs(line, f);
		/* Fields past MAX_FIELDS are counted, not stored: no format has that many. */
		rc = fn(f, nf, &r, &err);
		if (rc == VG_OK)
			rc = add_record(inv, &r, kept_path, &err);
		if (rc < 0)
			vg_inv_warn(inv, COLLECTOR, path, lineno, "%s", err.msg);
		else if (rc > 0 && ++added >= VG_RPM_MAX_RECORDS && rest.len > 0)
			return too_many(inv, path, lineno);
	}
	return VG_OK;
}

int
vg_rpm_parse_qa(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	return parse_lines(inv, text, path, qa_line);
}

int
vg_rpm_parse_manifest(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	return parse_lines(inv, text, path, manifest_line);
}

/* ---- JSON listings ---- */

/* A string member as a slice; absent (p == NULL) when missing, null or not a string. */
static struct vg_str
json_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? vg_str_n(json_string_value(v), json_string_length(v)) : absent();
}

/* Fill @r from one array element; @ebuf holds a numeric epoch's text. */
static int
json_record(json_t *o, struct rec *r, char *ebuf, size_t cap, struct vg_err *err)
{
	json_t *e;

	if (!json_is_object(o))
		return vg_error(err, VG_EINVAL, "not an object");
	r->name = json_member(o, "name");
	r->version = json_member(o, "version");
	r->release = json_member(o, "release");
	r->arch = opt(json_member(o, "arch"));
	if (!r->name.p || !r->version.p || !r->release.p)
		return vg_error(err, VG_EINVAL, "name, version or release missing");
	e = json_object_get(o, "epoch");
	if (json_is_integer(e)) {
		json_int_t v = json_integer_value(e);

		if (v < 0 || v > (json_int_t)UINT32_MAX)
			return vg_error(err, VG_EINVAL, "invalid epoch %" JSON_INTEGER_FORMAT, v);
		r->epoch = vg_str_n(ebuf, (size_t)snprintf(ebuf, cap, "%" JSON_INTEGER_FORMAT, v));
	} else if (json_is_string(e)) {
		r->epoch = opt(json_member(o, "epoch"));
	} else if (e && !json_is_null(e)) {
		return vg_error(err, VG_EINVAL, "invalid epoch");
	}
	return VG_OK;
}

int
vg_rpm_parse_json(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	const char *kept_path;
	json_error_t jerr;
	size_t added = 0, i;
	json_t *root, *o;
	int rc = VG_OK;

	if (text.len > VG_RPM_MAX_INPUT)
		return too_big(inv, path, "listing");
	root = json_loadb(text.p, text.len, 0, &jerr);
	if (!root) {
		vg_inv_warn(inv, COLLECTOR, path, jerr.line > 0 ? jerr.line : 0, "invalid JSON: %s",
			    jerr.text);
		return VG_EINVAL;
	}
	if (!json_is_array(root)) {
		json_decref(root);
		vg_inv_warn(inv, COLLECTOR, path, 0, "not a JSON array of packages");
		return VG_EINVAL;
	}
	kept_path = vg_inv_strc(inv, path);
	json_array_foreach(root, i, o)
	{
		struct vg_err err = {0};
		struct rec r = {0};
		char ebuf[32];
		int r1 = json_record(o, &r, ebuf, sizeof(ebuf), &err);

		if (r1 == VG_OK)
			r1 = add_record(inv, &r, kept_path, &err);
		if (r1 < 0)
			vg_inv_warn(inv, COLLECTOR, path, 0, "package %zu: %s", i + 1, err.msg);
		else if (r1 > 0 && ++added >= VG_RPM_MAX_RECORDS && i + 1 < json_array_size(root)) {
			rc = too_many(inv, path, 0);
			break;
		}
	}
	json_decref(root);
	return rc;
}

int
vg_rpm_parse_import(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	struct vg_str t, rest = text, line = {0}, f[MAX_FIELDS];

	if (text.len > VG_RPM_MAX_INPUT)
		return too_big(inv, path, "listing");
	t = vg_str_trim(text);
	if (t.len > 0 && t.p[0] == '[')
		return vg_rpm_parse_json(inv, text, path);
	while (next_line(&rest, &line))
		if (vg_str_trim(line).len > 0)
			break;
	if (line.p && split_tabs(line, f) == 10)
		return vg_rpm_parse_manifest(inv, text, path);
	return vg_rpm_parse_qa(inv, text, path);
}

/* ---- The rpm database through librpm ---- */

struct db_kind {
	const char *dir;     /* dbpath relative to the root */
	const char *file;    /* the file whose presence identifies the backend */
	const char *backend; /* librpm's %_db_backend name */
};

/* Newest layout first: a converted database may leave the older file behind. */
static const struct db_kind db_kinds[] = {
	{"/usr/lib/sysimage/rpm", "rpmdb.sqlite", "sqlite"},
	{"/usr/lib/sysimage/rpm", "Packages.db", "ndb"},
	{"/usr/lib/sysimage/rpm", "Packages", "bdb_ro"},
	{"/var/lib/rpm", "rpmdb.sqlite", "sqlite"},
	{"/var/lib/rpm", "Packages.db", "ndb"},
	{"/var/lib/rpm", "Packages", "bdb_ro"},
};

/*
 * Routes librpm's messages into the inventory instead of stderr.  Errors
 * are recorded as they come; warnings are held back and recorded only if
 * no package could be read, because librpm warns about every missing index
 * file of a Berkeley DB database although only Packages is needed.
 */
struct log_ctx {
	struct vg_inventory *inv;
	const char *path;
	int nerrors, nwarnings;
	char warnings[MAX_LIBRPM_WARNINGS][160];
};

static int
log_to_inventory(rpmlogRec rec, rpmlogCallbackData data)
{
	struct log_ctx *c = data;
	const char *msg = rpmlogRecMessage(rec);
	rpmlogLvl pri = rpmlogRecPriority(rec);
	int n;

	if (!msg)
		msg = "";
	n = (int)strnlen(msg, 300);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	if (pri <= RPMLOG_ERR && c->nerrors < MAX_LIBRPM_WARNINGS) {
		c->nerrors++;
		vg_inv_warn(c->inv, COLLECTOR, c->path, 0, "librpm: %.*s", n, msg);
	} else if (pri == RPMLOG_WARNING && c->nwarnings < MAX_LIBRPM_WARNINGS) {
		snprintf(c->warnings[c->nwarnings++], sizeof(c->warnings[0]), "%.*s", n, msg);
	}
	/* 0: neither print nor exit, whatever the priority. */
	return 0;
}

/* stat() under the root: 1 found, 0 absent, -1 an error worth a warning (errno set). */
static int
stat_under(struct vg_inventory *inv, const char *rel, struct stat *st)
{
	char path[PATH_MAX];

	if (!vg_inv_path(inv, rel, path, sizeof(path))) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (stat(path, st) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

/*
 * The first database file under the root, or NULL; unreadable directories
 * are warnings.  Each directory is looked at before its files, so a root
 * without rpm costs one stat() per directory.
 */
static const struct db_kind *
find_db(struct vg_inventory *inv)
{
	const char *dir = NULL;
	bool dir_ok = false;
	char rel[128];
	struct stat st;
	int rc;

	for (size_t i = 0; i < VG_ARRAY_LEN(db_kinds); i++) {
		if (!dir || strcmp(dir, db_kinds[i].dir) != 0) {
			dir = db_kinds[i].dir;
			rc = stat_under(inv, dir, &st);
			if (rc < 0)
				vg_inv_warn(inv, COLLECTOR, dir, 0, "cannot access: %s",
					    strerror(errno));
			dir_ok = rc > 0 && S_ISDIR(st.st_mode);
		}
		if (!dir_ok)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, db_kinds[i].file);
		rc = stat_under(inv, rel, &st);
		if (rc > 0 && S_ISREG(st.st_mode))
			return &db_kinds[i];
		if (rc < 0)
			vg_inv_warn(inv, COLLECTOR, rel, 0, "cannot access: %s", strerror(errno));
	}
	return NULL;
}

/* A header string tag as a slice (absent when the tag is). */
static struct vg_str
hstr(Header h, rpmTagVal tag)
{
	const char *s = headerGetString(h, tag);

	return s ? vg_str_c(s) : absent();
}

/* Append every package of the open database; returns the number of headers seen. */
static size_t
read_headers(struct vg_inventory *inv, rpmts ts, const char *path)
{
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
	size_t seen = 0, added = 0;
	const char *kept_path = vg_inv_strc(inv, path);
	Header h;

	if (!mi)
		return 0;
	while ((h = rpmdbNextIterator(mi)) != NULL) {
		struct vg_err err = {0};
		struct rec r = {0};
		char ebuf[24];
		int rc;

		seen++;
		r.name = hstr(h, RPMTAG_NAME);
		r.version = hstr(h, RPMTAG_VERSION);
		r.release = hstr(h, RPMTAG_RELEASE);
		r.arch = hstr(h, RPMTAG_ARCH);
		r.srpm = hstr(h, RPMTAG_SOURCERPM);
		r.vendor = hstr(h, RPMTAG_VENDOR);
		r.label = hstr(h, RPMTAG_MODULARITYLABEL);
		r.license = hstr(h, RPMTAG_LICENSE);
		if (headerIsEntry(h, RPMTAG_EPOCH)) {
			int n = snprintf(ebuf, sizeof(ebuf), "%" PRIu64,
					 headerGetNumber(h, RPMTAG_EPOCH));

			r.epoch = vg_str_n(ebuf, (size_t)n);
		}
		rc = add_record(inv, &r, kept_path, &err);
		if (rc < 0)
			vg_inv_warn(inv, COLLECTOR, path, 0, "package %zu: %s", seen, err.msg);
		else if (rc > 0 && ++added >= VG_RPM_MAX_RECORDS) {
			too_many(inv, path, 0);
			break;
		}
	}
	rpmdbFreeIterator(mi);
	return seen;
}

/* librpm's configuration (macros, rpmrc) is process-global: read it once. */
static bool
rpm_configured(void)
{
	static int state; /* 0 not yet, 1 ok, -1 failed */

	if (state == 0)
		state = rpmReadConfigFiles(NULL, NULL) == 0 ? 1 : -1;
	return state > 0;
}

/* "@a@b" into @out of PATH_MAX bytes; false if it does not fit (such a file cannot exist). */
static bool
join2(char *out, const char *a, const char *b)
{
	int n = snprintf(out, PATH_MAX, "%s%s", a, b);

	return n >= 0 && n < PATH_MAX;
}

static bool
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/*
 * What sqlite does to a database it reads.  A database in WAL mode (header
 * bytes 18 and 19 are 2, as rpm creates them) needs its -wal and -shm
 * files, and sqlite creates them next to the database even for a read-only
 * connection when they are missing, as they are in most images and in any
 * database copied without them.  Reading such a database in place would
 * write to the root, so it is read from a private copy instead.
 */
enum sqlite_state { SQLITE_FOREIGN, SQLITE_IN_PLACE, SQLITE_COPY };

static enum sqlite_state
sqlite_state(const char *dbfile)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char hdr[20];
	char side[PATH_MAX];
	ssize_t n;
	int fd;

	fd = open(dbfile, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return SQLITE_IN_PLACE; /* librpm reports the error */
	n = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr, magic, sizeof(magic)) != 0)
		return SQLITE_FOREIGN;
	if (hdr[18] != 2 && hdr[19] != 2)
		return SQLITE_IN_PLACE;
	if (!join2(side, dbfile, "-wal") || !exists(side))
		return SQLITE_COPY;
	return join2(side, dbfile, "-shm") && exists(side) ? SQLITE_IN_PLACE : SQLITE_COPY;
}

/* Copy @from to the new file @to; false on any failure (@to may then exist). */
static bool
copy_file(const char *from, const char *to)
{
	size_t cap = 1 << 16;
	char *buf;
	int in, out;
	bool ok = true;

	in = open(from, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (in < 0)
		return false;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return false;
	}
	buf = vg_xmalloc(cap);
	for (;;) {
		ssize_t r = read(in, buf, cap), w = 0;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ok = r == 0;
			break;
		}
		while (w < r) {
			ssize_t k = write(out, buf + w, (size_t)(r - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			w += k;
		}
		if (w < r) {
			ok = false;
			break;
		}
	}
	free(buf);
	close(in);
	return close(out) == 0 && ok;
}

/* Remove the private copy directory and whatever sqlite left in it. */
static void
remove_copy(const char *dir)
{
	static const char *const names[] = {"/rpmdb.sqlite", "/rpmdb.sqlite-wal",
					    "/rpmdb.sqlite-shm", "/rpmdb.sqlite-journal"};
	char path[PATH_MAX];

	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++)
		if (join2(path, dir, names[i]))
			(void)unlink(path);
	(void)rmdir(dir);
}

/* Copy @dbfile (and its -wal if any) into a new private directory @dir (size PATH_MAX). */
static bool
make_copy(const char *dbfile, char *dir)
{
	const char *tmp = getenv("TMPDIR");
	char from[PATH_MAX], to[PATH_MAX];
	int saved;

	if (!join2(dir, tmp && *tmp ? tmp : "/tmp", "/vigil-rpmdb-XXXXXX") ||
	    !join2(to, dir, "/rpmdb.sqlite-wal")) {
		errno = ENAMETOOLONG;
		return false;
	}
	if (!mkdtemp(dir))
		return false;
	if (join2(to, dir, "/rpmdb.sqlite") && copy_file(dbfile, to)) {
		/* A -wal path too long to exist needs no copy. */
		if (!join2(from, dbfile, "-wal") || !exists(from))
			return true;
		if (join2(to, dir, "/rpmdb.sqlite-wal") && copy_file(from, to))
			return true;
	}
	saved = errno;
	remove_copy(dir);
	errno = saved;
	return false;
}

/* Open the database at @root + @dbpath with @backend and append its packages. */
static void
read_with_librpm(struct vg_inventory *inv, struct log_ctx *lc, const char *root, const char *dbpath,
		 const char *backend)
{
	bool opened = false;
	size_t seen = 0;
	rpmts ts;

	rpmPushMacro(NULL, "_dbpath", NULL, dbpath, RMIL_CMDLINE);
	rpmPushMacro(NULL, "_db_backend", NULL, backend, RMIL_CMDLINE);
	ts = rpmtsCreate();
	/* Headers are still parsed and bounds-checked; their digests and signatures
	 * were checked when the packages were installed. */
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	if (rpmtsSetRootDir(ts, root) != 0)
		vg_inv_warn(inv, COLLECTOR, lc->path, 0, "librpm rejected the root '%s'", root);
	else if ((opened = rpmtsOpenDB(ts, O_RDONLY) == 0))
		seen = read_headers(inv, ts, lc->path);
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_db_backend");
	rpmPopMacro(NULL, "_dbpath");
	/* An empty database is not an error; silence after a failed open is. */
	if (seen > 0 || (opened && lc->nerrors + lc->nwarnings == 0))
		return;
	for (int i = 0; i < lc->nwarnings; i++)
		vg_inv_warn(inv, COLLECTOR, lc->path, 0, "librpm: %s", lc->warnings[i]);
	if (strcmp(backend, "ndb") == 0)
		vg_inv_warn(
			inv, COLLECTOR, lc->path, 0,
			"cannot read the ndb rpm database: this librpm may lack the ndb backend");
	else
		vg_inv_warn(inv, COLLECTOR, lc->path, 0, "cannot read the %s rpm database",
			    backend);
}

/*
 * Read the database described by @kind with librpm.  The root must be
 * absolute for rpmtsSetRootDir(); the dbpath and backend are pushed as
 * command-line level macros for the duration of the call and popped after,
 * and the log callback and mask are put back, so the process's own rpm
 * state is left as it was.
 */
static void
read_rpmdb(struct vg_inventory *inv, const struct db_kind *kind)
{
	struct log_ctx lc = {.inv = inv};
	char rel[128], dbfile[PATH_MAX], copy[PATH_MAX], *root;
	enum sqlite_state state = SQLITE_IN_PLACE;
	rpmlogCallback old_cb;
	int old_mask;

	snprintf(rel, sizeof(rel), "%s/%s", kind->dir, kind->file);
	lc.path = rel;
	if (!vg_inv_path(inv, rel, dbfile, sizeof(dbfile)))
		return;
	if (strcmp(kind->backend, "sqlite") == 0)
		state = sqlite_state(dbfile);
	if (state == SQLITE_FOREIGN) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "not an sqlite database");
		return;
	}
	if (state == SQLITE_COPY && !make_copy(dbfile, copy)) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "cannot copy the database to $TMPDIR: %s",
			    strerror(errno));
		return;
	}
	root = realpath(inv->root, NULL);
	if (!root) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "cannot resolve the root: %s", strerror(errno));
	} else {
		old_cb = rpmlogSetCallback(log_to_inventory, &lc);
		old_mask = rpmlogSetMask(RPMLOG_UPTO(RPMLOG_WARNING));
		if (!rpm_configured())
			vg_inv_warn(inv, COLLECTOR, rel, 0,
				    "librpm configuration could not be read");
		else if (state == SQLITE_COPY)
			read_with_librpm(inv, &lc, "/", copy, kind->backend);
		else
			read_with_librpm(inv, &lc, root, kind->dir, kind->backend);
		/* Drop the messages librpm keeps for rpmlogPrint(): they are in the inventory. */
		rpmlogClose();
		rpmlogSetMask(old_mask);
		rpmlogSetCallback(old_cb, NULL);
		free(root);
	}
	if (state == SQLITE_COPY)
		remove_copy(copy);
}

/* The distroless manifest, read when there is no database. */
static void
read_manifest(struct vg_inventory *inv)
{
	char path[PATH_MAX], *data;
	size_t len;
	int rc;

	if (!vg_inv_path(inv, MANIFEST_PATH, path, sizeof(path)))
		return;
	rc = vg_inv_read_file(path, VG_RPM_MAX_INPUT, &data, &len);
	if (rc == VG_ENOTFOUND)
		return;
	if (rc < 0) {
		vg_inv_warn(inv, COLLECTOR, MANIFEST_PATH, 0, "cannot read: %s", vg_strerror(rc));
		return;
	}
	(void)vg_rpm_parse_manifest(inv, vg_str_n(data, len), MANIFEST_PATH);
	free(data);
}

int
vg_collect_rpm(struct vg_inventory *inv)
{
	const struct db_kind *kind = find_db(inv);

	if (kind)
		read_rpmdb(inv, kind);
	else
		read_manifest(inv);
	return VG_OK;
}
