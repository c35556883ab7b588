/*
 * test_baseline.c - the Vigil baseline in content/ (issue 6).
 *
 * 1. The content itself: it loads, holds at least 150 checks with ids unique
 *    across the four files and inside each file's id range, every category
 *    has at least 15 checks, every check has an impact 1..10, a rationale, a
 *    remediation and a reference, and every "CIS Debian Linux 12 v1.1.0 N"
 *    reference names a section listed in the real Wazuh CIS Debian 12 policy
 *    (../shared/data/sca/wazuh/cis_debian12.yml, which quotes the benchmark's
 *    section numbers).
 *
 * 2. The checks evaluated on four small fixture roots (tests/data/roots/
 *    baseline-*), with an inventory collected from the root as the agent
 *    does:
 *      - baseline-debian-hardened: every vigil-linux and vigil-debian check
 *        passes or does not apply (its `applies` is false); the few
 *        exceptions are listed in hardened_exceptions[] with their reason;
 *      - baseline-debian-default: a stock Debian 12 plus a telnet server, a
 *        second UID 0 account, an account without password and NOPASSWD
 *        sudo: the hand-checked failures of default_failures[] fail, each
 *        with its reason fragment;
 *      - baseline-rhel (Rocky 9) and baseline-alpine (3.18): their family's
 *        checks apply and pass; the other families' checks do not apply.
 *
 * File modes and owners cannot be carried by git, so each root is copied to
 * a temporary directory and given the modes of modes[] first; checks that
 * judge a file's owner or group can only pass when the test runs as root
 * (the copy is then owned by root), so as another user they may fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/inventory.h"
#include "core/err.h"
#include "policy/eval.h"
#include "policy/policy.h"
#include "vgtest.h"

#define CIS_PREFIX "CIS Debian Linux 12 v1.1.0 "

/* ---------------------------------------------------------------- loading */

static void
load_content(struct vg_policy_set *set)
{
	struct vg_err err = {0};
	int rc;

	memset(set, 0, sizeof(*set));
	rc = vg_policy_set_add(set, VG_CONTENT_DIR, &err);
	if (rc != VG_OK)
		fail_msg("loading '%s': %s", VG_CONTENT_DIR, err.msg);
	assert_int_equal(set->n, 4);
}

static const struct vg_policy *
policy_of(const struct vg_policy_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->policies[i].id, id) == 0)
			return &set->policies[i];
	fail_msg("policy '%s' not loaded", id);
	return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Id range of each file: N0001..N0499, N0501..N0699, N0701..N0899, N0901..N0999. */
static const struct {
	const char *policy;
	int lo, hi;
} ranges[] = {
	{"vigil-linux", 1, 499},
	{"vigil-debian", 501, 699},
	{"vigil-rhel", 701, 899},
	{"vigil-alpine", 901, 999},
};

/* The first digit of an id names its category (content/README.md). */
static int
category_digit(enum vg_check_category c)
{
	switch (c) {
	case VG_CAT_OS:
		return 1;
	case VG_CAT_NETWORK:
		return 2;
	case VG_CAT_ACCOUNTS:
		return 3;
	case VG_CAT_SECURITY_CONTROLS:
		return 4;
	case VG_CAT_APPLICATION:
		return 5;
	case VG_CAT_NONE:
		break;
	}
	return 0;
}

static void
check_id_range(const struct vg_policy *p, const struct vg_check *c)
{
	char *end = NULL;
	long n;
	size_t r;

	assert_true(strncmp(c->id, "scid-", 5) == 0);
	n = strtol(c->id + 5, &end, 10);
	assert_true(end && *end == '\0');
	for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++)
		if (strcmp(ranges[r].policy, p->id) == 0)
			break;
	assert_true(r < sizeof(ranges) / sizeof(ranges[0]));
	if (n / 10000 != category_digit(c->category) || n % 10000 < ranges[r].lo ||
	    n % 10000 > ranges[r].hi)
		fail_msg("%s:%s: id outside the range of its file and category", p->id, c->id);
}

static void
t_content(void **state)
{
	struct vg_policy_set set;
	size_t total = 0, ncat[VG_NCATEGORIES] = {0};
	const char **ids;
	size_t k = 0;

	(void)state;
	load_content(&set);
	for (size_t i = 0; i < set.n; i++)
		total += set.policies[i].nchecks;
	assert_true(total >= 150);
	ids = calloc(total, sizeof(*ids));
	assert_non_null(ids);
	for (size_t i = 0; i < set.n; i++) {
		const struct vg_policy *p = &set.policies[i];

		assert_int_equal(p->format, VG_POLICY_VIGIL);
		assert_non_null(p->version);
		for (size_t j = 0; j < p->nchecks; j++) {
			const struct vg_check *c = &p->checks[j];

			ids[k++] = c->id;
			check_id_range(p, c);
			assert_true(c->category != VG_CAT_NONE);
			ncat[c->category]++;
			if (c->impact < 1 || c->impact > 10)
				fail_msg("%s: impact %d", c->id, c->impact);
			assert_true(c->title && *c->title);
			assert_true(c->subcategory && *c->subcategory);
			assert_true(c->rationale && strlen(c->rationale) >= 40);
			assert_true(c->remediation && strlen(c->remediation) >= 15);
			assert_true(c->nreferences >= 1);
			assert_true(c->nrules >= 1);
		}
	}
	qsort(ids, total, sizeof(*ids), cmp_str);
	for (size_t i = 1; i < total; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			fail_msg("duplicate id '%s'", ids[i]);
	for (int c = VG_CAT_APPLICATION; c <= VG_CAT_SECURITY_CONTROLS; c++)
		if (ncat[c] < 15)
			fail_msg("category '%s' has %zu checks", vg_category_name(c), ncat[c]);
	free(ids);
	vg_policy_set_release(&set);
}

/*
 * Every CIS reference names a section the benchmark has: the Wazuh policy
 * lists each as a comment line "  # 5.1.20 Ensure sshd PermitRootLogin ...".
 */
static void
t_cis_references(void **state)
{
	struct vg_policy_set set;
	char *path = vgt_shared_path("sca/wazuh/cis_debian12.yml");
	char *text;
	size_t len, ncis = 0;

	(void)state;
	assert_int_equal(vg_inv_read_file(path, VG_POLICY_MAX_BYTES, &text, &len), VG_OK);
	load_content(&set);
	for (size_t i = 0; i < set.n; i++) {
		const struct vg_policy *p = &set.policies[i];

		for (size_t j = 0; j < p->nchecks; j++) {
			const struct vg_check *c = &p->checks[j];

			for (size_t r = 0; r < c->nreferences; r++) {
				const char *ref = c->references[r];
				char needle[64];

				if (strncmp(ref, CIS_PREFIX, strlen(CIS_PREFIX)) != 0)
					continue;
				(void)snprintf(needle, sizeof(needle), "\n  # %s ",
					       ref + strlen(CIS_PREFIX));
				if (!strstr(text, needle))
					fail_msg("%s: '%s' is not a CIS Debian 12 v1.1.0 section",
						 c->id, ref);
				ncis++;
			}
		}
	}
	assert_true(ncis >= 150);
	vg_policy_set_release(&set);
	free(text);
	free(path);
}

/* ------------------------------------------------------ temporary roots */

static char copy_to[256];
static size_t copy_from_len;

static int
copy_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char dst[1024], link[1024];
	ssize_t n;

	(void)ftw;
	if (snprintf(dst, sizeof(dst), "%s%s", copy_to, path + copy_from_len) >= (int)sizeof(dst))
		return -1;
	if (flag == FTW_D)
		return mkdir(dst, 0755) == 0 || errno == EEXIST ? 0 : -1;
	if (flag == FTW_SL) {
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			return -1;
		link[n] = '\0';
		return symlink(link, dst);
	}
	if (flag == FTW_F) {
		char *data;
		size_t len;
		FILE *f;
		int rc = 0;

		if (vg_inv_read_file(path, (size_t)st->st_size + 1, &data, &len) != VG_OK)
			return -1;
		f = fopen(dst, "wb");
		if (!f || fwrite(data, 1, len, f) != len)
			rc = -1;
		if (f && fclose(f) != 0)
			rc = -1;
		free(data);
		return rc;
	}
	return -1;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* The modes (and, as root, the groups) a real system gives these paths. */
static const struct {
	const char *path;
	mode_t mode;
	int gid; /* -1: root's */
} modes[] = {
	{"etc/passwd", 0644, -1},
	{"etc/passwd-", 0644, -1},
	{"etc/group", 0644, -1},
	{"etc/group-", 0644, -1},
	{"etc/shadow", 0640, 42},
	{"etc/shadow-", 0640, 42},
	{"etc/gshadow", 0640, 42},
	{"etc/gshadow-", 0640, 42},
	{"etc/shells", 0644, -1},
	{"etc/security/opasswd", 0600, -1},
	{"etc/motd", 0644, -1},
	{"etc/issue", 0644, -1},
	{"etc/issue.net", 0644, -1},
	{"etc/ssh/sshd_config", 0600, -1},
	{"etc/ssh/ssh_host_ed25519_key", 0600, -1},
	{"etc/ssh/ssh_host_ed25519_key.pub", 0644, -1},
	{"etc/audit/auditd.conf", 0640, -1},
	{"var/log/audit", 0750, -1},
	{"etc/crontab", 0600, -1},
	{"etc/cron.hourly", 0700, -1},
	{"etc/cron.daily", 0700, -1},
	{"etc/cron.weekly", 0700, -1},
	{"etc/cron.monthly", 0700, -1},
	{"etc/cron.d", 0700, -1},
	{"etc/sysctl.d", 0755, -1},
	{"boot/grub/grub.cfg", 0600, -1},
	{"boot/grub2/grub.cfg", 0600, -1},
	{"etc/doas.conf", 0600, -1},
	{"etc/crontabs/root", 0600, -1},
};

/* Copy tests/data/roots/@name to a new temporary directory, written to @out. */
static void
make_root(const char *name, char *out, size_t cap)
{
	char rel[128], path[1024];
	char *src;

	(void)snprintf(rel, sizeof(rel), "roots/%s", name);
	src = vgt_test_data_path(rel);
	(void)snprintf(out, cap, "%s/vigil-baseline-XXXXXX",
		       getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(out));
	(void)snprintf(copy_to, sizeof(copy_to), "%s", out);
	copy_from_len = strlen(src);
	assert_int_equal(nftw(src, copy_entry, 32, FTW_PHYS), 0);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", out, modes[i].path);
		if (access(path, F_OK) != 0)
			continue;
		assert_int_equal(chmod(path, modes[i].mode), 0);
		if (geteuid() == 0)
			assert_int_equal(chown(path, 0, modes[i].gid < 0 ? 0 : (gid_t)modes[i].gid),
					 0);
	}
	free(src);
}

static void
remove_root(const char *root)
{
	assert_int_equal(nftw(root, remove_entry, 32, FTW_DEPTH | FTW_PHYS), 0);
}

/* ------------------------------------------------------------ evaluating */

struct run {
	char root[256];
	struct vg_inventory inv;
	struct vg_evaluator ev;
	struct vg_policy_set set;
	/* results per policy of set, in the same order */
	struct vg_check_result *res[4];
	size_t nres[4];
};

static void
dump(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->set.n; i++)
		for (size_t j = 0; j < r->nres[i]; j++) {
			const struct vg_check_result *res = &r->res[i][j];

			fprintf(stderr, "%s\t%s\t%s\t%s\t%s\n", name, res->check->id,
				vg_result_name(res->result), res->reason ? res->reason : "-",
				res->evidence ? res->evidence : "-");
		}
}

static void
run_root(struct run *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	load_content(&r->set);
	make_root(name, r->root, sizeof(r->root));
	vgt_collect(&r->inv, r->root);
	vg_eval_init(&r->ev, r->root, &r->inv, NULL);
	for (size_t i = 0; i < r->set.n; i++) {
		assert_int_equal(
			vg_eval_policy(&r->ev, &r->set.policies[i], &r->res[i], &r->nres[i]),
			VG_OK);
		assert_int_equal(r->nres[i], r->set.policies[i].nchecks);
	}
	/* VG_BASELINE_DUMP=1 lists every result, to help when a fixture changes. */
	if (getenv("VG_BASELINE_DUMP"))
		dump(r, name);
}

static void
run_release(struct run *r)
{
	vg_eval_release(&r->ev);
	vg_inventory_release(&r->inv);
	vg_policy_set_release(&r->set);
	remove_root(r->root);
}

static const struct vg_check_result *
result_of(const struct run *r, const char *id)
{
	for (size_t i = 0; i < r->set.n; i++)
		for (size_t j = 0; j < r->nres[i]; j++)
			if (strcmp(r->res[i][j].check->id, id) == 0)
				return &r->res[i][j];
	fail_msg("no result for '%s'", id);
	return NULL;
}

static size_t
policy_index(const struct run *r, const char *policy)
{
	const struct vg_policy *p = policy_of(&r->set, policy);

	return (size_t)(p - r->set.policies);
}

/* A check whose rules judge a file's owner or group. */
static bool
owner_dependent(const struct vg_check *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (c->rules[i].kind == VG_RULE_FILE &&
		    (c->rules[i].u.file.nowners || c->rules[i].u.file.ngroups))
			return true;
	return false;
}

static const char *
text(const char *s)
{
	return s ? s : "(null)";
}

static void
expect_na(const struct vg_check_result *res, const char *why)
{
	if (res->result != VG_RESULT_NA || !res->reason || !strstr(res->reason, why))
		fail_msg("%s: %s (%s), want notApplicable with '%s'", res->check->id,
			 vg_result_name(res->result), text(res->reason), why);
}

/* Every check of @policy is notApplicable because of its `applies`. */
static void
expect_policy_na(const struct run *r, const char *policy)
{
	size_t pi = policy_index(r, policy);

	for (size_t j = 0; j < r->nres[pi]; j++)
		expect_na(&r->res[pi][j], "does not apply");
}

/*
 * Every check of @policy passes, or does not apply by its `applies`, except
 * the @nexc exceptions (id, result, reason fragment).  Returns how many passed.
 */
struct exception {
	const char *id;
	enum vg_result result;
	const char *reason;
};

static size_t
expect_policy_pass(const struct run *r, const char *policy, const struct exception *exc,
		   size_t nexc)
{
	size_t pi = policy_index(r, policy), passed = 0;

	for (size_t j = 0; j < r->nres[pi]; j++) {
		const struct vg_check_result *res = &r->res[pi][j];
		size_t e;

		for (e = 0; e < nexc; e++)
			if (strcmp(exc[e].id, res->check->id) == 0)
				break;
		if (e < nexc) {
			if (res->result != exc[e].result || !res->reason ||
			    !strstr(res->reason, exc[e].reason))
				fail_msg("%s: %s (%s), want %s with '%s'", res->check->id,
					 vg_result_name(res->result), text(res->reason),
					 vg_result_name(exc[e].result), exc[e].reason);
			continue;
		}
		if (res->result == VG_RESULT_PASSED) {
			passed++;
			continue;
		}
		if (res->result == VG_RESULT_NA && res->reason &&
		    strstr(res->reason, "does not apply"))
			continue;
		if (geteuid() != 0 && owner_dependent(res->check) &&
		    res->result == VG_RESULT_FAILED)
			continue;
		fail_msg("%s (%s): %s: %s [%s]", res->check->id, res->check->title,
			 vg_result_name(res->result), text(res->reason), text(res->evidence));
	}
	return passed;
}

/* The device's Secure Score over the policies @a and @b (vg_secure_score_device). */
static void
score_of(const struct run *r, const char *a, const char *b, struct vg_secure_score *out)
{
	size_t ia = policy_index(r, a), ib = policy_index(r, b);
	struct vg_check_result *all = calloc(r->nres[ia] + r->nres[ib], sizeof(*all));

	assert_non_null(all);
	memcpy(all, r->res[ia], r->nres[ia] * sizeof(*all));
	memcpy(all + r->nres[ia], r->res[ib], r->nres[ib] * sizeof(*all));
	vg_secure_score_device(all, r->nres[ia] + r->nres[ib], out);
	free(all);
}

/*
 * Checks that do not pass on the hardened root on purpose: none.  Every
 * vigil-linux and vigil-debian check either passes there or does not apply
 * because its `applies` names a package the root does not have (nginx,
 * redis, postfix, ufw, mariadb, apport on Ubuntu only...).  A check added to
 * the baseline must come with the fixture lines that make it pass, or with
 * an entry here saying why not.
 */
static const struct exception *const hardened_exceptions = NULL;
static const size_t nhardened_exceptions = 0;

static void
t_debian_hardened(void **state)
{
	struct run r;
	size_t passed;

	(void)state;
	run_root(&r, "baseline-debian-hardened");
	passed = expect_policy_pass(&r, "vigil-linux", hardened_exceptions, nhardened_exceptions);
	passed += expect_policy_pass(&r, "vigil-debian", hardened_exceptions, nhardened_exceptions);
	/* Most of the baseline applies to a Debian server with this package set (231 of 241). */
	if (geteuid() == 0) {
		struct vg_secure_score sc;

		assert_true(passed >= 225);
		/* Every applicable check passed: the device scores 100 % in every category. */
		score_of(&r, "vigil-linux", "vigil-debian", &sc);
		assert_true(sc.max > 0 && sc.points == sc.max);
		assert_int_equal(sc.failed + sc.error, 0);
		for (int c = VG_CAT_APPLICATION; c <= VG_CAT_SECURITY_CONTROLS; c++)
			assert_true(sc.cat_max[c] > 0 && sc.cat_points[c] == sc.cat_max[c]);
	}
	expect_policy_na(&r, "vigil-rhel");
	expect_policy_na(&r, "vigil-alpine");
	/* Checks whose `applies` names a package the root does not have. */
	expect_na(result_of(&r, "scid-50059"), "nginx");
	expect_na(result_of(&r, "scid-20504"), "ufw");
	expect_na(result_of(&r, "scid-10503"), "ubuntu");
	run_release(&r);
}

/*
 * Hand-checked failures of baseline-debian-default, each with a fragment of
 * its reason (the key, path, package or port that decided).
 */
static const struct {
	const char *id, *reason;
} default_failures[] = {
	{"scid-30027", "PermitRootLogin"},           /* PermitRootLogin yes */
	{"scid-50001", "X11Forwarding"},             /* X11Forwarding yes */
	{"scid-50012", "ClientAliveInterval"},       /* unset: default 0 */
	{"scid-50005", "MACs"},                      /* unset: no default given */
	{"scid-30001", "guest"},                     /* guest has an empty password */
	{"scid-30002", "toor"},                      /* a second uid 0 account */
	{"scid-30008", "PASS_MAX_DAYS"},             /* 99999 */
	{"scid-30009", "max"},                       /* root/toor/user: 99999 */
	{"scid-30010", "PASS_MIN_DAYS"},             /* 0 */
	{"scid-30015", "UMASK"},                     /* 022 */
	{"scid-30014", "/etc/default/useradd"},      /* INACTIVE commented out */
	{"scid-10001", "cramfs"},                    /* loaded, not disabled */
	{"scid-10002", "freevxfs"},                  /* not disabled */
	{"scid-10008", "/tmp"},                      /* not mounted */
	{"scid-10014", "noexec"},                    /* /dev/shm without noexec */
	{"scid-10018", "kernel.randomize_va_space"}, /* no sysctl.d sets it */
	{"scid-20001", "net.ipv4.ip_forward"},       /* only commented in sysctl.conf */
	{"scid-20019", "net.ipv4.tcp_syncookies"},   /* unset */
	{"scid-10020", "core"},                      /* no limits.conf at all */
	{"scid-20026", "23"},                        /* telnetd on 0.0.0.0:23 */
	{"scid-20030", "111"},                       /* rpcbind on 0.0.0.0:111 */
	{"scid-50046", "inetutils-telnetd"},         /* installed */
	{"scid-50036", "rpcbind"},                   /* installed */
	{"scid-50027", "apache2"},                   /* installed */
	{"scid-50023", "NOPASSWD"},                  /* sudoers.d/90-admins */
	{"scid-50026", "pam_wheel"},                 /* commented out in pam.d/su */
	{"scid-40001", "audit"},                     /* auditd not installed */
	{"scid-40025", "aide"},                      /* not installed */
	{"scid-40026", "journal"},                   /* Storage not set, no /var/log/journal */
	{"scid-10042", "/etc/issue"},                /* "Debian GNU/Linux 12 \n \l" */
	{"scid-10502", "/boot/grub/grub.cfg"},       /* no superusers */
	{"scid-20503", "/etc/nftables.conf"},        /* input chain without policy drop */
	{"scid-30502", "pam_pwquality"},             /* not in common-password */
	{"scid-30503", "pam_faillock"},              /* not in common-auth */
	{"scid-30504", "nullok"},                    /* pam_unix.so nullok */
	{"scid-30501", "libpam-pwquality"},          /* not installed */
	{"scid-40505", "trusted=yes"},               /* repo.example.com */
	{"scid-40502", "/etc/default/grub"},         /* no apparmor=1 */
	{"scid-50501", "unattended-upgrades"},       /* not installed */
	{"scid-50504", "ServerTokens"},              /* ServerTokens OS */
};

static void
t_debian_default(void **state)
{
	struct run r;

	(void)state;
	run_root(&r, "baseline-debian-default");
	for (size_t i = 0; i < sizeof(default_failures) / sizeof(default_failures[0]); i++) {
		const struct vg_check_result *res = result_of(&r, default_failures[i].id);

		if (res->result != VG_RESULT_FAILED || !res->reason ||
		    !strstr(res->reason, default_failures[i].reason))
			fail_msg("%s: %s (%s) [%s], want failed with '%s'", res->check->id,
				 vg_result_name(res->result), text(res->reason),
				 text(res->evidence), default_failures[i].reason);
	}
	/* Far from compliant: under half the points, and every category loses some. */
	{
		struct vg_secure_score sc;

		score_of(&r, "vigil-linux", "vigil-debian", &sc);
		assert_true(vg_secure_score_percent(sc.points, sc.max) < 50.0);
		for (int c = VG_CAT_APPLICATION; c <= VG_CAT_SECURITY_CONTROLS; c++)
			assert_true(sc.cat_points[c] < sc.cat_max[c]);
	}
	/* And what a stock Debian gets right. */
	assert_int_equal(result_of(&r, "scid-30005")->result, VG_RESULT_PASSED); /* gid 0 */
	assert_int_equal(result_of(&r, "scid-30028")->result, VG_RESULT_PASSED); /* default no */
	assert_int_equal(result_of(&r, "scid-30013")->result, VG_RESULT_PASSED); /* SHA512 */
	assert_int_equal(result_of(&r, "scid-50021")->result, VG_RESULT_PASSED); /* use_pty */
	assert_int_equal(result_of(&r, "scid-50013")->result, VG_RESULT_PASSED); /* UsePAM */
	assert_int_equal(result_of(&r, "scid-10012")->result, VG_RESULT_PASSED); /* shm nodev */
	assert_int_equal(result_of(&r, "scid-50006")->result, VG_RESULT_PASSED); /* Kex default */
	assert_int_equal(result_of(&r, "scid-50004")->result, VG_RESULT_PASSED); /* Ciphers */
	expect_policy_na(&r, "vigil-rhel");
	expect_policy_na(&r, "vigil-alpine");
	run_release(&r);
}

/* baseline-rhel: RHEL checks apply and pass; httpd is not installed. */
static const struct exception rhel_exceptions[] = {
	{"scid-50704", VG_RESULT_NA, "httpd"},
};

static void
t_rhel(void **state)
{
	struct run r;
	size_t pi, passed;

	(void)state;
	run_root(&r, "baseline-rhel");
	pi = policy_index(&r, "vigil-rhel");
	passed = expect_policy_pass(&r, "vigil-rhel", rhel_exceptions,
				    sizeof(rhel_exceptions) / sizeof(rhel_exceptions[0]));
	/* All but the httpd one; as another user the GRUB 2 owner check may fail. */
	if (geteuid() == 0)
		assert_int_equal(passed, r.nres[pi] - 1);
	expect_policy_na(&r, "vigil-debian");
	expect_policy_na(&r, "vigil-alpine");
	run_release(&r);
}

static void
t_alpine(void **state)
{
	struct run r;
	size_t pi;

	(void)state;
	run_root(&r, "baseline-alpine");
	pi = policy_index(&r, "vigil-alpine");
	if (geteuid() == 0)
		assert_int_equal(expect_policy_pass(&r, "vigil-alpine", NULL, 0), r.nres[pi]);
	else
		(void)expect_policy_pass(&r, "vigil-alpine", NULL, 0);
	expect_policy_na(&r, "vigil-debian");
	expect_policy_na(&r, "vigil-rhel");
	run_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_content),
		cmocka_unit_test(t_cis_references),
		cmocka_unit_test(t_debian_hardened),
		cmocka_unit_test(t_debian_default),
		cmocka_unit_test(t_rhel),
		cmocka_unit_test(t_alpine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
