/* SQL for work-order photos (order_photos). The caller checked that the
 * order is visible; these never look at scope. */
#ifndef LINLI_STORE_ORDER_PHOTOS_H
#define LINLI_STORE_ORDER_PHOTOS_H
#include <stdint.h>

#include "store/db.h"

/* Inserts one photo (bytes already base64). Returns the id, -1 on error. */
int64_t store_order_photo_insert(db *d, int64_t order_id, const char *stage, const char *mime,
                                 const char *base64, int64_t size, int64_t now, int64_t created_by);
/* Locks the order row until the transaction ends (PostgreSQL; SQLite's
 * BEGIN IMMEDIATE already serialises writers), so two concurrent uploads
 * cannot both be the sixth. 0 on success. */
int store_order_photo_lock(db *d, int64_t order_id);
/* Photos of an order at a stage. */
int64_t store_order_photo_count(db *d, int64_t order_id, const char *stage);

enum order_photo_col { PH_ID, PH_STAGE, PH_MIME, PH_SIZE, PH_AT, PH_BY, PH__COUNT };
/* The photos of an order without their bytes, intake first, oldest first. */
db_rows *store_order_photos(db *d, arena *a, int64_t order_id);
/* One photo of the order: mime, size, base64; NULL when absent. */
db_rows *store_order_photo_bytes(db *d, arena *a, int64_t order_id, int64_t photo_id);

#endif
