/* 督办, 回访, tier and consultations; see svc_order_followups.h. */
#include "service/svc_order_followups.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/whistle_rule.h"
#include "service/svc_orders.h"
#include "store/store_audit.h"
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

int svc_followup_record(db *d, int64_t order_id, int64_t account, enum order_event ev,
                        const char *to_state, const char *note, int64_t deadline,
                        const char *revisit_outcome, int64_t now)
{
    if (ev == ORDER_EV_SUPERVISE)
        return store_supervision_insert(d, order_id, account, note, deadline, now) == 1 ? 0 : -1;
    if (ev == ORDER_EV_REVISIT)
        return store_revisit_insert(d, order_id, account, note, revisit_outcome, now) == 1 ? 0 : -1;
    enum order_state s;
    if (to_state && order_state_parse(to_state, &s) &&
        (s == ORDER_RESOLVED || order_state_is_final(s)))
        return store_supervisions_close(d, order_id, now) >= 0 ? 0 : -1;
    return 0;
}

static bool text_ok(arena *a, const char *in, long max, const char **out)
{
    const char *t = text_trim(a, in);
    *out = t && *t ? t : NULL;
    long n = *out ? text_chars_printable(t) : 0;
    return n >= 0 && n <= max;
}

struct svc_result svc_order_set_tier(db *d, arena *a, const struct principal *who, int64_t order_id,
                                     const struct svc_tier_input *in)
{
    int64_t viewer = who ? who->account_id : 0;
    db_rows *o = store_order_get(d, a, viewer, order_id);
    if (!o) return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    if (!(svc_order_actors(d, who, o) & ORDER_ACTOR_DISPATCHER))
        return svc_fail(E_FORBIDDEN, NULL, "只有派单人员可以设置处置层级");
    const char *tier = text_trim(a, in->tier);
    const char *tier_zh = order_tier_zh(tier);
    if (!tier_zh)
        return svc_fail(
            E_BAD_INPUT, "tier",
            "处置层级应为 onsite（现场处置）、dispatch（派单处置）、consult（协商处置）、"
            "tackle（攻坚处置）或 report_up（上报处置）");
    const char *note, *participants, *outcome;
    if (!text_ok(a, in->note, 500, &note))
        return svc_fail(E_BAD_INPUT, "note", "说明不能超过500个字，且不能含控制字符");
    if (!text_ok(a, in->participants, 500, &participants))
        return svc_fail(E_BAD_INPUT, "participants", "参会人员不能超过500个字");
    if (!text_ok(a, in->outcome, 2000, &outcome))
        return svc_fail(E_BAD_INPUT, "outcome", "协商结果不能超过2000个字");
    bool consult = !strcmp(tier, "consult");
    int64_t now = clock_now(), held = now;
    if (consult && (participants || outcome)) {
        if (!participants) return svc_fail(E_BAD_INPUT, "participants", "请填写参加协商的人员");
        if (!outcome) return svc_fail(E_BAD_INPUT, "outcome", "请填写协商结果");
        if (in->held_at && *in->held_at && (!parse_when(in->held_at, true, &held) || held > now))
            return svc_fail(E_BAD_INPUT, "held_at",
                            "协商日期应为今天或以前的日期（如 2026-11-20）");
    } else if (!consult && (participants || outcome))
        return svc_fail(E_BAD_INPUT, "outcome", "只有协商处置才能填写协商结果");
    enum order_state s;
    if (!order_state_parse(db_get(o, 0, OC_STATE), &s) || order_state_is_final(s))
        return svc_fail(E_CONFLICT, "tier", "已关闭的工单不能再设置处置层级");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    bool ok = store_order_set_tier(d, order_id, tier, now) == 1;
    int64_t cid = 0;
    if (ok && consult && outcome)
        ok = (cid = store_consultation_insert(d, a, order_id, held, participants, outcome, viewer,
                                              now)) > 0;
    json_t *data = json_pack("{s:s, s:s}", "from", db_get(o, 0, OC_TIER), "to", tier);
    if (cid) {
        json_object_set_new(data, "consultation_id", json_integer(cid));
        json_object_set_new(data, "participants", json_string(participants));
        json_object_set_new(data, "outcome", json_string(outcome));
    }
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    const char *st = db_get(o, 0, OC_STATE);
    const char *text =
        arena_printf(a, "处置层级改为%s%s%s", tier_zh, note ? "：" : "", note ? note : "");
    const char *actor = who && who->username ? who->username : "cli";
    ok = ok &&
         store_order_event_add(d, order_id, now, viewer, actor, "tier", st, st, text, dj) == 1 &&
         audit_write(d, who, "tier", "order", db_get(o, 0, OC_ID), db_get(o, 0, OC_PLACE),
                     arena_printf(a, "{\"tier\":\"%s\"}", db_get(o, 0, OC_TIER)), dj, text) >= 0;
    free(dj);
    if (!ok) {
        fprintf(stderr, "linli: order tier: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = order_id};
}
