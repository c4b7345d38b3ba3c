/* 事项分类: the vocabularies of a category (handling tier 处置层级, whistle kind
 * 吹哨类型), the seed tree taken from the seeds' examples (路灯修缮, 房屋漏水 …)
 * as a static table, its self-check, and the "1小时响应 · 24小时办结" wording.
 * Pure data and functions: the service inserts the seed into an empty table. */
#ifndef LINLI_CATEGORY_SEED_H
#define LINLI_CATEGORY_SEED_H
#include <stdbool.h>
#include <stddef.h>

#define CATEGORY_RESPONSE_DEFAULT   60              /* minutes: 1小时响应 */
#define CATEGORY_RESOLUTION_DEFAULT 1440            /* minutes: 24小时办结 */
#define CATEGORY_LIMIT_MAX          (60 * 24 * 366) /* a year, in minutes */

struct category_seed {
    const char *code;   /* stable; also the Open311 service_code */
    const char *parent; /* code of the parent, NULL for a top-level group */
    const char *name, *description;
    int response_minutes, resolution_minutes;
    bool working_hours;  /* limits count working hours (holiday calendar) */
    const char *tier;    /* id of category_tiers */
    const char *skill;   /* 专业属性 as volunteers record it (水电维修 …), NULL: none */
    const char *whistle; /* id of category_whistles, NULL: none */
};
extern const struct category_seed category_seeds[];
extern const int category_seeds_count;

struct category_term {
    const char *id, *zh;
};
/* 现场处置 onsite, 派单处置 dispatch, 协商处置 consult, 攻坚处置 tackle, 上报处置 report_up. */
extern const struct category_term category_tiers[];
extern const int category_tiers_count;
/* 宣传哨 publicity, 应急哨 emergency, 执法哨 enforcement, 攻坚哨 tackle. */
extern const struct category_term category_whistles[];
extern const int category_whistles_count;
/* 主责 lead, 配合 assist: a responsibility's role. */
extern const struct category_term category_resp_roles[];
extern const int category_resp_roles_count;

/* The id for an id or Chinese label of the list, NULL if neither. */
const char *category_term_parse(const struct category_term *list, int n, const char *s);
/* The Chinese label of an id, NULL if unknown. */
const char *category_term_zh(const struct category_term *list, int n, const char *id);

/* A code: 1..40 of [a-z0-9_], starting with a letter. */
bool category_code_valid(const char *code);
/* A limit in minutes: 1..CATEGORY_LIMIT_MAX. */
bool category_limit_valid(long minutes);

/* "1小时", "30分钟", "1天", "2小时30分钟" … into out; returns out. */
const char *category_duration_zh(long minutes, char *out, size_t outsz);
/* "1小时响应 · 24小时办结" (with "（工作时间）" when working hours). */
const char *category_limits_zh(long response, long resolution, bool working_hours, char *out,
                               size_t outsz);

/* Checks the seed table: unique valid codes, parents exist and come first,
 * limits valid and response ≤ resolution, tiers and whistles known. Returns 0,
 * or -1 with a description of the first problem in msg. */
int category_seed_check(char *msg, size_t msgsz);

#endif
