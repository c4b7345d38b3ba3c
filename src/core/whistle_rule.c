/* Pure rules of 吹哨报到, 部门买单, 督办 and 回访; see whistle_rule.h. */
#include "core/whistle_rule.h"

#include <stdio.h>
#include <string.h>

/* Limits: an emergency needs the departments within half an hour; a
 * publicity whistle can wait half a day. */
const struct whistle_kind_def whistle_kinds[] = {
    {"publicity", "宣传哨", 1, 240},
    {"emergency", "应急哨", 2, 30},
    {"enforcement", "执法哨", 3, 120},
    {"tackle", "攻坚哨", 4, 60},
};
const int whistle_kinds_count = (int)(sizeof whistle_kinds / sizeof whistle_kinds[0]);

const struct whistle_kind_def *whistle_kind_find(const char *s)
{
    for (int i = 0; s && i < whistle_kinds_count; i++)
        if (!strcmp(s, whistle_kinds[i].id) || !strcmp(s, whistle_kinds[i].zh))
            return &whistle_kinds[i];
    return NULL;
}

bool whistle_minutes_valid(long minutes)
{
    return minutes >= 1 && minutes <= WHISTLE_MINUTES_MAX;
}

enum whistle_call_state whistle_call_state_at(int64_t deadline, int64_t answered_at, int64_t now)
{
    if (answered_at > 0) return CALL_ANSWERED;
    return now > deadline ? CALL_OVERDUE : CALL_WAITING;
}

const char *whistle_call_state_id(enum whistle_call_state s)
{
    return s == CALL_ANSWERED ? "answered" : s == CALL_OVERDUE ? "overdue" : "waiting";
}

const char *whistle_call_state_zh(enum whistle_call_state s)
{
    return s == CALL_ANSWERED ? "已报到" : s == CALL_OVERDUE ? "超时未报到" : "待报到";
}

bool money_parse_yuan(const char *s, int64_t *fen)
{
    if (!s || !*s) return false;
    int64_t whole = 0;
    const char *p = s;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (whole > MONEY_MAX_FEN / 100) return false;
        whole = whole * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0) return false;
    int64_t cents = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        while (*p >= '0' && *p <= '9' && n < 3) {
            cents = cents * 10 + (*p++ - '0');
            n++;
        }
        if (n == 0 || n > 2) return false;
        if (n == 1) cents *= 10;
    }
    if (*p) return false;
    int64_t v = whole * 100 + cents;
    if (v > MONEY_MAX_FEN) return false;
    *fen = v;
    return true;
}

const char *money_format_yuan(int64_t fen, char *out, size_t outsz)
{
    const char *sign = fen < 0 ? "-" : "";
    long long v = fen < 0 ? -(long long)fen : (long long)fen;
    snprintf(out, outsz, "%s%lld.%02lld", sign, v / 100, v % 100);
    return out;
}

static const char *pair_zh(const char *const (*pairs)[2], size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (!strcmp(pairs[i][0], id)) return pairs[i][1];
    return NULL;
}
#define PAIR_ZH(p, id) pair_zh((p), sizeof(p) / sizeof((p)[0]), (id))

const char *order_tier_zh(const char *id)
{
    static const char *const t[][2] = {{"onsite", "现场处置"},
                                       {"dispatch", "派单处置"},
                                       {"consult", "协商处置"},
                                       {"tackle", "攻坚处置"},
                                       {"report_up", "上报处置"}};
    return PAIR_ZH(t, id);
}

const char *revisit_outcome_zh(const char *id)
{
    static const char *const t[][2] = {
        {"satisfied", "满意"}, {"unsatisfied", "不满意"}, {"problem_recurred", "问题复发"}};
    return PAIR_ZH(t, id);
}

const char *order_cost_state_zh(const char *id)
{
    static const char *const t[][2] = {
        {"proposed", "待确认"}, {"confirmed", "已确认"}, {"declined", "已拒绝"}};
    return PAIR_ZH(t, id);
}

bool supervision_overdue(int64_t deadline, int64_t closed_at, int64_t now)
{
    return closed_at <= 0 && now > deadline;
}
