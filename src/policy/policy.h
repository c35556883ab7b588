/*
 * policy.h - configuration policies: the in-memory model and the YAML loader
 * (issue 6).
 *
 * Two formats load into the same model:
 *
 *  - Vigil's own format (docs/policy-format.md; the baseline in content/):
 *    checks built from typed rule kinds (file, content, sshd, login_defs,
 *    sysctl, limits, pam, package, unit, port, mount, module, accounts), each
 *    check with an id "scid-N", a category, an impact 1-10, rationale,
 *    remediation and references;
 *  - Wazuh SCA policies (the .yml files of ../shared/data/sca/wazuh): `policy`,
 *    `requirements`, `variables` and `checks` whose `rules` are SCA rule
 *    strings (sca_rule.h), kept as VG_RULE_SCA.  Their checks have no
 *    category or impact: they are shown per check but do not count in the
 *    Secure Score (impact 0) unless the policy file gives `vigil_category`
 *    and `vigil_impact` on a check.
 *
 * A file is Vigil format when its `policy` mapping has `format: vigil`;
 * otherwise it is read as Wazuh SCA.
 *
 * Loading never evaluates anything and never runs a command: c: rules are
 * only parsed.  Everything the loader allocates lives in the policy's arena.
 *
 * Errors: VG_EINVAL with "FILE:LINE:COLUMN: message" (err->line, err->column
 * set) for YAML syntax errors, unknown keys, wrong types, out-of-range values,
 * duplicate check ids, malformed rules or regexes that do not compile;
 * VG_ETOOBIG when the file exceeds VG_POLICY_MAX_BYTES or a list exceeds its
 * cap; VG_ENOTFOUND / VG_EIO / VG_EPERM for the file itself.  On error the
 * policy is released and zeroed.
 *
 * Thread-safety: a loaded policy is read-only and may be shared by threads.
 */
#ifndef VG_POLICY_POLICY_H
#define VG_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"
#include "policy/sca_rule.h"

/* Largest policy file accepted (the Wazuh Debian 12 policy is ~0.6 MB). */
#define VG_POLICY_MAX_BYTES  (8 * 1024 * 1024)
/* Most checks in one policy, rules in one check, items in one list. */
#define VG_POLICY_MAX_CHECKS 10000
#define VG_POLICY_MAX_RULES  256
#define VG_POLICY_MAX_LIST   256
/* Deepest YAML nesting accepted (anchors/aliases are refused outright). */
#define VG_POLICY_MAX_DEPTH  32

/* The five categories of the Secure Score for devices (ARCHITECTURE.md §Scores). */
enum vg_check_category {
	VG_CAT_NONE, /* Wazuh checks without a Vigil category: not scored */
	VG_CAT_APPLICATION,
	VG_CAT_OS,
	VG_CAT_NETWORK,
	VG_CAT_ACCOUNTS,
	VG_CAT_SECURITY_CONTROLS,
};
#define VG_NCATEGORIES 6

/** "Application", "OS", "Network", "Accounts", "Security controls"; "" for NONE. */
const char *vg_category_name(enum vg_check_category c);
/** The API's recommendationCategory spelling: "SecurityControls" for the last one. */
const char *vg_category_api_name(enum vg_check_category c);
/** Parse either spelling (case-insensitive); false when unknown. */
bool vg_category_parse(const char *s, enum vg_check_category *out /* OUT */);

enum vg_policy_format {
	VG_POLICY_VIGIL,
	VG_POLICY_WAZUH,
};

enum vg_condition {
	VG_COND_ALL,  /* every rule true */
	VG_COND_ANY,  /* at least one rule true */
	VG_COND_NONE, /* no rule true */
};

enum vg_rule_kind {
	VG_RULE_FILE,       /* path's existence, type, mode, owner, group */
	VG_RULE_CONTENT,    /* lines of a file (or of every file of a directory) vs a regex */
	VG_RULE_SSHD,       /* sshd_config keyword (probe.h vg_probe_sshd) */
	VG_RULE_LOGIN_DEFS, /* login.defs item */
	VG_RULE_SYSCTL,     /* configured (sysctl.d) and/or runtime (/proc/sys) value */
	VG_RULE_LIMITS,     /* limits.conf item for a domain and type */
	VG_RULE_PAM,        /* a module in a PAM service's stack, its arguments */
	VG_RULE_PACKAGE,    /* a package installed or absent, from the inventory */
	VG_RULE_UNIT,       /* a systemd unit enabled / active / masked */
	VG_RULE_PORT,       /* a port listening or not, from the inventory */
	VG_RULE_MOUNT,      /* a mount point and its options (/proc/mounts) */
	VG_RULE_MODULE,     /* a kernel module loaded / blacklisted / install-disabled */
	VG_RULE_ACCOUNTS,   /* a property of the local accounts (inventory) */
	VG_RULE_SCA,        /* one Wazuh SCA rule string */
};

/*
 * How a value found by a rule (an sshd keyword's value, a sysctl, a PAM
 * module's argument...) is judged.  Exactly one test per rule; "set" when
 * the policy names none.
 */
enum vg_value_op {
	VG_VAL_SET,   /* the value is set at all */
	VG_VAL_EQ,    /* equals values[0] */
	VG_VAL_IN,    /* equals one of values[] */
	VG_VAL_REGEX, /* PCRE2 `regex` matches (unanchored unless the pattern anchors) */
	VG_VAL_CMP,   /* the value's leading integer OP `number` */
};

struct vg_value_test {
	enum vg_value_op op;
	const char **values; /* EQ: 1, IN: >= 1 */
	size_t nvalues;
	bool nocase;        /* EQ/IN compare case-insensitively (default true for sshd) */
	const char *regex;  /* VG_VAL_REGEX, PCRE2 syntax, checked to compile at load */
	enum vg_sca_op cmp; /* VG_VAL_CMP */
	long long number;   /* VG_VAL_CMP */
	/*
	 * When the key is not set anywhere: the program's built-in default to
	 * judge instead (sshd's "PermitRootLogin" is "prohibit-password"), or NULL,
	 * in which case an unset key makes the rule false.
	 */
	const char *default_value;
};

/* File type a file rule requires. */
enum vg_file_type_req {
	VG_FTYPE_ANY,
	VG_FTYPE_FILE,
	VG_FTYPE_DIR,
};

struct vg_rule_file {
	const char *path; /* absolute, inside the root */
	bool exists;      /* true: must exist (and match the rest); false: must not exist */
	enum vg_file_type_req type;
	bool has_mode_max;
	unsigned mode_max;   /* no permission bit beyond these ("0640": no g+w, no o+rwx) */
	const char **owners; /* any of these user names (or NULL: any) */
	size_t nowners;
	const char **groups; /* any of these group names */
	size_t ngroups;
};

enum vg_content_match {
	VG_LINES_ANY,  /* at least one line matches */
	VG_LINES_NONE, /* no line matches (a missing file counts as no line) */
	VG_LINES_ALL,  /* every non-comment, non-blank line matches */
};

struct vg_rule_content {
	const char *path;       /* a file, or a directory when `dir` */
	bool dir;               /* every regular file directly inside `path`... */
	const char *name_regex; /* ...whose name matches this (NULL: all) */
	const char *regex;      /* PCRE2, per line */
	enum vg_content_match match;
	bool skip_comments; /* ignore lines whose first non-blank byte is '#' (default true) */
	bool missing_ok;    /* a missing file satisfies the rule (default: only for NONE) */
};

struct vg_rule_sysctl {
	const char *key; /* "net.ipv4.ip_forward" */
	bool runtime;    /* check /proc/sys (default true) */
	bool config;     /* check sysctl.d / sysctl.conf (default true) */
};

struct vg_rule_limits {
	const char *domain; /* "*" */
	const char *type;   /* "hard" or "soft" */
	const char *item;   /* "core" */
};

struct vg_rule_pam {
	const char *service; /* "common-password", "system-auth", "sshd", ... */
	const char *type;    /* "auth", "account", "password", "session" */
	const char *module;  /* "pam_pwquality.so" */
	bool present;        /* true: the module must be in the stack (default) */
	const char *arg;     /* when set: the value of "arg=value" (or presence of a bare "arg")
				is judged by the rule's value test */
};

struct vg_rule_package {
	const char **names; /* any of these names */
	size_t nnames;
	bool installed; /* true: one must be installed; false: none may be */
};

struct vg_rule_unit {
	const char *name; /* "auditd.service" */
	int enabled;      /* -1 don't care, 0 must not be, 1 must be */
	int active;       /* same, from the inventory's processes / cgroups */
	int masked;       /* same */
};

struct vg_rule_port {
	int port;
	const char *proto;  /* "tcp" or "udp" (either family) */
	bool listening;     /* true: must listen; false: must not */
	bool external_only; /* only non-loopback listeners count */
};

struct vg_rule_mount {
	const char *path;     /* mount point */
	bool must_exist;      /* true: not mounted -> false; false: not mounted -> rule true */
	const char **options; /* every one must be present */
	size_t noptions;
	const char **absent_options; /* none may be present */
	size_t nabsent;
};

struct vg_rule_module {
	const char *name; /* "cramfs" */
	int loaded;       /* -1 don't care, 0 must not be, 1 must be */
	int disabled;     /* blacklisted or install /bin/false|true: -1, 0, 1 */
};

enum vg_accounts_prop {
	VG_ACC_NO_EMPTY_PASSWORD, /* no account has an empty password field */
	VG_ACC_UID0_ONLY_ROOT,    /* only "root" has uid 0 */
	VG_ACC_MAX_DAYS,          /* every account with a password: max_days judged by the test */
	VG_ACC_MIN_DAYS,
	VG_ACC_WARN_DAYS,
	VG_ACC_INACTIVE_DAYS,
	VG_ACC_SYSTEM_NOLOGIN, /* uid < 1000 (but root) accounts have no login shell */
};

struct vg_rule_accounts {
	enum vg_accounts_prop prop;
};

struct vg_rule {
	enum vg_rule_kind kind;
	bool negated;    /* `not: true`, or Wazuh's "not " */
	int line;        /* in the policy file, 1-based */
	const char *key; /* SSHD / LOGIN_DEFS keyword, SYSCTL key, LIMITS item copy */
	struct vg_value_test
		test; /* value kinds: SSHD, LOGIN_DEFS, SYSCTL, LIMITS, PAM(arg), ACCOUNTS */
	union {
		struct vg_rule_file file;
		struct vg_rule_content content;
		struct vg_rule_sysctl sysctl;
		struct vg_rule_limits limits;
		struct vg_rule_pam pam;
		struct vg_rule_package package;
		struct vg_rule_unit unit;
		struct vg_rule_port port;
		struct vg_rule_mount mount;
		struct vg_rule_module module;
		struct vg_rule_accounts accounts;
		struct vg_sca_rule sca; /* VG_RULE_SCA, variables already expanded */
	} u;
};

/* When a check applies to a device (Vigil format `applies:`). Empty lists: always. */
struct vg_applies {
	const char **
		distros; /* os-release ID or any word of ID_LIKE, e.g. "debian", "rhel", "alpine" */
	size_t ndistros;
	const char **packages; /* any of these installed */
	size_t npackages;
};

struct vg_check {
	const char *id;          /* "scid-2001"; Wazuh: the integer id as text, "33010" */
	const char *title;       /* Wazuh: `title` */
	const char *description; /* may be NULL */
	const char *rationale;   /* required in Vigil format */
	const char *remediation; /* required in Vigil format */
	const char *impact_text; /* Wazuh's free-text `impact`, else NULL */
	enum vg_check_category category;
	const char *subcategory; /* e.g. "SSH", may be NULL */
	int impact;              /* 1..10 (Vigil); 0 = not scored */
	const char **references; /* "CIS Debian 12 5.1.20", "STIG V-238218", URLs */
	size_t nreferences;
	struct vg_applies applies;
	enum vg_condition condition;
	struct vg_rule *rules; /* >= 1 */
	size_t nrules;
	int line;
};

struct vg_policy {
	struct vg_arena arena; /* owns everything below */
	enum vg_policy_format format;
	const char *id; /* "vigil-linux", "cis_debian12" */
	const char *name;
	const char *version; /* Vigil: `version`; Wazuh: NULL */
	const char *description;
	const char *path;            /* the file it was loaded from, or "<memory>" */
	enum vg_sca_dialect dialect; /* Wazuh: regex dialect of the policy */
	bool has_requirements; /* Wazuh `requirements`: the policy applies only when they hold */
	enum vg_condition req_condition;
	struct vg_rule *req_rules;
	size_t nreq_rules;
	struct vg_check *checks;
	size_t nchecks;
};

/**
 * Load the policy file @path into @out (zeroed first).  Errors: see above.
 * Release with vg_policy_release().  @err may be NULL.
 */
int vg_policy_load_file(const char *path, struct vg_policy *out /* OUT */,
			struct vg_err *err) VG_MUST_CHECK;

/**
 * Load a policy from the bytes @text (borrowed; need not be NUL-terminated).
 * @name is used in messages and as `path` (borrowed, copied).
 */
int vg_policy_load_mem(struct vg_str text, const char *name, struct vg_policy *out /* OUT */,
		       struct vg_err *err) VG_MUST_CHECK;

/** Free everything @p owns; @p is zeroed.  NULL and zeroed policies are fine. */
void vg_policy_release(struct vg_policy *p);

/** The check with id @id, or NULL.  Linear. */
const struct vg_check *vg_policy_find(const struct vg_policy *p, const char *id);

/* A set of policies, e.g. every *.yml of a directory. */
struct vg_policy_set {
	struct vg_policy *policies; /* owned */
	size_t n;
};

/**
 * Load @path: a policy file, or every "*.yml"/"*.yaml" file of a directory in
 * name order, appending to @set.  The first failing file stops the load
 * with its error (the set keeps the policies loaded before it).  Two
 * policies with the same id: VG_EINVAL.
 */
int vg_policy_set_add(struct vg_policy_set *set, const char *path,
		      struct vg_err *err) VG_MUST_CHECK;

/** Free every policy of @set. */
void vg_policy_set_release(struct vg_policy_set *set);

#endif /* VG_POLICY_POLICY_H */
