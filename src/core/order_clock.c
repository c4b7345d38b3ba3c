/* Counting time on a work order's clocks: calendar or working time, minus
 * suspensions. Everything is integer seconds; the calendar is walked day by
 * day in its own fixed UTC offset, so no time zone database is involved. */
#include "core/order_clock.h"

#include <limits.h>
#include <stddef.h>

#define INF LLONG_MAX

const int clock_cn2026_holidays[] = {
    20260101, 20260102, 20260103,                                         /* 元旦 */
    20260215, 20260216, 20260217, 20260218, 20260219, 20260220, 20260221, /* 春节 */
    20260222, 20260223,                                                   /* */
    20260404, 20260405, 20260406,                                         /* 清明节 */
    20260501, 20260502, 20260503, 20260504, 20260505,                     /* 劳动节 */
    20260619, 20260620, 20260621,                                         /* 端午节 */
    20260925, 20260926, 20260927,                                         /* 中秋节 */
    20261001, 20261002, 20261003, 20261004, 20261005, 20261006, 20261007, /* 国庆节 */
};
const int clock_cn2026_holidays_count =
    (int)(sizeof clock_cn2026_holidays / sizeof clock_cn2026_holidays[0]);
const int clock_cn2026_makeup_days[] = {20260104, 20260214, 20260228, 20260509, 20260920, 20261010};
const int clock_cn2026_makeup_count =
    (int)(sizeof clock_cn2026_makeup_days / sizeof clock_cn2026_makeup_days[0]);

void work_calendar_default(struct work_calendar *cal)
{
    *cal = (struct work_calendar){
        .workdays = 0x1f,
        .periods = {{8 * 60 + 30, 12 * 60}, {14 * 60 + 30, 18 * 60}},
        .nperiods = 2,
        .utc_offset_min = CLOCK_CHINA_UTC_OFFSET_MIN,
    };
}

void work_calendar_use_cn2026(struct work_calendar *cal)
{
    cal->holidays = clock_cn2026_holidays;
    cal->nholidays = clock_cn2026_holidays_count;
    cal->makeup_days = clock_cn2026_makeup_days;
    cal->nmakeup = clock_cn2026_makeup_count;
}

static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = floor_div(y, 400);
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int civil_from_days(long long z)
{
    z += 719468;
    long long era = floor_div(z, 146097);
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

/* yyyymmdd → day number; false for an invalid date. */
static bool ymd_to_days(int ymd, long long *z)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (ymd <= 0 || m < 1 || m > 12 || d < 1 || d > 31) return false;
    *z = days_from_civil(y, m, d);
    return civil_from_days(*z) == ymd;
}

static bool in_list(const int *list, int n, int v)
{
    for (int i = 0; list && i < n; i++)
        if (list[i] == v) return true;
    return false;
}

static bool working_day(const struct work_calendar *cal, long long z)
{
    int ymd = civil_from_days(z);
    if (in_list(cal->makeup_days, cal->nmakeup, ymd)) return true;
    if (in_list(cal->holidays, cal->nholidays, ymd)) return false;
    long long wd = z + 3 - floor_div(z + 3, 7) * 7; /* 0 = Monday; 1970-01-01 was a Thursday */
    return (cal->workdays >> wd) & 1u;
}

bool work_calendar_is_working_day(const struct work_calendar *cal, int yyyymmdd)
{
    long long z;
    if (!cal || !ymd_to_days(yyyymmdd, &z)) return false;
    return working_day(cal, z);
}

int clock_local_date(time_t t, int utc_offset_min)
{
    return civil_from_days(floor_div((long long)t + utc_offset_min * 60LL, 86400));
}

time_t clock_make_local(int yyyymmdd, int hour, int minute, int utc_offset_min)
{
    long long z;
    if (!ymd_to_days(yyyymmdd, &z)) return CLOCK_NONE;
    return (time_t)(z * 86400 + hour * 3600LL + minute * 60LL - utc_offset_min * 60LL);
}

/* The first stretch of working time that ends after t, clipped to start no
 * earlier than t: [*a, *b). Without a calendar all time is working time.
 * False when none starts within CLOCK_SEARCH_DAYS. */
static bool next_work(const struct work_calendar *cal, long long t, long long *a, long long *b)
{
    if (!cal) {
        *a = t;
        *b = INF;
        return true;
    }
    long long off = cal->utc_offset_min * 60LL;
    long long z0 = floor_div(t + off, 86400);
    for (long long z = z0; z < z0 + CLOCK_SEARCH_DAYS; z++) {
        if (!working_day(cal, z)) continue;
        long long day = z * 86400 - off;
        for (int i = 0; i < cal->nperiods && i < CLOCK_MAX_PERIODS; i++) {
            long long s = day + cal->periods[i].start_min * 60LL;
            long long e = day + cal->periods[i].end_min * 60LL;
            if (e <= s || e <= t) continue;
            *a = s > t ? s : t;
            *b = e;
            return true;
        }
    }
    return false;
}

static long long susp_end(const struct clock_interval *iv)
{
    return iv->end == CLOCK_OPEN_END ? INF : (long long)iv->end;
}

/* Move p past every suspension covering it (INF inside an open one). */
static long long skip_suspended(long long p, const struct clock_interval *susp, int n)
{
    bool moved = true;
    while (moved && p != INF) {
        moved = false;
        for (int i = 0; i < n; i++) {
            long long s = susp[i].start, e = susp_end(&susp[i]);
            if (s <= p && p < e) {
                p = e;
                moved = true;
            }
        }
    }
    return p;
}

/* The first suspension start after p, capped at b. */
static long long next_suspension(long long p, long long b, const struct clock_interval *susp, int n)
{
    for (int i = 0; i < n; i++) {
        long long s = susp[i].start;
        if (susp_end(&susp[i]) > s && s > p && s < b) b = s;
    }
    return b;
}

long long clock_counted(time_t from, time_t to, const struct clock_interval *susp, int nsusp,
                        const struct work_calendar *cal)
{
    if (!susp) nsusp = 0;
    long long total = 0, t = from, end = to;
    while (t < end) {
        long long a, b;
        if (!next_work(cal, t, &a, &b) || a >= end) break;
        if (b > end) b = end;
        for (long long p = a; p < b;) {
            p = skip_suspended(p, susp, nsusp);
            if (p >= b) break;
            long long q = next_suspension(p, b, susp, nsusp);
            total += q - p;
            p = q;
        }
        t = b;
    }
    return total;
}

time_t clock_deadline(time_t from, long long limit_seconds, const struct clock_interval *susp,
                      int nsusp, const struct work_calendar *cal)
{
    if (limit_seconds <= 0) return from;
    if (!susp) nsusp = 0;
    long long left = limit_seconds, t = from;
    long long horizon = (long long)from + CLOCK_SEARCH_DAYS * 86400LL;
    while (t < horizon) {
        long long a, b;
        if (!next_work(cal, t, &a, &b)) return CLOCK_NONE;
        for (long long p = a; p < b;) {
            p = skip_suspended(p, susp, nsusp);
            if (p == INF) return CLOCK_NONE; /* suspended for good: no deadline */
            if (p >= b) break;
            long long q = next_suspension(p, b, susp, nsusp);
            if (q - p >= left) return (time_t)(p + left);
            left -= q - p;
            p = q;
        }
        t = b;
    }
    return CLOCK_NONE;
}

time_t clock_warning_at(time_t from, long long limit_seconds, int percent,
                        const struct clock_interval *susp, int nsusp,
                        const struct work_calendar *cal)
{
    if (percent < 1 || percent > 100) percent = ORDER_WARN_PERCENT_DEFAULT;
    return clock_deadline(from, limit_seconds * percent / 100, susp, nsusp, cal);
}

long long clock_remaining(time_t from, time_t now, long long limit_seconds,
                          const struct clock_interval *susp, int nsusp,
                          const struct work_calendar *cal)
{
    return limit_seconds - clock_counted(from, now, susp, nsusp, cal);
}

enum clock_status clock_status(time_t from, time_t at, long long limit_seconds, int percent,
                               const struct clock_interval *susp, int nsusp,
                               const struct work_calendar *cal)
{
    if (percent < 1 || percent > 100) percent = ORDER_WARN_PERCENT_DEFAULT;
    long long c = clock_counted(from, at, susp, nsusp, cal);
    if (c > limit_seconds) return CLOCK_BREACHED;
    if (c >= limit_seconds * percent / 100) return CLOCK_WARNING;
    return CLOCK_OK;
}

bool clock_breached(time_t from, time_t at, long long limit_seconds,
                    const struct clock_interval *susp, int nsusp, const struct work_calendar *cal)
{
    return clock_counted(from, at, susp, nsusp, cal) > limit_seconds;
}
