/* 部门买单; see svc_order_costs.h. */
#include "service/svc_order_costs.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/order_fsm.h"
#include "core/whistle_rule.h"
#include "service/svc_orders.h"
#include "store/store_audit.h"
#include "store/store_order_costs.h"
#include "store/store_order_stats.h"
#include "store/store_orders.h"
#include "util/clock.h"
#include "util/text.h"

static bool text_ok(arena *a, const char *in, long max, const char **out)
{
    const char *t = text_trim(a, in);
    *out = t && *t ? t : NULL;
    long n = *out ? text_chars_printable(t) : 0;
    return n >= 0 && n <= max;
}

/* The history row and audit entry of a cost step, in the open transaction. */
static bool cost_note(db *d, arena *a, const struct principal *who, const db_rows *o,
                      const char *event, int64_t cost_id, const char *note, json_t *data,
                      int64_t now)
{
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    const char *st = db_get(o, 0, OC_STATE);
    int64_t viewer = who ? who->account_id : 0;
    const char *actor = who && who->username ? who->username : "cli";
    const char *action = event + 5; /* "cost_propose" → "propose" */
    bool ok = store_order_event_add(d, db_get_int(o, 0, OC_ID), now, viewer, actor, event, st, st,
                                    note, dj) == 1 &&
              audit_write(d, who, action, "order_cost", arena_printf(a, "%lld", (long long)cost_id),
                          db_get(o, 0, OC_PLACE), NULL, dj, note) >= 0;
    free(dj);
    return ok;
}

struct svc_result svc_order_cost_propose(db *d, arena *a, const struct principal *who,
                                         int64_t order_id, const struct order_cost_input *in)
{
    int64_t org_id = in->org_id;
    int64_t viewer = who ? who->account_id : 0;
    db_rows *o = store_order_get(d, a, viewer, order_id);
    if (!o) return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors(d, who, o) & ORDER_ACTOR_DISPATCHER))
        return svc_fail(E_FORBIDDEN, NULL, "只有派单人员可以提出部门买单");
    db_rows *org = org_id > 0 ? store_order_org(d, a, org_id) : NULL;
    if (!org) return svc_fail(E_BAD_INPUT, "org_id", "请选择买单的组织（组织不存在）");
    int64_t fen = 0;
    const char *amt = text_trim(a, in->amount);
    if (!money_parse_yuan(amt, &fen) || fen <= 0)
        return svc_fail(E_BAD_INPUT, "amount",
                        "金额应为大于0的数字（单位元，最多两位小数，不超过1亿元）");
    const char *resource, *note;
    if (!text_ok(a, in->resource, 200, &resource))
        return svc_fail(E_BAD_INPUT, "resource", "资源说明不能超过200个字，且不能含控制字符");
    if (!text_ok(a, in->note, 500, &note))
        return svc_fail(E_BAD_INPUT, "note", "备注不能超过500个字，且不能含控制字符");
    enum order_state s;
    if (!order_state_parse(db_get(o, 0, OC_STATE), &s) || s == ORDER_REJECTED || s == ORDER_MERGED)
        return svc_fail(E_CONFLICT, NULL, "不予受理或已合并的工单不能买单");
    int64_t now = clock_now();
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_order_cost_insert(d, a, order_id, org_id, fen, resource, note, viewer, now);
    char yuan[32];
    money_format_yuan(fen, yuan, sizeof yuan);
    json_t *data = json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)org_id, "amount_fen",
                             (json_int_t)fen, "amount", yuan);
    if (resource) json_object_set_new(data, "resource", json_string(resource));
    const char *text = arena_printf(a, "请%s买单 %s 元%s%s", db_get(org, 0, 1), yuan,
                                    resource ? "：" : "", resource ? resource : "");
    bool ok = id > 0 && cost_note(d, a, who, o, "cost_propose", id, text, data, now);
    json_decref(data);
    if (!ok) {
        fprintf(stderr, "linli: order cost: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_order_cost_decide(db *d, arena *a, const struct principal *who, int64_t id,
                                        bool confirm)
{
    int64_t viewer = who ? who->account_id : 0;
    db_rows *k = store_order_cost_get(d, a, id);
    if (!k || (viewer && !store_order_account_has_org(d, viewer, db_get_int(k, 0, CO_ORG))))
        return svc_fail(E_NOT_FOUND, NULL, "买单记录不存在或不是您所在组织的");
    db_rows *o = store_order_get(d, a, 0, db_get_int(k, 0, CO_ORDER));
    if (!o) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t now = clock_now();
    const char *state = confirm ? "confirmed" : "declined";
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int n = store_order_cost_decide(d, id, state, viewer, now);
    if (n == 0) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "该买单已确认或已拒绝");
    }
    char yuan[32];
    money_format_yuan(db_get_int(k, 0, CO_AMOUNT), yuan, sizeof yuan);
    json_t *data = json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)db_get_int(k, 0, CO_ORG),
                             "state", state, "amount", yuan);
    const char *text = arena_printf(a, "%s%s买单 %s 元", db_get(k, 0, CO_ORG_NAME),
                                    confirm ? "确认" : "拒绝", yuan);
    bool ok = n == 1 && cost_note(d, a, who, o, confirm ? "cost_confirm" : "cost_decline", id, text,
                                  data, now);
    json_decref(data);
    if (!ok) {
        fprintf(stderr, "linli: order cost decide: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (store_order_stats_touch(d) < 0) { /* the dashboards show 吹哨 and 部门买单 */
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}
