/* 部门买单: the dispatcher names the organisation paying for an order (amount
 * in 元 with two decimals, kept in 分), an account holding a grant on that
 * organisation confirms or declines it; confirmed totals roll up by
 * organisation and by community. Writes append an order event and an audit
 * entry in the same transaction. */
#ifndef LINLI_SVC_ORDER_COSTS_H
#define LINLI_SVC_ORDER_COSTS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

/* What a 买单 proposal carries (strings as given; NULL: absent). */
struct order_cost_input {
    int64_t org_id;     /* the organisation asked to pay */
    const char *amount; /* 元, at most two decimals */
    const char *resource, *note;
};
struct svc_result svc_order_cost_propose(db *d, arena *a, const struct principal *who,
                                         int64_t order_id, const struct order_cost_input *in);
/* confirm: true to confirm, false to decline. E_NOT_FOUND for an account
 * without a grant on the paying organisation; E_CONFLICT once decided. */
struct svc_result svc_order_cost_decide(db *d, arena *a, const struct principal *who, int64_t id,
                                        bool confirm);
#endif
