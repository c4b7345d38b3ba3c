/* Unit tests for core/whistle_rule: the four whistle kinds, the state of a
 * call at read time (the deadline itself is on time), money 元 ↔ 分, the
 * vocabularies and the supervision deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/whistle_rule.h"

static void four_kinds_in_level_order(void **state)
{
    (void)state;
    assert_int_equal(whistle_kinds_count, 4);
    const char *ids[] = {"publicity", "emergency", "enforcement", "tackle"};
    const char *zh[] = {"宣传哨", "应急哨", "执法哨", "攻坚哨"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(whistle_kinds[i].id, ids[i]);
        assert_int_equal(whistle_kinds[i].level, i + 1);
        assert_ptr_equal(whistle_kind_find(ids[i]), &whistle_kinds[i]);
        assert_ptr_equal(whistle_kind_find(zh[i]), &whistle_kinds[i]);
        assert_true(whistle_minutes_valid(whistle_kinds[i].answer_minutes));
    }
    assert_null(whistle_kind_find("whistle"));
    assert_null(whistle_kind_find(NULL));
    assert_false(whistle_minutes_valid(0));
    assert_false(whistle_minutes_valid(WHISTLE_MINUTES_MAX + 1));
}

static void call_state_at_read_time(void **state)
{
    (void)state;
    assert_int_equal(whistle_call_state_at(1000, 0, 999), CALL_WAITING);
    assert_int_equal(whistle_call_state_at(1000, 0, 1000), CALL_WAITING);
    assert_int_equal(whistle_call_state_at(1000, 0, 1001), CALL_OVERDUE);
    assert_int_equal(whistle_call_state_at(1000, 1500, 2000), CALL_ANSWERED);
    assert_string_equal(whistle_call_state_id(CALL_OVERDUE), "overdue");
    assert_string_equal(whistle_call_state_zh(CALL_OVERDUE), "超时未报到");
    assert_string_equal(whistle_call_state_zh(CALL_WAITING), "待报到");
}

static void money(void **state)
{
    (void)state;
    int64_t f = -1;
    assert_true(money_parse_yuan("120", &f));
    assert_int_equal(f, 12000);
    assert_true(money_parse_yuan("120.5", &f));
    assert_int_equal(f, 12050);
    assert_true(money_parse_yuan("0.01", &f));
    assert_int_equal(f, 1);
    assert_true(money_parse_yuan("100000000", &f));
    assert_int_equal(f, MONEY_MAX_FEN);
    f = 7;
    const char *bad[] = {"",    "-1",  "1.234", "1.",           ".5",
                         "1e3", "12a", " 1",    "100000000.01", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(money_parse_yuan(bad[i], &f));
    assert_false(money_parse_yuan(NULL, &f));
    assert_int_equal(f, 7);
    char b[32];
    assert_string_equal(money_format_yuan(12050, b, sizeof b), "120.50");
    assert_string_equal(money_format_yuan(1, b, sizeof b), "0.01");
    assert_string_equal(money_format_yuan(0, b, sizeof b), "0.00");
}

static void vocabularies(void **state)
{
    (void)state;
    assert_string_equal(order_tier_zh("consult"), "协商处置");
    assert_string_equal(order_tier_zh("report_up"), "上报处置");
    assert_null(order_tier_zh("nope"));
    assert_string_equal(revisit_outcome_zh("problem_recurred"), "问题复发");
    assert_null(revisit_outcome_zh("fixed"));
    assert_string_equal(order_cost_state_zh("declined"), "已拒绝");
}

static void supervision(void **state)
{
    (void)state;
    assert_false(supervision_overdue(100, 0, 100));
    assert_true(supervision_overdue(100, 0, 101));
    assert_false(supervision_overdue(100, 50, 101));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(four_kinds_in_level_order), cmocka_unit_test(call_state_at_read_time),
        cmocka_unit_test(money), cmocka_unit_test(vocabularies), cmocka_unit_test(supervision)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
