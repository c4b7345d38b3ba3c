/* The 公开诉求列表 card of an order's page: whether the order appears in the
 * public Open311 feed and, for its dispatchers and secretary, the button that
 * hides or shows it (posted to /orders/{id}/open311). */
#ifndef LINLI_PAGE_ORDER_PUBLIC_H
#define LINLI_PAGE_ORDER_PUBLIC_H
#include <stdint.h>

#include "http/http.h"

/* For a visible order; writes nothing for residents (who are no actor). */
void page_order_public_card(req *r, int64_t order_id);

#endif
