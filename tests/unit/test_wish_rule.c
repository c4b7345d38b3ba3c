/* Unit tests for core/wish_rule: the kinds and states of a micro-wish, which
 * states are on the public wall, calendar dates and when a wish is overdue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/wish_rule.h"

static void test_vocabulary(void **state)
{
    (void)state;
    assert_string_equal(wish_kind_zh("child"), "困境儿童心愿");
    assert_string_equal(wish_kind_zh("elder"), "老人心愿");
    assert_string_equal(wish_kind_zh("resident"), "居民心愿");
    assert_null(wish_kind_zh("pet"));
    assert_null(wish_kind_zh(NULL));
    assert_string_equal(wish_state_zh("published"), "待认领");
    assert_string_equal(wish_state_zh("achieved"), "已达成");
    assert_string_equal(wish_state_zh("odd"), "odd");
    assert_true(wish_state_known("fulfilled"));
    assert_false(wish_state_known("done"));
    assert_false(wish_state_known(NULL));
}

static void test_wall_states(void **state)
{
    (void)state;
    assert_false(wish_state_public("pending"));
    assert_false(wish_state_public("rejected"));
    assert_true(wish_state_public("published"));
    assert_true(wish_state_public("claimed"));
    assert_true(wish_state_public("fulfilled"));
    assert_true(wish_state_public("achieved"));
    assert_false(wish_state_public(NULL));
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(wish_date_valid("2026-11-23"));
    assert_true(wish_date_valid("2028-02-29"));
    assert_false(wish_date_valid("2026-02-29"));
    assert_false(wish_date_valid("2100-02-29"));
    assert_true(wish_date_valid("2000-02-29"));
    assert_false(wish_date_valid("2026-13-01"));
    assert_false(wish_date_valid("2026-04-31"));
    assert_false(wish_date_valid("2026-4-1"));
    assert_false(wish_date_valid("2026-04-01x"));
    assert_false(wish_date_valid("20260401"));
    assert_false(wish_date_valid(""));
    assert_false(wish_date_valid(NULL));
}

static void test_overdue(void **state)
{
    (void)state;
    assert_true(wish_overdue("2026-11-22", "2026-11-23", "published"));
    assert_true(wish_overdue("2026-11-22", "2026-11-23", "claimed"));
    assert_true(wish_overdue("2026-11-22", "2026-11-23", "pending"));
    assert_false(wish_overdue("2026-11-23", "2026-11-23", "published")); /* due today: not late */
    assert_false(wish_overdue("2026-11-22", "2026-11-23", "fulfilled"));
    assert_false(wish_overdue("2026-11-22", "2026-11-23", "achieved"));
    assert_false(wish_overdue("2026-11-22", "2026-11-23", "rejected"));
    assert_false(wish_overdue(NULL, "2026-11-23", "published"));
    assert_false(wish_overdue("", "2026-11-23", "published"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocabulary),
        cmocka_unit_test(test_wall_states),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_overdue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
