#include "core/dual_review_rule.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const grades[][2] = {
    {"excellent", "优秀"}, {"competent", "称职"}, {"basic", "基本称职"}, {"incompetent", "不称职"}};
enum { NGRADES = (int)(sizeof grades / sizeof grades[0]) };

const char *dual_grade_zh(const char *grade)
{
    for (int i = 0; grade && i < NGRADES; i++)
        if (!strcmp(grades[i][0], grade)) return grades[i][1];
    return NULL;
}

const char *dual_grade_id(const char *s)
{
    for (int i = 0; s && i < NGRADES; i++)
        if (!strcmp(grades[i][0], s) || !strcmp(grades[i][1], s)) return grades[i][0];
    return NULL;
}

const char *dual_side_zh(const char *side)
{
    if (side && !strcmp(side, "community")) return "社区评价";
    if (side && !strcmp(side, "unit")) return "单位评价";
    return NULL;
}

int dual_year_of(int64_t t)
{
    time_t local = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&local, &tm);
    return tm.tm_year + 1900;
}

void dual_year_bounds(int year, int64_t *from, int64_t *to)
{
    struct tm a = {.tm_year = year - 1900, .tm_mon = 0, .tm_mday = 1};
    struct tm b = {.tm_year = year + 1 - 1900, .tm_mon = 0, .tm_mday = 1};
    *from = (int64_t)timegm(&a) - 8 * 3600;
    *to = (int64_t)timegm(&b) - 8 * 3600;
}

bool dual_year_parse(const char *s, int this_year, int *year)
{
    if (!s || !*s) {
        *year = this_year;
        return true;
    }
    if (strlen(s) != 4) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    int y = atoi(s);
    if (y < 2000 || y > this_year) return false;
    *year = y;
    return true;
}
