/* SQLite driver: WAL, synchronous=FULL (an acknowledged write survives a power
 * cut), foreign keys on, a busy timeout so concurrent writers queue instead of
 * failing, BEGIN IMMEDIATE for writes so a reader never has to upgrade. */
#include "store/db_internal.h"
#include "store/sqlite_change_mark.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    sqlite3 *h;
    stmt_cache cache;
    struct sqlite_change_mark mark;
} sq;

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return DB_OK;
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_BUSY;
    default: return DB_ERROR;
    }
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
        case DBP_NULL: sqlite3_bind_null(st, i + 1); break;
        case DBP_INT: sqlite3_bind_int64(st, i + 1, p[i].i); break;
        case DBP_TEXT: sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_STATIC); break;
        }
    }
    return st;
}

static int sq_exec(db *d, const char *sql, int n, const db_param *p)
{
    sq *s = d->impl;
    sqlite3_stmt *st = prepare(d, sql, n, p);
    if (!st) return d->last_code ? d->last_code : DB_ERROR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
        db_set_error(d, map_rc(rc), "%s", sqlite3_errmsg(s->h));
        sqlite3_reset(st);
        return map_rc(rc) ? map_rc(rc) : DB_ERROR;
    }
    int changes = sqlite3_changes(s->h);
    sqlite3_reset(st);
    return changes;
}

static db_rows *sq_query(db *d, arena *a, const char *sql, int n, const db_param *p)
{
    sq *s = d->impl;
    sqlite3_stmt *st = prepare(d, sql, n, p);
    if (!st) return NULL;
    db_rows *r = arena_alloc(a, sizeof *r);
    r->ncols = sqlite3_column_count(st);
    r->names = arena_alloc(a, sizeof(char *) * (size_t)(r->ncols + 1));
    for (int c = 0; c < r->ncols; c++)
        r->names[c] = arena_strdup(a, sqlite3_column_name(st, c));
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
        return NULL;
    }
    sqlite3_reset(st);
    return r;
}

static int sq_exec_script(db *d, const char *sql)
{
    sq *s = d->impl;
    char *msg = NULL;
    int rc = sqlite3_exec(s->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_error(d, map_rc(rc) ? map_rc(rc) : DB_ERROR, "%s", msg ? msg : "error");
        sqlite3_free(msg);
        return map_rc(rc) ? map_rc(rc) : DB_ERROR;
    }
    return DB_OK;
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
    sqlite3_close(s->h);
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
};

/* Before SQLite's first use: no allocation statistics, whose global mutex every
 * thread's every allocation would otherwise take (SQLite's own advice for
 * speed; nothing here reads them). */
static void sqlite_global_config(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

db *db_sqlite_open(const char *path, char **err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_global_config);
    if (strncmp(path, "sqlite:", 7) == 0) path += 7;
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        if (err) *err = strdup(h ? sqlite3_errmsg(h) : "cannot open");
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 10000);
    const char *sync = getenv("LINLI_SQLITE_SYNC"); /* benchmarks only; FULL by default */
    char *msg = NULL;
    if (sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;", NULL, NULL, &msg) !=
            SQLITE_OK ||
        sqlite3_exec(h,
                     sync && strcmp(sync, "NORMAL") == 0 ? "PRAGMA synchronous=NORMAL"
                                                          : "PRAGMA synchronous=FULL",
                     NULL, NULL, &msg) != SQLITE_OK) {
        if (err) *err = strdup(msg ? msg : "pragma failed");
        sqlite3_free(msg);
        sqlite3_close(h);
        return NULL;
    }
    db *d = calloc(1, sizeof *d);
    sq *s = calloc(1, sizeof *s);
    if (!d || !s) abort();
    s->h = h;
    d->impl = s;
    d->drv = &sqlite_driver;
    d->kind = DB_SQLITE;
    return d;
}
