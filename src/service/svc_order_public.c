/* The public feed switch of an order; see svc_order_public.h. */
#include "service/svc_order_public.h"

#include <stdio.h>

#include "core/order_fsm.h"
#include "service/svc_orders.h"
#include "store/store_audit.h"
#include "store/store_open311.h"
#include "store/store_orders.h"
#include "util/clock.h"

struct svc_result svc_order_public_get(db *d, arena *a, const struct principal *who,
                                       int64_t order_id, bool *hidden)
{
    int64_t viewer = who ? who->account_id : 0;
    if (!store_order_get(d, a, viewer, order_id))
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    int h = store_open311_hidden(d, order_id);
    if (h < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    *hidden = h == 1;
    return (struct svc_result){.id = order_id};
}

struct svc_result svc_order_public_set(db *d, arena *a, const struct principal *who,
                                       int64_t order_id, bool hidden)
{
    int64_t viewer = who ? who->account_id : 0;
    db_rows *o = store_order_get(d, a, viewer, order_id);
    if (!o) return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors(d, who, o) & (ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY)))
        return svc_fail(E_FORBIDDEN, NULL, "只有派单人员或社区书记可以设置工单是否公开");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int was = store_open311_hidden(d, order_id);
    if (was < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if ((was == 1) == hidden) { /* already so: nothing to record */
        db_commit(d);
        return (struct svc_result){.id = order_id};
    }
    int n = hidden ? store_open311_hide(d, order_id, viewer, clock_now())
                   : store_open311_show(d, order_id);
    const char *before = was ? "{\"open311_hidden\":true}" : "{\"open311_hidden\":false}";
    const char *after = hidden ? "{\"open311_hidden\":true}" : "{\"open311_hidden\":false}";
    if (n != 1 || audit_write(d, who, hidden ? "open311_hide" : "open311_show", "order",
                              db_get(o, 0, OC_ID), db_get(o, 0, OC_PLACE), before, after,
                              hidden ? "不在公开诉求列表中显示" : "恢复在公开诉求列表中显示") < 0) {
        fprintf(stderr, "linli: order public: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = order_id};
}
