/*
 * sqlite_util.h - small helpers over the SQLite C API for src/store.
 *
 * Binding: the vg_sql_bind_*() helpers take the running status in *@rc and
 * do nothing once it is not SQLITE_OK, so a statement's parameters are
 * bound in a row of calls and checked once.  Text is bound SQLITE_STATIC:
 * the caller keeps it alive until the statement is reset.
 *
 * Errors: vg_sql_error() maps a SQLite result code to a VG_E* code and
 * fills @err with "what: sqlite's message".  Internal to src/store.
 */
#ifndef VG_STORE_SQLITE_UTIL_H
#define VG_STORE_SQLITE_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"

/** Bind NUL-terminated @s (borrowed) or SQL NULL when @s is NULL. */
void vg_sql_bind_text(sqlite3_stmt *st, int idx, const char *s, int *rc);

/** Bind @v. */
void vg_sql_bind_int(sqlite3_stmt *st, int idx, int64_t v, int *rc);

/** Bind @v, or SQL NULL when @v is NaN. */
void vg_sql_bind_real(sqlite3_stmt *st, int idx, double v, int *rc);

/** Column @col as a NUL-terminated string copied into @a, or NULL for SQL NULL. */
const char *vg_sql_col_dup(sqlite3_stmt *st, int col, struct vg_arena *a);

/** Column @col as a double, NaN for SQL NULL. */
double vg_sql_col_real(sqlite3_stmt *st, int col);

/** VG_E* code for SQLite result code @rc (extended codes accepted). */
int vg_sql_code(int rc);

/**
 * Fill @err with "@what: <sqlite's message for @db>" and return the VG_E*
 * code of @rc.  @db may be NULL (the message is then sqlite3_errstr(@rc)).
 */
int vg_sql_error(struct vg_err *err, sqlite3 *db, int rc, const char *what);

/**
 * Run one or more constant SQL statements (no parameters); VG_OK or an
 * error as vg_sql_error() with @what.
 */
int vg_sql_exec(sqlite3 *db, const char *sql, const char *what, struct vg_err *err) VG_MUST_CHECK;

/** The integer value of "PRAGMA @name" (a constant pragma name). */
int vg_sql_pragma_int(sqlite3 *db, const char *name, int64_t *out /* OUT */,
		      struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_STORE_SQLITE_UTIL_H */
