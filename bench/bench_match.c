/*
 * bench_match.c - matching a simulated fleet: the work grows with distinct
 * software, not with devices x packages.
 *
 * The fleet is the simulated one of fleet_sim.h: real base inventories
 * (../shared/data/inventories and this host), each device a seeded subset
 * of one with some packages at newer builds.  Every device's
 * inventory is turned into tuples (vg_device_tuples()) and each tuple is
 * matched through ONE shared matcher, as vigild does: a tuple seen before is
 * a cache hit.
 *
 * Reported per run: devices, device-package pairs, device-tuple lookups,
 * distinct tuples, matches performed (= distinct tuples, thanks to the
 * cache), findings, and time: the fleet on a cold cache (everything), the
 * same fleet again on the warm cache (device building, tuples and cache
 * hits only), and the distinct tuples alone on a fresh matcher (the
 * matching itself, hence distinct tuples matched per second).  Times are
 * wall and process CPU (the machine may be shared).  A 10,000-device run is
 * followed by a 1,000-device one with a fresh matcher.
 *
 * Usage: bench_match DB [SHARED_DATA_DIR]   (DB: a knowledge base filled by
 *        `vigil feeds import`; default data dir $VG_SHARED_DATA or ../shared/data)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/inventory.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "engine/match.h"
#include "fleet_sim.h"
#include "store/kb.h"

#define SEED 42

static struct vg_sim_fleet fleet;

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall time, and this process's CPU time: the machine may be shared, the CPU figure says
 * what the work itself costs. */
static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static double
cpu(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* The distinct tuples met by a cold pass, with the platform each was matched for. */
struct seen {
	struct vg_arena arena;
	struct vg_tuple *t;
	const char **platform;
	size_t n, cap;
};

static void
seen_add(struct seen *s, const struct vg_tuple *t, const char *platform)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->t = vg_xreallocarray(s->t, s->cap, sizeof(*s->t));
		s->platform = vg_xreallocarray(s->platform, s->cap, sizeof(*s->platform));
	}
	s->t[s->n] = (struct vg_tuple){vg_arena_strdup(&s->arena, t->ns),
				       vg_arena_strdup(&s->arena, t->package),
				       vg_arena_strdup(&s->arena, t->version), t->scheme};
	s->platform[s->n++] = platform;
}

struct run {
	size_t devices, pairs, lookups, findings;
	double alone_wall, alone_cpu; /* the distinct tuples alone, on a fresh matcher */
	double wall, cpu;             /* first pass: every distinct tuple is matched once */
	double warm_wall, warm_cpu;   /* second pass over the same fleet: cache hits only */
	struct vg_matcher_stats st;
};

/* One pass over the fleet (the same devices for the same seed); @seen (may be NULL)
 * collects the tuples that were cache misses. */
static int
fleet_pass(struct vg_matcher *m, size_t devices, struct run *out, struct seen *seen)
{
	uint64_t rng = SEED;

	out->pairs = out->lookups = out->findings = 0;
	for (size_t d = 0; d < devices; d++) {
		struct vg_inventory inv;
		struct vg_device_tuple *dt;
		struct vg_arena arena;
		size_t n;

		vg_sim_device(&fleet, &rng, &inv);
		vg_arena_init(&arena);
		vg_device_tuples(&inv, 0, &arena, &dt, &n, NULL);
		out->pairs += inv.npackages;
		out->lookups += n;
		for (size_t i = 0; i < n; i++) {
			const struct vg_tuple_result *res;
			struct vg_matcher_stats before, after;
			struct vg_err err;

			vg_matcher_stats(m, &before);
			if (vg_matcher_match(m, &dt[i].tuple, inv.os.namespace_, &res, &err) < 0) {
				fprintf(stderr, "bench_match: %s\n", err.msg);
				return -1;
			}
			vg_matcher_stats(m, &after);
			if (seen && after.matches != before.matches)
				seen_add(seen, &dt[i].tuple, inv.os.namespace_);
			out->findings += res->nvulns;
		}
		vg_arena_release(&arena);
		inv.os = (struct vg_os){0};
		vg_inventory_release(&inv);
	}
	return 0;
}

/* Cold pass, then the same fleet again on the warm cache: the difference is the matching. */
static int
run_fleet(struct vg_kb *kb, size_t devices, struct run *out)
{
	struct vg_matcher *m = vg_matcher_new(kb);
	struct seen seen = {0};
	double t, c;
	int rc;

	memset(out, 0, sizeof(*out));
	out->devices = devices;
	vg_arena_init(&seen.arena);
	t = now();
	c = cpu();
	rc = fleet_pass(m, devices, out, &seen);
	out->wall = now() - t;
	out->cpu = cpu() - c;
	vg_matcher_stats(m, &out->st);
	t = now();
	c = cpu();
	if (rc == 0)
		rc = fleet_pass(m, devices, out, NULL);
	out->warm_wall = now() - t;
	out->warm_cpu = cpu() - c;
	vg_matcher_free(m);
	/* The matching alone: every distinct tuple once, on a fresh matcher. */
	m = vg_matcher_new(kb);
	t = now();
	c = cpu();
	for (size_t i = 0; i < seen.n && rc == 0; i++) {
		const struct vg_tuple_result *res;

		rc = vg_matcher_match(m, &seen.t[i], seen.platform[i], &res, NULL) < 0 ? -1 : 0;
	}
	out->alone_wall = now() - t;
	out->alone_cpu = cpu() - c;
	vg_matcher_free(m);
	free(seen.t);
	free(seen.platform);
	vg_arena_release(&seen.arena);
	return rc;
}

static void
print_run(const struct run *r)
{
	printf("devices                    %zu\n", r->devices);
	printf("device-package pairs       %zu\n", r->pairs);
	printf("device-tuple lookups       %zu\n", r->lookups);
	printf("distinct tuples            %zu\n", r->st.cached_tuples);
	printf("matches performed          %llu  (%.1f lookups per match)\n",
	       (unsigned long long)r->st.matches,
	       r->st.matches ? (double)r->lookups / (double)r->st.matches : 0.0);
	printf("statements examined        %llu  (+ %llu CPE configurations)\n",
	       (unsigned long long)r->st.statements, (unsigned long long)r->st.cpe_configs);
	printf("findings (device x vuln)   %zu\n", r->findings);
	printf("fleet, cold cache          %.3f s wall, %.3f s CPU  (%.0f device-package pairs "
	       "per CPU second)\n",
	       r->wall, r->cpu, (double)r->pairs / r->cpu);
	printf("fleet again, warm cache    %.3f s wall, %.3f s CPU\n", r->warm_wall, r->warm_cpu);
	printf("distinct tuples alone      %.3f s wall, %.3f s CPU  (%.0f distinct tuples matched "
	       "per CPU second)\n",
	       r->alone_wall, r->alone_cpu, (double)r->st.matches / r->alone_cpu);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 2 ? argv[2] : getenv("VG_SHARED_DATA");
	struct vg_kb *kb;
	struct vg_err err;
	struct run r1, r2;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_match DB [SHARED_DATA_DIR]\n");
		return 2;
	}
	if (!dir)
		dir = "../shared/data";
	if (vg_kb_open(argv[1], VG_KB_READONLY, &kb, &err) < 0) {
		fprintf(stderr, "bench_match: '%s': %s\n", argv[1], err.msg);
		return 1;
	}
	vg_sim_load(&fleet, dir);
	printf("vigil matching benchmark: %s\n", argv[1]);
	printf("base inventories           %d (%zu packages; dpkg, apk, rpm and this host)\n\n",
	       fleet.nbases, fleet.npackages);
	if (run_fleet(kb, 10000, &r1) < 0 || run_fleet(kb, 1000, &r2) < 0)
		return 1;
	print_run(&r1);
	printf("\n");
	print_run(&r2);
	printf("\n10x the devices: %.1fx the device-package pairs, %.2fx the matches performed\n",
	       (double)r1.pairs / (double)r2.pairs, (double)r1.st.matches / (double)r2.st.matches);
	vg_kb_close(kb);
	vg_sim_release(&fleet);
	return 0;
}
