/* Driver dispatch, transactions, accessors and the per-thread connection. */
#include "store/db_internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void db_set_error(db *d, int code, const char *fmt, ...)
{
    d->last_code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->errmsg, sizeof d->errmsg, fmt, ap);
    va_end(ap);
}

db *db_open(const char *url, char **err)
{
    if (!url || !*url) url = "linli.db";
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return db_pg_open(url, err);
    return db_sqlite_open(url, err);
}

void db_close(db *d)
{
    if (d) d->drv->close(d);
}

db_kind db_kind_of(const db *d)
{
    return d->kind;
}

const char *db_errmsg(db *d)
{
    return d->errmsg;
}

int db_last_code(db *d)
{
    return d->last_code;
}

int db_exec(db *d, const char *sql, int n, const db_param *p)
{
    d->last_code = DB_OK;
    int rc = d->drv->exec(d, sql, n, p);
    if (rc < 0) d->last_code = rc;
    return rc;
}

db_rows *db_query(db *d, arena *a, const char *sql, int n, const db_param *p)
{
    d->last_code = DB_OK;
    return d->drv->query(d, a, sql, n, p);
}

int db_exec_script(db *d, const char *sql)
{
    return d->drv->exec_script(d, sql);
}

/* The driver's work after the outermost transaction ended (SQLite: release
 * the writer lock, then wait until a commit is durable). */
static int tx_done(db *d)
{
    return d->drv->tx_done ? d->drv->tx_done(d) : DB_OK;
}

/* COMMIT or ROLLBACK of the outermost level, in the driver's way. */
static int tx_end(db *d, bool commit)
{
    if (d->drv->tx_end) return d->drv->tx_end(d, commit);
    return d->drv->exec_script(d, commit ? "COMMIT" : "ROLLBACK");
}

int db_begin(db *d)
{
    if (d->tx_depth++ > 0) return DB_OK;
    d->tx_failed = false;
    int rc = d->drv->tx_lock ? d->drv->tx_lock(d) : DB_OK;
    if (rc < 0) {
        d->tx_depth = 0;
        return rc;
    }
    if (d->drv->begin_sql) rc = d->drv->exec_script(d, d->drv->begin_sql);
    if (rc < 0) {
        d->tx_depth = 0;
        tx_done(d);
    }
    return rc < 0 ? rc : DB_OK;
}

int db_commit(db *d)
{
    if (d->tx_depth <= 0) return DB_ERROR;
    if (--d->tx_depth > 0) return DB_OK;
    if (d->tx_failed) {
        tx_end(d, false);
        tx_done(d);
        db_set_error(d, DB_ERROR, "transaction rolled back by an inner level");
        return DB_ERROR;
    }
    int rc = tx_end(d, true);
    if (rc < 0) { /* SQLite may have rolled back already: keep COMMIT's error */
        char saved[sizeof d->errmsg];
        memcpy(saved, d->errmsg, sizeof saved);
        tx_end(d, false);
        memcpy(d->errmsg, saved, sizeof saved);
        d->last_code = rc;
    }
    int done = tx_done(d);
    if (rc < 0) return rc;
    return done < 0 ? done : DB_OK;
}

int db_rollback(db *d)
{
    if (d->tx_depth <= 0) return DB_ERROR;
    if (--d->tx_depth > 0) {
        d->tx_failed = true;
        return DB_OK;
    }
    /* keep the error of the failed statement visible to the caller */
    char saved[sizeof d->errmsg];
    int code = d->last_code;
    memcpy(saved, d->errmsg, sizeof saved);
    tx_end(d, false);
    tx_done(d);
    memcpy(d->errmsg, saved, sizeof saved);
    d->last_code = code;
    return DB_OK;
}

void db_read_begin(db *d)
{
    if (d->tx_depth == 0 && d->drv->read_begin) d->drv->read_begin(d);
}

void db_read_end(db *d)
{
    if (d->drv->read_end) d->drv->read_end(d);
}

bool db_change_mark(db *d, unsigned char out[DB_CHANGE_MARK_LEN])
{
    return d->drv->change_mark && d->drv->change_mark(d, out);
}

bool db_in_tx(const db *d)
{
    return d->tx_depth > 0;
}

const char *db_get(const db_rows *r, int row, int col)
{
    if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols) return NULL;
    return r->cells[row * r->ncols + col];
}

int64_t db_get_int(const db_rows *r, int row, int col)
{
    const char *s = db_get(r, row, col);
    return s ? strtoll(s, NULL, 10) : 0;
}

int db_col(const db_rows *r, const char *name)
{
    for (int i = 0; r && i < r->ncols; i++)
        if (strcmp(r->names[i], name) == 0) return i;
    return -1;
}

int64_t db_scalar_int(db *d, const char *sql, int n, const db_param *p, int64_t dflt)
{
    arena *a = arena_new();
    db_rows *r = db_query(d, a, sql, n, p);
    int64_t v = (r && r->nrows > 0 && db_get(r, 0, 0)) ? db_get_int(r, 0, 0) : dflt;
    arena_free(a);
    return v;
}

/* ---- statement cache ---- */

void *stmt_cache_get(stmt_cache *c, const char *sql)
{
    for (int i = 0; i < c->n; i++)
        if (c->keys[i] == sql) return c->vals[i];
    return NULL;
}

void stmt_cache_put(stmt_cache *c, const char *sql, void *stmt)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->keys = realloc(c->keys, (size_t)c->cap * sizeof *c->keys);
        c->vals = realloc(c->vals, (size_t)c->cap * sizeof *c->vals);
        if (!c->keys || !c->vals) abort();
    }
    c->keys[c->n] = sql;
    c->vals[c->n] = stmt;
    c->n++;
}

void stmt_cache_free(stmt_cache *c, void (*fin)(void *))
{
    for (int i = 0; i < c->n; i++)
        if (fin) fin(c->vals[i]);
    free(c->keys);
    free(c->vals);
    memset(c, 0, sizeof *c);
}

/* ---- per-thread connection ---- */

static char *configured_url;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void thread_db_destroy(void *p)
{
    db_close(p);
}

static void thread_key_init(void)
{
    pthread_key_create(&thread_key, thread_db_destroy);
}

void db_configure(const char *url)
{
    free(configured_url);
    configured_url = url ? strdup(url) : NULL;
}

const char *db_configured_url(void)
{
    return configured_url ? configured_url : "linli.db";
}

db *db_thread(void)
{
    pthread_once(&thread_once, thread_key_init);
    db *d = pthread_getspecific(thread_key);
    if (d) return d;
    char *err = NULL;
    d = db_open(db_configured_url(), &err);
    if (!d) {
        fprintf(stderr, "linli: cannot open database: %s\n", err ? err : "?");
        free(err);
        return NULL;
    }
    pthread_setspecific(thread_key, d);
    return d;
}

void db_thread_close(void)
{
    pthread_once(&thread_once, thread_key_init);
    db *d = pthread_getspecific(thread_key);
    if (d) {
        db_close(d);
        pthread_setspecific(thread_key, NULL);
    }
}
