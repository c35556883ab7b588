/*
 * fleet_sim.h - a simulated fleet for the benchmarks (bench-local, not part of the product).
 *
 * The base inventories are real: every dpkg status, apk installed database
 * and rpm listing under SHARED_DATA/inventories, and this host's
 * /var/lib/dpkg/status, read with the agent's own parsers.  A simulated
 * device (seeded xorshift, so runs are repeatable) takes one base, a
 * release of its distribution (debian:10/11/12, alpine:3.15/3.16,
 * rhel:7/8), about 90 % of its packages, and for about one package in ten
 * one of three newer builds of it (a "+vgN" revision, "-rN" bump or
 * ".vgN" release) - the version drift of a real fleet.  Used by
 * bench_match (matching) and ingest_load (vigild ingest).
 */
#ifndef VG_BENCH_FLEET_SIM_H
#define VG_BENCH_FLEET_SIM_H

#include <stdint.h>

#include "agent/inventory.h"
#include "core/arena.h"

#define VG_SIM_MAX_BASES 64
#define VG_SIM_VARIANTS  3 /* newer builds a package may drift to */

enum vg_sim_family { VG_SIM_DEB, VG_SIM_APK, VG_SIM_RPM };

struct vg_sim_base {
	char name[128];
	enum vg_sim_family fam;
	struct vg_inventory inv;
	/* variants[(i * VG_SIM_VARIANTS + k) * 2]: version, then source version, of package i
	 * at build k + 1 */
	const char **variants;
};

struct vg_sim_fleet {
	struct vg_sim_base bases[VG_SIM_MAX_BASES];
	int nbases;
	size_t npackages;        /* over every base */
	struct vg_arena strings; /* variant version strings */
};

/** Next value of the xorshift generator whose state is *@s (never 0). */
uint64_t vg_sim_rand(uint64_t *s);

/**
 * Load every base inventory of @shared_dir/inventories (dpkg, apk, rpm) and
 * this host's dpkg status into @f (initialised here).  Unreadable or tiny
 * inventories are skipped.  Returns the number of bases loaded.
 */
int vg_sim_load(struct vg_sim_fleet *f, const char *shared_dir);

/** Free what vg_sim_load() loaded. */
void vg_sim_release(struct vg_sim_fleet *f);

/**
 * A newer build @k (1, 2, ...) of version @v in the family's own syntax,
 * allocated in @arena; NULL when @v is NULL.
 */
const char *vg_sim_variant(struct vg_arena *arena, enum vg_sim_family fam, const char *v, int k);

/**
 * Draw one device from @f with *@rng into @inv (initialised here): OS id and
 * namespace, and the packages.  Package strings and the OS strings are
 * borrowed from @f and static data: before vg_inventory_release(@inv) the
 * caller may keep them, they are not freed with it.  Returns the base used.
 */
const struct vg_sim_base *vg_sim_device(const struct vg_sim_fleet *f, uint64_t *rng,
					struct vg_inventory *inv);

#endif /* VG_BENCH_FLEET_SIM_H */
