/*
 * epss.c - FIRST EPSS daily scores, epss_scores-YYYY-MM-DD.csv(.gz).
 *
 *     #model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000
 *     cve,epss,percentile
 *     CVE-1999-0001,0.01167,0.78162
 *
 * The "#" line is optional and may be any comment (the shared mirror writes
 * its provenance there); gzip is undone by vg_feed_in.  The snapshot date is
 * score_date's date part, else a date written in the comment, else - only
 * as a last resort, with a warning - the date in the file name.  The header
 * must be exactly cve,epss,percentile (case and surrounding blanks aside).
 * Every row is checked: a CVE id and two numbers in [0, 1]; anything else
 * stops the import naming the line and the field.
 *
 * Speed: a day has ~360,000 rows.  Each row is split in place (the CSV reader's
 * fast path), and the numbers are parsed by hand (parse_decimal): no allocation
 * and no strtod per row.  See docs/feeds/kev-epss-secdb.md for timings.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/ids.h"
#include "feeds/importers.h"

#define FORMAT      "epss-csv"
#define VERSION_MAX 64
#define SNIPPET_MAX 60 /* bytes of a bad field quoted in a message */

/* ---- CSV (RFC 4180) -------------------------------------------------------------
 *
 * Records are read line by line with vg_feed_in_line(), so memory is one
 * record.  A record without a '"' byte is split in place: its fields point
 * into the input's line buffer and nothing is copied (the fast path every
 * EPSS row takes).  A record with quotes is unescaped into the reader's
 * own buffer: a field that starts with '"' ends at the next lone '"', ""
 * stands for one '"', and a quoted field may span lines (the line break
 * comes back as "\n").  Bytes after a closing quote other than ',' and a
 * '"' inside an unquoted field are errors, not guesses.  Fields are not
 * trimmed; an empty line is a record of one empty field.  The fields are
 * valid until the next call on the reader or on its input.
 */

#define CSV_MAX_FIELDS 64 /* more fields in one record is an error */

struct csv {
	struct vg_feed_in *in; /* borrowed */
	struct vg_buf rec;     /* unescaped text of a quoted record */
	struct vg_str field[CSV_MAX_FIELDS];
	size_t nfields;
	long line; /* line number (1-based) where the current record starts */
};

static void
csv_init(struct csv *c, struct vg_feed_in *in, size_t max_record)
{
	memset(c, 0, sizeof(*c));
	c->in = in;
	vg_buf_init(&c->rec, max_record ? max_record : VG_FEED_MAX_LINE);
}

static void
csv_release(struct csv *c)
{
	vg_buf_release(&c->rec);
	c->nfields = 0;
}

static int
too_many(const struct csv *c, struct vg_err *err)
{
	return vg_error(err, VG_EINVAL, "line %ld: more than %d fields", c->line, CSV_MAX_FIELDS);
}

/* The fast path: no quote anywhere, so every field is a slice of the line. */
static int
split_plain(struct csv *c, struct vg_str line, struct vg_err *err)
{
	const char *p = line.p, *end = line.p + line.len;

	c->nfields = 0;
	for (;;) {
		const char *comma = p < end ? memchr(p, ',', (size_t)(end - p)) : NULL;
		const char *fend = comma ? comma : end;

		if (c->nfields == CSV_MAX_FIELDS)
			return too_many(c, err);
		c->field[c->nfields++] = vg_str_n(p, (size_t)(fend - p));
		if (!comma)
			return VG_OK;
		p = comma + 1;
	}
}

static int
add(struct csv *c, const char *p, size_t n, struct vg_err *err)
{
	if (vg_buf_add(&c->rec, p, n) != VG_OK)
		return vg_error(err, VG_ETOOBIG, "line %ld: record longer than %zu bytes", c->line,
				c->rec.max);
	return VG_OK;
}

/*
 * A quoted field: *@i is just past the opening quote.  Reads continuation
 * lines into *@line while the quote is open; on return *@i is just past the
 * closing quote.
 */
static int
quoted_field(struct csv *c, struct vg_str *line, size_t *i, struct vg_err *err)
{
	int rc;

	for (;;) {
		const char *q;
		size_t run;

		if (*i == line->len) {
			rc = vg_feed_in_line(c->in, line, err);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return vg_error(err, VG_EINVAL,
						"line %ld: quoted field not closed at end of file",
						c->line);
			if ((rc = add(c, "\n", 1, err)) != VG_OK)
				return rc;
			*i = 0;
			continue;
		}
		q = memchr(line->p + *i, '"', line->len - *i);
		run = q ? (size_t)(q - (line->p + *i)) : line->len - *i;
		if ((rc = add(c, line->p + *i, run, err)) != VG_OK)
			return rc;
		*i += run;
		if (!q)
			continue;
		(*i)++; /* the quote */
		if (*i < line->len && line->p[*i] == '"') {
			if ((rc = add(c, "\"", 1, err)) != VG_OK)
				return rc;
			(*i)++;
			continue;
		}
		return VG_OK;
	}
}

/* An unquoted field of a record that has quotes elsewhere: copy up to the comma. */
static int
plain_field(struct csv *c, struct vg_str line, size_t *i, struct vg_err *err)
{
	size_t j = *i;
	int rc;

	while (j < line.len && line.p[j] != ',') {
		if (line.p[j] == '"')
			return vg_error(err, VG_EINVAL, "line %ld: '\"' inside an unquoted field",
					c->in->lineno);
		j++;
	}
	rc = add(c, line.p + *i, j - *i, err);
	*i = j;
	return rc;
}

/* The slow path: unescape every field into c->rec, then point the slices into it. */
static int
split_quoted(struct csv *c, struct vg_str line, struct vg_err *err)
{
	size_t start[CSV_MAX_FIELDS], len[CSV_MAX_FIELDS];
	size_t n = 0, i = 0;
	int rc;

	vg_buf_reset(&c->rec);
	for (;;) {
		if (n == CSV_MAX_FIELDS)
			return too_many(c, err);
		start[n] = c->rec.len;
		if (i < line.len && line.p[i] == '"') {
			i++;
			if ((rc = quoted_field(c, &line, &i, err)) != VG_OK)
				return rc;
			if (i < line.len && line.p[i] != ',')
				return vg_error(err, VG_EINVAL,
						"line %ld: unexpected '%c' after a closing quote",
						c->in->lineno, line.p[i]);
		} else if ((rc = plain_field(c, line, &i, err)) != VG_OK) {
			return rc;
		}
		len[n] = c->rec.len - start[n];
		n++;
		if (i == line.len)
			break;
		i++; /* the comma */
	}
	for (size_t k = 0; k < n; k++)
		c->field[k] = vg_str_n(c->rec.p + start[k], len[k]);
	c->nfields = n;
	return VG_OK;
}

static int
csv_record(struct csv *c, struct vg_str first, struct vg_err *err)
{
	c->line = c->in->lineno;
	c->nfields = 0;
	if (first.len && memchr(first.p, '"', first.len))
		return split_quoted(c, first, err);
	return split_plain(c, first, err);
}

static int
csv_next(struct csv *c, struct vg_err *err)
{
	struct vg_str line;
	int rc = vg_feed_in_line(c->in, &line, err);

	if (rc <= 0)
		return rc;
	rc = csv_record(c, line, err);
	return rc < 0 ? rc : 1;
}

struct epss {
	struct vg_feed_in *in;
	const struct vg_feed_sink *sink;
	struct csv csv;
	char version[VERSION_MAX]; /* model_version, "" when absent */
	char score_date[11];       /* date part of score_date, "" when absent */
	char comment_date[11];     /* first other date written in a comment */
	char file_date[11];        /* date in the file name (last resort) */
	uint64_t n;
};

/* ---- text helpers ---------------------------------------------------------- */

/* @s without a UTF-8 byte order mark (spreadsheets write one). */
static struct vg_str
strip_bom(struct vg_str s)
{
	if (s.len >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0)
		return vg_str_sub(s, 3, s.len);
	return s;
}

/* Printable excerpt of untrusted bytes for a message. */
static const char *
snippet(char *out, size_t cap, struct vg_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[n] = '\0';
	return out;
}

static void warn(const struct epss *e, const char *fmt, ...) VG_PRINTF(2, 3);

static void
warn(const struct epss *e, const char *fmt, ...)
{
	char msg[512];
	int off;
	va_list ap;

	if (!e->sink->warn)
		return;
	off = snprintf(msg, sizeof(msg), "%s: ", e->in->path ? e->in->path : "epss");
	if (off < 0 || (size_t)off >= sizeof(msg))
		off = 0;
	va_start(ap, fmt);
	vsnprintf(msg + off, sizeof(msg) - (size_t)off, fmt, ap);
	va_end(ap);
	e->sink->warn(e->sink->ctx, msg);
}

/* ---- numbers --------------------------------------------------------------- */

/* Exact powers of ten: a double holds 10^k exactly for k <= 22. */
static const double pow10_exact[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool
is_digit(char c)
{
	return (unsigned)(c - '0') < 10u;
}

/* The rare number the fast path cannot round exactly (over 15 digits, big exponents). */
static bool
slow_decimal(struct vg_str s, double *out)
{
	char buf[128];
	char *end;

	if (s.len >= sizeof(buf))
		return false;
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	*out = strtod(buf, &end);
	return end == buf + s.len;
}

/*
 * A non-negative decimal, digits[.digits][e[+-]digits], correctly rounded.
 * The significant digits go into an integer m and the value is m * 10^scale;
 * when m < 2^53 and |scale| <= 22 both operands are exact doubles, so one
 * IEEE multiplication or division rounds correctly (Clinger's fast path),
 * which covers every EPSS value ("0.00042").  Other forms go to strtod.
 */
static bool
parse_decimal(struct vg_str s, double *out)
{
	const char *p = s.p, *end = s.p + s.len;
	uint64_t m = 0;
	int ndig = 0, scale = 0;
	bool any = false;

	for (; p < end && is_digit(*p); p++) {
		any = true;
		if (ndig < 19) {
			m = m * 10 + (uint64_t)(*p - '0');
			ndig += m != 0;
		} else {
			scale++;
		}
	}
	if (p < end && *p == '.') {
		for (p++; p < end && is_digit(*p); p++) {
			any = true;
			if (ndig < 19) {
				m = m * 10 + (uint64_t)(*p - '0');
				ndig += m != 0;
				scale--;
			}
		}
	}
	if (!any)
		return false;
	if (p < end && (*p == 'e' || *p == 'E')) {
		int sign = 1, x = 0;
		bool xdigits = false;

		if (++p < end && (*p == '+' || *p == '-'))
			sign = *p++ == '-' ? -1 : 1;
		for (; p < end && is_digit(*p); p++) {
			xdigits = true;
			if (x < 100000)
				x = x * 10 + (*p - '0');
		}
		if (!xdigits)
			return false;
		scale += sign * x;
	}
	if (p != end)
		return false;
	if (m == 0) {
		*out = 0.0;
		return true;
	}
	if (m <= (UINT64_C(1) << 53) && scale >= -22 && scale <= 22) {
		*out = scale < 0 ? (double)m / pow10_exact[-scale] : (double)m * pow10_exact[scale];
		return true;
	}
	return slow_decimal(s, out);
}

/* ---- header and comments ----------------------------------------------------- */

/* A header field, trimmed and without quotes (for the probe, which does not unescape). */
static bool
field_is(struct vg_str f, const char *name)
{
	f = vg_str_trim(f);
	if (f.len >= 2 && f.p[0] == '"' && f.p[f.len - 1] == '"')
		f = vg_str_sub(f, 1, f.len - 2);
	return vg_str_eq_nocase(f, vg_str_c(name));
}

static bool
header_ok(const struct vg_str *f, size_t n)
{
	return n == 3 && field_is(f[0], "cve") && field_is(f[1], "epss") &&
	       field_is(f[2], "percentile");
}

/* The header line as the probe sees it: split on commas without a CSV reader. */
static bool
line_is_header(struct vg_str line)
{
	struct vg_str f[3];
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= line.len; i++) {
		if (i < line.len && line.p[i] != ',')
			continue;
		if (n == 3)
			return false;
		f[n++] = vg_str_sub(line, start, i - start);
		start = i + 1;
	}
	return header_ok(f, n);
}

/* First valid YYYY-MM-DD in @s not glued to other digits, into @out (11 bytes). */
static bool
find_date(struct vg_str s, char *out)
{
	for (size_t i = 0; i + 10 <= s.len; i++) {
		struct vg_str d = vg_str_n(s.p + i, 10);

		if ((i > 0 && is_digit(s.p[i - 1])) || (i + 10 < s.len && is_digit(s.p[i + 10])))
			continue;
		if (vg_id_is_date(d)) {
			memcpy(out, d.p, 10);
			out[10] = '\0';
			return true;
		}
	}
	return false;
}

static void
comment_item(struct epss *e, struct vg_str key, struct vg_str val)
{
	char shown[SNIPPET_MAX];

	if (vg_str_eqc(key, "model_version") && !e->version[0]) {
		if (val.len == 0 || val.len >= VERSION_MAX) {
			warn(e, "line %ld: ignored 'model_version' '%s'", e->in->lineno,
			     snippet(shown, sizeof(shown), val));
			return;
		}
		snippet(e->version, sizeof(e->version), val);
	} else if (vg_str_eqc(key, "score_date") && !e->score_date[0]) {
		struct vg_str d = vg_str_sub(val, 0, 10);

		if (!vg_id_is_date(d) || (val.len > 10 && val.p[10] != 'T' && val.p[10] != ' ')) {
			warn(e, "line %ld: ignored invalid 'score_date' '%s'", e->in->lineno,
			     snippet(shown, sizeof(shown), val));
			return;
		}
		memcpy(e->score_date, d.p, 10);
		e->score_date[10] = '\0';
	}
}

/* "#key:value,key:value": FIRST's metadata line, or any other comment. */
static void
parse_comment(struct epss *e, struct vg_str line)
{
	struct vg_str body = vg_str_sub(line, 1, line.len);
	size_t pos = 0;

	while (pos <= body.len) {
		struct vg_str part = vg_str_sub(body, pos, body.len - pos);
		ptrdiff_t comma = vg_str_chr(part, ','), colon;

		if (comma >= 0)
			part.len = (size_t)comma;
		colon = vg_str_chr(part, ':');
		if (colon > 0)
			comment_item(e, vg_str_trim(vg_str_sub(part, 0, (size_t)colon)),
				     vg_str_trim(vg_str_sub(part, (size_t)colon + 1, part.len)));
		pos += part.len + 1;
	}
	if (!e->comment_date[0])
		find_date(body, e->comment_date);
}

/* The date of a file named epss_scores-YYYY-MM-DD.csv or .csv.gz, FIRST's naming. */
static bool
name_date(const char *path, char *out)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	struct vg_str s;

	base = base ? base + 1 : path;
	if (!base)
		return false;
	s = vg_str_c(base);
	if (s.len < 22 || memcmp(s.p, "epss_scores-", 12) != 0)
		return false;
	if (strcmp(base + 22, ".csv") != 0 && strcmp(base + 22, ".csv.gz") != 0)
		return false;
	return find_date(vg_str_sub(s, 12, 10), out);
}

/* Comments, then the header; leaves the input at the first row. */
static int
read_head(struct epss *e, struct vg_err *err)
{
	char shown[SNIPPET_MAX];
	struct vg_str line;
	int rc;

	for (;;) {
		rc = vg_feed_in_line(e->in, &line, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return vg_error(
				err, VG_EINVAL,
				"no header 'cve,epss,percentile' before the end of the file");
		if (e->in->lineno == 1)
			line = strip_bom(line);
		if (line.len && line.p[0] == '#')
			parse_comment(e, line);
		else if (vg_str_trim(line).len != 0)
			break;
	}
	snippet(shown, sizeof(shown), line);
	if ((rc = csv_record(&e->csv, line, err)) != VG_OK)
		return rc;
	if (!header_ok(e->csv.field, e->csv.nfields))
		return vg_error(err, VG_EINVAL,
				"line %ld: header '%s', expected 'cve,epss,percentile'",
				e->csv.line, shown);
	return VG_OK;
}

static int
begin(struct epss *e, struct vg_feed_source *src, struct vg_err *err)
{
	const char *snap = NULL;

	if (e->score_date[0]) {
		snap = e->score_date;
	} else if (e->comment_date[0]) {
		snap = e->comment_date;
	} else if (name_date(e->in->path, e->file_date)) {
		snap = e->file_date;
		warn(e, "no 'score_date' in the file: using the date of its name, %s", snap);
	} else {
		warn(e, "no 'score_date' in the file: the date of the scores is unknown");
	}
	*src = (struct vg_feed_source){
		.name = "epss",
		.format = FORMAT,
		.mode = VG_FEED_REPLACE,
		.version = e->version[0] ? e->version : NULL,
		.snapshot = snap,
		.path = e->in->path,
	};
	return e->sink->begin ? e->sink->begin(e->sink->ctx, src, err) : VG_OK;
}

/* ---- rows -------------------------------------------------------------------- */

static int
bad_field(const struct epss *e, const char *field, const char *what, struct vg_str s,
	  struct vg_err *err)
{
	char shown[SNIPPET_MAX];

	return vg_error(err, VG_EINVAL, "line %ld: field '%s': %s '%s'", e->csv.line, field, what,
			snippet(shown, sizeof(shown), s));
}

static int
unit_field(const struct epss *e, size_t i, const char *name, double *out, struct vg_err *err)
{
	struct vg_str s = vg_str_trim(e->csv.field[i]);

	if (!parse_decimal(s, out) || !(*out >= 0.0 && *out <= 1.0))
		return bad_field(e, name, "not a number in [0, 1]:", s, err);
	return VG_OK;
}

static int
row(struct epss *e, struct vg_err *err)
{
	char id[VG_CVE_ID_MAX + 1];
	struct vg_epss rec = {.cve_id = id};
	struct vg_str cve;
	int rc;

	if (e->csv.nfields != 3)
		return vg_error(err, VG_EINVAL,
				"line %ld: %zu field%s, expected 3 (cve,epss,percentile)",
				e->csv.line, e->csv.nfields, e->csv.nfields == 1 ? "" : "s");
	cve = vg_str_trim(e->csv.field[0]);
	if (!vg_id_is_cve(cve))
		return bad_field(e, "cve", "invalid CVE id", cve, err);
	memcpy(id, cve.p, cve.len);
	id[cve.len] = '\0';
	if ((rc = unit_field(e, 1, "epss", &rec.probability, err)) != VG_OK ||
	    (rc = unit_field(e, 2, "percentile", &rec.percentile, err)) != VG_OK)
		return rc;
	e->n++;
	return e->sink->epss ? e->sink->epss(e->sink->ctx, &rec, err) : VG_OK;
}

static int
read_rows(struct epss *e, struct vg_err *err)
{
	int rc;

	while ((rc = csv_next(&e->csv, err)) == 1) {
		/* A blank line (a trailing one, typically) carries nothing. */
		if (e->csv.nfields == 1 && vg_str_trim(e->csv.field[0]).len == 0)
			continue;
		if ((rc = row(e, err)) != VG_OK)
			return rc;
	}
	return rc;
}

/* ---- the importer ------------------------------------------------------------ */

static int
epss_probe(const struct vg_sniff *s)
{
	struct vg_str head = vg_str_n(s->head, s->len), line;
	size_t pos = 0;
	bool model = false;

	if (s->kind != VG_SNIFF_TEXT || !s->head)
		return 0;
	for (int n = 0; n < 16 && vg_str_next_line(head, &pos, &line); n++) {
		if (n == 0)
			line = strip_bom(line);
		if (line.len && line.p[0] == '#') {
			model = model ||
				(line.len >= 15 && memcmp(line.p, "#model_version:", 15) == 0);
			continue;
		}
		if (vg_str_trim(line).len == 0)
			continue;
		/* FIRST's metadata line alone is still EPSS: the import then says what is wrong. */
		return line_is_header(line) ? 100 : model ? 50 : 0;
	}
	return model ? 50 : 0;
}

static int
epss_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct epss e = {.in = in, .sink = sink};
	struct vg_feed_source src;
	int rc;

	csv_init(&e.csv, in, VG_FEED_MAX_LINE);
	rc = read_head(&e, err);
	if (rc == VG_OK)
		rc = begin(&e, &src, err);
	if (rc == VG_OK)
		rc = read_rows(&e, err);
	if (rc == VG_OK && sink->end)
		rc = sink->end(sink->ctx, &src, e.n, err);
	csv_release(&e.csv);
	return rc;
}

const struct vg_importer vg_imp_epss = {
	.format = FORMAT,
	.description = "FIRST EPSS daily scores (CSV, plain or gzip)",
	.probe = epss_probe,
	.import = epss_import,
};
