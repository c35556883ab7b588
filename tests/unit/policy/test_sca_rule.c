/*
 * test_sca_rule.c - unit tests of src/policy/sca_rule.c.
 *
 * Every rule string of the two real Wazuh policies in ../shared/data/sca/wazuh
 * (requirements and checks) must parse, print back byte for byte and
 * round-trip; the counts were taken independently with python3 + PyYAML
 * (cis_debian12.yml: 4 + 407, sca_distro_independent_linux.yml: 1 + 387).
 * Then one rule of each shape, quoted from the files, is checked field by
 * field, and malformed rules must fail at the right column.
 *
 * The policies are YAML; rather than link a YAML library into the tests, a
 * small reader takes the quoted items of every `rules:` list (all rules in
 * both files are single- or double-quoted scalars, one per line).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/sca_rule.h"
#include "vgtest.h"

#define MAX_RULES 1024

struct rule_list {
	char *rules[MAX_RULES];
	size_t n;
};

/* Unquote a YAML single- or double-quoted scalar starting at @p (at the quote). */
static char *
unquote(const char *p, const char *path, int lineno)
{
	char q = *p++;
	size_t len = strlen(p), o = 0;
	char *out = malloc(len + 1);

	assert_non_null(out);
	for (; *p; p++) {
		if (q == '\'' && p[0] == '\'' && p[1] == '\'') {
			out[o++] = '\'';
			p++;
		} else if (q == '"' && p[0] == '\\') {
			if (p[1] != '\\' && p[1] != '"')
				fail_msg("%s:%d: unexpected escape '\\%c'", path, lineno, p[1]);
			out[o++] = *++p;
		} else if (*p == q) {
			break;
		} else {
			out[o++] = *p;
		}
	}
	if (*p != q)
		fail_msg("%s:%d: unterminated quoted rule", path, lineno);
	out[o] = '\0';
	return out;
}

/* The quoted items of every "rules:" list of the policy file @rel (under ../shared/data). */
static void
read_rules(const char *rel, struct rule_list *list)
{
	char *path = vgt_shared_path(rel);
	FILE *f = fopen(path, "r");
	char line[8192];
	int lineno = 0;
	bool in_rules = false;

	if (!f)
		fail_msg("cannot open '%s'", path);
	list->n = 0;
	while (fgets(line, sizeof(line), f)) {
		const char *t = line + strspn(line, " ");

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(t, "rules:") == 0) {
			in_rules = true;
		} else if (in_rules && (*t == '\0' || *t == '#')) {
			continue;
		} else if (in_rules && t[0] == '-' && t[1] == ' ' &&
			   (t[2] == '\'' || t[2] == '"')) {
			assert_true(list->n < MAX_RULES);
			list->rules[list->n++] = unquote(t + 2, path, lineno);
		} else {
			in_rules = false;
		}
	}
	fclose(f);
	free(path);
}

static void
free_rules(struct rule_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->rules[i]);
	list->n = 0;
}

static bool
chain_eq(const struct vg_sca_chain *a, const struct vg_sca_chain *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct vg_sca_cond *x = &a->conds[i], *y = &b->conds[i];

		if (x->kind != y->kind || x->negated != y->negated ||
		    strcmp(x->pattern, y->pattern) != 0)
			return false;
		if (x->kind == VG_SCA_COND_NUMERIC && (x->op != y->op || x->value != y->value))
			return false;
	}
	return true;
}

static bool
rule_eq(const struct vg_sca_rule *a, const struct vg_sca_rule *b)
{
	if (a->type != b->type || a->negated != b->negated || a->dialect != b->dialect ||
	    a->ntargets != b->ntargets || a->has_name != b->has_name ||
	    a->has_content != b->has_content)
		return false;
	for (size_t i = 0; i < a->ntargets; i++)
		if (strcmp(a->targets[i], b->targets[i]) != 0)
			return false;
	return (!a->has_name || chain_eq(&a->name, &b->name)) &&
	       (!a->has_content || chain_eq(&a->content, &b->content));
}

/*
 * Parse @s, print it, and check the print equals @s (real rules are already
 * canonical) and parses to an equal rule that prints the same.  Returns
 * false, with a message, on any failure.
 */
static bool
check_real_rule(const char *s)
{
	struct vg_arena arena;
	struct vg_sca_rule r, again;
	struct vg_buf out, out2;
	struct vg_err err;
	bool ok = false;

	vg_arena_init(&arena);
	vg_buf_init(&out, 16384);
	vg_buf_init(&out2, 16384);
	if (vg_sca_rule_parse(&arena, vg_str_c(s), 0, &r, &err) != VG_OK)
		print_message("'%s': %s\n", s, err.msg);
	else if (vg_sca_rule_print(&r, &out) != VG_OK || strcmp(out.p, s) != 0)
		print_message("'%s' prints as '%s'\n", s, out.p);
	else if (vg_sca_rule_parse(&arena, vg_buf_str(&out), 0, &again, &err) != VG_OK ||
		 !rule_eq(&r, &again))
		print_message("'%s' does not round-trip\n", s);
	else if (vg_sca_rule_print(&again, &out2) != VG_OK || strcmp(out.p, out2.p) != 0)
		print_message("'%s' prints differently after a round trip\n", s);
	else
		ok = true;
	vg_buf_release(&out2);
	vg_buf_release(&out);
	vg_arena_release(&arena);
	return ok;
}

static void
check_policy(const char *rel, size_t expected)
{
	struct rule_list list;
	size_t good = 0;

	read_rules(rel, &list);
	for (size_t i = 0; i < list.n; i++)
		good += check_real_rule(list.rules[i]);
	print_message("%s: %zu rules, %zu parsed and round-tripped\n", rel, list.n, good);
	assert_int_equal(list.n, expected);
	assert_int_equal(good, expected);
	free_rules(&list);
}

static void
t_cis_debian12(void **state)
{
	(void)state;
	check_policy("sca/wazuh/cis_debian12.yml", 4 + 407);
}

static void
t_distro_independent(void **state)
{
	(void)state;
	check_policy("sca/wazuh/sca_distro_independent_linux.yml", 1 + 387);
}

/* Fails the test unless the policy file @rel holds the rule @s (spot checks quote real rules). */
static void
assert_in_policy(const char *rel, const char *s)
{
	struct rule_list list;
	bool found = false;

	read_rules(rel, &list);
	for (size_t i = 0; i < list.n && !found; i++)
		found = strcmp(list.rules[i], s) == 0;
	free_rules(&list);
	if (!found)
		fail_msg("'%s' is not a rule of %s", s, rel);
}

static struct vg_arena spot_arena;

/* Parse @s, which must be a rule of the policy @rel. */
static struct vg_sca_rule
spot(const char *rel, const char *s)
{
	struct vg_sca_rule r;
	struct vg_err err;

	if (rel)
		assert_in_policy(rel, s);
	if (vg_sca_rule_parse(&spot_arena, vg_str_c(s), 0, &r, &err) != VG_OK)
		fail_msg("'%s': %s", s, err.msg);
	return r;
}

static void
assert_cond(const struct vg_sca_cond *c, enum vg_sca_cond_kind kind, bool negated,
	    const char *pattern)
{
	assert_int_equal(c->kind, kind);
	assert_int_equal(c->negated, negated);
	assert_string_equal(c->pattern, pattern);
}

#define DEB "sca/wazuh/cis_debian12.yml"
#define GEN "sca/wazuh/sca_distro_independent_linux.yml"

static void
t_spot_files(void **state)
{
	struct vg_sca_rule r;

	(void)state;
	vg_arena_init(&spot_arena);
	r = spot(DEB, "f:/etc/os-release -> r:NAME= && r:Debian");
	assert_int_equal(r.type, VG_SCA_FILE);
	assert_false(r.negated);
	assert_int_equal(r.dialect, VG_SCA_OSREGEX);
	assert_int_equal(r.ntargets, 1);
	assert_string_equal(r.targets[0], "/etc/os-release");
	assert_false(r.has_name);
	assert_true(r.has_content);
	assert_int_equal(r.content.n, 2);
	assert_cond(&r.content.conds[0], VG_SCA_COND_REGEX, false, "NAME=");
	assert_cond(&r.content.conds[1], VG_SCA_COND_REGEX, false, "Debian");

	r = spot(GEN, "f:/proc/sys/kernel/ostype -> Linux");
	assert_int_equal(r.content.n, 1);
	assert_cond(&r.content.conds[0], VG_SCA_COND_LITERAL, false, "Linux");

	r = spot(GEN, "not f:/etc/motd");
	assert_true(r.negated);
	assert_int_equal(r.type, VG_SCA_FILE);
	assert_string_equal(r.targets[0], "/etc/motd");
	assert_false(r.has_content);

	r = spot(DEB, "not f:/etc/shadow -> !r:^[\\w@-]+:[*!+-]: && "
		      "n:^[\\w@-]+:\\S*:\\d*:\\d*:(\\d+) compare > 365");
	assert_true(r.negated);
	assert_int_equal(r.content.n, 2);
	assert_cond(&r.content.conds[0], VG_SCA_COND_REGEX, true, "^[\\w@-]+:[*!+-]:");
	assert_cond(&r.content.conds[1], VG_SCA_COND_NUMERIC, false,
		    "^[\\w@-]+:\\S*:\\d*:\\d*:(\\d+)");
	assert_int_equal(r.content.conds[1].op, VG_SCA_OP_GT);
	assert_int_equal(r.content.conds[1].value, 365);
	vg_arena_release(&spot_arena);
}

static void
t_spot_dirs(void **state)
{
	struct vg_sca_rule r;

	(void)state;
	vg_arena_init(&spot_arena);
	r = spot(DEB, "d:/etc/audit/rules.d");
	assert_int_equal(r.type, VG_SCA_DIR);
	assert_string_equal(r.targets[0], "/etc/audit/rules.d");
	assert_false(r.has_name);
	assert_false(r.has_content);

	r = spot(DEB, "d:/etc/security/pwquality.conf.d/* -> r:.+\\.conf$ -> "
		      "n:maxrepeat\\s*\\t*=\\s*\\t*(\\d+) compare > 0 && "
		      "n:maxrepeat\\s*\\t*=\\s*\\t*(\\d+) compare <= 3");
	assert_string_equal(r.targets[0], "/etc/security/pwquality.conf.d/*");
	assert_true(r.has_name);
	assert_int_equal(r.name.n, 1);
	assert_cond(&r.name.conds[0], VG_SCA_COND_REGEX, false, ".+\\.conf$");
	assert_int_equal(r.content.n, 2);
	assert_cond(&r.content.conds[0], VG_SCA_COND_NUMERIC, false,
		    "maxrepeat\\s*\\t*=\\s*\\t*(\\d+)");
	assert_int_equal(r.content.conds[0].op, VG_SCA_OP_GT);
	assert_int_equal(r.content.conds[0].value, 0);
	assert_int_equal(r.content.conds[1].op, VG_SCA_OP_LE);
	assert_int_equal(r.content.conds[1].value, 3);

	/* The file-name part may itself be a chain. */
	r = spot(DEB, "d:/etc/sudoers.d/ -> !r:^# && r:.* -> r:NOPASSWD");
	assert_int_equal(r.name.n, 2);
	assert_cond(&r.name.conds[0], VG_SCA_COND_REGEX, true, "^#");
	assert_cond(&r.name.conds[1], VG_SCA_COND_REGEX, false, ".*");
	assert_int_equal(r.content.n, 1);
	assert_cond(&r.content.conds[0], VG_SCA_COND_REGEX, false, "NOPASSWD");

	r = spot(GEN, "not d:/etc/audit/rules.d -> r:.+\\.rules$ -> !r:\\s*\\t*-e 2$");
	assert_true(r.negated);
	assert_cond(&r.content.conds[0], VG_SCA_COND_REGEX, true, "\\s*\\t*-e 2$");
	vg_arena_release(&spot_arena);
}

static void
t_spot_process_command(void **state)
{
	struct vg_sca_rule r;

	(void)state;
	vg_arena_init(&spot_arena);
	r = spot(GEN, "p:auditd");
	assert_int_equal(r.type, VG_SCA_PROCESS);
	assert_string_equal(r.targets[0], "auditd");
	assert_false(r.has_content);

	r = spot(GEN, "c:sh -c \"cut -f1 -d\\\":\\\" /etc/group | sort | uniq -dc | wc -l\" -> "
		      "n:^(\\d+)$ compare == 0");
	assert_int_equal(r.type, VG_SCA_COMMAND);
	assert_int_equal(r.ntargets, 1);
	assert_string_equal(r.targets[0],
			    "sh -c \"cut -f1 -d\\\":\\\" /etc/group | sort | uniq -dc | wc -l\"");
	assert_cond(&r.content.conds[0], VG_SCA_COND_NUMERIC, false, "^(\\d+)$");
	assert_int_equal(r.content.conds[0].op, VG_SCA_OP_EQ);
	assert_int_equal(r.content.conds[0].value, 0);

	r = spot(DEB, "not c:dpkg-query -s apache2 nginx -> r:install ok installed");
	assert_true(r.negated);
	assert_string_equal(r.targets[0], "dpkg-query -s apache2 nginx");
	assert_cond(&r.content.conds[0], VG_SCA_COND_REGEX, false, "install ok installed");

	/* A single-quoted YAML rule with '' inside. */
	r = spot(DEB,
		 "c:sh -c \"nft list ruleset | awk '/hook input/,/}/'\" -> r:iif \"lo\" accept");
	assert_string_equal(r.targets[0], "sh -c \"nft list ruleset | awk '/hook input/,/}/'\"");
	vg_arena_release(&spot_arena);
}

static void
t_spot_quirks(void **state)
{
	struct vg_sca_rule r;

	(void)state;
	vg_arena_init(&spot_arena);
	/* A stray second " -> " in a c: rule stays inside the first pattern, as in Wazuh. */
	r = spot(DEB, "c:auditctl -l -> r:.+\\.rules$ -> r:^-w && r:/etc/netplan && r:-p wa && "
		      "r:-k system-locale|key=system-locale");
	assert_false(r.has_name);
	assert_int_equal(r.content.n, 4);
	assert_cond(&r.content.conds[0], VG_SCA_COND_REGEX, false, ".+\\.rules$ -> r:^-w");

	/* Two spaces before "&&": the pattern keeps its trailing space. */
	r = spot(DEB, "c:auditctl -l -> r:^-a && r:exit,always|always,exit && "
		      "r:-F arch=b64|-F arch=b32 && r:-C euid!=uid  && r:-F auid!=unset && "
		      "r:-S execve && r:-k user_emulation|key=user_emulation");
	assert_cond(&r.content.conds[3], VG_SCA_COND_REGEX, false, "-C euid!=uid ");

	/* A condition without r: is a literal line match. */
	r = spot(DEB, "d:/etc/audit/rules.d -> r:.+\\.rules$ -> r:^-a && "
		      "r:always,exit|exit,always && r:-F path=/usr/bin/chacl && r:-F perm=x && "
		      "r:-F auid>=1000 && -F auid!=unset && r:-k perm_chng");
	assert_cond(&r.content.conds[5], VG_SCA_COND_LITERAL, false, "-F auid!=unset");

	/* " | r:" is not an operator: it stays in the pattern. */
	r = spot(DEB, "f:/etc/login.defs -> r:ENCRYPT_METHOD\\s*\\t*SHA512 | "
		      "r:ENCRYPT_METHOD\\s*\\t*YESCRYPT");
	assert_int_equal(r.content.n, 1);
	assert_cond(&r.content.conds[0], VG_SCA_COND_REGEX, false,
		    "ENCRYPT_METHOD\\s*\\t*SHA512 | r:ENCRYPT_METHOD\\s*\\t*YESCRYPT");
	vg_arena_release(&spot_arena);
}

static void
t_documented_forms(void **state)
{
	struct vg_sca_rule r;

	(void)state;
	vg_arena_init(&spot_arena);
	/* From Wazuh's "Creating custom SCA policies". */
	r = spot(NULL, "r:HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\Netlogon\\"
		       "Parameters -> MaximumPasswordAge -> 0");
	assert_int_equal(r.type, VG_SCA_REGISTRY);
	assert_false(vg_sca_type_supported(r.type));
	assert_true(vg_sca_type_supported(VG_SCA_FILE));
	assert_cond(&r.name.conds[0], VG_SCA_COND_LITERAL, false, "MaximumPasswordAge");
	assert_cond(&r.content.conds[0], VG_SCA_COND_LITERAL, false, "0");

	r = spot(NULL, "f:$sshd_file -> n:^\\s*MaxAuthTries\\s*\\t*(\\d+) compare <= 4");
	assert_string_equal(r.targets[0], "$sshd_file");

	r = spot(NULL, "f:/etc/ssh/sshd_config,/opt/ssh/etc/sshd_config -> !r:^# && r:Port\\.+22");
	assert_int_equal(r.ntargets, 2);
	assert_string_equal(r.targets[1], "/opt/ssh/etc/sshd_config");

	r = spot(NULL, "d:/home/* -> ^.mysql_history$");
	assert_cond(&r.name.conds[0], VG_SCA_COND_LITERAL, false, "^.mysql_history$");
	assert_false(r.has_content);

	/* Every operator, negative values, and the canonical integer. */
	r = spot(NULL, "f:/x -> n:a(\\d+) compare < -5 && n:a(\\d+) compare >= 007 && "
		       "!n:a(\\d+) compare != 1");
	assert_int_equal(r.content.conds[0].op, VG_SCA_OP_LT);
	assert_int_equal(r.content.conds[0].value, -5);
	assert_int_equal(r.content.conds[1].op, VG_SCA_OP_GE);
	assert_int_equal(r.content.conds[1].value, 7);
	assert_true(r.content.conds[2].negated);
	assert_int_equal(r.content.conds[2].op, VG_SCA_OP_NE);
	{
		struct vg_buf out;

		vg_buf_init(&out, 1024);
		assert_int_equal(vg_sca_rule_print(&r, &out), VG_OK);
		assert_string_equal(out.p, "f:/x -> n:a(\\d+) compare < -5 && n:a(\\d+) compare >= "
					   "7 && !n:a(\\d+) compare != 1");
		vg_buf_release(&out);
	}
	vg_arena_release(&spot_arena);
}

/* A malformed rule: @code at @column, and the message starts "rule column @column: @what". */
struct bad_case {
	const char *rule;
	int code;
	int column;
	const char *what;
};

static const struct bad_case bad_cases[] = {
	{"", VG_EINVAL, 1, "expected rule type"},
	{"x:/etc", VG_EINVAL, 1, "expected rule type"},
	{"not x:/etc", VG_EINVAL, 5, "expected rule type"},
	{"not  f:/etc", VG_EINVAL, 5, "expected rule type"},
	{"F:/etc", VG_EINVAL, 1, "expected rule type"},
	{"f/etc", VG_EINVAL, 2, "expected ':' after rule type 'f'"},
	{"f:", VG_EINVAL, 3, "empty target"},
	{"f: -> r:x", VG_EINVAL, 3, "empty target"},
	{"f:/a,,/b", VG_EINVAL, 6, "empty target"},
	{"d:/a,", VG_EINVAL, 6, "empty target"},
	{"c:ls", VG_EINVAL, 5, "expected ' -> ' and content after command"},
	{"p:sshd -> r:x", VG_EINVAL, 7, "process rules take no content"},
	{"f:/x -> ", VG_EINVAL, 9, "empty condition"},
	{"f:/x -> !", VG_EINVAL, 10, "empty condition"},
	{"f:/x -> r:", VG_EINVAL, 11, "empty r: pattern"},
	{"f:/x -> r:a && ", VG_EINVAL, 16, "empty condition"},
	{"f:/x -> r:a &&  && r:b", VG_EINVAL, 16, "empty condition"},
	{"d:/x -> r:a -> ", VG_EINVAL, 16, "empty condition"},
	{"f:/x -> n:a(\\d+) <= 3", VG_EINVAL, 22, "expected 'compare' after n: pattern"},
	{"f:/x -> n: compare <= 3", VG_EINVAL, 11, "empty n: pattern"},
	{"f:/x -> n:a\\d+ compare <= 3", VG_EINVAL, 11, "n: pattern has no capture group"},
	{"f:/x -> n:a(\\d+) compare =< 3", VG_EINVAL, 26, "expected one of < <= == != >= >"},
	{"f:/x -> n:a(\\d+) compare <=3", VG_EINVAL, 28, "expected ' ' after '<='"},
	{"f:/x -> n:a(\\d+) compare <= x", VG_EINVAL, 29, "expected an integer after '<='"},
	{"f:/x -> n:a(\\d+) compare <= -", VG_EINVAL, 30, "expected an integer after '<='"},
	{"f:/x -> n:a(\\d+) compare <= 3x", VG_EINVAL, 30, "unexpected text after the number"},
	{"f:/x -> n:a(\\d+) compare <= 1234567890123456789", VG_EINVAL, 47,
	 "number has more than 18 digits"},
	{"f:/x\n-> r:a", VG_EINVAL, 5, "NUL or line break"},
};

static void
t_malformed(void **state)
{
	struct vg_arena arena;

	(void)state;
	vg_arena_init(&arena);
	for (size_t i = 0; i < VG_ARRAY_LEN(bad_cases); i++) {
		const struct bad_case *b = &bad_cases[i];
		struct vg_sca_rule r;
		struct vg_err err;
		char prefix[64];
		int rc = vg_sca_rule_parse(&arena, vg_str_c(b->rule), 0, &r, &err);

		snprintf(prefix, sizeof(prefix), "rule column %d: ", b->column);
		if (rc != b->code || err.column != b->column ||
		    strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
		    strncmp(err.msg + strlen(prefix), b->what, strlen(b->what)) != 0)
			fail_msg("'%s': got %d column %d '%s', want %d column %d '%s%s'", b->rule,
				 rc, err.column, err.msg, b->code, b->column, prefix, b->what);
		assert_int_equal(r.ntargets, 0);
	}
	vg_arena_release(&arena);
}

static void
t_nul_and_caps(void **state)
{
	static const char with_nul[] = "f:/x -> r:a\0b";
	struct vg_arena arena;
	struct vg_sca_rule r;
	struct vg_err err;
	struct vg_buf b;

	(void)state;
	vg_arena_init(&arena);
	assert_int_equal(
		vg_sca_rule_parse(&arena, vg_str_n(with_nul, sizeof(with_nul) - 1), 0, &r, &err),
		VG_EINVAL);
	assert_int_equal(err.column, 12);

	/* Exactly VG_SCA_MAX_CONDS conditions parse; one more is VG_ETOOBIG. */
	vg_buf_init(&b, VG_SCA_RULE_MAX_LEN);
	assert_int_equal(vg_buf_addstr(&b, "f:/x -> r:a"), VG_OK);
	for (int i = 1; i < VG_SCA_MAX_CONDS; i++)
		assert_int_equal(vg_buf_addstr(&b, " && r:a"), VG_OK);
	assert_int_equal(vg_sca_rule_parse(&arena, vg_buf_str(&b), 0, &r, &err), VG_OK);
	assert_int_equal(r.content.n, VG_SCA_MAX_CONDS);
	assert_int_equal(vg_buf_addstr(&b, " && r:a"), VG_OK);
	assert_int_equal(vg_sca_rule_parse(&arena, vg_buf_str(&b), 0, &r, &err), VG_ETOOBIG);

	/* The same for targets. */
	vg_buf_reset(&b);
	assert_int_equal(vg_buf_addstr(&b, "f:a"), VG_OK);
	for (int i = 1; i < VG_SCA_MAX_TARGETS; i++)
		assert_int_equal(vg_buf_addstr(&b, ",a"), VG_OK);
	assert_int_equal(vg_sca_rule_parse(&arena, vg_buf_str(&b), 0, &r, &err), VG_OK);
	assert_int_equal(r.ntargets, VG_SCA_MAX_TARGETS);
	assert_int_equal(vg_buf_addstr(&b, ",a"), VG_OK);
	assert_int_equal(vg_sca_rule_parse(&arena, vg_buf_str(&b), 0, &r, &err), VG_ETOOBIG);

	/* Length cap: VG_SCA_RULE_MAX_LEN bytes parse, one more does not. */
	vg_buf_reset(&b);
	assert_int_equal(vg_buf_addstr(&b, "p:"), VG_OK);
	while (b.len < VG_SCA_RULE_MAX_LEN)
		assert_int_equal(vg_buf_addch(&b, 'a'), VG_OK);
	assert_int_equal(vg_sca_rule_parse(&arena, vg_buf_str(&b), 0, &r, &err), VG_OK);
	assert_int_equal(vg_sca_rule_parse(&arena, vg_str_n(b.p, b.len + 1), 0, &r, &err),
			 VG_ETOOBIG);

	/* PCRE2 dialect flag, and a printer that hits its cap. */
	assert_int_equal(
		vg_sca_rule_parse(&arena, vg_str_c("f:/x -> r:\\d+"), VG_SCA_PARSE_PCRE2, &r, &err),
		VG_OK);
	assert_int_equal(r.dialect, VG_SCA_PCRE2);
	vg_buf_release(&b);
	vg_buf_init(&b, 8);
	assert_int_equal(vg_sca_rule_print(&r, &b), VG_ETOOBIG);
	vg_buf_release(&b);
	assert_string_equal(vg_sca_op_name(VG_SCA_OP_GE), ">=");
	vg_arena_release(&arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_cis_debian12),         cmocka_unit_test(t_distro_independent),
		cmocka_unit_test(t_spot_files),           cmocka_unit_test(t_spot_dirs),
		cmocka_unit_test(t_spot_process_command), cmocka_unit_test(t_spot_quirks),
		cmocka_unit_test(t_documented_forms),     cmocka_unit_test(t_malformed),
		cmocka_unit_test(t_nul_and_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
