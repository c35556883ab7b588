/*
 * test_collect_proc.c - the process collector (src/agent/collect_proc.c):
 * the status / cmdline / passwd parsers, the fixture roots procfs-fixture
 * and procfs-apk, this host's real /proc, and an rpm database built at
 * test time when rpmbuild is installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/collect_proc.h"
#include "agent/inventory.h"
#include "core/alloc.h"
#include "core/err.h"
#include "vgtest.h"

/* ---- vg_proc_parse_status_uid ---- */

struct uid_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	int rc;
	int uid;
};

static void
status_uid_cases(void **state)
{
	static const struct uid_case cases[] = {
		{"Name:\tbash\nUmask:\t0022\nUid:\t1000\t1001\t1002\t1003\nGid:\t0\n", 0, VG_OK,
		 1000},
		{"Uid:\t0\t0\t0\t0", 0, VG_OK, 0},
		{"Uid: 42 0 0 0\n", 0, VG_OK, 42},
		{"Uid:\t2147483647\t0\n", 0, VG_OK, 2147483647},
		{"Uid:\t000000000000000000000007\n", 0, VG_OK, 7},
		{"XUid:\t5\nUid:\t7\t7\n", 0, VG_OK, 7},
		{"Name:\tx\nUid:\t9\nUid:\t8\n", 0, VG_OK, 9},
		{"Uid:\t2147483648\t0\n", 0, VG_EINVAL, 0},
		{"Uid:\t4294967295\n", 0, VG_EINVAL, 0},
		{"Uid:\t99999999999999999999999999999\n", 0, VG_EINVAL, 0},
		{"Uid:\t-1\t0\n", 0, VG_EINVAL, 0},
		{"Uid:\tabc\t0\n", 0, VG_EINVAL, 0},
		{"Uid:\t12x\t0\n", 0, VG_EINVAL, 0},
		{"Uid:\n", 0, VG_EINVAL, 0},
		{"Uid:", 0, VG_EINVAL, 0},
		{"Uid:\t1\0002\n", 8, VG_EINVAL, 0},
		{"Name:\tx\nGid:\t0\n", 0, VG_ENOTFOUND, 0},
		{"", 0, VG_ENOTFOUND, 0},
		{"uid:\t5\n", 0, VG_ENOTFOUND, 0},
		{" Uid:\t5\n", 0, VG_ENOTFOUND, 0},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		const struct uid_case *c = &cases[i];
		struct vg_err err = {0};
		int uid = -99, rc;

		rc = vg_proc_parse_status_uid(vg_str_n(c->in, c->len ? c->len : strlen(c->in)),
					      &uid, &err);
		if (rc != c->rc || (rc == VG_OK && uid != c->uid) ||
		    (rc != VG_OK && err.msg[0] == '\0') || (rc != VG_OK && uid != -99)) {
			print_message("case %zu: '%s': rc %d uid %d, want rc %d uid %d (%s)\n", i,
				      c->in, rc, uid, c->rc, c->uid, err.msg);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
	/* err may be NULL. */
	int uid;
	assert_int_equal(vg_proc_parse_status_uid(VG_STR_LIT("Uid: x"), &uid, NULL), VG_EINVAL);
}

/* ---- vg_proc_format_cmdline ---- */

struct cmd_case {
	const char *in;
	size_t len;
	size_t cap;
	const char *out;
};

static void
format_cmdline_cases(void **state)
{
	static const struct cmd_case cases[] = {
		{"/usr/sbin/sshd\0-D\0", 18, 64, "/usr/sbin/sshd -D"},
		{"sshd: alice [priv]\0\0\0\0", 22, 64, "sshd: alice [priv]"},
		{"a\0\0b\0", 5, 64, "a  b"},
		{"", 0, 64, ""},
		{"\0\0\0", 3, 64, ""},
		{"tab\there\nnl\x7f", 13, 64, "tab here nl"},
		{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, 64,
		 "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
		{"bad\xff"
		 "x",
		 5, 64, "bad?x"},
		{"\xc0\xaf", 2, 64, "??"},           /* overlong '/' */
		{"\xed\xa0\x80", 3, 64, "???"},      /* a surrogate */
		{"\xf4\x90\x80\x80", 4, 64, "????"}, /* above U+10FFFF */
		{"\xe2\x82", 2, 64, "??"},           /* cut sequence */
		{"\xc3", 1, 64, "?"},
		{"abcdef", 6, 4, "abc"},
		{"ab\xc3\xa9", 4, 4, "ab"}, /* a character is never split */
		{"abc   \0", 7, 64, "abc"},
		{"x", 1, 1, ""},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		const struct cmd_case *c = &cases[i];
		char out[64];
		size_t n;

		memset(out, 'Z', sizeof(out));
		n = vg_proc_format_cmdline(vg_str_n(c->in, c->len), out, c->cap);
		if (n != strlen(c->out) || strcmp(out, c->out) != 0 || n >= c->cap) {
			print_message("case %zu: got '%s' (%zu), want '%s'\n", i, out, n, c->out);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
format_cmdline_bounded(void **state)
{
	char *raw = vg_xmalloc(3 * VG_PROC_CMDLINE_MAX), out[VG_PROC_CMDLINE_MAX + 1];

	(void)state;
	memset(raw, 'a', 3 * VG_PROC_CMDLINE_MAX);
	assert_int_equal(
		vg_proc_format_cmdline(vg_str_n(raw, 3 * VG_PROC_CMDLINE_MAX), out, sizeof(out)),
		VG_PROC_CMDLINE_MAX);
	assert_int_equal(out[VG_PROC_CMDLINE_MAX], '\0');
	free(raw);
}

/* ---- vg_proc_parse_passwd_line and vg_proc_usrmerge ---- */

static void
passwd_line_cases(void **state)
{
	static const struct {
		const char *line;
		int rc;
		const char *name;
		int uid;
	} cases[] = {
		{"root:x:0:0:root:/root:/bin/bash", VG_OK, "root", 0},
		{"alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash", VG_OK, "alice", 1000},
		{"svc::65534", VG_OK, "svc", 65534},
		{"a:x:2147483647:0::/:/bin/sh", VG_OK, "a", INT_MAX},
		{"a:x:2147483648:0::/:/bin/sh", VG_EINVAL, NULL, 0},
		{"a:x:-1:0::/:/bin/sh", VG_EINVAL, NULL, 0},
		{"a:x::0::/:/bin/sh", VG_EINVAL, NULL, 0},
		{"a:x:1a:0::/:/bin/sh", VG_EINVAL, NULL, 0},
		{":x:0:0::/:/bin/sh", VG_EINVAL, NULL, 0},
		{"# root:x:0:0", VG_EINVAL, NULL, 0},
		{"+@netgroup::::::", VG_EINVAL, NULL, 0},
		{"-bob:x:5:5::/:/bin/sh", VG_EINVAL, NULL, 0},
		{"nocolons", VG_EINVAL, NULL, 0},
		{"one:colon", VG_EINVAL, NULL, 0},
		{"", VG_EINVAL, NULL, 0},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_str name = {NULL, 0};
		int uid = -1, rc;

		rc = vg_proc_parse_passwd_line(vg_str_c(cases[i].line), &name, &uid);
		if (rc != cases[i].rc ||
		    (rc == VG_OK && (!vg_str_eqc(name, cases[i].name) || uid != cases[i].uid))) {
			print_message("case %zu '%s': rc %d name '%.*s' uid %d\n", i, cases[i].line,
				      rc, (int)name.len, name.p ? name.p : "", uid);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
usrmerge_cases(void **state)
{
	static const char *const cases[][2] = {
		{"/usr/bin/bash", "/bin/bash"},
		{"/usr/sbin/sshd", "/sbin/sshd"},
		{"/usr/lib/systemd/systemd", "/lib/systemd/systemd"},
		{"/usr/lib64/ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2"},
		{"/usr/lib32/x", "/lib32/x"},
		{"/usr/libx32/x", "/libx32/x"},
		{"/usr/libexec/x", "/usr/libexec/x"},
		{"/usr/local/bin/x", "/usr/local/bin/x"},
		{"/usr/bin/", "/usr/bin/"},
		{"/usr/bin", "/usr/bin"},
		{"/bin/bash", "/bin/bash"},
		{"/opt/usr/bin/x", "/opt/usr/bin/x"},
		{"", ""},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_str got = vg_proc_usrmerge(vg_str_c(cases[i][0]));

		if (!vg_str_eqc(got, cases[i][1]))
			fail_msg("usrmerge('%s') = '%.*s', want '%s'", cases[i][0], (int)got.len,
				 got.p, cases[i][1]);
	}
}

/* ---- Fixture roots ---- */

static const struct vg_process *
find_pid(const struct vg_inventory *inv, int pid)
{
	for (size_t i = 0; i < inv->nprocesses; i++)
		if (inv->processes[i].pid == pid)
			return &inv->processes[i];
	return NULL;
}

static void
assert_str_or_null(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_non_null(got), assert_string_equal(got, want);
}

struct want_proc {
	int pid;
	int uid;
	const char *user;
	const char *exe;
	const char *cmdline;
	const char *package;
	enum vg_pkg_type type;
};

static void
fixture_processes(void **state)
{
	static const struct want_proc want[] = {
		{100, 0, "root", "/usr/sbin/sshd", "/usr/sbin/sshd -D", "openssh-server",
		 VG_PKG_DEB},
		{101, 0, "root", "/usr/sbin/sshd", "sshd: alice [priv]", "openssh-server",
		 VG_PKG_DEB},
		/* usr-merge: the process runs /usr/bin/bash, bash.list says /bin/bash. */
		{200, 1000, "alice", "/usr/bin/bash", "-bash", "bash", VG_PKG_DEB},
		/* a multiarch list name ("python3.11-minimal:amd64.list"). */
		{300, 1001, "bob", "/usr/bin/python3.11", "/usr/bin/python3 -m http.server",
		 "python3.11-minimal", VG_PKG_DEB},
		{500, 65534, "nobody", "/opt/app/server (deleted)",
		 "/opt/app/server --name=caf\xc3\xa9 bad? tab here", "app", VG_PKG_DEB},
		/* usr-merge the other way round; the malformed status gives uid -1. */
		{600, -1, NULL, "/sbin/agetty", "/sbin/agetty -o -p -- \\u --noclear tty1 linux",
		 "util-linux", VG_PKG_DEB},
		/* listed by two packages: the smallest name; uid 33 is not in etc/passwd. */
		{700, 33, NULL, "/usr/sbin/nginx", "nginx: master process /usr/sbin/nginx",
		 "nginx-core", VG_PKG_DEB},
		/* packages never install below /usr/local (zz-vendor.list is ignored there). */
		{900, 1000, "alice", "/usr/local/bin/tool", "tool", NULL, VG_PKG_DEB},
		/* another mount namespace (proc/1000/ns/mnt): a container's sshd, not ours. */
		{1000, 0, "root", "/usr/sbin/sshd", "/usr/sbin/sshd -D -e", NULL, VG_PKG_DEB},
	};
	char *root = vgt_test_data_path("roots/procfs-fixture");
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	for (size_t i = 0; i < inv.nprocesses; i++)
		print_message("pid %d uid %d user %s exe %s pkg %s cmd '%s'\n",
			      inv.processes[i].pid, inv.processes[i].uid,
			      inv.processes[i].user ? inv.processes[i].user : "-",
			      inv.processes[i].exe ? inv.processes[i].exe : "-",
			      inv.processes[i].package ? inv.processes[i].package : "-",
			      inv.processes[i].cmdline ? inv.processes[i].cmdline : "-");
	/* 400 is a kernel thread, 800 has neither cmdline nor exe, "abc" and "self" are no pids. */
	assert_int_equal(inv.nprocesses, VG_ARRAY_LEN(want));
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++) {
		const struct vg_process *p = &inv.processes[i];

		assert_int_equal(p->pid, want[i].pid); /* sorted by pid */
		assert_int_equal(p->uid, want[i].uid);
		assert_str_or_null(p->user, want[i].user);
		assert_str_or_null(p->exe, want[i].exe);
		assert_str_or_null(p->cmdline, want[i].cmdline);
		assert_str_or_null(p->package, want[i].package);
		assert_int_equal(p->package_type, want[i].type);
	}
	/* One warning: the status of 600; no summary (every exe was readable). */
	assert_int_equal(inv.nwarnings, 1);
	assert_string_equal(inv.warnings[0].collector, "proc");
	assert_string_equal(inv.warnings[0].path, "proc/600/status");
	assert_non_null(strstr(inv.warnings[0].message, "invalid uid"));
	vg_inventory_release(&inv);
	free(root);
}

static void
fixture_apk_owner(void **state)
{
	char *root = vgt_test_data_path("roots/procfs-apk");
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	assert_int_equal(inv.nprocesses, 1);
	assert_string_equal(inv.processes[0].exe, "/bin/busybox");
	assert_string_equal(inv.processes[0].cmdline, "/sbin/init");
	assert_string_equal(inv.processes[0].user, "root");
	assert_string_equal(inv.processes[0].package, "busybox");
	assert_int_equal(inv.processes[0].package_type, VG_PKG_APK);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
	free(root);
}

static void
missing_root_is_empty(void **state)
{
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent/vigil/root");
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	assert_int_equal(inv.nprocesses, 0);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

/* ---- This host ---- */

static void
live_self(void **state)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct vg_inventory inv;
	const struct vg_process *me;
	struct passwd *pw = getpwuid(getuid());

	(void)state;
	assert_true(n > 0);
	exe[n] = '\0';
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	assert_true(inv.nprocesses >= 1);
	me = find_pid(&inv, getpid());
	assert_non_null(me);
	assert_string_equal(me->exe, exe);
	assert_int_equal(me->uid, (int)getuid());
	assert_non_null(me->cmdline);
	assert_non_null(strstr(me->cmdline, "test_agent_proc"));
	if (pw)
		assert_str_or_null(me->user, pw->pw_name);
	assert_null(me->package); /* a build product, owned by no package */
	for (size_t i = 1; i < inv.nprocesses; i++)
		assert_true(inv.processes[i - 1].pid < inv.processes[i].pid);
	vg_inventory_release(&inv);
}

/* A running sleep(1) is owned by coreutils on a dpkg system (a usr-merge case on Debian 12). */
static void
live_owner_coreutils(void **state)
{
	const char *sleep_bin =
		access("/usr/bin/sleep", X_OK) == 0 ? "/usr/bin/sleep" : "/bin/sleep";
	struct vg_inventory inv;
	const struct vg_process *p;
	pid_t child;

	(void)state;
	if (access("/var/lib/dpkg/info/coreutils.list", R_OK) != 0)
		skip();
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		execl(sleep_bin, "sleep", "30", (char *)NULL);
		_exit(127);
	}
	/* Wait until the child has exec'd (its exe is no longer ours). */
	for (int i = 0; i < 200; i++) {
		char link[PATH_MAX], path[64];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/exe", (int)child);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', strstr(link, "sleep")))
			break;
		usleep(5000);
	}
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	p = find_pid(&inv, child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_non_null(p);
	assert_non_null(p->exe);
	print_message("sleep: exe %s package %s\n", p->exe, p->package ? p->package : "-");
	assert_non_null(p->package);
	assert_string_equal(p->package, "coreutils");
	assert_int_equal(p->package_type, VG_PKG_DEB);
	vg_inventory_release(&inv);
}

/*
 * Without privileges the exe links of other users' processes are not
 * readable: they are counted into one summary warning, never one per process.
 * Run in a child that drops to nobody when we are root.
 */
static int
unreadable_child(void)
{
	struct vg_inventory inv;
	size_t summaries = 0, without_exe = 0;
	char link[PATH_MAX];

	if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 2;
	if (readlink("/proc/1/exe", link, sizeof(link)) >= 0)
		return 3; /* pid 1 is ours: nothing to test */
	vg_inventory_init(&inv, "/");
	if (vg_collect_processes(&inv) != VG_OK)
		return 4;
	for (size_t i = 0; i < inv.nwarnings; i++)
		if (strstr(inv.warnings[i].message, "executables of"))
			summaries++;
	for (size_t i = 0; i < inv.nprocesses; i++)
		if (!inv.processes[i].exe)
			without_exe++;
	vg_inventory_release(&inv);
	if (summaries != 1 || without_exe == 0)
		return 5;
	return 0;
}

static void
live_unreadable_summary(void **state)
{
	pid_t child;
	int status;

	(void)state;
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(unreadable_child());
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 3)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- rpm: a database built at test time (skipped without rpmbuild) ---- */

static int
run(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
rpm_owner(void **state)
{
	char dir[] = "/tmp/vigil-test-rpm-XXXXXX", cmd[2048], path[PATH_MAX];
	static const char spec[] = "Name: fakesrv\nVersion: 1.0\nRelease: 1\nSummary: t\n"
				   "License: MIT\nBuildArch: noarch\n%description\nt\n"
				   "%install\nmkdir -p %{buildroot}/usr/sbin\n"
				   "echo x > %{buildroot}/usr/sbin/fakesrv\n"
				   "%files\n/usr/sbin/fakesrv\n";
	struct vg_inventory inv;

	(void)state;
	if (run("command -v rpmbuild >/dev/null 2>&1 && command -v rpm >/dev/null 2>&1") != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fakesrv.spec", dir);
	write_file(path, spec, sizeof(spec) - 1);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && rpmbuild -bb --define '_topdir %s/top' fakesrv.spec >/dev/null 2>&1 && "
		 "mkdir -p root/proc/42 && rpm --root %s/root --dbpath /var/lib/rpm -i --justdb "
		 "--nodeps --noscripts top/RPMS/noarch/*.rpm >/dev/null 2>&1 && "
		 "ln -s /sbin/fakesrv root/proc/42/exe && ln -s usr/bin root/bin",
		 dir, dir, dir);
	assert_int_equal(run(cmd), 0);
	snprintf(path, sizeof(path), "%s/root/proc/42/cmdline", dir);
	write_file(path, "fakesrv\0", 8);
	snprintf(path, sizeof(path), "%s/root/proc/42/status", dir);
	write_file(path, "Uid:\t0\t0\t0\t0\n", 13);
	snprintf(path, sizeof(path), "%s/root", dir);
	vg_inventory_init(&inv, path);
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	assert_int_equal(inv.nprocesses, 1);
	/* The exe is /sbin/fakesrv, the package lists /usr/sbin/fakesrv: usr-merge again. */
	assert_non_null(inv.processes[0].package);
	assert_string_equal(inv.processes[0].package, "fakesrv");
	assert_int_equal(inv.processes[0].package_type, VG_PKG_RPM);
	vg_inventory_release(&inv);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(run(cmd), 0);
}

/* ---- Speed on this host (printed, checked loosely: the budget is for all collectors) ---- */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
live_timing(void **state)
{
	double best = 1e9;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 5; i++) {
		struct vg_inventory inv;
		double t0 = now_ms(), t;

		vg_inventory_init(&inv, "/");
		assert_int_equal(vg_collect_processes(&inv), VG_OK);
		t = now_ms() - t0;
		best = t < best ? t : best;
		n = inv.nprocesses;
		vg_inventory_release(&inv);
	}
	print_message("vg_collect_processes: %zu processes in %.2f ms (best of 5, this build)\n", n,
		      best);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_uid_cases),
		cmocka_unit_test(format_cmdline_cases),
		cmocka_unit_test(format_cmdline_bounded),
		cmocka_unit_test(passwd_line_cases),
		cmocka_unit_test(usrmerge_cases),
		cmocka_unit_test(fixture_processes),
		cmocka_unit_test(fixture_apk_owner),
		cmocka_unit_test(missing_root_is_empty),
		cmocka_unit_test(live_self),
		cmocka_unit_test(live_owner_coreutils),
		cmocka_unit_test(live_unreadable_summary),
		cmocka_unit_test(rpm_owner),
		cmocka_unit_test(live_timing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
