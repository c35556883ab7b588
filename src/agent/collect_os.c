/*
 * collect_os.c - OS identity and kernels: vg_collect_os() reads
 * etc/os-release (os-release(5), parsed as systemd's env-file reader does,
 * src/basic/env-file.c, v254 comment rules), etc/hostname, etc/machine-id
 * (machine-id(5)) and the architecture; vg_collect_kernel() runs after the
 * package collectors and derives the installed kernels from the kernel
 * packages (or lib/modules), the newest by the package manager's version
 * order, and whether a reboot is required.  Rules: collect_os.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "agent/collect_os.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/version/version.h"

#define COLLECTOR "os"

/* Small files read whole: etc/hostname, etc/machine-id, etc/apk/arch. */
#define SMALL_FILE_MAX     4096
/* At most this many kernels are listed (lib/modules of a build host can be huge). */
#define MAX_KERNELS        64
/* Longest kernel release string kept. */
#define KERNEL_RELEASE_MAX 256

/* ---- os-release: the env-file state machine ---- */

enum env_state {
	ST_PRE_KEY,
	ST_KEY,
	ST_PRE_VALUE,
	ST_VALUE,
	ST_VALUE_ESC,
	ST_SQUOTE,
	ST_DQUOTE,
	ST_DQUOTE_ESC,
	ST_COMMENT,
};

struct env_parser {
	struct vg_inventory *inv;
	const char *path;
	char key[VG_OS_RELEASE_MAX_KEY + 1];
	size_t nkey;
	size_t key_ws; /* start of the trailing blanks of the key, SIZE_MAX when none */
	bool key_long;
	char val[VG_OS_RELEASE_MAX_VALUE + 1];
	size_t nval;
	size_t val_ws; /* start of the trailing blanks of an unquoted value */
	bool val_long;
	int line;  /* current line, 1-based */
	int start; /* line where the current assignment started */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_newline(char c)
{
	return c == '\n' || c == '\r';
}

static void
key_add(struct env_parser *ep, char c)
{
	if (ep->nkey < VG_OS_RELEASE_MAX_KEY)
		ep->key[ep->nkey++] = c;
	else
		ep->key_long = true;
}

static void
val_add(struct env_parser *ep, char c)
{
	if (ep->nval < VG_OS_RELEASE_MAX_VALUE)
		ep->val[ep->nval++] = c;
	else
		ep->val_long = true;
}

static bool
valid_key(const char *k, size_t n)
{
	if (n == 0 || isdigit((unsigned char)k[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '_')
			return false;
	return true;
}

static bool
has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return true;
	return false;
}

/* Length of the UTF-8 sequence at @s (at most @n bytes), 0 when it is not valid UTF-8. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned min;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, min = 0x80, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, min = 0x800, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, min = 0x10000, cp = s[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8. */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static bool
valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0, l; i < n; i += l)
		if ((l = utf8_seq((const unsigned char *)s + i, n - i)) == 0)
			return false;
	return true;
}

/* Store one finished assignment; unknown keys are ignored, as os-release(5) asks. */
static void
env_assign(struct env_parser *ep)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{"ID", offsetof(struct vg_os, id)},
		{"VERSION_ID", offsetof(struct vg_os, version_id)},
		{"VERSION_CODENAME", offsetof(struct vg_os, codename)},
		{"ID_LIKE", offsetof(struct vg_os, id_like)},
		{"NAME", offsetof(struct vg_os, name)},
		{"PRETTY_NAME", offsetof(struct vg_os, pretty_name)},
	};
	struct vg_inventory *inv = ep->inv;
	size_t nkey = ep->key_ws != SIZE_MAX ? ep->key_ws : ep->nkey;

	if (ep->key_long || !valid_key(ep->key, nkey)) {
		vg_inv_warn(inv, COLLECTOR, ep->path, ep->start, "invalid key '%.*s'", (int)nkey,
			    ep->key);
		return;
	}
	if (ep->val_long) {
		vg_inv_warn(inv, COLLECTOR, ep->path, ep->start,
			    "value of '%.*s' longer than %d bytes", (int)nkey, ep->key,
			    VG_OS_RELEASE_MAX_VALUE);
		return;
	}
	/* systemd ignores an assignment whose value is not UTF-8; so do we, with a warning. */
	if (!valid_utf8(ep->val, ep->nval)) {
		vg_inv_warn(inv, COLLECTOR, ep->path, ep->start,
			    "invalid UTF-8 in the value of '%.*s'", (int)nkey, ep->key);
		return;
	}
	if (has_control(ep->val, ep->nval)) {
		vg_inv_warn(inv, COLLECTOR, ep->path, ep->start,
			    "control character in the value of '%.*s'", (int)nkey, ep->key);
		return;
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(fields); i++) {
		if (strlen(fields[i].key) == nkey && memcmp(fields[i].key, ep->key, nkey) == 0) {
			const char **slot = (const char **)((char *)&inv->os + fields[i].off);

			/*
			 * As in the shell, a later assignment replaces an earlier
			 * one; an empty value (VERSION_CODENAME="") is no value.
			 */
			*slot = ep->nval ? vg_inv_str(inv, vg_str_n(ep->val, ep->nval)) : NULL;
			return;
		}
	}
}

static void
env_begin_key(struct env_parser *ep, char c)
{
	ep->nkey = 0;
	ep->key_long = false;
	ep->key_ws = SIZE_MAX;
	ep->start = ep->line;
	key_add(ep, c);
}

static void
env_begin_value(struct env_parser *ep)
{
	ep->nval = 0;
	ep->val_long = false;
	ep->val_ws = SIZE_MAX;
}

/* Append a key byte, remembering where trailing blanks start (env-file's last_key_whitespace). */
static void
env_key_byte(struct env_parser *ep, char c)
{
	if (!is_blank(c))
		ep->key_ws = SIZE_MAX;
	else if (ep->key_ws == SIZE_MAX)
		ep->key_ws = ep->nkey;
	key_add(ep, c);
}

static void
env_value_byte(struct env_parser *ep, char c)
{
	if (!is_blank(c))
		ep->val_ws = SIZE_MAX;
	else if (ep->val_ws == SIZE_MAX)
		ep->val_ws = ep->nval;
	val_add(ep, c);
}

/* One byte of input; returns the next state. */
static enum env_state
env_step(struct env_parser *ep, enum env_state st, char c)
{
	switch (st) {
	case ST_PRE_KEY:
		if (c == '#' || c == ';')
			return ST_COMMENT;
		if (is_blank(c))
			return ST_PRE_KEY;
		env_begin_key(ep, c);
		return ST_KEY;
	case ST_KEY:
		if (is_newline(c)) {
			vg_inv_warn(ep->inv, COLLECTOR, ep->path, ep->start, "line without '='");
			return ST_PRE_KEY;
		}
		if (c == '=') {
			env_begin_value(ep);
			return ST_PRE_VALUE;
		}
		env_key_byte(ep, c);
		return ST_KEY;
	case ST_PRE_VALUE:
		if (is_newline(c)) {
			env_assign(ep);
			return ST_PRE_KEY;
		}
		if (c == '\'')
			return ST_SQUOTE;
		if (c == '"')
			return ST_DQUOTE;
		if (c == '\\')
			return ST_VALUE_ESC;
		if (is_blank(c))
			return ST_PRE_VALUE;
		val_add(ep, c);
		return ST_VALUE;
	case ST_VALUE:
		if (is_newline(c)) {
			if (ep->val_ws != SIZE_MAX)
				ep->nval = ep->val_ws;
			env_assign(ep);
			return ST_PRE_KEY;
		}
		if (c == '\\') {
			ep->val_ws = SIZE_MAX;
			return ST_VALUE_ESC;
		}
		env_value_byte(ep, c);
		return ST_VALUE;
	case ST_VALUE_ESC:
		/* An escaped newline is a continuation and is dropped entirely. */
		if (!is_newline(c)) {
			val_add(ep, c);
			ep->val_ws = SIZE_MAX;
		}
		return ST_VALUE;
	case ST_SQUOTE:
		if (c == '\'')
			return ST_PRE_VALUE;
		val_add(ep, c);
		return ST_SQUOTE;
	case ST_DQUOTE:
		if (c == '"')
			return ST_PRE_VALUE;
		if (c == '\\')
			return ST_DQUOTE_ESC;
		val_add(ep, c);
		return ST_DQUOTE;
	case ST_DQUOTE_ESC:
		/* Inside double quotes only the shell's special characters are escapes. */
		if (c == '"' || c == '\\' || c == '`' || c == '$') {
			val_add(ep, c);
		} else if (c != '\n') {
			val_add(ep, '\\');
			val_add(ep, c);
		}
		return ST_DQUOTE;
	case ST_COMMENT:
		return is_newline(c) ? ST_PRE_KEY : ST_COMMENT;
	}
	return ST_PRE_KEY;
}

static void
env_finish(struct env_parser *ep, enum env_state st)
{
	switch (st) {
	case ST_KEY:
		vg_inv_warn(ep->inv, COLLECTOR, ep->path, ep->start, "line without '='");
		break;
	case ST_VALUE:
		if (ep->val_ws != SIZE_MAX)
			ep->nval = ep->val_ws;
		env_assign(ep);
		break;
	case ST_SQUOTE:
	case ST_DQUOTE:
	case ST_DQUOTE_ESC:
		/* systemd keeps the value up to the end of the file; so do we, but say so. */
		vg_inv_warn(ep->inv, COLLECTOR, ep->path, ep->start, "unterminated quote");
		env_assign(ep);
		break;
	case ST_PRE_VALUE:
	case ST_VALUE_ESC:
		env_assign(ep);
		break;
	case ST_PRE_KEY:
	case ST_COMMENT:
		break;
	}
}

int
vg_os_release_parse(struct vg_inventory *inv, struct vg_str text, const char *path)
{
	struct env_parser *ep = vg_xcalloc(1, sizeof(*ep));
	enum env_state st = ST_PRE_KEY;
	char ns[VG_OS_NAMESPACE_MAX];
	ptrdiff_t nul = vg_str_chr(text, '\0');
	int rc;

	ep->inv = inv;
	ep->path = path;
	ep->line = 1;
	if (nul >= 0) {
		/* systemd reads a C string; everything after a NUL is ignored there too. */
		text.len = (size_t)nul;
		vg_inv_warn(inv, COLLECTOR, path, 0, "NUL byte; the rest of the file is ignored");
	}
	for (size_t i = 0; i < text.len; i++) {
		st = env_step(ep, st, text.p[i]);
		if (text.p[i] == '\n')
			ep->line++;
	}
	env_finish(ep, st);
	free(ep);

	if (!inv->os.id) {
		vg_inv_warn(inv, COLLECTOR, path, 0, "no 'ID'");
		return VG_EINVAL;
	}
	rc = vg_os_namespace(&inv->os, ns, sizeof(ns));
	if (rc == VG_OK)
		inv->os.namespace_ = vg_inv_strc(inv, ns);
	else
		vg_inv_warn(inv, COLLECTOR, path, 0, "no namespace for ID '%s': %s", inv->os.id,
			    vg_strerror(rc));
	return VG_OK;
}

/* ---- namespaces ---- */

enum ns_rule {
	NS_MAJOR,
	NS_MAJOR_MINOR,
	NS_FULL,
};

static bool
charset_ok(const char *s, const char *extra, bool upper)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!(isdigit(c) || islower(c) || (upper && isupper(c)) || strchr(extra, c)))
			return false;
	}
	return true;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Length of the first @parts dot-separated components of @v. */
static size_t
prefix_parts(const char *v, int parts)
{
	size_t i = 0;

	for (; v[i]; i++)
		if (v[i] == '.' && --parts == 0)
			break;
	return i;
}

static enum ns_rule
ns_rule_for(const char *id)
{
	static const struct {
		const char *id;
		enum ns_rule rule;
	} rules[] = {
		{"debian", NS_MAJOR},    {"ubuntu", NS_FULL},  {"alpine", NS_MAJOR_MINOR},
		{"rhel", NS_MAJOR},      {"centos", NS_MAJOR}, {"rocky", NS_MAJOR},
		{"almalinux", NS_MAJOR}, {"ol", NS_MAJOR},     {"fedora", NS_MAJOR},
		{"amzn", NS_FULL},
	};

	for (size_t i = 0; i < VG_ARRAY_LEN(rules); i++)
		if (strcmp(id, rules[i].id) == 0)
			return rules[i].rule;
	return NS_FULL;
}

static int
ns_print(char *out, size_t cap, const char *id, const char *ver, size_t vlen)
{
	int n;

	if (ver)
		n = snprintf(out, cap, "%s:%.*s", id, (int)vlen, ver);
	else
		n = snprintf(out, cap, "%s", id);
	return n >= 0 && (size_t)n < cap ? VG_OK : VG_ETOOBIG;
}

int
vg_os_namespace(const struct vg_os *os, char *out, size_t cap)
{
	const char *id = os->id, *ver = os->version_id;
	size_t vlen;

	if (!id || !*id)
		return VG_ENOTFOUND;
	if (!charset_ok(id, "._-", false) || (ver && !charset_ok(ver, "._-~+", true)))
		return VG_EINVAL;
	if (strcmp(id, "alpine") == 0 &&
	    ((ver && strchr(ver, '_')) || (os->pretty_name && ends_with(os->pretty_name, "edge"))))
		return ns_print(out, cap, id, "edge", 4);
	/* Wolfi is a rolling distribution: its VERSION_ID is a build date, and its
	 * security data (secdb) covers the one rolling release. */
	if (strcmp(id, "wolfi") == 0)
		return ns_print(out, cap, id, "rolling", 7);
	if (!ver) {
		if (strcmp(id, "debian") == 0)
			return ns_print(out, cap, id, "unstable", 8);
		return ns_print(out, cap, id, NULL, 0);
	}
	switch (ns_rule_for(id)) {
	case NS_MAJOR:
		vlen = prefix_parts(ver, 1);
		break;
	case NS_MAJOR_MINOR:
		vlen = prefix_parts(ver, 2);
		break;
	case NS_FULL:
	default:
		vlen = strlen(ver);
		break;
	}
	if (vlen == 0)
		return VG_EINVAL;
	return ns_print(out, cap, id, ver, vlen);
}

/* ---- architecture ---- */

/* Is @word one of the space-separated words of @list? */
static bool
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list && *list) {
		size_t len;

		while (*list == ' ')
			list++;
		len = strcspn(list, " ");
		if (len == n && memcmp(list, word, n) == 0)
			return true;
		list += len;
	}
	return false;
}

static bool
os_is(const struct vg_os *os, const char *family)
{
	return (os->id && strcmp(os->id, family) == 0) || has_word(os->id_like, family);
}

static bool
os_is_deb(const struct vg_os *os)
{
	return os_is(os, "debian") || os_is(os, "ubuntu");
}

const char *
vg_os_arch_name(const struct vg_os *os, const char *machine)
{
	static const char *const deb[][2] = {
		{"x86_64", "amd64"},        {"aarch64", "arm64"},  {"arm64", "arm64"},
		{"i386", "i386"},           {"i486", "i386"},      {"i586", "i386"},
		{"i686", "i386"},           {"armv7l", "armhf"},   {"armv8l", "armhf"},
		{"armv6l", "armel"},        {"armv5tel", "armel"}, {"ppc64le", "ppc64el"},
		{"ppc64", "ppc64"},         {"s390x", "s390x"},    {"riscv64", "riscv64"},
		{"loongarch64", "loong64"},
	};
	static const char *const apk[][2] = {
		{"i386", "x86"},     {"i486", "x86"},     {"i586", "x86"},     {"i686", "x86"},
		{"armv7l", "armv7"}, {"armv8l", "armv7"}, {"armv6l", "armhf"},
	};
	const char *const(*map)[2] = NULL;
	size_t n = 0;

	if (os_is_deb(os)) {
		map = deb;
		n = VG_ARRAY_LEN(deb);
	} else if (os_is(os, "alpine")) {
		map = apk;
		n = VG_ARRAY_LEN(apk);
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(machine, map[i][0]) == 0)
			return map[i][1];
	return machine;
}

/* ---- small files under the root ---- */

static bool
is_host_root(const struct vg_inventory *inv)
{
	return inv->root[strspn(inv->root, "/")] == '\0';
}

/* Read @rel under the root: VG_ENOTFOUND when absent (silently), a warning for other failures. */
static int
read_rel(struct vg_inventory *inv, const char *rel, size_t max, char **data, size_t *len)
{
	char path[PATH_MAX];
	int rc;

	if (!vg_inv_path(inv, rel, path, sizeof(path))) {
		vg_inv_warn(inv, COLLECTOR, rel, 0, "path too long");
		return VG_ETOOBIG;
	}
	rc = vg_inv_read_file(path, max, data, len);
	if (rc != VG_OK && rc != VG_ENOTFOUND)
		vg_inv_warn(inv, COLLECTOR, rel, 0, "cannot read: %s", vg_strerror(rc));
	return rc;
}

/* The first line of @text that is neither empty nor a '#' comment, trimmed. */
static struct vg_str
first_line(struct vg_str text)
{
	while (text.len) {
		ptrdiff_t nl = vg_str_chr(text, '\n');
		size_t n = nl < 0 ? text.len : (size_t)nl;
		struct vg_str line = vg_str_trim(vg_str_n(text.p, n));

		if (line.len && line.p[0] != '#')
			return line;
		text = vg_str_sub(text, n + 1, SIZE_MAX);
	}
	return vg_str_n(text.p, 0);
}

/* A hostname is printable ASCII without blanks, at most 253 bytes (a DNS name). */
static bool
valid_hostname(struct vg_str s)
{
	if (s.len == 0 || s.len > 253)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

static void
collect_hostname(struct vg_inventory *inv)
{
	char *data;
	size_t len;
	struct vg_str h;

	if (is_host_root(inv)) {
		char name[256];

		if (gethostname(name, sizeof(name)) == 0) {
			name[sizeof(name) - 1] = '\0';
			if (valid_hostname(vg_str_c(name)))
				inv->os.hostname = vg_inv_strc(inv, name);
			return;
		}
	}
	if (read_rel(inv, "etc/hostname", SMALL_FILE_MAX, &data, &len) != VG_OK)
		return;
	h = first_line(vg_str_n(data, len));
	if (valid_hostname(h))
		inv->os.hostname = vg_inv_str(inv, h);
	else if (h.len)
		vg_inv_warn(inv, COLLECTOR, "etc/hostname", 0, "invalid hostname");
	free(data);
}

static bool
valid_machine_id(struct vg_str s)
{
	if (s.len != 32)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!isxdigit((unsigned char)s.p[i]) || isupper((unsigned char)s.p[i]))
			return false;
	return true;
}

static void
collect_machine_id(struct vg_inventory *inv)
{
	static const char *const files[] = {"etc/machine-id", "var/lib/dbus/machine-id"};

	for (size_t i = 0; i < VG_ARRAY_LEN(files) && !inv->os.machine_id; i++) {
		char *data;
		size_t len;
		struct vg_str id;

		if (read_rel(inv, files[i], SMALL_FILE_MAX, &data, &len) != VG_OK)
			continue;
		id = vg_str_trim(vg_str_n(data, len));
		/* Images ship an empty file and first boot may say "uninitialized": not an id yet.
		 */
		if (valid_machine_id(id))
			inv->os.machine_id = vg_inv_str(inv, id);
		else if (id.len && !vg_str_eqc(id, "uninitialized"))
			vg_inv_warn(inv, COLLECTOR, files[i], 0, "invalid machine id");
		free(data);
	}
}

static void
collect_arch(struct vg_inventory *inv)
{
	struct utsname u;

	if (os_is(&inv->os, "alpine")) {
		char *data;
		size_t len;

		if (read_rel(inv, "etc/apk/arch", SMALL_FILE_MAX, &data, &len) == VG_OK) {
			struct vg_str a = first_line(vg_str_n(data, len));

			if (a.len && !has_control(a.p, a.len))
				inv->os.architecture = vg_inv_str(inv, a);
			free(data);
			if (inv->os.architecture)
				return;
		}
	}
	/*
	 * For another root the kernel of this host says nothing about the
	 * image: vg_collect_kernel() takes the packages' architecture instead.
	 */
	if (is_host_root(inv) && uname(&u) == 0)
		inv->os.architecture = vg_inv_strc(inv, vg_os_arch_name(&inv->os, u.machine));
}

int
vg_collect_os(struct vg_inventory *inv)
{
	static const char *const files[] = {"etc/os-release", "usr/lib/os-release"};
	bool found = false;

	for (size_t i = 0; i < VG_ARRAY_LEN(files) && !found; i++) {
		char *data;
		size_t len;
		int rc = read_rel(inv, files[i], VG_OS_RELEASE_MAX_SIZE, &data, &len);

		if (rc == VG_ENOTFOUND)
			continue;
		found = true; /* unreadable is already a warning: do not fall back silently */
		if (rc == VG_OK) {
			(void)vg_os_release_parse(inv, vg_str_n(data, len), files[i]);
			free(data);
		}
	}
	if (!found)
		vg_inv_warn(inv, COLLECTOR, files[0], 0, "no os-release: the OS is unknown");
	collect_hostname(inv);
	collect_machine_id(inv);
	collect_arch(inv);
	return VG_OK;
}

/* ---- kernels ---- */

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *
deb_kernel(const struct vg_package *p)
{
	const char *r;

	if (!starts_with(p->name, "linux-image-"))
		return NULL;
	r = p->name + strlen("linux-image-");
	if (starts_with(r, "unsigned-"))
		r += strlen("unsigned-");
	if (!isdigit((unsigned char)*r) || ends_with(r, "-dbg") || ends_with(r, "-dbgsym"))
		return NULL;
	return r;
}

static bool
rpm_kernel_name(const char *name)
{
	static const char *const names[] = {
		"kernel",    "kernel-core",    "kernel-uek", "kernel-uek-core",
		"kernel-rt", "kernel-rt-core", "kernel-lt",  "kernel-ml",
	};

	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	/* Amazon Linux names versioned kernel streams "kernel5.10", "kernel6.1". */
	if (starts_with(name, "kernel") && isdigit((unsigned char)name[6]))
		return name[6 + strspn(name + 6, "0123456789.")] == '\0';
	return false;
}

/* VERSION-RELEASE.ARCH, from the rpm fields or from "[epoch:]version-release". */
static const char *
rpm_kernel(const struct vg_package *p, char *out, size_t cap)
{
	const char *v = p->rpm_version, *r = p->release;
	char evr[KERNEL_RELEASE_MAX];
	int n;

	if (!rpm_kernel_name(p->name))
		return NULL;
	if (!v || !r) {
		const char *colon, *dash;

		if (!p->version || snprintf(evr, sizeof(evr), "%s", p->version) >= (int)sizeof(evr))
			return NULL;
		colon = strchr(evr, ':');
		v = colon ? colon + 1 : evr;
		dash = strrchr(v, '-');
		if (!dash)
			return NULL;
		evr[dash - evr] = '\0';
		r = dash + 1;
	}
	if (p->architecture && strcmp(p->architecture, "noarch") != 0)
		n = snprintf(out, cap, "%s-%s.%s", v, r, p->architecture);
	else
		n = snprintf(out, cap, "%s-%s", v, r);
	return n > 0 && (size_t)n < cap ? out : NULL;
}

static const char *
apk_kernel(const struct vg_package *p, char *out, size_t cap)
{
	static const char *const flavors[] = {
		"lts",    "virt",    "edge",     "rpi",          "rpi2", "rpi4",
		"stable", "vanilla", "hardened", "virthardened", "rpi5",
	};
	const char *flavor, *v = p->version, *rel;
	bool known = false;
	int n;

	if (!starts_with(p->name, "linux-") || !v)
		return NULL;
	flavor = p->name + strlen("linux-");
	for (size_t i = 0; i < VG_ARRAY_LEN(flavors); i++)
		known = known || strcmp(flavor, flavors[i]) == 0;
	rel = strstr(v, "-r");
	while (rel && strstr(rel + 1, "-r"))
		rel = strstr(rel + 1, "-r");
	if (!known || !rel || rel == v || !isdigit((unsigned char)rel[2]) ||
	    rel[2 + strspn(rel + 2, "0123456789")] != '\0')
		return NULL;
	/* Alpine's APKBUILD sets localversion to "-$pkgrel-$flavor". */
	n = snprintf(out, cap, "%.*s-%s-%s", (int)(rel - v), v, rel + 2, flavor);
	return n > 0 && (size_t)n < cap ? out : NULL;
}

const char *
vg_kernel_release_of(const struct vg_package *p, char *out, size_t cap)
{
	const char *r;
	int n;

	if (!p->name)
		return NULL;
	switch (p->type) {
	case VG_PKG_DEB:
		r = deb_kernel(p);
		if (!r)
			return NULL;
		n = snprintf(out, cap, "%s", r);
		return n > 0 && (size_t)n < cap ? out : NULL;
	case VG_PKG_RPM:
		return rpm_kernel(p, out, cap);
	case VG_PKG_APK:
		return apk_kernel(p, out, cap);
	case VG_PKG_PYTHON:
	case VG_PKG_NPM:
		break;
	}
	return NULL;
}

struct kernel {
	const char *release;          /* in the arena */
	const struct vg_package *pkg; /* NULL for a lib/modules directory */
};

/* Compare two release strings: dpkg order on Debian-like systems, rpmvercmp otherwise. */
static int
release_cmp(const struct vg_os *os, const char *a, const char *b)
{
	int cmp;

	if (os_is_deb(os) && vg_dpkg_compare(vg_str_c(a), vg_str_c(b), &cmp, NULL) == VG_OK)
		return cmp;
	cmp = vg_rpmvercmp(vg_str_c(a), vg_str_c(b));
	return cmp ? cmp : strcmp(a, b);
}

static int
kernel_cmp(const struct vg_os *os, const struct kernel *a, const struct kernel *b)
{
	static const enum vg_ver_scheme schemes[] = {
		[VG_PKG_DEB] = VG_VER_DPKG,
		[VG_PKG_RPM] = VG_VER_RPM,
		[VG_PKG_APK] = VG_VER_APK,
	};
	int cmp;

	if (a->pkg && b->pkg && a->pkg->type == b->pkg->type &&
	    (size_t)a->pkg->type < VG_ARRAY_LEN(schemes) && a->pkg->version && b->pkg->version &&
	    vg_ver_compare(schemes[a->pkg->type], vg_str_c(a->pkg->version),
			   vg_str_c(b->pkg->version), &cmp, NULL) == VG_OK &&
	    cmp != 0)
		return cmp;
	return release_cmp(os, a->release, b->release);
}

/* Insert keeping the list sorted oldest first; duplicates (kernel and kernel-core) once. */
static void
kernel_insert(struct kernel *ks, size_t *n, const struct vg_os *os, struct kernel k)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(ks[i].release, k.release) == 0)
			return;
	if (*n == MAX_KERNELS)
		return;
	i = *n;
	while (i > 0 && kernel_cmp(os, &ks[i - 1], &k) > 0) {
		ks[i] = ks[i - 1];
		i--;
	}
	ks[i] = k;
	(*n)++;
}

static bool
is_dir_at(int dfd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type == DT_DIR)
		return true;
	if (de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
		return false;
	return fstatat(dfd, de->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

/* Without kernel packages: the release directories under lib/modules. */
static void
modules_kernels(struct vg_inventory *inv, struct kernel *ks, size_t *n)
{
	static const char *const dirs[] = {"lib/modules", "usr/lib/modules"};

	for (size_t i = 0; i < VG_ARRAY_LEN(dirs) && *n == 0; i++) {
		char path[PATH_MAX];
		struct dirent *de;
		DIR *d;

		if (!vg_inv_path(inv, dirs[i], path, sizeof(path)))
			continue;
		d = opendir(path);
		if (!d) {
			if (errno != ENOENT && errno != ENOTDIR)
				vg_inv_warn(inv, COLLECTOR, dirs[i], 0, "cannot read: %s",
					    strerror(errno));
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			struct kernel k = {NULL, NULL};

			if (!isdigit((unsigned char)de->d_name[0]) ||
			    strlen(de->d_name) >= KERNEL_RELEASE_MAX ||
			    has_control(de->d_name, strlen(de->d_name)) || !is_dir_at(dirfd(d), de))
				continue;
			k.release = vg_inv_strc(inv, de->d_name);
			kernel_insert(ks, n, &inv->os, k);
		}
		closedir(d);
	}
}

/* The architecture most binary packages are built for ("all" and "noarch" do not count). */
static const char *
majority_arch(const struct vg_inventory *inv)
{
	const char *names[16];
	size_t counts[16], n = 0, best = 0;

	for (size_t i = 0; i < inv->npackages; i++) {
		const char *a = inv->packages[i].architecture;
		size_t j;

		if (!a || !strcmp(a, "all") || !strcmp(a, "noarch") || !strcmp(a, "any"))
			continue;
		for (j = 0; j < n && strcmp(names[j], a) != 0; j++)
			;
		if (j == n) {
			if (n == VG_ARRAY_LEN(names))
				continue;
			names[n] = a;
			counts[n++] = 0;
		}
		counts[j]++;
	}
	for (size_t j = 1; j < n; j++)
		if (counts[j] > counts[best])
			best = j;
	return n ? names[best] : NULL;
}

int
vg_collect_kernel(struct vg_inventory *inv)
{
	struct vg_kernel *k = &inv->kernel;
	struct kernel ks[MAX_KERNELS];
	char buf[KERNEL_RELEASE_MAX];
	struct utsname u;
	size_t n = 0;

	for (size_t i = 0; i < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i];
		const char *rel = vg_kernel_release_of(p, buf, sizeof(buf));

		if (rel)
			kernel_insert(ks, &n, &inv->os, (struct kernel){vg_inv_strc(inv, rel), p});
	}
	if (n == 0)
		modules_kernels(inv, ks, &n);

	free(k->installed);
	memset(k, 0, sizeof(*k));
	if (n) {
		k->installed = vg_xreallocarray(NULL, n, sizeof(*k->installed));
		for (size_t i = 0; i < n; i++)
			k->installed[i] = ks[i].release;
		k->ninstalled = n;
		k->newest = ks[n - 1].release;
	}
	if (is_host_root(inv) && uname(&u) == 0)
		k->running = vg_inv_strc(inv, u.release);
	k->reboot_required = k->running && k->newest && strcmp(k->running, k->newest) != 0;

	if (!inv->os.architecture)
		inv->os.architecture = majority_arch(inv);
	return VG_OK;
}
