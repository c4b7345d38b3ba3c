/* Unit tests for core/points_rule: periods in China time, which rule applies
 * (the nearest division above the community), and the cap arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/points_rule.h"

static void test_periods(void **state)
{
    (void)state;
    enum points_period p;
    assert_true(points_period_parse("week", &p));
    assert_int_equal(p, PP_WEEK);
    assert_true(points_period_parse("每年", &p));
    assert_int_equal(p, PP_YEAR);
    assert_false(points_period_parse("hour", &p));
    assert_false(points_period_parse(NULL, &p));
    assert_string_equal(points_period_id(PP_DAY), "day");
    assert_string_equal(points_period_zh(PP_MONTH), "每月");
}

static void test_bounds(void **state)
{
    (void)state;
    int64_t f, t;
    /* 2026-11-23 12:00 China time (Monday) = 04:00 UTC */
    int64_t now = 1795392000 - 8 * 3600 + 12 * 3600;
    points_period_bounds(PP_DAY, now, &f, &t);
    assert_int_equal(f, 1795392000 - 8 * 3600); /* 2026-11-23 00:00 +08:00 */
    assert_int_equal(t - f, 86400);
    points_period_bounds(PP_WEEK, now, &f, &t);
    assert_int_equal(f, 1795392000 - 8 * 3600); /* a Monday starts its own week */
    assert_int_equal(t - f, 7 * 86400);
    /* Sunday 2026-11-29 23:59 China time still belongs to that week */
    points_period_bounds(PP_WEEK, 1795392000 - 8 * 3600 + 7 * 86400 - 60, &f, &t);
    assert_int_equal(f, 1795392000 - 8 * 3600);
    points_period_bounds(PP_MONTH, now, &f, &t);
    assert_int_equal(f, 1793491200 - 8 * 3600); /* 2026-11-01 */
    assert_int_equal(t, 1796083200 - 8 * 3600); /* 2026-12-01 */
    points_period_bounds(PP_YEAR, now, &f, &t);
    assert_int_equal(f, 1767225600 - 8 * 3600); /* 2026-01-01 */
    assert_int_equal(t, 1798761600 - 8 * 3600); /* 2027-01-01 */
    /* 23:30 UTC on Dec 31 is already the new year in China */
    points_period_bounds(PP_YEAR, 1798761600 - 1800, &f, &t);
    assert_int_equal(f, 1798761600 - 8 * 3600);
    /* December rolls over to January */
    points_period_bounds(PP_MONTH, 1796083200, &f, &t);
    assert_int_equal(t, 1798761600 - 8 * 3600);
}

static void test_day(void **state)
{
    (void)state;
    int64_t t, f, e;
    assert_true(points_day_parse("2026-11-23", &t));
    assert_int_equal(t, 1795392000 + 4 * 3600); /* noon +08:00 */
    points_period_bounds(PP_DAY, t, &f, &e);
    assert_int_equal(f, 1795392000 - 8 * 3600);
    assert_true(points_day_parse("2024-02-29", &t));
    assert_false(points_day_parse("2026-02-29", &t));
    assert_false(points_day_parse("2026-13-01", &t));
    assert_false(points_day_parse("2026-1-1", &t));
    assert_false(points_day_parse("2026-11-23x", &t));
    assert_false(points_day_parse(NULL, &t));
}

static void test_pick(void **state)
{
    (void)state;
    const struct points_rule rules[] = {
        {"140930", "serve_activity", 5, 0, PP_MONTH, true},
        {"140930100010", "serve_activity", 10, 30, PP_WEEK, true},
        {"140930100007", "serve_activity", 8, 0, PP_MONTH, true},
        {"140930100010", "fulfil_wish", 20, 0, PP_MONTH, false},
        {"140930100", "fulfil_wish", 15, 0, PP_MONTH, true},
    };
    int n = (int)(sizeof rules / sizeof rules[0]);
    assert_int_equal(points_rule_pick(rules, n, "140930100010", "serve_activity"), 1);
    assert_int_equal(points_rule_pick(rules, n, "140930100007", "serve_activity"), 2);
    assert_int_equal(points_rule_pick(rules, n, "140930200001", "serve_activity"), 0);
    /* the inactive community rule gives way to the street's */
    assert_int_equal(points_rule_pick(rules, n, "140930100010", "fulfil_wish"), 4);
    assert_int_equal(points_rule_pick(rules, n, "140930200001", "fulfil_wish"), -1);
    assert_int_equal(points_rule_pick(rules, n, "140930100010", "visit"), -1);
    assert_int_equal(points_rule_pick(rules, n, "140931100010", "serve_activity"), -1);
    assert_int_equal(points_rule_pick(rules, n, NULL, "visit"), -1);
}

static void test_cap(void **state)
{
    (void)state;
    assert_int_equal(points_cap_left(30, 0), 30);
    assert_int_equal(points_cap_left(30, 20), 10);
    assert_int_equal(points_cap_left(30, 30), 0);
    assert_int_equal(points_cap_left(30, 45), 0);
    assert_true(points_cap_left(0, 1000) == INT64_MAX);
    assert_true(points_fits(30, 20, 10));
    assert_false(points_fits(30, 21, 10));
    assert_false(points_fits(30, 0, 0));
    assert_false(points_fits(30, 0, -5));
    assert_true(points_fits(0, 1000000, 50));
    assert_false(points_fits(0, 0, POINTS_MAX + 1));
}

static void test_source_type(void **state)
{
    (void)state;
    assert_true(points_source_type_valid("serve_activity"));
    assert_true(points_source_type_valid("visit2"));
    assert_false(points_source_type_valid("2visit"));
    assert_false(points_source_type_valid("Visit"));
    assert_false(points_source_type_valid("a-b"));
    assert_false(points_source_type_valid(""));
    assert_false(points_source_type_valid(NULL));
    assert_false(points_source_type_valid("abcdefghijklmnopqrstuvwxyz0123456"));
    assert_true(points_source_type_valid("abcdefghijklmnopqrstuvwxyz012345"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),     cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_pick),        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_source_type), cmocka_unit_test(test_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
