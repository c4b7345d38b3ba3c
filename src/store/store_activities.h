/* Activities 活动 in SQL: occurrences, series, sign-ups with their waiting
 * list, check-ins, service minutes, and the counts by place and period.
 *
 * Who sees an activity (ACT_VISIBLE): staff holding activities.manage over
 * its place; and anyone whose own place or grid grant lies in the
 * activity's place subtree or under it ("near me": a resident of 滨河社区
 * sees the events of 滨河社区, of its compounds and of 西口镇 above it).
 * Grants through an organisation do not count: a co-building unit is not a
 * neighbour. Viewer 0 is the trusted command line. */
#ifndef LINLI_STORE_ACTIVITIES_H
#define LINLI_STORE_ACTIVITIES_H
#include <stdint.h>

#include "store/db.h"

/* Columns of store_activity_get and store_activities_list. */
enum activity_col {
    AC_ID,
    AC_SERIES,
    AC_DETACHED,
    AC_KIND,
    AC_TITLE,
    AC_DESCRIPTION,
    AC_PLACE,
    AC_PLACE_NAME,
    AC_STATION,
    AC_STATION_NAME,
    AC_ORG,
    AC_ORG_NAME,
    AC_ORGANISER,
    AC_ORGANISER_NAME,
    AC_CAPACITY,
    AC_STARTS,
    AC_ENDS,
    AC_STATUS,
    AC_N_SIGNED,
    AC_N_WAITING,
    AC_N_CHECKED,
    AC_CREATED,
    AC_UPDATED,
    AC__COUNT
};

db_rows *store_activity_get(db *d, arena *a, int64_t viewer, int64_t id);
/* True when the viewer may manage the activity: activities.manage over its
 * place, or being its organiser. */
bool store_activity_manageable(db *d, int64_t viewer, int64_t id);
/* The hex secret of the check-in code (no scope: the service checked it). */
const char *store_activity_secret(db *d, arena *a, int64_t id);

struct activity_filter {
    const char *place;     /* in this subtree, or NULL */
    const char *kind;      /* or NULL */
    int64_t from, to;      /* starts_at in [from, to); 0 = open */
    int64_t series;        /* occurrences of a series, or 0 */
    int64_t mine;          /* only those this account signed up for (any status but cancelled) */
    int include_cancelled; /* 0: scheduled only */
    int by_start;          /* order by start time (pages) instead of id (API keyset) */
    int64_t after_id;      /* keyset cursor (by id) */
    int limit;             /* ≤ 0: 50 */
};
db_rows *store_activities_list(db *d, arena *a, int64_t viewer, const struct activity_filter *f);

struct activity_row {
    int64_t series_id; /* 0: a single event */
    const char *kind, *title, *description, *place_code;
    int64_t station_id, org_id, organiser_id; /* 0: none */
    int64_t capacity, starts_at, ends_at;
};
/* Returns the new id or a negative DB_* code. secret: hex. */
int64_t store_activity_insert(db *d, const struct activity_row *r, const char *secret);
/* Rewrites an occurrence; detach marks it changed by itself. */
int store_activity_update(db *d, int64_t id, const struct activity_row *r, int detach);
int store_activity_cancel(db *d, int64_t id);

/* Series columns: id, kind, title, description, place_code, place_name,
 * station_id, org_id, organiser_id, capacity, freq, weekdays, month_day,
 * from_date, until_date, start_minute, duration_min, created_at, updated_at. */
enum series_col {
    SC_ID,
    SC_KIND,
    SC_TITLE,
    SC_DESCRIPTION,
    SC_PLACE,
    SC_PLACE_NAME,
    SC_STATION,
    SC_ORG,
    SC_ORGANISER,
    SC_CAPACITY,
    SC_FREQ,
    SC_WEEKDAYS,
    SC_MONTH_DAY,
    SC_FROM,
    SC_UNTIL,
    SC_START_MINUTE,
    SC_DURATION,
    SC__COUNT
};
/* Visible when the viewer manages its place or is its organiser. */
db_rows *store_series_get(db *d, arena *a, int64_t viewer, int64_t id);
struct series_row {
    const char *kind, *title, *description, *place_code, *freq, *from_date, *until_date;
    int64_t station_id, org_id, organiser_id, capacity;
    int weekdays, month_day, start_minute, duration_min;
};
int64_t store_series_insert(db *d, const struct series_row *s);
int store_series_update(db *d, int64_t id, const struct series_row *s);
/* Ids of the series' occurrences starting after `after`, still scheduled and
 * not changed by themselves, with their starts_at. */
db_rows *store_series_future(db *d, arena *a, int64_t id, int64_t after);

/* ---- sign-ups ---- */
/* Takes the activity's row lock for the rest of the transaction (PostgreSQL;
 * SQLite's write transaction already excludes other writers), so that
 * counting places and signing up are one step. */
int store_activity_lock(db *d, int64_t id);
/* Columns: id, status, seq, checked_in_at, served, service_minutes, credited_at,
 * checkin_failures (wrong check-in codes so far), account_id. */
enum signup_col {
    SU_ID,
    SU_STATUS,
    SU_SEQ,
    SU_CHECKED,
    SU_SERVED,
    SU_MINUTES,
    SU_CREDITED,
    SU_FAILURES,
    SU_ACCOUNT
};
db_rows *store_signup_of(db *d, arena *a, int64_t activity, int64_t account);
db_rows *store_signup_by_id(db *d, arena *a, int64_t activity, int64_t id);
int64_t store_signups_count(db *d, int64_t activity, const char *status);
/* Signs up or queues the account (re-using a cancelled row); returns its id. */
int64_t store_signup_put(db *d, int64_t activity, int64_t account, const char *status);
int store_signup_set_status(db *d, int64_t id, const char *status);
/* The first on the waiting list: id, account_id; NULL/empty when none. */
db_rows *store_signup_first_waiting(db *d, arena *a, int64_t activity);
int store_signup_checkin(db *d, int64_t id, int64_t at);
/* Takes the sign-up's row lock for the rest of the transaction (PostgreSQL;
 * SQLite's write transaction already excludes other writers), so that
 * reading the count of wrong codes, checking a code and counting it are
 * one step: concurrent guesses cannot all pass the count. */
int store_signup_lock(db *d, int64_t id);
/* Counts one wrong check-in code. */
int store_signup_checkin_failed(db *d, int64_t id);
int store_signup_serve(db *d, int64_t id, int minutes, int64_t at);
/* Every sign-up of the activity, signed first then waiting by seq, then
 * cancelled: id, account_id, display_name, username, status, seq,
 * checked_in_at, served, service_minutes, position (waiting: 1, 2, …),
 * checkin_failures. */
db_rows *store_signups_list(db *d, arena *a, int64_t activity);
/* Accounts signed up or waiting (to notify of a cancellation): account_id. */
db_rows *store_signup_accounts(db *d, arena *a, int64_t activity);
/* The account's own sign-ups with hours credited: total minutes. */
int64_t store_account_service_minutes(db *d, int64_t account);

/* Counts over activities starting in [from, to) in the subtree of place that
 * the viewer manages: events (scheduled), cancelled, sign-ups (signed),
 * checked in, volunteers served, service minutes. With children set: one
 * row per child place of `place` (code, name, then the six counts), else
 * one row of the six counts. */
db_rows *store_activity_counts(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                               int64_t to, int children);

#endif
