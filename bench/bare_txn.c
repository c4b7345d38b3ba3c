/* bare_txn — the ceiling linli's order creation is measured against: the
 * rate of one-row write transactions with nothing but SQLite, each durable
 * when COMMIT returns, with linli's connection settings (WAL,
 * synchronous=FULL, busy_timeout 60 s) on the same disk. Built by
 * bench/run.sh, not by `make`.
 *
 *   bare_txn DB SECONDS THREADS
 *
 * Each of THREADS threads opens its own connection (as each of linli's
 * worker threads does) and repeats BEGIN IMMEDIATE; INSERT one row of about
 * an order's size; COMMIT for SECONDS seconds. Prints
 * "commits N seconds S commits_per_s R". The rows go into a table of their own
 * (bench_txn), created if missing. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 256

static const char *db_path;
static double deadline;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(sqlite3 *h, const char *what)
{
    fprintf(stderr, "bare_txn: %s: %s\n", what, h ? sqlite3_errmsg(h) : "?");
    exit(1);
}

static sqlite3 *open_db(void)
{
    sqlite3 *h;
    if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        die(h, db_path);
    sqlite3_busy_timeout(h, 60000); /* SQLite's busy wait can starve one thread for over 10 s */
    if (sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL) !=
        SQLITE_OK)
        die(h, "pragmas");
    return h;
}

static void exec(sqlite3 *h, const char *sql)
{
    if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK) die(h, sql);
}

static void *writer(void *arg)
{
    long *commits = arg;
    sqlite3 *h = open_db();
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h,
                           "INSERT INTO bench_txn(place_code, title, description, created_at) "
                           "VALUES ('140930100010001', '路灯不亮', ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        die(h, "prepare");
    char body[201];
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    while (now_s() < deadline) {
        exec(h, "BEGIN IMMEDIATE");
        sqlite3_bind_text(st, 1, body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
        if (sqlite3_step(st) != SQLITE_DONE) die(h, "insert");
        sqlite3_reset(st);
        exec(h, "COMMIT");
        (*commits)++;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bare_txn DB SECONDS THREADS\n");
        return 2;
    }
    db_path = argv[1];
    double secs = atof(argv[2]);
    int n = atoi(argv[3]);
    if (secs <= 0 || n < 1 || n > MAX_THREADS)
        return fprintf(stderr, "bare_txn: bad arguments\n"), 2;
    sqlite3 *h = open_db();
    exec(h, "CREATE TABLE IF NOT EXISTS bench_txn (id INTEGER PRIMARY KEY, place_code TEXT, "
            "title TEXT, description TEXT, created_at INTEGER)");
    sqlite3_close(h);

    static pthread_t th[MAX_THREADS];
    static long commits[MAX_THREADS];
    double t0 = now_s();
    deadline = t0 + secs;
    for (int i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, writer, &commits[i]) != 0) return perror("thread"), 1;
    long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        total += commits[i];
    }
    double s = now_s() - t0;
    printf("commits %ld seconds %.3f commits_per_s %.0f\n", total, s,
           s > 0 ? (double)total / s : 0.0);
    return 0;
}
