/*
 * semver.c - SemVer 2.0.0 parsing and precedence with node-semver 7's behaviour.
 *
 * Parsing reproduces node-semver's SemVer constructor in strict (non-loose)
 * mode: the raw string may be at most 256 UTF-16 code units long, the
 * ECMAScript white space around it is trimmed (String.prototype.trim, which
 * includes U+00A0, U+2000..U+200A, U+FEFF and friends), and what is left
 * must match the FULL pattern "v?N.N.N[-PRE][+BUILD]" exactly.  N is "0" or
 * a digit string without leading zeros whose value is at most 2^53 - 1
 * (Number.MAX_SAFE_INTEGER); prerelease identifiers are numeric without
 * leading zeros or contain a letter or '-'; build identifiers are any
 * non-empty run of [0-9A-Za-z-].  A leading "=" is NOT accepted: that is a
 * loose-mode and range-comparator feature only.
 *
 * Precedence follows SemVer 2.0.0 section 11 as node-semver's compare()
 * implements it (compareMain, then comparePre): numeric prerelease
 * identifiers compare numerically and sort before alphanumeric ones, which
 * compare in ASCII order, and a longer identifier list wins when all shared
 * identifiers are equal.  Build metadata is ignored.  node-semver compares
 * numeric identifiers as JavaScript numbers (doubles); for identifiers above
 * 2^53 that can make two different identifiers equal, and node then returns
 * "equal" for the whole comparison.  That quirk is reproduced so that Vigil
 * and npm agree on every input.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/version/semver_int.h"
#include "core/version/version.h"

/* node-semver's MAX_LENGTH: the longest version string, in UTF-16 code units. */
#define SEMVER_MAX_JS_LEN 256

/*
 * Byte length of the ECMAScript white space character (UTF-8) at @p, or 0.
 * These are the 25 code points that String.prototype.trim and the regex \s
 * remove in node; invalid UTF-8 is never white space.
 */
size_t
vg__js_space_len(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n == 0)
		return 0;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (n < 3)
		return 0;
	if (u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80)
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x80 &&
	    (u[2] <= 0x8A || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF) && u[2] >= 0x80)
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
		return 3;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3;
	return 0;
}

/* Byte length of a white space character that ends @s, or 0. */
static size_t
js_space_len_back(struct vg_str s)
{
	for (size_t k = 1; k <= 3 && k <= s.len; k++) {
		if (vg__js_space_len(s.p + s.len - k, k) == k)
			return k;
	}
	return 0;
}

/* JavaScript's String.prototype.trim on UTF-8 bytes. */
static struct vg_str
js_trim(struct vg_str s)
{
	size_t k;

	while ((k = vg__js_space_len(s.p, s.len)) > 0) {
		s.p += k;
		s.len -= k;
	}
	while ((k = js_space_len_back(s)) > 0)
		s.len -= k;
	return s;
}

/*
 * The string's length as JavaScript counts it (UTF-16 code units): one per
 * UTF-8 lead byte, two for four-byte sequences.  Only used for the 256 limit;
 * strings with invalid UTF-8 are rejected by the grammar anyway.
 */
static size_t
js_length(struct vg_str s)
{
	size_t n = 0;

	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if ((c & 0xC0) != 0x80)
			n++;
		if (c >= 0xF0)
			n++;
	}
	return n;
}

/*
 * Does @tok match node-semver's (safe) PRERELEASEIDENTIFIER exactly?  Either
 * a non-numeric identifier (at most 256 digits, then a letter or '-', then at
 * most 250 more identifier characters) or a numeric one ("0", or up to 257
 * digits without a leading zero).
 */
bool
vg__semver_prerelease_ident_ok(struct vg_str tok)
{
	size_t k = 0;

	if (tok.len == 0)
		return false;
	for (size_t i = 0; i < tok.len; i++) {
		if (!vg__is_ident(tok.p[i]))
			return false;
	}
	while (k < tok.len && vg__is_digit(tok.p[k]))
		k++;
	if (k < tok.len)
		return k <= VG__SEMVER_MAX_DIGIT_PREFIX &&
		       tok.len - k - 1 <= VG__SEMVER_MAX_IDENT_TAIL;
	if (tok.p[0] == '0')
		return tok.len == 1;
	return tok.len <= VG__SEMVER_MAX_DIGITS;
}

/* Is @s a non-empty '.'-separated list whose identifiers all satisfy @ok? */
static bool
ident_list_ok(struct vg_str s, bool (*ok)(struct vg_str))
{
	size_t start = 0;

	if (s.len == 0)
		return false;
	for (size_t i = 0; i <= s.len; i++) {
		if (i == s.len || s.p[i] == '.') {
			if (!ok(vg_str_sub(s, start, i - start)))
				return false;
			start = i + 1;
		}
	}
	return true;
}

bool
vg__semver_prerelease_ok(struct vg_str s)
{
	return ident_list_ok(s, vg__semver_prerelease_ident_ok);
}

static bool
build_ident_ok(struct vg_str tok)
{
	if (tok.len == 0 || tok.len > VG__SEMVER_MAX_IDENT_TAIL)
		return false;
	for (size_t i = 0; i < tok.len; i++) {
		if (!vg__is_ident(tok.p[i]))
			return false;
	}
	return true;
}

/*
 * Match a NUMERICIDENTIFIER at s[*pos]: "0" or [1-9] followed by digits.
 * On success store the digits in @digits and advance *pos.
 */
static bool
take_number(struct vg_str s, size_t *pos, struct vg_str *digits)
{
	size_t i = *pos;

	if (i >= s.len || !vg__is_digit(s.p[i]))
		return false;
	if (s.p[i] == '0') {
		i++;
	} else {
		while (i < s.len && vg__is_digit(s.p[i]))
			i++;
	}
	*digits = vg_str_sub(s, *pos, i - *pos);
	*pos = i;
	return true;
}

/* Value of a digit string, or false if it exceeds Number.MAX_SAFE_INTEGER. */
static bool
safe_value(struct vg_str digits, uint64_t *out)
{
	uint64_t v = 0;

	if (digits.len > 16)
		return false;
	for (size_t i = 0; i < digits.len; i++)
		v = v * 10 + (uint64_t)(digits.p[i] - '0');
	if (v > VG__SEMVER_MAX_SAFE)
		return false;
	*out = v;
	return true;
}

static int
bad(struct vg_err *err, struct vg_str s, const char *why)
{
	return vg_error(err, VG_EINVAL, "invalid semver '%.*s': %s", (int)(s.len > 80 ? 80 : s.len),
			s.p ? s.p : "", why);
}

/* Match "N.N.N" of the FULL pattern; fills the three digit strings. */
static int
parse_main(struct vg_str in, struct vg_str t, size_t *pos, struct vg_str num[3], struct vg_err *err)
{
	for (int k = 0; k < 3; k++) {
		if (k > 0) {
			if (*pos >= t.len || t.p[*pos] != '.')
				return bad(err, in, "expected major.minor.patch");
			(*pos)++;
		}
		if (!take_number(t, pos, &num[k]))
			return bad(err, in, "expected major.minor.patch");
		if (num[k].len > VG__SEMVER_MAX_DIGITS)
			return bad(err, in, "number has too many digits");
	}
	return VG_OK;
}

/* Split the rest of the FULL pattern, "[-PRE][+BUILD]", into @out. */
static int
parse_suffix(struct vg_str in, struct vg_str rest, struct vg_semver *out, struct vg_err *err)
{
	ptrdiff_t plus = vg_str_chr(rest, '+');
	struct vg_str pre = plus < 0 ? rest : vg_str_sub(rest, 0, (size_t)plus);

	if (pre.len > 0) {
		if (pre.p[0] != '-')
			return bad(err, in, "unexpected text after patch");
		pre = vg_str_sub(pre, 1, pre.len - 1);
		if (!ident_list_ok(pre, vg__semver_prerelease_ident_ok))
			return bad(err, in, "invalid prerelease identifier");
	}
	out->pre = pre;
	out->build = vg_str_n(rest.p + rest.len, 0);
	if (plus >= 0) {
		out->build = vg_str_sub(rest, (size_t)plus + 1, rest.len);
		if (!ident_list_ok(out->build, build_ident_ok))
			return bad(err, in, "invalid build metadata");
	}
	return VG_OK;
}

int
vg_semver_parse(struct vg_str s, struct vg_semver *out, struct vg_err *err)
{
	struct vg_semver v;
	struct vg_str num[3];
	struct vg_str t;
	uint64_t *dst[3] = {&v.major, &v.minor, &v.patch};
	size_t pos = 0;
	int rc;

	if (s.len > 0 && !s.p)
		return vg_error(err, VG_EINVAL, "semver is a NULL pointer");
	if (s.len > VG_VER_MAX_LEN || js_length(s) > SEMVER_MAX_JS_LEN)
		return bad(err, s, "longer than 256 characters");
	t = js_trim(s);
	if (t.len == 0)
		return bad(err, s, "empty version");
	if (t.p[0] == 'v')
		pos++;
	rc = parse_main(s, t, &pos, num, err);
	if (rc != VG_OK)
		return rc;
	rc = parse_suffix(s, vg_str_sub(t, pos, t.len - pos), &v, err);
	if (rc != VG_OK)
		return rc;
	for (int k = 0; k < 3; k++) {
		if (!safe_value(num[k], dst[k]))
			return bad(err, s, "number larger than 2^53 - 1");
	}
	*out = v;
	return VG_OK;
}

/* Next '.'-separated identifier of @s starting at *pos (advances past the dot). */
static struct vg_str
next_ident(struct vg_str s, size_t *pos)
{
	size_t start = *pos;
	size_t i = start;

	while (i < s.len && s.p[i] != '.')
		i++;
	*pos = i + 1;
	return vg_str_sub(s, start, i - start);
}

static bool
all_digits(struct vg_str s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (!vg__is_digit(s.p[i]))
			return false;
	}
	return true;
}

static struct vg_str
strip_zeros(struct vg_str s)
{
	while (s.len > 1 && s.p[0] == '0') {
		s.p++;
		s.len--;
	}
	return s;
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Exact comparison of two digit strings by value. */
static int
digits_cmp(struct vg_str a, struct vg_str b)
{
	a = strip_zeros(a);
	b = strip_zeros(b);
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	return sign(memcmp(a.p, b.p, a.len));
}

/* The digit string converted to a double with round-to-nearest, as JavaScript's Number(). */
static double
digits_to_double(struct vg_str d)
{
	char buf[400];

	d = strip_zeros(d);
	if (d.len >= sizeof(buf))
		return HUGE_VAL;
	memcpy(buf, d.p, d.len);
	buf[d.len] = '\0';
	return strtod(buf, NULL);
}

/*
 * compareIdentifiers() for two textually different identifiers.  Sets
 * *stop when node would end the whole prerelease comparison with "equal"
 * (two numeric identifiers that round to the same double).
 */
static int
ident_cmp(struct vg_str a, struct vg_str b, bool *stop)
{
	bool anum = all_digits(a);
	bool bnum = all_digits(b);
	size_t n;
	int c;

	*stop = false;
	if (anum && bnum) {
		c = digits_cmp(a, b);
		/* Doubles are exact below 2^53 (16 digits); only longer numbers can collide. */
		if (c != 0 && strip_zeros(a).len >= 16 && strip_zeros(b).len >= 16 &&
		    digits_to_double(a) == digits_to_double(b))
			c = 0;
		*stop = c == 0;
		return c;
	}
	if (anum != bnum)
		return anum ? -1 : 1;
	n = a.len < b.len ? a.len : b.len;
	c = n ? memcmp(a.p, b.p, n) : 0;
	if (c != 0)
		return sign(c);
	return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

static int
pre_cmp(struct vg_str a, struct vg_str b)
{
	size_t ia = 0;
	size_t ib = 0;

	if (a.len == 0 || b.len == 0)
		return a.len == b.len ? 0 : (a.len == 0 ? 1 : -1);
	for (;;) {
		bool enda = ia > a.len;
		bool endb = ib > b.len;
		struct vg_str x;
		struct vg_str y;
		bool stop;
		int c;

		if (enda || endb)
			return enda == endb ? 0 : (enda ? -1 : 1);
		x = next_ident(a, &ia);
		y = next_ident(b, &ib);
		if (vg_str_eq(x, y))
			continue;
		c = ident_cmp(x, y, &stop);
		if (c != 0 || stop)
			return c;
	}
}

static int
u64_cmp(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

int
vg_semver_cmp(const struct vg_semver *a, const struct vg_semver *b)
{
	int c = u64_cmp(a->major, b->major);

	if (c == 0)
		c = u64_cmp(a->minor, b->minor);
	if (c == 0)
		c = u64_cmp(a->patch, b->patch);
	if (c == 0)
		c = pre_cmp(a->pre, b->pre);
	return c;
}

int
vg_semver_compare(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	struct vg_semver va;
	struct vg_semver vb;
	int rc = vg_semver_parse(a, &va, err);

	if (rc != VG_OK)
		return rc;
	rc = vg_semver_parse(b, &vb, err);
	if (rc != VG_OK)
		return rc;
	*cmp = vg_semver_cmp(&va, &vb);
	return VG_OK;
}
