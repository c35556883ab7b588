/*
 * spool.c - the agent's on-disk report spool (see spool.h and
 * docs/internals/spool.md).
 *
 * Every file operation is relative to the directory descriptor with names
 * this file generates or validated, so no path from outside is ever joined.
 */
#include "agent/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/log.h"

/*
 * File layout: a 48-byte header, the id, the payload.
 *   0  "VGS1"   4  kind   5  id length   6  two zero bytes   8  payload length (LE)
 *   16 BLAKE2b-256 of header bytes 0..15, the id and the payload
 */
#define HDR_SIZE   48
#define HASH_SIZE  32
#define SEQ_DIGITS 20
#define NAME_CAP   128
#define TMP_PREFIX ".tmp-"

static const unsigned char magic[4] = {'V', 'G', 'S', '1'};

struct item {
	uint64_t seq;
	uint64_t size; /* file size, header included */
	enum vg_spool_kind kind;
	char id[VG_SPOOL_ID_MAX + 1];
};

struct vg_spool {
	int dirfd;
	char *dir;
	struct vg_spool_limits lim;
	struct item *items; /* queued entries, oldest first */
	size_t n, cap;
	uint64_t bytes;
	uint64_t next_seq;
	vg_spool_hook_fn hook;
	void *hook_arg;
};

/* Outcome of reading one entry besides the VG_E* codes. */
enum { ENTRY_CORRUPT = 1, ENTRY_GONE = 2 };

bool
vg_spool_id_valid(const char *id)
{
	size_t len = strlen(id);

	if (len == 0 || len > VG_SPOOL_ID_MAX || !strcmp(id, ".") || !strcmp(id, ".."))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static char
kind_char(enum vg_spool_kind kind)
{
	return kind == VG_SPOOL_FULL ? 'F' : 'D';
}

static void
entry_name(char out[NAME_CAP], const struct item *it, bool bad)
{
	snprintf(out, NAME_CAP, "%0*" PRIu64 "-%c-%s.rpt%s", SEQ_DIGITS, it->seq,
		 kind_char(it->kind), it->id, bad ? ".bad" : "");
}

static bool
has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !memcmp(s + len - n, suffix, n);
}

/* Parse "<seq>-<F|D>-<id>.rpt" (with ".bad" when *bad is set on return). */
static bool
parse_name(const char *name, struct item *it, bool *bad)
{
	size_t len = strlen(name);
	uint64_t seq = 0;

	*bad = has_suffix(name, len, ".rpt.bad");
	if (*bad)
		len -= 4;
	if (!has_suffix(name, len, ".rpt") || len < SEQ_DIGITS + 3 + 1 + 4)
		return false;
	for (size_t i = 0; i < SEQ_DIGITS; i++) {
		unsigned d = (unsigned)(name[i] - '0');
		if (d > 9 || seq > (UINT64_MAX - d) / 10)
			return false;
		seq = seq * 10 + d;
	}
	if (name[SEQ_DIGITS] != '-' || name[SEQ_DIGITS + 2] != '-')
		return false;
	if (name[SEQ_DIGITS + 1] == 'F')
		it->kind = VG_SPOOL_FULL;
	else if (name[SEQ_DIGITS + 1] == 'D')
		it->kind = VG_SPOOL_DELTA;
	else
		return false;
	size_t idlen = len - 4 - (SEQ_DIGITS + 3);
	if (idlen > VG_SPOOL_ID_MAX)
		return false;
	memcpy(it->id, name + SEQ_DIGITS + 3, idlen);
	it->id[idlen] = '\0';
	it->seq = seq;
	it->size = 0;
	return vg_spool_id_valid(it->id);
}

static int
sys_error(const struct vg_spool *s, struct vg_err *err, const char *what, const char *name)
{
	return vg_error(err, VG_EIO, "cannot %s '%s/%s': %s", what, s->dir, name, strerror(errno));
}

static int
sync_dir(const struct vg_spool *s, struct vg_err *err)
{
	if (fsync(s->dirfd) != 0)
		return sys_error(s, err, "sync", ".");
	return VG_OK;
}

static void
remove_item(struct vg_spool *s, size_t i)
{
	s->bytes -= s->items[i].size;
	memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof(s->items[0]));
	s->n--;
}

static void
push_item(struct vg_spool *s, const struct item *it)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->items = vg_xreallocarray(s->items, s->cap, sizeof(s->items[0]));
	}
	s->items[s->n++] = *it;
	s->bytes += it->size;
}

static int
cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Index + 1 of the newest FULL, i.e. the number of entries it supersedes plus one; 0 if none. */
static size_t
newest_full_end(const struct vg_spool *s)
{
	for (size_t i = s->n; i > 0; i--)
		if (s->items[i - 1].kind == VG_SPOOL_FULL)
			return i;
	return 0;
}

static bool
over(const struct vg_spool *s, size_t files, uint64_t bytes)
{
	return files > s->lim.max_files || bytes > s->lim.max_bytes;
}

/*
 * How many of the oldest entries to drop so that @files entries of @bytes
 * fit, dropping only the first @droppable (those superseded by a newer
 * FULL).  Sets *fits.
 */
static size_t
plan_drop(const struct vg_spool *s, size_t droppable, size_t files, uint64_t bytes, bool *fits)
{
	size_t k = 0;

	while (k < droppable && over(s, files, bytes)) {
		files--;
		bytes -= s->items[k].size;
		k++;
	}
	*fits = !over(s, files, bytes);
	return k;
}

/* Drop the @k oldest entries (superseded ones), then sync the directory. */
static void
drop_oldest(struct vg_spool *s, size_t k)
{
	char name[NAME_CAP];

	for (size_t i = 0; i < k; i++) {
		entry_name(name, &s->items[0], false);
		if (unlinkat(s->dirfd, name, 0) != 0 && errno != ENOENT)
			vg_log(VG_LOG_WARN, "spool: cannot remove '%s/%s': %s", s->dir, name,
			       strerror(errno));
		else
			vg_log(VG_LOG_INFO,
			       "spool: dropped '%s', superseded by a newer full report",
			       s->items[0].id);
		remove_item(s, 0);
	}
	if (k > 0 && fsync(s->dirfd) != 0)
		vg_log(VG_LOG_WARN, "spool: cannot sync '%s': %s", s->dir, strerror(errno));
}

/* Keep at most VG_SPOOL_MAX_BAD quarantined files, deleting the oldest. */
static void
prune_bad(struct vg_spool *s)
{
	int fd = dup(s->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		struct item it;
		bool bad;
		if (parse_name(de->d_name, &it, &bad) && bad) {
			names = vg_xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = vg_xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (n > VG_SPOOL_MAX_BAD)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i + VG_SPOOL_MAX_BAD < n && unlinkat(s->dirfd, names[i], 0) != 0)
			vg_log(VG_LOG_WARN, "spool: cannot remove '%s/%s': %s", s->dir, names[i],
			       strerror(errno));
		free(names[i]);
	}
	free(names);
}

/* One directory entry found at open. */
static void
scan_one(struct vg_spool *s, const char *name, uint64_t *max_seq)
{
	struct item it;
	struct stat st;
	bool bad;

	if (!strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX))) {
		if (unlinkat(s->dirfd, name, 0) != 0)
			vg_log(VG_LOG_WARN, "spool: cannot remove '%s/%s': %s", s->dir, name,
			       strerror(errno));
		else
			vg_log(VG_LOG_INFO, "spool: removed unfinished '%s/%s'", s->dir, name);
		return;
	}
	if (!parse_name(name, &it, &bad)) {
		if (strcmp(name, ".") && strcmp(name, ".."))
			vg_log(VG_LOG_WARN, "spool: ignoring unknown file '%s/%s'", s->dir, name);
		return;
	}
	if (it.seq > *max_seq)
		*max_seq = it.seq;
	if (bad)
		return;
	if (fstatat(s->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
		vg_log(VG_LOG_WARN, "spool: ignoring '%s/%s': not a regular file", s->dir, name);
		return;
	}
	it.size = (uint64_t)st.st_size;
	push_item(s, &it);
}

static int
scan(struct vg_spool *s, struct vg_err *err)
{
	int fd = dup(s->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	uint64_t max_seq = 0;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return sys_error(s, err, "read", ".");
	}
	errno = 0;
	while ((de = readdir(d)) != NULL)
		scan_one(s, de->d_name, &max_seq);
	int rerr = errno;
	closedir(d);
	if (rerr != 0) {
		errno = rerr;
		return sys_error(s, err, "read", ".");
	}
	if (s->n > 1)
		qsort(s->items, s->n, sizeof(s->items[0]), cmp_item);
	s->next_seq = max_seq + 1;
	return VG_OK;
}

/* Create @dir if missing, open it and check who owns it and who may write to it. */
static int
open_dir(const char *dir, struct vg_err *err)
{
	struct stat st;
	int fd;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return vg_error(err, VG_EIO, "cannot create spool '%s': %s", dir, strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int code = errno == ENOTDIR || errno == EACCES ? VG_EPERM : VG_EIO;
		return vg_error(err, code, "cannot open spool '%s': %s", dir, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return vg_error(err, VG_EIO, "cannot stat spool '%s': %s", dir, strerror(errno));
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return vg_error(err, VG_EPERM,
				"refusing spool '%s': not owned by this user or writable by others",
				dir);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int code = errno == EWOULDBLOCK ? VG_EEXIST : VG_EIO;
		close(fd);
		return vg_error(err, code, "cannot lock spool '%s': %s", dir,
				code == VG_EEXIST ? "in use by another process" : strerror(errno));
	}
	return fd;
}

int
vg_spool_open(const char *dir, const struct vg_spool_limits *limits,
	      struct vg_spool **spool /* OUT */, struct vg_err *err)
{
	struct vg_spool *s;
	bool fits;
	int fd, r;

	*spool = NULL;
	if (sodium_init() < 0)
		return vg_error(err, VG_EIO, "cannot initialise libsodium");
	fd = open_dir(dir, err);
	if (fd < 0)
		return fd;
	s = vg_xcalloc(1, sizeof(*s));
	s->dirfd = fd;
	s->dir = vg_xstrdup(dir);
	s->lim.max_bytes =
		limits && limits->max_bytes ? limits->max_bytes : VG_SPOOL_DEFAULT_MAX_BYTES;
	s->lim.max_files =
		limits && limits->max_files ? limits->max_files : VG_SPOOL_DEFAULT_MAX_FILES;
	r = scan(s, err);
	if (r == VG_OK)
		r = sync_dir(s, err); /* makes the removal of temporary files durable */
	if (r != VG_OK) {
		vg_spool_close(s);
		return r;
	}
	prune_bad(s);
	/* Limits may have been lowered since the last run. */
	drop_oldest(s, plan_drop(s, newest_full_end(s) ? newest_full_end(s) - 1 : 0, s->n, s->bytes,
				 &fits));
	if (!fits)
		vg_log(VG_LOG_WARN, "spool: '%s' is over its limits with reports still needed",
		       dir);
	*spool = s;
	return VG_OK;
}

void
vg_spool_close(struct vg_spool *spool)
{
	if (!spool)
		return;
	if (spool->dirfd >= 0)
		close(spool->dirfd);
	free(spool->items);
	free(spool->dir);
	free(spool);
}

static void
put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
entry_hash(unsigned char out[HASH_SIZE], const unsigned char *hdr, const char *id,
	   const void *bytes, size_t len)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, HASH_SIZE);
	crypto_generichash_update(&st, hdr, 16);
	crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
	crypto_generichash_update(&st, bytes, len);
	crypto_generichash_final(&st, out, HASH_SIZE);
}

static void
make_header(unsigned char hdr[HDR_SIZE], enum vg_spool_kind kind, const char *id, const void *bytes,
	    size_t len)
{
	memset(hdr, 0, HDR_SIZE);
	memcpy(hdr, magic, sizeof(magic));
	hdr[4] = (unsigned char)kind;
	hdr[5] = (unsigned char)strlen(id);
	put_le64(hdr + 8, len);
	entry_hash(hdr + 16, hdr, id, bytes, len);
}

static int
write_all(int fd, const void *p, size_t len)
{
	const unsigned char *c = p;

	while (len > 0) {
		ssize_t w = write(fd, c, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write the temporary file @tmp completely and fsync it. */
static int
write_temp(struct vg_spool *s, const char *tmp, const char *id, enum vg_spool_kind kind,
	   const void *bytes, size_t len, struct vg_err *err)
{
	unsigned char hdr[HDR_SIZE];
	int fd;

	make_header(hdr, kind, id, bytes, len);
	(void)unlinkat(s->dirfd, tmp, 0);
	fd = openat(s->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return sys_error(s, err, "create", tmp);
	if (write_all(fd, hdr, sizeof(hdr)) || write_all(fd, id, strlen(id)) ||
	    write_all(fd, bytes, len) || fsync(fd) != 0) {
		int r = sys_error(s, err, "write", tmp);
		close(fd);
		return r;
	}
	if (close(fd) != 0)
		return sys_error(s, err, "write", tmp);
	return VG_OK;
}

static void
run_hook(const struct vg_spool *s, enum vg_spool_stage stage)
{
	if (s->hook)
		s->hook(stage, s->hook_arg);
}

static ssize_t
find_id(const struct vg_spool *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].id, id))
			return (ssize_t)i;
	return -1;
}

/* Check the arguments and the limits; *drop is how many superseded entries make room. */
static int
check_put(const struct vg_spool *s, const char *id, enum vg_spool_kind kind, size_t len,
	  size_t *drop, struct vg_err *err)
{
	uint64_t size = HDR_SIZE + strlen(id) + (uint64_t)len;
	size_t droppable;
	bool fits;

	if (kind != VG_SPOOL_FULL && kind != VG_SPOOL_DELTA)
		return vg_error(err, VG_EINVAL, "invalid report kind %d", (int)kind);
	if (len > VG_SPOOL_MAX_ENTRY)
		return vg_error(err, VG_ETOOBIG, "report '%s' is larger than %u bytes", id,
				VG_SPOOL_MAX_ENTRY);
	if (size > s->lim.max_bytes)
		return vg_error(err, VG_ETOOBIG, "report '%s' is larger than the spool limit", id);
	if (s->next_seq == UINT64_MAX)
		return vg_error(err, VG_ETOOBIG, "spool '%s' has no sequence numbers left", s->dir);
	/* A new FULL supersedes everything queued; a DELTA only what the newest FULL does. */
	if (kind == VG_SPOOL_FULL)
		droppable = s->n;
	else
		droppable = newest_full_end(s) ? newest_full_end(s) - 1 : 0;
	*drop = plan_drop(s, droppable, s->n + 1, s->bytes + size, &fits);
	if (!fits)
		return vg_error(err, VG_ETOOBIG,
				"spool '%s' is full: delta '%s' does not fit, queue a full report",
				s->dir, id);
	return VG_OK;
}

int
vg_spool_put(struct vg_spool *spool, const char *report_id, enum vg_spool_kind kind,
	     const void *bytes, size_t len, struct vg_err *err)
{
	char tmp[NAME_CAP], name[NAME_CAP];
	struct item it = {.kind = kind};
	size_t drop = 0;
	int r;

	if (!vg_spool_id_valid(report_id))
		return vg_error(err, VG_EINVAL, "invalid report id '%.64s'", report_id);
	if (find_id(spool, report_id) >= 0)
		return VG_OK;
	r = check_put(spool, report_id, kind, len, &drop, err);
	if (r != VG_OK)
		return r;
	memcpy(it.id, report_id, strlen(report_id) + 1);
	it.seq = spool->next_seq;
	it.size = HDR_SIZE + strlen(report_id) + (uint64_t)len;
	snprintf(tmp, sizeof(tmp), TMP_PREFIX "%" PRIu64 "-%ld", it.seq, (long)getpid());
	entry_name(name, &it, false);
	r = write_temp(spool, tmp, report_id, kind, bytes, len, err);
	if (r == VG_OK) {
		run_hook(spool, VG_SPOOL_STAGE_TEMP_WRITTEN);
		if (renameat(spool->dirfd, tmp, spool->dirfd, name) != 0)
			r = sys_error(spool, err, "rename", tmp);
	}
	if (r != VG_OK) {
		(void)unlinkat(spool->dirfd, tmp, 0);
		return r;
	}
	run_hook(spool, VG_SPOOL_STAGE_RENAMED);
	r = sync_dir(spool, err);
	if (r != VG_OK) {
		(void)unlinkat(spool->dirfd, name, 0);
		return r;
	}
	spool->next_seq++;
	push_item(spool, &it);
	/* Only now that the new entry is durable may the ones it supersedes go. */
	drop_oldest(spool, drop);
	return VG_OK;
}

/* read() exactly @len bytes: 0, 1 at a premature end of file, -1 on error. */
static int
read_all(int fd, void *p, size_t len)
{
	unsigned char *c = p;

	while (len > 0) {
		ssize_t r = read(fd, c, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		c += r;
		len -= (size_t)r;
	}
	return 0;
}

static bool
header_ok(const unsigned char *hdr, const struct item *it, uint64_t file_size)
{
	uint64_t len = get_le64(hdr + 8);
	size_t idlen = strlen(it->id);

	return !memcmp(hdr, magic, sizeof(magic)) && hdr[4] == (unsigned char)it->kind &&
	       hdr[5] == idlen && hdr[6] == 0 && hdr[7] == 0 && len <= VG_SPOOL_MAX_ENTRY &&
	       file_size == HDR_SIZE + idlen + len;
}

/* Read and verify the entry @it from the open file @fd. */
static int
read_entry(const struct vg_spool *s, int fd, const struct item *it, struct vg_spool_entry *entry,
	   void *buf, size_t cap, struct vg_err *err)
{
	unsigned char hdr[HDR_SIZE], want[HASH_SIZE];
	char id[VG_SPOOL_ID_MAX + 1];
	size_t idlen = strlen(it->id);
	struct stat st;
	int r;

	if (fstat(fd, &st) != 0)
		return sys_error(s, err, "stat", it->id);
	if (!S_ISREG(st.st_mode) || (r = read_all(fd, hdr, sizeof(hdr))) > 0)
		return ENTRY_CORRUPT;
	if (r == 0 && !header_ok(hdr, it, (uint64_t)st.st_size))
		return ENTRY_CORRUPT;
	if (r == 0 && (r = read_all(fd, id, idlen)) == 0 && memcmp(id, it->id, idlen) != 0)
		return ENTRY_CORRUPT;
	if (r < 0)
		return sys_error(s, err, "read", it->id);
	if (r > 0)
		return ENTRY_CORRUPT;
	memcpy(entry->id, it->id, idlen + 1);
	entry->kind = it->kind;
	entry->seq = it->seq;
	entry->len = (size_t)get_le64(hdr + 8);
	if (entry->len > cap)
		return vg_error(err, VG_ETOOBIG, "report '%s' needs a buffer of %zu bytes", it->id,
				entry->len);
	r = read_all(fd, buf, entry->len);
	if (r < 0)
		return sys_error(s, err, "read", it->id);
	entry_hash(want, hdr, it->id, buf, entry->len);
	if (r > 0 || sodium_memcmp(want, hdr + 16, HASH_SIZE) != 0)
		return ENTRY_CORRUPT;
	return VG_OK;
}

/* Rename a corrupt entry to "*.bad" so it is kept for inspection but never delivered. */
static void
quarantine(struct vg_spool *s, const struct item *it)
{
	char name[NAME_CAP], bad[NAME_CAP];

	entry_name(name, it, false);
	entry_name(bad, it, true);
	vg_log(VG_LOG_WARN, "spool: corrupt report '%s/%s' quarantined as '%s'", s->dir, name, bad);
	if (renameat(s->dirfd, name, s->dirfd, bad) != 0 && unlinkat(s->dirfd, name, 0) != 0)
		vg_log(VG_LOG_WARN, "spool: cannot remove '%s/%s': %s", s->dir, name,
		       strerror(errno));
	if (fsync(s->dirfd) != 0)
		vg_log(VG_LOG_WARN, "spool: cannot sync '%s': %s", s->dir, strerror(errno));
	prune_bad(s);
}

int
vg_spool_peek(struct vg_spool *spool, struct vg_spool_entry *entry /* OUT */, void *buf, size_t cap,
	      struct vg_err *err)
{
	char name[NAME_CAP];

	while (spool->n > 0) {
		struct item it = spool->items[0];
		int fd, r;

		entry_name(name, &it, false);
		fd = openat(spool->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && errno != ENOENT && errno != ELOOP)
			return sys_error(spool, err, "open", name);
		r = fd < 0 ? (errno == ENOENT ? ENTRY_GONE : ENTRY_CORRUPT)
			   : read_entry(spool, fd, &it, entry, buf, cap, err);
		if (fd >= 0)
			close(fd);
		if (r <= 0)
			return r;
		if (r == ENTRY_CORRUPT)
			quarantine(spool, &it);
		else
			vg_log(VG_LOG_WARN, "spool: report '%s/%s' disappeared", spool->dir, name);
		remove_item(spool, 0);
	}
	return vg_error(err, VG_ENOTFOUND, "spool '%s' is empty", spool->dir);
}

int
vg_spool_ack(struct vg_spool *spool, const char *report_id, struct vg_err *err)
{
	char name[NAME_CAP];
	ssize_t i;

	if (!vg_spool_id_valid(report_id))
		return vg_error(err, VG_EINVAL, "invalid report id '%.64s'", report_id);
	i = find_id(spool, report_id);
	if (i < 0)
		return vg_error(err, VG_ENOTFOUND, "report '%s' is not queued", report_id);
	entry_name(name, &spool->items[i], false);
	if (unlinkat(spool->dirfd, name, 0) != 0 && errno != ENOENT)
		return sys_error(spool, err, "remove", name);
	remove_item(spool, (size_t)i);
	return sync_dir(spool, err);
}

size_t
vg_spool_count(const struct vg_spool *spool)
{
	return spool->n;
}

uint64_t
vg_spool_bytes(const struct vg_spool *spool)
{
	return spool->bytes;
}

void
vg_spool_set_hook(struct vg_spool *spool, vg_spool_hook_fn hook, void *arg)
{
	spool->hook = hook;
	spool->hook_arg = arg;
}
