/*
 * osregex.c - translating Wazuh's OS_Regex dialect into PCRE2 (issue 6).
 *
 * The rules follow Wazuh's own implementation (src/os_regex/os_regex_compile.c,
 * os_regex_execute.c, os_regex_maps.c); docs/internals/sca-eval.md cites them:
 *
 *  - "|" splits the pattern into alternatives, each with its own "^" (first
 *    byte) and "$" (last byte) anchors; "|" inside parentheses, nested or
 *    unbalanced parentheses and unknown escapes are refused;
 *  - backslash classes: \w [A-Za-z0-9@_-], \W its complement, \d [0-9], \D,
 *    \s a space only, \S, \p the punctuation of regexmap[4], \. any byte,
 *    \t a tab, and the escaped literals \( \) \\ \$ \| \<;
 *  - "+" and "*" are quantifiers only right after a backslash class; after
 *    anything else they, like ".", "?", "[", "{", a "^" that does not start an
 *    alternative and a "$" that does not end one, are plain characters;
 *  - "(" and ")" delimit a capture group (one level);
 *  - plain characters match case-insensitively (SCA compiles with flags that
 *    lack OS_CASE_SENSITIVE), hence the "(?i)" the translation starts with;
 *    "(?s)" makes "." (from \.) match any byte.
 *
 * OS_Regex's matcher backtracks only a little (four saved positions), so a
 * few patterns it fails to match on some lines do match in PCRE2; the
 * translation keeps the language, not those failures.
 */
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "policy/eval.h"

/* OS_PATTERN_MAXSIZE in Wazuh's os_regex.h. */
#define OSREGEX_MAX_PATTERN 2048

/* The PCRE2 spelling of a backslash class, or NULL for an unknown escape. */
static const char *
class_pcre2(char c)
{
	switch (c) {
	case 'w':
		return "[A-Za-z0-9@_\\-]";
	case 'W':
		return "[^A-Za-z0-9@_\\-]";
	case 'd':
		return "[0-9]";
	case 'D':
		return "[^0-9]";
	case 's':
		return " ";
	case 'S':
		return "[^ ]";
	case 'p':
		return "[!\"#$%&'()*+,\\-.:;<=>?\\[\\]{|}]";
	case '.':
		return ".";
	case 't':
		return "\\t";
	case '(':
		return "\\(";
	case ')':
		return "\\)";
	case '\\':
		return "\\\\";
	case '$':
		return "\\$";
	case '|':
		return "\\|";
	case '<':
		return "<";
	default:
		return NULL;
	}
}

/* Append @c as a literal PCRE2 character. */
static int
add_literal(struct vg_buf *out, char c)
{
	if (strchr("\\^$.[]|()?*+{}", c) && c != '\0') {
		int rc = vg_buf_addch(out, '\\');
		if (rc)
			return rc;
	}
	return vg_buf_addch(out, c);
}

/* Validate the whole pattern as OSRegex_Compile() does before splitting it. */
static int
validate(const char *p, size_t n, struct vg_err *err)
{
	int depth = 0;

	if (n > OSREGEX_MAX_PATTERN)
		return vg_error(err, VG_EINVAL, "os_regex pattern longer than %d bytes",
				OSREGEX_MAX_PATTERN);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\') {
			if (i + 1 >= n || !class_pcre2(p[i + 1]))
				return vg_error_at(err, VG_EINVAL, (int)i + 1,
						   "invalid os_regex escape at column %zu", i + 1);
			i++;
			continue;
		}
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')')
			depth--;
		if (depth != 0 && depth != 1)
			return vg_error_at(err, VG_EINVAL, (int)i + 1,
					   "invalid os_regex parentheses at column %zu", i + 1);
		if (p[i] == '|' && depth != 0)
			return vg_error_at(err, VG_EINVAL, (int)i + 1,
					   "os_regex '|' inside parentheses at column %zu", i + 1);
	}
	if (depth != 0)
		return vg_error(err, VG_EINVAL, "unbalanced os_regex parentheses");
	return VG_OK;
}

/* Translate one alternative p[0..n) (no unescaped '|'). */
static int
translate_alt(const char *p, size_t n, struct vg_buf *out)
{
	bool begin = false, end = false;
	int rc = VG_OK;

	if (n > 0 && p[0] == '^') {
		begin = true;
		p++;
		n--;
	}
	/* A final unescaped '$' anchors (an escaped one was consumed as "\$"). */
	if (n > 0 && p[n - 1] == '$') {
		size_t bs = 0;
		while (bs + 1 < n && p[n - 2 - bs] == '\\')
			bs++;
		if (bs % 2 == 0) {
			end = true;
			n--;
		}
	}
	/* OS_Regex never matches an empty alternative. */
	if (n == 0)
		return vg_buf_addstr(out, "(*FAIL)");
	if (begin)
		rc = vg_buf_addch(out, '^');
	for (size_t i = 0; i < n && !rc; i++) {
		if (p[i] == '\\') {
			rc = vg_buf_addstr(out, class_pcre2(p[i + 1]));
			i++;
			if (!rc && i + 1 < n && (p[i + 1] == '+' || p[i + 1] == '*')) {
				rc = vg_buf_addch(out, p[i + 1]);
				i++;
			}
		} else if (p[i] == '(' || p[i] == ')') {
			rc = vg_buf_addch(out, p[i]);
		} else {
			rc = add_literal(out, p[i]);
		}
	}
	if (!rc && end)
		rc = vg_buf_addch(out, '$');
	return rc;
}

int
vg_osregex_to_pcre2(const char *pattern, struct vg_buf *out, struct vg_err *err)
{
	size_t n = strlen(pattern), start = 0;
	int rc = validate(pattern, n, err);
	bool first = true;

	if (rc)
		return rc;
	rc = vg_buf_addstr(out, "(?is)");
	for (size_t i = 0; i <= n && !rc; i++) {
		if (i < n && pattern[i] == '\\') {
			i++;
			continue;
		}
		if (i < n && pattern[i] != '|')
			continue;
		if (!first)
			rc = vg_buf_addch(out, '|');
		if (!rc)
			rc = vg_buf_addstr(out, "(?:");
		if (!rc)
			rc = translate_alt(pattern + start, i - start, out);
		if (!rc)
			rc = vg_buf_addch(out, ')');
		first = false;
		start = i + 1;
	}
	if (rc)
		return vg_error(err, rc, "os_regex translation too long");
	return VG_OK;
}
