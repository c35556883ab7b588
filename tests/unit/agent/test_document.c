/*
 * test_document.c - the inventory document (src/agent/document.c), purls
 * (purl.c) and the SBOM exports (sbom.c) on hand-built inventories, parsed
 * back with jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <jansson.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "agent/purl.h"
#include "agent/sbom.h"
#include "core/err.h"

static struct vg_package *
add_pkg(struct vg_inventory *inv, enum vg_pkg_type type, const char *name, const char *version,
	const char *arch)
{
	struct vg_package *p = vg_inv_add_package(inv, type);

	p->name = vg_inv_strc(inv, name);
	p->version = vg_inv_strc(inv, version);
	p->architecture = vg_inv_strc(inv, arch);
	return p;
}

/* A small Debian device: two packages, a process, two listeners, one account, one warning. */
static void
build_debian(struct vg_inventory *inv)
{
	struct vg_package *p;
	struct vg_listener *l;
	struct vg_account *a;
	struct vg_process *pr;

	vg_inventory_init(inv, "/srv/image");
	inv->os.id = "debian";
	inv->os.version_id = "12";
	inv->os.codename = "bookworm";
	inv->os.id_like = NULL;
	inv->os.pretty_name = "Debian GNU/Linux 12 (bookworm)";
	inv->os.namespace_ = "debian:12";
	inv->os.hostname = "web-1";
	inv->os.architecture = "amd64";
	p = add_pkg(inv, VG_PKG_DEB, "openssl", "3.0.15-1~deb12u1", "amd64");
	p->status = "ii";
	p = add_pkg(inv, VG_PKG_DEB, "libc6", "2.36-9+deb12u4", "amd64");
	p->source_name = "glibc";
	p->source_version = "2.36-9+deb12u4";
	pr = vg_inv_add_process(inv);
	pr->pid = 42;
	pr->exe = "/usr/sbin/sshd";
	pr->package = "openssh-server";
	l = vg_inv_add_listener(inv);
	l->proto = "tcp";
	l->address = "0.0.0.0";
	l->port = 22;
	l->pid = 42;
	l = vg_inv_add_listener(inv);
	l->proto = "tcp";
	l->address = "127.0.0.1";
	l->port = 5432;
	l->loopback = true;
	a = vg_inv_add_account(inv);
	a->name = "root";
	a->shell = "/bin/bash";
	a->login_shell = true;
	a->password = VG_PW_LOCKED;
	a->admin_groups = "sudo,adm";
	vg_inv_warn(inv, "dpkg", "var/lib/dpkg/status", 7, "stanza without 'Package' skipped");
	vg_inventory_finish(inv);
}

static json_t *
parse(const struct vg_buf *b)
{
	json_error_t e;
	json_t *v = json_loadb(b->p, b->len, 0, &e);

	if (!v)
		fail_msg("invalid JSON (%s at %d)", e.text, e.position);
	return v;
}

static json_t *
document(const struct vg_inventory *inv, unsigned flags)
{
	struct vg_buf b;
	json_t *v;

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_inventory_write_json(inv, &b, flags, "2026-11-23T12:00:00Z"), VG_OK);
	v = parse(&b);
	vg_buf_release(&b);
	return v;
}

static void
document_has_every_section(void **state)
{
	struct vg_inventory inv;
	json_t *doc, *pkg;

	(void)state;
	build_debian(&inv);
	doc = document(&inv, VG_DOC_PRETTY);
	assert_string_equal(json_string_value(json_object_get(doc, "schemaVersion")), "1.0");
	assert_string_equal(json_string_value(json_object_get(doc, "root")), "/srv/image");
	assert_string_equal(json_string_value(json_object_get(doc, "collectedAt")),
			    "2026-11-23T12:00:00Z");
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_object_get(doc, "device"), "os"), "namespace")),
		"debian:12");
	assert_true(
		json_is_true(json_object_get(json_object_get(doc, "device"), "networkExposed")));
	assert_int_equal(json_array_size(json_object_get(doc, "packages")), 2);
	/* Canonical order: libc6 before openssl. */
	pkg = json_array_get(json_object_get(doc, "packages"), 0);
	assert_string_equal(json_string_value(json_object_get(pkg, "name")), "libc6");
	assert_string_equal(json_string_value(json_object_get(pkg, "type")), "deb");
	assert_string_equal(json_string_value(json_object_get(pkg, "sourceName")), "glibc");
	assert_string_equal(json_string_value(json_object_get(pkg, "purl")),
			    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
	pkg = json_array_get(json_object_get(doc, "packages"), 1);
	/* Without a Source field, the source is the package itself. */
	assert_string_equal(json_string_value(json_object_get(pkg, "sourceName")), "openssl");
	assert_string_equal(json_string_value(json_object_get(pkg, "sourceVersion")),
			    "3.0.15-1~deb12u1");
	assert_string_equal(json_string_value(json_object_get(pkg, "purl")),
			    "pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12");
	assert_int_equal(json_array_size(json_object_get(doc, "listeners")), 2);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(doc, "accounts"), 0), "password")),
		"locked");
	assert_int_equal(
		json_array_size(json_object_get(json_array_get(json_object_get(doc, "accounts"), 0),
						"adminGroups")),
		2);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(doc, "warnings"), "count")), 1);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(doc, "sections"), "packages"), "count")),
		2);
	json_decref(doc);
	vg_inventory_release(&inv);
}

static const char *
section_hash(json_t *doc, const char *name)
{
	return json_string_value(
		json_object_get(json_object_get(json_object_get(doc, "sections"), name), "hash"));
}

static void
hashes_follow_content_only(void **state)
{
	struct vg_inventory a, b;
	json_t *da, *db, *dc;

	(void)state;
	build_debian(&a);
	build_debian(&b);
	da = document(&a, 0);
	db = document(&b, VG_DOC_PRETTY); /* layout and timestamp do not matter */
	for (int s = 0; s < VG_NSECTIONS; s++) {
		const char *name = vg_section_name((enum vg_section)s);

		if (!vg_inventory_has_section(&a, (enum vg_section)s))
			continue;
		assert_string_equal(section_hash(da, name), section_hash(db, name));
		assert_int_equal(strlen(section_hash(da, name)), 7 + 64);
	}
	/* A package upgrade changes the packages hash and nothing else. */
	b.packages[1].version = "3.0.16-1~deb12u1";
	dc = document(&b, 0);
	assert_string_not_equal(section_hash(da, "packages"), section_hash(dc, "packages"));
	assert_string_equal(section_hash(da, "device"), section_hash(dc, "device"));
	assert_string_equal(section_hash(da, "listeners"), section_hash(dc, "listeners"));
	assert_string_equal(section_hash(da, "accounts"), section_hash(dc, "accounts"));
	json_decref(da);
	json_decref(db);
	json_decref(dc);
	vg_inventory_release(&a);
	vg_inventory_release(&b);
}

/*
 * Without configuration results the document is what it was before the
 * "configuration" section existed: no such key, five sections, and the
 * hashes the previous writer gave this inventory (recorded from it).
 */
static void
no_configuration_section_without_policies(void **state)
{
	static const char *const want[][2] = {
		{"device",
		 "sha256:5e7e1058851ac7fa22c07127e50a13e48e774df8974f96b1885365c968c00443"},
		{"packages",
		 "sha256:7f1e6d9235fdd0b027fa521d8d951e723125a16b4185c959a834542130916d99"},
		{"processes",
		 "sha256:94da7f9b281f02431cde93b1dce8b1b8c41d205d2da6619093025ae2bc33f749"},
		{"listeners",
		 "sha256:b6628b86c94966fbaa6f4928f1de43201a96f821f2427046c0ccb1dd764ebd2e"},
		{"accounts",
		 "sha256:74e4ea866730191c8c41c5d8b375893c637325f2629978afa5ad5b131808198d"},
	};
	struct vg_inventory inv;
	json_t *doc;

	(void)state;
	build_debian(&inv);
	assert_false(vg_inventory_has_section(&inv, VG_SECTION_CONFIGURATION));
	doc = document(&inv, 0);
	assert_null(json_object_get(doc, "configuration"));
	assert_int_equal(json_object_size(json_object_get(doc, "sections")), 5);
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++)
		assert_string_equal(section_hash(doc, want[i][0]), want[i][1]);
	json_decref(doc);
	vg_inventory_release(&inv);
}

static void
add_config(struct vg_inventory *inv, const char *policy, const char *id, const char *result,
	   const char *reason, const char *evidence)
{
	struct vg_config_item *c = vg_inv_add_config_item(inv);

	c->policy = vg_inv_strc(inv, policy);
	c->id = vg_inv_strc(inv, id);
	c->result = vg_inv_strc(inv, result);
	c->reason = vg_inv_strc(inv, reason);
	c->evidence = vg_inv_strc(inv, evidence);
}

static const char *
item_str(json_t *doc, size_t i, const char *key)
{
	return json_string_value(
		json_object_get(json_array_get(json_object_get(doc, "configuration"), i), key));
}

/* The configuration section: sorted by (policy, id), optional members, texts capped. */
static void
configuration_section(void **state)
{
	struct vg_inventory a, b;
	char long_reason[700];
	json_t *da, *db, *dc;
	size_t n;

	(void)state;
	/* 511 ASCII bytes then "é" (2 bytes): the cut at 512 would split it, so 511 stay. */
	memset(long_reason, 'x', 511);
	memcpy(long_reason + 511, "\xc3\xa9tail", 7);
	long_reason[518] = '\0';
	build_debian(&a);
	add_config(&a, "vigil-linux", "scid-2001", "failed", "PermitRootLogin is 'yes', want 'no'",
		   "/etc/ssh/sshd_config:32: PermitRootLogin yes");
	add_config(&a, "cis_debian12", "33010", "notApplicable", long_reason, NULL);
	add_config(&a, "vigil-linux", "scid-1002", "passed", NULL, NULL);
	vg_inventory_sort(&a);
	da = document(&a, 0);
	assert_int_equal(json_array_size(json_object_get(da, "configuration")), 3);
	assert_string_equal(item_str(da, 0, "policy"), "cis_debian12");
	assert_string_equal(item_str(da, 1, "id"), "scid-1002");
	assert_string_equal(item_str(da, 2, "id"), "scid-2001");
	assert_string_equal(item_str(da, 2, "result"), "failed");
	assert_string_equal(item_str(da, 2, "evidence"),
			    "/etc/ssh/sshd_config:32: PermitRootLogin yes");
	/* NULL reason / evidence: the member is omitted, not null. */
	assert_null(
		json_object_get(json_array_get(json_object_get(da, "configuration"), 1), "reason"));
	assert_null(json_object_get(json_array_get(json_object_get(da, "configuration"), 0),
				    "evidence"));
	n = strlen(item_str(da, 0, "reason"));
	assert_int_equal(n, 511);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(json_object_get(da, "sections"), "configuration"),
				 "count")),
			 3);
	assert_int_equal(strlen(section_hash(da, "configuration")), 7 + 64);
	/* The other sections do not move when configuration results are added. */
	assert_string_equal(
		section_hash(da, "packages"),
		"sha256:7f1e6d9235fdd0b027fa521d8d951e723125a16b4185c959a834542130916d99");

	/* Same results added in another order: same hash; a changed result: another hash. */
	build_debian(&b);
	add_config(&b, "vigil-linux", "scid-1002", "passed", NULL, NULL);
	add_config(&b, "vigil-linux", "scid-2001", "failed", "PermitRootLogin is 'yes', want 'no'",
		   "/etc/ssh/sshd_config:32: PermitRootLogin yes");
	add_config(&b, "cis_debian12", "33010", "notApplicable", long_reason, NULL);
	vg_inventory_sort(&b);
	db = document(&b, VG_DOC_PRETTY);
	assert_string_equal(section_hash(da, "configuration"), section_hash(db, "configuration"));
	b.config[2].result = "passed";
	b.config[2].reason = NULL;
	dc = document(&b, 0);
	assert_string_not_equal(section_hash(da, "configuration"),
				section_hash(dc, "configuration"));
	assert_string_equal(section_hash(da, "accounts"), section_hash(dc, "accounts"));
	json_decref(da);
	json_decref(db);
	json_decref(dc);
	vg_inventory_release(&a);
	vg_inventory_release(&b);

	/* Policies but no results: an empty section, present, count 0. */
	build_debian(&a);
	a.has_config = true;
	da = document(&a, 0);
	assert_int_equal(json_array_size(json_object_get(da, "configuration")), 0);
	assert_true(json_is_array(json_object_get(da, "configuration")));
	assert_string_equal(
		section_hash(da, "configuration"),
		"sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
	json_decref(da);
	vg_inventory_release(&a);
}

static void
purls_follow_the_spec(void **state)
{
	struct vg_inventory inv;
	struct vg_package *p;

	(void)state;
	vg_inventory_init(&inv, "/");
	inv.os.id = "debian";
	inv.os.version_id = "12";
	p = add_pkg(&inv, VG_PKG_DEB, "bash", "5.2.15-2+b2", "amd64");
	assert_string_equal(vg_purl_for(&inv, p),
			    "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12");
	p = add_pkg(&inv, VG_PKG_DEB, "libgcrypt20", "1:1.10.1-3", "amd64");
	assert_string_equal(vg_purl_for(&inv, p),
			    "pkg:deb/debian/libgcrypt20@1%3A1.10.1-3?arch=amd64&distro=debian-12");
	p = add_pkg(&inv, VG_PKG_PYTHON, "Django_REST.framework", "3.14.0", NULL);
	assert_string_equal(vg_purl_for(&inv, p), "pkg:pypi/django-rest-framework@3.14.0");
	p = add_pkg(&inv, VG_PKG_NPM, "@babel/core", "7.22.5", NULL);
	assert_string_equal(vg_purl_for(&inv, p), "pkg:npm/%40babel/core@7.22.5");
	p = add_pkg(&inv, VG_PKG_NPM, "lodash", "4.17.21", NULL);
	assert_string_equal(vg_purl_for(&inv, p), "pkg:npm/lodash@4.17.21");

	inv.os.id = "rhel";
	inv.os.version_id = "8.9";
	p = add_pkg(&inv, VG_PKG_RPM, "openssl", "1:1.1.1k-12.el8_9", "x86_64");
	p->epoch = "1";
	p->rpm_version = "1.1.1k";
	p->release = "12.el8_9";
	assert_string_equal(
		vg_purl_for(&inv, p),
		"pkg:rpm/redhat/openssl@1.1.1k-12.el8_9?arch=x86_64&epoch=1&distro=rhel-8.9");

	inv.os.id = "alpine";
	inv.os.version_id = "3.18.4";
	p = add_pkg(&inv, VG_PKG_APK, "musl", "1.2.4-r2", "x86_64");
	assert_string_equal(vg_purl_for(&inv, p),
			    "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4");
	vg_inventory_release(&inv);
}

static void
cyclonedx_and_spdx(void **state)
{
	struct vg_inventory inv;
	struct vg_buf b;
	json_t *doc, *comps, *refs;

	(void)state;
	build_debian(&inv);
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_sbom_write_cyclonedx(&inv, &b, VG_DOC_PRETTY), VG_OK);
	doc = parse(&b);
	assert_string_equal(json_string_value(json_object_get(doc, "bomFormat")), "CycloneDX");
	assert_string_equal(json_string_value(json_object_get(doc, "specVersion")), "1.5");
	assert_int_equal(
		strncmp(json_string_value(json_object_get(doc, "serialNumber")), "urn:uuid:", 9),
		0);
	comps = json_object_get(doc, "components");
	assert_int_equal(json_array_size(comps), 3); /* the OS and two packages */
	assert_string_equal(json_string_value(json_object_get(json_array_get(comps, 0), "type")),
			    "operating-system");
	assert_string_equal(json_string_value(json_object_get(json_array_get(comps, 2), "purl")),
			    "pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12");
	json_decref(doc);

	vg_buf_reset(&b);
	assert_int_equal(vg_sbom_write_spdx(&inv, &b, 0), VG_OK);
	doc = parse(&b);
	assert_string_equal(json_string_value(json_object_get(doc, "spdxVersion")), "SPDX-2.3");
	assert_int_equal(json_array_size(json_object_get(doc, "packages")), 3);
	refs = json_object_get(json_array_get(json_object_get(doc, "packages"), 1), "externalRefs");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(refs, 0), "referenceType")),
		"purl");
	/* DESCRIBES the OS, which CONTAINS each package. */
	assert_int_equal(json_array_size(json_object_get(doc, "relationships")), 3);
	json_decref(doc);
	vg_buf_release(&b);
	vg_inventory_release(&inv);
}

static void
hostile_strings_stay_valid_json(void **state)
{
	struct vg_inventory inv;
	struct vg_package *p;
	json_t *doc;

	(void)state;
	vg_inventory_init(&inv, "/");
	p = add_pkg(&inv, VG_PKG_DEB, "evil\"\n\xff", "1.0\\", "amd64");
	p->license = "\x01\x02";
	vg_inventory_finish(&inv);
	doc = document(&inv, 0);
	assert_int_equal(json_array_size(json_object_get(doc, "packages")), 1);
	json_decref(doc);
	vg_inventory_release(&inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document_has_every_section),
		cmocka_unit_test(hashes_follow_content_only),
		cmocka_unit_test(no_configuration_section_without_policies),
		cmocka_unit_test(configuration_section),
		cmocka_unit_test(purls_follow_the_spec),
		cmocka_unit_test(cyclonedx_and_spdx),
		cmocka_unit_test(hostile_strings_stay_valid_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
