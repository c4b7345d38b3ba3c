/* Per-database-file coordination of the SQLite connections of one process:
 * a writer lock the threads queue on (instead of sleeping in SQLite's busy
 * handler), and group commit — one fsync of the WAL serves every commit that
 * finished before it started. Only db_sqlite.c uses this; see the comment in
 * sqlite_group_sync.c for why an acknowledged commit is as durable as with
 * synchronous=FULL. */
#ifndef LINLI_SQLITE_GROUP_SYNC_H
#define LINLI_SQLITE_GROUP_SYNC_H
#include <sqlite3.h>

typedef struct group_sync group_sync;

/* The shared state of the file h has open as "main" (made on first use,
 * counted per connection), or NULL for an in-memory or temporary database. */
group_sync *group_sync_attach(sqlite3 *h);
void group_sync_detach(group_sync *g);

/* Takes the file's writer lock, waiting up to timeout_ms: SQLITE_OK, or
 * SQLITE_BUSY when it timed out or this thread already holds it (a write on
 * another connection of the same file would wait for itself). */
int group_sync_lock_writer(group_sync *g, int timeout_ms);
void group_sync_unlock_writer(group_sync *g);

/* Returns once everything h has committed is on disk: SQLITE_OK, or the error
 * of the fsync that should have covered it. Call after a commit, without the
 * writer lock, so others commit while the fsync runs. */
int group_sync_wait_durable(group_sync *g, sqlite3 *h);

#endif
