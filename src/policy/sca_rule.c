/*
 * sca_rule.c - parser and printer for Wazuh SCA rule expressions.
 *
 * Splitting follows Wazuh's own agent (wm_sca): the target ends at the first
 * " -> ", a d:/r: name at the next one, and the content is everything left,
 * so a stray " -> " inside a content pattern stays part of that pattern (one
 * shipped c: rule has one).  Chains split at every " && "; a numeric
 * condition's pattern ends at its last " compare ".  Because every split is
 * at the first (or last) separator and the printer writes the same
 * separators back, printing reproduces the segmentation exactly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy/sca_rule.h"

#define ARROW      " -> "
#define AND        " && "
#define COMPARE    " compare "
#define MAX_DIGITS 18

struct parser {
	struct vg_arena *arena;
	const char *base; /* start of the rule, for columns */
	struct vg_err *err;
};

static const char *const op_names[] = {"<", "<=", "==", "!=", ">=", ">"};

VG_PRINTF(4, 5)
static int
fail(const struct parser *ps, int code, const char *at, const char *fmt, ...)
{
	char msg[VG_ERR_MSG_MAX];
	int col = (int)(at - ps->base) + 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error_at(ps->err, code, col, "rule column %d: %s", col, msg);
}

/* Index of the first occurrence of @needle in @s, or -1. */
static ptrdiff_t
find_first(struct vg_str s, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= s.len; i++)
		if (memcmp(s.p + i, needle, n) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* Index of the last occurrence of @needle in @s, or -1. */
static ptrdiff_t
find_last(struct vg_str s, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = s.len; i >= n; i--)
		if (memcmp(s.p + i - n, needle, n) == 0)
			return (ptrdiff_t)(i - n);
	return -1;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "OP INTEGER" after " compare ", the whole of @s. */
static int
parse_comparison(const struct parser *ps, struct vg_str s, struct vg_sca_cond *c)
{
	size_t i = 0, digits = 0;
	long long v = 0;
	bool neg = false;

	/* Two-byte operators first, so that "<=" is not read as "<" then "=". */
	for (size_t len = 2; len > 0 && i == 0; len--)
		for (size_t k = 0; k < VG_ARRAY_LEN(op_names) && i == 0; k++)
			if (strlen(op_names[k]) == len && s.len >= len &&
			    memcmp(s.p, op_names[k], len) == 0) {
				c->op = (enum vg_sca_op)k;
				i = len;
			}
	if (i == 0)
		return fail(ps, VG_EINVAL, s.p, "expected one of < <= == != >= > after 'compare'");
	if (i >= s.len || s.p[i] != ' ')
		return fail(ps, VG_EINVAL, s.p + i, "expected ' ' after '%s'", op_names[c->op]);
	i++;
	if (i < s.len && s.p[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < s.len && is_digit(s.p[i]); i++, digits++) {
		if (digits == MAX_DIGITS)
			return fail(ps, VG_EINVAL, s.p + i, "number has more than %d digits",
				    MAX_DIGITS);
		v = v * 10 + (s.p[i] - '0');
	}
	if (digits == 0)
		return fail(ps, VG_EINVAL, s.p + i, "expected an integer after '%s'",
			    op_names[c->op]);
	if (i != s.len)
		return fail(ps, VG_EINVAL, s.p + i, "unexpected text after the number");
	c->value = neg ? -v : v;
	return VG_OK;
}

/* "n:PATTERN compare OP INTEGER"; @s starts after "n:". */
static int
parse_numeric(const struct parser *ps, struct vg_str s, struct vg_sca_cond *c)
{
	ptrdiff_t at = find_last(s, COMPARE);
	struct vg_str pat;

	c->kind = VG_SCA_COND_NUMERIC;
	if (at < 0)
		return fail(ps, VG_EINVAL, s.p + s.len, "expected 'compare' after n: pattern");
	pat = vg_str_sub(s, 0, (size_t)at);
	if (pat.len == 0)
		return fail(ps, VG_EINVAL, s.p, "empty n: pattern");
	if (vg_str_chr(pat, '(') < 0)
		return fail(ps, VG_EINVAL, s.p, "n: pattern has no capture group");
	c->pattern = vg_arena_strndup(ps->arena, pat);
	return parse_comparison(ps, vg_str_sub(s, (size_t)at + strlen(COMPARE), s.len), c);
}

/* One condition: [!] (r:PATTERN | n:... | LITERAL). */
static int
parse_cond(const struct parser *ps, struct vg_str s, struct vg_sca_cond *c)
{
	memset(c, 0, sizeof(*c));
	if (s.len > 0 && s.p[0] == '!') {
		c->negated = true;
		s = vg_str_sub(s, 1, s.len);
	}
	if (s.len == 0)
		return fail(ps, VG_EINVAL, s.p, "empty condition");
	if (s.len >= 2 && s.p[1] == ':' && (s.p[0] == 'r' || s.p[0] == 'n')) {
		struct vg_str rest = vg_str_sub(s, 2, s.len);

		if (s.p[0] == 'n')
			return parse_numeric(ps, rest, c);
		if (rest.len == 0)
			return fail(ps, VG_EINVAL, rest.p, "empty r: pattern");
		c->kind = VG_SCA_COND_REGEX;
		c->pattern = vg_arena_strndup(ps->arena, rest);
		return VG_OK;
	}
	c->kind = VG_SCA_COND_LITERAL;
	c->pattern = vg_arena_strndup(ps->arena, s);
	return VG_OK;
}

/* COND { " && " COND }, the whole of @s. */
static int
parse_chain(const struct parser *ps, struct vg_str s, struct vg_sca_chain *out)
{
	struct vg_sca_cond conds[VG_SCA_MAX_CONDS];
	size_t n = 0;
	int rc;

	for (;;) {
		ptrdiff_t at = find_first(s, AND);
		struct vg_str piece = at < 0 ? s : vg_str_sub(s, 0, (size_t)at);

		if (n == VG_SCA_MAX_CONDS)
			return fail(ps, VG_ETOOBIG, piece.p, "more than %d conditions",
				    VG_SCA_MAX_CONDS);
		if ((rc = parse_cond(ps, piece, &conds[n])) != VG_OK)
			return rc;
		n++;
		if (at < 0)
			break;
		s = vg_str_sub(s, (size_t)at + strlen(AND), s.len);
	}
	out->conds = vg_arena_alloc(ps->arena, n * sizeof(*out->conds));
	memcpy(out->conds, conds, n * sizeof(*out->conds));
	out->n = n;
	return VG_OK;
}

/* TARGETS: a ","-list for f:/d:, else one target. */
static int
parse_targets(const struct parser *ps, struct vg_str s, bool list, struct vg_sca_rule *r)
{
	const char *targets[VG_SCA_MAX_TARGETS];
	size_t n = 0;

	for (;;) {
		ptrdiff_t at = list ? vg_str_chr(s, ',') : -1;
		struct vg_str t = at < 0 ? s : vg_str_sub(s, 0, (size_t)at);

		if (t.len == 0)
			return fail(ps, VG_EINVAL, t.p, "empty target");
		if (n == VG_SCA_MAX_TARGETS)
			return fail(ps, VG_ETOOBIG, t.p, "more than %d targets",
				    VG_SCA_MAX_TARGETS);
		targets[n++] = vg_arena_strndup(ps->arena, t);
		if (at < 0)
			break;
		s = vg_str_sub(s, (size_t)at + 1, s.len);
	}
	r->targets = vg_arena_alloc(ps->arena, n * sizeof(*r->targets));
	memcpy(r->targets, targets, n * sizeof(*r->targets));
	r->ntargets = n;
	return VG_OK;
}

/* Everything after the first " -> ". */
static int
parse_rest(const struct parser *ps, struct vg_str s, struct vg_sca_rule *r)
{
	int rc;

	if (r->type == VG_SCA_DIR || r->type == VG_SCA_REGISTRY) {
		ptrdiff_t at = find_first(s, ARROW);
		struct vg_str name = at < 0 ? s : vg_str_sub(s, 0, (size_t)at);

		r->has_name = true;
		if ((rc = parse_chain(ps, name, &r->name)) != VG_OK || at < 0)
			return rc;
		s = vg_str_sub(s, (size_t)at + strlen(ARROW), s.len);
	}
	r->has_content = true;
	return parse_chain(ps, s, &r->content);
}

/* "[not ]T:" prefix; sets type and negation and returns the bytes consumed, or < 0. */
static int
parse_head(const struct parser *ps, struct vg_str s, struct vg_sca_rule *r, size_t *used)
{
	static const char types[] = "fdpcr";
	const char *t;
	size_t i = 0;

	if (s.len >= 4 && memcmp(s.p, "not ", 4) == 0) {
		r->negated = true;
		i = 4;
	}
	if (i >= s.len || s.p[i] == '\0' || !(t = strchr(types, s.p[i])))
		return fail(ps, VG_EINVAL, s.p + i, "expected rule type f:, d:, p:, c: or r:");
	if (i + 1 >= s.len || s.p[i + 1] != ':')
		return fail(ps, VG_EINVAL, s.p + i + 1, "expected ':' after rule type '%c'",
			    s.p[i]);
	r->type = (enum vg_sca_type)(t - types);
	*used = i + 2;
	return VG_OK;
}

static int
parse_rule(const struct parser *ps, struct vg_str s, struct vg_sca_rule *r)
{
	struct vg_str body;
	ptrdiff_t arrow;
	size_t used = 0;
	int rc;

	if ((rc = parse_head(ps, s, r, &used)) != VG_OK)
		return rc;
	body = vg_str_sub(s, used, s.len);
	arrow = find_first(body, ARROW);
	rc = parse_targets(ps, arrow < 0 ? body : vg_str_sub(body, 0, (size_t)arrow),
			   r->type == VG_SCA_FILE || r->type == VG_SCA_DIR, r);
	if (rc != VG_OK)
		return rc;
	if (arrow < 0) {
		if (r->type == VG_SCA_COMMAND)
			return fail(ps, VG_EINVAL, body.p + body.len,
				    "expected ' -> ' and content after command");
		return VG_OK;
	}
	if (r->type == VG_SCA_PROCESS)
		return fail(ps, VG_EINVAL, body.p + arrow,
			    "process rules take no content, unexpected ' -> '");
	return parse_rest(ps, vg_str_sub(body, (size_t)arrow + strlen(ARROW), body.len), r);
}

int
vg_sca_rule_parse(struct vg_arena *arena, struct vg_str s, unsigned flags, struct vg_sca_rule *out,
		  struct vg_err *err)
{
	struct parser ps = {arena, s.p, err};
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s.p)
		s = vg_str_n("", 0);
	ps.base = s.p;
	if (s.len > VG_SCA_RULE_MAX_LEN)
		return vg_error(err, VG_ETOOBIG, "rule longer than %d bytes", VG_SCA_RULE_MAX_LEN);
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == '\0' || s.p[i] == '\n' || s.p[i] == '\r')
			return fail(&ps, VG_EINVAL, s.p + i,
				    "NUL or line break in a rule is not allowed");
	out->dialect = (flags & VG_SCA_PARSE_PCRE2) ? VG_SCA_PCRE2 : VG_SCA_OSREGEX;
	rc = parse_rule(&ps, s, out);
	if (rc != VG_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

static int
print_chain(const struct vg_sca_chain *ch, struct vg_buf *out)
{
	int rc = VG_OK;

	for (size_t i = 0; i < ch->n && rc == VG_OK; i++) {
		const struct vg_sca_cond *c = &ch->conds[i];

		if (i > 0)
			rc = vg_buf_addstr(out, AND);
		if (rc == VG_OK && c->negated)
			rc = vg_buf_addch(out, '!');
		if (rc != VG_OK)
			break;
		if (c->kind == VG_SCA_COND_REGEX)
			rc = vg_buf_addf(out, "r:%s", c->pattern);
		else if (c->kind == VG_SCA_COND_NUMERIC)
			rc = vg_buf_addf(out, "n:%s" COMPARE "%s %lld", c->pattern,
					 vg_sca_op_name(c->op), c->value);
		else
			rc = vg_buf_addstr(out, c->pattern);
	}
	return rc;
}

int
vg_sca_rule_print(const struct vg_sca_rule *rule, struct vg_buf *out)
{
	static const char types[] = "fdpcr";
	int rc;

	rc = vg_buf_addf(out, "%s%c:", rule->negated ? "not " : "", types[rule->type]);
	for (size_t i = 0; i < rule->ntargets && rc == VG_OK; i++)
		rc = vg_buf_addf(out, "%s%s", i > 0 ? "," : "", rule->targets[i]);
	if (rc == VG_OK && rule->has_name) {
		rc = vg_buf_addstr(out, ARROW);
		if (rc == VG_OK)
			rc = print_chain(&rule->name, out);
	}
	if (rc == VG_OK && rule->has_content) {
		rc = vg_buf_addstr(out, ARROW);
		if (rc == VG_OK)
			rc = print_chain(&rule->content, out);
	}
	return rc;
}

const char *
vg_sca_op_name(enum vg_sca_op op)
{
	return (unsigned)op < VG_ARRAY_LEN(op_names) ? op_names[op] : "?";
}

bool
vg_sca_type_supported(enum vg_sca_type type)
{
	return type != VG_SCA_REGISTRY;
}

bool
vg_sca_op_holds(long long a, enum vg_sca_op op, long long b)
{
	switch (op) {
	case VG_SCA_OP_LT:
		return a < b;
	case VG_SCA_OP_LE:
		return a <= b;
	case VG_SCA_OP_EQ:
		return a == b;
	case VG_SCA_OP_NE:
		return a != b;
	case VG_SCA_OP_GE:
		return a >= b;
	default:
		return a > b;
	}
}
