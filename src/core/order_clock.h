/* The clocks of a work order (限时联系, "1小时响应、24小时办结").
 *
 * Two clocks start when the order is accepted (已受理): the response clock
 * stops at the assignee's first contact (接单并联系), the resolution clock at
 * 已办结. Time while the order is suspended (挂起) does not count. A limit is
 * counted in calendar time by default; a category may count working time
 * instead, given a work calendar: working weekdays, working periods of the
 * day, holidays, and 调休 make-up working days (a weekend date that is a
 * working day). Instants are time_t (UTC seconds); the calendar is read in
 * its own fixed UTC offset (China time, UTC+8, no daylight saving).
 *
 * A limit "ends exactly at a boundary": the deadline is the first instant at
 * which the counted time reaches the limit, so 4 working hours from 08:00
 * with a 12:00 lunch break end at 12:00, not at 14:30. A clock is breached
 * when the counted time EXCEEDS the limit: stopping exactly at the deadline is
 * within the limit.
 * Pure: C standard library only (time_t as a number; no localtime). */
#ifndef LINLI_ORDER_CLOCK_H
#define LINLI_ORDER_CLOCK_H
#include <stdbool.h>
#include <time.h>

#define ORDER_RESPONSE_LIMIT_DEFAULT   3600L        /* 1小时响应 */
#define ORDER_RESOLUTION_LIMIT_DEFAULT 86400L       /* 24小时办结 */
#define ORDER_WARN_PERCENT_DEFAULT     80           /* warn at 80 % of the limit */
#define CLOCK_CHINA_UTC_OFFSET_MIN     480          /* UTC+8 */
#define CLOCK_NONE                     ((time_t)-1) /* no deadline (see clock_deadline) */
#define CLOCK_OPEN_END                 ((time_t)0)  /* a suspension not yet resumed */
#define CLOCK_MAX_PERIODS              4
/* How far clock_deadline() looks ahead before giving up (a calendar with no
 * working time at all, or an open suspension). */
#define CLOCK_SEARCH_DAYS 3660

/* One suspension [start, end). end == CLOCK_OPEN_END means still suspended:
 * the interval runs on for ever. Any other end ≤ start is an empty interval
 * (suspended and resumed in the same second). Intervals may be given in any
 * order and may overlap. */
struct clock_interval {
    time_t start;
    time_t end;
};

/* A working period of the day, in minutes after local midnight: [start, end). */
struct work_period {
    int start_min;
    int end_min;
};

/* A work calendar. Dates are integers yyyymmdd in local time (20261001).
 * A date is a working day when it is a make-up day (调休), else when it is not
 * a holiday and its weekday is in workdays. The arrays are borrowed, not
 * copied: they must outlive the calendar's use. */
struct work_calendar {
    unsigned workdays; /* bit 0 Monday … bit 6 Sunday; 0x1f = Monday–Friday */
    struct work_period periods[CLOCK_MAX_PERIODS]; /* ascending, not overlapping */
    int nperiods;
    const int *holidays; /* dates off */
    int nholidays;
    const int *makeup_days; /* 调休: dates that are working days whatever their weekday */
    int nmakeup;
    int utc_offset_min; /* local time = UTC + this; 480 for China */
};

/* Monday–Friday, 08:30–12:00 and 14:30–18:00, UTC+8, no holidays. */
void work_calendar_default(struct work_calendar *cal);

/* The official 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知,
 * 2025-11-04): every day off of the seven holidays, and the six 调休 working
 * days (1-4, 2-14, 2-28, 5-9, 9-20, 10-10). Set them on a calendar with
 * work_calendar_use_cn2026(); a county may configure its own lists instead. */
extern const int clock_cn2026_holidays[];
extern const int clock_cn2026_holidays_count;
extern const int clock_cn2026_makeup_days[];
extern const int clock_cn2026_makeup_count;
void work_calendar_use_cn2026(struct work_calendar *cal);

/* Is the local date (yyyymmdd) a working day of cal? False for invalid dates. */
bool work_calendar_is_working_day(const struct work_calendar *cal, int yyyymmdd);
/* The local date (yyyymmdd) of an instant at a UTC offset in minutes. */
int clock_local_date(time_t t, int utc_offset_min);
/* The instant of a local date and time (hh:mm) at a UTC offset; for tests and
 * for configuration screens. */
time_t clock_make_local(int yyyymmdd, int hour, int minute, int utc_offset_min);

/* Counted seconds in [from, to): outside every suspension and, when cal is
 * not NULL, inside its working time. 0 when to ≤ from. susp may be NULL when
 * nsusp is 0. */
long long clock_counted(time_t from, time_t to, const struct clock_interval *susp, int nsusp,
                        const struct work_calendar *cal);

/* The first instant at which the time counted from `from` reaches
 * limit_seconds: the deadline. limit ≤ 0 gives `from`. CLOCK_NONE when it is
 * never reached within CLOCK_SEARCH_DAYS (an open suspension that began
 * before the deadline; a calendar without working time). The deadline moves
 * when a suspension is added, so compute it again after every 挂起/恢复. */
time_t clock_deadline(time_t from, long long limit_seconds, const struct clock_interval *susp,
                      int nsusp, const struct work_calendar *cal);

/* The warning instant: the deadline of percent % of the limit (rounded down
 * to the second). percent outside 1..100 uses ORDER_WARN_PERCENT_DEFAULT. */
time_t clock_warning_at(time_t from, long long limit_seconds, int percent,
                        const struct clock_interval *susp, int nsusp,
                        const struct work_calendar *cal);

/* Seconds left at `now` (limit minus counted time; negative once breached),
 * for live countdowns. */
long long clock_remaining(time_t from, time_t now, long long limit_seconds,
                          const struct clock_interval *susp, int nsusp,
                          const struct work_calendar *cal);

enum clock_status {
    CLOCK_OK = 0,       /* less than percent % of the limit counted */
    CLOCK_WARNING = 1,  /* at least percent %, not beyond the limit */
    CLOCK_BREACHED = 2, /* more than the limit counted */
};
/* The status of a clock started at `from` and stopped (or read) at `at`. */
enum clock_status clock_status(time_t from, time_t at, long long limit_seconds, int percent,
                               const struct clock_interval *susp, int nsusp,
                               const struct work_calendar *cal);
/* Counted time from `from` to `at` exceeds the limit. */
bool clock_breached(time_t from, time_t at, long long limit_seconds,
                    const struct clock_interval *susp, int nsusp, const struct work_calendar *cal);

#endif
