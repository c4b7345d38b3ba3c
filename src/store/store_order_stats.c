/* The figures' counters: see store_order_stats.h. */
#include "store/store_order_stats.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define FACT_COLS                                                                                  \
    "SELECT state, accepted_at, first_contact_at, response_counted_s, response_breached, "         \
    "resolved_at, resolution_counted_s, resolution_breached, outcome, rating, reopen_count, "      \
    "escalation_level, place_code, category_code, channel, created_at, id FROM orders "

static void fact_of(const db_rows *r, int i, struct order_fact_row *f)
{
    enum {
        STATE,
        ACCEPTED,
        CONTACT,
        R_COUNTED,
        R_BREACHED,
        RESOLVED,
        S_COUNTED,
        S_BREACHED,
        OUTCOME,
        RATING,
        REOPENS,
        LEVEL,
        PLACE,
        CATEGORY,
        CHANNEL,
        CREATED,
        ID
    };
    *f = (struct order_fact_row){
        .id = db_get_int(r, i, ID),
        .created_at = db_get_int(r, i, CREATED),
        .state = db_get(r, i, STATE),
        .outcome = db_get(r, i, OUTCOME),
        .rating = db_get(r, i, RATING),
        .place = db_get(r, i, PLACE),
        .category = db_get(r, i, CATEGORY),
        .channel = db_get(r, i, CHANNEL),
        .accepted = db_get(r, i, ACCEPTED) != NULL,
        .contacted = db_get(r, i, CONTACT) != NULL,
        .resolved = db_get(r, i, RESOLVED) != NULL,
        .response_fixed = db_get(r, i, R_COUNTED) != NULL,
        .resolution_fixed = db_get(r, i, S_COUNTED) != NULL,
        .response_counted = db_get_int(r, i, R_COUNTED),
        .resolution_counted = db_get_int(r, i, S_COUNTED),
        .response_breached = db_get_int(r, i, R_BREACHED) != 0,
        .resolution_breached = db_get_int(r, i, S_BREACHED) != 0,
        .reopen_count = (int)db_get_int(r, i, REOPENS),
        .escalation_level = (int)db_get_int(r, i, LEVEL),
    };
}

bool store_order_fact_row(db *d, arena *a, int64_t id, struct order_fact_row *out)
{
    db_rows *r = DBQ(d, a, FACT_COLS "WHERE id = ?", P_INT(id));
    if (!r || r->nrows != 1) return false;
    fact_of(r, 0, out);
    return true;
}

int store_order_fact_rows(db *d, arena *a, int64_t after_id, int limit, struct order_fact_row **out)
{
    db_rows *r =
        DBQ(d, a, FACT_COLS "WHERE id > ? ORDER BY id LIMIT ?", P_INT(after_id), P_INT(limit));
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) fact_of(r, i, &(*out)[i]);
    return r->nrows;
}

int store_order_set_clock(db *d, int64_t id, int which, long long counted, int breached)
{
    db_param cnt = counted < 0 ? P_NULL : P_INT(counted);
    if (which == 0)
        return DBX(d,
                   "UPDATE orders SET response_counted_s = ?, response_breached = CASE WHEN "
                   "response_breached = 1 OR ? = 1 THEN 1 ELSE 0 END WHERE id = ?",
                   cnt, P_INT(breached ? 1 : 0), P_INT(id));
    return DBX(d,
               "UPDATE orders SET resolution_counted_s = ?, resolution_breached = CASE WHEN "
               "resolution_breached = 1 OR ? = 1 THEN 1 ELSE 0 END WHERE id = ?",
               cnt, P_INT(breached ? 1 : 0), P_INT(id));
}

int store_order_mark_breach(db *d, int64_t id, int which)
{
    return which == 0 ? DBX(d, "UPDATE orders SET response_breached = 1 WHERE id = ?", P_INT(id))
                      : DBX(d, "UPDATE orders SET resolution_breached = 1 WHERE id = ?", P_INT(id));
}

/* The SQL texts are assembled once from core/order_tally's column list (names
 * only: every value is a parameter) and must stay at one address for the
 * statement cache. */
#define COMBOS      8 /* grain d and m × (all, category, channel, both) */
#define ROW_PARAMS  (6 + ORDER_TALLY_N)
#define INSERT_ROWS 32 /* rows per INSERT of the rebuild: fewer statements to run */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char upsert_sql[16384];
static char sum_sql[5][4096];
static char insert_sql[2][16384]; /* INSERT_ROWS rows, one row */
static char group_sql[2048];
static char pend_sql[2048];
static char take_sql[2048];

/* "INSERT INTO order_stats(<columns>) VALUES (?, …), …" with rows rows, into
 * [p, end); returns the new end of the text. */
static char *insert_rows_sql(char *p, char *end, int rows)
{
    p += snprintf(p, (size_t)(end - p),
                  "INSERT INTO order_stats(place_code, grain, combo, bucket, category_code, "
                  "channel");
    for (int i = 0; i < ORDER_TALLY_N; i++)
        p += snprintf(p, (size_t)(end - p), ", %s", order_tally_columns[i]);
    p += snprintf(p, (size_t)(end - p), ") VALUES ");
    for (int r = 0; r < rows; r++) {
        p += snprintf(p, (size_t)(end - p), "%s(?, ?, ?, ?, ?, ?", r ? ", " : "");
        for (int i = 0; i < ORDER_TALLY_N; i++) p += snprintf(p, (size_t)(end - p), ", ?");
        p += snprintf(p, (size_t)(end - p), ")");
    }
    return p;
}

static void build_sql(void)
{
    char *end = upsert_sql + sizeof upsert_sql;
    char *p = insert_rows_sql(upsert_sql, end, COMBOS);
    p += snprintf(
        p, (size_t)(end - p),
        " ON CONFLICT (place_code, grain, combo, bucket, category_code, channel) DO UPDATE SET ");
    for (int i = 0; i < ORDER_TALLY_N; i++)
        p += snprintf(p, (size_t)(end - p), "%s%s = order_stats.%s + excluded.%s", i ? ", " : "",
                      order_tally_columns[i], order_tally_columns[i], order_tally_columns[i]);

    p = pend_sql;
    end = pend_sql + sizeof pend_sql;
    p += snprintf(p, (size_t)(end - p),
                  "INSERT INTO order_stats_pending(place_code, day, category_code, channel");
    for (int i = 0; i < ORDER_TALLY_N; i++)
        p += snprintf(p, (size_t)(end - p), ", %s", order_tally_columns[i]);
    p += snprintf(p, (size_t)(end - p), ") VALUES (?, ?, ?, ?");
    for (int i = 0; i < ORDER_TALLY_N; i++) p += snprintf(p, (size_t)(end - p), ", ?");
    p += snprintf(p, (size_t)(end - p), ")");

    /* DELETE … RETURNING is the claim: a second process's DELETE waits for
     * the first and finds the rows gone */
    p = take_sql;
    end = take_sql + sizeof take_sql;
    p += snprintf(p, (size_t)(end - p),
                  "DELETE FROM order_stats_pending WHERE id IN (SELECT id FROM "
                  "order_stats_pending ORDER BY id LIMIT ?) RETURNING place_code, day, "
                  "category_code, channel");
    for (int i = 0; i < ORDER_TALLY_N; i++)
        p += snprintf(p, (size_t)(end - p), ", %s", order_tally_columns[i]);

    for (int k = 0; k < 2; k++)
        insert_rows_sql(insert_sql[k], insert_sql[k] + sizeof insert_sql[k], k ? 1 : INSERT_ROWS);

    p = group_sql;
    end = group_sql + sizeof group_sql;
    p += snprintf(p, (size_t)(end - p), "SELECT bucket, category_code, channel");
    for (int i = 0; i < ORDER_TALLY_N; i++)
        p += snprintf(p, (size_t)(end - p), ", %s", order_tally_columns[i]);
    p += snprintf(p, (size_t)(end - p),
                  " FROM order_stats WHERE place_code = ? AND grain = ? AND combo = ?");

    static const char *const key[5] = {
        "NULL, NULL", "s.place_code, (SELECT p.name FROM places p WHERE p.code = s.place_code)",
        "s.category_code, (SELECT c.name FROM categories c WHERE c.code = s.category_code)",
        "s.channel, NULL", "s.bucket, NULL"};
    static const char *const tail[5] = {"", " GROUP BY s.place_code", " GROUP BY s.category_code",
                                        " GROUP BY s.channel", " GROUP BY s.bucket"};
    for (int g = 0; g < 5; g++) {
        char *q = sum_sql[g], *qe = sum_sql[g] + sizeof sum_sql[g];
        q += snprintf(q, (size_t)(qe - q), "SELECT %s", key[g]);
        for (int i = 0; i < ORDER_TALLY_N; i++)
            q += snprintf(q, (size_t)(qe - q), ", COALESCE(SUM(s.%s), 0)", order_tally_columns[i]);
        /* combo picks the rows (all, by category, by channel, by both), so
         * the key reads exactly them; the filters narrow within */
        q += snprintf(
            q, (size_t)(qe - q),
            " FROM order_stats s WHERE %s AND s.grain = ? AND s.combo = ? AND s.bucket >= ? "
            "AND s.bucket <= ? AND (CAST(? AS TEXT) IS NULL OR s.category_code = ? OR "
            "s.category_code IN (SELECT c2.code FROM categories c2 WHERE c2.parent_code = ?)) "
            "AND (CAST(? AS TEXT) IS NULL OR s.channel = ?)%s",
            /* the divisions below: their codes from places, each read by key */
            g == OSG_CHILDREN
                ? "s.place_code IN (SELECT p.code FROM places p WHERE p.parent_code = ?)"
                : "s.place_code = ?",
            tail[g]);
    }
}

/* The division prefixes of a place code: province 2, city 4, county 6,
 * street 9, community 12 digits. */
static const int division_len[] = {2, 4, 6, 9, 12};

int store_order_stats_add(db *d, const char *place_code, int day, const char *category,
                          const char *channel, const long long delta[ORDER_TALLY_N])
{
    pthread_once(&once, build_sql);
    size_t len = strlen(place_code);
    char prefix[5][16];
    static const char star[] = "*";
    for (int lv = 0; lv < 5 && (size_t)division_len[lv] <= len; lv++) {
        memcpy(prefix[lv], place_code, (size_t)division_len[lv]);
        prefix[lv][division_len[lv]] = '\0';
        db_param p[COMBOS * ROW_PARAMS];
        for (int r = 0; r < COMBOS; r++) {
            db_param *q = p + r * ROW_PARAMS;
            bool month = r >= 4;
            q[0] = P_TEXT(prefix[lv]);
            q[1] = P_TEXT(month ? "m" : "d");
            q[2] = P_INT(r % 4); /* 0 all, 1 category, 2 channel, 3 both */
            q[3] = P_INT(month ? day / 100 : day);
            q[4] = P_TEXT(r % 4 == 1 || r % 4 == 3 ? category : star);
            q[5] = P_TEXT(r % 4 >= 2 ? channel : star);
            for (int i = 0; i < ORDER_TALLY_N; i++) q[6 + i] = P_INT(delta[i]);
        }
        if (db_exec(d, upsert_sql, COMBOS * ROW_PARAMS, p) < 0) return -1;
    }
    return 0;
}

int store_order_stats_pend(db *d, const char *place_code, int day, const char *category,
                           const char *channel, const long long delta[ORDER_TALLY_N])
{
    pthread_once(&once, build_sql);
    db_param p[4 + ORDER_TALLY_N];
    p[0] = P_TEXT(place_code);
    p[1] = P_INT(day);
    p[2] = P_TEXT(category);
    p[3] = P_TEXT(channel);
    for (int i = 0; i < ORDER_TALLY_N; i++) p[4 + i] = P_INT(delta[i]);
    return db_exec(d, pend_sql, 4 + ORDER_TALLY_N, p) < 0 ? -1 : 0;
}

/* Rows of place, bucket, category, channel and the ORDER_TALLY_N values
 * from column `first` on (the other key columns are left zero). */
static int stats_rows(db_rows *r, arena *a, const int cols[4], struct order_stats_row **out)
{
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) {
        struct order_stats_row *o = &(*out)[i];
        memset(o, 0, sizeof *o);
        o->place = cols[0] >= 0 ? db_get(r, i, cols[0]) : NULL;
        o->bucket = cols[1] >= 0 ? (int)db_get_int(r, i, cols[1]) : 0;
        o->category = cols[2] >= 0 ? db_get(r, i, cols[2]) : NULL;
        o->channel = cols[3] >= 0 ? db_get(r, i, cols[3]) : NULL;
        for (int m = 0; m < ORDER_TALLY_N; m++) o->v[m] = db_get_int(r, i, 4 + m - (cols[0] < 0));
    }
    return r->nrows;
}

int store_order_stats_take(db *d, arena *a, int limit, struct order_stats_row **out)
{
    pthread_once(&once, build_sql);
    static const int cols[4] = {0, 1, 2, 3};
    return stats_rows(DBQ(d, a, take_sql, P_INT(limit)), a, cols, out);
}

bool store_order_stats_pending(db *d)
{
    return db_scalar_int(d, "SELECT COUNT(*) FROM (SELECT 1 FROM order_stats_pending LIMIT 1) p", 0,
                         NULL, 0) > 0;
}

int64_t store_order_stats_version(db *d)
{
    return db_scalar_int(d, "SELECT version FROM order_stats_version WHERE id = 1", 0, NULL, -1);
}

int store_order_stats_touch(db *d)
{
    return db_exec(d, "UPDATE order_stats_version SET version = version + 1 WHERE id = 1", 0,
                   NULL) < 0
               ? -1
               : 0;
}

static void row_params(db_param *q, const struct order_stats_row *r)
{
    q[0] = P_TEXT(r->place);
    q[1] = P_TEXT(r->grain == 'm' ? "m" : "d");
    q[2] = P_INT(r->combo);
    q[3] = P_INT(r->bucket);
    q[4] = P_TEXT(r->category);
    q[5] = P_TEXT(r->channel);
    for (int i = 0; i < ORDER_TALLY_N; i++) q[6 + i] = P_INT(r->v[i]);
}

int store_order_stats_insert(db *d, const struct order_stats_row *rows, int n)
{
    pthread_once(&once, build_sql);
    static _Thread_local db_param p[INSERT_ROWS * ROW_PARAMS];
    int i = 0;
    for (; i + INSERT_ROWS <= n; i += INSERT_ROWS) {
        for (int r = 0; r < INSERT_ROWS; r++) row_params(p + r * ROW_PARAMS, &rows[i + r]);
        if (db_exec(d, insert_sql[0], INSERT_ROWS * ROW_PARAMS, p) < 0) return -1;
    }
    for (; i < n; i++) {
        row_params(p, &rows[i]);
        if (db_exec(d, insert_sql[1], ROW_PARAMS, p) < 0) return -1;
    }
    return 0;
}

int store_order_stats_group(db *d, arena *a, const char *place, char grain, int combo,
                            struct order_stats_row **out)
{
    pthread_once(&once, build_sql);
    static const int cols[4] = {-1, 0, 1, 2}; /* bucket, category, channel, then v */
    return stats_rows(
        DBQ(d, a, group_sql, P_TEXT(place), P_TEXT(grain == 'm' ? "m" : "d"), P_INT(combo)), a,
        cols, out);
}

int store_order_stats_groups(db *d, arena *a, struct order_stats_row **out)
{
    db_rows *r =
        db_query(d, a, "SELECT DISTINCT place_code, grain, combo FROM order_stats", 0, NULL);
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) {
        const char *grain = db_get(r, i, 1);
        (*out)[i] = (struct order_stats_row){.place = db_get(r, i, 0),
                                             .grain = grain ? grain[0] : 0,
                                             .combo = (int)db_get_int(r, i, 2)};
    }
    return r->nrows;
}

/* Whistles and costs are few, orders many: both queries walk the small table
 * and look each order up by its key, never the orders of a whole county. */
int store_order_whistle_counts(db *d, arena *a, const char *place, int64_t t_from, int64_t t_to,
                               struct order_whistle_count **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT w.kind, COUNT(DISTINCT w.id), COUNT(c.id), COALESCE(SUM(CASE WHEN "
            "c.answered_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM whistles w LEFT JOIN "
            "whistle_calls c ON c.whistle_id = w.id WHERE w.created_at >= ? AND "
            "w.created_at < ? AND EXISTS (SELECT 1 FROM orders o WHERE o.id = w.order_id AND "
            "o.place_code >= ? AND o.place_code < ? || ':') GROUP BY w.kind ORDER BY w.kind",
            P_INT(t_from), P_INT(t_to), P_TEXT(place), P_TEXT(place));
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct order_whistle_count){db_get(r, i, 0), db_get_int(r, i, 1),
                                                 db_get_int(r, i, 2), db_get_int(r, i, 3)};
    return r->nrows;
}

bool store_order_cost_totals(db *d, const char *place, int64_t t_from, int64_t t_to,
                             long long *count, long long *fen)
{
    arena *a = arena_new();
    db_rows *r =
        DBQ(d, a,
            "SELECT COUNT(*), COALESCE(SUM(c.amount_fen), 0) FROM order_costs c WHERE "
            "c.state = 'confirmed' AND c.confirmed_at >= ? AND c.confirmed_at < ? AND EXISTS "
            "(SELECT 1 FROM orders o WHERE o.id = c.order_id AND o.place_code >= ? AND "
            "o.place_code < ? || ':')",
            P_INT(t_from), P_INT(t_to), P_TEXT(place), P_TEXT(place));
    *count = r && r->nrows ? db_get_int(r, 0, 0) : 0;
    *fen = r && r->nrows ? db_get_int(r, 0, 1) : 0;
    arena_free(a);
    return r != NULL;
}

/* The WHERE of the partial index orders_attention (migration 013), which also
 * gives the order: newest of the highest level first, no sort. SQLite's
 * planner prefers the (state, id) index for the IN and then sorts every open
 * order, so it is told which index to use; PostgreSQL chooses well itself. */
#define ATTENTION_SQL(INDEXED)                                                                     \
    "SELECT o.id, o.code, o.title, o.state, o.escalation_level, o.response_breached, "             \
    "o.resolution_breached FROM orders o " INDEXED " WHERE state IN ('submitted', 'accepted', "    \
    "'dispatched', 'taken', 'suspended', 'rated') AND (escalation_level > 0 OR "                   \
    "response_breached = 1 OR resolution_breached = 1) AND o.place_code >= ? AND "                 \
    "o.place_code < ? || ':' ORDER BY o.escalation_level DESC, o.id DESC LIMIT ?"

int store_orders_attention(db *d, arena *a, const char *place, int limit,
                           struct order_attention **out)
{
    static const char sqlite_sql[] = ATTENTION_SQL("INDEXED BY orders_attention");
    static const char pg_sql[] = ATTENTION_SQL("");
    db_rows *r = DBQ(d, a, db_kind_of(d) == DB_SQLITE ? sqlite_sql : pg_sql, P_TEXT(place),
                     P_TEXT(place), P_INT(limit));
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct order_attention){db_get_int(r, i, 0),      db_get(r, i, 1),
                                             db_get(r, i, 2),          db_get(r, i, 3),
                                             (int)db_get_int(r, i, 4), db_get_int(r, i, 5) != 0,
                                             db_get_int(r, i, 6) != 0};
    return r->nrows;
}

const char *store_order_stats_place_name(db *d, arena *a, const char *code)
{
    db_rows *r = DBQ(d, a, "SELECT name FROM places WHERE code = ?", P_TEXT(code));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

int store_order_stats_clear(db *d)
{
    return db_exec(d, "DELETE FROM order_stats", 0, NULL) < 0 ? -1 : 0;
}

int store_order_stats_sum(db *d, arena *a, enum order_stats_group g, const char *place, char grain,
                          int from, int to, const char *category, const char *channel,
                          struct order_stats_sum **out)
{
    pthread_once(&once, build_sql);
    if ((int)g < 0 || g > OSG_DAY) return -1;
    bool by_cat = g == OSG_CATEGORY || (category && *category);
    bool by_ch = g == OSG_CHANNEL || (channel && *channel);
    db_rows *r =
        DBQ(d, a, sum_sql[g], P_TEXT(place), P_TEXT(grain == 'm' ? "m" : "d"),
            P_INT((by_cat ? 1 : 0) | (by_ch ? 2 : 0)), P_INT(from), P_INT(to), P_OPT(category),
            P_OPT(category), P_OPT(category), P_OPT(channel), P_OPT(channel));
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) {
        struct order_stats_sum *o = &(*out)[i];
        o->key = db_get(r, i, 0);
        o->name = db_get(r, i, 1);
        for (int m = 0; m < ORDER_TALLY_N; m++) o->v[m] = db_get_int(r, i, 2 + m);
    }
    return r->nrows;
}
