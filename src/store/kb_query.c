/*
 * kb_query.c - what the matcher and the reports ask the knowledge base.
 *
 * Every function reads its rows completely before calling back, so that a
 * callback may itself query the same struct vg_kb.
 */
#include "store/kb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/kb_int.h"
#include "store/sqlite_util.h"

/* Bound of a summary, in bytes (before the "..." of a cut). */
#define SUMMARY_MAX 200

/* Most ids vg_kb_vuln_info() gathers for one vulnerability. */
#define GROUP_MAX 64

/* ---- affected statements ---------------------------------------------------- */

struct aff_row {
	struct vg_kb_affected r;
	struct aff_row *next;
};

static int
read_affected(sqlite3_stmt *st, struct vg_arena *a, struct aff_row **out, struct vg_err *err)
{
	struct aff_row *r = vg_arena_alloc(a, sizeof(*r));
	const char *scheme = (const char *)sqlite3_column_text(st, 4);
	const char *status = (const char *)sqlite3_column_text(st, 5);

	if (!scheme || vg_ver_scheme_parse(vg_str_c(scheme), &r->r.a.scheme) != VG_OK || !status ||
	    vg_aff_status_parse(status, &r->r.a.status) != VG_OK)
		return vg_error(err, VG_EIO,
				"affected statement with unknown scheme '%s' or status '%s'",
				scheme ? scheme : "", status ? status : "");
	r->r.a.vuln_id = vg_sql_col_dup(st, 0, a);
	r->r.a.advisory = vg_sql_col_dup(st, 1, a);
	r->r.a.ns = vg_sql_col_dup(st, 2, a);
	r->r.a.package = vg_sql_col_dup(st, 3, a);
	r->r.a.introduced = vg_sql_col_dup(st, 6, a);
	r->r.a.fixed = vg_sql_col_dup(st, 7, a);
	r->r.a.last_affected = vg_sql_col_dup(st, 8, a);
	r->r.a.exact = vg_sql_col_dup(st, 9, a);
	r->r.a.urgency = vg_sql_col_dup(st, 10, a);
	r->r.a.note = vg_sql_col_dup(st, 11, a);
	r->r.source = vg_sql_col_dup(st, 12, a);
	*out = r;
	return VG_OK;
}

int
vg_kb_affected_each(struct vg_kb *kb, const char *ns, const char *package,
		    int (*cb)(const struct vg_kb_affected *row, void *ctx), void *ctx,
		    struct vg_err *err)
{
	struct aff_row *head = NULL, **tail = &head;
	struct vg_buf key;
	struct vg_arena a;
	sqlite3_stmt *st;
	int rc = SQLITE_OK, code;

	if (!ns || !package)
		return vg_error(err, VG_EINVAL, "affected lookup without namespace or package");
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_AFF_EACH, err);
	vg_buf_init(&key, VG_BUF_NOLIMIT);
	code = vg_kb_package_key(ns, package, &key);
	if (code != VG_OK) {
		vg_buf_release(&key);
		return vg_error(err, code, "package name '%.100s' too long", package);
	}
	vg_arena_init(&a);
	vg_sql_bind_text(st, 1, ns, &rc);
	vg_sql_bind_text(st, 2, key.p, &rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		code = read_affected(st, &a, tail, err);
		if (code != VG_OK)
			break;
		tail = &(*tail)->next;
		rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	vg_buf_release(&key);
	if (code == VG_OK && rc != SQLITE_DONE)
		code = vg_sql_error(err, kb->db, rc, "reading affected statements");
	for (struct aff_row *r = head; r && code == VG_OK; r = r->next)
		code = cb(&r->r, ctx);
	vg_arena_release(&a);
	return code;
}

int
vg_kb_ns_covered(struct vg_kb *kb, const char *ns, bool *covered, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	*covered = false;
	if (!ns)
		return vg_error(err, VG_EINVAL, "namespace lookup without a namespace");
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_NS_COVERED, err);
	vg_sql_bind_text(st, 1, ns, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*covered = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return vg_sql_error(err, kb->db, rc, "reading namespaces");
	return VG_OK;
}

/* ---- CPE configurations ----------------------------------------------------- */

struct cfg_ref {
	int64_t id;
	bool and_op;
	const char *vid;
	struct cfg_ref *next;
};

/* A configuration being rebuilt: matches in one array, nodes pointing into it. */
struct cfg_build {
	struct vg_cpe_node *nodes;
	size_t *first; /* index of each node's first match */
	size_t nnodes, capnodes;
	struct vg_cpe_match *matches;
	size_t nmatches, capmatches;
};

static void
build_release(struct cfg_build *b)
{
	free(b->nodes);
	free(b->first);
	free(b->matches);
}

static void
build_row(struct cfg_build *b, sqlite3_stmt *st, int64_t *last_node, struct vg_arena *a)
{
	int64_t node = sqlite3_column_int64(st, 0);

	if (b->nnodes == 0 || node != *last_node) {
		if (b->nnodes == b->capnodes) {
			b->capnodes = b->capnodes ? 2 * b->capnodes : 4;
			b->nodes = vg_xreallocarray(b->nodes, b->capnodes, sizeof(*b->nodes));
			b->first = vg_xreallocarray(b->first, b->capnodes, sizeof(*b->first));
		}
		b->nodes[b->nnodes] = (struct vg_cpe_node){
			.and_op = sqlite3_column_int(st, 1) != 0,
			.negate = sqlite3_column_int(st, 2) != 0,
		};
		b->first[b->nnodes++] = b->nmatches;
		*last_node = node;
	}
	if (sqlite3_column_type(st, 3) == SQLITE_NULL) /* a node without matches */
		return;
	if (b->nmatches == b->capmatches) {
		b->capmatches = b->capmatches ? 2 * b->capmatches : 8;
		b->matches = vg_xreallocarray(b->matches, b->capmatches, sizeof(*b->matches));
	}
	b->matches[b->nmatches++] = (struct vg_cpe_match){
		.criteria = vg_sql_col_dup(st, 3, a),
		.vulnerable = sqlite3_column_int(st, 4) != 0,
		.start_incl = vg_sql_col_dup(st, 5, a),
		.start_excl = vg_sql_col_dup(st, 6, a),
		.end_incl = vg_sql_col_dup(st, 7, a),
		.end_excl = vg_sql_col_dup(st, 8, a),
	};
	b->nodes[b->nnodes - 1].nmatches++;
}

static int
load_config(struct vg_kb *kb, int64_t id, struct cfg_build *b, struct vg_arena *a,
	    struct vg_err *err)
{
	int64_t last_node = 0;
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_CPE_NODES, err);
	vg_sql_bind_int(st, 1, id, &rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		build_row(b, st, &last_node, a);
		rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading a cpe configuration");
	/* The match array has stopped moving: point the nodes into it. */
	for (size_t i = 0; i < b->nnodes; i++)
		b->nodes[i].matches = b->nodes[i].nmatches ? &b->matches[b->first[i]] : NULL;
	return VG_OK;
}

static int
config_refs(struct vg_kb *kb, const char *key, struct vg_arena *a, struct cfg_ref **head,
	    struct vg_err *err)
{
	struct cfg_ref **tail = head;
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_CPE_CONFIGS, err);
	vg_sql_bind_text(st, 1, key, &rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cfg_ref *r = vg_arena_alloc(a, sizeof(*r));

		r->id = sqlite3_column_int64(st, 0);
		r->and_op = sqlite3_column_int(st, 1) != 0;
		r->vid = vg_sql_col_dup(st, 2, a);
		*tail = r;
		tail = &r->next;
		rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading cpe configurations");
	return VG_OK;
}

int
vg_kb_cpe_configs_each(struct vg_kb *kb, const char *product,
		       int (*cb)(const char *vuln_id, const struct vg_cpe_config *cfg, void *ctx),
		       void *ctx, struct vg_err *err)
{
	struct cfg_ref *head = NULL;
	struct vg_buf key;
	struct vg_arena a;
	int rc;

	if (!product)
		return vg_error(err, VG_EINVAL, "cpe lookup without a product");
	vg_buf_init(&key, VG_BUF_NOLIMIT);
	rc = vg_kb_product_key(product, &key);
	vg_arena_init(&a);
	if (rc == VG_OK)
		rc = config_refs(kb, key.p, &a, &head, err);
	vg_buf_release(&key);
	for (struct cfg_ref *r = head; r && rc == VG_OK; r = r->next) {
		struct cfg_build b = {0};
		struct vg_arena ca;

		vg_arena_init(&ca);
		rc = load_config(kb, r->id, &b, &ca, err);
		if (rc == VG_OK) {
			struct vg_cpe_config cfg = {r->and_op, b.nodes, b.nnodes};

			rc = cb(r->vid, &cfg, ctx);
		}
		build_release(&b);
		vg_arena_release(&ca);
	}
	vg_arena_release(&a);
	return rc;
}

/* ---- vulnerability information ---------------------------------------------- */

/* An id of the group, with how close it is to the one asked for. */
enum member_class {
	MEMBER_ASKED = 0, /* the id asked for */
	MEMBER_CVE = 1,   /* its CVE id */
	MEMBER_ALIAS = 2, /* an alias either way (one hop from the id or its CVE) */
};

struct group {
	const char *id[GROUP_MAX];
	int mclass[GROUP_MAX];
	size_t n;
};

/* An id found through the alias table, with the rank of the source that said it. */
struct named {
	const char *id;
	int srank;
};

struct named_list {
	struct named v[GROUP_MAX];
	size_t n;
};

/* One vuln row of a group member. */
struct vrow {
	int64_t id;
	const char *vid, *source;
	int mclass, srank;
	bool withdrawn;
	const char *summary, *description, *published, *severity;
	const char *vec[3]; /* v2, v3, v4 */
	double score[3];
};

struct vrows {
	struct vrow *v;
	size_t n, cap;
};

static bool
is_cve(const char *id)
{
	return strncmp(id, "CVE-", 4) == 0;
}

static void
group_add(struct group *g, struct vg_arena *a, const char *id, int mclass)
{
	for (size_t i = 0; i < g->n; i++) {
		if (strcmp(g->id[i], id) == 0) {
			if (mclass < g->mclass[i])
				g->mclass[i] = mclass;
			return;
		}
	}
	if (g->n == GROUP_MAX)
		return;
	g->id[g->n] = vg_arena_strdup(a, id);
	g->mclass[g->n++] = mclass;
}

/* Ids from ALIASES_OF / ALIASED_BY for @id (column 0: id, column 1: source name). */
static int
list_named(struct vg_kb *kb, enum vg_kb_stmt sid, const char *id, struct vg_arena *a,
	   struct named_list *out, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	out->n = 0;
	VG_KB_STMT_OR_FAIL(st, kb, sid, err);
	vg_sql_bind_text(st, 1, id, &rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(st, 1);

		rc = SQLITE_OK;
		if (out->n == GROUP_MAX)
			continue;
		out->v[out->n].id = vg_sql_col_dup(st, 0, a);
		out->v[out->n++].srank = vg_kb_source_rank(src ? src : "");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading aliases");
	return VG_OK;
}

/* The CVE id in @l said by the best-ranked source (first in source name order), or NULL. */
static const char *
pick_cve(const struct named_list *l)
{
	const char *best = NULL;
	int rank = 3;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].id && is_cve(l->v[i].id) && l->v[i].srank < rank) {
			best = l->v[i].id;
			rank = l->v[i].srank;
		}
	}
	return best;
}

/*
 * The group of ids describing the flaw @id names: @id itself, its CVE id,
 * the aliases @id's records list, the records that list @id or its CVE
 * as an alias.  One hop only: an advisory listing several CVEs must not
 * pull the others in.  The CVE id is @id itself, else the CVE alias its
 * records give (best-ranked source first), else one that a record naming
 * @id gives.
 */
static int
gather(struct vg_kb *kb, const char *id, struct vg_arena *a, struct group *g, const char **cve,
       struct vg_err *err)
{
	struct named_list *of = vg_arena_alloc(a, sizeof(*of));
	struct named_list *by = vg_arena_alloc(a, sizeof(*by));
	struct named_list *by_cve = vg_arena_alloc(a, sizeof(*by_cve));
	int rc;

	g->n = 0;
	by_cve->n = 0;
	group_add(g, a, id, MEMBER_ASKED);
	rc = list_named(kb, VG_KB_ST_ALIASES_OF, id, a, of, err);
	if (rc == VG_OK)
		rc = list_named(kb, VG_KB_ST_ALIASED_BY, id, a, by, err);
	if (rc != VG_OK)
		return rc;
	*cve = is_cve(id) ? id : pick_cve(of);
	if (!*cve)
		*cve = pick_cve(by);
	/* An id only other records name (a PYSEC id in a GHSA's aliases): their CVE. */
	for (size_t i = 0; i < by->n && !*cve && rc == VG_OK; i++) {
		rc = list_named(kb, VG_KB_ST_ALIASES_OF, by->v[i].id, a, by_cve, err);
		*cve = pick_cve(by_cve);
	}
	by_cve->n = 0;
	if (rc != VG_OK)
		return rc;
	if (*cve && strcmp(*cve, id) != 0) {
		group_add(g, a, *cve, MEMBER_CVE);
		rc = list_named(kb, VG_KB_ST_ALIASED_BY, *cve, a, by_cve, err);
	}
	for (size_t i = 0; i < of->n; i++)
		group_add(g, a, of->v[i].id, MEMBER_ALIAS);
	for (size_t i = 0; i < by->n; i++)
		group_add(g, a, by->v[i].id, MEMBER_ALIAS);
	for (size_t i = 0; i < by_cve->n; i++)
		group_add(g, a, by_cve->v[i].id, MEMBER_ALIAS);
	return rc;
}

static struct vrow *
vrows_add(struct vrows *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->v = vg_xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	return &r->v[r->n++];
}

static int
read_rows(struct vg_kb *kb, const char *vid, int mclass, struct vg_arena *a, struct vrows *rows,
	  struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_VULN_ROWS, err);
	vg_sql_bind_text(st, 1, vid, &rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vrow *r = vrows_add(rows);

		r->id = sqlite3_column_int64(st, 0);
		r->vid = vg_sql_col_dup(st, 1, a);
		r->source = vg_sql_col_dup(st, 2, a);
		r->mclass = mclass;
		r->srank = vg_kb_source_rank(r->source ? r->source : "");
		r->summary = vg_sql_col_dup(st, 3, a);
		r->description = vg_sql_col_dup(st, 4, a);
		r->published = vg_sql_col_dup(st, 5, a);
		r->withdrawn = sqlite3_column_int(st, 6) != 0;
		for (int i = 0; i < 3; i++) {
			r->vec[i] = vg_sql_col_dup(st, 7 + 2 * i, a);
			r->score[i] = vg_sql_col_real(st, 8 + 2 * i);
		}
		r->severity = vg_sql_col_dup(st, 13, a);
		rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading a vulnerability");
	return VG_OK;
}

/* Text order: live records first, then the id asked, its CVE, aliases; NVD, CVE 5, others. */
static int
cmp_text(const void *pa, const void *pb)
{
	const struct vrow *a = pa, *b = pb;
	int c;

	if (a->withdrawn != b->withdrawn)
		return a->withdrawn ? 1 : -1;
	if (a->mclass != b->mclass)
		return a->mclass - b->mclass;
	if (a->srank != b->srank)
		return a->srank - b->srank;
	c = strcmp(a->source, b->source);
	return c ? c : strcmp(a->vid, b->vid);
}

/* CVSS order: the flaw itself (id or CVE) before aliases, then NVD > CVE 5 > others. */
static int
cmp_cvss(const struct vrow *a, const struct vrow *b)
{
	bool fa = a->mclass >= MEMBER_ALIAS, fb = b->mclass >= MEMBER_ALIAS;

	if (a->withdrawn != b->withdrawn)
		return a->withdrawn ? 1 : -1;
	if (fa != fb)
		return fa ? 1 : -1;
	if (a->srank != b->srank)
		return a->srank - b->srank;
	return cmp_text(a, b);
}

/* The row whose vectors are used: the best with a v3 or v4 vector, else with a v2 one. */
static const struct vrow *
pick_cvss(const struct vrows *rows)
{
	const struct vrow *best = NULL;

	for (size_t i = 0; i < rows->n; i++) {
		const struct vrow *r = &rows->v[i];
		bool modern = r->vec[1] || r->vec[2];

		if (!modern && !r->vec[0])
			continue;
		if (!best || (modern && !(best->vec[1] || best->vec[2])))
			best = r;
		else if (modern == (best->vec[1] || best->vec[2]) && cmp_cvss(r, best) < 0)
			best = r;
	}
	return best;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A sentence ends at ".", "!" or "?" before white space not followed by a lower-case word. */
static bool
sentence_end(const char *p)
{
	if (*p != '.' && *p != '!' && *p != '?')
		return false;
	if (p[1] == '\0')
		return true;
	if (!is_space(p[1]))
		return false;
	p++;
	while (is_space(*p))
		p++;
	return !(*p >= 'a' && *p <= 'z');
}

/*
 * @text with white space runs collapsed, bounded to SUMMARY_MAX bytes (cut
 * at a word, or at least at a UTF-8 character, and marked "..."); when
 * @sentence, only up to the end of the first sentence or paragraph.
 */
static const char *
shorten(struct vg_arena *a, const char *text, bool sentence)
{
	char buf[SUMMARY_MAX + sizeof("...")];
	size_t len = 0, last_space = 0;
	bool space = false, cut = false;
	const char *p = text;

	while (is_space(*p))
		p++;
	for (; *p; p++) {
		if (is_space(*p)) {
			if (sentence && *p == '\n' &&
			    (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')))
				break;
			space = true;
			continue;
		}
		if (len + (space ? 2 : 1) > SUMMARY_MAX) {
			cut = true;
			break;
		}
		if (space) {
			last_space = len;
			buf[len++] = ' ';
			space = false;
		}
		buf[len++] = *p;
		if (sentence && sentence_end(p))
			break;
	}
	if (cut) {
		len = last_space > SUMMARY_MAX / 2 ? last_space : len;
		while (len > 0 && ((unsigned char)buf[len] & 0xc0) == 0x80)
			len--; /* never split a UTF-8 sequence */
		memcpy(buf + len, "...", 3);
		len += 3;
	}
	return len ? vg_arena_strndup(a, vg_str_n(buf, len)) : NULL;
}

/* Comma-separated CWEs of @rows (in text order), without duplicates. */
static int
collect_cwes(struct vg_kb *kb, const struct vrows *rows, struct vg_arena *out_arena,
	     const char **out, struct vg_err *err)
{
	struct vg_buf b;
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	*out = NULL;
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_CWES, err);
	vg_buf_init(&b, 4096);
	for (size_t i = 0; i < rows->n && rc == SQLITE_OK; i++) {
		vg_sql_bind_int(st, 1, rows->v[i].id, &rc);
		while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *cwe = (const char *)sqlite3_column_text(st, 0);
			size_t n = cwe ? strlen(cwe) : 0;
			const char *hit = n ? strstr(b.p, cwe) : NULL;

			rc = SQLITE_OK;
			/* Already there as a whole list item? */
			while (hit && !((hit == b.p || hit[-1] == ',') &&
					(hit[n] == ',' || hit[n] == '\0')))
				hit = strstr(hit + 1, cwe);
			if (!n || hit)
				continue;
			if ((b.len && vg_buf_addch(&b, ',') != VG_OK) ||
			    vg_buf_addstr(&b, cwe) != VG_OK)
				break; /* a bounded list is enough for a report */
		}
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK) {
		vg_buf_release(&b);
		return vg_sql_error(err, kb->db, rc, "reading cwes");
	}
	*out = b.len ? vg_arena_strdup(out_arena, b.p) : NULL;
	vg_buf_release(&b);
	return VG_OK;
}

/* Run a "SELECT EXISTS (...)" statement with one parameter. */
static int
exists(struct vg_kb *kb, enum vg_kb_stmt id, const char *text, int64_t num, bool *out,
       struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	*out = false;
	VG_KB_STMT_OR_FAIL(st, kb, id, err);
	if (text)
		vg_sql_bind_text(st, 1, text, &rc);
	else
		vg_sql_bind_int(st, 1, num, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return vg_sql_error(err, kb->db, rc, "reading the knowledge base");
	return VG_OK;
}

static int
read_kev(struct vg_kb *kb, const char *cve, struct vg_arena *a, struct vg_kb_vuln_info *out,
	 struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_KEV_GET, err);
	vg_sql_bind_text(st, 1, cve, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->kev = true;
		out->kev_date_added = vg_sql_col_dup(st, 0, a);
		out->kev_due_date = vg_sql_col_dup(st, 1, a);
		out->kev_ransomware = sqlite3_column_int(st, 2) != 0;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading kev");
	return VG_OK;
}

static int
read_epss(struct vg_kb *kb, const char *cve, struct vg_arena *a, struct vg_kb_vuln_info *out,
	  struct vg_err *err)
{
	sqlite3_stmt *st;
	int64_t key;
	int rc = SQLITE_OK;

	if (!vg_kb_cve_key(cve, &key))
		return VG_OK;
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_EPSS_GET, err);
	vg_sql_bind_int(st, 1, key, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->has_epss = true;
		out->epss = sqlite3_column_double(st, 0);
		out->epss_percentile = sqlite3_column_double(st, 1);
		out->epss_date = vg_sql_col_dup(st, 2, a);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading epss");
	return VG_OK;
}

/*
 * Fill the text, CVSS and severity fields of @out from @rows (sorted in
 * text order).  The summary is a source's own one from a row at least as
 * close to the id as the one the description comes from, else the
 * description's first sentence.
 */
static void
merge_rows(const struct vrows *rows, struct vg_arena *a, struct vg_kb_vuln_info *out)
{
	const struct vrow *cvss = pick_cvss(rows), *desc = NULL, *sum = NULL;

	for (size_t i = 0; i < rows->n; i++) {
		const struct vrow *r = &rows->v[i];

		if (!desc && r->description)
			desc = r;
		if (!out->published && r->published)
			out->published = vg_arena_strdup(a, r->published);
		if (!cvss && !out->severity && r->severity)
			out->severity = vg_arena_strdup(a, r->severity);
	}
	for (size_t i = 0; i < rows->n && !sum; i++)
		if (rows->v[i].summary && (!desc || rows->v[i].mclass <= desc->mclass))
			sum = &rows->v[i];
	out->description = desc ? vg_arena_strdup(a, desc->description) : NULL;
	if (sum)
		out->summary = shorten(a, sum->summary, false);
	else if (desc)
		out->summary = shorten(a, desc->description, true);
	if (!cvss)
		return;
	out->cvss_source = vg_arena_strdup(a, cvss->source);
	out->cvss_v2_vector = vg_arena_strdup(a, cvss->vec[0]);
	out->cvss_v2 = cvss->vec[0] ? cvss->score[0] : NAN;
	out->cvss_v3_vector = vg_arena_strdup(a, cvss->vec[1]);
	out->cvss_v3 = cvss->vec[1] ? cvss->score[1] : NAN;
	out->cvss_v4_vector = vg_arena_strdup(a, cvss->vec[2]);
	out->cvss_v4 = cvss->vec[2] ? cvss->score[2] : NAN;
}

static int
fill_info(struct vg_kb *kb, const char *id, struct vg_arena *tmp, struct vg_arena *arena,
	  struct vg_kb_vuln_info *out, struct vrows *rows, struct vg_err *err)
{
	struct group *g = vg_arena_alloc(tmp, sizeof(*g));
	const char *cve = NULL;
	bool flag = false;
	int rc;

	rc = gather(kb, id, tmp, g, &cve, err);
	for (size_t i = 0; i < g->n && rc == VG_OK; i++)
		rc = read_rows(kb, g->id[i], g->mclass[i], tmp, rows, err);
	if (rc != VG_OK)
		return rc;
	if (rows->n)
		qsort(rows->v, rows->n, sizeof(*rows->v), cmp_text);
	out->cve_id = vg_arena_strdup(arena, cve);
	merge_rows(rows, arena, out);
	rc = collect_cwes(kb, rows, arena, &out->cwes, err);
	for (size_t i = 0; i < rows->n && rc == VG_OK && !out->exploit_ref; i++)
		rc = exists(kb, VG_KB_ST_EXPLOIT, NULL, rows->v[i].id, &out->exploit_ref, err);
	if (rc == VG_OK && cve)
		rc = read_kev(kb, cve, arena, out, err);
	if (rc == VG_OK && cve)
		rc = read_epss(kb, cve, arena, out, err);
	out->known = rows->n > 0 || out->kev || out->has_epss;
	if (rc == VG_OK && !out->known)
		rc = exists(kb, VG_KB_ST_AFF_KNOWN, id, 0, &flag, err);
	out->known = out->known || flag;
	return rc;
}

int
vg_kb_vuln_info(struct vg_kb *kb, const char *id, struct vg_arena *arena,
		struct vg_kb_vuln_info *out, struct vg_err *err)
{
	struct vrows rows = {0};
	struct vg_arena tmp;
	int rc;

	*out = (struct vg_kb_vuln_info){0};
	out->cvss_v2 = out->cvss_v3 = out->cvss_v4 = NAN;
	out->epss = out->epss_percentile = NAN;
	if (!id || !id[0])
		return vg_error(err, VG_EINVAL, "empty vulnerability id");
	out->id = vg_arena_strdup(arena, id);
	vg_arena_init(&tmp);
	rc = fill_info(kb, id, &tmp, arena, out, &rows, err);
	free(rows.v);
	vg_arena_release(&tmp);
	return rc;
}
