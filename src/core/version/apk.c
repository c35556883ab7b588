/*
 * apk.c - Alpine apk-tools version validation and ordering.
 *
 * Reproduces apk-tools' src/version.c (apk_version_validate(),
 * apk_version_compare() and the fuzzy comparison behind the "~" operator),
 * written from its observable behaviour.  A version is a token stream:
 *
 *   digits {.digits} [letter] {_suffix[digits]} [~hexhash] [-rdigits]
 *
 * Tokens may only appear in that order (a letter only after a number, a
 * suffix number only right after its suffix, nothing after the revision).
 * Two versions are compared token by token while both have a token of the
 * same type; the first differing value decides.  When the token types
 * differ, the version that has ended sorts first, except that a pre-release
 * suffix (_alpha _beta _pre _rc) sorts before the end.
 *
 * Unlike apk, which happily compares the valid prefix of a malformed
 * version, every entry point here rejects a version apk_version_validate()
 * would reject (see version.h: a misparsed version is never guessed at).
 * Numbers are compared as digit strings, so arbitrarily long ones neither
 * overflow nor wrap (apk itself wraps at 2^64; no real version gets there).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/version/version.h"

/*
 * Token types, in the order they may follow each other.  The numeric order
 * matters: it drives both the grammar checks and the tie-break when two
 * versions have tokens of different types.
 */
enum token {
	TOK_INITIAL_DIGIT,
	TOK_DIGIT,
	TOK_LETTER,
	TOK_SUFFIX,
	TOK_SUFFIX_NO,
	TOK_COMMIT_HASH,
	TOK_REVISION_NO,
	TOK_END,
	TOK_INVALID,
};

/* Suffix ranks: pre-release suffixes sort below SUF_NONE, post-release ones above. */
enum suffix {
	SUF_INVALID,
	SUF_ALPHA,
	SUF_BETA,
	SUF_PRE,
	SUF_RC,
	SUF_NONE,
	SUF_CVS,
	SUF_SVN,
	SUF_GIT,
	SUF_HG,
	SUF_P,
};

static const char *const suffix_names[] = {
	[SUF_ALPHA] = "alpha", [SUF_BETA] = "beta", [SUF_PRE] = "pre",
	[SUF_RC] = "rc",       [SUF_CVS] = "cvs",   [SUF_SVN] = "svn",
	[SUF_GIT] = "git",     [SUF_HG] = "hg",     [SUF_P] = "p",
};

/*
 * A lexer over one version.  `tok` is the current token, `val` its bytes
 * (the digits without the leading '.', "_", "~" or "-r"), `suffix` its rank
 * for TOK_SUFFIX.  On TOK_INVALID, `why` says what was wrong and `errpos`
 * where (0-based byte offset).
 */
struct lexer {
	const char *s;
	size_t len;
	size_t pos;
	enum token tok;
	enum suffix suffix;
	struct vg_str val;
	const char *why;
	size_t errpos;
};

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/*
 * apk scans suffix names and commit hashes with apk_blob_spn(), whose class
 * table covers ASCII only: a byte >= 0x80 is treated as a member of every
 * class.  Mirroring that keeps validity identical to apk's, e.g. a hash
 * containing UTF-8 is accepted.
 */
static bool
is_suffix_char(unsigned char c)
{
	return is_lower(c) || c >= 0x80;
}

static bool
is_hash_char(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || c >= 0x80;
}

static enum token
fail(struct lexer *lx, size_t at, const char *why)
{
	lx->tok = TOK_INVALID;
	lx->why = why;
	lx->errpos = at;
	return TOK_INVALID;
}

/* Consume the run of bytes in class @in starting at the current position into lx->val. */
static void
take_run(struct lexer *lx, bool (*in)(unsigned char))
{
	size_t start = lx->pos;

	while (lx->pos < lx->len && in((unsigned char)lx->s[lx->pos]))
		lx->pos++;
	lx->val = vg_str_n(lx->s + start, lx->pos - start);
}

static enum suffix
suffix_value(struct vg_str name)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(suffix_names); i++) {
		if (suffix_names[i] && vg_str_eqc(name, suffix_names[i]))
			return (enum suffix)i;
	}
	return SUF_INVALID;
}

static void
lex_first(struct lexer *lx, struct vg_str v)
{
	memset(lx, 0, sizeof(*lx));
	lx->s = v.p;
	lx->len = v.len;
	if (v.len == 0) {
		/* No pointer arithmetic here: an empty slice may have a NULL pointer. */
		fail(lx, 0, "empty version");
		return;
	}
	take_run(lx, is_digit);
	lx->tok = TOK_INITIAL_DIGIT;
	if (lx->val.len == 0)
		fail(lx, 0, "version does not start with a digit");
}

/* A number after '.' (or directly after a suffix name). */
static enum token
lex_number(struct lexer *lx, size_t at)
{
	switch (lx->tok) {
	case TOK_INITIAL_DIGIT:
	case TOK_DIGIT:
		lx->tok = TOK_DIGIT;
		break;
	case TOK_SUFFIX:
		lx->tok = TOK_SUFFIX_NO;
		break;
	default:
		return fail(lx, at, "number not allowed here");
	}
	take_run(lx, is_digit);
	if (lx->val.len == 0)
		return fail(lx, at, "'.' not followed by a number");
	return lx->tok;
}

static enum token
lex_suffix(struct lexer *lx, size_t at)
{
	if (lx->tok > TOK_SUFFIX_NO)
		return fail(lx, at, "suffix after a commit hash or revision");
	lx->pos++;
	take_run(lx, is_suffix_char);
	lx->suffix = suffix_value(lx->val);
	if (lx->suffix == SUF_INVALID)
		return fail(
			lx, at,
			"unknown suffix (expected alpha, beta, pre, rc, cvs, svn, git, hg or p)");
	return lx->tok = TOK_SUFFIX;
}

static enum token
lex_hash(struct lexer *lx, size_t at)
{
	if (lx->tok >= TOK_COMMIT_HASH)
		return fail(lx, at, "commit hash after a commit hash or revision");
	lx->pos++;
	take_run(lx, is_hash_char);
	if (lx->val.len == 0)
		return fail(lx, at, "'~' not followed by a lower-case hex commit hash");
	return lx->tok = TOK_COMMIT_HASH;
}

static enum token
lex_revision(struct lexer *lx, size_t at)
{
	if (lx->tok >= TOK_REVISION_NO)
		return fail(lx, at, "second revision");
	if (lx->len - lx->pos < 2 || lx->s[lx->pos + 1] != 'r')
		return fail(lx, at, "'-' not followed by 'r'");
	lx->pos += 2;
	take_run(lx, is_digit);
	if (lx->val.len == 0)
		return fail(lx, at, "'-r' not followed by a number");
	return lx->tok = TOK_REVISION_NO;
}

/* Advance to the next token, checking that it may follow the current one. */
static enum token
lex_next(struct lexer *lx)
{
	size_t at = lx->pos;
	unsigned char c;

	if (lx->pos == lx->len)
		return lx->tok = TOK_END;
	c = (unsigned char)lx->s[lx->pos];
	if (is_lower(c)) {
		if (lx->tok > TOK_DIGIT)
			return fail(lx, at, "letter not directly after a number");
		lx->val = vg_str_n(lx->s + lx->pos++, 1);
		return lx->tok = TOK_LETTER;
	}
	if (c == '.') {
		if (lx->tok > TOK_DIGIT)
			return fail(lx, at, "'.' not directly after a number");
		lx->pos++;
		return lex_number(lx, at);
	}
	if (is_digit(c))
		return lex_number(lx, at);
	if (c == '_')
		return lex_suffix(lx, at);
	if (c == '~')
		return lex_hash(lx, at);
	if (c == '-')
		return lex_revision(lx, at);
	return fail(lx, at, "unexpected character");
}

/* Numeric order of two non-empty digit strings of any length. */
static int
cmp_number(struct vg_str a, struct vg_str b)
{
	int r;

	while (a.len > 1 && a.p[0] == '0')
		a = vg_str_sub(a, 1, a.len - 1);
	while (b.len > 1 && b.p[0] == '0')
		b = vg_str_sub(b, 1, b.len - 1);
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	r = memcmp(a.p, b.p, a.len);
	return (r > 0) - (r < 0);
}

/* Byte-wise order, a proper prefix first (apk_blob_sort()). */
static int
cmp_bytes(struct vg_str a, struct vg_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int r = n ? memcmp(a.p, b.p, n) : 0;

	if (r != 0)
		return r < 0 ? -1 : 1;
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	return 0;
}

/* Order of two tokens of the same type. */
static int
cmp_token(const struct lexer *a, const struct lexer *b)
{
	switch (a->tok) {
	case TOK_DIGIT:
		/*
		 * After a '.', a component with a leading zero is a decimal
		 * fraction in Gentoo's rules ("1.02" < "1.1"), so apk falls
		 * back to comparing the digits as strings.
		 */
		if (a->val.p[0] == '0' || b->val.p[0] == '0')
			return cmp_bytes(a->val, b->val);
		return cmp_number(a->val, b->val);
	case TOK_INITIAL_DIGIT:
	case TOK_SUFFIX_NO:
	case TOK_REVISION_NO:
		return cmp_number(a->val, b->val);
	case TOK_SUFFIX:
		return a->suffix == b->suffix ? 0 : (a->suffix < b->suffix ? -1 : 1);
	default:
		/* Letters and commit hashes have no order but their bytes. */
		return cmp_bytes(a->val, b->val);
	}
}

/*
 * Decide between two token streams that agreed up to the current tokens
 * @la and @lb, as apk_version_compare_fuzzy() does.  With @fuzzy, @lb
 * running out first means "equal": b is a prefix of a at token level.
 */
static int
decide(const struct lexer *la, const struct lexer *lb, bool fuzzy)
{
	if (la->tok == lb->tok)
		return 0;
	if (fuzzy && lb->tok == TOK_END)
		return 0;
	/* Equal so far: a pre-release suffix sorts before anything, even the end. */
	if (la->tok == TOK_SUFFIX && la->suffix < SUF_NONE)
		return -1;
	if (lb->tok == TOK_SUFFIX && lb->suffix < SUF_NONE)
		return 1;
	/* Otherwise the version that goes on (lower token type) is the greater one. */
	return la->tok > lb->tok ? -1 : 1;
}

/* Describe the byte at @pos for an error message. */
static void
describe_byte(const struct lexer *lx, char *buf, size_t size)
{
	unsigned char c;

	if (lx->errpos >= lx->len) {
		snprintf(buf, size, "end");
		return;
	}
	c = (unsigned char)lx->s[lx->errpos];
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02x", c);
}

/* Validate @v; on failure fill @err, naming the operand with @which ("" or "first "/"second "). */
static int
check(struct vg_str v, const char *which, struct vg_err *err)
{
	struct lexer lx;
	char at[16];

	if (v.len > VG_VER_MAX_LEN)
		return vg_error(err, VG_EINVAL, "%sapk version longer than %d bytes", which,
				VG_VER_MAX_LEN);
	if (v.len > 0 && !v.p)
		return vg_error(err, VG_EINVAL, "%sapk version is a NULL pointer", which);
	for (lex_first(&lx, v); lx.tok < TOK_END; lex_next(&lx))
		;
	if (lx.tok == TOK_END)
		return VG_OK;
	describe_byte(&lx, at, sizeof(at));
	return vg_error_at(err, VG_EINVAL, (int)lx.errpos + 1,
			   "invalid %sapk version '%.*s': %s (at %s, column %zu)", which,
			   (int)(v.len > 64 ? 64 : v.len), v.len ? v.p : "", lx.why, at,
			   lx.errpos + 1);
}

int
vg_apk_validate(struct vg_str v, struct vg_err *err)
{
	return check(v, "", err);
}

/*
 * apk compares token by token and stops at the first difference, so it
 * answers "1.0" < "1.0bc" although "1.0bc" is not valid as a whole: the
 * malformed "c" is never reached.  We give apk's answer whenever it is
 * decided by well-formed tokens, and refuse (VG_EINVAL) when the comparison
 * would have to look at a malformed token: then apk's answer depends on how
 * it happens to classify garbage, and that would be a guess.
 */
static int
compare(struct vg_str a, struct vg_str b, bool fuzzy, int *cmp, struct vg_err *err)
{
	struct lexer la, lb;

	if (a.len > VG_VER_MAX_LEN || (a.len && !a.p))
		return check(a, "first ", err);
	if (b.len > VG_VER_MAX_LEN || (b.len && !b.p))
		return check(b, "second ", err);
	lex_first(&la, a);
	lex_first(&lb, b);
	while (la.tok == lb.tok && la.tok < TOK_END) {
		int r = cmp_token(&la, &lb);

		if (r != 0) {
			*cmp = r;
			return VG_OK;
		}
		lex_next(&la);
		lex_next(&lb);
	}
	if (la.tok == TOK_INVALID)
		return check(a, "first ", err);
	if (lb.tok == TOK_INVALID)
		return check(b, "second ", err);
	*cmp = decide(&la, &lb, fuzzy);
	return VG_OK;
}

int
vg_apk_compare(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	return compare(a, b, false, cmp, err);
}

int
vg_apk_compare_fuzzy(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	return compare(a, b, true, cmp, err);
}
