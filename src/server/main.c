/*
 * main.c - vigild, the Vigil server.
 *
 * Reads options (a config file of `key = value` lines, then flags), opens
 * the knowledge base to fail fast on a bad --db, serves HTTP until SIGTERM
 * or SIGINT, then drains requests in flight and exits 0.  The signals are
 * blocked in every thread and taken synchronously with sigwait(), so no
 * work happens in a signal handler.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "server/api.h"
#include "server/api_agent.h"
#include "server/config_catalog.h"
#include "server/refresh.h"
#include "server/api_auth.h"
#include "server/worker.h"
#include "server/http.h"
#include "server/router.h"
#include "store/auth.h"
#include "store/kb.h"

#define CONFIG_MAX  (64 * 1024)
#define MAX_THREADS 256
#define DRAIN_MS    10000
/* Seconds between looks for devices a feed update left stale (refresh.h). */
#define REFRESH_S   5
#define EXIT_USAGE  2

static const char usage_text[] =
	"usage: vigild [--listen ADDR:PORT] [--db FILE] [--tls-cert FILE --tls-key FILE]\n"
	"              [--threads N] [--max-body BYTES] [--timeout SECONDS]\n"
	"              [--rate-limit N|off] [--policies PATH]... [--log-level LEVEL]\n"
	"              [--config FILE]\n"
	"\n"
	"The Vigil server: REST API, agent ingest and dashboard.\n"
	"\n"
	"  --listen ADDR:PORT   address to serve on (default 127.0.0.1:8080; [::]:PORT for IPv6;\n"
	"                       port 0 picks a free port, logged at startup)\n"
	"  --db FILE            knowledge base (default: $VIGIL_DB or the per-user path)\n"
	"  --tls-cert FILE      PEM certificate: serve HTTPS (needs --tls-key)\n"
	"  --tls-key FILE       PEM private key\n"
	"  --threads N          epoll worker threads (default: 2 per CPU)\n"
	"  --max-body BYTES     request body limit (default 16777216)\n"
	"  --timeout SECONDS    close connections idle or stalled this long (default 30)\n"
	"  --rate-limit N|off   /api requests per minute per token for endpoints without\n"
	"                       their own budget (default 600; 0 = unlimited); off: no\n"
	"                       rate limit at all, agent reports included\n"
	"  --policies PATH      configuration policy file, or directory of *.yml policies, for\n"
	"                       the check catalog (repeatable; default " VG_CONTENT_DIR ")\n"
	"  --log-level LEVEL    debug, info (default), warn or error; info logs each request\n"
	"  --config FILE        `key = value` lines with the long option names; flags win\n"
	"\n"
	"Logs are JSON lines on stderr.  SIGTERM or SIGINT stops gracefully.\n";

/* The values of a repeatable option. */
struct strlist {
	char **v;
	size_t n;
};

struct opts {
	char *listen;
	char *db;
	char *tls_cert;
	char *tls_key;
	char *threads;
	char *max_body;
	char *timeout;
	char *log_level;
	char *config;
	char *rate_limit;
	bool test_routes;
	struct vg_api_auth_config limits; /* /api budgets, from parse_limits() */
	/* --policies: the command line's replace the config file's (flags win). */
	struct strlist policies_cfg, policies_arg;
};

struct app {
	struct vg_http_server *srv;
	struct vg_kb *kb;
	struct vg_workers *workers;   /* per-thread connections on --db */
	struct vg_agent_api *agent;   /* /agent/v1 */
	struct vg_api *api;           /* /api */
	struct vg_refresher *refresh; /* re-assessment after feed updates */
};

/* ---- handlers ---------------------------------------------------------------- */

static void
h_healthz(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	(void)req;
	(void)ctx;
	vg_http_reply_json(resp, 200, "{\"status\":\"ok\"}", 15);
}

static void
h_metrics(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct app *app = ctx;
	int rc;

	(void)req;
	rc = vg_buf_addf(&resp->body,
			 "# HELP vigild_build_info Build of the running vigild.\n"
			 "# TYPE vigild_build_info gauge\n"
			 "vigild_build_info{version=\"%s\"} 1\n",
			 VG_VERSION);
	/* The server is set before the first request can arrive. */
	if (rc == VG_OK && app->srv)
		rc = vg_http_metrics(app->srv, &resp->body);
	if (rc == VG_OK)
		rc = vg_agent_api_metrics(app->agent, &resp->body);
	if (rc == VG_OK)
		rc = vg_buf_addf(
			&resp->body,
			"# HELP vigild_reassessed_devices_total Devices re-assessed after a"
			" feed update.\n"
			"# TYPE vigild_reassessed_devices_total counter\n"
			"vigild_reassessed_devices_total %" PRIu64 "\n",
			vg_refresher_devices(app->refresh));
	if (rc != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "metrics too large");
		return;
	}
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* Test-only (--test-routes): report the decoded body. */
static void
h_echo(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_json j;

	(void)ctx;
	vg_json_init(&j, &resp->body, 0);
	vg_json_begin_object(&j);
	vg_json_kv_int(&j, "length", (int64_t)req->body_len);
	vg_json_key(&j, "body");
	vg_json_string_n(&j, req->body, req->body_len < 4096 ? req->body_len : 4096);
	vg_json_end_object(&j);
	if (vg_json_finish(&j) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "echo failed");
		return;
	}
	vg_http_resp_json_status(resp, 200);
}

/* Test-only (--test-routes): report the path parameter and a query argument. */
static void
h_item(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_json j;

	(void)ctx;
	vg_json_init(&j, &resp->body, 0);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "id", vg_http_param(req, "id"));
	vg_json_kv_str(&j, "method", req->method);
	vg_json_kv_str_opt(&j, "top", vg_http_query(req, "$top"));
	vg_json_end_object(&j);
	if (vg_json_finish(&j) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "item failed");
		return;
	}
	vg_http_resp_json_status(resp, 200);
}

static int
add_routes(struct vg_router *r, struct app *app, bool test_routes, struct vg_err *err)
{
	int rc = vg_router_add(r, "GET", "/healthz", h_healthz, app, err);

	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/metrics", h_metrics, app, err);
	if (rc == VG_OK)
		rc = vg_agent_api_add_routes(app->agent, r, err);
	if (rc == VG_OK)
		rc = vg_api_add_routes(app->api, r, err);
	if (rc == VG_OK && test_routes)
		rc = vg_router_add(r, "POST", "/api/echo", h_echo, app, err);
	if (rc == VG_OK && test_routes)
		rc = vg_router_add(r, "GET", "/api/items/{id}", h_item, app, err);
	if (rc == VG_OK && test_routes)
		rc = vg_router_add(r, "PUT", "/api/items/{id}", h_item, app, err);
	return rc;
}

/* ---- options ----------------------------------------------------------------- */

static const char *const option_names[] = {"listen",  "db",        "tls-cert", "tls-key",
					   "threads", "max-body",  "timeout",  "log-level",
					   "config",  "rate-limit"};

static char **
option_slot(struct opts *o, const char *name)
{
	char **slots[] = {&o->listen,   &o->db,      &o->tls_cert,  &o->tls_key, &o->threads,
			  &o->max_body, &o->timeout, &o->log_level, &o->config,  &o->rate_limit};

	for (size_t i = 0; i < VG_ARRAY_LEN(option_names); i++)
		if (strcmp(name, option_names[i]) == 0)
			return slots[i];
	return NULL;
}

static void
set_option(char **slot, const char *value)
{
	free(*slot);
	*slot = vg_xstrdup(value);
}

static void
strlist_add(struct strlist *l, const char *s)
{
	l->v = vg_xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = vg_xstrdup(s);
}

static void
strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct strlist){0};
}

static void
opts_release(struct opts *o)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(option_names); i++)
		free(*option_slot(o, option_names[i]));
	strlist_release(&o->policies_cfg);
	strlist_release(&o->policies_arg);
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int
config_line(struct opts *o, char *line, const char *path, int lineno)
{
	char *eq, *key, **slot;

	line = trim(line);
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	eq = strchr(line, '=');
	if (eq == NULL) {
		vg_log(VG_LOG_ERROR, "'%s' line %d: expected 'key = value'", path, lineno);
		return -1;
	}
	*eq = '\0';
	key = trim(line);
	if (strcmp(key, "policies") == 0) {
		strlist_add(&o->policies_cfg, trim(eq + 1));
		return 0;
	}
	slot = option_slot(o, key);
	if (slot == NULL || strcmp(key, "config") == 0) {
		vg_log(VG_LOG_ERROR, "'%s' line %d: unknown key '%s'", path, lineno, key);
		return -1;
	}
	set_option(slot, trim(eq + 1));
	return 0;
}

static int
read_config(struct opts *o, const char *path)
{
	struct vg_buf b;
	char line[4096];
	int lineno = 0, rc = 0;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		vg_log(VG_LOG_ERROR, "cannot open config '%s': %s", path, strerror(errno));
		return -1;
	}
	vg_buf_init(&b, CONFIG_MAX);
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		if (vg_buf_addstr(&b, line) != VG_OK || (!strchr(line, '\n') && !feof(f))) {
			vg_log(VG_LOG_ERROR, "'%s' line %d: too long", path, lineno);
			rc = -1;
			break;
		}
		line[strcspn(line, "\n")] = '\0';
		rc = config_line(o, line, path, lineno);
	}
	fclose(f);
	vg_buf_release(&b);
	return rc;
}

static int
unknown(const char *arg)
{
	vg_log(VG_LOG_ERROR, "unknown option '%s'", arg);
	return -1;
}

/* Apply argv; with @config_only, only --config is taken (the first pass). */
static int
parse_args(struct opts *o, int argc, char **argv, bool config_only)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *name, *value, *eq;
		char key[32];
		char **slot;
		bool policies;

		if (strcmp(a, "--test-routes") == 0) {
			o->test_routes = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0)
			return unknown(a);
		name = a + 2;
		eq = strchr(name, '=');
		if ((eq ? (size_t)(eq - name) : strlen(name)) >= sizeof(key))
			return unknown(a);
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - name) : (int)strlen(name), name);
		policies = strcmp(key, "policies") == 0;
		slot = policies ? NULL : option_slot(o, key);
		if (slot == NULL && !policies)
			return unknown(a);
		if (eq)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			vg_log(VG_LOG_ERROR, "option '%s' needs a value", a);
			return -1;
		}
		if (policies && !config_only)
			strlist_add(&o->policies_arg, value);
		else if (slot && (!config_only || strcmp(key, "config") == 0))
			set_option(slot, value);
	}
	return 0;
}

static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return (errno || *end || *out > max) ? -1 : 0;
}

static unsigned
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 2 : n > MAX_THREADS / 2 ? MAX_THREADS : (unsigned)n * 2;
}

static int
make_config(const struct opts *o, struct vg_http_config *cfg)
{
	unsigned long long v;

	vg_http_config_init(cfg);
	if (o->listen)
		cfg->listen = o->listen;
	cfg->tls_cert = o->tls_cert;
	cfg->tls_key = o->tls_key;
	cfg->threads = default_threads();
	if (o->threads) {
		if (parse_uint(o->threads, MAX_THREADS, &v) || v == 0) {
			vg_log(VG_LOG_ERROR, "invalid --threads '%s' (1 to %d)", o->threads,
			       MAX_THREADS);
			return -1;
		}
		cfg->threads = (unsigned)v;
	}
	if (o->max_body) {
		if (parse_uint(o->max_body, 1ull << 32, &v) || v == 0) {
			vg_log(VG_LOG_ERROR, "invalid --max-body '%s'", o->max_body);
			return -1;
		}
		cfg->max_body = (size_t)v;
		if (cfg->max_inflated < cfg->max_body)
			cfg->max_inflated = cfg->max_body;
	}
	if (o->timeout) {
		if (parse_uint(o->timeout, 86400, &v) || v == 0) {
			vg_log(VG_LOG_ERROR, "invalid --timeout '%s' (1 to 86400 seconds)",
			       o->timeout);
			return -1;
		}
		cfg->conn_timeout_s = (unsigned)v;
	}
	return 0;
}

/*
 * The budgets: the reference's, with --rate-limit as the default class's per
 * minute, or "off" for none at all (a benchmark, a trusted network).
 */
static int
parse_limits(struct opts *o)
{
	unsigned long long v;

	vg_api_auth_config_init(&o->limits);
	if (o->rate_limit && strcmp(o->rate_limit, "off") == 0) {
		memset(&o->limits, 0, sizeof(o->limits));
		return 0;
	}
	if (o->rate_limit) {
		if (parse_uint(o->rate_limit, UINT_MAX, &v)) {
			vg_log(VG_LOG_ERROR, "invalid --rate-limit '%s'", o->rate_limit);
			return -1;
		}
		o->limits.per_minute[VG_RATE_DEFAULT] = (unsigned)v;
		if (v == 0) /* unlimited means no hourly budget either */
			o->limits.per_hour[VG_RATE_DEFAULT] = 0;
	}
	return 0;
}

static int
setup_logging(const struct opts *o)
{
	enum vg_log_level level = VG_LOG_INFO;

	vg_log_set_progname("vigild");
	vg_log_set_json(true);
	if (o->log_level && vg_log_level_parse(o->log_level, &level) != VG_OK) {
		vg_log(VG_LOG_ERROR, "invalid --log-level '%s' (debug, info, warn, error)",
		       o->log_level);
		return -1;
	}
	vg_log_set_level(level);
	return 0;
}

/* ---- running ----------------------------------------------------------------- */

/*
 * The configuration check catalog from --policies (or the shipped policies);
 * a policy that does not load stops vigild, as a bad option does.
 */
static int
load_catalog(const struct opts *o, struct vg_kb *kb)
{
	const struct strlist *l = o->policies_arg.n ? &o->policies_arg : &o->policies_cfg;
	struct vg_config_catalog_stats st;
	struct vg_err err;

	vg_err_clear(&err);
	if (vg_config_catalog_load(kb, (const char *const *)l->v, l->n, vg_auth_now(), &st, &err) !=
	    VG_OK) {
		vg_log(VG_LOG_ERROR, "cannot load the configuration policies: %s", err.msg);
		return -1;
	}
	vg_log(VG_LOG_INFO, "configuration catalog: %zu checks (%zu scored) from %zu policies",
	       st.checks, st.scored, st.policies);
	return 0;
}

static int
serve(const struct opts *o, const struct vg_http_config *cfg, sigset_t *sigs)
{
	struct app app = {0};
	struct vg_router *router = vg_router_new();
	struct vg_err err;
	int rc, sig = 0;

	vg_err_clear(&err);
	rc = vg_kb_open(o->db, VG_KB_CREATE, &app.kb, &err);
	if (rc != VG_OK) {
		vg_log(VG_LOG_ERROR, "cannot open the knowledge base: %s", err.msg);
		vg_router_free(router);
		return EXIT_USAGE;
	}
	if (load_catalog(o, app.kb) != 0) {
		vg_kb_close(app.kb);
		vg_router_free(router);
		return EXIT_USAGE;
	}
	app.workers = vg_workers_new(o->db);
	app.agent = vg_agent_api_new(app.workers, &o->limits);
	app.api = vg_api_new(app.workers, &o->limits);
	rc = add_routes(router, &app, o->test_routes, &err);
	if (rc == VG_OK)
		rc = vg_http_start(cfg, vg_router_handle, router, &app.srv, &err);
	if (rc == VG_OK)
		rc = vg_refresher_start(o->db, app.workers, REFRESH_S, &app.refresh, &err);
	if (rc != VG_OK) {
		vg_log(VG_LOG_ERROR, "%s", err.msg);
		vg_http_stop(app.srv, 0);
		vg_agent_api_free(app.agent);
		vg_api_free(app.api);
		vg_kb_close(app.kb);
		vg_workers_free(app.workers);
		vg_router_free(router);
		return EXIT_USAGE;
	}
	vg_log(VG_LOG_INFO, "listening on '%s' port %u (%s, %u threads)", cfg->listen,
	       (unsigned)vg_http_port(app.srv), cfg->tls_cert ? "https" : "http", cfg->threads);
	while (sigwait(sigs, &sig) != 0 || (sig != SIGTERM && sig != SIGINT))
		continue;
	vg_log(VG_LOG_INFO, "signal %d: stopping, %u requests in flight", sig,
	       vg_http_in_flight(app.srv));
	vg_refresher_stop(app.refresh);
	vg_http_stop(app.srv, DRAIN_MS);
	vg_kb_close(app.kb);
	vg_agent_api_free(app.agent);
	vg_api_free(app.api);
	vg_workers_free(app.workers); /* after every other connection: see worker.h */
	vg_router_free(router);
	vg_log(VG_LOG_INFO, "stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct vg_http_config cfg;
	sigset_t sigs;
	int rc = EXIT_USAGE;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("vigild %s\n", VG_VERSION);
		return 0;
	}
	vg_log_set_progname("vigild");
	if (parse_args(&o, argc, argv, true) != 0) {
		fputs(usage_text, stderr);
		goto out;
	}
	if ((o.config && read_config(&o, o.config) != 0) ||
	    parse_args(&o, argc, argv, false) != 0 || setup_logging(&o) != 0 ||
	    make_config(&o, &cfg) != 0 || parse_limits(&o) != 0)
		goto out;
	/* Block before any thread starts so that only sigwait() sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = serve(&o, &cfg, &sigs);
out:
	opts_release(&o);
	return rc;
}
