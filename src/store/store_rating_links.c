/* Rating links: see store_rating_links.h. */
#include "store/store_rating_links.h"

int64_t store_rating_link_add(db *d, int64_t order_id, const char *token_hash, int64_t now,
                              int64_t expires_at)
{
    db_rows *r = NULL;
    arena *a = arena_new();
    r = DBQ(d, a,
            "INSERT INTO order_rating_links(order_id, token_hash, created_at, expires_at) "
            "VALUES (?, ?, ?, ?) RETURNING id",
            P_INT(order_id), P_TEXT(token_hash), P_INT(now), P_INT(expires_at));
    int64_t id = r && r->nrows == 1 ? db_get_int(r, 0, 0) : -1;
    arena_free(a);
    return id;
}

int64_t store_rating_link_order(db *d, const char *token_hash, int64_t now)
{
    return DBI(d, 0,
               "SELECT order_id FROM order_rating_links WHERE token_hash = ? AND used_at IS NULL "
               "AND expires_at > ?",
               P_TEXT(token_hash), P_INT(now));
}

int store_rating_link_use(db *d, const char *token_hash, int64_t now)
{
    return DBX(d,
               "UPDATE order_rating_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
               P_INT(now), P_TEXT(token_hash));
}
