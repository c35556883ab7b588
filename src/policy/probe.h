/*
 * probe.h - read-only probes of a device's configuration (issue 6).
 *
 * The configuration checks are built from these probes: file metadata,
 * key-value configuration (sshd_config, login.defs, sysctl.d, limits.conf,
 * PAM), runtime sysctl, mount options, kernel modules and systemd unit
 * files.  docs/internals/probes.md says which rules each format follows and
 * cites the man pages.
 *
 * Root: every path is relative to a root directory ("/" for this host, or a
 * mounted image, a fixture).  Paths are resolved component by component as
 * under chroot(2): an absolute symlink target restarts at the root, ".."
 * stops at the root, so no symlink leads out of it (vg_probe_resolve()).
 * Files are read through vg_inv_read_file() (agent/inventory.h) with a size
 * cap; directories are listed up to VG_PROBE_MAX_DIRENTS entries.  Nothing
 * is ever written or executed.
 *
 * Runtime state: whether a unit is active, which processes run and which
 * ports listen come from the agent's process and listener collectors
 * (collect_proc.c, collect_net.c), not from these probes, which only look
 * at files.
 *
 * Errors: VG_ENOTFOUND when the (main) file is absent, VG_EIO on a read
 * error or a symlink loop, VG_EPERM when access is denied, VG_ETOOBIG when a
 * file is over the cap, VG_EINVAL for a bad argument.  A key that is not set
 * in a file that exists is not an error: the value is NULL.
 *
 * Ownership: every string in a result lives in the probe's arena and is
 * valid until vg_probe_release().  "Where" paths (file) are absolute paths
 * as seen inside the root ("/etc/ssh/sshd_config"), lines are 1-based.
 * Thread-safety: one struct vg_probe per thread.
 */
#ifndef VG_POLICY_PROBE_H
#define VG_POLICY_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/inventory.h"
#include "core/compiler.h"

/* Default largest file read, in bytes (vg_probe_init()). */
#define VG_PROBE_MAX_FILE     (1024 * 1024)
/* Most directory entries looked at in one directory (more are ignored). */
#define VG_PROBE_MAX_DIRENTS  4096
/* Deepest nesting of sshd Include and PAM @include (OpenSSH's own limit is 16). */
#define VG_PROBE_MAX_DEPTH    16
/* Most symlinks followed while resolving one path (Linux's MAXSYMLINKS). */
#define VG_PROBE_MAX_SYMLINKS 40
/* Longest path handled, in bytes. */
#define VG_PROBE_PATH_MAX     4096

struct vg_probe {
	struct vg_inventory inv; /* root and arena; inv.accounts caches the root's passwd */
	size_t max_file;         /* cap per file read, VG_PROBE_MAX_FILE unless changed */
	bool passwd_loaded;
	struct vg_probe_group *groups; /* the root's etc/group, loaded on first use */
	size_t ngroups;
	bool groups_loaded;
};

/** Initialise @p for @root (borrowed, copied; NULL means "/").  Release with vg_probe_release(). */
void vg_probe_init(struct vg_probe *p, const char *root);

/** Free everything @p owns, including every string of every result. */
void vg_probe_release(struct vg_probe *p);

enum vg_probe_resolve_flags {
	VG_PROBE_NOFOLLOW = 1 << 0, /* do not follow a symlink in the last component */
};

/**
 * Resolve @rel (absolute or relative to the root) inside the root into the
 * host path @out (size @cap), following symlinks chroot-style (see above).
 * The last component need not exist (open() then says VG_ENOTFOUND); a
 * missing directory on the way gives VG_ENOTFOUND.  VG_EIO for a symlink
 * loop, VG_ETOOBIG when a path does not fit.
 */
int vg_probe_resolve(const struct vg_probe *p, const char *rel, int flags, char *out,
		     size_t cap) VG_MUST_CHECK;

/**
 * Read the file @rel under the root, at most p->max_file bytes, into a
 * NUL-terminated buffer the caller frees.  Errors as vg_inv_read_file().
 */
int vg_probe_read(const struct vg_probe *p, const char *rel, char **data /* OUT */,
		  size_t *len /* OUT */) VG_MUST_CHECK;

/* ---- 1. file metadata ---- */

enum vg_probe_ftype {
	VG_PROBE_FILE,
	VG_PROBE_DIR,
	VG_PROBE_LINK,
	VG_PROBE_OTHER, /* device, fifo, socket */
};

struct vg_probe_stat {
	enum vg_probe_ftype type;
	unsigned mode; /* permission bits with setuid/setgid/sticky: st_mode & 07777 */
	unsigned uid, gid;
	const char *owner;  /* uid's name in the root's etc/passwd (first entry), or NULL */
	const char *group;  /* gid's name in the root's etc/group (first entry), or NULL */
	const char *target; /* VG_PROBE_LINK: the link's text as written, else NULL */
	long long size;
};

/**
 * Metadata of @rel.  With VG_PROBE_NOFOLLOW a symlink in the last component
 * is described itself (type VG_PROBE_LINK); otherwise it is followed inside
 * the root.  VG_ENOTFOUND when absent.
 */
int vg_probe_stat(struct vg_probe *p, const char *rel, int flags,
		  struct vg_probe_stat *out /* OUT */) VG_MUST_CHECK;

/* ---- 2. key-value configuration ---- */

/* An effective value and where it came from. value/file NULL and line 0 when the key is unset. */
struct vg_probe_value {
	const char *value;
	const char *file;
	int line;
};

/**
 * Global value of the sshd_config(5) keyword @key (case-insensitive) from
 * etc/ssh/sshd_config and its Includes: the first value outside Match
 * blocks wins.  The value is the rest of the line, trimmed (arguments
 * verbatim, case kept).  VG_ENOTFOUND when etc/ssh/sshd_config is absent.
 */
int vg_probe_sshd(struct vg_probe *p, const char *key,
		  struct vg_probe_value *out /* OUT */) VG_MUST_CHECK;

/**
 * Value of the login.defs(5) item @key (case-sensitive) in etc/login.defs:
 * the last definition wins, as in shadow-utils.  VG_ENOTFOUND when the file
 * is absent.
 */
int vg_probe_login_defs(struct vg_probe *p, const char *key,
			struct vg_probe_value *out /* OUT */) VG_MUST_CHECK;

/**
 * Configured value of the sysctl @key ("net.ipv4.ip_forward" or
 * "net/ipv4/ip_forward") from the sysctl.d(5) directories and
 * etc/sysctl.conf (read last): the last assignment wins.  VG_OK with a NULL
 * value when no file sets it (a missing file is not an error here).
 */
int vg_probe_sysctl_conf(struct vg_probe *p, const char *key,
			 struct vg_probe_value *out /* OUT */) VG_MUST_CHECK;

/**
 * Runtime value of the sysctl @key from proc/sys under the root, trimmed of
 * the final newline (file "/proc/sys/...", line 1).  VG_ENOTFOUND when the
 * key does not exist.
 */
int vg_probe_sysctl_run(struct vg_probe *p, const char *key,
			struct vg_probe_value *out /* OUT */) VG_MUST_CHECK;

/**
 * limits.conf(5) value for the literal @domain ("*", "@group", "user"),
 * @type ("soft" or "hard"; a "-" line counts for both) and @item, from
 * etc/security/limits.conf then etc/security/limits.d/ *.conf in name
 * order: the last matching line wins.  VG_ENOTFOUND when limits.conf is
 * absent and limits.d has no file.
 */
int vg_probe_limits(struct vg_probe *p, const char *domain, const char *type, const char *item,
		    struct vg_probe_value *out /* OUT */) VG_MUST_CHECK;

struct vg_probe_pam_entry {
	const char *type;    /* "auth", "account", "password", "session" (no leading '-') */
	bool optional_type;  /* the line started with '-' */
	const char *control; /* "required", "[success=1 default=ignore]", ... */
	const char *module;  /* as written: "pam_unix.so" or "/lib/security/pam_unix.so" */
	const char *args;    /* the rest, trimmed; "" when none */
	const char *file;
	int line;
};

struct vg_probe_pam {
	struct vg_probe_pam_entry *entries; /* in the probe's arena */
	size_t n;
};

/**
 * The stack of the PAM service @service (etc/pam.d/@service, pam.conf(5)
 * syntax) with "@include FILE" and "TYPE include|substack FILE" expanded in
 * place.  VG_ENOTFOUND when etc/pam.d/@service is absent; a missing
 * included file is skipped (as libpam does, failing only at run time).
 */
int vg_probe_pam(struct vg_probe *p, const char *service,
		 struct vg_probe_pam *out /* OUT */) VG_MUST_CHECK;

/**
 * First entry of @stack of @type whose module's base name is @module
 * ("pam_pwquality.so"), or NULL.  @stack borrowed.
 */
const struct vg_probe_pam_entry *vg_probe_pam_find(const struct vg_probe_pam *stack,
						   const char *type, const char *module);

/* ---- 3. mounts ---- */

struct vg_probe_mount {
	const char *device;
	const char *fstype;
	const char *options; /* comma-separated, as the kernel lists them */
	const char *file;    /* "/proc/mounts" or "/proc/self/mounts" */
	int line;
};

/**
 * The topmost mount at @mountpoint (the last matching line) in the root's
 * proc/mounts, or proc/self/mounts when that is absent, with octal escapes
 * decoded.  VG_ENOTFOUND when both are absent or nothing is mounted there.
 */
int vg_probe_mount(struct vg_probe *p, const char *mountpoint,
		   struct vg_probe_mount *out /* OUT */) VG_MUST_CHECK;

/** Whether the comma-separated @options contains the option @opt exactly. */
bool vg_probe_has_option(const char *options, const char *opt);

/* ---- 4. kernel modules ---- */

struct vg_probe_module {
	bool loaded;                     /* listed in the root's proc/modules */
	bool blacklisted;                /* a "blacklist" line names it */
	struct vg_probe_value blacklist; /* that line ("blacklist NAME") */
	bool install_disabled; /* its install command is /bin/false or /bin/true (or bare) */
	struct vg_probe_value install; /* the effective install command, value = command */
};

/**
 * State of module @name ('-' and '_' equivalent) from proc/modules and the
 * modprobe.d(5) directories.  Never VG_ENOTFOUND: absent files mean "not
 * loaded", "not configured".
 */
int vg_probe_module(struct vg_probe *p, const char *name,
		    struct vg_probe_module *out /* OUT */) VG_MUST_CHECK;

/* ---- 5. systemd units ---- */

struct vg_probe_unit {
	const char *path; /* the unit file found first in the unit path, or NULL */
	bool masked;      /* etc/ or run/systemd/system/UNIT links to /dev/null */
	const char *mask; /* that link */
	bool enabled;     /* a symlink named UNIT in etc/systemd/system/ *.wants or *.requires */
	const char *enabled_by; /* the first such link in name order */
};

/**
 * What the unit files under the root say about @unit ("sshd.service").
 * VG_ENOTFOUND when the unit has no file, no mask and no enabling link.
 */
int vg_probe_unit(struct vg_probe *p, const char *unit,
		  struct vg_probe_unit *out /* OUT */) VG_MUST_CHECK;

#endif /* VG_POLICY_PROBE_H */
