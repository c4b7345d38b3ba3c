/* The 吹哨、买单、督办、回访、协商 part of an order's detail page: what has
 * happened and, for those who may act, the forms to blow a whistle, propose
 * a cost and set the handling tier (posted to the routes of
 * page_order_extras.c). The order page calls it for a visible order. */
#ifndef LINLI_PAGE_ORDER_EXTRAS_H
#define LINLI_PAGE_ORDER_EXTRAS_H
#include <stdint.h>

#include "http/http.h"

struct whistle_call_row; /* store/store_whistles.h */
struct order_cost_row;   /* store/store_order_costs.h */

void page_order_extras(req *r, db *d, arena *a, int64_t order_id);

/* Shared by the whistle, cost and supervision pages. */
void page_whistle_call_item(req *r, const struct whistle_call_row *c, int64_t now,
                            bool report_form);
void page_cost_item(req *r, const struct order_cost_row *k, bool decide_form);
/* After a refused form: a short page with the message and a way back. */
err_code page_form_refused(req *r, const char *title, const char *message, err_code e,
                           const char *back_href, const char *back_label);

#endif
