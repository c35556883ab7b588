/*
 * test_collect_os.c - os-release parsing (systemd env-file rules),
 * namespaces, architecture names, hostname and machine-id, kernel release
 * strings of deb/rpm/apk kernel packages, the newest-kernel order and the
 * fixture roots of tests/data/roots/os-*.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "agent/collect_os.h"
#include "agent/inventory.h"
#include "core/err.h"
#include "vgtest.h"

static bool
streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

#define NS(s) ((s) ? (s) : "(null)")

/* ---- os-release syntax ---- */

struct release_case {
	const char *text;
	size_t len; /* 0: strlen(text) */
	int rc;
	const char *id, *version_id, *codename, *pretty_name, *name;
	size_t nwarnings;
};

static const struct release_case release_cases[] = {
	{"ID=debian\nVERSION_ID=\"12\"\n", 0, VG_OK, "debian", "12", NULL, NULL, NULL, 0},
	{"ID='ubuntu'\nVERSION_ID='22.04'\nVERSION_CODENAME=jammy\n", 0, VG_OK, "ubuntu", "22.04",
	 "jammy", NULL, NULL, 0},
	/* Double quotes: \" \\ \` \$ are escapes, any other backslash stays. */
	{"ID=x\nPRETTY_NAME=\"a \\\"q\\\" \\$x \\`y\\` b\\\\s \\n\"\n", 0, VG_OK, "x", NULL, NULL,
	 "a \"q\" $x `y` b\\s \\n", NULL, 0},
	/* Single quotes: no escapes at all. */
	{"ID=x\nPRETTY_NAME='a \\\" b'\n", 0, VG_OK, "x", NULL, NULL, "a \\\" b", NULL, 0},
	/* Unquoted: backslash escapes the next byte; trailing blanks go unless escaped. */
	{"ID=x\nPRETTY_NAME=a\\ b\\\"c  \t\nNAME=n\\ \n", 0, VG_OK, "x", NULL, NULL, "a b\"c", "n ",
	 0},
	/* Adjacent parts concatenate, blanks between them are dropped (systemd, not the shell). */
	{"ID=x\nNAME=\"a\"'b'c\nPRETTY_NAME=\"a\" \"b\"\n", 0, VG_OK, "x", NULL, NULL, "ab", "abc",
	 0},
	/* Backslash-newline continues a line inside double quotes and unquoted. */
	{"ID=x\nNAME=\"a\\\nb\"\nPRETTY_NAME=c\\\nd\n", 0, VG_OK, "x", NULL, NULL, "cd", "ab", 0},
	/* Comments (# and ;), blank lines, leading blanks, blanks around '='. */
	{"# comment\n; another\n\n   ID =debian\nVERSION_ID= 12\n", 0, VG_OK, "debian", "12", NULL,
	 NULL, NULL, 0},
	/* CRLF line ends: CR ends the line, LF is then a blank. */
	{"ID=debian\r\nVERSION_ID=\"12\"\r\nNAME=Debian\r\n", 0, VG_OK, "debian", "12", NULL, NULL,
	 "Debian", 0},
	/* A later assignment wins; an empty value is no value. */
	{"ID=a\nID=b\nVERSION_CODENAME=\"\"\nVERSION_ID=\n", 0, VG_OK, "b", NULL, NULL, NULL, NULL,
	 0},
	/* No final newline. */
	{"VERSION_ID=3.18.4\nID=alpine", 0, VG_OK, "alpine", "3.18.4", NULL, NULL, NULL, 0},
	{"ID=alpine\nNAME=\"Alpine", 0, VG_OK, "alpine", NULL, NULL, NULL, "Alpine", 1},
	/* Unterminated quote: swallows the rest (systemd), the newline makes it invalid. */
	{"ID=debian\nNAME=\"oops\nVERSION_ID=12\n", 0, VG_OK, "debian", NULL, NULL, NULL, NULL, 2},
	/* Lines without '=' and invalid keys are warnings, the rest is kept. */
	{"garbage\nID=debian\n1X=2\nA-B=c\nVERSION_ID=12\ntrailing", 0, VG_OK, "debian", "12", NULL,
	 NULL, NULL, 4},
	/* A NUL byte ends the text, as for systemd's C-string reader. */
	{"ID=debian\0VERSION_ID=12\n", sizeof("ID=debian\0VERSION_ID=12\n") - 1, VG_OK, "debian",
	 NULL, NULL, NULL, NULL, 1},
	/* Control characters in a value. */
	{"ID=debian\nNAME=\"a\x01"
	 "b\"\n",
	 0, VG_OK, "debian", NULL, NULL, NULL, NULL, 1},
	/* UTF-8 is fine; invalid UTF-8 (a lone continuation byte, an overlong form) is not. */
	{"ID=x\nNAME=\"Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7\"\n", 0, VG_OK, "x", NULL, NULL,
	 NULL, "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7", 0},
	{"ID=x\nNAME=a\x80\nPRETTY_NAME=\xc0\xaf\nVERSION_ID=\xed\xa0\x80\n", 0, VG_OK, "x", NULL,
	 NULL, NULL, NULL, 3},
	/* Tabs are fine inside quotes. */
	{"ID=debian\nNAME=\"a\tb\"\n", 0, VG_OK, "debian", NULL, NULL, NULL, "a\tb", 0},
	/* Without ID there is no OS and no namespace. */
	{"NAME=\"Some Linux\"\n", 0, VG_EINVAL, NULL, NULL, NULL, NULL, "Some Linux", 1},
	{"", 0, VG_EINVAL, NULL, NULL, NULL, NULL, NULL, 1},
	/* An ID outside [a-z0-9._-] has no namespace (warning) but is kept. */
	{"ID=\"Debian GNU\"\n", 0, VG_OK, "Debian GNU", NULL, NULL, NULL, NULL, 1},
};

static void
test_os_release_syntax(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(release_cases); i++) {
		const struct release_case *c = &release_cases[i];
		struct vg_inventory inv;
		size_t len = c->len ? c->len : strlen(c->text);
		int rc;

		vg_inventory_init(&inv, "/nonexistent");
		rc = vg_os_release_parse(&inv, vg_str_n(c->text, len), "etc/os-release");
		if (rc != c->rc || !streq_null(inv.os.id, c->id) ||
		    !streq_null(inv.os.version_id, c->version_id) ||
		    !streq_null(inv.os.codename, c->codename) ||
		    !streq_null(inv.os.pretty_name, c->pretty_name) ||
		    !streq_null(inv.os.name, c->name) || inv.nwarnings != c->nwarnings) {
			print_message(
				"case %zu: rc %d/%d id '%s'/'%s' version '%s'/'%s' codename "
				"'%s'/'%s' pretty '%s'/'%s' name '%s'/'%s' warnings %zu/%zu\n",
				i, rc, c->rc, NS(inv.os.id), NS(c->id), NS(inv.os.version_id),
				NS(c->version_id), NS(inv.os.codename), NS(c->codename),
				NS(inv.os.pretty_name), NS(c->pretty_name), NS(inv.os.name),
				NS(c->name), inv.nwarnings, c->nwarnings);
			for (size_t w = 0; w < inv.nwarnings; w++)
				print_message("  warning line %d: %s\n", inv.warnings[w].line,
					      inv.warnings[w].message);
			failed++;
		}
		vg_inventory_release(&inv);
	}
	assert_int_equal(failed, 0);
}

static void
test_os_release_limits(void **state)
{
	struct vg_inventory inv;
	size_t n = 3 * VG_OS_RELEASE_MAX_VALUE;
	char *text = malloc(n + 64);
	int len;

	(void)state;
	/* A value one byte too long is dropped with a warning; the limit itself is kept. */
	len = snprintf(text, n + 64, "ID=x\nNAME=\"%0*d\"\nPRETTY_NAME=%0*d\n",
		       VG_OS_RELEASE_MAX_VALUE + 1, 0, VG_OS_RELEASE_MAX_VALUE, 0);
	vg_inventory_init(&inv, "/nonexistent");
	assert_int_equal(vg_os_release_parse(&inv, vg_str_n(text, (size_t)len), "f"), VG_OK);
	assert_null(inv.os.name);
	assert_non_null(inv.os.pretty_name);
	assert_int_equal(strlen(inv.os.pretty_name), VG_OS_RELEASE_MAX_VALUE);
	assert_int_equal(inv.nwarnings, 1);
	assert_non_null(strstr(inv.warnings[0].message, "NAME"));
	assert_int_equal(inv.warnings[0].line, 2);
	vg_inventory_release(&inv);

	/* A key that is too long. */
	len = snprintf(text, n + 64, "%0*d=1\nID=x\n", VG_OS_RELEASE_MAX_KEY + 5, 0);
	vg_inventory_init(&inv, "/nonexistent");
	assert_int_equal(vg_os_release_parse(&inv, vg_str_n(text, (size_t)len), "f"), VG_OK);
	assert_string_equal(inv.os.id, "x");
	assert_int_equal(inv.nwarnings, 1);
	vg_inventory_release(&inv);
	free(text);
}

/* Arbitrary bytes never crash the parser (the fuzz target does this at scale). */
static void
test_os_release_garbage(void **state)
{
	static const char alphabet[] = "=\"'\\\n\r\t #;$`IDVERSION_x.\0\x01\xff";
	uint32_t seed = 12345;
	char buf[256];

	(void)state;
	for (int round = 0; round < 3000; round++) {
		struct vg_inventory inv;
		size_t len = (size_t)(round % (int)sizeof(buf));

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		vg_inventory_init(&inv, "/nonexistent");
		(void)vg_os_release_parse(&inv, vg_str_n(buf, len), "f");
		for (size_t w = 0; w < inv.nwarnings; w++)
			assert_non_null(inv.warnings[w].message);
		vg_inventory_release(&inv);
	}
}

/* ---- namespaces ---- */

struct ns_case {
	const char *id, *version_id, *pretty_name;
	int rc;
	const char *ns;
};

static const struct ns_case ns_cases[] = {
	{"debian", "12", NULL, VG_OK, "debian:12"},
	{"debian", "11.8", NULL, VG_OK, "debian:11"},
	{"debian", NULL, "Debian GNU/Linux trixie/sid", VG_OK, "debian:unstable"},
	{"ubuntu", "22.04", NULL, VG_OK, "ubuntu:22.04"},
	{"ubuntu", "24.04", NULL, VG_OK, "ubuntu:24.04"},
	{"alpine", "3.18.4", NULL, VG_OK, "alpine:3.18"},
	{"alpine", "3.18", NULL, VG_OK, "alpine:3.18"},
	{"alpine", "3", NULL, VG_OK, "alpine:3"},
	{"alpine", "3.19_alpha20230901", "Alpine Linux edge", VG_OK, "alpine:edge"},
	{"alpine", "3.20.0", "Alpine Linux edge", VG_OK, "alpine:edge"},
	{"wolfi", "20230201", "Wolfi", VG_OK, "wolfi:rolling"},
	{"rhel", "9.3", NULL, VG_OK, "rhel:9"},
	{"rhel", "8", NULL, VG_OK, "rhel:8"},
	{"centos", "7", NULL, VG_OK, "centos:7"},
	{"centos", "9", NULL, VG_OK, "centos:9"},
	{"rocky", "9.3", NULL, VG_OK, "rocky:9"},
	{"almalinux", "8.9", NULL, VG_OK, "almalinux:8"},
	{"ol", "8.9", NULL, VG_OK, "ol:8"},
	{"fedora", "38", NULL, VG_OK, "fedora:38"},
	{"amzn", "2", NULL, VG_OK, "amzn:2"},
	{"amzn", "2023", NULL, VG_OK, "amzn:2023"},
	{"amzn", "2018.03", NULL, VG_OK, "amzn:2018.03"},
	{"sles", "15.5", NULL, VG_OK, "sles:15.5"},
	{"opensuse-leap", "15.5", NULL, VG_OK, "opensuse-leap:15.5"},
	{"linuxmint", "21.2", NULL, VG_OK, "linuxmint:21.2"},
	{"arch", NULL, NULL, VG_OK, "arch"},
	{"rhel", ".5", NULL, VG_EINVAL, NULL},
	{"rhel", "9 3", NULL, VG_EINVAL, NULL},
	{"Debian", "12", NULL, VG_EINVAL, NULL},
	{"deb ian", "12", NULL, VG_EINVAL, NULL},
	{"", "12", NULL, VG_ENOTFOUND, NULL},
	{NULL, "12", NULL, VG_ENOTFOUND, NULL},
};

static void
test_namespaces(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(ns_cases); i++) {
		const struct ns_case *c = &ns_cases[i];
		struct vg_os os = {0};
		char out[VG_OS_NAMESPACE_MAX] = "";
		int rc;

		os.id = c->id;
		os.version_id = c->version_id;
		os.pretty_name = c->pretty_name;
		rc = vg_os_namespace(&os, out, sizeof(out));
		if (rc != c->rc || (c->ns && strcmp(out, c->ns) != 0)) {
			print_message("namespace of %s %s: rc %d/%d '%s'/'%s'\n", NS(c->id),
				      NS(c->version_id), rc, c->rc, out, NS(c->ns));
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_namespace_too_small(void **state)
{
	struct vg_os os = {0};
	char out[16];

	(void)state;
	os.id = "opensuse-leap";
	os.version_id = "15.5";
	assert_int_equal(vg_os_namespace(&os, out, sizeof(out)), VG_ETOOBIG);
	os.id = "debian";
	os.version_id = "12";
	assert_int_equal(vg_os_namespace(&os, out, 10), VG_OK);
	assert_string_equal(out, "debian:12");
	assert_int_equal(vg_os_namespace(&os, out, 9), VG_ETOOBIG);
}

/* ---- architecture names ---- */

static void
test_arch_names(void **state)
{
	static const struct {
		const char *id, *id_like, *machine, *arch;
	} cases[] = {
		{"debian", NULL, "x86_64", "amd64"},
		{"debian", NULL, "aarch64", "arm64"},
		{"ubuntu", "debian", "ppc64le", "ppc64el"},
		{"raspbian", "debian", "armv7l", "armhf"},
		{"debian", NULL, "i686", "i386"},
		{"debian", NULL, "mips", "mips"},
		{"alpine", NULL, "x86_64", "x86_64"},
		{"alpine", NULL, "i686", "x86"},
		{"alpine", NULL, "armv7l", "armv7"},
		{"rhel", "fedora", "x86_64", "x86_64"},
		{"rocky", "rhel centos fedora", "aarch64", "aarch64"},
		{NULL, NULL, "x86_64", "x86_64"},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_os os = {0};
		const char *got;

		os.id = cases[i].id;
		os.id_like = cases[i].id_like;
		got = vg_os_arch_name(&os, cases[i].machine);
		if (strcmp(got, cases[i].arch) != 0) {
			print_message("%s %s: '%s', expected '%s'\n", NS(cases[i].id),
				      cases[i].machine, got, cases[i].arch);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* ---- kernel release strings ---- */

struct krel_case {
	enum vg_pkg_type type;
	const char *name, *version, *rpm_version, *release, *arch;
	const char *expect;
};

static const struct krel_case krel_cases[] = {
	{VG_PKG_DEB, "linux-image-6.1.0-13-amd64", "6.1.55-1", NULL, NULL, "amd64",
	 "6.1.0-13-amd64"},
	{VG_PKG_DEB, "linux-image-5.15.0-88-generic", "5.15.0-88.98", NULL, NULL, "amd64",
	 "5.15.0-88-generic"},
	{VG_PKG_DEB, "linux-image-unsigned-6.5.0-1009-oem", "6.5.0-1009.10", NULL, NULL, "amd64",
	 "6.5.0-1009-oem"},
	{VG_PKG_DEB, "linux-image-amd64", "6.1.55-1", NULL, NULL, "amd64", NULL},
	{VG_PKG_DEB, "linux-image-generic", "5.15.0.88.85", NULL, NULL, "amd64", NULL},
	{VG_PKG_DEB, "linux-image-cloud-amd64", "6.1.55-1", NULL, NULL, "amd64", NULL},
	{VG_PKG_DEB, "linux-image-6.1.0-13-amd64-dbg", "6.1.55-1", NULL, NULL, "amd64", NULL},
	{VG_PKG_DEB, "linux-image-6.1.0-13-amd64-dbgsym", "6.1.55-1", NULL, NULL, "amd64", NULL},
	{VG_PKG_DEB, "linux-headers-6.1.0-13-amd64", "6.1.55-1", NULL, NULL, "amd64", NULL},
	{VG_PKG_DEB, "linux-image-", "1", NULL, NULL, "amd64", NULL},
	{VG_PKG_RPM, "kernel-core", "5.14.0-362.8.1.el9_3", "5.14.0", "362.8.1.el9_3", "x86_64",
	 "5.14.0-362.8.1.el9_3.x86_64"},
	{VG_PKG_RPM, "kernel", "5.14.0-362.8.1.el9_3", NULL, NULL, "x86_64",
	 "5.14.0-362.8.1.el9_3.x86_64"},
	{VG_PKG_RPM, "kernel", "1:4.18.0-513.5.1.el8_9", NULL, NULL, "aarch64",
	 "4.18.0-513.5.1.el8_9.aarch64"},
	{VG_PKG_RPM, "kernel-uek", "5.15.0-200.131.27.el9uek", "5.15.0", "200.131.27.el9uek",
	 "x86_64", "5.15.0-200.131.27.el9uek.x86_64"},
	{VG_PKG_RPM, "kernel", "4.14.326-245.539.amzn2", "4.14.326", "245.539.amzn2", "x86_64",
	 "4.14.326-245.539.amzn2.x86_64"},
	{VG_PKG_RPM, "kernel6.1", "6.1.61-85.141.amzn2023", "6.1.61", "85.141.amzn2023", "x86_64",
	 "6.1.61-85.141.amzn2023.x86_64"},
	{VG_PKG_RPM, "kernel-headers", "5.14.0-362.8.1.el9_3", "5.14.0", "362.8.1.el9_3", "x86_64",
	 NULL},
	{VG_PKG_RPM, "kernel-debug-core", "5.14.0-362.8.1.el9_3", "5.14.0", "362.8.1.el9_3",
	 "x86_64", NULL},
	{VG_PKG_RPM, "kernel-tools", "5.14.0-362.8.1.el9_3", "5.14.0", "362.8.1.el9_3", "x86_64",
	 NULL},
	{VG_PKG_RPM, "kernel", "5.14.0", NULL, NULL, "x86_64", NULL},
	{VG_PKG_APK, "linux-lts", "6.1.62-r0", NULL, NULL, "x86_64", "6.1.62-0-lts"},
	{VG_PKG_APK, "linux-virt", "6.1.57-r1", NULL, NULL, "x86_64", "6.1.57-1-virt"},
	{VG_PKG_APK, "linux-edge", "6.6.1-r0", NULL, NULL, "aarch64", "6.6.1-0-edge"},
	{VG_PKG_APK, "linux-rpi", "6.1.55-r2", NULL, NULL, "armv7", "6.1.55-2-rpi"},
	{VG_PKG_APK, "linux-pam", "1.5.2-r10", NULL, NULL, "x86_64", NULL},
	{VG_PKG_APK, "linux-lts-dev", "6.1.62-r0", NULL, NULL, "x86_64", NULL},
	{VG_PKG_APK, "linux-firmware-none", "20230919-r0", NULL, NULL, "x86_64", NULL},
	{VG_PKG_APK, "linux-lts", "6.1.62", NULL, NULL, "x86_64", NULL},
	{VG_PKG_APK, "linux-lts", "6.1.62-rc1", NULL, NULL, "x86_64", NULL},
	{VG_PKG_PYTHON, "linux-image-6.1.0-13-amd64", "1.0", NULL, NULL, NULL, NULL},
	{VG_PKG_NPM, "kernel", "1.0.0", NULL, NULL, NULL, NULL},
};

static void
test_kernel_release_of(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(krel_cases); i++) {
		const struct krel_case *c = &krel_cases[i];
		struct vg_package p = {0};
		char buf[256];
		const char *got;

		p.type = c->type;
		p.name = c->name;
		p.version = c->version;
		p.rpm_version = c->rpm_version;
		p.release = c->release;
		p.architecture = c->arch;
		got = vg_kernel_release_of(&p, buf, sizeof(buf));
		if (!streq_null(got, c->expect)) {
			print_message("%s %s %s: '%s', expected '%s'\n", vg_pkg_type_name(c->type),
				      c->name, c->version, NS(got), NS(c->expect));
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_kernel_release_too_long(void **state)
{
	struct vg_package p = {0};
	char buf[8];

	(void)state;
	p.type = VG_PKG_DEB;
	p.name = "linux-image-6.1.0-13-amd64";
	assert_null(vg_kernel_release_of(&p, buf, sizeof(buf)));
}

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

static void
assert_kernels(const struct vg_inventory *inv, const char *const *expect, size_t n)
{
	for (size_t i = 0; i < inv->kernel.ninstalled; i++)
		print_message("  installed[%zu] = %s\n", i, inv->kernel.installed[i]);
	assert_int_equal(inv->kernel.ninstalled, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(inv->kernel.installed[i], expect[i]);
	if (n)
		assert_string_equal(inv->kernel.newest, expect[n - 1]);
	else
		assert_null(inv->kernel.newest);
}

/* dpkg order, not string order: 6.1.0-10 (6.1.38-1) is newer than 6.1.0-9 (6.1.27-1). */
static void
test_kernel_order_deb(void **state)
{
	static const char *const expect[] = {"6.1.0-9-amd64", "6.1.0-10-amd64"};
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent");
	inv.os.id = "debian";
	add_pkg(&inv, VG_PKG_DEB, "linux-image-6.1.0-10-amd64", "6.1.38-1", "amd64");
	add_pkg(&inv, VG_PKG_DEB, "linux-image-amd64", "6.1.38-1", "amd64");
	add_pkg(&inv, VG_PKG_DEB, "linux-image-6.1.0-9-amd64", "6.1.27-1", "amd64");
	add_pkg(&inv, VG_PKG_DEB, "tzdata", "2024a-0+deb12u1", "all");
	add_pkg(&inv, VG_PKG_DEB, "tzdata-legacy", "2024a-0+deb12u1", "all");
	assert_int_equal(vg_collect_kernel(&inv), VG_OK);
	assert_kernels(&inv, expect, 2);
	assert_null(inv.kernel.running); /* not the host root */
	assert_false(inv.kernel.reboot_required);
	/* The architecture comes from the packages: "all" does not count. */
	assert_string_equal(inv.os.architecture, "amd64");
	vg_inventory_release(&inv);
}

/* rpm EVR order; kernel and kernel-core of one build are one kernel. */
static void
test_kernel_order_rpm(void **state)
{
	static const char *const expect[] = {"5.14.0-70.13.1.el9_0.x86_64",
					     "5.14.0-284.11.1.el9_2.x86_64",
					     "5.14.0-362.8.1.el9_3.x86_64"};
	static const char *const evrs[][2] = {
		{"5.14.0", "362.8.1.el9_3"},
		{"5.14.0", "70.13.1.el9_0"},
		{"5.14.0", "284.11.1.el9_2"},
	};
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent");
	inv.os.id = "rocky";
	inv.os.id_like = "rhel centos fedora";
	for (size_t i = 0; i < VG_ARRAY_LEN(evrs); i++) {
		for (int core = 0; core < 2; core++) {
			char v[64];
			struct vg_package *p;

			snprintf(v, sizeof(v), "%s-%s", evrs[i][0], evrs[i][1]);
			p = add_pkg(&inv, VG_PKG_RPM, core ? "kernel-core" : "kernel", v, "x86_64");
			p->rpm_version = evrs[i][0];
			p->release = evrs[i][1];
		}
	}
	add_pkg(&inv, VG_PKG_RPM, "kernel-headers", "5.14.0-999.el9", "x86_64");
	add_pkg(&inv, VG_PKG_RPM, "tzdata", "2023c-1.el9", "noarch");
	assert_int_equal(vg_collect_kernel(&inv), VG_OK);
	assert_kernels(&inv, expect, 3);
	assert_string_equal(inv.os.architecture, "x86_64");
	vg_inventory_release(&inv);
}

/* apk order across flavours: the newest package version wins. */
static void
test_kernel_order_apk(void **state)
{
	static const char *const expect[] = {"6.1.57-0-virt", "6.1.62-0-lts"};
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent");
	inv.os.id = "alpine";
	add_pkg(&inv, VG_PKG_APK, "linux-lts", "6.1.62-r0", "x86_64");
	add_pkg(&inv, VG_PKG_APK, "linux-virt", "6.1.57-r0", "x86_64");
	add_pkg(&inv, VG_PKG_APK, "linux-pam", "1.5.2-r10", "x86_64");
	assert_int_equal(vg_collect_kernel(&inv), VG_OK);
	assert_kernels(&inv, expect, 2);
	vg_inventory_release(&inv);
}

/* On the host root the running kernel is uname -r; reboot when it is not the newest. */
static void
test_kernel_reboot_required(void **state)
{
	struct vg_inventory inv;
	struct utsname u;
	char name[300];

	(void)state;
	assert_int_equal(uname(&u), 0);
	if (u.release[0] < '0' || u.release[0] > '9')
		skip(); /* the deb naming rule needs a release starting with a digit */
	snprintf(name, sizeof(name), "linux-image-%s", u.release);

	/* The running kernel is the only one installed: no reboot. */
	vg_inventory_init(&inv, "/");
	inv.os.id = "debian";
	add_pkg(&inv, VG_PKG_DEB, name, "1.0-1", "amd64");
	assert_int_equal(vg_collect_kernel(&inv), VG_OK);
	assert_string_equal(inv.kernel.running, u.release);
	assert_string_equal(inv.kernel.newest, u.release);
	assert_false(inv.kernel.reboot_required);
	vg_inventory_release(&inv);

	/* A newer kernel package is installed: reboot required. */
	vg_inventory_init(&inv, "/");
	inv.os.id = "debian";
	add_pkg(&inv, VG_PKG_DEB, name, "1.0-1", "amd64");
	add_pkg(&inv, VG_PKG_DEB, "linux-image-999.0.0-1-amd64", "999.0.0-1", "amd64");
	assert_int_equal(vg_collect_kernel(&inv), VG_OK);
	assert_string_equal(inv.kernel.running, u.release);
	assert_string_equal(inv.kernel.newest, "999.0.0-1-amd64");
	assert_true(inv.kernel.reboot_required);
	vg_inventory_release(&inv);
}

/* ---- fixture roots ---- */

static void
collect_root(struct vg_inventory *inv, const char *root, int (*pkgs)(struct vg_inventory *))
{
	char *path = vgt_test_data_path(root);

	vg_inventory_init(inv, path);
	free(path);
	assert_int_equal(vg_collect_os(inv), VG_OK);
	if (pkgs)
		assert_int_equal(pkgs(inv), VG_OK);
	assert_int_equal(vg_collect_kernel(inv), VG_OK);
	for (size_t i = 0; i < inv->nwarnings; i++)
		print_message("warning %s %s:%d %s\n", inv->warnings[i].collector,
			      inv->warnings[i].path, inv->warnings[i].line,
			      inv->warnings[i].message);
}

static void
test_root_debian_kernels(void **state)
{
	static const char *const expect[] = {"6.1.0-12-amd64", "6.1.0-13-amd64"};
	struct vg_inventory inv;

	(void)state;
	collect_root(&inv, "roots/os-debian12-kernels", vg_collect_dpkg);
	assert_string_equal(inv.os.id, "debian");
	assert_string_equal(inv.os.version_id, "12");
	assert_string_equal(inv.os.codename, "bookworm");
	assert_string_equal(inv.os.name, "Debian GNU/Linux");
	assert_string_equal(inv.os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_null(inv.os.id_like);
	assert_string_equal(inv.os.namespace_, "debian:12");
	assert_string_equal(inv.os.hostname, "deb-kernels");
	assert_string_equal(inv.os.machine_id, "0123456789abcdef0123456789abcdef");
	/* linux-image-6.1.0-11-amd64 is in config-files state: not installed. */
	assert_kernels(&inv, expect, 2);
	assert_null(inv.kernel.running);
	assert_false(inv.kernel.reboot_required);
	assert_string_equal(inv.os.architecture, "amd64");
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

static void
test_root_rocky_modules(void **state)
{
	static const char *const expect[] = {"5.14.0-70.13.1.el9_0.x86_64",
					     "5.14.0-284.11.1.el9_2.x86_64",
					     "5.14.0-362.8.1.el9_3.x86_64"};
	struct vg_inventory inv;

	(void)state;
	collect_root(&inv, "roots/os-rocky9-modules", NULL);
	assert_string_equal(inv.os.id, "rocky");
	assert_string_equal(inv.os.id_like, "rhel centos fedora");
	assert_string_equal(inv.os.version_id, "9.3");
	assert_string_equal(inv.os.namespace_, "rocky:9");
	assert_string_equal(inv.os.hostname, "rocky-build.example.com");
	assert_null(inv.os.machine_id); /* empty file: not initialised yet, no warning */
	/* No kernel package known: lib/modules, in rpm order; the stray file is ignored. */
	assert_kernels(&inv, expect, 3);
	assert_null(inv.os.architecture); /* neither packages nor a host kernel to ask */
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

static void
test_root_alpine_kernels(void **state)
{
	static const char *const expect[] = {"6.1.57-0-virt", "6.1.62-0-lts"};
	struct vg_inventory inv;

	(void)state;
	collect_root(&inv, "roots/os-alpine318-kernels", vg_collect_apk);
	assert_string_equal(inv.os.id, "alpine");
	assert_string_equal(inv.os.version_id, "3.18.4");
	assert_string_equal(inv.os.namespace_, "alpine:3.18");
	assert_string_equal(inv.os.architecture, "x86_64"); /* etc/apk/arch */
	assert_string_equal(inv.os.hostname, "alpine-kernels");
	assert_null(inv.os.machine_id);
	assert_kernels(&inv, expect, 2);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

static void
test_root_usr_lib_os_release(void **state)
{
	struct vg_inventory inv;

	(void)state;
	collect_root(&inv, "roots/os-fedora38-usrlib", NULL);
	assert_string_equal(inv.os.id, "fedora");
	assert_string_equal(inv.os.namespace_, "fedora:38");
	assert_string_equal(inv.os.pretty_name, "Fedora Linux 38 (Container Image)");
	assert_null(inv.os.codename); /* VERSION_CODENAME="" */
	assert_null(inv.os.hostname);
	assert_int_equal(inv.kernel.ninstalled, 0);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

static void
test_root_missing(void **state)
{
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent/vigil-root");
	assert_int_equal(vg_collect_os(&inv), VG_OK);
	assert_int_equal(vg_collect_kernel(&inv), VG_OK);
	assert_null(inv.os.id);
	assert_null(inv.os.namespace_);
	assert_null(inv.os.hostname);
	assert_null(inv.kernel.newest);
	assert_int_equal(inv.nwarnings, 1);
	assert_string_equal(inv.warnings[0].path, "etc/os-release");
	vg_inventory_release(&inv);
}

/* A temporary root whose etc/os-release and etc/machine-id cannot be read as files. */
static void
test_root_unreadable(void **state)
{
	char root[] = "/tmp/vigil-os-XXXXXX", p[256];
	struct vg_inventory inv;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/etc", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/etc/machine-id", root);
	assert_non_null(f = fopen(p, "w"));
	fputs("not-a-machine-id\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/etc/hostname", root);
	assert_non_null(f = fopen(p, "w"));
	fputs("bad host name\n", f);
	fclose(f);

	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_os(&inv), VG_OK);
	for (size_t i = 0; i < inv.nwarnings; i++)
		print_message("warning %s:%d %s\n", inv.warnings[i].path, inv.warnings[i].line,
			      inv.warnings[i].message);
	assert_null(inv.os.id);
	assert_null(inv.os.machine_id);
	assert_null(inv.os.hostname);
	/* Unreadable os-release (not a fallback to usr/lib), bad machine-id, bad hostname. */
	assert_int_equal(inv.nwarnings, 3);
	assert_string_equal(inv.warnings[0].path, "etc/os-release");
	assert_non_null(strstr(inv.warnings[0].message, "cannot read"));
	assert_string_equal(inv.warnings[1].path, "etc/hostname");
	assert_string_equal(inv.warnings[2].path, "etc/machine-id");
	vg_inventory_release(&inv);

	snprintf(p, sizeof(p), "%s/etc/machine-id", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/etc/hostname", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/etc", root);
	rmdir(p);
	rmdir(root);
}

/* The live host: whatever it runs, the collectors agree with the kernel's own answers. */
static void
test_host_root(void **state)
{
	struct vg_inventory inv;
	struct utsname u;
	char host[256];

	(void)state;
	assert_int_equal(uname(&u), 0);
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_os(&inv), VG_OK);
	assert_int_equal(vg_collect_kernel(&inv), VG_OK);
	assert_string_equal(inv.os.hostname, host);
	assert_string_equal(inv.kernel.running, u.release);
	assert_non_null(inv.os.architecture);
	if (access("/etc/os-release", R_OK) == 0 || access("/usr/lib/os-release", R_OK) == 0) {
		assert_non_null(inv.os.id);
		assert_non_null(inv.os.namespace_);
	}
	vg_inventory_release(&inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_os_release_syntax),
		cmocka_unit_test(test_os_release_limits),
		cmocka_unit_test(test_os_release_garbage),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_namespace_too_small),
		cmocka_unit_test(test_arch_names),
		cmocka_unit_test(test_kernel_release_of),
		cmocka_unit_test(test_kernel_release_too_long),
		cmocka_unit_test(test_kernel_order_deb),
		cmocka_unit_test(test_kernel_order_rpm),
		cmocka_unit_test(test_kernel_order_apk),
		cmocka_unit_test(test_kernel_reboot_required),
		cmocka_unit_test(test_root_debian_kernels),
		cmocka_unit_test(test_root_rocky_modules),
		cmocka_unit_test(test_root_alpine_kernels),
		cmocka_unit_test(test_root_usr_lib_os_release),
		cmocka_unit_test(test_root_missing),
		cmocka_unit_test(test_root_unreadable),
		cmocka_unit_test(test_host_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
