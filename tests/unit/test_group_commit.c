/* Unit tests for SQLite group commit (store/sqlite_group_sync.c through the
 * db.h interface): several threads, each with its own connection to one file,
 * commit concurrently; every commit is there after reopening, and far fewer
 * WAL fsyncs than commits were made — counted both by db_sqlite_sync_stats and,
 * independently, by a VFS shim underneath SQLite that sees every xSync of the
 * WAL file. With one fsync per commit (synchronous=FULL, no group commit) the
 * fsync checks fail.
 *
 * The shim also makes a WAL fsync take a millisecond, as on a real disk, so
 * that commits overlap fsyncs even on storage where fsync is nearly free, and
 * can make it fail, to show that such a commit is not acknowledged.
 *
 * Also: a thread holding a write on one connection that begins another write
 * on a second connection to the same file gets DB_BUSY at once (it would wait
 * for itself), and the writer lock is free again after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"

enum { THREADS = 8, COMMITS = 60 };

/* ---- a VFS shim over the default one: counts (and may fail) WAL syncs ---- */

typedef struct {
    sqlite3_file base;
    bool wal;
    sqlite3_file *real; /* follows this struct in the same allocation */
} shim_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static sqlite3_io_methods shim_methods;
static atomic_int wal_syncs;
static atomic_bool fail_wal_sync;

static sqlite3_file *R(sqlite3_file *f)
{
    return ((shim_file *)f)->real;
}

static int shim_close(sqlite3_file *f)
{
    return R(f)->pMethods->xClose(R(f));
}
static int shim_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return R(f)->pMethods->xRead(R(f), b, n, o);
}
static int shim_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return R(f)->pMethods->xWrite(R(f), b, n, o);
}
static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return R(f)->pMethods->xTruncate(R(f), size);
}
static int shim_sync(sqlite3_file *f, int flags)
{
    if (((shim_file *)f)->wal) {
        atomic_fetch_add(&wal_syncs, 1);
        if (atomic_load(&fail_wal_sync)) return SQLITE_IOERR_FSYNC;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    return R(f)->pMethods->xSync(R(f), flags);
}
static int shim_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return R(f)->pMethods->xFileSize(R(f), size);
}
static int shim_lock(sqlite3_file *f, int l)
{
    return R(f)->pMethods->xLock(R(f), l);
}
static int shim_unlock(sqlite3_file *f, int l)
{
    return R(f)->pMethods->xUnlock(R(f), l);
}
static int shim_check_lock(sqlite3_file *f, int *out)
{
    return R(f)->pMethods->xCheckReservedLock(R(f), out);
}
static int shim_fcntl(sqlite3_file *f, int op, void *arg)
{
    return R(f)->pMethods->xFileControl(R(f), op, arg);
}
static int shim_sector(sqlite3_file *f)
{
    return R(f)->pMethods->xSectorSize(R(f));
}
static int shim_caps(sqlite3_file *f)
{
    return R(f)->pMethods->xDeviceCharacteristics(R(f));
}
static int shim_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
    return R(f)->pMethods->xShmMap(R(f), pg, sz, extend, p);
}
static int shim_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return R(f)->pMethods->xShmLock(R(f), off, n, flags);
}
static void shim_shm_barrier(sqlite3_file *f)
{
    R(f)->pMethods->xShmBarrier(R(f));
}
static int shim_shm_unmap(sqlite3_file *f, int del)
{
    return R(f)->pMethods->xShmUnmap(R(f), del);
}
static int shim_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{
    return R(f)->pMethods->xFetch(R(f), o, n, p);
}
static int shim_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    return R(f)->pMethods->xUnfetch(R(f), o, p);
}

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    shim_file *s = (shim_file *)f;
    s->real = (sqlite3_file *)(s + 1);
    s->wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
    f->pMethods = rc == SQLITE_OK && s->real->pMethods ? &shim_methods : NULL;
    return rc;
}

static void shim_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    shim_vfs = *real_vfs;
    shim_vfs.zName = "group_commit_shim";
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
    shim_vfs.xOpen = shim_open;
    shim_methods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = shim_close,
        .xRead = shim_read,
        .xWrite = shim_write,
        .xTruncate = shim_truncate,
        .xSync = shim_sync,
        .xFileSize = shim_size,
        .xLock = shim_lock,
        .xUnlock = shim_unlock,
        .xCheckReservedLock = shim_check_lock,
        .xFileControl = shim_fcntl,
        .xSectorSize = shim_sector,
        .xDeviceCharacteristics = shim_caps,
        .xShmMap = shim_shm_map,
        .xShmLock = shim_shm_lock,
        .xShmBarrier = shim_shm_barrier,
        .xShmUnmap = shim_shm_unmap,
        .xFetch = shim_fetch,
        .xUnfetch = shim_unfetch,
    };
    sqlite3_vfs_register(&shim_vfs, 1); /* the default: db_open uses it */
}

/* ---- fixture ---- */

static char path[64];

static db *open_db(void)
{
    char *err = NULL;
    db *d = db_open(path, &err);
    if (!d) fail_msg("cannot open %s: %s", path, err ? err : "?");
    return d;
}

static void remove_files(void)
{
    char side[80];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/linli_group_commit_%ld.db", (long)getpid());
    remove_files();
    db *d = open_db();
    int rc = db_exec_script(d, "CREATE TABLE t (thread INTEGER NOT NULL, i INTEGER NOT NULL, "
                               "PRIMARY KEY (thread, i))");
    db_close(d);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    atomic_store(&fail_wal_sync, false);
    remove_files();
    return 0;
}

/* ---- tests ---- */

struct writer {
    int thread;
    int failures;
};

/* Each commit is a transaction of one row; every fifth is an autocommit
 * statement instead, which must be made durable the same way. */
static void *write_rows(void *arg)
{
    struct writer *w = arg;
    db *d = open_db();
    for (int i = 0; i < COMMITS; i++) {
        if (i % 5 == 4) {
            if (DBX(d, "INSERT INTO t(thread, i) VALUES (?, ?)", P_INT(w->thread), P_INT(i)) != 1)
                w->failures++;
            continue;
        }
        if (db_begin(d) != DB_OK ||
            DBX(d, "INSERT INTO t(thread, i) VALUES (?, ?)", P_INT(w->thread), P_INT(i)) != 1 ||
            db_commit(d) != DB_OK)
            w->failures++;
    }
    db_close(d);
    return NULL;
}

static void concurrent_commits_share_fsyncs(void **state)
{
    (void)state;
    uint64_t commits0, fsyncs0, commits1, fsyncs1;
    db_sqlite_sync_stats(&commits0, &fsyncs0);
    int syncs0 = atomic_load(&wal_syncs);

    pthread_t th[THREADS];
    struct writer w[THREADS];
    for (int t = 0; t < THREADS; t++) {
        w[t] = (struct writer){.thread = t};
        assert_int_equal(pthread_create(&th[t], NULL, write_rows, &w[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(w[t].failures, 0);
    }

    db_sqlite_sync_stats(&commits1, &fsyncs1);
    int syncs = atomic_load(&wal_syncs) - syncs0;
    uint64_t commits = commits1 - commits0, fsyncs = fsyncs1 - fsyncs0;
    /* every commit went through the barrier, and the barrier really synced */
    assert_int_equal(commits, THREADS * COMMITS);
    assert_true(fsyncs >= 1);
    assert_true(syncs >= (int)fsyncs);
    /* one fsync served several commits (a checkpoint adds a few syncs of its own) */
    assert_true(fsyncs < commits);
    assert_true(syncs < THREADS * COMMITS);

    db *d = open_db();
    assert_int_equal(DBI(d, -1, "SELECT COUNT(*) FROM t"), THREADS * COMMITS);
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(DBI(d, -1, "SELECT COUNT(DISTINCT i) FROM t WHERE thread = ? AND i < ?",
                             P_INT(t), P_INT(COMMITS)),
                         COMMITS);
    db_close(d);
}

static void failed_fsync_is_not_acknowledged(void **state)
{
    (void)state;
    db *d = open_db();
    /* a WAL in use first: starting a new one syncs its header inside COMMIT */
    assert_int_equal(DBX(d, "INSERT INTO t(thread, i) VALUES (100, 0)"), 1);
    atomic_store(&fail_wal_sync, true);
    assert_int_equal(db_begin(d), DB_OK);
    assert_int_equal(DBX(d, "INSERT INTO t(thread, i) VALUES (100, 1)"), 1);
    assert_int_equal(db_commit(d), DB_ERROR);
    assert_non_null(strstr(db_errmsg(d), "durable"));
    assert_true(DBX(d, "INSERT INTO t(thread, i) VALUES (100, 2)") < 0);
    atomic_store(&fail_wal_sync, false);
    /* the next commit is acknowledged again, and the writer lock was released */
    assert_int_equal(db_begin(d), DB_OK);
    assert_int_equal(DBX(d, "INSERT INTO t(thread, i) VALUES (100, 3)"), 1);
    assert_int_equal(db_commit(d), DB_OK);
    db_close(d);
}

static void second_connection_of_a_writer_is_refused(void **state)
{
    (void)state;
    db *a = open_db(), *b = open_db();
    assert_int_equal(db_begin(a), DB_OK);
    assert_int_equal(DBX(a, "INSERT INTO t(thread, i) VALUES (200, 1)"), 1);
    time_t t0 = time(NULL);
    assert_int_equal(db_begin(b), DB_BUSY);
    assert_int_equal(DBX(b, "INSERT INTO t(thread, i) VALUES (200, 2)"), DB_BUSY);
    assert_true(time(NULL) - t0 < 5); /* refused, not the 10 s timeout */
    assert_false(db_in_tx(b));
    assert_int_equal(db_commit(a), DB_OK);
    /* released: the other connection writes now */
    assert_int_equal(db_begin(b), DB_OK);
    assert_int_equal(DBX(b, "INSERT INTO t(thread, i) VALUES (200, 2)"), 1);
    assert_int_equal(db_commit(b), DB_OK);
    assert_int_equal(DBI(a, -1, "SELECT COUNT(*) FROM t WHERE thread = 200"), 2);
    db_close(a);
    db_close(b);
}

int main(void)
{
    shim_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(concurrent_commits_share_fsyncs, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_fsync_is_not_acknowledged, setup, teardown),
        cmocka_unit_test_setup_teardown(second_connection_of_a_writer_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests_name("group commit [sqlite]", tests, NULL, NULL);
}
