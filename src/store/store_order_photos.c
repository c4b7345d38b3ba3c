/* SQL for work-order photos; see store_order_photos.h. */
#include "store/store_order_photos.h"

int64_t store_order_photo_insert(db *d, int64_t order_id, const char *stage, const char *mime,
                                 const char *base64, int64_t size, int64_t now, int64_t created_by)
{
    if (DBX(d,
            "INSERT INTO order_photos(order_id, stage, mime, bytes, size, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            P_INT(order_id), P_TEXT(stage), P_TEXT(mime), P_TEXT(base64), P_INT(size), P_INT(now),
            created_by ? P_INT(created_by) : P_NULL) != 1)
        return -1;
    return DBI(d, -1, "SELECT MAX(id) FROM order_photos WHERE order_id = ?", P_INT(order_id));
}

int store_order_photo_lock(db *d, int64_t order_id)
{
    if (db_kind_of(d) != DB_PG) return 0;
    return DBI(d, -1, "SELECT id FROM orders WHERE id = ? FOR UPDATE", P_INT(order_id)) > 0 ? 0
                                                                                            : -1;
}

int64_t store_order_photo_count(db *d, int64_t order_id, const char *stage)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM order_photos WHERE order_id = ? AND stage = ?",
               P_INT(order_id), P_TEXT(stage));
}

int store_order_photos(db *d, arena *a, int64_t order_id, struct order_photo_row **out)
{
    db_rows *r = DBQ(d, a,
                     "SELECT id, stage, mime, size, created_at, created_by FROM order_photos "
                     "WHERE order_id = ? ORDER BY CASE stage WHEN 'intake' THEN 0 ELSE 1 END, id",
                     P_INT(order_id));
    if (!r) return -1;
    struct order_photo_row *p = arena_alloc(a, sizeof *p * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        p[i] = (struct order_photo_row){.id = db_get_int(r, i, 0),
                                        .stage = db_get(r, i, 1),
                                        .mime = db_get(r, i, 2),
                                        .size = db_get_int(r, i, 3),
                                        .created_at = db_get_int(r, i, 4),
                                        .created_by = db_get_int(r, i, 5)};
    *out = p;
    return r->nrows;
}

bool store_order_photo_bytes(db *d, arena *a, int64_t order_id, int64_t photo_id, const char **mime,
                             int64_t *size, const char **base64)
{
    db_rows *r =
        DBQ(d, a, "SELECT mime, size, bytes FROM order_photos WHERE order_id = ? AND id = ?",
            P_INT(order_id), P_INT(photo_id));
    if (!r || !r->nrows) return false;
    *mime = db_get(r, 0, 0);
    *size = db_get_int(r, 0, 1);
    *base64 = db_get(r, 0, 2);
    return true;
}
