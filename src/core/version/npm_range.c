/*
 * npm_range.c - npm version ranges: node-semver 7's satisfies(version, range)
 * with default options (strict parsing, no includePrerelease).
 *
 * node-semver does not parse a range with a grammar: its Range class runs
 * the text through a fixed sequence of regular-expression rewrites and only
 * then parses what is left as primitive comparators ("<=1.2.3").  Ranges
 * that look odd (`*1.2.3`, `1 -  2`, `~> 1`) are accepted or rejected by
 * the accidents of that pipeline, and users write such ranges, so this file
 * reproduces the pipeline stage by stage instead of inventing a grammar:
 *
 *   1. trim, collapse every run of ECMAScript white space to one ' ';
 *   2. split on "||"; for each alternative (a comparator set), trimmed:
 *   3. delete every "+build" (the unbounded BUILD regex, global);
 *   4. a whole-string hyphen range "A - B" becomes ">=A' <=B'";
 *   5. delete the white space between an operator and its version
 *      (trimComparatorWhitespace), after "~" / "~>" and after "^";
 *   6. split on ' '; each word goes through the caret, tilde, x-range and
 *      star rewrites; the results are split again, ">=0.0.0" becomes "",
 *      and every piece must be a comparator "[<|>][=][v]N.N.N[-PRE]" or ""
 *      (any version), else the whole range is invalid.
 *
 * The regexes are node-semver's "safe" variants (digit runs of at most 257,
 * identifier tails of at most 250 characters), matched here by hand with
 * the same backtracking outcome.  Increments such as "<2.0.0-0" for "~1"
 * are computed from the digits; a result above 2^53 - 1 makes the
 * comparator (and so the range) invalid, as in node.
 *
 * Matching is testSet(): every comparator of a set must hold, and a
 * prerelease version additionally needs a comparator in the set that has a
 * prerelease on the same major.minor.patch.  Range-level clean-up is kept
 * where it changes results: when a range has several non-empty sets and one
 * of them is just "*", the range is reduced to that set, so
 * "* || 1.0.0-pre" does not match 1.0.0-pre.
 *
 * Everything runs in fixed stack buffers sized from VG_VER_MAX_LEN; each
 * rewrite grows a word by at most a constant plus its own length, and
 * comparators are evaluated as they are produced rather than stored.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/version/semver_int.h"
#include "core/version/version.h"

/* Bounds of trimComparatorWhitespace's scanners (MAX_LENGTH, MAX_SAFE_BUILD_LENGTH). */
#define TRIM_MAX_DIGITS 256
/* One comparator set after the hyphen rewrite grows by at most a few bytes. */
#define PART_CAP        (VG_VER_MAX_LEN + 64)
/* One word after the caret/tilde/x-range rewrites: at most twice its length plus a constant. */
#define WORD_CAP        (2 * PART_CAP + 64)

/* ---- small helpers ---- */

struct sbuf {
	char *p;
	size_t len;
	size_t cap;
	bool overflow;
};

static void
sb_init(struct sbuf *b, char *mem, size_t cap)
{
	b->p = mem;
	b->len = 0;
	b->cap = cap;
	b->overflow = false;
}

static void
sb_putn(struct sbuf *b, const char *p, size_t n)
{
	if (n > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
sb_putc(struct sbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void
sb_put(struct sbuf *b, struct vg_str s)
{
	sb_putn(b, s.p, s.len);
}

static struct vg_str
sb_str(const struct sbuf *b)
{
	return vg_str_n(b->p, b->len);
}

/* s.p[i], or NUL past the end (JavaScript's `undefined` never matches a class). */
static char
at(struct vg_str s, size_t i)
{
	return i < s.len ? s.p[i] : '\0';
}

/* Strip ' ' at both ends (after normalisation ' ' is the only white space left). */
static struct vg_str
trim_spaces(struct vg_str s)
{
	while (s.len > 0 && s.p[0] == ' ') {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && s.p[s.len - 1] == ' ')
		s.len--;
	return s;
}

/* Next word of @s separated by runs of ' ' (JavaScript split(/\s+/) without empty words). */
static bool
next_word(struct vg_str s, size_t *pos, struct vg_str *word)
{
	size_t i = *pos;
	size_t start;

	while (i < s.len && s.p[i] == ' ')
		i++;
	if (i >= s.len)
		return false;
	start = i;
	while (i < s.len && s.p[i] != ' ')
		i++;
	*word = vg_str_sub(s, start, i - start);
	*pos = i;
	return true;
}

/* ---- the x-range grammar: [v=\s]* XID(.XID(.XID(-PRE)?)?)? ---- */

/* Captures of one x-range: major, minor, patch (empty when absent) and prerelease. */
struct xcap {
	struct vg_str id[3];
	struct vg_str pr;
};

/* node-semver's isX(): absent, 'x', 'X' or '*'. */
static bool
is_x(struct vg_str id)
{
	return id.len == 0 || id.p[0] == 'x' || id.p[0] == 'X' || id.p[0] == '*';
}

/* End of an XRANGEIDENTIFIER ("0", [1-9] and up to 256 digits, x, X, *) at @i, or @i. */
static size_t
xid_end(struct vg_str s, size_t i)
{
	size_t j = i;
	char c = at(s, i);

	if (c == '0' || c == 'x' || c == 'X' || c == '*')
		return i + 1;
	if (c < '1' || c > '9')
		return i;
	while (j < s.len && vg__is_digit(s.p[j]) && j - i < VG__SEMVER_MAX_DIGITS)
		j++;
	return j;
}

/*
 * Does all of @b match XID(.XID(.XID(-PRE)?)?)? ?  Every part is delimited by
 * a character the previous part cannot contain, so the regex's backtracking
 * cannot find another split and an exact left-to-right match decides.
 */
static bool
xbody_exact(struct vg_str b, struct xcap *c)
{
	size_t i = 0;

	memset(c, 0, sizeof(*c));
	for (int k = 0; k < 3; k++) {
		size_t e;

		if (k > 0) {
			if (i == b.len)
				return true;
			if (b.p[i] != '.')
				return false;
			i++;
		}
		e = xid_end(b, i);
		if (e == i)
			return false;
		c->id[k] = vg_str_sub(b, i, e - i);
		i = e;
	}
	if (i == b.len)
		return true;
	if (b.p[i] != '-')
		return false;
	c->pr = vg_str_sub(b, i + 1, b.len - i - 1);
	return vg__semver_prerelease_ok(c->pr);
}

/* Skip the x-range prefix [v=\s]* (\s is only ' ' after normalisation). */
static size_t
skip_vprefix(struct vg_str s, size_t i)
{
	while (i < s.len && (s.p[i] == 'v' || s.p[i] == '=' || s.p[i] == ' '))
		i++;
	return i;
}

/* Does @word from @i on match [v=\s]*XRANGEPLAIN exactly? */
static bool
xrange_plain_exact(struct vg_str word, size_t i, struct xcap *c)
{
	i = skip_vprefix(word, i);
	return xbody_exact(vg_str_sub(word, i, word.len - i), c);
}

/* ---- number rendering ---- */

/*
 * Append +digits + 1 as JavaScript would print it.  Results above 2^53 - 1
 * always end up in a comparator that node rejects (the number is unsafe or
 * printed in exponent form), so any unsafe value will do: print 2^53.
 */
static void
sb_put_inc(struct sbuf *b, struct vg_str digits)
{
	uint64_t v = 0;
	char tmp[24];

	if (digits.len > 16) {
		v = VG__SEMVER_MAX_SAFE;
	} else {
		for (size_t i = 0; i < digits.len; i++)
			v = v * 10 + (uint64_t)(digits.p[i] - '0');
		if (v > VG__SEMVER_MAX_SAFE)
			v = VG__SEMVER_MAX_SAFE;
	}
	snprintf(tmp, sizeof(tmp), "%" PRIu64, v + 1);
	sb_puts(b, tmp);
}

/* ">=M.0.0 <(M+1).0.0-0" */
static void
emit_major_range(struct sbuf *o, struct vg_str M)
{
	sb_puts(o, ">=");
	sb_put(o, M);
	sb_puts(o, ".0.0 <");
	sb_put_inc(o, M);
	sb_puts(o, ".0.0-0");
}

/* ">=M.m.0 <M.(m+1).0-0" */
static void
emit_minor_range(struct sbuf *o, struct vg_str M, struct vg_str m)
{
	sb_puts(o, ">=");
	sb_put(o, M);
	sb_putc(o, '.');
	sb_put(o, m);
	sb_puts(o, ".0 <");
	sb_put(o, M);
	sb_putc(o, '.');
	sb_put_inc(o, m);
	sb_puts(o, ".0-0");
}

/* ">=M.m.p[-pr]" */
static void
emit_lower_full(struct sbuf *o, const struct xcap *c)
{
	sb_puts(o, ">=");
	sb_put(o, c->id[0]);
	sb_putc(o, '.');
	sb_put(o, c->id[1]);
	sb_putc(o, '.');
	sb_put(o, c->id[2]);
	if (c->pr.len) {
		sb_putc(o, '-');
		sb_put(o, c->pr);
	}
}

/* ---- stage 3: build metadata ---- */

/* Delete every match of \+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)* (BUILDSTRIPRE, global). */
static void
strip_build(struct vg_str s, struct sbuf *o)
{
	size_t i = 0;

	while (i < s.len) {
		size_t j = i + 1;

		if (s.p[i] != '+' || !vg__is_ident(at(s, j))) {
			sb_putc(o, s.p[i++]);
			continue;
		}
		while (vg__is_ident(at(s, j)))
			j++;
		while (at(s, j) == '.' && vg__is_ident(at(s, j + 1))) {
			j++;
			while (vg__is_ident(at(s, j)))
				j++;
		}
		i = j;
	}
}

/* ---- stage 4: hyphen ranges ---- */

/* End of the body of an x-range that starts at @i: the next ' ' or the end. */
static size_t
body_end(struct vg_str s, size_t i)
{
	while (i < s.len && s.p[i] != ' ')
		i++;
	return i;
}

/* The "from" half of hyphenReplace (includePrerelease off). */
static void
emit_hyphen_from(struct sbuf *o, struct vg_str from, const struct xcap *c)
{
	if (is_x(c->id[0]))
		return;
	sb_puts(o, ">=");
	if (is_x(c->id[1])) {
		sb_put(o, c->id[0]);
		sb_puts(o, ".0.0");
	} else if (is_x(c->id[2])) {
		sb_put(o, c->id[0]);
		sb_putc(o, '.');
		sb_put(o, c->id[1]);
		sb_puts(o, ".0");
	} else {
		sb_put(o, from); /* verbatim, with its v/= prefix */
	}
}

/* The "to" half of hyphenReplace (includePrerelease off). */
static void
emit_hyphen_to(struct sbuf *o, struct vg_str to, const struct xcap *c)
{
	if (is_x(c->id[0]))
		return;
	if (is_x(c->id[1])) {
		sb_putc(o, '<');
		sb_put_inc(o, c->id[0]);
		sb_puts(o, ".0.0-0");
	} else if (is_x(c->id[2])) {
		sb_putc(o, '<');
		sb_put(o, c->id[0]);
		sb_putc(o, '.');
		sb_put_inc(o, c->id[1]);
		sb_puts(o, ".0-0");
	} else if (c->pr.len) {
		sb_puts(o, "<=");
		sb_put(o, c->id[0]);
		sb_putc(o, '.');
		sb_put(o, c->id[1]);
		sb_putc(o, '.');
		sb_put(o, c->id[2]);
		sb_putc(o, '-');
		sb_put(o, c->pr);
	} else {
		sb_puts(o, "<=");
		sb_put(o, to); /* verbatim, with its v/= prefix */
	}
}

/*
 * HYPHENRANGE: ^\s?(XRANGEPLAIN)\s-\s(XRANGEPLAIN)\s?$ over the whole set.
 * An x-range body holds no spaces, so its end is the next space; the
 * prefixes [v=\s]* may hold spaces.  Writes the rewrite and returns true on a
 * match; writes nothing otherwise.
 */
static bool
hyphen_rewrite(struct vg_str s, struct sbuf *o)
{
	struct xcap c1;
	struct xcap c2;
	size_t from0 = at(s, 0) == ' ' ? 1 : 0;
	size_t b1 = skip_vprefix(s, from0);
	size_t e1 = body_end(s, b1);
	size_t to0 = e1 + 3;
	size_t b2;
	size_t e2;
	size_t start;

	if (at(s, e1) != ' ' || at(s, e1 + 1) != '-' || at(s, e1 + 2) != ' ')
		return false;
	if (!xbody_exact(vg_str_sub(s, b1, e1 - b1), &c1))
		return false;
	b2 = skip_vprefix(s, to0);
	e2 = body_end(s, b2);
	if (!(e2 == s.len || (e2 + 1 == s.len && s.p[e2] == ' ')))
		return false;
	if (!xbody_exact(vg_str_sub(s, b2, e2 - b2), &c2))
		return false;
	start = o->len;
	emit_hyphen_from(o, vg_str_sub(s, from0, e1 - from0), &c1);
	sb_putc(o, ' ');
	emit_hyphen_to(o, vg_str_sub(s, to0, e2 - to0), &c2);
	/* `${from} ${to}`.trim(): from and to never start or end with a space themselves. */
	if (o->len > start && o->p[start] == ' ') {
		memmove(o->p + start, o->p + start + 1, o->len - start - 1);
		o->len--;
	}
	if (o->len > start && o->p[o->len - 1] == ' ')
		o->len--;
	return true;
}

/* ---- stage 5a: trimComparatorWhitespace ---- */

/*
 * These scanners reproduce node-semver's trimComparatorWhitespace(), which
 * emulates the old COMPARATORTRIM regex: they only decide where scanning
 * resumes after a version-like run, so that a space is removed only right
 * after an operator that precedes a version.
 */
static size_t
t_digits_end(struct vg_str s, size_t start, size_t limit)
{
	size_t e = start;

	while (e < s.len && vg__is_digit(s.p[e]))
		e++;
	return e - start > limit ? start + limit : e;
}

static size_t
t_number_end(struct vg_str s, size_t start, bool loose)
{
	if (!loose && at(s, start) == '0')
		return start + 1;
	return t_digits_end(s, start, loose ? TRIM_MAX_DIGITS : TRIM_MAX_DIGITS + 1);
}

static size_t
t_pre_ident_end(struct vg_str s, size_t start, bool loose)
{
	size_t d = t_digits_end(s, start, TRIM_MAX_DIGITS);

	if (vg__is_alpha(at(s, d)) || at(s, d) == '-') {
		size_t e = d + 1;
		size_t limit = e + VG__SEMVER_MAX_IDENT_TAIL;

		while (e < limit && vg__is_ident(at(s, e)))
			e++;
		return e;
	}
	return t_number_end(s, start, loose);
}

static size_t
t_pre_end(struct vg_str s, size_t start, bool loose)
{
	bool hyphen = at(s, start) == '-';
	size_t id0 = start + (hyphen ? 1 : 0);
	size_t e;

	if (!loose && !hyphen)
		return start;
	e = t_pre_ident_end(s, id0, loose);
	if (e == id0) {
		if (!loose || !hyphen)
			return start;
		e = t_pre_ident_end(s, start, loose);
	}
	while (at(s, e) == '.') {
		size_t next = t_pre_ident_end(s, e + 1, loose);

		if (next == e + 1)
			break;
		e = next;
	}
	return e;
}

static size_t
t_build_ident_end(struct vg_str s, size_t start)
{
	size_t e = start;

	while (e - start < VG__SEMVER_MAX_IDENT_TAIL && vg__is_ident(at(s, e)))
		e++;
	return e;
}

static size_t
t_build_end(struct vg_str s, size_t start)
{
	size_t e;

	if (at(s, start) != '+')
		return start;
	e = t_build_ident_end(s, start + 1);
	if (e == start + 1)
		return start;
	while (at(s, e) == '.') {
		size_t next = t_build_ident_end(s, e + 1);

		if (next == e + 1)
			break;
		e = next;
	}
	return e;
}

static size_t
t_loose_full_end(struct vg_str s, size_t start)
{
	size_t e = start;

	for (int k = 0; k < 3; k++) {
		size_t next = t_number_end(s, e, true);

		if (next == e)
			return start;
		e = next;
		if (k < 2) {
			if (at(s, e) != '.')
				return start;
			e++;
		}
	}
	return t_build_end(s, t_pre_end(s, e, true));
}

static bool
is_vstart(char c)
{
	return vg__is_digit(c) || c == 'x' || c == 'X' || c == '*';
}

static size_t
t_partial_part_end(struct vg_str s, size_t start)
{
	if (vg__is_digit(at(s, start)))
		return t_number_end(s, start, false);
	return is_vstart(at(s, start)) ? start + 1 : start;
}

static size_t
t_partial_end(struct vg_str s, size_t start)
{
	size_t e = t_partial_part_end(s, start);

	for (int k = 0; k < 2; k++) {
		size_t next;

		if (at(s, e) != '.')
			return e;
		next = t_partial_part_end(s, e + 1);
		if (next == e + 1)
			return e;
		e = next;
	}
	return t_build_end(s, t_pre_end(s, e, false));
}

static size_t
t_version_end(struct vg_str s, size_t start)
{
	size_t full = t_loose_full_end(s, start);

	return full != start ? full : t_partial_end(s, start);
}

static bool
is_vprefix(char c)
{
	return c == 'v' || c == '=' || c == ' ';
}

/* Position of the one space the old regex removed for a match at @ms, or s.len if none. */
static size_t
removable_space(struct vg_str s, size_t ms)
{
	size_t pos = ms;

	if (at(s, pos) == ' ')
		pos++;
	if (at(s, pos) == '<' || at(s, pos) == '>')
		pos++;
	if (at(s, pos) == '=')
		pos++;
	return at(s, pos) == ' ' ? pos : s.len;
}

static void
trim_comparator_space(struct vg_str s, struct sbuf *o)
{
	size_t copy_from = 0;
	size_t cur = 0;

	while (cur < s.len) {
		size_t ms = cur;
		size_t ws;

		if (s.p[cur] == '<' || s.p[cur] == '>') {
			cur++;
		} else if (!is_vprefix(s.p[cur]) && !is_vstart(s.p[cur])) {
			cur++;
			continue;
		}
		while (cur < s.len && is_vprefix(s.p[cur]))
			cur++;
		if (!is_vstart(at(s, cur)))
			continue;
		ws = removable_space(s, ms);
		if (ws < s.len && ws >= copy_from) {
			sb_putn(o, s.p + copy_from, ws - copy_from);
			copy_from = ws + 1;
		}
		cur = t_version_end(s, cur);
	}
	sb_putn(o, s.p + copy_from, s.len - copy_from);
}

/* ---- stage 5b: "~ 1" -> "~1", "~> 1" -> "~1", "^ 1" -> "^1" ---- */

/* Global replace of (\s?)OP\s with "$1OP"; for '~' the operator may be "~>". */
static void
trim_operator_space(struct vg_str s, char op, struct sbuf *o)
{
	size_t i = 0;

	while (i < s.len) {
		bool sp = s.p[i] == ' ';
		size_t k = i + (sp ? 1 : 0);
		size_t end = 0;

		if (at(s, k) == op) {
			k++;
			if (op == '~' && at(s, k) == '>' && at(s, k + 1) == ' ')
				end = k + 2;
			else if (at(s, k) == ' ')
				end = k + 1;
		}
		if (end == 0) {
			sb_putc(o, s.p[i++]);
			continue;
		}
		if (sp)
			sb_putc(o, ' ');
		sb_putc(o, op);
		i = end;
	}
}

/* ---- stage 6: caret, tilde, x-range and star rewrites of one word ---- */

/* replaceCaret(): ^XRANGEPLAIN (includePrerelease off). */
static void
caret_rewrite(struct vg_str w, struct sbuf *o)
{
	struct xcap c;
	struct vg_str M;
	struct vg_str m;
	bool zero_major;

	if (at(w, 0) != '^' || !xrange_plain_exact(w, 1, &c)) {
		sb_put(o, w);
		return;
	}
	M = c.id[0];
	m = c.id[1];
	zero_major = vg_str_eqc(M, "0");
	if (is_x(M))
		return;
	if (is_x(m)) {
		emit_major_range(o, M);
		return;
	}
	if (is_x(c.id[2])) {
		if (zero_major) {
			emit_minor_range(o, M, m);
			return;
		}
		sb_puts(o, ">=");
		sb_put(o, M);
		sb_putc(o, '.');
		sb_put(o, m);
		sb_puts(o, ".0 <");
		sb_put_inc(o, M);
		sb_puts(o, ".0.0-0");
		return;
	}
	emit_lower_full(o, &c);
	sb_puts(o, " <");
	if (!zero_major) {
		sb_put_inc(o, M);
		sb_puts(o, ".0.0-0");
	} else if (vg_str_eqc(m, "0")) {
		sb_puts(o, "0.0.");
		sb_put_inc(o, c.id[2]);
		sb_puts(o, "-0");
	} else {
		sb_puts(o, "0.");
		sb_put_inc(o, m);
		sb_puts(o, ".0-0");
	}
}

/* replaceTilde(): ~>?XRANGEPLAIN (includePrerelease off). */
static void
tilde_rewrite(struct vg_str w, struct sbuf *o)
{
	struct xcap c;
	size_t i = 1;

	if (at(w, 1) == '>')
		i = 2;
	if (at(w, 0) != '~' || !xrange_plain_exact(w, i, &c)) {
		sb_put(o, w);
		return;
	}
	if (is_x(c.id[0]))
		return;
	if (is_x(c.id[1])) {
		emit_major_range(o, c.id[0]);
		return;
	}
	if (is_x(c.id[2])) {
		emit_minor_range(o, c.id[0], c.id[1]);
		return;
	}
	emit_lower_full(o, &c);
	sb_puts(o, " <");
	sb_put(o, c.id[0]);
	sb_putc(o, '.');
	sb_put_inc(o, c.id[1]);
	sb_puts(o, ".0-0");
}

/* "gtlt M.m.p[-0]" of replaceXRange's operator branch: ">1" -> ">=2.0.0", "<=1.2" -> "<1.3.0-0". */
static void
xrange_operator(struct vg_str gtlt, const struct xcap *c, bool xm, struct sbuf *o)
{
	bool gt = vg_str_eqc(gtlt, ">");
	bool le = vg_str_eqc(gtlt, "<=");
	bool inc_major = (gt || le) && xm;
	bool inc_minor = (gt || le) && !xm;

	if (gt)
		sb_puts(o, ">=");
	else if (le)
		sb_putc(o, '<');
	else
		sb_put(o, gtlt);
	if (inc_major)
		sb_put_inc(o, c->id[0]);
	else
		sb_put(o, c->id[0]);
	sb_putc(o, '.');
	if (xm)
		sb_putc(o, '0');
	else if (inc_minor)
		sb_put_inc(o, c->id[1]);
	else
		sb_put(o, c->id[1]);
	sb_puts(o, ".0");
	if (le || vg_str_eqc(gtlt, "<"))
		sb_puts(o, "-0");
}

/* replaceXRange(): ^GTLT\s?XRANGEPLAIN$ on one trimmed word (includePrerelease off). */
static void
xrange_rewrite(struct vg_str w, struct sbuf *o)
{
	struct xcap c;
	struct vg_str gtlt;
	size_t i = 0;
	bool xM, xm, xp;

	if (at(w, 0) == '<' || at(w, 0) == '>')
		i++;
	if (at(w, i) == '=')
		i++;
	gtlt = vg_str_sub(w, 0, i);
	if (!xrange_plain_exact(w, i, &c) || (is_x(c.id[0]) && !is_x(c.id[1])) ||
	    (is_x(c.id[1]) && c.id[2].len && !is_x(c.id[2]))) {
		sb_put(o, w);
		return;
	}
	xM = is_x(c.id[0]);
	xm = xM || is_x(c.id[1]);
	xp = xm || is_x(c.id[2]);
	if (vg_str_eqc(gtlt, "=") && xp)
		gtlt.len = 0;
	if (xM)
		sb_puts(o, vg_str_eqc(gtlt, ">") || vg_str_eqc(gtlt, "<") ? "<0.0.0-0" : "*");
	else if (gtlt.len && xp)
		xrange_operator(gtlt, &c, xm, o);
	else if (xm)
		emit_major_range(o, c.id[0]);
	else if (xp)
		emit_minor_range(o, c.id[0], c.id[1]);
	else
		sb_put(o, w);
}

/* Apply @fn to every word of @s, joining the results with ' ' (split(/\s+/).map().join(' ')). */
static void
map_words(struct vg_str s, void (*fn)(struct vg_str, struct sbuf *), struct sbuf *o)
{
	struct vg_str w;
	size_t pos = 0;
	bool first = true;

	while (next_word(s, &pos, &w)) {
		if (!first)
			sb_putc(o, ' ');
		first = false;
		fn(w, o);
	}
}

/* replaceStars(): delete the first match of (<|>)?=?\s?\* in the trimmed string. */
static void
star_rewrite(struct vg_str s, struct sbuf *o)
{
	s = trim_spaces(s);
	for (size_t i = 0; i < s.len; i++) {
		size_t k = i;

		if (at(s, k) == '<' || at(s, k) == '>')
			k++;
		if (at(s, k) == '=')
			k++;
		if (at(s, k) == ' ')
			k++;
		if (at(s, k) == '*') {
			sb_putn(o, s.p, i);
			sb_putn(o, s.p + k + 1, s.len - k - 1);
			return;
		}
	}
	sb_put(o, s);
}

/* ---- comparators and testSet() ---- */

/* What one comparator set has shown so far. */
struct set_state {
	bool all_pass;    /* every comparator holds for the version */
	bool pre_allowed; /* a comparator has a prerelease on the version's major.minor.patch */
	bool all_any;     /* every comparator is "" (any version) */
	bool is_null;     /* a comparator is "<0.0.0-0", so node keeps only it */
};

struct ctx {
	struct vg_str range;
	const struct vg_semver *v;
	struct vg_err *err;
};

static int
range_error(const struct ctx *cx, struct vg_str what, const char *why)
{
	return vg_error(cx->err, VG_EINVAL, "invalid npm range '%.*s': %s '%.*s'",
			(int)(cx->range.len > 80 ? 80 : cx->range.len),
			cx->range.p ? cx->range.p : "", why, (int)(what.len > 80 ? 80 : what.len),
			what.p ? what.p : "");
}

static bool
op_holds(struct vg_str op, int c)
{
	if (vg_str_eqc(op, "<"))
		return c < 0;
	if (vg_str_eqc(op, "<="))
		return c <= 0;
	if (vg_str_eqc(op, ">"))
		return c > 0;
	if (vg_str_eqc(op, ">="))
		return c >= 0;
	return c == 0;
}

/* Parse one comparator "[<|>][=]SEMVER" (or "" / ">=0.0.0": any) and fold it into @st. */
static int
eval_comparator(const struct ctx *cx, struct vg_str piece, struct set_state *st)
{
	struct vg_semver c;
	struct vg_str op;
	size_t i = 0;

	if (piece.len == 0 || vg_str_eqc(piece, ">=0.0.0"))
		return VG_OK;
	if (piece.p[0] == '<' || piece.p[0] == '>')
		i++;
	if (at(piece, i) == '=')
		i++;
	op = vg_str_sub(piece, 0, i);
	if (i == piece.len || vg_semver_parse(vg_str_sub(piece, i, piece.len - i), &c, NULL))
		return range_error(cx, piece, "invalid comparator");
	st->all_any = false;
	if (!op_holds(op, vg_semver_cmp(cx->v, &c)))
		st->all_pass = false;
	if (c.pre.len && c.major == cx->v->major && c.minor == cx->v->minor &&
	    c.patch == cx->v->patch)
		st->pre_allowed = true;
	if (vg_str_eqc(op, "<") && c.major == 0 && c.minor == 0 && c.patch == 0 &&
	    vg_str_eqc(c.pre, "0"))
		st->is_null = true;
	return VG_OK;
}

/* parseComparator() on one word, then every resulting comparator. */
static int
eval_word(const struct ctx *cx, struct vg_str word, struct set_state *st)
{
	char mem1[WORD_CAP];
	char mem2[WORD_CAP];
	struct sbuf a;
	struct sbuf b;
	struct vg_str piece;
	size_t pos = 0;
	bool overflow;
	int rc;

	sb_init(&a, mem1, sizeof(mem1));
	sb_init(&b, mem2, sizeof(mem2));
	caret_rewrite(word, &a);
	map_words(sb_str(&a), tilde_rewrite, &b);
	a.len = 0;
	map_words(sb_str(&b), xrange_rewrite, &a);
	b.len = 0;
	star_rewrite(sb_str(&a), &b);
	overflow = a.overflow || b.overflow;
	if (overflow)
		return range_error(cx, word, "expansion too long for");
	while (next_word(sb_str(&b), &pos, &piece)) {
		rc = eval_comparator(cx, piece, st);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* parseRange() on one "||" alternative, evaluated with testSet(). */
static int
eval_set(const struct ctx *cx, struct vg_str set, struct set_state *st)
{
	char mem1[PART_CAP];
	char mem2[PART_CAP];
	struct sbuf a;
	struct sbuf b;
	struct vg_str word;
	size_t pos = 0;
	int rc;

	*st = (struct set_state){.all_pass = true, .all_any = true};
	sb_init(&a, mem1, sizeof(mem1));
	sb_init(&b, mem2, sizeof(mem2));
	strip_build(set, &a);
	if (!hyphen_rewrite(sb_str(&a), &b)) {
		b.len = 0;
		sb_put(&b, sb_str(&a));
	}
	a.len = 0;
	trim_comparator_space(sb_str(&b), &a);
	b.len = 0;
	trim_operator_space(sb_str(&a), '~', &b);
	a.len = 0;
	trim_operator_space(sb_str(&b), '^', &a);
	if (a.overflow || b.overflow)
		return range_error(cx, set, "expansion too long for");
	while (next_word(sb_str(&a), &pos, &word)) {
		rc = eval_word(cx, word, st);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* Range's constructor step 1: trim, then collapse every white space run to ' '. */
static struct vg_str
normalize_space(struct vg_str s, char *mem)
{
	size_t n = 0;
	size_t i = 0;
	size_t k;

	while ((k = vg__js_space_len(s.p + i, s.len - i)) > 0)
		i += k;
	while (i < s.len) {
		size_t run = 0;

		while (i + run < s.len &&
		       (k = vg__js_space_len(s.p + i + run, s.len - i - run)) > 0)
			run += k;
		if (run == 0) {
			mem[n++] = s.p[i++];
			continue;
		}
		i += run;
		if (i < s.len) /* a trailing run is trimmed, not collapsed */
			mem[n++] = ' ';
	}
	return vg_str_n(mem, n);
}

int
vg_npm_range_satisfies(struct vg_str range, struct vg_str version, bool *satisfied,
		       struct vg_err *err)
{
	char norm[VG_VER_MAX_LEN];
	struct vg_semver v;
	struct ctx cx = {range, &v, err};
	struct vg_str r;
	size_t start = 0;
	unsigned nsets = 0;
	unsigned nonnull = 0;
	bool any_set = false;
	bool match = false;
	int rc;

	if (range.len > 0 && !range.p)
		return vg_error(err, VG_EINVAL, "npm range is a NULL pointer");
	if (range.len > VG_VER_MAX_LEN)
		return vg_error(err, VG_EINVAL, "npm range longer than %d bytes", VG_VER_MAX_LEN);
	rc = vg_semver_parse(version, &v, err);
	if (rc != VG_OK)
		return rc;
	r = normalize_space(range, norm);
	for (size_t i = 0; i <= r.len; i++) {
		struct set_state st = {.all_pass = true, .all_any = true};

		if (i < r.len && !(r.p[i] == '|' && at(r, i + 1) == '|'))
			continue;
		rc = eval_set(&cx, trim_spaces(vg_str_sub(r, start, i - start)), &st);
		if (rc != VG_OK)
			return rc;
		nsets++;
		nonnull += !st.is_null;
		any_set |= !st.is_null && st.all_any;
		match |= st.all_pass && (v.pre.len == 0 || st.pre_allowed);
		start = i + 2;
		i++;
	}
	/* Several live sets, one of them "*": node keeps only that set, which rejects prereleases.
	 */
	if (nsets > 1 && nonnull > 1 && any_set)
		match = v.pre.len == 0;
	*satisfied = match;
	return VG_OK;
}
