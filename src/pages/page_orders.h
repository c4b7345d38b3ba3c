/* Work-order pages 工单: shared pieces of the list, the intake form and the
 * order page (page_order_ui.c). The rules live in service/svc_orders.c and
 * core/order_fsm.c; these only render. */
#ifndef LINLI_PAGE_ORDERS_H
#define LINLI_PAGE_ORDERS_H
#include <time.h>

#include "http/http.h"
#include "service/svc_result.h"
#include "store/db.h"

struct order_row; /* store/store_orders.h */

/* Chinese labels of the intake vocabularies (the id itself when unknown). */
const char *order_channel_zh(const char *id);
const char *order_urgency_zh(const char *id);
const char *order_scope_zh(const char *id);

/* The channels staff may choose when filing for someone (id, label), NULL-ended. */
extern const char *const order_staff_channels[][2];
/* Every channel an order can come by, with its label; ends with {NULL, NULL}. */
extern const char *const order_channels[][2];

/* <span class="state …">已受理</span> for a state id. */
void order_state_tag(buf *o, const char *state);

/* The response and resolution clocks of order `o`:
 * remaining time with the deadline as data attributes (linli.js counts down),
 * 预警 and 超时 marked. Nothing before acceptance. */
void order_clocks_html(req *r, const struct order_row *o, time_t now);

/* One order as a list item (code, title, state, place, clocks). */
void order_list_item(req *r, const struct order_row *o, time_t now);

/* The order page with an error or a notice (either may be NULL). */
err_code page_order_render(req *r, int64_t id, const char *error, const char *notice, int status);

#endif
