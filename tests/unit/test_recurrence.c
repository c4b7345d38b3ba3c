/* Unit tests for core/recurrence: civil dates and weekdays, China time,
 * weekly rules on several days, monthly rules at month ends (the 31st in
 * 30-day months and February, the 29th in leap and common years), the
 * until date included, invalid rules and the occurrence limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/recurrence.h"

static struct civil_date D(int y, int m, int d) {
    return (struct civil_date){y, m, d};
}

/* The local date of out[i] as yyyymmdd. */
static int
ymd(time_t t)
{
    struct civil_date c = china_date(t);
    return c.y * 10000 + c.m * 100 + c.d;
}

static void test_civil(void **state)
{
    (void)state;
    assert_int_equal(civil_days(D(1970, 1, 1)), 0);
    assert_int_equal(civil_days(D(2000, 3, 1)), 11017);
    struct civil_date c = civil_from_days(civil_days(D(2028, 2, 29)));
    assert_int_equal(c.y * 10000 + c.m * 100 + c.d, 20280229);
    assert_int_equal(civil_weekday(D(2026, 11, 23)), 0); /* a Monday */
    assert_int_equal(civil_weekday(D(2026, 11, 29)), 6); /* a Sunday */
    assert_true(civil_leap(2028));
    assert_true(civil_leap(2000));
    assert_false(civil_leap(2100));
    assert_int_equal(civil_month_length(2027, 2), 28);
    assert_int_equal(civil_month_length(2028, 2), 29);
    struct civil_date p;
    assert_true(civil_parse("2026-04-30", &p));
    assert_false(civil_parse("2026-04-31", &p));
    assert_false(civil_parse("2027-02-29", &p));
    assert_true(civil_parse("2028-02-29", &p));
    assert_false(civil_parse("2026-4-30", &p));
    assert_false(civil_parse("abcd-ef-gh", &p));
}

static void test_china_time(void **state)
{
    (void)state;
    /* 2026-11-23 09:30 in China is 01:30 UTC */
    assert_int_equal((long long)china_time(D(2026, 11, 23), 9 * 60 + 30), 1795397400LL);
    /* 07:59 local on the 24th is still the 23rd in UTC but the 24th locally */
    assert_int_equal(ymd(china_time(D(2026, 11, 24), 7 * 60 + 59)), 20261124);
    assert_int_equal(ymd(china_time(D(2026, 11, 24), 0)), 20261124);
    assert_int_equal(ymd(china_time(D(2026, 11, 24), 23 * 60 + 59)), 20261124);
}

static void test_weekly(void **state)
{
    (void)state;
    /* 四点半课堂: Tuesdays and Thursdays 16:30, from Monday 2026-11-23 to Thursday 2026-12-03 */
    struct recur_rule r = {.freq = RECUR_WEEKLY,
                           .weekdays = (1u << 1) | (1u << 3),
                           .from = D(2026, 11, 23),
                           .until = D(2026, 12, 3),
                           .start_minute = 16 * 60 + 30};
    time_t out[10];
    int n = recur_expand(&r, out, 10);
    assert_int_equal(n, 4);
    assert_int_equal(ymd(out[0]), 20261124);
    assert_int_equal(ymd(out[1]), 20261126);
    assert_int_equal(ymd(out[2]), 20261201);
    assert_int_equal(ymd(out[3]), 20261203); /* the until date is included */
    assert_int_equal((long long)out[0], (long long)china_time(D(2026, 11, 24), 990));
    /* across the year end */
    r.weekdays = 1u << 4; /* Fridays */
    r.from = D(2026, 12, 25);
    r.until = D(2027, 1, 8);
    n = recur_expand(&r, out, 10);
    assert_int_equal(n, 3);
    assert_int_equal(ymd(out[1]), 20270101);
}

static void test_monthly_month_ends(void **state)
{
    (void)state;
    struct recur_rule r = {.freq = RECUR_MONTHLY,
                           .month_day = 31,
                           .from = D(2027, 12, 1),
                           .until = D(2028, 5, 31),
                           .start_minute = 9 * 60};
    time_t out[12];
    int n = recur_expand(&r, out, 12);
    assert_int_equal(n, 6);
    assert_int_equal(ymd(out[0]), 20271231);
    assert_int_equal(ymd(out[1]), 20280131);
    assert_int_equal(ymd(out[2]), 20280229); /* leap February: its last day */
    assert_int_equal(ymd(out[3]), 20280331);
    assert_int_equal(ymd(out[4]), 20280430); /* 30-day month: its last day */
    assert_int_equal(ymd(out[5]), 20280531);
    /* the 29th in a common year's February falls on the 28th */
    r.month_day = 29;
    r.from = D(2027, 2, 1);
    r.until = D(2027, 3, 31);
    n = recur_expand(&r, out, 12);
    assert_int_equal(n, 2);
    assert_int_equal(ymd(out[0]), 20270228);
    assert_int_equal(ymd(out[1]), 20270329);
    /* a start after this month's day begins next month; until cuts the last */
    r.month_day = 15;
    r.from = D(2026, 11, 20);
    r.until = D(2027, 2, 14);
    n = recur_expand(&r, out, 12);
    assert_int_equal(n, 2);
    assert_int_equal(ymd(out[0]), 20261215);
    assert_int_equal(ymd(out[1]), 20270115);
}

static void test_invalid_and_limit(void **state)
{
    (void)state;
    time_t out[3];
    struct recur_rule r = {
        .freq = RECUR_WEEKLY, .weekdays = 0, .from = D(2026, 1, 1), .until = D(2026, 2, 1)};
    assert_int_equal(recur_expand(&r, out, 3), -1); /* no weekday */
    r.weekdays = 1u << 7;
    assert_int_equal(recur_expand(&r, out, 3), -1);
    r.weekdays = 0x7f;
    r.until = D(2025, 12, 31);
    assert_int_equal(recur_expand(&r, out, 3), -1); /* until before from */
    r.until = D(2026, 2, 1);
    assert_int_equal(recur_expand(&r, out, 3), -2); /* every day of a month: too many */
    r.start_minute = 1440;
    assert_int_equal(recur_expand(&r, out, 3), -1);
    struct recur_rule m = {
        .freq = RECUR_MONTHLY, .month_day = 32, .from = D(2026, 1, 1), .until = D(2026, 2, 1)};
    assert_int_equal(recur_expand(&m, out, 3), -1);
    m.month_day = 0;
    assert_int_equal(recur_expand(&m, out, 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil),
        cmocka_unit_test(test_china_time),
        cmocka_unit_test(test_weekly),
        cmocka_unit_test(test_monthly_month_ends),
        cmocka_unit_test(test_invalid_and_limit),
    };
    return cmocka_run_group_tests_name("recurrence", tests, NULL, NULL);
}
