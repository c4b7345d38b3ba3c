/* The scheduler of the demand loop's timers. One tick runs every job of a
 * static table in order; each job looks at what is due at `now` (the one
 * clock) and acts once: the claim of every action is a database write (a row
 * in order_alerts with UNIQUE(order_id, kind), or the order's version), so
 * two server processes ticking against one database never act twice.
 *
 * Jobs (docs/timers-and-notifications.md):
 *   clock_warnings  at warn_percent of the response / resolution limit: notify
 *                   the assignee and the dispatchers of the order's level;
 *   clock_breaches  past the limit: record the breach once, escalate the order
 *                   one level (社区 → 街道 → 区/县) as the system, notify the
 *                   leaders of the new level;
 *   auto_close      resolved orders unrated for unrated_close_days: closed by
 *                   the system. */
#ifndef LINLI_SVC_SCHEDULER_H
#define LINLI_SVC_SCHEDULER_H
#include <time.h>

#include "store/db.h"
#include "util/buf.h"

struct scheduler_config {
    int warn_percent;       /* 1..99; default ORDER_WARN_PERCENT_DEFAULT (80) */
    int unrated_close_days; /* ≥ 1; default ORDER_UNRATED_CLOSE_DAYS (7) */
};
/* The defaults, overridden by LINLI_WARN_PERCENT and LINLI_UNRATED_CLOSE_DAYS. */
void scheduler_config_default(struct scheduler_config *c);
/* Sets the configuration every later tick uses (call before starting threads). */
void svc_scheduler_configure(const struct scheduler_config *c);

/* Runs every job once. Returns the number of actions taken, -1 when a job
 * failed on the database (the others still ran). */
int svc_scheduler_tick(db *d, arena *a, time_t now);
/* The same, appending one line per action to log (may be NULL). */
int svc_scheduler_tick_log(db *d, arena *a, time_t now, buf *log);

#endif
