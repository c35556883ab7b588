/*
 * test_spool.c - the agent's report spool: order and durability across
 * reopen, idempotent puts, the FULL/DELTA limit rule, quarantine of corrupt
 * entries, crash leftovers, directory permissions and a crash mid-put.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/spool.h"
#include "core/alloc.h"
#include "vgtest.h"

#define BUF_CAP (1024 * 1024)

static char *
make_root(void)
{
	const char *t = getenv("TMPDIR");
	char tmpl[512];

	snprintf(tmpl, sizeof(tmpl), "%s/vg-spool-XXXXXX", t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(tmpl));
	return vg_xstrdup(tmpl);
}

static void
rm_flat(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[1024];

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* A spool directory "q" under a fresh temporary root. */
struct fx {
	char *root;
	char dir[600];
	char *buf;
};

static int
setup(void **state)
{
	struct fx *f = vg_xcalloc(1, sizeof(*f));
	f->root = make_root();
	snprintf(f->dir, sizeof(f->dir), "%s/q", f->root);
	f->buf = vg_xmalloc(BUF_CAP);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	rm_flat(f->dir);
	rm_flat(f->root);
	free(f->root);
	free(f->buf);
	free(f);
	return 0;
}

static struct vg_spool *
open_ok(const struct fx *f, size_t max_files, uint64_t max_bytes)
{
	struct vg_spool_limits lim = {.max_bytes = max_bytes, .max_files = max_files};
	struct vg_spool *s = NULL;
	struct vg_err err;
	int r = vg_spool_open(f->dir, &lim, &s, &err);
	if (r != VG_OK)
		fail_msg("open: %s", err.msg);
	return s;
}

static void
put_ok(struct vg_spool *s, const char *id, enum vg_spool_kind kind, const char *text)
{
	struct vg_err err;
	int r = vg_spool_put(s, id, kind, text, strlen(text), &err);
	if (r != VG_OK)
		fail_msg("put '%s': %s", id, err.msg);
}

/* Peek, check id and payload, ack. */
static void
take(struct vg_spool *s, struct fx *f, const char *id, const char *text)
{
	struct vg_spool_entry e;
	struct vg_err err;
	int r = vg_spool_peek(s, &e, f->buf, BUF_CAP, &err);
	if (r != VG_OK)
		fail_msg("peek (want '%s'): %s", id, err.msg);
	assert_string_equal(e.id, id);
	if (text) {
		assert_int_equal(e.len, strlen(text));
		assert_memory_equal(f->buf, text, e.len);
	}
	assert_int_equal(vg_spool_ack(s, id, NULL), VG_OK);
}

static void
assert_empty(struct vg_spool *s, struct fx *f)
{
	struct vg_spool_entry e;
	assert_int_equal(vg_spool_peek(s, &e, f->buf, BUF_CAP, NULL), VG_ENOTFOUND);
	assert_int_equal(vg_spool_count(s), 0);
	assert_int_equal(vg_spool_bytes(s), 0);
}

/* Number of files in the spool directory whose name contains @part ("" for all). */
static int
count_files(const struct fx *f, const char *part)
{
	DIR *d = opendir(f->dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strstr(de->d_name, part))
			n++;
	closedir(d);
	return n;
}

/* Path of the one spool file whose name contains @part (caller frees). */
static char *
file_with(const struct fx *f, const char *part)
{
	DIR *d = opendir(f->dir);
	struct dirent *de;
	char *found = NULL;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, part)) {
			char p[1024];
			assert_null(found);
			snprintf(p, sizeof(p), "%s/%s", f->dir, de->d_name);
			found = vg_xstrdup(p);
		}
	}
	closedir(d);
	assert_non_null(found);
	return found;
}

static void
order_across_reopen(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = open_ok(f, 0, 0);
	struct stat st;

	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	put_ok(s, "r1", VG_SPOOL_FULL, "first");
	put_ok(s, "r2", VG_SPOOL_DELTA, "second");
	put_ok(s, "r3", VG_SPOOL_DELTA, "third");
	assert_int_equal(vg_spool_count(s), 3);
	assert_int_equal(vg_spool_bytes(s), 3 * 48 + 3 * 2 + 5 + 6 + 5);
	vg_spool_close(s);

	s = open_ok(f, 0, 0);
	assert_int_equal(vg_spool_count(s), 3);
	take(s, f, "r1", "first");
	vg_spool_close(s);

	s = open_ok(f, 0, 0);
	put_ok(s, "r4", VG_SPOOL_DELTA, "fourth");
	take(s, f, "r2", "second");
	take(s, f, "r3", "third");
	take(s, f, "r4", "fourth");
	assert_empty(s, f);
	assert_int_equal(count_files(f, ""), 0);
	vg_spool_close(s);
}

static void
sequence_continues(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = open_ok(f, 0, 0);
	struct vg_spool_entry e;

	put_ok(s, "a", VG_SPOOL_FULL, "x");
	put_ok(s, "b", VG_SPOOL_DELTA, "y");
	assert_int_equal(vg_spool_peek(s, &e, f->buf, BUF_CAP, NULL), VG_OK);
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.kind, VG_SPOOL_FULL);
	take(s, f, "a", "x");
	vg_spool_close(s);

	/* "b" has sequence 2; "c" gets 3 even though "a" (1) is gone, and sorts after "b". */
	s = open_ok(f, 0, 0);
	put_ok(s, "c", VG_SPOOL_DELTA, "z");
	vg_spool_close(s);
	assert_int_equal(count_files(f, "00000000000000000002-D-b.rpt"), 1);
	assert_int_equal(count_files(f, "00000000000000000003-D-c.rpt"), 1);
	s = open_ok(f, 0, 0);
	assert_int_equal(vg_spool_peek(s, &e, f->buf, BUF_CAP, NULL), VG_OK);
	assert_string_equal(e.id, "b");
	assert_int_equal(e.seq, 2);
	assert_int_equal(e.kind, VG_SPOOL_DELTA);
	take(s, f, "b", "y");
	assert_int_equal(vg_spool_peek(s, &e, f->buf, BUF_CAP, NULL), VG_OK);
	assert_int_equal(e.seq, 3);
	vg_spool_close(s);
}

static void
idempotent_put(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = open_ok(f, 0, 0);

	put_ok(s, "sha256.abc", VG_SPOOL_FULL, "payload");
	put_ok(s, "sha256.abc", VG_SPOOL_FULL, "payload");
	put_ok(s, "sha256.abc", VG_SPOOL_DELTA, "other");
	assert_int_equal(vg_spool_count(s), 1);
	assert_int_equal(count_files(f, ""), 1);
	vg_spool_close(s);
	s = open_ok(f, 0, 0);
	put_ok(s, "sha256.abc", VG_SPOOL_FULL, "payload");
	assert_int_equal(vg_spool_count(s), 1);
	take(s, f, "sha256.abc", "payload");
	/* Once acked, the id may be queued again. */
	put_ok(s, "sha256.abc", VG_SPOOL_FULL, "payload");
	assert_int_equal(vg_spool_count(s), 1);
	vg_spool_close(s);
}

static void
bad_arguments(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = open_ok(f, 0, 0);
	static const char *const bad[] = {
		"",     ".",   "..",
		"../x", "a/b", "a b",
		"id\n", "é",   "0123456789012345678901234567890123456789012345678901234567890123X"};
	struct vg_spool_entry e;
	struct vg_err err;

	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++) {
		assert_int_equal(vg_spool_put(s, bad[i], VG_SPOOL_FULL, "x", 1, NULL), VG_EINVAL);
		assert_int_equal(vg_spool_ack(s, bad[i], NULL), VG_EINVAL);
	}
	assert_true(vg_spool_id_valid(
		"0123456789012345678901234567890123456789012345678901234567890123"));
	assert_true(vg_spool_id_valid("a.B_c-9"));
	assert_int_equal(vg_spool_put(s, "k", (enum vg_spool_kind)7, "x", 1, NULL), VG_EINVAL);
	assert_int_equal(
		vg_spool_put(s, "big", VG_SPOOL_FULL, f->buf, VG_SPOOL_MAX_ENTRY + 1u, &err),
		VG_ETOOBIG);
	assert_int_equal(count_files(f, ""), 0);
	assert_int_equal(vg_spool_ack(s, "nothere", NULL), VG_ENOTFOUND);

	/* A buffer too small: ETOOBIG with the needed length, nothing consumed. */
	put_ok(s, "r", VG_SPOOL_FULL, "0123456789");
	assert_int_equal(vg_spool_peek(s, &e, f->buf, 4, &err), VG_ETOOBIG);
	assert_int_equal(e.len, 10);
	assert_string_equal(e.id, "r");
	take(s, f, "r", "0123456789");

	/* A second process (here: a second open) cannot use the same directory. */
	struct vg_spool *s2 = NULL;
	assert_int_equal(vg_spool_open(f->dir, NULL, &s2, &err), VG_EEXIST);
	assert_null(s2);
	vg_spool_close(s);
	vg_spool_close(NULL);
}

/* The real dpkg status of an Ubuntu 18.04 image round-trips byte for byte. */
static void
real_report_round_trip(void **state)
{
	struct fx *f = *state;
	char *path = vgt_shared_path("inventories/dpkg/trivy_ubuntu-18.04-image.status");
	FILE *in = fopen(path, "rb");
	char *data = vg_xmalloc(BUF_CAP);
	size_t n;
	struct vg_spool_entry e;

	assert_non_null(in);
	n = fread(data, 1, BUF_CAP, in);
	fclose(in);
	assert_true(n > 1000 && n < BUF_CAP);
	struct vg_spool *s = open_ok(f, 0, 0);
	assert_int_equal(vg_spool_put(s, "ubuntu-18.04", VG_SPOOL_FULL, data, n, NULL), VG_OK);
	vg_spool_close(s);
	s = open_ok(f, 0, 0);
	assert_int_equal(vg_spool_bytes(s), 48 + 12 + n);
	assert_int_equal(vg_spool_peek(s, &e, f->buf, BUF_CAP, NULL), VG_OK);
	assert_int_equal(e.len, n);
	assert_memory_equal(f->buf, data, n);
	vg_spool_close(s);
	free(data);
	free(path);
}

/* The queue holds exactly @want, in order; payloads are the ids or, if given, @text. */
static void
assert_queue(struct vg_spool *s, struct fx *f, const char *const *want, size_t nwant,
	     const char *text)
{
	assert_int_equal(vg_spool_count(s), nwant);
	assert_int_equal(count_files(f, ".rpt"), (int)nwant);
	for (size_t i = 0; i < nwant; i++)
		take(s, f, want[i], text ? text : want[i]);
	assert_empty(s, f);
}

static void
limits_full_delta_rule(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = open_ok(f, 3, 0);
	struct vg_err err;

	/* Deltas with no FULL queued depend on each other: none may be dropped. */
	put_ok(s, "d1", VG_SPOOL_DELTA, "d1");
	put_ok(s, "d2", VG_SPOOL_DELTA, "d2");
	put_ok(s, "d3", VG_SPOOL_DELTA, "d3");
	assert_int_equal(vg_spool_put(s, "d4", VG_SPOOL_DELTA, "d4", 2, &err), VG_ETOOBIG);
	assert_non_null(strstr(err.msg, "queue a full report"));
	assert_int_equal(vg_spool_count(s), 3);
	/* A FULL supersedes everything older: the oldest goes to make room. */
	put_ok(s, "f1", VG_SPOOL_FULL, "f1");
	/* Deltas after it: the entries older than f1 make room, oldest first. */
	put_ok(s, "d5", VG_SPOOL_DELTA, "d5");
	put_ok(s, "d6", VG_SPOOL_DELTA, "d6");
	/* Now f1 d5 d6: the newest FULL and its deltas are never dropped. */
	assert_int_equal(vg_spool_put(s, "d7", VG_SPOOL_DELTA, "d7", 2, NULL), VG_ETOOBIG);
	put_ok(s, "f2", VG_SPOOL_FULL, "f2");
	vg_spool_close(s);
	s = open_ok(f, 3, 0);
	static const char *const want1[] = {"d5", "d6", "f2"};
	assert_queue(s, f, want1, VG_ARRAY_LEN(want1), NULL);
	vg_spool_close(s);

	/* Byte limit: three entries of 48 + 2 + 10 bytes fit in 190, a fourth does not. */
	s = open_ok(f, 0, 190);
	put_ok(s, "f1", VG_SPOOL_FULL, "0123456789");
	put_ok(s, "d1", VG_SPOOL_DELTA, "0123456789");
	put_ok(s, "f2", VG_SPOOL_FULL, "0123456789");
	put_ok(s, "d2", VG_SPOOL_DELTA, "0123456789");
	assert_int_equal(vg_spool_bytes(s), 180);
	assert_int_equal(vg_spool_put(s, "xx", VG_SPOOL_FULL, f->buf, 200, NULL), VG_ETOOBIG);
	vg_spool_close(s);

	/* Reopening with lower limits drops only what the newest FULL supersedes. */
	s = open_ok(f, 1, 0);
	static const char *const want2[] = {"f2", "d2"};
	assert_queue(s, f, want2, VG_ARRAY_LEN(want2), "0123456789");
	vg_spool_close(s);
}

static void
corrupt_file(const char *path, long off, int truncate_to)
{
	if (truncate_to >= 0) {
		assert_int_equal(truncate(path, truncate_to), 0);
		return;
	}
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	int c = fgetc(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	fputc(c ^ 0x20, fp);
	fclose(fp);
}

static void
corrupt_entries_quarantined(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = open_ok(f, 0, 0);
	char *p;

	put_ok(s, "ok1", VG_SPOOL_FULL, "good one");
	put_ok(s, "flip", VG_SPOOL_DELTA, "payload bit flip");
	put_ok(s, "trunc", VG_SPOOL_DELTA, "truncated payload");
	put_ok(s, "hdr", VG_SPOOL_DELTA, "header length changed");
	put_ok(s, "short", VG_SPOOL_DELTA, "shorter than a header");
	put_ok(s, "ok2", VG_SPOOL_DELTA, "good two");
	vg_spool_close(s);

	p = file_with(f, "-flip.rpt");
	corrupt_file(p, 48 + 4 + 3, -1);
	free(p);
	p = file_with(f, "-trunc.rpt");
	corrupt_file(p, 0, 48 + 5 + 4);
	free(p);
	p = file_with(f, "-hdr.rpt");
	corrupt_file(p, 8, -1);
	free(p);
	p = file_with(f, "-short.rpt");
	corrupt_file(p, 0, 20);
	free(p);

	s = open_ok(f, 0, 0);
	assert_int_equal(vg_spool_count(s), 6);
	static const char *const want[] = {"ok1", "ok2"};
	static const char *const text[] = {"good one", "good two"};
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++)
		take(s, f, want[i], text[i]);
	assert_empty(s, f);
	assert_int_equal(count_files(f, ".rpt.bad"), 4);
	assert_int_equal(count_files(f, "-flip.rpt.bad"), 1);
	vg_spool_close(s);

	/*
	 * Quarantined files are never queued again, and their sequence is not
	 * reused: the highest name left is the quarantined 5 (6 was acked).
	 */
	s = open_ok(f, 0, 0);
	assert_int_equal(vg_spool_count(s), 0);
	put_ok(s, "next", VG_SPOOL_FULL, "n");
	vg_spool_close(s);
	assert_int_equal(count_files(f, "00000000000000000006-F-next.rpt"), 1);
}

static void
leftover_temp_removed(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = open_ok(f, 0, 0);
	char p[1024];

	put_ok(s, "kept", VG_SPOOL_FULL, "k");
	vg_spool_close(s);
	snprintf(p, sizeof(p), "%s/.tmp-9-12345", f->dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "VGS1partial", 11), 11);
	close(fd);
	snprintf(p, sizeof(p), "%s/README", f->dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);

	s = open_ok(f, 0, 0);
	assert_int_equal(count_files(f, ".tmp-"), 0);
	assert_int_equal(count_files(f, "README"), 1); /* unknown files are left alone */
	assert_int_equal(vg_spool_count(s), 1);
	take(s, f, "kept", "k");
	assert_empty(s, f);
	vg_spool_close(s);
	unlink(p);
}

static void
bad_directory_refused(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s = NULL;
	struct vg_err err;
	char p[1024];

	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_int_equal(chmod(f->dir, 0770), 0);
	assert_int_equal(vg_spool_open(f->dir, NULL, &s, &err), VG_EPERM);
	assert_non_null(strstr(err.msg, "refusing spool"));
	assert_int_equal(chmod(f->dir, 0702), 0);
	assert_int_equal(vg_spool_open(f->dir, NULL, &s, NULL), VG_EPERM);
	assert_int_equal(chmod(f->dir, 0755), 0);
	s = open_ok(f, 0, 0); /* readable by others is fine, writable is not */
	vg_spool_close(s);
	if (geteuid() == 0) {
		assert_int_equal(chown(f->dir, 65534, 65534), 0);
		assert_int_equal(chmod(f->dir, 0700), 0);
		assert_int_equal(vg_spool_open(f->dir, NULL, &s, NULL), VG_EPERM);
		assert_int_equal(chown(f->dir, 0, 0), 0);
	}
	assert_null(s);

	/* A file where the directory should be, and a missing parent. */
	snprintf(p, sizeof(p), "%s/file", f->root);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vg_spool_open(p, NULL, &s, NULL), VG_EPERM);
	unlink(p);
	snprintf(p, sizeof(p), "%s/missing/q", f->root);
	assert_int_equal(vg_spool_open(p, NULL, &s, NULL), VG_EIO);
}

static enum vg_spool_stage crash_at;

static void
crash_hook(enum vg_spool_stage stage, void *arg)
{
	(void)arg;
	if (stage == crash_at)
		_exit(42);
}

/* In a child: open, queue "a", then crash inside the put of "b" at @stage. */
static void
crash_in_put(struct fx *f, enum vg_spool_stage stage)
{
	pid_t pid;
	int status;

	crash_at = stage;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct vg_spool *s = NULL;
		if (vg_spool_open(f->dir, NULL, &s, NULL) != VG_OK ||
		    vg_spool_put(s, "a", VG_SPOOL_FULL, "alpha", 5, NULL) != VG_OK)
			_exit(1);
		vg_spool_set_hook(s, crash_hook, NULL);
		if (vg_spool_put(s, "b", VG_SPOOL_DELTA, "beta", 4, NULL) == VG_OK)
			_exit(2);
		_exit(3);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);
}

static void
crash_before_rename(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s;

	crash_in_put(f, VG_SPOOL_STAGE_TEMP_WRITTEN);
	assert_int_equal(count_files(f, ".tmp-"), 1);
	s = open_ok(f, 0, 0);
	assert_int_equal(count_files(f, ".tmp-"), 0);
	assert_int_equal(vg_spool_count(s), 1);
	put_ok(s, "b", VG_SPOOL_DELTA, "beta");
	take(s, f, "a", "alpha");
	take(s, f, "b", "beta");
	assert_empty(s, f);
	vg_spool_close(s);
}

static void
crash_after_rename(void **state)
{
	struct fx *f = *state;
	struct vg_spool *s;

	crash_in_put(f, VG_SPOOL_STAGE_RENAMED);
	s = open_ok(f, 0, 0);
	assert_int_equal(vg_spool_count(s), 2);
	put_ok(s, "b", VG_SPOOL_DELTA, "beta"); /* already queued: a no-op */
	put_ok(s, "c", VG_SPOOL_DELTA, "gamma");
	take(s, f, "a", "alpha");
	take(s, f, "b", "beta");
	take(s, f, "c", "gamma");
	assert_empty(s, f);
	vg_spool_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(order_across_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(sequence_continues, setup, teardown),
		cmocka_unit_test_setup_teardown(idempotent_put, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(real_report_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(limits_full_delta_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(corrupt_entries_quarantined, setup, teardown),
		cmocka_unit_test_setup_teardown(leftover_temp_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_directory_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(crash_before_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(crash_after_rename, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
