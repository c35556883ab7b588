/*
 * collect_dpkg.c - installed Debian packages from var/lib/dpkg/status and
 * var/lib/dpkg/status.d/ (distroless images).
 *
 * Follows dpkg 1.21 as observed through `dpkg-query --admindir=DIR -W`:
 * lib/dpkg/parse.c parse_stanza() for the stanza syntax, fields.c f_name()
 * and f_status() for Package and Status, parsehelp.c parseversion() and
 * varbufversion() for reading and re-printing versions, and pkg-show.c for
 * ${source:Package}, ${source:Version} and ${db:Status-Abbrev}.  Written
 * from that behaviour, not copied.  The rules, and where we are deliberately
 * more tolerant than dpkg, are documented in collect_dpkg.h.
 *
 * Speed: the whole file is read once and parsed in place; only the few
 * fields kept are copied into the inventory's arena, and the strings every
 * package shares (status, architecture, path) are copied once per file.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/collect_dpkg.h"
#include "core/alloc.h"
#include "core/err.h"

#define COLLECTOR "dpkg"

/* The fields we read; every other field is skipped unparsed. */
enum field { F_PACKAGE, F_VERSION, F_STATUS, F_SOURCE, F_ARCH, NFIELDS };

static const struct vg_str field_names[NFIELDS] = {
	VG_STR_LIT("Package"), VG_STR_LIT("Version"),      VG_STR_LIT("Status"),
	VG_STR_LIT("Source"),  VG_STR_LIT("Architecture"),
};

/* dpkg's selection (want), error flag and state, in dpkg's order. */
enum want { W_UNKNOWN, W_INSTALL, W_HOLD, W_DEINSTALL, W_PURGE, NWANT };
enum eflag { E_OK, E_REINSTREQ, NEFLAG };
enum state {
	S_NOT_INSTALLED,
	S_CONFIG_FILES,
	S_HALF_INSTALLED,
	S_UNPACKED,
	S_HALF_CONFIGURED,
	S_TRIGGERS_AWAITED,
	S_TRIGGERS_PENDING,
	S_INSTALLED,
	NSTATE
};

static const char *const want_names[NWANT] = {"unknown", "install", "hold", "deinstall", "purge"};
static const char *const eflag_names[NEFLAG] = {"ok", "reinstreq"};
static const char *const state_names[NSTATE] = {
	"not-installed",   "config-files",     "half-installed",   "unpacked",
	"half-configured", "triggers-awaited", "triggers-pending", "installed",
};

/* The letters of ${db:Status-Abbrev} (pkg-show.c). */
static const char want_letters[] = "uihrp";
static const char eflag_letters[] = " R";
static const char state_letters[] = "ncHUFWti";

/* A Debian version as parseversion() splits it; the parts borrow from the input. */
struct debver {
	struct vg_str text;  /* the whole version, blanks trimmed */
	struct vg_str rest;  /* text after the epoch's colon (all of text without one) */
	bool has_epoch;      /* text has an "epoch:" prefix */
	bool epoch_verbatim; /* that prefix is written the way dpkg prints it */
	long epoch;
};

/* One stanza being read: the values of the fields we keep, as slices of the input. */
struct stanza {
	struct vg_str value[NFIELDS];
	bool seen[NFIELDS];
	int line;     /* 1-based line the stanza starts on */
	int cur;      /* field the current line continues: enum field, or -1 */
	bool started; /* a field line has been read */
	bool bad;     /* a syntax error was found; the rest of the stanza is skipped */
	char error[160];
};

/* State of one vg_dpkg_parse() call. */
struct parser {
	struct vg_inventory *inv;
	const char *path; /* in the arena */
	unsigned flags;
	/* Strings shared by many packages, copied into the arena once. */
	const char *abbrev[NWANT][NEFLAG][NSTATE];
	const char *text[NWANT][NEFLAG][NSTATE];
	struct {
		struct vg_str value;
		const char *copy;
	} arch[8];
	size_t narch;
};

/* The fields of one valid stanza, ready to be added. */
struct entry {
	struct vg_str name, arch, source_name;
	struct debver version, source_version;
	bool has_version, has_source_version;
	int want, eflag, state;
};

/* ---- character classes (dpkg's c-ctype: ASCII only) ---- */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static struct vg_str
trim_right(struct vg_str s)
{
	while (s.len && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

/*
 * How many bytes of @s a message may quote: the printable prefix, at most
 * 64 bytes, so that warnings never carry control bytes or huge values.
 */
static int
quotable(struct vg_str s)
{
	size_t n = 0;

	while (n < s.len && n < 64 && s.p[n] >= 0x20 && s.p[n] < 0x7f)
		n++;
	return (int)n;
}

#define QUOTE_FMT "'%.*s%s'"
#define QUOTE(s)  quotable(s), (s).p, (size_t)quotable(s) < (s).len ? "..." : ""

/* ---- versions (parsehelp.c parseversion(), varbufversion()) ---- */

/*
 * Read the epoch before the colon at @colon the way strtol(..., 10) does
 * (optional sign, then digits) and check it as dpkg does.  Returns NULL or
 * the reason for refusing it.
 */
static const char *
parse_epoch(struct vg_str s, size_t colon, struct debver *v)
{
	size_t i = 0, digits;
	bool negative = false, too_big = false;
	long long value = 0;

	if (i < colon && (s.p[i] == '+' || s.p[i] == '-'))
		negative = s.p[i++] == '-';
	for (digits = i; i < colon && is_digit(s.p[i]); i++) {
		value = value * 10 + (s.p[i] - '0');
		if (value > INT_MAX) {
			too_big = true;
			value = INT_MAX;
		}
	}
	if (i == digits)
		return "epoch in version is empty";
	if (i != colon)
		return "epoch in version is not number";
	if (negative && (value != 0 || too_big))
		return "epoch in version is negative";
	if (too_big)
		return "epoch in version is too big";
	v->has_epoch = true;
	v->epoch = (long)value;
	/* dpkg prints the epoch with %u: verbatim only without sign or leading zero. */
	v->epoch_verbatim = digits == 0 && (colon == 1 || s.p[0] != '0');
	return NULL;
}

/* What parseversion() only warns about: the characters of each part. */
static const char *
version_warning(struct vg_str upstream, struct vg_str revision)
{
	if (!is_digit(upstream.p[0]))
		return "version number does not start with digit";
	for (size_t i = 1; i < upstream.len; i++)
		if (!is_alnum(upstream.p[i]) && !strchr(".-+~:", upstream.p[i]))
			return "invalid character in version number";
	for (size_t i = 0; i < revision.len; i++)
		if (!is_alnum(revision.p[i]) && !strchr(".+~", revision.p[i]))
			return "invalid character in revision number";
	return NULL;
}

/*
 * Split @in as parseversion() does.  Returns NULL or the reason dpkg gives
 * for rejecting it.  What parseversion() only warns about (an upstream
 * version not starting with a digit, unusual characters) is accepted unless
 * @strict: dpkg keeps such a Version, but refuses such a Source version.
 */
static const char *
parse_version(struct vg_str in, bool strict, struct debver *v)
{
	struct vg_str s = in, upstream, revision;
	size_t end = 0;
	const char *colon, *why;
	ptrdiff_t hyphen;

	memset(v, 0, sizeof(*v));
	while (s.len && is_blank(s.p[0])) {
		s.p++;
		s.len--;
	}
	if (s.len == 0)
		return "version string is empty";
	while (end < s.len && !is_space(s.p[end]))
		end++;
	for (size_t i = end; i < s.len; i++)
		if (!is_space(s.p[i]))
			return "version string has embedded spaces";
	s.len = end;
	v->text = s;
	v->rest = s;
	colon = memchr(s.p, ':', s.len);
	if (colon) {
		why = parse_epoch(s, (size_t)(colon - s.p), v);
		if (why)
			return why;
		v->rest = vg_str_sub(s, (size_t)(colon - s.p) + 1, s.len);
		if (v->rest.len == 0)
			return "nothing after colon in version number";
	}
	upstream = v->rest;
	revision = vg_str_n(v->rest.p + v->rest.len, 0);
	hyphen = vg_str_rchr(v->rest, '-');
	if (hyphen >= 0) {
		if ((size_t)hyphen + 1 == v->rest.len)
			return "revision number is empty";
		upstream.len = (size_t)hyphen;
		revision = vg_str_sub(v->rest, (size_t)hyphen + 1, v->rest.len);
	}
	if (upstream.len == 0)
		return "version number is empty";
	return strict ? version_warning(upstream, revision) : NULL;
}

/* The version as dpkg prints it (vdew_nonambig), in the arena. */
static const char *
version_string(struct vg_inventory *inv, const struct debver *v)
{
	bool print_epoch;

	if (!v->has_epoch)
		return vg_inv_str(inv, v->text);
	/* The epoch is printed when non-zero or when the rest has a colon of its own. */
	print_epoch = v->epoch != 0 || memchr(v->rest.p, ':', v->rest.len) != NULL;
	if (!print_epoch)
		return vg_inv_str(inv, v->rest);
	if (v->epoch_verbatim)
		return vg_inv_str(inv, v->text);
	return vg_arena_printf(&inv->arena, "%ld:%.*s", v->epoch, (int)v->rest.len, v->rest.p);
}

/* Two versions dpkg prints the same way (the common case of Source without a version). */
static bool
same_version(const struct debver *a, const struct debver *b)
{
	return vg_str_eq(a->text, b->text);
}

/* ---- fields ---- */

/* pkg_name_is_illegal(): letters, digits and "-+._", starting with a letter or digit. */
static bool
check_name(struct vg_str name, char *why, size_t cap)
{
	if (name.len == 0) {
		snprintf(why, cap,
			 "invalid package name in 'Package' field: may not be empty string");
		return false;
	}
	if (!is_alnum(name.p[0])) {
		snprintf(why, cap,
			 "invalid package name " QUOTE_FMT
			 ": must start with an alphanumeric character",
			 QUOTE(name));
		return false;
	}
	for (size_t i = 1; i < name.len; i++) {
		unsigned char c = (unsigned char)name.p[i];

		if (!is_alnum((char)c) && !strchr("-+._", c)) {
			snprintf(why, cap,
				 "invalid package name " QUOTE_FMT ": character 0x%02x not allowed",
				 QUOTE(name), c);
			return false;
		}
	}
	return true;
}

/*
 * Find the name in @list that @s starts with, ignoring case, as dpkg's
 * namevalue_find_by_name() does.  Returns its index or -1.
 */
static int
match_word(struct vg_str s, const char *const *list, int n, size_t *len)
{
	for (int i = 0; i < n; i++) {
		size_t l = strlen(list[i]);

		if (s.len >= l && vg_str_eq_nocase(vg_str_n(s.p, l), vg_str_n(list[i], l))) {
			*len = l;
			return i;
		}
	}
	return -1;
}

/* One word of Status (f_status()/parse_nv()); @last: it must end the value. */
static int
status_word(struct vg_str *s, const char *const *list, int n, bool last, const char *what,
	    char *why, size_t cap)
{
	size_t len = 0;
	int idx;

	if (s->len == 0) {
		snprintf(why, cap, "%s word in 'Status' field: is missing a value", what);
		return -1;
	}
	idx = match_word(*s, list, n, &len);
	if (idx < 0) {
		snprintf(why, cap, "%s word in 'Status' field: has invalid value " QUOTE_FMT, what,
			 QUOTE(*s));
		return -1;
	}
	*s = vg_str_sub(*s, len, s->len);
	if (last && s->len) {
		snprintf(why, cap, "%s word in 'Status' field: has trailing junk", what);
		return -1;
	}
	while (s->len && is_space(s->p[0]))
		*s = vg_str_sub(*s, 1, s->len);
	return idx;
}

static bool
parse_status(struct vg_str s, struct entry *e, char *why, size_t cap)
{
	e->want = status_word(&s, want_names, NWANT, false, "first (want)", why, cap);
	if (e->want < 0)
		return false;
	e->eflag = status_word(&s, eflag_names, NEFLAG, false, "second (error)", why, cap);
	if (e->eflag < 0)
		return false;
	e->state = status_word(&s, state_names, NSTATE, true, "third (status)", why, cap);
	return e->state >= 0;
}

/* ${source:Package} is Source up to its first space; ${source:Version} its "(version)". */
static bool
parse_source(struct vg_str src, struct entry *e, char *why, size_t cap)
{
	ptrdiff_t space = vg_str_chr(src, ' '), paren = vg_str_chr(src, '('), close;
	const char *reason;
	struct vg_str ver;

	e->source_name = space < 0 ? src : vg_str_n(src.p, (size_t)space);
	if (paren < 0)
		return true;
	/* The version runs to the closing parenthesis, or to the end without one. */
	ver = vg_str_sub(src, (size_t)paren + 1, src.len);
	close = vg_str_chr(ver, ')');
	if (close >= 0)
		ver.len = (size_t)close;
	reason = parse_version(ver, true, &e->source_version);
	if (reason) {
		snprintf(why, cap, "invalid version " QUOTE_FMT " in 'Source' field: %s",
			 QUOTE(ver), reason);
		return false;
	}
	e->has_source_version = true;
	return true;
}

/*
 * What makes a kept value unusable before it is interpreted.  A newline in
 * Package, Version or the start of Status is an error for dpkg too; in
 * Architecture (or in the part of Source shown, see check_shown()) dpkg
 * would show it, but we refuse to put one in the inventory.
 */
static bool
check_value(int f, struct vg_str v, char *why, size_t cap)
{
	const char *name = field_names[f].p;

	if (v.len > VG_DPKG_MAX_VALUE)
		snprintf(why, cap, "'%s' field longer than %d bytes", name, VG_DPKG_MAX_VALUE);
	else if (memchr(v.p, '\0', v.len))
		snprintf(why, cap, "NUL byte in '%s' field", name);
	else if (f != F_STATUS && f != F_SOURCE && memchr(v.p, '\n', v.len))
		snprintf(why, cap, "multi-line value in '%s' field", name);
	else
		return true;
	return false;
}

/* Check the stanza's fields as dpkg would and fill @e.  False with @why set otherwise. */
static bool
check_stanza(const struct stanza *st, struct entry *e, char *why, size_t cap)
{
	const char *reason;

	memset(e, 0, sizeof(*e));
	for (int f = F_PACKAGE; f <= F_STATUS; f++)
		if (st->seen[f] && !check_value(f, st->value[f], why, cap))
			return false;
	if (!st->seen[F_PACKAGE]) {
		snprintf(why, cap, "missing 'Package' field");
		return false;
	}
	e->name = st->value[F_PACKAGE];
	if (!check_name(e->name, why, cap))
		return false;
	e->state = S_NOT_INSTALLED; /* no Status: "unknown ok not-installed" */
	if (st->seen[F_STATUS] && !parse_status(st->value[F_STATUS], e, why, cap))
		return false;
	if (st->seen[F_VERSION]) {
		reason = parse_version(st->value[F_VERSION], false, &e->version);
		if (reason) {
			snprintf(why, cap, "invalid 'Version' " QUOTE_FMT ": %s",
				 QUOTE(st->value[F_VERSION]), reason);
			return false;
		}
		e->has_version = true;
	} else if (e->state != S_NOT_INSTALLED && e->state != S_HALF_INSTALLED) {
		snprintf(why, cap, "missing 'Version' field");
		return false;
	}
	if (st->seen[F_ARCH])
		e->arch = st->value[F_ARCH];
	return true;
}

/*
 * The fields dpkg-query only interprets when it shows a package: checked
 * for the stanzas we add, so that a not-installed one never warns.
 */
static bool
check_shown(const struct stanza *st, struct entry *e, char *why, size_t cap)
{
	static const enum field shown[] = {F_SOURCE, F_ARCH};

	for (size_t i = 0; i < VG_ARRAY_LEN(shown); i++)
		if (st->seen[shown[i]] && !check_value(shown[i], st->value[shown[i]], why, cap))
			return false;
	/* dpkg treats an empty Source or Architecture as absent. */
	if (st->seen[F_SOURCE] && st->value[F_SOURCE].len) {
		if (!parse_source(st->value[F_SOURCE], e, why, cap))
			return false;
		if (memchr(e->source_name.p, '\n', e->source_name.len)) {
			snprintf(why, cap, "multi-line value in 'Source' field");
			return false;
		}
	}
	return true;
}

/* ---- adding packages ---- */

static bool
listed(unsigned flags, int state)
{
	if (state == S_NOT_INSTALLED)
		return false;
	if (flags & VG_DPKG_LISTED)
		return true;
	/* Installed: the package's files are all unpacked on disk. */
	return state >= S_UNPACKED;
}

static const char *
status_abbrev(struct parser *ps, const struct entry *e)
{
	const char **slot = &ps->abbrev[e->want][e->eflag][e->state];
	char s[4] = {want_letters[e->want], state_letters[e->state], eflag_letters[e->eflag], 0};

	if (!*slot) {
		if (s[2] == ' ')
			s[2] = '\0';
		*slot = vg_inv_strc(ps->inv, s);
	}
	return *slot;
}

static const char *
status_text(struct parser *ps, const struct entry *e)
{
	const char **slot = &ps->text[e->want][e->eflag][e->state];

	if (!*slot)
		*slot = vg_arena_printf(&ps->inv->arena, "%s %s %s", want_names[e->want],
					eflag_names[e->eflag], state_names[e->state]);
	return *slot;
}

/* Architectures repeat ("amd64", "all"): share one copy per distinct value. */
static const char *
arch_string(struct parser *ps, struct vg_str arch)
{
	const char *copy;

	if (arch.len == 0)
		return NULL;
	for (size_t i = 0; i < ps->narch; i++)
		if (vg_str_eq(ps->arch[i].value, arch))
			return ps->arch[i].copy;
	copy = vg_inv_str(ps->inv, arch);
	if (ps->narch < VG_ARRAY_LEN(ps->arch)) {
		ps->arch[ps->narch].value = arch;
		ps->arch[ps->narch++].copy = copy;
	}
	return copy;
}

/* dpkg looks package names up case-insensitively and prints them lower-cased. */
static const char *
name_string(struct parser *ps, struct vg_str s)
{
	char *name = vg_arena_strndup(&ps->inv->arena, s);

	for (char *c = name; *c; c++)
		*c = to_lower(*c);
	return name;
}

/*
 * A not-installed stanza is not listed, but it still takes its package's
 * slot from an earlier stanza (see settle_slots()): it is added with a NULL
 * status and removed when the file is done.
 */
static void
add_tombstone(struct parser *ps, const struct entry *e)
{
	struct vg_package *pkg = vg_inv_add_package(ps->inv, VG_PKG_DEB);

	pkg->name = name_string(ps, e->name);
	pkg->architecture = arch_string(ps, e->arch);
	pkg->path = ps->path;
}

static void
add_entry(struct parser *ps, const struct entry *e)
{
	struct vg_package *pkg = vg_inv_add_package(ps->inv, VG_PKG_DEB);
	const char *name = name_string(ps, e->name);

	pkg->name = name;
	pkg->version = e->has_version ? version_string(ps->inv, &e->version) : NULL;
	pkg->architecture = arch_string(ps, e->arch);
	if (e->source_name.len == 0 || vg_str_eqc(e->source_name, name))
		pkg->source_name = name;
	else
		pkg->source_name = vg_inv_str(ps->inv, e->source_name);
	if (!e->has_source_version)
		pkg->source_version = pkg->version;
	else if (e->has_version && same_version(&e->source_version, &e->version))
		pkg->source_version = pkg->version;
	else
		pkg->source_version = version_string(ps->inv, &e->source_version);
	pkg->status = status_abbrev(ps, e);
	pkg->status_text = status_text(ps, e);
	pkg->path = ps->path;
}

/* The warning for a stanza we skip names its package when it has one. */
static void
warn_skipped(struct parser *ps, const struct stanza *st, const char *why)
{
	struct vg_str name = st->value[F_PACKAGE];

	if (st->seen[F_PACKAGE] && name.len)
		vg_inv_warn(ps->inv, COLLECTOR, ps->path, st->line,
			    "skipped package " QUOTE_FMT ": %s", QUOTE(name), why);
	else
		vg_inv_warn(ps->inv, COLLECTOR, ps->path, st->line, "skipped stanza: %s", why);
}

static void
finish_stanza(struct parser *ps, struct stanza *st)
{
	char why[200];
	struct entry e;

	if (st->bad) {
		warn_skipped(ps, st, st->error);
		return;
	}
	if (!check_stanza(st, &e, why, sizeof(why))) {
		warn_skipped(ps, st, why);
		return;
	}
	if (e.state == S_NOT_INSTALLED) {
		add_tombstone(ps, &e);
		return;
	}
	/*
	 * Every listed stanza takes its slot, even when only installed packages
	 * are kept (settle_slots() drops the others), but only the kept ones
	 * warn about their Source and Architecture.
	 */
	if (!check_shown(st, &e, why, sizeof(why))) {
		if (listed(ps->flags, e.state))
			warn_skipped(ps, st, why);
		return;
	}
	add_entry(ps, &e);
}

/* ---- stanza syntax (parse.c parse_stanza()) ---- */

static void
stanza_error(struct stanza *st, int line, const char *what, struct vg_str name)
{
	st->bad = true;
	snprintf(st->error, sizeof(st->error), "line %d: %s " QUOTE_FMT, line, what, QUOTE(name));
}

static int
find_field(struct vg_str name)
{
	for (int i = 0; i < NFIELDS; i++)
		if (vg_str_eq_nocase(name, field_names[i]))
			return i;
	return -1;
}

/*
 * The value starts after the colon and the blanks that follow it on the
 * field's line.  When the line has nothing more, it starts at the line's
 * end, so that a value continued on the next lines begins with a newline
 * (as for dpkg, where that makes "Version:\n 1.0" invalid).
 */
static void
start_value(struct stanza *st, struct vg_str rest)
{
	size_t i = 0;

	while (i < rest.len && is_space(rest.p[i]))
		i++;
	st->value[st->cur] = trim_right(vg_str_sub(rest, i, rest.len));
}

/* A continuation line extends the value to its last non-blank byte. */
static void
continue_value(struct stanza *st, struct vg_str line)
{
	struct vg_str *v = &st->value[st->cur];

	line = trim_right(line);
	/* The input is one buffer, so the value spans from its start to here. */
	if (line.len)
		v->len = (size_t)(line.p + line.len - v->p);
}

/* A "Name: value" line. */
static void
field_line(struct stanza *st, struct vg_str line, int lineno)
{
	struct vg_str name;
	size_t i = 0;

	while (i < line.len && !is_space(line.p[i]) && line.p[i] != ':')
		i++;
	name = vg_str_n(line.p, i);
	if (name.len == 0) {
		stanza_error(st, lineno, "empty field name", line);
		return;
	}
	if (name.p[0] == '-') {
		stanza_error(st, lineno, "field name cannot start with hyphen", name);
		return;
	}
	while (i < line.len && is_space(line.p[i]))
		i++;
	if (i == line.len || line.p[i] != ':') {
		stanza_error(st, lineno, "field name must be followed by colon", name);
		return;
	}
	st->cur = find_field(name);
	if (st->cur < 0)
		return;
	if (st->seen[st->cur]) {
		stanza_error(st, lineno, "duplicate value for field", name);
		return;
	}
	st->seen[st->cur] = true;
	start_value(st, vg_str_sub(line, i + 1, line.len));
}

static void
stanza_line(struct stanza *st, struct vg_str line, int lineno)
{
	if (!is_space(line.p[0])) {
		st->started = true;
		field_line(st, line, lineno);
		return;
	}
	/* For dpkg, a stanza starting with white space starts with an empty field name. */
	if (!st->started) {
		stanza_error(st, lineno, "empty field name", line);
		return;
	}
	/* A continuation line; dpkg keeps white-space-only ones in the value too. */
	if (st->cur >= 0)
		continue_value(st, line);
}

/*
 * Packages are keyed by name and architecture, as dpkg's database slots.
 * FNV-1a over both strings.
 */
static size_t
hash_key(const struct vg_package *p)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *c = p->name; *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
	h = (h ^ 0xff) * 0x100000001b3ULL;
	for (const char *c = p->architecture; c && *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
	return (size_t)h;
}

static bool
same_key(const struct vg_package *a, const struct vg_package *b)
{
	if (strcmp(a->name, b->name) != 0)
		return false;
	if (!a->architecture || !b->architecture)
		return a->architecture == b->architecture;
	return strcmp(a->architecture, b->architecture) == 0;
}

/* Whether @flags keeps a package; its state is the second letter of its status. */
static bool
kept(const struct vg_package *p, unsigned flags)
{
	return p->status && ((flags & VG_DPKG_LISTED) || strchr("UFWti", p->status[1]) != NULL);
}

/*
 * Settle the entries added from index @first on, in order, as dpkg fills
 * its database slots (one per package name and architecture): a later
 * stanza takes the slot of an earlier one.  A later not-installed stanza
 * (a tombstone, status NULL) so removes the package; two listed stanzas
 * for one slot make dpkg refuse the database, so that case also warns.
 * Then the tombstones, the replaced entries and those @flags does not
 * keep are removed.  Deciding over every listed stanza before keeping only
 * the installed ones keeps the installed packages a subset of the listed.
 */
static void
settle_slots(struct vg_inventory *inv, size_t first, unsigned flags)
{
	size_t n = inv->npackages - first, cap = 16, out = first;
	size_t *slots; /* package index + 1; 0 is empty */
	bool *dead;

	if (n == 0)
		return;
	while (cap < 2 * n)
		cap *= 2;
	slots = vg_xcalloc(cap, sizeof(*slots));
	dead = vg_xcalloc(n, sizeof(*dead));
	for (size_t i = first; i < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i], *q;
		size_t h = hash_key(p) & (cap - 1);

		while (slots[h] && !same_key(p, &inv->packages[slots[h] - 1]))
			h = (h + 1) & (cap - 1);
		if (slots[h]) {
			q = &inv->packages[slots[h] - 1];
			if (q->status && p->status)
				vg_inv_warn(inv, COLLECTOR, p->path, 0,
					    "second entry for package '%s' (%s) replaces the one "
					    "read from '%s'",
					    p->name,
					    p->architecture ? p->architecture : "no architecture",
					    q->path);
			dead[slots[h] - 1 - first] = true;
		}
		slots[h] = i + 1;
	}
	for (size_t i = first; i < inv->npackages; i++)
		if (!dead[i - first] && kept(&inv->packages[i], flags))
			inv->packages[out++] = inv->packages[i];
	inv->npackages = out;
	free(slots);
	free(dead);
}

int
vg_dpkg_parse(struct vg_inventory *inv, struct vg_str data, const char *path, unsigned flags)
{
	struct parser ps = {.inv = inv, .flags = flags};
	struct stanza st;
	size_t pos = 0, first = inv->npackages, nstanzas = 0;
	bool in_stanza = false;
	struct vg_str line;
	int lineno = 0;

	ps.path = vg_inv_strc(inv, path ? path : "");
	if (data.len > VG_DPKG_MAX_FILE) {
		vg_inv_warn(inv, COLLECTOR, ps.path, 0, "file larger than %zu bytes, not read",
			    VG_DPKG_MAX_FILE);
		return VG_ETOOBIG;
	}
	/* CRLF reads as LF (vg_str_next_line), so "\r\n" alone still ends a record. */
	while (vg_str_next_line(data, &pos, &line)) {
		if (lineno < INT_MAX)
			lineno++;
		if (line.len == 0 || (!in_stanza && trim_right(line).len == 0)) {
			if (in_stanza)
				finish_stanza(&ps, &st);
			in_stanza = false;
			continue;
		}
		if (!in_stanza) {
			/* Tiny stanzas must not make a big file a huge inventory. */
			if (nstanzas++ == VG_DPKG_MAX_STANZAS) {
				vg_inv_warn(inv, COLLECTOR, ps.path, lineno,
					    "more than %d stanzas, the rest not read",
					    VG_DPKG_MAX_STANZAS);
				break;
			}
			memset(&st, 0, sizeof(st));
			st.line = lineno;
			st.cur = -1;
			in_stanza = true;
		}
		if (!st.bad)
			stanza_line(&st, line, lineno);
	}
	if (in_stanza)
		finish_stanza(&ps, &st);
	settle_slots(inv, first, flags);
	return VG_OK;
}

/* ---- the collector ---- */

/*
 * Read and parse one file under the root; @rel is like "/var/lib/dpkg/status".
 * @budget is what may still be read, over all files.
 */
static void
collect_file(struct vg_inventory *inv, const char *rel, bool warn_absent, size_t *budget)
{
	char full[4096];
	size_t len = 0;
	char *data = NULL;
	int rc;

	if (!vg_inv_path(inv, rel, full, sizeof(full))) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "path too long under the root");
		return;
	}
	if (*budget == 0) {
		vg_inv_warn(inv, COLLECTOR, rel, 0,
			    "not read: %zu bytes of dpkg files already read", VG_DPKG_MAX_TOTAL);
		return;
	}
	rc = vg_inv_read_file(full, *budget < VG_DPKG_MAX_FILE ? *budget : VG_DPKG_MAX_FILE, &data,
			      &len);
	if (rc == VG_ENOTFOUND && !warn_absent)
		return;
	if (rc != VG_OK) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "cannot read: %s", vg_strerror(rc));
		return;
	}
	*budget -= len;
	/* The read is bounded, so VG_ETOOBIG cannot happen (and would be a warning). */
	rc = vg_dpkg_parse(inv, vg_str_n(data, len), rel, 0);
	(void)rc;
	free(data);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* status.d entries worth reading: not hidden, not a "*.md5sums" companion. */
static bool
wanted_entry(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.')
		return false;
	return !(n >= 8 && strcmp(name + n - 8, ".md5sums") == 0);
}

/* The sorted names of the regular files in status.d (caller frees each and the array). */
static char **
list_status_d(struct vg_inventory *inv, const char *dir, size_t *count)
{
	size_t n = 0, cap = 0;
	char **names = NULL;
	struct dirent *de;
	DIR *d;

	*count = 0;
	d = opendir(dir);
	if (!d) {
		if (errno != ENOENT && errno != ENOTDIR)
			vg_inv_warn(inv, COLLECTOR, "/var/lib/dpkg/status.d", 0,
				    "cannot read directory: %s", strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat sb;

		if (!wanted_entry(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (n == VG_DPKG_MAX_STATUSD_FILES) {
			vg_inv_warn(inv, COLLECTOR, "/var/lib/dpkg/status.d", 0,
				    "more than %d files, the rest not read",
				    VG_DPKG_MAX_STATUSD_FILES);
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = vg_xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = vg_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), compare_names);
	*count = n;
	return names;
}

int
vg_collect_dpkg(struct vg_inventory *inv)
{
	size_t first = inv->npackages, n = 0, budget = VG_DPKG_MAX_TOTAL;
	char full[4096], rel[1024];
	char **names;

	collect_file(inv, "/var/lib/dpkg/status", false, &budget);
	if (!vg_inv_path(inv, "/var/lib/dpkg/status.d", full, sizeof(full)))
		return VG_OK;
	names = list_status_d(inv, full, &n);
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(rel, sizeof(rel), "/var/lib/dpkg/status.d/%s", names[i]);

		if (len > 0 && (size_t)len < sizeof(rel))
			collect_file(inv, rel, true, &budget);
		free(names[i]);
	}
	free(names);
	/* A package both in status and in status.d is listed once, from status.d. */
	settle_slots(inv, first, 0);
	return VG_OK;
}
