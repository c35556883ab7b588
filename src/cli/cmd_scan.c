/*
 * cmd_scan.c - `vigil scan`: what this host (or a root directory) runs.
 *
 * This first version reads the operating system identity and counts the
 * installed packages of the dpkg and apk databases under the root.  The
 * full collectors (src/agent) and vulnerability matching (src/engine) take
 * over this command as they land; the options and the root-directory model
 * stay the same.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli/cli.h"
#include "core/buf.h"

static const char usage_text[] =
	"usage: vigil scan [--root DIR]\n"
	"\n"
	"Scan this host, or the file system under DIR (a mounted image, a chroot),\n"
	"and print what it runs: operating system, running kernel and installed\n"
	"packages.  Vulnerability findings join as the knowledge base lands.\n"
	"\n"
	"  --root DIR   read DIR/etc/os-release, DIR/var/lib/dpkg/status, ... (default /)\n";

/* Longest line considered; longer lines are read in pieces and cannot match a key. */
#define LINE_MAX_LEN 4096

struct os_identity {
	char pretty[256];
	char id[64];
	char version_id[64];
};

/* Copy the value of a KEY=value os-release line into @dst, without quotes. */
static void
copy_value(char *dst, size_t cap, const char *value)
{
	size_t n = strcspn(value, "\r\n");

	if (n >= 2 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0]) {
		value++;
		n -= 2;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, value, n);
	dst[n] = '\0';
}

static bool
read_os_release(const char *root, struct os_identity *os)
{
	char path[4096], line[LINE_MAX_LEN];
	FILE *f;

	memset(os, 0, sizeof(*os));
	snprintf(path, sizeof(path), "%s/etc/os-release", root);
	f = fopen(path, "r");
	if (!f) {
		snprintf(path, sizeof(path), "%s/usr/lib/os-release", root);
		f = fopen(path, "r");
	}
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "PRETTY_NAME=", 12) == 0)
			copy_value(os->pretty, sizeof(os->pretty), line + 12);
		else if (strncmp(line, "ID=", 3) == 0)
			copy_value(os->id, sizeof(os->id), line + 3);
		else if (strncmp(line, "VERSION_ID=", 11) == 0)
			copy_value(os->version_id, sizeof(os->version_id), line + 11);
	}
	fclose(f);
	return true;
}

/* Count lines of @rel (under @root) that start with @prefix; -1 if the file is absent. */
static long
count_lines(const char *root, const char *rel, const char *prefix)
{
	char path[4096], line[LINE_MAX_LEN];
	bool at_line_start = true;
	long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (at_line_start && strncmp(line, prefix, strlen(prefix)) == 0)
			n++;
		at_line_start = strchr(line, '\n') != NULL;
	}
	fclose(f);
	return n;
}

static void
print_summary(const char *root)
{
	struct os_identity os;
	struct utsname uts;
	long dpkg, apk;

	printf("Vigil scan of %s\n", root);
	if (read_os_release(root, &os))
		printf("  Operating system  %s  [%s:%s]\n", os.pretty[0] ? os.pretty : os.id, os.id,
		       os.version_id);
	else
		printf("  Operating system  unknown (no etc/os-release under the root)\n");
	if (strcmp(root, "/") == 0 && uname(&uts) == 0)
		printf("  Running kernel    %s %s (%s)\n", uts.sysname, uts.release, uts.machine);
	dpkg = count_lines(root, "var/lib/dpkg/status", "Status: install ok installed");
	apk = count_lines(root, "lib/apk/db/installed", "P:");
	if (dpkg >= 0)
		printf("  Packages (dpkg)   %ld installed\n", dpkg);
	if (apk >= 0)
		printf("  Packages (apk)    %ld installed\n", apk);
	if (dpkg < 0 && apk < 0)
		printf("  Packages          no dpkg or apk database found\n");
	printf("  Vulnerabilities   not assessed yet: this build has no vulnerability knowledge base\n");
}

int
vg_cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *root = "/";
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		case 'r':
			root = optarg;
			break;
		default:
			fputs(usage_text, stderr);
			return VG_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return vg_cli_usage_error("scan", "unexpected argument '%s'", argv[optind]);
	print_summary(root);
	return VG_EXIT_OK;
}
