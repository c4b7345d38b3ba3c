/* The points ledger in SQL (store_points.h). The tables are points_*; aliases
 * avoid s, which SCOPE_COVERS owns. */
#include "store/store_points.h"

#include <stdio.h>
#include <string.h>

#include "store/scope.h"
#include "util/clock.h"

/* Runs an INSERT … RETURNING id: the id, or the negative DB_* code. */
static int64_t insert_id(db *d, const char *sql, int n, const db_param *p)
{
    arena *a = arena_new();
    db_rows *r = db_query(d, a, sql, n, p);
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}
#define INSERT_ID(d, sql, ...) insert_id((d), (sql), DB_ARGS_(__VA_ARGS__))

bool store_points_covers(db *d, int64_t viewer, const char *cap, const char *place)
{
    if (viewer == 0) return true;
    if (!place) return false;
    return DBI(d, 0, "SELECT 1 WHERE " SCOPE_COVERS("CAST(? AS TEXT)"), P_INT(viewer), P_TEXT(cap),
               P_TEXT(place), P_TEXT(place)) == 1;
}

const char *store_points_community_of(db *d, arena *a, const char *place)
{
    /* Codes below a community extend its 12-digit code (places are materialised paths). */
    if (!place || strlen(place) < 12) return NULL;
    char code[13];
    memcpy(code, place, 12);
    code[12] = 0;
    db_rows *r =
        DBQ(d, a, "SELECT code FROM places WHERE code = ? AND level = 'community'", P_TEXT(code));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

int64_t store_points_account(db *d, const char *kind, const char *place, int64_t person)
{
    int64_t id;
    if (person > 0) {
        id = DBI(d, 0, "SELECT id FROM points_accounts WHERE person_id = ?", P_INT(person));
        if (id > 0) return id;
        if (DBX(d,
                "INSERT INTO points_accounts(kind, person_id, balance, created_at) "
                "VALUES ('person', ?, 0, ?) ON CONFLICT DO NOTHING",
                P_INT(person), P_INT(clock_now())) < 0)
            return DB_ERROR;
        id = DBI(d, 0, "SELECT id FROM points_accounts WHERE person_id = ?", P_INT(person));
    } else {
        id = DBI(d, 0,
                 "SELECT id FROM points_accounts WHERE kind = ? AND place_code = ? AND person_id "
                 "IS NULL",
                 P_TEXT(kind), P_TEXT(place));
        if (id > 0) return id;
        if (DBX(d,
                "INSERT INTO points_accounts(kind, place_code, balance, created_at) "
                "VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING",
                P_TEXT(kind), P_TEXT(place), P_INT(clock_now())) < 0)
            return DB_ERROR;
        id = DBI(d, 0,
                 "SELECT id FROM points_accounts WHERE kind = ? AND place_code = ? AND person_id "
                 "IS NULL",
                 P_TEXT(kind), P_TEXT(place));
    }
    return id > 0 ? id : DB_ERROR;
}

int64_t store_points_balance(db *d, int64_t person)
{
    return DBI(d, 0, "SELECT balance FROM points_accounts WHERE person_id = ?", P_INT(person));
}

int store_points_lock(db *d, int64_t account)
{
    return DBX(d, "UPDATE points_accounts SET balance = balance WHERE id = ?", P_INT(account));
}

int64_t store_points_post(db *d, const struct points_movement_row *m, const struct points_entry *e,
                          int n)
{
    int64_t id =
        INSERT_ID(d,
                  "INSERT INTO points_movements(kind, place_code, person_id, points, source_type, "
                  "source_id, reason, created_by, created_at, reverses_id) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  P_TEXT(m->kind), P_TEXT(m->place_code), P_INT(m->person_id), P_INT(m->points),
                  P_TEXT(m->source_type), P_INT(m->source_id), P_OPT(m->reason),
                  m->created_by > 0 ? P_INT(m->created_by) : P_NULL, P_INT(clock_now()),
                  m->reverses_id > 0 ? P_INT(m->reverses_id) : P_NULL);
    if (id <= 0) return id < 0 ? id : DB_ERROR;
    int rc;
    for (int i = 0; i < n; i++) {
        /* the guard: an account other than an issuing account never goes below zero */
        rc = DBX(d,
                 "UPDATE points_accounts SET balance = balance + ? "
                 "WHERE id = ? AND (kind = 'issue' OR balance + ? >= 0)",
                 P_INT(e[i].amount), P_INT(e[i].account_id), P_INT(e[i].amount));
        if (rc < 0) return rc;
        if (rc == 0) return 0;
        if (DBX(d, "INSERT INTO points_entries(movement_id, account_id, amount) VALUES (?, ?, ?)",
                P_INT(id), P_INT(e[i].account_id), P_INT(e[i].amount)) < 0)
            return DB_ERROR;
    }
    return id;
}

int64_t store_points_award_of(db *d, const char *source_type, int64_t source_id, int64_t person)
{
    return DBI(d, 0,
               "SELECT id FROM points_movements WHERE kind = 'award' AND source_type = ? AND "
               "source_id = ? AND person_id = ?",
               P_TEXT(source_type), P_INT(source_id), P_INT(person));
}

int store_points_savepoint(db *d, enum points_savepoint what)
{
    static const char *const sql[] = {"SAVEPOINT points_award",
                                      "ROLLBACK TO SAVEPOINT points_award",
                                      "RELEASE SAVEPOINT points_award"};
    return db_exec_script(d, sql[what]) == DB_OK ? 0 : -1;
}

int64_t store_points_awarded(db *d, int64_t person, const char *community, const char *source_type,
                             int64_t from, int64_t to)
{
    return DBI(d, 0,
               "SELECT COALESCE(SUM(m.points), 0) FROM points_movements m "
               "WHERE m.person_id = ? AND m.place_code = ? AND m.kind = 'award' "
               "AND m.source_type = ? AND m.created_at >= ? AND m.created_at < ? "
               "AND NOT EXISTS (SELECT 1 FROM points_movements r WHERE r.reverses_id = m.id)",
               P_INT(person), P_TEXT(community), P_TEXT(source_type), P_INT(from), P_INT(to));
}

#define PM_COLS                                                                                    \
    "m.id, m.kind, m.place_code, m.person_id, m.points, m.source_type, m.source_id, m.reason, "    \
    "m.created_by, m.created_at, m.reverses_id, "                                                  \
    "(SELECT r.id FROM points_movements r WHERE r.reverses_id = m.id), p.name, "                   \
    "(SELECT ac.display_name FROM accounts ac WHERE ac.id = m.created_by) "

/* The columns of PM_COLS, in order. */
enum pm_col {
    PM_ID,
    PM_KIND,
    PM_PLACE,
    PM_PERSON,
    PM_POINTS,
    PM_SOURCE_TYPE,
    PM_SOURCE_ID,
    PM_REASON,
    PM_CREATED_BY,
    PM_CREATED_AT,
    PM_REVERSES,
    PM_REVERSED_BY,
    PM_PERSON_NAME,
    PM_ACTOR
};

static struct points_movement movement_at(const db_rows *r, int i)
{
    return (struct points_movement){
        .id = db_get_int(r, i, PM_ID),
        .person_id = db_get_int(r, i, PM_PERSON),
        .points = db_get_int(r, i, PM_POINTS),
        .source_id = db_get_int(r, i, PM_SOURCE_ID),
        .created_by = db_get_int(r, i, PM_CREATED_BY),
        .created_at = db_get_int(r, i, PM_CREATED_AT),
        .reverses_id = db_get_int(r, i, PM_REVERSES),
        .reversed_by = db_get_int(r, i, PM_REVERSED_BY),
        .kind = db_get(r, i, PM_KIND),
        .place_code = db_get(r, i, PM_PLACE),
        .source_type = db_get(r, i, PM_SOURCE_TYPE),
        .reason = db_get(r, i, PM_REASON),
        .person_name = db_get(r, i, PM_PERSON_NAME),
        .actor = db_get(r, i, PM_ACTOR),
    };
}

static int movements_of(arena *a, const db_rows *r, struct points_movement **out)
{
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) (*out)[i] = movement_at(r, i);
    return r->nrows;
}

bool store_points_movement(db *d, arena *a, int64_t viewer, const char *cap, int64_t self_person,
                           int64_t id, struct points_movement *out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT " PM_COLS "FROM points_movements m JOIN people p ON p.id = m.person_id "
            "WHERE m.id = ? AND (? = 0 OR m.person_id = ? OR " SCOPE_COVERS("m.place_code") ")",
            P_INT(id), P_INT(viewer), P_INT(self_person), P_INT(viewer), P_TEXT(cap));
    if (!r || !r->nrows) return false;
    *out = movement_at(r, 0);
    return true;
}

int store_points_entries(db *d, arena *a, int64_t movement, struct points_entry **out)
{
    db_rows *r =
        DBQ(d, a, "SELECT account_id, amount FROM points_entries WHERE movement_id = ? ORDER BY id",
            P_INT(movement));
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct points_entry){db_get_int(r, i, 0), db_get_int(r, i, 1)};
    return r->nrows;
}

int store_points_statement(db *d, arena *a, int64_t person, int64_t before_id, int limit,
                           struct points_movement **out)
{
    return movements_of(
        a,
        DBQ(d, a,
            "SELECT " PM_COLS "FROM points_movements m JOIN people p ON p.id = m.person_id "
            "WHERE m.person_id = ? AND (? = 0 OR m.id < ?) ORDER BY m.id DESC LIMIT ?",
            P_INT(person), P_INT(before_id), P_INT(before_id), P_INT(limit)),
        out);
}

int store_points_recent(db *d, arena *a, const char *place, int limit, struct points_movement **out)
{
    return movements_of(a,
                        DBQ(d, a,
                            "SELECT " PM_COLS
                            "FROM points_movements m JOIN people p ON p.id = m.person_id "
                            "WHERE m.place_code >= ? AND m.place_code < CAST(? AS TEXT) || ':' "
                            "ORDER BY m.id DESC LIMIT ?",
                            P_TEXT(place), P_TEXT(place), P_INT(limit)),
                        out);
}

const char *store_points_scope_place(db *d, arena *a, int64_t viewer, const char *cap)
{
    db_rows *r = DBQ(d, a,
                     "SELECT sr.lo FROM scope_ranges sr JOIN role_caps rc ON rc.role = sr.role "
                     "WHERE sr.account_id = ? AND rc.cap = ? ORDER BY LENGTH(sr.lo), sr.lo LIMIT 1",
                     P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

int64_t store_points_sum_since(db *d, int64_t person, int64_t from_id)
{
    return DBI(d, 0,
               "SELECT COALESCE(SUM(points), 0) FROM points_movements WHERE person_id = ? AND id "
               ">= ?",
               P_INT(person), P_INT(from_id));
}

#define PR_COLS "id, place_code, source_type, name, points, cap_points, cap_period, active "

enum pr_col { PR_ID, PR_PLACE, PR_SOURCE_TYPE, PR_NAME, PR_POINTS, PR_CAP, PR_PERIOD, PR_ACTIVE };

static int rules_of(arena *a, const db_rows *r, struct points_rule_row **out)
{
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct points_rule_row){
            .id = db_get_int(r, i, PR_ID),
            .points = db_get_int(r, i, PR_POINTS),
            .cap = db_get_int(r, i, PR_CAP),
            .place_code = db_get(r, i, PR_PLACE),
            .source_type = db_get(r, i, PR_SOURCE_TYPE),
            .name = db_get(r, i, PR_NAME),
            .period = db_get(r, i, PR_PERIOD),
            .active = db_get_int(r, i, PR_ACTIVE) != 0,
        };
    return r->nrows;
}

int store_points_rules_for(db *d, arena *a, const char *community, const char *source_type,
                           struct points_rule_row **out)
{
    /* the community and every division above it: their codes are its prefixes */
    return rules_of(a,
                    DBQ(d, a,
                        "SELECT " PR_COLS "FROM points_rules WHERE source_type = ? AND active = 1 "
                        "AND place_code = SUBSTR(CAST(? AS TEXT), 1, LENGTH(place_code))",
                        P_TEXT(source_type), P_TEXT(community)),
                    out);
}

int store_points_rules_at(db *d, arena *a, const char *place, struct points_rule_row **out)
{
    return rules_of(
        a,
        DBQ(d, a, "SELECT " PR_COLS "FROM points_rules WHERE place_code = ? ORDER BY source_type",
            P_TEXT(place)),
        out);
}

int64_t store_points_rule_put(db *d, const char *place, const char *source_type, const char *name,
                              int64_t points, int64_t cap, const char *period, bool active)
{
    int64_t now = clock_now();
    int rc = DBX(d,
                 "INSERT INTO points_rules(place_code, source_type, name, points, cap_points, "
                 "cap_period, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (place_code, source_type) DO UPDATE SET name = excluded.name, "
                 "points = excluded.points, cap_points = excluded.cap_points, "
                 "cap_period = excluded.cap_period, active = excluded.active, "
                 "updated_at = excluded.updated_at",
                 P_TEXT(place), P_TEXT(source_type), P_TEXT(name), P_INT(points), P_INT(cap),
                 P_TEXT(period), P_INT(active ? 1 : 0), P_INT(now), P_INT(now));
    if (rc < 0) return rc;
    return DBI(d, DB_ERROR, "SELECT id FROM points_rules WHERE place_code = ? AND source_type = ?",
               P_TEXT(place), P_TEXT(source_type));
}

#define PG_COLS                                                                                    \
    "g.id, g.place_code, g.name, g.price, g.stock, g.source, g.donor, g.active, g.created_at, "    \
    "pl.name "

enum pg_col {
    PG_ID,
    PG_PLACE,
    PG_NAME,
    PG_PRICE,
    PG_STOCK,
    PG_SOURCE,
    PG_DONOR,
    PG_ACTIVE,
    PG_CREATED,
    PG_PLACE_NAME
};

static int goods_of(arena *a, const db_rows *r, struct points_good **out)
{
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct points_good){
            .id = db_get_int(r, i, PG_ID),
            .price = db_get_int(r, i, PG_PRICE),
            .stock = db_get_int(r, i, PG_STOCK),
            .created_at = db_get_int(r, i, PG_CREATED),
            .place_code = db_get(r, i, PG_PLACE),
            .place_name = db_get(r, i, PG_PLACE_NAME),
            .name = db_get(r, i, PG_NAME),
            .source = db_get(r, i, PG_SOURCE),
            .donor = db_get(r, i, PG_DONOR),
            .active = db_get_int(r, i, PG_ACTIVE) != 0,
        };
    return r->nrows;
}

bool store_points_good(db *d, arena *a, int64_t viewer, const char *cap,
                       const char *community_of_self, int64_t id, struct points_good *out)
{
    struct points_good *g;
    int n = goods_of(
        a,
        DBQ(d, a,
            "SELECT " PG_COLS "FROM points_goods g JOIN places pl ON pl.code = g.place_code "
            "WHERE g.id = ? AND (? = 0 OR g.place_code = ? OR " SCOPE_COVERS("g.place_code") ")",
            P_INT(id), P_INT(viewer), P_NTEXT(community_of_self), P_INT(viewer), P_TEXT(cap)),
        &g);
    if (n <= 0) return false;
    *out = g[0];
    return true;
}

int store_points_goods(db *d, arena *a, int64_t viewer, const char *cap, const char *home,
                       const char *place, bool all, int64_t after_id, int limit,
                       struct points_good **out)
{
    return goods_of(
        a,
        DBQ(d, a,
            "SELECT " PG_COLS "FROM points_goods g JOIN places pl ON pl.code = g.place_code "
            "WHERE (CAST(? AS TEXT) IS NULL OR (g.place_code >= ? AND g.place_code < CAST(? "
            "AS TEXT) || ':')) AND (? = 1 OR g.active = 1) AND g.id > ? "
            "AND (? = 0 OR g.place_code = ? OR " SCOPE_COVERS("g.place_code") ") "
                                                                              "ORDER BY g.id "
                                                                              "LIMIT ?",
            P_NTEXT(place), P_NTEXT(place), P_NTEXT(place), P_INT(all ? 1 : 0), P_INT(after_id),
            P_INT(viewer), P_NTEXT(home), P_INT(viewer), P_TEXT(cap), P_INT(limit)),
        out);
}

int64_t store_points_good_insert(db *d, const char *place, const char *name, int64_t price,
                                 const char *source, const char *donor, int64_t now)
{
    return INSERT_ID(d,
                     "INSERT INTO points_goods(place_code, name, price, stock, source, donor, "
                     "active, created_at) VALUES (?, ?, ?, 0, ?, ?, 1, ?) RETURNING id",
                     P_TEXT(place), P_TEXT(name), P_INT(price), P_TEXT(source), P_OPT(donor),
                     P_INT(now));
}

int store_points_stock(db *d, int64_t goods, int64_t qty)
{
    if (qty >= 0)
        return DBX(d, "UPDATE points_goods SET stock = stock + ? WHERE id = ?", P_INT(qty),
                   P_INT(goods));
    /* the guard: stock never below zero, however many redeem at once */
    return DBX(d,
               "UPDATE points_goods SET stock = stock + ? WHERE id = ? AND active = 1 AND stock "
               "+ ? >= 0",
               P_INT(qty), P_INT(goods), P_INT(qty));
}

int store_points_good_set(db *d, int64_t goods, int64_t price, bool active)
{
    return DBX(d, "UPDATE points_goods SET price = ?, active = ? WHERE id = ?", P_INT(price),
               P_INT(active ? 1 : 0), P_INT(goods));
}

int64_t store_points_stock_move(db *d, int64_t goods, const char *kind, int64_t qty,
                                const char *donor, const char *note, int64_t redemption, int64_t by,
                                int64_t now)
{
    return DBX(d,
               "INSERT INTO points_stock_moves(goods_id, kind, qty, donor, note, redemption_id, "
               "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               P_INT(goods), P_TEXT(kind), P_INT(qty), P_OPT(donor), P_OPT(note),
               redemption > 0 ? P_INT(redemption) : P_NULL, by > 0 ? P_INT(by) : P_NULL,
               P_INT(now));
}

int64_t store_points_redemption_insert(db *d, int64_t goods, int64_t person, int64_t qty,
                                       int64_t points, const char *confirmed, int64_t by,
                                       const char *request_key, int64_t now)
{
    return INSERT_ID(d,
                     "INSERT INTO points_redemptions(goods_id, person_id, qty, points, confirmed, "
                     "created_by, request_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                     "RETURNING id",
                     P_INT(goods), P_INT(person), P_INT(qty), P_INT(points), P_TEXT(confirmed),
                     by > 0 ? P_INT(by) : P_NULL, P_OPT(request_key), P_INT(now));
}

int64_t store_points_redemption_by_key(db *d, int64_t by, const char *request_key)
{
    return DBI(d, 0,
               "SELECT m.id FROM points_redemptions r JOIN points_movements m ON m.kind = "
               "'redeem' AND m.source_type = 'redemption' AND m.source_id = r.id "
               "WHERE r.created_by = ? AND r.request_key = ?",
               P_INT(by), P_TEXT(request_key));
}

const char *store_points_person_place(db *d, arena *a, int64_t viewer, const char *cap,
                                      int64_t person)
{
    db_rows *r = DBQ(d, a,
                     "SELECT p.place_code FROM people p WHERE p.id = ? AND p.place_code IS NOT "
                     "NULL AND (? = 0 OR " SCOPE_COVERS("p.place_code") ")",
                     P_INT(person), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

const char *store_points_person_phone(db *d, arena *a, int64_t person)
{
    db_rows *r = DBQ(d, a, "SELECT phone FROM people WHERE id = ?", P_INT(person));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

int store_points_code_put(db *d, int64_t person, const char *code, int64_t expires, int64_t now)
{
    return DBX(d,
               "INSERT INTO points_redeem_codes(person_id, code, expires_at, created_at) "
               "VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET code = excluded.code, "
               "expires_at = excluded.expires_at, created_at = excluded.created_at",
               P_INT(person), P_TEXT(code), P_INT(expires), P_INT(now));
}

const char *store_points_code_get(db *d, arena *a, int64_t person, int64_t now, int64_t *expires)
{
    db_rows *r = DBQ(d, a,
                     "SELECT code, expires_at FROM points_redeem_codes WHERE person_id = ? AND "
                     "expires_at > ?",
                     P_INT(person), P_INT(now));
    if (!r || !r->nrows) return NULL;
    if (expires) *expires = db_get_int(r, 0, 1);
    return db_get(r, 0, 0);
}

int store_points_code_take(db *d, int64_t person)
{
    return DBX(d, "DELETE FROM points_redeem_codes WHERE person_id = ?", P_INT(person));
}

int store_points_try_add(db *d, int64_t person, int64_t account, bool ok, int64_t now)
{
    return DBX(
        d, "INSERT INTO points_confirm_tries(person_id, account_id, ok, at) VALUES (?, ?, ?, ?)",
        P_INT(person), account > 0 ? P_INT(account) : P_NULL, P_INT(ok ? 1 : 0), P_INT(now));
}

int64_t store_points_wrong_tries(db *d, int64_t person, int64_t since)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM points_confirm_tries WHERE person_id = ? AND ok = 0 AND at "
               ">= ? AND id > COALESCE((SELECT MAX(id) FROM points_confirm_tries WHERE "
               "person_id = ? AND ok = 1), 0)",
               P_INT(person), P_INT(since), P_INT(person));
}

bool store_points_phone_known_to(db *d, int64_t account, int64_t person)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)person);
    return DBI(d, 0,
               "SELECT 1 FROM audit_log WHERE entity = 'person' AND entity_id = ? AND "
               "account_id = ? AND action IN ('reveal', 'create') LIMIT 1",
               P_TEXT(id), P_INT(account)) == 1;
}

int64_t store_points_wrong_tries_by(db *d, int64_t account, int64_t since)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM points_confirm_tries WHERE account_id = ? AND ok = 0 AND "
               "at >= ?",
               P_INT(account), P_INT(since));
}

bool store_points_redemption(db *d, int64_t id, int64_t *goods, int64_t *qty)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a, "SELECT goods_id, qty FROM points_redemptions WHERE id = ?", P_INT(id));
    bool ok = r && r->nrows;
    if (ok) {
        *goods = db_get_int(r, 0, 0);
        *qty = db_get_int(r, 0, 1);
    }
    arena_free(a);
    return ok;
}

bool store_points_person_exists(db *d, int64_t person)
{
    return DBI(d, 0, "SELECT 1 FROM people WHERE id = ?", P_INT(person)) == 1;
}

int64_t store_points_account_person(db *d, int64_t account)
{
    return DBI(d, 0, "SELECT COALESCE(person_id, 0) FROM accounts WHERE id = ?", P_INT(account));
}

const char *store_points_grid_community(db *d, arena *a, int64_t grid)
{
    db_rows *r = DBQ(d, a, "SELECT community_code FROM grids WHERE id = ?", P_INT(grid));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

/* What a movement counts as earned: awards, and the reversals of awards. */
#define EARNED                                                                                     \
    "CASE WHEN m.kind = 'award' THEN m.points WHEN m.kind = 'reverse' AND o.kind = 'award' "       \
    "THEN m.points ELSE 0 END"

static db_rows *leaders(db *d, arena *a, const char *place, int64_t grid, int64_t from, int64_t to,
                        int limit)
{
    if (grid > 0)
        return DBQ(d, a,
                   "SELECT p.id, p.name, SUM(" EARNED ") AS earned FROM points_movements m "
                   "LEFT JOIN points_movements o ON o.id = m.reverses_id "
                   "JOIN people p ON p.id = m.person_id "
                   "WHERE m.created_at >= ? AND m.created_at < ? AND EXISTS (SELECT 1 FROM "
                   "grid_places gp WHERE gp.grid_id = ? AND p.place_code >= gp.place_code AND "
                   "p.place_code < gp.place_code || ':') "
                   "GROUP BY p.id, p.name HAVING SUM(" EARNED ") > 0 "
                   "ORDER BY earned DESC, p.id LIMIT ?",
                   P_INT(from), P_INT(to), P_INT(grid), P_INT(limit));
    return DBQ(d, a,
               "SELECT p.id, p.name, SUM(" EARNED ") AS earned FROM points_movements m "
               "LEFT JOIN points_movements o ON o.id = m.reverses_id "
               "JOIN people p ON p.id = m.person_id "
               "WHERE m.created_at >= ? AND m.created_at < ? AND m.place_code >= ? AND "
               "m.place_code < CAST(? AS TEXT) || ':' "
               "GROUP BY p.id, p.name HAVING SUM(" EARNED ") > 0 "
               "ORDER BY earned DESC, p.id LIMIT ?",
               P_INT(from), P_INT(to), P_TEXT(place), P_TEXT(place), P_INT(limit));
}

int store_points_leaders(db *d, arena *a, const char *place, int64_t grid, int64_t from, int64_t to,
                         int limit, struct points_leader **out)
{
    db_rows *r = leaders(d, a, place, grid, from, to, limit);
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] =
            (struct points_leader){db_get_int(r, i, 0), db_get_int(r, i, 2), db_get(r, i, 1)};
    return r->nrows;
}

void store_points_totals(db *d, const char *place, int64_t from, int64_t to, int64_t *issued,
                         int64_t *redeemed, int64_t *movements)
{
    arena *a = arena_new();
    db_rows *r =
        DBQ(d, a,
            "SELECT COALESCE(SUM(" EARNED "), 0), "
            "COALESCE(SUM(CASE WHEN m.kind = 'redeem' THEN -m.points "
            "WHEN m.kind = 'reverse' AND o.kind = 'redeem' THEN -m.points ELSE 0 END), 0), "
            "COUNT(*) FROM points_movements m "
            "LEFT JOIN points_movements o ON o.id = m.reverses_id "
            "WHERE m.created_at >= ? AND m.created_at < ? AND m.place_code >= ? AND "
            "m.place_code < CAST(? AS TEXT) || ':'",
            P_INT(from), P_INT(to), P_TEXT(place), P_TEXT(place));
    *issued = r && r->nrows ? db_get_int(r, 0, 0) : 0;
    *redeemed = r && r->nrows ? db_get_int(r, 0, 1) : 0;
    *movements = r && r->nrows ? db_get_int(r, 0, 2) : 0;
    arena_free(a);
}

db_rows *store_points_check(db *d, arena *a)
{
    return DBQ(d, a,
               "SELECT 'movement', m.id, 0, COALESCE(SUM(e.amount), 0) FROM points_movements m "
               "LEFT JOIN points_entries e ON e.movement_id = m.id GROUP BY m.id "
               "HAVING COALESCE(SUM(e.amount), 0) <> 0 OR COUNT(e.id) < 2 "
               "UNION ALL "
               "SELECT 'account', pa.id, COALESCE((SELECT SUM(e.amount) FROM points_entries e "
               "WHERE e.account_id = pa.id), 0), pa.balance FROM points_accounts pa "
               "WHERE pa.balance <> COALESCE((SELECT SUM(e.amount) FROM points_entries e WHERE "
               "e.account_id = pa.id), 0) "
               "ORDER BY 1, 2");
}
