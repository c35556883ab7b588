/*
 * main.c - vigil-agent, the Vigil device agent.
 *
 * The collectors and uploader are built on the core library
 * as it lands; this entry point already answers --help and --version so
 * that packaging, systemd units and `make` can rely on the binary.
 */
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: vigil-agent [--help] [--version]\n"
	"\n"
	"The Vigil agent: read-only collectors that report to vigild.\n"
	"This build does not serve requests yet; see README.md for what works today.\n";

int
main(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("vigil-agent %s\n", VG_VERSION);
		return 0;
	}
	fputs("vigil-agent: the agent is not available in this build yet (see README.md)\n",
	      stderr);
	return 2;
}
