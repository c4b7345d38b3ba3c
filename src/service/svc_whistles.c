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

int svc_whistle_kinds_seed(db *d, const char *county)
{
    arena *a = arena_new();
    if (db_begin(d) < 0) {
        arena_free(a);
        return -1;
    }
    db_rows *have = store_whistle_kinds(d, a, county);
    if (!have || have->nrows) {
        db_commit(d);
        arena_free(a);
        return have ? 0 : -1;
    }
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
        if (id < 0 || store_whistle_kind_set_orgs(d, id, orgs, n) < 0) goto fail;
    }
    if (audit_write(d, NULL, "seed", "whistle_kind", NULL, county, NULL, NULL,
                    "初始吹哨类型（宣传哨、应急哨、执法哨、攻坚哨）") < 0)
        goto fail;
    arena_free(a);
    return db_commit(d) < 0 ? -1 : 0;
fail:
    fprintf(stderr, "linli: whistle kinds seed: %s\n", db_errmsg(d));
    db_rollback(d);
    arena_free(a);
    return -1;
}

/* A trimmed optional text of at most max characters. */
static bool text_ok(arena *a, const char *in, long max, const char **out)
{
    const char *t = text_trim(a, in);
    *out = t && *t ? t : NULL;
    if (!*out) return true;
    long n = text_chars_printable(t);
    return n >= 0 && n <= max;
}

struct svc_result svc_whistle_kind_put(db *d, arena *a, const struct principal *who,
                                       const char *kind, const char *county,
                                       const char *answer_minutes, const int64_t *orgs, int norgs,
                                       bool orgs_given)
{
    const struct whistle_kind_def *k = whistle_kind_find(kind);
    if (!k) return svc_fail(E_NOT_FOUND, NULL, "吹哨类型不存在");
    int64_t viewer = who ? who->account_id : 0;
    bool valid = county && strlen(county) == 6 && strspn(county, "0123456789") == 6;
    /* who may not configure any county is refused before any complaint about the body */
    if (viewer && !store_account_leads_county(d, viewer, valid ? county : NULL))
        return svc_fail(E_FORBIDDEN, NULL, "只有县级及以上管理员可以配置吹哨类型");
    if (!valid) return svc_fail(E_BAD_INPUT, "place_code", "请填写县级区划代码（6位）");
    db_rows *have = store_whistle_kinds(d, a, county);
    if (!have) return svc_fail(E_INTERNAL, NULL, NULL);
    long minutes = k->answer_minutes;
    for (int i = 0; i < have->nrows; i++)
        if (!strcmp(db_get(have, i, WK_KIND), k->id)) minutes = db_get_int(have, i, WK_MINUTES);
    if (answer_minutes && *answer_minutes) {
        char *end;
        minutes = strtol(answer_minutes, &end, 10);
        if (*end || !whistle_minutes_valid(minutes))
            return svc_fail(E_BAD_INPUT, "answer_minutes", "报到时限应为1至43200分钟");
    }
    for (int i = 0; i < norgs; i++) {
        if (!store_org_is_department(d, orgs[i]))
            return svc_fail(E_BAD_INPUT, "department_ids", "所选组织不存在或不是职能部门");
        for (int j = 0; j < i; j++)
            if (orgs[i] == orgs[j])
                return svc_fail(E_BAD_INPUT, "department_ids", "同一部门只能选择一次");
    }
    int64_t now = clock_now();
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_whistle_kind_put(d, a, county, k->id, (int)minutes, now);
    json_t *after = json_pack("{s:s, s:s, s:I}", "place_code", county, "kind", k->id,
                              "answer_minutes", (json_int_t)minutes);
    if (orgs_given) {
        json_t *arr = json_array();
        for (int i = 0; i < norgs; i++) json_array_append_new(arr, json_integer(orgs[i]));
        json_object_set_new(after, "department_ids", arr);
    }
    char *aj = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(after);
    bool ok = id > 0 && (!orgs_given || store_whistle_kind_set_orgs(d, id, orgs, norgs) == 0) &&
              audit_write(d, who, "update", "whistle_kind", arena_printf(a, "%lld", (long long)id),
                          county, NULL, aj, k->zh) >= 0;
    free(aj);
    if (!ok) {
        fprintf(stderr, "linli: whistle kind: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

/* Appends an order event that changes no state plus its audit entry, in the
 * open transaction. */
static bool order_note(db *d, const struct principal *who, const db_rows *o, const char *event,
                       const char *entity, const char *entity_id, const char *note, json_t *data,
                       int64_t now)
{
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    const char *st = db_get(o, 0, OC_STATE);
    int64_t viewer = who ? who->account_id : 0;
    const char *actor = who && who->username ? who->username : "cli";
    bool ok =
        store_order_event_add(d, db_get_int(o, 0, OC_ID), now, viewer, actor, event, st, st, note,
                              dj) == 1 &&
        audit_write(d, who, event, entity, entity_id, db_get(o, 0, OC_PLACE), NULL, dj, note) >= 0;
    free(dj);
    return ok;
}

struct svc_result svc_whistle_blow(db *d, arena *a, const struct principal *who, int64_t order_id,
                                   const struct whistle_blow_input *in)
{
    const char *kind = in->kind;
    int64_t viewer = who ? who->account_id : 0;
    db_rows *o = store_order_get(d, a, viewer, order_id);
    if (!o) return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors(d, who, o) & (ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY)))
        return svc_fail(E_FORBIDDEN, NULL, "只有社区派单人员或书记可以吹哨");
    const struct whistle_kind_def *k = kind && *kind ? whistle_kind_find(kind) : NULL;
    if (!k)
        return svc_fail(E_BAD_INPUT, "kind",
                        "吹哨类型应为 publicity（宣传哨）、emergency（应急哨）、enforcement"
                        "（执法哨）或 tackle（攻坚哨）");
    const char *note;
    if (!text_ok(a, in->note, 500, &note))
        return svc_fail(E_BAD_INPUT, "note", "说明不能超过500个字，且不能含控制字符");
    enum order_state s;
    if (!order_state_parse(db_get(o, 0, OC_STATE), &s) || !order_state_is_active(s))
        return svc_fail(E_CONFLICT, "kind", "只能对在办工单吹哨");
    char county[7];
    whistle_county_of(db_get(o, 0, OC_PLACE), county);
    db_rows *kinds = store_whistle_kinds(d, a, county);
    int64_t kid = 0, minutes = 0;
    for (int i = 0; kinds && i < kinds->nrows; i++)
        if (!strcmp(db_get(kinds, i, WK_KIND), k->id)) {
            kid = db_get_int(kinds, i, WK_ID);
            minutes = db_get_int(kinds, i, WK_MINUTES);
        }
    db_rows *orgs = kid ? store_whistle_kind_orgs(d, a, kid) : NULL;
    if (!orgs || orgs->nrows == 0)
        return svc_fail(E_CONFLICT, "kind", arena_printf(a, "本县尚未为%s配置应报到的部门", k->zh));
    int64_t now = clock_now();
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t wid = store_whistle_insert(d, a, order_id, k->id, note, viewer, now);
    bool ok = wid > 0;
    json_t *data = json_pack("{s:s, s:I, s:I}", "kind", k->id, "whistle_id", (json_int_t)wid,
                             "answer_minutes", (json_int_t)minutes);
    json_t *called = json_array();
    for (int i = 0; ok && i < orgs->nrows; i++) {
        int64_t org = db_get_int(orgs, i, 0);
        ok = store_whistle_call_insert(d, a, wid, order_id, org, now + minutes * 60) > 0;
        json_array_append_new(called, json_integer(org));
    }
    json_object_set_new(data, "department_ids", called);
    const char *text = arena_printf(a, "%s：%s", k->zh, note ? note : "请相关部门报到");
    ok = ok && order_note(d, who, o, "whistle", "whistle", arena_printf(a, "%lld", (long long)wid),
                          text, data, now);
    json_decref(data);
    if (!ok) {
        fprintf(stderr, "linli: whistle: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (store_order_stats_touch(d) < 0) { /* the dashboards show 吹哨 and 部门买单 */
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = wid};
}

struct svc_result svc_whistle_report(db *d, arena *a, const struct principal *who, int64_t call_id,
                                     const struct whistle_report_input *in)
{
    int64_t viewer = who ? who->account_id : 0;
    db_rows *c = store_whistle_call_get(d, a, call_id);
    if (!c || (viewer && !store_order_account_has_org(d, viewer, db_get_int(c, 0, WC_ORG))))
        return svc_fail(E_NOT_FOUND, NULL, "吹哨通知不存在或不是发给您所在部门的");
    const char *note;
    if (!text_ok(a, in->note, 500, &note))
        return svc_fail(E_BAD_INPUT, "note", "报到说明不能超过500个字，且不能含控制字符");
    if (db_get(c, 0, WC_ANSWERED_AT))
        return svc_fail(E_CONFLICT, NULL, "该部门已报到，不能重复报到");
    db_rows *o = store_order_get(d, a, 0, db_get_int(c, 0, WC_ORDER));
    if (!o) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t now = clock_now();
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int n = store_whistle_call_answer(d, call_id, viewer, note, now);
    if (n == 0) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "该部门已报到，不能重复报到");
    }
    bool late = now > db_get_int(c, 0, WC_DEADLINE);
    json_t *data = json_pack("{s:I, s:I, s:b}", "call_id", (json_int_t)call_id, "org_id",
                             (json_int_t)db_get_int(c, 0, WC_ORG), "late", late);
    const char *text = arena_printf(a, "%s报到%s%s%s", db_get(c, 0, WC_ORG_NAME),
                                    late ? "（超时）" : "", note ? "：" : "", note ? note : "");
    bool ok = n == 1 && order_note(d, who, o, "whistle_report", "whistle_call",
                                   arena_printf(a, "%lld", (long long)call_id), text, data, now);
    json_decref(data);
    if (!ok) {
        fprintf(stderr, "linli: whistle report: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (store_order_stats_touch(d) < 0) { /* the dashboards show 吹哨 and 部门买单 */
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = call_id};
}

/* One due whistle: claim its overdue calls, then escalate its order (system
 * actor) when the state machine allows it. 1 escalated, 0 nothing, -1 error. */
static int tick_one(db *d, arena *a, int64_t wid, int64_t order_id, const char *kind, int64_t now)
{
    if (db_begin(d) < 0) return -1;
    int n = store_whistle_calls_mark_overdue(d, wid, now);
    if (n <= 0) {
        db_rollback(d);
        return n < 0 ? -1 : 0;
    }
    db_rows *o = store_order_get(d, a, 0, order_id);
    enum order_state s;
    int to = o && order_state_parse(db_get(o, 0, OC_STATE), &s)
                 ? order_fsm_check(s, ORDER_EV_ESCALATE, ORDER_ACTOR_SYSTEM, NULL, NULL)
                 : -1;
    const struct whistle_kind_def *k = whistle_kind_find(kind);
    db_rows *late = store_whistle_overdue_orgs(d, a, wid);
    const char *names = "";
    for (int i = 0; late && i < late->nrows; i++)
        names = arena_printf(a, "%s%s%s", names, i ? "、" : "", db_get(late, i, 0));
    const char *note = arena_printf(a, "%s超时未报到：%s", k ? k->zh : kind, names);
    bool ok = o != NULL;
    int escalated = 0;
    if (ok && to >= 0) {
        /* up the tree through the state machine's own path: history, audit,
         * notifications and the 三率 counters, in this transaction */
        struct svc_result r = svc_order_system_event(d, a, order_id, ORDER_EV_ESCALATE, note, now);
        if (r.err) {
            db_rollback(d);
            return r.err == E_CONFLICT ? 0 : -1; /* changed meanwhile: the next tick */
        }
        escalated = 1;
    }
    json_t *data = json_pack("{s:I, s:s, s:i, s:b}", "whistle_id", (json_int_t)wid, "kind", kind,
                             "overdue_calls", n, "escalated", escalated);
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    const char *st = o ? db_get(o, 0, OC_STATE) : "";
    ok = ok &&
         (escalated || store_order_event_add(d, order_id, now, 0, "系统", "whistle_overdue", st, st,
                                             note, dj) == 1) &&
         audit_write(d, NULL, "overdue", "whistle", arena_printf(a, "%lld", (long long)wid),
                     db_get(o, 0, OC_PLACE), NULL, dj, arena_printf(a, "系统：%s", note)) >= 0;
    free(dj);
    if (!ok) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d) < 0 ? -1 : escalated;
}

int svc_whistles_tick(db *d, arena *a, time_t now)
{
    db_rows *due = store_whistles_due(d, a, (int64_t)now, 500);
    if (!due) return -1;
    int total = 0;
    for (int i = 0; i < due->nrows; i++) {
        int rc = tick_one(d, a, db_get_int(due, i, 0), db_get_int(due, i, 1), db_get(due, i, 2),
                          (int64_t)now);
        if (rc < 0) {
            fprintf(stderr, "linli: whistles tick: %s\n", db_errmsg(d));
            return -1;
        }
        total += rc;
    }
    return total;
}
