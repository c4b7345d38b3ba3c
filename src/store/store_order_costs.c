/* 部门买单: order costs and their totals; see store_order_costs.h. */
#include "store/store_order_costs.h"

#include "core/roles.h"
#include "store/scope.h"

#define COST_COLS                                                                                  \
    "k.id, k.order_id, k.org_id, og.name, k.amount_fen, k.resource, k.note, k.state, "             \
    "(SELECT ac.username FROM accounts ac WHERE ac.id = k.proposed_by), k.created_at, "            \
    "(SELECT ac.username FROM accounts ac WHERE ac.id = k.confirmed_by), k.confirmed_at, o.code, " \
    "o.title, o.place_code FROM order_costs k JOIN organisations og ON og.id = k.org_id "          \
    "JOIN orders o ON o.id = k.order_id "

const char *store_order_cost_org_name(db *d, arena *a, int64_t org_id)
{
    db_rows *r = DBQ(d, a, "SELECT name FROM organisations WHERE id = ?", P_INT(org_id));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

int64_t store_order_cost_insert(db *d, arena *a, int64_t order_id, int64_t org_id,
                                int64_t amount_fen, const char *resource, const char *note,
                                int64_t by, int64_t now)
{
    db_rows *r = DBQ(d, a,
                     "INSERT INTO order_costs(order_id, org_id, amount_fen, resource, note, "
                     "proposed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     P_INT(order_id), P_INT(org_id), P_INT(amount_fen), P_OPT(resource),
                     P_OPT(note), by > 0 ? P_INT(by) : P_NULL, P_INT(now));
    return r && r->nrows == 1 ? db_get_int(r, 0, 0) : -1;
}

static int cost_rows(arena *a, const db_rows *r, struct order_cost_row **out)
{
    if (!r) return -1;
    struct order_cost_row *k = arena_alloc(a, sizeof *k * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        k[i] = (struct order_cost_row){.id = db_get_int(r, i, 0),
                                       .order_id = db_get_int(r, i, 1),
                                       .org_id = db_get_int(r, i, 2),
                                       .org_name = db_get(r, i, 3),
                                       .amount_fen = db_get_int(r, i, 4),
                                       .resource = db_get(r, i, 5),
                                       .note = db_get(r, i, 6),
                                       .state = db_get(r, i, 7),
                                       .proposed_by = db_get(r, i, 8),
                                       .created_at = db_get_int(r, i, 9),
                                       .confirmed_by = db_get(r, i, 10),
                                       .confirmed_at = db_get_int(r, i, 11),
                                       .order_code = db_get(r, i, 12),
                                       .order_title = db_get(r, i, 13),
                                       .order_place = db_get(r, i, 14)};
    *out = k;
    return r->nrows;
}

bool store_order_cost_get(db *d, arena *a, int64_t id, struct order_cost_row *out)
{
    struct order_cost_row *k;
    if (cost_rows(a, DBQ(d, a, "SELECT " COST_COLS "WHERE k.id = ?", P_INT(id)), &k) < 1)
        return false;
    *out = k[0];
    return true;
}

int store_order_costs_of_order(db *d, arena *a, int64_t order_id, struct order_cost_row **out)
{
    return cost_rows(
        a, DBQ(d, a, "SELECT " COST_COLS "WHERE k.order_id = ? ORDER BY k.id", P_INT(order_id)),
        out);
}

int store_order_costs_open(db *d, arena *a, int64_t viewer, bool as_org, int limit,
                           struct order_cost_row **out)
{
    return cost_rows(a,
                     DBQ(d, a,
                         "SELECT " COST_COLS "WHERE k.state = 'proposed' AND ("
                         "(? = 1 AND EXISTS (SELECT 1 FROM grants g WHERE g.account_id = ? "
                         "AND g.org_id = k.org_id)) OR (? = 0 AND " SCOPE_COVERS(
                             "o.place_code") ")) ORDER BY k.id LIMIT ?",
                         P_INT(as_org ? 1 : 0), P_INT(viewer), P_INT(as_org ? 1 : 0), P_INT(viewer),
                         P_TEXT(CAP_ORDERS_READ), P_INT(limit)),
                     out);
}

int store_order_cost_decide(db *d, int64_t id, const char *state, int64_t by, int64_t now)
{
    return DBX(d,
               "UPDATE order_costs SET state = ?, confirmed_by = ?, confirmed_at = ? "
               "WHERE id = ? AND state = 'proposed'",
               P_TEXT(state), by > 0 ? P_INT(by) : P_NULL, P_INT(now), P_INT(id));
}

/* Confirmed costs in scope, under place, in the period. Parameters: place ×3,
 * from ×2, to ×2, viewer ×2, people.read. */
#define CONFIRMED_IN_SCOPE                                                                         \
    "FROM order_costs k JOIN orders o ON o.id = k.order_id "                                       \
    "WHERE k.state = 'confirmed' AND (CAST(? AS TEXT) IS NULL OR (o.place_code >= CAST(? AS "      \
    "TEXT) AND o.place_code < CAST(? AS TEXT) || ':')) AND (? = 0 OR k.confirmed_at >= ?) "        \
    "AND (? = 0 OR k.confirmed_at < ?) AND (? = 0 OR " SCOPE_COVERS("o.place_code") ") "
#define CONFIRMED_ARGS(viewer, place, from, to)                                                    \
    P_NTEXT(place), P_NTEXT(place), P_NTEXT(place), P_INT(from), P_INT(from), P_INT(to),           \
        P_INT(to), P_INT(viewer), P_INT(viewer), P_TEXT(CAP_ORDERS_READ)

/* Totals rows: key (org id or community code), name, count, sum. */
static int total_rows(arena *a, const db_rows *r, bool by_org, struct order_cost_total **out)
{
    if (!r) return -1;
    struct order_cost_total *t = arena_alloc(a, sizeof *t * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        t[i] = (struct order_cost_total){.org_id = by_org ? db_get_int(r, i, 0) : 0,
                                         .code = by_org ? NULL : db_get(r, i, 0),
                                         .name = db_get(r, i, 1),
                                         .count = db_get_int(r, i, 2),
                                         .amount_fen = db_get_int(r, i, 3)};
    *out = t;
    return r->nrows;
}

int store_order_costs_by_org(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                             int64_t to, struct order_cost_total **out)
{
    return total_rows(
        a,
        DBQ(d, a,
            "SELECT k.org_id, (SELECT og.name FROM organisations og WHERE og.id = k.org_id), "
            "COUNT(*), SUM(k.amount_fen) " CONFIRMED_IN_SCOPE
            "GROUP BY k.org_id ORDER BY SUM(k.amount_fen) DESC, k.org_id",
            CONFIRMED_ARGS(viewer, place, from, to)),
        true, out);
}

int store_order_costs_by_place(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                               int64_t to, struct order_cost_total **out)
{
    /* grouped in a derived table: PostgreSQL refuses a name subquery over an
     * ungrouped outer column */
    return total_rows(
        a,
        DBQ(d, a,
            "SELECT t.code, (SELECT p.name FROM places p WHERE p.code = t.code), COUNT(*), "
            "SUM(t.amount) FROM (SELECT SUBSTR(o.place_code, 1, 12) AS code, k.amount_fen AS "
            "amount " CONFIRMED_IN_SCOPE ") t GROUP BY t.code ORDER BY t.code",
            CONFIRMED_ARGS(viewer, place, from, to)),
        false, out);
}
