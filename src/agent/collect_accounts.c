/*
 * collect_accounts.c - local accounts from etc/passwd (passwd(5)), the
 * password state and aging fields from etc/shadow (shadow(5); never the
 * hash), and admin-group membership from etc/group (group(5)).  Line
 * handling follows glibc's files backend (nss_files): leading blanks,
 * blank lines and '#' comments are skipped; the shadow line may be the old
 * two-field form.  Rules: collect_accounts.h.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_accounts.h"
#include "core/alloc.h"
#include "core/err.h"

#define COLLECTOR "accounts"

/* Fields of a passwd, shadow and group line. */
#define PASSWD_FIELDS   7
#define SHADOW_FIELDS   9
#define GROUP_FIELDS    4
/* Admin-group lines remembered from etc/group. */
#define MAX_ADMIN_LINES 32

/* ---- line and field splitting ---- */

struct lines {
	struct vg_str rest;
	int lineno;
};

/*
 * Next line that is not blank or a comment, leading blanks removed (as
 * nss_files does); false at the end.
 */
static bool
next_line(struct lines *ls, struct vg_str *line)
{
	while (ls->rest.len) {
		ptrdiff_t nl = vg_str_chr(ls->rest, '\n');
		size_t n = nl < 0 ? ls->rest.len : (size_t)nl;
		struct vg_str l = vg_str_n(ls->rest.p, n);

		ls->rest = vg_str_sub(ls->rest, n + 1, SIZE_MAX);
		ls->lineno++;
		while (l.len && (l.p[0] == ' ' || l.p[0] == '\t'))
			l = vg_str_sub(l, 1, SIZE_MAX);
		if (l.len == 0 || l.p[0] == '#')
			continue;
		*line = l;
		return true;
	}
	return false;
}

/* Split @line at ':' into at most @max fields; returns the field count, max + 1 if more. */
static size_t
split_fields(struct vg_str line, struct vg_str *f, size_t max)
{
	size_t n = 0;

	for (;;) {
		ptrdiff_t c = vg_str_chr(line, ':');

		if (n == max)
			return max + 1;
		if (c < 0) {
			f[n++] = line;
			return n;
		}
		f[n++] = vg_str_n(line.p, (size_t)c);
		line = vg_str_sub(line, (size_t)c + 1, SIZE_MAX);
	}
}

static bool
has_control(struct vg_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return true;
	return false;
}

/* A decimal id: 0 on success, -1 when not a number, 1 when above INT_MAX. */
static int
parse_id(struct vg_str s, int *out)
{
	unsigned long long v = 0;

	if (s.len == 0 || s.len > 20)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		if (!isdigit((unsigned char)s.p[i]))
			return -1;
		if (v <= INT_MAX)
			v = v * 10 + (unsigned)(s.p[i] - '0');
	}
	if (v > INT_MAX) {
		*out = -1;
		return 1;
	}
	*out = (int)v;
	return 0;
}

/*
 * A shadow day count: empty is -1 ("not set"), and so is any negative
 * number, as glibc's strtol-based reader makes of "-1".  false when the
 * field is not a number.
 */
static bool
parse_days(struct vg_str s, long *out)
{
	bool neg = false;
	long v = 0;

	*out = -1;
	if (s.len == 0)
		return true;
	if (s.p[0] == '-') {
		neg = true;
		s = vg_str_sub(s, 1, SIZE_MAX);
	}
	if (s.len == 0 || s.len > 18)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (!isdigit((unsigned char)s.p[i]))
			return false;
		v = v * 10 + (s.p[i] - '0');
	}
	*out = neg ? -1 : v;
	return true;
}

/* The state of a password field; its bytes are looked at, never kept. */
static enum vg_pw_state
pw_state(struct vg_str f)
{
	if (f.len == 0)
		return VG_PW_EMPTY;
	if (f.p[0] == '!' || f.p[0] == '*')
		return VG_PW_LOCKED;
	return VG_PW_SET;
}

static bool
login_shell(const char *shell)
{
	static const char *const no_login[] = {"nologin", "false",    "true",
					       "sync",    "shutdown", "halt"};
	const char *base;

	if (!shell)
		return true; /* empty means /bin/sh */
	if (strcmp(shell, "/dev/null") == 0)
		return false;
	base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	for (size_t i = 0; i < VG_ARRAY_LEN(no_login); i++)
		if (strcmp(base, no_login[i]) == 0)
			return false;
	return true;
}

/* ---- passwd ---- */

static const char *
opt_str(struct vg_inventory *inv, struct vg_str s)
{
	return s.len ? vg_inv_str(inv, s) : NULL;
}

static void
passwd_line(struct vg_inventory *inv, struct vg_str line, const char *path, int lineno)
{
	struct vg_str f[PASSWD_FIELDS];
	struct vg_account *a;
	int uid = -1, gid = -1, ruid, rgid;

	/* NIS compat entries ("+user", "-@netgroup", "+") are directives, not accounts. */
	if (line.p[0] == '+' || line.p[0] == '-')
		return;
	if (split_fields(line, f, PASSWD_FIELDS) != PASSWD_FIELDS) {
		vg_inv_warn(inv, COLLECTOR, path, lineno, "expected %d fields", PASSWD_FIELDS);
		return;
	}
	if (f[0].len == 0 || f[0].len > VG_ACCOUNTS_MAX_FIELD || f[5].len > VG_ACCOUNTS_MAX_FIELD ||
	    f[6].len > VG_ACCOUNTS_MAX_FIELD || has_control(f[0]) || has_control(f[5]) ||
	    has_control(f[6])) {
		vg_inv_warn(inv, COLLECTOR, path, lineno, "invalid name, home or shell");
		return;
	}
	ruid = parse_id(f[2], &uid);
	rgid = parse_id(f[3], &gid);
	if (ruid < 0 || rgid < 0) {
		vg_inv_warn(inv, COLLECTOR, path, lineno, "invalid uid or gid of '%.*s'",
			    (int)f[0].len, f[0].p);
		return;
	}
	if (ruid > 0 || rgid > 0)
		vg_inv_warn(inv, COLLECTOR, path, lineno, "uid or gid of '%.*s' above %d",
			    (int)f[0].len, f[0].p, INT_MAX);
	a = vg_inv_add_account(inv);
	a->name = vg_inv_str(inv, f[0]);
	a->uid = uid;
	a->gid = gid;
	a->home = opt_str(inv, f[5]);
	a->shell = opt_str(inv, f[6]);
	a->login_shell = login_shell(a->shell);
	/* "x" sends pam_unix to shadow; anything else is the password itself. */
	a->password = vg_str_eqc(f[1], "x") ? VG_PW_UNKNOWN : pw_state(f[1]);
}

int
vg_passwd_parse(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	struct lines ls = {text, 0};
	struct vg_str line;

	while (next_line(&ls, &line))
		passwd_line(inv, line, path, ls.lineno);
	return VG_OK;
}

/* ---- lookup by name ---- */

struct by_name {
	const char *name;
	size_t idx;
};

static int
by_name_cmp(const void *a, const void *b)
{
	const struct by_name *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static struct by_name *
index_accounts(const struct vg_inventory *inv)
{
	struct by_name *ix = vg_xreallocarray(NULL, inv->naccounts + 1, sizeof(*ix));

	for (size_t i = 0; i < inv->naccounts; i++)
		ix[i] = (struct by_name){inv->accounts[i].name, i};
	qsort(ix, inv->naccounts, sizeof(*ix), by_name_cmp);
	return ix;
}

/* Index in @ix of the first account named @name, or n when there is none. */
static size_t
find_first(const struct by_name *ix, size_t n, struct vg_str name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = ix[mid].name;
		size_t sl = strlen(s), m = sl < name.len ? sl : name.len;
		int c = m ? memcmp(s, name.p, m) : 0;

		/* Same order as strcmp() in by_name_cmp(), on a slice that may hold NULs. */
		if (c == 0)
			c = (sl > name.len) - (sl < name.len);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && vg_str_eqc(name, ix[lo].name) ? lo : n;
}

/* ---- shadow ---- */

/*
 * Apply one shadow line to the accounts of its name.  @done marks accounts
 * already given an entry: like getspnam(), the first entry of a name counts.
 */
static void
shadow_line(struct vg_inventory *inv, const struct by_name *ix, bool *done, struct vg_str line,
	    const char *path, int lineno)
{
	static const char *const names[] = {"last change", "min",      "max",
					    "warn",        "inactive", "expire"};
	struct vg_str f[SHADOW_FIELDS];
	long days[6] = {-1, -1, -1, -1, -1, -1};
	size_t nf = split_fields(line, f, SHADOW_FIELDS), at;

	/* Only the line number is ever reported: a field could be (part of) a hash. */
	if (nf != 2 && nf != 8 && nf != SHADOW_FIELDS) {
		vg_inv_warn(inv, COLLECTOR, path, lineno, "expected %d fields", SHADOW_FIELDS);
		return;
	}
	for (size_t i = 0; i + 2 < nf && i < VG_ARRAY_LEN(days); i++) {
		if (!parse_days(f[i + 2], &days[i]))
			vg_inv_warn(inv, COLLECTOR, path, lineno, "invalid '%s' field", names[i]);
	}
	at = find_first(ix, inv->naccounts, f[0]);
	for (; at < inv->naccounts && vg_str_eqc(f[0], ix[at].name); at++) {
		struct vg_account *a = &inv->accounts[ix[at].idx];

		if (done[ix[at].idx])
			continue;
		done[ix[at].idx] = true;
		if (a->password == VG_PW_UNKNOWN)
			a->password = pw_state(f[1]);
		a->last_change = days[0];
		a->min_days = days[1];
		a->max_days = days[2];
		a->warn_days = days[3];
		a->inactive_days = days[4];
		a->expire_date = days[5];
	}
}

int
vg_shadow_apply(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	struct by_name *ix = index_accounts(inv);
	bool *done = vg_xcalloc(inv->naccounts + 1, sizeof(*done));
	struct lines ls = {text, 0};
	struct vg_str line;

	while (next_line(&ls, &line))
		shadow_line(inv, ix, done, line, path, ls.lineno);
	free(done);
	free(ix);
	return VG_OK;
}

/* ---- group ---- */

struct admin_line {
	const char *name; /* static */
	int gid;
	struct vg_str members;
};

static const char *
admin_group(struct vg_str name)
{
	static const char *const admins[] = {"sudo", "wheel", "adm", "admin", "root"};

	for (size_t i = 0; i < VG_ARRAY_LEN(admins); i++)
		if (vg_str_eqc(name, admins[i]))
			return admins[i];
	return NULL;
}

static bool
is_member(struct vg_str members, const char *name)
{
	while (members.len) {
		ptrdiff_t c = vg_str_chr(members, ',');
		size_t n = c < 0 ? members.len : (size_t)c;

		if (vg_str_eqc(vg_str_trim(vg_str_n(members.p, n)), name))
			return true;
		members = vg_str_sub(members, n + 1, SIZE_MAX);
	}
	return false;
}

/* "sudo,adm" for @a, or NULL; each group once, in etc/group order. */
static const char *
admin_list(struct vg_inventory *inv, const struct vg_account *a, const struct admin_line *al,
	   size_t n)
{
	const char *seen[MAX_ADMIN_LINES];
	char buf[128];
	size_t nseen = 0, len = 0;

	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		if (!((a->gid >= 0 && a->gid == al[i].gid) || is_member(al[i].members, a->name)))
			continue;
		for (size_t j = 0; j < nseen; j++)
			dup = dup || seen[j] == al[i].name;
		if (dup)
			continue;
		seen[nseen++] = al[i].name;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "," : "",
					al[i].name);
	}
	return nseen ? vg_inv_strc(inv, buf) : NULL;
}

int
vg_group_apply(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	struct admin_line al[MAX_ADMIN_LINES];
	struct lines ls = {text, 0};
	struct vg_str line;
	size_t n = 0;

	while (next_line(&ls, &line)) {
		struct vg_str f[GROUP_FIELDS];
		const char *admin;
		int gid = -1;

		if (line.p[0] == '+' || line.p[0] == '-')
			continue;
		if (split_fields(line, f, GROUP_FIELDS) != GROUP_FIELDS || f[0].len == 0) {
			vg_inv_warn(inv, COLLECTOR, path, ls.lineno, "expected %d fields",
				    GROUP_FIELDS);
			continue;
		}
		if (parse_id(f[2], &gid) != 0) {
			vg_inv_warn(inv, COLLECTOR, path, ls.lineno, "invalid gid");
			continue;
		}
		admin = admin_group(f[0]);
		if (admin && n < MAX_ADMIN_LINES)
			al[n++] = (struct admin_line){admin, gid, f[3]};
	}
	for (size_t i = 0; i < inv->naccounts && n; i++)
		inv->accounts[i].admin_groups = admin_list(inv, &inv->accounts[i], al, n);
	return VG_OK;
}

/* ---- the collector ---- */

/* Read @rel under the root; absent is VG_ENOTFOUND, other failures also a warning. */
static int
read_rel(struct vg_inventory *inv, const char *rel, char **data, size_t *len)
{
	char path[PATH_MAX];
	int rc;

	if (!vg_inv_path(inv, rel, path, sizeof(path))) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "path too long");
		return VG_ETOOBIG;
	}
	rc = vg_inv_read_file(path, VG_ACCOUNTS_MAX_FILE, data, len);
	if (rc != VG_OK && rc != VG_ENOTFOUND)
		vg_inv_warn(inv, COLLECTOR, rel, 0, "cannot read: %s", vg_strerror(rc));
	return rc;
}

int
vg_collect_accounts(struct vg_inventory *inv)
{
	char *data;
	size_t len;

	if (read_rel(inv, "etc/passwd", &data, &len) != VG_OK)
		return VG_OK;
	(void)vg_passwd_parse(inv, vg_str_n(data, len), "etc/passwd");
	free(data);
	/* Unreadable shadow (not root): the states stay VG_PW_UNKNOWN, one warning. */
	if (read_rel(inv, "etc/shadow", &data, &len) == VG_OK) {
		(void)vg_shadow_apply(inv, vg_str_n(data, len), "etc/shadow");
		/* The buffer held hashes: wipe it before handing it back. */
		explicit_bzero(data, len);
		free(data);
	}
	if (read_rel(inv, "etc/group", &data, &len) == VG_OK) {
		(void)vg_group_apply(inv, vg_str_n(data, len), "etc/group");
		free(data);
	}
	return VG_OK;
}
