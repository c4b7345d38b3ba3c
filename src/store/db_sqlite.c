/* SQLite driver: WAL, foreign keys on, BEGIN IMMEDIATE for writes so a reader
 * never has to upgrade. An acknowledged write survives a power cut: the
 * connections run synchronous=NORMAL and every commit waits for a shared WAL
 * fsync before it returns (group commit, sqlite_group_sync.c explains why this
 * is as durable as synchronous=FULL). Other processes are waited for by the
 * busy timeout.
 *
 * Write batches. The write transactions of this process's threads all run on
 * one writer connection per file, in turn, under the file's writer lock, and
 * several of them share one SQLite transaction: the first opens it (BEGIN
 * IMMEDIATE), each later one runs inside a savepoint of it, so a rollback
 * undoes just that one. A transaction that ends while other threads queue for
 * the lock, or while a WAL fsync runs, leaves the batch open (up to MAX_BATCH);
 * the one that ends with neither commits it and tells the rest how it went. Nothing is
 * acknowledged before that COMMIT and its fsync. Why: each commit writes every
 * page it changed to the WAL, and a points award changes some 17 pages of
 * which most (the issuing account, the right edges of the ledger's and the
 * audit log's indexes) are the same for every award; in a batch they are
 * written once. A transaction inside a batch sees what the ones before it
 * wrote; it is acknowledged only once they are durable too, and if the batch
 * fails every member fails. */
#include "store/db_internal.h"
#include "store/sqlite_change_mark.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_group_sync.h"

enum { BUSY_TIMEOUT_MS = 10000 };

/* Transactions in one batch at most: bounds what one failure takes with it
 * and how long the first waits. */
enum { MAX_BATCH = 32 };

/* How often a member waiting for its batch checks that somebody will end it. */
enum { MEMBER_WAIT_MS = 50 };

/* Checkpoint once the WAL holds this many frames (SQLite's own default). */
enum { CHECKPOINT_FRAMES = 1000 };

/* One SQLite connection, its prepared statements and what its WAL hook saw. */
typedef struct conn {
    sqlite3 *h;
    stmt_cache cache;
    bool committed; /* a transaction committed since this was last cleared */
    int wal_frames; /* frames in the WAL after the last commit */
} conn;

/* A file's writer connection and its open batch; used only by the holder of
 * the file's writer lock. */
typedef struct writer {
    conn c;
    bool open;   /* a batch is open */
    int members; /* transactions that joined it */
} writer;

typedef struct {
    conn own;  /* this thread's connection: reads, and writes without a file lock */
    conn *cur; /* own, or the writer's while in a write transaction */
    struct sqlite_change_mark mark;
    group_sync *file;  /* NULL for an in-memory database: no batches */
    bool group_commit; /* commits wait for the shared WAL fsync */
    bool writer_held;  /* this connection holds the file's writer lock */
    bool in_batch;     /* in a write transaction of the open batch, until tx_done */
    bool first;        /* ... which it opened (no savepoint of its own) */
    bool read_tx;      /* a request's read transaction is open (db_read_begin) */
    const char *sync;  /* the synchronous pragma, for the writer connection */
} sq;

/* SQLite's WAL hook: runs after every commit has been written to the WAL. It
 * replaces SQLite's automatic checkpoint, which would run inside COMMIT while
 * the writer lock is held and stall every other writer of the process for its
 * two fsyncs; checkpoint() runs it after the lock is released instead. */
static int on_wal_commit(void *arg, sqlite3 *h, const char *name, int frames)
{
    (void)h;
    (void)name;
    conn *c = arg;
    c->committed = true;
    c->wal_frames = frames;
    return SQLITE_OK;
}

/* A passive checkpoint through h (it waits for nobody; a concurrent one makes
 * it a no-op), once the WAL has grown past CHECKPOINT_FRAMES. */
static void checkpoint(sqlite3 *h, int frames)
{
    if (frames >= CHECKPOINT_FRAMES)
        sqlite3_wal_checkpoint_v2(h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
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

/* Records SQLite's error rc of connection h as the db's error; its DB_* code. */
static int sqlite_failed(db *d, sqlite3 *h, int rc)
{
    db_set_error(d, map_rc(rc) ? map_rc(rc) : DB_ERROR, "%s", sqlite3_errmsg(h));
    return d->last_code;
}

/* Runs one fixed statement on c, prepared once (BEGIN, COMMIT, SAVEPOINT…:
 * on a read answered from memory the read transaction's BEGIN and COMMIT are
 * all a request asks of SQLite). SQLITE_OK or SQLite's error code. */
static int run_fixed(conn *c, const char *sql)
{
    sqlite3_stmt *st = stmt_cache_get(&c->cache, sql);
    if (!st) {
        int rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) return rc;
        stmt_cache_put(&c->cache, sql, st);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* A deferred BEGIN takes no lock until the first SELECT. */
static void sq_read_begin(db *d)
{
    sq *s = d->impl;
    if (s->read_tx || !sqlite3_get_autocommit(s->own.h)) return;
    run_fixed(&s->own, "BEGIN");
    s->read_tx = !sqlite3_get_autocommit(s->own.h);
}

static void sq_read_end(db *d)
{
    sq *s = d->impl;
    if (!s->read_tx) return;
    s->read_tx = false;
    if (!sqlite3_get_autocommit(s->own.h)) run_fixed(&s->own, "COMMIT");
}

/* ---- the writer connection and its batches ---- */

static void finalize(void *st)
{
    sqlite3_finalize(st);
}

static void conn_close(conn *c)
{
    stmt_cache_free(&c->cache, finalize);
    sqlite3_close(c->h); /* rolls back a transaction left open */
}

static void writer_free(void *arg)
{
    writer *w = arg;
    conn_close(&w->c);
    free(w);
}

/* The file's writer connection, opened by the first writer (lock held). */
static writer *writer_of(db *d)
{
    sq *s = d->impl;
    writer *w = group_sync_shared(s->file);
    if (w) return w;
    const char *path = sqlite3_db_filename(s->own.h, "main");
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
        /* Savepoint journals in memory: each member of a batch journals what
         * it changes, and once spilled to a temporary file SQLite reuses that
         * file for the rest of the connection's life, a write per page. */
        rc = sqlite3_exec(h, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(h, s->sync, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        db_set_error(d, DB_ERROR, "cannot open the writer connection: %s",
                     h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return NULL;
    }
    w = calloc(1, sizeof *w);
    if (!w) abort();
    w->c.h = h;
    sqlite3_wal_hook(h, on_wal_commit, &w->c);
    group_sync_set_shared(s->file, w, writer_free);
    return w;
}

static int lock_writer(db *d)
{
    sq *s = d->impl;
    sq_read_end(d); /* a write starts from the newest snapshot, as it always did */
    if (group_sync_lock_writer(s->file, BUSY_TIMEOUT_MS) != SQLITE_OK) {
        db_set_error(d, DB_BUSY,
                     "database is locked (by this thread's other connection, or for "
                     "too long by another thread)");
        return DB_BUSY;
    }
    s->writer_held = true;
    return DB_OK;
}

/* SQLite rolls a whole transaction back by itself after some errors (I/O,
 * full disk, out of memory): then the open batch is gone. */
static bool batch_lost(const writer *w)
{
    return w->open && sqlite3_get_autocommit(w->c.h);
}

/* Commits the open batch (rolls it back if it was lost), tells its waiting
 * members how it went and gives the ticket its durability waits for (0 when
 * nothing was written) and the WAL's size. Writer lock held. */
static int end_batch(db *d, writer *w, uint64_t *ticket, int *frames)
{
    sq *s = d->impl;
    int rc = batch_lost(w) ? SQLITE_ABORT : run_fixed(&w->c, "COMMIT");
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(w->c.h)) run_fixed(&w->c, "ROLLBACK");
    *ticket = rc == SQLITE_OK && w->c.committed && s->group_commit ? group_sync_ticket(s->file) : 0;
    *frames = w->c.wal_frames;
    w->c.committed = false;
    w->open = false;
    w->members = 0;
    group_sync_batch_end(s->file, rc, *ticket);
    return rc;
}

/* After a member's batch ended: wait until what it committed is on disk. */
static int make_durable(db *d, int rc, uint64_t ticket)
{
    sq *s = d->impl;
    if (rc == SQLITE_OK && ticket) rc = group_sync_wait_ticket(s->file, s->own.h, ticket);
    if (rc == SQLITE_OK) return DB_OK;
    db_set_error(d, DB_ERROR, "the write batch was not made durable: %s", sqlite3_errstr(rc));
    return DB_ERROR;
}

/* A member that left its batch open waits for whoever ends it. If it was
 * kept open for a running fsync, the members end it themselves once that fsync
 * is over (whoever takes the writer lock first; a thread holding it decides
 * when it releases it). And should nobody be left to end it (a thread counted
 * as queued gave up), a member ends it once it can take the writer lock. */
static int await_batch(db *d, group_sync_member *m, bool until_idle)
{
    sq *s = d->impl;
    while (!group_sync_wait_member(s->file, m, MEMBER_WAIT_MS, until_idle)) {
        if (!group_sync_trylock_writer(s->file)) {
            until_idle = false; /* the holder decides; wait for its word */
            continue;
        }
        /* the lock is ours and still no news: the open batch is ours */
        if (!group_sync_wait_member(s->file, m, 0, false)) {
            uint64_t ticket;
            int frames;
            end_batch(d, group_sync_shared(s->file), &ticket, &frames);
            group_sync_unlock_writer(s->file);
            checkpoint(s->own.h, frames);
        } else {
            group_sync_unlock_writer(s->file);
        }
        break;
    }
    return make_durable(d, m->rc, m->ticket);
}

/* Releases the writer lock; member: this connection's transaction is in the
 * open batch and is acknowledged only when the batch is durable. The batch
 * stays open while another transaction can join it (see group_sync_enlist);
 * else it is committed now. */
static int release_writer(db *d, bool member)
{
    sq *s = d->impl;
    writer *w = group_sync_shared(s->file);
    s->writer_held = false;
    if (!w || !w->open) {
        group_sync_unlock_writer(s->file);
        return DB_OK;
    }
    if (!batch_lost(w) && w->members < MAX_BATCH) {
        if (member) {
            group_sync_member m = {0};
            int why = group_sync_enlist(s->file, &m);
            if (why) {
                group_sync_unlock_writer(s->file);
                return await_batch(d, &m, why == GS_FSYNC_RUNNING);
            }
        } else if (group_sync_writers_waiting(s->file)) {
            group_sync_unlock_writer(s->file);
            return DB_OK;
        }
    }
    uint64_t ticket;
    int frames;
    int rc = end_batch(d, w, &ticket, &frames);
    group_sync_unlock_writer(s->file);
    int out = member ? make_durable(d, rc, ticket) : DB_OK;
    checkpoint(s->own.h, frames);
    return out;
}

/* db_begin of the outermost level: join the open batch or open one. */
static int sq_tx_begin(db *d)
{
    sq *s = d->impl;
    if (!s->file) {
        sq_read_end(d);
        int rc = run_fixed(&s->own, "BEGIN IMMEDIATE");
        return rc == SQLITE_OK ? DB_OK : sqlite_failed(d, s->own.h, rc);
    }
    int rc = lock_writer(d);
    if (rc < 0) return rc;
    writer *w = writer_of(d);
    if (!w) {
        release_writer(d, false);
        return DB_ERROR;
    }
    bool first = !w->open;
    int src = run_fixed(&w->c, first ? "BEGIN IMMEDIATE" : "SAVEPOINT linli_tx");
    if (src != SQLITE_OK) {
        rc = sqlite_failed(d, w->c.h, src);
        release_writer(d, false);
        return rc;
    }
    if (first) {
        w->open = true;
        w->members = 0;
        w->c.committed = false;
    }
    w->members++;
    s->in_batch = true;
    s->first = first;
    s->cur = &w->c;
    return DB_OK;
}

/* db_commit or db_rollback of the outermost level: this transaction's own
 * part ends (RELEASE or ROLLBACK TO its savepoint); the batch goes on. */
static int sq_tx_end(db *d, bool commit)
{
    sq *s = d->impl;
    if (!s->file) {
        int rc = run_fixed(&s->own, commit ? "COMMIT" : "ROLLBACK");
        return rc == SQLITE_OK ? DB_OK : sqlite_failed(d, s->own.h, rc);
    }
    if (!s->in_batch || s->cur == &s->own) return DB_OK; /* not in one, or ended already */
    s->cur = &s->own;
    writer *w = group_sync_shared(s->file);
    int rc = SQLITE_OK;
    if (batch_lost(w)) {
        rc = SQLITE_ABORT;
    } else if (!s->first) {
        if (!commit) rc = run_fixed(&w->c, "ROLLBACK TO linli_tx");
        if (rc == SQLITE_OK) rc = run_fixed(&w->c, "RELEASE linli_tx");
    } else if (!commit) { /* the first and only member: nothing else to keep */
        rc = run_fixed(&w->c, "ROLLBACK");
        w->open = false;
        w->members = 0;
    }
    if (rc == SQLITE_OK) return DB_OK;
    db_set_error(d, DB_ERROR, "the write batch was rolled back: %s", sqlite3_errstr(rc));
    return DB_ERROR;
}

/* After the outermost level ended (or failed to begin). */
static int sq_tx_done(db *d)
{
    sq *s = d->impl;
    if (!s->file) return DB_OK;
    bool member = s->in_batch;
    s->in_batch = false;
    s->cur = &s->own;
    return s->writer_held ? release_writer(d, member) : DB_OK;
}

/* ---- statements ---- */

static sqlite3_stmt *prepare(db *d, conn *c, const char *sql, int n, const db_param *p)
{
    sqlite3_stmt *st = stmt_cache_get(&c->cache, sql);
    if (!st) {
        int rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) {
            db_set_error(d, map_rc(rc), "%s", sqlite3_errmsg(c->h));
            return NULL;
        }
        stmt_cache_put(&c->cache, sql, st);
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

/* A write outside a transaction runs as a transaction of its own, so that it
 * goes through the writer connection and its batches like any other. Not
 * VACUUM (`VACUUM INTO` makes the backups), which SQLite refuses inside a
 * transaction: it runs on this connection, as it always did. */
static bool needs_own_tx(db *d, const char *sql, sqlite3_stmt *st)
{
    sq *s = d->impl;
    return s->file && d->tx_depth == 0 && !sqlite3_stmt_readonly(st) &&
           strncmp(sql, "VACUUM", 6) != 0;
}

/* After a statement or script on the thread's own connection outside a
 * transaction (a script, VACUUM; an in-memory database's writes): what it
 * committed is made durable by the shared fsync and checkpointed, as the
 * writer connection's commits are. */
static int after_own_write(db *d)
{
    sq *s = d->impl;
    if (s->cur != &s->own || !s->own.committed) return DB_OK;
    s->own.committed = false;
    int rc = s->group_commit ? group_sync_wait_durable(s->file, s->own.h) : SQLITE_OK;
    checkpoint(s->own.h, s->own.wal_frames);
    if (rc == SQLITE_OK) return DB_OK;
    db_set_error(d, DB_ERROR, "committed but not made durable: %s", sqlite3_errstr(rc));
    return DB_ERROR;
}

static int sq_exec(db *d, const char *sql, int n, const db_param *p);

static int exec_in_own_tx(db *d, const char *sql, int n, const db_param *p)
{
    int rc = db_begin(d);
    if (rc < 0) return rc;
    rc = sq_exec(d, sql, n, p);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    int c = db_commit(d);
    return c < 0 ? c : rc;
}

static int sq_exec(db *d, const char *sql, int n, const db_param *p)
{
    sq *s = d->impl;
    sqlite3_stmt *st = prepare(d, s->cur, sql, n, p);
    if (!st) return d->last_code ? d->last_code : DB_ERROR;
    if (needs_own_tx(d, sql, st)) return exec_in_own_tx(d, sql, n, p);
    if (d->tx_depth == 0 && !sqlite3_stmt_readonly(st)) sq_read_end(d); /* VACUUM refuses one */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
        sqlite_failed(d, s->cur->h, rc);
        sqlite3_reset(st);
        return d->last_code;
    }
    int changes = sqlite3_changes(s->cur->h);
    sqlite3_reset(st);
    int durable = after_own_write(d);
    return durable < 0 ? durable : changes;
}

static db_rows *sq_query(db *d, arena *a, const char *sql, int n, const db_param *p);

static db_rows *query_in_own_tx(db *d, arena *a, const char *sql, int n, const db_param *p)
{
    if (db_begin(d) < 0) return NULL;
    db_rows *r = sq_query(d, a, sql, n, p);
    if (!r) {
        db_rollback(d);
        return NULL;
    }
    return db_commit(d) < 0 ? NULL : r;
}

static db_rows *sq_query(db *d, arena *a, const char *sql, int n, const db_param *p)
{
    sq *s = d->impl;
    sqlite3_stmt *st = prepare(d, s->cur, sql, n, p);
    if (!st) return NULL;
    if (needs_own_tx(d, sql, st)) return query_in_own_tx(d, a, sql, n, p);
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
        sqlite_failed(d, s->cur->h, rc);
        sqlite3_reset(st);
        return NULL;
    }
    sqlite3_reset(st);
    return after_own_write(d) < 0 ? NULL : r;
}

/* A connection setting (PRAGMA outside a transaction) is given to the writer
 * connection too, where this connection's writes run; an open batch is
 * committed first, since some settings cannot change inside a transaction. */
static int pragma_to_writer(db *d, const char *sql)
{
    sq *s = d->impl;
    int rc = lock_writer(d);
    if (rc < 0) return rc;
    writer *w = writer_of(d);
    if (w && w->open) {
        uint64_t ticket;
        int frames;
        end_batch(d, w, &ticket, &frames);
    }
    char *msg = NULL;
    if (w && sqlite3_exec(w->c.h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        db_set_error(d, DB_ERROR, "%s", msg ? msg : "error");
        rc = DB_ERROR;
    }
    sqlite3_free(msg);
    s->writer_held = false;
    group_sync_unlock_writer(s->file);
    return w ? rc : DB_ERROR;
}

static int sq_exec_script(db *d, const char *sql)
{
    sq *s = d->impl;
    char *msg = NULL;
    if (d->tx_depth == 0) sq_read_end(d);
    int rc = sqlite3_exec(s->cur->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_error(d, map_rc(rc) ? map_rc(rc) : DB_ERROR, "%s", msg ? msg : "error");
        sqlite3_free(msg);
        return map_rc(rc) ? map_rc(rc) : DB_ERROR;
    }
    if (after_own_write(d) < 0) return DB_ERROR;
    bool outside = d->tx_depth == 0 && s->cur == &s->own;
    if (outside && s->file && strncmp(sql, "PRAGMA", 6) == 0) return pragma_to_writer(d, sql);
    return DB_OK;
}

static void sq_close(db *d)
{
    sq *s = d->impl;
    if (s->in_batch) { /* a transaction left open: its part is undone */
        sq_tx_end(d, false);
        sq_tx_done(d);
    } else if (s->writer_held) {
        release_writer(d, false);
    }
    sqlite_change_mark_close(&s->mark);
    conn_close(&s->own);
    group_sync_detach(s->file);
    free(s);
    free(d);
}

_Static_assert((int)DB_CHANGE_MARK_LEN == (int)SQLITE_CHANGE_MARK_LEN, "one mark length");

static bool sq_change_mark(db *d, unsigned char out[DB_CHANGE_MARK_LEN])
{
    sq *s = d->impl;
    return sqlite_change_mark_read(&s->mark, s->own.h, out);
}

static const struct db_driver sqlite_driver = {
    .exec = sq_exec,
    .query = sq_query,
    .exec_script = sq_exec_script,
    .close = sq_close,
    .begin_sql = NULL, /* tx_lock begins: BEGIN IMMEDIATE, or a savepoint in a batch */
    .change_mark = sq_change_mark,
    .tx_lock = sq_tx_begin,
    .tx_done = sq_tx_done,
    .tx_end = sq_tx_end,
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
    const char *sync_pragma =
        group_commit || no_commit_sync ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL";
    char *msg = NULL;
    if (sqlite3_exec(h, "PRAGMA foreign_keys=ON", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h, sync_pragma, NULL, NULL, &msg) != SQLITE_OK) {
        if (err) *err = strdup(msg ? msg : "pragma failed");
        sqlite3_free(msg);
        group_sync_detach(file);
        sqlite3_close(h);
        return NULL;
    }
    db *d = calloc(1, sizeof *d);
    sq *s = calloc(1, sizeof *s);
    if (!d || !s) abort();
    s->own.h = h;
    s->cur = &s->own;
    s->file = file;
    s->group_commit = group_commit;
    s->sync = sync_pragma;
    s->mark = sqlite_change_mark_for(wal);
    if (wal) sqlite3_wal_hook(h, on_wal_commit, &s->own);
    d->impl = s;
    d->drv = &sqlite_driver;
    d->kind = DB_SQLITE;
    return d;
}
