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
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* An activity as a reader sees it: the row, its names and its counts.
 * Optional ids are 0 and optional names NULL when absent. */
struct activity_view {
    int64_t id, series_id; /* series 0: a single event */
    bool detached;         /* an occurrence changed by itself */
    const char *kind, *title, *description, *place_code, *place_name;
    int64_t station_id;
    const char *station_name;
    int64_t org_id;
    const char *org_name;
    int64_t organiser_id;
    const char *organiser_name;
    int64_t capacity, starts_at, ends_at;
    const char *status;                     /* scheduled / cancelled */
    int64_t n_signed, n_waiting, n_checked; /* signed, waiting, signed and checked in */
};

/* The activity when it is visible to the viewer, into *out. */
bool store_activity_get(db *d, arena *a, int64_t viewer, int64_t id, struct activity_view *out);
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
/* The visible activities the filter selects, *n of them (in a), or NULL when
 * the store failed. */
struct activity_view *store_activities_list(db *d, arena *a, int64_t viewer,
                                            const struct activity_filter *f, int *n);

struct activity_row {
    int64_t series_id; /* 0: a single event */
    const char *kind, *title, *description, *place_code;
    int64_t station_id, org_id, organiser_id; /* 0: none */
    int64_t capacity, starts_at, ends_at;
};
/* The writable part of a view. */
struct activity_row activity_row_of(const struct activity_view *v);
/* Returns the new id or a negative DB_* code. secret: hex. */
int64_t store_activity_insert(db *d, const struct activity_row *r, const char *secret);
/* Rewrites an occurrence; detach marks it changed by itself. */
int store_activity_update(db *d, int64_t id, const struct activity_row *r, int detach);
int store_activity_cancel(db *d, int64_t id);
/* True when the account may organise: it exists and is not disabled. */
bool store_activity_organiser_active(db *d, int64_t account);

struct series_row {
    const char *kind, *title, *description, *place_code, *freq, *from_date, *until_date;
    int64_t station_id, org_id, organiser_id, capacity;
    int weekdays, month_day, start_minute, duration_min;
};
/* The fields a series gives each of its occurrences (no series id, no times). */
struct activity_row activity_row_of_series(const struct series_row *s);
struct series_view {
    int64_t id;
    const char *place_name;
    struct series_row s;
};
/* Visible when the viewer manages its place or is its organiser. */
bool store_series_get(db *d, arena *a, int64_t viewer, int64_t id, struct series_view *out);
int64_t store_series_insert(db *d, const struct series_row *s);
int store_series_update(db *d, int64_t id, const struct series_row *s);
/* The series' occurrences starting after `after`, still scheduled and not
 * changed by themselves: *n of them, or NULL when the store failed. */
struct series_occurrence {
    int64_t id, starts_at;
};
struct series_occurrence *store_series_future(db *d, arena *a, int64_t id, int64_t after, int *n);

/* ---- sign-ups ---- */
/* Takes the activity's row lock for the rest of the transaction (PostgreSQL;
 * SQLite's write transaction already excludes other writers), so that
 * counting places and signing up are one step. */
int store_activity_lock(db *d, int64_t id);
/* One participation. */
struct signup_row {
    int64_t id, account_id;
    const char *status; /* signed / waiting / cancelled */
    int64_t seq;
    bool checked_in; /* checked_in_at is set */
    int64_t checked_in_at;
    bool served;
    int64_t service_minutes;
    int64_t checkin_failures; /* wrong check-in codes so far */
};
bool store_signup_of(db *d, arena *a, int64_t activity, int64_t account, struct signup_row *out);
bool store_signup_by_id(db *d, arena *a, int64_t activity, int64_t id, struct signup_row *out);
int64_t store_signups_count(db *d, int64_t activity, const char *status);
/* The place on the waiting list of the one waiting with this seq (1, 2, …). */
int64_t store_signup_position(db *d, int64_t activity, int64_t seq);
/* Signs up or queues the account (re-using a cancelled row); returns its id. */
int64_t store_signup_put(db *d, int64_t activity, int64_t account, const char *status);
int store_signup_set_status(db *d, int64_t id, const char *status);
/* The first on the waiting list into *out (id and account_id); false when none. */
bool store_signup_first_waiting(db *d, arena *a, int64_t activity, struct signup_row *out);
int store_signup_checkin(db *d, int64_t id, int64_t at);
/* Takes the sign-up's row lock for the rest of the transaction (PostgreSQL;
 * SQLite's write transaction already excludes other writers), so that
 * reading the count of wrong codes, checking a code and counting it are
 * one step: concurrent guesses cannot all pass the count. */
int store_signup_lock(db *d, int64_t id);
/* Counts one wrong check-in code. */
int store_signup_checkin_failed(db *d, int64_t id);
int store_signup_serve(db *d, int64_t id, int minutes, int64_t at);
/* A sign-up on the list, with who it is and their place on the waiting list. */
struct signup_entry {
    struct signup_row su;
    const char *name, *username;
    int64_t position; /* waiting: 1, 2, …; else 0 */
};
/* Every sign-up of the activity, signed first then waiting by seq, then
 * cancelled: *n of them, or NULL when the store failed. */
struct signup_entry *store_signups_list(db *d, arena *a, int64_t activity, int *n);
/* Accounts signed up or waiting (to notify of a cancellation): account_id. */
db_rows *store_signup_accounts(db *d, arena *a, int64_t activity);
/* The account's own sign-ups with hours credited: total minutes. */
int64_t store_account_service_minutes(db *d, int64_t account);

/* The counts over activities of a place and period. */
struct activity_counts {
    int64_t events; /* scheduled */
    int64_t cancelled;
    int64_t signups;           /* signed, of scheduled events */
    int64_t checked_in;        /* of those */
    int64_t volunteers_served; /* participations marked served */
    int64_t service_minutes;
};
struct activity_place_counts {
    const char *place_code, *name;
    struct activity_counts c;
};
/* Counts over activities starting in [from, to) in the subtree of place that
 * the viewer manages, into *out; false when the store failed. */
bool store_activity_counts(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                           int64_t to, struct activity_counts *out);
/* The same counts for each child place of `place`: *n of them, or NULL when
 * the store failed. */
struct activity_place_counts *store_activity_counts_by_child(db *d, arena *a, int64_t viewer,
                                                             const char *place, int64_t from,
                                                             int64_t to, int *n);

#endif
