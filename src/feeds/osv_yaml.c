/*
 * osv_yaml.c - OSV records written in YAML, as pypa/advisory-database keeps
 * them (vulns/<package>/PYSEC-*.yaml).
 *
 * libyaml's event parser reads the input through vg_feed_in (plain or
 * gzip) and each YAML document becomes a jansson tree, which the shared
 * mapping (osv.c) turns into records.  Scalars stay strings, as OSV wants
 * them ("introduced: 0", "fixed: 1.10" and dates are versions and
 * timestamps, not numbers); a plain empty, "~" or "null" scalar is null.
 * Aliases are refused (they are the way to blow a small file up into a huge
 * tree and OSV never needs them), nesting is capped at VG_JS_MAX_DEPTH, and
 * one document may not take more than VG_FEED_MAX_RECORD bytes of input or
 * of tree.
 */
#include <jansson.h>
#include <string.h>
#include <yaml.h>

#include "core/alloc.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"
#include "feeds/osv_int.h"

/* Tree bytes charged per node besides its text, a rough jansson node size. */
#define NODE_COST 48

struct yaml_import {
	struct vg_osv_imp imp;
	struct vg_feed_in *in;
	yaml_parser_t parser;
	struct vg_err *err;
	int read_rc; /* error of the input, reported through libyaml */
	struct vg_err read_err;
	size_t consumed;  /* bytes handed to libyaml */
	size_t doc_start; /* value of `consumed` when the current document began */
	size_t tree;      /* tree bytes of the current document */
};

static int
read_handler(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct yaml_import *y = data;
	int rc;

	*size_read = 0;
	/* The parser reads ahead a little; past the cap the document is too big anyway. */
	if (y->consumed - y->doc_start > (size_t)VG_FEED_MAX_RECORD) {
		y->read_rc = vg_error(&y->read_err, VG_ETOOBIG, "document larger than %d bytes",
				      VG_FEED_MAX_RECORD);
		return 0;
	}
	rc = vg_feed_in_read(y->in, buffer, size, size_read, &y->read_err);
	if (rc != VG_OK) {
		y->read_rc = rc;
		return 0;
	}
	y->consumed += *size_read;
	return 1;
}

/* The parser's error as "line L column C: problem (context)". */
static int
parse_error(struct yaml_import *y)
{
	const yaml_parser_t *p = &y->parser;
	int rc;

	if (y->read_rc != VG_OK)
		return vg_osv_fail(&y->imp, y->err, y->read_rc, NULL, "%s", y->read_err.msg);
	rc = vg_osv_fail(&y->imp, y->err, VG_EINVAL, NULL, "line %zu column %zu: yaml: %s%s%s",
			 p->problem_mark.line + 1, p->problem_mark.column + 1,
			 p->problem ? p->problem : "syntax error", p->context ? " " : "",
			 p->context ? p->context : "");
	if (y->err) {
		y->err->line = (int)(p->problem_mark.line + 1);
		y->err->column = (int)(p->problem_mark.column + 1);
	}
	return rc;
}

static int
next_event(struct yaml_import *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->parser, ev))
		return parse_error(y);
	return VG_OK;
}

/* Charge @bytes of tree to the document; VG_ETOOBIG past the cap. */
static int
charge(struct yaml_import *y, size_t bytes)
{
	y->tree += bytes + NODE_COST;
	if (y->tree > (size_t)VG_FEED_MAX_RECORD)
		return vg_osv_fail(&y->imp, y->err, VG_ETOOBIG, NULL,
				   "document larger than %d bytes as a tree", VG_FEED_MAX_RECORD);
	return VG_OK;
}

static int
scalar(struct yaml_import *y, const yaml_event_t *ev, json_t **out)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int rc;

	if ((rc = charge(y, len)) != VG_OK)
		return rc;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (len == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	     strcmp(v, "NULL") == 0)) {
		*out = json_null();
		return VG_OK;
	}
	*out = json_stringn(v, len);
	if (!*out)
		return vg_osv_fail(&y->imp, y->err, VG_EINVAL, NULL,
				   "line %zu: scalar is not valid UTF-8", ev->start_mark.line + 1);
	return VG_OK;
}

static int build_node(struct yaml_import *y, const yaml_event_t *ev, int depth, json_t **out);

/* Read the children of a sequence or mapping up to its end event. */
static int
build_children(struct yaml_import *y, json_t *parent, int depth)
{
	bool map = json_is_object(parent);
	yaml_event_type_t end = map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;

	for (;;) {
		yaml_event_t ev;
		char *key = NULL;
		json_t *child = NULL;
		int rc = next_event(y, &ev);

		if (rc != VG_OK)
			return rc;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return VG_OK;
		}
		if (map) {
			if (ev.type != YAML_SCALAR_EVENT ||
			    memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
				rc = vg_osv_fail(&y->imp, y->err, VG_EINVAL, NULL,
						 "line %zu: mapping key is not a plain string",
						 ev.start_mark.line + 1);
				yaml_event_delete(&ev);
				return rc;
			}
			key = vg_xstrdup((const char *)ev.data.scalar.value);
			yaml_event_delete(&ev);
			if ((rc = next_event(y, &ev)) != VG_OK) {
				free(key);
				return rc;
			}
		}
		rc = build_node(y, &ev, depth + 1, &child);
		yaml_event_delete(&ev);
		if (rc == VG_OK && map && json_object_set_new(parent, key, child) != 0)
			rc = vg_osv_fail(&y->imp, y->err, VG_EINVAL, NULL,
					 "mapping key is not valid UTF-8");
		else if (rc == VG_OK && !map)
			json_array_append_new(parent, child);
		else if (rc != VG_OK)
			json_decref(child);
		free(key);
		if (rc != VG_OK)
			return rc;
	}
}

static int
build_node(struct yaml_import *y, const yaml_event_t *ev, int depth, json_t **out)
{
	json_t *node;
	int rc;

	*out = NULL;
	if (depth > VG_JS_MAX_DEPTH)
		return vg_osv_fail(&y->imp, y->err, VG_ETOOBIG, NULL,
				   "line %zu: nesting deeper than %d", ev->start_mark.line + 1,
				   VG_JS_MAX_DEPTH);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return scalar(y, ev, out);
	case YAML_SEQUENCE_START_EVENT:
		node = json_array();
		break;
	case YAML_MAPPING_START_EVENT:
		node = json_object();
		break;
	case YAML_ALIAS_EVENT:
		return vg_osv_fail(&y->imp, y->err, VG_EINVAL, NULL,
				   "line %zu: yaml aliases are not supported",
				   ev->start_mark.line + 1);
	default:
		return vg_osv_fail(&y->imp, y->err, VG_EINVAL, NULL,
				   "line %zu: unexpected yaml event", ev->start_mark.line + 1);
	}
	if ((rc = charge(y, 0)) != VG_OK || (rc = build_children(y, node, depth)) != VG_OK) {
		json_decref(node);
		return rc;
	}
	*out = node;
	return VG_OK;
}

/* One document: build its tree and map it (an empty document is skipped). */
static int
document(struct yaml_import *y)
{
	yaml_event_t ev;
	json_t *root = NULL;
	int rc;

	vg_osv_record_start(&y->imp);
	y->tree = 0;
	if ((rc = next_event(y, &ev)) != VG_OK)
		return rc;
	rc = build_node(y, &ev, 1, &root);
	yaml_event_delete(&ev);
	if (rc == VG_OK && (rc = next_event(y, &ev)) == VG_OK) {
		/* The parser guarantees DOCUMENT-END after the root node. */
		yaml_event_delete(&ev);
		if (!json_is_null(root))
			rc = vg_osv_map_record(&y->imp, root, y->err);
	}
	json_decref(root);
	vg_osv_record_done(&y->imp);
	return rc;
}

static int
read_stream(struct yaml_import *y)
{
	for (;;) {
		yaml_event_t ev;
		yaml_event_type_t type;
		int rc = next_event(y, &ev);

		if (rc != VG_OK)
			return rc;
		type = ev.type;
		if (type == YAML_DOCUMENT_START_EVENT)
			y->doc_start = ev.start_mark.index;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			return VG_OK;
		if (type == YAML_DOCUMENT_START_EVENT && (rc = document(y)) != VG_OK)
			return rc;
	}
}

static int
osv_yaml_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct yaml_import y = {.in = in, .err = err};
	int rc;

	vg_osv_imp_init(&y.imp, in, sink, vg_imp_osv_yaml.format);
	if (!yaml_parser_initialize(&y.parser)) {
		vg_osv_imp_release(&y.imp);
		return vg_error(err, VG_ENOMEM, "%s: cannot initialise the yaml parser",
				y.imp.path);
	}
	yaml_parser_set_input(&y.parser, read_handler, &y);
	rc = vg_osv_begin(&y.imp, err);
	if (rc == VG_OK)
		rc = read_stream(&y);
	if (rc == VG_OK && y.imp.nrecords == 0)
		rc = vg_osv_fail(&y.imp, err, VG_EINVAL, NULL, "no OSV record in the yaml stream");
	if (rc == VG_OK)
		rc = vg_osv_end(&y.imp, err);
	yaml_parser_delete(&y.parser);
	vg_osv_imp_release(&y.imp);
	return rc;
}

/* Does @line start with the top-level key @key ("id:")? */
static bool
top_key(struct vg_str line, const char *key)
{
	size_t n = strlen(key);

	return line.len >= n && memcmp(line.p, key, n) == 0;
}

/*
 * Text whose top-level keys include "id:" and one of the keys only OSV has
 * next to it.  JSON (flow style) is left to the JSON importers.
 */
static int
osv_yaml_probe(const struct vg_sniff *s)
{
	static const char *const sure[] = {"affected:", "modified:", "schema_version:"};
	static const char *const likely[] = {
		"aliases:", "published:", "details:", "summary:", "withdrawn:"};
	struct vg_str data = vg_str_n(s->head, s->len), line;
	bool id = false, first = true;
	int score = 0;
	size_t pos = 0;

	if (s->kind != VG_SNIFF_TEXT)
		return 0;
	if (data.len >= 3 && memcmp(data.p, "\xEF\xBB\xBF", 3) == 0)
		pos = 3; /* UTF-8 byte order mark */
	while (vg_str_next_line(data, &pos, &line)) {
		struct vg_str t = vg_str_trim(line);

		if (t.len == 0 || t.p[0] == '#' || (first && t.p[0] == '%'))
			continue;
		if (first && (t.p[0] == '{' || t.p[0] == '['))
			return 0;
		first = false;
		if (top_key(line, "id:") && vg_str_trim(vg_str_sub(line, 3, line.len)).len > 0)
			id = true;
		for (size_t i = 0; i < VG_ARRAY_LEN(sure); i++)
			if (top_key(line, sure[i]))
				score = 100;
		for (size_t i = 0; i < VG_ARRAY_LEN(likely) && score < 60; i++)
			if (top_key(line, likely[i]))
				score = 60;
	}
	return id ? score : 0;
}

const struct vg_importer vg_imp_osv_yaml = {
	"osv-yaml",
	"OSV vulnerability records in YAML (PyPI advisory database)",
	osv_yaml_probe,
	osv_yaml_import,
};
