/* SQL for work-order photos (order_photos). The caller checked that the
 * order is visible; these never look at scope. */
#ifndef LINLI_STORE_ORDER_PHOTOS_H
#define LINLI_STORE_ORDER_PHOTOS_H
#include <stdbool.h>
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

/* A photo of an order, without its bytes. */
struct order_photo_row {
    int64_t id, size, created_at, created_by; /* created_by: account, 0 none */
    const char *stage, *mime;
};
/* The photos of an order, intake first, oldest first: their count (*out in
 * a), -1 on error. */
int store_order_photos(db *d, arena *a, int64_t order_id, struct order_photo_row **out);
/* One photo of the order with its bytes in base64; false when absent. */
bool store_order_photo_bytes(db *d, arena *a, int64_t order_id, int64_t photo_id, const char **mime,
                             int64_t *size, const char **base64);

#endif
