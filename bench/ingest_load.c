/*
 * ingest_load.c - load generator for vigild's agent API: N simulated devices
 * enroll, send one full report each, then M rounds of delta reports, over C
 * concurrent connections.
 *
 * Every report is what vigil-agent would send: the device's inventory
 * (struct vg_inventory) is written by vg_inventory_write_json(), so the
 * section hashes are real; a delta is the agent's own shape (envelope,
 * device, the complete sections map and the changed "packages" section
 * only); bodies are gzip and are POSTed by the agent's own HTTP code
 * (src/agent/upload.c: one connection per request, as agents do).
 *
 * Devices: the packages come from the simulated fleet of fleet_sim.h (real
 * inventories with version drift, several thousand distinct tuples); the
 * rest of each document (OS details, processes, listeners, accounts) comes
 * from a fixture root (--roots, collected once with vg_inventory_collect())
 * of the same family when there is one.  With --policies, the roots are
 * also assessed once against those configuration policies and each device
 * sends the "configuration" section, its root's results with about one in
 * eight passed/failed results flipped (a function of the device index, so
 * each device is different and stable across rounds).  Each device has a unique
 * machineId and hostname derived from its index, so a run with --first K
 * adds devices K.. to a store.  A delta round bumps one more package of
 * every device to a newer build; the other sections' hashes do not change.
 *
 * Bodies are built before each timed phase (the generator's own work is not
 * in the rates).  Every answer must be 200 (201 for enrollment): failures
 * are counted, the first few printed, and the exit status is 1 if any.
 * Output: one JSON line of results on stdout.
 *
 * Usage: ingest_load --server URL --enroll-token T [--devices N] [--first K]
 *        [--concurrency C] [--deltas M] [--shared DIR] [--policies PATH]
 *        [--roots DIR...]
 */
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "agent/tuple.h"
#include "agent/upload.h"
#include "core/alloc.h"
#include "core/err.h"
#include "fleet_sim.h"
#include "policy/eval.h"
#include "policy/policy.h"

#define MAX_ROOTS   32
#define MAX_THREADS 256
#define MAX_BODY    (64u * 1024 * 1024)
#define MAX_ERRORS  5 /* failures printed in full */
#define TIMEOUT_S   120

struct device {
	char device_id[256];
	char token[512];
	enum vg_sim_family fam;
	char *body; /* the next request body (gzip for reports), owned */
	size_t len;
};

struct phase {
	const char *name;
	double wall;    /* seconds */
	double *lat_ms; /* one per request */
	size_t n, ok, failed;
	size_t raw_bytes, gz_bytes;
};

static struct {
	const char *server, *enroll_token, *shared, *policies;
	const char *roots[MAX_ROOTS];
	int nroots;
	size_t devices, first;
	int concurrency, deltas;
} opt = {.devices = 100, .concurrency = 4};

static struct vg_sim_fleet fleet;
static struct vg_policy_set policy_set; /* --policies */
static struct vg_inventory roots[MAX_ROOTS];
static struct device *devs;
static char url_enroll[2048], url_report[2048];
static char run_tag[32]; /* makes report ids unique per run */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t *tuple_hashes; /* distinct-tuple accounting, under lock */
static size_t ntuple_hashes, cap_tuple_hashes;
static size_t errors_printed;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31)) | 1;
}

static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

static enum vg_sim_family
family_of(const struct vg_inventory *inv)
{
	const char *id = inv->os.id ? inv->os.id : "";

	if (strcmp(id, "alpine") == 0 || strcmp(id, "wolfi") == 0)
		return VG_SIM_APK;
	if (strcmp(id, "rhel") == 0 || strcmp(id, "fedora") == 0 || strcmp(id, "rocky") == 0 ||
	    strcmp(id, "centos") == 0 || strcmp(id, "almalinux") == 0)
		return VG_SIM_RPM;
	return VG_SIM_DEB;
}

/* The fixture root whose other sections a device of family @fam takes. */
static const struct vg_inventory *
root_for(enum vg_sim_family fam, size_t idx)
{
	int same[MAX_ROOTS], n = 0;

	if (opt.nroots == 0)
		return NULL;
	for (int i = 0; i < opt.nroots; i++)
		if (family_of(&roots[i]) == fam)
			same[n++] = i;
	return n ? &roots[same[idx % (size_t)n]] : &roots[idx % (size_t)opt.nroots];
}

/* @root's configuration results, about one in eight passed/failed ones flipped for device @idx. */
static void
dress_config(struct vg_inventory *inv, const struct vg_inventory *root, size_t idx)
{
	if (!root->has_config)
		return;
	inv->has_config = true;
	for (size_t i = 0; i < root->nconfig; i++) {
		struct vg_config_item *c = vg_inv_add_config_item(inv);

		*c = root->config[i];
		if (splitmix(idx * 7919u + i) % 8 != 0)
			continue;
		if (strcmp(c->result, "passed") == 0)
			c->result = "failed";
		else if (strcmp(c->result, "failed") == 0)
			c->result = "passed";
	}
}

/* Sections other than packages, from @root; identity from the device index. */
static void
dress(struct vg_inventory *inv, const struct vg_inventory *root, size_t idx)
{
	const char *id = inv->os.id, *ns = inv->os.namespace_, *colon = strchr(ns, ':');

	if (root) {
		inv->os = root->os;
		for (size_t i = 0; i < root->nprocesses; i++)
			*vg_inv_add_process(inv) = root->processes[i];
		for (size_t i = 0; i < root->nlisteners; i++)
			*vg_inv_add_listener(inv) = root->listeners[i];
		for (size_t i = 0; i < root->naccounts; i++)
			*vg_inv_add_account(inv) = root->accounts[i];
		dress_config(inv, root, idx);
	}
	inv->os.id = id;
	inv->os.namespace_ = ns;
	inv->os.version_id = colon ? colon + 1 : NULL;
	inv->os.hostname = vg_arena_printf(&inv->arena, "sim-%06zu.bench.vigil", idx);
	inv->os.machine_id = vg_arena_printf(&inv->arena, "be7c4a11%024zx", idx);
}

/* Device @idx after @round delta rounds (0: as enrolled), into @inv (initialised here). */
static enum vg_sim_family
build_device(size_t idx, int round, struct vg_inventory *inv)
{
	uint64_t rng = splitmix(idx);
	const struct vg_sim_base *b = vg_sim_device(&fleet, &rng, inv);

	dress(inv, root_for(b->fam, idx), idx);
	/* Each round upgrades one more package (binary and source version) to a newer build. */
	for (int r = 1; r <= round && inv->npackages; r++) {
		uint64_t pick = splitmix(idx * 1000003u + (uint64_t)r);
		struct vg_package *p = &inv->packages[pick % inv->npackages];

		p->version = vg_sim_variant(&inv->arena, b->fam, p->version, 10 + r);
		p->source_version = vg_sim_variant(&inv->arena, b->fam, p->source_version, 10 + r);
	}
	vg_inventory_finish(inv);
	return b->fam;
}

static void
count_tuples(const struct vg_inventory *inv)
{
	struct vg_arena arena;
	uint64_t *h = vg_xcalloc(inv->npackages + 1, sizeof(*h));
	size_t n = 0;

	vg_arena_init(&arena);
	for (size_t i = 0; i < inv->npackages; i++) {
		struct vg_tuple t;

		if (vg_package_tuple(&inv->packages[i], inv->os.namespace_, true, &arena, &t) ==
		    VG_TUPLE_OK)
			h[n++] = fnv(fnv(fnv(0xcbf29ce484222325ULL, t.ns), t.package), t.version);
	}
	vg_arena_release(&arena);
	pthread_mutex_lock(&lock);
	if (ntuple_hashes + n > cap_tuple_hashes) {
		cap_tuple_hashes = (ntuple_hashes + n) * 2;
		tuple_hashes = vg_xreallocarray(tuple_hashes, cap_tuple_hashes, sizeof(*h));
	}
	memcpy(tuple_hashes + ntuple_hashes, h, n * sizeof(*h));
	ntuple_hashes += n;
	pthread_mutex_unlock(&lock);
	free(h);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static size_t
distinct_tuples(void)
{
	size_t n = 0;

	qsort(tuple_hashes, ntuple_hashes, sizeof(*tuple_hashes), cmp_u64);
	for (size_t i = 0; i < ntuple_hashes; i++)
		if (i == 0 || tuple_hashes[i] != tuple_hashes[i - 1])
			n++;
	return n;
}

/* The agent's delta: envelope, device, the complete sections map and "packages" only. */
static char *
delta_json(const char *full, size_t len)
{
	static const char *const keep[] = {"schemaVersion", "generator", "collectedAt",
					   "device",        "sections",  "packages"};
	json_t *doc = json_loadb(full, len, 0, NULL), *d = json_object();
	char *s;

	for (size_t i = 0; doc && i < sizeof(keep) / sizeof(keep[0]); i++)
		if (json_object_get(doc, keep[i]))
			json_object_set(d, keep[i], json_object_get(doc, keep[i]));
	s = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	json_decref(doc);
	return s;
}

/* The enrollment body vigil-agent sends: machineId, hostname and the device's os object. */
static char *
enroll_json(const char *full, size_t len)
{
	json_t *doc = json_loadb(full, len, 0, NULL);
	json_t *dev = json_object_get(doc, "device"), *body = json_object();
	char *s;

	json_object_set(body, "machineId", json_object_get(dev, "machineId"));
	json_object_set(body, "hostname", json_object_get(dev, "hostname"));
	json_object_set(body, "os", json_object_get(dev, "os"));
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	json_decref(doc);
	return s;
}

/* Round -1: the enrollment body; 0: the full report; r > 0: the delta of round r. */
static int
prepare(size_t i, int round, struct phase *ph)
{
	struct device *d = &devs[i];
	struct vg_inventory inv;
	struct vg_buf doc, gz;
	struct vg_err err;
	char *s = NULL;
	int rc;

	d->fam = build_device(opt.first + i, round < 0 ? 0 : round, &inv);
	vg_buf_init(&doc, MAX_BODY);
	rc = vg_inventory_write_json(&inv, &doc, 0, NULL);
	if (rc == VG_OK && round == 0)
		count_tuples(&inv);
	inv.os = (struct vg_os){0};
	vg_inventory_release(&inv);
	free(d->body);
	d->body = NULL;
	if (rc != VG_OK) {
		vg_buf_release(&doc);
		fprintf(stderr, "ingest_load: device %zu: document too large\n", i);
		return -1;
	}
	if (round < 0) {
		d->body = enroll_json(doc.p, doc.len);
		d->len = d->body ? strlen(d->body) : 0;
		vg_buf_release(&doc);
		return d->body ? 0 : -1;
	}
	if (round > 0)
		s = delta_json(doc.p, doc.len);
	vg_buf_init(&gz, MAX_BODY);
	rc = vg_agent_gzip(s ? s : doc.p, s ? strlen(s) : doc.len, &gz, &err);
	pthread_mutex_lock(&lock);
	ph->raw_bytes += s ? strlen(s) : doc.len;
	ph->gz_bytes += gz.len;
	pthread_mutex_unlock(&lock);
	free(s);
	vg_buf_release(&doc);
	if (rc != VG_OK) {
		vg_buf_release(&gz);
		fprintf(stderr, "ingest_load: gzip: %s\n", err.msg);
		return -1;
	}
	d->body = vg_buf_detach(&gz, &d->len);
	return 0;
}

static void
failure(size_t i, long status, const struct vg_agent_resp *resp, const char *msg)
{
	pthread_mutex_lock(&lock);
	if (errors_printed++ < MAX_ERRORS)
		fprintf(stderr, "ingest_load: device %zu: status %ld: %.300s\n", opt.first + i,
			status, msg ? msg : resp->body.p);
	pthread_mutex_unlock(&lock);
}

/* Take the answer of an enrollment: deviceId and agent token. */
static int
enrolled(size_t i, const struct vg_agent_resp *resp)
{
	json_t *ans = json_loadb(resp->body.p, resp->body.len, 0, NULL);
	const char *id = json_string_value(json_object_get(ans, "deviceId"));
	const char *tok = json_string_value(json_object_get(ans, "token"));
	int rc = -1;

	if (id && tok && strlen(id) < sizeof(devs[i].device_id) &&
	    strlen(tok) < sizeof(devs[i].token)) {
		snprintf(devs[i].device_id, sizeof(devs[i].device_id), "%s", id);
		snprintf(devs[i].token, sizeof(devs[i].token), "%s", tok);
		rc = 0;
	}
	json_decref(ans);
	return rc;
}

/* POST device @i's body; round -1 enrolls, 0 sends the full report, r > 0 a delta. */
static void
send_one(size_t i, int round, struct phase *ph)
{
	struct device *d = &devs[i];
	char id[128];
	struct vg_agent_req req = {.url = round < 0 ? url_enroll : url_report,
				   .token = round < 0 ? opt.enroll_token : d->token,
				   .report_id = id,
				   .kind = round == 0 ? "full" : "delta",
				   .gzip = round >= 0,
				   .body = d->body,
				   .len = d->len,
				   .timeout_s = TIMEOUT_S};
	struct vg_agent_resp resp;
	struct vg_err err;
	double t = now();
	int rc;
	bool good;

	if (round < 0)
		req.report_id = req.kind = NULL;
	else if (!d->token[0]) { /* not enrolled: counted as a failure, not sent */
		pthread_mutex_lock(&lock);
		ph->n++;
		ph->failed++;
		pthread_mutex_unlock(&lock);
		return;
	}
	snprintf(id, sizeof(id), "bench-%s-%zu-%d", run_tag, opt.first + i, round);
	vg_err_clear(&err);
	rc = vg_agent_post(&req, &resp, &err);
	good = rc == VG_OK &&
	       (round < 0 ? (resp.status == 201 || resp.status == 200) && enrolled(i, &resp) == 0
			  : resp.status == 200);
	ph->lat_ms[i] = (now() - t) * 1e3;
	if (!good)
		failure(i, resp.status, &resp, rc == VG_OK ? NULL : err.msg);
	pthread_mutex_lock(&lock);
	ph->n++;
	if (good)
		ph->ok++;
	else
		ph->failed++;
	pthread_mutex_unlock(&lock);
	vg_agent_resp_release(&resp);
}

/* Work shared by the threads of one step: every device once. */
struct step {
	atomic_size_t next;
	int round;
	bool send; /* false: prepare the bodies */
	struct phase *ph;
	atomic_int errors;
};

static void *
worker(void *arg)
{
	struct step *s = arg;
	size_t i;

	while ((i = atomic_fetch_add(&s->next, 1)) < opt.devices) {
		if (s->send)
			send_one(i, s->round, s->ph);
		else if (prepare(i, s->round, s->ph) != 0)
			atomic_fetch_add(&s->errors, 1);
	}
	return NULL;
}

static int
run_step(int threads, int round, bool send, struct phase *ph)
{
	pthread_t tid[MAX_THREADS];
	struct step s = {.round = round, .send = send, .ph = ph};
	double t = now();

	atomic_init(&s.next, 0);
	atomic_init(&s.errors, 0);
	for (int k = 0; k < threads; k++)
		pthread_create(&tid[k], NULL, worker, &s);
	for (int k = 0; k < threads; k++)
		pthread_join(tid[k], NULL);
	if (send)
		ph->wall += now() - t;
	return atomic_load(&s.errors) ? -1 : 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Latency percentile @q (0..1) over @n samples (sorted here). */
static double
pct(double *v, size_t n, double q)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	k = (size_t)(q * (double)(n - 1) + 0.5);
	return v[k];
}

static void
print_phase(const char *key, struct phase *ph, bool last)
{
	double p50 = pct(ph->lat_ms, ph->n, 0.50), p99 = pct(ph->lat_ms, ph->n, 0.99);

	printf("\"%s\":{\"requests\":%zu,\"ok\":%zu,\"failed\":%zu,\"seconds\":%.3f,"
	       "\"perSecond\":%.1f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"avgJsonBytes\":%zu,"
	       "\"avgGzipBytes\":%zu}%s",
	       key, ph->n, ph->ok, ph->failed, ph->wall,
	       ph->wall > 0 ? (double)ph->ok / ph->wall : 0.0, p50, p99,
	       ph->n ? ph->raw_bytes / ph->n : 0, ph->n ? ph->gz_bytes / ph->n : 0,
	       last ? "" : ",");
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: ingest_load --server URL --enroll-token T [--devices N] [--first K]\n"
		"                   [--concurrency C] [--deltas M] [--shared DIR] [--policies PATH]\n"
		"                   [--roots DIR...]\n");
	exit(2);
}

static void
parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{"server", required_argument, NULL, 's'},
		{"enroll-token", required_argument, NULL, 'e'},
		{"devices", required_argument, NULL, 'n'},
		{"first", required_argument, NULL, 'f'},
		{"concurrency", required_argument, NULL, 'c'},
		{"deltas", required_argument, NULL, 'd'},
		{"shared", required_argument, NULL, 'S'},
		{"roots", no_argument, NULL, 'r'},
		{"policies", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int c;
	bool in_roots = false;

	opt.shared = getenv("VG_SHARED_DATA") ? getenv("VG_SHARED_DATA") : "../shared/data";
	while ((c = getopt_long(argc, argv, "-", lo, NULL)) != -1) {
		switch (c) {
		case 1: /* a non-option: a root after --roots */
			if (!in_roots || opt.nroots == MAX_ROOTS)
				usage();
			opt.roots[opt.nroots++] = optarg;
			break;
		case 'r':
			in_roots = true;
			break;
		case 's':
			opt.server = optarg;
			break;
		case 'e':
			opt.enroll_token = optarg;
			break;
		case 'n':
			opt.devices = strtoul(optarg, NULL, 10);
			break;
		case 'f':
			opt.first = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			opt.concurrency = (int)strtol(optarg, NULL, 10);
			break;
		case 'd':
			opt.deltas = (int)strtol(optarg, NULL, 10);
			break;
		case 'S':
			opt.shared = optarg;
			break;
		case 'p':
			opt.policies = optarg;
			break;
		default:
			usage();
		}
	}
	if (!opt.server || !opt.enroll_token || opt.devices == 0 || opt.concurrency < 1 ||
	    opt.concurrency > MAX_THREADS || opt.deltas < 0)
		usage();
}

static int
load_inputs(void)
{
	struct vg_err err;

	if (opt.policies && vg_policy_set_add(&policy_set, opt.policies, &err) != VG_OK) {
		fprintf(stderr, "ingest_load: %s\n", err.msg);
		return -1;
	}
	for (int i = 0; i < opt.nroots; i++) {
		vg_inventory_init(&roots[i], opt.roots[i]);
		if (vg_inventory_collect(&roots[i]) != VG_OK ||
		    (opt.policies &&
		     vg_eval_into_inventory(&policy_set, opt.roots[i], &roots[i], NULL) != VG_OK)) {
			fprintf(stderr, "ingest_load: cannot collect '%s'\n", opt.roots[i]);
			return -1;
		}
	}
	if (vg_sim_load(&fleet, opt.shared) == 0) {
		fprintf(stderr, "ingest_load: no base inventory under '%s/inventories'\n",
			opt.shared);
		return -1;
	}
	snprintf(url_enroll, sizeof(url_enroll), "%s/agent/v1/enroll", opt.server);
	snprintf(url_report, sizeof(url_report), "%s/agent/v1/report", opt.server);
	snprintf(run_tag, sizeof(run_tag), "%lx", (unsigned long)time(NULL));
	devs = vg_xcalloc(opt.devices, sizeof(*devs));
	return 0;
}

static struct phase
new_phase(void)
{
	return (struct phase){.lat_ms = vg_xcalloc(opt.devices, sizeof(double))};
}

/* The deltas: M rounds, each prepared then sent; one phase over all rounds. */
static int
run_deltas(struct phase *ph, int prep_threads)
{
	double *all = vg_xcalloc(opt.devices * (size_t)opt.deltas + 1, sizeof(double));
	size_t n = 0;
	double *mine = ph->lat_ms;

	for (int r = 1; r <= opt.deltas; r++) {
		if (run_step(prep_threads, r, false, ph) != 0)
			return -1;
		run_step(opt.concurrency, r, true, ph);
		memcpy(all + n, mine, opt.devices * sizeof(double));
		n += opt.devices;
	}
	free(mine);
	ph->lat_ms = all;
	return 0;
}

int
main(int argc, char **argv)
{
	struct phase enroll, full, delta;
	int prep_threads = 2;
	size_t failed;

	parse_args(argc, argv);
	if (load_inputs() != 0)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	enroll = new_phase();
	full = new_phase();
	delta = new_phase();
	if (run_step(prep_threads, -1, false, &enroll) != 0)
		return 1;
	enroll.raw_bytes = enroll.gz_bytes = 0;
	run_step(opt.concurrency, -1, true, &enroll);
	if (run_step(prep_threads, 0, false, &full) != 0)
		return 1;
	run_step(opt.concurrency, 0, true, &full);
	if (opt.deltas > 0 && run_deltas(&delta, prep_threads) != 0)
		return 1;
	failed = enroll.failed + full.failed + delta.failed;
	printf("{\"devices\":%zu,\"first\":%zu,\"concurrency\":%d,\"deltaRounds\":%d,"
	       "\"baseInventories\":%d,\"roots\":%d,\"distinctTuples\":%zu,",
	       opt.devices, opt.first, opt.concurrency, opt.deltas, fleet.nbases, opt.nroots,
	       distinct_tuples());
	print_phase("enroll", &enroll, false);
	print_phase("full", &full, false);
	print_phase("delta", &delta, false);
	printf("\"failed\":%zu}\n", failed);
	for (size_t i = 0; i < opt.devices; i++)
		free(devs[i].body);
	free(devs);
	free(enroll.lat_ms);
	free(full.lat_ms);
	free(delta.lat_ms);
	free(tuple_hashes);
	for (int i = 0; i < opt.nroots; i++)
		vg_inventory_release(&roots[i]);
	vg_sim_release(&fleet);
	curl_global_cleanup();
	return failed ? 1 : 0;
}
