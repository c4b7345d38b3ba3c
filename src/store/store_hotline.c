/* The hotline / 12345 exchange; see store_hotline.h. */
#include "store/store_hotline.h"

#include "core/roles.h"
#include "store/scope.h"

int64_t store_hotline_find(db *d, const char *channel, const char *external_ref)
{
    return DBI(d, 0, "SELECT id FROM orders WHERE channel = ? AND external_ref = ? LIMIT 1",
               P_TEXT(channel), P_TEXT(external_ref));
}

const char *store_hotline_category(db *d, arena *a, const char *code_or_name)
{
    db_rows *r = DBQ(d, a,
                     "SELECT code FROM categories WHERE parent_code IS NOT NULL AND (code = ? OR "
                     "name = ?) ORDER BY CASE WHEN code = ? THEN 0 ELSE 1 END, id LIMIT 1",
                     P_TEXT(code_or_name), P_TEXT(code_or_name), P_TEXT(code_or_name));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

db_rows *store_hotline_results(db *d, arena *a, int64_t viewer, const char *channel, int64_t since,
                               int64_t after_at, int64_t after_id, int limit)
{
    return DBQ(d, a,
               "SELECT o.id, o.code, o.external_ref, o.channel, o.place_code, o.state, o.outcome, "
               "o.result, o.resolved_at, o.rating, o.updated_at FROM orders o "
               "WHERE o.channel = ? AND o.external_ref IS NOT NULL AND o.updated_at >= ? "
               "AND (CAST(? AS BIGINT) = 0 OR o.updated_at > ? OR (o.updated_at = ? AND o.id > ?)) "
               "AND (? = 0 OR " SCOPE_COVERS("o.place_code") ") "
                                                             "ORDER BY o.updated_at, o.id LIMIT ?",
               P_TEXT(channel), P_INT(since), P_INT(after_at), P_INT(after_at), P_INT(after_at),
               P_INT(after_id), P_INT(viewer), P_INT(viewer), P_TEXT(CAP_ORDERS_READ),
               P_INT(limit));
}
