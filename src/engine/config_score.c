/*
 * config_score.c - the organization's Secure Score for devices
 * (config_score.h, docs/scoring.md "Secure Score for devices").
 *
 * The store counts, per scored check, the applicable and compliant devices
 * of the window (store/config.h); the points are computed here, in the
 * checks' order, so that the sums are reproducible to the last bit.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "engine/config_score.h"
#include "store/config.h"

#define DAY_S INT64_C(86400)

static const char *const categories[VG_CONFIG_NCATEGORIES] = {"Application", "OS", "Network",
							      "Accounts", "Security controls"};

static char *
dup_or_null(const char *s)
{
	return s ? vg_xstrdup(s) : NULL;
}

double
vg_config_score_percent(double points, double max)
{
	return max > 0 ? 100.0 * points / max : 0.0;
}

static struct vg_config_category_score *
category_of(struct vg_config_score *s, const char *name)
{
	for (size_t i = 0; name && i < VG_CONFIG_NCATEGORIES; i++)
		if (strcmp(name, categories[i]) == 0)
			return &s->categories[i];
	return NULL; /* "": scored overall only (a Wazuh check with vigil_impact alone) */
}

static void
add_check(struct vg_config_score *s, const struct vg_config_check_count *c,
	  struct vg_config_check_score *out)
{
	struct vg_config_category_score *cat = category_of(s, c->category);
	double impact = (double)c->impact;

	*out = (struct vg_config_check_score){
		.policy = vg_xstrdup(c->policy),
		.check_id = vg_xstrdup(c->check_id),
		.title = vg_xstrdup(c->title),
		.category = vg_xstrdup(c->category),
		.subcategory = dup_or_null(c->subcategory),
		.impact = c->impact,
		.applicable = c->applicable,
		.compliant = c->compliant,
		.points = impact * (double)c->compliant / (double)c->applicable,
		.score_impact =
			impact * (double)(c->applicable - c->compliant) / (double)c->applicable,
	};
	s->points += out->points;
	s->max += impact;
	if (cat) {
		cat->points += out->points;
		cat->max += impact;
		cat->checks++;
	}
}

int
vg_config_score_org(struct vg_kb *kb, int64_t now, const char *group_name,
		    struct vg_config_score *out, struct vg_err *err)
{
	int64_t since = now - VG_CONFIG_ACTIVE_DAYS * DAY_S;
	struct vg_config_check_count *c;
	struct vg_arena arena;
	size_t n;
	int rc;

	*out = (struct vg_config_score){0};
	for (size_t i = 0; i < VG_CONFIG_NCATEGORIES; i++)
		out->categories[i].category = categories[i];
	vg_arena_init(&arena);
	rc = vg_config_check_counts(kb, since, group_name, &arena, &c, &n, err);
	if (rc == VG_OK)
		rc = vg_config_scored_devices(kb, since, group_name, &out->devices, err);
	if (rc == VG_OK && n) {
		out->checks = vg_xcalloc(n, sizeof(*out->checks));
		out->nchecks = n;
		for (size_t i = 0; i < n; i++)
			add_check(out, &c[i], &out->checks[i]);
	}
	vg_arena_release(&arena);
	if (rc != VG_OK)
		vg_config_score_free(out);
	return rc;
}

void
vg_config_score_free(struct vg_config_score *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nchecks; i++) {
		free(s->checks[i].policy);
		free(s->checks[i].check_id);
		free(s->checks[i].title);
		free(s->checks[i].category);
		free(s->checks[i].subcategory);
	}
	free(s->checks);
	*s = (struct vg_config_score){0};
}
