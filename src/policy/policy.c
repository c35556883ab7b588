/*
 * policy.c - the policy model: categories, look-ups, sets of policies, and
 * the Vigil format's checks and typed rules (docs/policy-format.md).
 *
 * The YAML tree and its accessors are in policy_yaml.c; everything here
 * validates one mapping at a time and fails at the offending node with
 * "FILE:LINE:COL: message".  Each rule kind lists the keys it accepts, so
 * a misspelt option is an error, never silently ignored.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "policy/policy_int.h"

/* ---- categories ------------------------------------------------------------------- */

static const char *const cat_names[VG_NCATEGORIES] = {
	"", "Application", "OS", "Network", "Accounts", "Security controls",
};

const char *
vg_category_name(enum vg_check_category c)
{
	return (unsigned)c < VG_NCATEGORIES ? cat_names[c] : "";
}

const char *
vg_category_api_name(enum vg_check_category c)
{
	return c == VG_CAT_SECURITY_CONTROLS ? "SecurityControls" : vg_category_name(c);
}

bool
vg_category_parse(const char *s, enum vg_check_category *out)
{
	for (int c = VG_CAT_APPLICATION; c < VG_NCATEGORIES; c++) {
		if (strcasecmp(s, cat_names[c]) == 0 ||
		    strcasecmp(s, vg_category_api_name((enum vg_check_category)c)) == 0) {
			*out = (enum vg_check_category)c;
			return true;
		}
	}
	return false;
}

/* ---- policies and sets ------------------------------------------------------------ */

void
vg_policy_release(struct vg_policy *p)
{
	if (!p)
		return;
	vg_arena_release(&p->arena);
	memset(p, 0, sizeof(*p));
}

const struct vg_check *
vg_policy_find(const struct vg_policy *p, const char *id)
{
	for (size_t i = 0; p && id && i < p->nchecks; i++)
		if (strcmp(p->checks[i].id, id) == 0)
			return &p->checks[i];
	return NULL;
}

void
vg_policy_set_release(struct vg_policy_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		vg_policy_release(&set->policies[i]);
	free(set->policies);
	set->policies = NULL;
	set->n = 0;
}

static int
add_file(struct vg_policy_set *set, const char *path, struct vg_err *err)
{
	struct vg_policy p;
	int rc = vg_policy_load_file(path, &p, err);

	if (rc != VG_OK)
		return rc;
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->policies[i].id, p.id) == 0) {
			rc = vg_error(err, VG_EINVAL, "%s: policy id '%s' already loaded from %s",
				      path, p.id, set->policies[i].path);
			vg_policy_release(&p);
			return rc;
		}
	}
	set->policies = vg_xreallocarray(set->policies, set->n + 1, sizeof(*set->policies));
	set->policies[set->n++] = p;
	return VG_OK;
}

static bool
is_policy_name(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.')
		return false;
	return (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The policy file names of @dir, sorted (caller frees each and the array). */
static int
list_dir(const char *dir, char ***names, size_t *n, struct vg_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return vg_error(err, errno == EACCES ? VG_EPERM : VG_EIO, "%s: %s", dir,
				strerror(errno));
	while ((de = readdir(d))) {
		if (!is_policy_name(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*names = vg_xreallocarray(*names, cap, sizeof(**names));
		}
		(*names)[(*n)++] = vg_xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return VG_OK;
}

int
vg_policy_set_add(struct vg_policy_set *set, const char *path, struct vg_err *err)
{
	struct stat st;
	char **names;
	size_t n;
	int rc;

	if (stat(path, &st) != 0)
		return vg_error(err,
				errno == ENOENT   ? VG_ENOTFOUND
				: errno == EACCES ? VG_EPERM
						  : VG_EIO,
				"%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return add_file(set, path, err);
	if ((rc = list_dir(path, &names, &n, err)) != VG_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (rc == VG_OK) {
			size_t len = strlen(path) + strlen(names[i]) + 2;
			char *full = vg_xmalloc(len);

			snprintf(full, len, "%s/%s", path, names[i]);
			rc = add_file(set, full, err);
			free(full);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- shared checks ---------------------------------------------------------------- */

struct id_ref {
	const char *id;
	size_t index;
};

static int
id_cmp(const void *a, const void *b)
{
	const struct id_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

int
vg_pl_unique_ids(struct vg_pl_ctx *c, const struct vg_policy *p,
		 const struct vg_pl_node *const *ids)
{
	struct id_ref *refs;
	int rc = VG_OK;

	if (p->nchecks < 2)
		return VG_OK;
	refs = vg_xreallocarray(NULL, p->nchecks, sizeof(*refs));
	for (size_t i = 0; i < p->nchecks; i++)
		refs[i] = (struct id_ref){p->checks[i].id, i};
	qsort(refs, p->nchecks, sizeof(*refs), id_cmp);
	for (size_t i = 1; i < p->nchecks && rc == VG_OK; i++)
		if (strcmp(refs[i].id, refs[i - 1].id) == 0)
			rc = vg_pl_fail(c, ids[refs[i].index], VG_EINVAL,
					"duplicate check id '%s' (first at line %d)", refs[i].id,
					p->checks[refs[i - 1].index].line);
	free(refs);
	return rc;
}

/* ---- Vigil rules ------------------------------------------------------------------ */

enum kind_flags {
	K_VALUE = 1 << 0, /* takes a value test */
};

struct rule_in {
	struct vg_pl_ctx *c;
	const struct vg_pl_node *map;  /* the rule */
	const struct vg_pl_node *main; /* value of the first key */
	const char *kind;              /* its name */
	struct vg_rule *r;
};

struct kind {
	const char *name;
	enum vg_rule_kind kind;
	unsigned flags;
	const char *const *keys; /* besides the kind, "not" and the value test's */
	int (*parse)(struct rule_in *in);
};

static const char *const value_keys[] = {"eq",  "in",     "regex",   "compare",
					 "set", "nocase", "default", NULL};

static const struct vg_pl_node *
get(const struct rule_in *in, const char *key)
{
	return vg_pl_get(in->map, key);
}

static struct vg_arena *
arena(const struct rule_in *in)
{
	return &in->c->p->arena;
}

static int
opt_bool(const struct rule_in *in, const char *key, bool dflt, bool *out)
{
	const struct vg_pl_node *v = get(in, key);

	*out = dflt;
	return v ? vg_pl_bool(in->c, v, key, out) : VG_OK;
}

/* -1 when absent, else 0 / 1. */
static int
tri_bool(const struct rule_in *in, const char *key, int *out)
{
	const struct vg_pl_node *v = get(in, key);
	bool b;
	int rc;

	*out = -1;
	if (!v)
		return VG_OK;
	if ((rc = vg_pl_bool(in->c, v, key, &b)) != VG_OK)
		return rc;
	*out = b;
	return VG_OK;
}

/* A string option that must be one of the NULL-terminated @choices. */
static int
choice(const struct rule_in *in, const char *key, const char *const *choices, const char *dflt,
       const char **out)
{
	const struct vg_pl_node *v = get(in, key);

	*out = dflt;
	if (!v)
		return VG_OK;
	for (size_t i = 0; v->type == PL_SCALAR && choices[i]; i++) {
		if (strcmp(v->s, choices[i]) == 0) {
			*out = choices[i];
			return VG_OK;
		}
	}
	return vg_pl_fail(in->c, v, VG_EINVAL, "'%s' must be %s%s%s", key, choices[0],
			  choices[1] ? " or " : "", choices[1] ? choices[1] : "");
}

static int
main_str(struct rule_in *in, const char **out)
{
	return vg_pl_str(in->c, in->main, in->kind, out);
}

static int
abs_path(struct rule_in *in, const char **out)
{
	int rc = main_str(in, out);

	if (rc == VG_OK && (*out)[0] != '/')
		return vg_pl_fail(in->c, in->main, VG_EINVAL, "'%s' needs an absolute path",
				  in->kind);
	return rc;
}

static int
parse_mode(struct rule_in *in, const struct vg_pl_node *v, unsigned *out)
{
	unsigned m = 0;

	if (v->type != PL_SCALAR || v->len < 3 || v->len > 5)
		goto bad;
	for (size_t i = 0; i < v->len; i++) {
		if (v->s[i] < '0' || v->s[i] > '7')
			goto bad;
		m = m * 8 + (unsigned)(v->s[i] - '0');
	}
	if (m > 07777)
		goto bad;
	*out = m;
	return VG_OK;
bad:
	return vg_pl_fail(in->c, v, VG_EINVAL,
			  "'mode_max' must be an octal mode such as \"0640\", not '%.20s'",
			  v->type == PL_SCALAR ? v->s : "");
}

static int
k_file(struct rule_in *in)
{
	static const char *const types[] = {"file", "dir", NULL};
	static const char *const attrs[] = {"type", "mode_max", "owner", "group", NULL};
	struct vg_rule_file *f = &in->r->u.file;
	const struct vg_pl_node *v;
	const char *type;
	int rc;

	if ((rc = abs_path(in, &f->path)) != VG_OK ||
	    (rc = opt_bool(in, "exists", true, &f->exists)) != VG_OK ||
	    (rc = choice(in, "type", types, NULL, &type)) != VG_OK)
		return rc;
	for (size_t i = 0; !f->exists && attrs[i]; i++)
		if ((v = get(in, attrs[i])))
			return vg_pl_fail(in->c, v, VG_EINVAL,
					  "'%s' has no meaning with 'exists: false'", attrs[i]);
	f->type = !type ? VG_FTYPE_ANY : strcmp(type, "dir") == 0 ? VG_FTYPE_DIR : VG_FTYPE_FILE;
	if ((v = get(in, "mode_max"))) {
		if ((rc = parse_mode(in, v, &f->mode_max)) != VG_OK)
			return rc;
		f->has_mode_max = true;
	}
	if ((v = get(in, "owner")) &&
	    (rc = vg_pl_str_list(in->c, v, "owner", true, 1, &f->owners, &f->nowners)) != VG_OK)
		return rc;
	if ((v = get(in, "group")) &&
	    (rc = vg_pl_str_list(in->c, v, "group", true, 1, &f->groups, &f->ngroups)) != VG_OK)
		return rc;
	return VG_OK;
}

static int
k_content(struct rule_in *in)
{
	static const char *const matches[] = {"any", "none", "all", NULL};
	struct vg_rule_content *ct = &in->r->u.content;
	const struct vg_pl_node *v;
	const char *match;
	int rc;

	if ((rc = abs_path(in, &ct->path)) != VG_OK)
		return rc;
	if (!(v = get(in, "regex")))
		return vg_pl_fail(in->c, in->map, VG_EINVAL, "a content rule needs 'regex'");
	if ((rc = vg_pl_str(in->c, v, "regex", &ct->regex)) != VG_OK ||
	    (rc = vg_pl_regex(in->c, v, ct->regex)) != VG_OK ||
	    (rc = choice(in, "match", matches, "any", &match)) != VG_OK ||
	    (rc = opt_bool(in, "dir", false, &ct->dir)) != VG_OK ||
	    (rc = opt_bool(in, "skip_comments", true, &ct->skip_comments)) != VG_OK ||
	    (rc = opt_bool(in, "missing_ok", false, &ct->missing_ok)) != VG_OK)
		return rc;
	ct->match = strcmp(match, "none") == 0  ? VG_LINES_NONE
		    : strcmp(match, "all") == 0 ? VG_LINES_ALL
						: VG_LINES_ANY;
	if ((v = get(in, "names"))) {
		if (!ct->dir)
			return vg_pl_fail(in->c, v, VG_EINVAL, "'names' needs 'dir: true'");
		if ((rc = vg_pl_str(in->c, v, "names", &ct->name_regex)) != VG_OK ||
		    (rc = vg_pl_regex(in->c, v, ct->name_regex)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
k_keyword(struct rule_in *in)
{
	return main_str(in, &in->r->key);
}

static int
k_sysctl(struct rule_in *in)
{
	struct vg_rule_sysctl *s = &in->r->u.sysctl;
	int rc;

	if ((rc = main_str(in, &s->key)) != VG_OK ||
	    (rc = opt_bool(in, "runtime", true, &s->runtime)) != VG_OK ||
	    (rc = opt_bool(in, "config", true, &s->config)) != VG_OK)
		return rc;
	if (!s->runtime && !s->config)
		return vg_pl_fail(in->c, in->map, VG_EINVAL,
				  "a sysctl rule needs 'runtime' or 'config'");
	in->r->key = s->key;
	return VG_OK;
}

static int
k_limits(struct rule_in *in)
{
	static const char *const types[] = {"hard", "soft", NULL};
	struct vg_rule_limits *l = &in->r->u.limits;
	const struct vg_pl_node *v;
	int rc;

	if ((rc = main_str(in, &l->item)) != VG_OK ||
	    (rc = choice(in, "type", types, "hard", &l->type)) != VG_OK)
		return rc;
	l->domain = "*";
	if ((v = get(in, "domain")) && (rc = vg_pl_str(in->c, v, "domain", &l->domain)) != VG_OK)
		return rc;
	in->r->key = l->item;
	return VG_OK;
}

static int
k_pam(struct rule_in *in)
{
	static const char *const types[] = {"auth", "account", "password", "session", NULL};
	struct vg_rule_pam *pm = &in->r->u.pam;
	const struct vg_pl_node *v;
	int rc;

	if ((rc = main_str(in, &pm->service)) != VG_OK ||
	    (rc = opt_bool(in, "present", true, &pm->present)) != VG_OK)
		return rc;
	if ((v = get(in, "type"))) {
		for (size_t i = 0; v->type == PL_SCALAR && types[i]; i++)
			if (strcmp(v->s, types[i]) == 0)
				pm->type = types[i];
		if (!pm->type)
			return vg_pl_fail(in->c, v, VG_EINVAL,
					  "'type' must be auth, account, password or session");
	}
	if (!(v = get(in, "module")))
		return vg_pl_fail(in->c, in->map, VG_EINVAL, "a pam rule needs 'module'");
	if ((rc = vg_pl_str(in->c, v, "module", &pm->module)) != VG_OK)
		return rc;
	if ((v = get(in, "arg"))) {
		if (!pm->present)
			return vg_pl_fail(in->c, v, VG_EINVAL,
					  "'arg' has no meaning with 'present: false'");
		return vg_pl_str(in->c, v, "arg", &pm->arg);
	}
	for (size_t i = 0; value_keys[i]; i++)
		if ((v = get(in, value_keys[i])))
			return vg_pl_fail(in->c, v, VG_EINVAL, "'%s' needs 'arg'", value_keys[i]);
	return VG_OK;
}

static int
k_package(struct rule_in *in)
{
	struct vg_rule_package *pk = &in->r->u.package;
	int rc = vg_pl_str_list(in->c, in->main, "package", true, 1, &pk->names, &pk->nnames);

	if (rc != VG_OK)
		return rc;
	return opt_bool(in, "installed", true, &pk->installed);
}

static int
k_unit(struct rule_in *in)
{
	struct vg_rule_unit *u = &in->r->u.unit;
	int rc;

	if ((rc = main_str(in, &u->name)) != VG_OK ||
	    (rc = tri_bool(in, "enabled", &u->enabled)) != VG_OK ||
	    (rc = tri_bool(in, "active", &u->active)) != VG_OK ||
	    (rc = tri_bool(in, "masked", &u->masked)) != VG_OK)
		return rc;
	if (u->enabled < 0 && u->active < 0 && u->masked < 0)
		return vg_pl_fail(in->c, in->map, VG_EINVAL,
				  "a unit rule needs 'enabled', 'active' or 'masked'");
	return VG_OK;
}

static int
k_port(struct rule_in *in)
{
	static const char *const protos[] = {"tcp", "udp", NULL};
	struct vg_rule_port *pt = &in->r->u.port;
	long long port;
	int rc;

	if ((rc = vg_pl_int(in->c, in->main, "port", 1, 65535, &port)) != VG_OK ||
	    (rc = choice(in, "proto", protos, "tcp", &pt->proto)) != VG_OK ||
	    (rc = opt_bool(in, "listening", false, &pt->listening)) != VG_OK ||
	    (rc = opt_bool(in, "external", false, &pt->external_only)) != VG_OK)
		return rc;
	pt->port = (int)port;
	return VG_OK;
}

static int
k_mount(struct rule_in *in)
{
	struct vg_rule_mount *m = &in->r->u.mount;
	const struct vg_pl_node *v;
	int rc;

	if ((rc = abs_path(in, &m->path)) != VG_OK ||
	    (rc = opt_bool(in, "required", true, &m->must_exist)) != VG_OK)
		return rc;
	if ((v = get(in, "options")) && (rc = vg_pl_str_list(in->c, v, "options", false, 1,
							     &m->options, &m->noptions)) != VG_OK)
		return rc;
	if ((v = get(in, "absent_options")) &&
	    (rc = vg_pl_str_list(in->c, v, "absent_options", false, 1, &m->absent_options,
				 &m->nabsent)) != VG_OK)
		return rc;
	return VG_OK;
}

static int
k_module(struct rule_in *in)
{
	struct vg_rule_module *md = &in->r->u.module;
	int rc;

	if ((rc = main_str(in, &md->name)) != VG_OK ||
	    (rc = tri_bool(in, "loaded", &md->loaded)) != VG_OK ||
	    (rc = tri_bool(in, "disabled", &md->disabled)) != VG_OK)
		return rc;
	if (md->loaded < 0 && md->disabled < 0)
		return vg_pl_fail(in->c, in->map, VG_EINVAL,
				  "a module rule needs 'loaded' or 'disabled'");
	return VG_OK;
}

static const char *const acc_names[] = {
	[VG_ACC_NO_EMPTY_PASSWORD] = "no_empty_password",
	[VG_ACC_UID0_ONLY_ROOT] = "uid0_only_root",
	[VG_ACC_MAX_DAYS] = "max_days",
	[VG_ACC_MIN_DAYS] = "min_days",
	[VG_ACC_WARN_DAYS] = "warn_days",
	[VG_ACC_INACTIVE_DAYS] = "inactive_days",
	[VG_ACC_SYSTEM_NOLOGIN] = "system_nologin",
};

static int
k_accounts(struct rule_in *in)
{
	const struct vg_pl_node *v = in->main;
	bool days;

	for (size_t i = 0; v->type == PL_SCALAR && i < VG_ARRAY_LEN(acc_names); i++) {
		if (strcmp(v->s, acc_names[i]) != 0)
			continue;
		in->r->u.accounts.prop = (enum vg_accounts_prop)i;
		days = strstr(v->s, "_days") != NULL;
		for (size_t k = 0; !days && value_keys[k]; k++)
			if ((v = get(in, value_keys[k])))
				return vg_pl_fail(in->c, v, VG_EINVAL,
						  "'accounts: %s' takes no value test",
						  acc_names[i]);
		return VG_OK;
	}
	return vg_pl_fail(in->c, v, VG_EINVAL,
			  "unknown accounts property '%.40s' (no_empty_password, uid0_only_root, "
			  "system_nologin, max_days, min_days, warn_days, inactive_days)",
			  v->type == PL_SCALAR ? v->s : "");
}

static const char *const k_file_keys[] = {"exists", "type", "mode_max", "owner", "group", NULL};
static const char *const k_content_keys[] = {"regex",         "match",      "dir", "names",
					     "skip_comments", "missing_ok", NULL};
static const char *const k_none_keys[] = {NULL};
static const char *const k_sysctl_keys[] = {"runtime", "config", NULL};
static const char *const k_limits_keys[] = {"domain", "type", NULL};
static const char *const k_pam_keys[] = {"type", "module", "present", "arg", NULL};
static const char *const k_package_keys[] = {"installed", NULL};
static const char *const k_unit_keys[] = {"enabled", "active", "masked", NULL};
static const char *const k_port_keys[] = {"proto", "listening", "external", NULL};
static const char *const k_mount_keys[] = {"required", "options", "absent_options", NULL};
static const char *const k_module_keys[] = {"loaded", "disabled", NULL};

static const struct kind kinds[] = {
	{"file", VG_RULE_FILE, 0, k_file_keys, k_file},
	{"content", VG_RULE_CONTENT, 0, k_content_keys, k_content},
	{"sshd", VG_RULE_SSHD, K_VALUE, k_none_keys, k_keyword},
	{"login_defs", VG_RULE_LOGIN_DEFS, K_VALUE, k_none_keys, k_keyword},
	{"sysctl", VG_RULE_SYSCTL, K_VALUE, k_sysctl_keys, k_sysctl},
	{"limits", VG_RULE_LIMITS, K_VALUE, k_limits_keys, k_limits},
	{"pam", VG_RULE_PAM, K_VALUE, k_pam_keys, k_pam},
	{"package", VG_RULE_PACKAGE, 0, k_package_keys, k_package},
	{"unit", VG_RULE_UNIT, 0, k_unit_keys, k_unit},
	{"port", VG_RULE_PORT, 0, k_port_keys, k_port},
	{"mount", VG_RULE_MOUNT, 0, k_mount_keys, k_mount},
	{"module", VG_RULE_MODULE, 0, k_module_keys, k_module},
	{"accounts", VG_RULE_ACCOUNTS, K_VALUE, k_none_keys, k_accounts},
};

static bool
in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static int
rule_keys(struct rule_in *in, const struct kind *k)
{
	for (const struct vg_pl_node *key = in->map->first->next; key; key = key->next)
		if (strcmp(key->s, "not") != 0 && !in_list(k->keys, key->s) &&
		    !((k->flags & K_VALUE) && in_list(value_keys, key->s)))
			return vg_pl_fail(in->c, key, VG_EINVAL, "unknown key '%.60s' in a %s rule",
					  key->s, k->name);
	return VG_OK;
}

/* "<= 365": an operator, blanks, an integer. */
static int
parse_compare(struct rule_in *in, const struct vg_pl_node *v, struct vg_value_test *t)
{
	static const struct {
		const char *s;
		enum vg_sca_op op;
	} ops[] = {{"<=", VG_SCA_OP_LE}, {">=", VG_SCA_OP_GE}, {"==", VG_SCA_OP_EQ},
		   {"!=", VG_SCA_OP_NE}, {"<", VG_SCA_OP_LT},  {">", VG_SCA_OP_GT}};
	const char *s = v->s, *end;
	size_t i;

	if (v->type != PL_SCALAR)
		goto bad;
	for (i = 0; i < VG_ARRAY_LEN(ops); i++)
		if (strncmp(s, ops[i].s, strlen(ops[i].s)) == 0)
			break;
	if (i == VG_ARRAY_LEN(ops))
		goto bad;
	s += strlen(ops[i].s);
	s += strspn(s, " ");
	end = s + (*s == '-');
	if (*end < '0' || *end > '9' || strspn(end, "0123456789") > 18)
		goto bad;
	end += strspn(end, "0123456789");
	if (*end)
		goto bad;
	t->cmp = ops[i].op;
	t->number = strtoll(s, NULL, 10);
	return VG_OK;
bad:
	return vg_pl_fail(in->c, v, VG_EINVAL,
			  "'compare' must be an operator (< <= == != >= >) and an integer, "
			  "such as \"<= 365\"");
}

static int
value_test(struct rule_in *in, bool sshd)
{
	static const char *const tests[] = {"eq", "in", "regex", "compare", "set", NULL};
	struct vg_value_test *t = &in->r->test;
	const struct vg_pl_node *v = NULL, *other;
	const char *which = NULL;
	int rc;

	for (size_t i = 0; tests[i]; i++) {
		if (!(other = get(in, tests[i])))
			continue;
		if (v)
			return vg_pl_fail(in->c, other, VG_EINVAL,
					  "'%s' and '%s': a rule has one value test", which,
					  tests[i]);
		v = other;
		which = tests[i];
	}
	t->op = VG_VAL_SET;
	if (!v) {
	} else if (strcmp(which, "eq") == 0) {
		if (v->type != PL_SCALAR)
			return vg_pl_fail(in->c, v, VG_EINVAL, "'eq' must be a string");
		t->op = VG_VAL_EQ;
		t->values = vg_arena_alloc(arena(in), sizeof(*t->values));
		t->values[0] = vg_arena_strdup(arena(in), v->s);
		t->nvalues = 1;
	} else if (strcmp(which, "in") == 0) {
		t->op = VG_VAL_IN;
		if ((rc = vg_pl_str_list(in->c, v, "in", false, 1, &t->values, &t->nvalues)) !=
		    VG_OK)
			return rc;
	} else if (strcmp(which, "regex") == 0) {
		t->op = VG_VAL_REGEX;
		if ((rc = vg_pl_str(in->c, v, "regex", &t->regex)) != VG_OK ||
		    (rc = vg_pl_regex(in->c, v, t->regex)) != VG_OK)
			return rc;
	} else if (strcmp(which, "compare") == 0) {
		t->op = VG_VAL_CMP;
		if ((rc = parse_compare(in, v, t)) != VG_OK)
			return rc;
	} else {
		bool set;

		if ((rc = vg_pl_bool(in->c, v, "set", &set)) != VG_OK)
			return rc;
		if (!set)
			return vg_pl_fail(in->c, v, VG_EINVAL,
					  "'set: false' is written 'set: true' with 'not: true'");
	}
	if ((rc = opt_bool(in, "nocase", sshd, &t->nocase)) != VG_OK)
		return rc;
	if ((v = get(in, "default"))) {
		if (v->type != PL_SCALAR)
			return vg_pl_fail(in->c, v, VG_EINVAL, "'default' must be a string");
		t->default_value = vg_arena_strdup(arena(in), v->s);
	}
	return VG_OK;
}

static int
vigil_rule(struct vg_pl_ctx *c, const struct vg_pl_node *n, struct vg_rule *r)
{
	struct rule_in in = {.c = c, .map = n, .r = r};
	const struct kind *k = NULL;
	const struct vg_pl_node *v;
	int rc;

	if (n->type != PL_MAP || n->n == 0)
		return vg_pl_fail(c, n, VG_EINVAL,
				  "a rule must be a mapping whose first key names its kind");
	for (size_t i = 0; i < VG_ARRAY_LEN(kinds) && !k; i++)
		if (strcmp(n->first->s, kinds[i].name) == 0)
			k = &kinds[i];
	if (!k)
		return vg_pl_fail(c, n->first, VG_EINVAL,
				  "unknown rule kind '%.40s' (file, content, sshd, login_defs, "
				  "sysctl, limits, pam, package, unit, port, mount, module, "
				  "accounts)",
				  n->first->s);
	in.main = n->first->value;
	in.kind = k->name;
	r->kind = k->kind;
	r->line = n->line;
	if ((rc = rule_keys(&in, k)) != VG_OK)
		return rc;
	if ((v = get(&in, "not")) && (rc = vg_pl_bool(c, v, "not", &r->negated)) != VG_OK)
		return rc;
	if ((k->flags & K_VALUE) && (rc = value_test(&in, k->kind == VG_RULE_SSHD)) != VG_OK)
		return rc;
	return k->parse(&in);
}

/* ---- Vigil checks and policy ------------------------------------------------------ */

static int
applies(struct vg_pl_ctx *c, const struct vg_pl_node *n, struct vg_applies *a)
{
	static const char *const keys[] = {"distro", "package", NULL};
	const struct vg_pl_node *v;
	int rc;

	if ((rc = vg_pl_want_map(c, n, "'applies'")) != VG_OK ||
	    (rc = vg_pl_known_keys(c, n, keys, "'applies'")) != VG_OK)
		return rc;
	if ((v = vg_pl_get(n, "distro")) &&
	    (rc = vg_pl_str_list(c, v, "distro", true, 1, &a->distros, &a->ndistros)) != VG_OK)
		return rc;
	if ((v = vg_pl_get(n, "package")) &&
	    (rc = vg_pl_str_list(c, v, "package", true, 1, &a->packages, &a->npackages)) != VG_OK)
		return rc;
	return VG_OK;
}

static int
scid(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char **out)
{
	size_t nd = n->len > 5 ? n->len - 5 : 0;

	if (n->type != PL_SCALAR || strncmp(n->s, "scid-", 5) != 0 || nd < 1 || nd > 6 ||
	    n->s[5] == '0' || strspn(n->s + 5, "0123456789") != nd)
		return vg_pl_fail(c, n, VG_EINVAL, "check id '%.40s' must be scid-1 to scid-999999",
				  n->type == PL_SCALAR ? n->s : "");
	*out = vg_arena_strdup(&c->p->arena, n->s);
	return VG_OK;
}

/* A required key of the mapping @n, or an error naming it. */
static int
need(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, const char *what,
     const struct vg_pl_node **out)
{
	if (!(*out = vg_pl_get(n, key)))
		return vg_pl_fail(c, n, VG_EINVAL, "%s needs '%s'", what, key);
	return VG_OK;
}

static int
check_rules(struct vg_pl_ctx *c, const struct vg_pl_node *v, struct vg_check *ck)
{
	size_t i = 0;
	int rc;

	if (v->type != PL_SEQ)
		return vg_pl_fail(c, v, VG_EINVAL, "'rules' must be a list");
	if (v->n == 0)
		return vg_pl_fail(c, v, VG_EINVAL, "'rules' needs at least 1 rule");
	if (v->n > VG_POLICY_MAX_RULES)
		return vg_pl_fail(c, v, VG_ETOOBIG, "more than %d rules", VG_POLICY_MAX_RULES);
	ck->rules = vg_arena_alloc(&c->p->arena, v->n * sizeof(*ck->rules));
	for (const struct vg_pl_node *it = v->first; it; it = it->next)
		if ((rc = vigil_rule(c, it, &ck->rules[i++])) != VG_OK)
			return rc;
	ck->nrules = v->n;
	return VG_OK;
}

static int
vigil_check(struct vg_pl_ctx *c, const struct vg_pl_node *n, struct vg_check *ck)
{
	static const char *const keys[] = {"id",         "title",       "category",  "subcategory",
					   "impact",     "description", "rationale", "remediation",
					   "references", "applies",     "condition", "rules",
					   NULL};
	const char *what = "a check";
	const struct vg_pl_node *v;
	long long impact;
	int rc;

	if ((rc = vg_pl_want_map(c, n, what)) != VG_OK ||
	    (rc = vg_pl_known_keys(c, n, keys, what)) != VG_OK)
		return rc;
	ck->line = n->line;
	if ((rc = need(c, n, "id", what, &v)) != VG_OK || (rc = scid(c, v, &ck->id)) != VG_OK ||
	    (rc = need(c, n, "title", what, &v)) != VG_OK ||
	    (rc = vg_pl_str(c, v, "title", &ck->title)) != VG_OK ||
	    (rc = need(c, n, "category", what, &v)) != VG_OK)
		return rc;
	if (v->type != PL_SCALAR || !vg_category_parse(v->s, &ck->category))
		return vg_pl_fail(c, v, VG_EINVAL,
				  "unknown category '%.40s' (Application, OS, Network, Accounts, "
				  "Security controls)",
				  v->type == PL_SCALAR ? v->s : "");
	if ((rc = vg_pl_opt_str(c, vg_pl_get(n, "subcategory"), "subcategory", &ck->subcategory)) !=
		    VG_OK ||
	    (rc = need(c, n, "impact", what, &v)) != VG_OK ||
	    (rc = vg_pl_int(c, v, "impact", 1, 10, &impact)) != VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "description"), "description", &ck->description)) !=
		    VG_OK ||
	    (rc = need(c, n, "rationale", what, &v)) != VG_OK ||
	    (rc = vg_pl_str(c, v, "rationale", &ck->rationale)) != VG_OK ||
	    (rc = need(c, n, "remediation", what, &v)) != VG_OK ||
	    (rc = vg_pl_str(c, v, "remediation", &ck->remediation)) != VG_OK ||
	    (rc = need(c, n, "references", what, &v)) != VG_OK ||
	    (rc = vg_pl_str_list(c, v, "references", false, 1, &ck->references,
				 &ck->nreferences)) != VG_OK)
		return rc;
	ck->impact = (int)impact;
	if ((v = vg_pl_get(n, "applies")) && (rc = applies(c, v, &ck->applies)) != VG_OK)
		return rc;
	ck->condition = VG_COND_ALL;
	if ((v = vg_pl_get(n, "condition")) &&
	    (rc = vg_pl_condition(c, v, &ck->condition)) != VG_OK)
		return rc;
	if ((rc = need(c, n, "rules", what, &v)) != VG_OK)
		return rc;
	return check_rules(c, v, ck);
}

static int
vigil_policy(struct vg_pl_ctx *c, const struct vg_pl_node *n)
{
	static const char *const keys[] = {"format", "id", "name", "version", "description", NULL};
	struct vg_policy *p = c->p;
	const struct vg_pl_node *v;
	int rc;

	if ((rc = vg_pl_known_keys(c, n, keys, "'policy'")) != VG_OK ||
	    (rc = need(c, n, "id", "'policy'", &v)) != VG_OK ||
	    (rc = vg_pl_str(c, v, "id", &p->id)) != VG_OK)
		return rc;
	if (strlen(p->id) > 128 ||
	    strspn(p->id, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(p->id))
		return vg_pl_fail(c, v, VG_EINVAL,
				  "policy id '%.60s' must be a-z, 0-9, '_', '.', '-' (at most 128)",
				  p->id);
	if ((rc = need(c, n, "name", "'policy'", &v)) != VG_OK ||
	    (rc = vg_pl_str(c, v, "name", &p->name)) != VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "version"), "version", &p->version)) != VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "description"), "description", &p->description)) !=
		    VG_OK)
		return rc;
	p->dialect = VG_SCA_PCRE2;
	return VG_OK;
}

int
vg_pl_build_vigil(struct vg_pl_ctx *c, const struct vg_pl_node *root, const struct vg_pl_node *pol)
{
	static const char *const keys[] = {"policy", "checks", NULL};
	struct vg_policy *p = c->p;
	const struct vg_pl_node *v, **ids;
	size_t i = 0;
	int rc;

	p->format = VG_POLICY_VIGIL;
	if ((rc = vg_pl_known_keys(c, root, keys, "the policy file")) != VG_OK ||
	    (rc = vigil_policy(c, pol)) != VG_OK ||
	    (rc = need(c, root, "checks", "the policy file", &v)) != VG_OK)
		return rc;
	if (v->type != PL_SEQ)
		return vg_pl_fail(c, v, VG_EINVAL, "'checks' must be a list");
	if (v->n == 0)
		return vg_pl_fail(c, v, VG_EINVAL, "'checks' is empty");
	if (v->n > VG_POLICY_MAX_CHECKS)
		return vg_pl_fail(c, v, VG_ETOOBIG, "more than %d checks", VG_POLICY_MAX_CHECKS);
	p->checks = vg_arena_alloc(&p->arena, v->n * sizeof(*p->checks));
	ids = vg_arena_alloc(&p->arena, v->n * sizeof(*ids));
	for (const struct vg_pl_node *it = v->first; it; it = it->next) {
		ids[i] = vg_pl_get(it, "id");
		if ((rc = vigil_check(c, it, &p->checks[i++])) != VG_OK)
			return rc;
		p->nchecks = i;
	}
	return vg_pl_unique_ids(c, p, ids);
}
