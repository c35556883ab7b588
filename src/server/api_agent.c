/*
 * api_agent.c - POST /agent/v1/enroll and /agent/v1/report (api_agent.h).
 *
 * Authentication is a bearer token checked with vg_auth_token_verify(); the
 * work is src/store/fleet.c's.  Error codes are the protocol's: 401 for a
 * missing or unusable token, 403 for a token that may not do this, 400
 * with the offending field for an invalid request, 409 fullReportRequired.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "core/alloc.h"
#include "core/json.h"
#include "core/log.h"
#include "server/api_agent.h"
#include "server/api_auth.h"
#include "server/worker.h"
#include "store/auth.h"
#include "store/fleet.h"
#include "store/kb.h"

/* Outcomes of POST /agent/v1/report, for /metrics. */
enum outcome { OUT_APPLIED, OUT_DUPLICATE, OUT_REJECTED, OUT_FULL_REQUIRED, OUT_FAILED, OUT_N };

static const char *const outcome_names[OUT_N] = {"applied", "duplicate", "rejected",
						 "fullReportRequired", "failed"};

struct vg_agent_api {
	struct vg_workers *workers; /* borrowed */
	struct vg_api_auth *limits; /* owned: agent report budgets */
	/* Counters for /metrics ([kind][outcome]: kind 0 full, 1 delta). */
	_Atomic uint64_t reports[2][OUT_N];
	_Atomic uint64_t ingest_us; /* time spent applying reports, microseconds */
	_Atomic unsigned ingesting; /* reports being applied now (waiting for the store included) */
	_Atomic uint64_t matched;   /* tuples matched at ingest */
	_Atomic uint64_t appeared;  /* vulnerabilities that appeared on devices */
	_Atomic uint64_t disappeared;
	_Atomic uint64_t enrolled;
};

struct vg_agent_api *
vg_agent_api_new(struct vg_workers *workers, const struct vg_api_auth_config *limits)
{
	struct vg_agent_api *api = vg_xcalloc(1, sizeof(*api));

	api->workers = workers;
	api->limits = vg_api_auth_new(limits);
	return api;
}

void
vg_agent_api_free(struct vg_agent_api *api)
{
	if (api == NULL)
		return;
	vg_api_auth_free(api->limits);
	free(api);
}

/* This thread's connection; NULL when the store cannot be opened (logged). */
static struct vg_kb *
thread_kb(struct vg_agent_api *api)
{
	struct vg_worker *wk = vg_workers_get(api->workers);

	return wk ? wk->kb : NULL;
}

/* Sections whose change changes the device's findings. */
#define ASSESSED_SECTIONS                                              \
	((1u << VG_FLEET_SEC_DEVICE) | (1u << VG_FLEET_SEC_PACKAGES) | \
	 (1u << VG_FLEET_SEC_PROCESSES) | (1u << VG_FLEET_SEC_LISTENERS))

/* What the hook needs: this thread's assessor, and where to count. */
struct hook_ctx {
	struct vg_worker *wk;
	struct vg_agent_api *api;
};

/* vg_fleet_hook: assess the device in the report's transaction. */
static int
assess_hook(void *ctx, struct vg_kb *kb, const char *device_id, unsigned applied,
	    struct vg_err *err)
{
	struct hook_ctx *hc = ctx;
	struct vg_assess_stats st;
	int rc;

	(void)kb; /* the worker's own connection */
	if (!(applied & ASSESSED_SECTIONS))
		return VG_OK;
	rc = vg_assess_device(hc->wk->assessor, device_id, vg_auth_now(), &st, err);
	if (rc == VG_OK) {
		/* Counted before the commit: a failed commit overcounts, which /metrics tolerates.
		 */
		atomic_fetch_add(&hc->api->matched, st.matched);
		atomic_fetch_add(&hc->api->appeared, st.appeared);
		atomic_fetch_add(&hc->api->disappeared, st.disappeared);
	}
	if (rc == VG_OK)
		vg_log(VG_LOG_DEBUG,
		       "device '%s' assessed: %zu tuples (%zu matched), %zu findings (+%zu -%zu),"
		       " exposure %.1f",
		       device_id, st.tuples, st.matched, st.findings, st.appeared, st.disappeared,
		       st.exposure);
	return rc;
}

static void
internal_error(struct vg_http_response *resp, const char *what, const struct vg_err *err)
{
	vg_log(VG_LOG_ERROR, "%s: %s", what, err->msg);
	vg_http_reply_error(resp, 500, "InternalServerError", "%s failed", what);
}

/*
 * Verify the request's bearer token into @p and check it may do @action.
 * false when a response was written (401, 403 or 500).
 */
static bool
authenticate(struct vg_kb *kb, struct vg_http_request *req, struct vg_http_response *resp,
	     enum vg_auth_action action, struct vg_auth_principal *p)
{
	if (!vg_api_bearer(kb, req, resp, p))
		return false;
	if (!vg_auth_principal_allows(p, action, p->device_id) ||
	    (action == VG_AUTH_AGENT_INGEST && p->device_id[0] == '\0')) {
		vg_http_reply_error(resp, 403, "Forbidden",
				    "a token with role '%s' may not do this",
				    vg_auth_role_name(p->role));
		return false;
	}
	return true;
}

/* The request body as a JSON object; NULL after a 400. */
static json_t *
body_object(struct vg_http_request *req, struct vg_http_response *resp)
{
	json_error_t jerr;
	json_t *doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);

	if (doc == NULL) {
		vg_http_reply_error(resp, 400, "BadRequest",
				    "the body is not JSON: line %d column %d: %s", jerr.line,
				    jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		vg_http_reply_error(resp, 400, "BadRequest", "the body is not a JSON object");
		return NULL;
	}
	return doc;
}

/* ---- POST /agent/v1/enroll -------------------------------------------------------- */

/* Enroll, revoke the device's old tokens and create its new one: one transaction. */
static int
enroll_txn(struct vg_kb *kb, const char *machine_id, const char *host, const char *ns,
	   char dev[VG_FLEET_DEVICE_ID_LEN + 1], char **token, struct vg_err *err)
{
	char name[VG_FLEET_DEVICE_ID_LEN + 8];
	int rc = vg_kb_txn_begin(kb, err);

	if (rc != VG_OK)
		return rc;
	rc = vg_fleet_enroll(kb, machine_id, host, ns, dev, err);
	if (rc == VG_OK)
		rc = vg_fleet_revoke_device_tokens(kb, dev, NULL, err);
	snprintf(name, sizeof(name), "device %s", dev);
	if (rc == VG_OK)
		rc = vg_auth_token_create(kb, VG_AUTH_ROLE_AGENT, name, 0, dev, token, NULL, err);
	if (rc == VG_OK)
		rc = vg_kb_txn_commit(kb, err);
	if (rc != VG_OK) {
		vg_kb_txn_rollback(kb);
		vg_auth_token_free(*token);
		*token = NULL;
	}
	return rc;
}

static const char *
opt_string(const json_t *o, const char *key, bool *bad)
{
	const json_t *v = json_object_get(o, key);

	if (v && !json_is_string(v) && !json_is_null(v))
		*bad = true;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void
h_enroll(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_kb *kb = thread_kb(ctx);
	struct vg_auth_principal p;
	char dev[VG_FLEET_DEVICE_ID_LEN + 1];
	const char *machine_id, *host, *ns;
	const json_t *os;
	bool bad = false;
	char *token = NULL;
	struct vg_json j;
	struct vg_err err;
	json_t *doc;
	int rc;

	vg_err_clear(&err);
	if (kb == NULL) {
		vg_http_reply_error(resp, 503, "ServiceUnavailable", "the store is unavailable");
		return;
	}
	if (!authenticate(kb, req, resp, VG_AUTH_ENROLL, &p) || !(doc = body_object(req, resp)))
		return;
	machine_id = opt_string(doc, "machineId", &bad);
	host = opt_string(doc, "hostname", &bad);
	os = json_object_get(doc, "os");
	ns = opt_string(os, "namespace", &bad);
	if (bad || machine_id == NULL || (os && !json_is_object(os) && !json_is_null(os))) {
		json_decref(doc);
		vg_http_reply_error(resp, 400, "BadRequest",
				    "'machineId' (string) is required; 'hostname' and "
				    "'os.namespace' must be strings");
		return;
	}
	vg_workers_write_lock(((struct vg_agent_api *)ctx)->workers);
	rc = enroll_txn(kb, machine_id, host, ns, dev, &token, &err);
	vg_workers_write_unlock(((struct vg_agent_api *)ctx)->workers);
	json_decref(doc);
	if (rc == VG_EINVAL) {
		vg_http_reply_error(resp, 400, "BadRequest", "%s", err.msg);
		return;
	}
	if (rc != VG_OK) {
		internal_error(resp, "enrollment", &err);
		return;
	}
	vg_log(VG_LOG_INFO, "device '%s' enrolled with token '%s'", dev, p.prefix);
	atomic_fetch_add(&((struct vg_agent_api *)ctx)->enrolled, 1);
	vg_json_init(&j, &resp->body, 0);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "deviceId", dev);
	vg_json_kv_str(&j, "token", token);
	vg_json_end_object(&j);
	vg_auth_token_free(token);
	if (vg_json_finish(&j) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "response failed");
		return;
	}
	vg_http_resp_json_status(resp, 201);
}

/* ---- POST /agent/v1/report -------------------------------------------------------- */

static void
report_reply(struct vg_http_response *resp, const char *report_id,
	     const struct vg_fleet_result *res)
{
	struct vg_json j;

	vg_json_init(&j, &resp->body, 0);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "reportId", report_id);
	vg_json_kv_bool(&j, "duplicate", res->duplicate);
	vg_json_key(&j, "applied");
	vg_json_begin_array(&j);
	for (int s = 0; s < VG_FLEET_SEC_N; s++)
		if (res->applied & (1u << s))
			vg_json_string(&j, vg_fleet_section_name((enum vg_fleet_section)s));
	vg_json_end_array(&j);
	vg_json_end_object(&j);
	if (vg_json_finish(&j) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "response failed");
		return;
	}
	vg_http_resp_json_status(resp, 200);
}

static void
ingest_failed(struct vg_http_response *resp, int rc, const struct vg_err *err)
{
	switch (rc) {
	case VG_EINVAL:
		vg_http_reply_error(resp, 400, "BadRequest", "%s", err->msg);
		break;
	case VG_EEXIST:
		vg_http_reply_error(resp, 409, "fullReportRequired", "%s", err->msg);
		break;
	case VG_ENOTFOUND:
		vg_http_reply_error(resp, 403, "Forbidden", "the token's device is not enrolled");
		break;
	default:
		internal_error(resp, "report ingest", err);
		break;
	}
}

/* Parse the body, then apply it holding the write lock (parsing needs no lock). */
static int
ingest(struct vg_agent_api *api, struct vg_kb *kb, const char *device_id, const char *report_id,
       enum vg_fleet_kind kind, const struct vg_http_request *req, const struct vg_fleet_hook *hook,
       struct vg_fleet_result *res, struct vg_err *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	int rc;

	*res = (struct vg_fleet_result){0};
	if (doc == NULL)
		return vg_error(err, VG_EINVAL, "the report is not JSON: line %d column %d: %s",
				jerr.line, jerr.column, jerr.text);
	vg_workers_write_lock(api->workers);
	rc = vg_fleet_ingest(kb, device_id, report_id, kind, doc, hook, res, err);
	vg_workers_write_unlock(api->workers);
	json_decref(doc);
	return rc;
}

static enum outcome
report_outcome(int rc, const struct vg_fleet_result *res)
{
	if (rc == VG_OK)
		return res->duplicate ? OUT_DUPLICATE : OUT_APPLIED;
	return rc == VG_EINVAL || rc == VG_ENOTFOUND ? OUT_REJECTED
	       : rc == VG_EEXIST                     ? OUT_FULL_REQUIRED
						     : OUT_FAILED;
}

static void
h_report(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_agent_api *api = ctx;
	struct vg_worker *wk = vg_workers_get(api->workers);
	struct vg_kb *kb = wk ? wk->kb : NULL;
	struct hook_ctx hc = {wk, api};
	struct vg_fleet_hook hook = {assess_hook, &hc};
	struct timespec t0, t1;
	struct vg_auth_principal p;
	struct vg_fleet_result res;
	enum vg_fleet_kind kind;
	const char *id = vg_http_header(req, "X-Vigil-Report-Id");
	const char *k = vg_http_header(req, "X-Vigil-Report-Kind");
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	if (kb == NULL) {
		vg_http_reply_error(resp, 503, "ServiceUnavailable", "the store is unavailable");
		return;
	}
	if (!authenticate(kb, req, resp, VG_AUTH_AGENT_INGEST, &p) ||
	    !vg_api_rate_limit(api->limits, &p, VG_RATE_AGENT_REPORT, resp))
		return;
	if (!vg_fleet_report_id_valid(id)) {
		vg_http_reply_error(resp, 400, "BadRequest",
				    "'X-Vigil-Report-Id' must be 1 to %d of [A-Za-z0-9._-]",
				    VG_FLEET_REPORT_ID_MAX);
		return;
	}
	if (vg_fleet_kind_parse(k, &kind) != VG_OK) {
		vg_http_reply_error(resp, 400, "BadRequest",
				    "'X-Vigil-Report-Kind' must be 'full' or 'delta'");
		return;
	}
	atomic_fetch_add(&api->ingesting, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ingest(api, kb, p.device_id, id, kind, req, &hook, &res, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	atomic_fetch_sub(&api->ingesting, 1);
	atomic_fetch_add(&api->ingest_us, (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000 +
						     (t1.tv_nsec - t0.tv_nsec) / 1000));
	atomic_fetch_add(&api->reports[kind == VG_FLEET_DELTA][report_outcome(rc, &res)], 1);
	if (rc != VG_OK) {
		ingest_failed(resp, rc, &err);
		return;
	}
	report_reply(resp, id, &res);
}

int
vg_agent_api_add_routes(struct vg_agent_api *api, struct vg_router *r, struct vg_err *err)
{
	int rc = vg_router_add(r, "POST", "/agent/v1/enroll", h_enroll, api, err);

	if (rc == VG_OK)
		rc = vg_router_add(r, "POST", "/agent/v1/report", h_report, api, err);
	return rc;
}

int
vg_agent_api_metrics(struct vg_agent_api *api, struct vg_buf *out)
{
	int rc =
		vg_buf_addstr(out, "# HELP vigild_reports_total Agent reports received, by kind and"
				   " outcome.\n# TYPE vigild_reports_total counter\n");

	for (int k = 0; k < 2 && rc == VG_OK; k++)
		for (int o = 0; o < OUT_N && rc == VG_OK; o++)
			rc = vg_buf_addf(out,
					 "vigild_reports_total{kind=\"%s\",outcome=\"%s\"} %" PRIu64
					 "\n",
					 k ? "delta" : "full", outcome_names[o],
					 atomic_load(&api->reports[k][o]));
	if (rc == VG_OK)
		rc = vg_buf_addf(
			out,
			"# HELP vigild_ingest_seconds_total Time spent applying agent reports.\n"
			"# TYPE vigild_ingest_seconds_total counter\n"
			"vigild_ingest_seconds_total %.6f\n"
			"# HELP vigild_ingest_queue Reports being applied or waiting for the store.\n"
			"# TYPE vigild_ingest_queue gauge\n"
			"vigild_ingest_queue %u\n"
			"# HELP vigild_tuples_matched_total Distinct software tuples matched at ingest.\n"
			"# TYPE vigild_tuples_matched_total counter\n"
			"vigild_tuples_matched_total %" PRIu64 "\n"
			"# HELP vigild_vulnerabilities_appeared_total Vulnerabilities new on a device.\n"
			"# TYPE vigild_vulnerabilities_appeared_total counter\n"
			"vigild_vulnerabilities_appeared_total %" PRIu64 "\n"
			"# HELP vigild_vulnerabilities_disappeared_total Vulnerabilities gone from a"
			" device.\n"
			"# TYPE vigild_vulnerabilities_disappeared_total counter\n"
			"vigild_vulnerabilities_disappeared_total %" PRIu64 "\n"
			"# HELP vigild_enrollments_total Devices enrolled (or re-enrolled).\n"
			"# TYPE vigild_enrollments_total counter\n"
			"vigild_enrollments_total %" PRIu64 "\n",
			(double)atomic_load(&api->ingest_us) / 1e6, atomic_load(&api->ingesting),
			atomic_load(&api->matched), atomic_load(&api->appeared),
			atomic_load(&api->disappeared), atomic_load(&api->enrolled));
	return rc;
}
