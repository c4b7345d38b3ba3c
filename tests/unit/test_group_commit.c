/* Unit tests for SQLite group commit and write batches (store/db_sqlite.c and
 * store/sqlite_group_sync.c, through the db.h interface): several threads,
 * each with its own connection to one file, commit concurrently; every commit
 * is there after reopening, several transactions shared one SQLite commit, and
 * far fewer WAL fsyncs than transactions were made — counted both by
 * db_sqlite_sync_stats and, independently, by a VFS shim underneath SQLite
 * that sees every xSync of the WAL file. With one fsync per commit
 * (synchronous=FULL, no group commit) the fsync checks fail; with one SQLite
 * commit per transaction the batch checks fail.
 *
 * The shim also makes a WAL fsync take a millisecond, as on a real disk, so
 * that commits overlap fsyncs even on storage where fsync is nearly free; can
 * make it fail, to show that such a commit is not acknowledged; can hold it
 * (a gate), so that the transactions that end meanwhile wait in one batch; and
 * can fail writes to the WAL, so that the batch's COMMIT fails.
 *
 * In a batch: a transaction that rolls back, or whose statement fails, takes
 * nothing of the others with it; a COMMIT that fails fails every member and
 * keeps none of their rows.
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
#include "store/sqlite_group_sync.h"

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
static atomic_bool fail_wal_write;
static atomic_bool gate_closed;  /* WAL fsyncs wait while it is */
static atomic_int syncs_at_gate; /* fsyncs waiting at the gate now */

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
    if (((shim_file *)f)->wal && atomic_load(&fail_wal_write)) return SQLITE_IOERR_WRITE;
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
        if (atomic_load(&gate_closed)) {
            atomic_fetch_add(&syncs_at_gate, 1);
            while (atomic_load(&gate_closed)) nanosleep(&(struct timespec){0, 1000000}, NULL);
            atomic_fetch_sub(&syncs_at_gate, 1);
        }
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
    atomic_store(&fail_wal_write, false);
    atomic_store(&gate_closed, false);
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
    uint64_t commits0, batches0, fsyncs0, commits1, batches1, fsyncs1;
    db_sqlite_sync_stats(&commits0, &batches0, &fsyncs0);
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

    db_sqlite_sync_stats(&commits1, &batches1, &fsyncs1);
    int syncs = atomic_load(&wal_syncs) - syncs0;
    uint64_t commits = commits1 - commits0, fsyncs = fsyncs1 - fsyncs0;
    uint64_t batches = batches1 - batches0;
    /* transactions that ended during an fsync shared one SQLite commit */
    assert_true(batches >= 1);
    assert_true(batches < commits);
    assert_true(fsyncs <= batches);
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

/* ---- write batches, held together by the gate ---- */

struct txn {
    int thread, row;
    bool rollback; /* roll back instead of committing */
    int insert_rc; /* what the INSERT answered */
    int end_rc;    /* what db_commit / db_rollback answered */
    pthread_t th;
};

static void *run_txn(void *arg)
{
    struct txn *t = arg;
    db *d = open_db();
    if (db_begin(d) != DB_OK) {
        t->end_rc = -100;
    } else {
        t->insert_rc =
            DBX(d, "INSERT INTO t(thread, i) VALUES (?, ?)", P_INT(t->thread), P_INT(t->row));
        t->end_rc = t->rollback || t->insert_rc < 0 ? db_rollback(d) : db_commit(d);
    }
    db_close(d);
    return NULL;
}

static void wait_until(atomic_int *v, int want, group_sync *g)
{
    for (int i = 0; i < 10000; i++) {
        int have = g ? group_sync_members_waiting(g) : atomic_load(v);
        if (have == want) return;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    fail_msg("timed out waiting for %d (%s), have %d", want, g ? "members" : "fsyncs at the gate",
             g ? group_sync_members_waiting(g) : atomic_load(v));
}

/* The file's shared state, to watch the members wait. */
static group_sync *watch(sqlite3 **h)
{
    assert_int_equal(sqlite3_open(path, h), SQLITE_OK);
    group_sync *g = group_sync_attach(*h);
    assert_non_null(g);
    /* a WAL in use first (h keeps it): starting a new one syncs its header
     * inside COMMIT, under the writer lock, where nobody could join a batch */
    db *d = open_db();
    assert_int_equal(DBX(d, "INSERT INTO t(thread, i) VALUES (0, 0)"), 1);
    db_close(d);
    return g;
}

static void start(struct txn *t)
{
    assert_int_equal(pthread_create(&t->th, NULL, run_txn, t), 0);
}

/* T1 commits alone and its fsync is held at the gate; T2..T5 end meanwhile
 * and wait in one batch: T2 commits, T3 rolls back, T4's INSERT fails on
 * T2's key, T5 commits. When the gate opens, the batch commits once. */
static void batch_members_stay_apart(void **state)
{
    (void)state;
    sqlite3 *h;
    group_sync *g = watch(&h);
    uint64_t commits0, batches0, commits1, batches1;
    db_sqlite_sync_stats(&commits0, &batches0, NULL);

    atomic_store(&gate_closed, true);
    struct txn t[5] = {{.thread = 300, .row = 1},
                       {.thread = 300, .row = 2},
                       {.thread = 300, .row = 3, .rollback = true},
                       {.thread = 300, .row = 2},
                       {.thread = 300, .row = 5}};
    start(&t[0]);
    wait_until(&syncs_at_gate, 1, NULL);
    for (int i = 1; i < 5; i++) {
        start(&t[i]);
        wait_until(NULL, i, g);
    }
    atomic_store(&gate_closed, false);
    for (int i = 0; i < 5; i++) pthread_join(t[i].th, NULL);

    assert_int_equal(t[0].end_rc, DB_OK);
    assert_int_equal(t[1].end_rc, DB_OK);
    assert_int_equal(t[2].insert_rc, 1);
    assert_int_equal(t[2].end_rc, DB_OK);
    assert_int_equal(t[3].insert_rc, DB_CONSTRAINT);
    assert_int_equal(t[4].end_rc, DB_OK);
    db_sqlite_sync_stats(&commits1, &batches1, NULL);
    assert_int_equal(commits1 - commits0, 5); /* each waited to be durable */
    assert_int_equal(batches1 - batches0, 2); /* T1's, and the one T2..T5 shared */

    db *d = open_db();
    assert_int_equal(DBI(d, -1, "SELECT COUNT(*) FROM t WHERE thread = 300"), 3);
    assert_int_equal(DBI(d, -1, "SELECT COUNT(*) FROM t WHERE thread = 300 AND i IN (1, 2, 5)"), 3);
    db_close(d);
    group_sync_detach(g);
    sqlite3_close(h);
}

/* T2 and T3 wait in one batch; its COMMIT fails (the WAL cannot be written):
 * both are told so and neither row is there; the next transaction works. */
static void failed_batch_fails_every_member(void **state)
{
    (void)state;
    sqlite3 *h;
    group_sync *g = watch(&h);
    atomic_store(&gate_closed, true);
    struct txn t[3] = {
        {.thread = 400, .row = 1}, {.thread = 400, .row = 2}, {.thread = 400, .row = 3}};
    start(&t[0]);
    wait_until(&syncs_at_gate, 1, NULL);
    for (int i = 1; i < 3; i++) {
        start(&t[i]);
        wait_until(NULL, i, g);
    }
    atomic_store(&fail_wal_write, true);
    atomic_store(&gate_closed, false);
    for (int i = 0; i < 3; i++) pthread_join(t[i].th, NULL);
    atomic_store(&fail_wal_write, false);

    assert_int_equal(t[0].end_rc, DB_OK);
    assert_int_equal(t[1].insert_rc, 1);
    assert_int_equal(t[1].end_rc, DB_ERROR);
    assert_int_equal(t[2].end_rc, DB_ERROR);
    db *d = open_db();
    assert_int_equal(DBI(d, -1, "SELECT COUNT(*) FROM t WHERE thread = 400"), 1);
    assert_int_equal(DBX(d, "INSERT INTO t(thread, i) VALUES (400, 2)"), 1);
    assert_int_equal(DBI(d, -1, "SELECT COUNT(*) FROM t WHERE thread = 400"), 2);
    db_close(d);
    group_sync_detach(g);
    sqlite3_close(h);
}

int main(void)
{
    shim_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(concurrent_commits_share_fsyncs, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_fsync_is_not_acknowledged, setup, teardown),
        cmocka_unit_test_setup_teardown(second_connection_of_a_writer_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(batch_members_stay_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_batch_fails_every_member, setup, teardown),
    };
    return cmocka_run_group_tests_name("group commit [sqlite]", tests, NULL, NULL);
}
