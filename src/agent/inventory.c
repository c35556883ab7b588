/*
 * inventory.c - the device inventory model: storage, warnings, file reading
 * under the root, the collection order and derived fields (purls).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "agent/purl.h"
#include "core/alloc.h"
#include "core/err.h"

void
vg_inventory_init(struct vg_inventory *inv, const char *root)
{
	memset(inv, 0, sizeof(*inv));
	vg_arena_init(&inv->arena);
	inv->root = vg_arena_strdup(&inv->arena, root ? root : "/");
}

void
vg_inventory_release(struct vg_inventory *inv)
{
	free(inv->packages);
	free(inv->processes);
	free(inv->listeners);
	free(inv->accounts);
	free(inv->warnings);
	free(inv->config);
	free(inv->kernel.installed);
	vg_arena_release(&inv->arena);
	memset(inv, 0, sizeof(*inv));
}

/* Grow a vector of @size-byte elements to hold one more; return the new zeroed slot. */
static void *
push(void **items, size_t *n, size_t *cap, size_t size)
{
	char *slot;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*items = vg_xreallocarray(*items, *cap, size);
	}
	slot = (char *)*items + (*n)++ * size;
	memset(slot, 0, size);
	return slot;
}

struct vg_package *
vg_inv_add_package(struct vg_inventory *inv, enum vg_pkg_type type)
{
	struct vg_package *p =
		push((void **)&inv->packages, &inv->npackages, &inv->cap_packages, sizeof(*p));

	p->type = type;
	return p;
}

void
vg_inv_drop_last_package(struct vg_inventory *inv)
{
	if (inv->npackages)
		inv->npackages--;
}

struct vg_process *
vg_inv_add_process(struct vg_inventory *inv)
{
	return push((void **)&inv->processes, &inv->nprocesses, &inv->cap_processes,
		    sizeof(struct vg_process));
}

struct vg_listener *
vg_inv_add_listener(struct vg_inventory *inv)
{
	return push((void **)&inv->listeners, &inv->nlisteners, &inv->cap_listeners,
		    sizeof(struct vg_listener));
}

struct vg_account *
vg_inv_add_account(struct vg_inventory *inv)
{
	struct vg_account *a =
		push((void **)&inv->accounts, &inv->naccounts, &inv->cap_accounts, sizeof(*a));

	a->last_change = a->min_days = a->max_days = -1;
	a->warn_days = a->inactive_days = a->expire_date = -1;
	return a;
}

struct vg_config_item *
vg_inv_add_config_item(struct vg_inventory *inv)
{
	inv->has_config = true;
	return push((void **)&inv->config, &inv->nconfig, &inv->cap_config,
		    sizeof(struct vg_config_item));
}

void
vg_inv_warn(struct vg_inventory *inv, const char *collector, const char *path, int line,
	    const char *fmt, ...)
{
	struct vg_inv_warning *w =
		push((void **)&inv->warnings, &inv->nwarnings, &inv->cap_warnings, sizeof(*w));
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->collector = collector;
	w->path = vg_arena_strdup(&inv->arena, path);
	w->line = line;
	w->message = vg_arena_strdup(&inv->arena, msg);
}

const char *
vg_inv_str(struct vg_inventory *inv, struct vg_str s)
{
	return vg_arena_strndup(&inv->arena, s);
}

const char *
vg_inv_strc(struct vg_inventory *inv, const char *s)
{
	return vg_arena_strdup(&inv->arena, s);
}

const char *
vg_pkg_type_name(enum vg_pkg_type type)
{
	static const char *const names[] = {"deb", "rpm", "apk", "python", "npm"};

	return (size_t)type < VG_ARRAY_LEN(names) ? names[type] : "unknown";
}

bool
vg_inv_path(const struct vg_inventory *inv, const char *rel, char *out, size_t cap)
{
	const char *root = inv->root;
	size_t rlen = strlen(root);
	int n;

	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	while (*rel == '/')
		rel++;
	if (rlen == 1 && root[0] == '/')
		n = snprintf(out, cap, "/%s", rel);
	else
		n = snprintf(out, cap, "%.*s/%s", (int)rlen, root, rel);
	return n >= 0 && (size_t)n < cap;
}

int
vg_inv_read_file(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	size_t cap, limit, n = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? VG_ENOTFOUND
		       : errno == EACCES                   ? VG_EPERM
							   : VG_EIO;
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		close(fd);
		return VG_EIO;
	}
	/* /proc files report size 0: start small and grow.  Room for one byte past @max tells a
	 * file of exactly @max bytes (accepted) from a longer one (refused). */
	limit = max < SIZE_MAX ? max + 1 : max;
	cap = st.st_size > 0 && (size_t)st.st_size < limit ? (size_t)st.st_size + 1
							   : (limit < 4096 ? limit : 4096);
	buf = vg_xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap >= limit) {
				free(buf);
				close(fd);
				return VG_ETOOBIG;
			}
			cap = cap * 2 > limit ? limit : cap * 2;
			buf = vg_xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return VG_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return VG_OK;
}

int
vg_inventory_collect(struct vg_inventory *inv)
{
	/* Order matters: kernels and process owners are looked up among the packages. */
	int (*const collectors[])(struct vg_inventory *) = {
		vg_collect_os,        vg_collect_dpkg,      vg_collect_apk,
		vg_collect_rpm,       vg_collect_lang,      vg_collect_kernel,
		vg_collect_processes, vg_collect_listeners, vg_collect_accounts,
	};

	static const char *const names[] = {"os",     "dpkg",      "apk",       "rpm",     "lang",
					    "kernel", "processes", "listeners", "accounts"};
	/* VIGIL_TIMINGS=1 prints each collector's wall time on stderr (for profiling). */
	const char *timings = getenv("VIGIL_TIMINGS");

	for (size_t i = 0; i < VG_ARRAY_LEN(collectors); i++) {
		struct timespec t0, t1;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = collectors[i](inv);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (timings && *timings == '1')
			fprintf(stderr, "vigil: collector %-9s %7.3f ms\n", names[i],
				(double)(t1.tv_sec - t0.tv_sec) * 1e3 +
					(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
		if (rc < 0)
			return rc;
	}
	vg_inventory_finish(inv);
	return VG_OK;
}

void
vg_inventory_finish(struct vg_inventory *inv)
{
	inv->network_exposed = false;
	for (size_t i = 0; i < inv->nlisteners; i++)
		if (!inv->listeners[i].loopback)
			inv->network_exposed = true;
	for (size_t i = 0; i < inv->npackages; i++)
		inv->packages[i].purl = vg_purl_for(inv, &inv->packages[i]);
	vg_inventory_sort(inv);
}
