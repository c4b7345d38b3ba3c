/* The rules of 服务换积分, pure: which rule applies to an award, the period a
 * cap counts over, and the cap arithmetic. No SQL, no HTTP. */
#ifndef LINLI_POINTS_RULE_H
#define LINLI_POINTS_RULE_H
#include <stdbool.h>
#include <stdint.h>

enum points_period { PP_DAY, PP_WEEK, PP_MONTH, PP_YEAR, PP__COUNT };

#define POINTS_MAX        100000 /* one award, one price, one cap */
#define POINTS_SOURCE_MAX 32     /* characters of a source type */

bool points_period_parse(const char *s, enum points_period *out);
const char *points_period_id(enum points_period p);
const char *points_period_zh(enum points_period p); /* 每日 每周 每月 每年 */

/* [*from, *to) in Unix seconds: the day, week (Monday first), month or year
 * containing t in China time (UTC+8, no daylight saving). */
void points_period_bounds(enum points_period p, int64_t t, int64_t *from, int64_t *to);

struct points_rule {
    const char *place_code; /* the community, or a division above it */
    const char *source_type;
    int64_t points, cap; /* cap 0: no cap */
    enum points_period period;
    bool active;
};

/* The rule for an award at community: the active rule of that source type
 * whose place is the community or the nearest division above it (place codes
 * are materialised paths: an ancestor's code is a prefix). -1: none. */
int points_rule_pick(const struct points_rule *rules, int n, const char *community,
                     const char *source_type);

/* Points a person may still receive in the period: cap − used, never below
 * zero; INT64_MAX when cap is 0 (no cap). */
int64_t points_cap_left(int64_t cap, int64_t used);

/* Whether an award of points fits: 0 < points ≤ POINTS_MAX and ≤ the cap left. */
bool points_fits(int64_t cap, int64_t used, int64_t points);

/* A date YYYY-MM-DD as the Unix second of its noon in China time (a moment
 * inside that day, for points_period_bounds). false when it is not a date. */
bool points_day_parse(const char *ymd, int64_t *t);

/* Source types are ids: 1–32 of [a-z0-9_], starting with a letter. */
bool points_source_type_valid(const char *s);

#endif
