/* 督办, 回访, tier and consultations; see svc_order_followups.h. */
#include "service/svc_order_followups.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/whistle_rule.h"
#include "service/svc_order_view.h"
#include "service/svc_tx.h"
#include "store/store_order_followups.h"
#include "store/store_orders.h"
#include "util/clock.h"
#include "util/text.h"

/* A date YYYY-MM-DD as the end of that day in China time (or its start when
 * start is true), or an RFC 3339 instant. false when neither. */
static bool parse_when(const char *s, bool start, int64_t *out)
{
    int y, m, dd;
    char tail;
    if (s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3 && y >= 2000 &&
        y <= 2100 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31) {
        struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd + (start ? 0 : 1)};
        *out = (int64_t)timegm(&tm) - CLOCK_CHINA_UTC_OFFSET_MIN * 60;
        return true;
    }
    time_t t;
    if (s && clock_parse_rfc3339(s, &t)) {
        *out = (int64_t)t;
        return true;
    }
    return false;
}

struct svc_result svc_followup_check(arena *a, enum order_event ev, const char *deadline,
                                     const char *revisit_outcome, int64_t now,
                                     int64_t *deadline_out)
{
    (void)a;
    *deadline_out = 0;
    if (ev == ORDER_EV_SUPERVISE) {
        if (!deadline || !*deadline) {
            *deadline_out = now + (int64_t)SUPERVISION_DAYS_DEFAULT * 86400;
            return (struct svc_result){0};
        }
        if (!parse_when(deadline, false, deadline_out) || *deadline_out <= now)
            return svc_fail(E_BAD_INPUT, "deadline", "督办期限应为今天以后的日期（如 2026-12-01）");
    }
    if (ev == ORDER_EV_REVISIT && !revisit_outcome_zh(revisit_outcome))
        return svc_fail(E_BAD_INPUT, "outcome",
                        "回访结果应为 satisfied（满意）、unsatisfied（不满意）或 "
                        "problem_recurred（问题复发）");
    return (struct svc_result){0};
}

/* The writes of svc_order_set_tier, checked. */
struct tier_write {
    const struct principal *who;
    const struct order_row *o;
    const char *tier, *tier_zh, *note, *participants, *outcome;
    bool consult;
    int64_t held, now;
};

static struct svc_result tier_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct tier_write *w = ctx;
    int64_t viewer = principal_viewer(w->who), cid = 0;
    if (store_order_set_tier(d, w->o->id, w->tier, w->now) != 1 ||
        (w->consult && w->outcome &&
         (cid = store_consultation_insert(d, a, w->o->id, w->held, w->participants, w->outcome,
                                          viewer, w->now)) <= 0))
        return svc_store_failed();
    json_t *data = json_pack("{s:s, s:s}", "from", w->o->tier, "to", w->tier);
    if (cid) {
        json_object_set_new(data, "consultation_id", json_integer(cid));
        json_object_set_new(data, "participants", json_string(w->participants));
        json_object_set_new(data, "outcome", json_string(w->outcome));
    }
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    const char *after = arena_strdup(a, dj);
    free(dj);
    const char *st = w->o->state;
    const char *text = arena_printf(a, "处置层级改为%s%s%s", w->tier_zh, w->note ? "：" : "",
                                    w->note ? w->note : "");
    const char *actor = w->who && w->who->username ? w->who->username : "cli";
    if (store_order_event_add(d, w->o->id, w->now, viewer, actor, "tier", st, st, text, after) != 1)
        return svc_store_failed();
    *au = (struct svc_audit){.action = "tier",
                             .entity = "order",
                             .entity_id = arena_printf(a, "%lld", (long long)w->o->id),
                             .place_code = w->o->place_code,
                             .before_json = arena_printf(a, "{\"tier\":\"%s\"}", w->o->tier),
                             .after_json = after,
                             .note = text};
    return (struct svc_result){.id = w->o->id};
}

struct svc_result svc_order_set_tier(db *d, arena *a, const struct principal *who, int64_t order_id,
                                     const struct svc_tier_input *in)
{
    struct order_row o;
    if (!store_order_read(d, a, principal_viewer(who), order_id, &o))
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors_of(d, who, &o) & ORDER_ACTOR_DISPATCHER))
        return svc_fail(E_FORBIDDEN, NULL, "只有派单人员可以设置处置层级");
    struct tier_write w = {.who = who, .o = &o, .tier = text_trim(a, in->tier)};
    w.tier_zh = order_tier_zh(w.tier);
    if (!w.tier_zh)
        return svc_fail(
            E_BAD_INPUT, "tier",
            "处置层级应为 onsite（现场处置）、dispatch（派单处置）、consult（协商处置）、"
            "tackle（攻坚处置）或 report_up（上报处置）");
    if (!text_optional(a, in->note, 500, &w.note))
        return svc_fail(E_BAD_INPUT, "note", "说明不能超过500个字，且不能含控制字符");
    if (!text_optional(a, in->participants, 500, &w.participants))
        return svc_fail(E_BAD_INPUT, "participants", "参会人员不能超过500个字");
    if (!text_optional(a, in->outcome, 2000, &w.outcome))
        return svc_fail(E_BAD_INPUT, "outcome", "协商结果不能超过2000个字");
    w.consult = !strcmp(w.tier, "consult");
    w.now = w.held = clock_now();
    if (w.consult && (w.participants || w.outcome)) {
        if (!w.participants) return svc_fail(E_BAD_INPUT, "participants", "请填写参加协商的人员");
        if (!w.outcome) return svc_fail(E_BAD_INPUT, "outcome", "请填写协商结果");
        if (in->held_at && *in->held_at &&
            (!parse_when(in->held_at, true, &w.held) || w.held > w.now))
            return svc_fail(E_BAD_INPUT, "held_at",
                            "协商日期应为今天或以前的日期（如 2026-11-20）");
    } else if (!w.consult && (w.participants || w.outcome))
        return svc_fail(E_BAD_INPUT, "outcome", "只有协商处置才能填写协商结果");
    enum order_state s;
    if (!order_state_parse(o.state, &s) || order_state_is_final(s))
        return svc_fail(E_CONFLICT, "tier", "已关闭的工单不能再设置处置层级");
    return svc_tx(d, a, who, "order tier", tier_tx, &w);
}
