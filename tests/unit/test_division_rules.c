/* Unit tests for io/division_rules (code lengths, kinds from official names)
 * and the demo's generators in io/demo_rand (identity numbers with a valid
 * GB 11643 check digit, birth dates for an age, the calendar, determinism). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/idcard.h"
#include "core/vocab.h"
#include "io/demo_rand.h"
#include "io/division_rules.h"

static void test_code_len(void **state)
{
    (void)state;
    assert_int_equal(division_code_len("province"), 2);
    assert_int_equal(division_code_len("city"), 4);
    assert_int_equal(division_code_len("county"), 6);
    assert_int_equal(division_code_len("street"), 9);
    assert_int_equal(division_code_len("community"), 12);
    assert_int_equal(division_code_len("compound"), 0);
    assert_int_equal(division_code_len(NULL), 0);
}

static void test_kinds(void **state)
{
    (void)state;
    /* Communities: 社区 for residents' committees, 村 otherwise. */
    assert_string_equal(division_kind("community", "滨河社区居委会"), "社区");
    assert_string_equal(division_kind("community", "大北家园社区居民委员会"), "社区");
    assert_string_equal(division_kind("community", "玉林里社区"), "社区");
    assert_string_equal(division_kind("community", "楼子营村委会"), "村");
    assert_string_equal(division_kind("community", "石仁村村民委员会"), "村");
    /* Streets: by the suffix. */
    assert_string_equal(division_kind("street", "东华门街道"), "街道");
    assert_string_equal(division_kind("street", "南磨房地区"), "街道");
    assert_string_equal(division_kind("street", "西口镇"), "镇");
    assert_string_equal(division_kind("street", "鹿固乡"), "乡");
    assert_string_equal(division_kind("street", "巴音苏木"), "乡");
    assert_null(division_kind("street", "某某农场"));
    /* Other levels have no kind. */
    assert_null(division_kind("city", "市辖区"));
    assert_null(division_kind("county", "河曲县"));
    assert_null(division_kind(NULL, "x"));
    assert_null(division_kind("street", NULL));
}

static void test_calendar(void **state)
{
    (void)state;
    assert_int_equal(demo_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(demo_days_from_civil(2000, 3, 1), 11017);
    for (long d = -40000; d < 40000; d += 37) {
        int y, m, dd;
        demo_civil_from_days(d, &y, &m, &dd);
        assert_true(idcard_date_valid(y, m, dd));
        assert_int_equal(demo_days_from_civil(y, m, dd), d);
    }
}

static void test_id_numbers(void **state)
{
    (void)state;
    char id[19];
    /* A known number: 11010519491231002X (the GB 11643 example). */
    demo_id_number("110105", "1949-12-31", 2, 'F', id);
    assert_string_equal(id, "11010519491231002X");
    /* Sequence parity follows the sex. */
    demo_id_number("140930", "1985-06-01", 2, 'M', id);
    assert_int_equal((id[16] - '0') % 2, 1);
    demo_id_number("140930", "1985-06-01", 999, 'F', id);
    assert_int_equal((id[16] - '0') % 2, 0);
    /* Generated numbers all pass the one checker. */
    struct demo_rng r;
    demo_rng_seed(&r, 42);
    time_t now = 1795000000; /* 2026-11 */
    int ty, tm, td;
    idcard_today(now, &ty, &tm, &td);
    for (int i = 0; i < 2000; i++) {
        char birth[11];
        int age = demo_rng_int(&r, 0, 98);
        demo_birth_date(&r, age, ty, tm, td, birth);
        assert_int_equal(age_on(birth, now), age);
        char sex = demo_rng_chance(&r, 0.5) ? 'M' : 'F';
        demo_id_number("140930", birth, demo_rng_int(&r, 0, 999), sex, id);
        struct idcard_info info;
        const char *why = NULL;
        assert_true(idcard_check(id, now, &info, &why));
        assert_string_equal(info.birth, birth);
        assert_int_equal(info.sex, sex);
        assert_string_equal(info.province, "14");
    }
}

static void test_determinism(void **state)
{
    (void)state;
    struct demo_rng a, b;
    demo_rng_seed(&a, demo_seed("140930100010", 1));
    demo_rng_seed(&b, demo_seed("140930100010", 1));
    for (int i = 0; i < 100; i++) {
        char na[32], nb[32], pa[12], pb[12];
        demo_person_name(&a, demo_surname(&a), 'F', 1980 + i % 40, na, sizeof na);
        demo_person_name(&b, demo_surname(&b), 'F', 1980 + i % 40, nb, sizeof nb);
        assert_string_equal(na, nb);
        demo_phone(&a, pa);
        demo_phone(&b, pb);
        assert_string_equal(pa, pb);
        assert_int_equal(strlen(pa), 11);
        assert_int_equal(pa[0], '1');
    }
    for (int i = 0; i < 1000; i++) {
        int x = demo_rng_int(&a, 3, 7);
        assert_true(x >= 3 && x <= 7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_len),    cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_calendar),    cmocka_unit_test(test_id_numbers),
        cmocka_unit_test(test_determinism),
    };
    return cmocka_run_group_tests_name("division_rules", tests, NULL, NULL);
}
