/* Photos of work orders 工单照片: intake photos (what the requester saw) and
 * result photos (what was done), at most ORDER_PHOTOS_MAX per order and stage,
 * JPEG, PNG or WebP only (decided by the magic bytes, not by what the client
 * says), at most ORDER_PHOTO_MAX_BYTES each, every upload audited. Who may add:
 * intake — the requester or a dispatcher, while the order is active; result —
 * the assignee, a dispatcher or a department, while it is active or resolved.
 * Reading needs only the order to be visible. */
#ifndef LINLI_SVC_ORDER_PHOTOS_H
#define LINLI_SVC_ORDER_PHOTOS_H
#include <stddef.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_orders.h"
#include "service/svc_result.h"
#include "store/db.h"

#define ORDER_PHOTOS_MAX      6
#define ORDER_PHOTO_MAX_BYTES (5 * 1024 * 1024)

/* "image/jpeg", "image/png" or "image/webp" from the first bytes, else NULL. */
const char *order_photo_sniff(const unsigned char *p, size_t n);

/* Adds one photo. declared_mime (may be NULL) must agree with the bytes when
 * given. Errors: E_NOT_FOUND (order not visible), E_BAD_INPUT (stage, type,
 * empty), E_TOO_LARGE, E_CONFLICT (already ORDER_PHOTOS_MAX, or not now),
 * E_FORBIDDEN. Joins an open transaction (nothing is kept if it rolls back). */
struct svc_result svc_order_photo_add(db *d, arena *a, const struct principal *who,
                                      int64_t order_id, const char *stage,
                                      const char *declared_mime, const char *data, size_t len);

/* A photo that comes with an order or an event: its file name (for the
 * messages) and its bytes. */
struct order_photo_upload {
    const char *filename, *data;
    size_t len;
};
/* Files an order (svc_order_create) with its intake photos, all or nothing; a
 * photo's refusal names its file. */
struct svc_result svc_order_create_with_photos(db *d, arena *a, const struct principal *who,
                                               const struct order_intake *in,
                                               const struct order_photo_upload *photos, int n);
/* Applies an event (svc_order_event); a 办结 (resolve) stores its result photos
 * first, while the order is still being handled; all or nothing. */
struct svc_result svc_order_event_with_photos(db *d, arena *a, const struct principal *who,
                                              int64_t id, const struct order_event_args *in,
                                              const struct order_photo_upload *photos, int n);

/* The photos of a visible order: their count (*out in a), -1 when the order
 * is not visible (or the store failed). */
struct order_photo_row;
int svc_order_photos(db *d, arena *a, const struct principal *who, int64_t order_id,
                     struct order_photo_row **out);

/* One photo's bytes (in the arena); E_NOT_FOUND when the order is not visible
 * or the photo is not its. */
err_code svc_order_photo_get(db *d, arena *a, const struct principal *who, int64_t order_id,
                             int64_t photo_id, const char **mime, const char **data, size_t *len);

#endif
