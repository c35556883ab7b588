/*
 * test_cpe.c - tests of src/core/cpe.c: CPE 2.3 parsing, binding and matching.
 *
 * The vector table vectors/cpe23_matching.tsv runs in full (name relation,
 * NVD match and all eleven attribute relations of every row); the
 * hand-written tables below cover the NISTIR 7695 binding examples,
 * malformed names and the NISTIR 7696 Table 6-2 grid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpe.h"
#include "vgtest.h"

#define TABLE "vectors/cpe23_matching.tsv"

/* ---- helpers ---- */

static int
parse(const char *s, struct vg_cpe *cpe, struct vg_err *err)
{
	vg_err_clear(err);
	return vg_cpe_parse(vg_str_c(s), cpe, err);
}

static bool
all_any(const struct vg_cpe *cpe)
{
	for (int a = 0; a < VG_CPE_NATTRS; a++) {
		if (cpe->attr[a].kind != VG_CPE_ANY || cpe->attr[a].str)
			return false;
	}
	return true;
}

static bool
value_has_wildcards(const struct vg_cpe_value *v)
{
	if (v->kind != VG_CPE_VALUE)
		return false;
	for (const char *p = v->str; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '*' || *p == '?')
			return true;
	}
	return false;
}

static bool
name_has_wildcards(const struct vg_cpe *cpe)
{
	for (int a = 0; a < VG_CPE_NATTRS; a++) {
		if (value_has_wildcards(&cpe->attr[a]))
			return true;
	}
	return false;
}

/* Check "part=EQUAL,vendor=SUPERSET,..." against @rels; returns a description of the first
 * mismatch. */
static bool
attr_rels_match(const char *want, const enum vg_cpe_rel rels[VG_CPE_NATTRS], char *why,
		size_t whylen)
{
	bool seen[VG_CPE_NATTRS] = {false};
	char buf[512];
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s", want);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int a;

		if (!eq) {
			snprintf(why, whylen, "malformed attr_relations item '%s'", tok);
			return false;
		}
		*eq = '\0';
		for (a = 0; a < VG_CPE_NATTRS; a++) {
			if (strcmp(tok, vg_cpe_attr_name((enum vg_cpe_attr)a)) == 0)
				break;
		}
		if (a == VG_CPE_NATTRS) {
			snprintf(why, whylen, "unknown attribute '%s'", tok);
			return false;
		}
		seen[a] = true;
		if (strcmp(eq + 1, vg_cpe_rel_name(rels[a])) != 0) {
			snprintf(why, whylen, "%s: expected %s, got %s", tok, eq + 1,
				 vg_cpe_rel_name(rels[a]));
			return false;
		}
	}
	for (int a = 0; a < VG_CPE_NATTRS; a++) {
		if (!seen[a]) {
			snprintf(why, whylen, "attr_relations lacks '%s'",
				 vg_cpe_attr_name((enum vg_cpe_attr)a));
			return false;
		}
	}
	return true;
}

/* ---- the vector table ---- */

/* Run one row; returns false (after printing why) when it fails. */
static bool
check_row(const struct vgt_tsv *t)
{
	const char *src = vgt_tsv_get(t, "source"), *tgt = vgt_tsv_get(t, "target");
	const char *want_rel = vgt_tsv_get(t, "name_relation");
	const char *want_nvd = vgt_tsv_get(t, "nvd_match");
	const char *want_attrs = vgt_tsv_get(t, "attr_relations");
	struct vg_cpe s, g;
	struct vg_err es, eg;
	enum vg_cpe_rel rels[VG_CPE_NATTRS];
	char why[1024] = "";
	bool ok = true;
	int rs, rg;

	vg_cpe_init(&s);
	vg_cpe_init(&g);
	rs = parse(src, &s, &es);
	rg = parse(tgt, &g, &eg);
	if (strcmp(want_rel, "INVALID") == 0) {
		/* At least one name must be refused, with a message. */
		ok = (rs == VG_EINVAL && es.msg[0]) || (rg == VG_EINVAL && eg.msg[0]);
		ok = ok && (rs == VG_OK || rs == VG_EINVAL) && (rg == VG_OK || rg == VG_EINVAL);
		if (!ok)
			snprintf(why, sizeof(why), "expected a parse failure, got %d/%d", rs, rg);
	} else if (rs || rg) {
		ok = false;
		snprintf(why, sizeof(why), "parse failed: %s", rs ? es.msg : eg.msg);
	} else {
		enum vg_cpe_name_rel r = vg_cpe_compare(&s, &g, rels);
		const char *nvd = vg_cpe_matches(&s, &g) ? "true" : "false";

		if (strcmp(want_rel, vg_cpe_name_rel_name(r)) != 0) {
			ok = false;
			snprintf(why, sizeof(why), "name_relation: expected %s, got %s", want_rel,
				 vg_cpe_name_rel_name(r));
		} else if (strcmp(want_nvd, nvd) != 0) {
			ok = false;
			snprintf(why, sizeof(why), "nvd_match: expected %s, got %s", want_nvd, nvd);
		} else if (vg_cpe_compare(&s, &g, NULL) != r) {
			ok = false;
			snprintf(why, sizeof(why), "relation differs without the rels array");
		} else {
			ok = attr_rels_match(want_attrs, rels, why, sizeof(why));
		}
	}
	if (!ok)
		print_message("%s:%d: source '%s' target '%s' expected %s/%s [%s]: %s\n", TABLE,
			      t->lineno, src, tgt, want_rel, want_nvd, want_attrs, why);
	vg_cpe_release(&s);
	vg_cpe_release(&g);
	return ok;
}

static void
test_vector_table(void **state)
{
	char *path = vgt_shared_path(TABLE);
	struct vgt_tsv t;
	int rows = 0, failed = 0, invalid = 0;
	int declared = vgt_tsv_announced_rows(path);

	(void)state;
	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		rows++;
		invalid += strcmp(vgt_tsv_get(&t, "name_relation"), "INVALID") == 0;
		if (!check_row(&t))
			failed++;
	}
	vgt_tsv_close(&t);
	free(path);
	print_message("%s: %d rows (%d INVALID), %d failed\n", TABLE, rows, invalid, failed);
	assert_int_equal(failed, 0);
	vgt_assert_rows(rows, declared);
}

/*
 * Swapping source and target of names without wildcards mirrors the
 * relation: SUPERSET <-> SUBSET, the others unchanged.
 */
static void
test_vector_antisymmetry(void **state)
{
	static const enum vg_cpe_name_rel mirror[] = {
		[VG_CPE_NAME_EQUAL] = VG_CPE_NAME_EQUAL,
		[VG_CPE_NAME_SUPERSET] = VG_CPE_NAME_SUBSET,
		[VG_CPE_NAME_SUBSET] = VG_CPE_NAME_SUPERSET,
		[VG_CPE_NAME_DISJOINT] = VG_CPE_NAME_DISJOINT,
		[VG_CPE_NAME_NONE] = VG_CPE_NAME_NONE,
		[VG_CPE_NAME_INVALID] = VG_CPE_NAME_INVALID,
	};
	char *path = vgt_shared_path(TABLE);
	struct vgt_tsv t;
	int checked = 0, failed = 0;

	(void)state;
	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		struct vg_cpe s, g;

		vg_cpe_init(&s);
		vg_cpe_init(&g);
		if (parse(vgt_tsv_get(&t, "source"), &s, NULL) == VG_OK &&
		    parse(vgt_tsv_get(&t, "target"), &g, NULL) == VG_OK &&
		    !name_has_wildcards(&s) && !name_has_wildcards(&g)) {
			enum vg_cpe_name_rel ab = vg_cpe_compare(&s, &g, NULL);
			enum vg_cpe_name_rel ba = vg_cpe_compare(&g, &s, NULL);

			checked++;
			if (mirror[ab] != ba) {
				failed++;
				print_message("%s:%d: %s one way, %s the other\n", TABLE, t.lineno,
					      vg_cpe_name_rel_name(ab), vg_cpe_name_rel_name(ba));
			}
		}
		vg_cpe_release(&s);
		vg_cpe_release(&g);
	}
	vgt_tsv_close(&t);
	free(path);
	assert_true(checked > 0);
	assert_int_equal(failed, 0);
}

/* Every name of the table binds to both forms, and each binding parses back to an EQUAL name. */
static void
test_vector_round_trip(void **state)
{
	char *path = vgt_shared_path(TABLE);
	struct vgt_tsv t;
	int checked = 0;

	(void)state;
	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		const char *names[] = {vgt_tsv_get(&t, "source"), vgt_tsv_get(&t, "target")};

		for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
			struct vg_cpe cpe, again;
			struct vg_buf fs, uri, fs2;
			struct vg_err err;

			vg_cpe_init(&cpe);
			vg_cpe_init(&again);
			if (parse(names[i], &cpe, NULL) != VG_OK)
				continue;
			checked++;
			vg_buf_init(&fs, VG_CPE_MAX_LEN);
			vg_buf_init(&fs2, VG_CPE_MAX_LEN);
			vg_buf_init(&uri, VG_CPE_MAX_LEN);
			assert_int_equal(vg_cpe_bind_fs(&cpe, &fs), VG_OK);
			assert_int_equal(vg_cpe_bind_uri(&cpe, &uri), VG_OK);
			if (vg_cpe_parse(vg_buf_str(&fs), &again, &err) != VG_OK)
				fail_msg("%s:%d: '%s' does not parse: %s", TABLE, t.lineno, fs.p,
					 err.msg);
			assert_int_equal(vg_cpe_bind_fs(&again, &fs2), VG_OK);
			assert_string_equal(fs.p, fs2.p);
			if (vg_cpe_parse(vg_buf_str(&uri), &again, &err) != VG_OK)
				fail_msg("%s:%d: '%s' does not parse: %s", TABLE, t.lineno, uri.p,
					 err.msg);
			/* The URI carries the whole name, so the names are EQUAL. */
			if (!name_has_wildcards(&cpe))
				assert_int_equal(vg_cpe_compare(&cpe, &again, NULL),
						 VG_CPE_NAME_EQUAL);
			vg_buf_reset(&fs2);
			assert_int_equal(vg_cpe_bind_fs(&again, &fs2), VG_OK);
			assert_string_equal(fs.p, fs2.p);
			vg_buf_release(&fs);
			vg_buf_release(&fs2);
			vg_buf_release(&uri);
			vg_cpe_release(&cpe);
			vg_cpe_release(&again);
		}
	}
	vgt_tsv_close(&t);
	free(path);
	assert_true(checked > 0);
}

/* ---- binding ---- */

/* Formatted string in, canonical formatted string out (NISTIR 7695 §6.2.2 and §6.2.3). */
static void
test_fs_round_trip(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
		 "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"},
		{"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
		 "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*"},
		{"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
		 "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*"},
		{"cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*",
		 "cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*"},
		{"cpe:2.3:a:foo\\:bar:big\\$money_manager_2010:*:*:*:*:*:*:*:*",
		 "cpe:2.3:a:foo\\:bar:big\\$money_manager_2010:*:*:*:*:*:*:*:*"},
		/* Letters are lower-cased; unquoted punctuation gains its quoting. */
		{"CPE:2.3:a:Microsoft:Internet_Explorer:8.0:SP2:*:*:*:*:*:*",
		 "cpe:2.3:a:microsoft:internet_explorer:8.0:sp2:*:*:*:*:*:*"},
		{"cpe:2.3:a:big$money:c++:1.0!:*:*:*:*:*:*:*",
		 "cpe:2.3:a:big\\$money:c\\+\\+:1.0\\!:*:*:*:*:*:*:*"},
		/* Quoting '.', '-' or '_' in a formatted string is redundant. */
		{"cpe:2.3:a:foo\\_bar:x\\.y\\-z:1\\.0:*:*:*:*:*:*:*",
		 "cpe:2.3:a:foo_bar:x.y-z:1.0:*:*:*:*:*:*:*"},
		/* A quoted backslash followed by a separator, and a quoted star. */
		{"cpe:2.3:a:foo\\\\:bar:1.0\\*:*:*:*:*:*:*:*",
		 "cpe:2.3:a:foo\\\\:bar:1.0\\*:*:*:*:*:*:*:*"},
		{"cpe:2.3:o:microsoft:windows_?:*:*:*:*:home*:-:x64:-",
		 "cpe:2.3:o:microsoft:windows_?:*:*:*:*:home*:-:x64:-"},
		{"cpe:2.3:a:vendor:*product:1.2.3??:??beta:*:*:*:*:*:*",
		 "cpe:2.3:a:vendor:*product:1.2.3??:??beta:*:*:*:*:*:*"},
		{"cpe:2.3:h:cisco:asa_5505:-:*:*:*:*:*:*:*",
		 "cpe:2.3:h:cisco:asa_5505:-:*:*:*:*:*:*:*"},
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_cpe cpe;
		struct vg_buf b;
		struct vg_err err;

		vg_cpe_init(&cpe);
		vg_buf_init(&b, VG_BUF_NOLIMIT);
		if (parse(cases[i].in, &cpe, &err) != VG_OK)
			fail_msg("'%s': %s", cases[i].in, err.msg);
		assert_int_equal(vg_cpe_bind_fs(&cpe, &b), VG_OK);
		assert_string_equal(b.p, cases[i].out);
		/* Parsing the output again gives the same name. */
		vg_cpe_release(&cpe);
		assert_int_equal(parse(b.p, &cpe, &err), VG_OK);
		vg_buf_reset(&b);
		assert_int_equal(vg_cpe_bind_fs(&cpe, &b), VG_OK);
		assert_string_equal(b.p, cases[i].out);
		vg_buf_release(&b);
		vg_cpe_release(&cpe);
	}
}

/* The WFN values unbind_fs and unbind_uri produce (NISTIR 7695 §6.2.3 and §6.1.3 examples). */
static void
test_wfn_values(void **state)
{
	static const struct {
		const char *name;
		enum vg_cpe_attr attr;
		enum vg_cpe_value_kind kind;
		const char *wfn;
	} cases[] = {
		{"cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", VG_CPE_VERSION,
		 VG_CPE_VALUE, "8\\.0\\.6001"},
		{"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", VG_CPE_VERSION,
		 VG_CPE_VALUE, "8\\.*"},
		{"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", VG_CPE_UPDATE,
		 VG_CPE_VALUE, "sp?"},
		{"cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:*:*:*:*", VG_CPE_VENDOR,
		 VG_CPE_VALUE, "foo\\\\bar"},
		{"cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:*:*:*:*", VG_CPE_PRODUCT,
		 VG_CPE_VALUE, "big\\$money_2010"},
		{"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
		 VG_CPE_UPDATE, VG_CPE_NA, NULL},
		{"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
		 VG_CPE_EDITION, VG_CPE_ANY, NULL},
		{"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
		 VG_CPE_TARGET_HW, VG_CPE_VALUE, "x64"},
		{"cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f", VG_CPE_VERSION, VG_CPE_VALUE,
		 "8\\.\\*"},
		{"cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f", VG_CPE_UPDATE, VG_CPE_VALUE,
		 "sp\\?"},
		{"cpe:/a:microsoft:internet_explorer:8.%02:sp%01", VG_CPE_VERSION, VG_CPE_VALUE,
		 "8\\.*"},
		{"cpe:/a:microsoft:internet_explorer:8.%02:sp%01", VG_CPE_UPDATE, VG_CPE_VALUE,
		 "sp?"},
		{"cpe:/a:microsoft:internet_explorer%01%01%01%01:beta", VG_CPE_PRODUCT,
		 VG_CPE_VALUE, "internet_explorer????"},
		{"cpe:/a:foo~bar:big%7emoney_2010", VG_CPE_VENDOR, VG_CPE_VALUE, "foo\\~bar"},
		{"cpe:/a:foo~bar:big%7emoney_2010", VG_CPE_PRODUCT, VG_CPE_VALUE,
		 "big\\~money_2010"},
		{"cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~", VG_CPE_UPDATE, VG_CPE_NA,
		 NULL},
		{"cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~", VG_CPE_TARGET_SW,
		 VG_CPE_VALUE, "linux"},
		{"cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~", VG_CPE_OTHER, VG_CPE_ANY,
		 NULL},
		{"cpe:/a:hp:openview_network_manager:7.51:-:~-~~linux~~", VG_CPE_EDITION, VG_CPE_NA,
		 NULL},
		{"cpe:/a:foo:bar:1.0:-:~a~b~c~d~e~f", VG_CPE_OTHER, VG_CPE_VALUE, "e\\~f"},
		{"cpe:/a:foo:bar", VG_CPE_LANGUAGE, VG_CPE_ANY, NULL},
		{"cpe:/a:foo:bar::::en-us", VG_CPE_LANGUAGE, VG_CPE_VALUE, "en\\-us"},
		{"cpe:/A:Foo%2A:bar", VG_CPE_VENDOR, VG_CPE_VALUE, "foo\\*"},
		{"cpe:2.3:a:\\-foo:bar:*:*:*:*:*:*:*:*", VG_CPE_VENDOR, VG_CPE_VALUE, "\\-foo"},
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_cpe cpe;
		struct vg_err err;
		const struct vg_cpe_value *v;

		vg_cpe_init(&cpe);
		if (parse(cases[i].name, &cpe, &err) != VG_OK)
			fail_msg("'%s': %s", cases[i].name, err.msg);
		v = &cpe.attr[cases[i].attr];
		if (v->kind != cases[i].kind)
			fail_msg("'%s' %s: kind %d, expected %d", cases[i].name,
				 vg_cpe_attr_name(cases[i].attr), v->kind, cases[i].kind);
		if (cases[i].wfn)
			assert_string_equal(v->str, cases[i].wfn);
		else
			assert_null(v->str);
		vg_cpe_release(&cpe);
	}
}

/* URI <-> formatted string (NISTIR 7695 §6.1.2, §6.1.3 and §6.2.2 examples). */
static void
test_uri_fs(void **state)
{
	static const struct {
		const char *uri, *fs;
	} cases[] = {
		{"cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
		 "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"},
		{"cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
		 "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*"},
		{"cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
		 "cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp\\?:*:*:*:*:*:*"},
		{"cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~",
		 "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*"},
		{"cpe:/a:hp:openview_network_manager:7.51::~~~linux~~",
		 "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*"},
		{"cpe:/a:foo%5cbar:big%24money_manager_2010:::~~special~ipod_touch~80gb~",
		 "cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*"},
		{"cpe:/a:foo%7ebar:big%7emoney_2010",
		 "cpe:2.3:a:foo\\~bar:big\\~money_2010:*:*:*:*:*:*:*:*"},
		{"cpe:/o:debian:debian_linux:12.0",
		 "cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*"},
		{"cpe:/a", "cpe:2.3:a:*:*:*:*:*:*:*:*:*:*"},
		{"cpe:/h::asa_5505", "cpe:2.3:h:*:asa_5505:*:*:*:*:*:*:*:*"},
		{"cpe:/a:foo:bar:1.0:-:-:en-us", "cpe:2.3:a:foo:bar:1.0:-:-:en-us:*:*:*:*"},
		{"cpe:/a:foo:bar:1.0:-:~-~-~-~-~-", "cpe:2.3:a:foo:bar:1.0:-:-:*:-:-:-:-"},
		{"cpe:/a:%01%01foo%02:%02bar", "cpe:2.3:a:??foo*:*bar:*:*:*:*:*:*:*:*"},
		{"cpe:/a:a%21%22%23%24%25%26%27%28%29%2b%2c%2f%3a%3b%3c%3d%3e%40%5b%5c%5d%5e%60%7b%7c%7d",
		 "cpe:2.3:a:a\\!\\\"\\#\\$\\%\\&\\'\\(\\)\\+\\,\\/\\:\\;\\<\\=\\>\\@\\[\\\\\\]\\^\\`\\{"
		 "\\|\\}:*:*:*:*:*:*:*:*:*"},
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_cpe cpe;
		struct vg_buf b;
		struct vg_err err;

		vg_cpe_init(&cpe);
		vg_buf_init(&b, VG_BUF_NOLIMIT);
		if (parse(cases[i].uri, &cpe, &err) != VG_OK)
			fail_msg("'%s': %s", cases[i].uri, err.msg);
		assert_int_equal(vg_cpe_bind_fs(&cpe, &b), VG_OK);
		assert_string_equal(b.p, cases[i].fs);
		vg_buf_reset(&b);
		assert_int_equal(vg_cpe_bind_uri(&cpe, &b), VG_OK);
		assert_string_equal(b.p, cases[i].uri);
		if (parse(cases[i].fs, &cpe, &err) != VG_OK)
			fail_msg("'%s': %s", cases[i].fs, err.msg);
		vg_buf_reset(&b);
		assert_int_equal(vg_cpe_bind_uri(&cpe, &b), VG_OK);
		assert_string_equal(b.p, cases[i].uri);
		vg_buf_release(&b);
		vg_cpe_release(&cpe);
	}
}

/* URIs whose binding back differs only in spelling: case and '~' outside a packed edition. */
static void
test_uri_normalised(void **state)
{
	static const struct {
		const char *in, *uri;
	} cases[] = {
		{"CPE:/A:Microsoft:IE:8.%2A", "cpe:/a:microsoft:ie:8.%2a"},
		{"cpe:/a:foo~bar:big%7emoney_2010", "cpe:/a:foo%7ebar:big%7emoney_2010"},
		{"cpe:/a:foo:bar:::", "cpe:/a:foo:bar"},
		{"cpe:/a:foo:bar:1.0::~~~~~", "cpe:/a:foo:bar:1.0"},
		{"cpe:/a:foo:bar:1.0::~ed~~~~", "cpe:/a:foo:bar:1.0::ed"},
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_cpe cpe;
		struct vg_buf b;
		struct vg_err err;

		vg_cpe_init(&cpe);
		vg_buf_init(&b, VG_BUF_NOLIMIT);
		if (parse(cases[i].in, &cpe, &err) != VG_OK)
			fail_msg("'%s': %s", cases[i].in, err.msg);
		assert_int_equal(vg_cpe_bind_uri(&cpe, &b), VG_OK);
		assert_string_equal(b.p, cases[i].uri);
		vg_buf_release(&b);
		vg_cpe_release(&cpe);
	}
}

static void
test_bind_all_any_and_limits(void **state)
{
	struct vg_cpe cpe;
	struct vg_buf b;

	(void)state;
	vg_cpe_init(&cpe);
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_cpe_bind_fs(&cpe, &b), VG_OK);
	assert_string_equal(b.p, "cpe:2.3:*:*:*:*:*:*:*:*:*:*:*");
	vg_buf_reset(&b);
	assert_int_equal(vg_cpe_bind_uri(&cpe, &b), VG_OK);
	assert_string_equal(b.p, "cpe:/");
	vg_buf_release(&b);

	/* A buffer too small keeps what it held before. */
	assert_int_equal(parse("cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*", &cpe, NULL), VG_OK);
	vg_buf_init(&b, 20);
	assert_int_equal(vg_buf_addstr(&b, "x="), VG_OK);
	assert_int_equal(vg_cpe_bind_fs(&cpe, &b), VG_ETOOBIG);
	assert_string_equal(b.p, "x=");
	assert_int_equal(vg_cpe_bind_uri(&cpe, &b), VG_ETOOBIG);
	assert_string_equal(b.p, "x=");
	vg_buf_release(&b);

	/* Bindings append. */
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_addstr(&b, "name="), VG_OK);
	assert_int_equal(vg_cpe_bind_uri(&cpe, &b), VG_OK);
	assert_string_equal(b.p, "name=cpe:/a:openssl:openssl:3.0.2");
	vg_buf_release(&b);
	vg_cpe_release(&cpe);
	vg_cpe_release(&cpe);
	assert_true(all_any(&cpe));
}

/* ---- malformed names ---- */

static void
test_invalid_names(void **state)
{
	static const char *const cases[] = {
		"",
		"cpe",
		"cpe:2.3",
		"cpe:2.2:a:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:/",
		"cpe:a:foo:bar",
		" cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:* ",
		/* Too few or too many components. */
		"cpe:2.3:a",
		"cpe:2.3:a:foo:bar:1.0",
		"cpe:2.3:a:foo:bar:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:*:",
		"cpe:/a:foo:bar:1.0:u:e:en:x",
		/* Empty components. */
		"cpe:2.3:a::bar:*:*:*:*:*:*:*:*",
		"cpe:2.3::foo:bar:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:",
		/* Bad part. */
		"cpe:2.3:x:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:2.3:*:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:2.3:A:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:2.3:-:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:2.3:ao:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:2.3:?:foo:bar:*:*:*:*:*:*:*:*",
		"cpe:/x:foo:bar",
		"cpe:/-:foo:bar",
		"cpe:/:foo:bar",
		/* Illegal characters. */
		"cpe:2.3:a:foo bar:baz:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo\tbar:baz:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:caf\xc3\xa9:baz:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo\x7f:baz:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo\\ bar:baz:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:*\\",
		"cpe:/a:foo!bar",
		"cpe:/a:foo bar",
		"cpe:/a:foo*bar",
		"cpe:/a:foo\\:bar",
		/* Misplaced wildcards. */
		"cpe:2.3:a:foo:bar:1.*.3:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:1.?.3:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:**:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:**1:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:1**:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:?*?:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:a??b:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:*?a:*:*:*:*:*:*:*",
		"cpe:2.3:a:foo:bar:\\-:*:*:*:*:*:*:*",
		/* Bad percent escapes. */
		"cpe:/a:foo%2",
		"cpe:/a:foo%",
		"cpe:/a:foo%zz",
		"cpe:/a:foo%g1",
		"cpe:/a:foo%07",
		"cpe:/a:foo%2d",
		"cpe:/a:foo%5f",
		"cpe:/a:foo%41",
		"cpe:/a:foo%20bar",
		"cpe:/a:foo%00",
		"cpe:/a:foo:bar:12.%02.1234",
		"cpe:/a:foo:bar:1.%01.1",
		"cpe:/a:foo:bar:%02%02",
		"cpe:/a:foo:bar:%02",
		"cpe:/a:foo%5cbar:big%24money_2010%07:::~~special~ipod_touch~80gb~",
		/* Malformed packed editions. */
		"cpe:/a:foo:bar:1.0::~",
		"cpe:/a:foo:bar:1.0::~a~b",
		"cpe:/a:foo:bar:1.0::~a~b~c~d",
		"cpe:/a:foo:bar:1.0::~a~b~c~d~%zz",
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_cpe cpe;
		struct vg_err err;
		int rc;

		vg_cpe_init(&cpe);
		rc = parse(cases[i], &cpe, &err);
		if (rc != VG_EINVAL)
			fail_msg("'%s': expected VG_EINVAL, got %d", cases[i], rc);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(strlen(err.msg) > 0);
		assert_true(all_any(&cpe));
		/* err may be NULL. */
		assert_int_equal(vg_cpe_parse(vg_str_c(cases[i]), &cpe, NULL), VG_EINVAL);
	}
}

static void
test_invalid_bytes_and_length(void **state)
{
	static const char nul[] = "cpe:2.3:a:foo\0bar:baz:*:*:*:*:*:*:*:*";
	char long_name[VG_CPE_MAX_LEN + 64];
	struct vg_cpe cpe;
	struct vg_err err;
	size_t n;

	(void)state;
	vg_cpe_init(&cpe);
	assert_int_equal(vg_cpe_parse(vg_str_n(nul, sizeof(nul) - 1), &cpe, &err), VG_EINVAL);
	assert_true(strlen(err.msg) > 0);

	/* Exactly the limit parses; one byte more does not. */
	n = (size_t)snprintf(long_name, sizeof(long_name), "cpe:2.3:a:foo:");
	while (n < VG_CPE_MAX_LEN - 20)
		long_name[n++] = 'x';
	n += (size_t)snprintf(long_name + n, sizeof(long_name) - n, ":*:*:*:*:*:*:*:");
	while (n < VG_CPE_MAX_LEN)
		long_name[n++] = 'y';
	long_name[n] = '\0';
	assert_int_equal(n, VG_CPE_MAX_LEN);
	if (vg_cpe_parse(vg_str_n(long_name, n), &cpe, &err) != VG_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(cpe.attr[VG_CPE_OTHER].kind, VG_CPE_VALUE);
	long_name[n++] = 'z';
	vg_err_clear(&err);
	assert_int_equal(vg_cpe_parse(vg_str_n(long_name, n), &cpe, &err), VG_EINVAL);
	assert_true(strlen(err.msg) > 0);
	assert_true(all_any(&cpe));

	/* A name whose bindings would exceed the limit is refused: "!" binds as "\\!" and "%21". */
	n = (size_t)snprintf(long_name, sizeof(long_name), "cpe:2.3:a:");
	while (n < VG_CPE_MAX_LEN - 30)
		long_name[n++] = '!';
	n += (size_t)snprintf(long_name + n, sizeof(long_name) - n, ":x:*:*:*:*:*:*:*:*");
	vg_err_clear(&err);
	assert_int_equal(vg_cpe_parse(vg_str_n(long_name, n), &cpe, &err), VG_EINVAL);
	if (!strstr(err.msg, "once bound"))
		fail_msg("unexpected message: %s", err.msg);
	assert_true(all_any(&cpe));

	/* Only the slice is read, not the bytes after it. */
	assert_int_equal(vg_cpe_parse(vg_str_n("cpe:/a:foo:barXXX", 14), &cpe, &err), VG_OK);
	assert_string_equal(cpe.attr[VG_CPE_PRODUCT].str, "bar");
	vg_cpe_release(&cpe);
}

/* Parsing into a name that already holds values replaces them (no leak under ASan). */
static void
test_parse_reuse(void **state)
{
	struct vg_cpe cpe;

	(void)state;
	vg_cpe_init(&cpe);
	assert_int_equal(parse("cpe:2.3:a:foo:bar:1.0:*:*:*:*:*:*:*", &cpe, NULL), VG_OK);
	assert_int_equal(parse("cpe:/o:debian:debian_linux", &cpe, NULL), VG_OK);
	assert_string_equal(cpe.attr[VG_CPE_PART].str, "o");
	assert_int_equal(cpe.attr[VG_CPE_VERSION].kind, VG_CPE_ANY);
	assert_int_equal(parse("cpe:/q", &cpe, NULL), VG_EINVAL);
	assert_true(all_any(&cpe));
	vg_cpe_release(&cpe);
}

/* ---- matching ---- */

#define ANY_V                    \
	{                        \
		VG_CPE_ANY, NULL \
	}
#define NA_V                    \
	{                       \
		VG_CPE_NA, NULL \
	}
#define STR_V(s)                          \
	{                                 \
		VG_CPE_VALUE, (char *)(s) \
	}

/* NISTIR 7696 Table 6-2, with wildcard values on either side, plus compare_strings() cases. */
static void
test_attr_compare_grid(void **state)
{
	static const struct {
		struct vg_cpe_value s, t;
		enum vg_cpe_rel want;
	} cases[] = {
		{ANY_V, ANY_V, VG_CPE_REL_EQUAL},
		{ANY_V, NA_V, VG_CPE_REL_SUPERSET},
		{ANY_V, STR_V("1\\.2"), VG_CPE_REL_SUPERSET},
		{ANY_V, STR_V("1\\.*"), VG_CPE_REL_UNDEFINED},
		{NA_V, ANY_V, VG_CPE_REL_SUBSET},
		{NA_V, NA_V, VG_CPE_REL_EQUAL},
		{NA_V, STR_V("1\\.2"), VG_CPE_REL_DISJOINT},
		{NA_V, STR_V("1\\.?"), VG_CPE_REL_UNDEFINED},
		{STR_V("1\\.2"), ANY_V, VG_CPE_REL_SUBSET},
		{STR_V("1\\.2"), NA_V, VG_CPE_REL_DISJOINT},
		{STR_V("1\\.2"), STR_V("1\\.2"), VG_CPE_REL_EQUAL},
		{STR_V("1\\.2"), STR_V("1\\.3"), VG_CPE_REL_DISJOINT},
		{STR_V("1\\.2"), STR_V("*2"), VG_CPE_REL_UNDEFINED},
		{STR_V("1\\.*"), ANY_V, VG_CPE_REL_SUBSET},
		{STR_V("1\\.*"), NA_V, VG_CPE_REL_DISJOINT},
		{STR_V("1\\.*"), STR_V("1\\.2"), VG_CPE_REL_SUPERSET},
		{STR_V("1\\.*"), STR_V("2\\.1"), VG_CPE_REL_DISJOINT},
		{STR_V("1\\.*"), STR_V("1\\.*"), VG_CPE_REL_UNDEFINED},
		{STR_V("?"), STR_V("?"), VG_CPE_REL_UNDEFINED},
		/* Quoted specials are ordinary characters on either side. */
		{STR_V("1\\.0\\*"), STR_V("1\\.0\\*"), VG_CPE_REL_EQUAL},
		{STR_V("1\\.0*"), STR_V("1\\.0\\*"), VG_CPE_REL_SUPERSET},
		{STR_V("1\\.0\\*"), STR_V("1\\.0x"), VG_CPE_REL_DISJOINT},
		{STR_V("\\?"), STR_V("x"), VG_CPE_REL_DISJOINT},
		/* '*' is any run, each leading or trailing '?' at most one character. */
		{STR_V("*"), STR_V("abc"), VG_CPE_REL_SUPERSET},
		{STR_V("*c"), STR_V("abc"), VG_CPE_REL_SUPERSET},
		{STR_V("*b"), STR_V("abc"), VG_CPE_REL_DISJOINT},
		{STR_V("a*"), STR_V("abc"), VG_CPE_REL_SUPERSET},
		{STR_V("*b*"), STR_V("abc"), VG_CPE_REL_SUPERSET},
		{STR_V("*abc*"), STR_V("abc"), VG_CPE_REL_SUPERSET},
		{STR_V("*abcd*"), STR_V("abc"), VG_CPE_REL_DISJOINT},
		{STR_V("?"), STR_V("a"), VG_CPE_REL_SUPERSET},
		{STR_V("?"), STR_V("ab"), VG_CPE_REL_DISJOINT},
		{STR_V("??"), STR_V("ab"), VG_CPE_REL_SUPERSET},
		{STR_V("??"), STR_V("abc"), VG_CPE_REL_DISJOINT},
		{STR_V("abc?"), STR_V("abc"), VG_CPE_REL_SUPERSET},
		{STR_V("abc?"), STR_V("abcd"), VG_CPE_REL_SUPERSET},
		{STR_V("abc?"), STR_V("abcde"), VG_CPE_REL_DISJOINT},
		{STR_V("?bc"), STR_V("abc"), VG_CPE_REL_SUPERSET},
		{STR_V("?bc"), STR_V("bc"), VG_CPE_REL_SUPERSET},
		{STR_V("?bc"), STR_V("xabc"), VG_CPE_REL_DISJOINT},
		{STR_V("??b?"), STR_V("xxbx"), VG_CPE_REL_SUPERSET},
		{STR_V("??b?"), STR_V("xxxbx"), VG_CPE_REL_DISJOINT},
		{STR_V("*b?"), STR_V("xxxbx"), VG_CPE_REL_SUPERSET},
		{STR_V("*b?"), STR_V("xxxbxx"), VG_CPE_REL_DISJOINT},
		{STR_V("*??"), STR_V("anything"), VG_CPE_REL_SUPERSET},
		/* A quoted pair counts as one character. */
		{STR_V("1?"), STR_V("1\\."), VG_CPE_REL_SUPERSET},
		{STR_V("?\\.0"), STR_V("1\\.0"), VG_CPE_REL_SUPERSET},
		{STR_V("?\\.0"), STR_V("\\\\\\.0"), VG_CPE_REL_SUPERSET},
		{STR_V("*\\\\"), STR_V("a\\\\"), VG_CPE_REL_SUPERSET},
		{STR_V("\\\\*"), STR_V("\\\\a"), VG_CPE_REL_SUPERSET},
		{STR_V("\\\\*"), STR_V("a\\\\"), VG_CPE_REL_DISJOINT},
		/* Matching ignores case, even in values built by hand. */
		{STR_V("Microsoft"), STR_V("microsoft"), VG_CPE_REL_EQUAL},
		{STR_V("MICRO*"), STR_V("microsoft"), VG_CPE_REL_SUPERSET},
		/* A VALUE without a string behaves as ANY. */
		{STR_V(NULL), STR_V("x"), VG_CPE_REL_SUPERSET},
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		enum vg_cpe_rel r = vg_cpe_attr_compare(&cases[i].s, &cases[i].t);

		if (r != cases[i].want)
			fail_msg("case %zu ('%s' vs '%s'): expected %s, got %s", i,
				 cases[i].s.str ? cases[i].s.str : "(logical)",
				 cases[i].t.str ? cases[i].t.str : "(logical)",
				 vg_cpe_rel_name(cases[i].want), vg_cpe_rel_name(r));
	}
}

/* Attribute relations of values without wildcards mirror when swapped. */
static void
test_attr_compare_antisymmetry(void **state)
{
	static const struct vg_cpe_value vals[] = {
		ANY_V, NA_V, STR_V("1\\.2"), STR_V("1\\.3"), STR_V("a\\\\b"), STR_V("A\\\\B"),
	};
	static const enum vg_cpe_rel mirror[] = {
		[VG_CPE_REL_DISJOINT] = VG_CPE_REL_DISJOINT,
		[VG_CPE_REL_SUBSET] = VG_CPE_REL_SUPERSET,
		[VG_CPE_REL_SUPERSET] = VG_CPE_REL_SUBSET,
		[VG_CPE_REL_EQUAL] = VG_CPE_REL_EQUAL,
		[VG_CPE_REL_UNDEFINED] = VG_CPE_REL_UNDEFINED,
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(vals); i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(vals); j++) {
			enum vg_cpe_rel ab = vg_cpe_attr_compare(&vals[i], &vals[j]);
			enum vg_cpe_rel ba = vg_cpe_attr_compare(&vals[j], &vals[i]);

			assert_int_equal(mirror[ab], ba);
			if (i == j)
				assert_int_equal(ab, VG_CPE_REL_EQUAL);
		}
	}
}

/* Name relations (NISTIR 7696 §6.2) on names parsed from both bindings. */
static void
test_name_compare(void **state)
{
	static const struct {
		const char *s, *t;
		enum vg_cpe_name_rel want;
	} cases[] = {
		{"cpe:/a:openssl:openssl", "cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*",
		 VG_CPE_NAME_SUPERSET},
		{"cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*", "cpe:/a:openssl:openssl",
		 VG_CPE_NAME_SUBSET},
		{"cpe:/a:openssl:openssl:3.0.2", "cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*",
		 VG_CPE_NAME_EQUAL},
		{"cpe:/a:openssl:openssl:3.0.2", "cpe:/a:openssl:openssl:3.0.3",
		 VG_CPE_NAME_DISJOINT},
		/* SUPERSET on one attribute and SUBSET on another. */
		{"cpe:2.3:a:openssl:openssl:*:-:*:*:*:*:*:*",
		 "cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*", VG_CPE_NAME_NONE},
		/* UNDEFINED with DISJOINT is DISJOINT. */
		{"cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*",
		 "cpe:2.3:a:curl:curl:7.*:*:*:*:*:*:*:*", VG_CPE_NAME_DISJOINT},
		{"cpe:2.3:a:curl:curl:*:*:*:*:*:*:*:*", "cpe:2.3:a:curl:curl:7.*:*:*:*:*:*:*:*",
		 VG_CPE_NAME_NONE},
	};
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_cpe s, t;
		enum vg_cpe_rel rels[VG_CPE_NATTRS];
		enum vg_cpe_name_rel r;

		vg_cpe_init(&s);
		vg_cpe_init(&t);
		assert_int_equal(parse(cases[i].s, &s, NULL), VG_OK);
		assert_int_equal(parse(cases[i].t, &t, NULL), VG_OK);
		r = vg_cpe_compare(&s, &t, rels);
		if (r != cases[i].want)
			fail_msg("'%s' vs '%s': expected %s, got %s", cases[i].s, cases[i].t,
				 vg_cpe_name_rel_name(cases[i].want), vg_cpe_name_rel_name(r));
		assert_int_equal(vg_cpe_compare(&s, &t, NULL), r);
		assert_int_equal(vg_cpe_matches(&s, &t),
				 r == VG_CPE_NAME_SUPERSET || r == VG_CPE_NAME_EQUAL);
		vg_cpe_release(&s);
		vg_cpe_release(&t);
	}
}

static void
test_names(void **state)
{
	static const char *const attrs[] = {
		"part",     "vendor",     "product",   "version",   "update", "edition",
		"language", "sw_edition", "target_sw", "target_hw", "other",
	};
	(void)state;
	for (int a = 0; a < VG_CPE_NATTRS; a++)
		assert_string_equal(vg_cpe_attr_name((enum vg_cpe_attr)a), attrs[a]);
	assert_string_equal(vg_cpe_rel_name(VG_CPE_REL_DISJOINT), "DISJOINT");
	assert_string_equal(vg_cpe_rel_name(VG_CPE_REL_SUBSET), "SUBSET");
	assert_string_equal(vg_cpe_rel_name(VG_CPE_REL_SUPERSET), "SUPERSET");
	assert_string_equal(vg_cpe_rel_name(VG_CPE_REL_EQUAL), "EQUAL");
	assert_string_equal(vg_cpe_rel_name(VG_CPE_REL_UNDEFINED), "UNDEFINED");
	assert_string_equal(vg_cpe_name_rel_name(VG_CPE_NAME_EQUAL), "EQUAL");
	assert_string_equal(vg_cpe_name_rel_name(VG_CPE_NAME_SUPERSET), "SUPERSET");
	assert_string_equal(vg_cpe_name_rel_name(VG_CPE_NAME_SUBSET), "SUBSET");
	assert_string_equal(vg_cpe_name_rel_name(VG_CPE_NAME_DISJOINT), "DISJOINT");
	assert_string_equal(vg_cpe_name_rel_name(VG_CPE_NAME_NONE), "NONE");
	assert_string_equal(vg_cpe_name_rel_name(VG_CPE_NAME_INVALID), "INVALID");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_table),
		cmocka_unit_test(test_vector_antisymmetry),
		cmocka_unit_test(test_vector_round_trip),
		cmocka_unit_test(test_fs_round_trip),
		cmocka_unit_test(test_wfn_values),
		cmocka_unit_test(test_uri_fs),
		cmocka_unit_test(test_uri_normalised),
		cmocka_unit_test(test_bind_all_any_and_limits),
		cmocka_unit_test(test_invalid_names),
		cmocka_unit_test(test_invalid_bytes_and_length),
		cmocka_unit_test(test_parse_reuse),
		cmocka_unit_test(test_attr_compare_grid),
		cmocka_unit_test(test_attr_compare_antisymmetry),
		cmocka_unit_test(test_name_compare),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
