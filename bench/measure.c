/*
 * measure.c - time a command as a whole process: wall time and peak RSS,
 * medians over N runs (stdout discarded, stderr kept).
 *
 * Usage: measure [--label NAME] N -- COMMAND [ARGS...]
 * Prints one line: "NAME  wall median X ms (min A, max B)  peak RSS median Y KiB (min, max)"
 * and, with --machine, "NAME WALL_MS RSS_KIB" for scripts.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 1000

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Run @argv once; wall time in ms and peak RSS in KiB.  False if it failed. */
static bool
run_once(char **argv, double *wall, double *rss)
{
	struct rusage ru;
	double start = now_ms();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return false;
	*wall = now_ms() - start;
	*rss = (double)ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int
main(int argc, char **argv)
{
	static double walls[MAX_RUNS], rsss[MAX_RUNS];
	const char *label = NULL;
	bool machine = false;
	int i = 1, runs;

	while (i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2]) {
		if (strcmp(argv[i], "--label") == 0 && i + 1 < argc) {
			label = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "--machine") == 0) {
			machine = true;
			i++;
		} else {
			break;
		}
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
		fprintf(stderr,
			"usage: measure [--label NAME] [--machine] N -- COMMAND [ARGS...]\n");
		return 2;
	}
	runs = (int)strtol(argv[i], NULL, 10);
	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "measure: N must be 1..%d\n", MAX_RUNS);
		return 2;
	}
	argv += i + 2;
	if (!label)
		label = argv[0];
	for (int r = 0; r < runs; r++) {
		if (!run_once(argv, &walls[r], &rsss[r])) {
			fprintf(stderr, "measure: '%s' failed on run %d\n", argv[0], r + 1);
			return 1;
		}
	}
	qsort(walls, (size_t)runs, sizeof(double), cmp_double);
	qsort(rsss, (size_t)runs, sizeof(double), cmp_double);
	if (machine)
		printf("%s %.2f %.0f\n", label, walls[runs / 2], rsss[runs / 2]);
	else
		printf("%-28s wall median %8.2f ms (min %.2f, max %.2f)   peak RSS median %6.0f KiB "
		       "(min %.0f, max %.0f)   %d runs\n",
		       label, walls[runs / 2], walls[0], walls[runs - 1], rsss[runs / 2], rsss[0],
		       rsss[runs - 1], runs);
	return 0;
}
