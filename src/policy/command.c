/*
 * command.c - running the commands of Wazuh c: rules without a shell.
 *
 * A policy's command line is split into words here (never handed to
 * /bin/sh) and refused when it relies on shell syntax; the program runs
 * with a fixed minimal environment, stdin on /dev/null, its output captured
 * up to a cap and a hard timeout.  See docs/internals/sca-eval.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "policy/command.h"

static const char *const shells[] = {"sh",  "bash", "dash", "zsh",  "ksh",
				     "ash", "csh",  "tcsh", "fish", "busybox"};

struct splitter {
	struct vg_arena *arena;
	struct vg_buf word;
	char *words[VG_CMD_MAX_ARGS + 1];
	size_t n;
	bool in_word;
};

static int
end_word(struct splitter *s, struct vg_err *err)
{
	if (!s->in_word)
		return VG_OK;
	if (s->n >= VG_CMD_MAX_ARGS)
		return vg_error(err, VG_EINVAL, "command has more than %d words", VG_CMD_MAX_ARGS);
	s->words[s->n++] = vg_arena_strndup(s->arena, vg_buf_str(&s->word));
	vg_buf_reset(&s->word);
	s->in_word = false;
	return VG_OK;
}

static int
add(struct splitter *s, char c)
{
	s->in_word = true;
	return vg_buf_addch(&s->word, c);
}

/* Inside "...": returns the index of the closing quote, or -1. */
static long
double_quoted(struct splitter *s, const char *cmd, size_t i, struct vg_err *err, int *rc)
{
	for (i++; cmd[i]; i++) {
		if (cmd[i] == '"')
			return (long)i;
		if (cmd[i] == '`' || (cmd[i] == '$' && cmd[i + 1] == '(')) {
			*rc = vg_error(err, VG_EUNSUPPORTED,
				       "command needs a shell (command substitution)");
			return -1;
		}
		if (cmd[i] == '\\' && cmd[i + 1] && strchr("\"\\$`", cmd[i + 1]))
			i++;
		*rc = add(s, cmd[i]);
		if (*rc)
			return -1;
	}
	*rc = vg_error(err, VG_EINVAL, "unterminated double quote in command");
	return -1;
}

static int
split_loop(struct splitter *s, const char *cmd, struct vg_err *err)
{
	int rc = VG_OK;

	for (size_t i = 0; cmd[i] && !rc; i++) {
		char c = cmd[i];
		if (c == ' ' || c == '\t') {
			rc = end_word(s, err);
		} else if (c == '\'') {
			const char *q = strchr(cmd + i + 1, '\'');
			if (!q)
				return vg_error(err, VG_EINVAL,
						"unterminated single quote in command");
			s->in_word = true;
			rc = vg_buf_add(&s->word, cmd + i + 1, (size_t)(q - cmd - (long)i - 1));
			i = (size_t)(q - cmd);
		} else if (c == '"') {
			long j = double_quoted(s, cmd, i, err, &rc);
			if (j < 0)
				return rc;
			s->in_word = true;
			i = (size_t)j;
		} else if (c == '\\') {
			if (!cmd[i + 1])
				return vg_error(err, VG_EINVAL, "command ends with a backslash");
			rc = add(s, cmd[++i]);
		} else if (strchr("|;&<>`\n", c) || (c == '$' && cmd[i + 1] == '(')) {
			return vg_error(err, VG_EUNSUPPORTED, "command needs a shell ('%c')", c);
		} else {
			rc = add(s, c);
		}
	}
	return rc ? rc : end_word(s, err);
}

int
vg_cmd_split(struct vg_arena *arena, const char *cmd, char ***argv, size_t *argc,
	     struct vg_err *err)
{
	struct splitter s = {.arena = arena};
	const char *base;
	int rc;

	*argv = NULL;
	*argc = 0;
	vg_buf_init(&s.word, 64 * 1024);
	rc = split_loop(&s, cmd, err);
	vg_buf_release(&s.word);
	if (rc)
		return rc;
	if (s.n == 0)
		return vg_error(err, VG_EINVAL, "empty command");
	base = strrchr(s.words[0], '/');
	base = base ? base + 1 : s.words[0];
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (strcmp(base, shells[i]) == 0)
			return vg_error(err, VG_EUNSUPPORTED, "command needs a shell ('%s')", base);
	*argv = vg_arena_alloc(arena, (s.n + 1) * sizeof(char *));
	memcpy(*argv, s.words, s.n * sizeof(char *));
	(*argv)[s.n] = NULL;
	*argc = s.n;
	return VG_OK;
}

/* argv[0] looked up in VG_CMD_PATH (not the agent's own PATH). */
static int
find_program(const char *name, char *out, size_t cap)
{
	const char *dirs = VG_CMD_PATH;
	int rc = VG_ENOTFOUND;

	if (strchr(name, '/')) {
		if ((size_t)snprintf(out, cap, "%s", name) >= cap)
			return VG_ETOOBIG;
		return access(out, X_OK) == 0 ? VG_OK : (errno == EACCES ? VG_EPERM : VG_ENOTFOUND);
	}
	while (*dirs) {
		size_t len = strcspn(dirs, ":");
		if ((size_t)snprintf(out, cap, "%.*s/%s", (int)len, dirs, name) < cap) {
			if (access(out, X_OK) == 0)
				return VG_OK;
			if (errno == EACCES)
				rc = VG_EPERM;
		}
		dirs += len;
		if (*dirs == ':')
			dirs++;
	}
	return rc;
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
spawn(const char *path, char *const argv[], int *fd, pid_t *pid, struct vg_err *err)
{
	static char *const envp[] = {"PATH=" VG_CMD_PATH, "LC_ALL=C", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	int p[2], rc;

	if (pipe2(p, O_CLOEXEC) != 0)
		return vg_error(err, VG_EIO, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	/* No descriptor of the agent (store, sockets) leaks into the command. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		return vg_error(err, rc == ENOENT ? VG_ENOTFOUND : VG_EIO, "cannot run '%s': %s",
				path, strerror(rc));
	}
	*fd = p[0];
	return VG_OK;
}

/* Read the child's output until EOF or the deadline; false on timeout. */
static bool
drain(int fd, long long deadline, size_t max, struct vg_buf *out, struct vg_cmd_result *res)
{
	char chunk[4096];

	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
		ssize_t n;
		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)left) <= 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return true;
		size_t room = max > out->len ? max - out->len : 0;
		size_t keep = (size_t)n < room ? (size_t)n : room;
		if (keep < (size_t)n)
			res->truncated = true;
		if (keep && vg_buf_add(out, chunk, keep) != VG_OK)
			res->truncated = true;
	}
}

/* Wait for the child until the deadline; false on timeout. */
static bool
reap(pid_t pid, long long deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR)
			return true;
		if (now_ms() >= deadline)
			return false;
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

int
vg_cmd_run(char *const argv[], int timeout_ms, size_t max_output, struct vg_buf *out,
	   struct vg_cmd_result *res, struct vg_err *err)
{
	char path[4096];
	long long deadline = now_ms() + timeout_ms;
	int fd = -1, status = 0, rc;
	pid_t pid = 0;

	memset(res, 0, sizeof(*res));
	rc = find_program(argv[0], path, sizeof(path));
	if (rc == VG_ENOTFOUND)
		return vg_error(err, rc, "program '%s' not found", argv[0]);
	if (rc)
		return vg_error(err, rc, "program '%s' is not executable", argv[0]);
	rc = spawn(path, argv, &fd, &pid, err);
	if (rc)
		return rc;
	bool done = drain(fd, deadline, max_output, out, res);
	close(fd);
	if (done)
		done = reap(pid, deadline, &status);
	if (!done) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		res->timed_out = true;
		return VG_OK;
	}
	if (WIFEXITED(status))
		res->exit_status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->exit_status = 128 + WTERMSIG(status);
	return VG_OK;
}
