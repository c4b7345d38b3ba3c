/* Background threads of the server; see svc_workers.h. */
#include "service/svc_workers.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "service/svc_scheduler.h"
#include "service/svc_order_stats.h"
#include "service/svc_webhooks.h"
#include "store/db.h"
#include "util/clock.h"

enum { DELIVER_EVERY_S = 2 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool stopping;
static pthread_t threads[2];
static int nthreads;
static int tick_every;

/* Sleeps up to s seconds of wall time; false once stopping. */
static bool nap(int s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += s;
    pthread_mutex_lock(&mu);
    while (!stopping && pthread_cond_timedwait(&cv, &mu, &until) != ETIMEDOUT) {
    }
    bool go = !stopping;
    pthread_mutex_unlock(&mu);
    return go;
}

static void *scheduler_main(void *arg)
{
    (void)arg;
    do {
        db *d = db_thread();
        if (d) {
            arena *a = arena_new();
            svc_scheduler_tick(d, a, clock_now());
            arena_free(a);
        }
    } while (nap(tick_every));
    db_thread_close();
    return NULL;
}

static void *sender_main(void *arg)
{
    (void)arg;
    do {
        db *d = db_thread();
        if (d) {
            arena *a = arena_new();
            svc_webhooks_deliver(d, a, clock_now(), NULL);
            svc_order_stats_fold(d); /* the dashboards lag the orders by seconds at most */
            arena_free(a);
        }
    } while (nap(DELIVER_EVERY_S));
    db_thread_close();
    return NULL;
}

int svc_workers_start(int tick_seconds)
{
    if (tick_seconds <= 0) return 0;
    tick_every = tick_seconds;
    stopping = false;
    /* the threads must not take SIGINT/SIGTERM: the server's main thread waits for them */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = 0;
    void *(*mains[2])(void *) = {scheduler_main, sender_main};
    for (int i = 0; i < 2 && rc == 0; i++) {
        if (pthread_create(&threads[nthreads], NULL, mains[i], NULL) == 0)
            nthreads++;
        else
            rc = -1;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc < 0) fprintf(stderr, "linli: 无法启动后台线程 cannot start the background threads\n");
    return rc;
}

void svc_workers_stop(void)
{
    pthread_mutex_lock(&mu);
    stopping = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < nthreads; i++) pthread_join(threads[i], NULL);
    nthreads = 0;
}
