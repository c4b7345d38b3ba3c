/* SQLite driver: WAL, foreign keys on, BEGIN IMMEDIATE for writes so a reader
 * never has to upgrade. An acknowledged write survives a power cut: the
 * connections run synchronous=NORMAL and every commit waits for a shared WAL
 * fsync before it returns (group commit, sqlite_group_sync.c explains why this
 * is as durable as synchronous=FULL). The threads of this process queue for
 * writing on a per-file lock; other processes are waited for by the busy
 * timeout. */
#include "store/db_internal.h"
#include "store/sqlite_change_mark.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_group_sync.h"

enum { BUSY_TIMEOUT_MS = 10000 };

typedef struct {
    sqlite3 *h;
    stmt_cache cache;
    struct sqlite_change_mark mark;
    group_sync *file;  /* NULL for an in-memory database */
    bool group_commit; /* commits wait for the shared WAL fsync */
    bool writer_held;  /* this connection holds the file's writer lock */
    bool committed;    /* a write transaction committed since the last barrier */
    int wal_frames;    /* frames in the WAL after the last commit */
    bool read_tx;      /* a request's read transaction is open (db_read_begin) */
} sq;

/* Checkpoint once the WAL holds this many frames (SQLite's own default). */
enum { CHECKPOINT_FRAMES = 1000 };

/* SQLite's WAL hook: runs after every commit has been written to the WAL. It
 * replaces SQLite's automatic checkpoint, which would run inside COMMIT while
 * this connection still holds the writer lock and stall every other writer of
 * the process for its two fsyncs; checkpoint() runs it after the lock is
 * released instead. */
static int on_wal_commit(void *arg, sqlite3 *h, const char *name, int frames)
{
    (void)h;
    (void)name;
    sq *s = arg;
    s->committed = true;
    s->wal_frames = frames;
    return SQLITE_OK;
}

/* A passive checkpoint (it waits for nobody; a concurrent one makes it a no-op). */
static void checkpoint(sq *s)
{
    if (s->wal_frames < CHECKPOINT_FRAMES) return;
    s->wal_frames = 0;
    sqlite3_wal_checkpoint_v2(s->h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return DB_OK;
    case SQLITE_CONSTRAINT:
        return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_BUSY;
    default:
        return DB_ERROR;
    }
}

/* BEGIN and COMMIT of a request's read transaction, prepared once: on a read
 * answered from memory they are all the request asks of SQLite. A deferred
 * BEGIN takes no lock until the first SELECT. */
static void run_cached(sq *s, const char *sql)
{
    sqlite3_stmt *st = stmt_cache_get(&s->cache, sql);
    if (!st && sqlite3_prepare_v3(s->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) == SQLITE_OK)
        stmt_cache_put(&s->cache, sql, st);
    if (!st) return;
    sqlite3_step(st);
    sqlite3_reset(st);
}

static void sq_read_begin(db *d)
{
    sq *s = d->impl;
    if (s->read_tx || !sqlite3_get_autocommit(s->h)) return;
    run_cached(s, "BEGIN");
    s->read_tx = !sqlite3_get_autocommit(s->h);
}

static void sq_read_end(db *d)
{
    sq *s = d->impl;
    if (!s->read_tx) return;
    s->read_tx = false;
    if (!sqlite3_get_autocommit(s->h)) run_cached(s, "COMMIT");
}

static int lock_writer(db *d)
{
    sq *s = d->impl;
    sq_read_end(d); /* a write starts from the newest snapshot, as it always did */
    if (!s->file || s->writer_held) return DB_OK;
    if (group_sync_lock_writer(s->file, BUSY_TIMEOUT_MS) != SQLITE_OK) {
        db_set_error(d, DB_BUSY,
                     "database is locked (by this thread's other connection, or for "
                     "too long by another thread)");
        return DB_BUSY;
    }
    s->writer_held = true;
    return DB_OK;
}

/* After the writer lock is released: wait until what was committed is on disk. */
static int make_durable(db *d)
{
    sq *s = d->impl;
    if (!s->committed) return DB_OK;
    s->committed = false;
    int rc = s->group_commit ? group_sync_wait_durable(s->file, s->h) : SQLITE_OK;
    checkpoint(s);
    if (rc == SQLITE_OK) return DB_OK;
    db_set_error(d, DB_ERROR, "committed but not made durable: %s", sqlite3_errstr(rc));
    return DB_ERROR;
}

static int sq_tx_done(db *d)
{
    sq *s = d->impl;
    if (s->writer_held) {
        s->writer_held = false;
        group_sync_unlock_writer(s->file);
    }
    return make_durable(d);
}

/* A statement outside a transaction: a write queues for the writer lock like
 * a transaction would (false when it timed out). */
static bool autocommit_start(db *d, sqlite3_stmt *st, bool *locked)
{
    *locked = false;
    if (d->tx_depth > 0 || sqlite3_stmt_readonly(st)) return true;
    sq *s = d->impl;
    sq_read_end(d);
    if (!s->file || s->writer_held) return true;
    if (lock_writer(d) < 0) return false;
    *locked = true;
    return true;
}

/* After a statement or script: an autocommit write is made durable now;
 * inside a transaction that waits for db_commit (sq_tx_done). */
static int autocommit_end(db *d, bool locked)
{
    sq *s = d->impl;
    if (locked) return sq_tx_done(d);
    if (s->committed && !s->writer_held && sqlite3_get_autocommit(s->h)) return make_durable(d);
    return DB_OK;
}

static sqlite3_stmt *prepare(db *d, const char *sql, int n, const db_param *p)
{
    sq *s = d->impl;
    sqlite3_stmt *st = stmt_cache_get(&s->cache, sql);
    if (!st) {
        int rc = sqlite3_prepare_v3(s->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) {
            db_set_error(d, map_rc(rc), "%s", sqlite3_errmsg(s->h));
            return NULL;
        }
        stmt_cache_put(&s->cache, sql, st);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (sqlite3_bind_parameter_count(st) != n) {
        db_set_error(d, DB_ERROR, "expected %d parameters, got %d: %s",
                     sqlite3_bind_parameter_count(st), n, sql);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        switch (p[i].type) {
        case DBP_NULL:
            sqlite3_bind_null(st, i + 1);
            break;
        case DBP_INT:
            sqlite3_bind_int64(st, i + 1, p[i].i);
            break;
        case DBP_TEXT:
            sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_STATIC);
            break;
        }
    }
    return st;
}

static int sq_exec(db *d, const char *sql, int n, const db_param *p)
{
    sq *s = d->impl;
    sqlite3_stmt *st = prepare(d, sql, n, p);
    if (!st) return d->last_code ? d->last_code : DB_ERROR;
    bool locked;
    if (!autocommit_start(d, st, &locked)) return DB_BUSY;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
        db_set_error(d, map_rc(rc), "%s", sqlite3_errmsg(s->h));
        sqlite3_reset(st);
        autocommit_end(d, locked);
        return map_rc(rc) ? map_rc(rc) : DB_ERROR;
    }
    int changes = sqlite3_changes(s->h);
    sqlite3_reset(st);
    int durable = autocommit_end(d, locked);
    return durable < 0 ? durable : changes;
}

static db_rows *sq_query(db *d, arena *a, const char *sql, int n, const db_param *p)
{
    sq *s = d->impl;
    sqlite3_stmt *st = prepare(d, sql, n, p);
    if (!st) return NULL;
    bool locked;
    if (!autocommit_start(d, st, &locked)) return NULL;
    db_rows *r = arena_alloc(a, sizeof *r);
    r->ncols = sqlite3_column_count(st);
    r->names = arena_alloc(a, sizeof(char *) * (size_t)(r->ncols + 1));
    for (int c = 0; c < r->ncols; c++) r->names[c] = arena_strdup(a, sqlite3_column_name(st, c));
    int cap = 16, rc;
    r->cells = arena_alloc(a, sizeof(char *) * (size_t)(cap * (r->ncols ? r->ncols : 1)));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->nrows == cap) {
            char **old = r->cells;
            cap *= 2;
            r->cells = arena_alloc(a, sizeof(char *) * (size_t)(cap * r->ncols));
            memcpy(r->cells, old, sizeof(char *) * (size_t)(r->nrows * r->ncols));
        }
        for (int c = 0; c < r->ncols; c++) {
            const unsigned char *t = sqlite3_column_text(st, c);
            r->cells[r->nrows * r->ncols + c] =
                t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, c)) : NULL;
        }
        r->nrows++;
    }
    if (rc != SQLITE_DONE) {
        db_set_error(d, map_rc(rc) ? map_rc(rc) : DB_ERROR, "%s", sqlite3_errmsg(s->h));
        sqlite3_reset(st);
        autocommit_end(d, locked);
        return NULL;
    }
    sqlite3_reset(st);
    return autocommit_end(d, locked) < 0 ? NULL : r;
}

static int sq_exec_script(db *d, const char *sql)
{
    sq *s = d->impl;
    char *msg = NULL;
    int rc = sqlite3_exec(s->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_error(d, map_rc(rc) ? map_rc(rc) : DB_ERROR, "%s", msg ? msg : "error");
        sqlite3_free(msg);
        autocommit_end(d, false);
        return map_rc(rc) ? map_rc(rc) : DB_ERROR;
    }
    return autocommit_end(d, false);
}

static void finalize(void *st)
{
    sqlite3_finalize(st);
}

static void sq_close(db *d)
{
    sq *s = d->impl;
    stmt_cache_free(&s->cache, finalize);
    sqlite_change_mark_close(&s->mark);
    sqlite3_close(s->h); /* rolls back a transaction left open */
    if (s->writer_held) group_sync_unlock_writer(s->file);
    group_sync_detach(s->file);
    free(s);
    free(d);
}

_Static_assert((int)DB_CHANGE_MARK_LEN == (int)SQLITE_CHANGE_MARK_LEN, "one mark length");

static bool sq_change_mark(db *d, unsigned char out[DB_CHANGE_MARK_LEN])
{
    sq *s = d->impl;
    return sqlite_change_mark_read(&s->mark, s->h, out);
}

static const struct db_driver sqlite_driver = {
    .exec = sq_exec,
    .query = sq_query,
    .exec_script = sq_exec_script,
    .close = sq_close,
    .begin_sql = "BEGIN IMMEDIATE",
    .change_mark = sq_change_mark,
    .tx_lock = lock_writer,
    .tx_done = sq_tx_done,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
};

/* "PRAGMA journal_mode=WAL" answers the mode it got: "memory" for an
 * in-memory database, where there is no WAL to sync. */
static int set_wal(sqlite3 *h, bool *wal)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    *wal = mode && strcmp(mode, "wal") == 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* A savepoint's journal (the points award opens one) stays in memory up to
 * 96 KiB instead of SQLite's 64 KiB: an award with its ledger entries and audit
 * entry journals some 18 pages (75 KiB), and spilling them meant creating,
 * writing and deleting a temporary file on every award. Not more: the spill
 * writes a whole chunk of this size at once, and the unix VFS fails writes
 * above 128 KiB (SQLITE_FULL). Process-wide, so set once before SQLite
 * initialises (ignored if something initialised it already). */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 96 * 1024);
    /* No allocation statistics either: their global mutex was taken by every
     * allocation of every thread (SQLite's own advice; nothing reads them). */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

db *db_sqlite_open(const char *path, char **err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    if (strncmp(path, "sqlite:", 7) == 0) path += 7;
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(
        path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    bool wal = false;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS); /* for the writers of other processes */
        rc = set_wal(h, &wal);
    }
    if (rc != SQLITE_OK) {
        if (err) *err = strdup(h ? sqlite3_errmsg(h) : "cannot open");
        sqlite3_close(h);
        return NULL;
    }
    group_sync *file = group_sync_attach(h);
    /* LINLI_SQLITE_SYNC=NORMAL (benchmarks only): no fsync per commit at all.
     * Group commit needs the WAL; without one (in-memory) FULL stays. */
    const char *sync = getenv("LINLI_SQLITE_SYNC");
    bool no_commit_sync = sync && strcmp(sync, "NORMAL") == 0;
    bool group_commit = wal && file && !no_commit_sync;
    char *msg = NULL;
    if (sqlite3_exec(h, "PRAGMA foreign_keys=ON", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h,
                     group_commit || no_commit_sync ? "PRAGMA synchronous=NORMAL"
                                                    : "PRAGMA synchronous=FULL",
                     NULL, NULL, &msg) != SQLITE_OK) {
        if (err) *err = strdup(msg ? msg : "pragma failed");
        sqlite3_free(msg);
        group_sync_detach(file);
        sqlite3_close(h);
        return NULL;
    }
    db *d = calloc(1, sizeof *d);
    sq *s = calloc(1, sizeof *s);
    if (!d || !s) abort();
    s->h = h;
    s->file = file;
    s->group_commit = group_commit;
    s->mark = sqlite_change_mark_for(wal);
    if (wal) sqlite3_wal_hook(h, on_wal_commit, s);
    d->impl = s;
    d->drv = &sqlite_driver;
    d->kind = DB_SQLITE;
    return d;
}
