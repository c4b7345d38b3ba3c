/* The background threads of `linli serve`: the scheduler (svc_scheduler_tick
 * every tick seconds) and the webhook sender (every few seconds). Each has
 * its own database connection; both stop promptly on svc_workers_stop(). */
#ifndef LINLI_SVC_WORKERS_H
#define LINLI_SVC_WORKERS_H

/* tick_seconds ≤ 0: start nothing. Returns 0, or -1 when a thread could not
 * start. The database URL must be configured (db_configure) first. */
int svc_workers_start(int tick_seconds);
void svc_workers_stop(void);

#endif
