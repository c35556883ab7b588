/*
 * bench_match.c - matching a simulated fleet: the work grows with distinct
 * software, not with devices x packages.
 *
 * The base inventories are real: every dpkg status, apk installed database
 * and rpm listing under ../shared/data/inventories, and this host's
 * /var/lib/dpkg/status, read with the agent's own parsers.  Each simulated
 * device (seeded xorshift, so runs are repeatable) takes one base, a
 * release of its distribution (debian:10/11/12, alpine:3.15/3.16,
 * rhel:7/8), about 90 % of its packages, and for about one package in ten
 * one of three newer builds of it (a "+vgN" revision, "-rN" bump or
 * ".vgN" release) - the version drift of a real fleet.  Every device's
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
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/collect_apk.h"
#include "agent/collect_dpkg.h"
#include "agent/collect_rpm.h"
#include "agent/inventory.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "engine/match.h"
#include "store/kb.h"

#define SEED         42
#define MAX_BASES    64
#define VARIANTS     3   /* newer builds a package may drift to */
#define KEEP_PERCENT 90  /* packages a device keeps from its base */
#define DRIFT_PERMIL 100 /* packages (per thousand) at a newer build */

enum family { FAM_DEB, FAM_APK, FAM_RPM };

static const char *const releases[3][3] = {
	{"debian:10", "debian:11", "debian:12"},
	{"alpine:3.15", "alpine:3.16", NULL},
	{"rhel:7", "rhel:8", NULL},
};
static const char *const os_ids[3] = {"debian", "alpine", "rhel"};

struct base {
	char name[128];
	enum family fam;
	struct vg_inventory inv;
	/* variants[i * VARIANTS + k]: version, source version of package i at build k + 1 */
	const char **variants;
};

static struct base bases[MAX_BASES];
static int nbases;
static struct vg_arena strings; /* variant version strings */

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

static uint64_t
next_rand(uint64_t *s)
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

/* A newer build @k (1..VARIANTS) of version @v in the family's own syntax. */
static const char *
variant(enum family fam, const char *v, int k)
{
	const char *r;

	if (!v)
		return NULL;
	switch (fam) {
	case FAM_DEB:
		return vg_arena_printf(&strings, strchr(v, '-') ? "%s+vg%d" : "%s-0vg%d", v, k);
	case FAM_APK:
		r = strrchr(v, '-');
		if (r && r[1] == 'r')
			return vg_arena_printf(&strings, "%.*s-r%ld", (int)(r - v), v,
					       strtol(r + 2, NULL, 10) + k);
		return vg_arena_printf(&strings, "%s-r%d", v, k);
	case FAM_RPM:
	default:
		return vg_arena_printf(&strings, "%s.vg%d", v, k);
	}
}

static void
add_base(const char *path, const char *label, enum family fam)
{
	struct base *b;
	struct vg_str data;
	size_t len = 0;
	char *raw;
	int rc;

	if (nbases == MAX_BASES || !(raw = slurp(path, &len)))
		return;
	b = &bases[nbases];
	vg_inventory_init(&b->inv, "/");
	data = vg_str_n(raw, len);
	if (fam == FAM_DEB)
		rc = vg_dpkg_parse(&b->inv, data, path, 0);
	else if (fam == FAM_APK)
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
	b->variants = vg_xcalloc(b->inv.npackages * VARIANTS * 2, sizeof(*b->variants));
	for (size_t i = 0; i < b->inv.npackages; i++) {
		const struct vg_package *p = &b->inv.packages[i];

		for (int k = 0; k < VARIANTS; k++) {
			b->variants[(i * VARIANTS + (size_t)k) * 2] =
				variant(fam, p->version, k + 1);
			b->variants[(i * VARIANTS + (size_t)k) * 2 + 1] =
				variant(fam, p->source_version, k + 1);
		}
	}
	nbases++;
}

/* Every inventory file of a directory whose name ends in @suffix. */
static void
add_dir(const char *dir, const char *sub, const char *suffix, enum family fam)
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
			add_base(file, names[i]->d_name, fam);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
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

/* Build a device's inventory from a random base into @inv (initialised here). */
static void
make_device(uint64_t *rng, struct vg_inventory *inv)
{
	const struct base *b = &bases[next_rand(rng) % (uint64_t)nbases];
	int nrel = releases[b->fam][2] ? 3 : 2;

	vg_inventory_init(inv, "/");
	inv->os.id = os_ids[b->fam];
	inv->os.namespace_ = releases[b->fam][next_rand(rng) % (uint64_t)nrel];
	for (size_t i = 0; i < b->inv.npackages; i++) {
		const struct vg_package *src = &b->inv.packages[i];
		struct vg_package *p;
		uint64_t r = next_rand(rng);

		if (r % 100 >= KEEP_PERCENT)
			continue;
		p = vg_inv_add_package(inv, src->type);
		*p = *src;
		if ((r >> 16) % 1000 < DRIFT_PERMIL) {
			size_t k = (size_t)((r >> 32) % VARIANTS);

			p->version = b->variants[(i * VARIANTS + k) * 2];
			p->source_version = b->variants[(i * VARIANTS + k) * 2 + 1];
		}
	}
}

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

		make_device(&rng, &inv);
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
	size_t pkgs = 0;
	struct vg_kb *kb;
	struct vg_err err;
	struct run r1, r2;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_match DB [SHARED_DATA_DIR]\n");
		return 2;
	}
	if (!dir)
		dir = "../shared/data";
	vg_arena_init(&strings);
	if (vg_kb_open(argv[1], VG_KB_READONLY, &kb, &err) < 0) {
		fprintf(stderr, "bench_match: '%s': %s\n", argv[1], err.msg);
		return 1;
	}
	add_dir(dir, "dpkg", ".status", FAM_DEB);
	add_dir(dir, "apk", ".installed", FAM_APK);
	add_dir(dir, "rpm", ".txt", FAM_RPM);
	add_dir(dir, "rpm", ".json", FAM_RPM);
	add_base("/var/lib/dpkg/status", "this host", FAM_DEB);
	for (int i = 0; i < nbases; i++)
		pkgs += bases[i].inv.npackages;
	printf("vigil matching benchmark: %s\n", argv[1]);
	printf("base inventories           %d (%zu packages; dpkg, apk, rpm and this host)\n\n",
	       nbases, pkgs);
	if (run_fleet(kb, 10000, &r1) < 0 || run_fleet(kb, 1000, &r2) < 0)
		return 1;
	print_run(&r1);
	printf("\n");
	print_run(&r2);
	printf("\n10x the devices: %.1fx the device-package pairs, %.2fx the matches performed\n",
	       (double)r1.pairs / (double)r2.pairs, (double)r1.st.matches / (double)r2.st.matches);
	vg_kb_close(kb);
	for (int i = 0; i < nbases; i++) {
		free(bases[i].variants);
		vg_inventory_release(&bases[i].inv);
	}
	vg_arena_release(&strings);
	return 0;
}
