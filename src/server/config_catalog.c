/*
 * config_catalog.c - load policies and store their checks as the catalog
 * (config_catalog.h).  The store takes plain structs (store/config.h), so
 * that it does not depend on the policy library; the conversion is here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/log.h"
#include "policy/policy.h"
#include "server/config_catalog.h"

#ifndef VG_CONTENT_DIR
#error "VG_CONTENT_DIR (the shipped policies' directory) must be defined by the build"
#endif

static struct vg_config_entry
entry_of(const struct vg_policy *p, const struct vg_check *c)
{
	return (struct vg_config_entry){
		.policy = p->id,
		.check_id = c->id,
		.title = c->title ? c->title : "",
		.category = vg_category_name(c->category),
		.subcategory = c->subcategory,
		.description = c->description,
		.rationale = c->rationale,
		.remediation = c->remediation,
		.impact = c->impact,
		.refs = c->references,
		.nrefs = c->nreferences,
	};
}

void
vg_config_catalog_entries(const struct vg_policy_set *set, struct vg_config_entry **out, size_t *n)
{
	size_t total = 0, k = 0;

	for (size_t i = 0; i < set->n; i++)
		total += set->policies[i].nchecks;
	*out = vg_xcalloc(total ? total : 1, sizeof(**out));
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->policies[i].nchecks; j++)
			(*out)[k++] = entry_of(&set->policies[i], &set->policies[i].checks[j]);
	*n = total;
}

/* The default directory, or NULL (warning logged) when it does not exist. */
static const char *
default_dir(void)
{
	struct stat sb;

	if (stat(VG_CONTENT_DIR, &sb) == 0 || errno != ENOENT)
		return VG_CONTENT_DIR;
	vg_log(VG_LOG_WARN,
	       "no policy directory '%s': the configuration check catalog is empty "
	       "(--policies PATH loads policies)",
	       VG_CONTENT_DIR);
	return NULL;
}

int
vg_config_catalog_load(struct vg_kb *kb, const char *const *paths, size_t npaths, int64_t now,
		       struct vg_config_catalog_stats *stats, struct vg_err *err)
{
	struct vg_policy_set set = {0};
	struct vg_config_entry *entries = NULL;
	const char *dflt = npaths ? NULL : default_dir();
	size_t n = 0;
	int rc = VG_OK;

	if (stats)
		*stats = (struct vg_config_catalog_stats){0};
	for (size_t i = 0; rc == VG_OK && i < npaths; i++)
		rc = vg_policy_set_add(&set, paths[i], err);
	if (rc == VG_OK && dflt)
		rc = vg_policy_set_add(&set, dflt, err);
	if (rc == VG_OK) {
		vg_config_catalog_entries(&set, &entries, &n);
		rc = vg_config_catalog_sync(kb, entries, n, now, err);
	}
	if (rc == VG_OK && stats) {
		stats->policies = set.n;
		stats->checks = n;
		for (size_t i = 0; i < n; i++)
			stats->scored += entries[i].impact > 0;
	}
	free(entries);
	vg_policy_set_release(&set);
	return rc;
}
