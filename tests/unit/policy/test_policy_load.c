/*
 * test_policy_load.c - unit tests of the policy loader (src/policy/policy.c,
 * src/policy/policy_yaml.c).
 *
 * The two real Wazuh SCA policies of ../shared/data/sca/wazuh load with
 * their check counts (207 and 190) and rule counts (407 and 387), and every
 * rule prints back, in the canonical form, exactly as the file's YAML
 * scalar on the rule's own line reads; a few checks are spot-checked field
 * by field.  The fixture tests/data/policies/all-kinds.yml uses every Vigil
 * rule kind and option and each parsed field is asserted.  Then malformed
 * inputs with their exact "LINE:COL" and message, the caps, directories
 * and duplicate policy ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "policy/policy.h"
#include "vgtest.h"

/* ---- helpers -------------------------------------------------------------------------- */

static void
load_shared(const char *rel, struct vg_policy *p)
{
	char *path = vgt_shared_path(rel);
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	rc = vg_policy_load_file(path, p, &err);
	if (rc != VG_OK)
		fail_msg("%s: %s", path, err.msg);
	free(path);
}

static void
load_data(const char *rel, struct vg_policy *p)
{
	char *path = vgt_test_data_path(rel);
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	rc = vg_policy_load_file(path, p, &err);
	if (rc != VG_OK)
		fail_msg("%s: %s", path, err.msg);
	free(path);
}

/* The canonical print of a SCA rule (static buffer, valid until the next call). */
static const char *
print_rule(const struct vg_rule *r)
{
	static char out[8192];
	struct vg_buf b;

	assert_int_equal(r->kind, VG_RULE_SCA);
	vg_buf_init(&b, sizeof(out) - 1);
	assert_int_equal(vg_sca_rule_print(&r->u.sca, &b), VG_OK);
	snprintf(out, sizeof(out), "%s", vg_buf_str(&b).p);
	vg_buf_release(&b);
	return out;
}

/* The lines of a file, 1-based (caller frees lines[0] and the array). */
static char **
file_lines(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *data, **lines;
	long len;
	size_t k = 1;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	data = malloc((size_t)len + 1);
	assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
	data[len] = '\0';
	fclose(f);
	lines = calloc((size_t)len + 2, sizeof(*lines));
	lines[0] = data;
	lines[k++] = data;
	for (char *p = data; *p; p++)
		if (*p == '\n') {
			*p = '\0';
			lines[k++] = p + 1;
		}
	*n = k;
	return lines;
}

/*
 * The YAML scalar of a rule line `    - "..."` (or '...'), decoded for the
 * escapes the shipped policies use (\\ and \" in double quotes, '' in single).
 */
static void
rule_text(const char *line, char *out, size_t cap)
{
	const char *p = strstr(line, "- ");
	char q;
	size_t k = 0;

	assert_non_null(p);
	p += 2;
	q = *p;
	assert_true(q == '"' || q == '\'');
	for (p++; *p && k + 1 < cap; p++) {
		if (q == '"' && *p == '\\' && (p[1] == '\\' || p[1] == '"'))
			out[k++] = *++p;
		else if (q == '\'' && *p == '\'' && p[1] == '\'')
			out[k++] = *++p;
		else if (*p == q)
			break;
		else
			out[k++] = *p;
	}
	out[k] = '\0';
}

/* Every rule (requirements and checks) prints as its line of @rel says. */
static void
assert_rules_round_trip(const char *rel, const struct vg_policy *p)
{
	char *path = vgt_shared_path(rel);
	char want[8192];
	size_t nlines, total = 0;
	char **lines = file_lines(path, &nlines);

	for (size_t i = 0; i < p->nreq_rules; i++) {
		rule_text(lines[p->req_rules[i].line], want, sizeof(want));
		assert_string_equal(print_rule(&p->req_rules[i]), want);
	}
	for (size_t c = 0; c < p->nchecks; c++) {
		for (size_t i = 0; i < p->checks[c].nrules; i++) {
			const struct vg_rule *r = &p->checks[c].rules[i];

			assert_true(r->line > 0 && (size_t)r->line < nlines);
			rule_text(lines[r->line], want, sizeof(want));
			if (strcmp(print_rule(r), want) != 0)
				fail_msg("%s:%d: check %s prints '%s'", rel, r->line,
					 p->checks[c].id, print_rule(r));
			assert_int_equal(r->negated, r->u.sca.negated);
			total++;
		}
	}
	free(lines[0]);
	free(lines);
	free(path);
	(void)total;
}

static size_t
count_rules(const struct vg_policy *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nchecks; i++)
		n += p->checks[i].nrules;
	return n;
}

/* ---- Wazuh policies ------------------------------------------------------------------- */

static void
wazuh_debian12(void **state)
{
	struct vg_policy p;
	const struct vg_check *c;

	(void)state;
	load_shared("sca/wazuh/cis_debian12.yml", &p);
	assert_int_equal(p.format, VG_POLICY_WAZUH);
	assert_string_equal(p.id, "cis_debian12");
	assert_string_equal(p.name, "CIS Debian Linux 12 Benchmark v1.1.0");
	assert_null(p.version);
	assert_non_null(strstr(p.description, "Debian Linux 12."));
	assert_int_equal(p.dialect, VG_SCA_OSREGEX);
	assert_int_equal(p.nchecks, 207);
	assert_int_equal(count_rules(&p), 407);
	assert_true(p.has_requirements);
	assert_int_equal(p.req_condition, VG_COND_ALL);
	assert_int_equal(p.nreq_rules, 4);
	assert_string_equal(print_rule(&p.req_rules[0]), "f:/etc/debian_version -> r:12\\.");
	assert_int_equal(p.req_rules[0].line, 26);
	assert_string_equal(print_rule(&p.req_rules[2]),
			    "f:/etc/os-release -> r:NAME= && r:Debian");

	c = &p.checks[0];
	assert_string_equal(c->id, "33010");
	assert_int_equal(c->line, 44);
	assert_string_equal(c->title, "Ensure /tmp is a separate partition.");
	assert_non_null(strstr(c->rationale, "Making /tmp its own file system"));
	assert_non_null(strstr(c->remediation, "systemctl unmask tmp.mount"));
	assert_true(strncmp(c->impact_text, "By design files saved to /tmp ", 30) == 0);
	assert_int_equal(c->impact, 0);
	assert_int_equal(c->category, VG_CAT_NONE);
	assert_int_equal(c->nreferences, 3);
	assert_string_equal(c->references[2],
			    "https://www.kernel.org/doc/Documentation/filesystems/tmpfs.txt");
	assert_int_equal(c->condition, VG_COND_ALL);
	assert_int_equal(c->nrules, 2);
	assert_int_equal(c->rules[0].u.sca.type, VG_SCA_COMMAND);
	assert_string_equal(c->rules[0].u.sca.targets[0], "findmnt -kn /tmp");
	assert_string_equal(print_rule(&c->rules[1]),
			    "c:systemctl is-enabled tmp.mount -> !r:masked|disabled && "
			    "r:generated|enabled");

	c = vg_policy_find(&p, "33301");
	assert_non_null(c);
	assert_ptr_equal(c, &p.checks[206]);
	assert_string_equal(c->title, "Ensure /etc/shadow password fields are not empty.");
	assert_null(c->impact_text);
	assert_int_equal(c->nreferences, 0);
	assert_int_equal(c->nrules, 1);
	assert_true(c->rules[0].negated);
	assert_string_equal(print_rule(&c->rules[0]), "not f:/etc/shadow -> r:^[\\w@-]+::");

	c = vg_policy_find(&p, "33160");
	assert_non_null(c);
	assert_int_equal(c->rules[0].u.sca.content.conds[0].kind, VG_SCA_COND_NUMERIC);
	assert_int_equal(c->rules[0].u.sca.content.conds[0].op, VG_SCA_OP_GT);
	assert_int_equal(c->rules[0].u.sca.content.conds[0].value, 0);
	assert_int_equal(vg_policy_find(&p, "33256")->nrules, 8);
	assert_null(vg_policy_find(&p, "99999"));
	assert_null(vg_policy_find(&p, NULL));

	assert_rules_round_trip("sca/wazuh/cis_debian12.yml", &p);
	vg_policy_release(&p);
	assert_null(p.checks);
	vg_policy_release(&p); /* twice is fine */
}

static void
wazuh_distro_independent(void **state)
{
	struct vg_policy p;
	const struct vg_check *c;

	(void)state;
	load_shared("sca/wazuh/sca_distro_independent_linux.yml", &p);
	assert_string_equal(p.id, "sca_distro_independent_linux");
	assert_int_equal(p.nchecks, 190);
	assert_int_equal(count_rules(&p), 387);
	assert_int_equal(p.nreq_rules, 1);
	assert_string_equal(print_rule(&p.req_rules[0]), "f:/proc/sys/kernel/ostype -> Linux");
	assert_int_equal(p.req_rules[0].u.sca.content.conds[0].kind, VG_SCA_COND_LITERAL);

	c = &p.checks[0];
	assert_string_equal(c->id, "36000");
	assert_string_equal(c->title, "Ensure mounting of cramfs filesystems is disabled.");
	assert_int_equal(c->nrules, 2);
	assert_false(c->rules[0].negated);
	assert_true(c->rules[1].negated);
	assert_string_equal(print_rule(&c->rules[1]), "not c:lsmod -> r:cramfs");

	c = vg_policy_find(&p, "36095");
	assert_string_equal(
		print_rule(&c->rules[0]),
		"c:stat -Lc \"%a %A %u %U %g %G\" /etc/hosts.allow -> r:644 && r:0 root 0 "
		"root");
	c = vg_policy_find(&p, "36114");
	assert_int_equal(c->nrules, 17);
	c = vg_policy_find(&p, "36144");
	assert_string_equal(print_rule(&c->rules[0]),
			    "c:sshd -T -> !r:^# && n:^MaxAuthTries\\s*\\t*(\\d+) compare <= 4");
	assert_int_equal(c->rules[0].u.sca.content.conds[1].op, VG_SCA_OP_LE);
	assert_int_equal(c->rules[0].u.sca.content.conds[1].value, 4);
	c = &p.checks[189];
	assert_string_equal(c->id, "36189");
	assert_string_equal(print_rule(&c->rules[0]),
			    "f:/etc/group -> !r:^# && r:^shadow:[\\w@-]*:\\d+:$");
	assert_rules_round_trip("sca/wazuh/sca_distro_independent_linux.yml", &p);
	vg_policy_release(&p);
}

/* Variables, regex_type, vigil_category / vigil_impact, title vs name. */
static void
wazuh_extensions(void **state)
{
	static const char text[] = "policy:\n"
				   "  id: w\n"
				   "  name: W\n"
				   "  regex_type: pcre2\n"
				   "variables:\n"
				   "  $ssh: /etc/ssh/sshd_config\n"
				   "  $sshd: /usr/sbin/sshd\n"
				   "  $dirs: /etc,/usr/etc\n"
				   "checks:\n"
				   "  - id: 1\n"
				   "    title: t1\n"
				   "    condition: any\n"
				   "    vigil_category: SecurityControls\n"
				   "    vigil_impact: 9\n"
				   "    compliance:\n"
				   "      - cis: [\"1.1\"]\n"
				   "    mitre: {technique: [T1]}\n"
				   "    rules:\n"
				   "      - 'f:$ssh -> r:^\\s*PermitRootLogin\\s+no'\n"
				   "      - 'f:$sshd'\n"
				   "      - 'd:$dirs -> r:conf$ -> r:x'\n"
				   "      - 'f:$nope'\n"
				   "  - id: 2\n"
				   "    name: t2\n"
				   "    regex_type: osregex\n"
				   "    condition: none\n"
				   "    rules: ['p:sshd']\n";
	struct vg_policy p;
	struct vg_err err;
	const struct vg_check *c;

	(void)state;
	assert_int_equal(vg_policy_load_mem(vg_str_n(text, sizeof(text) - 1), "w.yml", &p, &err),
			 VG_OK);
	assert_string_equal(p.path, "w.yml");
	assert_false(p.has_requirements);
	assert_int_equal(p.dialect, VG_SCA_PCRE2);
	c = &p.checks[0];
	assert_string_equal(c->id, "1");
	assert_int_equal(c->category, VG_CAT_SECURITY_CONTROLS);
	assert_int_equal(c->impact, 9);
	assert_int_equal(c->condition, VG_COND_ANY);
	assert_int_equal(c->rules[0].u.sca.dialect, VG_SCA_PCRE2);
	assert_string_equal(print_rule(&c->rules[0]),
			    "f:/etc/ssh/sshd_config -> r:^\\s*PermitRootLogin\\s+no");
	assert_string_equal(print_rule(&c->rules[1]), "f:/usr/sbin/sshd"); /* longest first */
	assert_int_equal(c->rules[2].u.sca.ntargets, 2);
	assert_string_equal(c->rules[2].u.sca.targets[1], "/usr/etc");
	assert_string_equal(print_rule(&c->rules[3]), "f:$nope"); /* unknown: kept */
	assert_int_equal(c->rules[0].line, 19);
	c = &p.checks[1];
	assert_string_equal(c->title, "t2");
	assert_int_equal(c->impact, 0);
	assert_int_equal(c->condition, VG_COND_NONE);
	assert_int_equal(c->rules[0].u.sca.dialect, VG_SCA_OSREGEX);
	assert_int_equal(c->rules[0].u.sca.type, VG_SCA_PROCESS);
	vg_policy_release(&p);
}

/* ---- Vigil format: every kind --------------------------------------------------------- */

static void
assert_list(const char **got, size_t n, const char *const *want, size_t nwant)
{
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got[i], want[i]);
}

#define LIST(...)                ((const char *const[]){__VA_ARGS__})
#define NLIST(...)               (sizeof(LIST(__VA_ARGS__)) / sizeof(const char *))
#define ASSERT_LIST(got, n, ...) assert_list(got, n, LIST(__VA_ARGS__), NLIST(__VA_ARGS__))

static void
vigil_file_and_content(const struct vg_policy *p)
{
	const struct vg_check *c = &p->checks[0];
	const struct vg_rule *r = c->rules;

	assert_string_equal(c->id, "scid-1");
	assert_int_equal(c->line, 11);
	assert_string_equal(c->title, "File rules");
	assert_int_equal(c->category, VG_CAT_ACCOUNTS);
	assert_string_equal(c->subcategory, "Passwords");
	assert_int_equal(c->impact, 7);
	assert_string_equal(c->description, "shadow is private");
	assert_string_equal(c->rationale, "hashes");
	assert_string_equal(c->remediation, "chmod 0640 /etc/shadow");
	assert_null(c->impact_text);
	ASSERT_LIST(c->references, c->nreferences, "CIS Debian Linux 12 Benchmark v1.1.0 7.1.5",
		    "https://example.org/x");
	ASSERT_LIST(c->applies.distros, c->applies.ndistros, "debian", "ubuntu");
	ASSERT_LIST(c->applies.packages, c->applies.npackages, "openssh-server");
	assert_int_equal(c->condition, VG_COND_ALL);
	assert_int_equal(c->nrules, 3);
	assert_int_equal(r[0].kind, VG_RULE_FILE);
	assert_int_equal(r[0].line, 25);
	assert_false(r[0].negated);
	assert_string_equal(r[0].u.file.path, "/etc/shadow");
	assert_true(r[0].u.file.exists);
	assert_int_equal(r[0].u.file.type, VG_FTYPE_FILE);
	assert_true(r[0].u.file.has_mode_max);
	assert_int_equal(r[0].u.file.mode_max, 0640);
	ASSERT_LIST(r[0].u.file.owners, r[0].u.file.nowners, "root");
	ASSERT_LIST(r[0].u.file.groups, r[0].u.file.ngroups, "root", "shadow");
	assert_int_equal(r[1].u.file.type, VG_FTYPE_DIR);
	assert_int_equal(r[1].u.file.mode_max, 0755);
	assert_int_equal(r[1].u.file.nowners, 0);
	assert_null(r[1].u.file.owners);
	assert_false(r[2].u.file.exists);
	assert_false(r[2].negated);
	assert_false(r[2].u.file.has_mode_max);
	assert_int_equal(r[2].u.file.type, VG_FTYPE_ANY);

	c = &p->checks[1];
	r = c->rules;
	assert_string_equal(c->id, "scid-2");
	assert_int_equal(c->category, VG_CAT_SECURITY_CONTROLS);
	assert_null(c->subcategory);
	assert_null(c->description);
	assert_int_equal(c->applies.ndistros + c->applies.npackages, 0);
	assert_int_equal(c->condition, VG_COND_ANY);
	assert_int_equal(r[0].kind, VG_RULE_CONTENT);
	assert_string_equal(r[0].u.content.path, "/etc/issue.net");
	assert_string_equal(r[0].u.content.regex, "\\\\v|\\\\r|\\\\m");
	assert_int_equal(r[0].u.content.match, VG_LINES_NONE);
	assert_true(r[0].u.content.missing_ok);
	assert_true(r[0].u.content.skip_comments);
	assert_false(r[0].u.content.dir);
	assert_null(r[0].u.content.name_regex);
	assert_true(r[1].u.content.dir);
	assert_string_equal(r[1].u.content.name_regex, "^[a-z]+$");
	assert_string_equal(r[1].u.content.regex, "^Defaults\\s+use_pty");
	assert_int_equal(r[1].u.content.match, VG_LINES_ANY);
	assert_false(r[1].u.content.skip_comments);
	assert_false(r[1].u.content.missing_ok);
	assert_int_equal(r[2].u.content.match, VG_LINES_ALL);
	assert_true(r[2].negated);
}

static void
vigil_values(const struct vg_policy *p)
{
	const struct vg_check *c = &p->checks[2];
	const struct vg_rule *r = c->rules;

	assert_int_equal(c->category, VG_CAT_SECURITY_CONTROLS);
	assert_int_equal(c->impact, 10);
	assert_int_equal(c->condition, VG_COND_NONE);
	assert_int_equal(c->nrules, 11);
	assert_int_equal(r[0].kind, VG_RULE_SSHD);
	assert_string_equal(r[0].key, "PermitRootLogin");
	assert_int_equal(r[0].test.op, VG_VAL_EQ);
	ASSERT_LIST(r[0].test.values, r[0].test.nvalues, "no");
	assert_true(r[0].test.nocase); /* sshd's default */
	assert_string_equal(r[0].test.default_value, "prohibit-password");
	assert_int_equal(r[1].test.op, VG_VAL_REGEX);
	assert_string_equal(r[1].test.regex, "cbc");
	assert_false(r[1].test.nocase);
	assert_null(r[1].test.default_value);
	assert_int_equal(r[2].kind, VG_RULE_LOGIN_DEFS);
	assert_string_equal(r[2].key, "PASS_MAX_DAYS");
	assert_int_equal(r[2].test.op, VG_VAL_CMP);
	assert_int_equal(r[2].test.cmp, VG_SCA_OP_LE);
	assert_int_equal(r[2].test.number, 365);
	assert_false(r[2].test.nocase); /* not sshd */
	assert_int_equal(r[3].test.op, VG_VAL_IN);
	ASSERT_LIST(r[3].test.values, r[3].test.nvalues, "SHA512", "YESCRYPT");
	assert_true(r[3].test.nocase);
	assert_int_equal(r[4].kind, VG_RULE_SYSCTL);
	assert_string_equal(r[4].key, "net.ipv4.ip_forward");
	assert_string_equal(r[4].u.sysctl.key, "net.ipv4.ip_forward");
	assert_false(r[4].u.sysctl.runtime);
	assert_true(r[4].u.sysctl.config);
	ASSERT_LIST(r[4].test.values, r[4].test.nvalues, "0");
	assert_true(r[5].u.sysctl.runtime);
	assert_false(r[5].u.sysctl.config);
	assert_true(r[5].negated);
	assert_int_equal(r[5].test.cmp, VG_SCA_OP_GE);
	assert_int_equal(r[5].test.number, 2);
	assert_int_equal(r[6].kind, VG_RULE_LIMITS);
	assert_string_equal(r[6].key, "core");
	assert_string_equal(r[6].u.limits.item, "core");
	assert_string_equal(r[6].u.limits.domain, "@users");
	assert_string_equal(r[6].u.limits.type, "soft");
	assert_int_equal(r[6].test.cmp, VG_SCA_OP_EQ);
	assert_int_equal(r[6].test.number, 0);
	assert_string_equal(r[7].u.limits.domain, "*");
	assert_string_equal(r[7].u.limits.type, "hard");
	assert_int_equal(r[7].test.op, VG_VAL_SET);
	assert_int_equal(r[8].kind, VG_RULE_PAM);
	assert_string_equal(r[8].u.pam.service, "common-password");
	assert_string_equal(r[8].u.pam.type, "password");
	assert_string_equal(r[8].u.pam.module, "pam_pwquality.so");
	assert_true(r[8].u.pam.present);
	assert_string_equal(r[8].u.pam.arg, "retry");
	assert_int_equal(r[8].test.op, VG_VAL_CMP);
	assert_int_equal(r[8].test.number, 3);
	assert_false(r[9].u.pam.present);
	assert_null(r[9].u.pam.type);
	assert_null(r[9].u.pam.arg);
	assert_int_equal(r[9].test.op, VG_VAL_SET);
	assert_string_equal(r[10].u.pam.arg, "deny");
	assert_int_equal(r[10].test.op, VG_VAL_SET);
}

static void
vigil_inventory_and_accounts(const struct vg_policy *p)
{
	const struct vg_check *c = &p->checks[3];
	const struct vg_rule *r = c->rules;

	assert_string_equal(c->id, "scid-999999");
	assert_int_equal(c->category, VG_CAT_NETWORK);
	assert_int_equal(c->impact, 1);
	assert_int_equal(c->condition, VG_COND_ALL); /* the default */
	assert_int_equal(c->nrules, 10);
	assert_int_equal(r[0].kind, VG_RULE_PACKAGE);
	ASSERT_LIST(r[0].u.package.names, r[0].u.package.nnames, "telnetd", "inetutils-telnetd");
	assert_false(r[0].u.package.installed);
	ASSERT_LIST(r[1].u.package.names, r[1].u.package.nnames, "auditd");
	assert_true(r[1].u.package.installed);
	assert_int_equal(r[2].kind, VG_RULE_UNIT);
	assert_string_equal(r[2].u.unit.name, "auditd.service");
	assert_int_equal(r[2].u.unit.enabled, 1);
	assert_int_equal(r[2].u.unit.active, 1);
	assert_int_equal(r[2].u.unit.masked, 0);
	assert_int_equal(r[3].u.unit.enabled, 0);
	assert_int_equal(r[3].u.unit.active, -1);
	assert_int_equal(r[3].u.unit.masked, -1);
	assert_int_equal(r[4].kind, VG_RULE_PORT);
	assert_int_equal(r[4].u.port.port, 23);
	assert_string_equal(r[4].u.port.proto, "tcp");
	assert_false(r[4].u.port.listening);
	assert_false(r[4].u.port.external_only);
	assert_int_equal(r[5].u.port.port, 161);
	assert_string_equal(r[5].u.port.proto, "udp");
	assert_true(r[5].u.port.listening);
	assert_true(r[5].u.port.external_only);
	assert_int_equal(r[6].kind, VG_RULE_MOUNT);
	assert_string_equal(r[6].u.mount.path, "/tmp");
	assert_true(r[6].u.mount.must_exist);
	ASSERT_LIST(r[6].u.mount.options, r[6].u.mount.noptions, "nodev", "nosuid");
	ASSERT_LIST(r[6].u.mount.absent_options, r[6].u.mount.nabsent, "exec");
	assert_false(r[7].u.mount.must_exist);
	assert_int_equal(r[7].u.mount.noptions + r[7].u.mount.nabsent, 0);
	assert_int_equal(r[8].kind, VG_RULE_MODULE);
	assert_string_equal(r[8].u.module.name, "cramfs");
	assert_int_equal(r[8].u.module.loaded, 0);
	assert_int_equal(r[8].u.module.disabled, 1);
	assert_int_equal(r[9].u.module.loaded, -1);
	assert_int_equal(r[9].u.module.disabled, 1);

	c = &p->checks[4];
	r = c->rules;
	assert_string_equal(c->id, "scid-42");
	assert_int_equal(c->category, VG_CAT_OS);
	assert_int_equal(c->nrules, 7);
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(r[i].kind, VG_RULE_ACCOUNTS);
	assert_int_equal(r[0].u.accounts.prop, VG_ACC_NO_EMPTY_PASSWORD);
	assert_int_equal(r[0].test.op, VG_VAL_SET);
	assert_int_equal(r[1].u.accounts.prop, VG_ACC_UID0_ONLY_ROOT);
	assert_int_equal(r[2].u.accounts.prop, VG_ACC_SYSTEM_NOLOGIN);
	assert_int_equal(r[3].u.accounts.prop, VG_ACC_MAX_DAYS);
	assert_int_equal(r[3].test.cmp, VG_SCA_OP_LE);
	assert_int_equal(r[3].test.number, 365);
	assert_int_equal(r[4].u.accounts.prop, VG_ACC_MIN_DAYS);
	assert_string_equal(r[4].test.default_value, "0");
	assert_int_equal(r[5].u.accounts.prop, VG_ACC_WARN_DAYS);
	assert_int_equal(r[5].test.number, 7);
	assert_int_equal(r[6].u.accounts.prop, VG_ACC_INACTIVE_DAYS);
	assert_int_equal(r[6].test.number, 30);

	c = &p->checks[5];
	assert_int_equal(c->category, VG_CAT_APPLICATION); /* case-insensitive */
	assert_true(c->rules[0].u.file.exists);
}

static void
vigil_all_kinds(void **state)
{
	struct vg_policy p;

	(void)state;
	load_data("policies/all-kinds.yml", &p);
	assert_int_equal(p.format, VG_POLICY_VIGIL);
	assert_string_equal(p.id, "test-all-kinds");
	assert_string_equal(p.name, "Every rule kind");
	assert_string_equal(p.version, "0.1");
	assert_string_equal(p.description, "Fixture for the policy loader");
	assert_false(p.has_requirements);
	assert_int_equal(p.nchecks, 6);
	vigil_file_and_content(&p);
	vigil_values(&p);
	vigil_inventory_and_accounts(&p);
	assert_ptr_equal(vg_policy_find(&p, "scid-42"), &p.checks[4]);
	vg_policy_release(&p);
}

/* ---- errors ----------------------------------------------------------------------------- */

#define HEAD                   \
	"policy:\n"            \
	"  format: vigil\n"    \
	"  id: t\n"            \
	"  name: T\n"          \
	"checks:\n"            \
	"  - id: scid-1\n"     \
	"    title: x\n"       \
	"    category: OS\n"   \
	"    impact: 5\n"      \
	"    rationale: r\n"   \
	"    remediation: m\n" \
	"    references: [a]\n"
/* HEAD's 12 lines, then line 13: */
#define RULES "    rules:\n"

struct bad_case {
	const char *text;
	int code, line, col;
	const char *msg; /* fragment after "t.yml:LINE:COL: " */
};

static const struct bad_case bad_cases[] = {
	/* YAML level */
	{"policy: [a\n", VG_EINVAL, 2, 1, "yaml: did not find expected ',' or ']'"},
	{"policy: &p {id: x}\nchecks: *p\n", VG_EINVAL, 1, 9,
	 "yaml anchors and aliases are not supported"},
	{"policy: !custom x\n", VG_EINVAL, 1, 9, "unsupported yaml tag '!custom'"},
	{"policy: {id: x}\npolicy: {id: y}\n", VG_EINVAL, 2, 1,
	 "duplicate key 'policy' (first at line 1)"},
	{"policy: {id: x}\n? [a]\n: b\n", VG_EINVAL, 2, 3, "mapping key must be a string"},
	{"policy: x\n---\npolicy: y\n", VG_EINVAL, 2, 1, "more than one yaml document"},
	{"policy: \"a\\0b\"\n", VG_EINVAL, 1, 9, "NUL byte in a string"},
	{"- a\n", VG_EINVAL, 1, 1, "a policy file must be a mapping"},
	/* Vigil policy and checks */
	{HEAD RULES "      - sshd: X\n    owner: me\n", VG_EINVAL, 15, 5,
	 "unknown key 'owner' in a check"},
	{"policy:\n  format: vigil\n  id: Bad\n  name: T\n", VG_EINVAL, 3, 7,
	 "policy id 'Bad' must be a-z, 0-9"},
	{"policy:\n  format: wazuh\n", VG_EINVAL, 2, 11, "'format' must be vigil"},
	{"policy:\n  format: vigil\n  id: t\n  name: T\n  vers: 1\n", VG_EINVAL, 5, 3,
	 "unknown key 'vers' in 'policy'"},
	{HEAD RULES "      - sshd: X\n"
		    "  - id: scid-1\n    title: y\n    category: OS\n    impact: 5\n"
		    "    rationale: r\n    remediation: m\n    references: [a]\n" RULES
		    "      - sshd: Y\n",
	 VG_EINVAL, 15, 9, "duplicate check id 'scid-1' (first at line 6)"},
	{"policy:\n  format: vigil\n  id: t\n  name: T\nchecks:\n  - id: [scid-1]\n", VG_EINVAL, 6,
	 9, "check id '' must be scid-1 to scid-999999"},
	{"policy:\n  format: vigil\n  id: t\n  name: T\nchecks:\n  - id: scid-0\n", VG_EINVAL, 6, 9,
	 "check id 'scid-0' must be scid-1 to scid-999999"},
	{"policy:\n  format: vigil\n  id: t\n  name: T\nchecks:\n  - id: scid-1\n    title: x\n"
	 "    category: Kernel\n",
	 VG_EINVAL, 8, 15, "unknown category 'Kernel'"},
	{"policy:\n  format: vigil\n  id: t\n  name: T\nchecks:\n  - id: scid-1\n    title: x\n"
	 "    category: OS\n    impact: 11\n",
	 VG_EINVAL, 9, 13, "'impact' must be between 1 and 10, not 11"},
	{"policy:\n  format: vigil\n  id: t\n  name: T\nchecks:\n  - id: scid-1\n    title: x\n"
	 "    category: OS\n    impact: 5\n    remediation: m\n",
	 VG_EINVAL, 6, 5, "a check needs 'rationale'"},
	{"policy:\n  format: vigil\n  id: t\n  name: T\nchecks:\n  - id: scid-1\n    title: x\n"
	 "    category: OS\n    impact: 5\n    rationale: r\n    remediation: m\n"
	 "    references: []\n",
	 VG_EINVAL, 12, 17, "'references' needs at least 1 item"},
	{HEAD RULES, VG_EINVAL, 13, 11, "'rules' must be a list"},
	{HEAD "    rules: []\n", VG_EINVAL, 13, 12, "'rules' needs at least 1 rule"},
	{HEAD "    condition: most\n", VG_EINVAL, 13, 16, "'condition' must be all, any or none"},
	{HEAD "    applies: {os: [x]}\n", VG_EINVAL, 13, 15, "unknown key 'os' in 'applies'"},
	/* Vigil rules */
	{HEAD RULES "      - registry: HKLM\n", VG_EINVAL, 14, 9, "unknown rule kind 'registry'"},
	{HEAD RULES "      - sshd: X\n        eq: a\n        in: [b]\n", VG_EINVAL, 16, 13,
	 "'eq' and 'in': a rule has one value test"},
	{HEAD RULES "      - file: /etc/x\n        mode_max: \"0948\"\n", VG_EINVAL, 15, 19,
	 "'mode_max' must be an octal mode"},
	{HEAD RULES "      - file: /etc/x\n        exists: false\n        owner: root\n", VG_EINVAL,
	 16, 16, "'owner' has no meaning with 'exists: false'"},
	{HEAD RULES "      - file: etc/x\n", VG_EINVAL, 14, 15, "'file' needs an absolute path"},
	{HEAD RULES "      - content: /etc/x\n        regex: 'a(b'\n", VG_EINVAL, 15, 16,
	 "regex 'a(b' does not compile: missing closing parenthesis at offset 3"},
	{HEAD RULES "      - content: /etc/x\n", VG_EINVAL, 14, 9, "a content rule needs 'regex'"},
	{HEAD RULES "      - content: /etc/x\n        regex: a\n        names: b\n", VG_EINVAL, 16,
	 16, "'names' needs 'dir: true'"},
	{HEAD RULES "      - sshd: X\n        regex: '[z-a]'\n", VG_EINVAL, 15, 16,
	 "regex '[z-a]' does not compile: range out of order in character class at offset 3"},
	{HEAD RULES "      - login_defs: PASS_MAX_DAYS\n        compare: \"about 5\"\n", VG_EINVAL,
	 15, 18, "'compare' must be an operator"},
	{HEAD RULES "      - sshd: X\n        nocase: yes\n", VG_EINVAL, 15, 17,
	 "'nocase' must be true or false"},
	{HEAD RULES "      - sshd: X\n        mode_max: \"0600\"\n", VG_EINVAL, 15, 9,
	 "unknown key 'mode_max' in a sshd rule"},
	{HEAD RULES "      - port: 70000\n", VG_EINVAL, 14, 15,
	 "'port' must be between 1 and 65535, not 70000"},
	{HEAD RULES "      - unit: x.service\n", VG_EINVAL, 14, 9,
	 "a unit rule needs 'enabled', 'active' or 'masked'"},
	{HEAD RULES "      - pam: sshd\n        module: pam_x.so\n        eq: a\n", VG_EINVAL, 16,
	 13, "'eq' needs 'arg'"},
	{HEAD RULES "      - accounts: root_only\n", VG_EINVAL, 14, 19,
	 "unknown accounts property 'root_only'"},
	{HEAD RULES "      - accounts: uid0_only_root\n        eq: x\n", VG_EINVAL, 15, 13,
	 "'accounts: uid0_only_root' takes no value test"},
	{HEAD RULES "      - sshd: X\n        set: false\n", VG_EINVAL, 15, 14,
	 "'set: false' is written 'set: true' with 'not: true'"},
	{HEAD RULES "      - mount: /tmp\n        options: nodev\n", VG_EINVAL, 15, 18,
	 "'options' must be a list"},
	/* Wazuh */
	{"policy: {id: w, name: W}\nchecks:\n  - id: 1\n    title: t\n    condition: all\n"
	 "    rules: ['f:/etc/x -> r:a && ']\n",
	 VG_EINVAL, 6, 13, "rule 'f:/etc/x -> r:a && ': rule column"},
	{"policy: {id: w, name: W}\nchecks:\n  - id: 1\n    title: t\n    condition: all\n"
	 "    rules: ['f:/x']\n  - id: 1\n    title: u\n    condition: all\n    rules: ['f:/y']\n",
	 VG_EINVAL, 7, 9, "duplicate check id '1' (first at line 3)"},
	{"policy: {id: w, name: W}\nchecks:\n  - id: x1\n", VG_EINVAL, 3, 9,
	 "'id' must be an integer"},
	{"policy: {id: w, name: W}\nchecks:\n  - id: 1\n    title: t\n    rules: ['f:/x']\n",
	 VG_EINVAL, 3, 5, "check 1 needs 'condition'"},
	{"policy: {id: w, name: W}\nchecks:\n  - id: 1\n    title: t\n    condition: all\n"
	 "    rules: ['f:/x']\n    vigil_impact: 3\n",
	 VG_EINVAL, 7, 19, "'vigil_category' and 'vigil_impact' go together"},
	{"policy: {id: w, name: W}\nchecks:\n  - id: 1\n    titel: t\n", VG_EINVAL, 4, 5,
	 "unknown key 'titel' in a check"},
	{"policy: {id: w, name: W}\nvariables:\n  sshd: /etc\n", VG_EINVAL, 3, 3,
	 "variable 'sshd' must start with '$'"},
	{"policy: {id: w, name: W}\nchecks:\n  - id: 1\n    title: t\n    condition: all\n"
	 "    regex_type: perl\n",
	 VG_EINVAL, 6, 17, "'regex_type' must be osregex or pcre2"},
};

static void
bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *b = &bad_cases[i];
		struct vg_policy p;
		struct vg_err err;
		char prefix[64];
		int rc;

		vg_err_clear(&err);
		rc = vg_policy_load_mem(vg_str_c(b->text), "t.yml", &p, &err);
		snprintf(prefix, sizeof(prefix), "t.yml:%d:%d: ", b->line, b->col);
		if (rc != b->code || err.line != b->line || err.column != b->col ||
		    strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
		    !strstr(err.msg + strlen(prefix), b->msg))
			fail_msg("case %zu: rc %d line %d col %d '%s'; want '%s%s'", i, rc,
				 err.line, err.column, err.msg, prefix, b->msg);
		assert_null(p.checks);
		assert_null(p.id);
	}
}

static void
empty_and_missing(void **state)
{
	struct vg_policy p;
	struct vg_err err;

	(void)state;
	assert_int_equal(vg_policy_load_mem(vg_str_c(""), "e.yml", &p, &err), VG_EINVAL);
	assert_string_equal(err.msg, "e.yml: empty policy file");
	assert_int_equal(vg_policy_load_mem(vg_str_c("# nothing\n"), NULL, &p, &err), VG_EINVAL);
	assert_string_equal(err.msg, "<memory>: empty policy file");
	assert_int_equal(vg_policy_load_file("/nonexistent/p.yml", &p, &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/p.yml"));
	assert_null(p.checks);
}

/* ---- caps ------------------------------------------------------------------------------- */

static void
caps(void **state)
{
	struct vg_policy p;
	struct vg_err err;
	struct vg_buf b;
	char *big;
	int depth;

	(void)state;
	/* Size: refused before parsing. */
	big = malloc((size_t)VG_POLICY_MAX_BYTES + 1);
	memset(big, '#', (size_t)VG_POLICY_MAX_BYTES + 1);
	assert_int_equal(vg_policy_load_mem(vg_str_n(big, (size_t)VG_POLICY_MAX_BYTES + 1),
					    "big.yml", &p, &err),
			 VG_ETOOBIG);
	assert_string_equal(err.msg, "big.yml: policy file larger than 8388608 bytes");
	free(big);

	/* Depth: 32 nested flow sequences are fine as YAML, 33 are not. */
	for (depth = 32; depth <= 33; depth++) {
		vg_buf_init(&b, 4096);
		assert_int_equal(vg_buf_addstr(&b, "policy: {id: w, name: W}\nx: "), VG_OK);
		for (int i = 1; i < depth; i++)
			assert_int_equal(vg_buf_addch(&b, '['), VG_OK);
		for (int i = 1; i < depth; i++)
			assert_int_equal(vg_buf_addch(&b, ']'), VG_OK);
		vg_err_clear(&err);
		assert_int_not_equal(vg_policy_load_mem(vg_buf_str(&b), "d.yml", &p, &err), VG_OK);
		if (depth == 32) {
			/* deep enough to build: fails later, on the unknown key */
			assert_string_equal(err.msg,
					    "d.yml:2:1: unknown key 'x' in the policy file");
		} else {
			assert_int_equal(err.code, VG_ETOOBIG);
			assert_string_equal(err.msg, "d.yml:2:35: yaml nesting deeper than 32");
		}
		vg_buf_release(&b);
	}

	/* A list above VG_POLICY_MAX_LIST. */
	vg_buf_init(&b, 1 << 16);
	assert_int_equal(vg_buf_addstr(&b, HEAD), VG_OK);
	b.len -= strlen("[a]\n");
	b.p[b.len] = '\0';
	assert_int_equal(vg_buf_addch(&b, '['), VG_OK);
	for (int i = 0; i <= VG_POLICY_MAX_LIST; i++)
		assert_int_equal(vg_buf_addstr(&b, i ? ", r" : "r"), VG_OK);
	assert_int_equal(vg_buf_addstr(&b, "]\n" RULES "      - sshd: X\n"), VG_OK);
	assert_int_equal(vg_policy_load_mem(vg_buf_str(&b), "l.yml", &p, &err), VG_ETOOBIG);
	assert_string_equal(err.msg, "l.yml:12:17: 'references' has more than 256 items");
	vg_buf_release(&b);

	/* A mapping of more than 1024 keys is refused while reading (duplicates are searched). */
	vg_buf_init(&b, 1 << 16);
	assert_int_equal(vg_buf_addstr(&b, "policy:\n"), VG_OK);
	for (int i = 0; i <= 1024; i++)
		assert_int_equal(vg_buf_addf(&b, "  k%d: v\n", i), VG_OK);
	assert_int_equal(vg_policy_load_mem(vg_buf_str(&b), "m.yml", &p, &err), VG_ETOOBIG);
	assert_string_equal(err.msg, "m.yml:1026:3: mapping with more than 1024 keys");
	vg_buf_release(&b);

	/* Rules above VG_POLICY_MAX_RULES. */
	vg_buf_init(&b, 1 << 16);
	assert_int_equal(vg_buf_addstr(&b, HEAD RULES), VG_OK);
	for (int i = 0; i <= VG_POLICY_MAX_RULES; i++)
		assert_int_equal(vg_buf_addstr(&b, "      - sshd: X\n"), VG_OK);
	assert_int_equal(vg_policy_load_mem(vg_buf_str(&b), "r.yml", &p, &err), VG_ETOOBIG);
	assert_string_equal(err.msg, "r.yml:14:7: more than 256 rules");
	vg_buf_release(&b);
}

/* ---- sets ------------------------------------------------------------------------------- */

static void
set_directory(void **state)
{
	struct vg_policy_set set = {0};
	struct vg_err err;
	char *dir = vgt_test_data_path("policies/set");
	char *wazuh = vgt_shared_path("sca/wazuh/cis_debian12.yml");
	char *dup = vgt_test_data_path("policies/set-dup/a.yml");
	char *bad = vgt_test_data_path("policies/bad");

	(void)state;
	assert_int_equal(vg_policy_set_add(&set, dir, &err), VG_OK);
	/* b.yaml and a.yml: name order, the README and the hidden file skipped */
	assert_int_equal(set.n, 2);
	assert_string_equal(set.policies[0].id, "set-a");
	assert_string_equal(set.policies[1].id, "set-b");
	assert_non_null(strstr(set.policies[1].path, "policies/set/b.yaml"));
	assert_int_equal(vg_policy_set_add(&set, wazuh, &err), VG_OK);
	assert_int_equal(set.n, 3);
	assert_int_equal(set.policies[2].nchecks, 207);

	/* Same id again, from another file: refused, the set unchanged. */
	assert_int_equal(vg_policy_set_add(&set, dup, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "policy id 'set-a' already loaded from "));
	assert_int_equal(set.n, 3);
	/* Same file twice: same id. */
	assert_int_equal(vg_policy_set_add(&set, wazuh, &err), VG_EINVAL);
	assert_int_equal(set.n, 3);

	/* A directory whose second file is broken keeps the first. */
	assert_int_equal(vg_policy_set_add(&set, bad, &err), VG_EINVAL);
	assert_int_equal(set.n, 4);
	assert_string_equal(set.policies[3].id, "bad-first");
	assert_non_null(strstr(err.msg, "policies/bad/b-broken.yml:9:13: "));
	assert_int_equal(err.line, 9);

	assert_int_equal(vg_policy_set_add(&set, "/nonexistent-dir", &err), VG_ENOTFOUND);
	vg_policy_set_release(&set);
	assert_int_equal(set.n, 0);
	assert_null(set.policies);
	vg_policy_set_release(&set);
	free(dir);
	free(wazuh);
	free(dup);
	free(bad);
}

static void
categories(void **state)
{
	enum vg_check_category c;

	(void)state;
	assert_string_equal(vg_category_name(VG_CAT_NONE), "");
	assert_string_equal(vg_category_name(VG_CAT_OS), "OS");
	assert_string_equal(vg_category_name(VG_CAT_SECURITY_CONTROLS), "Security controls");
	assert_string_equal(vg_category_api_name(VG_CAT_SECURITY_CONTROLS), "SecurityControls");
	assert_string_equal(vg_category_api_name(VG_CAT_APPLICATION), "Application");
	assert_true(vg_category_parse("securitycontrols", &c));
	assert_int_equal(c, VG_CAT_SECURITY_CONTROLS);
	assert_true(vg_category_parse("SECURITY CONTROLS", &c));
	assert_int_equal(c, VG_CAT_SECURITY_CONTROLS);
	assert_true(vg_category_parse("network", &c));
	assert_int_equal(c, VG_CAT_NETWORK);
	assert_true(vg_category_parse("Accounts", &c));
	assert_int_equal(c, VG_CAT_ACCOUNTS);
	assert_false(vg_category_parse("", &c));
	assert_false(vg_category_parse("Kernel", &c));
}

/* The shipped baseline (content/) loads when present. */
static void
content_dir(void **state)
{
	struct vg_policy_set set = {0};
	struct vg_err err;

	int rc;

	(void)state;
	vg_err_clear(&err);
	rc = vg_policy_set_add(&set, VG_CONTENT_DIR, &err);
	if (rc == VG_ENOTFOUND)
		skip();
	if (rc != VG_OK)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < set.n; i++)
		for (size_t k = 0; k < set.policies[i].nchecks; k++)
			if (set.policies[i].format == VG_POLICY_VIGIL)
				assert_in_range(set.policies[i].checks[k].impact, 1, 10);
	vg_policy_set_release(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wazuh_debian12),
		cmocka_unit_test(wazuh_distro_independent),
		cmocka_unit_test(wazuh_extensions),
		cmocka_unit_test(vigil_all_kinds),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(empty_and_missing),
		cmocka_unit_test(caps),
		cmocka_unit_test(set_directory),
		cmocka_unit_test(categories),
		cmocka_unit_test(content_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
