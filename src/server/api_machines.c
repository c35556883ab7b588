/*
 * api_machines.c - the Machine resource (defender-tvm-spec.md §3.3 #1-3,
 * §3.4 "Machine", "MachineReference"; docs/api.md): GET /api/machines,
 * GET /api/machines/{id}, POST /api/machines/{id}/setDeviceValue, and the
 * MachineReference collections other resources serve.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "server/api_int.h"
#include "store/sql.h"

/* Fields Defender has and Linux has no counterpart for are constants (null, [] or false). */
static const struct vg_api_field machine_fields[] = {
	{"id", "d.id", VG_API_STRING, 0, NULL},
	{"computerDnsName", "d.hostname", VG_API_STRING, 0, NULL},
	{"firstSeen", "d.first_seen", VG_API_DATETIME, 0, NULL},
	{"lastSeen", "d.last_seen", VG_API_DATETIME, 0, NULL},
	{"osPlatform", "d.os_platform", VG_API_STRING, 0, NULL},
	{"osVersion", "d.os_version", VG_API_STRING, 0, NULL},
	{"osProcessor", "d.os_arch", VG_API_STRING, 0, NULL},
	{"version", "d.os_version", VG_API_STRING, 0, NULL},
	{"kernelVersion", "d.kernel", VG_API_STRING, 0, NULL},
	{"lastIpAddress", "NULL", VG_API_STRING, 0, NULL},
	{"lastExternalIpAddress", "NULL", VG_API_STRING, 0, NULL},
	{"osBuild", "NULL", VG_API_INT, 0, NULL},
	{"healthStatus", VG_API_SQL_HEALTH, VG_API_STRING, 0, NULL},
	{"onboardingStatus", "'Onboarded'", VG_API_STRING, 0, NULL},
	{"deviceValue", "d.value", VG_API_STRING, 0, NULL},
	{"rbacGroupName", "d.group_name", VG_API_STRING, 0, NULL},
	{"rbacGroupId", VG_API_SQL_GROUP_ID, VG_API_STRING, 0, NULL},
	{"riskScore", "'None'", VG_API_STRING, 0, NULL},
	{"exposureLevel", VG_API_SQL_EXPOSURE_LEVEL, VG_API_STRING, 0, NULL},
	{"exposureScore", "d.exposure_score", VG_API_NUMBER, 0, NULL},
	{"aadDeviceId", "NULL", VG_API_STRING, 0, NULL},
	{"isAadJoined", "0", VG_API_BOOL, 0, NULL},
	{"machineTags", "d.tags", VG_API_ARRAY, VG_API_NOSORT, NULL},
	{"ipAddresses", "'[]'", VG_API_ARRAY, VG_API_NOFILTER | VG_API_NOSORT, NULL},
	{"osArchitecture", VG_API_SQL_OS_ARCH, VG_API_STRING, 0, NULL},
};

static const struct vg_api_resource machines = {
	.context = "Machines",
	.fields = machine_fields,
	.nfields = sizeof(machine_fields) / sizeof(machine_fields[0]),
	.from = "device d",
	.order = "d.id",
	.top_max = 10000,
};

static const struct vg_api_field ref_fields[] = {
	{"id", "d.id", VG_API_STRING, 0, NULL},
	{"computerDnsName", "d.hostname", VG_API_STRING, 0, NULL},
	{"osPlatform", "d.os_platform", VG_API_STRING, 0, NULL},
	{"rbacGroupName", "d.group_name", VG_API_STRING, 0, NULL},
};

static const struct vg_api_resource machine_refs = {
	.context = "MachineReferences",
	.fields = ref_fields,
	.nfields = sizeof(ref_fields) / sizeof(ref_fields[0]),
	.from = "device d",
	.order = "d.id",
	.top_max = 10000,
};

/* {id} is a device id or, as the reference allows, a computer name (the latest seen wins). */
#define BY_ID_WHERE "(d.id = ?1 OR lower(d.hostname) = lower(?1))"
#define BY_ID_ORDER "(d.id = ?1) DESC, d.last_seen DESC, d.id"

static void
h_list(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_MACHINES, NULL);
	struct vg_api_select sel = {.res = &machines};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
reply_machine(struct vg_kb *kb, const char *id, const struct vg_http_request *req,
	      struct vg_http_response *resp)
{
	struct vg_api_param p = VG_API_TEXT(id);
	struct vg_api_select sel = {&machines, BY_ID_WHERE, BY_ID_ORDER, &p, 1};

	vg_api_reply_entity(kb, &sel, "machine", req, resp);
}

static void
h_get(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_MACHINES, NULL);

	if (w != NULL)
		reply_machine(w->kb, vg_http_param(req, "id"), req, resp);
}

/* The DeviceValue of a setDeviceValue body, or NULL (property names are case-sensitive). */
static const char *
device_value(const struct vg_http_request *req)
{
	static const char *const values[] = {"Normal", "Low", "High"};
	json_t *doc = json_loadb(req->body, req->body_len, 0, NULL);
	const char *v = json_string_value(json_object_get(doc, "DeviceValue"));
	const char *found = NULL;

	for (size_t i = 0; v != NULL && i < sizeof(values) / sizeof(values[0]); i++)
		if (strcmp(v, values[i]) == 0)
			found = values[i];
	json_decref(doc);
	return found;
}

/* Set the value of the device @id names; VG_ENOTFOUND when none, VG_EIO on store errors. */
static int
set_value(struct vg_kb *kb, const char *id, const char *value)
{
	static const char sql[] =
		"UPDATE device SET value = ?2 WHERE id = (SELECT d.id FROM "
		"device d WHERE " BY_ID_WHERE " ORDER BY " BY_ID_ORDER " LIMIT 1)";
	sqlite3 *db = vg_kb_db(kb);
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (src == SQLITE_OK)
		src = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (src == SQLITE_OK)
		src = sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return VG_EIO;
	return sqlite3_changes(db) > 0 ? VG_OK : VG_ENOTFOUND;
}

static void
h_set_value(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w =
		vg_api_begin(ctx, req, resp, VG_AUTH_WRITE_CONFIG, VG_RATE_MACHINES, NULL);
	const char *id = vg_http_param(req, "id");
	const char *value;
	int rc;

	if (w == NULL)
		return;
	value = device_value(req);
	if (value == NULL) {
		vg_http_reply_error(resp, 400, "InvalidRequestBody",
				    "expected {\"DeviceValue\": \"Normal\" | \"Low\" | \"High\"}");
		return;
	}
	rc = set_value(w->kb, id, value);
	if (rc == VG_ENOTFOUND)
		vg_http_reply_error(resp, 404, "NotFound", "machine not found");
	else if (rc != VG_OK)
		vg_http_reply_error(resp, 500, "InternalServerError",
				    "cannot set the device value");
	else
		reply_machine(w->kb, id, req, resp);
}

void
vg_api_reply_machine_refs(struct vg_kb *kb, const char *ids_sql, const struct vg_api_param *params,
			  size_t nparams, const struct vg_http_request *req,
			  struct vg_http_response *resp)
{
	char where[4096];
	struct vg_api_select sel = {&machine_refs, where, NULL, params, nparams};
	int n = snprintf(where, sizeof(where), "d.id IN (%s)", ids_sql);

	if (n < 0 || (size_t)n >= sizeof(where)) {
		vg_http_reply_error(resp, 500, "InternalServerError", "query too long");
		return;
	}
	vg_api_reply_collection(kb, &sel, req, resp);
}

int
vg_api_machines_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	int rc = vg_router_add(r, "GET", "/api/machines", h_list, api, err);

	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/api/machines/{id}", h_get, api, err);
	if (rc == VG_OK)
		rc = vg_router_add(r, "POST", "/api/machines/{id}/setDeviceValue", h_set_value, api,
				   err);
	return rc;
}
