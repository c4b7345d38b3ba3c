/* Helpers for unit tests that run on both stores: the throwaway PostgreSQL
 * cluster of tests/run.sh (LINLI_TEST_PG_URL) and fixtures made on it.
 * Header-only: each unit test is one program. */
#ifndef LINLI_UNIT_PG_H
#define LINLI_UNIT_PG_H
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Opens url into f (stem names the test in messages); 0 or -1. */
static inline int fixture_open(fixture *f, const char *url, const char *stem)
{
    char *err = NULL;
    f->d = db_open(url, &err);
    if (!f->d) {
        fprintf(stderr, "%s: cannot open %s: %s\n", stem, url, err ? err : "?");
        free(err);
        return -1;
    }
    f->a = arena_new();
    return 0;
}

/* cmocka setups: a fresh SQLite file /tmp/linli_<stem>_<pid>.db, or a fresh
 * database on the test cluster; fixture_teardown removes either. */
static inline int fixture_sqlite(void **state, const char *stem)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/linli_%s_%ld.db", stem, (long)getpid());
    unlink(f->path);
    *state = f;
    return fixture_open(f, f->path, stem);
}

static inline int fixture_pg(void **state, const char *stem)
{
    fixture *f = calloc(1, sizeof *f);
    *state = f;
    f->admin = pg_admin_url();
    char name[32], sql[128];
    snprintf(name, sizeof name, "t_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    if (admin_sql(f->admin, sql) < 0) return -1;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (admin_sql(f->admin, sql) < 0) return -1;
    memcpy(f->dbname, name, sizeof name); /* teardown drops it */
    char *url = url_with_db(f->admin, f->dbname);
    int rc = fixture_open(f, url, stem);
    free(url);
    return rc;
}

static inline int fixture_teardown(void **state)
{
    fixture *f = *state;
    db_close(f->d);
    arena_free(f->a);
    int rc = 0;
    if (f->path[0]) {
        char side[80];
        unlink(f->path);
        snprintf(side, sizeof side, "%s-wal", f->path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", f->path);
        unlink(side);
    }
    if (f->dbname[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->dbname);
        rc = admin_sql(f->admin, sql);
    }
    free(f);
    return rc;
}

#endif
