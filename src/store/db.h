/* db.h — the one storage interface. Two drivers implement it, db_sqlite.c and
 * db_pg.c; everything above (store_*.c) is written once in portable SQL.
 *
 * - SQL uses '?' placeholders; the PostgreSQL driver rewrites them to $n.
 * - Statements are prepared once per connection and cached by the ADDRESS of
 *   their SQL text, so SQL must be a string literal (or otherwise static).
 * - Results are materialised as text cells in the caller's arena; lists are
 *   paged (limit ≤ 500), so this stays small and keeps drivers trivial.
 * - A connection belongs to one thread (db_thread() gives each worker its own).
 */
#ifndef LINLI_DB_H
#define LINLI_DB_H
#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct db db;
typedef enum { DB_SQLITE, DB_PG } db_kind;

/* Result codes of every call below. */
enum { DB_OK = 0, DB_ERROR = -1, DB_CONSTRAINT = -2, DB_BUSY = -3 };

typedef struct {
    enum { DBP_NULL, DBP_INT, DBP_TEXT } type;
    int64_t i;
    const char *s;
} db_param;

#define P_INT(x)  ((db_param){.type = DBP_INT, .i = (int64_t)(x)})
#define P_TEXT(x) ((db_param){.type = DBP_TEXT, .s = (x)})
/* NULL when the string is NULL (or empty for P_OPT). */
#define P_NTEXT(x) ((db_param){.type = (x) ? DBP_TEXT : DBP_NULL, .s = (x)})
#define P_OPT(x)   ((db_param){.type = ((x) && *(x)) ? DBP_TEXT : DBP_NULL, .s = (x)})
#define P_NULL     ((db_param){.type = DBP_NULL})

typedef struct db_rows {
    int nrows, ncols;
    const char **names; /* column names */
    char **cells;       /* nrows*ncols, NULL for SQL NULL */
} db_rows;

/* Opens "postgresql://…"/"postgres://…" with the PG driver, anything else as a
 * SQLite path. On failure returns NULL and sets *err (malloc'd, caller frees). */
db *db_open(const char *url, char **err);
void db_close(db *d);
db_kind db_kind_of(const db *d);
const char *db_errmsg(db *d); /* last error, valid until the next call */

/* Runs a statement; for INSERT/UPDATE/DELETE returns the number of changed
 * rows (≥ 0) or a negative DB_* code. */
int db_exec(db *d, const char *sql, int n, const db_param *p);
/* Runs a query; NULL on error (see db_errmsg/db_last_code). */
db_rows *db_query(db *d, arena *a, const char *sql, int n, const db_param *p);
int db_last_code(db *d);

/* Runs SQL text with no parameters and possibly several statements
 * (migrations). Not cached. */
int db_exec_script(db *d, const char *sql);

/* Write transactions: SQLite BEGIN IMMEDIATE, PostgreSQL BEGIN. Nesting is
 * counted; only the outermost commit commits, any rollback rolls back all. */
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);
bool db_in_tx(const db *d);

/* A mark that changes whenever any transaction commits to the database, read
 * without touching it: for skipping a re-read of what was read under the same
 * mark. false when the store has none (PostgreSQL) or it cannot be read. */
enum { DB_CHANGE_MARK_LEN = 48 };
bool db_change_mark(db *d, unsigned char out[DB_CHANGE_MARK_LEN]);

/* One read transaction for the reads of a request, where the store gains by it
 * (SQLite: one snapshot and one pair of WAL read locks instead of a pair per
 * statement; PostgreSQL: nothing). A write — db_begin() or a write statement
 * outside a transaction — ends it first, and reads after a write run on their
 * own again. The request dispatcher calls these; never leave one open in a
 * long-running thread, since an open snapshot keeps the WAL from being reset. */
void db_read_begin(db *d);
void db_read_end(db *d);

/* Cell accessors. */
const char *db_get(const db_rows *r, int row, int col);
int64_t db_get_int(const db_rows *r, int row, int col);
int db_col(const db_rows *r, const char *name); /* -1 if absent */
/* First cell of the first row as an integer; dflt when there is no row. */
int64_t db_scalar_int(db *d, const char *sql, int n, const db_param *p, int64_t dflt);

/* Convenience: DBX(d, sql, P_INT(1), P_TEXT("x")) and DBQ(d, a, sql, …). */
#define DB_ARGS_(...)                                                                              \
    (int)(sizeof((db_param[]){P_NULL, __VA_ARGS__}) / sizeof(db_param) - 1),                       \
        ((db_param[]){P_NULL, __VA_ARGS__} + 1)
#define DBX(d, sql, ...)       db_exec((d), (sql), DB_ARGS_(__VA_ARGS__))
#define DBQ(d, a, sql, ...)    db_query((d), (a), (sql), DB_ARGS_(__VA_ARGS__))
#define DBI(d, dflt, sql, ...) db_scalar_int((d), (sql), DB_ARGS_(__VA_ARGS__), (dflt))

/* Per-thread connection to the URL set once with db_configure(). Opened on
 * first use in each thread; closed by db_thread_close() (or at thread exit). */
void db_configure(const char *url);
const char *db_configured_url(void);
db *db_thread(void);
void db_thread_close(void);

/* SQLite group commit (sqlite_group_sync.c), process-wide since start: the
 * commits that waited to be durable, the write batches (SQLite transactions)
 * they were made in and the WAL fsyncs that served them. Any may be NULL. */
void db_sqlite_sync_stats(uint64_t *commits, uint64_t *batches, uint64_t *fsyncs);

/* Driver entry points (db.c dispatches to them). */
typedef struct db_driver db_driver;
#endif
