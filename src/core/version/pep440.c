/*
 * pep440.c - Python package versions (PEP 440).
 *
 * Parsing accepts exactly what the canonical regular expression of PEP 440
 * Appendix B accepts, as `packaging.version.Version` applies it
 * (case-insensitive, surrounding white space allowed):
 *
 *   [v] [N!] N(.N)* [[-_.](a|b|c|rc|alpha|beta|pre|preview)[-_.][N]]
 *   [-N | [-_.](post|rev|r)[-_.][N]] [[-_.]dev[-_.][N]] [+local]
 *
 * with the normalisations of the PEP: alpha = a, beta = b, c = pre =
 * preview = rc, rev = r = post, "1.0-1" = "1.0.post1", a missing number
 * is 0.  Every optional part is matched greedily; for this grammar the
 * regex's backtracking never finds a different parse, so a single
 * left-to-right pass is equivalent.
 *
 * Ordering follows packaging's _cmpkey(): epoch, then the release with
 * trailing zeros ignored, then pre-release (a < b < rc < none, except that
 * a dev release of a final version sorts before all its pre-releases),
 * post-release (none first), dev release (none last) and the local label
 * (none first; segment-wise, alphanumeric before numeric).
 *
 * Versions are ASCII: packaging also accepts a few non-ASCII look-alikes
 * through Python's Unicode case folding and white space (e.g. U+017F in
 * "poſt"); those are rejected here.  Numbers are compared as digit strings,
 * so any length works without overflow.  No allocation: a parsed version
 * is a set of slices of the input.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/version/version.h"

/* Pre-release kinds in their sort order. */
enum pre {
	PRE_NONE,
	PRE_A,
	PRE_B,
	PRE_RC,
};

/* A parsed version: slices of the input (digit runs; empty means 0). */
struct pep440 {
	struct vg_str epoch;
	struct vg_str release; /* "N(.N)*" */
	enum pre pre;
	struct vg_str pre_n;
	bool post;
	struct vg_str post_n;
	bool dev;
	struct vg_str dev_n;
	bool local;
	struct vg_str local_label; /* after '+' */
};

struct cursor {
	const char *s;
	size_t len;
	size_t pos;
};

/* A keyword of the grammar, lower case; `pre` is what a pre-release spelling normalises to. */
struct word {
	const char *text;
	enum pre pre;
};

/*
 * Pre-release spellings.  A spelling that is a prefix of another comes
 * after it, so the first match is the longest one.
 */
static const struct word pre_words[] = {
	{"preview", PRE_RC}, {"pre", PRE_RC}, {"alpha", PRE_A}, {"a", PRE_A},
	{"beta", PRE_B},     {"b", PRE_B},    {"rc", PRE_RC},   {"c", PRE_RC},
};

static const struct word post_words[] = {{"post", PRE_NONE}, {"rev", PRE_NONE}, {"r", PRE_NONE}};

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char
to_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool
is_alnum(unsigned char c)
{
	return is_digit(c) || (to_lower(c) >= 'a' && to_lower(c) <= 'z');
}

static bool
is_sep(unsigned char c)
{
	return c == '-' || c == '_' || c == '.';
}

/*
 * Python's \s on str: ASCII space, \t \n \v \f \r and the separators
 * U+001C..U+001F, which str.isspace() also counts as white space.
 */
static bool
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int
peek(const struct cursor *c)
{
	return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static struct vg_str
take_digits(struct cursor *c)
{
	size_t start = c->pos;

	while (c->pos < c->len && is_digit((unsigned char)c->s[c->pos]))
		c->pos++;
	return vg_str_n(c->s + start, c->pos - start);
}

static void
skip_sep(struct cursor *c)
{
	if (c->pos < c->len && is_sep((unsigned char)c->s[c->pos]))
		c->pos++;
}

/* Case-insensitively match one of @words at the cursor; NULL if none. */
static const struct word *
take_word(struct cursor *c, const struct word *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t wl = strlen(words[i].text), k;

		if (c->len - c->pos < wl)
			continue;
		for (k = 0; k < wl; k++) {
			if (to_lower((unsigned char)c->s[c->pos + k]) !=
			    (unsigned char)words[i].text[k])
				break;
		}
		if (k == wl) {
			c->pos += wl;
			return &words[i];
		}
	}
	return NULL;
}

/* N(.N)*, greedy: a '.' belongs to the release only when a digit follows it. */
static struct vg_str
take_release(struct cursor *c)
{
	size_t start = c->pos;

	take_digits(c);
	while (c->pos + 1 < c->len && c->s[c->pos] == '.' &&
	       is_digit((unsigned char)c->s[c->pos + 1])) {
		c->pos++;
		take_digits(c);
	}
	return vg_str_n(c->s + start, c->pos - start);
}

/* [-_.](a|b|c|rc|alpha|beta|pre|preview)[-_.][N] */
static void
take_pre(struct cursor *c, struct pep440 *v)
{
	size_t save = c->pos;
	const struct word *w;

	skip_sep(c);
	w = take_word(c, pre_words, VG_ARRAY_LEN(pre_words));
	if (!w) {
		c->pos = save;
		return;
	}
	v->pre = w->pre;
	skip_sep(c);
	v->pre_n = take_digits(c);
}

/* -N | [-_.](post|rev|r)[-_.][N] */
static void
take_post(struct cursor *c, struct pep440 *v)
{
	size_t save = c->pos;

	if (peek(c) == '-' && c->pos + 1 < c->len && is_digit((unsigned char)c->s[c->pos + 1])) {
		c->pos++;
		v->post = true;
		v->post_n = take_digits(c);
		return;
	}
	skip_sep(c);
	if (!take_word(c, post_words, VG_ARRAY_LEN(post_words))) {
		c->pos = save;
		return;
	}
	v->post = true;
	skip_sep(c);
	v->post_n = take_digits(c);
}

/* [-_.]dev[-_.][N] */
static void
take_dev(struct cursor *c, struct pep440 *v)
{
	static const struct word dev_word[] = {{"dev", PRE_NONE}};
	size_t save = c->pos;

	skip_sep(c);
	if (!take_word(c, dev_word, 1)) {
		c->pos = save;
		return;
	}
	v->dev = true;
	skip_sep(c);
	v->dev_n = take_digits(c);
}

/* +[a-z0-9]+([-_.][a-z0-9]+)* ; false (cursor at the fault) for a malformed label. */
static bool
take_local(struct cursor *c, struct pep440 *v)
{
	size_t start;

	if (peek(c) != '+')
		return true;
	start = ++c->pos;
	for (;;) {
		size_t seg = c->pos;

		while (c->pos < c->len && is_alnum((unsigned char)c->s[c->pos]))
			c->pos++;
		if (c->pos == seg) {
			/* Point at the separator that has no segment after it. */
			if (seg > start)
				c->pos = seg - 1;
			return false;
		}
		if (c->pos == c->len || !is_sep((unsigned char)c->s[c->pos]))
			break;
		c->pos++;
	}
	v->local = true;
	v->local_label = vg_str_n(c->s + start, c->pos - start);
	return true;
}

/* Describe the byte at @pos of @s for an error message. */
static void
describe(struct vg_str s, size_t pos, char *buf, size_t size)
{
	unsigned char c;

	if (pos >= s.len) {
		snprintf(buf, size, "end of version");
		return;
	}
	c = (unsigned char)s.p[pos];
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02x", c);
}

static int
parse_error(struct vg_str s, const char *which, size_t pos, const char *why, struct vg_err *err)
{
	char at[24];

	describe(s, pos, at, sizeof(at));
	return vg_error_at(err, VG_EINVAL, (int)pos + 1,
			   "invalid %spep440 version '%.*s': %s (at %s, column %zu)", which,
			   (int)(s.len > 64 ? 64 : s.len), s.len ? s.p : "", why, at, pos + 1);
}

/* Parse @s into @v; @which names the operand in messages ("" or "first "/"second "). */
static int
parse(struct vg_str s, const char *which, struct pep440 *v, struct vg_err *err)
{
	struct cursor c = {s.p, s.len, 0};
	size_t end = s.len;

	memset(v, 0, sizeof(*v));
	if (s.len > VG_VER_MAX_LEN)
		return vg_error(err, VG_EINVAL, "%spep440 version longer than %d bytes", which,
				VG_VER_MAX_LEN);
	if (s.len > 0 && !s.p)
		return vg_error(err, VG_EINVAL, "%spep440 version is a NULL pointer", which);
	while (c.pos < end && is_space((unsigned char)s.p[c.pos]))
		c.pos++;
	while (end > c.pos && is_space((unsigned char)s.p[end - 1]))
		end--;
	c.len = end;
	if (c.pos == end)
		return parse_error(s, which, c.pos, "empty version", err);
	if (to_lower((unsigned char)s.p[c.pos]) == 'v')
		c.pos++;
	if (!is_digit((unsigned char)peek(&c)))
		return parse_error(s, which, c.pos, "expected a release number", err);
	v->release = take_release(&c);
	if (peek(&c) == '!') {
		if (memchr(v->release.p, '.', v->release.len))
			return parse_error(s, which, c.pos, "epoch must be a plain number", err);
		v->epoch = v->release;
		c.pos++;
		if (!is_digit((unsigned char)peek(&c)))
			return parse_error(s, which, c.pos,
					   "epoch not followed by a release number", err);
		v->release = take_release(&c);
	}
	take_pre(&c, v);
	take_post(&c, v);
	take_dev(&c, v);
	if (!take_local(&c, v))
		return parse_error(s, which, c.pos, "malformed local version label", err);
	if (c.pos != end)
		return parse_error(s, which, c.pos, "unexpected character", err);
	return VG_OK;
}

/* Numeric order of two digit strings of any length (empty = 0). */
static int
cmp_num(struct vg_str a, struct vg_str b)
{
	int r;

	while (a.len > 0 && a.p[0] == '0')
		a = vg_str_sub(a, 1, a.len - 1);
	while (b.len > 0 && b.p[0] == '0')
		b = vg_str_sub(b, 1, b.len - 1);
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	r = a.len ? memcmp(a.p, b.p, a.len) : 0;
	return (r > 0) - (r < 0);
}

static bool
is_zero(struct vg_str n)
{
	for (size_t i = 0; i < n.len; i++) {
		if (n.p[i] != '0')
			return false;
	}
	return true;
}

/* Split the next @sep_fn-separated segment off @rest into @seg; false when @rest is empty. */
static bool
next_segment(struct vg_str *rest, struct vg_str *seg, bool (*sep_fn)(unsigned char))
{
	size_t i = 0;

	if (rest->len == 0)
		return false;
	while (i < rest->len && !sep_fn((unsigned char)rest->p[i]))
		i++;
	*seg = vg_str_n(rest->p, i);
	*rest = i < rest->len ? vg_str_sub(*rest, i + 1, rest->len - i - 1) : vg_str_n(NULL, 0);
	return true;
}

static bool
is_dot(unsigned char c)
{
	return c == '.';
}

/* Number of release components up to the last non-zero one ("1.0.0" has 1). */
static size_t
significant_components(struct vg_str release)
{
	struct vg_str seg;
	size_t n = 0, sig = 0;

	while (next_segment(&release, &seg, is_dot)) {
		n++;
		if (!is_zero(seg))
			sig = n;
	}
	return sig;
}

static int
cmp_release(struct vg_str a, struct vg_str b)
{
	size_t na = significant_components(a), nb = significant_components(b);
	struct vg_str sa, sb;

	for (size_t i = 0; i < na && i < nb; i++) {
		int r;

		next_segment(&a, &sa, is_dot);
		next_segment(&b, &sb, is_dot);
		r = cmp_num(sa, sb);
		if (r != 0)
			return r;
	}
	return (na > nb) - (na < nb);
}

static bool
all_digits(struct vg_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		if (!is_digit((unsigned char)s.p[i]))
			return false;
	}
	return s.len > 0;
}

/* Case-insensitive byte order, a proper prefix first. */
static int
cmp_nocase(struct vg_str a, struct vg_str b)
{
	for (size_t i = 0; i < a.len && i < b.len; i++) {
		unsigned char x = to_lower((unsigned char)a.p[i]),
			      y = to_lower((unsigned char)b.p[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return (a.len > b.len) - (a.len < b.len);
}

/* Local labels: segment by segment, alphanumeric before numeric, shorter first. */
static int
cmp_local(struct vg_str a, struct vg_str b)
{
	/* Initialised because gcc -O3 cannot see that next_segment() always sets them. */
	struct vg_str sa = {NULL, 0}, sb = {NULL, 0};

	for (;;) {
		bool more_a = next_segment(&a, &sa, is_sep);
		bool more_b = next_segment(&b, &sb, is_sep);
		bool da, db;
		int r;

		if (!more_a || !more_b)
			return (int)more_a - (int)more_b;
		da = all_digits(sa);
		db = all_digits(sb);
		if (da && db)
			r = cmp_num(sa, sb);
		else if (da != db)
			r = da ? 1 : -1;
		else
			r = cmp_nocase(sa, sb);
		if (r != 0)
			return r;
	}
}

/*
 * Rank of the pre-release slot of the sort key: a version with only a dev
 * part ("1.0.dev1") sorts before every pre-release of that release, one
 * without a pre-release after all of them.
 */
static int
pre_rank(const struct pep440 *v)
{
	if (v->pre != PRE_NONE)
		return (int)v->pre;
	return (!v->post && v->dev) ? -1 : (int)PRE_RC + 1;
}

static int
sign(int r)
{
	return (r > 0) - (r < 0);
}

/* Compare the presence of an optional part: @absent_first says where a missing part sorts. */
static int
cmp_presence(bool a, bool b, bool absent_first)
{
	if (a == b)
		return 0;
	return (a == absent_first) ? 1 : -1;
}

static int
cmp_parsed(const struct pep440 *a, const struct pep440 *b)
{
	int r;

	if ((r = cmp_num(a->epoch, b->epoch)) != 0)
		return r;
	if ((r = cmp_release(a->release, b->release)) != 0)
		return r;
	if ((r = sign(pre_rank(a) - pre_rank(b))) != 0)
		return r;
	if (a->pre != PRE_NONE && (r = cmp_num(a->pre_n, b->pre_n)) != 0)
		return r;
	if ((r = cmp_presence(a->post, b->post, true)) != 0)
		return r;
	if (a->post && (r = cmp_num(a->post_n, b->post_n)) != 0)
		return r;
	if ((r = cmp_presence(a->dev, b->dev, false)) != 0)
		return r;
	if (a->dev && (r = cmp_num(a->dev_n, b->dev_n)) != 0)
		return r;
	if ((r = cmp_presence(a->local, b->local, true)) != 0)
		return r;
	return a->local ? cmp_local(a->local_label, b->local_label) : 0;
}

int
vg_pep440_validate(struct vg_str v, struct vg_err *err)
{
	struct pep440 parsed;

	return parse(v, "", &parsed, err);
}

int
vg_pep440_compare(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	struct pep440 pa, pb;
	int rc;

	if ((rc = parse(a, "first ", &pa, err)) < 0 || (rc = parse(b, "second ", &pb, err)) < 0)
		return rc;
	*cmp = cmp_parsed(&pa, &pb);
	return VG_OK;
}
