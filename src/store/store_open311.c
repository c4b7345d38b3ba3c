/* Public Open311 views; see store_open311.h. */
#include "store/store_open311.h"

int store_open311_services(db *d, arena *a, const char *code, struct open311_service_row **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT c.code, c.name, c.description, (SELECT p.name FROM categories p WHERE "
            "p.code = c.parent_code) FROM categories c WHERE c.parent_code IS NOT NULL AND "
            "c.active = 1 AND (CAST(? AS TEXT) IS NULL OR c.code = CAST(? AS TEXT)) "
            "ORDER BY c.sort_order, c.id",
            P_NTEXT(code), P_NTEXT(code));
    if (!r) return -1;
    struct open311_service_row *s = arena_alloc(a, sizeof *s * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        s[i] = (struct open311_service_row){db_get(r, i, 0), db_get(r, i, 1), db_get(r, i, 2),
                                            db_get(r, i, 3)};
    *out = s;
    return r->nrows;
}

/* The public place: the order's own place, or its nearest ancestor that is
 * no finer than a compound (a building, unit or household is never shown);
 * three parents suffice, as only those three levels lie below a compound. */
#define FINE "('building','unit','household')"
#define PUBLIC_PLACE(col)                                                                          \
    "CASE WHEN p0.level NOT IN " FINE " THEN p0." col " WHEN p1.level NOT IN " FINE                \
    " THEN p1." col " WHEN p2.level NOT IN " FINE " THEN p2." col " ELSE p3." col " END"
#define PUBLIC_CODE PUBLIC_PLACE("code")
#define PUBLIC_NAME PUBLIC_PLACE("name")

/* The address_string an Open311 client gave is not selected: it may name a
 * door, and the public place is the compound above. */
static const char requests_sql[] =
    "SELECT o.id, o.code, o.category_code, "
    "(SELECT c.name FROM categories c WHERE c.code = o.category_code), "
    "o.state, o.description, o.created_at, o.updated_at, " PUBLIC_CODE ", " PUBLIC_NAME ", "
    "o.lat, o.lon, "
    "CASE WHEN o.assignee_kind IS NOT NULL AND o.assignee_kind <> 'person' THEN "
    "(SELECT og.name FROM organisations og WHERE og.id = o.assignee_id) END, "
    "(SELECT e.note FROM order_events e WHERE e.order_id = o.id AND e.note IS NOT NULL AND "
    "e.note <> '' ORDER BY e.id DESC LIMIT 1), o.channel "
    "FROM orders o "
    "LEFT JOIN places p0 ON p0.code = o.place_code "
    "LEFT JOIN places p1 ON p1.code = p0.parent_code "
    "LEFT JOIN places p2 ON p2.code = p1.parent_code "
    "LEFT JOIN places p3 ON p3.code = p2.parent_code "
    "WHERE NOT EXISTS (SELECT 1 FROM open311_hidden h WHERE h.order_id = o.id) "
    "AND (CAST(? AS TEXT) IS NULL OR CAST(? AS TEXT) LIKE '%,' || CAST(o.id AS TEXT) || ',%') "
    "AND (CAST(? AS TEXT) IS NULL OR CAST(? AS TEXT) LIKE '%,' || o.category_code || ',%') "
    "AND (CAST(? AS TEXT) IS NULL OR CAST(? AS TEXT) LIKE '%,' || o.state || ',%') "
    "AND (CAST(? AS BIGINT) = 0 OR o.created_at >= ?) "
    "AND (CAST(? AS BIGINT) = 0 OR o.created_at <= ?) "
    "ORDER BY o.id DESC LIMIT ?";

int store_open311_requests(db *d, arena *a, const struct open311_filter *f,
                           struct open311_request_row **out)
{
    db_rows *r = DBQ(d, a, requests_sql, P_NTEXT(f->ids), P_NTEXT(f->ids), P_NTEXT(f->codes),
                     P_NTEXT(f->codes), P_NTEXT(f->states), P_NTEXT(f->states), P_INT(f->from),
                     P_INT(f->from), P_INT(f->to), P_INT(f->to), P_INT(f->limit));
    if (!r) return -1;
    struct open311_request_row *o = arena_alloc(a, sizeof *o * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        o[i] = (struct open311_request_row){.id = db_get_int(r, i, 0),
                                            .code = db_get(r, i, 1),
                                            .service_code = db_get(r, i, 2),
                                            .service_name = db_get(r, i, 3),
                                            .state = db_get(r, i, 4),
                                            .description = db_get(r, i, 5),
                                            .created_at = db_get_int(r, i, 6),
                                            .updated_at = db_get_int(r, i, 7),
                                            .place = db_get(r, i, 8),
                                            .place_name = db_get(r, i, 9),
                                            .lat = db_get(r, i, 10),
                                            .lon = db_get(r, i, 11),
                                            .agency = db_get(r, i, 12),
                                            .note = db_get(r, i, 13),
                                            .channel = db_get(r, i, 14)};
    *out = o;
    return r->nrows;
}

int64_t store_open311_by_code(db *d, const char *code)
{
    return DBI(d, 0, "SELECT id FROM orders WHERE code = ?", P_TEXT(code));
}

int store_open311_hidden(db *d, int64_t order_id)
{
    return (int)DBI(d, -1,
                    "SELECT CASE WHEN EXISTS (SELECT 1 FROM open311_hidden WHERE order_id = ?) "
                    "THEN 1 ELSE 0 END",
                    P_INT(order_id));
}

int store_open311_hide(db *d, int64_t order_id, int64_t account, int64_t now)
{
    return DBX(d,
               "INSERT INTO open311_hidden(order_id, hidden_by, hidden_at) VALUES (?, ?, ?) "
               "ON CONFLICT (order_id) DO NOTHING",
               P_INT(order_id), account ? P_INT(account) : P_NULL, P_INT(now));
}

int store_open311_show(db *d, int64_t order_id)
{
    return DBX(d, "DELETE FROM open311_hidden WHERE order_id = ?", P_INT(order_id));
}
