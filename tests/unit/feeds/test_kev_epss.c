/*
 * test_kev_epss.c - unit tests of src/feeds/kev.c and src/feeds/epss.c
 * (with the CSV reader inside epss.c).
 *
 * Real data: the whole CISA KEV catalog and the whole EPSS day in
 * ../shared/data; expected values were read from the files with python3,
 * grep and sed (each constant says how).  Malformed inputs are made from
 * the real files by changing one field, in memory or in a temporary file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "feeds/feed.h"
#include "feeds/importers.h"
#include "vgtest.h"

#define KEV_PATH  "kev/known_exploited_vulnerabilities.json"
#define EPSS_PATH "epss/epss_scores-2026-08-16.csv"
#define EPSS_FIX  "epss/fixtures/"

/* python3: d = json.load(...); d["count"] == len(d["vulnerabilities"]) == 1404 */
#define KEV_COUNT 1404
/* wc -l: 360,144 lines = the "#" comment + the header + 360,142 rows (SOURCES.md agrees) */
#define EPSS_ROWS 360142

/* ---- an in-memory sink that checks the call protocol ------------------------- */

struct kev_rec {
	char *cve, *vendor, *product, *name, *added, *due, *action, *desc;
	bool ransomware;
	char *cwes; /* joined with ',' */
};

struct epss_rec {
	char cve[32];
	double p, pct;
};

struct tsink {
	int begins, ends;
	char *name, *format, *version, *snapshot;
	enum vg_feed_mode mode;
	uint64_t end_n;
	struct kev_rec *kev;
	size_t nkev;
	struct epss_rec *epss;
	size_t nepss, cap;
	int nwarn;
	char warn[512]; /* the first warning */
	int fail_after; /* > 0: the sink fails on that record (1-based) */
};

static char *
dup_or_null(const char *s)
{
	return s ? vg_xstrdup(s) : NULL;
}

static int
t_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct tsink *t = ctx;

	(void)err;
	assert_int_equal(t->begins, 0);
	t->begins++;
	t->name = dup_or_null(src->name);
	t->format = dup_or_null(src->format);
	t->version = dup_or_null(src->version);
	t->snapshot = dup_or_null(src->snapshot);
	t->mode = src->mode;
	return VG_OK;
}

static int
t_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct tsink *t = ctx;

	(void)err;
	assert_int_equal(t->begins, 1);
	assert_int_equal(t->ends, 0);
	assert_string_equal(src->name, t->name);
	t->ends++;
	t->end_n = n;
	return VG_OK;
}

static int
t_kev(void *ctx, const struct vg_kev *k, struct vg_err *err)
{
	struct tsink *t = ctx;
	struct kev_rec *r;
	struct vg_buf b;

	assert_int_equal(t->begins, 1);
	if (t->fail_after && (int)t->nkev + 1 == t->fail_after)
		return vg_error(err, VG_EIO, "sink failed");
	t->kev = vg_xreallocarray(t->kev, t->nkev + 1, sizeof(*t->kev));
	r = &t->kev[t->nkev++];
	r->cve = dup_or_null(k->cve_id);
	r->vendor = dup_or_null(k->vendor);
	r->product = dup_or_null(k->product);
	r->name = dup_or_null(k->name);
	r->added = dup_or_null(k->date_added);
	r->due = dup_or_null(k->due_date);
	r->action = dup_or_null(k->required_action);
	r->desc = dup_or_null(k->description);
	r->ransomware = k->ransomware;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	for (size_t i = 0; i < k->ncwes; i++)
		assert_int_equal(vg_buf_addf(&b, "%s%s", i ? "," : "", k->cwes[i]), VG_OK);
	r->cwes = vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	return VG_OK;
}

static int
t_epss(void *ctx, const struct vg_epss *e, struct vg_err *err)
{
	struct tsink *t = ctx;

	(void)err;
	assert_int_equal(t->begins, 1);
	assert_true(strlen(e->cve_id) < sizeof(t->epss[0].cve));
	if (t->nepss == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->epss = vg_xreallocarray(t->epss, t->cap, sizeof(*t->epss));
	}
	memset(&t->epss[t->nepss], 0, sizeof(t->epss[0]));
	snprintf(t->epss[t->nepss].cve, sizeof(t->epss[0].cve), "%s", e->cve_id);
	t->epss[t->nepss].p = e->probability;
	t->epss[t->nepss].pct = e->percentile;
	t->nepss++;
	return VG_OK;
}

static void
t_warn(void *ctx, const char *msg)
{
	struct tsink *t = ctx;

	if (t->nwarn++ == 0)
		snprintf(t->warn, sizeof(t->warn), "%s", msg);
}

static struct vg_feed_sink
sink_of(struct tsink *t)
{
	return (struct vg_feed_sink){
		.ctx = t,
		.begin = t_begin,
		.kev = t_kev,
		.epss = t_epss,
		.end = t_end,
		.warn = t_warn,
	};
}

static void
tsink_release(struct tsink *t)
{
	for (size_t i = 0; i < t->nkev; i++) {
		struct kev_rec *r = &t->kev[i];

		free(r->cve), free(r->vendor), free(r->product), free(r->name);
		free(r->added), free(r->due), free(r->action), free(r->desc), free(r->cwes);
	}
	free(t->kev);
	free(t->epss);
	free(t->name), free(t->format), free(t->version), free(t->snapshot);
	memset(t, 0, sizeof(*t));
}

/* Import @data (a copy of a real file, or a snippet) from memory with importer @imp. */
static int
import_mem(const struct vg_importer *imp, const char *name, const char *data, size_t len,
	   struct tsink *t, struct vg_err *err)
{
	struct vg_feed_sink sink = sink_of(t);
	struct vg_feed_in in;
	int rc;

	vg_feed_in_open_mem(&in, name, data, len);
	vg_err_clear(err);
	rc = imp->import(&in, &sink, err);
	vg_feed_in_close(&in);
	return rc;
}

static int
import_path(const char *path, struct tsink *t, struct vg_err *err)
{
	struct vg_feed_sink sink = sink_of(t);

	vg_err_clear(err);
	return vg_feed_import_file(path, &sink, NULL, NULL, err);
}

/* Whole shared file in memory (caller frees). */
static char *
slurp_shared(const char *rel, size_t *len)
{
	char *path = vgt_shared_path(rel);
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	data = vg_xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	free(path);
	*len = (size_t)n;
	return data;
}

/* @data with the first occurrence of @old after @after replaced by @new (caller frees). */
static char *
replace_after(const char *data, const char *after, const char *old, const char *new, size_t *len)
{
	const char *a = strstr(data, after), *p;
	struct vg_buf b;

	assert_non_null(a);
	p = strstr(a, old);
	assert_non_null(p);
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_add(&b, data, (size_t)(p - data)), VG_OK);
	assert_int_equal(vg_buf_addstr(&b, new), VG_OK);
	assert_int_equal(vg_buf_addstr(&b, p + strlen(old)), VG_OK);
	return vg_buf_detach(&b, len);
}

static char *
write_temp(const char *dir, const char *name, const char *data, size_t len, bool gzip)
{
	struct vg_buf b;
	char *path;

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_addf(&b, "%s/%s", dir, name), VG_OK);
	path = vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	if (gzip) {
		gzFile gz = gzopen(path, "wb6");

		assert_non_null(gz);
		assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
		assert_int_equal(gzclose(gz), Z_OK);
	} else {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	return path;
}

static char *
temp_dir(void)
{
	char tmpl[] = "/tmp/vg-test-kev-epss-XXXXXX";
	char *dir = mkdtemp(tmpl);

	assert_non_null(dir);
	return vg_xstrdup(dir);
}

static const struct kev_rec *
find_kev(const struct tsink *t, const char *cve)
{
	for (size_t i = 0; i < t->nkev; i++)
		if (strcmp(t->kev[i].cve, cve) == 0)
			return &t->kev[i];
	return NULL;
}

/* ---- KEV ------------------------------------------------------------------------ */

static void
kev_real_catalog(void **state)
{
	char *path = vgt_shared_path(KEV_PATH);
	struct tsink t = {0};
	struct vg_err err;
	const struct kev_rec *r;
	size_t known = 0;

	(void)state;
	assert_int_equal(import_path(path, &t, &err), VG_OK);
	assert_int_equal(t.begins, 1);
	assert_int_equal(t.ends, 1);
	assert_string_equal(t.name, "kev");
	assert_string_equal(t.format, "kev-json");
	assert_int_equal(t.mode, VG_FEED_REPLACE);
	/* The header: catalogVersion and dateReleased as written. */
	assert_string_equal(t.version, "2025.08.25");
	assert_string_equal(t.snapshot, "2025-08-25T17:04:19.9796Z");
	assert_int_equal(t.nkev, KEV_COUNT);
	assert_int_equal(t.end_n, KEV_COUNT);
	assert_int_equal(t.nwarn, 0); /* "count" matches, every member present */
	/* python3: Counter(knownRansomwareCampaignUse) == {'Unknown': 1111, 'Known': 293} */
	for (size_t i = 0; i < t.nkev; i++)
		known += t.kev[i].ransomware;
	assert_int_equal(known, 293);

	/* vulnerabilities[0], the newest entry. */
	r = &t.kev[0];
	assert_string_equal(r->cve, "CVE-2025-48384");
	assert_string_equal(r->vendor, "Git");
	assert_string_equal(r->product, "Git");
	assert_string_equal(r->name, "Git Link Following Vulnerability");
	assert_string_equal(r->added, "2025-08-25");
	assert_string_equal(r->due, "2025-09-15");
	assert_false(r->ransomware);
	assert_string_equal(r->cwes, "CWE-59,CWE-436");
	assert_string_equal(r->desc, "Git contains a link following vulnerability that stems from "
				     "Git\xE2\x80\x99s inconsistent handling of carriage return "
				     "characters in configuration files.");
	assert_string_equal(r->action,
			    "Apply mitigations per vendor instructions, follow applicable BOD "
			    "22-01 guidance for cloud services, or discontinue use of the product "
			    "if mitigations are unavailable.");

	/* vulnerabilities[20]: known ransomware use. */
	r = find_kev(&t, "CVE-2025-49704");
	assert_non_null(r);
	assert_ptr_equal(r, &t.kev[20]);
	assert_string_equal(r->vendor, "Microsoft");
	assert_string_equal(r->product, "SharePoint");
	assert_string_equal(r->name, "Microsoft SharePoint Code Injection Vulnerability");
	assert_string_equal(r->added, "2025-07-22");
	assert_string_equal(r->due, "2025-07-23");
	assert_true(r->ransomware);
	assert_string_equal(r->cwes, "CWE-94");

	/* vulnerabilities[1403], the oldest: quotes in the description. */
	r = &t.kev[KEV_COUNT - 1];
	assert_string_equal(r->cve, "CVE-2020-29583");
	assert_string_equal(r->vendor, "Zyxel");
	assert_string_equal(r->product, "Multiple Products");
	assert_string_equal(r->name,
			    "Zyxel Multiple Products Use of Hard-Coded Credentials Vulnerability");
	assert_string_equal(r->added, "2021-11-03");
	assert_string_equal(r->due, "2022-05-03");
	assert_false(r->ransomware);
	assert_string_equal(r->cwes, "CWE-522");
	assert_string_equal(r->desc, "Zyxel firewalls (ATP, USG, VM) and AP Controllers (NXC2500 "
				     "and NXC5500) contain a use of hard-coded credentials "
				     "vulnerability in an undocumented account (\"zyfwp\") with an "
				     "unchangeable password.");
	assert_string_equal(r->action, "Apply updates per vendor instructions.");
	tsink_release(&t);
	free(path);
}

struct kev_break {
	const char *after, *old, *new;
	int rc;
	const char *msg; /* expected substring of the error, or of the first warning */
};

static void
kev_malformed(void **state)
{
	static const struct kev_break cases[] = {
		{"\"CVE-2020-29583\"", "\"dueDate\": \"2022-05-03\"", "\"dueDate\": \"2022-13-03\"",
		 VG_EINVAL,
		 "vulnerabilities[1403] (CVE-2020-29583): field 'dueDate': invalid date "
		 "'2022-13-03'"},
		{"\"CVE-2020-29583\"", "\"dateAdded\": \"2021-11-03\"",
		 "\"dateAdded\": \"2021-02-29\"", VG_EINVAL,
		 "vulnerabilities[1403] (CVE-2020-29583): field 'dateAdded'"},
		{"\"vulnerabilities\"", "\"CVE-2025-49704\"", "\"CVE-2025-497\"", VG_EINVAL,
		 "vulnerabilities[20]: field 'cveID': invalid CVE id 'CVE-2025-497'"},
		{"\"CVE-2025-49704\"", "\"knownRansomwareCampaignUse\": \"Known\"",
		 "\"knownRansomwareCampaignUse\": true", VG_EINVAL,
		 "vulnerabilities[20] (CVE-2025-49704): field 'knownRansomwareCampaignUse': "
		 "expected a string"},
		{"\"CVE-2025-48384\"", "\"product\": \"Git\"", "\"product\": 7", VG_EINVAL,
		 "vulnerabilities[0] (CVE-2025-48384): field 'product': expected a string"},
		{"\"vulnerabilities\"", "\"cveID\": \"CVE-2025-48384\",", "", VG_EINVAL,
		 "vulnerabilities[0]: field 'cveID': missing"},
		{"\"CVE-2025-48384\"", "\"cwes\": [", "\"cwes\": \"CWE-59\", \"x\": [", VG_EINVAL,
		 "field 'cwes': expected an array"},
		/* Warnings only: the import goes on. */
		{"\"title\"", "\"count\": 1404", "\"count\": 1405", VG_OK,
		 "'count' is 1405 but the catalog holds 1404 records"},
		{"\"CVE-2025-48384\"", "\"CWE-436\"", "\"CWE436\"", VG_OK,
		 "vulnerabilities[0] (CVE-2025-48384): field 'cwes[1]': not a CWE id"},
		{"\"CVE-2025-48384\"", "\"vendorProject\": \"Git\",", "", VG_OK,
		 "vulnerabilities[0] (CVE-2025-48384): field 'vendorProject' missing"},
	};
	size_t len, blen;
	char *data = slurp_shared(KEV_PATH, &len);
	char *dir = temp_dir();

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		const struct kev_break *c = &cases[i];
		char *broken = replace_after(data, c->after, c->old, c->new, &blen);
		char *path = write_temp(dir, "kev.json", broken, blen, false);
		struct tsink t = {0};
		struct vg_err err;
		int rc = import_path(path, &t, &err);

		print_message("case %zu: rc %d: %s | %s\n", i, rc, err.msg, t.warn);
		assert_int_equal(rc, c->rc);
		if (rc != VG_OK) {
			/* vg_feed_import_file() puts the path first. */
			assert_true(strncmp(err.msg, path, strlen(path)) == 0);
			assert_non_null(strstr(err.msg, c->msg));
			assert_int_equal(t.ends, 0);
		} else {
			assert_int_equal(t.ends, 1);
			assert_non_null(strstr(t.warn, c->msg));
			assert_int_equal(t.nkev, KEV_COUNT);
		}
		assert_int_equal(unlink(path), 0);
		tsink_release(&t);
		free(path);
		free(broken);
	}
	assert_int_equal(rmdir(dir), 0);
	free(dir);
	free(data);
}

static void
kev_small(void **state)
{
	static const char one[] = "{\"vulnerabilities\": [{\"cveID\": \"CVE-2021-44228\", "
				  "\"dateAdded\": \"2021-12-10\", \"dueDate\": \"2021-12-24\", "
				  "\"vendorProject\": \"Apache\", \"product\": \"Log4j2\", "
				  "\"vulnerabilityName\": \"x\", \"requiredAction\": \"y\", "
				  "\"shortDescription\": \"z\", \"knownRansomwareCampaignUse\": "
				  "\"Known\", \"cwes\": []}], \"catalogVersion\": \"late\"}";
	static const char empty_ok[] = "{\"catalogVersion\": \"1\", \"count\": 0, "
				       "\"vulnerabilities\": []}";
	static const char empty_bad[] = "{\"catalogVersion\": \"1\", \"vulnerabilities\": []}";
	static const char scalar[] = "{\"catalogVersion\": \"1\", \"count\": 3, "
				     "\"vulnerabilities\": \"none\"}";
	static const char object[] = "{\"catalogVersion\": \"1\", \"vulnerabilities\": {\"a\": 1}}";
	static const char notobj[] = "{\"catalogVersion\": \"1\", \"vulnerabilities\": [3]}";
	static const char badhdr[] = "{\"catalogVersion\": 2025, \"vulnerabilities\": []}";
	struct tsink t = {0};
	struct vg_err err;

	(void)state;
	/* Header after the records: begin() had NULLs, and the late header is a warning. */
	assert_int_equal(import_mem(&vg_imp_kev, "one.json", one, strlen(one), &t, &err), VG_OK);
	assert_int_equal(t.nkev, 1);
	assert_null(t.version);
	assert_null(t.snapshot);
	assert_true(t.kev[0].ransomware);
	assert_string_equal(t.kev[0].cwes, "");
	assert_int_equal(t.nwarn, 2); /* the late catalogVersion, no count */
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_kev, "e.json", empty_ok, strlen(empty_ok), &t, &err),
			 VG_OK);
	assert_int_equal(t.ends, 1);
	assert_int_equal(t.end_n, 0);
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_kev, "e.json", empty_bad, strlen(empty_bad), &t, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "no record in 'vulnerabilities'"));
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_kev, "s.json", scalar, strlen(scalar), &t, &err),
			 VG_EINVAL);
	assert_int_equal(t.begins, 0);
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_kev, "o.json", object, strlen(object), &t, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "'vulnerabilities': expected an array"));
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_kev, "n.json", notobj, strlen(notobj), &t, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "vulnerabilities[0]: expected an object"));
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_kev, "h.json", badhdr, strlen(badhdr), &t, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "field 'catalogVersion': expected a string"));
	tsink_release(&t);

	/* Truncated JSON: a syntax error from the stream, nothing ended. */
	assert_int_equal(import_mem(&vg_imp_kev, "t.json", one, 60, &t, &err), VG_EINVAL);
	assert_int_equal(t.ends, 0);
	tsink_release(&t);
}

static void
kev_sink_error_stops(void **state)
{
	char *path = vgt_shared_path(KEV_PATH);
	struct tsink t = {.fail_after = 3};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_path(path, &t, &err), VG_EIO);
	assert_non_null(strstr(err.msg, "sink failed"));
	assert_int_equal(t.nkev, 2);
	assert_int_equal(t.ends, 0);
	tsink_release(&t);
	free(path);
}

/* ---- EPSS ------------------------------------------------------------------------- */

/* A row of the real file as sed -n '<line>p' prints it. */
struct epss_row {
	size_t index; /* 0-based row index = line number - 3 */
	const char *cve;
	double p, pct;
};

static const struct epss_row epss_rows[] = {
	{0, "CVE-1999-0001", 0.03351, 0.87650},              /* line 3, the first row */
	{62406, "CVE-2014-0160", 0.99999, 0.99997},          /* grep -n: line 62409 */
	{99999, "CVE-2017-16123", 0.02005, 0.79100},         /* sed -n 100002p */
	{174500, "CVE-2021-44228", 0.99999, 1.00000},        /* grep -n: line 174503 */
	{199999, "CVE-2022-46257", 0.00566, 0.44245},        /* sed -n 200002p */
	{EPSS_ROWS - 1, "CVE-2026-74439", 0.00156, 0.05295}, /* the last line */
};

static void
check_epss_rows(const struct tsink *t)
{
	assert_int_equal(t->nepss, EPSS_ROWS);
	assert_int_equal(t->end_n, EPSS_ROWS);
	for (size_t i = 0; i < VG_ARRAY_LEN(epss_rows); i++) {
		const struct epss_row *r = &epss_rows[i];
		const struct epss_rec *e = &t->epss[r->index];

		assert_string_equal(e->cve, r->cve);
		/* Exact: the parser rounds correctly, like the compiler does for the literal. */
		assert_true(e->p == r->p);
		assert_true(e->pct == r->pct);
	}
}

/* The real day imported once from the plain file, shared by the tests below. */
static struct tsink plain_day;

static const struct tsink *
real_day(void)
{
	if (plain_day.begins == 0) {
		char *path = vgt_shared_path(EPSS_PATH);
		struct vg_err err;

		assert_int_equal(import_path(path, &plain_day, &err), VG_OK);
		free(path);
	}
	return &plain_day;
}

static int
release_real_day(void **state)
{
	(void)state;
	tsink_release(&plain_day);
	return 0;
}

static void
epss_real_day(void **state)
{
	const struct tsink *t = real_day();

	(void)state;
	assert_string_equal(t->name, "epss");
	assert_string_equal(t->format, "epss-csv");
	assert_int_equal(t->mode, VG_FEED_REPLACE);
	/* The mirror's comment records no model version, and its date as "commit date". */
	assert_null(t->version);
	assert_string_equal(t->snapshot, "2026-08-16");
	assert_int_equal(t->nwarn, 0);
	check_epss_rows(t);
}

/* Every number of the real file, parsed by the importer, equals strtod()'s reading. */
static void
epss_numbers_match_strtod(void **state)
{
	char *path = vgt_shared_path(EPSS_PATH);
	const struct tsink *t = real_day();
	char line[256];
	size_t row = 0;
	FILE *f;

	(void)state;
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* comment */
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ','), *c2;

		assert_non_null(c1);
		c2 = strchr(c1 + 1, ',');
		assert_non_null(c2);
		*c1 = '\0';
		assert_true(row < t->nepss);
		assert_string_equal(t->epss[row].cve, line);
		assert_true(t->epss[row].p == strtod(c1 + 1, NULL));
		assert_true(t->epss[row].pct == strtod(c2 + 1, NULL));
		row++;
	}
	fclose(f);
	assert_int_equal(row, EPSS_ROWS);
	free(path);
}

static void
epss_gzip_same(void **state)
{
	size_t len;
	char *data = slurp_shared(EPSS_PATH, &len);
	char *dir = temp_dir();
	char *gz = write_temp(dir, "epss_scores-2026-08-16.csv.gz", data, len, true);
	const struct tsink *plain = real_day();
	struct tsink zipped = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_path(gz, &zipped, &err), VG_OK);
	check_epss_rows(&zipped);
	assert_int_equal(zipped.nepss, plain->nepss);
	assert_memory_equal(zipped.epss, plain->epss, plain->nepss * sizeof(plain->epss[0]));
	assert_string_equal(zipped.snapshot, plain->snapshot);
	assert_null(zipped.version);
	assert_int_equal(zipped.nwarn, 0);
	assert_int_equal(unlink(gz), 0);
	assert_int_equal(rmdir(dir), 0);
	tsink_release(&zipped);
	free(gz);
	free(dir);
	free(data);
}

static void
epss_fixtures(void **state)
{
	char *ex1 = vgt_shared_path(EPSS_FIX "vunnel_example-1.csv");
	char *badhdr = vgt_shared_path(EPSS_FIX "vunnel_invalid-header.csv");
	char *nodate = vgt_shared_path(EPSS_FIX "vunnel_missing-date.csv");
	struct tsink t = {0};
	struct vg_err err;

	(void)state;
	/* FIRST's real metadata line. */
	assert_int_equal(import_path(ex1, &t, &err), VG_OK);
	assert_string_equal(t.version, "v2023.03.01");
	assert_string_equal(t.snapshot, "2025-02-20");
	assert_int_equal(t.nepss, 5);
	assert_int_equal(t.end_n, 5);
	assert_int_equal(t.nwarn, 0);
	assert_string_equal(t.epss[0].cve, "CVE-1999-0001");
	assert_true(t.epss[0].p == 0.00383 && t.epss[0].pct == 0.73075);
	assert_string_equal(t.epss[4].cve, "CVE-1999-0005");
	assert_true(t.epss[4].p == 0.91963 && t.epss[4].pct == 0.99214);
	tsink_release(&t);

	/* "invalid,header,format": refused before begin(), naming the line. */
	assert_int_equal(import_path(badhdr, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "line 2: header 'invalid,header,format', expected "
					"'cve,epss,percentile'"));
	assert_int_equal(t.begins, 0);
	tsink_release(&t);

	/* No score_date: the scores are imported, the date is unknown, and a warning says so. */
	assert_int_equal(import_path(nodate, &t, &err), VG_OK);
	assert_string_equal(t.version, "v2023.03.01");
	assert_null(t.snapshot);
	assert_int_equal(t.nepss, 5);
	assert_int_equal(t.nwarn, 1);
	assert_non_null(strstr(t.warn, "no 'score_date' in the file"));
	tsink_release(&t);
	free(ex1);
	free(badhdr);
	free(nodate);
}

struct epss_break {
	bool whole; /* in the real file (line 200002), else in a three-line file (line 3) */
	const char *row;
	const char *msg; /* after "line N: " */
};

static void
epss_broken_rows(void **state)
{
	static const struct epss_break cases[] = {
		/* The three kinds of damage, each in the real day. */
		{true, "CVE-2022-46257,1.5,0.44245\n",
		 "field 'epss': not a number in [0, 1]: '1.5'"},
		{true, "CVE-2022-46257,0.00566\n", "2 fields, expected 3 (cve,epss,percentile)"},
		{true, "CVE-22-46257,0.00566,0.44245\n",
		 "field 'cve': invalid CVE id 'CVE-22-46257'"},
		/* More of each, in a small file. */
		{false, "CVE-2022-46257,0.00566,-0.1\n",
		 "field 'percentile': not a number in [0, 1]: '-0.1'"},
		{false, "CVE-2022-46257,0.00566,1.00001\n", "field 'percentile'"},
		{false, "CVE-2022-46257,nan,0.44245\n", "field 'epss'"},
		{false, "CVE-2022-46257,0.5x,0.44245\n", "field 'epss'"},
		{false, "CVE-2022-46257,,0.44245\n", "field 'epss'"},
		{false, "CVE-2022-46257,+0.5,0.44245\n", "field 'epss'"},
		{false, "CVE-2022-46257,0x1p-3,0.44245\n", "field 'epss'"},
		{false, "CVE-2022-46257,0.00566,0.44245,x\n", "4 fields, expected 3"},
		{false, "cve-2022-46257,0.00566,0.44245\n", "field 'cve'"},
		{false, "CVE-2022-462,0.00566,0.44245\n", "field 'cve'"},
		{false, "CVE-2022-46257\",0.00566,0.44245\n", "'\"' inside an unquoted field"},
		{false, "\"CVE-2022-46257\"x,0.00566,0.44245\n",
		 "unexpected 'x' after a closing quote"},
		{false, "#comment after the header\n", "1 field, expected 3"},
	};
	static const char small[] = "cve,epss,percentile\nCVE-2022-46256,0.01938,0.78360\n";
	size_t len, blen;
	char *data = slurp_shared(EPSS_PATH, &len);
	const char *old = "CVE-2022-46257,0.00566,0.44245\n";

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		const struct epss_break *c = &cases[i];
		char *broken, want[200];
		struct tsink t = {0};
		struct vg_err err;
		struct vg_buf b;
		int rc;

		if (c->whole) {
			broken = replace_after(data, "\nCVE-2022-46257,", old, c->row, &blen);
		} else {
			vg_buf_init(&b, VG_BUF_NOLIMIT);
			assert_int_equal(vg_buf_addf(&b, "%s%s", small, c->row), VG_OK);
			broken = vg_buf_detach(&b, &blen);
		}
		rc = import_mem(&vg_imp_epss, "epss.csv", broken, blen, &t, &err);
		snprintf(want, sizeof(want), "line %d: %s", c->whole ? 200002 : 3, c->msg);
		print_message("case %zu: %s\n", i, err.msg);
		assert_int_equal(rc, VG_EINVAL);
		assert_non_null(strstr(err.msg, want));
		/* Every row before the broken one was delivered, and the import did not end. */
		assert_int_equal(t.nepss, c->whole ? 199999 : 1);
		assert_int_equal(t.ends, 0);
		tsink_release(&t);
		free(broken);
	}
	free(data);
}

static void
epss_layout_variants(void **state)
{
	/* No comment, CRLF, a BOM, blanks, upper-case header, quoted fields, blank lines. */
	static const char crlf[] = "\xEF\xBB\xBF CVE , EPSS,Percentile \r\n"
				   "CVE-2024-0001,0.5,1\r\n"
				   "\"CVE-2024-0002\",\"0.25\",0.0\r\n"
				   "\r\n"
				   " CVE-2024-12345 , 1e-5 ,1.0E0\r\n"
				   "\r\n";
	static const char twocomments[] =
		"#model_version:v2025.03.14,score_date:2025-03-14T00:00:00"
		"+0000\n#another comment 1999-01-01\ncve,epss,percentile\n"
		"CVE-2025-0001,0.00042,0.12345\n";
	static const char badscore[] = "#model_version:v1,score_date:2025-13-01T00:00:00Z\n"
				       "cve,epss,percentile\nCVE-2025-0001,0.1,0.2";
	static const char multiline[] = "cve,epss,percentile\n\"CVE-2025-\n0001\",0.1,0.2\n";
	static const char unterminated[] = "cve,epss,percentile\n\"CVE-2025-0001,0.1,0.2\n";
	static const char only_comment[] = "#model_version:v2025.03.14\n\n";
	static const char two_cols[] = "cve,epss\nCVE-2025-0001,0.1\n";
	struct tsink t = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_mem(&vg_imp_epss, "x.csv", crlf, strlen(crlf), &t, &err), VG_OK);
	assert_int_equal(t.nepss, 3);
	assert_string_equal(t.epss[0].cve, "CVE-2024-0001");
	assert_true(t.epss[0].p == 0.5 && t.epss[0].pct == 1.0);
	assert_string_equal(t.epss[1].cve, "CVE-2024-0002");
	assert_true(t.epss[1].p == 0.25 && t.epss[1].pct == 0.0);
	assert_string_equal(t.epss[2].cve, "CVE-2024-12345");
	assert_true(t.epss[2].p == 1e-5 && t.epss[2].pct == 1.0);
	assert_null(t.snapshot);
	assert_int_equal(t.nwarn, 1);
	tsink_release(&t);

	/* score_date wins over other dates in comments. */
	assert_int_equal(
		import_mem(&vg_imp_epss, "x.csv", twocomments, strlen(twocomments), &t, &err),
		VG_OK);
	assert_string_equal(t.version, "v2025.03.14");
	assert_string_equal(t.snapshot, "2025-03-14");
	assert_true(t.epss[0].p == 0.00042 && t.epss[0].pct == 0.12345);
	tsink_release(&t);

	/* An invalid score_date is a warning; the file name is the last resort. */
	assert_int_equal(import_mem(&vg_imp_epss, "/m/epss_scores-2025-01-02.csv.gz", badscore,
				    strlen(badscore), &t, &err),
			 VG_OK);
	assert_string_equal(t.snapshot, "2025-01-02");
	assert_int_equal(t.nwarn, 2);
	assert_non_null(strstr(t.warn, "ignored invalid 'score_date' '2025-13-01T00:00:00Z'"));
	assert_int_equal(t.nepss, 1); /* the last line has no newline */
	tsink_release(&t);

	/* A quoted field may span lines (RFC 4180); here that makes a bad CVE id. */
	assert_int_equal(import_mem(&vg_imp_epss, "x.csv", multiline, strlen(multiline), &t, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "line 2: field 'cve': invalid CVE id 'CVE-2025-?0001'"));
	tsink_release(&t);
	assert_int_equal(
		import_mem(&vg_imp_epss, "x.csv", unterminated, strlen(unterminated), &t, &err),
		VG_EINVAL);
	assert_non_null(strstr(err.msg, "line 2: quoted field not closed at end of file"));
	tsink_release(&t);

	assert_int_equal(
		import_mem(&vg_imp_epss, "x.csv", only_comment, strlen(only_comment), &t, &err),
		VG_EINVAL);
	assert_non_null(strstr(err.msg, "no header 'cve,epss,percentile'"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_epss, "x.csv", "", 0, &t, &err), VG_EINVAL);
	tsink_release(&t);

	/* No documented FIRST header other than cve,epss,percentile: refused. */
	assert_int_equal(import_mem(&vg_imp_epss, "x.csv", two_cols, strlen(two_cols), &t, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "line 1: header 'cve,epss'"));
	tsink_release(&t);
}

/* RFC 4180 quoting, seen through the importer: fields are unescaped before they are checked. */
static void
epss_quoting(void **state)
{
	static const struct {
		const char *text;
		const char *msg; /* NULL: accepted */
	} cases[] = {
		{"\"cve\",\"epss\",\"percentile\"\n\"CVE-2024-0001\",\"0.5\",\"0.25\"\n", NULL},
		/* The comma stays inside the quoted field. */
		{"cve,epss,percentile\nCVE-2024-0001,\"0,5\",0.25\n",
		 "line 2: field 'epss': not a number in [0, 1]: '0,5'"},
		/* "" is one quote. */
		{"cve,epss,percentile\n\"CVE-2024-\"\"1\",0.5,0.25\n",
		 "line 2: field 'cve': invalid CVE id 'CVE-2024-\"1'"},
		/* A quoted field spans lines; the error names the line the record starts on. */
		{"cve,epss,percentile\nCVE-2024-0001,0.5,0.25\n\"CVE-2024-\n0002\",0.5,0.25\n",
		 "line 3: field 'cve': invalid CVE id 'CVE-2024-?0002'"},
		{"cve,epss,percentile\n\"CVE-2024-0001,0.1,0.2\n",
		 "line 2: quoted field not closed at end of file"},
		{"cve,epss,percentile\n,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
		 "line 2: more than 64 fields"},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct tsink t = {0};
		struct vg_err err;
		int rc = import_mem(&vg_imp_epss, "q.csv", cases[i].text, strlen(cases[i].text), &t,
				    &err);

		print_message("case %zu: %s\n", i, rc ? err.msg : "ok");
		if (!cases[i].msg) {
			assert_int_equal(rc, VG_OK);
			assert_int_equal(t.nepss, 1);
			assert_string_equal(t.epss[0].cve, "CVE-2024-0001");
			assert_true(t.epss[0].p == 0.5 && t.epss[0].pct == 0.25);
		} else {
			assert_int_equal(rc, VG_EINVAL);
			assert_non_null(strstr(err.msg, cases[i].msg));
		}
		tsink_release(&t);
	}
}

/* ---- detection -------------------------------------------------------------------- */

static void
detection(void **state)
{
	static const struct {
		const char *rel;
		const struct vg_importer *imp;
	} files[] = {
		{KEV_PATH, &vg_imp_kev},
		{EPSS_PATH, &vg_imp_epss},
		{EPSS_FIX "vunnel_example-1.csv", &vg_imp_epss},
		{EPSS_FIX "vunnel_missing-date.csv", &vg_imp_epss},
		/* Chosen on FIRST's metadata line, so that the import says what is wrong. */
		{EPSS_FIX "vunnel_invalid-header.csv", &vg_imp_epss},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(files); i++) {
		char *path = vgt_shared_path(files[i].rel);
		const struct vg_importer *imp = NULL;
		struct vg_err err;

		assert_int_equal(vg_feed_detect(path, &imp, &err), VG_OK);
		assert_ptr_equal(imp, files[i].imp);
		free(path);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kev_real_catalog), cmocka_unit_test(kev_malformed),
		cmocka_unit_test(kev_small),        cmocka_unit_test(kev_sink_error_stops),
		cmocka_unit_test(epss_real_day),    cmocka_unit_test(epss_numbers_match_strtod),
		cmocka_unit_test(epss_gzip_same),   cmocka_unit_test(epss_fixtures),
		cmocka_unit_test(epss_broken_rows), cmocka_unit_test(epss_layout_variants),
		cmocka_unit_test(epss_quoting),     cmocka_unit_test(detection),
	};

	return cmocka_run_group_tests(tests, NULL, release_real_day);
}
