/*
 * main.c - `vigil`: dispatch to subcommands, global --help and --version.
 *
 * The command table below is the single list of what `vigil` can do; the
 * top-level help and the "did you mean" suggestion for a mistyped command
 * are both generated from it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/log.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"scan", vg_cmd_scan,
	 "find the known vulnerabilities of this host (or a root directory), by priority"},
	{"inventory", vg_cmd_inventory,
	 "print the device inventory (JSON, table, CycloneDX, SPDX)"},
	{"vercmp", vg_cmd_vercmp,
	 "compare versions (dpkg, rpm, apk, semver, pep440, generic) or test npm ranges"},
	{"cvss", vg_cmd_cvss, "score a CVSS v2, v3.0, v3.1 or v4.0 vector"},
	{"cpe", vg_cmd_cpe, "match and convert CPE 2.3 names"},
	{"feeds", vg_cmd_feeds, "import and sync the vulnerability feeds; show their state"},
	{"token", vg_cmd_token, "create, list and revoke the API tokens of vigild and the agents"},
	{"policy", vg_cmd_policy, "check and show configuration policies (Vigil and Wazuh SCA)"},
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: vigil [--version] [--help] COMMAND [ARGS...]\n\n"
		     "Vigil: threat and vulnerability management for Linux fleets.\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'vigil COMMAND --help' for a command's options.\n"
		     "Documentation: docs/ in the source tree, starting with README.md.\n");
}

int
vg_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vigil %s: error: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return VG_EXIT_USAGE;
}

size_t
vg_cli_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];

	if (la >= VG_ARRAY_LEN(row) || lb >= VG_ARRAY_LEN(row))
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static int
unknown_command(const char *name)
{
	const char *best = NULL;
	size_t best_d = 3; /* suggest only close misspellings */

	for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++) {
		size_t d = vg_cli_edit_distance(name, commands[i].name);

		if (d < best_d) {
			best_d = d;
			best = commands[i].name;
		}
	}
	fprintf(stderr, "vigil: '%s' is not a vigil command. See 'vigil --help'.\n", name);
	if (best)
		fprintf(stderr, "\nThe most similar command is\n\t%s\n", best);
	return VG_EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	const char *name;

	vg_log_set_progname("vigil");
	if (argc < 2) {
		usage(stderr);
		return VG_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			char *sub[] = {argv[2], "--help", NULL};

			for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++)
				if (strcmp(argv[2], commands[i].name) == 0)
					return commands[i].run(2, sub);
			return unknown_command(argv[2]);
		}
		usage(stdout);
		return VG_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0 ||
	    strcmp(name, "version") == 0) {
		printf("vigil %s\n", VG_VERSION);
		return VG_EXIT_OK;
	}
	if (name[0] == '-') {
		fprintf(stderr, "vigil: unknown option '%s'\n", name);
		usage(stderr);
		return VG_EXIT_USAGE;
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return unknown_command(name);
}
