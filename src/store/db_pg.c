/* PostgreSQL driver (libpq). The same contract as db_sqlite.c:
 *
 * - '?' placeholders are rewritten to $1..$n once, when a statement is first
 *   prepared (string literals, quoted identifiers, dollar quotes and comments
 *   are skipped); the statement is prepared under a generated name ("s17") and
 *   cached by the ADDRESS of its SQL text, then run with PQexecPrepared and
 *   text-format parameters whose types the server infers from context (write
 *   CAST(? AS TEXT) where it cannot, e.g. "? IS NULL").
 * - Results are copied into the caller's arena as text cells.
 * - SQLSTATE class 23 is DB_CONSTRAINT; serialization failure, deadlock and
 *   lock-not-available are DB_BUSY; everything else is DB_ERROR.
 * - Sessions are UTF-8, UTC and quiet below WARNING.
 * - A broken connection is reset once (PQreset). Prepared statements die with
 *   the old session, so the cache is emptied. A statement that was not inside a
 *   transaction is then retried once; a transaction that was open is lost, so
 *   every statement fails until the caller rolls back (or its commit fails). */
#include "store/db_internal.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A prepared statement: its server-side name and number of parameters. */
typedef struct {
    int nparams;
    char name[16];
} pg_stmt;

typedef struct {
    PGconn *c;
    stmt_cache cache;
    unsigned next_id; /* for statement names; never reused within a session */
    bool tx_lost;     /* the session died inside a transaction */
} pg;

/* ---- placeholders ---- */

static bool ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '$' || (unsigned char)ch >= 0x80;
}

/* Length of a dollar-quote tag starting at s ("$$" or "$tag$"), 0 if none. */
static size_t dollar_tag(const char *s)
{
    size_t i = 1;
    if (s[i] == '$') return 2;
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
          (unsigned char)s[i] >= 0x80))
        return 0;
    while (s[i] && s[i] != '$' && ident_char(s[i])) i++;
    return s[i] == '$' ? i + 1 : 0;
}

/* Rewrites '?' to $1..$n outside literals, quoted identifiers and comments.
 * Returns a malloc'd string and sets *count, or NULL if there are too many
 * parameters. */
static char *rewrite_placeholders(const char *sql, int *count)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 6 + 1); /* '?' becomes at most "$65535" */
    if (!out) abort();
    char *o = out;
    int n = 0;
    const char *s = sql;
    while (*s) {
        if (*s == '\'') {
            /* E'…' strings treat a backslash as an escape; standard strings do not. */
            bool esc =
                s > sql && (s[-1] == 'E' || s[-1] == 'e') && (s - 1 == sql || !ident_char(s[-2]));
            *o++ = *s++;
            while (*s && *s != '\'') {
                if (esc && *s == '\\' && s[1]) *o++ = *s++;
                *o++ = *s++;
            }
            if (*s) *o++ = *s++; /* '' is the end of one string and the start of the next */
        } else if (*s == '"') {
            *o++ = *s++;
            while (*s && *s != '"') *o++ = *s++;
            if (*s) *o++ = *s++;
        } else if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n') *o++ = *s++;
        } else if (s[0] == '/' && s[1] == '*') {
            int depth = 0; /* PostgreSQL block comments nest */
            do {
                if (s[0] == '/' && s[1] == '*') {
                    depth++;
                    *o++ = *s++;
                } else if (s[0] == '*' && s[1] == '/') {
                    depth--;
                    *o++ = *s++;
                }
                *o++ = *s++;
            } while (*s && depth > 0);
        } else if (*s == '$' && (s == sql || !ident_char(s[-1])) && dollar_tag(s)) {
            size_t tl = dollar_tag(s);
            const char *tag = s;
            memcpy(o, s, tl);
            o += tl;
            s += tl;
            while (*s && strncmp(s, tag, tl) != 0) *o++ = *s++;
            if (*s) {
                memcpy(o, s, tl);
                o += tl;
                s += tl;
            }
        } else if (*s == '?') {
            if (++n > 65535) {
                free(out);
                return NULL;
            }
            o += sprintf(o, "$%d", n);
            s++;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    *count = n;
    return out;
}

/* ---- errors ---- */

static int map_sqlstate(const char *state)
{
    if (!state) return DB_ERROR;
    if (strncmp(state, "23", 2) == 0) return DB_CONSTRAINT;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return DB_BUSY;
    return DB_ERROR;
}

/* Copies a libpq message on one line: libpq ends messages with a newline and
 * puts hints on indented lines of their own. */
static void trim_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src && *src ? src : "unknown PostgreSQL error");
    char *o = dst;
    for (const char *s = dst; *s; s++) {
        if (*s == '\n') {
            while (s[1] == '\n' || s[1] == '\t' || s[1] == ' ') s++;
            *o++ = ' ';
        } else {
            *o++ = *s;
        }
    }
    while (o > dst && o[-1] == ' ') o--;
    *o = '\0';
}

/* Records the error of res (or of the connection when res carries none) in
 * d->errmsg and d->last_code. */
static void set_result_error(db *d, const PGresult *res)
{
    pg *p = d->impl;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    int code = map_sqlstate(state);
    if (primary) {
        db_set_error(d, code, "%s%s%s [%s]", primary, detail ? ": " : "", detail ? detail : "",
                     state ? state : "?");
    } else {
        char msg[sizeof d->errmsg];
        trim_copy(msg, sizeof msg,
                  res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
                                                    : PQerrorMessage(p->c));
        db_set_error(d, code, "%s", msg);
    }
}

/* ---- session ---- */

static void free_stmt(void *st)
{
    free(st);
}

/* Settings every session starts with (again after a reset). */
static int session_setup(PGconn *c, char *msg, size_t cap)
{
    if (PQsetClientEncoding(c, "UTF8") != 0) {
        trim_copy(msg, cap, PQerrorMessage(c));
        return -1;
    }
    /* JIT compiles plans for "expensive" queries: it costs seconds on our short
     * OLTP statements and never pays off here. */
    PGresult *res = PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'; "
                              "SET jit = off");
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) trim_copy(msg, cap, PQresultErrorMessage(res));
    PQclear(res);
    return ok ? 0 : -1;
}

/* The session is gone: reconnect once and forget its prepared statements. If
 * the caller's transaction was open on it (had_tx), that transaction is lost:
 * statements fail until it ends, and its outer commit fails. */
static int reconnect(db *d, bool had_tx)
{
    pg *p = d->impl;
    stmt_cache_free(&p->cache, free_stmt);
    if (had_tx && d->tx_depth > 0) {
        p->tx_lost = true;
        d->tx_failed = true;
    }
    PQreset(p->c);
    char msg[sizeof d->errmsg];
    if (PQstatus(p->c) != CONNECTION_OK) {
        trim_copy(msg, sizeof msg, PQerrorMessage(p->c));
        db_set_error(d, DB_ERROR, "connection to PostgreSQL lost: %s", msg);
        return DB_ERROR;
    }
    if (session_setup(p->c, msg, sizeof msg) < 0) {
        db_set_error(d, DB_ERROR, "connection to PostgreSQL reset: %s", msg);
        return DB_ERROR;
    }
    return DB_OK;
}

/* Before a call: refuses statements of a lost transaction, and resets a
 * connection whose last reset failed. */
static int ready(db *d)
{
    pg *p = d->impl;
    if (!p->tx_lost && PQstatus(p->c) == CONNECTION_BAD && reconnect(d, false) < 0) return DB_ERROR;
    if (p->tx_lost) {
        db_set_error(d, DB_ERROR, "connection to PostgreSQL was lost inside this transaction");
        return DB_ERROR;
    }
    return DB_OK;
}

/* After a failed call (error already recorded): true if the session had died,
 * was reset, and the call may run again because no transaction was open on
 * the old session (before is the transaction status before the call). */
static bool recovered(db *d, PGTransactionStatusType before)
{
    pg *p = d->impl;
    if (PQstatus(p->c) != CONNECTION_BAD) return false;
    bool had_tx = before != PQTRANS_IDLE;
    return reconnect(d, had_tx) == DB_OK && !had_tx;
}

/* ---- statements ---- */

/* The cached statement for sql, prepared on first use; on failure records
 * the error and returns NULL. */
static const pg_stmt *prepare(db *d, const char *sql)
{
    pg *p = d->impl;
    pg_stmt *st = stmt_cache_get(&p->cache, sql);
    if (st) return st;
    int count = 0;
    char *text = rewrite_placeholders(sql, &count);
    if (!text) {
        db_set_error(d, DB_ERROR, "too many parameters: %.100s", sql);
        return NULL;
    }
    st = calloc(1, sizeof *st);
    if (!st) abort();
    st->nparams = count;
    snprintf(st->name, sizeof st->name, "s%u", p->next_id++);
    PGresult *res = PQprepare(p->c, st->name, text, count, NULL);
    free(text);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        set_result_error(d, res);
        PQclear(res);
        free(st);
        return NULL;
    }
    PQclear(res);
    stmt_cache_put(&p->cache, sql, st);
    return st;
}

enum { INLINE_PARAMS = 32 };

/* Runs a prepared statement with text-format parameters. */
static PGresult *exec_prepared(db *d, const pg_stmt *st, int n, const db_param *prm)
{
    pg *p = d->impl;
    char numbuf[INLINE_PARAMS][24];
    const char *valbuf[INLINE_PARAMS] = {0};
    char(*nums)[24] = numbuf;
    const char **vals = valbuf;
    if (n > INLINE_PARAMS) {
        nums = malloc(sizeof *nums * (size_t)n);
        vals = malloc(sizeof *vals * (size_t)n);
        if (!nums || !vals) abort();
    }
    for (int i = 0; i < n; i++) {
        vals[i] = NULL;
        switch (prm[i].type) {
        case DBP_NULL:
            break;
        case DBP_INT:
            snprintf(nums[i], sizeof nums[i], "%" PRId64, prm[i].i);
            vals[i] = nums[i];
            break;
        case DBP_TEXT:
            vals[i] = prm[i].s;
            break;
        }
    }
    PGresult *res = PQexecPrepared(p->c, st->name, n, vals, NULL, NULL, 0);
    if (n > INLINE_PARAMS) {
        free(nums);
        free(vals);
    }
    return res;
}

/* Prepares (once) and runs sql; returns a successful result (the caller
 * clears it) or NULL with the error recorded. */
static PGresult *run(db *d, const char *sql, int n, const db_param *prm)
{
    pg *p = d->impl;
    if (ready(d) < 0) return NULL;
    for (int attempt = 0;; attempt++) {
        PGTransactionStatusType before = PQtransactionStatus(p->c);
        const pg_stmt *st = prepare(d, sql);
        if (st && st->nparams != n) {
            db_set_error(d, DB_ERROR, "expected %d parameters, got %d: %s", st->nparams, n, sql);
            return NULL;
        }
        if (st) {
            PGresult *res = exec_prepared(d, st, n, prm);
            ExecStatusType rs = PQresultStatus(res);
            if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) return res;
            set_result_error(d, res);
            PQclear(res);
        }
        if (attempt > 0 || !recovered(d, before)) return NULL;
    }
}

static int pg_exec(db *d, const char *sql, int n, const db_param *p)
{
    d->last_code = DB_OK;
    PGresult *res = run(d, sql, n, p);
    if (!res) return d->last_code < 0 ? d->last_code : DB_ERROR;
    const char *t = PQcmdTuples(res);
    int changed = *t ? atoi(t) : 0;
    PQclear(res);
    return changed;
}

static db_rows *pg_query(db *d, arena *a, const char *sql, int n, const db_param *p)
{
    d->last_code = DB_OK;
    PGresult *res = run(d, sql, n, p);
    if (!res) {
        if (d->last_code == DB_OK) d->last_code = DB_ERROR;
        return NULL;
    }
    db_rows *r = arena_alloc(a, sizeof *r);
    r->nrows = PQntuples(res);
    r->ncols = PQnfields(res);
    r->names = arena_alloc(a, sizeof(char *) * (size_t)(r->ncols + 1));
    for (int c = 0; c < r->ncols; c++) r->names[c] = arena_strdup(a, PQfname(res, c));
    size_t ncells = (size_t)r->nrows * (size_t)r->ncols;
    r->cells = arena_alloc(a, sizeof(char *) * (ncells ? ncells : 1));
    for (int i = 0; i < r->nrows; i++)
        for (int c = 0; c < r->ncols; c++)
            r->cells[(size_t)i * (size_t)r->ncols + (size_t)c] =
                PQgetisnull(res, i, c)
                    ? NULL
                    : arena_strndup(a, PQgetvalue(res, i, c), (size_t)PQgetlength(res, i, c));
    PQclear(res);
    return r;
}

static int pg_exec_script(db *d, const char *sql)
{
    pg *p = d->impl;
    d->last_code = DB_OK;
    if (p->tx_lost && d->tx_depth == 0) {
        /* the COMMIT or ROLLBACK that ends the lost transaction */
        p->tx_lost = false;
        if (strcmp(sql, "ROLLBACK") == 0) return DB_OK;
        db_set_error(d, DB_ERROR, "connection to PostgreSQL was lost inside this transaction");
        return DB_ERROR;
    }
    if (ready(d) < 0) return DB_ERROR;
    for (int attempt = 0;; attempt++) {
        PGTransactionStatusType before = PQtransactionStatus(p->c);
        PGresult *res = PQexec(p->c, sql);
        ExecStatusType rs = PQresultStatus(res);
        if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK || rs == PGRES_EMPTY_QUERY) {
            PQclear(res);
            return DB_OK;
        }
        set_result_error(d, res);
        PQclear(res);
        if (attempt > 0 || !recovered(d, before)) return d->last_code < 0 ? d->last_code : DB_ERROR;
    }
}

static void pg_close(db *d)
{
    pg *p = d->impl;
    stmt_cache_free(&p->cache, free_stmt);
    PQfinish(p->c);
    free(p);
    free(d);
}

static const struct db_driver pg_driver = {
    .exec = pg_exec,
    .query = pg_query,
    .exec_script = pg_exec_script,
    .close = pg_close,
    .begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
};

db *db_pg_open(const char *url, char **err)
{
    PGconn *c = PQconnectdb(url);
    char msg[512];
    if (!c) {
        if (err) *err = strdup("cannot allocate a PostgreSQL connection");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        trim_copy(msg, sizeof msg, PQerrorMessage(c));
        if (err) *err = strdup(msg);
        PQfinish(c);
        return NULL;
    }
    if (session_setup(c, msg, sizeof msg) < 0) {
        if (err) *err = strdup(msg);
        PQfinish(c);
        return NULL;
    }
    db *d = calloc(1, sizeof *d);
    pg *p = calloc(1, sizeof *p);
    if (!d || !p) abort();
    p->c = c;
    d->impl = p;
    d->drv = &pg_driver;
    d->kind = DB_PG;
    return d;
}
