/* bare_insert — the ceiling linli's imports are measured against: the same rows
 * inserted into a table of the same shape with nothing but SQLite, one prepared
 * statement in one transaction, with linli's connection settings (WAL,
 * synchronous=FULL, foreign_keys=ON) and a 256 MiB page cache
 * (BENCH_BARE_CACHE_KIB). Built by bench/run.sh, not by `make`.
 *
 *   bare_insert DB TABLE COL,COL,… FILE   insert FILE's tab-separated rows
 *                                         (an empty field is NULL); prints
 *                                         "rows N seconds S rows_per_s R"
 *   bare_insert DB --query SQL             print the first column of each row
 *                                         (the bench script's only SQL client)
 *   bare_insert DB --exec FILE             run FILE's SQL statements in one
 *                                         transaction (bench/gen_orders.sql)
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_COLS 32

static void die(sqlite3 *h, const char *what)
{
    fprintf(stderr, "bare_insert: %s: %s\n", what, h ? sqlite3_errmsg(h) : "?");
    exit(1);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int query(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) die(h, "prepare");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        puts(v ? (const char *)v : "");
    }
    if (rc != SQLITE_DONE) die(h, "query");
    sqlite3_finalize(st);
    return 0;
}

static int exec_file(const char *path, const char *file)
{
    FILE *in = fopen(file, "r");
    if (!in) return perror(file), 1;
    static char sql[1 << 20];
    size_t n = fread(sql, 1, sizeof sql - 1, in);
    fclose(in);
    sql[n] = '\0';
    sqlite3 *h;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) die(h, path);
    char *msg = NULL;
    if (sqlite3_exec(h,
                     "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; "
                     "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; BEGIN IMMEDIATE;",
                     NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bare_insert: %s: %s\n", file, msg ? msg : sqlite3_errmsg(h));
        return 1;
    }
    return sqlite3_close(h) == SQLITE_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    /* linli's process-wide setting (src/store/db_sqlite.c): a statement's
     * journal stays in memory up to 96 KiB. An insert that fires the change
     * counters' trigger (migration 021) journals more than SQLite's default
     * 64 KiB and would otherwise spill to a temporary file on every row. */
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 96 * 1024);
    if (argc == 4 && strcmp(argv[2], "--query") == 0) {
        sqlite3 *h;
        if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(h, argv[1]);
        query(h, argv[3]);
        sqlite3_close(h);
        return 0;
    }
    if (argc == 4 && strcmp(argv[2], "--exec") == 0) return exec_file(argv[1], argv[3]);
    if (argc != 5) {
        fprintf(stderr,
                "usage: bare_insert DB TABLE COL,COL,... FILE | bare_insert DB --query SQL\n");
        return 2;
    }
    const char *table = argv[2], *cols = argv[3];
    int ncols = 1;
    for (const char *c = cols; *c; c++) ncols += *c == ',';
    if (ncols > MAX_COLS) return fprintf(stderr, "bare_insert: too many columns\n"), 2;

    char sql[4096];
    int n = snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES(?", table, cols);
    for (int i = 1; i < ncols && n < (int)sizeof sql - 8; i++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, ",?");
    snprintf(sql + n, sizeof sql - (size_t)n, ")");

    FILE *in = fopen(argv[4], "r");
    if (!in) return perror(argv[4]), 1;
    double t0 = now_s();
    sqlite3 *h;
    if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        die(h, argv[1]);
    /* linli's settings, plus the page cache a bulk loader gives itself (the
     * default 2 MiB makes random-order index inserts several times slower). */
    const char *kib = getenv("BENCH_BARE_CACHE_KIB");
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; "
             "PRAGMA cache_size=-%ld;",
             kib ? atol(kib) : 262144L);
    if (sqlite3_exec(h, pragmas, NULL, NULL, NULL) != SQLITE_OK) die(h, "pragmas");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) die(h, "prepare");
    if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) die(h, "begin");

    static char line[1 << 16];
    long rows = 0;
    while (fgets(line, sizeof line, in)) {
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        char *f = line;
        for (int i = 0; i < ncols; i++) {
            char *tab = f ? strchr(f, '\t') : NULL;
            if (tab) *tab = '\0';
            if (f && *f)
                sqlite3_bind_text(st, i + 1, f, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, i + 1);
            f = tab ? tab + 1 : NULL;
        }
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "bare_insert: row %ld\n", rows + 1);
            die(h, "insert");
        }
        sqlite3_reset(st);
        rows++;
    }
    fclose(in);
    sqlite3_finalize(st);
    if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) die(h, "commit");
    if (sqlite3_close(h) != SQLITE_OK) die(h, "close");
    double s = now_s() - t0;
    printf("rows %ld seconds %.3f rows_per_s %.0f\n", rows, s, s > 0 ? (double)rows / s : 0.0);
    return 0;
}
