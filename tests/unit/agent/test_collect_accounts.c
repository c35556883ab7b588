/*
 * test_collect_accounts.c - passwd/shadow/group parsing: account fields,
 * password states without ever copying a hash, aging fields, admin groups,
 * login shells, malformed lines as warnings, and an unreadable shadow.
 * Fixture: tests/data/roots/accounts-mixed.
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
#include <unistd.h>

#include "agent/collect_accounts.h"
#include "agent/inventory.h"
#include "core/err.h"
#include "vgtest.h"

#define NS(s) ((s) ? (s) : "(null)")

static bool
streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const struct vg_account *
find(const struct vg_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->naccounts; i++)
		if (strcmp(inv->accounts[i].name, name) == 0)
			return &inv->accounts[i];
	return NULL;
}

/* No string anywhere in the inventory may contain a piece of a password hash. */
static void
assert_no_secret(const struct vg_inventory *inv, const char *secret)
{
	for (size_t i = 0; i < inv->nwarnings; i++) {
		assert_null(strstr(inv->warnings[i].message, secret));
		assert_null(strstr(inv->warnings[i].path, secret));
	}
	for (size_t i = 0; i < inv->naccounts; i++) {
		const struct vg_account *a = &inv->accounts[i];
		const char *s[] = {a->name, a->home, a->shell, a->admin_groups};

		for (size_t j = 0; j < VG_ARRAY_LEN(s); j++)
			assert_true(!s[j] || !strstr(s[j], secret));
	}
}

struct account_expect {
	const char *name;
	int uid, gid;
	const char *home, *shell;
	bool login;
	enum vg_pw_state pw;
	long aging[6]; /* last change, min, max, warn, inactive, expire */
	const char *admin;
};

#define NOAGE                          \
	{                              \
		-1, -1, -1, -1, -1, -1 \
	}

static const struct account_expect fixture_accounts[] = {
	{"root", 0, 0, "/root", "/bin/bash", true, VG_PW_SET, {19700, 0, 99999, 7, -1, -1}, "root"},
	{"daemon",
	 1,
	 1,
	 "/usr/sbin",
	 "/usr/sbin/nologin",
	 false,
	 VG_PW_LOCKED,
	 {19700, 0, 99999, 7, -1, -1},
	 NULL},
	{"bin",
	 2,
	 2,
	 "/bin",
	 "/usr/sbin/nologin",
	 false,
	 VG_PW_LOCKED,
	 {19700, 0, 99999, 7, -1, -1},
	 NULL},
	{"sync",
	 4,
	 65534,
	 "/bin",
	 "/bin/sync",
	 false,
	 VG_PW_LOCKED,
	 {19700, 0, 99999, 7, -1, -1},
	 NULL},
	/* gid 0: member of root by primary group. "!!" is locked. */
	{"halt",
	 7,
	 0,
	 "/sbin",
	 "/sbin/halt",
	 false,
	 VG_PW_LOCKED,
	 {19700, -1, -1, -1, -1, -1},
	 "root"},
	{"alice",
	 1000,
	 1000,
	 "/home/alice",
	 "/bin/bash",
	 true,
	 VG_PW_SET,
	 {19750, 1, 90, 14, 30, 20000},
	 "adm,sudo"},
	{"bob",
	 1001,
	 1001,
	 "/home/bob",
	 "/bin/zsh",
	 true,
	 VG_PW_EMPTY,
	 {19751, 0, 99999, 7, -1, -1},
	 "wheel"},
	{"carol",
	 1002,
	 1002,
	 "/home/carol",
	 "/bin/bash",
	 true,
	 VG_PW_LOCKED,
	 {19752, 0, 99999, 7, -1, -1},
	 NULL},
	/* A second uid 0 account: reported as it is, in the root group by gid. */
	{"toor", 0, 0, "/root", "/bin/sh", true, VG_PW_SET, {19753, 0, 99999, 7, -1, -1}, "root"},
	/* No shadow entry; an empty shell is /bin/sh, a login shell. */
	{"dave", 1003, 100, "/home/dave", NULL, true, VG_PW_UNKNOWN, NOAGE, NULL},
	/* Empty passwd field: no password whatever shadow says. */
	{"legacy",
	 1004,
	 1004,
	 "/home/legacy",
	 "/bin/sh",
	 true,
	 VG_PW_EMPTY,
	 {19754, 0, 99999, 7, -1, -1},
	 NULL},
	{"svc", 998, 998, "/var/lib/svc", "/bin/false", false, VG_PW_LOCKED, NOAGE, NULL},
	/* Leading blanks skipped; a bad "last change" is -1 with a warning; "alice, eve" trims. */
	{"eve",
	 1005,
	 1005,
	 "/home/eve",
	 "/bin/bash",
	 true,
	 VG_PW_SET,
	 {-1, 0, 99999, 7, -1, -1},
	 "sudo"},
	{"huge", -1, -1, "/nonexistent", "/usr/sbin/nologin", false, VG_PW_UNKNOWN, NOAGE, NULL},
};

static const struct {
	const char *path;
	int line;
	const char *message;
} fixture_warnings[] = {
	{"etc/passwd", 16, "expected 7 fields"},
	{"etc/passwd", 17, "invalid uid or gid of 'mallory'"},
	{"etc/passwd", 19, "uid or gid of 'huge' above 2147483647"},
	{"etc/shadow", 11, "invalid 'last change' field"},
	{"etc/shadow", 12, "expected 9 fields"},
	{"etc/group", 10, "expected 4 fields"},
	{"etc/group", 11, "invalid gid"},
};

static bool
account_matches(const struct vg_account *a, const struct account_expect *e)
{
	const long got[6] = {a->last_change, a->min_days,      a->max_days,
			     a->warn_days,   a->inactive_days, a->expire_date};

	if (strcmp(a->name, e->name) != 0 || a->uid != e->uid || a->gid != e->gid ||
	    !streq_null(a->home, e->home) || !streq_null(a->shell, e->shell) ||
	    a->login_shell != e->login || a->password != e->pw ||
	    !streq_null(a->admin_groups, e->admin))
		return false;
	return memcmp(got, e->aging, sizeof(got)) == 0;
}

static void
test_fixture_root(void **state)
{
	char *root = vgt_test_data_path("roots/accounts-mixed");
	struct vg_inventory inv;
	int failed = 0;

	(void)state;
	vg_inventory_init(&inv, root);
	free(root);
	assert_int_equal(vg_collect_accounts(&inv), VG_OK);
	for (size_t i = 0; i < VG_ARRAY_LEN(fixture_accounts) && i < inv.naccounts; i++) {
		const struct vg_account *a = &inv.accounts[i];

		if (!account_matches(a, &fixture_accounts[i])) {
			print_message(
				"account %zu '%s': uid %d gid %d home %s shell %s login %d "
				"pw %d aging %ld %ld %ld %ld %ld %ld admin %s; expected '%s'\n",
				i, a->name, a->uid, a->gid, NS(a->home), NS(a->shell),
				a->login_shell, a->password, a->last_change, a->min_days,
				a->max_days, a->warn_days, a->inactive_days, a->expire_date,
				NS(a->admin_groups), fixture_accounts[i].name);
			failed++;
		}
	}
	for (size_t i = 0; i < inv.nwarnings; i++) {
		const struct vg_inv_warning *w = &inv.warnings[i];

		assert_string_equal(w->collector, "accounts");
		if (i >= VG_ARRAY_LEN(fixture_warnings) ||
		    strcmp(w->path, fixture_warnings[i].path) != 0 ||
		    w->line != fixture_warnings[i].line ||
		    strcmp(w->message, fixture_warnings[i].message) != 0) {
			print_message("warning %zu: %s:%d %s\n", i, w->path, w->line, w->message);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
	assert_int_equal(inv.naccounts, VG_ARRAY_LEN(fixture_accounts));
	assert_int_equal(inv.nwarnings, VG_ARRAY_LEN(fixture_warnings));
	assert_no_secret(&inv, "FAKEHASH");
	assert_no_secret(&inv, "$6$");
	assert_no_secret(&inv, "$y$");
	assert_no_secret(&inv, "fakesalt");
	vg_inventory_release(&inv);
}

/* ---- password states ---- */

static void
test_password_states(void **state)
{
	static const struct {
		const char *field;
		enum vg_pw_state pw;
	} cases[] = {
		{"", VG_PW_EMPTY},
		{"!", VG_PW_LOCKED},
		{"!!", VG_PW_LOCKED},
		{"*", VG_PW_LOCKED},
		{"!*", VG_PW_LOCKED},
		{"*LK*", VG_PW_LOCKED},
		{"!$6$salt$hash", VG_PW_LOCKED},
		{"$6$salt$hash", VG_PW_SET},
		{"$y$j9T$salt$hash", VG_PW_SET},
		{"abcdefghijklm", VG_PW_SET}, /* traditional DES */
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_inventory inv;
		char shadow[128];

		snprintf(shadow, sizeof(shadow), "u:%s:19000:0:99999:7:::\n", cases[i].field);
		vg_inventory_init(&inv, "/nonexistent");
		(void)vg_passwd_parse(&inv, VG_STR_LIT("u:x:1000:1000::/home/u:/bin/sh\n"),
				      "etc/passwd");
		(void)vg_shadow_apply(&inv, vg_str_c(shadow), "etc/shadow");
		if (inv.naccounts != 1 || inv.accounts[0].password != cases[i].pw ||
		    inv.accounts[0].last_change != 19000 || inv.nwarnings != 0) {
			print_message("shadow field '%s': state %d, expected %d\n", cases[i].field,
				      inv.naccounts ? (int)inv.accounts[0].password : -1,
				      cases[i].pw);
			failed++;
		}
		/* The same field in passwd itself (no shadow lookup). */
		vg_inventory_release(&inv);
		if (strcmp(cases[i].field, "x") == 0)
			continue;
		snprintf(shadow, sizeof(shadow), "u:%s:1000:1000::/home/u:/bin/sh\n",
			 cases[i].field);
		vg_inventory_init(&inv, "/nonexistent");
		(void)vg_passwd_parse(&inv, vg_str_c(shadow), "etc/passwd");
		if (inv.naccounts != 1 || inv.accounts[0].password != cases[i].pw) {
			print_message("passwd field '%s': wrong state\n", cases[i].field);
			failed++;
		}
		vg_inventory_release(&inv);
	}
	assert_int_equal(failed, 0);
}

/* The old two-field shadow form, 8 fields, and the aging edge cases. */
static void
test_shadow_forms(void **state)
{
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent");
	(void)vg_passwd_parse(&inv,
			      VG_STR_LIT("a:x:1:1::/:/bin/sh\nb:x:2:2::/:/bin/sh\n"
					 "c:x:3:3::/:/bin/sh\nd:x:4:4::/:/bin/sh\n"),
			      "etc/passwd");
	(void)vg_shadow_apply(&inv,
			      VG_STR_LIT("a:$6$s$h\n"
					 "b:*:0:-1:-1:-1:-1:-1\n"
					 "c:!:00019000:1:2:3:4:5:\n"
					 "d:$6$s$h:123456789012345678901:::::\n"
					 "d:*:1:1:1:1:1:1:\n"),
			      "etc/shadow");
	assert_int_equal(inv.accounts[0].password, VG_PW_SET);
	assert_int_equal(inv.accounts[0].last_change, -1);
	assert_int_equal(inv.accounts[0].expire_date, -1);
	assert_int_equal(inv.accounts[1].password, VG_PW_LOCKED);
	assert_int_equal(inv.accounts[1].last_change, 0); /* 0: must change at next login */
	assert_int_equal(inv.accounts[1].min_days, -1);
	assert_int_equal(inv.accounts[2].password, VG_PW_LOCKED);
	assert_int_equal(inv.accounts[2].last_change, 19000);
	assert_int_equal(inv.accounts[2].expire_date, 5);
	/* The first entry of a name counts (getspnam); the number too long is a warning. */
	assert_int_equal(inv.accounts[3].password, VG_PW_SET);
	assert_int_equal(inv.accounts[3].last_change, -1);
	assert_int_equal(inv.accounts[3].min_days, -1);
	assert_int_equal(inv.nwarnings, 1);
	assert_int_equal(inv.warnings[0].line, 4);
	assert_null(strstr(inv.warnings[0].message, "$6$"));
	vg_inventory_release(&inv);
}

/* ---- passwd lines ---- */

static void
test_passwd_lines(void **state)
{
	static const struct {
		const char *text;
		size_t naccounts, nwarnings;
	} cases[] = {
		{"", 0, 0},
		{"\n\n# only comments\n   \n", 0, 0},
		{"a:x:1:1:gecos:/home/a:/bin/sh", 1, 0}, /* no final newline */
		{"a:x:1:1:gecos:/home/a:/bin/sh:extra\n", 0, 1},
		{"a:x:1:1:gecos:/home/a\n", 0, 1},
		{":x:1:1::/:/bin/sh\n", 0, 1},
		{"a:x:-1:1::/:/bin/sh\n", 0, 1},
		{"a:x::1::/:/bin/sh\n", 0, 1},
		{"a:x:1:1x::/:/bin/sh\n", 0, 1},
		{"a:x:99999999999999999999999:1::/:/bin/sh\n", 0, 1},
		{"a:x:4294967294:1::/:/bin/sh\n", 1, 1},
		{"a\x01:x:1:1::/:/bin/sh\n", 0, 1},
		{"a:x:1:1::/:/bin/sh\r\n", 0, 1},
		{"+\n+alice\n-bob\n+@group::::::\n", 0, 0},
		{"a:x:1:1::/:/bin/sh\na:x:2:2::/:/bin/sh\n", 2, 0},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_inventory inv;

		vg_inventory_init(&inv, "/nonexistent");
		assert_int_equal(vg_passwd_parse(&inv, vg_str_c(cases[i].text), "etc/passwd"),
				 VG_OK);
		if (inv.naccounts != cases[i].naccounts || inv.nwarnings != cases[i].nwarnings) {
			print_message("case %zu: %zu accounts %zu warnings, expected %zu %zu\n", i,
				      inv.naccounts, inv.nwarnings, cases[i].naccounts,
				      cases[i].nwarnings);
			failed++;
		}
		vg_inventory_release(&inv);
	}
	assert_int_equal(failed, 0);
}

static void
test_login_shells(void **state)
{
	static const struct {
		const char *shell;
		bool login;
	} cases[] = {
		{"/bin/bash", true},          {"/usr/bin/zsh", true},         {"", true},
		{"/usr/sbin/nologin", false}, {"/sbin/nologin", false},       {"/bin/false", false},
		{"/usr/bin/false", false},    {"/bin/true", false},           {"/bin/sync", false},
		{"/sbin/shutdown", false},    {"/sbin/halt", false},          {"/dev/null", false},
		{"nologin", false},           {"/opt/nologin-wrapper", true},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_inventory inv;
		char line[128];

		snprintf(line, sizeof(line), "u:x:1:1::/home/u:%s\n", cases[i].shell);
		vg_inventory_init(&inv, "/nonexistent");
		(void)vg_passwd_parse(&inv, vg_str_c(line), "etc/passwd");
		if (inv.naccounts != 1 || inv.accounts[0].login_shell != cases[i].login) {
			print_message("shell '%s': login %d, expected %d\n", cases[i].shell,
				      inv.naccounts ? inv.accounts[0].login_shell : -1,
				      cases[i].login);
			failed++;
		}
		vg_inventory_release(&inv);
	}
	assert_int_equal(failed, 0);
}

static void
test_admin_groups(void **state)
{
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent");
	(void)vg_passwd_parse(&inv,
			      VG_STR_LIT("root:x:0:0::/root:/bin/sh\n"
					 "ann:x:1000:10:::/bin/sh\n"
					 "ben:x:1001:1001:::/bin/sh\n"
					 "cat:x:1002:1002:::/bin/sh\n"
					 "annex:x:1003:1003:::/bin/sh\n"),
			      "etc/passwd");
	(void)vg_group_apply(&inv,
			     VG_STR_LIT("root:x:0:\n"
					"wheel:x:10:ben\n"
					"admin:x:115:ann,cat\n"
					"sudo:x:27:\n"
					"docker:x:999:ann,ben,cat\n"
					"wheel:x:10:cat\n"
					"adm:x:4:annex-no,xannex\n"),
			     "etc/group");
	assert_string_equal(inv.accounts[0].admin_groups, "root");
	/* Primary gid 10 is wheel; a duplicate wheel line does not repeat it. */
	assert_string_equal(inv.accounts[1].admin_groups, "wheel,admin");
	assert_string_equal(inv.accounts[2].admin_groups, "wheel");
	assert_string_equal(inv.accounts[3].admin_groups, "admin,wheel");
	/* Member names match whole, not as prefixes; docker is not an admin group. */
	assert_null(inv.accounts[4].admin_groups);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

/* ---- files under a temporary root ---- */

static void
write_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

/* Shadow that cannot be read (a directory here: the tests may run as root): one warning. */
static void
test_shadow_unreadable(void **state)
{
	char root[] = "/tmp/vigil-acct-XXXXXX", etc[256], p[300];
	struct vg_inventory inv;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(etc, sizeof(etc), "%s/etc", root);
	assert_int_equal(mkdir(etc, 0755), 0);
	write_file(etc, "passwd", "root:x:0:0:root:/root:/bin/bash\nu:x:1:1::/:/bin/sh\n");
	snprintf(p, sizeof(p), "%s/shadow", etc);
	assert_int_equal(mkdir(p, 0700), 0);

	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_accounts(&inv), VG_OK);
	assert_int_equal(inv.naccounts, 2);
	assert_int_equal(inv.accounts[0].password, VG_PW_UNKNOWN);
	assert_int_equal(inv.accounts[1].password, VG_PW_UNKNOWN);
	assert_int_equal(inv.accounts[0].max_days, -1);
	assert_int_equal(inv.nwarnings, 1);
	assert_string_equal(inv.warnings[0].path, "etc/shadow");
	assert_non_null(strstr(inv.warnings[0].message, "cannot read"));
	vg_inventory_release(&inv);

	/* Absent shadow: unknown states, not a warning. */
	rmdir(p);
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_accounts(&inv), VG_OK);
	assert_int_equal(inv.naccounts, 2);
	assert_int_equal(inv.accounts[1].password, VG_PW_UNKNOWN);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);

	snprintf(p, sizeof(p), "%s/passwd", etc);
	unlink(p);
	rmdir(etc);
	rmdir(root);
}

static void
test_no_passwd(void **state)
{
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent/vigil-root");
	assert_int_equal(vg_collect_accounts(&inv), VG_OK);
	assert_int_equal(inv.naccounts, 0);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

/* Arbitrary bytes never crash any of the three parsers. */
static void
test_garbage(void **state)
{
	static const char alphabet[] = "ab:x0123456789\n\r\t #+-!*$,/\0\x01\xff";
	uint32_t seed = 4242;
	char buf[300];

	(void)state;
	for (int round = 0; round < 3000; round++) {
		struct vg_inventory inv;
		size_t len = (size_t)(round % (int)sizeof(buf));
		struct vg_str s = vg_str_n(buf, len);

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		vg_inventory_init(&inv, "/nonexistent");
		(void)vg_passwd_parse(&inv, s, "p");
		(void)vg_shadow_apply(&inv, s, "s");
		(void)vg_group_apply(&inv, s, "g");
		for (size_t i = 0; i < inv.naccounts; i++)
			assert_non_null(inv.accounts[i].name);
		vg_inventory_release(&inv);
	}
}

/* The live host: every account has a name; no hash leaks whatever root can read. */
static void
test_host_root(void **state)
{
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_accounts(&inv), VG_OK);
	if (access("/etc/passwd", R_OK) == 0)
		assert_non_null(find(&inv, "root"));
	assert_no_secret(&inv, "$6$");
	assert_no_secret(&inv, "$y$");
	vg_inventory_release(&inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_root),      cmocka_unit_test(test_password_states),
		cmocka_unit_test(test_shadow_forms),      cmocka_unit_test(test_passwd_lines),
		cmocka_unit_test(test_login_shells),      cmocka_unit_test(test_admin_groups),
		cmocka_unit_test(test_shadow_unreadable), cmocka_unit_test(test_no_passwd),
		cmocka_unit_test(test_garbage),           cmocka_unit_test(test_host_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
