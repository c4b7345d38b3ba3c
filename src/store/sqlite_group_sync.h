/* Per-database-file coordination of the SQLite connections of one process:
 * a writer lock the threads queue on (instead of sleeping in SQLite's busy
 * handler), the members of a write batch waiting for it to end, and group
 * commit — one fsync of the WAL serves every commit that finished before it
 * started. Only db_sqlite.c uses this; see the comment in sqlite_group_sync.c
 * for why an acknowledged commit is as durable as with synchronous=FULL, and
 * db_sqlite.c for the write batches. */
#ifndef LINLI_SQLITE_GROUP_SYNC_H
#define LINLI_SQLITE_GROUP_SYNC_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct group_sync group_sync;

/* A transaction that ended inside a write batch left open for others, waiting
 * to hear how the batch ended: its COMMIT's result and the ticket to wait for
 * (0: the batch wrote nothing). Lives on the waiting thread's stack. */
typedef struct group_sync_member {
    struct group_sync_member *next;
    bool done;
    int rc;
    uint64_t ticket;
} group_sync_member;

/* The shared state of the file h has open as "main" (made on first use,
 * counted per connection), or NULL for an in-memory or temporary database. */
group_sync *group_sync_attach(sqlite3 *h);
void group_sync_detach(group_sync *g);

/* Takes the file's writer lock, waiting up to timeout_ms: SQLITE_OK, or
 * SQLITE_BUSY when it timed out or this thread already holds it (a write on
 * another connection of the same file would wait for itself). */
int group_sync_lock_writer(group_sync *g, int timeout_ms);
bool group_sync_trylock_writer(group_sync *g);
void group_sync_unlock_writer(group_sync *g);
/* Whether some thread is blocked taking the writer lock now. */
bool group_sync_writers_waiting(group_sync *g);

/* One object of the caller's per file (the shared writer connection), freed
 * with shared_free when the last connection detaches. Set and read under the
 * writer lock. */
void *group_sync_shared(group_sync *g);
void group_sync_set_shared(group_sync *g, void *shared, void (*shared_free)(void *));

/* The open batch's members. A transaction that ended in the batch enlists
 * (writer lock held) before releasing the lock, if another transaction can
 * still join: a thread waits for the lock (GS_WRITERS_WAITING), or an fsync is
 * running, during which whatever ends would wait anyway (GS_FSYNC_RUNNING);
 * 0: not enlisted, the batch should be committed now. The thread that ends the
 * batch tells every member with batch_end (writer lock held). wait_member
 * returns true once told; false after timeout_ms, or with until_idle as soon as
 * no fsync is running (then the batch waits for nothing any more). */
enum { GS_WRITERS_WAITING = 1, GS_FSYNC_RUNNING = 2 };
int group_sync_enlist(group_sync *g, group_sync_member *m);
void group_sync_batch_end(group_sync *g, int rc, uint64_t ticket);
/* How many members wait for the open batch now (for tests). */
int group_sync_members_waiting(group_sync *g);
bool group_sync_wait_member(group_sync *g, group_sync_member *m, int timeout_ms, bool until_idle);

/* Returns once everything h has committed is on disk: SQLITE_OK, or the error
 * of the fsync that should have covered it. Call after a commit, without the
 * writer lock, so others commit while the fsync runs. */
int group_sync_wait_durable(group_sync *g, sqlite3 *h);
/* The same in two steps: a ticket drawn after a commit, then the wait for an
 * fsync that started after it (through h, any connection to the file). */
uint64_t group_sync_ticket(group_sync *g);
int group_sync_wait_ticket(group_sync *g, sqlite3 *h, uint64_t ticket);

#endif
