/*
 * generic.c - fallback version ordering for ecosystems without a scheme.
 *
 * The rule is the one documented in version.h, in the spirit of the
 * "natural sort" most package managers start from: a version is a sequence
 * of runs of digits and runs of letters, everything else only separates
 * runs.  Runs are compared pairwise: digit runs numerically (at any length),
 * letter runs case-insensitively, a digit run sorts after a letter run, and
 * when one sequence runs out first it sorts first ("1.0" < "1.0.1").
 *
 * Bytes >= 0x80 (UTF-8 text in a version) count as letters and compare by
 * byte value, so that two versions differing only there do not compare
 * equal.  Control characters and white space are refused.
 */
#include <stdbool.h>
#include <string.h>

#include "core/version/version.h"

enum run_kind {
	RUN_NONE, /* no run left */
	RUN_LETTERS,
	RUN_DIGITS,
};

struct run {
	enum run_kind kind;
	const char *p;
	size_t len;
};

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* The next run of @s at or after *@pos; *@pos moves past it. */
static struct run
next_run(struct vg_str s, size_t *pos)
{
	struct run r = {RUN_NONE, NULL, 0};
	size_t i = *pos;

	while (i < s.len && !is_digit((unsigned char)s.p[i]) && !is_letter((unsigned char)s.p[i]))
		i++;
	if (i < s.len) {
		bool digits = is_digit((unsigned char)s.p[i]);

		r.kind = digits ? RUN_DIGITS : RUN_LETTERS;
		r.p = s.p + i;
		while (i < s.len && (digits ? is_digit((unsigned char)s.p[i])
					    : is_letter((unsigned char)s.p[i])))
			i++;
		r.len = (size_t)(s.p + i - r.p);
	}
	*pos = i;
	return r;
}

/* Numeric order of two digit runs, by length after leading zeros, then by text. */
static int
digits_cmp(struct run a, struct run b)
{
	while (a.len && *a.p == '0') {
		a.p++;
		a.len--;
	}
	while (b.len && *b.p == '0') {
		b.p++;
		b.len--;
	}
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	for (size_t i = 0; i < a.len; i++)
		if (a.p[i] != b.p[i])
			return a.p[i] < b.p[i] ? -1 : 1;
	return 0;
}

/* Case-insensitive order of two letter runs; a proper prefix sorts first. */
static int
letters_cmp(struct run a, struct run b)
{
	size_t n = a.len < b.len ? a.len : b.len;

	for (size_t i = 0; i < n; i++) {
		unsigned char ca = lower((unsigned char)a.p[i]);
		unsigned char cb = lower((unsigned char)b.p[i]);

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

static int
run_cmp(struct run a, struct run b)
{
	/* RUN_NONE < RUN_LETTERS < RUN_DIGITS gives both "prefix first" and "digits last". */
	if (a.kind != b.kind)
		return a.kind < b.kind ? -1 : 1;
	if (a.kind == RUN_DIGITS)
		return digits_cmp(a, b);
	if (a.kind == RUN_LETTERS)
		return letters_cmp(a, b);
	return 0;
}

static int
runs_cmp(struct vg_str a, struct vg_str b)
{
	size_t i = 0, j = 0;

	for (;;) {
		struct run ra = next_run(a, &i);
		struct run rb = next_run(b, &j);
		int rc = run_cmp(ra, rb);

		if (rc || ra.kind == RUN_NONE)
			return rc;
	}
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

/* Every error names the input, so callers comparing two versions can tell which. */
static int
bad(struct vg_err *err, struct vg_str v, size_t col, const char *why)
{
	int n = quoted_len(v);

	return vg_error_at(err, VG_EINVAL, (int)col, "invalid generic version '%.*s%s': %s", n,
			   n ? v.p : "", (size_t)n < v.len ? "..." : "", why);
}

int
vg_generic_validate(struct vg_str v, struct vg_err *err)
{
	if (v.len > VG_VER_MAX_LEN)
		return bad(err, v, VG_VER_MAX_LEN + 1, "version string is too long");
	if (v.len == 0)
		return bad(err, v, 0, "version string is empty");
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if (c < 0x20 || c == 0x7f)
			return bad(err, v, i + 1, "control character in version string");
		if (c == ' ')
			return bad(err, v, i + 1, "white space in version string");
	}
	return VG_OK;
}

int
vg_generic_compare(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	int rc;

	rc = vg_generic_validate(a, err);
	if (rc < 0)
		return rc;
	rc = vg_generic_validate(b, err);
	if (rc < 0)
		return rc;
	*cmp = runs_cmp(a, b);
	return VG_OK;
}
