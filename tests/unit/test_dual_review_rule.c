/* Unit tests for core/dual_review_rule: grades by id and label, sides, the
 * year of a moment in China time and a year's bounds, year parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/dual_review_rule.h"

static void grades(void **state)
{
    (void)state;
    assert_string_equal(dual_grade_zh("excellent"), "优秀");
    assert_string_equal(dual_grade_zh("basic"), "基本称职");
    assert_null(dual_grade_zh("great"));
    assert_null(dual_grade_zh(NULL));
    assert_string_equal(dual_grade_id("不称职"), "incompetent");
    assert_string_equal(dual_grade_id("competent"), "competent");
    assert_null(dual_grade_id("称"));
    assert_string_equal(dual_side_zh("unit"), "单位评价");
    assert_null(dual_side_zh("both"));
}

static void years(void **state)
{
    (void)state;
    int64_t from, to;
    dual_year_bounds(2026, &from, &to);
    assert_int_equal(from, 1767196800); /* 2025-12-31T16:00:00Z = 2026-01-01 00:00 +08:00 */
    assert_int_equal(to, 1798732800);
    /* 2025-12-31T16:30Z is already 2026 in China */
    assert_int_equal(dual_year_of(1767198600), 2026);
    assert_int_equal(dual_year_of(1767196799), 2025);
    int y = 0;
    assert_true(dual_year_parse(NULL, 2026, &y));
    assert_int_equal(y, 2026);
    assert_true(dual_year_parse("2024", 2026, &y));
    assert_int_equal(y, 2024);
    assert_false(dual_year_parse("2027", 2026, &y));
    assert_false(dual_year_parse("1999", 2026, &y));
    assert_false(dual_year_parse("20a4", 2026, &y));
    assert_false(dual_year_parse("02026", 2026, &y));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(grades), cmocka_unit_test(years)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
