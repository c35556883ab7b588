/*
 * worker.c - per-thread state of vigild's request handlers (worker.h).
 */
#include <pthread.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/log.h"
#include "server/worker.h"

struct vg_workers {
	char *db_path; /* owned; NULL = default */
	pthread_key_t key;
	pthread_mutex_t lock;       /* guards all[] and serialises opening */
	pthread_mutex_t write_lock; /* vg_workers_write_lock() */
	struct vg_worker **all;     /* every thread's state, freed at the end */
	size_t n, cap;
};

struct vg_workers *
vg_workers_new(const char *db_path)
{
	struct vg_workers *w = vg_xcalloc(1, sizeof(*w));

	w->db_path = db_path ? vg_xstrdup(db_path) : NULL;
	if (pthread_key_create(&w->key, NULL) != 0)
		abort();
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->write_lock, NULL);
	return w;
}

void
vg_workers_free(struct vg_workers *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++) {
		vg_assessor_free(w->all[i]->assessor);
		vg_kb_close(w->all[i]->kb);
		free(w->all[i]);
	}
	pthread_key_delete(w->key);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->write_lock);
	free(w->all);
	free(w->db_path);
	free(w);
}

struct vg_worker *
vg_workers_get(struct vg_workers *w)
{
	struct vg_worker *wk = pthread_getspecific(w->key);
	struct vg_kb *kb;
	struct vg_err err;

	if (wk)
		return wk;
	vg_err_clear(&err);
	pthread_mutex_lock(&w->lock);
	if (vg_kb_open(w->db_path, 0, &kb, &err) != VG_OK) {
		pthread_mutex_unlock(&w->lock);
		vg_log(VG_LOG_ERROR, "cannot open the store: %s", err.msg);
		return NULL;
	}
	wk = vg_xcalloc(1, sizeof(*wk));
	wk->kb = kb;
	wk->assessor = vg_assessor_new(kb);
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->all = vg_xreallocarray(w->all, w->cap, sizeof(*w->all));
	}
	w->all[w->n++] = wk;
	pthread_mutex_unlock(&w->lock);
	pthread_setspecific(w->key, wk);
	return wk;
}

void
vg_workers_write_lock(struct vg_workers *w)
{
	pthread_mutex_lock(&w->write_lock);
}

void
vg_workers_write_unlock(struct vg_workers *w)
{
	pthread_mutex_unlock(&w->write_lock);
}
