/* Writer lock and group commit for one SQLite database file; see
 * sqlite_group_sync.h.
 *
 * Why synchronous=NORMAL plus this barrier is as durable as synchronous=FULL.
 * In WAL mode the two settings differ in one thing only: FULL fsyncs the WAL
 * at the end of every commit, NORMAL does not. Both sync the WAL header when a
 * WAL generation starts over after a checkpoint (before its first frame is
 * written), both sync the WAL before a checkpoint copies it into the database
 * and the database after. A commit appends its frames to the WAL with write()
 * before COMMIT returns; the barrier below then returns only after an fsync of
 * the WAL that STARTED after those writes has completed, so the frames are on
 * disk before the caller acknowledges anything. After a crash, recovery keeps
 * every frame whose salts match the (synced) header and whose checksum chain
 * holds, up to the last commit frame: our frames and every frame before them
 * were covered by that fsync, so our commit is replayed. A commit that never
 * got through the barrier may be lost, just as one interrupted inside FULL's
 * own fsync may. One difference remains: another connection can read a commit
 * up to one fsync before it is durable; a write that depends on what it read
 * comes later in the WAL, so it cannot survive a crash without it.
 *
 * The barrier: each commit draws a ticket from the file's sequence. If an
 * fsync that started after the ticket was drawn has completed (synced ≥
 * ticket), the commit is durable. Otherwise, if no fsync is running, the
 * thread becomes the leader: it takes the latest ticket as its target, syncs
 * the WAL through its own connection's file (any descriptor of a file flushes
 * the whole file), marks synced = target and wakes the others; else it waits
 * for the running fsync and checks again. Every commit that finished while an
 * fsync ran shares the next one. */
#include "store/sqlite_group_sync.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "store/db.h"

struct group_sync {
    dev_t dev;
    ino_t ino;
    int refs; /* connections attached; guarded by registry_mu */
    group_sync *next;
    pthread_mutex_t writer; /* error-checking: a second lock by its holder fails */
    atomic_int waiting;     /* threads blocked taking the writer lock */
    void *shared;           /* the caller's per-file object, and how to free it */
    void (*shared_free)(void *);
    pthread_mutex_t mu; /* guards the fields below */
    pthread_cond_t synced_cv;
    pthread_cond_t batch_cv;
    group_sync_member *members; /* waiting for the open write batch to end */
    uint64_t ticket;            /* last ticket drawn */
    uint64_t synced;            /* every ticket ≤ this is durable */
    uint64_t failed;            /* every ticket ≤ this was to be covered by a failed fsync */
    bool syncing;               /* a leader's fsync is running */
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static group_sync *registry;
static atomic_uint_fast64_t stat_commits, stat_batches, stat_fsyncs;

void db_sqlite_sync_stats(uint64_t *commits, uint64_t *batches, uint64_t *fsyncs)
{
    if (commits) *commits = atomic_load(&stat_commits);
    if (batches) *batches = atomic_load(&stat_batches);
    if (fsyncs) *fsyncs = atomic_load(&stat_fsyncs);
}

group_sync *group_sync_attach(sqlite3 *h)
{
    const char *path = sqlite3_db_filename(h, "main");
    struct stat st;
    if (!path || !*path || stat(path, &st) != 0) return NULL;
    pthread_mutex_lock(&registry_mu);
    group_sync *g = registry;
    while (g && !(g->dev == st.st_dev && g->ino == st.st_ino)) g = g->next;
    if (!g) {
        g = calloc(1, sizeof *g);
        if (!g) abort();
        g->dev = st.st_dev;
        g->ino = st.st_ino;
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
        pthread_mutex_init(&g->writer, &attr);
        pthread_mutexattr_destroy(&attr);
        pthread_mutex_init(&g->mu, NULL);
        pthread_cond_init(&g->synced_cv, NULL);
        pthread_cond_init(&g->batch_cv, NULL);
        g->next = registry;
        registry = g;
    }
    g->refs++;
    pthread_mutex_unlock(&registry_mu);
    return g;
}

void group_sync_detach(group_sync *g)
{
    if (!g) return;
    pthread_mutex_lock(&registry_mu);
    if (--g->refs == 0) {
        group_sync **p = &registry;
        while (*p != g) p = &(*p)->next;
        *p = g->next;
        if (g->shared_free) g->shared_free(g->shared);
        pthread_mutex_destroy(&g->writer);
        pthread_mutex_destroy(&g->mu);
        pthread_cond_destroy(&g->synced_cv);
        pthread_cond_destroy(&g->batch_cv);
        free(g);
    }
    pthread_mutex_unlock(&registry_mu);
}

int group_sync_lock_writer(group_sync *g, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    /* Counted as waiting until the lock is ours or given up, so that a holder
     * who sees nobody waiting knows nobody will take the lock after it. */
    atomic_fetch_add(&g->waiting, 1);
    int rc = pthread_mutex_timedlock(&g->writer, &until);
    atomic_fetch_sub(&g->waiting, 1);
    return rc == 0 ? SQLITE_OK : SQLITE_BUSY;
}

bool group_sync_trylock_writer(group_sync *g)
{
    return pthread_mutex_trylock(&g->writer) == 0;
}

void group_sync_unlock_writer(group_sync *g)
{
    pthread_mutex_unlock(&g->writer);
}

bool group_sync_writers_waiting(group_sync *g)
{
    return atomic_load(&g->waiting) > 0;
}

void *group_sync_shared(group_sync *g)
{
    return g->shared;
}

void group_sync_set_shared(group_sync *g, void *shared, void (*shared_free)(void *))
{
    g->shared = shared;
    g->shared_free = shared_free;
}

int group_sync_enlist(group_sync *g, group_sync_member *m)
{
    pthread_mutex_lock(&g->mu);
    int why = group_sync_writers_waiting(g) ? GS_WRITERS_WAITING
              : g->syncing                  ? GS_FSYNC_RUNNING
                                            : 0;
    if (why) {
        m->done = false;
        m->next = g->members;
        g->members = m;
    }
    pthread_mutex_unlock(&g->mu);
    return why;
}

int group_sync_members_waiting(group_sync *g)
{
    pthread_mutex_lock(&g->mu);
    int n = 0;
    for (group_sync_member *m = g->members; m; m = m->next) n++;
    pthread_mutex_unlock(&g->mu);
    return n;
}

void group_sync_batch_end(group_sync *g, int rc, uint64_t ticket)
{
    if (ticket) atomic_fetch_add(&stat_batches, 1);
    pthread_mutex_lock(&g->mu);
    for (group_sync_member *m = g->members; m; m = m->next) {
        m->rc = rc;
        m->ticket = ticket;
        m->done = true;
    }
    g->members = NULL;
    pthread_cond_broadcast(&g->batch_cv);
    pthread_mutex_unlock(&g->mu);
}

bool group_sync_wait_member(group_sync *g, group_sync_member *m, int timeout_ms, bool until_idle)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)timeout_ms * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&g->mu);
    while (!m->done && !(until_idle && !g->syncing))
        if (pthread_cond_timedwait(&g->batch_cv, &g->mu, &until) != 0) break;
    bool done = m->done;
    pthread_mutex_unlock(&g->mu);
    return done;
}

/* fsync of the WAL file h has open. */
static int sync_wal(sqlite3 *h)
{
    sqlite3_file *wal = NULL;
    int rc = sqlite3_file_control(h, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
    if (rc != SQLITE_OK) return rc;
    if (!wal || !wal->pMethods) return SQLITE_IOERR_FSYNC; /* no WAL: nothing we could sync */
    return wal->pMethods->xSync(wal, SQLITE_SYNC_FULL);
}

uint64_t group_sync_ticket(group_sync *g)
{
    pthread_mutex_lock(&g->mu);
    uint64_t t = ++g->ticket;
    pthread_mutex_unlock(&g->mu);
    return t;
}

int group_sync_wait_ticket(group_sync *g, sqlite3 *h, uint64_t mine)
{
    atomic_fetch_add(&stat_commits, 1);
    pthread_mutex_lock(&g->mu);
    int rc = SQLITE_OK;
    while (g->synced < mine && g->failed < mine) {
        if (g->syncing) {
            pthread_cond_wait(&g->synced_cv, &g->mu);
            continue;
        }
        g->syncing = true;
        uint64_t target = g->ticket;
        pthread_mutex_unlock(&g->mu);
        rc = sync_wal(h);
        atomic_fetch_add(&stat_fsyncs, 1);
        pthread_mutex_lock(&g->mu);
        g->syncing = false;
        pthread_cond_broadcast(&g->batch_cv); /* a batch kept open for this fsync may go */
        /* A failed fsync may have dropped the dirty pages: a retry that
         * "succeeds" proves nothing, so every commit it covered fails. */
        uint64_t *mark = rc == SQLITE_OK ? &g->synced : &g->failed;
        if (target > *mark) *mark = target;
        pthread_cond_broadcast(&g->synced_cv);
    }
    if (g->failed >= mine && rc == SQLITE_OK) rc = SQLITE_IOERR_FSYNC;
    pthread_mutex_unlock(&g->mu);
    return rc;
}

int group_sync_wait_durable(group_sync *g, sqlite3 *h)
{
    return group_sync_wait_ticket(g, h, group_sync_ticket(g));
}
