/* Activities 活动: events and recurring series (staff with activities.manage
 * over the place), sign-up with capacity and a waiting list 候补, check-in by
 * the rotating code, volunteer hours. Every write is validated, then done in
 * one transaction with its audit entry (and its notifications). Anything the
 * actor may not see answers E_NOT_FOUND like something absent. */
#ifndef LINLI_SVC_ACTIVITIES_H
#define LINLI_SVC_ACTIVITIES_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

/* Fields as given by a form or the API (http/bind_activities.c); text NULL
 * keeps (on update), "" clears an optional field. Numbers stay text: the
 * service checks them and names the field in its message. */
struct activity_input {
    const char *kind, *title, *description, *place_code, *station_id, *org_id, *organiser_id;
    const char *capacity;
    const char *starts_at, *ends_at; /* one event or occurrence: RFC 3339 or China local */
    /* a series */
    const char *freq;  /* weekly / monthly */
    int64_t *weekdays; /* weekly: 1 Monday … 7 Sunday */
    int nweekdays;
    bool weekdays_set; /* given (perhaps empty) */
    const char *month_day, *from_date, *until_date, *start_time, *duration_minutes;
};

/* Limits the service enforces (the binders state them for the schema). */
#define ACTIVITY_TITLE_MAX       100
#define ACTIVITY_DESCRIPTION_MAX 2000

struct svc_result svc_activity_create(db *d, arena *a, const struct principal *who,
                                      const struct activity_input *in);
/* Creates the series and its occurrences; .id is the series. */
struct svc_result svc_series_create(db *d, arena *a, const struct principal *who,
                                    const struct activity_input *in);
/* Changes one event or occurrence (an occurrence then no longer follows its series). */
struct svc_result svc_activity_update(db *d, arena *a, const struct principal *who, int64_t id,
                                      const struct activity_input *in);
/* Cancels one event or occurrence; those signed up or waiting are notified. */
struct svc_result svc_activity_cancel(db *d, arena *a, const struct principal *who, int64_t id);
/* Changes the series and its future occurrences that were not changed by themselves. */
struct svc_result svc_series_update(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct activity_input *in);

/* The actor signs up (or joins the waiting list when full); .id is the sign-up. */
struct svc_result svc_signup(db *d, arena *a, const struct principal *who, int64_t id);
/* The actor withdraws; a place given up goes to the first waiting, who is notified. */
struct svc_result svc_signup_cancel(db *d, arena *a, const struct principal *who, int64_t id);
/* Wrong check-in codes allowed per participant and activity; after them the
 * code is no longer checked (E_RATE_LIMITED) and only the organiser's
 * check-in by hand remains. Six digits, two accepted at a time: five tries
 * give a participant a 1 in 100,000 chance. */
#define CHECKIN_TRIES_MAX 5

/* The actor checks in with the code shown on the organiser's phone. Wrong
 * codes are counted in the sign-up row (every server process shares the
 * count); the try that reaches CHECKIN_TRIES_MAX is audited (checkin_locked). */
struct svc_result svc_checkin(db *d, arena *a, const struct principal *who, int64_t id,
                              const char *code);
/* The organiser (or the place's staff) checks a signed participant in by
 * hand, from the opening of the check-in window on; audited as checkin with
 * the note 组织者手工签到. */
struct svc_result svc_checkin_by_hand(db *d, arena *a, const struct principal *who, int64_t id,
                                      int64_t signup_id);
/* The organiser marks a checked-in participant as having served, with hours
 * ("" or NULL: the event's duration; else 0.5–24 in half hours). */
struct svc_result svc_serve(db *d, arena *a, const struct principal *who, int64_t id,
                            int64_t signup_id, const char *hours);

/* The current code for the organiser's phone (out ≥ 7 bytes) and when it
 * changes. E_NOT_FOUND when the actor may not manage it, E_CONFLICT outside
 * the check-in window. */
struct svc_result svc_activity_code(db *d, arena *a, const struct principal *who, int64_t id,
                                    char *out, time_t *changes_at);

#endif
