/*
 * sync.h - `vigil feeds import` and `vigil feeds sync`: which files make up
 * each official source, where to get them (official URLs or a mirror), and
 * importing files into the knowledge base one transaction per file.
 *
 * The official sources are one table (vg_sync_sources, sync.c): a name, the
 * official URL(s), the size cap, the name of the local copy, and the rule
 * that finds the same data in a mirror.  The local copies live in a cache
 * directory laid out like a mirror (<db dir>/feeds-cache/kev/...), so a
 * cache copied to an offline site is itself a mirror for `--mirror DIR`.
 * docs/feeds.md is the user's description of all of this.
 *
 * A mirror is a directory or an http(s) base URL with the layout
 *     kev/known_exploited_vulnerabilities.json
 *     epss/epss_scores-YYYY-MM-DD.csv[.gz]           newest date wins
 *     debian-security-tracker/<snapshot>/data/{DSA,DLA}/list
 *     debian-security-tracker/tracker-json*<...>/<*.json>
 *     alpine-secdb/<*.json, *.yaml>                  (Wolfi: names holding "wolfi")
 *     osv/<anything>/...                             records, or <ECOSYSTEM>/all.zip
 *     nvd/<anything>/...                             NVD API 2.0 / 1.1 / CVE JSON 5
 * An http mirror is walked through its directory listings (the HTML index
 * pages of nginx autoindex, Apache mod_autoindex, python3 -m http.server).
 *
 * Ownership: every string handed to a callback is valid during the call.
 * Not thread-safe (one sync at a time per cache directory; vg_sync_run()
 * takes a lock file).
 */
#ifndef VG_FEEDS_SYNC_H
#define VG_FEEDS_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"

struct vg_feed_sink;

/* ---- the source table ------------------------------------------------------ */

enum vg_sync_kind {
	VG_SYNC_FILES,  /* fixed official URLs, one file each */
	VG_SYNC_ALPINE, /* secdb main/community files of the newest branches of an index */
	VG_SYNC_OSV,    /* one all.zip per OSV ecosystem */
	VG_SYNC_NVD,    /* the NVD CVE API 2.0, paged, incremental */
};

enum vg_mirror_rule {
	VG_MIRROR_FILE,     /* the file mirror_arg in mirror_dir */
	VG_MIRROR_DATED,    /* newest <mirror_arg>YYYY-MM-DD.csv[.gz] in mirror_dir */
	VG_MIRROR_SNAPSHOT, /* mirror_dir/<snapshot>/<mirror_arg>: the preferred snapshot */
	VG_MIRROR_GLOB,     /* files of mirror_dir matching mirror_arg's patterns */
	VG_MIRROR_TREE,     /* every file under mirror_dir, recursively */
};

struct vg_sync_source {
	const char *name;   /* --source NAME; failures are recorded under it */
	const char *title;  /* for people */
	const char *format; /* what the importers will see ("various" for trees) */
	enum vg_sync_kind kind;
	const char *const *urls;  /* official URLs (NULL-terminated); for ALPINE the index of
				     branches, for OSV the bucket, for NVD the API endpoint */
	const char *const *files; /* cache paths (mirror layout) parallel to urls, FILES only */
	uint64_t max_bytes;       /* size cap of one downloaded file */
	enum vg_mirror_rule rule;
	const char *mirror_dir; /* directory of the mirror layout */
	/* FILE: file name; DATED: name prefix; SNAPSHOT: "<snapshot prefix>|<path or pattern>";
	 * GLOB: space-separated fnmatch patterns, "!pattern" excludes; TREE: unused */
	const char *mirror_arg;
	/* The store's name of the data when it differs from `name` ("wolfi-secdb"): failures
	 * of the official download are recorded under it.  NULL: `name`, or per file. */
	const char *store_name;
};

/* The official sources, NULL-terminated, in sync order. */
extern const struct vg_sync_source *const vg_sync_sources[];

/* OSV ecosystems fetched by the "osv" source, NULL-terminated. */
extern const char *const vg_sync_osv_ecosystems[];

/** The source called @name, or NULL. */
const struct vg_sync_source *vg_sync_source_find(const char *name);

/* ---- mirrors --------------------------------------------------------------- */

/* A growing list of owned strings. */
struct vg_strlist {
	char **v;
	size_t n, cap;
};

void vg_strlist_add(struct vg_strlist *l, const char *s);
/** Sort in byte order (strcmp). */
void vg_strlist_sort(struct vg_strlist *l);
void vg_strlist_release(struct vg_strlist *l);

struct vg_mirror; /* opaque: a directory or a base URL */

/**
 * Open the mirror @spec: "http://..." or "https://..." is a web mirror, anything
 * else a directory (which must exist: VG_ENOTFOUND).  Caller frees with
 * vg_mirror_free().
 */
int vg_mirror_open(const char *spec, struct vg_mirror **m /* OUT */,
		   struct vg_err *err) VG_MUST_CHECK;
void vg_mirror_free(struct vg_mirror *m);
/** Is it a web mirror? */
bool vg_mirror_is_url(const struct vg_mirror *m);
/** Directory or URL of @rel in the mirror (caller frees). */
char *vg_mirror_locate(const struct vg_mirror *m, const char *rel);

/**
 * The files of source @s in mirror @m, as paths relative to the mirror
 * root, in import order (appended to @files).  No match is not an error:
 * the list stays empty.  VG_EIO when a listing cannot be read.
 *
 * The rules (docs/feeds.md "Mirrors"): names starting with "." and
 * LICENSE*, NOTICE*, README*, *.md are never data; directories called
 * fixtures, testdata or test-fixtures hold parser test inputs (some
 * malformed on purpose) and are never entered; a snapshot directory whose
 * name holds "fixture" is used only when no other snapshot has the file,
 * and among equals the greatest name (newest date) wins.
 */
int vg_sync_resolve(const struct vg_sync_source *s, struct vg_mirror *m,
		    struct vg_strlist *files /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/**
 * Parse an HTML directory listing: the relative entries it links to,
 * percent-decoded, directories with a trailing "/", without parent links,
 * absolute links, queries and fragments.  Appended to @names, sorted.
 */
void vg_mirror_parse_listing(const char *html, size_t len, struct vg_strlist *names /* OUT */);

/** Is @name (a directory entry) never data (hidden, LICENSE*, NOTICE*, README*, *.md)? */
bool vg_sync_skip_file(const char *name);
/** Is directory @name one a mirror walk does not enter (hidden, fixtures, testdata)? */
bool vg_sync_skip_mirror_dir(const char *name);

/* ---- the store ------------------------------------------------------------ */

/*
 * Where imports go.  The feeds library knows nothing about storage: the
 * command line wraps the knowledge base (src/store/kb.h) in these
 * callbacks, tests use an in-memory one.  Same contracts as the vg_kb_*
 * functions they stand for.
 */
struct vg_sync_store {
	void *ctx;
	int (*txn_begin)(void *ctx, struct vg_err *err);
	int (*txn_commit)(void *ctx, struct vg_err *err);
	void (*txn_rollback)(void *ctx);
	/* A sink writing into the open transaction; warnings go to @warn. */
	void (*sink)(void *ctx, struct vg_feed_sink *sink /* OUT */,
		     void (*warn)(void *wctx, const char *msg), void *wctx);
	int (*source_failed)(void *ctx, const char *name, const char *msg, struct vg_err *err);
	/* How many sources hold data (0: a new or emptied store). */
	int (*nsources)(void *ctx, int64_t *n /* OUT */, struct vg_err *err);
};

/* ---- importing ------------------------------------------------------------ */

/* What happened to one file. */
struct vg_import_stats {
	const char *path;
	const char *format; /* importer's format id, or NULL when unrecognised */
	uint64_t records;
	uint64_t warnings;
	double seconds;
	/* The REPLACE source the file was imported as ("debian-dsa"), "" otherwise:
	 * lets a run warn when a later file replaces what an earlier one brought. */
	char replaced[96];
};

/* Callbacks of the command line; any may be NULL. */
struct vg_sync_ui {
	void *ctx;
	void (*file_begin)(void *ctx, const char *path, const char *format);
	void (*progress)(void *ctx, uint64_t done, uint64_t total); /* import and download */
	void (*warn)(void *ctx, const char *msg);
	/* rc: VG_OK; VG_EUNSUPPORTED with st->format NULL: unrecognised, skipped;
	 * anything else: the import failed and was rolled back (err says why). */
	void (*file_end)(void *ctx, const struct vg_import_stats *st, int rc,
			 const struct vg_err *err);
	/* A sync step of source @source: "downloading URL", "up to date". */
	void (*note)(void *ctx, const char *source, const char *msg);
	/* Source @source failed with @msg; its previous data stays. */
	void (*failed)(void *ctx, const char *source, const char *msg);
};

/**
 * Import the file @path into @store in one transaction (rolled back on any
 * failure, so the source's previous data stays).  A zip archive's entries
 * are imported in that same transaction; an archive named all.zip in a
 * directory ECO is stored as source "osv:ECO".  Returns VG_OK,
 * VG_EUNSUPPORTED when no importer recognises the file (nothing written),
 * or the error (message in @err, starting with the path).  @st is filled
 * in every case.
 */
int vg_sync_import_file(const struct vg_sync_store *store, const char *path,
			const struct vg_sync_ui *ui, struct vg_import_stats *st /* OUT */,
			struct vg_err *err) VG_MUST_CHECK;

/**
 * Call @cb for every file under @path (itself when it is a file), in byte
 * order of names, depth first, skipping vg_sync_skip_file() names and
 * hidden directories.  @cb returns VG_OK to go on.  VG_ENOTFOUND / VG_EIO
 * when @path or a directory cannot be read (@cb's errors are returned).
 */
int vg_sync_walk(const char *path, int (*cb)(const char *file, void *ctx), void *ctx,
		 struct vg_err *err) VG_MUST_CHECK;

/* ---- syncing --------------------------------------------------------------- */

struct vg_sync_opts {
	const char *db_path;     /* the store; the cache is <its dir>/feeds-cache */
	const char *cache_dir;   /* overrides the cache directory, or NULL */
	const char *mirror;      /* NULL: official URLs; else a directory or http(s) URL */
	const char *const *only; /* source names (NULL-terminated), or NULL for all */
	bool dry_run;            /* print the plan through ui->note, touch nothing */
	bool force;              /* import even what is unchanged since the last import */
};

struct vg_sync_result {
	int ok;         /* sources that ended with current data */
	int up_to_date; /* of which nothing had changed */
	int failed;
};

/**
 * Sync the selected sources into @store (may be NULL for a dry run).  Each
 * source is fetched and imported file by file; a failing source is
 * reported through ui->failed, recorded with store->source_failed(), and
 * the others go on.  Returns VG_OK when the run itself could proceed (see
 * @res for failed sources), or an error that stopped everything (cache
 * directory, lock, mirror) with @err set.
 */
int vg_sync_run(const struct vg_sync_store *store, const struct vg_sync_opts *o,
		const struct vg_sync_ui *ui, struct vg_sync_result *res /* OUT */,
		struct vg_err *err) VG_MUST_CHECK;

/** The cache directory for the store at @db_path: "<dir>/feeds-cache" (caller frees). */
char *vg_sync_cache_dir(const char *db_path);

#endif /* VG_FEEDS_SYNC_H */
