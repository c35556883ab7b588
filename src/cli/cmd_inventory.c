/*
 * cmd_inventory.c - `vigil inventory`: what a device is and runs.
 *
 *   vigil inventory [--root DIR] [--format json|table|cyclonedx|spdx] [--compact]
 *
 * Runs every collector of src/agent over DIR (default /) and prints the
 * inventory document (docs/inventory.md), a summary for people, or a
 * software bill of materials.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "agent/sbom.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "core/err.h"

static const char usage_text[] =
	"usage: vigil inventory [--root DIR] [--app-dir DIR]... [--format FMT] [--compact]\n"
	"\n"
	"Collect this device's inventory (or that of the file system under DIR: a\n"
	"mounted image, a chroot) and print it: operating system and kernels,\n"
	"packages (deb, rpm, apk, Python, npm), running processes and the packages\n"
	"they come from, listening sockets, and local accounts.  Only reads.\n"
	"\n"
	"  --root DIR      scan the tree under DIR instead of / (processes and sockets\n"
	"                  come from DIR/proc, the running kernel only from /)\n"
	"  --app-dir DIR   also look for npm node_modules and Python site-packages in the\n"
	"                  application directory DIR (under the root; repeatable)\n"
	"  --format FMT    json (default): the inventory document, docs/inventory.md\n"
	"                  table: a summary for people\n"
	"                  cyclonedx: CycloneDX 1.5 JSON SBOM;  spdx: SPDX 2.3 JSON SBOM\n"
	"  --compact       JSON on one line instead of indented\n"
	"\n"
	"Malformed records are skipped and listed as warnings in the output; the\n"
	"exit status is 0 even then, 1 if the inventory could not be produced.\n";

enum format { FMT_JSON, FMT_TABLE, FMT_CYCLONEDX, FMT_SPDX };

static int
parse_format(const char *s, enum format *f)
{
	static const char *const names[] = {"json", "table", "cyclonedx", "spdx"};

	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	}
	return -1;
}

/* ---- Table ---- */

static void
count_by_type(const struct vg_inventory *inv, char *out, size_t cap)
{
	size_t counts[VG_PKG_NPM + 1] = {0};
	size_t used = 0;

	for (size_t i = 0; i < inv->npackages; i++)
		counts[inv->packages[i].type]++;
	out[0] = '\0';
	for (int t = 0; t <= VG_PKG_NPM && used < cap; t++) {
		int n;

		if (!counts[t])
			continue;
		n = snprintf(out + used, cap - used, "%s%s %zu", used ? ", " : "",
			     vg_pkg_type_name((enum vg_pkg_type)t), counts[t]);
		if (n > 0)
			used += (size_t)n;
	}
}

void
vg_cli_print_inventory_summary(const struct vg_inventory *inv, FILE *out)
{
	const struct vg_os *os = &inv->os;
	const struct vg_kernel *k = &inv->kernel;
	size_t exposed = 0, admins = 0, logins = 0;
	char types[256];

	for (size_t i = 0; i < inv->nlisteners; i++)
		exposed += !inv->listeners[i].loopback;
	for (size_t i = 0; i < inv->naccounts; i++) {
		admins += inv->accounts[i].admin_groups != NULL || inv->accounts[i].uid == 0;
		logins += inv->accounts[i].login_shell;
	}
	count_by_type(inv, types, sizeof(types));
	fprintf(out, "Device     %s", os->hostname ? os->hostname : "(unknown host)");
	if (os->machine_id)
		fprintf(out, "  machine-id %.12s", os->machine_id);
	fprintf(out, "  root %s\n", inv->root);
	fprintf(out, "OS         %s",
		os->pretty_name ? os->pretty_name
		: os->id        ? os->id
				: "unknown");
	if (os->namespace_)
		fprintf(out, "  [%s]", os->namespace_);
	if (os->architecture)
		fprintf(out, "  %s", os->architecture);
	fputc('\n', out);
	fprintf(out, "Kernel     running %s, newest installed %s%s\n",
		k->running ? k->running : "n/a", k->newest ? k->newest : "n/a",
		k->reboot_required ? "  REBOOT REQUIRED" : "");
	fprintf(out, "Network    %s: %zu of %zu listening sockets on non-loopback addresses\n",
		inv->network_exposed ? "EXPOSED" : "not exposed", exposed, inv->nlisteners);
	fprintf(out, "Packages   %zu%s%s%s\n", inv->npackages, types[0] ? " (" : "", types,
		types[0] ? ")" : "");
	fprintf(out, "Accounts   %zu (%zu with a login shell, %zu administrators)\n",
		inv->naccounts, logins, admins);
	fprintf(out, "Warnings   %zu\n", inv->nwarnings);
}

static void
print_packages(const struct vg_inventory *inv, FILE *out)
{
	static const char *const head[] = {"TYPE", "NAME", "VERSION", "ARCH", "SOURCE"};
	struct vg_table t;

	vg_table_init(&t, 5, head);
	vg_table_set_max(&t, 1, 40);
	vg_table_set_max(&t, 2, 32);
	vg_table_set_max(&t, 4, 48);
	for (size_t i = 0; i < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i];
		bool same_name = !p->source_name || strcmp(p->source_name, p->name) == 0;
		bool same_ver = !p->source_version || strcmp(p->source_version, p->version) == 0;
		char source[512] = "";
		const char *row[5];

		if (!same_name || !same_ver)
			snprintf(source, sizeof(source), "%s %s",
				 p->source_name ? p->source_name : p->name,
				 p->source_version ? p->source_version : p->version);
		row[0] = vg_pkg_type_name(p->type);
		row[1] = p->name;
		row[2] = p->version;
		row[3] = p->architecture;
		row[4] = source;
		vg_table_add(&t, row);
	}
	fprintf(out, "\nPACKAGES (%zu)\n", inv->npackages);
	vg_table_print(&t, out, 2);
	vg_table_release(&t);
}

static void
print_listeners(const struct vg_inventory *inv, FILE *out)
{
	static const char *const head[] = {"PROTO", "ADDRESS", "PORT",   "EXPOSED",
					   "PID",   "PROCESS", "PACKAGE"};
	struct vg_table t;

	vg_table_init(&t, 7, head);
	vg_table_set_max(&t, 5, 40);
	for (size_t i = 0; i < inv->nlisteners; i++) {
		const struct vg_listener *l = &inv->listeners[i];
		char port[16], pid[16];
		const char *row[7];

		snprintf(port, sizeof(port), "%d", l->port);
		snprintf(pid, sizeof(pid), "%d", l->pid);
		row[0] = l->proto;
		row[1] = l->address;
		row[2] = port;
		row[3] = l->loopback ? "no" : "yes";
		row[4] = l->pid > 0 ? pid : NULL;
		row[5] = l->process;
		row[6] = l->package;
		vg_table_add(&t, row);
	}
	fprintf(out, "\nLISTENING SOCKETS (%zu)\n", inv->nlisteners);
	vg_table_print(&t, out, 2);
	vg_table_release(&t);
}

static void
print_processes(const struct vg_inventory *inv, FILE *out)
{
	static const char *const head[] = {"PID", "USER", "PACKAGE", "EXECUTABLE"};
	size_t shown = 0;
	struct vg_table t;

	vg_table_init(&t, 4, head);
	vg_table_set_max(&t, 3, 60);
	for (size_t i = 0; i < inv->nprocesses; i++) {
		const struct vg_process *p = &inv->processes[i];
		char pid[16];
		const char *row[4];

		if (!p->exe)
			continue;
		snprintf(pid, sizeof(pid), "%d", p->pid);
		row[0] = pid;
		row[1] = p->user;
		row[2] = p->package;
		row[3] = p->exe;
		vg_table_add(&t, row);
		shown++;
	}
	fprintf(out, "\nPROCESSES (%zu, %zu with a known executable)\n", inv->nprocesses, shown);
	vg_table_print(&t, out, 2);
	vg_table_release(&t);
}

static const char *
pw_state(enum vg_pw_state s)
{
	return s == VG_PW_SET      ? "set"
	       : s == VG_PW_LOCKED ? "locked"
	       : s == VG_PW_EMPTY  ? "EMPTY"
				   : "?";
}

static void
print_accounts(const struct vg_inventory *inv, FILE *out)
{
	static const char *const head[] = {"NAME", "UID", "SHELL", "PASSWORD", "MAX AGE", "ADMIN"};
	size_t shown = 0;
	struct vg_table t;

	vg_table_init(&t, 6, head);
	for (size_t i = 0; i < inv->naccounts; i++) {
		const struct vg_account *a = &inv->accounts[i];
		char uid[16], age[16];
		const char *row[6];

		/* System accounts without a shell or password are noise here; the JSON has them. */
		if (!a->login_shell && a->password != VG_PW_SET && a->password != VG_PW_EMPTY &&
		    a->uid != 0)
			continue;
		snprintf(uid, sizeof(uid), "%d", a->uid);
		snprintf(age, sizeof(age), "%ld", a->max_days);
		row[0] = a->name;
		row[1] = uid;
		row[2] = a->shell;
		row[3] = pw_state(a->password);
		row[4] = a->max_days >= 0 ? age : NULL;
		row[5] = a->admin_groups;
		vg_table_add(&t, row);
		shown++;
	}
	fprintf(out, "\nACCOUNTS (%zu, %zu able to log in or privileged)\n", inv->naccounts, shown);
	vg_table_print(&t, out, 2);
	vg_table_release(&t);
}

static void
print_warnings(const struct vg_inventory *inv, FILE *out)
{
	if (!inv->nwarnings)
		return;
	fprintf(out, "\nWARNINGS (%zu)\n", inv->nwarnings);
	for (size_t i = 0; i < inv->nwarnings; i++) {
		const struct vg_inv_warning *w = &inv->warnings[i];

		fprintf(out, "  %s: %s", w->collector, w->path ? w->path : "");
		if (w->line > 0)
			fprintf(out, ":%d", w->line);
		fprintf(out, ": %s\n", w->message);
	}
}

static void
print_table(const struct vg_inventory *inv, FILE *out)
{
	vg_cli_print_inventory_summary(inv, out);
	print_listeners(inv, out);
	print_processes(inv, out);
	print_accounts(inv, out);
	print_packages(inv, out);
	print_warnings(inv, out);
}

/* ---- Command ---- */

int
vg_cli_collect(const char *cmd, const char *root, const char *const *app_dirs,
	       struct vg_inventory *inv)
{
	int rc;

	if (access(root, R_OK | X_OK) != 0)
		return vg_cli_usage_error(cmd, "cannot read root directory '%s'", root);
	vg_inventory_init(inv, root);
	inv->app_dirs = app_dirs;
	rc = vg_inventory_collect(inv);
	if (rc < 0) {
		fprintf(stderr, "vigil %s: error: collection failed: %s\n", cmd, vg_strerror(rc));
		vg_inventory_release(inv);
		return VG_EXIT_FAIL;
	}
	return VG_EXIT_OK;
}

static int
emit(const struct vg_inventory *inv, enum format fmt, unsigned flags)
{
	struct vg_buf out;
	int rc = 0;

	if (fmt == FMT_TABLE) {
		print_table(inv, stdout);
		return fflush(stdout) == 0 ? VG_EXIT_OK : VG_EXIT_FAIL;
	}
	vg_buf_init(&out, VG_BUF_NOLIMIT);
	if (fmt == FMT_JSON)
		rc = vg_inventory_write_json(inv, &out, flags, NULL);
	else if (fmt == FMT_CYCLONEDX)
		rc = vg_sbom_write_cyclonedx(inv, &out, flags);
	else
		rc = vg_sbom_write_spdx(inv, &out, flags);
	if (rc == 0 && (fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0))
		rc = VG_EIO;
	vg_buf_release(&out);
	if (rc < 0) {
		fprintf(stderr, "vigil inventory: error: cannot write the document: %s\n",
			vg_strerror(rc));
		return VG_EXIT_FAIL;
	}
	return VG_EXIT_OK;
}

int
vg_cmd_inventory(int argc, char **argv)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'},
		{"compact", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	/* At most this many --app-dir options; each is a directory to walk. */
	enum { MAX_APP_DIRS = 64 };
	const char *app_dirs[MAX_APP_DIRS + 1] = {NULL};
	size_t napp = 0;
	enum format fmt = FMT_JSON;
	unsigned flags = VG_DOC_PRETTY;
	const char *root = "/";
	struct vg_inventory inv;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:f:ca:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (napp == MAX_APP_DIRS)
				return vg_cli_usage_error(
					"inventory", "at most %d --app-dir options", MAX_APP_DIRS);
			app_dirs[napp++] = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'f':
			if (parse_format(optarg, &fmt) < 0)
				return vg_cli_usage_error(
					"inventory",
					"unknown format '%s' (json, table, cyclonedx, spdx)",
					optarg);
			break;
		case 'c':
			flags &= ~(unsigned)VG_DOC_PRETTY;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return VG_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return vg_cli_usage_error("inventory", "unexpected argument '%s'", argv[optind]);
	rc = vg_cli_collect("inventory", root, napp ? app_dirs : NULL, &inv);
	if (rc != VG_EXIT_OK)
		return rc;
	rc = emit(&inv, fmt, flags);
	vg_inventory_release(&inv);
	return rc;
}
