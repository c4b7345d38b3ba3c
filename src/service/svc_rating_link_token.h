/* The token of a rating link 评价链接 (svc_rating_links.h): made inside the
 * resolving transaction by the order's notice, checked when the link is
 * used. A file of its own so that the order events make links without
 * including svc_rating_links.h, which rates through svc_orders.h. */
#ifndef LINLI_SVC_RATING_LINK_TOKEN_H
#define LINLI_SVC_RATING_LINK_TOKEN_H
#include <stdint.h>
#include <time.h>

#include "store/db.h"

/* Inside the resolving transaction: makes a link for the order and returns
 * its path "/rate/TOKEN" (arena-owned), or NULL on a database error. */
const char *svc_rating_link_create(db *d, arena *a, int64_t order_id, time_t now);

/* The stored form of a token: hex BLAKE2b-256, so a copy of the database
 * cannot rate anything. NULL for a token that is not 32 hex digits. */
const char *svc_rating_link_hash(arena *a, const char *token);

#endif
