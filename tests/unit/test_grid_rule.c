/* Unit tests for core/grid_rule: grid kinds, the 300–500 household norm of a
 * basic grid (boundaries included), and the 18-per-10,000 staffing norm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "core/grid_rule.h"

static void test_grid_kinds(void **state)
{
    (void)state;
    assert_true(grid_kind_valid("basic"));
    assert_true(grid_kind_valid("dedicated"));
    assert_false(grid_kind_valid("special"));
    assert_false(grid_kind_valid(""));
    assert_false(grid_kind_valid(NULL));
    assert_string_equal(grid_kind_zh("basic"), "基础网格");
    assert_string_equal(grid_kind_zh("dedicated"), "专属网格");
    assert_null(grid_kind_zh("x"));
    assert_null(grid_kind_zh(NULL));
    assert_string_equal(grid_kind_from_label("基础网格"), "basic");
    assert_string_equal(grid_kind_from_label("专属网格"), "dedicated");
    assert_string_equal(grid_kind_from_label("dedicated"), "dedicated");
    assert_null(grid_kind_from_label("综合网格"));
    assert_null(grid_kind_from_label(NULL));
}

static void test_grid_size_warning(void **state)
{
    (void)state;
    /* Within the norm, boundaries included. */
    assert_null(grid_size_warning("basic", 300));
    assert_null(grid_size_warning("basic", 420));
    assert_null(grid_size_warning("basic", 500));
    /* Too small / too large. */
    const char *w = grid_size_warning("basic", 299);
    assert_non_null(w);
    assert_non_null(strstr(w, "少于300户"));
    assert_non_null(grid_size_warning("basic", 0));
    assert_non_null(grid_size_warning("basic", -1));
    w = grid_size_warning("basic", 501);
    assert_non_null(w);
    assert_non_null(strstr(w, "超过500户"));
    assert_non_null(grid_size_warning("basic", 1435 * 500));
    /* Dedicated grids (a school, a market) have no size rule; unknown kinds get
     * no size warning either (kind validity is checked elsewhere). */
    assert_null(grid_size_warning("dedicated", 12));
    assert_null(grid_size_warning("dedicated", 5000));
    assert_null(grid_size_warning("other", 10));
    assert_null(grid_size_warning(NULL, 10));
}

static void test_staffing_required(void **state)
{
    (void)state;
    assert_int_equal(staffing_required(0), 0);
    assert_int_equal(staffing_required(-100), 0);
    assert_int_equal(staffing_required(1), 1);          /* any residents need a worker */
    assert_int_equal(staffing_required(10000), 18);     /* exactly the norm */
    assert_int_equal(staffing_required(10001), 19);     /* 18.0018 → 19 */
    assert_int_equal(staffing_required(5000), 9);       /* 9.0 exactly */
    assert_int_equal(staffing_required(5001), 10);      /* 9.0018 → 10 */
    assert_int_equal(staffing_required(8000), 15);      /* 14.4 → 15 */
    assert_int_equal(staffing_required(555), 1);        /* 0.999 → 1 */
    assert_int_equal(staffing_required(556), 2);        /* 1.0008 → 2 */
    assert_int_equal(staffing_required(826000), 1487);  /* 1486.8 → 1487 */
    assert_int_equal(staffing_required(3000000), 5400); /* a city of 3 million */
    /* Huge inputs saturate instead of overflowing. */
    assert_int_equal(staffing_required(LONG_MAX), INT_MAX);
    if (LONG_MAX > 2000000000L) {
        /* INT_MAX workers need (INT_MAX/18)·10⁴ residents — beyond, saturate. */
        assert_int_equal(staffing_required(1193046470000L), 2147483646);
        assert_int_equal(staffing_required(1193046480000L), INT_MAX);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_kinds),
        cmocka_unit_test(test_grid_size_warning),
        cmocka_unit_test(test_staffing_required),
    };
    return cmocka_run_group_tests_name("grid_rule", tests, NULL, NULL);
}
