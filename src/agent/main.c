/*
 * main.c - vigil-agent, the Vigil device agent.
 *
 *   vigil-agent --server URL [--enroll-token TOKEN | --enroll-token-file FILE]
 *               [--root DIR] [--state-dir DIR] [--app-dir DIR]... [--timeout S]
 *               [--policies PATH]... [--no-policies] [--commands]
 *               [--command-timeout MS] [--once | --interval S]
 *
 * Collects the inventory (read-only, src/agent), evaluates the
 * configuration policies into its "configuration" section (src/policy),
 * compares its section hashes with the last report the server
 * acknowledged, queues a FULL or a DELTA report in the on-disk spool
 * (spool.h) and delivers the spool oldest-first (docs/agent-protocol.md,
 * docs/agent.md).  Without --once it stays up: a full report every
 * --interval, a delta shortly after inotify sees a package database or a
 * policy-relevant configuration file change, SIGTERM to stop.  Exit status: 0
 * delivered or nothing to send, 1 error (401/403, bad state), 2 usage,
 * 75 (EX_TEMPFAIL) server unreachable: the reports stay spooled for the next run.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <sodium.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "agent/spool.h"
#include "agent/upload.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "policy/eval.h"
#include "policy/policy.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_TEMPFAIL = 75, /* sysexits.h EX_TEMPFAIL: cron / systemd try again later */
};

/* At most this many --app-dir options. */
#define MAX_APP_DIRS       64
/* At most this many --policies options. */
#define MAX_POLICY_PATHS   64
/* Longest --command-timeout, in milliseconds. */
#define MAX_CMD_TIMEOUT_MS (10 * 60 * 1000)
/* At most this many inotify watches for the configuration files. */
#define MAX_CONFIG_WATCHES 4096
/* Room for the policies' watch paths (NUL-separated). */
#define WATCH_PATHS_MAX    (4u * 1024 * 1024)
/* Default --timeout: total time spent retrying in --once mode. */
#define DEFAULT_TIMEOUT_S  300
/* Backoff between retries: doubles from 1 s up to this. */
#define MAX_BACKOFF_MS     (60 * 1000)
/* Default --interval: a full report this often in the long-running mode. */
#define DEFAULT_INTERVAL_S (6 * 3600)
/* Quiet time after a package database change before the delta is sent. */
#define DEBOUNCE_MS        2000
/* Long-running mode: wait this long after a failed run before the next attempt. */
#define RETRY_LATER_S      60
/* Largest enroll token / identity file read. */
#define MAX_SMALL_FILE     (64 * 1024)
/* The uncompressed document of a report read back for its sections map. */
#define MAX_DOCUMENT_BYTES (512u * 1024 * 1024)

static const char usage_text[] =
	"usage: vigil-agent --server URL [--enroll-token TOKEN | --enroll-token-file FILE]\n"
	"                   [--root DIR] [--state-dir DIR] [--app-dir DIR]... [--timeout S]\n"
	"                   [--policies PATH]... [--no-policies] [--commands]\n"
	"                   [--command-timeout MS] [--once | --interval S]\n"
	"\n"
	"The Vigil agent: collect this device's inventory and assess its configuration\n"
	"(read-only) and report them to vigild (docs/agent.md).  Only the sections that\n"
	"changed since the last acknowledged report are sent; reports wait in a spool\n"
	"while the server is away.\n"
	"\n"
	"  --server URL             vigild's base URL, e.g. https://vigil.example:8443\n"
	"  --enroll-token TOKEN     enrollment token (role enroll), needed only until the\n"
	"                           agent is enrolled; also $VIGIL_ENROLL_TOKEN\n"
	"  --enroll-token-file F    read the enrollment token from F (keeps it out of ps)\n"
	"  --root DIR               inventory the tree under DIR instead of /\n"
	"  --state-dir DIR          identity, last-sections and spool (default\n"
	"                           /var/lib/vigil-agent as root, else\n"
	"                           ~/.local/state/vigil-agent)\n"
	"  --app-dir DIR            also scan DIR for npm / Python packages (repeatable)\n"
	"  --timeout S              give up retrying after S seconds (default 300)\n"
	"  --policies PATH          configuration policy file or directory of *.yml\n"
	"                           (repeatable; default " VG_CONTENT_DIR ")\n"
	"  --no-policies            no configuration assessment (no configuration section)\n"
	"  --commands               let policies run their command (c:) rules; off by\n"
	"                           default: those rules are then notApplicable\n"
	"  --command-timeout MS     time limit of one policy command (default 5000)\n"
	"  --once                   one collection and delivery, then exit (for cron)\n"
	"  --interval S             without --once: stay up, send a full report every S\n"
	"                           seconds (default 21600) and a delta when the package\n"
	"                           databases or the configuration files the policies\n"
	"                           read change; SIGTERM stops\n"
	"\n"
	"Exit status: 0 delivered or nothing to send, 1 error, 2 usage,\n"
	"75 server unreachable (reports kept in the spool for the next run).\n";

struct opts {
	const char *server;
	const char *enroll_token;
	const char *enroll_token_file;
	const char *root;
	const char *state_dir;
	const char *app_dirs[MAX_APP_DIRS + 1];
	size_t napp;
	long timeout_s;
	long interval_s;
	bool once;
	const char *policy_paths[MAX_POLICY_PATHS];
	size_t npolicy_paths;
	bool no_policies;
	struct vg_eval_opts eval;
};

struct agent {
	struct opts o;
	char state[PATH_MAX];
	char url_enroll[2048];
	char url_report[2048];
	char *device_id; /* owned */
	char *token;     /* owned */
	struct vg_spool *spool;
	json_t *doc;                   /* the current full document */
	json_t *last;                  /* sections map the server acknowledged, or NULL */
	json_t *pending;               /* sections map of the newest queued report, or NULL */
	struct vg_buf full_gz;         /* the current document, gzip'd */
	struct vg_policy_set policies; /* loaded once at start */
	bool assess;                   /* policies loaded: the document has "configuration" */
	struct timespec deadline;
	unsigned rand_state;
};

/* Set by SIGTERM / SIGINT in the long-running mode. */
static volatile sig_atomic_t stop_requested;

static void say(const char *fmt, ...) VG_PRINTF(1, 2);

static void
say(const char *fmt, ...)
{
	va_list ap;

	fputs("vigil-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- Options ---- */

static int usage_error(const char *fmt, ...) VG_PRINTF(1, 2);

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vigil-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'vigil-agent --help'.\n", stderr);
	return EXIT_USAGE;
}

static int
parse_timeout(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 7 * 24 * 3600)
		return -1;
	*out = v;
	return 0;
}

static int
parse_ms(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > MAX_CMD_TIMEOUT_MS)
		return -1;
	*out = (int)v;
	return 0;
}

/* Returns -1 to go on, else the exit status. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"server", required_argument, NULL, 's'},
		{"enroll-token", required_argument, NULL, 'e'},
		{"enroll-token-file", required_argument, NULL, 'E'},
		{"root", required_argument, NULL, 'r'},
		{"state-dir", required_argument, NULL, 'd'},
		{"app-dir", required_argument, NULL, 'a'},
		{"timeout", required_argument, NULL, 't'},
		{"once", no_argument, NULL, 'o'},
		{"interval", required_argument, NULL, 'i'},
		{"policies", required_argument, NULL, 'p'},
		{"no-policies", no_argument, NULL, 'P'},
		{"commands", no_argument, NULL, 'c'},
		{"command-timeout", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->root = "/";
	o->timeout_s = DEFAULT_TIMEOUT_S;
	o->interval_s = DEFAULT_INTERVAL_S;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->server = optarg;
			break;
		case 'e':
			o->enroll_token = optarg;
			break;
		case 'E':
			o->enroll_token_file = optarg;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'd':
			o->state_dir = optarg;
			break;
		case 'a':
			if (o->napp == MAX_APP_DIRS)
				return usage_error("at most %d --app-dir options", MAX_APP_DIRS);
			o->app_dirs[o->napp++] = optarg;
			break;
		case 't':
			if (parse_timeout(optarg, &o->timeout_s) < 0)
				return usage_error("bad --timeout '%s' (seconds, at least 1)",
						   optarg);
			break;
		case 'o':
			o->once = true;
			break;
		case 'i':
			if (parse_timeout(optarg, &o->interval_s) < 0)
				return usage_error("bad --interval '%s' (seconds, at least 1)",
						   optarg);
			break;
		case 'p':
			if (o->npolicy_paths == MAX_POLICY_PATHS)
				return usage_error("at most %d --policies options",
						   MAX_POLICY_PATHS);
			o->policy_paths[o->npolicy_paths++] = optarg;
			break;
		case 'P':
			o->no_policies = true;
			break;
		case 'c':
			o->eval.commands = true;
			break;
		case 'T':
			if (parse_ms(optarg, &o->eval.command_timeout_ms) < 0)
				return usage_error("bad --command-timeout '%s' (milliseconds, 1 to "
						   "%d)",
						   optarg, MAX_CMD_TIMEOUT_MS);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			printf("vigil-agent %s\n", VG_VERSION);
			return EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->server)
		return usage_error("%s", "--server URL is required");
	if (o->no_policies && o->npolicy_paths)
		return usage_error("%s", "--no-policies and --policies exclude each other");
	if (strncmp(o->server, "http://", 7) != 0 && strncmp(o->server, "https://", 8) != 0)
		return usage_error("--server '%s' is not an http:// or https:// URL", o->server);
	return -1;
}

/* ---- State directory and files ---- */

static int
mkdir_private(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		say("cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		say("'%s' is not a directory", path);
		return -1;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		say("state directory '%s' must be owned by uid %u and not writable by group or "
		    "others",
		    path, (unsigned)geteuid());
		return -1;
	}
	return 0;
}

/* Create the parents of a default state directory (~/.local/state). */
static int
mkdir_parents(char *path)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			say("cannot create '%s': %s", path, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int
setup_state_dir(struct agent *a)
{
	const char *home = getenv("HOME");
	int n;

	if (a->o.state_dir)
		n = snprintf(a->state, sizeof(a->state), "%s", a->o.state_dir);
	else if (geteuid() == 0)
		n = snprintf(a->state, sizeof(a->state), "/var/lib/vigil-agent");
	else if (home && home[0] == '/')
		n = snprintf(a->state, sizeof(a->state), "%s/.local/state/vigil-agent", home);
	else {
		say("no --state-dir and no $HOME");
		return -1;
	}
	if (n < 0 || (size_t)n >= sizeof(a->state)) {
		say("state directory path too long");
		return -1;
	}
	if (!a->o.state_dir && mkdir_parents(a->state) < 0)
		return -1;
	return mkdir_private(a->state);
}

static int
state_path(const struct agent *a, const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", a->state, name);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Write @len bytes to @path atomically and durably, mode 0600. */
static int
write_atomic(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX + 32];
	char dir[PATH_MAX];
	const char *p = data;
	int fd, ok = 1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		say("cannot write '%s': %s", tmp, strerror(errno));
		return -1;
	}
	while (ok && len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		if (ok) {
			p += w;
			len -= (size_t)w;
		}
	}
	ok = ok && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		say("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* The rename is durable only once the directory is. */
	snprintf(dir, sizeof(dir), "%s", path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

static int
save_json(const struct agent *a, const char *name, const json_t *j)
{
	char path[PATH_MAX];
	char *s;
	int rc;

	if (state_path(a, name, path, sizeof(path)) < 0)
		return -1;
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		return -1;
	rc = write_atomic(path, s, strlen(s));
	free(s);
	return rc;
}

static void
remove_state(const struct agent *a, const char *name)
{
	char path[PATH_MAX];

	if (state_path(a, name, path, sizeof(path)) == 0 && unlink(path) != 0 && errno != ENOENT)
		say("cannot remove '%s': %s", path, strerror(errno));
}

/* Load a JSON object from the state file @name; NULL when absent or unusable. */
static json_t *
load_json(const struct agent *a, const char *name)
{
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *j;

	if (state_path(a, name, path, sizeof(path)) < 0 || access(path, F_OK) != 0)
		return NULL;
	j = json_load_file(path, 0, &jerr);
	if (!j || !json_is_object(j)) {
		say("ignoring unreadable '%s': %s", path, j ? "not an object" : jerr.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* A token or id we put in headers and file names: printable ASCII, no space. */
static bool
is_plain(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= max || s[n] <= ' ' || s[n] > '~')
			return false;
	return n > 0;
}

static int
load_identity(struct agent *a)
{
	json_t *j = load_json(a, "identity");
	const char *id, *tok;

	if (!j)
		return 0;
	id = json_string_value(json_object_get(j, "deviceId"));
	tok = json_string_value(json_object_get(j, "token"));
	if (!id || !tok || !is_plain(id, 256) || !is_plain(tok, 512)) {
		say("state file 'identity' is invalid; remove it to enroll again");
		json_decref(j);
		return -1;
	}
	a->device_id = vg_xstrdup(id);
	a->token = vg_xstrdup(tok);
	json_decref(j);
	return 0;
}

static int
save_identity(struct agent *a, const char *id, const char *tok)
{
	json_t *j = json_pack("{s:s, s:s}", "deviceId", id, "token", tok);
	int rc = j ? save_json(a, "identity", j) : -1;

	json_decref(j);
	if (rc == 0) {
		a->device_id = vg_xstrdup(id);
		a->token = vg_xstrdup(tok);
	}
	return rc;
}

/* The enrollment token: option, file or environment; trailing newline dropped. */
static char *
enroll_token(const struct opts *o)
{
	char *tok = NULL;
	size_t len;

	if (o->enroll_token)
		tok = vg_xstrdup(o->enroll_token);
	else if (o->enroll_token_file) {
		if (vg_inv_read_file(o->enroll_token_file, MAX_SMALL_FILE, &tok, &len) != VG_OK) {
			say("cannot read enroll token file '%s'", o->enroll_token_file);
			return NULL;
		}
		while (len && (tok[len - 1] == '\n' || tok[len - 1] == '\r' || tok[len - 1] == ' '))
			tok[--len] = '\0';
	} else if (getenv("VIGIL_ENROLL_TOKEN"))
		tok = vg_xstrdup(getenv("VIGIL_ENROLL_TOKEN"));
	if (tok && !is_plain(tok, 512)) {
		say("the enroll token is empty or has invalid characters");
		free(tok);
		return NULL;
	}
	if (!tok)
		say("not enrolled yet: give --enroll-token, --enroll-token-file or "
		    "$VIGIL_ENROLL_TOKEN");
	return tok;
}

/* ---- Time and backoff ---- */

static double
secs_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(t->tv_sec - now.tv_sec) + (double)(t->tv_nsec - now.tv_nsec) / 1e9;
}

/*
 * Wait before retry @attempt (0-based): exponential from 1 s with jitter in
 * [50%, 100%], or the server's Retry-After.  false when the wait would pass
 * the deadline: the caller gives up for this run.
 */
static bool
backoff(struct agent *a, unsigned attempt, long retry_after)
{
	long ms = 1000L << (attempt < 6 ? attempt : 6);
	struct timespec ts;

	if (ms > MAX_BACKOFF_MS)
		ms = MAX_BACKOFF_MS;
	ms = ms / 2 + (long)(rand_r(&a->rand_state) % (unsigned)(ms / 2 + 1));
	if (retry_after >= 0)
		ms = retry_after * 1000;
	if ((double)ms / 1000.0 >= secs_until(&a->deadline))
		return false;
	say("retrying in %.1f s", (double)ms / 1000.0);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (!stop_requested && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return !stop_requested;
}

static long
request_timeout(const struct agent *a)
{
	double left = secs_until(&a->deadline);

	return left < 1 ? 1 : left > 300 ? 300 : (long)left;
}

/* The "message" (or "code") of a protocol error body, for the log. */
static void
error_text(const struct vg_agent_resp *r, char *out, size_t cap)
{
	json_t *j = json_loadb(r->body.p, r->body.len, 0, NULL);
	json_t *e = json_object_get(j, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));

	snprintf(out, cap, "%s%s%s", code ? code : "", code && msg ? ": " : "", msg ? msg : "");
	json_decref(j);
}

static bool
is_transient(long status)
{
	return status == 0 || status == 429 || status >= 500;
}

/* ---- Configuration assessment ---- */

/*
 * Load the policies once: the --policies paths, else the shipped baseline
 * (VG_CONTENT_DIR).  A path given on the command line must load; a missing
 * default directory only means no assessment.  -1 on error (said).
 */
static int
load_policies(struct agent *a)
{
	const char *def[] = {VG_CONTENT_DIR};
	const char *const *paths = a->o.npolicy_paths ? a->o.policy_paths : def;
	size_t n = a->o.npolicy_paths ? a->o.npolicy_paths : 1;
	struct vg_err err;

	if (a->o.no_policies)
		return 0;
	if (!a->o.npolicy_paths && access(VG_CONTENT_DIR, R_OK | X_OK) != 0) {
		say("no policies in '%s': configuration not assessed", VG_CONTENT_DIR);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		vg_err_clear(&err);
		if (vg_policy_set_add(&a->policies, paths[i], &err) != VG_OK) {
			say("cannot load policies '%s': %s", paths[i], err.msg);
			return -1;
		}
	}
	a->assess = true;
	return 0;
}

/* Evaluate every policy against the collected @inv into its configuration items. */
static int
assess(struct agent *a, struct vg_inventory *inv)
{
	return vg_eval_into_inventory(&a->policies, a->o.root, inv, &a->o.eval);
}

/* ---- Collection and documents ---- */

static int
collect(struct agent *a)
{
	struct vg_inventory inv;
	struct vg_buf out;
	json_error_t jerr;
	struct vg_err err;
	int rc;

	if (access(a->o.root, R_OK | X_OK) != 0) {
		say("cannot read root directory '%s'", a->o.root);
		return -1;
	}
	vg_inventory_init(&inv, a->o.root);
	inv.app_dirs = a->o.napp ? a->o.app_dirs : NULL;
	rc = vg_inventory_collect(&inv);
	if (rc == VG_OK && a->assess)
		rc = assess(a, &inv);
	vg_buf_init(&out, VG_BUF_NOLIMIT);
	if (rc == VG_OK)
		rc = vg_inventory_write_json(&inv, &out, 0, NULL);
	if (rc == VG_OK)
		say("collected %zu packages, %zu processes, %zu listeners, %zu accounts, "
		    "%zu configuration results (%zu warnings)",
		    inv.npackages, inv.nprocesses, inv.nlisteners, inv.naccounts, inv.nconfig,
		    inv.nwarnings);
	vg_inventory_release(&inv);
	if (rc != VG_OK) {
		say("collection failed: %s", vg_strerror(rc));
		vg_buf_release(&out);
		return -1;
	}
	a->doc = json_loadb(out.p, out.len, 0, &jerr);
	vg_err_clear(&err);
	rc = a->doc ? vg_agent_gzip(out.p, out.len, &a->full_gz, &err) : VG_EINVAL;
	vg_buf_release(&out);
	if (rc != VG_OK || !json_is_object(json_object_get(a->doc, "sections"))) {
		say("cannot prepare the document: %s", a->doc ? err.msg : jerr.text);
		return -1;
	}
	return 0;
}

/*
 * Names of the sections whose hash differs between @cur and @base,
 * NULL-terminated.  A section in neither (an optional one: configuration) is
 * no change.  *@need_full is set when @base has a section @cur lacks: a delta
 * cannot say "removed" (a delta without a section means "unchanged"), a
 * full report can.
 */
static size_t
changed_sections(const json_t *cur, const json_t *base, const char *out[VG_NSECTIONS + 1],
		 bool *need_full)
{
	size_t n = 0;

	*need_full = false;
	for (int s = 0; s < VG_NSECTIONS; s++) {
		const char *name = vg_section_name((enum vg_section)s);
		const char *h1 =
			json_string_value(json_object_get(json_object_get(cur, name), "hash"));
		const char *h2 =
			json_string_value(json_object_get(json_object_get(base, name), "hash"));

		if (!h1 && json_object_get(base, name))
			*need_full = true;
		if (!h1 && !json_object_get(base, name))
			continue;
		if (!h1 || !h2 || strcmp(h1, h2) != 0)
			out[n++] = name;
	}
	out[n] = NULL;
	return n;
}

/* The delta document: the envelope, the full sections map and only @changed. */
static json_t *
delta_doc(const json_t *doc, const char *const *changed)
{
	static const char *const keep[] = {"schemaVersion", "generator", "collectedAt", "device",
					   "sections"};
	json_t *d = json_object();

	for (size_t i = 0; i < VG_ARRAY_LEN(keep); i++)
		if (json_object_get(doc, keep[i]))
			json_object_set(d, keep[i], json_object_get(doc, keep[i]));
	for (size_t i = 0; changed[i]; i++)
		json_object_set(d, changed[i], json_object_get(doc, changed[i]));
	return d;
}

/* A fresh report id: the device id (made id-safe) and a time-based sequence. */
static void
report_id(const struct agent *a, char out[VG_SPOOL_ID_MAX + 1])
{
	static unsigned long last;
	struct timespec ts;
	unsigned long seq;
	size_t n = 0;

	for (const char *p = a->device_id; *p && n < 40; p++, n++)
		out[n] = (strchr("._-", *p) || (*p >= '0' && *p <= '9') ||
			  ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
				 ? *p
				 : '_';
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Microseconds since the epoch: sortable, and strictly increasing within a run. */
	seq = (unsigned long)ts.tv_sec * 1000000UL + (unsigned long)ts.tv_nsec / 1000UL;
	if (seq <= last)
		seq = last + 1;
	last = seq;
	snprintf(out + n, VG_SPOOL_ID_MAX + 1 - n, "-%lu", seq);
}

static int
queue(struct agent *a, enum vg_spool_kind kind, const void *gz, size_t len)
{
	char id[VG_SPOOL_ID_MAX + 1];
	struct vg_err err;
	int rc;

	report_id(a, id);
	vg_err_clear(&err);
	rc = vg_spool_put(a->spool, id, kind, gz, len, &err);
	if (rc != VG_OK) {
		if (rc != VG_ETOOBIG)
			say("cannot queue report '%s': %s", id, err.msg);
		return rc;
	}
	say("queued %s report %s (%zu bytes gzip)", kind == VG_SPOOL_FULL ? "full" : "delta", id,
	    len);
	json_decref(a->pending);
	a->pending = json_incref(json_object_get(a->doc, "sections"));
	return save_json(a, "pending-sections", a->pending) == 0 ? VG_OK : VG_EIO;
}

static int
queue_full(struct agent *a)
{
	return queue(a, VG_SPOOL_FULL, a->full_gz.p, a->full_gz.len);
}

/*
 * Queue what changed: a FULL without a base, a DELTA otherwise.  The base is
 * the newest queued report while the spool holds one (the server will have
 * applied it before this one), else the last acknowledged report.
 */
static int
queue_changes(struct agent *a, bool force_full)
{
	const json_t *base = vg_spool_count(a->spool) ? a->pending : a->last;
	const json_t *cur = json_object_get(a->doc, "sections");
	const char *changed[VG_NSECTIONS + 1];
	struct vg_buf gz;
	struct vg_err err;
	bool need_full;
	size_t nchanged;
	json_t *d;
	char *s;
	int rc;

	if (!base || force_full)
		return queue_full(a);
	nchanged = changed_sections(cur, base, changed, &need_full);
	if (need_full)
		return queue_full(a);
	if (nchanged == 0) {
		printf("no change since the last report\n");
		return VG_OK;
	}
	d = delta_doc(a->doc, changed);
	s = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (!s)
		return VG_ENOMEM;
	vg_buf_init(&gz, VG_BUF_NOLIMIT);
	vg_err_clear(&err);
	rc = vg_agent_gzip(s, strlen(s), &gz, &err);
	free(s);
	if (rc == VG_OK)
		rc = queue(a, VG_SPOOL_DELTA, gz.p, gz.len);
	vg_buf_release(&gz);
	/* A delta the spool cannot hold without dropping its base: send everything instead. */
	return rc == VG_ETOOBIG ? queue_full(a) : rc;
}

/* ---- Talking to the server ---- */

/* Outcome of one exchange, with retries. */
enum outcome { OUT_DONE, OUT_AUTH, OUT_FAIL, OUT_TEMPFAIL };

/*
 * The id the device enrolls under: its machine-id, or — for a root without
 * one (containers, images, fixtures) — a random id made once and kept in the
 * state directory, so that re-enrolling finds the same device.
 */
static int
machine_id(struct agent *a, const json_t *dev, char *out, size_t cap)
{
	const char *mid = json_string_value(json_object_get(dev, "machineId"));
	char path[PATH_MAX + 16];
	unsigned char raw[16];
	FILE *f;

	if (mid && mid[0] && strlen(mid) < cap) {
		snprintf(out, cap, "%s", mid);
		return 0;
	}
	if (snprintf(path, sizeof(path), "%s/agent-id", a->state) >= (int)sizeof(path) || cap < 33)
		return -1;
	f = fopen(path, "re");
	if (f) {
		bool ok = fgets(out, (int)cap, f) != NULL;

		fclose(f);
		out[strcspn(out, "\n")] = '\0';
		if (ok && strlen(out) == 32)
			return 0;
	}
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, cap, raw, sizeof(raw));
	return write_atomic(path, out, strlen(out));
}

static int
enroll(struct agent *a, const char *etok)
{
	json_t *dev = json_object_get(a->doc, "device");
	json_t *os = json_object_get(dev, "os");
	json_t *body = json_object(), *ans;
	struct vg_agent_req req = {.url = a->url_enroll, .token = etok, .cancel = &stop_requested};
	struct vg_agent_resp resp;
	struct vg_err err;
	char msg[512], mid[129];
	char *s;
	int rc = OUT_FAIL;

	if (machine_id(a, dev, mid, sizeof(mid)) != 0) {
		json_decref(body);
		say("enroll: cannot make an agent id in '%s'", a->state);
		return OUT_FAIL;
	}
	json_object_set_new(body, "machineId", json_string(mid));
	json_object_set(body, "hostname", json_object_get(dev, "hostname"));
	json_object_set_new(body, "os", os ? json_incref(os) : json_object());
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	req.body = s;
	req.len = strlen(s);
	for (unsigned attempt = 0;; attempt++) {
		req.timeout_s = request_timeout(a);
		vg_err_clear(&err);
		if (vg_agent_post(&req, &resp, &err) != VG_OK)
			say("enroll: %s", err.msg);
		if (resp.status == 201 || resp.status == 200) {
			ans = json_loadb(resp.body.p, resp.body.len, 0, NULL);
			const char *id = json_string_value(json_object_get(ans, "deviceId"));
			const char *tok = json_string_value(json_object_get(ans, "token"));

			if (id && tok && is_plain(id, 256) && is_plain(tok, 512))
				rc = save_identity(a, id, tok) == 0 ? OUT_DONE : OUT_FAIL;
			else
				say("enroll: the server's answer has no valid deviceId and token");
			json_decref(ans);
			if (rc == OUT_DONE)
				say("enrolled as device %s", a->device_id);
			break;
		}
		error_text(&resp, msg, sizeof(msg));
		if (resp.status)
			say("enroll: HTTP %ld %s", resp.status, msg);
		if (resp.status == 401 || resp.status == 403) {
			say("the enroll token was refused (expired, revoked or not role 'enroll')");
			rc = OUT_AUTH;
			break;
		}
		if (!is_transient(resp.status))
			break;
		if (!backoff(a, attempt, resp.retry_after)) {
			rc = OUT_TEMPFAIL;
			break;
		}
		vg_agent_resp_release(&resp);
	}
	vg_agent_resp_release(&resp);
	free(s);
	return rc;
}

/* After a 200: the report's sections map becomes what the server acknowledged. */
static void
acknowledged(struct agent *a, const void *gz, size_t len)
{
	struct vg_buf doc;
	struct vg_err err;
	json_t *j = NULL;

	vg_buf_init(&doc, MAX_DOCUMENT_BYTES);
	vg_err_clear(&err);
	if (vg_agent_gunzip(gz, len, &doc, &err) == VG_OK)
		j = json_loadb(doc.p, doc.len, 0, NULL);
	vg_buf_release(&doc);
	json_decref(a->last);
	a->last = json_incref(json_object_get(j, "sections"));
	json_decref(j);
	if (a->last)
		save_json(a, "last-sections", a->last);
	else {
		/* Cannot tell what the server has: the next run sends a full report. */
		remove_state(a, "last-sections");
		say("cannot read back the delivered report: %s", err.msg);
	}
}

/* 409 fullReportRequired: queue a FULL, then drop everything queued before it. */
static int
full_required(struct agent *a)
{
	struct vg_spool_entry e;
	int rc = queue_full(a);

	json_decref(a->last);
	a->last = NULL;
	remove_state(a, "last-sections");
	if (rc != VG_OK)
		return rc;
	/* queue() made the FULL the newest entry: drop the older ones, oldest first. */
	for (;;) {
		rc = vg_spool_peek(a->spool, &e, NULL, 0, NULL);
		if (rc != VG_OK && rc != VG_ETOOBIG)
			return rc;
		if (vg_spool_count(a->spool) == 1)
			break;
		if (vg_spool_ack(a->spool, e.id, NULL) != VG_OK)
			return VG_EIO;
		say("dropped report %s (superseded by a full report)", e.id);
	}
	return VG_OK;
}

/* A growable payload buffer for vg_spool_peek(). */
struct payload {
	unsigned char *p;
	size_t cap;
};

static int
peek(struct agent *a, struct vg_spool_entry *e, struct payload *buf)
{
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	rc = vg_spool_peek(a->spool, e, buf->p, buf->cap, &err);
	if (rc == VG_ETOOBIG) {
		free(buf->p);
		buf->cap = e->len;
		buf->p = vg_xmalloc(buf->cap);
		rc = vg_spool_peek(a->spool, e, buf->p, buf->cap, &err);
	}
	if (rc != VG_OK && rc != VG_ENOTFOUND)
		say("cannot read the spool: %s", err.msg);
	return rc;
}

/* Deliver one queued report; OUT_DONE when the server took it (200) or asked for a full (409). */
static int
deliver_one(struct agent *a, const struct vg_spool_entry *e, const void *gz)
{
	const char *kind = e->kind == VG_SPOOL_FULL ? "full" : "delta";
	struct vg_agent_req req = {.url = a->url_report,
				   .token = a->token,
				   .report_id = e->id,
				   .kind = kind,
				   .gzip = true,
				   .body = gz,
				   .len = e->len,
				   .cancel = &stop_requested};
	struct vg_agent_resp resp;
	struct vg_err err;
	char msg[512];
	int rc = OUT_FAIL;

	for (unsigned attempt = 0;; attempt++) {
		req.timeout_s = request_timeout(a);
		vg_err_clear(&err);
		if (vg_agent_post(&req, &resp, &err) != VG_OK)
			say("report %s: %s", e->id, err.msg);
		error_text(&resp, msg, sizeof(msg));
		if (resp.status == 200) {
			say("delivered %s report %s", kind, e->id);
			rc = vg_spool_ack(a->spool, e->id, NULL) == VG_OK ? OUT_DONE : OUT_FAIL;
			acknowledged(a, gz, e->len);
			break;
		}
		if (resp.status)
			say("report %s: HTTP %ld %s", e->id, resp.status, msg);
		if (resp.status == 409 && e->kind == VG_SPOOL_DELTA) {
			say("the server needs a full report");
			rc = full_required(a) == VG_OK ? OUT_DONE : OUT_FAIL;
			break;
		}
		if (resp.status == 401 || resp.status == 403) {
			say("the agent token was refused: re-enroll (remove '%s/identity' and run "
			    "with --enroll-token)",
			    a->state);
			rc = OUT_AUTH;
			break;
		}
		if (!is_transient(resp.status))
			break;
		if (!backoff(a, attempt, resp.retry_after)) {
			rc = OUT_TEMPFAIL;
			break;
		}
		vg_agent_resp_release(&resp);
	}
	vg_agent_resp_release(&resp);
	return rc;
}

/* Deliver the spool oldest-first until it is empty or something stops us. */
static int
deliver(struct agent *a)
{
	struct vg_spool_entry e;
	struct payload buf = {NULL, 0};
	int rc = OUT_DONE;

	while (rc == OUT_DONE) {
		int prc = peek(a, &e, &buf);

		if (prc == VG_ENOTFOUND)
			break;
		rc = prc == VG_OK ? deliver_one(a, &e, buf.p) : OUT_FAIL;
	}
	free(buf.p);
	if (rc == OUT_DONE && vg_spool_count(a->spool) == 0)
		remove_state(a, "pending-sections");
	return rc;
}

/* ---- Main ---- */

static int
exit_status(int outcome)
{
	return outcome == OUT_DONE ? EXIT_OK : outcome == OUT_TEMPFAIL ? EXIT_TEMPFAIL : EXIT_FAIL;
}

static int
setup(struct agent *a)
{
	char path[PATH_MAX];
	size_t n = strlen(a->o.server);
	struct vg_err err;

	while (n > 0 && a->o.server[n - 1] == '/')
		n--;
	snprintf(a->url_enroll, sizeof(a->url_enroll), "%.*s/agent/v1/enroll", (int)n, a->o.server);
	snprintf(a->url_report, sizeof(a->url_report), "%.*s/agent/v1/report", (int)n, a->o.server);
	if (setup_state_dir(a) < 0 || load_identity(a) < 0)
		return -1;
	if (state_path(a, "spool", path, sizeof(path)) < 0)
		return -1;
	vg_err_clear(&err);
	if (vg_spool_open(path, NULL, &a->spool, &err) != VG_OK) {
		say("cannot open the spool: %s", err.msg);
		return -1;
	}
	a->last = load_json(a, "last-sections");
	a->pending = load_json(a, "pending-sections");
	return 0;
}

/* One collection and delivery; @etok (borrowed, may be NULL) enrolls first.  An outcome. */
static int
cycle(struct agent *a, const char *etok, bool force_full)
{
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &a->deadline);
	a->deadline.tv_sec += a->o.timeout_s;
	json_decref(a->doc);
	a->doc = NULL;
	vg_buf_reset(&a->full_gz);
	if (collect(a) < 0)
		return OUT_FAIL;
	if (!a->device_id) {
		rc = enroll(a, etok);
		if (rc != OUT_DONE)
			return rc;
	}
	/* A queued report without its pending map cannot be diffed against: start over. */
	if (vg_spool_count(a->spool) && !a->pending) {
		json_decref(a->last);
		a->last = NULL;
	}
	if (queue_changes(a, force_full) != VG_OK)
		return OUT_FAIL;
	rc = deliver(a);
	if (rc == OUT_TEMPFAIL)
		say("server unreachable: %zu report(s) kept in the spool for the next run",
		    vg_spool_count(a->spool));
	return rc;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/*
 * inotify watches.  Package databases: their directories, as the tools
 * replace the files by rename; an event counts when it names a database
 * file.  Configuration: for each path a policy reads (vg_policy_watch_paths),
 * its parent directory, an event counting when it names that file (an editor
 * or sed -i replaces it by rename), and the path itself when it is a
 * directory (sshd_config.d, sysctl.d: any entry counts).
 */
enum watch_kind { WATCH_DB, WATCH_CONFIG };

struct watch {
	int wd;
	enum watch_kind kind;
	char *name; /* WATCH_CONFIG: the entry that counts, NULL for any (owned) */
};

struct watches {
	int fd;
	struct watch *w;
	size_t n, cap;
};

static void
watch_add(struct watches *ws, const char *dir, uint32_t mask, enum watch_kind kind,
	  const char *name)
{
	int wd;

	if (ws->n == MAX_CONFIG_WATCHES)
		return;
	wd = inotify_add_watch(ws->fd, dir, mask | IN_MASK_ADD);
	if (wd < 0) {
		say("cannot watch '%s': %s", dir, strerror(errno));
		return;
	}
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? ws->cap * 2 : 16;
		ws->w = vg_xreallocarray(ws->w, ws->cap, sizeof(*ws->w));
	}
	ws->w[ws->n++] = (struct watch){wd, kind, name ? vg_xstrdup(name) : NULL};
}

static void
watch_databases(const struct agent *a, struct watches *ws)
{
	static const char *const dirs[] = {"var/lib/dpkg", "lib/apk/db", "var/lib/rpm",
					   "usr/share/rpm"};
	char path[PATH_MAX];

	for (size_t i = 0; i < VG_ARRAY_LEN(dirs); i++) {
		int n = snprintf(path, sizeof(path), "%s/%s", a->o.root, dirs[i]);

		if (n > 0 && (size_t)n < sizeof(path) && access(path, X_OK) == 0)
			watch_add(ws, path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE, WATCH_DB,
				  NULL);
	}
}

#define CONFIG_EVENTS \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB)

/* Whether @q is directly inside the directory @p ("/etc" and "/etc/passwd"). */
static bool
is_child(const char *p, size_t plen, const char *q)
{
	while (plen > 0 && p[plen - 1] == '/')
		plen--;
	return strncmp(p, q, plen) == 0 && q[plen] == '/' && q[plen + 1] &&
	       !strchr(q + plen + 1, '/');
}

/*
 * Watch one policy path @rel ("/etc/ssh/sshd_config") under the root: its
 * parent for that entry; and, when it is a directory none of @all's other
 * paths is directly inside (one a rule reads every file of, like
 * sshd_config.d), the directory itself for any entry.  A directory that is
 * only listed as the parent of other paths (/etc for /etc/passwd) is not
 * watched as a whole: any file written in /etc would make a run.
 */
static void
watch_config_path(const struct agent *a, struct watches *ws, const char *rel,
		  const struct vg_buf *all)
{
	char path[PATH_MAX];
	bool parent_only = false;
	struct stat st;
	char *slash;
	int n;

	for (size_t off = 0; off < all->len && !parent_only; off += strlen(all->p + off) + 1)
		parent_only = is_child(rel, strlen(rel), all->p + off);
	while (*rel == '/')
		rel++;
	n = snprintf(path, sizeof(path), "%s/%s", a->o.root, rel);
	if (n <= 0 || (size_t)n >= sizeof(path) || !*rel)
		return;
	if (!parent_only && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		watch_add(ws, path, CONFIG_EVENTS, WATCH_CONFIG, NULL);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (access(path, X_OK) == 0)
		watch_add(ws, path, CONFIG_EVENTS, WATCH_CONFIG, slash + 1);
}

static void
watch_config(const struct agent *a, struct watches *ws)
{
	struct vg_buf paths;

	vg_buf_init(&paths, WATCH_PATHS_MAX);
	for (size_t p = 0; p < a->policies.n; p++)
		if (vg_policy_watch_paths(&a->policies.policies[p], &paths) != VG_OK)
			say("too many paths to watch in policy '%s'", a->policies.policies[p].id);
	for (size_t off = 0; off < paths.len; off += strlen(paths.p + off) + 1)
		watch_config_path(a, ws, paths.p + off, &paths);
	vg_buf_release(&paths);
	if (ws->n == MAX_CONFIG_WATCHES)
		say("at most %d watches: some configuration changes wait for the next run",
		    MAX_CONFIG_WATCHES);
}

static int
watch_setup(const struct agent *a, struct watches *ws)
{
	memset(ws, 0, sizeof(*ws));
	ws->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ws->fd < 0) {
		say("inotify unavailable (%s): only periodic reports", strerror(errno));
		return -1;
	}
	watch_databases(a, ws);
	if (a->assess)
		watch_config(a, ws);
	return ws->fd;
}

static void
watch_close(struct watches *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i].name);
	free(ws->w);
	if (ws->fd >= 0)
		close(ws->fd);
	memset(ws, 0, sizeof(*ws));
	ws->fd = -1;
}

/* Whether event @e is a database file change (not a lock or a temporary file). */
static bool
db_event(const struct inotify_event *e)
{
	static const char *const names[] = {"status", "installed", "rpmdb.sqlite", "Packages",
					    "Packages.db"};

	for (size_t i = 0; e->len && i < VG_ARRAY_LEN(names); i++)
		if (strcmp(e->name, names[i]) == 0)
			return true;
	return false;
}

enum { CHANGED_DB = 1, CHANGED_CONFIG = 2 };

/* Drain the inotify queue: CHANGED_DB and / or CHANGED_CONFIG. */
static int
watch_events(const struct watches *ws)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int changed = 0;
	ssize_t n;

	while ((n = read(ws->fd, ev, sizeof(ev))) > 0) {
		for (char *p = ev; p < ev + n;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)p;

			for (size_t i = 0; i < ws->n; i++) {
				const struct watch *w = &ws->w[i];

				if (w->wd != e->wd)
					continue;
				if (w->kind == WATCH_DB && db_event(e))
					changed |= CHANGED_DB;
				else if (w->kind == WATCH_CONFIG &&
					 (!w->name || (e->len && strcmp(e->name, w->name) == 0)))
					changed |= CHANGED_CONFIG;
			}
			p += sizeof(*e) + e->len;
		}
	}
	return changed;
}

static long
ms_until(const struct timespec *t)
{
	double s = secs_until(t);

	return s <= 0 ? 0 : s > 3600 ? 3600000L : (long)(s * 1000.0);
}

static void
set_after(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/*
 * The long-running mode: a run now, a full report every interval, a delta
 * DEBOUNCE_MS after the last database change, a retry RETRY_LATER_S after a
 * failed run.  Only a refused token or a signal ends it.
 */
static int
run_loop(struct agent *a, const char *etok)
{
	struct sigaction sa;
	struct timespec next_full, next_run;
	bool full = false, pending_run = true;
	struct watches ws;
	int ifd, rc, changed;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() and sleeps return on a signal */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	ifd = watch_setup(a, &ws);
	set_after(&next_full, a->o.interval_s * 1000L);
	set_after(&next_run, 0);
	while (!stop_requested) {
		struct pollfd pfd = {.fd = ifd, .events = POLLIN};
		long wait = ms_until(&next_full);

		if (pending_run && ms_until(&next_run) < wait)
			wait = ms_until(&next_run);
		changed = poll(&pfd, ifd >= 0 ? 1 : 0, (int)wait) > 0 ? watch_events(&ws) : 0;
		if (changed) {
			say("%s changed", changed == CHANGED_CONFIG ? "configuration"
					  : changed == CHANGED_DB
						  ? "package database"
						  : "package database and configuration");
			pending_run = true;
			set_after(&next_run, DEBOUNCE_MS);
		}
		if (stop_requested)
			break;
		if (ms_until(&next_full) == 0) {
			full = pending_run = true;
			set_after(&next_full, a->o.interval_s * 1000L);
		} else if (!pending_run || ms_until(&next_run) > 0)
			continue;
		rc = cycle(a, a->device_id ? NULL : etok, full);
		fflush(stdout);
		if (rc == OUT_AUTH) {
			watch_close(&ws);
			return EXIT_FAIL;
		}
		full = false;
		pending_run = rc != OUT_DONE && !stop_requested;
		if (pending_run)
			set_after(&next_run, RETRY_LATER_S * 1000L);
	}
	say("stopping");
	watch_close(&ws);
	return EXIT_OK;
}

static int
run(struct agent *a)
{
	char *etok = NULL;
	int rc;

	if (!a->device_id && !(etok = enroll_token(&a->o)))
		return EXIT_FAIL;
	rc = a->o.once ? exit_status(cycle(a, etok, false)) : run_loop(a, etok);
	free(etok);
	return rc;
}

static void
release(struct agent *a)
{
	vg_spool_close(a->spool);
	json_decref(a->doc);
	json_decref(a->last);
	json_decref(a->pending);
	vg_buf_release(&a->full_gz);
	vg_policy_set_release(&a->policies);
	free(a->device_id);
	free(a->token);
}

int
main(int argc, char **argv)
{
	struct agent a;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = parse_opts(argc, argv, &a.o);
	if (rc >= 0)
		return rc;
	umask(077);
	vg_buf_init(&a.full_gz, VG_BUF_NOLIMIT);
	a.rand_state = (unsigned)time(NULL) ^ (unsigned)getpid();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		say("cannot initialise libcurl");
		return EXIT_FAIL;
	}
	if (load_policies(&a) < 0)
		rc = EXIT_USAGE;
	else
		rc = setup(&a) < 0 ? EXIT_FAIL : run(&a);
	release(&a);
	curl_global_cleanup();
	return rc;
}
