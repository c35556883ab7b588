/*
 * cmd_token.c - `vigil token`: API tokens for vigild and the agents.
 *
 *   vigil token create [--db FILE] --role ROLE [--name NAME] [--expires DAYS] [--device ID]
 *   vigil token list   [--db FILE] [--format table|json]
 *   vigil token revoke [--db FILE] ID
 *
 * `create` prints the token alone on stdout (so that `T=$(vigil token
 * create ...)` works) and its details on stderr; nothing else ever prints a
 * token or its digest.  The work is in src/store/auth.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/json.h"
#include "store/auth.h"
#include "store/kb.h"

static const char usage_text[] =
	"usage: vigil token create [--db FILE] --role ROLE [--name NAME] [--expires DAYS]\n"
	"                          [--device ID]\n"
	"       vigil token list [--db FILE] [--format table|json]\n"
	"       vigil token revoke [--db FILE] ID\n"
	"\n"
	"Manage the bearer tokens of the vigild API and the agents (docs/internals/auth.md).\n"
	"\n"
	"  create   make a token and print it (once: only its digest is kept)\n"
	"  list     show the tokens: number, public id, name, role, dates, state\n"
	"  revoke   revoke a token by number, public id (vgt_XXXXXXXX) or the token itself\n"
	"\n"
	"  --db FILE        the store (default: $VIGIL_DB, see docs/internals/store.md)\n"
	"  --role ROLE      admin, securityAdmin, analyst, itAdmin, agent, enroll\n"
	"  --name NAME      what the token is for (shown by list)\n"
	"  --expires DAYS   expire after DAYS days (1 to 3650; default: never)\n"
	"  --device ID      agent tokens: the device the token belongs to\n"
	"  --format FMT     list: table (default) or json\n"
	"\n"
	"Exit status: 0 on success, 1 when the store fails or the token is unknown,\n"
	"2 on bad usage.\n";

struct opts {
	const char *db, *role, *name, *device, *expires;
	bool json;
};

static void
fmt_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "?");
}

static const char *
state_of(const struct vg_auth_token_info *t, int64_t now)
{
	if (t->revoked_at)
		return "revoked";
	return vg_auth_token_active(t, now) ? "active" : "expired";
}

static int
fail(const char *sub, const struct vg_err *err)
{
	fprintf(stderr, "vigil token %s: error: %s\n", sub, err->msg);
	return VG_EXIT_FAIL;
}

/* Open the store: created for `create` (a fresh install's first token), else it must exist. */
static int
open_kb(const char *sub, const char *db, bool create, struct vg_kb **kb)
{
	struct vg_err err;
	int rc = vg_kb_open(db, create ? VG_KB_CREATE : 0, kb, &err);

	if (rc == VG_ENOTFOUND)
		return vg_cli_usage_error("token", "no store at '%s' (give --db)", db);
	if (rc < 0)
		return fail(sub, &err);
	return VG_EXIT_OK;
}

/* ---- create ------------------------------------------------------------------------- */

static int
parse_days(const char *s, int *days)
{
	char *end;
	long v;

	if (!s) {
		*days = 0;
		return VG_OK;
	}
	v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > VG_AUTH_EXPIRES_MAX_DAYS)
		return VG_EINVAL;
	*days = (int)v;
	return VG_OK;
}

static int
run_create(const struct opts *op)
{
	struct vg_auth_token_info info;
	enum vg_auth_role role;
	struct vg_kb *kb;
	struct vg_err err;
	char *token, when[32];
	int days, rc;

	if (!op->role)
		return vg_cli_usage_error("token create",
					  "--role is required (admin, "
					  "securityAdmin, analyst, itAdmin, agent, enroll)");
	if (vg_auth_role_parse(op->role, &role) != VG_OK)
		return vg_cli_usage_error("token create",
					  "unknown role '%s' (admin, securityAdmin, analyst, "
					  "itAdmin, agent, enroll)",
					  op->role);
	if (parse_days(op->expires, &days) != VG_OK)
		return vg_cli_usage_error("token create", "--expires '%s': want 1 to %d days",
					  op->expires, VG_AUTH_EXPIRES_MAX_DAYS);
	if (op->device && role != VG_AUTH_ROLE_AGENT)
		return vg_cli_usage_error("token create", "--device applies to agent tokens only");
	rc = open_kb("create", op->db, true, &kb);
	if (rc != VG_EXIT_OK)
		return rc;
	rc = vg_auth_token_create(kb, role, op->name, days, op->device, &token, &info, &err);
	vg_kb_close(kb);
	if (rc == VG_EINVAL)
		return vg_cli_usage_error("token create", "%s", err.msg);
	if (rc < 0)
		return fail("create", &err);
	printf("%s\n", token);
	vg_auth_token_free(token);
	if (fflush(stdout) != 0)
		return VG_EXIT_FAIL;
	fprintf(stderr, "created token %" PRId64 " (%s), role %s", info.id, info.prefix,
		vg_auth_role_name(info.role));
	if (info.name[0])
		fprintf(stderr, ", name '%s'", info.name);
	if (info.device_id[0])
		fprintf(stderr, ", device '%s'", info.device_id);
	if (info.expires_at) {
		fmt_time(info.expires_at, when);
		fprintf(stderr, ", expires %s", when);
	}
	fprintf(stderr, "\nstore it now: it is not shown again\n");
	return VG_EXIT_OK;
}

/* ---- list --------------------------------------------------------------------------- */

struct list_ctx {
	bool json;
	int64_t now;
	struct vg_table t;
	struct vg_json j;
};

/* NULL for "none", else @t formatted into @buf. */
static const char *
opt_time(int64_t t, char buf[32])
{
	if (!t)
		return NULL;
	fmt_time(t, buf);
	return buf;
}

static int
list_one(void *ctx, const struct vg_auth_token_info *t)
{
	struct list_ctx *c = ctx;
	char id[24], role[VG_AUTH_DEVICE_MAX + 32], cr[32], ex[32], lu[32];
	const char *cells[8];

	snprintf(id, sizeof(id), "%" PRId64, t->id);
	if (t->device_id[0])
		snprintf(role, sizeof(role), "%s (%s)", vg_auth_role_name(t->role), t->device_id);
	else
		snprintf(role, sizeof(role), "%s", vg_auth_role_name(t->role));
	if (c->json) {
		vg_json_begin_object(&c->j);
		vg_json_kv_int(&c->j, "id", t->id);
		vg_json_kv_str(&c->j, "public_id", t->prefix);
		vg_json_kv_str_opt(&c->j, "name", t->name[0] ? t->name : NULL);
		vg_json_kv_str(&c->j, "role", vg_auth_role_name(t->role));
		vg_json_kv_str_opt(&c->j, "device_id", t->device_id[0] ? t->device_id : NULL);
		vg_json_kv_str(&c->j, "created_at", opt_time(t->created_at, cr));
		vg_json_kv_str_opt(&c->j, "expires_at", opt_time(t->expires_at, ex));
		vg_json_kv_str_opt(&c->j, "revoked_at", opt_time(t->revoked_at, lu));
		vg_json_kv_str_opt(&c->j, "last_used_at", opt_time(t->last_used_at, lu));
		vg_json_kv_str(&c->j, "state", state_of(t, c->now));
		vg_json_end_object(&c->j);
		return VG_OK;
	}
	cells[0] = id;
	cells[1] = t->prefix;
	cells[2] = t->name[0] ? t->name : NULL;
	cells[3] = role;
	cells[4] = opt_time(t->created_at, cr);
	cells[5] = opt_time(t->expires_at, ex);
	cells[6] = opt_time(t->last_used_at, lu);
	cells[7] = state_of(t, c->now);
	vg_table_add(&c->t, cells);
	return VG_OK;
}

static int
run_list(const struct opts *op)
{
	static const char *const header[] = {"ID",      "PUBLIC ID", "NAME",      "ROLE",
					     "CREATED", "EXPIRES",   "LAST USED", "STATE"};
	struct list_ctx c = {.json = op->json, .now = vg_auth_now()};
	struct vg_buf out;
	struct vg_kb *kb;
	struct vg_err err;
	int rc;

	rc = open_kb("list", op->db, false, &kb);
	if (rc != VG_EXIT_OK)
		return rc;
	vg_buf_init(&out, VG_BUF_NOLIMIT);
	vg_json_init(&c.j, &out, VG_JSON_PRETTY);
	vg_json_begin_array(&c.j);
	vg_table_init(&c.t, 8, header);
	vg_table_set_max(&c.t, 2, 40);
	rc = vg_auth_token_list(kb, list_one, &c, &err);
	vg_kb_close(kb);
	vg_json_end_array(&c.j);
	if (rc == VG_OK && c.json) {
		rc = vg_json_finish(&c.j);
		if (rc == VG_OK &&
		    (vg_buf_addch(&out, '\n') < 0 || fwrite(out.p, 1, out.len, stdout) != out.len))
			rc = VG_EIO;
		if (rc != VG_OK)
			snprintf(err.msg, sizeof(err.msg), "cannot write the output");
	} else if (rc == VG_OK) {
		if (c.t.nrows)
			vg_table_print(&c.t, stdout, 0);
		else
			printf("No tokens: create one with 'vigil token create --role ROLE'.\n");
	}
	vg_table_release(&c.t);
	vg_buf_release(&out);
	if (rc == VG_OK && fflush(stdout) != 0) {
		rc = VG_EIO;
		snprintf(err.msg, sizeof(err.msg), "cannot write the output");
	}
	return rc == VG_OK ? VG_EXIT_OK : fail("list", &err);
}

/* ---- revoke ------------------------------------------------------------------------- */

static int
run_revoke(const struct opts *op, const char *key)
{
	struct vg_auth_token_info info;
	struct vg_kb *kb;
	struct vg_err err;
	char when[32];
	int rc;

	rc = open_kb("revoke", op->db, false, &kb);
	if (rc != VG_EXIT_OK)
		return rc;
	rc = vg_auth_token_revoke(kb, key, &info, &err);
	vg_kb_close(kb);
	if (rc == VG_EINVAL)
		return vg_cli_usage_error("token revoke", "%s", err.msg);
	if (rc < 0)
		return fail("revoke", &err);
	fmt_time(info.revoked_at, when);
	printf("revoked token %" PRId64 " (%s, %s) at %s\n", info.id, info.prefix,
	       vg_auth_role_name(info.role), when);
	return fflush(stdout) == 0 ? VG_EXIT_OK : VG_EXIT_FAIL;
}

/* ---- options ------------------------------------------------------------------------ */

/* Parse the options of @sub; -1 to go on, else the exit status. */
static int
parse_opts(const char *sub, int argc, char **argv, struct opts *op)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},     {"role", required_argument, NULL, 'r'},
		{"name", required_argument, NULL, 'n'},   {"expires", required_argument, NULL, 'e'},
		{"device", required_argument, NULL, 'D'}, {"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	bool create = strcmp(sub, "create") == 0, list = strcmp(sub, "list") == 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hd:r:n:e:D:f:", longopts, NULL)) != -1) {
		bool ok = c == 'h' || c == 'd' ||
			  ((c == 'r' || c == 'n' || c == 'e' || c == 'D') && create) ||
			  (c == 'f' && list);

		if (!ok) {
			if (c != '?')
				fprintf(stderr,
					"vigil token %s: error: option '%s' does not apply\n", sub,
					argv[optind - 1]);
			fputs(usage_text, stderr);
			return VG_EXIT_USAGE;
		}
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		case 'd':
			op->db = optarg;
			break;
		case 'r':
			op->role = optarg;
			break;
		case 'n':
			op->name = optarg;
			break;
		case 'e':
			op->expires = optarg;
			break;
		case 'D':
			op->device = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0)
				return vg_cli_usage_error(
					"token list", "unknown format '%s' (table, json)", optarg);
			op->json = strcmp(optarg, "json") == 0;
			break;
		default:
			break;
		}
	}
	return -1;
}

int
vg_cmd_token(int argc, char **argv)
{
	struct opts op = {0};
	const char *sub;
	int rc, nargs;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return VG_EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(usage_text, stdout);
		return VG_EXIT_OK;
	}
	if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0)
		return vg_cli_usage_error("token", "unknown command '%s' (create, list, revoke)",
					  sub);
	rc = parse_opts(sub, argc - 1, argv + 1, &op);
	if (rc >= 0)
		return rc;
	if (!op.db)
		op.db = vg_kb_default_path();
	nargs = argc - 1 - optind;
	if (strcmp(sub, "revoke") == 0) {
		if (nargs != 1)
			return vg_cli_usage_error(
				"token revoke", "give one token: its number, public id or itself");
		return run_revoke(&op, argv[1 + optind]);
	}
	if (nargs != 0)
		return vg_cli_usage_error("token", "unexpected argument '%s'", argv[1 + optind]);
	return strcmp(sub, "create") == 0 ? run_create(&op) : run_list(&op);
}
