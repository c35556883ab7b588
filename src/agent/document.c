/*
 * document.c - the inventory document: versioned JSON with section hashes.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "agent/document.h"
#include "core/err.h"
#include "core/json.h"

static const char *const section_names[VG_NSECTIONS] = {
	"device", "packages", "processes", "listeners", "accounts", "configuration",
};

const char *
vg_section_name(enum vg_section s)
{
	return (size_t)s < VG_NSECTIONS ? section_names[s] : "unknown";
}

void
vg_rfc3339_now(char *out, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- Canonical order ---- */

static int
strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_package(const void *pa, const void *pb)
{
	const struct vg_package *a = pa, *b = pb;
	int r;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((r = strcmp_null(a->name, b->name)) ||
	    (r = strcmp_null(a->architecture, b->architecture)) ||
	    (r = strcmp_null(a->version, b->version)))
		return r;
	return strcmp_null(a->path, b->path);
}

static int
cmp_process(const void *pa, const void *pb)
{
	const struct vg_process *a = pa, *b = pb;

	return (a->pid > b->pid) - (a->pid < b->pid);
}

static int
cmp_listener(const void *pa, const void *pb)
{
	const struct vg_listener *a = pa, *b = pb;
	int r;

	if ((r = strcmp_null(a->proto, b->proto)))
		return r;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if ((r = strcmp_null(a->address, b->address)))
		return r;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static int
cmp_account(const void *pa, const void *pb)
{
	const struct vg_account *a = pa, *b = pb;

	if (a->uid != b->uid)
		return a->uid < b->uid ? -1 : 1;
	return strcmp_null(a->name, b->name);
}

static int
cmp_config(const void *pa, const void *pb)
{
	const struct vg_config_item *a = pa, *b = pb;
	int r = strcmp_null(a->policy, b->policy);

	return r ? r : strcmp_null(a->id, b->id);
}

void
vg_inventory_sort(struct vg_inventory *inv)
{
	if (inv->npackages)
		qsort(inv->packages, inv->npackages, sizeof(*inv->packages), cmp_package);
	if (inv->nprocesses)
		qsort(inv->processes, inv->nprocesses, sizeof(*inv->processes), cmp_process);
	if (inv->nlisteners)
		qsort(inv->listeners, inv->nlisteners, sizeof(*inv->listeners), cmp_listener);
	if (inv->naccounts)
		qsort(inv->accounts, inv->naccounts, sizeof(*inv->accounts), cmp_account);
	if (inv->nconfig)
		qsort(inv->config, inv->nconfig, sizeof(*inv->config), cmp_config);
}

/* ---- Sections ---- */

/* A space-separated list (ID_LIKE) as a JSON array. */
static void
write_words(struct vg_json *j, const char *s)
{
	vg_json_begin_array(j);
	while (s && *s) {
		size_t n;

		while (*s == ' ')
			s++;
		n = strcspn(s, " ");
		if (n)
			vg_json_string_n(j, s, n);
		s += n;
	}
	vg_json_end_array(j);
}

static void
write_device(struct vg_json *j, const struct vg_inventory *inv)
{
	const struct vg_os *os = &inv->os;
	const struct vg_kernel *k = &inv->kernel;

	vg_json_begin_object(j);
	vg_json_kv_str(j, "hostname", os->hostname);
	vg_json_kv_str(j, "machineId", os->machine_id);
	vg_json_kv_str(j, "architecture", os->architecture);
	vg_json_key(j, "os");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "id", os->id);
	vg_json_kv_str(j, "versionId", os->version_id);
	vg_json_kv_str(j, "codename", os->codename);
	vg_json_key(j, "idLike");
	write_words(j, os->id_like);
	vg_json_kv_str(j, "name", os->name);
	vg_json_kv_str(j, "prettyName", os->pretty_name);
	vg_json_kv_str(j, "namespace", os->namespace_);
	vg_json_end_object(j);
	vg_json_key(j, "kernel");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "running", k->running);
	vg_json_key(j, "installed");
	vg_json_begin_array(j);
	for (size_t i = 0; i < k->ninstalled; i++)
		vg_json_string(j, k->installed[i]);
	vg_json_end_array(j);
	vg_json_kv_str(j, "newest", k->newest);
	vg_json_kv_bool(j, "rebootRequired", k->reboot_required);
	vg_json_end_object(j);
	vg_json_kv_bool(j, "networkExposed", inv->network_exposed);
	vg_json_end_object(j);
}

static void
write_package(struct vg_json *j, const struct vg_package *p)
{
	vg_json_begin_object(j);
	vg_json_kv_str(j, "type", vg_pkg_type_name(p->type));
	vg_json_kv_str(j, "name", p->name);
	vg_json_kv_str(j, "version", p->version);
	vg_json_kv_str(j, "architecture", p->architecture);
	vg_json_kv_str(j, "sourceName", p->source_name ? p->source_name : p->name);
	vg_json_kv_str(j, "sourceVersion", p->source_version ? p->source_version : p->version);
	vg_json_kv_str(j, "purl", p->purl);
	vg_json_kv_str_opt(j, "status", p->status);
	vg_json_kv_str_opt(j, "epoch", p->epoch);
	vg_json_kv_str_opt(j, "release", p->release);
	vg_json_kv_str_opt(j, "sourceRpm", p->source_rpm);
	vg_json_kv_str_opt(j, "vendor", p->vendor);
	vg_json_kv_str_opt(j, "modularityLabel", p->modularity);
	vg_json_kv_str_opt(j, "license", p->license);
	vg_json_kv_str_opt(j, "path", p->path);
	vg_json_end_object(j);
}

static void
write_packages(struct vg_json *j, const struct vg_inventory *inv)
{
	vg_json_begin_array(j);
	for (size_t i = 0; i < inv->npackages; i++)
		write_package(j, &inv->packages[i]);
	vg_json_end_array(j);
}

static void
write_processes(struct vg_json *j, const struct vg_inventory *inv)
{
	vg_json_begin_array(j);
	for (size_t i = 0; i < inv->nprocesses; i++) {
		const struct vg_process *p = &inv->processes[i];

		vg_json_begin_object(j);
		vg_json_kv_int(j, "pid", p->pid);
		vg_json_kv_int(j, "uid", p->uid);
		vg_json_kv_str(j, "user", p->user);
		vg_json_kv_str(j, "exe", p->exe);
		vg_json_kv_str(j, "cmdline", p->cmdline);
		vg_json_kv_str(j, "package", p->package);
		vg_json_kv_str(j, "packageType",
			       p->package ? vg_pkg_type_name(p->package_type) : NULL);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
}

static void
write_listeners(struct vg_json *j, const struct vg_inventory *inv)
{
	vg_json_begin_array(j);
	for (size_t i = 0; i < inv->nlisteners; i++) {
		const struct vg_listener *l = &inv->listeners[i];

		vg_json_begin_object(j);
		vg_json_kv_str(j, "protocol", l->proto);
		vg_json_kv_str(j, "address", l->address);
		vg_json_kv_int(j, "port", l->port);
		vg_json_kv_bool(j, "loopback", l->loopback);
		vg_json_key(j, "pid");
		if (l->pid > 0)
			vg_json_int(j, l->pid);
		else
			vg_json_null(j);
		vg_json_kv_str(j, "process", l->process);
		vg_json_kv_str(j, "package", l->package);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
}

static const char *
pw_state_name(enum vg_pw_state s)
{
	switch (s) {
	case VG_PW_SET:
		return "set";
	case VG_PW_LOCKED:
		return "locked";
	case VG_PW_EMPTY:
		return "empty";
	case VG_PW_UNKNOWN:
		break;
	}
	return "unknown";
}

/* A shadow aging field: days, or null when absent. */
static void
kv_days(struct vg_json *j, const char *key, long days)
{
	vg_json_key(j, key);
	if (days < 0)
		vg_json_null(j);
	else
		vg_json_int(j, days);
}

static void
write_accounts(struct vg_json *j, const struct vg_inventory *inv)
{
	vg_json_begin_array(j);
	for (size_t i = 0; i < inv->naccounts; i++) {
		const struct vg_account *a = &inv->accounts[i];

		vg_json_begin_object(j);
		vg_json_kv_str(j, "name", a->name);
		vg_json_kv_int(j, "uid", a->uid);
		vg_json_kv_int(j, "gid", a->gid);
		vg_json_kv_str(j, "home", a->home);
		vg_json_kv_str(j, "shell", a->shell);
		vg_json_kv_bool(j, "loginShell", a->login_shell);
		vg_json_kv_str(j, "password", pw_state_name(a->password));
		kv_days(j, "lastChangeDays", a->last_change);
		kv_days(j, "minDays", a->min_days);
		kv_days(j, "maxDays", a->max_days);
		kv_days(j, "warnDays", a->warn_days);
		kv_days(j, "inactiveDays", a->inactive_days);
		kv_days(j, "expireDays", a->expire_date);
		vg_json_key(j, "adminGroups");
		vg_json_begin_array(j);
		for (const char *g = a->admin_groups; g && *g;) {
			size_t n = strcspn(g, ",");

			if (n)
				vg_json_string_n(j, g, n);
			g += n + (g[n] == ',');
		}
		vg_json_end_array(j);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
}

/*
 * A reason or evidence: at most VG_CONFIG_TEXT_MAX bytes, cut before a
 * UTF-8 continuation byte so a multi-byte character is never split.
 */
static void
kv_text_opt(struct vg_json *j, const char *key, const char *s)
{
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	if (n > VG_CONFIG_TEXT_MAX) {
		n = VG_CONFIG_TEXT_MAX;
		for (int back = 0; back < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80;
		     back++)
			n--;
	}
	vg_json_key(j, key);
	vg_json_string_n(j, s, n);
}

static void
write_configuration(struct vg_json *j, const struct vg_inventory *inv)
{
	vg_json_begin_array(j);
	for (size_t i = 0; i < inv->nconfig; i++) {
		const struct vg_config_item *c = &inv->config[i];

		vg_json_begin_object(j);
		vg_json_kv_str(j, "policy", c->policy);
		vg_json_kv_str(j, "id", c->id);
		vg_json_kv_str(j, "result", c->result);
		kv_text_opt(j, "reason", c->reason);
		kv_text_opt(j, "evidence", c->evidence);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
}

static void (*const section_writers[VG_NSECTIONS])(struct vg_json *,
						   const struct vg_inventory *) = {
	write_device,    write_packages, write_processes,
	write_listeners, write_accounts, write_configuration,
};

bool
vg_inventory_has_section(const struct vg_inventory *inv, enum vg_section s)
{
	return s != VG_SECTION_CONFIGURATION || inv->has_config;
}

static size_t
section_count(const struct vg_inventory *inv, enum vg_section s)
{
	switch (s) {
	case VG_SECTION_DEVICE:
		return 1;
	case VG_SECTION_PACKAGES:
		return inv->npackages;
	case VG_SECTION_PROCESSES:
		return inv->nprocesses;
	case VG_SECTION_LISTENERS:
		return inv->nlisteners;
	case VG_SECTION_ACCOUNTS:
		return inv->naccounts;
	case VG_SECTION_CONFIGURATION:
		return inv->nconfig;
	}
	return 0;
}

/* Inventories are bounded by their collectors; this caps a runaway document. */
#define DOC_MAX (256u * 1024 * 1024)

/* Serialise section @s compactly (its canonical form) into @b. */
static int
section_compact(const struct vg_inventory *inv, enum vg_section s, struct vg_buf *b)
{
	struct vg_json j;

	vg_json_init(&j, b, 0);
	section_writers[s](&j, inv);
	return vg_json_finish(&j);
}

/* "sha256:<hex>" of the canonical form in @b. */
static int
hash_compact(const struct vg_buf *b, char hash[VG_SECTION_HASH_LEN])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	if (sodium_init() < 0)
		return VG_EIO;
	crypto_hash_sha256(digest, (const unsigned char *)b->p, b->len);
	memcpy(hash, "sha256:", 7);
	sodium_bin2hex(hash + 7, VG_SECTION_HASH_LEN - 7, digest, sizeof(digest));
	return VG_OK;
}

int
vg_inventory_section_hash(const struct vg_inventory *inv, enum vg_section s,
			  char hash[VG_SECTION_HASH_LEN])
{
	struct vg_buf b;
	int rc;

	vg_buf_init(&b, DOC_MAX);
	rc = section_compact(inv, s, &b);
	if (rc == 0)
		rc = hash_compact(&b, hash);
	vg_buf_release(&b);
	return rc;
}

static void
write_warnings(struct vg_json *j, const struct vg_inventory *inv)
{
	vg_json_begin_object(j);
	vg_json_kv_int(j, "count", (int64_t)inv->nwarnings);
	vg_json_key(j, "items");
	vg_json_begin_array(j);
	for (size_t i = 0; i < inv->nwarnings; i++) {
		const struct vg_inv_warning *w = &inv->warnings[i];

		vg_json_begin_object(j);
		vg_json_kv_str(j, "collector", w->collector);
		vg_json_kv_str(j, "path", w->path);
		vg_json_key(j, "line");
		if (w->line > 0)
			vg_json_int(j, w->line);
		else
			vg_json_null(j);
		vg_json_kv_str(j, "message", w->message);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
	vg_json_end_object(j);
}

/*
 * Each section is serialised once, compactly: that form is hashed and, for
 * compact output, copied into the document as it is.  Only indented output
 * writes the sections a second time.
 */
int
vg_inventory_write_json(const struct vg_inventory *inv, struct vg_buf *out, unsigned flags,
			const char *collected_at)
{
	char hashes[VG_NSECTIONS][VG_SECTION_HASH_LEN];
	struct vg_buf sections[VG_NSECTIONS];
	bool pretty = flags & VG_DOC_PRETTY;
	char now[32];
	struct vg_json j;
	int rc = 0;

	for (int s = 0; s < VG_NSECTIONS; s++)
		vg_buf_init(&sections[s], DOC_MAX);
	for (int s = 0; s < VG_NSECTIONS && rc == 0; s++) {
		if (!vg_inventory_has_section(inv, (enum vg_section)s))
			continue;
		rc = section_compact(inv, (enum vg_section)s, &sections[s]);
		if (rc == 0)
			rc = hash_compact(&sections[s], hashes[s]);
	}
	if (rc == 0) {
		if (!collected_at) {
			vg_rfc3339_now(now, sizeof(now));
			collected_at = now;
		}
		vg_json_init(&j, out, pretty ? VG_JSON_PRETTY : 0);
		vg_json_begin_object(&j);
		vg_json_kv_str(&j, "schemaVersion", VG_INVENTORY_SCHEMA);
		vg_json_key(&j, "generator");
		vg_json_begin_object(&j);
		vg_json_kv_str(&j, "name", "vigil");
		vg_json_kv_str(&j, "version", VG_VERSION);
		vg_json_end_object(&j);
		vg_json_kv_str(&j, "collectedAt", collected_at);
		vg_json_kv_str(&j, "root", inv->root);
		for (int s = 0; s < VG_NSECTIONS; s++) {
			if (!vg_inventory_has_section(inv, (enum vg_section)s))
				continue;
			vg_json_key(&j, section_names[s]);
			if (pretty)
				section_writers[s](&j, inv);
			else
				vg_json_raw(&j, sections[s].p, sections[s].len);
		}
		vg_json_key(&j, "sections");
		vg_json_begin_object(&j);
		for (int s = 0; s < VG_NSECTIONS; s++) {
			if (!vg_inventory_has_section(inv, (enum vg_section)s))
				continue;
			vg_json_key(&j, section_names[s]);
			vg_json_begin_object(&j);
			vg_json_kv_str(&j, "hash", hashes[s]);
			vg_json_kv_int(&j, "count",
				       (int64_t)section_count(inv, (enum vg_section)s));
			vg_json_end_object(&j);
		}
		vg_json_end_object(&j);
		vg_json_key(&j, "warnings");
		write_warnings(&j, inv);
		vg_json_end_object(&j);
		rc = vg_json_finish(&j);
	}
	for (int s = 0; s < VG_NSECTIONS; s++)
		vg_buf_release(&sections[s]);
	if (rc == 0 && pretty)
		rc = vg_buf_addch(out, '\n');
	return rc;
}
