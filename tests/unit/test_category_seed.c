/* Unit tests for core/category_seed: the seed tree is sound (unique valid
 * codes, parents exist and come first, positive limits with response ≤
 * resolution, known tiers and whistles), it holds the seeds' examples with the
 * 1小时/24小时 defaults, and the limits read "1小时响应 · 24小时办结". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/category_seed.h"

static const struct category_seed *find(const char *name)
{
    for (int i = 0; i < category_seeds_count; i++)
        if (!strcmp(category_seeds[i].name, name)) return &category_seeds[i];
    return NULL;
}

static void seed_checks_clean(void **state)
{
    (void)state;
    char msg[200] = "";
    int rc = category_seed_check(msg, sizeof msg);
    if (rc) print_error("%s\n", msg);
    assert_int_equal(rc, 0);
}

static void codes_unique_and_parents_exist(void **state)
{
    (void)state;
    for (int i = 0; i < category_seeds_count; i++) {
        const struct category_seed *s = &category_seeds[i];
        assert_true(category_code_valid(s->code));
        for (int j = i + 1; j < category_seeds_count; j++)
            assert_string_not_equal(s->code, category_seeds[j].code);
        if (s->parent) {
            int found = 0;
            for (int j = 0; j < category_seeds_count; j++)
                if (!strcmp(category_seeds[j].code, s->parent)) {
                    found = 1;
                    assert_null(category_seeds[j].parent); /* two levels: group › item */
                }
            assert_true(found);
        }
        assert_true(s->response_minutes > 0 && s->resolution_minutes > 0);
        assert_true(s->response_minutes <= s->resolution_minutes);
        assert_non_null(category_term_zh(category_tiers, category_tiers_count, s->tier));
        if (s->whistle)
            assert_non_null(
                category_term_zh(category_whistles, category_whistles_count, s->whistle));
    }
}

static void seeds_examples_present(void **state)
{
    (void)state;
    static const char *const names[] = {
        "路灯修缮", "房屋漏水", "污水管网", "加装电梯", "停车",     "充电桩",   "飞线充电",
        "高空抛物", "噪音扰民", "油烟污染", "物业服务", "私搭乱建", "占道经营", "邻里纠纷",
        "困难帮扶", "政策咨询", "帮办代办", "供暖",     "供气",     "环境卫生", "非机动车停放"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct category_seed *s = find(names[i]);
        if (!s) print_error("missing %s\n", names[i]);
        assert_non_null(s);
        assert_non_null(s->parent);
    }
    const struct category_seed *light = find("路灯修缮");
    assert_string_equal(light->code, "streetlight");
    assert_string_equal(light->parent, "municipal");
    assert_int_equal(light->response_minutes, 60);
    assert_int_equal(light->resolution_minutes, 1440);
    assert_string_equal(find("油烟污染")->parent, "environment");
    assert_string_equal(find("房屋漏水")->parent, "housing");
}

static void check_catches_bad_tables(void **state)
{
    (void)state;
    assert_false(category_code_valid(""));
    assert_false(category_code_valid("9lamp"));
    assert_false(category_code_valid("Street"));
    assert_false(category_code_valid("street-light"));
    assert_false(category_code_valid("abcdefghijabcdefghijabcdefghijabcdefghijx"));
    assert_true(category_code_valid("street_light2"));
    assert_false(category_limit_valid(0));
    assert_false(category_limit_valid(-60));
    assert_true(category_limit_valid(1));
    assert_false(category_limit_valid(CATEGORY_LIMIT_MAX + 1));
}

static void terms(void **state)
{
    (void)state;
    assert_string_equal(category_term_parse(category_tiers, category_tiers_count, "协商处置"),
                        "consult");
    assert_string_equal(category_term_parse(category_tiers, category_tiers_count, "report_up"),
                        "report_up");
    assert_null(category_term_parse(category_tiers, category_tiers_count, "nonsense"));
    assert_null(category_term_parse(category_tiers, category_tiers_count, NULL));
    assert_string_equal(category_term_zh(category_whistles, category_whistles_count, "emergency"),
                        "应急哨");
    assert_string_equal(category_term_parse(category_resp_roles, category_resp_roles_count, "配合"),
                        "assist");
    assert_int_equal(category_tiers_count, 5);
    assert_int_equal(category_whistles_count, 4);
}

static void wording(void **state)
{
    (void)state;
    char b[80];
    assert_string_equal(category_limits_zh(60, 1440, false, b, sizeof b), "1小时响应 · 24小时办结");
    assert_string_equal(category_limits_zh(30, 4320, true, b, sizeof b),
                        "30分钟响应 · 72小时办结（工作时间）");
    assert_string_equal(category_duration_zh(90, b, sizeof b), "1小时30分钟");
    assert_string_equal(category_duration_zh(43200, b, sizeof b), "30天");
    assert_string_equal(category_duration_zh(0, b, sizeof b), "—");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_checks_clean),
        cmocka_unit_test(codes_unique_and_parents_exist),
        cmocka_unit_test(seeds_examples_present),
        cmocka_unit_test(check_catches_bad_tables),
        cmocka_unit_test(terms),
        cmocka_unit_test(wording),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
