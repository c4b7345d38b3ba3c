/* Whether an order appears in the public Open311 feed (docs/open311.md).
 * Every order does, without personal data, unless staff who dispatch it or
 * lead its community (派单人员, 书记) hide it: a description that names a
 * family, a sensitive matter. Hiding and showing again are audited
 * (entity order, actions open311_hide / open311_show). */
#ifndef LINLI_SVC_ORDER_PUBLIC_H
#define LINLI_SVC_ORDER_PUBLIC_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_orders.h"
#include "service/svc_result.h"
#include "store/db.h"

/* 1 hidden, 0 shown for an order the account can see; E_NOT_FOUND otherwise
 * (as svc_result with err). */
struct svc_result svc_order_public_get(db *d, arena *a, const struct principal *who,
                                       int64_t order_id, bool *hidden);
/* Hides (hidden true) or shows the order; changing nothing is no error and
 * writes nothing. E_NOT_FOUND out of sight, E_FORBIDDEN for other actors. */
struct svc_result svc_order_public_set(db *d, arena *a, const struct principal *who,
                                       int64_t order_id, bool hidden);

/* Files an order that came by Open311: the order (svc_order_create, acting as
 * the key), the request's address as the client gave it, and the key's last
 * use, all or nothing. */
struct svc_result svc_order_open311_file(db *d, arena *a, const struct principal *as_key,
                                         int64_t key_id, const struct order_intake *in,
                                         const char *address, const char *address_id);

#endif
