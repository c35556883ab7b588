/*
 * cpe.c - CPE 2.3 names: parsing, binding and matching.
 *
 * Parsing follows NISTIR 7695 (CPE Naming 2.3): unbind_fs (§6.2.3) for
 * "cpe:2.3:..." formatted strings and unbind_uri (§6.1.3, with the packed
 * edition of §6.1.3.3) for "cpe:/..." URIs, both producing a well-formed
 * name whose values obey the restrictions of §5.3.2.  Binding back follows
 * bind_to_fs (§6.2.2) and bind_to_uri (§6.1.2).  Matching follows NISTIR
 * 7696 (CPE Name Matching 2.3): compare() per attribute with Table 6-2 and
 * compare_strings() for source values holding wildcards (§6.1), and the
 * name relation of §6.2.
 *
 * Deliberate choices where the reference implementation differs from, or
 * is looser than, the specification:
 *  - A target value holding an unquoted '*' or '?' always compares as
 *    UNDEFINED (the "m + wild cards" target entries of Table 6-2), even
 *    against an identical source value.
 *  - The part must be "a", "o" or "h", in lower case, in both bindings
 *    (ANY, NA and "A" are refused, as in the reference implementation),
 *    although CPE 2.2 URIs allowed an empty part.
 *  - Components are split by walking escapes ("\\:" is a quoted backslash
 *    followed by a separator), not by looking one byte back.
 *  - A quoted alphanumeric or '_' ("\a") is stored unquoted, because the
 *    WFN grammar never quotes them and "\a" and "a" name the same string.
 *  - Lengths in the wildcard match count WFN characters, so a quoted pair
 *    such as "\." is one character.
 *  - A name is refused when either of its bindings would exceed
 *    VG_CPE_MAX_LEN, so that whatever parses can be bound and parsed again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/cpe.h"

/* Prefixes of the two bindings (compared case-insensitively). */
#define FS_PREFIX  "cpe:2.3:"
#define URI_PREFIX "cpe:/"

/* Components of a URI: part through language (NISTIR 7695 §6.1.2). */
#define URI_NCOMPS 7

/* Longest value quoted into WFN form: every input byte may gain a backslash. */
#define WFN_MAX (2 * VG_CPE_MAX_LEN)

/* How much of an offending input to quote in an error message. */
#define SHOW_MAX 64

static const char *const attr_names[VG_CPE_NATTRS] = {
	"part",     "vendor",     "product",   "version",   "update", "edition",
	"language", "sw_edition", "target_sw", "target_hw", "other",
};

/* The attributes the URI binding packs into its edition component (§6.1.2.4). */
static const enum vg_cpe_attr packed[] = {VG_CPE_EDITION, VG_CPE_SW_EDITION, VG_CPE_TARGET_SW,
					  VG_CPE_TARGET_HW, VG_CPE_OTHER};

/* One character of a WFN string: a quoted pair "\x" or a single byte. */
struct unit {
	char c;
	bool quoted;
};

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Printable ASCII other than space: the only bytes a CPE name may hold. */
static bool
is_graph(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

static char
to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int
show_len(size_t len)
{
	return (int)(len > SHOW_MAX ? SHOW_MAX : len);
}

static bool
prefix_nocase(struct vg_str s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.len >= n && vg_str_eq_nocase(vg_str_n(s.p, n), vg_str_n(prefix, n));
}

/*
 * Read the character of @s starting at byte @i into @u and return the index
 * of the next one.  A trailing lone backslash (possible only in a value
 * built by hand) reads as a literal backslash so that nothing runs past @len.
 */
static size_t
next_unit(const char *s, size_t len, size_t i, struct unit *u)
{
	if (s[i] == '\\' && i + 1 < len) {
		u->c = s[i + 1];
		u->quoted = true;
		return i + 2;
	}
	u->c = s[i];
	u->quoted = false;
	return i + 1;
}

static bool
is_wild(struct unit u)
{
	return !u.quoted && (u.c == '*' || u.c == '?');
}

static void
set_any(struct vg_cpe_value *v)
{
	v->kind = VG_CPE_ANY;
	v->str = NULL;
}

void
vg_cpe_init(struct vg_cpe *cpe)
{
	for (int a = 0; a < VG_CPE_NATTRS; a++)
		set_any(&cpe->attr[a]);
}

void
vg_cpe_release(struct vg_cpe *cpe)
{
	for (int a = 0; a < VG_CPE_NATTRS; a++) {
		free(cpe->attr[a].str);
		set_any(&cpe->attr[a]);
	}
}

/* ---- WFN value checks (NISTIR 7695 §5.3.2) ---- */

/*
 * Check where the unquoted special characters sit in the WFN value @s: an
 * asterisk only as the first or last character and never two in a row, a
 * question mark only within a leading or trailing run of question marks,
 * and no value that is a lone quoted hyphen (that would read as NA).
 */
static int
check_value(const char *s, size_t len, enum vg_cpe_attr a, int col, struct vg_err *err)
{
	size_t n = 0, lead_q = 0, trail_q = 0, j = 0;
	bool in_lead = true, prev_star = false;
	struct unit u;

	for (size_t i = 0; i < len; n++) {
		i = next_unit(s, len, i, &u);
		bool q = !u.quoted && u.c == '?';
		if (in_lead && q)
			lead_q++;
		else
			in_lead = false;
		trail_q = q ? trail_q + 1 : 0;
	}
	if (n == 1 && len == 2 && s[1] == '-')
		return vg_error_at(err, VG_EINVAL, col, "%s value cannot be a lone quoted '-'",
				   attr_names[a]);
	/* A lone '*' (a URI's "%02") would be a second spelling of ANY. */
	if (len == 1 && s[0] == '*')
		return vg_error_at(err, VG_EINVAL, col, "%s value cannot be a lone '*'",
				   attr_names[a]);
	for (size_t i = 0; i < len; j++) {
		i = next_unit(s, len, i, &u);
		if (!u.quoted && u.c == '*') {
			if ((j != 0 && j != n - 1) || prev_star)
				return vg_error_at(err, VG_EINVAL, col,
						   "unquoted '*' inside %s value '%.*s'",
						   attr_names[a], show_len(len), s);
			prev_star = true;
			continue;
		}
		prev_star = false;
		if (!u.quoted && u.c == '?' && j >= lead_q && j + trail_q < n)
			return vg_error_at(err, VG_EINVAL, col,
					   "unquoted '?' inside %s value '%.*s'", attr_names[a],
					   show_len(len), s);
	}
	return VG_OK;
}

/* Validate the WFN value @s and store a copy of it as attribute @a of @cpe. */
static int
store_value(struct vg_cpe *cpe, enum vg_cpe_attr a, const char *s, size_t len, int col,
	    struct vg_err *err)
{
	int rc = check_value(s, len, a, col, err);

	if (rc)
		return rc;
	cpe->attr[a].kind = VG_CPE_VALUE;
	cpe->attr[a].str = vg_xmemdupz(s, len);
	return VG_OK;
}

/*
 * The part must be one of the three product classes; ANY and NA are
 * refused.  A formatted string must spell it in lower case ("A" is refused,
 * as the reference implementation does, although other values compare
 * case-insensitively); CPE 2.2 URIs are case-insensitive throughout.
 */
static int
check_part(const struct vg_cpe *cpe, struct vg_str shown, bool any_case, int col,
	   struct vg_err *err)
{
	const struct vg_cpe_value *v = &cpe->attr[VG_CPE_PART];
	char c = shown.len == 1 ? (any_case ? to_lower(shown.p[0]) : shown.p[0]) : '\0';

	if (v->kind == VG_CPE_VALUE && v->str[1] == '\0' && (c == 'a' || c == 'o' || c == 'h'))
		return VG_OK;
	return vg_error_at(err, VG_EINVAL, col, "part must be 'a', 'o' or 'h', not '%.*s'",
			   show_len(shown.len), shown.p);
}

/* ---- Formatted strings (NISTIR 7695 §6.2.3) ---- */

/*
 * unbind_value_fs() and add_quoting(): "*" is ANY, "-" is NA, and anything
 * else is copied with every punctuation character quoted, except unquoted
 * '*' and '?', which stay special.  Letters are lower-cased because CPE
 * matching is case-insensitive.
 */
static int
unbind_fs_value(struct vg_cpe *cpe, enum vg_cpe_attr a, struct vg_str v, int col,
		struct vg_err *err)
{
	char w[WFN_MAX];
	size_t n = 0;

	if (v.len == 0)
		return vg_error_at(err, VG_EINVAL, col, "empty %s component", attr_names[a]);
	if (v.len == 1 && (v.p[0] == '*' || v.p[0] == '-')) {
		cpe->attr[a].kind = v.p[0] == '*' ? VG_CPE_ANY : VG_CPE_NA;
		return VG_OK;
	}
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];
		bool quote;

		if (c == '\\') {
			if (++i == v.len)
				return vg_error_at(
					err, VG_EINVAL, col,
					"dangling '\\' at the end of %s component '%.*s'",
					attr_names[a], show_len(v.len), v.p);
			c = (unsigned char)v.p[i];
			quote = !is_alnum(c) && c != '_';
		} else {
			quote = !is_alnum(c) && c != '_' && c != '*' && c != '?';
		}
		if (!is_graph(c))
			return vg_error_at(err, VG_EINVAL, col,
					   "illegal byte 0x%02x in %s component '%.*s'", c,
					   attr_names[a], show_len(v.len), v.p);
		if (quote)
			w[n++] = '\\';
		w[n++] = to_lower((char)c);
	}
	return store_value(cpe, a, w, n, col, err);
}

static int
parse_fs(struct vg_str name, struct vg_cpe *cpe, struct vg_err *err)
{
	size_t start = strlen(FS_PREFIX), i = start;
	int a = 0, rc;

	for (;;) {
		if (i == name.len || name.p[i] == ':') {
			if (a == VG_CPE_NATTRS)
				return vg_error_at(err, VG_EINVAL, (int)start + 1,
						   "too many components in cpe name '%.*s'",
						   show_len(name.len), name.p);
			rc = unbind_fs_value(cpe, (enum vg_cpe_attr)a,
					     vg_str_n(name.p + start, i - start), (int)start + 1,
					     err);
			if (rc)
				return rc;
			if (a++ == VG_CPE_PART) {
				rc = check_part(cpe, vg_str_n(name.p + start, i - start), false,
						(int)start + 1, err);
				if (rc)
					return rc;
			}
			if (i == name.len)
				break;
			start = ++i;
			continue;
		}
		/* A backslash quotes the next byte, which may be a colon. */
		i += (name.p[i] == '\\' && i + 1 < name.len) ? 2 : 1;
	}
	if (a < VG_CPE_NATTRS)
		return vg_error(err, VG_EINVAL, "too few components in cpe name '%.*s' (%d of 11)",
				show_len(name.len), name.p, a);
	return VG_OK;
}

/* ---- URIs (NISTIR 7695 §6.1.3) ---- */

static int
hex_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)to_lower((char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The characters pct_encode() of §6.1.2.3 encodes: punctuation except '-', '.' and '_'. */
static bool
is_pct_encoded(unsigned char c)
{
	return is_graph(c) && !is_alnum(c) && c != '-' && c != '.' && c != '_';
}

/*
 * decode() of §6.1.3.2: "" is ANY, "-" is NA; '.', '-' and '~' are quoted,
 * %01 and %02 become the special '?' and '*', the other legal percent forms
 * become quoted characters, and anything else is an error.
 */
static int
decode_uri_value(struct vg_cpe *cpe, enum vg_cpe_attr a, struct vg_str v, int col,
		 struct vg_err *err)
{
	char w[WFN_MAX];
	size_t n = 0;

	if (v.len == 0)
		return VG_OK;
	if (v.len == 1 && v.p[0] == '-') {
		cpe->attr[a].kind = VG_CPE_NA;
		return VG_OK;
	}
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];
		int hi, lo;

		if (is_alnum(c) || c == '_') {
			w[n++] = to_lower((char)c);
			continue;
		}
		if (c == '.' || c == '-' || c == '~') {
			w[n++] = '\\';
			w[n++] = (char)c;
			continue;
		}
		if (c != '%')
			return vg_error_at(err, VG_EINVAL, col,
					   "illegal byte 0x%02x in %s component '%.*s'", c,
					   attr_names[a], show_len(v.len), v.p);
		hi = i + 2 < v.len ? hex_val((unsigned char)v.p[i + 1]) : -1;
		lo = i + 2 < v.len ? hex_val((unsigned char)v.p[i + 2]) : -1;
		c = (unsigned char)(hi * 16 + lo);
		if (hi < 0 || lo < 0 || (c != 1 && c != 2 && !is_pct_encoded(c)))
			return vg_error_at(err, VG_EINVAL, col,
					   "invalid percent escape '%.*s' in %s component '%.*s'",
					   (int)(v.len - i < 3 ? v.len - i : 3), v.p + i,
					   attr_names[a], show_len(v.len), v.p);
		if (c == 1 || c == 2) {
			w[n++] = c == 1 ? '?' : '*';
		} else {
			w[n++] = '\\';
			w[n++] = (char)c;
		}
		i += 2;
	}
	return store_value(cpe, a, w, n, col, err);
}

/*
 * unpack() of §6.1.3.3: "~edition~sw_edition~target_sw~target_hw~other".
 * The other attribute takes the rest of the component, in which a further
 * '~' is an ordinary (quoted) character.
 */
static int
unpack_edition(struct vg_cpe *cpe, struct vg_str v, int col, struct vg_err *err)
{
	size_t start = 1;
	int rc;

	for (size_t k = 0; k < VG_ARRAY_LEN(packed); k++) {
		size_t end = start;

		if (k + 1 < VG_ARRAY_LEN(packed)) {
			while (end < v.len && v.p[end] != '~')
				end++;
			if (end == v.len)
				return vg_error_at(err, VG_EINVAL, col,
						   "packed edition '%.*s' needs five fields",
						   show_len(v.len), v.p);
		} else {
			end = v.len;
		}
		rc = decode_uri_value(cpe, packed[k], vg_str_n(v.p + start, end - start), col, err);
		if (rc)
			return rc;
		start = end + 1;
	}
	return VG_OK;
}

static int
parse_uri(struct vg_str name, struct vg_cpe *cpe, struct vg_err *err)
{
	size_t start = strlen(URI_PREFIX), i = start;
	int a = 0, rc;

	for (;;) {
		if (i < name.len && name.p[i] != ':') {
			i++;
			continue;
		}
		if (a == URI_NCOMPS)
			return vg_error_at(err, VG_EINVAL, (int)start + 1,
					   "too many components in cpe uri '%.*s'",
					   show_len(name.len), name.p);
		struct vg_str v = vg_str_n(name.p + start, i - start);
		if (a == VG_CPE_EDITION && v.len > 0 && v.p[0] == '~')
			rc = unpack_edition(cpe, v, (int)start + 1, err);
		else
			rc = decode_uri_value(cpe, (enum vg_cpe_attr)a, v, (int)start + 1, err);
		if (rc)
			return rc;
		if (a++ == VG_CPE_PART) {
			rc = check_part(cpe, v, true, (int)start + 1, err);
			if (rc)
				return rc;
		}
		if (i == name.len)
			return VG_OK;
		start = ++i;
	}
}

static bool bindings_fit(const struct vg_cpe *cpe);

int
vg_cpe_parse(struct vg_str name, struct vg_cpe *out, struct vg_err *err)
{
	struct vg_cpe tmp;
	int rc;

	vg_cpe_release(out);
	if (name.len > VG_CPE_MAX_LEN)
		return vg_error(err, VG_EINVAL, "cpe name '%.*s...' is longer than %d bytes",
				SHOW_MAX, name.p, VG_CPE_MAX_LEN);
	vg_cpe_init(&tmp);
	if (prefix_nocase(name, FS_PREFIX))
		rc = parse_fs(name, &tmp, err);
	else if (prefix_nocase(name, URI_PREFIX))
		rc = parse_uri(name, &tmp, err);
	else
		rc = vg_error(err, VG_EINVAL,
			      "'%.*s' is not a cpe name (expected 'cpe:2.3:' or 'cpe:/')",
			      show_len(name.len), name.p);
	/*
	 * Binding can lengthen a name ("!" becomes "\\!" or "%21"); refusing
	 * names whose bindings would be refused keeps parse(bind(x)) working.
	 */
	if (!rc && !bindings_fit(&tmp))
		rc = vg_error(err, VG_EINVAL, "cpe name '%.*s' is longer than %d bytes once bound",
			      show_len(name.len), name.p, VG_CPE_MAX_LEN);
	if (rc) {
		vg_cpe_release(&tmp);
		return rc;
	}
	*out = tmp;
	return VG_OK;
}

/* ---- Binding (NISTIR 7695 §6.2.2 and §6.1.2) ---- */

/* Undo a partial append so that a failed bind leaves @out as it was. */
static int
bind_fail(struct vg_buf *out, size_t mark, int rc)
{
	out->len = mark;
	if (out->cap)
		out->p[mark] = '\0';
	return rc;
}

/* A VALUE without a string can only come from a hand-built name; treat it as ANY. */
static enum vg_cpe_value_kind
kind_of(const struct vg_cpe_value *v)
{
	if (v->kind == VG_CPE_VALUE && (!v->str || !v->str[0]))
		return VG_CPE_ANY;
	return v->kind;
}

/* process_quoted_chars(): '.', '-' and '_' lose their quoting in a formatted string. */
static bool
fs_quotes(struct unit u)
{
	/* Stray unquoted punctuation of a hand-built value is quoted too. */
	return !is_wild(u) && is_pct_encoded((unsigned char)u.c);
}

/* transform_for_uri() and pct_encode(): specials become %01 / %02, punctuation %xx. */
static bool
uri_encodes(struct unit u)
{
	return is_wild(u) || is_pct_encoded((unsigned char)u.c);
}

static int
bind_fs_value(const struct vg_cpe_value *v, struct vg_buf *out)
{
	const char *s = v->str;
	size_t len;
	int rc = VG_OK;

	if (kind_of(v) != VG_CPE_VALUE)
		return vg_buf_addch(out, kind_of(v) == VG_CPE_ANY ? '*' : '-');
	len = strlen(s);
	for (size_t i = 0; i < len && !rc;) {
		struct unit u;

		i = next_unit(s, len, i, &u);
		if (fs_quotes(u))
			rc = vg_buf_addch(out, '\\');
		if (!rc)
			rc = vg_buf_addch(out, u.c);
	}
	return rc;
}

int
vg_cpe_bind_fs(const struct vg_cpe *cpe, struct vg_buf *out)
{
	size_t mark = out->len;
	int rc = vg_buf_addstr(out, FS_PREFIX);

	for (int a = 0; a < VG_CPE_NATTRS && !rc; a++) {
		if (a > 0)
			rc = vg_buf_addch(out, ':');
		if (!rc)
			rc = bind_fs_value(&cpe->attr[a], out);
	}
	return rc ? bind_fail(out, mark, rc) : VG_OK;
}

static int
bind_uri_value(const struct vg_cpe_value *v, struct vg_buf *out)
{
	const char *s = v->str;
	size_t len;
	int rc = VG_OK;

	if (kind_of(v) != VG_CPE_VALUE)
		return kind_of(v) == VG_CPE_ANY ? VG_OK : vg_buf_addch(out, '-');
	len = strlen(s);
	for (size_t i = 0; i < len && !rc;) {
		struct unit u;

		i = next_unit(s, len, i, &u);
		if (is_wild(u))
			rc = vg_buf_addstr(out, u.c == '?' ? "%01" : "%02");
		else if (uri_encodes(u))
			rc = vg_buf_addf(out, "%%%02x", (unsigned char)u.c);
		else
			rc = vg_buf_addch(out, u.c);
	}
	return rc;
}

/* pack() of §6.1.2.4: the five edition-like attributes share the edition component. */
static int
bind_uri_edition(const struct vg_cpe *cpe, struct vg_buf *out)
{
	bool extended = false;
	int rc = VG_OK;

	for (size_t k = 1; k < VG_ARRAY_LEN(packed); k++)
		extended |= kind_of(&cpe->attr[packed[k]]) != VG_CPE_ANY;
	if (!extended)
		return bind_uri_value(&cpe->attr[VG_CPE_EDITION], out);
	for (size_t k = 0; k < VG_ARRAY_LEN(packed) && !rc; k++) {
		rc = vg_buf_addch(out, '~');
		if (!rc)
			rc = bind_uri_value(&cpe->attr[packed[k]], out);
	}
	return rc;
}

int
vg_cpe_bind_uri(const struct vg_cpe *cpe, struct vg_buf *out)
{
	size_t mark = out->len, body;
	int rc = vg_buf_addstr(out, URI_PREFIX);

	body = out->len;
	for (int a = 0; a < URI_NCOMPS && !rc; a++) {
		if (a > 0)
			rc = vg_buf_addch(out, ':');
		if (rc)
			break;
		if (a == VG_CPE_EDITION)
			rc = bind_uri_edition(cpe, out);
		else
			rc = bind_uri_value(&cpe->attr[a], out);
	}
	if (rc)
		return bind_fail(out, mark, rc);
	/* trim(): empty trailing components are ANY and are dropped with their colons. */
	while (out->len > body && out->p[out->len - 1] == ':')
		out->p[--out->len] = '\0';
	return VG_OK;
}

/* Length of the binding of @v, computed with the same rules as the bind functions. */
static size_t
bound_value_len(const struct vg_cpe_value *v, bool uri)
{
	size_t len, n = 0;

	if (kind_of(v) != VG_CPE_VALUE)
		return (uri && kind_of(v) == VG_CPE_ANY) ? 0 : 1;
	len = strlen(v->str);
	for (size_t i = 0; i < len; n++) {
		struct unit u;

		i = next_unit(v->str, len, i, &u);
		if (uri)
			n += uri_encodes(u) ? 2 : 0;
		else
			n += fs_quotes(u) ? 1 : 0;
	}
	return n;
}

static bool
bindings_fit(const struct vg_cpe *cpe)
{
	size_t fs = strlen(FS_PREFIX) + VG_CPE_NATTRS - 1, uri = strlen(URI_PREFIX),
	       comp[URI_NCOMPS];
	size_t ext = 0;

	for (int a = 0; a < VG_CPE_NATTRS; a++)
		fs += bound_value_len(&cpe->attr[a], false);
	for (int a = 0; a < URI_NCOMPS; a++)
		comp[a] = bound_value_len(&cpe->attr[a], true);
	for (size_t k = 1; k < VG_ARRAY_LEN(packed); k++)
		ext += bound_value_len(&cpe->attr[packed[k]], true);
	if (ext > 0)
		comp[VG_CPE_EDITION] += ext + VG_ARRAY_LEN(packed);
	/* trim() drops the empty trailing components with their colons. */
	for (int a = URI_NCOMPS - 1, last = -1; a >= 0; a--) {
		if (last < 0 && comp[a] > 0)
			last = a;
		if (last >= 0)
			uri += comp[a] + (a > 0);
	}
	return fs <= VG_CPE_MAX_LEN && uri <= VG_CPE_MAX_LEN;
}

/* ---- Matching (NISTIR 7696 §6.1 and §6.2) ---- */

static bool
has_wildcards(const char *s, size_t len)
{
	struct unit u;

	for (size_t i = 0; i < len;) {
		i = next_unit(s, len, i, &u);
		if (is_wild(u))
			return true;
	}
	return false;
}

static size_t
count_units(const char *s, size_t len)
{
	struct unit u;
	size_t n = 0;

	for (size_t i = 0; i < len; n++)
		i = next_unit(s, len, i, &u);
	return n;
}

/*
 * A source value split as compare_strings() sees it: a leading '*' (any
 * prefix) or run of '?' (a prefix of at most that many characters), a
 * literal body, and a trailing '*' or run of '?' likewise.
 */
struct pattern {
	size_t body, body_end; /* byte range of the literal body */
	size_t body_units;
	size_t lead_q, trail_q;
	bool lead_star, trail_star;
};

static void
split_pattern(const char *s, size_t len, struct pattern *p)
{
	size_t i = 0, next, pend_q = 0;
	bool pend_star = false;
	struct unit u;

	memset(p, 0, sizeof(*p));
	for (; i < len; i = next) {
		next = next_unit(s, len, i, &u);
		if (!is_wild(u))
			break;
		if (u.c == '*')
			p->lead_star = true;
		else
			p->lead_q++;
	}
	p->body = p->body_end = i;
	while (i < len) {
		i = next_unit(s, len, i, &u);
		if (is_wild(u)) {
			pend_star |= u.c == '*';
			pend_q += u.c == '?';
			continue;
		}
		p->body_end = i;
		pend_star = false;
		pend_q = 0;
	}
	p->trail_star = pend_star;
	p->trail_q = pend_q;
	p->body_units = count_units(s + p->body, p->body_end - p->body);
}

/* Does the body of @p (in @src) equal the target characters starting at byte @ti? */
static bool
body_matches_at(const char *src, const struct pattern *p, const char *tgt, size_t tlen, size_t ti)
{
	struct unit su, tu;

	for (size_t si = p->body; si < p->body_end;) {
		if (ti >= tlen)
			return false;
		si = next_unit(src, p->body_end, si, &su);
		ti = next_unit(tgt, tlen, ti, &tu);
		if (to_lower(su.c) != to_lower(tu.c))
			return false;
	}
	return true;
}

/*
 * compare_strings() of NISTIR 7696 §6.1.3: the source matches when its body
 * occurs in the target with a prefix and suffix its wildcards allow.  A
 * source without wildcards therefore matches only an equal target.
 */
static bool
pattern_matches(const char *src, size_t slen, const char *tgt, size_t tlen)
{
	size_t n = count_units(tgt, tlen), ti = 0;
	struct pattern p;
	struct unit u;

	split_pattern(src, slen, &p);
	for (size_t i = 0; i + p.body_units <= n; i++) {
		size_t suffix = n - i - p.body_units;

		if (!p.lead_star && i > p.lead_q)
			break;
		if ((p.trail_star || suffix <= p.trail_q) &&
		    body_matches_at(src, &p, tgt, tlen, ti))
			return true;
		if (ti < tlen)
			ti = next_unit(tgt, tlen, ti, &u);
	}
	return false;
}

enum vg_cpe_rel
vg_cpe_attr_compare(const struct vg_cpe_value *source, const struct vg_cpe_value *target)
{
	enum vg_cpe_value_kind sk = kind_of(source), tk = kind_of(target);
	size_t slen, tlen;

	/* Table 6-2 rows 4, 8, 13 and 18: a target holding wildcards is not a set we can compare.
	 */
	if (tk == VG_CPE_VALUE && has_wildcards(target->str, strlen(target->str)))
		return VG_CPE_REL_UNDEFINED;
	if (sk != VG_CPE_VALUE || tk != VG_CPE_VALUE) {
		if (sk == tk)
			return VG_CPE_REL_EQUAL;
		if (sk == VG_CPE_ANY)
			return VG_CPE_REL_SUPERSET;
		if (tk == VG_CPE_ANY)
			return VG_CPE_REL_SUBSET;
		return VG_CPE_REL_DISJOINT;
	}
	slen = strlen(source->str);
	tlen = strlen(target->str);
	if (!pattern_matches(source->str, slen, target->str, tlen))
		return VG_CPE_REL_DISJOINT;
	return has_wildcards(source->str, slen) ? VG_CPE_REL_SUPERSET : VG_CPE_REL_EQUAL;
}

enum vg_cpe_name_rel
vg_cpe_compare(const struct vg_cpe *source, const struct vg_cpe *target,
	       enum vg_cpe_rel rels[VG_CPE_NATTRS])
{
	bool disjoint = false, equal = true, superset = true, subset = true;

	for (int a = 0; a < VG_CPE_NATTRS; a++) {
		enum vg_cpe_rel r = vg_cpe_attr_compare(&source->attr[a], &target->attr[a]);

		if (rels)
			rels[a] = r;
		disjoint |= r == VG_CPE_REL_DISJOINT;
		equal &= r == VG_CPE_REL_EQUAL;
		superset &= r == VG_CPE_REL_SUPERSET || r == VG_CPE_REL_EQUAL;
		subset &= r == VG_CPE_REL_SUBSET || r == VG_CPE_REL_EQUAL;
		/* One DISJOINT attribute decides the name relation (§6.2). */
		if (disjoint && !rels)
			break;
	}
	if (disjoint)
		return VG_CPE_NAME_DISJOINT;
	if (equal)
		return VG_CPE_NAME_EQUAL;
	if (superset)
		return VG_CPE_NAME_SUPERSET;
	if (subset)
		return VG_CPE_NAME_SUBSET;
	return VG_CPE_NAME_NONE;
}

bool
vg_cpe_matches(const struct vg_cpe *source, const struct vg_cpe *target)
{
	enum vg_cpe_name_rel r = vg_cpe_compare(source, target, NULL);

	return r == VG_CPE_NAME_SUPERSET || r == VG_CPE_NAME_EQUAL;
}

/* ---- Names ---- */

const char *
vg_cpe_rel_name(enum vg_cpe_rel rel)
{
	switch (rel) {
	case VG_CPE_REL_DISJOINT:
		return "DISJOINT";
	case VG_CPE_REL_SUBSET:
		return "SUBSET";
	case VG_CPE_REL_SUPERSET:
		return "SUPERSET";
	case VG_CPE_REL_EQUAL:
		return "EQUAL";
	case VG_CPE_REL_UNDEFINED:
		return "UNDEFINED";
	}
	return "UNKNOWN";
}

const char *
vg_cpe_name_rel_name(enum vg_cpe_name_rel rel)
{
	switch (rel) {
	case VG_CPE_NAME_EQUAL:
		return "EQUAL";
	case VG_CPE_NAME_SUPERSET:
		return "SUPERSET";
	case VG_CPE_NAME_SUBSET:
		return "SUBSET";
	case VG_CPE_NAME_DISJOINT:
		return "DISJOINT";
	case VG_CPE_NAME_NONE:
		return "NONE";
	case VG_CPE_NAME_INVALID:
		return "INVALID";
	}
	return "UNKNOWN";
}

const char *
vg_cpe_attr_name(enum vg_cpe_attr attr)
{
	if ((unsigned)attr >= VG_CPE_NATTRS)
		return "unknown";
	return attr_names[attr];
}
