/*
 * test_osregex.c - unit tests of src/policy/osregex.c (OS_Regex -> PCRE2).
 *
 * 1. A table of OS_Regex patterns and their exact PCRE2 translation, one
 *    row per rule of docs/internals/sca-eval.md.
 * 2. A table of pattern x line -> match, checked on the translation compiled
 *    with PCRE2; the expectations follow Wazuh's os_regex_execute.c and
 *    os_regex_maps.c (\s is a space only, "." and "+" after a plain
 *    character are literal, case-insensitive), two rows come from Wazuh's
 *    own src/os_regex/examples/tests/true.regex.
 * 3. Patterns OS_Regex refuses.
 * 4. Every distinct r:/n: pattern of the two real Wazuh policies (content
 *    and d: file-name chains): 500 distinct patterns in 799 rules (411 +
 *    388), counted independently with python3 + PyYAML; 490 translate and
 *    compile, the 10 that OS_Regex itself refuses (unknown escapes) are
 *    refused, listed below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "policy/eval.h"
#include "policy/sca_rule.h"
#include "vgtest.h"

static char *
translate(const char *pattern, int *rc)
{
	struct vg_buf b;
	struct vg_err err;

	vg_buf_init(&b, 1 << 20);
	*rc = vg_osregex_to_pcre2(pattern, &b, &err);
	return vg_buf_detach(&b, NULL);
}

struct tr_row {
	const char *osregex, *pcre2;
};

static void
t_translation(void **state)
{
	static const struct tr_row rows[] = {
		{"Linux", "(?is)(?:Linux)"},
		{"^\\s*PermitRootLogin\\s+no", "(?is)(?:^ *PermitRootLogin +no)"},
		/* \. is any character; a plain "." is a dot. */
		{"12\\.", "(?is)(?:12.)"},
		{"a.b", "(?is)(?:a\\.b)"},
		/* "+" and "*" quantify only a backslash class. */
		{".+\\.rules$", "(?is)(?:\\.\\+.rules$)"},
		{"a+b*", "(?is)(?:a\\+b\\*)"},
		{"\\w+\\d*", "(?is)(?:[A-Za-z0-9@_\\-]+[0-9]*)"},
		{"\\W\\D\\S", "(?is)(?:[^A-Za-z0-9@_\\-][^0-9][^ ])"},
		{"\\p", "(?is)(?:[!\"#$%&'()*+,\\-.:;<=>?\\[\\]{|}])"},
		{"\\t\\(\\)\\\\\\$\\|\\<", "(?is)(?:\\t\\(\\)\\\\\\$\\|<)"},
		/* Alternatives, each with its own anchors. */
		{"lo|127\\.0\\.0\\.0", "(?is)(?:lo)|(?:127.0.0.0)"},
		{"^active$|^enabled$", "(?is)(?:^active$)|(?:^enabled$)"},
		/* "^" and "$" elsewhere are plain characters. */
		{"a^b$c", "(?is)(?:a\\^b\\$c)"},
		{"a\\\\$", "(?is)(?:a\\\\$)"},
		/* Groups capture. */
		{"^\\s*PASS_MAX_DAYS\\s*\\t*(\\d+)", "(?is)(?:^ *PASS_MAX_DAYS *\\t*([0-9]+))"},
		/* Other PCRE2 metacharacters are literal. */
		{"[x]{2}?", "(?is)(?:\\[x\\]\\{2\\}\\?)"},
		/* OS_Regex never matches an empty alternative. */
		{"", "(?is)(?:(*FAIL))"},
		{"a|", "(?is)(?:a)|(?:(*FAIL))"},
		{"^$", "(?is)(?:(*FAIL))"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc;
		char *out = translate(rows[i].osregex, &rc);
		if (rc != VG_OK || strcmp(out, rows[i].pcre2) != 0)
			fail_msg("'%s': got '%s' (rc %d), want '%s'", rows[i].osregex, out, rc,
				 rows[i].pcre2);
		free(out);
	}
}

/* Whether the OS_Regex @pattern matches @line, through the translation. */
static int
matches(const char *pattern, const char *line)
{
	int rc, ecode;
	PCRE2_SIZE eoff;
	char *tr = translate(pattern, &rc);
	pcre2_code *code;
	pcre2_match_data *md;

	assert_int_equal(rc, VG_OK);
	code = pcre2_compile((PCRE2_SPTR)tr, PCRE2_ZERO_TERMINATED, 0, &ecode, &eoff, NULL);
	if (!code)
		fail_msg("'%s' -> '%s' does not compile", pattern, tr);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)line, strlen(line), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	free(tr);
	return rc >= 0;
}

struct m_row {
	const char *pattern, *line;
	int match;
};

static void
t_matching(void **state)
{
	static const struct m_row rows[] = {
		{"^\\s*PermitRootLogin\\s+no", "PermitRootLogin no", 1},
		{"^\\s*PermitRootLogin\\s+no", "  permitrootlogin   NO", 1},
		/* \s is a space, not a tab. */
		{"^\\s*PermitRootLogin\\s+no", "\tPermitRootLogin no", 0},
		{"^\\s*PermitRootLogin\\s+no", "#PermitRootLogin no", 0},
		{"^\\s*\\t*-e 2$", "\t-e 2", 1},
		{"^\\s*\\t*-e 2$", "-e 2 ", 0},
		{"12\\.", "12.4", 1},
		{"12\\.", "12x", 1},
		{"12\\.", "12", 0},
		{".+\\.rules$", "audit.rules", 0},
		{".+\\.rules$", "x.+-rules", 1},
		{"a|^b", "xb", 0},
		{"a|^b", "bx", 1},
		{"a|^b", "xA", 1},
		{"\\p", "/", 0},
		{"\\p", "!", 1},
		{"\\p", "_", 0},
		{"\\w", "_", 1},
		{"\\w", "@", 1},
		{"\\W", "_", 0},
		{"\\W", "~", 1},
		{"\\S+", "\t", 1},
		{"\\d+", "abc", 0},
		{"\\$FileCreateMode", "$FileCreateMode 0640", 1},
		{"\\$FileCreateMode", "FileCreateMode 0640", 0},
		{"Status:\\s*\\t*active|^enabled$", "Status: active", 1},
		{"Status:\\s*\\t*active|^enabled$", "enabled", 1},
		{"Status:\\s*\\t*active|^enabled$", "disabled", 0},
		/* Two rows of Wazuh's os_regex examples/tests/true.regex. */
		{"test (\\w+)la", "test abclala", 1},
		{"^\\S+ [(\\d+:\\d+:\\d+)] \\.+ (\\d+.\\d+.\\d+.\\d+)\\p*\\d* -> "
		 "(\\d+.\\d+.\\d+.\\d+)\\p*",
		 "snort: [1:469:3] ICMP PING NMAP [Classification: Attempted Information Leak] "
		 "[Priority: 2]: {ICMP} 10.4.12.26 -> 10.4.10.231",
		 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (matches(rows[i].pattern, rows[i].line) != rows[i].match)
			fail_msg("'%s' on '%s': want %d", rows[i].pattern, rows[i].line,
				 rows[i].match);
}

static void
t_refused(void **state)
{
	static const char *const bad[] = {
		"\\q",    /* unknown escape */
		"abc\\",  /* escape at the end */
		"(a(b))", /* nested group */
		"(a|b)",  /* alternation inside a group */
		"a)",     /* unbalanced */
		"(a",     /* unclosed */
		"\\x41",  /* no hex escapes */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;
		char *out = translate(bad[i], &rc);
		if (rc != VG_EINVAL)
			fail_msg("'%s' translated to '%s'", bad[i], out);
		free(out);
	}
	/* Longer than Wazuh's OS_PATTERN_MAXSIZE (2048). */
	char *big = malloc(2050);
	assert_non_null(big);
	memset(big, 'a', 2049);
	big[2049] = '\0';
	int rc;
	char *out = translate(big, &rc);
	assert_int_equal(rc, VG_EINVAL);
	free(out);
	free(big);
}

/* ---- the real policies ---- */

#define MAX_PATTERNS 2048

struct pat_set {
	char *v[MAX_PATTERNS];
	size_t n;
};

static void
add_pattern(struct pat_set *s, const char *p)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], p) == 0)
			return;
	assert_true(s->n < MAX_PATTERNS);
	s->v[s->n++] = strdup(p);
}

static void
add_chain(struct pat_set *s, const struct vg_sca_chain *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		if (ch->conds[i].kind != VG_SCA_COND_LITERAL)
			add_pattern(s, ch->conds[i].pattern);
}

/* Unquote a YAML single- or double-quoted scalar (the policies use only '' \\ \"). */
static char *
unquote(const char *p)
{
	char q = *p++, *out = malloc(strlen(p) + 1);
	size_t o = 0;

	assert_non_null(out);
	for (; *p; p++) {
		if (q == '\'' && p[0] == '\'' && p[1] == '\'') {
			out[o++] = '\'';
			p++;
			continue;
		}
		if (*p == q)
			break;
		if (q == '"' && p[0] == '\\' && p[1])
			p++;
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

/* Every quoted item of a "rules:" list of the policy @rel; returns the count. */
static size_t
collect(const char *rel, struct pat_set *s)
{
	char *path = vgt_shared_path(rel);
	FILE *f = fopen(path, "r");
	char line[8192];
	bool in_rules = false;
	size_t n = 0;

	if (!f)
		fail_msg("cannot open '%s'", path);
	while (fgets(line, sizeof(line), f)) {
		const char *t = line + strspn(line, " ");
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(t, "rules:") == 0) {
			in_rules = true;
		} else if (in_rules && (*t == '\0' || *t == '#')) {
			continue;
		} else if (in_rules && t[0] == '-' && t[1] == ' ' &&
			   (t[2] == '\'' || t[2] == '"')) {
			char *r = unquote(t + 2);
			struct vg_arena a;
			struct vg_sca_rule rule;
			struct vg_err err;
			vg_arena_init(&a);
			if (vg_sca_rule_parse(&a, vg_str_c(r), 0, &rule, &err) != VG_OK)
				fail_msg("%s: '%s': %s", rel, r, err.msg);
			if (rule.has_name)
				add_chain(s, &rule.name);
			if (rule.has_content)
				add_chain(s, &rule.content);
			vg_arena_release(&a);
			free(r);
			n++;
		} else {
			in_rules = false;
		}
	}
	fclose(f);
	free(path);
	return n;
}

/*
 * The ten patterns of the policies that OS_Regex itself refuses (unknown
 * escapes \* \+ \[ \]): OSRegex_Compile() fails, so Wazuh never matches them.
 */
static const char *const refused[] = {
	".*ACCEPT.*all.*\\*.*lo.*0\\.0\\.0\\.0/0.*0\\.0\\.0\\.0/0",
	".*ACCEPT.*all.*\\*.*lo.*::/0.*::/0",
	".*ACCEPT.*all.*lo.*\\*.*0\\.0\\.0\\.0/0.*0\\.0\\.0\\.0/0",
	".*ACCEPT.*all.*lo.*\\*.*::/0.*::/0",
	".*DROP.*all.*\\*.*\\*.*127\\.0\\.0\\.0/8.*0\\.0\\.0\\.0/0",
	".*DROP.*all.*\\*.*\\*.*::1.*::/0",
	"\\+",
	"\\[org/gnome/login-screen\\]",
	"\\s+127\\.0\\.0\\.\\d+:|\\s+\\[::1\\]:",
	"^\\[org/gnome/login-screen\\]",
};

static bool
is_refused(const char *p)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strcmp(p, refused[i]) == 0)
			return true;
	return false;
}

static void
t_real_policies(void **state)
{
	struct pat_set s = {0};
	size_t n1, n2, ok = 0, bad = 0;

	(void)state;
	n1 = collect("sca/wazuh/cis_debian12.yml", &s);
	n2 = collect("sca/wazuh/sca_distro_independent_linux.yml", &s);
	assert_int_equal(n1, 411);
	assert_int_equal(n2, 388);
	assert_int_equal(s.n, 500);
	for (size_t i = 0; i < s.n; i++) {
		int rc, ecode;
		PCRE2_SIZE eoff;
		char *tr = translate(s.v[i], &rc);
		pcre2_code *code;
		if (is_refused(s.v[i])) {
			if (rc != VG_EINVAL)
				fail_msg("'%s' translated to '%s'", s.v[i], tr);
			bad++;
		} else {
			if (rc != VG_OK)
				fail_msg("'%s' does not translate", s.v[i]);
			code = pcre2_compile((PCRE2_SPTR)tr, PCRE2_ZERO_TERMINATED, 0, &ecode,
					     &eoff, NULL);
			if (!code)
				fail_msg("'%s' -> '%s' does not compile", s.v[i], tr);
			pcre2_code_free(code);
			ok++;
		}
		free(tr);
		free(s.v[i]);
	}
	assert_int_equal(ok, 490);
	assert_int_equal(bad, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_translation),
		cmocka_unit_test(t_matching),
		cmocka_unit_test(t_refused),
		cmocka_unit_test(t_real_policies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
