/*
 * worker.h - per-thread state of vigild's request handlers.
 *
 * SQLite connections are not shared between threads (kb.h), and the
 * matcher caches per connection (match.h), so each libmicrohttpd pool
 * thread gets its own struct vg_worker the first time it needs the store:
 * a connection on the daemon's database and an assessor (with its matcher)
 * over it.  The agent
 * API and the /api endpoints share one struct vg_workers, so a thread holds
 * one connection whatever it serves.
 */
#ifndef VG_SERVER_WORKER_H
#define VG_SERVER_WORKER_H

#include "engine/assess.h"
#include "store/kb.h"

/* One thread's state (owned by struct vg_workers). */
struct vg_worker {
	struct vg_kb *kb;
	struct vg_assessor *assessor; /* over kb: matches and scores devices at ingest */
};

struct vg_workers; /* opaque */

/**
 * Per-thread state over the store at @db_path (copied; NULL: the default
 * path), which must already exist and be migrated.  Never fails
 * (allocation failure aborts).
 */
struct vg_workers *vg_workers_new(const char *db_path);

/**
 * The calling thread's state, created on first use; NULL when the store
 * cannot be opened (the error is logged).  Thread-safe.
 */
struct vg_worker *vg_workers_get(struct vg_workers *w);

/**
 * Serialise the daemon's write transactions.  SQLite admits one writer at a
 * time and makes the others poll with growing sleeps (busy timeout), which
 * under load wastes most of the time sleeping; queueing on a mutex instead
 * hands the store over as soon as it is free.  Hold it only around a
 * transaction (never while parsing a request).
 */
void vg_workers_write_lock(struct vg_workers *w);

/** Release what vg_workers_write_lock() took. */
void vg_workers_write_unlock(struct vg_workers *w);

/**
 * Close every thread's connection and free @w.  Call it only when no
 * handler can run any more (after vg_http_stop()) and after the process's
 * other connections to the database are closed: the last connection to
 * close checkpoints the WAL, and SQLite's POSIX locks are per process, so
 * closing a connection while another one of ours holds the file would
 * drop its locks.  NULL is a no-op.
 */
void vg_workers_free(struct vg_workers *w);

#endif /* VG_SERVER_WORKER_H */
