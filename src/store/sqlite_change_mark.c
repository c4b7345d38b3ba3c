/* See sqlite_change_mark.h. The WAL-index header is kept twice (bytes 0–47 and
 * 48–95); a writer updates the second copy, then the first, with memory
 * barriers between. A reader that finds both equal and initialised has read one
 * header whole — SQLite's own reader does the same (walIndexTryHdr). */
#include "store/sqlite_change_mark.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { HDR = SQLITE_CHANGE_MARK_LEN, IS_INIT = 12, MAP_LEN = 4096 };

static bool map_shm(struct sqlite_change_mark *m, sqlite3 *h)
{
    const char *db = sqlite3_db_filename(h, "main");
    sqlite3_stmt *st = NULL;
    bool wal = false;
    if (sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *mode = sqlite3_column_text(st, 0);
        wal = mode && strcmp((const char *)mode, "wal") == 0;
    }
    sqlite3_finalize(st);
    if (!wal || !db || !*db) return false;
    char path[4096];
    if (snprintf(path, sizeof path, "%s-shm", db) >= (int)sizeof path) return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat s;
    void *p = MAP_FAILED;
    /* SQLite grows the file in 32 KiB regions and never shrinks it while a
     * connection (ours) holds it open, so one page stays mapped safely. */
    if (fstat(fd, &s) == 0 && s.st_size >= MAP_LEN)
        p = mmap(NULL, MAP_LEN, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return false;
    m->shm = p;
    m->len = MAP_LEN;
    return true;
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
    if (m->shm) munmap((void *)(uintptr_t)m->shm, m->len);
    *m = (struct sqlite_change_mark){0};
}
