/* Unit tests for core/station_rule: a station is standardized only with all of
 * 六有一好, both base areas and all five modules; group counts; kinds and
 * construction modes by id or Chinese label; the coverage figure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/station_rule.h"

static void test_standardized(void **state)
{
    (void)state;
    int items[SI__COUNT];
    for (int i = 0; i < SI__COUNT; i++) items[i] = 1;
    assert_true(station_standardized(items));
    /* any one missing item, of any group, breaks the standard */
    for (int i = 0; i < SI__COUNT; i++) {
        items[i] = 0;
        assert_false(station_standardized(items));
        items[i] = 1;
    }
    int none[SI__COUNT] = {0};
    assert_false(station_standardized(none));
}

static void test_groups(void **state)
{
    (void)state;
    int items[SI__COUNT] = {0}, of = 0;
    assert_int_equal(station_group_met(items, SG_STANDARD, &of), 0);
    assert_int_equal(of, 7);
    assert_int_equal(station_group_met(items, SG_AREAS, &of), 0);
    assert_int_equal(of, 2);
    assert_int_equal(station_group_met(items, SG_MODULES, &of), 0);
    assert_int_equal(of, 5);
    items[SI_HAS_FLAG] = items[SI_GOOD_QUALITY] = items[SI_AREA_SERVICE] = 1;
    items[SI_MOD_MEDIATION] = 1;
    assert_int_equal(station_group_met(items, SG_STANDARD, NULL), 2);
    assert_int_equal(station_group_met(items, SG_AREAS, NULL), 1);
    assert_int_equal(station_group_met(items, SG_MODULES, NULL), 1);
    assert_string_equal(station_items[SI_HAS_CODE].zh, "有编码");
    assert_string_equal(station_items[SI_GOOD_QUALITY].zh, "建设质量好");
    assert_string_equal(station_items[SI_AREA_BRANCH].zh, "支部活动区");
    assert_string_equal(station_items[SI_MOD_MEDIATION].zh, "矛盾调解");
}

static void test_vocab(void **state)
{
    (void)state;
    assert_string_equal(station_kind_parse("小区党群服务站"), "station");
    assert_string_equal(station_kind_parse("center"), "center");
    assert_string_equal(station_kind_parse("爱心驿站"), "love_post");
    assert_null(station_kind_parse("服务站"));
    assert_null(station_kind_parse(NULL));
    assert_string_equal(station_kind_zh("center"), "党群服务中心");
    assert_null(station_kind_zh("x"));
    assert_string_equal(station_mode_parse("规划预留新建"), "build");
    assert_string_equal(station_mode_parse("share"), "share");
    assert_null(station_mode_parse("借用"));
    assert_string_equal(station_mode_zh("renovate"), "盘活闲置用房改造");
    assert_string_equal(station_mode_zh("rent"), "选取场地租赁");
    int n = 0;
    while (station_modes[n]) n++;
    assert_int_equal(n, 4);
}

static void test_coverage(void **state)
{
    (void)state;
    assert_int_equal(station_coverage_permille(0, 0), 0);
    assert_int_equal(station_coverage_permille(5, 0), 0);
    assert_int_equal(station_coverage_permille(0, 12), 0);
    assert_int_equal(station_coverage_permille(8, 12), 667);
    assert_int_equal(station_coverage_permille(45, 45), 1000);
    assert_int_equal(station_coverage_permille(72, 100), 720);
    assert_int_equal(station_coverage_permille(1, 3), 333);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standardized),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_vocab),
        cmocka_unit_test(test_coverage),
    };
    return cmocka_run_group_tests_name("station_rule", tests, NULL, NULL);
}
