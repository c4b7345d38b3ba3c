/* Helpers for unit tests that run on both stores: the throwaway PostgreSQL
 * cluster of tests/run.sh (LINLI_TEST_PG_URL) and fixtures made on it.
 * Header-only: each unit test is one program. */
#ifndef LINLI_UNIT_PG_H
#define LINLI_UNIT_PG_H
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

/* One test's database: a SQLite file or a PostgreSQL database. */
typedef struct {
    db *d;
    arena *a;
    char path[64];     /* SQLite file */
    char dbname[32];   /* PostgreSQL database */
    const char *admin; /* PostgreSQL URL the database is made on */
} fixture;

/* The test cluster's admin URL, or NULL when the tests run on SQLite only. */
static inline const char *pg_admin_url(void)
{
    const char *u = getenv("LINLI_TEST_PG_URL");
    return u && *u ? u : NULL;
}

static inline void pg_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Runs one SQL command on a separate admin connection; 0 on success. */
static inline int admin_sql(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    int rc = -1;
    PQsetNoticeProcessor(c, pg_quiet, NULL);
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
        if (rc) fprintf(stderr, "unit test: %s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
    } else {
        fprintf(stderr, "unit test: cannot connect to %s: %s", url, PQerrorMessage(c));
    }
    PQfinish(c);
    return rc;
}

/* url with its database path replaced by name (a query string is kept);
 * malloc'd. */
static inline char *url_with_db(const char *url, const char *name)
{
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    size_t head = strcspn(host, "/?") + (size_t)(host - url);
    const char *tail = url + head;
    if (*tail == '/') tail += strcspn(tail, "?");
    size_t n = head + 1 + strlen(name) + strlen(tail) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s/%s%s", (int)head, url, name, tail);
    return out;
}

#endif
