/*
 * test_probe.c - unit tests of src/policy/probe*.c.
 *
 * Every probe runs against the two hand-written fixture roots
 * tests/data/roots/config-compliant and config-noncompliant with exact
 * values and the file and line they come from.  File modes and owners
 * cannot be carried by git, so a temporary root built by the test checks
 * them, along with symlinks that try to leave the root, a symlink loop and
 * the size cap.
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

#include "core/err.h"
#include "policy/probe.h"
#include "vgtest.h"

static void
open_root(struct vg_probe *p, const char *name)
{
	char rel[128];
	char *root;

	(void)snprintf(rel, sizeof(rel), "roots/%s", name);
	root = vgt_test_data_path(rel);
	vg_probe_init(p, root);
	free(root);
}

/* Assert a value and where it came from (NULL value: unset). */
static void
check_value(const struct vg_probe_value *v, const char *value, const char *file, int line)
{
	if (!value) {
		assert_null(v->value);
		assert_null(v->file);
		assert_int_equal(v->line, 0);
		return;
	}
	assert_non_null(v->value);
	assert_string_equal(v->value, value);
	assert_string_equal(v->file, file);
	assert_int_equal(v->line, line);
}

#define CC  "config-compliant"
#define CNC "config-noncompliant"

struct kv_row {
	const char *root, *key, *value, *file;
	int line;
};

static void
t_sshd(void **state)
{
	static const struct kv_row rows[] = {
		{CC, "PermitRootLogin", "no", "/etc/ssh/sshd_config", 4},
		/* The drop-in is included first: first value wins. */
		{CC, "passwordauthentication", "no", "/etc/ssh/sshd_config.d/50-hardening.conf", 2},
		{CC, "MaxAuthTries", "4", "/etc/ssh/sshd_config.d/50-hardening.conf", 3},
		{CC, "Port", "22", "/etc/ssh/sshd_config", 3},
		/* "X11Forwarding yes" is inside Match; the one after "Match all" counts. */
		{CC, "X11Forwarding", "no", "/etc/ssh/sshd_config", 11},
		{CC, "UsePAM", NULL, NULL, 0},
		{CNC, "PermitRootLogin", "yes", "/etc/ssh/sshd_config", 3},
		/* Only inside Match blocks (one in an included file): unset globally. */
		{CNC, "PasswordAuthentication", NULL, NULL, 0},
		{CNC, "MaxAuthTries", NULL, NULL, 0},
		/* The Match of 10-admin.conf ends with that file. */
		{CNC, "X11Forwarding", "yes", "/etc/ssh/sshd_config.d/20-x11.conf", 1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vg_probe p;
		struct vg_probe_value v;

		open_root(&p, rows[i].root);
		assert_int_equal(vg_probe_sshd(&p, rows[i].key, &v), VG_OK);
		check_value(&v, rows[i].value, rows[i].file, rows[i].line);
		vg_probe_release(&p);
	}
}

static void
t_login_defs(void **state)
{
	static const struct kv_row rows[] = {
		{CC, "PASS_MAX_DAYS", "90", "/etc/login.defs", 9},
		{CC, "UMASK", "027", "/etc/login.defs", 5},
		/* Quotes are dropped; a name without a value is skipped. */
		{CC, "ENCRYPT_METHOD", "SHA512", "/etc/login.defs", 7},
		{CC, "MAIL_FILE", NULL, NULL, 0},
		{CC, "pass_max_days", NULL, NULL, 0},
		{CNC, "PASS_MAX_DAYS", "99999", "/etc/login.defs", 2},
		{CNC, "UMASK", "022", "/etc/login.defs", 4},
		{CNC, "ENCRYPT_METHOD", "MD5", "/etc/login.defs", 5},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vg_probe p;
		struct vg_probe_value v;

		open_root(&p, rows[i].root);
		assert_int_equal(vg_probe_login_defs(&p, rows[i].key, &v), VG_OK);
		check_value(&v, rows[i].value, rows[i].file, rows[i].line);
		vg_probe_release(&p);
	}
}

static void
t_sysctl_conf(void **state)
{
	static const struct kv_row rows[] = {
		{CC, "net.ipv4.ip_forward", "0", "/etc/sysctl.d/90-hardening.conf", 2},
		{CC, "net/ipv4/ip_forward", "0", "/etc/sysctl.d/90-hardening.conf", 2},
		{CC, "kernel.randomize_va_space", "2", "/etc/sysctl.d/90-hardening.conf", 3},
		/* etc/sysctl.d/60-masked.conf hides usr/lib/sysctl.d/60-masked.conf. */
		{CC, "kernel.kptr_restrict", "2", "/etc/sysctl.d/60-masked.conf", 2},
		{CC, "net.ipv4.conf.all.accept_redirects", "0", "/etc/sysctl.conf", 2},
		{CC, "kernel.dmesg_restrict", NULL, NULL, 0},
		/* sysctl.conf is read last. */
		{CNC, "net.ipv4.ip_forward", "1", "/etc/sysctl.conf", 1},
		/* A link to /dev/null masks usr/lib/sysctl.d/60-masked.conf. */
		{CNC, "kernel.kptr_restrict", "1", "/usr/lib/sysctl.d/50-default.conf", 2},
		{CNC, "net/ipv4/conf/all/accept_redirects", "1", "/etc/sysctl.conf", 2},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vg_probe p;
		struct vg_probe_value v;

		open_root(&p, rows[i].root);
		assert_int_equal(vg_probe_sysctl_conf(&p, rows[i].key, &v), VG_OK);
		check_value(&v, rows[i].value, rows[i].file, rows[i].line);
		vg_probe_release(&p);
	}
}

static void
t_sysctl_run(void **state)
{
	static const struct kv_row rows[] = {
		{CC, "net.ipv4.ip_forward", "0", "/proc/sys/net/ipv4/ip_forward", 1},
		{CC, "kernel/randomize_va_space", "2", "/proc/sys/kernel/randomize_va_space", 1},
		/* A dot inside an interface name, in both spellings. */
		{CC, "net/ipv4/conf/eth0.1/rp_filter", "1",
		 "/proc/sys/net/ipv4/conf/eth0.1/rp_filter", 1},
		{CC, "net.ipv4.conf.eth0/1.rp_filter", "1",
		 "/proc/sys/net/ipv4/conf/eth0.1/rp_filter", 1},
		{CNC, "net.ipv4.ip_forward", "1", "/proc/sys/net/ipv4/ip_forward", 1},
		{CNC, "kernel.randomize_va_space", "0", "/proc/sys/kernel/randomize_va_space", 1},
	};
	struct vg_probe p;
	struct vg_probe_value v;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		open_root(&p, rows[i].root);
		assert_int_equal(vg_probe_sysctl_run(&p, rows[i].key, &v), VG_OK);
		check_value(&v, rows[i].value, rows[i].file, rows[i].line);
		vg_probe_release(&p);
	}
	open_root(&p, CNC);
	assert_int_equal(vg_probe_sysctl_run(&p, "kernel.kptr_restrict", &v), VG_ENOTFOUND);
	assert_int_equal(vg_probe_sysctl_run(&p, "kernel/../../etc/passwd", &v), VG_EINVAL);
	assert_int_equal(vg_probe_sysctl_run(&p, "kernel/..", &v), VG_EINVAL);
	assert_int_equal(vg_probe_sysctl_run(&p, "net..ipv4", &v), VG_EINVAL);
	vg_probe_release(&p);
}

static void
t_limits(void **state)
{
	static const struct {
		const char *root, *domain, *type, *item, *value, *file;
		int line;
	} rows[] = {
		{CC, "*", "hard", "core", "0", "/etc/security/limits.d/20-core.conf", 1},
		{CC, "*", "soft", "core", NULL, NULL, 0},
		{CC, "*", "soft", "nproc", "4096", "/etc/security/limits.d/10-nproc.conf", 1},
		/* "-" sets both. */
		{CC, "@students", "hard", "maxlogins", "4", "/etc/security/limits.conf", 3},
		{CC, "@students", "soft", "maxlogins", "4", "/etc/security/limits.conf", 3},
		{CNC, "*", "hard", "core", "unlimited", "/etc/security/limits.conf", 1},
		{CNC, "*", "soft", "nproc", NULL, NULL, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vg_probe p;
		struct vg_probe_value v;

		open_root(&p, rows[i].root);
		assert_int_equal(
			vg_probe_limits(&p, rows[i].domain, rows[i].type, rows[i].item, &v), VG_OK);
		check_value(&v, rows[i].value, rows[i].file, rows[i].line);
		vg_probe_release(&p);
	}
}

static void
t_pam(void **state)
{
	struct vg_probe p;
	struct vg_probe_pam s;
	const struct vg_probe_pam_entry *e;

	(void)state;
	open_root(&p, CC);
	assert_int_equal(vg_probe_pam(&p, "passwd", &s), VG_OK);
	assert_int_equal(s.n, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(s.entries[i].type, "password");
		assert_string_equal(s.entries[i].file, "/etc/pam.d/common-password");
		assert_int_equal(s.entries[i].line, (int)i + 2);
	}
	assert_string_equal(s.entries[1].control, "[success=1 default=ignore]");
	assert_string_equal(s.entries[1].module, "pam_unix.so");
	assert_string_equal(s.entries[1].args, "obscure use_authtok try_first_pass yescrypt");
	assert_string_equal(s.entries[3].args, "");
	e = vg_probe_pam_find(&s, "password", "pam_pwquality.so");
	assert_non_null(e);
	assert_string_equal(e->control, "requisite");
	assert_string_equal(e->args, "retry=3 minlen=14");
	assert_int_equal(e->line, 2);
	/* sshd: a missing @include is skipped, its own line and the include kept in order. */
	assert_int_equal(vg_probe_pam(&p, "sshd", &s), VG_OK);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.entries[0].module, "pam_nologin.so");
	assert_string_equal(s.entries[0].file, "/etc/pam.d/sshd");
	assert_int_equal(s.entries[0].line, 2);
	assert_string_equal(s.entries[1].module, "pam_pwquality.so");
	assert_int_equal(vg_probe_pam(&p, "login", &s), VG_ENOTFOUND);
	assert_int_equal(vg_probe_pam(&p, "../passwd", &s), VG_EINVAL);
	vg_probe_release(&p);

	open_root(&p, CNC);
	assert_int_equal(vg_probe_pam(&p, "passwd", &s), VG_OK);
	assert_int_equal(s.n, 3);
	assert_null(vg_probe_pam_find(&s, "password", "pam_pwquality.so"));
	e = vg_probe_pam_find(&s, "password", "pam_unix.so");
	assert_non_null(e);
	assert_string_equal(e->args, "nullok sha512");
	assert_int_equal(e->line, 1);
	assert_true(s.entries[2].optional_type);
	assert_string_equal(s.entries[2].type, "password");
	assert_string_equal(s.entries[2].module, "pam_gnome_keyring.so");
	assert_int_equal(s.entries[2].line, 3);
	vg_probe_release(&p);
}

static void
t_mount(void **state)
{
	struct vg_probe p;
	struct vg_probe_mount m;

	(void)state;
	open_root(&p, CC);
	assert_int_equal(vg_probe_mount(&p, "/tmp", &m), VG_OK);
	assert_string_equal(m.device, "tmpfs");
	assert_string_equal(m.fstype, "tmpfs");
	assert_string_equal(m.options, "rw,nosuid,nodev,noexec,relatime");
	assert_string_equal(m.file, "/proc/mounts");
	assert_int_equal(m.line, 2);
	assert_true(vg_probe_has_option(m.options, "noexec"));
	assert_true(vg_probe_has_option(m.options, "relatime"));
	assert_false(vg_probe_has_option(m.options, "exec"));
	assert_int_equal(vg_probe_mount(&p, "/mnt/My Data", &m), VG_OK);
	assert_string_equal(m.options, "rw,nosuid,nodev");
	assert_int_equal(m.line, 3);
	assert_int_equal(vg_probe_mount(&p, "/var/tmp", &m), VG_ENOTFOUND);
	vg_probe_release(&p);

	open_root(&p, CNC);
	/* Two mounts on /tmp: the later one is on top. */
	assert_int_equal(vg_probe_mount(&p, "/tmp", &m), VG_OK);
	assert_string_equal(m.device, "tmpfs");
	assert_string_equal(m.options, "rw,relatime");
	assert_int_equal(m.line, 3);
	assert_false(vg_probe_has_option(m.options, "nosuid"));
	assert_int_equal(vg_probe_mount(&p, "/mnt/My Data", &m), VG_OK);
	assert_string_equal(m.device, "/dev/sdb1");
	assert_string_equal(m.options, "rw");
	assert_int_equal(vg_probe_mount(&p, "/mnt/My\\040Data", &m), VG_ENOTFOUND);
	vg_probe_release(&p);
}

static void
t_module(void **state)
{
	struct vg_probe p;
	struct vg_probe_module m;

	(void)state;
	open_root(&p, CC);
	assert_int_equal(vg_probe_module(&p, "cramfs", &m), VG_OK);
	assert_false(m.loaded);
	assert_true(m.blacklisted);
	check_value(&m.blacklist, "blacklist", "/etc/modprobe.d/cis.conf", 2);
	assert_true(m.install_disabled);
	check_value(&m.install, "/bin/false", "/etc/modprobe.d/cis.conf", 1);
	/* '-' and '_' are the same in module names. */
	assert_int_equal(vg_probe_module(&p, "usb_storage", &m), VG_OK);
	assert_false(m.blacklisted);
	assert_true(m.install_disabled);
	check_value(&m.install, "/bin/true", "/etc/modprobe.d/cis.conf", 3);
	assert_int_equal(vg_probe_module(&p, "dccp", &m), VG_OK);
	check_value(&m.blacklist, "blacklist", "/usr/lib/modprobe.d/dccp.conf", 1);
	assert_false(m.install_disabled);
	assert_int_equal(vg_probe_module(&p, "nf-tables", &m), VG_OK);
	assert_true(m.loaded);
	assert_false(m.blacklisted);
	vg_probe_release(&p);

	open_root(&p, CNC);
	assert_int_equal(vg_probe_module(&p, "cramfs", &m), VG_OK);
	assert_true(m.loaded);
	/* etc/modprobe.d/cramfs.conf -> /dev/null masks usr/lib's blacklist. */
	assert_false(m.blacklisted);
	check_value(&m.blacklist, NULL, NULL, 0);
	assert_int_equal(vg_probe_module(&p, "usb-storage", &m), VG_OK);
	assert_true(m.loaded);
	assert_false(m.install_disabled);
	check_value(&m.install, "/sbin/modprobe --ignore-install usb-storage $CMDLINE_OPTS",
		    "/etc/modprobe.d/cis.conf", 1);
	vg_probe_release(&p);
}

static void
t_unit(void **state)
{
	struct vg_probe p;
	struct vg_probe_unit u;

	(void)state;
	open_root(&p, CC);
	assert_int_equal(vg_probe_unit(&p, "auditd.service", &u), VG_OK);
	assert_string_equal(u.path, "/usr/lib/systemd/system/auditd.service");
	assert_true(u.enabled);
	assert_string_equal(u.enabled_by,
			    "/etc/systemd/system/multi-user.target.wants/auditd.service");
	assert_false(u.masked);
	assert_int_equal(vg_probe_unit(&p, "rsync.service", &u), VG_OK);
	assert_true(u.masked);
	assert_string_equal(u.mask, "/etc/systemd/system/rsync.service");
	assert_string_equal(u.path, "/usr/lib/systemd/system/rsync.service");
	assert_false(u.enabled);
	assert_int_equal(vg_probe_unit(&p, "telnet.socket", &u), VG_ENOTFOUND);
	vg_probe_release(&p);

	open_root(&p, CNC);
	assert_int_equal(vg_probe_unit(&p, "auditd.service", &u), VG_OK);
	assert_false(u.enabled);
	assert_null(u.enabled_by);
	assert_int_equal(vg_probe_unit(&p, "rsync.service", &u), VG_OK);
	assert_false(u.masked);
	assert_true(u.enabled);
	assert_string_equal(u.enabled_by,
			    "/etc/systemd/system/multi-user.target.wants/rsync.service");
	vg_probe_release(&p);
}

static void
t_stat_fixture(void **state)
{
	struct vg_probe p;
	struct vg_probe_stat st;

	(void)state;
	open_root(&p, CC);
	assert_int_equal(vg_probe_stat(&p, "etc/ssh/sshd_config", 0, &st), VG_OK);
	assert_int_equal(st.type, VG_PROBE_FILE);
	assert_int_equal(vg_probe_stat(&p, "/etc/ssh", 0, &st), VG_OK);
	assert_int_equal(st.type, VG_PROBE_DIR);
	assert_int_equal(
		vg_probe_stat(&p, "/etc/systemd/system/rsync.service", VG_PROBE_NOFOLLOW, &st),
		VG_OK);
	assert_int_equal(st.type, VG_PROBE_LINK);
	assert_string_equal(st.target, "/dev/null");
	/* Followed inside the root, /dev/null does not exist there. */
	assert_int_equal(vg_probe_stat(&p, "/etc/systemd/system/rsync.service", 0, &st),
			 VG_ENOTFOUND);
	assert_int_equal(vg_probe_stat(&p, "/etc/shadow", 0, &st), VG_ENOTFOUND);
	vg_probe_release(&p);

	/* A link climbing out of the root lands inside it. */
	open_root(&p, CNC);
	assert_int_equal(
		vg_probe_stat(&p, "/etc/ssh/sshd_config.d/30-escape.conf", VG_PROBE_NOFOLLOW, &st),
		VG_OK);
	assert_int_equal(st.type, VG_PROBE_LINK);
	assert_int_equal(vg_probe_stat(&p, "/etc/ssh/sshd_config.d/30-escape.conf", 0, &st),
			 VG_ENOTFOUND);
	vg_probe_release(&p);
}

/* ---- a temporary root for modes, owners, escapes, loops and caps ---- */

static char tmp_root[64];

static void
put(const char *rel, const char *text, mode_t mode)
{
	char path[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void
link_at(const char *target, const char *rel)
{
	char path[512];

	(void)snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	assert_int_equal(symlink(target, path), 0);
}

static int
setup_tmp(void **state)
{
	char etc[128], passwd[256], group[256], defs[6000];

	(void)state;
	(void)snprintf(tmp_root, sizeof(tmp_root), "/tmp/vg-probe-XXXXXX");
	if (!mkdtemp(tmp_root))
		return -1;
	(void)snprintf(etc, sizeof(etc), "%s/etc", tmp_root);
	if (mkdir(etc, 0755) < 0)
		return -1;
	/*
	 * The root's own names for our uid and gid, different from the host's;
	 * first, so that they win even when the tests run as root (uid 0).
	 */
	(void)snprintf(passwd, sizeof(passwd),
		       "fixtureuser:x:%u:%u::/home/f:/bin/sh\nroot:x:0:0::/root:/bin/sh\n",
		       (unsigned)getuid(), (unsigned)getgid());
	(void)snprintf(group, sizeof(group), "fixturegroup:x:%u:\nroot:x:0:\n", (unsigned)getgid());
	put("etc/passwd", passwd, 0644);
	put("etc/group", group, 0644);
	/* 33 bytes of items and a 5002-byte comment: 5035 bytes. */
	(void)snprintf(defs, sizeof(defs), "PASS_MAX_DAYS 60\nPASS_MIN_DAYS 7\n#%5000s\n", "");
	put("etc/login.defs", defs, 0600);
	put("etc/suid", "", 04755);
	link_at("../../../../../../../../etc/passwd", "etc/up");
	link_at("/etc/os-release", "etc/abs");
	link_at("loop2", "etc/loop1");
	link_at("loop1", "etc/loop2");
	return 0;
}

static int
teardown_tmp(void **state)
{
	static const char *const rels[] = {"etc/passwd", "etc/group", "etc/login.defs", "etc/suid",
					   "etc/up",     "etc/abs",   "etc/loop1",      "etc/loop2",
					   "etc",        NULL};
	char path[512];

	(void)state;
	for (size_t i = 0; rels[i]; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", tmp_root, rels[i]);
		(void)remove(path);
	}
	return rmdir(tmp_root);
}

static void
t_stat_owner(void **state)
{
	struct vg_probe p;
	struct vg_probe_stat st;

	(void)state;
	vg_probe_init(&p, tmp_root);
	assert_int_equal(vg_probe_stat(&p, "/etc/login.defs", 0, &st), VG_OK);
	assert_int_equal(st.type, VG_PROBE_FILE);
	assert_int_equal(st.mode, 0600);
	assert_int_equal(st.uid, getuid());
	assert_int_equal(st.gid, getgid());
	assert_string_equal(st.owner, "fixtureuser");
	assert_string_equal(st.group, "fixturegroup");
	assert_int_equal(st.size, 5035);
	assert_int_equal(vg_probe_stat(&p, "etc/suid", 0, &st), VG_OK);
	assert_int_equal(st.mode, 04755);
	vg_probe_release(&p);
}

static void
t_escape_and_caps(void **state)
{
	struct vg_probe p;
	struct vg_probe_value v;
	char *data;
	size_t len;

	(void)state;
	vg_probe_init(&p, tmp_root);
	/* ".." stops at the root: the root's etc/passwd, not the host's. */
	assert_int_equal(vg_probe_read(&p, "etc/up", &data, &len), VG_OK);
	assert_true(strncmp(data, "fixtureuser:x:", 14) == 0);
	free(data);
	assert_int_equal(vg_probe_read(&p, "/../../etc/passwd", &data, &len), VG_OK);
	assert_true(strncmp(data, "fixtureuser:x:", 14) == 0);
	free(data);
	/* An absolute target restarts at the root, where there is no os-release. */
	assert_int_equal(vg_probe_read(&p, "etc/abs", &data, &len), VG_ENOTFOUND);
	assert_int_equal(vg_probe_read(&p, "etc/loop1", &data, &len), VG_EIO);
	assert_int_equal(vg_probe_read(&p, "etc/nodir/x", &data, &len), VG_ENOTFOUND);
	/* The cap: the 5035-byte login.defs is read under 8192, not under 4096. */
	p.max_file = 8192;
	assert_int_equal(vg_probe_login_defs(&p, "PASS_MIN_DAYS", &v), VG_OK);
	check_value(&v, "7", "/etc/login.defs", 2);
	p.max_file = 4096;
	assert_int_equal(vg_probe_login_defs(&p, "PASS_MAX_DAYS", &v), VG_ETOOBIG);
	assert_int_equal(vg_probe_sshd(&p, "PermitRootLogin", &v), VG_ENOTFOUND);
	vg_probe_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sshd),
		cmocka_unit_test(t_login_defs),
		cmocka_unit_test(t_sysctl_conf),
		cmocka_unit_test(t_sysctl_run),
		cmocka_unit_test(t_limits),
		cmocka_unit_test(t_pam),
		cmocka_unit_test(t_mount),
		cmocka_unit_test(t_module),
		cmocka_unit_test(t_unit),
		cmocka_unit_test(t_stat_fixture),
		cmocka_unit_test_setup_teardown(t_stat_owner, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(t_escape_and_caps, setup_tmp, teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
