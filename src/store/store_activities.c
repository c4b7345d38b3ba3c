/* Activities in portable SQL; see store_activities.h. The activities table
 * is aliased ac: SCOPE_COVERS owns s and rc. */
#include "store/store_activities.h"

#include "core/roles.h"
#include "store/scope.h"
#include "util/clock.h"

/* Manages: activities.manage over the place. Parameters: viewer, cap. */
#define ACT_MANAGES SCOPE_COVERS("ac.place_code")
/* Near: a place or grid grant in the activity's subtree or under it.
 * Parameter: viewer. */
#define GRANT_PLACE "COALESCE(g.place_code, gp.place_code)"
#define ACT_NEAR                                                                                   \
    " EXISTS (SELECT 1 FROM grants g LEFT JOIN grid_places gp ON gp.grid_id = g.grid_id"           \
    " WHERE g.account_id = ? AND " GRANT_PLACE " IS NOT NULL AND ((ac.place_code >= " GRANT_PLACE  \
    " AND ac.place_code < " GRANT_PLACE " || ':') OR (" GRANT_PLACE                                \
    " >= ac.place_code AND " GRANT_PLACE " < ac.place_code || ':'))) "
/* Parameters: viewer, viewer, cap, viewer, viewer. */
#define ACT_VISIBLE " (? = 0 OR " ACT_MANAGES " OR " ACT_NEAR " OR ac.organiser_id = ?) "
#define VIS_ARGS(v) P_INT(v), P_INT(v), P_TEXT(CAP_ACTIVITIES_MANAGE), P_INT(v), P_INT(v)

#define ACTIVITY_COLS                                                                              \
    "ac.id, ac.series_id, ac.detached, ac.kind, ac.title, ac.description, ac.place_code, "         \
    "pl.name AS place_name, ac.station_id, st.name AS station_name, ac.org_id, o.name AS "         \
    "org_name, ac.organiser_id, COALESCE(acc.display_name, acc.username) AS organiser_name, "      \
    "ac.capacity, ac.starts_at, ac.ends_at, ac.status, "                                           \
    "(SELECT COUNT(*) FROM activity_signups x WHERE x.activity_id = ac.id AND x.status = "         \
    "'signed') AS n_signed, (SELECT COUNT(*) FROM activity_signups x WHERE x.activity_id = ac.id " \
    "AND x.status = 'waiting') AS n_waiting, (SELECT COUNT(*) FROM activity_signups x WHERE "      \
    "x.activity_id = ac.id AND x.checked_in_at IS NOT NULL AND x.status = 'signed') AS "           \
    "n_checked, ac.created_at, ac.updated_at "                                                     \
    "FROM activities ac JOIN places pl ON pl.code = ac.place_code LEFT JOIN stations st ON "       \
    "st.id = ac.station_id LEFT JOIN organisations o ON o.id = ac.org_id JOIN accounts acc ON "    \
    "acc.id = ac.organiser_id "

/* Column positions of ACTIVITY_COLS. */
enum {
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
};

static struct activity_view view_at(const db_rows *r, int i)
{
    return (struct activity_view){
        .id = db_get_int(r, i, AC_ID),
        .series_id = db_get_int(r, i, AC_SERIES),
        .detached = db_get_int(r, i, AC_DETACHED) != 0,
        .kind = db_get(r, i, AC_KIND),
        .title = db_get(r, i, AC_TITLE),
        .description = db_get(r, i, AC_DESCRIPTION),
        .place_code = db_get(r, i, AC_PLACE),
        .place_name = db_get(r, i, AC_PLACE_NAME),
        .station_id = db_get_int(r, i, AC_STATION),
        .station_name = db_get(r, i, AC_STATION_NAME),
        .org_id = db_get_int(r, i, AC_ORG),
        .org_name = db_get(r, i, AC_ORG_NAME),
        .organiser_id = db_get_int(r, i, AC_ORGANISER),
        .organiser_name = db_get(r, i, AC_ORGANISER_NAME),
        .capacity = db_get_int(r, i, AC_CAPACITY),
        .starts_at = db_get_int(r, i, AC_STARTS),
        .ends_at = db_get_int(r, i, AC_ENDS),
        .status = db_get(r, i, AC_STATUS),
        .n_signed = db_get_int(r, i, AC_N_SIGNED),
        .n_waiting = db_get_int(r, i, AC_N_WAITING),
        .n_checked = db_get_int(r, i, AC_N_CHECKED),
    };
}

static struct activity_view *views_of(arena *a, const db_rows *r, int *n)
{
    *n = 0;
    if (!r) return NULL;
    struct activity_view *out = arena_alloc(a, sizeof *out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) out[i] = view_at(r, i);
    *n = r->nrows;
    return out;
}

bool store_activity_get(db *d, arena *a, int64_t viewer, int64_t id, struct activity_view *out)
{
    db_rows *r = DBQ(d, a, "SELECT " ACTIVITY_COLS "WHERE ac.id = ? AND " ACT_VISIBLE, P_INT(id),
                     VIS_ARGS(viewer));
    if (!r || !r->nrows) return false;
    if (out) *out = view_at(r, 0);
    return true;
}

struct activity_row activity_row_of(const struct activity_view *v)
{
    return (struct activity_row){
        .series_id = v->series_id,
        .kind = v->kind,
        .title = v->title,
        .description = v->description,
        .place_code = v->place_code,
        .station_id = v->station_id,
        .org_id = v->org_id,
        .organiser_id = v->organiser_id,
        .capacity = v->capacity,
        .starts_at = v->starts_at,
        .ends_at = v->ends_at,
    };
}

bool store_activity_manageable(db *d, int64_t viewer, int64_t id)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM activities ac WHERE ac.id = ? AND (? = 0 OR ac.organiser_id "
               "= ? OR " ACT_MANAGES ")",
               P_INT(id), P_INT(viewer), P_INT(viewer), P_INT(viewer),
               P_TEXT(CAP_ACTIVITIES_MANAGE)) > 0;
}

const char *store_activity_secret(db *d, arena *a, int64_t id)
{
    db_rows *r = DBQ(d, a, "SELECT secret FROM activities WHERE id = ?", P_INT(id));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

#define LIST_WHERE                                                                                 \
    "WHERE (CAST(? AS TEXT) IS NULL OR (ac.place_code >= ? AND ac.place_code < CAST(? AS TEXT) "   \
    "|| ':')) AND (CAST(? AS TEXT) IS NULL OR ac.kind = ?) AND (? = 0 OR ac.starts_at >= ?) AND "  \
    "(? = 0 OR ac.starts_at < ?) AND (? = 0 OR ac.series_id = ?) AND (? = 0 OR EXISTS (SELECT 1 "  \
    "FROM activity_signups me WHERE me.activity_id = ac.id AND me.account_id = ? AND me.status "   \
    "<> 'cancelled')) AND (? = 1 OR ac.status = 'scheduled') AND ac.id > ? AND " ACT_VISIBLE
#define LIST_ARGS(f, v)                                                                            \
    P_OPT(f->place), P_OPT(f->place), P_OPT(f->place), P_OPT(f->kind), P_OPT(f->kind),             \
        P_INT(f->from), P_INT(f->from), P_INT(f->to), P_INT(f->to), P_INT(f->series),              \
        P_INT(f->series), P_INT(f->mine), P_INT(f->mine), P_INT(f->include_cancelled != 0),        \
        P_INT(f->after_id), VIS_ARGS(v), P_INT(f->limit > 0 ? f->limit : 50)

struct activity_view *store_activities_list(db *d, arena *a, int64_t viewer,
                                            const struct activity_filter *f, int *n)
{
    if (f->by_start)
        return views_of(
            a,
            DBQ(d, a, "SELECT " ACTIVITY_COLS LIST_WHERE " ORDER BY ac.starts_at, ac.id LIMIT ?",
                LIST_ARGS(f, viewer)),
            n);
    return views_of(a,
                    DBQ(d, a, "SELECT " ACTIVITY_COLS LIST_WHERE " ORDER BY ac.id LIMIT ?",
                        LIST_ARGS(f, viewer)),
                    n);
}

static db_param opt_id(int64_t v)
{
    return v > 0 ? P_INT(v) : P_NULL;
}

int64_t store_activity_insert(db *d, const struct activity_row *r, const char *secret)
{
    arena *a = arena_new();
    int64_t now = clock_now();
    db_rows *x = DBQ(d, a,
                     "INSERT INTO activities(series_id, kind, title, description, place_code, "
                     "station_id, org_id, organiser_id, capacity, starts_at, ends_at, secret, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "RETURNING id",
                     opt_id(r->series_id), P_TEXT(r->kind), P_TEXT(r->title), P_OPT(r->description),
                     P_TEXT(r->place_code), opt_id(r->station_id), opt_id(r->org_id),
                     P_INT(r->organiser_id), P_INT(r->capacity), P_INT(r->starts_at),
                     P_INT(r->ends_at), P_TEXT(secret), P_INT(now), P_INT(now));
    int64_t id = x && x->nrows ? db_get_int(x, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

int store_activity_update(db *d, int64_t id, const struct activity_row *r, int detach)
{
    return DBX(d,
               "UPDATE activities SET kind = ?, title = ?, description = ?, place_code = ?, "
               "station_id = ?, org_id = ?, organiser_id = ?, capacity = ?, starts_at = ?, "
               "ends_at = ?, detached = CASE WHEN ? = 1 AND series_id IS NOT NULL THEN 1 ELSE "
               "detached END, updated_at = ? WHERE id = ?",
               P_TEXT(r->kind), P_TEXT(r->title), P_OPT(r->description), P_TEXT(r->place_code),
               opt_id(r->station_id), opt_id(r->org_id), P_INT(r->organiser_id), P_INT(r->capacity),
               P_INT(r->starts_at), P_INT(r->ends_at), P_INT(detach != 0), P_INT(clock_now()),
               P_INT(id));
}

bool store_activity_organiser_active(db *d, int64_t account)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM accounts WHERE id = ? AND disabled = 0",
               P_INT(account)) > 0;
}

int store_activity_cancel(db *d, int64_t id)
{
    return DBX(d,
               "UPDATE activities SET status = 'cancelled', detached = CASE WHEN series_id IS "
               "NULL THEN 0 ELSE 1 END, updated_at = ? WHERE id = ?",
               P_INT(clock_now()), P_INT(id));
}

struct activity_row activity_row_of_series(const struct series_row *s)
{
    return (struct activity_row){
        .kind = s->kind,
        .title = s->title,
        .description = s->description,
        .place_code = s->place_code,
        .station_id = s->station_id,
        .org_id = s->org_id,
        .organiser_id = s->organiser_id,
        .capacity = s->capacity,
    };
}

bool store_series_get(db *d, arena *a, int64_t viewer, int64_t id, struct series_view *out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT ac.id, pl.name, ac.kind, ac.title, ac.description, ac.place_code, ac.freq, "
            "ac.from_date, ac.until_date, ac.station_id, ac.org_id, ac.organiser_id, ac.capacity, "
            "ac.weekdays, ac.month_day, ac.start_minute, ac.duration_min FROM activity_series ac "
            "JOIN places pl ON pl.code = ac.place_code WHERE ac.id = ? AND (? = 0 OR "
            "ac.organiser_id = ? OR " ACT_MANAGES ")",
            P_INT(id), P_INT(viewer), P_INT(viewer), P_INT(viewer), P_TEXT(CAP_ACTIVITIES_MANAGE));
    if (!r || !r->nrows) return false;
    if (!out) return true;
    int c = 0;
    out->id = db_get_int(r, 0, c++);
    out->place_name = db_get(r, 0, c++);
    struct series_row *s = &out->s;
    s->kind = db_get(r, 0, c++);
    s->title = db_get(r, 0, c++);
    s->description = db_get(r, 0, c++);
    s->place_code = db_get(r, 0, c++);
    s->freq = db_get(r, 0, c++);
    s->from_date = db_get(r, 0, c++);
    s->until_date = db_get(r, 0, c++);
    s->station_id = db_get_int(r, 0, c++);
    s->org_id = db_get_int(r, 0, c++);
    s->organiser_id = db_get_int(r, 0, c++);
    s->capacity = db_get_int(r, 0, c++);
    s->weekdays = (int)db_get_int(r, 0, c++);
    s->month_day = (int)db_get_int(r, 0, c++);
    s->start_minute = (int)db_get_int(r, 0, c++);
    s->duration_min = (int)db_get_int(r, 0, c++);
    return true;
}

int64_t store_series_insert(db *d, const struct series_row *s)
{
    arena *a = arena_new();
    int64_t now = clock_now();
    db_rows *x = DBQ(
        d, a,
        "INSERT INTO activity_series(kind, title, description, place_code, station_id, org_id, "
        "organiser_id, capacity, freq, weekdays, month_day, from_date, until_date, start_minute, "
        "duration_min, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?) RETURNING id",
        P_TEXT(s->kind), P_TEXT(s->title), P_OPT(s->description), P_TEXT(s->place_code),
        opt_id(s->station_id), opt_id(s->org_id), P_INT(s->organiser_id), P_INT(s->capacity),
        P_TEXT(s->freq), P_INT(s->weekdays), P_INT(s->month_day), P_TEXT(s->from_date),
        P_TEXT(s->until_date), P_INT(s->start_minute), P_INT(s->duration_min), P_INT(now),
        P_INT(now));
    int64_t id = x && x->nrows ? db_get_int(x, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

int store_series_update(db *d, int64_t id, const struct series_row *s)
{
    return DBX(d,
               "UPDATE activity_series SET kind = ?, title = ?, description = ?, place_code = ?, "
               "station_id = ?, org_id = ?, capacity = ?, start_minute = ?, duration_min = ?, "
               "updated_at = ? WHERE id = ?",
               P_TEXT(s->kind), P_TEXT(s->title), P_OPT(s->description), P_TEXT(s->place_code),
               opt_id(s->station_id), opt_id(s->org_id), P_INT(s->capacity), P_INT(s->start_minute),
               P_INT(s->duration_min), P_INT(clock_now()), P_INT(id));
}

struct series_occurrence *store_series_future(db *d, arena *a, int64_t id, int64_t after, int *n)
{
    *n = 0;
    db_rows *r = DBQ(d, a,
                     "SELECT id, starts_at FROM activities WHERE series_id = ? AND starts_at > ? "
                     "AND detached = 0 AND status = 'scheduled' ORDER BY starts_at, id",
                     P_INT(id), P_INT(after));
    if (!r) return NULL;
    struct series_occurrence *out = arena_alloc(a, sizeof *out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        out[i] = (struct series_occurrence){db_get_int(r, i, 0), db_get_int(r, i, 1)};
    *n = r->nrows;
    return out;
}

int store_activity_lock(db *d, int64_t id)
{
    return DBX(d, "UPDATE activities SET updated_at = updated_at WHERE id = ?", P_INT(id));
}

#define SIGNUP_COLS                                                                                \
    "su.id, su.account_id, su.status, su.seq, su.checked_in_at, su.served, su.service_minutes, "   \
    "su.checkin_failures "
#define SIGNUP_NCOLS 8

/* The SIGNUP_COLS of row i, from column 0. */
static struct signup_row signup_at(const db_rows *r, int i)
{
    return (struct signup_row){
        .id = db_get_int(r, i, 0),
        .account_id = db_get_int(r, i, 1),
        .status = db_get(r, i, 2),
        .seq = db_get_int(r, i, 3),
        .checked_in = db_get(r, i, 4) != NULL,
        .checked_in_at = db_get_int(r, i, 4),
        .served = db_get_int(r, i, 5) != 0,
        .service_minutes = db_get_int(r, i, 6),
        .checkin_failures = db_get_int(r, i, 7),
    };
}

static bool one_signup(db_rows *r, struct signup_row *out)
{
    if (!r || !r->nrows) return false;
    if (out) *out = signup_at(r, 0);
    return true;
}

bool store_signup_of(db *d, arena *a, int64_t activity, int64_t account, struct signup_row *out)
{
    return one_signup(DBQ(d, a,
                          "SELECT " SIGNUP_COLS "FROM activity_signups su WHERE su.activity_id = "
                          "? AND su.account_id = ?",
                          P_INT(activity), P_INT(account)),
                      out);
}

bool store_signup_by_id(db *d, arena *a, int64_t activity, int64_t id, struct signup_row *out)
{
    return one_signup(DBQ(d, a,
                          "SELECT " SIGNUP_COLS
                          "FROM activity_signups su WHERE su.activity_id = ? AND su.id = ?",
                          P_INT(activity), P_INT(id)),
                      out);
}

int64_t store_signup_position(db *d, int64_t activity, int64_t seq)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM activity_signups WHERE activity_id = ? AND status = "
               "'waiting' AND seq <= ?",
               P_INT(activity), P_INT(seq));
}

int64_t store_signups_count(db *d, int64_t activity, const char *status)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM activity_signups WHERE activity_id = ? AND status = ?",
               P_INT(activity), P_TEXT(status));
}

int64_t store_signup_put(db *d, int64_t activity, int64_t account, const char *status)
{
    int64_t seq =
        DBI(d, -1, "SELECT COALESCE(MAX(seq), 0) + 1 FROM activity_signups WHERE activity_id = ?",
            P_INT(activity));
    if (seq < 0) return DB_ERROR;
    int64_t now = clock_now();
    int n = DBX(d,
                "UPDATE activity_signups SET status = ?, seq = ?, signed_at = ? WHERE activity_id "
                "= ? AND account_id = ? AND status = 'cancelled'",
                P_TEXT(status), P_INT(seq), P_INT(now), P_INT(activity), P_INT(account));
    if (n < 0) return n;
    if (n == 0 &&
        (n = DBX(d,
                 "INSERT INTO activity_signups(activity_id, account_id, status, seq, signed_at) "
                 "VALUES (?, ?, ?, ?, ?)",
                 P_INT(activity), P_INT(account), P_TEXT(status), P_INT(seq), P_INT(now))) < 0)
        return n;
    return DBI(d, DB_ERROR,
               "SELECT id FROM activity_signups WHERE activity_id = ? AND account_id = ?",
               P_INT(activity), P_INT(account));
}

int store_signup_set_status(db *d, int64_t id, const char *status)
{
    return DBX(d, "UPDATE activity_signups SET status = ? WHERE id = ?", P_TEXT(status), P_INT(id));
}

bool store_signup_first_waiting(db *d, arena *a, int64_t activity, struct signup_row *out)
{
    return one_signup(DBQ(d, a,
                          "SELECT " SIGNUP_COLS "FROM activity_signups su WHERE su.activity_id = "
                          "? AND su.status = 'waiting' ORDER BY su.seq LIMIT 1",
                          P_INT(activity)),
                      out);
}

int store_signup_checkin(db *d, int64_t id, int64_t at)
{
    return DBX(d,
               "UPDATE activity_signups SET checked_in_at = ? WHERE id = ? AND checked_in_at IS "
               "NULL",
               P_INT(at), P_INT(id));
}

int store_signup_lock(db *d, int64_t id)
{
    return DBX(d, "UPDATE activity_signups SET checkin_failures = checkin_failures WHERE id = ?",
               P_INT(id));
}

int store_signup_checkin_failed(db *d, int64_t id)
{
    return DBX(d,
               "UPDATE activity_signups SET checkin_failures = checkin_failures + 1 WHERE id = ?",
               P_INT(id));
}

int store_signup_serve(db *d, int64_t id, int minutes, int64_t at)
{
    return DBX(d,
               "UPDATE activity_signups SET served = 1, service_minutes = ?, credited_at = "
               "COALESCE(credited_at, ?) WHERE id = ?",
               P_INT(minutes), P_INT(at), P_INT(id));
}

struct signup_entry *store_signups_list(db *d, arena *a, int64_t activity, int *n)
{
    *n = 0;
    db_rows *r = DBQ(
        d, a,
        "SELECT " SIGNUP_COLS ", COALESCE(acc.display_name, acc.username), acc.username, CASE "
        "WHEN su.status = 'waiting' THEN (SELECT COUNT(*) FROM activity_signups w WHERE "
        "w.activity_id = su.activity_id AND w.status = 'waiting' AND w.seq <= su.seq) ELSE 0 END "
        "FROM activity_signups su JOIN accounts acc ON acc.id = su.account_id WHERE "
        "su.activity_id = ? ORDER BY CASE su.status WHEN 'signed' THEN 0 WHEN 'waiting' THEN 1 "
        "ELSE 2 END, su.seq",
        P_INT(activity));
    if (!r) return NULL;
    struct signup_entry *out = arena_alloc(a, sizeof *out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        out[i] = (struct signup_entry){
            .su = signup_at(r, i),
            .name = db_get(r, i, SIGNUP_NCOLS),
            .username = db_get(r, i, SIGNUP_NCOLS + 1),
            .position = db_get_int(r, i, SIGNUP_NCOLS + 2),
        };
    *n = r->nrows;
    return out;
}

db_rows *store_signup_accounts(db *d, arena *a, int64_t activity)
{
    return DBQ(d, a,
               "SELECT account_id FROM activity_signups WHERE activity_id = ? AND status IN "
               "('signed', 'waiting') ORDER BY seq",
               P_INT(activity));
}

int64_t store_account_service_minutes(db *d, int64_t account)
{
    return DBI(d, 0,
               "SELECT COALESCE(SUM(service_minutes), 0) FROM activity_signups WHERE account_id = "
               "? AND served = 1",
               P_INT(account));
}

/* The six counts over the activities ac (joined by the caller). */
#define COUNT_COLS                                                                                 \
    "COALESCE(SUM(CASE WHEN ac.status = 'scheduled' THEN 1 ELSE 0 END), 0), "                      \
    "COALESCE(SUM(CASE WHEN ac.status = 'cancelled' THEN 1 ELSE 0 END), 0), "                      \
    "COALESCE(SUM(CASE WHEN ac.status = 'scheduled' THEN (SELECT COUNT(*) FROM activity_signups "  \
    "x WHERE x.activity_id = ac.id AND x.status = 'signed') ELSE 0 END), 0), "                     \
    "COALESCE(SUM(CASE WHEN ac.status = 'scheduled' THEN (SELECT COUNT(*) FROM activity_signups "  \
    "x WHERE x.activity_id = ac.id AND x.status = 'signed' AND x.checked_in_at IS NOT NULL) ELSE " \
    "0 END), 0), COALESCE(SUM((SELECT COUNT(*) FROM activity_signups x WHERE x.activity_id = "     \
    "ac.id AND x.served = 1)), 0), COALESCE(SUM((SELECT COALESCE(SUM(x.service_minutes), 0) FROM " \
    "activity_signups x WHERE x.activity_id = ac.id AND x.served = 1)), 0) "

/* The six COUNT_COLS of row i from column c. */
static struct activity_counts counts_at(const db_rows *r, int i, int c)
{
    return (struct activity_counts){
        .events = db_get_int(r, i, c),
        .cancelled = db_get_int(r, i, c + 1),
        .signups = db_get_int(r, i, c + 2),
        .checked_in = db_get_int(r, i, c + 3),
        .volunteers_served = db_get_int(r, i, c + 4),
        .service_minutes = db_get_int(r, i, c + 5),
    };
}

bool store_activity_counts(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                           int64_t to, struct activity_counts *out)
{
    db_rows *r = DBQ(d, a,
                     "SELECT " COUNT_COLS "FROM activities ac WHERE ac.place_code >= ? AND "
                     "ac.place_code < CAST(? AS TEXT) || ':' AND ac.starts_at >= ? AND "
                     "ac.starts_at < ? AND (? = 0 OR " ACT_MANAGES ")",
                     P_TEXT(place), P_TEXT(place), P_INT(from), P_INT(to), P_INT(viewer),
                     P_INT(viewer), P_TEXT(CAP_ACTIVITIES_MANAGE));
    if (!r || !r->nrows) return false;
    *out = counts_at(r, 0, 0);
    return true;
}

struct activity_place_counts *store_activity_counts_by_child(db *d, arena *a, int64_t viewer,
                                                             const char *place, int64_t from,
                                                             int64_t to, int *n)
{
    *n = 0;
    db_rows *r = DBQ(d, a,
                     "SELECT c.code, c.name, " COUNT_COLS
                     "FROM places c LEFT JOIN activities ac ON ac.place_code >= c.code AND "
                     "ac.place_code < c.code || ':' AND ac.starts_at >= ? AND ac.starts_at < ? "
                     "AND (? = 0 OR " ACT_MANAGES ") WHERE c.parent_code = ? GROUP BY c.code, "
                     "c.name ORDER BY c.code",
                     P_INT(from), P_INT(to), P_INT(viewer), P_INT(viewer),
                     P_TEXT(CAP_ACTIVITIES_MANAGE), P_TEXT(place));
    if (!r) return NULL;
    struct activity_place_counts *out = arena_alloc(a, sizeof *out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        out[i] =
            (struct activity_place_counts){db_get(r, i, 0), db_get(r, i, 1), counts_at(r, i, 2)};
    *n = r->nrows;
    return out;
}
