/*
 * refresh.c - vigild's background re-assessment after feed updates (refresh.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "core/alloc.h"
#include "core/log.h"
#include "engine/assess.h"
#include "server/refresh.h"
#include "store/auth.h"
#include "store/kb.h"

/* Devices per batch: the write lock is held for a batch (a few tens of milliseconds, so
 * that reports are not held up) and the stop flag is checked between batches. */
#define BATCH 8

struct vg_refresher {
	struct vg_workers *workers; /* borrowed: its write lock */
	struct vg_kb *kb;
	struct vg_assessor *a;
	unsigned interval_s;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop; /* under lock */
	_Atomic uint64_t devices;
};

/* Re-assess every stale device; false when asked to stop. */
static bool
pass(struct vg_refresher *r)
{
	size_t done;
	struct vg_err err;

	do {
		bool stop;

		int rc;

		vg_err_clear(&err);
		vg_workers_write_lock(r->workers);
		rc = vg_assess_stale(r->a, BATCH, vg_auth_now(), &done, &err);
		vg_workers_write_unlock(r->workers);
		if (rc != VG_OK) {
			vg_log(VG_LOG_WARN, "re-assessment after a feed update: %s", err.msg);
			return true;
		}
		if (done)
			vg_log(VG_LOG_INFO, "re-assessed %zu devices after a feed update", done);
		atomic_fetch_add(&r->devices, done);
		pthread_mutex_lock(&r->lock);
		stop = r->stop;
		pthread_mutex_unlock(&r->lock);
		if (stop)
			return false;
	} while (done == BATCH);
	return true;
}

static void *
run(void *arg)
{
	struct vg_refresher *r = arg;

	while (pass(r)) {
		struct timespec until;
		bool stop;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += r->interval_s;
		pthread_mutex_lock(&r->lock);
		while (!r->stop && pthread_cond_timedwait(&r->cond, &r->lock, &until) != ETIMEDOUT)
			continue;
		stop = r->stop;
		pthread_mutex_unlock(&r->lock);
		if (stop)
			break;
	}
	return NULL;
}

int
vg_refresher_start(const char *db_path, struct vg_workers *workers, unsigned interval_s,
		   struct vg_refresher **out, struct vg_err *err)
{
	struct vg_refresher *r = vg_xcalloc(1, sizeof(*r));
	int rc = vg_kb_open(db_path, 0, &r->kb, err);

	*out = NULL;
	if (rc != VG_OK) {
		free(r);
		return rc;
	}
	r->workers = workers;
	r->a = vg_assessor_new(r->kb);
	r->interval_s = interval_s ? interval_s : 1;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (pthread_create(&r->thread, NULL, run, r) != 0) {
		vg_assessor_free(r->a);
		vg_kb_close(r->kb);
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->cond);
		free(r);
		return vg_error(err, VG_EIO, "cannot start the re-assessment thread");
	}
	*out = r;
	return VG_OK;
}

uint64_t
vg_refresher_devices(const struct vg_refresher *r)
{
	return r ? atomic_load(&r->devices) : 0;
}

void
vg_refresher_stop(struct vg_refresher *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	vg_assessor_free(r->a);
	vg_kb_close(r->kb);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r);
}
