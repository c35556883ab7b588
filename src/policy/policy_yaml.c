/*
 * policy_yaml.c - reading a policy file: YAML to a positioned node tree,
 * typed accessors over it, the Wazuh SCA format, and the entry points.
 *
 * libyaml's event parser builds the tree (in a scratch arena released after
 * the load).  Anchors and aliases are refused (they are the way to blow a
 * small file up into a huge tree, and no policy needs them), so are tags
 * outside YAML's standard "tag:yaml.org,2002:" set, nesting deeper than
 * VG_POLICY_MAX_DEPTH, duplicate mapping keys, non-scalar keys, NUL bytes
 * in strings and more than one document.  Scalars stay text: each field
 * interprets its own (so `eq: no` is the string "no", not YAML 1.1's false).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "policy/policy_int.h"

/* Most nodes in one file's tree: far above any real policy, bounds memory. */
#define MAX_NODES    (1024 * 1024)
/* Most keys in one mapping (duplicate keys are found by a linear scan). */
#define MAX_MAP_KEYS 1024
/* Largest rule string after variable expansion. */
#define MAX_EXPANDED (4 * VG_SCA_RULE_MAX_LEN)

/* ---- errors ----------------------------------------------------------------------- */

int
vg_pl_fail(struct vg_pl_ctx *c, const struct vg_pl_node *n, int code, const char *fmt, ...)
{
	char msg[VG_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		vg_error_at(c->err, code, n->col, "%s:%d:%d: %s", c->name, n->line, n->col, msg);
	else
		vg_error(c->err, code, "%s: %s", c->name, msg);
	if (c->err)
		c->err->line = n ? n->line : 0;
	return code;
}

/* Same at a libyaml mark (0-based). */
static int
fail_mark(struct vg_pl_ctx *c, yaml_mark_t m, int code, const char *msg)
{
	struct vg_pl_node at = {.line = (int)m.line + 1, .col = (int)m.column + 1};

	return vg_pl_fail(c, &at, code, "%s", msg);
}

/* ---- the tree --------------------------------------------------------------------- */

struct reader {
	struct vg_pl_ctx *c;
	yaml_parser_t parser;
	struct vg_arena *tree; /* scratch: the nodes */
	size_t nodes;
};

static int
parser_error(struct reader *r)
{
	const yaml_parser_t *p = &r->parser;
	char msg[200];

	snprintf(msg, sizeof(msg), "yaml: %s%s%s%s", p->problem ? p->problem : "syntax error",
		 p->context ? " (" : "", p->context ? p->context : "", p->context ? ")" : "");
	return fail_mark(r->c, p->problem_mark, VG_EINVAL, msg);
}

static int
next_event(struct reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->parser, ev))
		return parser_error(r);
	return VG_OK;
}

static bool
tag_ok(const yaml_char_t *tag)
{
	static const char std[] = "tag:yaml.org,2002:";

	return !tag || strcmp((const char *)tag, "!") == 0 ||
	       strncmp((const char *)tag, std, sizeof(std) - 1) == 0;
}

/* Refuse anchors and non-standard tags on a node's start event. */
static int
check_props(struct reader *r, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;

	if (ev->type == YAML_SCALAR_EVENT) {
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	if (anchor || ev->type == YAML_ALIAS_EVENT)
		return fail_mark(r->c, ev->start_mark, VG_EINVAL,
				 "yaml anchors and aliases are not supported");
	if (!tag_ok(tag)) {
		char msg[160];

		snprintf(msg, sizeof(msg), "unsupported yaml tag '%.100s'", (const char *)tag);
		return fail_mark(r->c, ev->start_mark, VG_EINVAL, msg);
	}
	return VG_OK;
}

static struct vg_pl_node *
new_node(struct reader *r, enum vg_pl_type type, const yaml_event_t *ev)
{
	struct vg_pl_node *n = vg_arena_alloc(r->tree, sizeof(*n));

	n->type = type;
	n->s = ""; /* collections too, so that a stray n->s is never NULL */
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	return n;
}

static void
append(struct vg_pl_node *parent, struct vg_pl_node *child)
{
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
	parent->n++;
}

static int build(struct reader *r, const yaml_event_t *ev, int depth, struct vg_pl_node **out);

static int
add_key(struct reader *r, struct vg_pl_node *map, struct vg_pl_node *key)
{
	if (key->type != PL_SCALAR)
		return vg_pl_fail(r->c, key, VG_EINVAL, "mapping key must be a string");
	if (map->n >= MAX_MAP_KEYS)
		return vg_pl_fail(r->c, key, VG_ETOOBIG, "mapping with more than %d keys",
				  MAX_MAP_KEYS);
	for (const struct vg_pl_node *k = map->first; k; k = k->next)
		if (k->len == key->len && memcmp(k->s, key->s, k->len) == 0)
			return vg_pl_fail(r->c, key, VG_EINVAL,
					  "duplicate key '%.60s' (first at line %d)", key->s,
					  k->line);
	append(map, key);
	return VG_OK;
}

/* Read the children of a collection up to its end event. */
static int
build_children(struct reader *r, struct vg_pl_node *parent, int depth)
{
	yaml_event_type_t end =
		parent->type == PL_MAP ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	struct vg_pl_node *key = NULL;

	for (;;) {
		yaml_event_t ev;
		struct vg_pl_node *child = NULL;
		int rc = next_event(r, &ev);

		if (rc != VG_OK)
			return rc;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return VG_OK;
		}
		rc = build(r, &ev, depth + 1, &child);
		yaml_event_delete(&ev);
		if (rc != VG_OK)
			return rc;
		if (parent->type == PL_SEQ) {
			append(parent, child);
		} else if (!key) {
			if ((rc = add_key(r, parent, child)) != VG_OK)
				return rc;
			key = child;
		} else {
			key->value = child;
			key = NULL;
		}
	}
}

static int
build(struct reader *r, const yaml_event_t *ev, int depth, struct vg_pl_node **out)
{
	struct vg_pl_node *n;
	int rc;

	if ((rc = check_props(r, ev)) != VG_OK)
		return rc;
	if (++r->nodes > MAX_NODES)
		return fail_mark(r->c, ev->start_mark, VG_ETOOBIG, "more than 1048576 yaml nodes");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length))
			return fail_mark(r->c, ev->start_mark, VG_EINVAL, "NUL byte in a string");
		n = new_node(r, PL_SCALAR, ev);
		n->len = ev->data.scalar.length;
		n->s = vg_arena_strndup(r->tree,
					vg_str_n((const char *)ev->data.scalar.value, n->len));
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		*out = n;
		return VG_OK;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (depth > VG_POLICY_MAX_DEPTH)
			return fail_mark(r->c, ev->start_mark, VG_ETOOBIG,
					 "yaml nesting deeper than 32");
		n = new_node(r, ev->type == YAML_MAPPING_START_EVENT ? PL_MAP : PL_SEQ, ev);
		if ((rc = build_children(r, n, depth)) != VG_OK)
			return rc;
		*out = n;
		return VG_OK;
	default:
		return fail_mark(r->c, ev->start_mark, VG_EINVAL, "unexpected yaml event");
	}
}

/* The single document's root node (NULL for an empty stream). */
static int
read_tree(struct reader *r, struct vg_pl_node **root)
{
	bool in_doc = false;

	*root = NULL;
	for (;;) {
		yaml_event_t ev;
		int rc = next_event(r, &ev);

		if (rc != VG_OK)
			return rc;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return VG_OK;
		case YAML_DOCUMENT_START_EVENT:
			if (in_doc) {
				rc = fail_mark(r->c, ev.start_mark, VG_EINVAL,
					       "more than one yaml document");
				yaml_event_delete(&ev);
				return rc;
			}
			in_doc = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_START_EVENT:
			break;
		default:
			rc = build(r, &ev, 1, root);
			break;
		}
		yaml_event_delete(&ev);
		if (rc != VG_OK)
			return rc;
	}
}

/* ---- accessors -------------------------------------------------------------------- */

const struct vg_pl_node *
vg_pl_get(const struct vg_pl_node *map, const char *key)
{
	if (!map || map->type != PL_MAP)
		return NULL;
	for (const struct vg_pl_node *k = map->first; k; k = k->next)
		if (strcmp(k->s, key) == 0)
			return k->value;
	return NULL;
}

bool
vg_pl_is_null(const struct vg_pl_node *n)
{
	return n && n->type == PL_SCALAR && n->plain &&
	       (n->len == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
		strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0);
}

int
vg_pl_known_keys(struct vg_pl_ctx *c, const struct vg_pl_node *map, const char *const *allowed,
		 const char *what)
{
	for (const struct vg_pl_node *k = map->first; k; k = k->next) {
		size_t i = 0;

		while (allowed[i] && strcmp(allowed[i], k->s) != 0)
			i++;
		if (!allowed[i])
			return vg_pl_fail(c, k, VG_EINVAL, "unknown key '%.60s' in %s", k->s, what);
	}
	return VG_OK;
}

int
vg_pl_want_map(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *what)
{
	if (n->type != PL_MAP)
		return vg_pl_fail(c, n, VG_EINVAL, "%s must be a mapping", what);
	return VG_OK;
}

int
vg_pl_opt_str(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, const char **out)
{
	*out = NULL;
	if (!n || vg_pl_is_null(n))
		return VG_OK;
	return vg_pl_str(c, n, key, out);
}

int
vg_pl_str(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, const char **out)
{
	*out = NULL;
	if (n->type != PL_SCALAR)
		return vg_pl_fail(c, n, VG_EINVAL, "'%s' must be a string", key);
	if (n->len == 0 || vg_pl_is_null(n))
		return vg_pl_fail(c, n, VG_EINVAL, "'%s' must not be empty", key);
	*out = vg_arena_strndup(&c->p->arena, vg_str_n(n->s, n->len));
	return VG_OK;
}

int
vg_pl_bool(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, bool *out)
{
	static const char *const yes[] = {"true", "True", "TRUE"};
	static const char *const no[] = {"false", "False", "FALSE"};

	if (n->type == PL_SCALAR && n->plain) {
		for (size_t i = 0; i < VG_ARRAY_LEN(yes); i++) {
			if (strcmp(n->s, yes[i]) == 0) {
				*out = true;
				return VG_OK;
			}
			if (strcmp(n->s, no[i]) == 0) {
				*out = false;
				return VG_OK;
			}
		}
	}
	return vg_pl_fail(c, n, VG_EINVAL, "'%s' must be true or false", key);
}

int
vg_pl_int(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, long long min,
	  long long max, long long *out)
{
	const char *s = n->s;
	long long v = 0;
	bool neg = false;
	size_t i = 0;

	if (n->type != PL_SCALAR || !n->plain || n->len == 0)
		goto bad;
	if (s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == n->len || n->len - i > 18)
		goto bad;
	for (; i < n->len; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		v = v * 10 + (s[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return vg_pl_fail(c, n, VG_EINVAL, "'%s' must be between %lld and %lld, not %s",
				  key, min, max, s);
	*out = v;
	return VG_OK;
bad:
	return vg_pl_fail(c, n, VG_EINVAL, "'%s' must be an integer", key);
}

int
vg_pl_str_list(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, bool scalar_ok,
	       size_t min, const char ***out, size_t *nout)
{
	const struct vg_pl_node *it;
	size_t i = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if (n->type == PL_SCALAR && scalar_ok) {
		*out = vg_arena_alloc(&c->p->arena, sizeof(**out));
		*nout = 1;
		return vg_pl_str(c, n, key, &(*out)[0]);
	}
	if (n->type != PL_SEQ)
		return vg_pl_fail(c, n, VG_EINVAL, "'%s' must be a list%s", key,
				  scalar_ok ? " or a string" : "");
	if (n->n < min)
		return vg_pl_fail(c, n, VG_EINVAL, "'%s' needs at least %zu item%s", key, min,
				  min == 1 ? "" : "s");
	if (n->n > VG_POLICY_MAX_LIST)
		return vg_pl_fail(c, n, VG_ETOOBIG, "'%s' has more than %d items", key,
				  VG_POLICY_MAX_LIST);
	if (n->n == 0)
		return VG_OK;
	*out = vg_arena_alloc(&c->p->arena, n->n * sizeof(**out));
	for (it = n->first; it; it = it->next)
		if ((rc = vg_pl_str(c, it, key, &(*out)[i++])) != VG_OK)
			return rc;
	*nout = n->n;
	return VG_OK;
}

int
vg_pl_condition(struct vg_pl_ctx *c, const struct vg_pl_node *n, enum vg_condition *out)
{
	if (n->type == PL_SCALAR) {
		if (strcmp(n->s, "all") == 0)
			*out = VG_COND_ALL;
		else if (strcmp(n->s, "any") == 0)
			*out = VG_COND_ANY;
		else if (strcmp(n->s, "none") == 0)
			*out = VG_COND_NONE;
		else
			goto bad;
		return VG_OK;
	}
bad:
	return vg_pl_fail(c, n, VG_EINVAL, "'condition' must be all, any or none");
}

int
vg_pl_regex(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *pattern)
{
	PCRE2_UCHAR msg[120];
	PCRE2_SIZE off = 0;
	int code = 0;
	pcre2_code *re =
		pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);

	if (re) {
		pcre2_code_free(re);
		return VG_OK;
	}
	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", code);
	return vg_pl_fail(c, n, VG_EINVAL, "regex '%.60s' does not compile: %s at offset %zu",
			  pattern, (const char *)msg, (size_t)off);
}

/* ---- Wazuh SCA ---------------------------------------------------------------------- */

struct wz_var {
	const char *name; /* with its '$' */
	size_t len;
	const char *value;
};

struct wazuh {
	struct vg_pl_ctx *c;
	struct wz_var *vars;
	size_t nvars;
};

static int
dialect(struct vg_pl_ctx *c, const struct vg_pl_node *n, enum vg_sca_dialect *out)
{
	if (n->type == PL_SCALAR && strcmp(n->s, "pcre2") == 0)
		*out = VG_SCA_PCRE2;
	else if (n->type == PL_SCALAR && strcmp(n->s, "osregex") == 0)
		*out = VG_SCA_OSREGEX;
	else
		return vg_pl_fail(c, n, VG_EINVAL, "'regex_type' must be osregex or pcre2");
	return VG_OK;
}

static int
var_cmp(const void *a, const void *b)
{
	const struct wz_var *x = a, *y = b;

	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
variables(struct wazuh *w, const struct vg_pl_node *n)
{
	struct vg_pl_ctx *c = w->c;
	size_t i = 0;
	int rc;

	if ((rc = vg_pl_want_map(c, n, "'variables'")) != VG_OK)
		return rc;
	if (n->n > VG_POLICY_MAX_LIST)
		return vg_pl_fail(c, n, VG_ETOOBIG, "more than %d variables", VG_POLICY_MAX_LIST);
	w->vars = vg_arena_alloc(&c->p->arena, (n->n ? n->n : 1) * sizeof(*w->vars));
	for (const struct vg_pl_node *k = n->first; k; k = k->next) {
		struct wz_var *v = &w->vars[i++];

		if (k->len < 2 || k->s[0] != '$')
			return vg_pl_fail(c, k, VG_EINVAL, "variable '%.60s' must start with '$'",
					  k->s);
		v->name = k->s;
		v->len = k->len;
		if (k->value->type != PL_SCALAR)
			return vg_pl_fail(c, k->value, VG_EINVAL,
					  "variable '%.60s' must be a string", k->s);
		v->value = k->value->s;
	}
	w->nvars = n->n;
	qsort(w->vars, w->nvars, sizeof(*w->vars), var_cmp);
	return VG_OK;
}

/* Expand $variables (longest name first) into @out. */
static int
expand(const struct wazuh *w, const char *s, size_t len, struct vg_buf *out)
{
	for (size_t i = 0; i < len;) {
		const struct wz_var *hit = NULL;

		if (s[i] == '$')
			for (size_t k = 0; k < w->nvars && !hit; k++)
				if (w->vars[k].len <= len - i &&
				    memcmp(s + i, w->vars[k].name, w->vars[k].len) == 0)
					hit = &w->vars[k];
		if (hit) {
			if (vg_buf_addstr(out, hit->value) != VG_OK)
				return VG_ETOOBIG;
			i += hit->len;
		} else {
			if (vg_buf_addch(out, s[i]) != VG_OK)
				return VG_ETOOBIG;
			i++;
		}
	}
	return VG_OK;
}

static int
sca_rule(struct wazuh *w, const struct vg_pl_node *n, enum vg_sca_dialect d, struct vg_rule *r)
{
	struct vg_pl_ctx *c = w->c;
	struct vg_buf buf;
	struct vg_err e;
	int rc;

	if (n->type != PL_SCALAR)
		return vg_pl_fail(c, n, VG_EINVAL, "a rule must be a string");
	vg_buf_init(&buf, MAX_EXPANDED);
	rc = expand(w, n->s, n->len, &buf);
	if (rc != VG_OK) {
		vg_buf_release(&buf);
		return vg_pl_fail(c, n, VG_ETOOBIG, "rule longer than %d bytes once expanded",
				  MAX_EXPANDED);
	}
	vg_err_clear(&e);
	rc = vg_sca_rule_parse(&c->p->arena, vg_buf_str(&buf),
			       d == VG_SCA_PCRE2 ? VG_SCA_PARSE_PCRE2 : 0, &r->u.sca, &e);
	vg_buf_release(&buf);
	if (rc != VG_OK)
		return vg_pl_fail(c, n, rc == VG_ETOOBIG ? VG_ETOOBIG : VG_EINVAL,
				  "rule '%.40s%s': %s", n->s, n->len > 40 ? "..." : "", e.msg);
	r->kind = VG_RULE_SCA;
	r->negated = r->u.sca.negated;
	r->line = n->line;
	return VG_OK;
}

static int
sca_rules(struct wazuh *w, const struct vg_pl_node *n, enum vg_sca_dialect d, struct vg_rule **out,
	  size_t *nout)
{
	struct vg_pl_ctx *c = w->c;
	size_t i = 0;
	int rc;

	if (n->type != PL_SEQ)
		return vg_pl_fail(c, n, VG_EINVAL, "'rules' must be a list");
	if (n->n == 0)
		return vg_pl_fail(c, n, VG_EINVAL, "'rules' needs at least 1 rule");
	if (n->n > VG_POLICY_MAX_RULES)
		return vg_pl_fail(c, n, VG_ETOOBIG, "more than %d rules", VG_POLICY_MAX_RULES);
	*out = vg_arena_alloc(&c->p->arena, n->n * sizeof(**out));
	for (const struct vg_pl_node *it = n->first; it; it = it->next)
		if ((rc = sca_rule(w, it, d, &(*out)[i++])) != VG_OK)
			return rc;
	*nout = n->n;
	return VG_OK;
}

static int
requirements(struct wazuh *w, const struct vg_pl_node *n)
{
	static const char *const keys[] = {"title", "name",       "description", "condition",
					   "rules", "regex_type", NULL};
	struct vg_pl_ctx *c = w->c;
	struct vg_policy *p = c->p;
	const struct vg_pl_node *v;
	enum vg_sca_dialect d = p->dialect;
	int rc;

	if ((rc = vg_pl_want_map(c, n, "'requirements'")) != VG_OK ||
	    (rc = vg_pl_known_keys(c, n, keys, "'requirements'")) != VG_OK)
		return rc;
	if ((v = vg_pl_get(n, "regex_type")) && (rc = dialect(c, v, &d)) != VG_OK)
		return rc;
	if (!(v = vg_pl_get(n, "condition")))
		return vg_pl_fail(c, n, VG_EINVAL, "'requirements' needs 'condition'");
	if ((rc = vg_pl_condition(c, v, &p->req_condition)) != VG_OK)
		return rc;
	if (!(v = vg_pl_get(n, "rules")))
		return vg_pl_fail(c, n, VG_EINVAL, "'requirements' needs 'rules'");
	if ((rc = sca_rules(w, v, d, &p->req_rules, &p->nreq_rules)) != VG_OK)
		return rc;
	p->has_requirements = true;
	return VG_OK;
}

static int
check_id(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char **out)
{
	long long id;
	int rc = vg_pl_int(c, n, "id", 0, 999999999999LL, &id);

	if (rc != VG_OK)
		return rc;
	*out = vg_arena_printf(&c->p->arena, "%lld", id);
	return VG_OK;
}

/* Optional vigil_category + vigil_impact: both or neither. */
static int
vigil_score(struct vg_pl_ctx *c, const struct vg_pl_node *n, struct vg_check *ck)
{
	const struct vg_pl_node *cat = vg_pl_get(n, "vigil_category");
	const struct vg_pl_node *imp = vg_pl_get(n, "vigil_impact");
	long long v;
	int rc;

	if (!cat && !imp)
		return VG_OK;
	if (!cat || !imp)
		return vg_pl_fail(c, cat ? cat : imp, VG_EINVAL,
				  "'vigil_category' and 'vigil_impact' go together");
	if (cat->type != PL_SCALAR || !vg_category_parse(cat->s, &ck->category) ||
	    ck->category == VG_CAT_NONE)
		return vg_pl_fail(c, cat, VG_EINVAL,
				  "unknown category '%.60s' (Application, OS, Network, Accounts, "
				  "Security controls)",
				  cat->type == PL_SCALAR ? cat->s : "");
	if ((rc = vg_pl_int(c, imp, "vigil_impact", 1, 10, &v)) != VG_OK)
		return rc;
	ck->impact = (int)v;
	return VG_OK;
}

static int
wazuh_check(struct wazuh *w, const struct vg_pl_node *n, struct vg_check *ck)
{
	static const char *const keys[] = {
		"id",         "title",          "name",         "description",
		"rationale",  "remediation",    "impact",       "references",
		"compliance", "mitre",          "condition",    "rules",
		"regex_type", "vigil_category", "vigil_impact", NULL};
	struct vg_pl_ctx *c = w->c;
	const struct vg_pl_node *v, *title;
	enum vg_sca_dialect d = c->p->dialect;
	int rc;

	if ((rc = vg_pl_want_map(c, n, "a check")) != VG_OK ||
	    (rc = vg_pl_known_keys(c, n, keys, "a check")) != VG_OK)
		return rc;
	ck->line = n->line;
	if (!(v = vg_pl_get(n, "id")))
		return vg_pl_fail(c, n, VG_EINVAL, "check needs 'id'");
	if ((rc = check_id(c, v, &ck->id)) != VG_OK)
		return rc;
	title = vg_pl_get(n, "title");
	if (title && vg_pl_get(n, "name"))
		return vg_pl_fail(c, vg_pl_get(n, "name"), VG_EINVAL,
				  "check has both 'title' and 'name'");
	if (!title && !(title = vg_pl_get(n, "name")))
		return vg_pl_fail(c, n, VG_EINVAL, "check %s needs 'title'", ck->id);
	if ((rc = vg_pl_str(c, title, "title", &ck->title)) != VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "description"), "description", &ck->description)) !=
		    VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "rationale"), "rationale", &ck->rationale)) !=
		    VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "remediation"), "remediation", &ck->remediation)) !=
		    VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "impact"), "impact", &ck->impact_text)) != VG_OK)
		return rc;
	if ((v = vg_pl_get(n, "references")) &&
	    (rc = vg_pl_str_list(c, v, "references", false, 0, &ck->references,
				 &ck->nreferences)) != VG_OK)
		return rc;
	if ((rc = vigil_score(c, n, ck)) != VG_OK)
		return rc;
	if ((v = vg_pl_get(n, "regex_type")) && (rc = dialect(c, v, &d)) != VG_OK)
		return rc;
	if (!(v = vg_pl_get(n, "condition")))
		return vg_pl_fail(c, n, VG_EINVAL, "check %s needs 'condition'", ck->id);
	if ((rc = vg_pl_condition(c, v, &ck->condition)) != VG_OK)
		return rc;
	if (!(v = vg_pl_get(n, "rules")))
		return vg_pl_fail(c, n, VG_EINVAL, "check %s needs 'rules'", ck->id);
	return sca_rules(w, v, d, &ck->rules, &ck->nrules);
}

static int
wazuh_policy(struct vg_pl_ctx *c, const struct vg_pl_node *n)
{
	static const char *const keys[] = {"id",         "file",       "name", "description",
					   "references", "regex_type", NULL};
	struct vg_policy *p = c->p;
	const struct vg_pl_node *v;
	const char **refs;
	size_t nrefs;
	int rc;

	if ((rc = vg_pl_want_map(c, n, "'policy'")) != VG_OK ||
	    (rc = vg_pl_known_keys(c, n, keys, "'policy'")) != VG_OK)
		return rc;
	if (!(v = vg_pl_get(n, "id")))
		return vg_pl_fail(c, n, VG_EINVAL, "'policy' needs 'id'");
	if ((rc = vg_pl_str(c, v, "id", &p->id)) != VG_OK)
		return rc;
	if (strlen(p->id) > 128 ||
	    strspn(p->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "abcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(p->id))
		return vg_pl_fail(c, v, VG_EINVAL,
				  "policy id '%.60s' must be letters, digits, '_', '.', '-' "
				  "(at most 128)",
				  p->id);
	if (!(v = vg_pl_get(n, "name")))
		return vg_pl_fail(c, n, VG_EINVAL, "'policy' needs 'name'");
	if ((rc = vg_pl_str(c, v, "name", &p->name)) != VG_OK ||
	    (rc = vg_pl_opt_str(c, vg_pl_get(n, "description"), "description", &p->description)) !=
		    VG_OK)
		return rc;
	if ((v = vg_pl_get(n, "file")) && v->type != PL_SCALAR)
		return vg_pl_fail(c, v, VG_EINVAL, "'file' must be a string");
	if ((v = vg_pl_get(n, "references")) &&
	    (rc = vg_pl_str_list(c, v, "references", false, 0, &refs, &nrefs)) != VG_OK)
		return rc;
	if ((v = vg_pl_get(n, "regex_type")) && (rc = dialect(c, v, &p->dialect)) != VG_OK)
		return rc;
	return VG_OK;
}

static int
build_wazuh(struct vg_pl_ctx *c, const struct vg_pl_node *root, const struct vg_pl_node *pol)
{
	static const char *const keys[] = {"policy", "requirements", "variables", "checks", NULL};
	struct vg_policy *p = c->p;
	struct wazuh w = {.c = c};
	const struct vg_pl_node *v, **ids;
	size_t i = 0;
	int rc;

	p->format = VG_POLICY_WAZUH;
	if ((rc = vg_pl_known_keys(c, root, keys, "the policy file")) != VG_OK ||
	    (rc = wazuh_policy(c, pol)) != VG_OK)
		return rc;
	if ((v = vg_pl_get(root, "variables")) && !vg_pl_is_null(v) &&
	    (rc = variables(&w, v)) != VG_OK)
		return rc;
	if ((v = vg_pl_get(root, "requirements")) && (rc = requirements(&w, v)) != VG_OK)
		return rc;
	if (!(v = vg_pl_get(root, "checks")))
		return vg_pl_fail(c, root, VG_EINVAL, "the policy file needs 'checks'");
	if (v->type != PL_SEQ)
		return vg_pl_fail(c, v, VG_EINVAL, "'checks' must be a list");
	if (v->n == 0)
		return vg_pl_fail(c, v, VG_EINVAL, "'checks' is empty");
	if (v->n > VG_POLICY_MAX_CHECKS)
		return vg_pl_fail(c, v, VG_ETOOBIG, "more than %d checks", VG_POLICY_MAX_CHECKS);
	p->checks = vg_arena_alloc(&p->arena, v->n * sizeof(*p->checks));
	ids = vg_arena_alloc(&p->arena, v->n * sizeof(*ids));
	for (const struct vg_pl_node *it = v->first; it; it = it->next) {
		ids[i] = it->type == PL_MAP ? vg_pl_get(it, "id") : NULL;
		if ((rc = wazuh_check(&w, it, &p->checks[i++])) != VG_OK)
			return rc;
		p->nchecks = i;
	}
	return vg_pl_unique_ids(c, p, ids);
}

/* ---- entry points ----------------------------------------------------------------- */

static int
build_model(struct vg_pl_ctx *c, const struct vg_pl_node *root)
{
	const struct vg_pl_node *pol, *fmt;

	if (!root || vg_pl_is_null(root))
		return vg_pl_fail(c, NULL, VG_EINVAL, "empty policy file");
	if (root->type != PL_MAP)
		return vg_pl_fail(c, root, VG_EINVAL, "a policy file must be a mapping");
	if (!(pol = vg_pl_get(root, "policy")))
		return vg_pl_fail(c, root, VG_EINVAL, "the policy file needs 'policy'");
	if (pol->type == PL_MAP && (fmt = vg_pl_get(pol, "format"))) {
		if (fmt->type != PL_SCALAR || strcmp(fmt->s, "vigil") != 0)
			return vg_pl_fail(c, fmt, VG_EINVAL, "'format' must be vigil");
		return vg_pl_build_vigil(c, root, pol);
	}
	return build_wazuh(c, root, pol);
}

int
vg_policy_load_mem(struct vg_str text, const char *name, struct vg_policy *out, struct vg_err *err)
{
	struct vg_pl_ctx c = {.name = name ? name : "<memory>", .p = out, .err = err};
	struct vg_arena tree;
	struct reader r = {.c = &c, .tree = &tree};
	struct vg_pl_node *root = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->arena);
	out->path = vg_arena_strdup(&out->arena, c.name);
	c.name = out->path;
	if (text.len > VG_POLICY_MAX_BYTES) {
		rc = vg_pl_fail(&c, NULL, VG_ETOOBIG, "policy file larger than %d bytes",
				VG_POLICY_MAX_BYTES);
		vg_policy_release(out);
		return rc;
	}
	vg_arena_init(&tree);
	if (!yaml_parser_initialize(&r.parser))
		vg_fatal("yaml_parser_initialize: out of memory");
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text.p, text.len);
	rc = read_tree(&r, &root);
	yaml_parser_delete(&r.parser);
	if (rc == VG_OK)
		rc = build_model(&c, root);
	vg_arena_release(&tree);
	if (rc != VG_OK)
		vg_policy_release(out);
	return rc;
}

static int
read_file(const char *path, char **data, size_t *len, struct vg_err *err)
{
	struct vg_buf b;
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		return vg_error(err,
				e == ENOENT   ? VG_ENOTFOUND
				: e == EACCES ? VG_EPERM
					      : VG_EIO,
				"%s: %s", path, strerror(e));
	}
	vg_buf_init(&b, VG_POLICY_MAX_BYTES);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			vg_buf_release(&b);
			return vg_error(err, e == EISDIR ? VG_EINVAL : VG_EIO, "%s: %s", path,
					strerror(e));
		}
		if (n == 0)
			break;
		if (vg_buf_add(&b, chunk, (size_t)n) != VG_OK) {
			close(fd);
			vg_buf_release(&b);
			return vg_error(err, VG_ETOOBIG, "%s: policy file larger than %d bytes",
					path, VG_POLICY_MAX_BYTES);
		}
	}
	close(fd);
	*data = vg_buf_detach(&b, len);
	vg_buf_release(&b);
	return VG_OK;
}

int
vg_policy_load_file(const char *path, struct vg_policy *out, struct vg_err *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = read_file(path, &data, &len, err);
	if (rc != VG_OK)
		return rc;
	rc = vg_policy_load_mem(vg_str_n(data, len), path, out, err);
	free(data);
	return rc;
}
