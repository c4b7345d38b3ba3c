/* A mark that changes whenever any transaction commits to a SQLite database in
 * WAL mode, from any connection of any process, read without a transaction and
 * without a system call: the WAL-index header in the "-shm" file (SQLite's
 * documented format, https://sqlite.org/walformat.html §2.1), whose change
 * counter and frame count every commit rewrites.
 *
 * Why by hand: SQLite offers the same knowledge (PRAGMA data_version,
 * SQLITE_FCNTL_DATA_VERSION) only at the start of a read transaction, and on a
 * server whose reads are answered from memory that transaction — two fcntl()
 * locks and a mutex held across them — was most of the cost of a request.
 * Callers use the mark only to skip re-reading what they read under the same
 * mark; when it cannot be read they read as before. */
#ifndef LINLI_SQLITE_CHANGE_MARK_H
#define LINLI_SQLITE_CHANGE_MARK_H
#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>

enum { SQLITE_CHANGE_MARK_LEN = 48 };

struct sqlite_change_mark {
    const volatile unsigned char *shm; /* SQLite's mapping of "-shm" region 0; NULL: not yet */
    bool failed;                       /* no "-shm" to read: do not try again */
};

/* A mark for a connection; wal: whether it runs in WAL mode (the driver knows
 * from opening it). Without a WAL there is no header, and every read fails. */
struct sqlite_change_mark sqlite_change_mark_for(bool wal);

/* Fills out and returns true when the header could be read consistently; the
 * connection h must stay open while m is used (the mapping is the
 * connection's), and be used by the calling thread only. */
bool sqlite_change_mark_read(struct sqlite_change_mark *m, sqlite3 *h,
                             unsigned char out[SQLITE_CHANGE_MARK_LEN]);
void sqlite_change_mark_close(struct sqlite_change_mark *m);

#endif
