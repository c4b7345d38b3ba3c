/* See sqlite_change_mark.h. The WAL-index header is kept twice (bytes 0–47 and
 * 48–95); a writer updates the second copy, then the first, with memory
 * barriers between. A reader that finds both equal and initialised has read one
 * header whole — SQLite's own reader does the same (walIndexTryHdr).
 *
 * The header is read through SQLite's own mapping of the "-shm" file, obtained
 * with the VFS method xShmMap, never by opening the file: closing any
 * descriptor of a file drops every POSIX lock the process holds on it, SQLite's
 * included, and two processes could then write at once. */
#include "store/sqlite_change_mark.h"

#include <string.h>

enum { HDR = SQLITE_CHANGE_MARK_LEN, IS_INIT = 12, WALINDEX_PGSZ = 32768 };

static bool map_shm(struct sqlite_change_mark *m, sqlite3 *h)
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(h, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
        return false;
    /* region 0, not extended: SQLite mapped it when the connection first read
     * in WAL mode, and it stays at one address until the connection closes */
    void volatile *p = NULL;
    if (f->pMethods->xShmMap(f, 0, WALINDEX_PGSZ, 0, &p) != SQLITE_OK || !p) return false;
    m->shm = (const volatile unsigned char *)p;
    return true;
}

struct sqlite_change_mark sqlite_change_mark_for(bool wal)
{
    return (struct sqlite_change_mark){.failed = !wal};
}

bool sqlite_change_mark_read(struct sqlite_change_mark *m, sqlite3 *h,
                             unsigned char out[SQLITE_CHANGE_MARK_LEN])
{
    if (m->failed) return false;
    if (!m->shm && !map_shm(m, h)) {
        m->failed = true;
        return false;
    }
    unsigned char second[HDR];
    for (int i = 0; i < HDR; i++) out[i] = m->shm[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (int i = 0; i < HDR; i++) second[i] = m->shm[HDR + i];
    return out[IS_INIT] && memcmp(out, second, HDR) == 0;
}

void sqlite_change_mark_close(struct sqlite_change_mark *m)
{
    *m = (struct sqlite_change_mark){0}; /* the mapping is SQLite's: it unmaps it */
}
