/* 吹哨报到: kinds, whistles, 报到 and the overdue tick; see svc_whistles.h. */
#include "service/svc_whistles.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "core/whistle_rule.h"
#include "service/svc_orders.h"
#include "store/store_audit.h"
#include "store/store_order_stats.h"
#include "store/store_orders.h"
#include "service/svc_tx.h"
#include "store/store_whistles.h"
#include "util/clock.h"
#include "util/text.h"

const char *whistle_county_of(const char *place, char out[7])
{
    snprintf(out, 7, "%.6s", place ? place : "");
    return out;
}

/* Default departments of the demo county's kinds, by name. */
static const struct {
    const char *kind;
    const char *orgs[3];
} seed_orgs[] = {
    {"publicity", {"河曲县民政局", "河曲县司法局", NULL}},
    {"emergency", {"河曲县应急管理局", "河曲县公安局", "河曲县卫生健康和体育局"}},
    {"enforcement", {"河曲县城市管理局", "河曲县市场监督管理局", "河曲县公安局"}},
    {"tackle", {"河曲县住房和城乡建设管理局", "河曲县城市管理局", "河曲县行政审批服务管理局"}},
};

/* The seed of one county's kinds, in svc_tx. */
static struct svc_result seed_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const char *county = *(const char **)ctx;
    struct whistle_kind_row *have;
    int nhave = store_whistle_kinds(d, a, county, &have);
    if (nhave < 0) return svc_store_failed();
    if (nhave > 0) return (struct svc_result){0}; /* seeded before: nothing to do */
    int64_t now = clock_now();
    for (size_t i = 0; i < sizeof seed_orgs / sizeof seed_orgs[0]; i++) {
        const struct whistle_kind_def *k = whistle_kind_find(seed_orgs[i].kind);
        int64_t id = store_whistle_kind_put(d, a, county, k->id, k->answer_minutes, now);
        int64_t orgs[3];
        int n = 0;
        for (int j = 0; j < 3 && seed_orgs[i].orgs[j]; j++) {
            int64_t o = store_department_by_name(d, seed_orgs[i].orgs[j]);
            if (o > 0) orgs[n++] = o;
        }
        if (id < 0 || store_whistle_kind_set_orgs(d, id, orgs, n) < 0) return svc_store_failed();
    }
    *au = (struct svc_audit){.action = "seed",
                             .entity = "whistle_kind",
                             .place_code = county,
                             .note = "初始吹哨类型（宣传哨、应急哨、执法哨、攻坚哨）"};
    return (struct svc_result){0};
}

int svc_whistle_kinds_seed(db *d, const char *county)
{
    arena *a = arena_new();
    struct svc_result res = svc_tx(d, a, NULL, "whistle kinds seed", seed_tx, &county);
    arena_free(a);
    return res.err ? -1 : 0;
}

/* A trimmed optional text of at most max characters. */
/* A kind's configuration, checked: what kind_put_tx stores. */
struct kind_write {
    const struct whistle_kind_def *k;
    const char *county;
    long minutes;
    const int64_t *orgs;
    int norgs;
    bool orgs_given;
};

static struct svc_result kind_put_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct kind_write *w = ctx;
    int64_t id = store_whistle_kind_put(d, a, w->county, w->k->id, (int)w->minutes, clock_now());
    if (id <= 0 || (w->orgs_given && store_whistle_kind_set_orgs(d, id, w->orgs, w->norgs) != 0))
        return svc_store_failed();
    json_t *after = json_pack("{s:s, s:s, s:I}", "place_code", w->county, "kind", w->k->id,
                              "answer_minutes", (json_int_t)w->minutes);
    if (w->orgs_given) {
        json_t *arr = json_array();
        for (int i = 0; i < w->norgs; i++) json_array_append_new(arr, json_integer(w->orgs[i]));
        json_object_set_new(after, "department_ids", arr);
    }
    char *aj = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(after);
    *au = (struct svc_audit){.action = "update",
                             .entity = "whistle_kind",
                             .entity_id = arena_printf(a, "%lld", (long long)id),
                             .place_code = w->county,
                             .after_json = arena_strdup(a, aj),
                             .note = w->k->zh};
    free(aj);
    return (struct svc_result){.id = id};
}

struct svc_result svc_whistle_kind_put(db *d, arena *a, const struct principal *who,
                                       const char *kind, const struct whistle_kind_input *in)
{
    const char *county = in->county;
    const int64_t *orgs = in->orgs;
    int norgs = in->norgs;
    const struct whistle_kind_def *k = whistle_kind_find(kind);
    if (!k) return svc_fail(E_NOT_FOUND, NULL, "吹哨类型不存在");
    int64_t viewer = who ? who->account_id : 0;
    bool valid = county && strlen(county) == 6 && strspn(county, "0123456789") == 6;
    /* who may not configure any county is refused before any complaint about the body */
    if (viewer && !store_account_leads_county(d, viewer, valid ? county : NULL))
        return svc_fail(E_FORBIDDEN, NULL, "只有县级及以上管理员可以配置吹哨类型");
    if (!valid) return svc_fail(E_BAD_INPUT, "place_code", "请填写县级区划代码（6位）");
    struct whistle_kind_row *have;
    int nhave = store_whistle_kinds(d, a, county, &have);
    if (nhave < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    struct kind_write w = {k, county, k->answer_minutes, orgs, norgs, in->orgs_given};
    for (int i = 0; i < nhave; i++)
        if (!strcmp(have[i].kind, k->id)) w.minutes = (long)have[i].answer_minutes;
    if (in->minutes_set) {
        if (in->answer_minutes < 1 || !whistle_minutes_valid((long)in->answer_minutes))
            return svc_fail(E_BAD_INPUT, "answer_minutes", "报到时限应为1至43200分钟");
        w.minutes = (long)in->answer_minutes;
    }
    for (int i = 0; i < norgs; i++) {
        if (!store_org_is_department(d, orgs[i]))
            return svc_fail(E_BAD_INPUT, "department_ids", "所选组织不存在或不是职能部门");
        for (int j = 0; j < i; j++)
            if (orgs[i] == orgs[j])
                return svc_fail(E_BAD_INPUT, "department_ids", "同一部门只能选择一次");
    }
    return svc_tx(d, a, who, "whistle kind", kind_put_tx, &w);
}

/* An order event that changes no state (its history row), and the audit entry
 * svc_tx writes for it; `data` is freed. */
static bool order_note(db *d, arena *a, const struct principal *who, const struct order_row *o,
                       const char *event, const char *entity, int64_t entity_id, const char *note,
                       json_t *data, int64_t now, struct svc_audit *au)
{
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    const char *st = o->state;
    int64_t viewer = who ? who->account_id : 0;
    const char *actor = who && who->username ? who->username : "cli";
    bool ok = store_order_event_add(d, o->id, now, viewer, actor, event, st, st, note, dj) == 1;
    *au = (struct svc_audit){.action = event,
                             .entity = entity,
                             .entity_id = arena_printf(a, "%lld", (long long)entity_id),
                             .place_code = o->place_code,
                             .after_json = arena_strdup(a, dj),
                             .note = note};
    free(dj);
    /* the dashboards show 吹哨 and 部门买单 */
    return ok && store_order_stats_touch(d) >= 0;
}

/* A whistle, checked: what blow_tx stores. */
struct blow_write {
    const struct principal *who;
    struct order_row order;
    const struct whistle_kind_def *k;
    const char *note;
    int64_t minutes;
    const struct org_ref *orgs;
    int norgs;
};

static struct svc_result blow_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct blow_write *w = ctx;
    int64_t now = clock_now(), viewer = w->who ? w->who->account_id : 0;
    int64_t order_id = w->order.id;
    int64_t wid = store_whistle_insert(d, a, order_id, w->k->id, w->note, viewer, now);
    if (wid <= 0) return svc_store_failed();
    json_t *data = json_pack("{s:s, s:I, s:I}", "kind", w->k->id, "whistle_id", (json_int_t)wid,
                             "answer_minutes", (json_int_t)w->minutes);
    json_t *called = json_array();
    json_object_set_new(data, "department_ids", called);
    for (int i = 0; i < w->norgs; i++) {
        if (store_whistle_call_insert(d, a, wid, order_id, w->orgs[i].id, now + w->minutes * 60) <=
            0) {
            json_decref(data);
            return svc_store_failed();
        }
        json_array_append_new(called, json_integer(w->orgs[i].id));
    }
    const char *text = arena_printf(a, "%s：%s", w->k->zh, w->note ? w->note : "请相关部门报到");
    if (!order_note(d, a, w->who, &w->order, "whistle", "whistle", wid, text, data, now, au))
        return svc_store_failed();
    return (struct svc_result){.id = wid};
}

struct svc_result svc_whistle_blow(db *d, arena *a, const struct principal *who, int64_t order_id,
                                   const struct whistle_blow_input *in)
{
    int64_t viewer = who ? who->account_id : 0;
    struct blow_write w = {.who = who};
    if (!store_order_read(d, a, viewer, order_id, &w.order))
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors_of(d, who, &w.order) & (ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY)))
        return svc_fail(E_FORBIDDEN, NULL, "只有社区派单人员或书记可以吹哨");
    w.k = in->kind && *in->kind ? whistle_kind_find(in->kind) : NULL;
    if (!w.k)
        return svc_fail(E_BAD_INPUT, "kind",
                        "吹哨类型应为 publicity（宣传哨）、emergency（应急哨）、enforcement"
                        "（执法哨）或 tackle（攻坚哨）");
    if (!text_optional(a, in->note, 500, &w.note))
        return svc_fail(E_BAD_INPUT, "note", "说明不能超过500个字，且不能含控制字符");
    enum order_state s;
    if (!order_state_parse(w.order.state, &s) || !order_state_is_active(s))
        return svc_fail(E_CONFLICT, "kind", "只能对在办工单吹哨");
    char county[7];
    whistle_county_of(w.order.place_code, county);
    struct whistle_kind_row *kinds;
    int nk = store_whistle_kinds(d, a, county, &kinds);
    int64_t kid = 0;
    for (int i = 0; i < nk; i++)
        if (!strcmp(kinds[i].kind, w.k->id)) {
            kid = kinds[i].id;
            w.minutes = kinds[i].answer_minutes;
        }
    struct org_ref *orgs = NULL;
    w.norgs = kid ? store_whistle_kind_orgs(d, a, kid, &orgs) : 0;
    w.orgs = orgs;
    if (w.norgs <= 0)
        return svc_fail(E_CONFLICT, "kind",
                        arena_printf(a, "本县尚未为%s配置应报到的部门", w.k->zh));
    return svc_tx(d, a, who, "whistle", blow_tx, &w);
}

/* A department's 报到, checked: what report_tx stores. */
struct report_write {
    const struct principal *who;
    const struct whistle_call_row *call;
    struct order_row order;
    const char *note;
};

static struct svc_result report_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct report_write *w = ctx;
    int64_t now = clock_now(), viewer = w->who ? w->who->account_id : 0;
    int n = store_whistle_call_answer(d, w->call->id, viewer, w->note, now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return svc_fail(E_CONFLICT, NULL, "该部门已报到，不能重复报到");
    bool late = now > w->call->deadline;
    json_t *data = json_pack("{s:I, s:I, s:b}", "call_id", (json_int_t)w->call->id, "org_id",
                             (json_int_t)w->call->org_id, "late", late);
    const char *text = arena_printf(a, "%s报到%s%s%s", w->call->org_name, late ? "（超时）" : "",
                                    w->note ? "：" : "", w->note ? w->note : "");
    if (n != 1 || !order_note(d, a, w->who, &w->order, "whistle_report", "whistle_call",
                              w->call->id, text, data, now, au))
        return svc_store_failed();
    return (struct svc_result){.id = w->call->id};
}

struct svc_result svc_whistle_report(db *d, arena *a, const struct principal *who, int64_t call_id,
                                     const struct whistle_report_input *in)
{
    int64_t viewer = who ? who->account_id : 0;
    struct whistle_call_row c;
    if (!store_whistle_call_get(d, a, call_id, &c) ||
        (viewer && !store_order_account_has_org(d, viewer, c.org_id)))
        return svc_fail(E_NOT_FOUND, NULL, "吹哨通知不存在或不是发给您所在部门的");
    struct report_write w = {.who = who, .call = &c};
    if (!text_optional(a, in->note, 500, &w.note))
        return svc_fail(E_BAD_INPUT, "note", "报到说明不能超过500个字，且不能含控制字符");
    if (c.answered_at) return svc_fail(E_CONFLICT, NULL, "该部门已报到，不能重复报到");
    if (!store_order_read(d, a, 0, c.order_id, &w.order)) return svc_fail(E_INTERNAL, NULL, NULL);
    return svc_tx(d, a, who, "whistle report", report_tx, &w);
}

/* One due whistle, in svc_tx: claim its overdue calls, then escalate its order
 * (system actor) when the state machine allows it. */
struct tick_write {
    const struct whistle_due_row *due;
    int64_t now;
    int escalated; /* out: 1 when the order went up a level */
};

static struct svc_result tick_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct tick_write *t = ctx;
    const struct whistle_due_row *w = t->due;
    int n = store_whistle_calls_mark_overdue(d, w->id, t->now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return (struct svc_result){0}; /* claimed by another tick: nothing to write */
    struct order_row o;
    if (!store_order_read(d, a, 0, w->order_id, &o)) return svc_store_failed();
    enum order_state s;
    int to = order_state_parse(o.state, &s)
                 ? order_fsm_check(s, ORDER_EV_ESCALATE, ORDER_ACTOR_SYSTEM, NULL, NULL)
                 : -1;
    const struct whistle_kind_def *k = whistle_kind_find(w->kind);
    const char *names = store_whistle_overdue_orgs(d, a, w->id);
    const char *note = arena_printf(a, "%s超时未报到：%s", k ? k->zh : w->kind, names ? names : "");
    if (to >= 0) {
        /* up the tree through the state machine's own path: history, audit,
         * notifications and the 三率 counters, in this transaction */
        struct svc_result r =
            svc_order_system_event(d, a, w->order_id, ORDER_EV_ESCALATE, note, t->now);
        if (r.err) return r; /* E_CONFLICT: changed meanwhile, the next tick */
        t->escalated = 1;
    }
    json_t *data = json_pack("{s:I, s:s, s:i, s:b}", "whistle_id", (json_int_t)w->id, "kind",
                             w->kind, "overdue_calls", n, "escalated", t->escalated);
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    const char *st = o.state;
    bool ok = t->escalated || store_order_event_add(d, w->order_id, t->now, 0, "系统",
                                                    "whistle_overdue", st, st, note, dj) == 1;
    *au = (struct svc_audit){.action = "overdue",
                             .entity = "whistle",
                             .entity_id = arena_printf(a, "%lld", (long long)w->id),
                             .place_code = o.place_code,
                             .after_json = arena_strdup(a, dj),
                             .note = arena_printf(a, "系统：%s", note)};
    free(dj);
    return ok ? (struct svc_result){0} : svc_store_failed();
}

int svc_whistles_tick(db *d, arena *a, time_t now)
{
    struct whistle_due_row *due;
    int n = store_whistles_due(d, a, (int64_t)now, 500, &due);
    if (n < 0) return -1;
    int total = 0;
    for (int i = 0; i < n; i++) {
        struct tick_write t = {&due[i], (int64_t)now, 0};
        struct svc_result r = svc_tx(d, a, NULL, "whistles tick", tick_tx, &t);
        if (r.err == E_CONFLICT) continue; /* changed meanwhile: the next tick */
        if (r.err) {
            fprintf(stderr, "linli: whistles tick: %s\n", db_errmsg(d));
            return -1;
        }
        total += t.escalated;
    }
    return total;
}
