#include "core/points_rule.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *id, *zh;
} periods[PP__COUNT] = {
    [PP_DAY] = {"day", "每日"},
    [PP_WEEK] = {"week", "每周"},
    [PP_MONTH] = {"month", "每月"},
    [PP_YEAR] = {"year", "每年"},
};

bool points_period_parse(const char *s, enum points_period *out)
{
    for (int i = 0; s && i < PP__COUNT; i++)
        if (strcmp(s, periods[i].id) == 0 || strcmp(s, periods[i].zh) == 0) {
            *out = (enum points_period)i;
            return true;
        }
    return false;
}

const char *points_period_id(enum points_period p)
{
    return p < PP__COUNT ? periods[p].id : "month";
}

const char *points_period_zh(enum points_period p)
{
    return p < PP__COUNT ? periods[p].zh : "每月";
}

enum { CHINA_OFFSET = 8 * 3600, DAY = 86400 };

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void points_period_bounds(enum points_period p, int64_t t, int64_t *from, int64_t *to)
{
    int64_t days = floor_div(t + CHINA_OFFSET, DAY), y, m, d, f, e;
    civil_from_days(days, &y, &m, &d);
    switch (p) {
    case PP_DAY:
        f = days, e = days + 1;
        break;
    case PP_WEEK: {
        int64_t dow = ((days % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
        f = days - dow, e = f + 7;
        break;
    }
    case PP_YEAR:
        f = days_from_civil(y, 1, 1), e = days_from_civil(y + 1, 1, 1);
        break;
    case PP_MONTH:
    default:
        f = days_from_civil(y, m, 1);
        e = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
        break;
    }
    *from = f * DAY - CHINA_OFFSET;
    *to = e * DAY - CHINA_OFFSET;
}

int points_rule_pick(const struct points_rule *rules, int n, const char *community,
                     const char *source_type)
{
    int best = -1;
    size_t best_len = 0;
    for (int i = 0; community && source_type && i < n; i++) {
        const struct points_rule *r = &rules[i];
        if (!r->active || !r->place_code || !r->source_type) continue;
        if (strcmp(r->source_type, source_type) != 0) continue;
        size_t len = strlen(r->place_code);
        if (strncmp(community, r->place_code, len) != 0) continue;
        if (best < 0 || len > best_len) best = i, best_len = len;
    }
    return best;
}

int64_t points_cap_left(int64_t cap, int64_t used)
{
    if (cap <= 0) return INT64_MAX;
    return used >= cap ? 0 : cap - used;
}

bool points_fits(int64_t cap, int64_t used, int64_t points)
{
    return points > 0 && points <= POINTS_MAX && points <= points_cap_left(cap, used);
}

bool points_source_type_valid(const char *s)
{
    if (!s || !*s || !(*s >= 'a' && *s <= 'z')) return false;
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return false;
    return n <= POINTS_SOURCE_MAX;
}

bool points_day_parse(const char *ymd, int64_t *t)
{
    int y, m, d;
    char tail;
    if (!ymd || strlen(ymd) != 10 || sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 ? leap : 0)) return false;
    *t = days_from_civil(y, m, d) * DAY + 12 * 3600 - CHINA_OFFSET;
    return true;
}
