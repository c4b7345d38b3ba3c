/* What the activity API and the activity pages both show, without JSON or
 * HTML: the counts by place and period, and the day arithmetic of their
 * filters. The API renders these as JSON, the pages as tables. */
#ifndef LINLI_SVC_ACTIVITY_VIEWS_H
#define LINLI_SVC_ACTIVITY_VIEWS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_activities.h"

/* "YYYY-MM-DD" in China time as the instant that day (plus plus_days) starts;
 * false if malformed. */
bool activity_day_start(const char *s, int plus_days, int64_t *out);

/* The counts of a place the actor manages over [from, to]. */
struct activity_stats {
    const char *place_code, *from, *to; /* as used: the defaults filled in */
    struct activity_counts all;
    struct activity_place_counts *children; /* those in the actor's scope */
    int nchildren;
};

/* place NULL or "": the actor's first top place; from/to NULL or "": this
 * month. Refusals: E_NOT_FOUND (place, not visible), E_BAD_INPUT (from, to). */
struct svc_result svc_activity_stats(db *d, arena *a, const struct principal *who,
                                     const char *place, const char *from, const char *to,
                                     struct activity_stats *out);

#endif
