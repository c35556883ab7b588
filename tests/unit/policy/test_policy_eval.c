/*
 * test_policy_eval.c - unit tests of the evaluator (src/policy/eval*.c,
 * command.c).
 *
 *  - Every Vigil rule kind (tests/data/policies/eval-kinds.yml, one check per
 *    kind and option case) on the fixture roots config-compliant (all pass)
 *    and config-noncompliant (all fail but one), with the exact result,
 *    reason and evidence, read off the roots' files by hand; the inventory
 *    (packages, processes, listeners, accounts) comes from the collectors
 *    plus what each test adds.
 *  - The combination table (all / any / none x true / false / NA / error),
 *    `not`, and applicability, on a temporary root.
 *  - Both real Wazuh policies (../shared/data/sca/wazuh) on the Debian 12
 *    root config-debian12, where their requirements hold (35 + 21 checks
 *    hand-verified against the root's files and the OS_Regex rules of
 *    docs/internals/sca-eval.md, plus the totals), and on config-noncompliant,
 *    where they do not (every check notApplicable).
 *  - Command rules (c:): disabled by default, run without a shell, refused
 *    when they need one, timed out, and only on the host root.
 *  - Secure Score, watch paths, result names, the text cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "policy/command.h"
#include "policy/eval.h"
#include "policy/policy.h"
#include "vgtest.h"

#define CC  "config-compliant"
#define CNC "config-noncompliant"
#define D12 "config-debian12"

static char *
root_path(const char *name)
{
	char rel[128];

	(void)snprintf(rel, sizeof(rel), "roots/%s", name);
	return vgt_test_data_path(rel);
}

static void
load_data_policy(const char *rel, struct vg_policy *p)
{
	char *path = vgt_test_data_path(rel);
	struct vg_err err;

	if (vg_policy_load_file(path, p, &err) != VG_OK)
		fail_msg("%s: %s", path, err.msg);
	free(path);
}

static void
load_mem(const char *yaml, struct vg_policy *p)
{
	struct vg_err err;

	if (vg_policy_load_mem(vg_str_c(yaml), "<test>", p, &err) != VG_OK)
		fail_msg("policy: %s", err.msg);
}

static struct vg_process *
add_proc(struct vg_inventory *inv, int pid, const char *exe)
{
	struct vg_process *p = vg_inv_add_process(inv);

	p->pid = pid;
	p->exe = vg_inv_strc(inv, exe);
	p->cmdline = vg_inv_strc(inv, exe);
	return p;
}

static void
add_listener(struct vg_inventory *inv, const char *addr, int port, bool loopback, const char *exe)
{
	struct vg_listener *l = vg_inv_add_listener(inv);

	l->proto = "tcp";
	l->address = vg_inv_strc(inv, addr);
	l->port = port;
	l->loopback = loopback;
	l->process = vg_inv_strc(inv, exe);
}

static void
add_deb(struct vg_inventory *inv, const char *name, const char *version)
{
	struct vg_package *p = vg_inv_add_package(inv, VG_PKG_DEB);

	p->name = vg_inv_strc(inv, name);
	p->version = vg_inv_strc(inv, version);
}

static struct vg_account *
find_account(struct vg_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->naccounts; i++)
		if (strcmp(inv->accounts[i].name, name) == 0)
			return &inv->accounts[i];
	fail_msg("no account '%s'", name);
	return NULL;
}

static struct vg_account *
add_account(struct vg_inventory *inv, const char *name, int uid, const char *shell,
	    enum vg_pw_state pw)
{
	struct vg_account *a = vg_inv_add_account(inv);

	a->name = vg_inv_strc(inv, name);
	a->uid = uid;
	a->shell = vg_inv_strc(inv, shell);
	a->login_shell = strstr(shell, "nologin") == NULL && strstr(shell, "false") == NULL;
	a->password = pw;
	a->last_change = a->min_days = a->max_days = a->warn_days = a->inactive_days = -1;
	a->expire_date = -1;
	return a;
}

/*
 * The inventory of @name as the collectors see it (os-release, dpkg, the
 * processes of proc/, etc/passwd), plus the runtime state a fixture cannot
 * carry: compliant runs auditd and sshd; non-compliant has telnetd, an inetd
 * on port 23, an empty password, a second uid 0 and a system account with
 * a shell.
 */
static void
inventory_for(const char *name, struct vg_inventory *inv)
{
	char *root = root_path(name);
	struct vg_account *r;

	vg_inventory_init(inv, root);
	assert_int_equal(vg_collect_os(inv), VG_OK);
	assert_int_equal(vg_collect_dpkg(inv), VG_OK);
	assert_int_equal(vg_collect_processes(inv), VG_OK);
	assert_int_equal(vg_collect_accounts(inv), VG_OK);
	assert_true(inv->nprocesses >= 1);
	assert_int_equal(inv->naccounts, 3);
	r = find_account(inv, "root");
	r->password = VG_PW_SET;
	add_listener(inv, "127.0.0.1", 631, true, "/usr/sbin/cupsd");
	if (strcmp(name, CNC) == 0) {
		r->max_days = 99999;
		add_deb(inv, "telnetd", "0.17-44");
		add_listener(inv, "0.0.0.0", 23, false, "/usr/sbin/inetd");
		add_account(inv, "guest", 1001, "/bin/bash", VG_PW_EMPTY);
		add_account(inv, "toor", 0, "/bin/sh", VG_PW_LOCKED);
		add_account(inv, "backup", 34, "/bin/bash", VG_PW_LOCKED);
	} else {
		r->max_days = 90;
		add_deb(inv, "openssh-server", "1:9.2p1-2+deb12u3");
		add_proc(inv, 612, "/usr/sbin/auditd");
		add_listener(inv, "0.0.0.0", 22, false, "/usr/sbin/sshd");
	}
	free(root);
}

struct kind_row {
	const char *id;
	enum vg_result result;
	const char *reason, *evidence;
};

static const struct kind_row cc_rows[] = {
	{"scid-1", VG_RESULT_PASSED, "PermitRootLogin is 'no' (/etc/ssh/sshd_config:4), want 'no'",
	 "/etc/ssh/sshd_config:4: PermitRootLogin no # a trailing comment"},
	{"scid-2", VG_RESULT_PASSED,
	 "MaxAuthTries is '4' (/etc/ssh/sshd_config.d/50-hardening.conf:3), want <= 4",
	 "/etc/ssh/sshd_config.d/50-hardening.conf:3: maxauthtries=4"},
	{"scid-3", VG_RESULT_PASSED,
	 "PasswordAuthentication is 'no' (/etc/ssh/sshd_config.d/50-hardening.conf:2), want 'no'",
	 "/etc/ssh/sshd_config.d/50-hardening.conf:2: PasswordAuthentication no"},
	/* The last definition wins: line 9, not line 3's 365. */
	{"scid-4", VG_RESULT_PASSED, "PASS_MAX_DAYS is '90' (/etc/login.defs:9), want <= 365",
	 "/etc/login.defs:9: PASS_MAX_DAYS\t90"},
	{"scid-5", VG_RESULT_PASSED,
	 "ENCRYPT_METHOD is 'SHA512' (/etc/login.defs:7), want one of 'SHA512', 'YESCRYPT'",
	 "/etc/login.defs:7: ENCRYPT_METHOD \"SHA512\""},
	/* Runtime 0 (proc/sys), then the configured value decides the reason. */
	{"scid-6", VG_RESULT_PASSED,
	 "net.ipv4.ip_forward is '0' (/etc/sysctl.d/90-hardening.conf:2), want '0'",
	 "/etc/sysctl.d/90-hardening.conf:2: net/ipv4/ip_forward = 0"},
	{"scid-7", VG_RESULT_PASSED,
	 "kernel.randomize_va_space is '2' (/etc/sysctl.d/90-hardening.conf:3), want '2'",
	 "/etc/sysctl.d/90-hardening.conf:3: kernel.randomize_va_space=2"},
	{"scid-8", VG_RESULT_PASSED,
	 "* hard core is '0' (/etc/security/limits.d/20-core.conf:1), want '0'",
	 "/etc/security/limits.d/20-core.conf:1: *  hard core 0   # again, in a drop-in"},
	{"scid-9", VG_RESULT_PASSED,
	 "pam_pwquality.so retry is '3' (/etc/pam.d/common-password:2), want <= 3",
	 "/etc/pam.d/common-password:2: password\trequisite\t\t\tpam_pwquality.so retry=3 "
	 "minlen=14"},
	{"scid-10", VG_RESULT_PASSED, "pam_unix.so nullok is not set, want it not set",
	 "/etc/pam.d/common-password:3: password\t[success=1 default=ignore]\tpam_unix.so obscure "
	 "use_authtok try_first_pass yescrypt"},
	{"scid-11", VG_RESULT_PASSED,
	 "none of the packages telnetd, inetutils-telnetd is installed, want it absent", NULL},
	{"scid-12", VG_RESULT_PASSED, "auditd.service is enabled, not masked, want enabled",
	 "/etc/systemd/system/multi-user.target.wants/auditd.service"},
	{"scid-13", VG_RESULT_PASSED, "rsync.service is not enabled, masked, want masked",
	 "/etc/systemd/system/rsync.service -> /dev/null"},
	/* No cgroup fs under the root: the process list says auditd runs. */
	{"scid-14", VG_RESULT_PASSED, "auditd.service is enabled, not masked, active, want active",
	 "process 612 /usr/sbin/auditd"},
	{"scid-15", VG_RESULT_PASSED, "tcp port 23 is not listening, want it not listening", NULL},
	{"scid-16", VG_RESULT_PASSED,
	 "tcp port 631 is not listening on a non-loopback address, want it not listening", NULL},
	{"scid-17", VG_RESULT_PASSED,
	 "/tmp is mounted with rw,nosuid,nodev,noexec,relatime, want those options",
	 "/proc/mounts:2: tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,relatime"},
	{"scid-18", VG_RESULT_PASSED,
	 "module cramfs is not loaded, install disabled, want not loaded, disabled",
	 "/etc/modprobe.d/cis.conf:1: install cramfs /bin/false"},
	{"scid-19", VG_RESULT_PASSED, NULL, NULL}, /* owner depends on who checked out */
	{"scid-20", VG_RESULT_PASSED, "/etc/hosts.equiv does not exist, want it absent", NULL},
	{"scid-21", VG_RESULT_PASSED,
	 "no line of /etc/issue.net matches, want no line matching '\\\\[mrsv]'", NULL},
	{"scid-22", VG_RESULT_PASSED,
	 "no line of /etc/ssh/sshd_config.d matches, want no line matching "
	 "'^\\s*X11Forwarding\\s+yes'",
	 NULL},
	{"scid-23", VG_RESULT_PASSED,
	 "all 4 lines of /etc/pam.d/common-password match, want every line matching '^password\\s'",
	 NULL},
	{"scid-24", VG_RESULT_PASSED, "all 3 accounts comply, want no empty password", NULL},
	{"scid-25", VG_RESULT_PASSED, "all 3 accounts comply, want uid 0 for root only", NULL},
	{"scid-26", VG_RESULT_PASSED,
	 "accounts with a password: 1, each with max_days, want <= 365", NULL},
	{"scid-27", VG_RESULT_PASSED,
	 "all 3 accounts comply, want no login shell for system accounts", NULL},
};

static const struct kind_row cnc_rows[] = {
	{"scid-1", VG_RESULT_FAILED, "PermitRootLogin is 'yes' (/etc/ssh/sshd_config:3), want 'no'",
	 "/etc/ssh/sshd_config:3: PermitRootLogin yes"},
	/* Only inside Match blocks: unset, and no default given. */
	{"scid-2", VG_RESULT_FAILED, "MaxAuthTries is not set, want <= 4", NULL},
	{"scid-3", VG_RESULT_FAILED, "PasswordAuthentication is not set (default 'yes'), want 'no'",
	 NULL},
	{"scid-4", VG_RESULT_FAILED, "PASS_MAX_DAYS is '99999' (/etc/login.defs:2), want <= 365",
	 "/etc/login.defs:2: PASS_MAX_DAYS\t99999"},
	{"scid-5", VG_RESULT_FAILED,
	 "ENCRYPT_METHOD is 'MD5' (/etc/login.defs:5), want one of 'SHA512', 'YESCRYPT'",
	 "/etc/login.defs:5: ENCRYPT_METHOD MD5"},
	{"scid-6", VG_RESULT_FAILED,
	 "net.ipv4.ip_forward is '1' (/proc/sys/net/ipv4/ip_forward:1), want '0'",
	 "/proc/sys/net/ipv4/ip_forward:1: 1"},
	{"scid-7", VG_RESULT_FAILED,
	 "kernel.randomize_va_space is not set in any sysctl file, want '2'", NULL},
	{"scid-8", VG_RESULT_FAILED,
	 "* hard core is 'unlimited' (/etc/security/limits.conf:1), want '0'",
	 "/etc/security/limits.conf:1: *               hard    core            unlimited"},
	{"scid-9", VG_RESULT_FAILED,
	 "pam_pwquality.so is not in the password stack of common-password, want it present", NULL},
	{"scid-10", VG_RESULT_FAILED,
	 "pam_unix.so nullok is '' (/etc/pam.d/common-password:1), want it not set",
	 "/etc/pam.d/common-password:1: password\t[success=1 default=ignore]\tpam_unix.so nullok "
	 "sha512"},
	{"scid-11", VG_RESULT_FAILED, "package telnetd 0.17-44 is installed, want it absent",
	 "package telnetd 0.17-44"},
	{"scid-12", VG_RESULT_FAILED, "auditd.service is not enabled, not masked, want enabled",
	 "/usr/lib/systemd/system/auditd.service"},
	{"scid-13", VG_RESULT_FAILED, "rsync.service is enabled, not masked, want masked",
	 "/etc/systemd/system/multi-user.target.wants/rsync.service"},
	{"scid-14", VG_RESULT_FAILED,
	 "auditd.service is not enabled, not masked, inactive, want active",
	 "/usr/lib/systemd/system/auditd.service"},
	{"scid-15", VG_RESULT_FAILED,
	 "tcp port 23 listens on 0.0.0.0 by /usr/sbin/inetd, want it not listening",
	 "tcp 0.0.0.0:23 /usr/sbin/inetd"},
	/* 631 listens on loopback only: it does not count as external. */
	{"scid-16", VG_RESULT_PASSED,
	 "tcp port 631 is not listening on a non-loopback address, want it not listening", NULL},
	/* /tmp is mounted twice; the later mount (on top) lacks the options. */
	{"scid-17", VG_RESULT_FAILED, "/tmp is mounted without nodev, want option nodev",
	 "/proc/mounts:3: tmpfs /tmp tmpfs rw,relatime"},
	/* Loaded, and its blacklist in usr/lib is masked by etc/'s /dev/null link. */
	{"scid-18", VG_RESULT_FAILED,
	 "module cramfs is loaded, not disabled, want not loaded, disabled",
	 "/proc/modules: cramfs"},
	{"scid-19", VG_RESULT_FAILED, NULL, NULL}, /* mode 0755: checked below */
	{"scid-20", VG_RESULT_FAILED, NULL, NULL}, /* exists */
	{"scid-21", VG_RESULT_FAILED,
	 "a line of /etc/issue.net matches, want no line matching '\\\\[mrsv]'",
	 "/etc/issue.net:1: Debian GNU/Linux \\r \\m"},
	{"scid-22", VG_RESULT_FAILED,
	 "a line of /etc/ssh/sshd_config.d/20-x11.conf matches, want no line matching "
	 "'^\\s*X11Forwarding\\s+yes'",
	 "/etc/ssh/sshd_config.d/20-x11.conf:1: X11Forwarding yes"},
	{"scid-23", VG_RESULT_FAILED,
	 "a line of /etc/pam.d/common-password does not match, want every line matching "
	 "'^password\\s'",
	 "/etc/pam.d/common-password:3: -password\toptional\tpam_gnome_keyring.so"},
	{"scid-24", VG_RESULT_FAILED, "account guest has an empty password, want no empty password",
	 "/etc/shadow: guest::"},
	{"scid-25", VG_RESULT_FAILED, "account toor has uid 0, want uid 0 for root only",
	 "/etc/passwd: toor:x:0"},
	{"scid-26", VG_RESULT_FAILED, "account root has max_days 99999, want <= 365",
	 "/etc/shadow: root max_days=99999"},
	/* toor comes first: uid 0 below 1000, not root, with a shell. */
	{"scid-27", VG_RESULT_FAILED,
	 "system account toor (uid 0) has the shell /bin/sh, want no login shell for system "
	 "accounts",
	 "/etc/passwd: toor:0:/bin/sh"},
};

static void
check_row(const struct kind_row *row, const struct vg_check_result *r)
{
	if (r->result != row->result)
		fail_msg("%s: %s, want %s (%s)", row->id, vg_result_name(r->result),
			 vg_result_name(row->result), r->reason ? r->reason : "-");
	if (row->reason && (!r->reason || strcmp(r->reason, row->reason) != 0))
		fail_msg("%s: reason '%s', want '%s'", row->id, r->reason ? r->reason : "(null)",
			 row->reason);
	if (row->reason && !row->evidence && r->evidence)
		fail_msg("%s: evidence '%s', want none", row->id, r->evidence);
	if (row->evidence && (!r->evidence || strcmp(r->evidence, row->evidence) != 0))
		fail_msg("%s: evidence '%s', want '%s'", row->id,
			 r->evidence ? r->evidence : "(null)", row->evidence);
}

static void
run_kinds(const char *root_name, const struct kind_row *rows, size_t nrows,
	  struct vg_secure_score *score)
{
	struct vg_policy p;
	struct vg_inventory inv;
	struct vg_evaluator ev;
	struct vg_check_result *res;
	size_t n;
	char *root = root_path(root_name);

	load_data_policy("policies/eval-kinds.yml", &p);
	assert_int_equal(p.nchecks, nrows);
	inventory_for(root_name, &inv);
	vg_eval_init(&ev, root, &inv, NULL);
	assert_int_equal(vg_eval_policy(&ev, &p, &res, &n), VG_OK);
	assert_int_equal(n, nrows);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(res[i].check->id, rows[i].id);
		check_row(&rows[i], &res[i]);
	}
	if (strcmp(root_name, CNC) == 0) {
		/* The mode and existence rows, whose owner text depends on the checkout. */
		assert_non_null(
			strstr(res[18].reason, "/etc/issue.net is a file, mode 0755, owner "));
		assert_non_null(strstr(res[18].reason, ", want a regular file, mode at most 0644"));
		assert_non_null(strstr(res[19].reason, "/etc/hosts.equiv is a file, mode 0644"));
		assert_non_null(strstr(res[19].reason, ", want it absent"));
	} else {
		assert_non_null(
			strstr(res[18].reason, "/etc/issue.net is a file, mode 0644, owner "));
	}
	vg_secure_score_device(res, n, score);
	vg_eval_release(&ev);
	vg_inventory_release(&inv);
	vg_policy_release(&p);
	free(root);
}

static void
t_kinds_compliant(void **state)
{
	struct vg_secure_score s;

	(void)state;
	run_kinds(CC, cc_rows, sizeof(cc_rows) / sizeof(cc_rows[0]), &s);
	assert_int_equal(s.passed, 27);
	assert_int_equal(s.failed + s.na + s.error, 0);
	assert_true(s.points == 126 && s.max == 126);
	assert_true(vg_secure_score_percent(s.points, s.max) == 100.0);
}

static void
t_kinds_noncompliant(void **state)
{
	struct vg_secure_score s;

	(void)state;
	run_kinds(CNC, cnc_rows, sizeof(cnc_rows) / sizeof(cnc_rows[0]), &s);
	assert_int_equal(s.passed, 1);
	assert_int_equal(s.failed, 26);
	assert_int_equal(s.na + s.error, 0);
	/* Only scid-16 (Network, impact 2) passes; sums per category from eval-kinds.yml. */
	assert_true(s.points == 2 && s.max == 126);
	assert_true(s.cat_points[VG_CAT_NETWORK] == 2 && s.cat_max[VG_CAT_NETWORK] == 18);
	assert_true(s.cat_max[VG_CAT_ACCOUNTS] == 72 && s.cat_points[VG_CAT_ACCOUNTS] == 0);
	assert_true(s.cat_max[VG_CAT_OS] == 19 && s.cat_max[VG_CAT_APPLICATION] == 5);
	assert_true(s.cat_max[VG_CAT_SECURITY_CONTROLS] == 12 && s.cat_max[VG_CAT_NONE] == 0);
	assert_true(vg_secure_score_percent(s.points, s.max) > 1.587 &&
		    vg_secure_score_percent(s.points, s.max) < 1.588);
	assert_true(vg_secure_score_percent(0, 0) == 0.0);
}

/* ---- a temporary root for combination, applicability and the text cap ---- */

static char tmp_root[256];

static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
setup_tmp(void **state)
{
	char *long_a = malloc(64);

	(void)state;
	(void)snprintf(tmp_root, sizeof(tmp_root), "/tmp/vg-eval-XXXXXX");
	if (!mkdtemp(tmp_root) || !long_a)
		return -1;
	put("yes", "present\n");
	/* "(a+)+$" backtracks exponentially on this line and hits the match limit. */
	memset(long_a, 'a', 40);
	long_a[40] = '!';
	long_a[41] = '\n';
	long_a[42] = '\0';
	put("long", long_a);
	free(long_a);
	return 0;
}

static int
teardown_tmp(void **state)
{
	char cmd[300];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
	return system(cmd) == 0 ? 0 : -1;
}

#define HEAD                                                                      \
	"policy: {format: vigil, id: t, name: t, version: '1', description: d}\n" \
	"checks:\n"
#define CHECK(id, cond)                                                                      \
	"  - {id: " id ", title: t, category: OS, impact: 1, rationale: r, remediation: m, " \
	"references: [x], condition: " cond ", rules: ["
#define T   "{file: /yes}"
#define F   "{file: /no}"
#define NA  "{sshd: PermitRootLogin}"
#define ERR "{content: /long, regex: '^(a+)+$'}"

struct combo_row {
	const char *id;
	enum vg_result result;
	const char *reason; /* prefix */
};

static void
t_combination(void **state)
{
	static const char yaml[] =
		HEAD CHECK("scid-1", "all") T ", " T "]}\n" CHECK("scid-2", "all") T
		", " F "]}\n" CHECK("scid-3", "all") T ", " NA "]}\n" CHECK("scid-4", "all") NA
		", " F "]}\n" CHECK("scid-5", "all") NA ", " ERR "]}\n" CHECK("scid-6", "all") ERR
		", " T "]}\n" CHECK("scid-7", "any") F ", " F "]}\n" CHECK("scid-8", "any") F
		", " T "]}\n" CHECK("scid-9", "any") NA ", " T "]}\n" CHECK("scid-10", "any") F
		", " NA "]}\n" CHECK("scid-11", "any") ERR ", " NA "]}\n" CHECK("scid-12", "none") F
		", " F "]}\n" CHECK("scid-13", "none") F ", " T "]}\n" CHECK("scid-14", "none") NA
		", " T "]}\n" CHECK("scid-15", "none") F ", " NA "]}\n" CHECK("scid-16", "none") F
		", " ERR "]}\n" CHECK("scid-17", "all") "{file: /yes, not: true}]}\n" CHECK(
			"scid-18",
			"all") "{sshd: PermitRootLogin, not: true}]}\n" CHECK("scid-19",
									      "any") "{file: /no, not: true}, " F
										     "]}\n";
	static const struct combo_row rows[] = {
		{"scid-1", VG_RESULT_PASSED, "/yes is a file"},
		{"scid-2", VG_RESULT_FAILED, "/no does not exist, want it to exist"},
		{"scid-3", VG_RESULT_NA, "/etc/ssh/sshd_config does not exist"},
		/* A false rule decides ALL even after an unknown one. */
		{"scid-4", VG_RESULT_FAILED, "/no does not exist"},
		{"scid-5", VG_RESULT_ERROR, "regex '^(a+)+$' could not be matched in /long"},
		{"scid-6", VG_RESULT_ERROR, "regex '^(a+)+$'"},
		{"scid-7", VG_RESULT_FAILED, "/no does not exist"},
		{"scid-8", VG_RESULT_PASSED, "/yes is a file"},
		{"scid-9", VG_RESULT_PASSED, "/yes is a file"},
		{"scid-10", VG_RESULT_NA, "/etc/ssh/sshd_config does not exist"},
		{"scid-11", VG_RESULT_ERROR, "regex"},
		{"scid-12", VG_RESULT_PASSED, "/no does not exist, want not it to exist"},
		{"scid-13", VG_RESULT_FAILED, "/yes is a file"},
		{"scid-14", VG_RESULT_FAILED, "/yes is a file"},
		{"scid-15", VG_RESULT_NA, "/etc/ssh/sshd_config does not exist"},
		{"scid-16", VG_RESULT_ERROR, "regex"},
		{"scid-17", VG_RESULT_FAILED, "/yes is a file, mode "},
		/* `not` leaves notApplicable alone. */
		{"scid-18", VG_RESULT_NA, "/etc/ssh/sshd_config does not exist"},
		{"scid-19", VG_RESULT_PASSED, "/no does not exist, want not it to exist"},
	};
	struct vg_policy p;
	struct vg_evaluator ev;
	struct vg_check_result *res;
	size_t n;

	(void)state;
	load_mem(yaml, &p);
	vg_eval_init(&ev, tmp_root, NULL, NULL);
	assert_int_equal(vg_eval_policy(&ev, &p, &res, &n), VG_OK);
	assert_int_equal(n, sizeof(rows) / sizeof(rows[0]));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(res[i].check->id, rows[i].id);
		if (res[i].result != rows[i].result ||
		    strncmp(res[i].reason, rows[i].reason, strlen(rows[i].reason)) != 0)
			fail_msg("%s: %s '%s', want %s '%s...'", rows[i].id,
				 vg_result_name(res[i].result), res[i].reason,
				 vg_result_name(rows[i].result), rows[i].reason);
	}
	/* The error rule's evidence is absent; the passing check's is the file. */
	assert_null(res[4].evidence);
	assert_non_null(strstr(res[0].evidence, "/yes: file "));
	vg_eval_release(&ev);
	vg_policy_release(&p);
}

static void
t_applies(void **state)
{
	static const char yaml[] = HEAD CHECK("scid-1", "all") T
		"], applies: {distro: [debian]}}\n" CHECK("scid-2", "all") T
		"], applies: {package: [openssh-server, dropbear]}}\n" CHECK("scid-3", "all") T
		"], applies: {distro: [rhel], package: [openssh-server]}}\n" CHECK("scid-4", "all")
			T "]}\n";
	struct vg_policy p;
	struct vg_inventory inv;
	struct vg_evaluator ev;
	struct vg_check_result r;

	(void)state;
	load_mem(yaml, &p);
	vg_inventory_init(&inv, tmp_root);
	/* Ubuntu: ID_LIKE says debian. */
	inv.os.id = "ubuntu";
	inv.os.id_like = "debian";
	add_deb(&inv, "dropbear", "2022.83-1");
	vg_eval_init(&ev, tmp_root, &inv, NULL);
	r = vg_eval_check(&ev, &p, &p.checks[0]);
	assert_int_equal(r.result, VG_RESULT_PASSED);
	r = vg_eval_check(&ev, &p, &p.checks[1]);
	assert_int_equal(r.result, VG_RESULT_PASSED);
	r = vg_eval_check(&ev, &p, &p.checks[2]);
	assert_int_equal(r.result, VG_RESULT_NA);
	assert_string_equal(r.reason, "does not apply: distro 'ubuntu' is not rhel");
	assert_null(r.evidence);
	vg_eval_release(&ev);

	inv.os.id = "alpine";
	inv.os.id_like = NULL;
	inv.npackages = 0;
	vg_eval_init(&ev, tmp_root, &inv, NULL);
	r = vg_eval_check(&ev, &p, &p.checks[0]);
	assert_int_equal(r.result, VG_RESULT_NA);
	assert_string_equal(r.reason, "does not apply: distro 'alpine' is not debian");
	r = vg_eval_check(&ev, &p, &p.checks[1]);
	assert_int_equal(r.result, VG_RESULT_NA);
	assert_string_equal(r.reason,
			    "does not apply: package openssh-server, dropbear not installed");
	r = vg_eval_check(&ev, &p, &p.checks[3]);
	assert_int_equal(r.result, VG_RESULT_PASSED);
	vg_eval_release(&ev);

	/* Without an inventory the distro comes from the root (none here). */
	vg_eval_init(&ev, tmp_root, NULL, NULL);
	r = vg_eval_check(&ev, &p, &p.checks[0]);
	assert_int_equal(r.result, VG_RESULT_NA);
	assert_string_equal(r.reason, "does not apply: distro 'unknown' is not debian");
	vg_eval_release(&ev);
	vg_inventory_release(&inv);
	vg_policy_release(&p);
}

/* Reasons and evidence stop at VG_EVAL_MAX_TEXT bytes, on a UTF-8 boundary. */
static void
t_text_cap(void **state)
{
	static const char yaml[] = HEAD CHECK("scid-1", "all") "{content: /utf8, regex: 'x'}]}\n";
	char line[2048];
	size_t o = 0;
	struct vg_policy p;
	struct vg_evaluator ev;
	struct vg_check_result r;
	size_t len;

	(void)state;
	line[o++] = 'x';
	for (int i = 0; i < 600; i++) {
		line[o++] = (char)0xC3; /* "é" */
		line[o++] = (char)0xA9;
	}
	line[o++] = '\n';
	line[o] = '\0';
	put("utf8", line);
	load_mem(yaml, &p);
	vg_eval_init(&ev, tmp_root, NULL, NULL);
	r = vg_eval_check(&ev, &p, &p.checks[0]);
	assert_int_equal(r.result, VG_RESULT_PASSED);
	len = strlen(r.evidence);
	assert_true(len <= VG_EVAL_MAX_TEXT && len >= VG_EVAL_MAX_TEXT - 1);
	assert_memory_equal(r.evidence, "/utf8:1: x\xC3\xA9", 12);
	/* The cut is not inside a character: the text ends with a whole "é". */
	assert_int_equal((unsigned char)r.evidence[len - 1], 0xA9);
	assert_int_equal((unsigned char)r.evidence[len - 2], 0xC3);
	vg_eval_release(&ev);
	vg_policy_release(&p);
}

/*
 * A sysctl right at run time that no sysctl file sets: failed (it would not survive a
 * reboot), with a reason that says so; once a sysctl.d file sets it, passed.
 */
static void
t_sysctl_runtime_only(void **state)
{
	static const char yaml[] =
		HEAD CHECK("scid-1", "all") "{sysctl: kernel.randomize_va_space, eq: '2'}]}\n";
	static const char *const dirs[] = {"proc", "proc/sys", "proc/sys/kernel", "etc",
					   "etc/sysctl.d"};
	char dir[512];
	struct vg_policy p;
	struct vg_evaluator ev;
	struct vg_check_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		(void)snprintf(dir, sizeof(dir), "%s/%s", tmp_root, dirs[i]);
		assert_true(mkdir(dir, 0755) == 0 || errno == EEXIST);
	}
	put("proc/sys/kernel/randomize_va_space", "2\n");
	load_mem(yaml, &p);
	vg_eval_init(&ev, tmp_root, NULL, NULL);
	r = vg_eval_check(&ev, &p, &p.checks[0]);
	assert_int_equal(r.result, VG_RESULT_FAILED);
	assert_string_equal(r.reason,
			    "kernel.randomize_va_space is '2' "
			    "(/proc/sys/kernel/randomize_va_space:1) at run time, but no sysctl "
			    "file sets it (lost at the next boot), want '2'");
	vg_eval_release(&ev);

	put("etc/sysctl.d/60-aslr.conf", "kernel.randomize_va_space = 2\n");
	vg_eval_init(&ev, tmp_root, NULL, NULL);
	r = vg_eval_check(&ev, &p, &p.checks[0]);
	assert_int_equal(r.result, VG_RESULT_PASSED);
	assert_string_equal(r.evidence,
			    "/etc/sysctl.d/60-aslr.conf:1: kernel.randomize_va_space = 2");
	vg_eval_release(&ev);
	vg_policy_release(&p);
}

/* ---- the real Wazuh policies ---- */

struct sca_row {
	const char *id;
	enum vg_result result;
	const char *reason; /* substring */
};

static void
run_wazuh(const char *file, const char *root_name, const struct sca_row *rows, size_t nrows,
	  size_t want_passed, size_t want_failed, size_t want_na)
{
	char *path = vgt_shared_path(file);
	char *root = root_path(root_name);
	struct vg_policy p;
	struct vg_inventory inv;
	struct vg_evaluator ev;
	struct vg_check_result *res;
	struct vg_secure_score s;
	struct vg_err err;
	size_t n, found = 0;

	if (vg_policy_load_file(path, &p, &err) != VG_OK)
		fail_msg("%s: %s", path, err.msg);
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_os(&inv), VG_OK);
	assert_int_equal(vg_collect_dpkg(&inv), VG_OK);
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	vg_eval_init(&ev, root, &inv, NULL);
	assert_int_equal(vg_eval_policy(&ev, &p, &res, &n), VG_OK);
	assert_int_equal(n, p.nchecks);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nrows; k++) {
			if (strcmp(res[i].check->id, rows[k].id) != 0)
				continue;
			found++;
			if (res[i].result != rows[k].result ||
			    !strstr(res[i].reason ? res[i].reason : "", rows[k].reason))
				fail_msg("%s %s: %s '%s', want %s '...%s...'", file, rows[k].id,
					 vg_result_name(res[i].result), res[i].reason,
					 vg_result_name(rows[k].result), rows[k].reason);
		}
		/* With commands off, every c: rule is notApplicable, never run. */
		assert_int_equal(ev.commands_run, 0);
	}
	assert_int_equal(found, nrows);
	vg_secure_score_device(res, n, &s);
	if (s.passed != want_passed || s.failed != want_failed || s.na != want_na || s.error)
		fail_msg("%s: %zu passed, %zu failed, %zu na, %zu error", file, s.passed, s.failed,
			 s.na, s.error);
	/* Wazuh checks are not scored without vigil_impact. */
	assert_true(s.max == 0 && s.points == 0);
	vg_eval_release(&ev);
	vg_inventory_release(&inv);
	vg_policy_release(&p);
	free(root);
	free(path);
}

/*
 * cis_debian12 on config-debian12, each verified by hand against the
 * root's files and Wazuh's semantics (docs/internals/sca-eval.md):
 * OS_Regex "\s" is a space only, "." and a "+" after a plain character
 * are literal, "[" is literal, a missing file under a content rule is
 * notApplicable.
 */
static const struct sca_row cis_rows[] = {
	/* c: only: commands are disabled. */
	{"33010", VG_RESULT_NA, "command rules are disabled"},
	/* grub.cfg's linux line has apparmor=1 and security=apparmor: neither rule true. */
	{"33040", VG_RESULT_PASSED, "no line of /boot/grub/grub.cfg matches, want no line"},
	/* "[\w@-]+" needs a literal '[': the password line does not match. */
	{"33043", VG_RESULT_FAILED, "no line of /boot/grub/grub.cfg matches"},
	{"33048", VG_RESULT_PASSED, "/etc/motd does not exist, want it absent"},
	{"33049", VG_RESULT_FAILED, "a line of /etc/issue matches"},
	{"33050", VG_RESULT_PASSED, "no line of /etc/issue.net matches"},
	{"33096", VG_RESULT_FAILED, "no line of /etc/chrony/chrony.conf matches"},
	{"33129", VG_RESULT_NA, "could not open file '/etc/ufw/before.rules'"},
	{"33177", VG_RESULT_PASSED, "a line of /etc/sudoers matches"},
	{"33178", VG_RESULT_FAILED, "no line of /etc/sudoers matches"},
	/* The d: name chain "r:.*" is literal ".*": sudoers.d/README does not match. */
	{"33179", VG_RESULT_PASSED, "no line of /etc/sudoers matches, want no line"},
	{"33182", VG_RESULT_NA, "could not open file '/etc/pam.d/su'"},
	{"33186", VG_RESULT_PASSED, "a line of /etc/pam.d/common-account matches"},
	{"33187", VG_RESULT_FAILED, "no line of /etc/pam.d/common-auth matches"},
	/* Tabs between the words: "\s*\t*" takes them. */
	{"33188", VG_RESULT_PASSED, "a line of /etc/pam.d/common-password matches"},
	{"33190", VG_RESULT_PASSED, "a line of /etc/security/faillock.conf matches"},
	{"33192", VG_RESULT_FAILED, "no line of /etc/security/faillock.conf matches"},
	/* The d: target "pwquality.conf.d/" followed by a star is a literal name: no such dir. */
	{"33195", VG_RESULT_NA, "could not open dir '/etc/security/pwquality.conf.d/*'"},
	{"33199", VG_RESULT_PASSED, "a line of /etc/security/pwquality.conf matches"},
	{"33204", VG_RESULT_FAILED, "a line of /etc/pam.d/common-auth matches, want no line"},
	/* "yescrypt | r:sha512" is one OS_Regex: "yescrypt " needs a trailing space. */
	{"33206", VG_RESULT_FAILED, "no line of /etc/pam.d/common-password matches"},
	{"33208", VG_RESULT_PASSED, "a line of /etc/login.defs matches"},
	{"33210", VG_RESULT_FAILED, "no line of /etc/login.defs matches"},
	/* ENCRYPT_METHOD "SHA512": the quote stops "SHA512 ". */
	{"33211", VG_RESULT_FAILED, "no line of /etc/login.defs matches"},
	{"33214", VG_RESULT_PASSED, "a line of /etc/passwd matches"},
	/* etc/group has "root:x:0:", not "root:x:0:0". */
	{"33216", VG_RESULT_FAILED, "no line of /etc/group matches"},
	{"33222", VG_RESULT_FAILED, "a line of /etc/shells matches, want no line"},
	{"33233", VG_RESULT_NA, "could not open dir '/etc/systemd/journald.conf.d'"},
	{"33234", VG_RESULT_PASSED, "a line of /etc/systemd/journald.conf matches"},
	{"33239", VG_RESULT_NA, "could not open file '/etc/rsyslog.conf'"},
	/* GRUB_DEFAULT=0 lacks audit_backlog_limit: "not ... -> !r:..." is false. */
	{"33248", VG_RESULT_FAILED, "a line of /etc/default/grub matches, want no line"},
	{"33251", VG_RESULT_FAILED, "no line of /etc/audit/auditd.conf matches"},
	/* "r:.+\.rules$" wants a literal ".+" in the file name. */
	{"33272", VG_RESULT_FAILED, "no file in /etc/audit/rules.d matches"},
	{"33300", VG_RESULT_PASSED, "no line of /etc/passwd matches, want no line"},
	{"33301", VG_RESULT_PASSED, "no line of /etc/shadow matches, want no line"},
};

static void
t_wazuh_cis(void **state)
{
	(void)state;
	run_wazuh("sca/wazuh/cis_debian12.yml", D12, cis_rows,
		  sizeof(cis_rows) / sizeof(cis_rows[0]), 28, 39, 140);
}

static const struct sca_row sca_rows[] = {
	{"36000", VG_RESULT_NA, "command rules are disabled"},
	{"36029", VG_RESULT_FAILED, "no line of /boot/grub/grub.cfg matches"},
	/* menu.lst and grub2 are missing (NA), grub.cfg's "\tlinux" line is not "^\s*linux". */
	{"36034", VG_RESULT_FAILED, "no line of /boot/grub/grub.cfg matches"},
	{"36039", VG_RESULT_NA, "could not open file '/boot/grub/menu.lst'"},
	{"36040", VG_RESULT_PASSED, "/etc/motd does not exist, want it absent"},
	/* "\\v" is a backslash and a v; the issue has "\n \l" only. */
	{"36041", VG_RESULT_PASSED, "no line of /etc/issue matches, want no line"},
	{"36047", VG_RESULT_PASSED, "no file in /etc matches, want no file named"},
	{"36058", VG_RESULT_FAILED, "/etc/ntp.conf does not exist, want it to exist"},
	{"36094", VG_RESULT_PASSED, "/etc/hosts.deny exists"},
	{"36108", VG_RESULT_PASSED, "/etc/audit/auditd.conf exists"},
	{"36124", VG_RESULT_PASSED, "/etc/audit/rules.d exists"},
	{"36128", VG_RESULT_FAILED, "no line of /etc/systemd/journald.conf matches"},
	{"36155", VG_RESULT_FAILED, "no line of /etc/ssh/sshd_config matches"},
	{"36161", VG_RESULT_PASSED, "a line of /etc/security/pwquality.conf matches"},
	{"36163", VG_RESULT_NA, "could not open file '/etc/pam.d/system-auth'"},
	{"36164", VG_RESULT_PASSED, "a line of /etc/login.defs matches"},
	{"36165", VG_RESULT_FAILED, "no line of /etc/login.defs matches"},
	{"36168", VG_RESULT_FAILED, "no line of /etc/passwd matches"},
	/* "\+" is refused by OS_Regex: it never matches. */
	{"36180", VG_RESULT_PASSED,
	 "no line of /etc/shadow matches, want no line matching 'r:\\+'"},
	{"36183", VG_RESULT_NA, "could not open file '/root/.bash_profile'"},
	{"36189", VG_RESULT_FAILED, "no line of /etc/group matches"},
};

static void
t_wazuh_distro_independent(void **state)
{
	(void)state;
	run_wazuh("sca/wazuh/sca_distro_independent_linux.yml", D12, sca_rows,
		  sizeof(sca_rows) / sizeof(sca_rows[0]), 27, 24, 139);
}

/* config-noncompliant has no debian_version, os-release nor kernel/ostype. */
static void
t_wazuh_requirements_unmet(void **state)
{
	static const struct sca_row cis_na[] = {
		{"33010", VG_RESULT_NA,
		 "policy requirements not met: could not open file '/etc/debian_version'"},
		{"33301", VG_RESULT_NA, "policy requirements not met"},
	};
	static const struct sca_row sca_na[] = {
		{"36000", VG_RESULT_NA,
		 "policy requirements not met: could not open file '/proc/sys/kernel/ostype'"},
	};

	(void)state;
	run_wazuh("sca/wazuh/cis_debian12.yml", CNC, cis_na, 2, 0, 0, 207);
	run_wazuh("sca/wazuh/sca_distro_independent_linux.yml", CNC, sca_na, 1, 0, 0, 190);
}

/* ---- commands ---- */

static void
t_command_split(void **state)
{
	static const struct {
		const char *cmd;
		int rc;
		const char *words; /* joined with '|' */
	} rows[] = {
		{"findmnt -kn /tmp", VG_OK, "findmnt|-kn|/tmp"},
		{"echo 'a b' \"c \\\"d\\\"\" e\\ f", VG_OK, "echo|a b|c \"d\"|e f"},
		{"echo $HOME", VG_OK, "echo|$HOME"},
		{"  ls  ", VG_OK, "ls"},
		{"echo 'a|b;c'", VG_OK, "echo|a|b;c"},
		{"sh -c \"echo hi\"", VG_EUNSUPPORTED, NULL},
		{"/bin/bash -c x", VG_EUNSUPPORTED, NULL},
		{"echo a | grep a", VG_EUNSUPPORTED, NULL},
		{"echo a; id", VG_EUNSUPPORTED, NULL},
		{"echo a && id", VG_EUNSUPPORTED, NULL},
		{"cat < /etc/passwd", VG_EUNSUPPORTED, NULL},
		{"echo x > /tmp/f", VG_EUNSUPPORTED, NULL},
		{"echo `id`", VG_EUNSUPPORTED, NULL},
		{"echo $(id)", VG_EUNSUPPORTED, NULL},
		{"echo \"$(id)\"", VG_EUNSUPPORTED, NULL},
		{"echo 'open", VG_EINVAL, NULL},
		{"echo \"open", VG_EINVAL, NULL},
		{"   ", VG_EINVAL, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vg_arena a;
		char **argv;
		size_t argc;
		char joined[256] = "";
		int rc;

		vg_arena_init(&a);
		rc = vg_cmd_split(&a, rows[i].cmd, &argv, &argc, NULL);
		if (rc != rows[i].rc)
			fail_msg("'%s': rc %d, want %d", rows[i].cmd, rc, rows[i].rc);
		if (rc == VG_OK) {
			size_t o = 0;
			for (size_t k = 0; k < argc; k++)
				o += (size_t)snprintf(joined + o, sizeof(joined) - o, "%s%s",
						      k ? "|" : "", argv[k]);
			assert_null(argv[argc]);
			if (strcmp(joined, rows[i].words) != 0)
				fail_msg("'%s': '%s', want '%s'", rows[i].cmd, joined,
					 rows[i].words);
		}
		vg_arena_release(&a);
	}
}

#define WHEAD                                                     \
	"policy: {id: w, file: w.yml, name: w, description: d}\n" \
	"checks:\n"
#define WCHECK(id, rule) "  - {id: " id ", title: t, condition: all, rules: ['" rule "']}\n"

static void
t_commands(void **state)
{
	static const char yaml[] =
		WHEAD WCHECK("1", "c:echo hello -> r:hello") WCHECK("2", "c:echo hello -> r:^bye")
			WCHECK("3", "c:sleep 10 -> r:x") WCHECK("4", "c:sh -c \"echo hi\" -> r:hi")
				WCHECK("5", "c:echo a | grep a -> r:a")
					WCHECK("6", "c:/nonexistent/vigil-prog -> r:x")
						WCHECK("7", "c:printf %s\\\\n one two -> r:^two$")
							WCHECK("8", "not c:echo hello -> r:hello");
	struct vg_eval_opts on = {.commands = true, .command_timeout_ms = 200};
	struct vg_policy p;
	struct vg_evaluator ev;
	struct vg_check_result *res;
	size_t n;

	(void)state;
	load_mem(yaml, &p);

	/* Disabled by default. */
	vg_eval_init(&ev, "/", NULL, NULL);
	assert_int_equal(vg_eval_policy(&ev, &p, &res, &n), VG_OK);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(res[i].result, VG_RESULT_NA);
		assert_string_equal(res[i].reason, "command rules are disabled");
	}
	assert_int_equal(ev.commands_run, 0);
	vg_eval_release(&ev);

	/* Enabled, but the root is not the host. */
	vg_eval_init(&ev, tmp_root, NULL, &on);
	assert_int_equal(vg_eval_policy(&ev, &p, &res, &n), VG_OK);
	assert_int_equal(res[0].result, VG_RESULT_NA);
	assert_string_equal(res[0].reason, "command rules run only when the root is /");
	vg_eval_release(&ev);

	vg_eval_init(&ev, "/", NULL, &on);
	assert_int_equal(vg_eval_policy(&ev, &p, &res, &n), VG_OK);
	assert_int_equal(res[0].result, VG_RESULT_PASSED);
	assert_string_equal(res[0].reason, "a line of the output of 'echo hello' matches, want a "
					   "line matching 'r:hello'");
	assert_string_equal(res[0].evidence, "command 'echo hello':1: hello");
	assert_int_equal(res[1].result, VG_RESULT_FAILED);
	assert_int_equal(res[2].result, VG_RESULT_ERROR);
	assert_string_equal(res[2].reason, "command 'sleep 10' timed out after 200 ms");
	assert_int_equal(res[3].result, VG_RESULT_NA);
	assert_string_equal(res[3].reason,
			    "command 'sh -c \"echo hi\"' not run: command needs a shell ('sh')");
	assert_int_equal(res[4].result, VG_RESULT_NA);
	assert_string_equal(res[4].reason,
			    "command 'echo a | grep a' not run: command needs a shell ('|')");
	assert_int_equal(res[5].result, VG_RESULT_NA);
	assert_non_null(strstr(res[5].reason, "not found"));
	/* Output lines are judged one by one: the second line is "two". */
	assert_int_equal(res[6].result, VG_RESULT_PASSED);
	assert_string_equal(res[6].evidence, "command 'printf %s\\\\n one two':2: two");
	assert_int_equal(res[7].result, VG_RESULT_FAILED);
	/* sh, the pipe and the missing program never ran. */
	assert_int_equal(ev.commands_run, 5);
	vg_eval_release(&ev);
	vg_policy_release(&p);
}

/* p:, d: walks and names, literal and numeric conditions, regex_type pcre2. */
static void
t_sca_misc(void **state)
{
	static const char yaml[] = WHEAD WCHECK("1", "p:auditd") WCHECK("2", "p:AUDITD") WCHECK(
		"3", "p:cron") WCHECK("4",
				      "d:/conf.d -> r:\\.conf$ -> n:^key = (\\d+) compare >= 5")
		WCHECK("5", "d:/conf.d -> conf") WCHECK("6", "f:/yes -> r:^PRESENT$") WCHECK(
			"7", "f:/yes -> PRESENT") WCHECK("8",
							 "f:/yes -> n:present|(\\d+) compare > 1")
			WCHECK("9", "f:/conf.d") WCHECK("10", "f:/no,/yes") WCHECK(
				"11",
				"d:/conf.d -> r:^zzz") "  - {id: 12, title: t, condition: all, regex_type: pcre2, rules: ['f:/yes -> "
						       "r:^PRESENT$']}\n"
						       "  - {id: 13, title: t, condition: all, rules: ['f:/missing -> r:x']}\n";
	struct vg_policy p;
	struct vg_inventory inv;
	struct vg_evaluator ev;
	struct vg_check_result *res;
	size_t n;
	char dir[300];

	(void)state;
	(void)snprintf(dir, sizeof(dir), "%s/conf.d", tmp_root);
	assert_int_equal(mkdir(dir, 0755), 0);
	(void)snprintf(dir, sizeof(dir), "%s/conf.d/sub", tmp_root);
	assert_int_equal(mkdir(dir, 0755), 0);
	put("conf.d/a.conf", "x = 1\n");
	put("conf.d/sub/b.conf", "key = 3\nkey = 7\n");
	load_mem(yaml, &p);
	vg_inventory_init(&inv, tmp_root);
	add_proc(&inv, 7, "/usr/sbin/auditd");
	add_proc(&inv, 8, "/usr/sbin/crond");
	vg_eval_init(&ev, tmp_root, &inv, NULL);
	assert_int_equal(vg_eval_policy(&ev, &p, &res, &n), VG_OK);
	assert_int_equal(n, 13);
	assert_int_equal(res[0].result, VG_RESULT_PASSED);
	assert_string_equal(res[0].reason, "process auditd is running, want it running");
	assert_string_equal(res[0].evidence, "process 7 /usr/sbin/auditd");
	/* Whole-name comparison, case-insensitive (Wazuh's strcasecmp). */
	assert_int_equal(res[1].result, VG_RESULT_PASSED);
	assert_int_equal(res[2].result, VG_RESULT_FAILED);
	assert_string_equal(res[2].reason, "no process cron is running, want it running");
	/* The walk descends into sub/; the second line of b.conf satisfies >= 5. */
	assert_int_equal(res[3].result, VG_RESULT_PASSED);
	assert_string_equal(res[3].evidence, "/conf.d/sub/b.conf:2: key = 7");
	assert_int_equal(res[4].result, VG_RESULT_PASSED);
	assert_string_equal(res[4].reason, "/conf.d/a.conf exists, want a file named 'conf'");
	/* OS_Regex is case-insensitive, and so is a literal line. */
	assert_int_equal(res[5].result, VG_RESULT_PASSED);
	assert_int_equal(res[6].result, VG_RESULT_PASSED);
	assert_int_equal(res[7].result, VG_RESULT_NA);
	assert_string_equal(res[7].reason,
			    "regex 'present|(\\d+)' matched, but captured no number");
	assert_int_equal(res[8].result, VG_RESULT_NA);
	assert_string_equal(res[8].reason, "'/conf.d' is not a regular file");
	assert_int_equal(res[9].result, VG_RESULT_PASSED);
	assert_string_equal(res[9].reason, "/yes exists, want it to exist");
	assert_int_equal(res[10].result, VG_RESULT_FAILED);
	assert_string_equal(res[10].reason,
			    "no file in /conf.d matches, want a file named 'r:^zzz'");
	/* PCRE2 (regex_type) is case-sensitive, as Wazuh compiles it with no options. */
	assert_int_equal(res[11].result, VG_RESULT_FAILED);
	/* A missing file under a content rule is notApplicable, as in Wazuh. */
	assert_int_equal(res[12].result, VG_RESULT_NA);
	assert_string_equal(res[12].reason, "could not open file '/missing'");
	vg_eval_release(&ev);
	vg_inventory_release(&inv);
	vg_policy_release(&p);
}

/* The output cap keeps the first bytes only. */
static void
t_command_cap(void **state)
{
	char *argv[] = {"seq", "1", "100000", NULL};
	struct vg_cmd_result res;
	struct vg_buf out;

	(void)state;
	vg_buf_init(&out, 1 << 20);
	assert_int_equal(vg_cmd_run(argv, 5000, 100, &out, &res, NULL), VG_OK);
	assert_int_equal(out.len, 100);
	assert_true(res.truncated);
	assert_false(res.timed_out);
	assert_int_equal(res.exit_status, 0);
	assert_memory_equal(out.p, "1\n2\n3\n", 6);
	vg_buf_release(&out);
}

/* ---- watch paths, names ---- */

static bool
has(const struct vg_buf *b, const char *p)
{
	for (size_t i = 0; i < b->len; i += strlen(b->p + i) + 1)
		if (strcmp(b->p + i, p) == 0)
			return true;
	return false;
}

static void
t_watch_paths(void **state)
{
	static const char *const want[] = {
		"/etc/ssh/sshd_config",
		"/etc/ssh/sshd_config.d",
		"/etc/ssh",
		"/etc/login.defs",
		"/etc",
		"/etc/sysctl.conf",
		"/etc/sysctl.d",
		"/usr/lib/sysctl.d",
		"/etc/security/limits.conf",
		"/etc/security/limits.d",
		"/etc/pam.d",
		"/etc/systemd/system",
		"/lib/systemd/system",
		"/etc/modprobe.d",
		"/etc/issue.net",
		"/etc/hosts.equiv",
		"/etc/pam.d/common-password",
		"/etc/passwd",
		"/etc/shadow",
	};
	struct vg_policy p;
	struct vg_buf b;
	size_t count = 0;
	char *cis = vgt_shared_path("sca/wazuh/cis_debian12.yml");
	struct vg_err err;

	(void)state;
	load_data_policy("policies/eval-kinds.yml", &p);
	vg_buf_init(&b, 1 << 16);
	assert_int_equal(vg_policy_watch_paths(&p, &b), VG_OK);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!has(&b, want[i]))
			fail_msg("watch paths lack '%s'", want[i]);
	/* Each once, no /proc, all absolute. */
	for (size_t i = 0; i < b.len; i += strlen(b.p + i) + 1) {
		count++;
		assert_int_equal(b.p[i], '/');
		assert_true(strncmp(b.p + i, "/proc/", 6) != 0);
		for (size_t j = i + strlen(b.p + i) + 1; j < b.len; j += strlen(b.p + j) + 1)
			assert_string_not_equal(b.p + i, b.p + j);
	}
	assert_true(count >= sizeof(want) / sizeof(want[0]));
	/* A cap too small: VG_ETOOBIG. */
	struct vg_buf small;
	vg_buf_init(&small, 16);
	assert_int_equal(vg_policy_watch_paths(&p, &small), VG_ETOOBIG);
	vg_buf_release(&small);
	vg_buf_release(&b);
	vg_policy_release(&p);

	if (vg_policy_load_file(cis, &p, &err) != VG_OK)
		fail_msg("%s", err.msg);
	vg_buf_init(&b, 1 << 16);
	assert_int_equal(vg_policy_watch_paths(&p, &b), VG_OK);
	assert_true(has(&b, "/etc/debian_version"));
	assert_true(has(&b, "/etc/os-release"));
	assert_true(has(&b, "/etc/audit/rules.d"));
	assert_true(has(&b, "/etc/audit"));
	assert_false(has(&b, "/proc/sys/kernel/ostype"));
	vg_buf_release(&b);
	vg_policy_release(&p);
	free(cis);
}

static void
t_result_names(void **state)
{
	static const char *const names[] = {"passed", "failed", "notApplicable", "error"};
	enum vg_result r;

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_string_equal(vg_result_name((enum vg_result)i), names[i]);
		assert_true(vg_result_parse(names[i], &r));
		assert_int_equal(r, i);
	}
	assert_false(vg_result_parse("Passed", &r));
	assert_false(vg_result_parse("notapplicable", &r));
	assert_false(vg_result_parse("", &r));
	assert_false(vg_result_parse(NULL, &r));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_kinds_compliant),
		cmocka_unit_test(t_kinds_noncompliant),
		cmocka_unit_test(t_combination),
		cmocka_unit_test(t_applies),
		cmocka_unit_test(t_text_cap),
		cmocka_unit_test(t_sysctl_runtime_only),
		cmocka_unit_test(t_wazuh_cis),
		cmocka_unit_test(t_wazuh_distro_independent),
		cmocka_unit_test(t_wazuh_requirements_unmet),
		cmocka_unit_test(t_command_split),
		cmocka_unit_test(t_commands),
		cmocka_unit_test(t_sca_misc),
		cmocka_unit_test(t_command_cap),
		cmocka_unit_test(t_watch_paths),
		cmocka_unit_test(t_result_names),
	};
	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
