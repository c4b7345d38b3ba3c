/* 部门买单; see svc_order_costs.h. */
#include "service/svc_order_costs.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/order_fsm.h"
#include "core/whistle_rule.h"
#include "service/svc_orders.h"
#include "service/svc_tx.h"
#include "store/store_order_costs.h"
#include "store/store_order_stats.h"
#include "store/store_orders.h"
#include "util/clock.h"
#include "util/text.h"

/* The history row of a cost step, and the audit entry svc_tx writes for it;
 * `data` is freed. */
static bool cost_note(db *d, arena *a, const struct principal *who, const struct order_row *o,
                      const char *event, int64_t cost_id, const char *note, json_t *data,
                      int64_t now, struct svc_audit *au)
{
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    const char *st = o->state;
    int64_t viewer = who ? who->account_id : 0;
    const char *actor = who && who->username ? who->username : "cli";
    bool ok = store_order_event_add(d, o->id, now, viewer, actor, event, st, st, note, dj) == 1;
    *au = (struct svc_audit){.action = event + 5, /* "cost_propose" → "propose" */
                             .entity = "order_cost",
                             .entity_id = arena_printf(a, "%lld", (long long)cost_id),
                             .place_code = o->place_code,
                             .after_json = arena_strdup(a, dj),
                             .note = note};
    free(dj);
    return ok;
}

/* A proposal, checked: what propose_tx stores. */
struct propose_write {
    const struct principal *who;
    struct order_row order;
    int64_t org_id, fen;
    const char *org_name, *resource, *note;
};

static struct svc_result propose_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct propose_write *w = ctx;
    int64_t now = clock_now(), viewer = w->who ? w->who->account_id : 0;
    int64_t id = store_order_cost_insert(d, a, w->order.id, w->org_id, w->fen, w->resource, w->note,
                                         viewer, now);
    if (id <= 0) return svc_store_failed();
    char yuan[32];
    money_format_yuan(w->fen, yuan, sizeof yuan);
    json_t *data = json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)w->org_id, "amount_fen",
                             (json_int_t)w->fen, "amount", yuan);
    if (w->resource) json_object_set_new(data, "resource", json_string(w->resource));
    const char *text = arena_printf(a, "请%s买单 %s 元%s%s", w->org_name, yuan,
                                    w->resource ? "：" : "", w->resource ? w->resource : "");
    if (!cost_note(d, a, w->who, &w->order, "cost_propose", id, text, data, now, au))
        return svc_store_failed();
    return (struct svc_result){.id = id};
}

struct svc_result svc_order_cost_propose(db *d, arena *a, const struct principal *who,
                                         int64_t order_id, const struct order_cost_input *in)
{
    int64_t viewer = who ? who->account_id : 0;
    struct propose_write w = {.who = who, .org_id = in->org_id};
    if (!store_order_read(d, a, viewer, order_id, &w.order))
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors_of(d, who, &w.order) & ORDER_ACTOR_DISPATCHER))
        return svc_fail(E_FORBIDDEN, NULL, "只有派单人员可以提出部门买单");
    w.org_name = in->org_id > 0 ? store_order_cost_org_name(d, a, in->org_id) : NULL;
    if (!w.org_name) return svc_fail(E_BAD_INPUT, "org_id", "请选择买单的组织（组织不存在）");
    const char *amt = text_trim(a, in->amount);
    if (!money_parse_yuan(amt, &w.fen) || w.fen <= 0)
        return svc_fail(E_BAD_INPUT, "amount",
                        "金额应为大于0的数字（单位元，最多两位小数，不超过1亿元）");
    if (!text_optional(a, in->resource, 200, &w.resource))
        return svc_fail(E_BAD_INPUT, "resource", "资源说明不能超过200个字，且不能含控制字符");
    if (!text_optional(a, in->note, 500, &w.note))
        return svc_fail(E_BAD_INPUT, "note", "备注不能超过500个字，且不能含控制字符");
    enum order_state s;
    if (!order_state_parse(w.order.state, &s) || s == ORDER_REJECTED || s == ORDER_MERGED)
        return svc_fail(E_CONFLICT, NULL, "不予受理或已合并的工单不能买单");
    return svc_tx(d, a, who, "order cost", propose_tx, &w);
}

/* A decision, checked: what decide_tx stores. */
struct decide_write {
    const struct principal *who;
    const struct order_cost_row *cost;
    struct order_row order;
    bool confirm;
};

static struct svc_result decide_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct decide_write *w = ctx;
    int64_t now = clock_now(), viewer = w->who ? w->who->account_id : 0;
    const char *state = w->confirm ? "confirmed" : "declined";
    int n = store_order_cost_decide(d, w->cost->id, state, viewer, now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return svc_fail(E_CONFLICT, NULL, "该买单已确认或已拒绝");
    char yuan[32];
    money_format_yuan(w->cost->amount_fen, yuan, sizeof yuan);
    json_t *data = json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)w->cost->org_id, "state",
                             state, "amount", yuan);
    const char *text =
        arena_printf(a, "%s%s买单 %s 元", w->cost->org_name, w->confirm ? "确认" : "拒绝", yuan);
    if (n != 1 ||
        !cost_note(d, a, w->who, &w->order, w->confirm ? "cost_confirm" : "cost_decline",
                   w->cost->id, text, data, now, au) ||
        store_order_stats_touch(d) < 0) /* the dashboards show 吹哨 and 部门买单 */
        return svc_store_failed();
    return (struct svc_result){.id = w->cost->id};
}

struct svc_result svc_order_cost_decide(db *d, arena *a, const struct principal *who, int64_t id,
                                        bool confirm)
{
    int64_t viewer = who ? who->account_id : 0;
    struct order_cost_row k;
    if (!store_order_cost_get(d, a, id, &k) ||
        (viewer && !store_order_account_has_org(d, viewer, k.org_id)))
        return svc_fail(E_NOT_FOUND, NULL, "买单记录不存在或不是您所在组织的");
    struct decide_write w = {.who = who, .cost = &k, .confirm = confirm};
    if (!store_order_read(d, a, 0, k.order_id, &w.order)) return svc_fail(E_INTERNAL, NULL, NULL);
    return svc_tx(d, a, who, "order cost decide", decide_tx, &w);
}
