/* 吹哨报到, 部门买单, 督办 and 回访: the pure rules. The four whistle kinds of
 * 八公山区's "一级宣传哨、二级应急哨、三级执法哨、四级攻坚哨" with their default
 * answer (报到) limits; the state of one call (waiting / answered / overdue,
 * computed from its deadline at read time, so lists are right without the
 * tick); money in 分 parsed from and printed as 元 with two decimals; the
 * handling tiers and revisit outcomes. C standard library only. */
#ifndef LINLI_WHISTLE_RULE_H
#define LINLI_WHISTLE_RULE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct whistle_kind_def {
    const char *id, *zh; /* publicity 宣传哨 … */
    int level;           /* 一级 … 四级 */
    int answer_minutes;  /* default 报到 limit */
};
extern const struct whistle_kind_def whistle_kinds[];
extern const int whistle_kinds_count;
/* The kind for an id or Chinese label, NULL for anything else. */
const struct whistle_kind_def *whistle_kind_find(const char *s);

#define WHISTLE_MINUTES_MAX (60 * 24 * 30) /* 30 days */
bool whistle_minutes_valid(long minutes);

enum whistle_call_state {
    CALL_WAITING = 0,  /* 待报到 */
    CALL_ANSWERED = 1, /* 已报到 (also when it came late) */
    CALL_OVERDUE = 2,  /* 超时未报到: deadline passed, no answer */
};
/* The state at `now`: answered if answered_at > 0; else overdue when now is
 * past the deadline (reaching the deadline exactly is still on time). */
enum whistle_call_state whistle_call_state_at(int64_t deadline, int64_t answered_at, int64_t now);
const char *whistle_call_state_id(enum whistle_call_state s); /* waiting answered overdue */
const char *whistle_call_state_zh(enum whistle_call_state s); /* 待报到 已报到 超时未报到 */

/* Money. Parses "120", "120.5", "120.50", "0.01" (元, at most two decimals,
 * no sign, no exponent, at most 100,000,000 元) into 分. false for anything
 * else (leaving *fen alone). */
#define MONEY_MAX_FEN 10000000000LL
bool money_parse_yuan(const char *s, int64_t *fen);
/* "120.50" (no unit) into out; returns out. */
const char *money_format_yuan(int64_t fen, char *out, size_t outsz);

/* 处置层级: onsite 现场处置, dispatch 派单处置, consult 协商处置, tackle 攻坚处置,
 * report_up 上报处置. NULL when unknown. */
const char *order_tier_zh(const char *id);
/* 回访结果: satisfied 满意, unsatisfied 不满意, problem_recurred 问题复发. */
const char *revisit_outcome_zh(const char *id);
/* 费用状态: proposed 待确认, confirmed 已确认, declined 已拒绝. */
const char *order_cost_state_zh(const char *id);

/* 督办: the default deadline when none is given, and whether an open
 * supervision is overdue at now. */
#define SUPERVISION_DAYS_DEFAULT 3
bool supervision_overdue(int64_t deadline, int64_t closed_at, int64_t now);

#endif
