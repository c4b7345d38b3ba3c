/* Recurring activities 周期活动: the occurrences of a rule as instants, in
 * China time (UTC+8, no daylight saving). Pure arithmetic on civil dates; the
 * service stores each occurrence as its own row.
 *
 * Weekly: on the given weekdays (bit 0 Monday … bit 6 Sunday) of every week.
 * Monthly: on day month_day of every month. A month without that day (the
 * 31st in April, the 29th–31st in February) gets its occurrence on its LAST
 * day instead — "每月31日" means "每月最后一天" in short months, so no month
 * is silently skipped (docs/activities.md).
 * Occurrences run from the start date to the until date, both included. */
#ifndef LINLI_RECURRENCE_H
#define LINLI_RECURRENCE_H
#include <stdbool.h>
#include <time.h>

#define RECUR_MAX_OCCURRENCES 200 /* about four years weekly on one day */
#define CHINA_OFFSET_S        (8 * 3600)

enum recur_freq { RECUR_WEEKLY, RECUR_MONTHLY };

struct civil_date {
    int y, m, d;
};

struct recur_rule {
    enum recur_freq freq;
    unsigned weekdays; /* weekly: bit 0 Monday … bit 6 Sunday */
    int month_day;     /* monthly: 1–31 */
    struct civil_date from, until;
    int start_minute; /* local minute of the day, 0–1439 */
};

/* Parses "YYYY-MM-DD" into a valid date; false if malformed. */
bool civil_parse(const char *s, struct civil_date *out);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long civil_days(struct civil_date c);
struct civil_date civil_from_days(long days);
int civil_month_length(int y, int m);
bool civil_leap(int y);
/* 0 Monday … 6 Sunday. */
int civil_weekday(struct civil_date c);
/* The instant of a local (UTC+8) date and minute of the day. */
time_t china_time(struct civil_date c, int minute);
/* The local (UTC+8) date of an instant. */
struct civil_date china_date(time_t t);

/* Parses a China local "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" (a page's
 * datetime-local field); RFC 3339 is util/clock.h's business. */
bool china_parse_datetime(const char *s, time_t *out);
/* Parses "HH:MM" into the minute of the day; -1 when malformed. */
int clock_minute_parse(const char *s);

/* Writes the start instants of the rule's occurrences, ascending, into
 * out[0..max). Returns their number, -1 when the rule is invalid (no
 * weekday, month_day out of range, until before from, minute out of range)
 * and -2 when there would be more than max. */
int recur_expand(const struct recur_rule *r, time_t *out, int max);

#endif
