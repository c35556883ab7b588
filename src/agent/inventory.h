/*
 * inventory.h - the device inventory: what one device is and runs.
 *
 * The collectors (collect_*.c) fill a struct vg_inventory by reading files
 * under a root directory ("/" for this host, or a mounted image, a chroot,
 * a test fixture), so every environment is scanned the same way.  They only
 * read.  Malformed input never stops a collection: the bad record is
 * skipped, a warning is recorded in the inventory (and counted in the
 * document), and the collector goes on.  Unreadable files are warnings too.
 *
 * Ownership: the inventory owns everything in it.  All strings live in its
 * arena and are valid until vg_inventory_release(); collectors copy what
 * they keep with vg_inv_str()/vg_inv_strc().  Absent values are NULL.
 * Thread-safety: one inventory per thread.
 */
#ifndef VG_AGENT_INVENTORY_H
#define VG_AGENT_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/str.h"

/* Schema version of the inventory document (docs/inventory.md). */
#define VG_INVENTORY_SCHEMA "1.0"

enum vg_pkg_type {
	VG_PKG_DEB,
	VG_PKG_RPM,
	VG_PKG_APK,
	VG_PKG_PYTHON,
	VG_PKG_NPM,
};

struct vg_package {
	enum vg_pkg_type type;
	const char *name;
	const char *version;        /* as the ecosystem writes it; rpm: [epoch:]version-release */
	const char *architecture;   /* NULL for language packages */
	const char *source_name;    /* deb Source / rpm source name / apk origin; else the name */
	const char *source_version; /* deb Source's "(version)" or the version */
	const char *status;      /* deb: dpkg-query's ${db:Status-Abbrev}, e.g. "ii"; else NULL */
	const char *status_text; /* deb: the Status field, e.g. "install ok installed" */
	const char *epoch;       /* rpm: epoch or NULL */
	const char *rpm_version; /* rpm: VERSION */
	const char *release;     /* rpm: RELEASE */
	const char *source_rpm;  /* rpm: SOURCERPM, e.g. "openssl-1.1.1k-12.el8.src.rpm" */
	const char *vendor;      /* rpm: VENDOR */
	const char *modularity;  /* rpm: MODULARITYLABEL */
	const char *license;     /* apk L:, python License, npm license */
	const char *path;        /* file or directory the entry was read from */
	const char *purl;        /* package URL, filled by vg_inventory_finish() */
};

struct vg_os {
	const char *id;         /* os-release ID, e.g. "debian" */
	const char *version_id; /* "12", "22.04", "3.18.4" */
	const char *codename;   /* VERSION_CODENAME */
	const char *id_like;    /* ID_LIKE, space-separated */
	const char *name;
	const char *pretty_name;
	const char *namespace_; /* matching namespace: "debian:12", "ubuntu:22.04", "alpine:3.18",
				   "rhel:9" */
	const char *hostname;
	const char *machine_id;
	const char *architecture; /* "amd64" style for deb, "x86_64" style for rpm/apk */
};

struct vg_kernel {
	const char *running;    /* uname -r, only when the root is "/"; else NULL */
	const char **installed; /* kernel release strings of installed kernel packages */
	size_t ninstalled;
	const char *newest;   /* newest installed, by the package manager's order */
	bool reboot_required; /* running kernel is known and is not the newest installed */
};

struct vg_process {
	int pid;
	int uid;
	const char *user;    /* name of uid, from etc/passwd under the root, or NULL */
	const char *exe;     /* readlink of /proc/PID/exe, " (deleted)" kept */
	const char *cmdline; /* NUL separators replaced by spaces, bounded */
	const char *package; /* name of the package owning exe, or NULL */
	enum vg_pkg_type package_type;
};

struct vg_listener {
	const char *proto;   /* "tcp", "tcp6", "udp", "udp6" */
	const char *address; /* textual local address, e.g. "0.0.0.0", "::1" */
	int port;
	bool loopback;       /* bound only to a loopback address */
	int pid;             /* owning process, 0 when unknown */
	const char *process; /* exe of the owner, or NULL */
	const char *package; /* package owning that exe, or NULL */
};

enum vg_pw_state {
	VG_PW_UNKNOWN, /* shadow unreadable or no entry */
	VG_PW_SET,     /* a usable password hash */
	VG_PW_LOCKED,  /* "!" or "*" prefixed / "*" / "!" */
	VG_PW_EMPTY,   /* empty field: login without password */
};

struct vg_account {
	const char *name;
	int uid;
	int gid;
	const char *home;
	const char *shell;
	bool login_shell;          /* shell is not nologin/false */
	enum vg_pw_state password; /* never the hash itself */
	long last_change;          /* shadow fields in days, -1 when absent */
	long min_days;
	long max_days;
	long warn_days;
	long inactive_days;
	long expire_date;
	const char *admin_groups; /* comma-separated admin groups (sudo, wheel, adm, admin, root) */
};

/*
 * One configuration check's result (issue 6; the document's optional
 * "configuration" section, docs/inventory.md): filled by the agent from the
 * policy evaluator.  result is "passed", "failed", "notApplicable" or
 * "error"; reason and evidence may be NULL.  The document writer truncates
 * reason and evidence to VG_CONFIG_TEXT_MAX bytes at a UTF-8 boundary.
 */
struct vg_config_item {
	const char *policy; /* policy id, e.g. "vigil-linux" */
	const char *id;     /* check id, e.g. "scid-2001" */
	const char *result;
	const char *reason;
	const char *evidence;
};

/* Longest policy / check id and reason / evidence of a configuration item. */
#define VG_CONFIG_ID_MAX   128
#define VG_CONFIG_TEXT_MAX 512

struct vg_inv_warning {
	const char *collector; /* "dpkg", "apk", "os", ... */
	const char *path;      /* file concerned, relative to the root when possible */
	int line;              /* 1-based, 0 when not applicable */
	const char *message;
};

struct vg_inventory {
	struct vg_arena arena;
	const char *root; /* as given, e.g. "/" */
	/*
	 * Application directories (paths under the root) whose node_modules and
	 * Python site-packages / virtualenvs vg_collect_lang() also scans:
	 * borrowed, NULL-terminated, may be NULL.  Set by the caller after
	 * vg_inventory_init(); collect_lang.h says what is looked at in each.
	 */
	const char *const *app_dirs;
	struct vg_os os;
	struct vg_kernel kernel;
	struct vg_package *packages;
	size_t npackages, cap_packages;
	struct vg_process *processes;
	size_t nprocesses, cap_processes;
	struct vg_listener *listeners;
	size_t nlisteners, cap_listeners;
	struct vg_account *accounts;
	size_t naccounts, cap_accounts;
	struct vg_inv_warning *warnings;
	size_t nwarnings, cap_warnings;
	bool network_exposed; /* a listener is bound to a non-loopback address */
	/*
	 * Configuration assessment results, sorted by (policy, id) by
	 * vg_inventory_sort().  has_config says the section exists at all: an
	 * agent without policies leaves it false and the document omits the
	 * section; with policies it is true even when there are no items.
	 */
	struct vg_config_item *config;
	size_t nconfig, cap_config;
	bool has_config;
};

/** Initialise an empty inventory for @root (borrowed; copied into the arena). */
void vg_inventory_init(struct vg_inventory *inv, const char *root);

/** Free everything the inventory owns. */
void vg_inventory_release(struct vg_inventory *inv);

/** Append a zeroed package / process / listener / account and return it (owned by @inv). */
struct vg_package *vg_inv_add_package(struct vg_inventory *inv, enum vg_pkg_type type);
struct vg_process *vg_inv_add_process(struct vg_inventory *inv);
struct vg_listener *vg_inv_add_listener(struct vg_inventory *inv);
struct vg_account *vg_inv_add_account(struct vg_inventory *inv);
/**
 * Append a zeroed configuration item and return it (owned by @inv; its
 * strings must live as long as @inv, e.g. copied with vg_inv_strc()).
 * Sets has_config.
 */
struct vg_config_item *vg_inv_add_config_item(struct vg_inventory *inv);

/** Remove the last package added (a collector that finds a record invalid after adding it). */
void vg_inv_drop_last_package(struct vg_inventory *inv);

/** Record a warning; the message is formatted into the arena. */
void vg_inv_warn(struct vg_inventory *inv, const char *collector, const char *path, int line,
		 const char *fmt, ...) VG_PRINTF(5, 6);

/** Copy a slice / C string into the inventory's arena (NULL stays NULL for vg_inv_strc). */
const char *vg_inv_str(struct vg_inventory *inv, struct vg_str s);
const char *vg_inv_strc(struct vg_inventory *inv, const char *s);

/** "deb", "rpm", "apk", "python", "npm". */
const char *vg_pkg_type_name(enum vg_pkg_type type);

/**
 * Join @root and the absolute or relative path @rel into @out (size @cap):
 * "/" + "etc/os-release" → "/etc/os-release", "/img" + "/etc/x" → "/img/etc/x".
 * Returns false if it does not fit.
 */
bool vg_inv_path(const struct vg_inventory *inv, const char *rel, char *out, size_t cap);

/*
 * Reading files under the root.  vg_inv_read_file() reads a whole file of
 * at most @max bytes into a NUL-terminated buffer (caller frees *@data);
 * it returns VG_OK, VG_ENOTFOUND (absent: not a warning), VG_ETOOBIG or
 * VG_EIO / VG_EPERM (recorded as a warning by the caller).
 */
int vg_inv_read_file(const char *path, size_t max, char **data /* OUT */,
		     size_t *len /* OUT */) VG_MUST_CHECK;

/* ---- Collectors (each in its collect_*.c).  Return VG_OK unless the inventory itself failed. ----
 */

/** OS identity: os-release, hostname, machine-id, architecture (collect_os.c). */
int vg_collect_os(struct vg_inventory *inv);
/** dpkg status and status.d (collect_dpkg.c): installed packages only. */
int vg_collect_dpkg(struct vg_inventory *inv);
/** apk installed database (collect_apk.c). */
int vg_collect_apk(struct vg_inventory *inv);
/** rpm database through librpm, or the CBL-Mariner manifest (collect_rpm.c). */
int vg_collect_rpm(struct vg_inventory *inv);
/** Python dist-info/egg-info and npm node_modules (collect_lang.c). */
int vg_collect_lang(struct vg_inventory *inv);
/** Running vs installed kernels, after the package collectors (collect_os.c). */
int vg_collect_kernel(struct vg_inventory *inv);
/** /proc processes and their owning packages, after the package collectors (collect_proc.c). */
int vg_collect_processes(struct vg_inventory *inv);
/** /proc/net listening sockets and their processes, after processes (collect_net.c). */
int vg_collect_listeners(struct vg_inventory *inv);
/** etc/passwd, etc/shadow (state only), etc/group admin membership (collect_accounts.c). */
int vg_collect_accounts(struct vg_inventory *inv);

/** Run every collector in order, then vg_inventory_finish(). */
int vg_inventory_collect(struct vg_inventory *inv);

/** Compute derived fields: purls, network exposure. */
void vg_inventory_finish(struct vg_inventory *inv);

#endif /* VG_AGENT_INVENTORY_H */
