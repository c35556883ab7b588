/*
 * sqlite_util.c - binding, column and error helpers over the SQLite C API.
 */
#include "store/sqlite_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
vg_sql_bind_text(sqlite3_stmt *st, int idx, const char *s, int *rc)
{
	if (*rc != SQLITE_OK)
		return;
	*rc = s ? sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, idx);
}

void
vg_sql_bind_int(sqlite3_stmt *st, int idx, int64_t v, int *rc)
{
	if (*rc != SQLITE_OK)
		return;
	*rc = sqlite3_bind_int64(st, idx, v);
}

void
vg_sql_bind_real(sqlite3_stmt *st, int idx, double v, int *rc)
{
	if (*rc != SQLITE_OK)
		return;
	*rc = isnan(v) ? sqlite3_bind_null(st, idx) : sqlite3_bind_double(st, idx, v);
}

const char *
vg_sql_col_dup(sqlite3_stmt *st, int col, struct vg_arena *a)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	if (!s)
		return NULL;
	return vg_arena_strndup(a,
				vg_str_n((const char *)s, (size_t)sqlite3_column_bytes(st, col)));
}

double
vg_sql_col_real(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

int
vg_sql_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return VG_OK;
	case SQLITE_NOMEM:
		return VG_ENOMEM;
	case SQLITE_TOOBIG:
		return VG_ETOOBIG;
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_READONLY:
		return VG_EPERM;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
	case SQLITE_MISUSE:
	case SQLITE_NOTADB:
		return VG_EINVAL;
	case SQLITE_NOTFOUND:
		return VG_ENOTFOUND;
	default: /* BUSY, LOCKED, IOERR, FULL, CORRUPT, CANTOPEN, ... */
		return VG_EIO;
	}
}

int
vg_sql_error(struct vg_err *err, sqlite3 *db, int rc, const char *what)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	int code = vg_sql_code(rc);

	if (code == VG_OK)
		code = VG_EIO; /* a caller reporting "success" as a failure: still fail */
	return vg_error(err, code, "%s: %s", what, msg);
}

int
vg_sql_exec(sqlite3 *db, const char *sql, const char *what, struct vg_err *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return vg_sql_error(err, db, rc, what);
	return VG_OK;
}

int
vg_sql_pragma_int(sqlite3 *db, const char *name, int64_t *out, struct vg_err *err)
{
	char sql[64];
	sqlite3_stmt *st = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "PRAGMA %s", name);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK) {
		int code = vg_sql_error(err, db, rc, name);
		sqlite3_finalize(st);
		return code;
	}
	sqlite3_finalize(st);
	return VG_OK;
}
