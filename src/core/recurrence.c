/* Recurrence arithmetic; see recurrence.h. Dates are counted in days since
 * the epoch with H. Hinnant's civil-from-days algorithms, so month ends and
 * leap years fall out of the calendar rather than special cases. */
#include "core/recurrence.h"

#include <stdlib.h>
#include <string.h>

bool civil_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int civil_month_length(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && civil_leap(y) ? 29 : len[m - 1];
}

bool civil_parse(const char *s, struct civil_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    struct civil_date c = {atoi(s), atoi(s + 5), atoi(s + 8)};
    if (c.y < 1970 || c.m < 1 || c.m > 12 || c.d < 1 || c.d > civil_month_length(c.y, c.m))
        return false;
    *out = c;
    return true;
}

long civil_days(struct civil_date c)
{
    long y = c.y - (c.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (c.m + (c.m > 2 ? -3 : 9)) + 2) / 5 + c.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct civil_date civil_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (struct civil_date){(int)(yoe + era * 400 + (m <= 2)), m, d};
}

int civil_weekday(struct civil_date c)
{
    /* 1970-01-01 was a Thursday (3 counting from Monday = 0) */
    long w = (civil_days(c) + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

time_t china_time(struct civil_date c, int minute)
{
    return (time_t)civil_days(c) * 86400 + (time_t)minute * 60 - CHINA_OFFSET_S;
}

struct civil_date china_date(time_t t)
{
    long long s = (long long)t + CHINA_OFFSET_S;
    long days = (long)(s >= 0 ? s / 86400 : (s - 86399) / 86400);
    return civil_from_days(days);
}

int clock_minute_parse(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = atoi(s), m = atoi(s + 3);
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

bool china_parse_datetime(const char *s, time_t *out)
{
    if (!s) return false;
    size_t n = strlen(s);
    if (n == 16 && (s[10] == 'T' || s[10] == ' ')) {
        char date[11];
        memcpy(date, s, 10);
        date[10] = 0;
        struct civil_date c;
        int minute = clock_minute_parse(s + 11);
        if (!civil_parse(date, &c) || minute < 0) return false;
        *out = china_time(c, minute);
        return true;
    }
    return false;
}

int recur_expand(const struct recur_rule *r, time_t *out, int max)
{
    if (r->start_minute < 0 || r->start_minute >= 1440) return -1;
    long from = civil_days(r->from), until = civil_days(r->until);
    if (until < from) return -1;
    int n = 0;
    if (r->freq == RECUR_WEEKLY) {
        if ((r->weekdays & 0x7f) == 0 || r->weekdays > 0x7f) return -1;
        int wd = civil_weekday(r->from);
        for (long day = from; day <= until; day++, wd = (wd + 1) % 7) {
            if (!(r->weekdays & (1u << wd))) continue;
            if (n == max) return -2;
            out[n++] = china_time(civil_from_days(day), r->start_minute);
        }
        return n;
    }
    if (r->freq != RECUR_MONTHLY || r->month_day < 1 || r->month_day > 31) return -1;
    for (int y = r->from.y, m = r->from.m;;) {
        int len = civil_month_length(y, m);
        struct civil_date c = {y, m, r->month_day > len ? len : r->month_day};
        long day = civil_days(c);
        if (day > until) break;
        if (day >= from) {
            if (n == max) return -2;
            out[n++] = china_time(c, r->start_minute);
        }
        if (++m > 12) m = 1, y++;
    }
    return n;
}
