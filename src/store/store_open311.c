/* Public Open311 views; see store_open311.h. */
#include "store/store_open311.h"

db_rows *store_open311_services(db *d, arena *a, const char *code)
{
    return DBQ(d, a,
               "SELECT c.code, c.name, c.description, (SELECT p.name FROM categories p WHERE "
               "p.code = c.parent_code) FROM categories c WHERE c.parent_code IS NOT NULL AND "
               "c.active = 1 AND (CAST(? AS TEXT) IS NULL OR c.code = CAST(? AS TEXT)) "
               "ORDER BY c.sort_order, c.id",
               P_NTEXT(code), P_NTEXT(code));
}

db_rows *store_open311_requests(db *d, arena *a, const struct open311_filter *f)
{
    return DBQ(
        d, a,
        "SELECT o.id, o.code, o.category_code, (SELECT c.name FROM categories c WHERE c.code = "
        "o.category_code), o.state, o.description, o.created_at, o.updated_at, o.place_code, "
        "(SELECT p.name FROM places p WHERE p.code = o.place_code), o.lat, o.lon, "
        "CASE WHEN o.assignee_kind IS NOT NULL AND o.assignee_kind <> 'person' THEN (SELECT "
        "og.name FROM organisations og WHERE og.id = o.assignee_id) END, "
        "(SELECT r.address_string FROM open311_requests r WHERE r.order_id = o.id), "
        "(SELECT e.note FROM order_events e WHERE e.order_id = o.id AND e.note IS NOT NULL AND "
        "e.note <> '' ORDER BY e.id DESC LIMIT 1), o.channel "
        "FROM orders o WHERE "
        "(CAST(? AS TEXT) IS NULL OR CAST(? AS TEXT) LIKE '%,' || CAST(o.id AS TEXT) || ',%') "
        "AND (CAST(? AS TEXT) IS NULL OR CAST(? AS TEXT) LIKE '%,' || o.category_code || ',%') "
        "AND (CAST(? AS TEXT) IS NULL OR CAST(? AS TEXT) LIKE '%,' || o.state || ',%') "
        "AND (CAST(? AS BIGINT) = 0 OR o.created_at >= ?) "
        "AND (CAST(? AS BIGINT) = 0 OR o.created_at <= ?) "
        "ORDER BY o.id DESC LIMIT ?",
        P_NTEXT(f->ids), P_NTEXT(f->ids), P_NTEXT(f->codes), P_NTEXT(f->codes), P_NTEXT(f->states),
        P_NTEXT(f->states), P_INT(f->from), P_INT(f->from), P_INT(f->to), P_INT(f->to),
        P_INT(f->limit));
}

int64_t store_open311_by_code(db *d, const char *code)
{
    return DBI(d, 0, "SELECT id FROM orders WHERE code = ?", P_TEXT(code));
}
