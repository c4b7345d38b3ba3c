/* SQL for 部门买单: the costs an organisation pays for an order, proposed by
 * the dispatcher and confirmed or declined by the paying organisation, and
 * their confirmed totals. Scope: staff see costs of orders in their
 * orders.read scope; an organisation's accounts see that organisation's. */
#ifndef LINLI_STORE_ORDER_COSTS_H
#define LINLI_STORE_ORDER_COSTS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A cost with its organisation and order. Times in Unix seconds, 0 for none. */
struct order_cost_row {
    int64_t id, order_id, org_id, amount_fen, created_at, confirmed_at;
    const char *org_name, *resource, *note, *state; /* resource, note: NULL for none */
    const char *proposed_by, *confirmed_by;         /* usernames, NULL for none */
    const char *order_code, *order_title, *order_place;
};
/* The name of the organisation asked to pay, or NULL when there is none. */
const char *store_order_cost_org_name(db *d, arena *a, int64_t org_id);
int64_t store_order_cost_insert(db *d, arena *a, int64_t order_id, int64_t org_id,
                                int64_t amount_fen, const char *resource, const char *note,
                                int64_t by, int64_t now);
/* One cost, whatever the viewer (the service checks); false when none. */
bool store_order_cost_get(db *d, arena *a, int64_t id, struct order_cost_row *out);
/* Lists of costs: their count (*out in a), -1 on error. An order's, oldest first: */
int store_order_costs_of_order(db *d, arena *a, int64_t order_id, struct order_cost_row **out);
/* Proposed costs the viewer's organisations are asked to pay (as_org) or, for
 * staff, proposed costs of orders in scope. Oldest first. */
int store_order_costs_open(db *d, arena *a, int64_t viewer, bool as_org, int limit,
                           struct order_cost_row **out);
/* proposed → confirmed/declined, only while proposed: 1 done, 0 not proposed. */
int store_order_cost_decide(db *d, int64_t id, const char *state, int64_t by, int64_t now);

/* A line of confirmed totals: an organisation (id, its name) or a community
 * (its code, its name), how many costs and their sum (分). */
struct order_cost_total {
    int64_t org_id;   /* by organisation */
    const char *code; /* by community */
    const char *name;
    int64_t count, amount_fen;
};
/* Confirmed totals (confirmed_at in [from, to), 0 open) of orders in the
 * viewer's scope, under place (NULL: anywhere), by organisation (largest sum
 * first) or by community (the first 12 digits of the order's place): their
 * count (*out in a), -1 on error. */
int store_order_costs_by_org(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                             int64_t to, struct order_cost_total **out);
int store_order_costs_by_place(db *d, arena *a, int64_t viewer, const char *place, int64_t from,
                               int64_t to, struct order_cost_total **out);

#endif
