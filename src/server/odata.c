/*
 * odata.c - OData $filter parser, evaluator and SQL renderer; $top, $skip,
 * $select and $orderby.  Design and semantics: docs/internals/odata.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "server/odata.h"

enum op {
	OP_AND,
	OP_OR,
	OP_NOT,
	OP_EQ,
	OP_NE,
	OP_GT,
	OP_GE,
	OP_LT,
	OP_LE,
	OP_IN,
	OP_STARTSWITH,
	OP_ENDSWITH,
	OP_CONTAINS,
};

static const char *const op_names[] = {"and",        "or",       "not",     "eq", "ne",
				       "gt",         "ge",       "lt",      "le", "in",
				       "startswith", "endswith", "contains"};

static const char *const type_names[] = {"null", "string", "number", "bool", "datetime"};

struct lit {
	struct vg_odata_value v;
	char *buf; /* owned text behind v.s, or NULL */
};

struct node {
	enum op op;
	int col;            /* 1-based column of the node's first token */
	struct node *l, *r; /* and/or: both; not: l */
	size_t field;       /* comparisons, in, functions */
	struct lit *lits;   /* owned: one for a comparison or function, n for in */
	size_t nlits;
	struct vg_odata_value like; /* functions: the LIKE pattern parameter */
	char *like_buf;             /* owned text behind like.s */
};

struct vg_odata_filter {
	const struct vg_odata_field *fields;
	size_t nfields;
	struct node *nodes; /* owned array of VG_ODATA_MAX_NODES */
	size_t nnodes;
	struct node *root;
};

/* ---- lexer ---------------------------------------------------------------------------- */

enum tok_kind { T_EOF, T_LPAREN, T_RPAREN, T_COMMA, T_IDENT, T_STRING, T_NUMBER, T_DATETIME };

struct tok {
	enum tok_kind kind;
	size_t pos, len; /* raw bytes in the input */
};

struct parser {
	struct vg_str in;
	size_t pos;
	struct tok tok; /* lookahead */
	const struct vg_odata_field *fields;
	size_t nfields;
	struct vg_odata_filter *f;
	int nest; /* open parentheses plus enclosing `not`s */
	struct vg_err *err;
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_ident(char c)
{
	return is_ident_start(c) || is_digit(c);
}

/* Copy up to 40 bytes of @s for an error message, printable ASCII only (the body is JSON). */
static const char *
show(struct vg_str s, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < s.len && n + 4 < cap; i++)
		out[n++] = (s.p[i] >= 0x20 && s.p[i] < 0x7f) ? s.p[i] : '?';
	if (s.len > cap - 4 && n + 3 < cap) {
		out[n++] = '.';
		out[n++] = '.';
		out[n++] = '.';
	}
	out[n] = '\0';
	return out;
}

static int
col_of(const struct parser *p, size_t pos)
{
	(void)p;
	return (int)pos + 1;
}

static int
fail(struct parser *p, int code, size_t pos, const char *what)
{
	return vg_error_at(p->err, code, col_of(p, pos), "$filter: column %d: %s", col_of(p, pos),
			   what);
}

static int
fail_tok(struct parser *p, const char *what)
{
	char msg[128], shown[48];

	if (p->tok.kind == T_EOF) {
		snprintf(msg, sizeof(msg), "%s, found end of input", what);
	} else {
		show(vg_str_n(p->in.p + p->tok.pos, p->tok.len), shown, sizeof(shown));
		snprintf(msg, sizeof(msg), "%s, found '%s'", what, shown);
	}
	return fail(p, VG_EINVAL, p->tok.pos, msg);
}

/* Length of a datetime-looking run (digits, letters, ':', '.', '+', '-') at @pos. */
static size_t
datetime_run(struct vg_str in, size_t pos)
{
	size_t i = pos;

	while (i < in.len && (is_ident(in.p[i]) || in.p[i] == ':' || in.p[i] == '.' ||
			      in.p[i] == '+' || in.p[i] == '-'))
		i++;
	return i - pos;
}

static size_t
digits(struct vg_str in, size_t i)
{
	size_t n = 0;

	while (i + n < in.len && is_digit(in.p[i + n]))
		n++;
	return n;
}

/* A number: -?digits(.digits)?([eE][+-]?digits)?; returns its length or 0. */
static size_t
number_run(struct vg_str in, size_t pos)
{
	size_t i = pos, n;

	if (i < in.len && in.p[i] == '-')
		i++;
	if ((n = digits(in, i)) == 0)
		return 0;
	i += n;
	if (i < in.len && in.p[i] == '.') {
		if ((n = digits(in, i + 1)) == 0)
			return 0;
		i += 1 + n;
	}
	if (i < in.len && (in.p[i] == 'e' || in.p[i] == 'E')) {
		size_t j = i + 1;
		if (j < in.len && (in.p[j] == '+' || in.p[j] == '-'))
			j++;
		if ((n = digits(in, j)) == 0)
			return 0;
		i = j + n;
	}
	return i - pos;
}

static int
lex_string(struct parser *p, size_t start)
{
	size_t i = start + 1;

	for (;;) {
		if (i >= p->in.len)
			return fail(p, VG_EINVAL, start, "unterminated string");
		if (p->in.p[i] == '\'') {
			if (i + 1 < p->in.len && p->in.p[i + 1] == '\'') {
				i += 2;
				continue;
			}
			break;
		}
		i++;
	}
	p->tok = (struct tok){T_STRING, start, i + 1 - start};
	p->pos = i + 1;
	return VG_OK;
}

static int
lex_value(struct parser *p, size_t start)
{
	size_t n;

	/* Four digits and a dash start a date: 2021-01-01T00:00:00Z. */
	if (digits(p->in, start) == 4 && start + 4 < p->in.len && p->in.p[start + 4] == '-') {
		n = datetime_run(p->in, start);
		p->tok = (struct tok){T_DATETIME, start, n};
	} else {
		n = number_run(p->in, start);
		if (n == 0 || (start + n < p->in.len && is_ident(p->in.p[start + n]))) {
			char m[96], shown[48];
			size_t len = datetime_run(p->in, start);
			show(vg_str_n(p->in.p + start, len ? len : 1), shown, sizeof(shown));
			snprintf(m, sizeof(m), "invalid number '%s'", shown);
			return fail(p, VG_EINVAL, start, m);
		}
		p->tok = (struct tok){T_NUMBER, start, n};
	}
	p->pos = start + n;
	return VG_OK;
}

static int
next(struct parser *p)
{
	size_t i = p->pos;
	char c;

	while (i < p->in.len && (p->in.p[i] == ' ' || p->in.p[i] == '\t'))
		i++;
	p->pos = i;
	if (i >= p->in.len) {
		p->tok = (struct tok){T_EOF, i, 0};
		return VG_OK;
	}
	c = p->in.p[i];
	if (c == '(' || c == ')' || c == ',') {
		p->tok = (struct tok){c == '(' ? T_LPAREN : c == ')' ? T_RPAREN : T_COMMA, i, 1};
		p->pos = i + 1;
		return VG_OK;
	}
	if (c == '\'')
		return lex_string(p, i);
	if (is_digit(c) || c == '-')
		return lex_value(p, i);
	if (is_ident_start(c)) {
		size_t j = i;
		while (j < p->in.len && is_ident(p->in.p[j]))
			j++;
		p->tok = (struct tok){T_IDENT, i, j - i};
		p->pos = j;
		return VG_OK;
	}
	char m[64];
	snprintf(m, sizeof(m), "unexpected character '%s'",
		 show(vg_str_n(p->in.p + i, 1), (char[8]){0}, 8));
	return fail(p, VG_EINVAL, i, m);
}

static struct vg_str
tok_str(const struct parser *p)
{
	return vg_str_n(p->in.p + p->tok.pos, p->tok.len);
}

/* Is the lookahead the keyword @kw (ASCII-case-insensitive)? */
static bool
is_kw(const struct parser *p, const char *kw)
{
	return p->tok.kind == T_IDENT && vg_str_eq_nocase(tok_str(p), vg_str_c(kw));
}

static int
expect(struct parser *p, enum tok_kind kind, const char *what)
{
	if (p->tok.kind != kind) {
		char m[32];
		snprintf(m, sizeof(m), "expected %s", what);
		return fail_tok(p, m);
	}
	return next(p);
}

/* ---- datetimes ------------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Read exactly @n digits at *@i; -1 if they are not there. */
static int
fixed(struct vg_str s, size_t *i, size_t n)
{
	int v = 0;

	if (*i + n > s.len)
		return -1;
	for (size_t k = 0; k < n; k++) {
		if (!is_digit(s.p[*i + k]))
			return -1;
		v = v * 10 + (s.p[*i + k] - '0');
	}
	*i += n;
	return v;
}

static bool
take(struct vg_str s, size_t *i, char c)
{
	if (*i < s.len && (s.p[*i] == c || (c >= 'A' && c <= 'Z' && s.p[*i] == c + 32))) {
		(*i)++;
		return true;
	}
	return false;
}

/* Time of day and zone after the 'T'; seconds of day, micros and zone offset in seconds. */
static bool
parse_time(struct vg_str s, size_t *i, int64_t *secs, int64_t *us, int64_t *zone)
{
	int hh = fixed(s, i, 2), mi, ss = 0;

	if (hh < 0 || hh > 23 || !take(s, i, ':') || (mi = fixed(s, i, 2)) < 0 || mi > 59)
		return false;
	if (take(s, i, ':')) {
		if ((ss = fixed(s, i, 2)) < 0 || ss > 59)
			return false;
		if (take(s, i, '.')) {
			size_t n = 0;
			int64_t scale = 100000;
			for (; *i < s.len && is_digit(s.p[*i]); (*i)++, n++, scale /= 10)
				*us += scale * (s.p[*i] - '0');
			if (n == 0)
				return false;
		}
	}
	*secs = hh * 3600 + mi * 60 + ss;
	if (take(s, i, 'Z'))
		return true;
	if (*i < s.len && (s.p[*i] == '+' || s.p[*i] == '-')) {
		int sign = s.p[(*i)++] == '-' ? -1 : 1, zh, zm;
		if ((zh = fixed(s, i, 2)) < 0 || zh > 23 || !take(s, i, ':') ||
		    (zm = fixed(s, i, 2)) < 0 || zm > 59)
			return false;
		*zone = sign * (zh * 3600 + zm * 60);
		return true;
	}
	return *i == s.len; /* no zone: UTC */
}

#define US_PER_DAY (86400LL * 1000000LL)

int
vg_odata_parse_datetime(struct vg_str s, int64_t *out)
{
	size_t i = 0;
	int y, m, d;
	int64_t secs = 0, us = 0, zone = 0, t;

	*out = 0;
	if ((y = fixed(s, &i, 4)) < 0 || !take(s, &i, '-') || (m = fixed(s, &i, 2)) < 1 || m > 12 ||
	    !take(s, &i, '-') || (d = fixed(s, &i, 2)) < 1 || d > days_in_month(y, m))
		return VG_EINVAL;
	if (take(s, &i, 'T') && !parse_time(s, &i, &secs, &us, &zone))
		return VG_EINVAL;
	if (i != s.len)
		return VG_EINVAL;
	t = (days_from_civil(y, m, d) * 86400 + secs - zone) * 1000000 + us;
	/* Keep the UTC result printable as a four-digit year. */
	if (t < days_from_civil(0, 1, 1) * US_PER_DAY ||
	    t >= days_from_civil(10000, 1, 1) * US_PER_DAY)
		return VG_EINVAL;
	*out = t;
	return VG_OK;
}

/* Canonical UTC text: 2021-01-01T00:00:00Z, with a fraction only when non-zero. */
static void
format_datetime(int64_t t, char *out, size_t cap)
{
	int64_t days = t >= 0 ? t / US_PER_DAY : -((-t + US_PER_DAY - 1) / US_PER_DAY);
	int64_t rem = t - days * US_PER_DAY, secs = rem / 1000000, us = rem % 1000000;
	int y, m, d, n;

	civil_from_days(days, &y, &m, &d);
	n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(secs / 3600),
		     (int)(secs / 60 % 60), (int)(secs % 60));
	if (us != 0 && n > 0 && (size_t)n < cap) {
		int w = 6;
		while (us % 10 == 0) {
			us /= 10;
			w--;
		}
		n += snprintf(out + n, cap - (size_t)n, ".%0*d", w, (int)us);
	}
	if (n > 0 && (size_t)n + 1 < cap) {
		out[n] = 'Z';
		out[n + 1] = '\0';
	}
}

/* ---- parser --------------------------------------------------------------------------- */

static struct node *
new_node(struct parser *p, enum op op, size_t pos, int *rc)
{
	struct node *n;

	if (p->f->nnodes >= VG_ODATA_MAX_NODES) {
		*rc = fail(p, VG_ETOOBIG, pos, "too many terms (limit 256)");
		return NULL;
	}
	n = &p->f->nodes[p->f->nnodes++];
	memset(n, 0, sizeof(*n));
	n->op = op;
	n->col = col_of(p, pos);
	*rc = VG_OK;
	return n;
}

static int
field_of(struct parser *p, size_t *field)
{
	char m[96], shown[48];

	if (p->tok.kind != T_IDENT)
		return fail_tok(p, "expected a field name");
	for (size_t i = 0; i < p->nfields; i++) {
		if (vg_str_eq_nocase(tok_str(p), vg_str_c(p->fields[i].name))) {
			*field = i;
			return next(p);
		}
	}
	snprintf(m, sizeof(m), "unknown field '%s'", show(tok_str(p), shown, sizeof(shown)));
	return fail(p, VG_EINVAL, p->tok.pos, m);
}

static char *
unescape(struct vg_str raw, size_t *len)
{
	char *s = vg_xmalloc(raw.len + 1);
	size_t n = 0;

	for (size_t i = 1; i + 1 < raw.len; i++) {
		s[n++] = raw.p[i];
		if (raw.p[i] == '\'')
			i++; /* the second quote of '' */
	}
	s[n] = '\0';
	*len = n;
	return s;
}

static int
number_value(struct parser *p, struct lit *l)
{
	char buf[72], m[128], shown[48];

	if (p->tok.len >= sizeof(buf)) {
		snprintf(m, sizeof(m), "number too long '%s'",
			 show(tok_str(p), shown, sizeof(shown)));
		return fail(p, VG_EINVAL, p->tok.pos, m);
	}
	memcpy(buf, p->in.p + p->tok.pos, p->tok.len);
	buf[p->tok.len] = '\0';
	l->v.type = VG_ODATA_NUMBER;
	l->v.num = strtod(buf, NULL);
	if (!isfinite(l->v.num)) {
		snprintf(m, sizeof(m), "number out of range '%s'",
			 show(tok_str(p), shown, sizeof(shown)));
		return fail(p, VG_EINVAL, p->tok.pos, m);
	}
	return VG_OK;
}

static int
datetime_value(struct parser *p, struct lit *l)
{
	char buf[40], m[128], shown[48];

	if (vg_odata_parse_datetime(tok_str(p), &l->v.dt) != VG_OK) {
		snprintf(m, sizeof(m), "invalid datetime '%s'",
			 show(tok_str(p), shown, sizeof(shown)));
		return fail(p, VG_EINVAL, p->tok.pos, m);
	}
	format_datetime(l->v.dt, buf, sizeof(buf));
	l->v.type = VG_ODATA_DATETIME;
	l->buf = vg_xstrdup(buf);
	l->v.s = vg_str_c(l->buf);
	return VG_OK;
}

/* Read a literal into @l (whose buffer the caller's node then owns). */
static int
literal(struct parser *p, struct lit *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	switch (p->tok.kind) {
	case T_STRING:
		l->v.type = VG_ODATA_STRING;
		l->buf = unescape(tok_str(p), &l->v.s.len);
		l->v.s.p = l->buf;
		break;
	case T_NUMBER:
		if ((rc = number_value(p, l)) != VG_OK)
			return rc;
		break;
	case T_DATETIME:
		if ((rc = datetime_value(p, l)) != VG_OK)
			return rc;
		break;
	default:
		if (is_kw(p, "true") || is_kw(p, "false")) {
			l->v.type = VG_ODATA_BOOL;
			l->v.b = is_kw(p, "true");
		} else if (is_kw(p, "null")) {
			l->v.type = VG_ODATA_NULL;
		} else {
			return fail_tok(p, "expected a literal");
		}
	}
	return next(p);
}

/* The literal just read (starting at @pos) must suit field @fi under @op. */
static int
check_type(struct parser *p, size_t fi, enum op op, const struct lit *l, size_t pos)
{
	const struct vg_odata_field *fd = &p->fields[fi];
	char m[160];

	if (l->v.type == VG_ODATA_NULL) {
		if (op == OP_EQ || op == OP_NE)
			return VG_OK;
		snprintf(m, sizeof(m), "null can only be compared with eq or ne");
		return fail(p, VG_EINVAL, pos, m);
	}
	if (l->v.type != fd->type) {
		snprintf(m, sizeof(m), "type mismatch: '%s' is a %s, the literal is a %s", fd->name,
			 type_names[fd->type], type_names[l->v.type]);
		return fail(p, VG_EINVAL, pos, m);
	}
	if (fd->type == VG_ODATA_BOOL && op != OP_EQ && op != OP_NE && op != OP_IN) {
		snprintf(m, sizeof(m), "operator '%s' does not apply to bool field '%s'",
			 op_names[op], fd->name);
		return fail(p, VG_EINVAL, pos, m);
	}
	return VG_OK;
}

static int parse_or(struct parser *p, struct node **out);

/* The next non-blank byte after the lookahead, or NUL. */
static char
peek(const struct parser *p)
{
	size_t i = p->pos;

	while (i < p->in.len && (p->in.p[i] == ' ' || p->in.p[i] == '\t'))
		i++;
	return i < p->in.len ? p->in.p[i] : '\0';
}

static int
parse_in(struct parser *p, struct node *n)
{
	size_t cap = 4;
	int rc;

	if ((rc = expect(p, T_LPAREN, "'('")) != VG_OK)
		return rc;
	n->lits = vg_xcalloc(cap, sizeof(*n->lits));
	for (;;) {
		size_t pos = p->tok.pos;
		if (n->nlits == VG_ODATA_MAX_IN)
			return fail(p, VG_ETOOBIG, pos, "in-list too long (limit 100)");
		if (n->nlits == cap) {
			cap *= 2;
			n->lits = vg_xreallocarray(n->lits, cap, sizeof(*n->lits));
		}
		/* Counted before the check: a literal that fails after reading owns its text. */
		rc = literal(p, &n->lits[n->nlits]);
		n->nlits++;
		if (rc != VG_OK)
			return rc;
		if (n->lits[n->nlits - 1].v.type == VG_ODATA_NULL)
			return fail(p, VG_EINVAL, pos, "null in an in-list");
		if ((rc = check_type(p, n->field, OP_IN, &n->lits[n->nlits - 1], pos)) != VG_OK)
			return rc;
		if (p->tok.kind != T_COMMA)
			break;
		if ((rc = next(p)) != VG_OK)
			return rc;
	}
	return expect(p, T_RPAREN, "',' or ')'");
}

static enum op
cmp_op(const struct parser *p, bool *ok)
{
	for (int op = OP_EQ; op <= OP_IN; op++) {
		if (is_kw(p, op_names[op])) {
			*ok = true;
			return (enum op)op;
		}
	}
	*ok = false;
	return OP_EQ;
}

/* Precompute the LIKE pattern: the literal with % _ \ escaped, wildcards where the op wants. */
static void
make_like(struct node *n)
{
	struct vg_str s = n->lits[0].v.s;
	char *b = vg_xmalloc(2 * s.len + 3);
	size_t k = 0;

	if (n->op != OP_STARTSWITH)
		b[k++] = '%';
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] == '%' || s.p[i] == '_' || s.p[i] == '\\')
			b[k++] = '\\';
		b[k++] = s.p[i];
	}
	if (n->op != OP_ENDSWITH)
		b[k++] = '%';
	b[k] = '\0';
	n->like_buf = b;
	n->like = (struct vg_odata_value){.type = VG_ODATA_STRING, .s = vg_str_n(b, k)};
}

/* startswith(field,'x'), optionally compared with eq/ne true/false. */
static int
parse_func(struct parser *p, enum op op, struct node **out)
{
	size_t start = p->tok.pos, pos;
	struct node *n = new_node(p, op, start, &(int){0});
	int rc;
	char m[128];

	if (!n)
		return VG_ETOOBIG;
	if ((rc = next(p)) != VG_OK || (rc = expect(p, T_LPAREN, "'('")) != VG_OK ||
	    (rc = field_of(p, &n->field)) != VG_OK || (rc = expect(p, T_COMMA, "','")) != VG_OK)
		return rc;
	if (p->fields[n->field].type != VG_ODATA_STRING) {
		snprintf(m, sizeof(m), "%s() needs a string field, '%s' is a %s", op_names[op],
			 p->fields[n->field].name, type_names[p->fields[n->field].type]);
		return fail(p, VG_EINVAL, start, m);
	}
	pos = p->tok.pos;
	n->lits = vg_xcalloc(1, sizeof(*n->lits));
	n->nlits = 1;
	if ((rc = literal(p, n->lits)) != VG_OK)
		return rc;
	if (n->lits[0].v.type != VG_ODATA_STRING)
		return fail(p, VG_EINVAL, pos, "expected a string literal");
	make_like(n);
	if ((rc = expect(p, T_RPAREN, "')'")) != VG_OK)
		return rc;
	*out = n;
	if (!is_kw(p, "eq") && !is_kw(p, "ne"))
		return VG_OK;
	/* `startswith(f,'x') eq false` is `not startswith(f,'x')`. */
	bool negate = is_kw(p, "ne");
	if ((rc = next(p)) != VG_OK)
		return rc;
	if (!is_kw(p, "true") && !is_kw(p, "false"))
		return fail_tok(p, "expected true or false");
	if (is_kw(p, "false"))
		negate = !negate;
	if (negate) {
		struct node *nn = new_node(p, OP_NOT, start, &rc);
		if (!nn)
			return rc;
		nn->l = n;
		*out = nn;
	}
	return next(p);
}

static int
parse_comparison(struct parser *p, struct node **out)
{
	size_t start = p->tok.pos, field, pos;
	bool ok;
	enum op op;
	struct node *n;
	int rc;

	if ((rc = field_of(p, &field)) != VG_OK)
		return rc;
	op = cmp_op(p, &ok);
	if (!ok)
		return fail_tok(p, "expected a comparison operator");
	if ((n = new_node(p, op, start, &rc)) == NULL)
		return rc;
	n->field = field;
	if ((rc = next(p)) != VG_OK)
		return rc;
	if (op == OP_IN) {
		rc = parse_in(p, n);
	} else {
		pos = p->tok.pos;
		n->lits = vg_xcalloc(1, sizeof(*n->lits));
		n->nlits = 1;
		if ((rc = literal(p, n->lits)) == VG_OK)
			rc = check_type(p, field, op, n->lits, pos);
	}
	*out = n;
	return rc;
}

static int
enter(struct parser *p)
{
	if (++p->nest > VG_ODATA_MAX_DEPTH)
		return fail(p, VG_ETOOBIG, p->tok.pos, "nested too deeply (limit 32)");
	return VG_OK;
}

static int
parse_unary(struct parser *p, struct node **out)
{
	int rc;

	if (is_kw(p, "not")) {
		struct node *n = new_node(p, OP_NOT, p->tok.pos, &rc);
		if (!n || (rc = enter(p)) != VG_OK || (rc = next(p)) != VG_OK ||
		    (rc = parse_unary(p, &n->l)) != VG_OK)
			return rc;
		p->nest--;
		*out = n;
		return VG_OK;
	}
	if (p->tok.kind == T_LPAREN) {
		if ((rc = enter(p)) != VG_OK || (rc = next(p)) != VG_OK ||
		    (rc = parse_or(p, out)) != VG_OK)
			return rc;
		p->nest--;
		return expect(p, T_RPAREN, "')'");
	}
	for (int op = OP_STARTSWITH; op <= OP_CONTAINS; op++)
		if (is_kw(p, op_names[op]) && peek(p) == '(')
			return parse_func(p, (enum op)op, out);
	return parse_comparison(p, out);
}

/* One left-associative level: and over unary, or over and. */
static int
parse_binary(struct parser *p, enum op op, struct node **out)
{
	int rc = op == OP_OR ? parse_binary(p, OP_AND, out) : parse_unary(p, out);

	while (rc == VG_OK && is_kw(p, op_names[op])) {
		struct node *n = new_node(p, op, p->tok.pos, &rc);
		if (!n || (rc = next(p)) != VG_OK)
			return rc;
		n->l = *out;
		*out = n;
		rc = op == OP_OR ? parse_binary(p, OP_AND, &n->r) : parse_unary(p, &n->r);
	}
	return rc;
}

static int
parse_or(struct parser *p, struct node **out)
{
	return parse_binary(p, OP_OR, out);
}

/* Depth in and/or/not operators; comparisons and functions count 0. */
static int
depth(const struct node *n)
{
	int a, b;

	switch (n->op) {
	case OP_NOT:
		return depth(n->l) + 1;
	case OP_AND:
	case OP_OR:
		a = depth(n->l);
		b = depth(n->r);
		return (a > b ? a : b) + 1;
	default:
		return 0;
	}
}

/* Column of the outermost operator that is one level too deep. */
static int
deep_col(const struct node *n)
{
	while (depth(n) > VG_ODATA_MAX_DEPTH + 1) {
		if (n->op == OP_NOT || depth(n->l) >= depth(n->r))
			n = n->l;
		else
			n = n->r;
	}
	return n->col;
}

static void
free_node_contents(struct node *n)
{
	for (size_t i = 0; i < n->nlits; i++)
		free(n->lits[i].buf);
	free(n->lits);
	free(n->like_buf);
}

void
vg_odata_filter_free(struct vg_odata_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nnodes; i++)
		free_node_contents(&f->nodes[i]);
	free(f->nodes);
	free(f);
}

static int
parse_all(struct parser *p)
{
	int rc, col;

	if ((rc = next(p)) != VG_OK)
		return rc;
	if (p->tok.kind == T_EOF)
		return fail(p, VG_EINVAL, p->tok.pos, "empty filter");
	if ((rc = parse_or(p, &p->f->root)) != VG_OK)
		return rc;
	if (p->tok.kind != T_EOF)
		return fail_tok(p, "expected 'and', 'or' or end of filter");
	if (depth(p->f->root) <= VG_ODATA_MAX_DEPTH)
		return VG_OK;
	col = deep_col(p->f->root);
	return vg_error_at(p->err, VG_ETOOBIG, col,
			   "$filter: column %d: nested too deeply (limit 32)", col);
}

int
vg_odata_filter_parse(struct vg_str text, const struct vg_odata_field *fields, size_t nfields,
		      struct vg_odata_filter **out, struct vg_err *err)
{
	struct parser p = {.in = text, .fields = fields, .nfields = nfields, .err = err};
	int rc;

	*out = NULL;
	vg_err_clear(err);
	if (text.len > VG_ODATA_MAX_LEN)
		return vg_error_at(err, VG_ETOOBIG, VG_ODATA_MAX_LEN + 1,
				   "$filter: column %d: filter longer than %d bytes",
				   VG_ODATA_MAX_LEN + 1, VG_ODATA_MAX_LEN);
	p.f = vg_xcalloc(1, sizeof(*p.f));
	p.f->fields = fields;
	p.f->nfields = nfields;
	p.f->nodes = vg_xcalloc(VG_ODATA_MAX_NODES, sizeof(*p.f->nodes));
	if ((rc = parse_all(&p)) != VG_OK) {
		vg_odata_filter_free(p.f);
		return rc;
	}
	*out = p.f;
	return VG_OK;
}

/* ---- evaluation ----------------------------------------------------------------------- */

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static bool
eq_nocase_at(struct vg_str h, size_t at, struct vg_str n)
{
	for (size_t i = 0; i < n.len; i++)
		if (lower(h.p[at + i]) != lower(n.p[i]))
			return false;
	return true;
}

static bool
string_func(enum op op, struct vg_str h, struct vg_str n)
{
	if (n.len > h.len)
		return false;
	if (op == OP_STARTSWITH)
		return eq_nocase_at(h, 0, n);
	if (op == OP_ENDSWITH)
		return eq_nocase_at(h, h.len - n.len, n);
	for (size_t i = 0; i + n.len <= h.len; i++)
		if (eq_nocase_at(h, i, n))
			return true;
	return false;
}

/* -1, 0, 1; 2 when unordered (NaN). */
static int
compare(const struct vg_odata_value *a, const struct vg_odata_value *b)
{
	switch (a->type) {
	case VG_ODATA_STRING: {
		size_t n = a->s.len < b->s.len ? a->s.len : b->s.len;
		int c = n ? memcmp(a->s.p, b->s.p, n) : 0;
		if (c == 0)
			return a->s.len < b->s.len ? -1 : a->s.len > b->s.len;
		return c < 0 ? -1 : 1;
	}
	case VG_ODATA_NUMBER:
		if (a->num < b->num)
			return -1;
		if (a->num > b->num)
			return 1;
		return a->num == b->num ? 0 : 2;
	case VG_ODATA_BOOL:
		return (int)a->b - (int)b->b;
	case VG_ODATA_DATETIME:
		return a->dt < b->dt ? -1 : a->dt > b->dt;
	default:
		return 0;
	}
}

static bool
apply(enum op op, int c)
{
	switch (op) {
	case OP_EQ:
		return c == 0;
	case OP_NE:
		return c != 0;
	case OP_GT:
		return c == 1;
	case OP_GE:
		return c == 1 || c == 0;
	case OP_LT:
		return c == -1;
	case OP_LE:
		return c == -1 || c == 0;
	default:
		return false;
	}
}

static bool
eval_leaf(const struct vg_odata_filter *f, const struct node *n, vg_odata_get_fn get, void *ctx)
{
	struct vg_odata_value v = {0};
	const struct vg_odata_value *lit = &n->lits[0].v;

	if (get(ctx, n->field, &v) != VG_OK || v.type != f->fields[n->field].type)
		v.type = VG_ODATA_NULL;
	if (v.type == VG_ODATA_NULL || lit->type == VG_ODATA_NULL) {
		if (n->op == OP_EQ)
			return v.type == lit->type;
		return n->op == OP_NE && v.type != lit->type;
	}
	switch (n->op) {
	case OP_IN:
		for (size_t i = 0; i < n->nlits; i++)
			if (compare(&v, &n->lits[i].v) == 0)
				return true;
		return false;
	case OP_STARTSWITH:
	case OP_ENDSWITH:
	case OP_CONTAINS:
		return string_func(n->op, v.s, lit->s);
	default:
		return apply(n->op, compare(&v, lit));
	}
}

static bool
eval_node(const struct vg_odata_filter *f, const struct node *n, vg_odata_get_fn get, void *ctx)
{
	switch (n->op) {
	case OP_AND:
		return eval_node(f, n->l, get, ctx) && eval_node(f, n->r, get, ctx);
	case OP_OR:
		return eval_node(f, n->l, get, ctx) || eval_node(f, n->r, get, ctx);
	case OP_NOT:
		return !eval_node(f, n->l, get, ctx);
	default:
		return eval_leaf(f, n, get, ctx);
	}
}

bool
vg_odata_eval(const struct vg_odata_filter *f, vg_odata_get_fn get, void *ctx)
{
	return f && f->root && eval_node(f, f->root, get, ctx);
}

/* ---- SQL ------------------------------------------------------------------------------ */

struct sql {
	const struct vg_odata_filter *f;
	struct vg_buf *b;
	vg_odata_bind_fn bind;
	void *ctx;
	int nparam;
};

static int
param(struct sql *s, const struct vg_odata_value *v)
{
	int rc = vg_buf_addch(s->b, '?');
	return rc != VG_OK ? rc : s->bind(s->ctx, ++s->nparam, v);
}

static const char *
column(const struct sql *s, size_t field)
{
	const struct vg_odata_field *fd = &s->f->fields[field];
	return fd->column ? fd->column : fd->name;
}

static int
sql_leaf(struct sql *s, const struct node *n)
{
	static const char *const sqlop[] = {
		[OP_GT] = ">", [OP_GE] = ">=", [OP_LT] = "<", [OP_LE] = "<="};
	const char *col = column(s, n->field);
	const struct vg_odata_value *lit = &n->lits[0].v;
	int rc;

	if (n->op == OP_EQ || n->op == OP_NE) {
		/* IS / IS NOT are null-safe: two-valued like OData, also under NOT. */
		const char *is = n->op == OP_EQ ? "IS" : "IS NOT";
		if (lit->type == VG_ODATA_NULL)
			return vg_buf_addf(s->b, "(%s %s NULL)", col, is);
		if ((rc = vg_buf_addf(s->b, "(%s %s ", col, is)) != VG_OK ||
		    (rc = param(s, lit)) != VG_OK)
			return rc;
		return vg_buf_addch(s->b, ')');
	}
	/* The IS NOT NULL guard turns SQL's unknown into false, so NOT stays two-valued. */
	if ((rc = vg_buf_addf(s->b, "(%s IS NOT NULL AND %s ", col, col)) != VG_OK)
		return rc;
	if (n->op == OP_IN) {
		if ((rc = vg_buf_addstr(s->b, "IN (")) != VG_OK)
			return rc;
		for (size_t i = 0; i < n->nlits; i++)
			if ((i && (rc = vg_buf_addch(s->b, ',')) != VG_OK) ||
			    (rc = param(s, &n->lits[i].v)) != VG_OK)
				return rc;
		return vg_buf_addstr(s->b, "))");
	}
	if (n->op >= OP_STARTSWITH) {
		if ((rc = vg_buf_addstr(s->b, "LIKE ")) != VG_OK ||
		    (rc = param(s, &n->like)) != VG_OK)
			return rc;
		return vg_buf_addstr(s->b, " ESCAPE '\\')");
	}
	if ((rc = vg_buf_addf(s->b, "%s ", sqlop[n->op])) != VG_OK || (rc = param(s, lit)) != VG_OK)
		return rc;
	return vg_buf_addch(s->b, ')');
}

static int
sql_node(struct sql *s, const struct node *n)
{
	int rc;

	switch (n->op) {
	case OP_AND:
	case OP_OR:
		if ((rc = vg_buf_addch(s->b, '(')) != VG_OK || (rc = sql_node(s, n->l)) != VG_OK ||
		    (rc = vg_buf_addstr(s->b, n->op == OP_AND ? " AND " : " OR ")) != VG_OK ||
		    (rc = sql_node(s, n->r)) != VG_OK)
			return rc;
		return vg_buf_addch(s->b, ')');
	case OP_NOT:
		if ((rc = vg_buf_addstr(s->b, "(NOT ")) != VG_OK ||
		    (rc = sql_node(s, n->l)) != VG_OK)
			return rc;
		return vg_buf_addch(s->b, ')');
	default:
		return sql_leaf(s, n);
	}
}

int
vg_odata_to_sql(const struct vg_odata_filter *f, struct vg_buf *sql, vg_odata_bind_fn bind,
		void *ctx)
{
	struct sql s = {f, sql, bind, ctx, 0};
	return sql_node(&s, f->root);
}

/* ---- dump ----------------------------------------------------------------------------- */

static int
dump_number(struct vg_buf *b, double x)
{
	char buf[40];

	/* Integers as such; otherwise the shortest text that reads back as the same double. */
	if (x == floor(x) && fabs(x) < 1e15)
		return vg_buf_addf(b, "%.0f", x);
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return vg_buf_addstr(b, buf);
}

static int
dump_value(struct vg_buf *b, const struct vg_odata_value *v)
{
	int rc;

	switch (v->type) {
	case VG_ODATA_STRING:
		if ((rc = vg_buf_addch(b, '\'')) != VG_OK)
			return rc;
		for (size_t i = 0; i < v->s.len; i++)
			if ((v->s.p[i] == '\'' && (rc = vg_buf_addch(b, '\'')) != VG_OK) ||
			    (rc = vg_buf_addch(b, v->s.p[i])) != VG_OK)
				return rc;
		return vg_buf_addch(b, '\'');
	case VG_ODATA_NUMBER:
		return dump_number(b, v->num);
	case VG_ODATA_BOOL:
		return vg_buf_addstr(b, v->b ? "true" : "false");
	case VG_ODATA_DATETIME:
		return vg_buf_addslice(b, v->s);
	default:
		return vg_buf_addstr(b, "null");
	}
}

static int
dump_node(const struct vg_odata_filter *f, const struct node *n, struct vg_buf *b)
{
	const char *name = n->op >= OP_EQ ? f->fields[n->field].name : "";
	int rc;

	switch (n->op) {
	case OP_AND:
	case OP_OR:
		if ((rc = vg_buf_addch(b, '(')) != VG_OK || (rc = dump_node(f, n->l, b)) != VG_OK ||
		    (rc = vg_buf_addf(b, " %s ", op_names[n->op])) != VG_OK ||
		    (rc = dump_node(f, n->r, b)) != VG_OK)
			return rc;
		return vg_buf_addch(b, ')');
	case OP_NOT:
		/* The operand is a leaf, a not, or an already parenthesised and/or. */
		if ((rc = vg_buf_addstr(b, "not ")) != VG_OK)
			return rc;
		return dump_node(f, n->l, b);
	case OP_IN:
		if ((rc = vg_buf_addf(b, "%s in (", name)) != VG_OK)
			return rc;
		for (size_t i = 0; i < n->nlits; i++)
			if ((i && (rc = vg_buf_addch(b, ',')) != VG_OK) ||
			    (rc = dump_value(b, &n->lits[i].v)) != VG_OK)
				return rc;
		return vg_buf_addch(b, ')');
	case OP_STARTSWITH:
	case OP_ENDSWITH:
	case OP_CONTAINS:
		if ((rc = vg_buf_addf(b, "%s(%s,", op_names[n->op], name)) != VG_OK ||
		    (rc = dump_value(b, &n->lits[0].v)) != VG_OK)
			return rc;
		return vg_buf_addch(b, ')');
	default:
		if ((rc = vg_buf_addf(b, "%s %s ", name, op_names[n->op])) != VG_OK)
			return rc;
		return dump_value(b, &n->lits[0].v);
	}
}

int
vg_odata_dump(const struct vg_odata_filter *f, struct vg_buf *out)
{
	return dump_node(f, f->root, out);
}

/* ---- $top, $skip, $select, $orderby --------------------------------------------------- */

static int
opt_fail(struct vg_err *err, const char *opt, size_t pos, const char *what)
{
	return vg_error_at(err, VG_EINVAL, (int)pos + 1, "%s: column %d: %s", opt, (int)pos + 1,
			   what);
}

static int
parse_count(struct vg_str s, const char *opt, uint64_t *out, struct vg_err *err)
{
	uint64_t v = 0;

	if (s.len == 0)
		return opt_fail(err, opt, 0, "expected a non-negative integer");
	for (size_t i = 0; i < s.len; i++) {
		if (!is_digit(s.p[i]))
			return opt_fail(err, opt, i, "expected a non-negative integer");
		uint64_t d = (uint64_t)(s.p[i] - '0');
		/* At most INT64_MAX, so that it binds as an SQLite integer. */
		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return opt_fail(err, opt, i, "number too large");
		v = v * 10 + d;
	}
	*out = v;
	return VG_OK;
}

/* Next comma-separated item of @s from *@pos, trimmed of spaces; its start in *@at. */
static struct vg_str
next_item(struct vg_str s, size_t *pos, size_t *at)
{
	size_t i = *pos, end;

	while (i < s.len && s.p[i] == ' ')
		i++;
	*at = i;
	end = i;
	while (end < s.len && s.p[end] != ',')
		end++;
	*pos = end + 1;
	while (end > i && s.p[end - 1] == ' ')
		end--;
	return vg_str_n(s.p + i, end - i);
}

static int
lookup(struct vg_str name, const struct vg_odata_field *fields, size_t nfields, const char *opt,
       size_t at, size_t *out, struct vg_err *err)
{
	char m[96], shown[48];

	if (name.len == 0)
		return opt_fail(err, opt, at, "expected a field name");
	for (size_t i = 0; i < nfields; i++) {
		if (vg_str_eq_nocase(name, vg_str_c(fields[i].name))) {
			*out = i;
			return VG_OK;
		}
	}
	snprintf(m, sizeof(m), "unknown field '%s'", show(name, shown, sizeof(shown)));
	return opt_fail(err, opt, at, m);
}

static int
parse_select(struct vg_odata_query *q, struct vg_str s, const struct vg_odata_field *fields,
	     size_t nfields, struct vg_err *err)
{
	size_t pos = 0, at, fi;
	int rc;

	if (vg_str_eqc(vg_str_trim(s), "*"))
		return VG_OK;
	while (pos <= s.len) {
		struct vg_str name = next_item(s, &pos, &at);
		bool dup = false;
		if ((rc = lookup(name, fields, nfields, "$select", at, &fi, err)) != VG_OK)
			return rc;
		for (size_t i = 0; i < q->nselect; i++)
			dup |= q->select[i] == fi;
		if (dup)
			continue;
		if (q->nselect == VG_ODATA_MAX_SELECT)
			return opt_fail(err, "$select", at, "too many fields (limit 64)");
		q->select[q->nselect++] = fi;
	}
	return VG_OK;
}

static int
parse_order_key(struct vg_odata_query *q, struct vg_str item, size_t at,
		const struct vg_odata_field *fields, size_t nfields, struct vg_err *err)
{
	ptrdiff_t sp = vg_str_chr(item, ' ');
	struct vg_str name = sp < 0 ? item : vg_str_sub(item, 0, (size_t)sp);
	struct vg_odata_order *o = &q->orderby[q->norderby];
	int rc;

	if (q->norderby == VG_ODATA_MAX_ORDERBY)
		return opt_fail(err, "$orderby", at, "too many keys (limit 4)");
	if ((rc = lookup(name, fields, nfields, "$orderby", at, &o->field, err)) != VG_OK)
		return rc;
	for (size_t i = 0; i < q->norderby; i++)
		if (q->orderby[i].field == o->field)
			return opt_fail(err, "$orderby", at, "field ordered twice");
	o->desc = false;
	if (sp >= 0) {
		size_t off = (size_t)sp;
		struct vg_str dir = vg_str_trim(vg_str_sub(item, off, item.len));
		if (vg_str_eq_nocase(dir, VG_STR_LIT("desc")))
			o->desc = true;
		else if (!vg_str_eq_nocase(dir, VG_STR_LIT("asc")))
			return opt_fail(err, "$orderby", at + (size_t)(dir.p - item.p),
					"expected 'asc' or 'desc'");
	}
	q->norderby++;
	return VG_OK;
}

static int
parse_orderby(struct vg_odata_query *q, struct vg_str s, const struct vg_odata_field *fields,
	      size_t nfields, struct vg_err *err)
{
	size_t pos = 0, at;
	int rc;

	while (pos <= s.len) {
		struct vg_str item = next_item(s, &pos, &at);
		if ((rc = parse_order_key(q, item, at, fields, nfields, err)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
check_len(struct vg_str s, const char *opt, struct vg_err *err)
{
	if (s.p && s.len > VG_ODATA_MAX_LEN)
		return vg_error_at(err, VG_ETOOBIG, VG_ODATA_MAX_LEN + 1,
				   "%s: column %d: longer than %d bytes", opt, VG_ODATA_MAX_LEN + 1,
				   VG_ODATA_MAX_LEN);
	return VG_OK;
}

static int
parse_options(struct vg_odata_query *q, const struct vg_odata_options *opt,
	      const struct vg_odata_field *fields, size_t nfields, struct vg_err *err)
{
	int rc;

	if ((rc = check_len(opt->select, "$select", err)) != VG_OK ||
	    (rc = check_len(opt->orderby, "$orderby", err)) != VG_OK)
		return rc;
	if (opt->top.p && (rc = parse_count(opt->top, "$top", &q->top, err)) != VG_OK)
		return rc;
	if (q->top > opt->top_max)
		q->top = opt->top_max;
	if (opt->skip.p && (rc = parse_count(opt->skip, "$skip", &q->skip, err)) != VG_OK)
		return rc;
	if (opt->select.p && (rc = parse_select(q, opt->select, fields, nfields, err)) != VG_OK)
		return rc;
	if (opt->orderby.p && (rc = parse_orderby(q, opt->orderby, fields, nfields, err)) != VG_OK)
		return rc;
	if (opt->filter.p)
		return vg_odata_filter_parse(opt->filter, fields, nfields, &q->filter, err);
	return VG_OK;
}

int
vg_odata_query_parse(struct vg_odata_query *q, const struct vg_odata_options *opt,
		     const struct vg_odata_field *fields, size_t nfields, struct vg_err *err)
{
	int rc;

	memset(q, 0, sizeof(*q));
	q->top = opt->top_max;
	vg_err_clear(err);
	if ((rc = parse_options(q, opt, fields, nfields, err)) != VG_OK)
		vg_odata_query_release(q);
	return rc;
}

void
vg_odata_query_release(struct vg_odata_query *q)
{
	vg_odata_filter_free(q->filter);
	q->filter = NULL;
}
