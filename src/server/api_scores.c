/*
 * api_scores.c - the organization exposure score (defender-tvm-spec.md
 * §2.1, §3.3 #23-24, §3.4 "Score"; docs/scoring.md "Organization exposure
 * score"; docs/api.md "Exposure score"): GET /api/exposureScore and
 * GET /api/exposureScore/ByMachineGroups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "engine/org_score.h"
#include "server/api_int.h"
#include "store/findings.h"

#define CT_JSON    "application/json; odata.metadata=minimal; charset=utf-8"
#define UNASSIGNED "UnassignedGroup"

/* The current time as "2019-12-03T07:23:53.280499Z" (the reference's, with a fraction). */
static void
now_iso(char out[48])
{
	struct timespec ts;
	char sec[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	vg_api_datetime((int64_t)ts.tv_sec, sec);
	sec[strlen(sec) - 1] = '\0'; /* drop the 'Z' */
	snprintf(out, 48, "%s.%06dZ", sec, (int)(ts.tv_nsec / 1000 % 1000000));
}

/* The score of @d[0..@n) as docs/scoring.md gives it. */
static double
score_of(const struct vg_findings_scored *const *d, size_t n)
{
	struct vg_org_device *od = vg_xmalloc((n + 1) * sizeof(*od));
	double s;

	for (size_t i = 0; i < n; i++) {
		od[i].risk_sum = d[i]->risk_sum;
		od[i].value = VG_VALUE_NORMAL;
		(void)vg_device_value_parse(d[i]->value, &od[i].value);
	}
	s = vg_org_exposure(od, n, NULL);
	free(od);
	return s;
}

/* Groups by name, the devices without one last. */
static int
cmp_group(const void *a, const void *b)
{
	const struct vg_findings_scored *x = *(const struct vg_findings_scored *const *)a;
	const struct vg_findings_scored *y = *(const struct vg_findings_scored *const *)b;

	if (x->group == NULL || y->group == NULL)
		return (x->group == NULL) - (y->group == NULL);
	return strcmp(x->group, y->group);
}

static bool
same_group(const struct vg_findings_scored *x, const struct vg_findings_scored *y)
{
	return x->group == NULL ? y->group == NULL : y->group && strcmp(x->group, y->group) == 0;
}

/* {"time","score","rbacGroupName","rbacGroupId"} per group of @d[0..@n) into @value. */
static void
add_groups(json_t *value, const struct vg_findings_scored **d, size_t n, const char *now)
{
	qsort(d, n, sizeof(*d), cmp_group);
	for (size_t i = 0, j; i < n; i = j) {
		json_t *g = json_object();

		for (j = i + 1; j < n && same_group(d[i], d[j]);)
			j++;
		json_object_set_new(g, "time", json_string(now));
		json_object_set_new(g, "score", json_real(score_of(d + i, j - i)));
		json_object_set_new(g, "rbacGroupName",
				    json_string(d[i]->group ? d[i]->group : UNASSIGNED));
		json_object_set_new(g, "rbacGroupId",
				    d[i]->group ? json_string(d[i]->group) : json_null());
		json_array_append_new(value, g);
	}
}

static void
reply(struct vg_api *api, struct vg_http_request *req, struct vg_http_response *resp, bool by_group)
{
	struct vg_worker *w = vg_api_begin(api, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	int64_t since = (int64_t)time(NULL) - (int64_t)VG_ORG_ACTIVE_DAYS * 86400;
	struct vg_findings_scored *dev = NULL;
	const struct vg_findings_scored **pd;
	struct vg_api_request rq;
	struct vg_arena arena;
	struct vg_err err;
	json_t *doc;
	char now[48], ctx[512];
	char *text;
	size_t n = 0;

	if (w == NULL)
		return;
	vg_err_clear(&err);
	if (vg_api_request_from_http(&rq, req, &err) != VG_OK) {
		vg_api_request_release(&rq);
		vg_http_reply_error(resp, 400, "BadRequest", "%s", err.msg);
		return;
	}
	vg_arena_init(&arena);
	if (vg_findings_active_devices(w->kb, since, &arena, &dev, &n, &err) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "%s", err.msg);
		goto out;
	}
	pd = vg_arena_alloc(&arena, (n + 1) * sizeof(*pd));
	for (size_t i = 0; i < n; i++)
		pd[i] = &dev[i];
	now_iso(now);
	snprintf(ctx, sizeof(ctx), "%s/api/$metadata#ExposureScore%s", rq.base,
		 by_group ? "" : "/$entity");
	doc = json_object();
	json_object_set_new(doc, "@odata.context", json_string(ctx));
	if (by_group) {
		json_t *value = json_array();

		add_groups(value, pd, n, now);
		json_object_set_new(doc, "value", value);
	} else {
		json_object_set_new(doc, "time", json_string(now));
		json_object_set_new(doc, "score", json_real(score_of(pd, n)));
	}
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	vg_http_reply_json(resp, 200, text, strlen(text));
	resp->content_type = CT_JSON;
	(void)vg_http_resp_header(resp, "OData-Version", "4.0");
	free(text);
out:
	vg_arena_release(&arena);
	vg_api_request_release(&rq);
}

static void
h_score(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	reply(ctx, req, resp, false);
}

static void
h_by_groups(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	reply(ctx, req, resp, true);
}

int
vg_api_scores_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	int rc = vg_router_add(r, "GET", "/api/exposureScore", h_score, api, err);

	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/api/exposureScore/ByMachineGroups", h_by_groups, api,
				   err);
	return rc;
}
