/*
 * cmd_policy.c - `vigil policy`: check and show configuration policies.
 *
 *   vigil policy check PATH...
 *   vigil policy show PATH [--check ID] [--json]
 *
 * PATH is a policy file (Vigil's format or Wazuh SCA, docs/policy-format.md)
 * or a directory of them.  `check` loads every PATH and prints one line per
 * policy; the first error of each PATH goes to stderr as
 * "vigil policy check: error: FILE:LINE:COL: message" and the exit status
 * is then 2.  `show` lists the checks of the policies of PATH, or one check
 * in detail, as text or JSON.  Nothing is evaluated: see `vigil scan` for
 * results on a host.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/buf.h"
#include "core/json.h"
#include "policy/policy.h"

static const char usage_text[] =
	"usage: vigil policy check PATH...\n"
	"       vigil policy show PATH [--check ID] [--json]\n"
	"\n"
	"Validate and inspect configuration policies (docs/policy-format.md): Vigil's\n"
	"own format and Wazuh SCA policies.  PATH is a policy file or a directory of\n"
	"*.yml / *.yaml files.\n"
	"\n"
	"  check        load every PATH; one line per policy: id, checks, format and\n"
	"               checks per category; errors as FILE:LINE:COL: message\n"
	"  show         list the checks of PATH (id, category, impact, title)\n"
	"  --check ID   show: one check in detail, with its rules\n"
	"  --json       show: JSON instead of text\n"
	"\n"
	"Exit status: 0 on success, 1 when --check names no check,\n"
	"2 on bad usage or a policy that does not load.\n";

static const char *
format_name(enum vg_policy_format f)
{
	return f == VG_POLICY_VIGIL ? "vigil" : "wazuh";
}

static const char *
condition_name(enum vg_condition c)
{
	return c == VG_COND_ANY ? "any" : c == VG_COND_NONE ? "none" : "all";
}

/* ---- rule descriptions -------------------------------------------------------------- */

/* The buffers below are program-bounded (policy strings are capped by the loader). */
static void add(struct vg_buf *b, const char *fmt, ...) VG_PRINTF(2, 3);

static void
add(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vg_buf_vaddf(b, fmt, ap); /* VG_BUF_NOLIMIT: cannot fail */
	va_end(ap);
	(void)rc;
}

static void
add_list(struct vg_buf *b, const char *sep, const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(b, "%s%s", i ? sep : "", v[i]);
}

static void
add_tri(struct vg_buf *b, const char *what, int v)
{
	if (v >= 0)
		add(b, " %s=%s", what, v ? "yes" : "no");
}

static void
add_test(struct vg_buf *b, const struct vg_value_test *t)
{
	switch (t->op) {
	case VG_VAL_SET:
		add(b, " set");
		break;
	case VG_VAL_EQ:
		add(b, " == '%s'", t->values[0]);
		break;
	case VG_VAL_IN:
		add(b, " in [");
		for (size_t i = 0; i < t->nvalues; i++)
			add(b, "%s'%s'", i ? ", " : "", t->values[i]);
		add(b, "]");
		break;
	case VG_VAL_REGEX:
		add(b, " ~ '%s'", t->regex);
		break;
	case VG_VAL_CMP:
		add(b, " %s %lld", vg_sca_op_name(t->cmp), t->number);
		break;
	}
	if (t->nocase && (t->op == VG_VAL_EQ || t->op == VG_VAL_IN))
		add(b, " (any case)");
	if (t->default_value)
		add(b, " (default '%s')", t->default_value);
}

static void
describe_file(struct vg_buf *b, const struct vg_rule_file *f)
{
	add(b, "file %s", f->path);
	if (!f->exists) {
		add(b, " absent");
		return;
	}
	if (f->type != VG_FTYPE_ANY)
		add(b, " type %s", f->type == VG_FTYPE_DIR ? "dir" : "file");
	if (f->has_mode_max)
		add(b, " mode_max %04o", f->mode_max);
	if (f->nowners) {
		add(b, " owner ");
		add_list(b, "|", f->owners, f->nowners);
	}
	if (f->ngroups) {
		add(b, " group ");
		add_list(b, "|", f->groups, f->ngroups);
	}
}

static void
describe_content(struct vg_buf *b, const struct vg_rule_content *c)
{
	static const char *const match[] = {"any", "none", "all"};

	add(b, "content %s", c->path);
	if (c->dir)
		add(b, " (every file%s%s%s)", c->name_regex ? " named '" : "",
		    c->name_regex ? c->name_regex : "", c->name_regex ? "'" : "");
	add(b, " match %s '%s'", match[c->match], c->regex);
	if (!c->skip_comments)
		add(b, " (comments too)");
	if (c->missing_ok)
		add(b, " (missing ok)");
}

/* One line for people; SCA rules in their canonical form. */
static void
describe_rule(struct vg_buf *b, const struct vg_rule *r)
{
	const struct vg_rule_pam *pam = &r->u.pam;

	if (r->kind == VG_RULE_SCA) {
		if (vg_sca_rule_print(&r->u.sca, b) != VG_OK)
			add(b, "?");
		return;
	}
	if (r->negated)
		add(b, "not ");
	switch (r->kind) {
	case VG_RULE_FILE:
		describe_file(b, &r->u.file);
		break;
	case VG_RULE_CONTENT:
		describe_content(b, &r->u.content);
		break;
	case VG_RULE_SSHD:
	case VG_RULE_LOGIN_DEFS:
		add(b, "%s %s", r->kind == VG_RULE_SSHD ? "sshd" : "login_defs", r->key);
		add_test(b, &r->test);
		break;
	case VG_RULE_SYSCTL:
		add(b, "sysctl %s", r->key);
		add_test(b, &r->test);
		if (!r->u.sysctl.runtime || !r->u.sysctl.config)
			add(b, " (%s only)", r->u.sysctl.runtime ? "runtime" : "config");
		break;
	case VG_RULE_LIMITS:
		add(b, "limits %s %s %s", r->u.limits.domain, r->u.limits.type, r->u.limits.item);
		add_test(b, &r->test);
		break;
	case VG_RULE_PAM:
		add(b, "pam %s%s%s %s%s", pam->service, pam->type ? " " : "",
		    pam->type ? pam->type : "", pam->module, pam->present ? "" : " absent");
		if (pam->arg) {
			add(b, " arg %s", pam->arg);
			add_test(b, &r->test);
		}
		break;
	case VG_RULE_PACKAGE:
		add(b, "package ");
		add_list(b, "|", r->u.package.names, r->u.package.nnames);
		add(b, r->u.package.installed ? " installed" : " not installed");
		break;
	case VG_RULE_UNIT:
		add(b, "unit %s", r->u.unit.name);
		add_tri(b, "enabled", r->u.unit.enabled);
		add_tri(b, "active", r->u.unit.active);
		add_tri(b, "masked", r->u.unit.masked);
		break;
	case VG_RULE_PORT:
		add(b, "port %d/%s %s%s", r->u.port.port, r->u.port.proto,
		    r->u.port.listening ? "listening" : "not listening",
		    r->u.port.external_only ? " (non-loopback)" : "");
		break;
	case VG_RULE_MOUNT:
		add(b, "mount %s %s", r->u.mount.path,
		    r->u.mount.must_exist ? "mounted" : "if mounted");
		if (r->u.mount.noptions) {
			add(b, " with ");
			add_list(b, ",", r->u.mount.options, r->u.mount.noptions);
		}
		if (r->u.mount.nabsent) {
			add(b, " without ");
			add_list(b, ",", r->u.mount.absent_options, r->u.mount.nabsent);
		}
		break;
	case VG_RULE_MODULE:
		add(b, "module %s", r->u.module.name);
		add_tri(b, "loaded", r->u.module.loaded);
		add_tri(b, "disabled", r->u.module.disabled);
		break;
	case VG_RULE_ACCOUNTS: {
		static const char *const props[] = {
			[VG_ACC_NO_EMPTY_PASSWORD] = "no_empty_password",
			[VG_ACC_UID0_ONLY_ROOT] = "uid0_only_root",
			[VG_ACC_MAX_DAYS] = "max_days",
			[VG_ACC_MIN_DAYS] = "min_days",
			[VG_ACC_WARN_DAYS] = "warn_days",
			[VG_ACC_INACTIVE_DAYS] = "inactive_days",
			[VG_ACC_SYSTEM_NOLOGIN] = "system_nologin",
		};
		enum vg_accounts_prop p = r->u.accounts.prop;

		add(b, "accounts %s", props[p]);
		if (p != VG_ACC_NO_EMPTY_PASSWORD && p != VG_ACC_UID0_ONLY_ROOT &&
		    p != VG_ACC_SYSTEM_NOLOGIN)
			add_test(b, &r->test);
		break;
	}
	case VG_RULE_SCA:
		break;
	}
}

/* ---- loading ------------------------------------------------------------------------ */

/* Load every PATH into @set; report each failing PATH.  Returns the exit status. */
static int
load_paths(const char *cmd, char **paths, int n, struct vg_policy_set *set)
{
	int status = VG_EXIT_OK;

	for (int i = 0; i < n; i++) {
		struct vg_err err;

		vg_err_clear(&err);
		if (vg_policy_set_add(set, paths[i], &err) != VG_OK) {
			fprintf(stderr, "vigil policy %s: error: %s\n", cmd, err.msg);
			status = VG_EXIT_USAGE;
		}
	}
	return status;
}

static int
run_check(char **paths, int n)
{
	struct vg_policy_set set = {0};
	int status = load_paths("check", paths, n, &set);

	for (size_t i = 0; i < set.n; i++) {
		const struct vg_policy *p = &set.policies[i];
		size_t count[VG_NCATEGORIES] = {0};
		bool first = true;

		for (size_t k = 0; k < p->nchecks; k++)
			count[p->checks[k].category]++;
		printf("%s  %zu check%s  (%s)  categories:", p->id, p->nchecks,
		       p->nchecks == 1 ? "" : "s", format_name(p->format));
		for (int c = VG_CAT_APPLICATION; c < VG_NCATEGORIES; c++) {
			if (!count[c])
				continue;
			printf("%s %s %zu", first ? "" : ",",
			       vg_category_name((enum vg_check_category)c), count[c]);
			first = false;
		}
		if (count[VG_CAT_NONE])
			printf("%s unscored %zu", first ? "" : ",", count[VG_CAT_NONE]);
		printf("\n");
	}
	vg_policy_set_release(&set);
	if (fflush(stdout) != 0)
		return VG_EXIT_FAIL;
	return status;
}

/* ---- show --------------------------------------------------------------------------- */

static void
impact_cell(const struct vg_check *c, char buf[8])
{
	snprintf(buf, 8, "%d", c->impact);
}

static void
show_list_text(const struct vg_policy *p)
{
	static const char *const header[] = {"ID", "CATEGORY", "IMPACT", "TITLE"};
	struct vg_table t;

	printf("%s: %s (%s, %zu checks)\n", p->id, p->name, format_name(p->format), p->nchecks);
	vg_table_init(&t, 4, header);
	vg_table_set_max(&t, 3, 80);
	for (size_t i = 0; i < p->nchecks; i++) {
		const struct vg_check *c = &p->checks[i];
		char imp[8];
		const char *cells[4] = {c->id, c->category ? vg_category_name(c->category) : NULL,
					NULL, c->title};

		impact_cell(c, imp);
		cells[2] = c->impact ? imp : NULL;
		vg_table_add(&t, cells);
	}
	vg_table_print(&t, stdout, 2);
	vg_table_release(&t);
}

static void
json_strings(struct vg_json *j, const char *key, const char **v, size_t n)
{
	vg_json_key(j, key);
	vg_json_begin_array(j);
	for (size_t i = 0; i < n; i++)
		vg_json_string(j, v[i]);
	vg_json_end_array(j);
}

static void
json_check(struct vg_json *j, const struct vg_check *c, bool full)
{
	vg_json_begin_object(j);
	vg_json_kv_str(j, "id", c->id);
	vg_json_kv_str(j, "title", c->title);
	vg_json_kv_str_opt(j, "category", c->category ? vg_category_api_name(c->category) : NULL);
	if (c->impact)
		vg_json_kv_int(j, "impact", c->impact);
	else {
		vg_json_key(j, "impact");
		vg_json_null(j);
	}
	if (full) {
		struct vg_buf b;

		vg_json_kv_str_opt(j, "subcategory", c->subcategory);
		vg_json_kv_str_opt(j, "description", c->description);
		vg_json_kv_str_opt(j, "rationale", c->rationale);
		vg_json_kv_str_opt(j, "remediation", c->remediation);
		vg_json_kv_str_opt(j, "impact_text", c->impact_text);
		json_strings(j, "references", c->references, c->nreferences);
		vg_json_key(j, "applies");
		vg_json_begin_object(j);
		json_strings(j, "distro", c->applies.distros, c->applies.ndistros);
		json_strings(j, "package", c->applies.packages, c->applies.npackages);
		vg_json_end_object(j);
		vg_json_kv_str(j, "condition", condition_name(c->condition));
		vg_json_key(j, "rules");
		vg_json_begin_array(j);
		vg_buf_init(&b, VG_BUF_NOLIMIT);
		for (size_t i = 0; i < c->nrules; i++) {
			vg_buf_reset(&b);
			describe_rule(&b, &c->rules[i]);
			vg_json_begin_object(j);
			vg_json_kv_int(j, "line", c->rules[i].line);
			vg_json_kv_str(j, "rule", b.p ? b.p : "");
			vg_json_end_object(j);
		}
		vg_buf_release(&b);
		vg_json_end_array(j);
		vg_json_kv_int(j, "line", c->line);
	}
	vg_json_end_object(j);
}

static void
json_policy(struct vg_json *j, const struct vg_policy *p, const struct vg_check *only)
{
	vg_json_begin_object(j);
	vg_json_kv_str(j, "id", p->id);
	vg_json_kv_str(j, "name", p->name);
	vg_json_kv_str(j, "format", format_name(p->format));
	vg_json_kv_str_opt(j, "version", p->version);
	vg_json_kv_str_opt(j, "description", p->description);
	vg_json_kv_str(j, "path", p->path);
	vg_json_key(j, "checks");
	vg_json_begin_array(j);
	for (size_t i = 0; i < p->nchecks; i++)
		if (!only || only == &p->checks[i])
			json_check(j, &p->checks[i], only != NULL);
	vg_json_end_array(j);
	vg_json_end_object(j);
}

static void
text_field(const char *name, const char *v)
{
	if (v)
		printf("%-12s %s\n", name, v);
}

static void
show_check_text(const struct vg_policy *p, const struct vg_check *c)
{
	struct vg_buf b;

	printf("%-12s %s\n", "check", c->id);
	printf("%-12s %s (%s, line %d)\n", "policy", p->id, p->path, c->line);
	text_field("title", c->title);
	if (c->category)
		printf("%-12s %s%s%s\n", "category", vg_category_name(c->category),
		       c->subcategory ? " / " : "", c->subcategory ? c->subcategory : "");
	if (c->impact)
		printf("%-12s %d\n", "impact", c->impact);
	else
		printf("%-12s not scored\n", "impact");
	if (c->applies.ndistros || c->applies.npackages) {
		printf("%-12s", "applies");
		if (c->applies.ndistros) {
			printf(" distro");
			for (size_t i = 0; i < c->applies.ndistros; i++)
				printf("%s %s", i ? "," : "", c->applies.distros[i]);
		}
		if (c->applies.npackages) {
			printf("%s package", c->applies.ndistros ? ";" : "");
			for (size_t i = 0; i < c->applies.npackages; i++)
				printf("%s %s", i ? "," : "", c->applies.packages[i]);
		}
		printf("\n");
	}
	text_field("description", c->description);
	text_field("rationale", c->rationale);
	text_field("remediation", c->remediation);
	text_field("impact text", c->impact_text);
	for (size_t i = 0; i < c->nreferences; i++)
		printf("%-12s %s\n", i ? "" : "references", c->references[i]);
	printf("%-12s %s of %zu rule%s\n", "condition", condition_name(c->condition), c->nrules,
	       c->nrules == 1 ? "" : "s");
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	for (size_t i = 0; i < c->nrules; i++) {
		vg_buf_reset(&b);
		describe_rule(&b, &c->rules[i]);
		printf("  %zu. %s  [line %d]\n", i + 1, b.p ? b.p : "", c->rules[i].line);
	}
	vg_buf_release(&b);
}

static int
write_json(struct vg_buf *out, struct vg_json *j)
{
	if (vg_json_finish(j) != VG_OK || vg_buf_addch(out, '\n') != VG_OK ||
	    fwrite(out->p, 1, out->len, stdout) != out->len)
		return VG_EXIT_FAIL;
	return VG_EXIT_OK;
}

static int
run_show(char *path, const char *check_id, bool json)
{
	struct vg_policy_set set = {0};
	const struct vg_check *only = NULL;
	int status = load_paths("show", &path, 1, &set);
	struct vg_buf out;
	struct vg_json j;

	if (status != VG_EXIT_OK) {
		vg_policy_set_release(&set);
		return status;
	}
	if (check_id) {
		for (size_t i = 0; i < set.n && !only; i++)
			only = vg_policy_find(&set.policies[i], check_id);
		if (!only) {
			fprintf(stderr, "vigil policy show: error: no check '%s' in %s\n", check_id,
				path);
			vg_policy_set_release(&set);
			return VG_EXIT_FAIL;
		}
	}
	vg_buf_init(&out, VG_BUF_NOLIMIT);
	vg_json_init(&j, &out, VG_JSON_PRETTY);
	vg_json_begin_array(&j);
	for (size_t i = 0; i < set.n; i++) {
		const struct vg_policy *p = &set.policies[i];
		const struct vg_check *c =
			only && only >= p->checks && only < p->checks + p->nchecks ? only : NULL;

		if (only && !c)
			continue;
		if (json)
			json_policy(&j, p, c);
		else if (c)
			show_check_text(p, c);
		else
			show_list_text(p);
	}
	vg_json_end_array(&j);
	if (json)
		status = write_json(&out, &j);
	vg_buf_release(&out);
	vg_policy_set_release(&set);
	if (fflush(stdout) != 0)
		return VG_EXIT_FAIL;
	return status;
}

/* ---- options ------------------------------------------------------------------------ */

int
vg_cmd_policy(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"check", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sub, *check_id = NULL;
	bool json = false, show;
	int c, nargs;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return VG_EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(usage_text, stdout);
		return VG_EXIT_OK;
	}
	if (strcmp(sub, "check") != 0 && strcmp(sub, "show") != 0)
		return vg_cli_usage_error("policy", "unknown command '%s' (check, show)", sub);
	show = strcmp(sub, "show") == 0;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "hc:j", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		}
		if (c == '?' || !show) {
			if (c != '?')
				fprintf(stderr,
					"vigil policy %s: error: option '%s' does not apply\n", sub,
					argv[optind]);
			fputs(usage_text, stderr);
			return VG_EXIT_USAGE;
		}
		if (c == 'c')
			check_id = optarg;
		else
			json = true;
	}
	nargs = argc - 1 - optind;
	if (!show) {
		if (nargs < 1)
			return vg_cli_usage_error("policy check", "give at least one PATH");
		return run_check(argv + 1 + optind, nargs);
	}
	if (nargs != 1)
		return vg_cli_usage_error("policy show", "give one PATH");
	return run_show(argv[1 + optind], check_id, json);
}
