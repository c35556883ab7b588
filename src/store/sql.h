/*
 * sql.h - raw SQL access to the store's connection, for the read queries
 * of vigild's /api collections (src/server/api_query.h), whose SQL is
 * assembled from program-supplied field lists and bound parameters.
 *
 * Everything else goes through kb.h, fleet.h and auth.h: statements run
 * here bypass the store's statement cache and transaction bookkeeping, so
 * a caller must not BEGIN, COMMIT or change the schema through it.
 */
#ifndef VG_STORE_SQL_H
#define VG_STORE_SQL_H

#include <sqlite3.h>

#include "store/kb.h"

/**
 * The SQLite connection of @kb (borrowed: valid until vg_kb_close(), on
 * @kb's thread only).  For parameterised SELECTs and single-statement
 * updates outside an open import transaction.
 */
sqlite3 *vg_kb_db(struct vg_kb *kb);

#endif /* VG_STORE_SQL_H */
