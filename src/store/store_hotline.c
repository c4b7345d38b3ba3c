/* The hotline / 12345 exchange; see store_hotline.h. */
#include "store/store_hotline.h"

#include "core/roles.h"
#include "store/scope.h"
#include "store/store_rows.h"

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

enum hotline_col {
    HL_ID,
    HL_CODE,
    HL_EXTERNAL_REF,
    HL_CHANNEL,
    HL_PLACE,
    HL_STATE,
    HL_OUTCOME,
    HL_RESULT,
    HL_RESOLVED_AT,
    HL_RATING,
    HL_UPDATED_AT,
};

static void hotline_fill(const db_rows *r, int i, void *out)
{
    *(struct hotline_result *)out =
        (struct hotline_result){.id = db_get_int(r, i, HL_ID),
                                .resolved_at = db_get_int(r, i, HL_RESOLVED_AT),
                                .updated_at = db_get_int(r, i, HL_UPDATED_AT),
                                .code = db_get(r, i, HL_CODE),
                                .external_ref = db_get(r, i, HL_EXTERNAL_REF),
                                .channel = db_get(r, i, HL_CHANNEL),
                                .place_code = db_get(r, i, HL_PLACE),
                                .state = db_get(r, i, HL_STATE),
                                .outcome = db_get(r, i, HL_OUTCOME),
                                .result = db_get(r, i, HL_RESULT),
                                .rating = db_get(r, i, HL_RATING)};
}

int store_hotline_results(db *d, arena *a, int64_t viewer, const char *channel, int64_t since,
                          int64_t after_at, int64_t after_id, int limit,
                          struct hotline_result **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT o.id, o.code, o.external_ref, o.channel, o.place_code, o.state, o.outcome, "
            "o.result, o.resolved_at, o.rating, o.updated_at FROM orders o "
            "WHERE o.channel = ? AND o.external_ref IS NOT NULL AND o.updated_at >= ? "
            "AND (CAST(? AS BIGINT) = 0 OR o.updated_at > ? OR (o.updated_at = ? AND o.id > ?)) "
            "AND (? = 0 OR " SCOPE_COVERS("o.place_code") ") "
                                                          "ORDER BY o.updated_at, o.id LIMIT ?",
            P_TEXT(channel), P_INT(since), P_INT(after_at), P_INT(after_at), P_INT(after_at),
            P_INT(after_id), P_INT(viewer), P_INT(viewer), P_TEXT(CAP_ORDERS_READ), P_INT(limit));
    int n;
    *out = store_rows(a, r, sizeof **out, hotline_fill, &n);
    return n;
}
