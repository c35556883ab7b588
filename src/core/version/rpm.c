/*
 * rpm.c - RPM version ordering: rpmvercmp() and full [epoch:]version[-release].
 *
 * vg_rpmvercmp() reproduces rpm 4.18's rpmio/rpmvercmp.c rpmvercmp(),
 * including the '~' (pre-release) and '^' (post-release snapshot)
 * separators, from its documented and observed behaviour.  The EVR split
 * follows rpm's parseEVR() (epoch = leading digits before ':', release after
 * the last '-'); the ordering is epoch, then version, then release, exactly
 * as rpm's labelCompare (rpm.ver in the Python bindings): an EVR without a
 * release sorts before the same version with any release, even "~1".
 * (rpm's dependency matching, rpmdsCompare, treats a missing release as a
 * wildcard instead; that is a matching rule, not an order, and belongs to
 * the matcher.)
 *
 * rpm itself accepts almost anything in an EVR.  A vulnerability matcher
 * should not guess, so vg_rpm_validate() also refuses an empty epoch or
 * release and bytes outside printable ASCII (white space, control and
 * non-ASCII bytes never occur in versions rpmbuild produces).
 */
#include <stdbool.h>
#include <string.h>

#include "core/version/version.h"

/* A parsed EVR; the parts borrow from the caller's slice.  An empty epoch means 0. */
struct rpm_evr {
	struct vg_str epoch;
	struct vg_str version;
	struct vg_str release;
	bool has_release;
};

/* End-of-string marker for at(); real bytes are 0..255. */
#define END (-1)

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* rpm uses its own locale-independent ASCII classification (risalpha). */
static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
at(struct vg_str s, size_t i)
{
	return i < s.len ? (unsigned char)s.p[i] : END;
}

/*
 * Bytes that only separate segments.  The C implementation stops at a NUL
 * byte; a slice may contain one, and treating it as a separator keeps the
 * comparison total and consistent.
 */
static bool
is_separator(int c)
{
	return c != END && !is_digit(c) && !is_alpha(c) && c != '~' && c != '^';
}

/* Length of the run of bytes of one class (digits or letters) starting at @i. */
static size_t
span(struct vg_str s, size_t i, bool digits)
{
	size_t n = 0;

	while (digits ? is_digit(at(s, i + n)) : is_alpha(at(s, i + n)))
		n++;
	return n;
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Byte-wise comparison where a proper prefix sorts first (strcmp on the segments). */
static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int rc = n ? memcmp(a, b, n) : 0;

	if (rc)
		return sign(rc);
	return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

/*
 * Numeric comparison of two digit strings of any length: drop leading
 * zeros, then the longer one is larger, and equal lengths compare as text.
 * This never converts to an integer, so it cannot overflow.
 */
static int
digits_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen && *a == '0') {
		a++;
		alen--;
	}
	while (blen && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return bytes_cmp(a, alen, b, blen);
}

/*
 * Compare the alphanumeric segments at *i and *j (the one at *i is
 * non-empty) and advance past them.  A numeric segment is newer than an
 * alphabetic one.
 */
static int
segment_cmp(struct vg_str a, size_t *i, struct vg_str b, size_t *j)
{
	bool num = is_digit(at(a, *i));
	size_t alen = span(a, *i, num);
	size_t blen = span(b, *j, num);
	int rc;

	if (blen == 0)
		return num ? 1 : -1;
	if (num)
		rc = digits_cmp(a.p + *i, alen, b.p + *j, blen);
	else
		rc = bytes_cmp(a.p + *i, alen, b.p + *j, blen);
	*i += alen;
	*j += blen;
	return rc;
}

/*
 * '~' sorts before everything, even the end of the string; '^' sorts after
 * the end of the string but before anything else.  Returns 2 when neither
 * string is at a '~' or '^', otherwise the verdict or 0 to continue.
 */
static int
tilde_caret(int ca, int cb, size_t *i, size_t *j)
{
	if (ca == '~' || cb == '~') {
		if (ca != '~')
			return 1;
		if (cb != '~')
			return -1;
	} else if (ca == '^' || cb == '^') {
		if (ca == END)
			return -1;
		if (cb == END)
			return 1;
		if (ca != '^')
			return 1;
		if (cb != '^')
			return -1;
	} else {
		return 2;
	}
	(*i)++;
	(*j)++;
	return 0;
}

int
vg_rpmvercmp(struct vg_str a, struct vg_str b)
{
	size_t i = 0, j = 0;

	if (vg_str_eq(a, b))
		return 0;
	while (i < a.len || j < b.len) {
		int rc;

		while (is_separator(at(a, i)))
			i++;
		while (is_separator(at(b, j)))
			j++;
		rc = tilde_caret(at(a, i), at(b, j), &i, &j);
		if (rc == 0)
			continue;
		if (rc != 2)
			return rc;
		if (i >= a.len || j >= b.len)
			break;
		rc = segment_cmp(a, &i, b, &j);
		if (rc)
			return rc;
	}
	/* All segments matched; whichever string still has something left wins. */
	if (i >= a.len && j >= b.len)
		return 0;
	return i >= a.len ? -1 : 1;
}

/*
 * How much of @v an error message quotes: the printable prefix, at most 64
 * bytes, so that a message never carries control bytes.
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

	return vg_error_at(err, VG_EINVAL, (int)col, "invalid rpm version '%.*s%s': %s", n,
			   n ? v.p : "", (size_t)n < v.len ? "..." : "", why);
}

static int
parse(struct vg_str in, struct rpm_evr *out, struct vg_err *err)
{
	struct vg_str s = in;
	size_t col = 1; /* 1-based column of s.p[0] in the input */
	ptrdiff_t colon, hyphen;

	if (in.len > VG_VER_MAX_LEN)
		return bad(err, in, VG_VER_MAX_LEN + 1, "version string is too long");
	if (in.len == 0)
		return bad(err, in, 0, "version is empty");
	for (size_t i = 0; i < in.len; i++)
		if ((unsigned char)in.p[i] <= ' ' || (unsigned char)in.p[i] >= 0x7f)
			return bad(err, in, i + 1, "invalid character");

	memset(out, 0, sizeof(*out));
	colon = vg_str_chr(s, ':');
	if (colon >= 0) {
		out->epoch = vg_str_sub(s, 0, (size_t)colon);
		if (out->epoch.len == 0)
			return bad(err, in, col, "epoch is empty");
		for (size_t i = 0; i < out->epoch.len; i++)
			if (!is_digit((unsigned char)out->epoch.p[i]))
				return bad(err, in, col + i, "epoch is not a number");
		s = vg_str_sub(s, (size_t)colon + 1, s.len);
		col += (size_t)colon + 1;
	}
	hyphen = vg_str_rchr(s, '-');
	out->version = s;
	if (hyphen >= 0) {
		out->version = vg_str_sub(s, 0, (size_t)hyphen);
		out->release = vg_str_sub(s, (size_t)hyphen + 1, s.len);
		out->has_release = true;
		if (out->release.len == 0)
			return bad(err, in, col + (size_t)hyphen, "release is empty");
	}
	if (out->version.len == 0)
		return bad(err, in, col, "version is empty");
	return VG_OK;
}

static int
evr_cmp(const struct rpm_evr *a, const struct rpm_evr *b)
{
	int rc;

	rc = digits_cmp(a->epoch.p, a->epoch.len, b->epoch.p, b->epoch.len);
	if (rc)
		return rc;
	rc = vg_rpmvercmp(a->version, b->version);
	if (rc)
		return rc;
	if (!a->has_release || !b->has_release)
		return (int)a->has_release - (int)b->has_release;
	return vg_rpmvercmp(a->release, b->release);
}

int
vg_rpm_compare(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	struct rpm_evr ea, eb;
	int rc;

	rc = parse(a, &ea, err);
	if (rc < 0)
		return rc;
	rc = parse(b, &eb, err);
	if (rc < 0)
		return rc;
	*cmp = evr_cmp(&ea, &eb);
	return VG_OK;
}

int
vg_rpm_validate(struct vg_str v, struct vg_err *err)
{
	struct rpm_evr evr;

	return parse(v, &evr, err);
}
