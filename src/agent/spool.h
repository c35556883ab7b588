/*
 * spool.h - the agent's on-disk report spool, used while the server is away.
 *
 * Reports are queued in one private directory (created 0700; refused when
 * not owned by the effective user or writable by group or others), one file
 * per report, and delivered oldest-first.  A put is durable when it returns:
 * the entry is written to a temporary file, fsync'd, renamed to a name that
 * sorts by enqueue order ("<20-digit sequence>-<F|D>-<report id>.rpt") and
 * the directory is fsync'd.  The sequence continues across restarts (one
 * more than the highest name found at open).  Each file starts with a header
 * holding its kind, id, length and a BLAKE2b-256 of all of it; an entry that
 * fails the check is renamed "*.bad", logged and never delivered.
 * Temporary files left by a crash are removed at open.
 *
 * Limits and the FULL/DELTA rule (docs/internals/spool.md): a FULL report
 * carries the whole device state, a DELTA depends on the reports before it.
 * Every entry older than the newest FULL is superseded by it, so when the
 * spool is over its limits those are dropped, oldest first, and only those:
 * the newest FULL and the deltas after it are never dropped.  A DELTA that
 * would not fit even so is refused (VG_ETOOBIG) and the caller queues a
 * FULL instead, which always fits when it alone is within the limits.
 *
 * One process uses a spool directory at a time (an flock on the directory;
 * a second open fails with VG_EEXIST).  A struct vg_spool is not thread-safe.
 */
#ifndef VG_AGENT_SPOOL_H
#define VG_AGENT_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"

/* Largest report payload accepted, in bytes. */
#define VG_SPOOL_MAX_ENTRY         (64u * 1024 * 1024)
/* Longest report id; ids are [A-Za-z0-9._-]{1,64}. */
#define VG_SPOOL_ID_MAX            64
/* Defaults used for a zero limit. */
#define VG_SPOOL_DEFAULT_MAX_BYTES (256u * 1024 * 1024)
#define VG_SPOOL_DEFAULT_MAX_FILES 4096
/* Quarantined ("*.bad") files kept for inspection; older ones are deleted. */
#define VG_SPOOL_MAX_BAD           16

enum vg_spool_kind {
	VG_SPOOL_FULL = 1,  /* the whole inventory: supersedes every older entry */
	VG_SPOOL_DELTA = 2, /* changes since the previous report */
};

/* Bounds of one spool.  Zero means the default. */
struct vg_spool_limits {
	uint64_t max_bytes; /* sum of the entry file sizes (headers included) */
	size_t max_files;   /* number of queued entries */
};

/* The oldest queued entry, filled by vg_spool_peek(). */
struct vg_spool_entry {
	char id[VG_SPOOL_ID_MAX + 1]; /* NUL-terminated report id */
	enum vg_spool_kind kind;
	uint64_t seq; /* enqueue sequence number */
	size_t len;   /* payload length; the bytes are in the caller's buffer */
};

/* Points inside vg_spool_put() where a test hook runs (crash simulation). */
enum vg_spool_stage {
	VG_SPOOL_STAGE_TEMP_WRITTEN = 1, /* temp file written and fsync'd, not yet renamed */
	VG_SPOOL_STAGE_RENAMED = 2,      /* renamed, directory not yet fsync'd */
};

/* Test hook: called at each stage of a put; may _exit() to simulate a crash. */
typedef void (*vg_spool_hook_fn)(enum vg_spool_stage stage, void *arg);

struct vg_spool;

/**
 * Open (creating it 0700 if missing; its parent must exist) the spool
 * directory @dir with @limits (NULL or zero fields for the defaults), scan
 * it, remove leftover temporary files and apply the limits.  @dir is
 * borrowed.  On success *@spool is a new spool the caller closes with
 * vg_spool_close().  Errors: VG_EPERM when @dir is not a directory owned by
 * the effective user or is group/world-writable, VG_EEXIST when another
 * process has it open, VG_EIO on a system error; @err (may be NULL) says
 * which.
 */
int vg_spool_open(const char *dir, const struct vg_spool_limits *limits,
		  struct vg_spool **spool /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Close @spool and free it.  NULL is a no-op.  Queued entries stay on disk. */
void vg_spool_close(struct vg_spool *spool);

/**
 * Queue @len bytes at @bytes (borrowed) as report @report_id (borrowed,
 * [A-Za-z0-9._-]{1,64}) of @kind, durably (see above).  When @report_id is
 * already queued this is a no-op returning VG_OK (an id names one report).
 * Entries superseded by the newest FULL may be dropped to stay within the
 * limits.  Errors: VG_EINVAL (bad id or kind), VG_ETOOBIG (@len above
 * VG_SPOOL_MAX_ENTRY, an entry larger than the limits, or a DELTA that does
 * not fit without dropping an entry the server still needs: queue a FULL),
 * VG_EIO; nothing is queued on error.
 */
int vg_spool_put(struct vg_spool *spool, const char *report_id, enum vg_spool_kind kind,
		 const void *bytes, size_t len, struct vg_err *err) VG_MUST_CHECK;

/**
 * Read the oldest queued entry into *@entry and its payload into @buf of
 * @cap bytes (caller-owned).  Corrupt entries met on the way are
 * quarantined ("*.bad", with a warning) and skipped.  Returns VG_OK,
 * VG_ENOTFOUND when the spool is empty, VG_ETOOBIG when the payload is
 * larger than @cap (*@entry is filled, entry->len says how much is needed;
 * nothing is consumed), VG_EIO on a read error.  The entry stays queued
 * until vg_spool_ack().
 */
int vg_spool_peek(struct vg_spool *spool, struct vg_spool_entry *entry /* OUT */, void *buf,
		  size_t cap, struct vg_err *err) VG_MUST_CHECK;

/**
 * Delete the queued entry @report_id (borrowed; normally the one just
 * peeked and delivered) durably.  Returns VG_OK, VG_ENOTFOUND when it is
 * not queued (it may have been superseded meanwhile), VG_EINVAL for a bad
 * id, VG_EIO.
 */
int vg_spool_ack(struct vg_spool *spool, const char *report_id, struct vg_err *err) VG_MUST_CHECK;

/** Number of queued entries. */
size_t vg_spool_count(const struct vg_spool *spool);

/** Sum of the queued entry file sizes, in bytes. */
uint64_t vg_spool_bytes(const struct vg_spool *spool);

/** Whether @id is a valid report id ([A-Za-z0-9._-]{1,64}, not "." or ".."). */
bool vg_spool_id_valid(const char *id);

/** Install (or with NULL remove) the test hook of vg_spool_put(); @arg is borrowed. */
void vg_spool_set_hook(struct vg_spool *spool, vg_spool_hook_fn hook, void *arg);

#endif /* VG_AGENT_SPOOL_H */
