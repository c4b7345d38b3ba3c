/* Unit tests for core/order_clock: calendar and working-time clocks,
 * suspensions (across nights and holidays), the 2026 National Day holiday and
 * its 调休 Saturday, limits ending exactly at a boundary, warnings at 80 %,
 * and the "1小时响应、24小时办结" defaults. All times are China time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/order_clock.h"

#define H   3600LL
#define MIN 60LL

/* A China-time instant. */
static time_t L(int ymd, int hh, int mm)
{
    return clock_make_local(ymd, hh, mm, CLOCK_CHINA_UTC_OFFSET_MIN);
}

static struct work_calendar cal2026(void)
{
    struct work_calendar c;
    work_calendar_default(&c);
    work_calendar_use_cn2026(&c);
    return c;
}

static void test_dates(void **state)
{
    (void)state;
    /* 2026-10-01 00:00 China time is 2026-09-30 16:00 UTC. */
    assert_int_equal((long long)L(20261001, 0, 0), 1790784000LL);
    assert_int_equal(clock_local_date(L(20261001, 0, 0), 480), 20261001);
    assert_int_equal(clock_local_date(L(20261001, 0, 0) - 1, 480), 20260930);
    assert_int_equal(clock_local_date(L(20261001, 0, 0), 0), 20260930);
    assert_int_equal(clock_local_date(L(20240229, 12, 0), 480), 20240229);
    assert_int_equal((long long)clock_make_local(20260230, 0, 0, 480), (long long)CLOCK_NONE);

    struct work_calendar plain, c = cal2026();
    work_calendar_default(&plain);
    assert_true(work_calendar_is_working_day(&plain, 20261001));  /* a Thursday */
    assert_false(work_calendar_is_working_day(&plain, 20261003)); /* a Saturday */
    assert_false(work_calendar_is_working_day(&plain, 20261010)); /* a Saturday */
    assert_false(work_calendar_is_working_day(&c, 20261001));     /* 国庆节 */
    assert_false(work_calendar_is_working_day(&c, 20261007));
    assert_true(work_calendar_is_working_day(&c, 20261008));
    assert_true(work_calendar_is_working_day(&c, 20261010)); /* 调休 Saturday */
    assert_true(work_calendar_is_working_day(&c, 20260920)); /* 调休 Sunday */
    assert_false(work_calendar_is_working_day(&c, 20261011));
    assert_false(work_calendar_is_working_day(&c, 20260230));
    assert_false(work_calendar_is_working_day(&c, 0));
    assert_false(work_calendar_is_working_day(NULL, 20261008));

    /* The 2026 lists: 33 days off, 6 make-up days, all of them weekends. */
    assert_int_equal(clock_cn2026_holidays_count, 33);
    assert_int_equal(clock_cn2026_makeup_count, 6);
    for (int i = 0; i < clock_cn2026_makeup_count; i++) {
        assert_false(work_calendar_is_working_day(&plain, clock_cn2026_makeup_days[i]));
        assert_true(work_calendar_is_working_day(&c, clock_cn2026_makeup_days[i]));
    }
    for (int i = 0; i < clock_cn2026_holidays_count; i++)
        assert_false(work_calendar_is_working_day(&c, clock_cn2026_holidays[i]));
}

/* "1小时响应、24小时办结" in calendar hours, with the 80 % warning. */
static void test_defaults(void **state)
{
    (void)state;
    time_t acc = L(20260310, 9, 0);
    assert_int_equal(clock_deadline(acc, ORDER_RESPONSE_LIMIT_DEFAULT, NULL, 0, NULL), acc + H);
    assert_int_equal(clock_deadline(acc, ORDER_RESOLUTION_LIMIT_DEFAULT, NULL, 0, NULL),
                     L(20260311, 9, 0));
    assert_int_equal(clock_warning_at(acc, ORDER_RESPONSE_LIMIT_DEFAULT, ORDER_WARN_PERCENT_DEFAULT,
                                      NULL, 0, NULL),
                     acc + 48 * MIN);
    assert_int_equal(clock_warning_at(acc, ORDER_RESOLUTION_LIMIT_DEFAULT, 80, NULL, 0, NULL),
                     acc + 69120);
    /* Percent out of range falls back to 80 %. */
    assert_int_equal(clock_warning_at(acc, H, 0, NULL, 0, NULL), acc + 48 * MIN);
    assert_int_equal(clock_warning_at(acc, H, 150, NULL, 0, NULL), acc + 48 * MIN);
    assert_int_equal(clock_warning_at(acc, H, 50, NULL, 0, NULL), acc + 30 * MIN);

    long long lim = ORDER_RESPONSE_LIMIT_DEFAULT;
    assert_int_equal(clock_status(acc, acc + 48 * MIN - 1, lim, 80, NULL, 0, NULL), CLOCK_OK);
    assert_int_equal(clock_status(acc, acc + 48 * MIN, lim, 80, NULL, 0, NULL), CLOCK_WARNING);
    assert_int_equal(clock_status(acc, acc + H, lim, 80, NULL, 0, NULL), CLOCK_WARNING);
    assert_int_equal(clock_status(acc, acc + H + 1, lim, 80, NULL, 0, NULL), CLOCK_BREACHED);
    /* Contact exactly at the deadline is within the limit. */
    assert_false(clock_breached(acc, acc + H, lim, NULL, 0, NULL));
    assert_true(clock_breached(acc, acc + H + 1, lim, NULL, 0, NULL));
    assert_int_equal(clock_remaining(acc, acc + 10 * MIN, lim, NULL, 0, NULL), 50 * MIN);
    assert_int_equal(clock_remaining(acc, acc + 2 * H, lim, NULL, 0, NULL), -H);
}

static void test_suspension_calendar_time(void **state)
{
    (void)state;
    time_t acc = L(20260310, 10, 0);
    struct clock_interval s1[] = {{L(20260310, 10, 20), L(20260310, 12, 20)}};
    assert_int_equal(clock_deadline(acc, H, s1, 1, NULL), L(20260310, 13, 0));
    assert_int_equal(clock_counted(acc, L(20260310, 13, 0), s1, 1, NULL), H);
    assert_int_equal(clock_counted(acc, L(20260310, 11, 0), s1, 1, NULL), 20 * MIN);
    assert_false(clock_breached(acc, L(20260310, 13, 0), H, s1, 1, NULL));
    assert_true(clock_breached(acc, L(20260310, 13, 1), H, s1, 1, NULL));

    /* Still suspended: the clock stands, no deadline after the suspension began. */
    struct clock_interval open[] = {{L(20260310, 10, 30), CLOCK_OPEN_END}};
    assert_int_equal(clock_deadline(acc, H, open, 1, NULL), CLOCK_NONE);
    assert_int_equal(clock_deadline(acc, 20 * MIN, open, 1, NULL), L(20260310, 10, 20));
    assert_int_equal(clock_counted(acc, L(20260320, 15, 0), open, 1, NULL), 30 * MIN);

    /* Overlapping, unordered suspensions; an empty one (resumed the same second). */
    struct clock_interval many[] = {
        {L(20260310, 11, 0), L(20260310, 11, 30)},
        {L(20260310, 10, 10), L(20260310, 10, 40)},
        {L(20260310, 10, 30), L(20260310, 11, 10)},
        {L(20260310, 12, 0), L(20260310, 12, 0)},
    };
    /* Counted: 10:00–10:10 and 11:30 onwards. */
    assert_int_equal(clock_counted(acc, L(20260310, 12, 0), many, 4, NULL), 40 * MIN);
    assert_int_equal(clock_deadline(acc, H, many, 4, NULL), L(20260310, 12, 20));

    /* A suspension that began before the clock started only counts from `from`. */
    struct clock_interval before[] = {{L(20260310, 9, 0), L(20260310, 10, 15)}};
    assert_int_equal(clock_deadline(acc, H, before, 1, NULL), L(20260310, 11, 15));

    /* Spanning a night: accepted 22:00, suspended 23:00–07:00, 24 h limit. */
    time_t night = L(20260309, 22, 0);
    struct clock_interval s2[] = {{L(20260309, 23, 0), L(20260310, 7, 0)}};
    assert_int_equal(clock_deadline(night, 24 * H, s2, 1, NULL), L(20260311, 6, 0));
    assert_int_equal(clock_counted(night, L(20260311, 6, 0), s2, 1, NULL), 24 * H);
}

static void test_working_hours(void **state)
{
    (void)state;
    struct work_calendar c;
    work_calendar_default(&c);
    /* Monday 2026-03-09, 11:00, 4 working hours: 1 h before lunch, 3 after. */
    assert_int_equal(clock_deadline(L(20260309, 11, 0), 4 * H, NULL, 0, &c), L(20260309, 17, 30));
    /* Limits ending exactly at a boundary end there, not at the next opening. */
    assert_int_equal(clock_deadline(L(20260309, 8, 30), 3 * H + 30 * MIN, NULL, 0, &c),
                     L(20260309, 12, 0));
    assert_int_equal(clock_deadline(L(20260309, 8, 30), 7 * H, NULL, 0, &c), L(20260309, 18, 0));
    assert_int_equal(clock_deadline(L(20260313, 17, 0), H, NULL, 0, &c), L(20260313, 18, 0));
    assert_false(clock_breached(L(20260313, 17, 0), L(20260316, 8, 30), H, NULL, 0, &c));
    assert_int_equal(clock_counted(L(20260309, 8, 30), L(20260309, 12, 0), NULL, 0, &c),
                     3 * H + 30 * MIN);
    /* Accepted at night or before a weekend: counting starts at the next opening. */
    assert_int_equal(clock_deadline(L(20260309, 20, 0), H, NULL, 0, &c), L(20260310, 9, 30));
    assert_int_equal(clock_deadline(L(20260313, 17, 30), H, NULL, 0, &c), L(20260316, 9, 0));
    assert_int_equal(clock_deadline(L(20260309, 12, 30), H, NULL, 0, &c), L(20260309, 15, 30));
    /* 24 working hours from Monday 08:30: three 7-hour days, then 3 hours. */
    assert_int_equal(
        clock_deadline(L(20260309, 8, 30), ORDER_RESOLUTION_LIMIT_DEFAULT, NULL, 0, &c),
        L(20260312, 11, 30));
    /* A whole week counts 35 hours; a weekend none. */
    assert_int_equal(clock_counted(L(20260309, 0, 0), L(20260316, 0, 0), NULL, 0, &c), 35 * H);
    assert_int_equal(clock_counted(L(20260314, 0, 0), L(20260316, 0, 0), NULL, 0, &c), 0);
    /* Warning at 80 % of 1 h from 11:30: 30 min before lunch, 18 after. */
    time_t acc = L(20260309, 11, 30);
    assert_int_equal(clock_warning_at(acc, H, 80, NULL, 0, &c), L(20260309, 14, 48));
    assert_int_equal(clock_deadline(acc, H, NULL, 0, &c), L(20260309, 15, 0));
    assert_int_equal(clock_status(acc, L(20260309, 14, 47), H, 80, NULL, 0, &c), CLOCK_OK);
    assert_int_equal(clock_status(acc, L(20260309, 14, 48), H, 80, NULL, 0, &c), CLOCK_WARNING);
    assert_int_equal(clock_status(acc, L(20260309, 15, 0), H, 80, NULL, 0, &c), CLOCK_WARNING);
    assert_int_equal(clock_status(acc, L(20260309, 15, 0) + 1, H, 80, NULL, 0, &c), CLOCK_BREACHED);
    /* Lunch does not count: at 14:00 only 30 minutes have passed. */
    assert_int_equal(clock_status(acc, L(20260309, 14, 0), H, 80, NULL, 0, &c), CLOCK_OK);
    assert_int_equal(clock_remaining(acc, L(20260309, 14, 48), H, NULL, 0, &c), 12 * MIN);
    assert_int_equal(clock_remaining(acc, L(20260309, 16, 0), H, NULL, 0, &c), -H);
}

static void test_national_day_2026(void **state)
{
    (void)state;
    struct work_calendar c = cal2026(), plain;
    work_calendar_default(&plain);
    /* Wednesday 09-30 17:00, 2 working hours: 1 h that day, then nothing until
     * Thursday 10-08. Without the holiday list it would be Thursday 10-01. */
    time_t acc = L(20260930, 17, 0);
    assert_int_equal(clock_deadline(acc, 2 * H, NULL, 0, &c), L(20261008, 9, 30));
    assert_int_equal(clock_deadline(acc, 2 * H, NULL, 0, &plain), L(20261001, 9, 30));
    assert_int_equal(clock_counted(L(20260930, 8, 30), L(20261009, 8, 30), NULL, 0, &c), 14 * H);
    assert_int_equal(clock_counted(L(20261001, 0, 0), L(20261008, 0, 0), NULL, 0, &c), 0);
    /* The 调休 Saturday 10-10 is a working day. */
    assert_int_equal(clock_deadline(L(20261009, 17, 0), 2 * H, NULL, 0, &c), L(20261010, 9, 30));
    assert_int_equal(clock_deadline(L(20261009, 17, 0), 2 * H, NULL, 0, &plain),
                     L(20261012, 9, 30));
    /* So is Sunday 09-20. */
    assert_int_equal(clock_deadline(L(20260919, 10, 0), H, NULL, 0, &c), L(20260920, 9, 30));
    /* The 中秋节 Friday 09-25 is not. */
    assert_int_equal(clock_deadline(L(20260924, 17, 30), H, NULL, 0, &c), L(20260928, 9, 0));
}

static void test_suspension_across_holiday(void **state)
{
    (void)state;
    struct work_calendar c = cal2026();
    /* Tuesday 09-29 16:00, 8 working hours. Without suspension: 2 h on the
     * 29th, 3.5 + 2.5 on the 30th → 09-30 17:00. */
    time_t acc = L(20260929, 16, 0);
    assert_int_equal(clock_deadline(acc, 8 * H, NULL, 0, &c), L(20260930, 17, 0));
    /* Suspended 09-29 17:00 → 10-08 09:30, across nights and the holiday:
     * 1 h, then 10-08 09:30–12:00 and 14:30–18:00 (6 h), then 1 h on 10-09. */
    struct clock_interval s[] = {{L(20260929, 17, 0), L(20261008, 9, 30)}};
    assert_int_equal(clock_deadline(acc, 8 * H, s, 1, &c), L(20261009, 9, 30));
    assert_int_equal(clock_counted(acc, L(20261009, 9, 30), s, 1, &c), 8 * H);
    assert_int_equal(clock_counted(acc, L(20261008, 12, 0), s, 1, &c), 3 * H + 30 * MIN);
    /* The warning at 80 % (6 h 24 min): 1 h + 2.5 h, then 2 h 54 min after lunch. */
    assert_int_equal(clock_warning_at(acc, 8 * H, 80, s, 1, &c), L(20261008, 17, 24));
    /* A second suspension over the lunch break changes nothing; one in the
     * morning of 10-09 pushes the deadline by its length. */
    struct clock_interval s2[] = {
        {L(20260929, 17, 0), L(20261008, 9, 30)},
        {L(20261008, 12, 0), L(20261008, 14, 30)},
        {L(20261009, 8, 0), L(20261009, 9, 0)},
    };
    assert_int_equal(clock_deadline(acc, 8 * H, s2, 3, &c), L(20261009, 10, 0));
    /* Still suspended at the holiday: no deadline; counted time stands at 1 h. */
    struct clock_interval open[] = {{L(20260929, 17, 0), CLOCK_OPEN_END}};
    assert_int_equal(clock_deadline(acc, 8 * H, open, 1, &c), CLOCK_NONE);
    assert_int_equal(clock_counted(acc, L(20261020, 12, 0), open, 1, &c), H);
    assert_int_equal(clock_status(acc, L(20261020, 12, 0), 8 * H, 80, open, 1, &c), CLOCK_OK);
}

static void test_edges(void **state)
{
    (void)state;
    time_t t = L(20260310, 10, 0);
    assert_int_equal(clock_counted(t, t, NULL, 0, NULL), 0);
    assert_int_equal(clock_counted(t, t - 100, NULL, 0, NULL), 0);
    assert_int_equal(clock_deadline(t, 0, NULL, 0, NULL), t);
    assert_int_equal(clock_deadline(t, -5, NULL, 0, NULL), t);
    /* NULL suspensions with a count are ignored rather than read. */
    assert_int_equal(clock_counted(t, t + H, NULL, 3, NULL), H);
    /* A calendar without working time never reaches a deadline. */
    struct work_calendar none;
    work_calendar_default(&none);
    none.workdays = 0;
    assert_int_equal(clock_deadline(t, H, NULL, 0, &none), CLOCK_NONE);
    assert_int_equal(clock_counted(t, t + 30 * 86400, NULL, 0, &none), 0);
    none.workdays = 0x1f;
    none.nperiods = 0;
    assert_int_equal(clock_deadline(t, H, NULL, 0, &none), CLOCK_NONE);
    /* A seven-day, round-the-clock calendar equals calendar time. */
    struct work_calendar all;
    work_calendar_default(&all);
    all.workdays = 0x7f;
    all.periods[0] = (struct work_period){0, 24 * 60};
    all.nperiods = 1;
    assert_int_equal(clock_deadline(t, 100 * H, NULL, 0, &all), t + 100 * H);
    assert_int_equal(clock_counted(t, t + 100 * H + 7, NULL, 0, &all), 100 * H + 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_suspension_calendar_time),
        cmocka_unit_test(test_working_hours),
        cmocka_unit_test(test_national_day_2026),
        cmocka_unit_test(test_suspension_across_holiday),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
