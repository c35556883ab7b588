/*
 * store.h - the store behind one interface: everything vigil and vigild
 * keep, in one database.
 *
 * The interface is the set of modules below; callers include this header
 * (or the one module they need) and never see SQL:
 *
 *   kb.h        the knowledge base: open/migrate, transactions, feed
 *               imports (sink), matching queries, vulnerability details
 *   auth.h      API tokens and their roles
 *   fleet.h     enrolled devices and the reports of their agents
 *   config.h    the configuration check catalog, each device's results
 *               per check and their history, the Secure Score's counts
 *   findings.h  the engine's conclusions: per-tuple matches, device
 *               findings, vulnerability summaries, the event timeline
 *   sql.h       read-only query access for the API's collections
 *
 * Backend: SQLite (WAL, one connection per thread, statements prepared
 * once per connection, numbered migrations embedded at build time).  The
 * SQL is kept portable so that a PostgreSQL backend can implement the same
 * interface: parameters only (never text built from input), integer Unix
 * times, no SQLite-only functions in queries, `ON CONFLICT ... DO UPDATE`
 * upserts, STRICT column types that map one-to-one (docs/internals/store.md
 * "Portability").
 */
#ifndef VG_STORE_STORE_H
#define VG_STORE_STORE_H

#include "store/auth.h"
#include "store/config.h"
#include "store/findings.h"
#include "store/fleet.h"
#include "store/kb.h"

#endif /* VG_STORE_STORE_H */
