/* SQL for rating links 评价链接 (migration 018). */
#ifndef LINLI_STORE_RATING_LINKS_H
#define LINLI_STORE_RATING_LINKS_H
#include <stdint.h>

#include "store/db.h"

/* Records a link; returns its id or -1. */
int64_t store_rating_link_add(db *d, int64_t order_id, const char *token_hash, int64_t now,
                              int64_t expires_at);
/* The order id of an unused link that has not expired at now, or 0. */
int64_t store_rating_link_order(db *d, const char *token_hash, int64_t now);
/* Marks the link used (once): 1 done, 0 already used, -1 error. */
int store_rating_link_use(db *d, const char *token_hash, int64_t now);

#endif
