/* 双评价 rules without SQL: the grades, the two sides, the year and its
 * bounds in China time (UTC+8, no daylight saving). */
#ifndef LINLI_DUAL_REVIEW_RULE_H
#define LINLI_DUAL_REVIEW_RULE_H
#include <stdbool.h>
#include <stdint.h>

/* excellent 优秀, competent 称职, basic 基本称职, incompetent 不称职; NULL if unknown. */
const char *dual_grade_zh(const char *grade);
/* The grade id of an id or its Chinese label, or NULL. */
const char *dual_grade_id(const char *s);
/* community 社区评价 / unit 单位评价; NULL if unknown. */
const char *dual_side_zh(const char *side);
/* The China-time year of Unix seconds t. */
int dual_year_of(int64_t t);
/* [from, to): 1 January 00:00 China time of year and of year + 1. */
void dual_year_bounds(int year, int64_t *from, int64_t *to);
/* Parses "2026" within 2000..this_year; an empty or NULL s gives this_year. */
bool dual_year_parse(const char *s, int this_year, int *year);

#endif
