/* The public feed switch of an order; see svc_order_public.h. */
#include "service/svc_order_public.h"

#include <stdio.h>

#include "core/order_fsm.h"
#include "service/svc_orders.h"
#include "service/svc_tx.h"
#include "store/store_api_keys.h"
#include "store/store_open311.h"
#include "store/store_orders.h"
#include "util/clock.h"

struct svc_result svc_order_public_get(db *d, arena *a, const struct principal *who,
                                       int64_t order_id, bool *hidden)
{
    int64_t viewer = who ? who->account_id : 0;
    if (!store_order_visible(d, a, viewer, order_id))
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    int h = store_open311_hidden(d, order_id);
    if (h < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    *hidden = h == 1;
    return (struct svc_result){.id = order_id};
}

/* A switch of the public feed, checked: what public_tx stores. */
struct public_write {
    struct order_row order;
    int64_t viewer;
    bool hidden;
};

static struct svc_result public_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct public_write *w = ctx;
    int64_t order_id = w->order.id;
    int was = store_open311_hidden(d, order_id);
    if (was < 0) return svc_store_failed();
    if ((was == 1) == w->hidden) /* already so: nothing to record */
        return (struct svc_result){.id = order_id};
    int n = w->hidden ? store_open311_hide(d, order_id, w->viewer, clock_now())
                      : store_open311_show(d, order_id);
    if (n != 1) return svc_store_failed();
    *au = (struct svc_audit){
        .action = w->hidden ? "open311_hide" : "open311_show",
        .entity = "order",
        .entity_id = arena_printf(a, "%lld", (long long)order_id),
        .place_code = w->order.place_code,
        .before_json = was ? "{\"open311_hidden\":true}" : "{\"open311_hidden\":false}",
        .after_json = w->hidden ? "{\"open311_hidden\":true}" : "{\"open311_hidden\":false}",
        .note = w->hidden ? "不在公开诉求列表中显示" : "恢复在公开诉求列表中显示"};
    return (struct svc_result){.id = order_id};
}

struct svc_result svc_order_public_set(db *d, arena *a, const struct principal *who,
                                       int64_t order_id, bool hidden)
{
    int64_t viewer = who ? who->account_id : 0;
    struct public_write w = {.viewer = viewer, .hidden = hidden};
    if (!store_order_read(d, a, viewer, order_id, &w.order))
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors_of(d, who, &w.order) & (ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY)))
        return svc_fail(E_FORBIDDEN, NULL, "只有派单人员或社区书记可以设置工单是否公开");
    return svc_tx(d, a, who, "order public", public_tx, &w);
}

/* An Open311 request, in svc_tx. */
struct open311_write {
    const struct principal *as_key;
    int64_t key_id;
    const struct order_intake *in;
    const char *address, *address_id;
};

static struct svc_result open311_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)au; /* the order records its own */
    struct open311_write *w = ctx;
    struct svc_result res = svc_order_create(d, a, w->as_key, w->in);
    if (res.err) return res;
    if (store_open311_request_insert(d, res.id, w->key_id, w->address, w->address_id) != 1 ||
        store_api_key_touch(d, w->key_id, clock_now()) != 1)
        return svc_store_failed();
    return res;
}

struct svc_result svc_order_open311_file(db *d, arena *a, const struct principal *as_key,
                                         int64_t key_id, const struct order_intake *in,
                                         const char *address, const char *address_id)
{
    struct open311_write w = {as_key, key_id, in, address, address_id};
    return svc_tx(d, a, as_key, "open311 request", open311_tx, &w);
}
