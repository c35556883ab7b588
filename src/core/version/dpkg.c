/*
 * dpkg.c - Debian version parsing and ordering ([epoch:]upstream[-revision]).
 *
 * Follows dpkg 1.21's lib/dpkg/parsehelp.c parseversion() for the syntax and
 * lib/dpkg/version.c verrevcmp() for the ordering, as documented in
 * deb-version(7) and observable through `dpkg --compare-versions`.  The code
 * is written from that behaviour, not copied.
 *
 * Deliberate differences from dpkg, all towards rejecting input: dpkg only
 * warns about invalid characters (we refuse them, as version.h promises),
 * and dpkg reads the epoch with strtol(), which would also take a sign or
 * leading white space; we want plain decimal digits.
 */
#include <limits.h>
#include <stdbool.h>

#include "core/version/version.h"

/* A parsed version.  The parts borrow from the caller's slice. */
struct dpkg_version {
	int epoch;
	struct vg_str upstream;
	struct vg_str revision;
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* dpkg trims only blanks (c_isblank), not every kind of white space. */
static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_upstream_char(char c)
{
	return is_digit(c) || is_alpha(c) || c == '.' || c == '-' || c == '+' || c == '~' ||
	       c == ':';
}

static bool
is_revision_char(char c)
{
	return is_digit(c) || is_alpha(c) || c == '.' || c == '+' || c == '~';
}

/*
 * How much of @v an error message quotes: the printable prefix, at most 64
 * bytes, so that a message never carries control bytes (a newline would
 * break line-oriented output) and stays readable.
 */
static int
quoted_len(struct vg_str v)
{
	size_t n = 0;

	while (n < v.len && n < 64 && v.p[n] >= 0x20 && v.p[n] < 0x7f)
		n++;
	return (int)n;
}

/* Every parse error names the input, so callers comparing two versions can tell which. */
static int
bad(struct vg_err *err, struct vg_str v, size_t col, const char *why)
{
	int n = quoted_len(v);

	return vg_error_at(err, VG_EINVAL, (int)col, "invalid dpkg version '%.*s%s': %s", n,
			   n ? v.p : "", (size_t)n < v.len ? "..." : "", why);
}

/*
 * Read the epoch digits.  Leading zeros are harmless ("0001:1" is epoch 1 for
 * dpkg too), so overflow is checked on the value rather than on the length.
 */
static int
parse_epoch(struct vg_str in, struct vg_str e, size_t col, int *epoch, struct vg_err *err)
{
	long long value = 0;

	if (e.len == 0)
		return bad(err, in, col, "epoch in version is empty");
	for (size_t i = 0; i < e.len; i++) {
		if (!is_digit(e.p[i]))
			return bad(err, in, col + i, "epoch in version is not number");
		value = value * 10 + (e.p[i] - '0');
		if (value > INT_MAX)
			return bad(err, in, col, "epoch in version is too big");
	}
	*epoch = (int)value;
	return VG_OK;
}

/* Check the characters of the upstream version and of the revision. */
static int
check_chars(struct vg_str in, const struct dpkg_version *v, size_t up_col, struct vg_err *err)
{
	for (size_t i = 0; i < v->upstream.len; i++)
		if (!is_upstream_char(v->upstream.p[i]))
			return bad(err, in, up_col + i, "invalid character in version number");
	for (size_t i = 0; i < v->revision.len; i++)
		if (!is_revision_char(v->revision.p[i]))
			return bad(err, in, up_col + v->upstream.len + 1 + i,
				   "invalid character in revision number");
	return VG_OK;
}

static int
parse(struct vg_str in, struct dpkg_version *out, struct vg_err *err)
{
	struct vg_str s = in;
	size_t col = 1; /* 1-based column of s.p[0] in the input */
	ptrdiff_t colon, hyphen;
	int rc;

	if (in.len > VG_VER_MAX_LEN)
		return bad(err, in, VG_VER_MAX_LEN + 1, "version string is too long");
	while (s.len && is_blank(s.p[0])) {
		s.p++;
		s.len--;
		col++;
	}
	while (s.len && is_blank(s.p[s.len - 1]))
		s.len--;
	if (s.len == 0)
		return bad(err, in, 0, "version string is empty");
	for (size_t i = 0; i < s.len; i++)
		if (is_blank(s.p[i]))
			return bad(err, in, col + i, "version string has embedded spaces");

	/* The epoch ends at the first colon; later colons belong to the upstream version. */
	out->epoch = 0;
	colon = vg_str_chr(s, ':');
	if (colon >= 0) {
		rc = parse_epoch(in, vg_str_sub(s, 0, (size_t)colon), col, &out->epoch, err);
		if (rc < 0)
			return rc;
		s = vg_str_sub(s, (size_t)colon + 1, s.len);
		col += (size_t)colon + 1;
		if (s.len == 0)
			return bad(err, in, col, "nothing after colon in version number");
	}

	/* The revision starts after the last hyphen, so upstream may contain hyphens. */
	hyphen = vg_str_rchr(s, '-');
	out->upstream = s;
	out->revision = vg_str_sub(s, s.len, 0);
	if (hyphen >= 0) {
		out->upstream = vg_str_sub(s, 0, (size_t)hyphen);
		out->revision = vg_str_sub(s, (size_t)hyphen + 1, s.len);
		if (out->revision.len == 0)
			return bad(err, in, col + (size_t)hyphen, "revision number is empty");
	}
	if (out->upstream.len == 0)
		return bad(err, in, col, "version number is empty");
	/*
	 * An upstream version that does not start with a digit only draws a
	 * warning from dpkg, and such versions exist in the archive, so it is
	 * accepted; its first character must still be a valid one.
	 */
	return check_chars(in, out, col, err);
}

/* Byte @i of @s, or 0 past the end (the C string terminator dpkg's loop sees). */
static char
at(struct vg_str s, size_t i)
{
	return i < s.len ? s.p[i] : '\0';
}

/*
 * Sort weight of a non-digit position: '~' before the end of the string,
 * the end before letters, letters (by ASCII) before every other character.
 */
static int
order(char c)
{
	if (is_digit(c) || c == '\0')
		return 0;
	if (is_alpha(c))
		return (unsigned char)c;
	if (c == '~')
		return -1;
	return (unsigned char)c + 256;
}

/*
 * Compare the digit runs starting at *i and *j and advance past them.  Runs
 * are compared as strings after dropping leading zeros (a longer run is the
 * larger number), so digit strings of any length are handled exactly.
 */
static int
digits_cmp(struct vg_str a, size_t *i, struct vg_str b, size_t *j)
{
	int first_diff = 0;

	while (at(a, *i) == '0')
		(*i)++;
	while (at(b, *j) == '0')
		(*j)++;
	while (is_digit(at(a, *i)) && is_digit(at(b, *j))) {
		if (!first_diff)
			first_diff = at(a, *i) - at(b, *j);
		(*i)++;
		(*j)++;
	}
	if (is_digit(at(a, *i)))
		return 1;
	if (is_digit(at(b, *j)))
		return -1;
	return first_diff;
}

/* dpkg's verrevcmp(): alternate non-digit and digit runs until one differs. */
static int
verrevcmp(struct vg_str a, struct vg_str b)
{
	size_t i = 0, j = 0;

	while (i < a.len || j < b.len) {
		int diff;

		while ((i < a.len && !is_digit(a.p[i])) || (j < b.len && !is_digit(b.p[j]))) {
			int ac = order(at(a, i));
			int bc = order(at(b, j));

			if (ac != bc)
				return ac < bc ? -1 : 1;
			i++;
			j++;
		}
		diff = digits_cmp(a, &i, b, &j);
		if (diff)
			return diff < 0 ? -1 : 1;
	}
	return 0;
}

static int
version_cmp(const struct dpkg_version *a, const struct dpkg_version *b)
{
	int rc;

	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	rc = verrevcmp(a->upstream, b->upstream);
	if (rc)
		return rc;
	return verrevcmp(a->revision, b->revision);
}

int
vg_dpkg_compare(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	struct dpkg_version va, vb;
	int rc;

	rc = parse(a, &va, err);
	if (rc < 0)
		return rc;
	rc = parse(b, &vb, err);
	if (rc < 0)
		return rc;
	*cmp = version_cmp(&va, &vb);
	return VG_OK;
}

int
vg_dpkg_validate(struct vg_str v, struct vg_err *err)
{
	struct dpkg_version parsed;

	return parse(v, &parsed, err);
}
