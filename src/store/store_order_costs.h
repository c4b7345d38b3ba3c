/* SQL for 部门买单: the costs an organisation pays for an order, proposed by
 * the dispatcher and confirmed or declined by the paying organisation, and
 * their confirmed totals. Scope: staff see costs of orders in their
 * orders.read scope; an organisation's accounts see that organisation's. */
#ifndef LINLI_STORE_ORDER_COSTS_H
#define LINLI_STORE_ORDER_COSTS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum order_cost_col {
    CO_ID,
    CO_ORDER,
    CO_ORG,
    CO_ORG_NAME,
    CO_AMOUNT,
    CO_RESOURCE,
    CO_NOTE,
    CO_STATE,
    CO_PROPOSED_BY,
    CO_CREATED_AT,
    CO_CONFIRMED_BY,
    CO_CONFIRMED_AT,
    CO_ORDER_CODE,
    CO_ORDER_TITLE,
    CO_ORDER_PLACE,
};
int64_t store_order_cost_insert(db *d, arena *a, int64_t order_id, int64_t org_id,
                                int64_t amount_fen, const char *resource, const char *note,
                                int64_t by, int64_t now);
db_rows *store_order_cost_get(db *d, arena *a, int64_t id);
db_rows *store_order_costs_of_order(db *d, arena *a, int64_t order_id);
/* Proposed costs the viewer's organisations are asked to pay (as_org) or, for
 * staff, proposed costs of orders in scope. Oldest first. */
db_rows *store_order_costs_open(db *d, arena *a, int64_t viewer, bool as_org, int limit);
/* proposed → confirmed/declined, only while proposed: 1 done, 0 not proposed. */
int store_order_cost_decide(db *d, int64_t id, const char *state, int64_t by, int64_t now);

/* Confirmed totals (confirmed_at in [from, to), 0 open) of orders in the
 * viewer's scope, under place (NULL: anywhere). By organisation: org id,
 * name, count, sum (分). By community (the first 12 digits of the order's
 * place): code, name, count, sum. */
db_rows *store_order_costs_by_org(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                                  int64_t to);
db_rows *store_order_costs_by_place(db *d, arena *a, int64_t viewer, const char *place,
                                    int64_t from, int64_t to);

#endif
