/*
 * fleet_sim.c - the simulated fleet of the benchmarks (fleet_sim.h).
 */
#include "fleet_sim.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_apk.h"
#include "agent/collect_dpkg.h"
#include "agent/collect_rpm.h"
#include "core/alloc.h"

#define KEEP_PERCENT 90  /* packages a device keeps from its base */
#define DRIFT_PERMIL 100 /* packages (per thousand) at a newer build */

static const char *const releases[3][3] = {
	{"debian:10", "debian:11", "debian:12"},
	{"alpine:3.15", "alpine:3.16", NULL},
	{"rhel:7", "rhel:8", NULL},
};
static const char *const os_ids[3] = {"debian", "alpine", "rhel"};

uint64_t
vg_sim_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 2685821657736338717ULL;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = vg_xmalloc((size_t)(n > 0 ? n : 0) + 1);
	*len = fread(data, 1, (size_t)(n > 0 ? n : 0), f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

const char *
vg_sim_variant(struct vg_arena *arena, enum vg_sim_family fam, const char *v, int k)
{
	const char *r;

	if (!v)
		return NULL;
	switch (fam) {
	case VG_SIM_DEB:
		return vg_arena_printf(arena, strchr(v, '-') ? "%s+vg%d" : "%s-0vg%d", v, k);
	case VG_SIM_APK:
		r = strrchr(v, '-');
		if (r && r[1] == 'r')
			return vg_arena_printf(arena, "%.*s-r%ld", (int)(r - v), v,
					       strtol(r + 2, NULL, 10) + k);
		return vg_arena_printf(arena, "%s-r%d", v, k);
	case VG_SIM_RPM:
	default:
		return vg_arena_printf(arena, "%s.vg%d", v, k);
	}
}

static void
add_base(struct vg_sim_fleet *f, const char *path, const char *label, enum vg_sim_family fam)
{
	struct vg_sim_base *b;
	struct vg_str data;
	size_t len = 0;
	char *raw;
	int rc;

	if (f->nbases == VG_SIM_MAX_BASES || !(raw = slurp(path, &len)))
		return;
	b = &f->bases[f->nbases];
	vg_inventory_init(&b->inv, "/");
	data = vg_str_n(raw, len);
	if (fam == VG_SIM_DEB)
		rc = vg_dpkg_parse(&b->inv, data, path, 0);
	else if (fam == VG_SIM_APK)
		rc = vg_apk_parse(&b->inv, data, path);
	else
		rc = vg_rpm_parse_import(&b->inv, data, path);
	free(raw);
	if (rc < 0 || b->inv.npackages < 3) {
		vg_inventory_release(&b->inv);
		return;
	}
	snprintf(b->name, sizeof(b->name), "%s", label);
	b->fam = fam;
	b->variants = vg_xcalloc(b->inv.npackages * VG_SIM_VARIANTS * 2, sizeof(*b->variants));
	for (size_t i = 0; i < b->inv.npackages; i++) {
		const struct vg_package *p = &b->inv.packages[i];

		for (int k = 0; k < VG_SIM_VARIANTS; k++) {
			size_t at = (i * VG_SIM_VARIANTS + (size_t)k) * 2;

			b->variants[at] = vg_sim_variant(&f->strings, fam, p->version, k + 1);
			b->variants[at + 1] =
				vg_sim_variant(&f->strings, fam, p->source_version, k + 1);
		}
	}
	f->npackages += b->inv.npackages;
	f->nbases++;
}

/* Every inventory file of a directory whose name ends in @suffix. */
static void
add_dir(struct vg_sim_fleet *f, const char *dir, const char *sub, const char *suffix,
	enum vg_sim_family fam)
{
	char path[4096];
	struct dirent **names;
	int n;

	snprintf(path, sizeof(path), "%s/inventories/%s", dir, sub);
	n = scandir(path, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name), sl = strlen(suffix);

		if (l > sl && strcmp(names[i]->d_name + l - sl, suffix) == 0) {
			char file[8192];

			snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
			add_base(f, file, names[i]->d_name, fam);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

int
vg_sim_load(struct vg_sim_fleet *f, const char *shared_dir)
{
	memset(f, 0, sizeof(*f));
	vg_arena_init(&f->strings);
	add_dir(f, shared_dir, "dpkg", ".status", VG_SIM_DEB);
	add_dir(f, shared_dir, "apk", ".installed", VG_SIM_APK);
	add_dir(f, shared_dir, "rpm", ".txt", VG_SIM_RPM);
	add_dir(f, shared_dir, "rpm", ".json", VG_SIM_RPM);
	add_base(f, "/var/lib/dpkg/status", "this host", VG_SIM_DEB);
	return f->nbases;
}

void
vg_sim_release(struct vg_sim_fleet *f)
{
	for (int i = 0; i < f->nbases; i++) {
		free(f->bases[i].variants);
		vg_inventory_release(&f->bases[i].inv);
	}
	vg_arena_release(&f->strings);
	f->nbases = 0;
}

const struct vg_sim_base *
vg_sim_device(const struct vg_sim_fleet *f, uint64_t *rng, struct vg_inventory *inv)
{
	const struct vg_sim_base *b = &f->bases[vg_sim_rand(rng) % (uint64_t)f->nbases];
	int nrel = releases[b->fam][2] ? 3 : 2;

	vg_inventory_init(inv, "/");
	inv->os.id = os_ids[b->fam];
	inv->os.namespace_ = releases[b->fam][vg_sim_rand(rng) % (uint64_t)nrel];
	for (size_t i = 0; i < b->inv.npackages; i++) {
		const struct vg_package *src = &b->inv.packages[i];
		struct vg_package *p;
		uint64_t r = vg_sim_rand(rng);

		if (r % 100 >= KEEP_PERCENT)
			continue;
		p = vg_inv_add_package(inv, src->type);
		*p = *src;
		if ((r >> 16) % 1000 < DRIFT_PERMIL) {
			size_t k = (size_t)((r >> 32) % VG_SIM_VARIANTS);

			p->version = b->variants[(i * VG_SIM_VARIANTS + k) * 2];
			p->source_version = b->variants[(i * VG_SIM_VARIANTS + k) * 2 + 1];
		}
	}
	return b;
}
