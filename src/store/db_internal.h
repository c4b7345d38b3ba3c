/* What a storage driver provides. Only db.c, db_sqlite.c and db_pg.c include this. */
#ifndef LINLI_DB_INTERNAL_H
#define LINLI_DB_INTERNAL_H
#include "store/db.h"

struct db_driver {
    /* ≥ 0 changed rows, or a negative DB_* code (message in d->errmsg). */
    int (*exec)(db *d, const char *sql, int n, const db_param *p);
    db_rows *(*query)(db *d, arena *a, const char *sql, int n, const db_param *p);
    int (*exec_script)(db *d, const char *sql);
    void (*close)(db *d);
    const char *begin_sql; /* "BEGIN": NULL when tx_lock begins the transaction itself */
    /* Optional (NULL: none): see db_change_mark(). */
    bool (*change_mark)(db *d, unsigned char out[DB_CHANGE_MARK_LEN]);
    /* Optional, around the outermost transaction: tx_lock before begin_sql
     * (DB_OK or a negative DB_* code), tx_done after its COMMIT or ROLLBACK
     * (or a failed begin_sql); tx_done returns a negative DB_* code when a
     * committed transaction could not be made durable. */
    int (*tx_lock)(db *d);
    int (*tx_done)(db *d);
    /* Optional: ends the outermost level (NULL: COMMIT or ROLLBACK). */
    int (*tx_end)(db *d, bool commit);
    /* Optional: see db_read_begin(). */
    void (*read_begin)(db *d);
    void (*read_end)(db *d);
};

struct db {
    const struct db_driver *drv;
    db_kind kind;
    int tx_depth;
    bool tx_failed; /* an inner level rolled back: the outer commit must too */
    int last_code;
    char errmsg[512];
    void *impl;
};

void db_set_error(db *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

db *db_sqlite_open(const char *path, char **err);
db *db_pg_open(const char *url, char **err);

/* Small cache of prepared statements keyed by SQL text address. */
typedef struct stmt_cache {
    const char **keys;
    void **vals;
    int n, cap;
} stmt_cache;
void *stmt_cache_get(stmt_cache *c, const char *sql);
void stmt_cache_put(stmt_cache *c, const char *sql, void *stmt);
void stmt_cache_free(stmt_cache *c, void (*fin)(void *));

#endif
