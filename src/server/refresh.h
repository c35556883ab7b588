/*
 * refresh.h - vigild's background re-assessment after feed updates.
 *
 * `vigil feeds sync` or `import` changes the knowledge base under a running
 * vigild.  A match is valid for one knowledge-base generation
 * (store/findings.h), so a background thread looks every few seconds for
 * devices running tuples matched at an older generation and re-assesses
 * them (engine/assess.h), in batches of one transaction per device, so
 * that agents' reports are never blocked for long.  The timeline then
 * shows what the new data changed.  The thread has its own connection.
 */
#ifndef VG_SERVER_REFRESH_H
#define VG_SERVER_REFRESH_H

#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "server/worker.h"

struct vg_refresher; /* opaque */

/**
 * Start the thread on the store at @db_path (copied; NULL: the default
 * path), looking every @interval_s seconds (at least 1); each batch of
 * devices holds @workers' write lock (borrowed; must outlive @r).  VG_EIO
 * when the store cannot be opened or the thread cannot start; *@out is the
 * caller's, to vg_refresher_stop().
 */
int vg_refresher_start(const char *db_path, struct vg_workers *workers, unsigned interval_s,
		       struct vg_refresher **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Devices re-assessed since the start (for /metrics).  Thread-safe. */
uint64_t vg_refresher_devices(const struct vg_refresher *r);

/** Stop the thread (finishing the device in progress), close its connection, free @r.  NULL is a
 * no-op. */
void vg_refresher_stop(struct vg_refresher *r);

#endif /* VG_SERVER_REFRESH_H */
