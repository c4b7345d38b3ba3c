/* Unit tests for core/vocab: every vocabulary's ids and labels, lookups both
 * ways (labels and aliases as imports give them), table integrity (no duplicate
 * id or label), and age_on / is_elderly on a fixed Beijing clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/vocab.h"

#define NOW_2025_06_01_NOON ((time_t)1748750400) /* 2025-06-01 12:00 +08:00 */
#define NOW_2025_06_01_0000 ((time_t)1748707200) /* 2025-06-01 00:00 +08:00 */
#define NOW_2025_02_28_NOON ((time_t)1740715200) /* 2025-02-28 12:00 +08:00 */
#define NOW_2025_03_01_NOON ((time_t)1740801600) /* 2025-03-01 12:00 +08:00 */

static void test_vocab_place_levels(void **state)
{
    (void)state;
    const struct vocab *v = &vocab_place_levels;
    const char *ids[] = {"province", "city",     "county", "street",   "community",
                         "compound", "building", "unit",   "household"};
    const char *zh[] = {"省", "市", "县/区", "乡镇/街道", "社区/村", "小区", "楼栋", "单元", "户"};
    assert_int_equal(v->count, 9);
    for (int i = 0; i < 9; i++) {
        assert_int_equal(vocab_index(v, ids[i]), i); /* depth, top to bottom */
        assert_string_equal(vocab_label(v, ids[i]), zh[i]);
        assert_string_equal(vocab_id_for_label(v, zh[i]), ids[i]);
    }
    assert_string_equal(vocab_id_for_label(v, "区"), "county");
    assert_string_equal(vocab_id_for_label(v, "县"), "county");
    assert_string_equal(vocab_id_for_label(v, "街道"), "street");
    assert_string_equal(vocab_id_for_label(v, "镇"), "street");
    assert_string_equal(vocab_id_for_label(v, "村"), "community");
    assert_string_equal(vocab_id_for_label(v, "社区"), "community");
    assert_null(vocab_label(v, "village"));
    assert_false(vocab_has(v, "village"));
    assert_true(vocab_has(v, "compound"));
}

static void test_vocab_org_kinds(void **state)
{
    (void)state;
    const struct vocab *v = &vocab_org_kinds;
    const char *pairs[][2] = {
        {"party_committee", "党委"},
        {"party_working_committee", "党工委"},
        {"community_party_committee", "社区党委"},
        {"branch", "党支部"},
        {"party_group", "党小组"},
        {"center_household", "党员中心户"},
        {"department", "职能部门"},
        {"cobuilding_unit", "共建单位"},
        {"resident_unit", "驻区单位"},
        {"social_org", "社会组织"},
        {"property_company", "物业服务企业"},
        {"owners_committee", "业委会"},
        {"volunteer_team", "志愿服务队"},
    };
    int n = (int)(sizeof pairs / sizeof pairs[0]);
    assert_int_equal(v->count, n);
    for (int i = 0; i < n; i++) {
        assert_string_equal(vocab_label(v, pairs[i][0]), pairs[i][1]);
        assert_string_equal(vocab_id_for_label(v, pairs[i][1]), pairs[i][0]);
    }
    assert_string_equal(vocab_id_for_label(v, "业主委员会"), "owners_committee");
    assert_string_equal(vocab_id_for_label(v, "物业公司"), "property_company");
    assert_string_equal(vocab_id_for_label(v, "大党委"), "community_party_committee");
    assert_string_equal(vocab_id_for_label(v, "小区党支部"), "branch");
}

static void test_vocab_people(void **state)
{
    (void)state;
    const struct vocab *m = &vocab_member_kinds;
    assert_int_equal(m->count, 4);
    assert_string_equal(vocab_label(m, "resident"), "居民党员");
    assert_string_equal(vocab_label(m, "retired"), "离退休党员");
    assert_string_equal(vocab_label(m, "in_service"), "在职党员");
    assert_string_equal(vocab_label(m, "mobile"), "流动党员");
    assert_string_equal(vocab_id_for_label(m, "在职党员"), "in_service");

    const struct vocab *p = &vocab_partner_trades;
    assert_int_equal(p->count, 4);
    assert_string_equal(vocab_label(p, "express"), "快递小哥");
    assert_string_equal(vocab_label(p, "delivery"), "外卖骑手");
    assert_string_equal(vocab_label(p, "ride_hailing"), "网约车司机");
    assert_string_equal(vocab_label(p, "other"), "其他");
    assert_string_equal(vocab_id_for_label(p, "外卖小哥"), "delivery");
    assert_string_equal(vocab_id_for_label(p, "快递员"), "express");
}

static void test_vocab_care_tags(void **state)
{
    (void)state;
    const struct vocab *v = &vocab_care_tags;
    const char *six[][2] = {{"poor_family", "困难家庭"},     {"floating", "流动人口"},
                            {"empty_nest", "空巢老人"},      {"special", "特殊人群"},
                            {"left_behind", "留守妇女儿童"}, {"petitioner", "信访群众"}};
    const char *child[][2] = {{"orphan", "孤儿"},
                              {"de_facto_orphan", "事实无人抚养儿童"},
                              {"floating_child", "流动儿童"},
                              {"disabled_child", "残疾儿童"},
                              {"dibao_child", "低保家庭儿童"}};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(vocab_label(v, six[i][0]), six[i][1]);
        assert_string_equal(vocab_entry_of(v, six[i][0])->group, "six_visits");
    }
    for (int i = 0; i < 5; i++) {
        assert_string_equal(vocab_label(v, child[i][0]), child[i][1]);
        assert_string_equal(vocab_entry_of(v, child[i][0])->group, "child");
    }
    assert_string_equal(vocab_label(v, "disabled"), "残疾人");
    assert_string_equal(vocab_label(v, "dibao"), "低保");
    assert_int_equal(v->count, 13);
    /* The seeds' own wording. */
    assert_string_equal(vocab_id_for_label(v, "农村留守妇女儿童"), "left_behind");
    assert_string_equal(vocab_id_for_label(v, "事实无人抚养"), "de_facto_orphan");
    assert_string_equal(vocab_id_for_label(v, "低保户"), "dibao");
}

static void test_vocab_lookup_edges(void **state)
{
    (void)state;
    const struct vocab *v = &vocab_care_tags;
    /* Imports: surrounding ASCII and full-width spaces are ignored; the id is
     * accepted too; partial or padded-inside labels are not. */
    assert_string_equal(vocab_id_for_label(v, "  空巢老人\t"), "empty_nest");
    assert_string_equal(vocab_id_for_label(v, "\xE3\x80\x80孤儿\xE3\x80\x80"), "orphan");
    assert_string_equal(vocab_id_for_label(v, "empty_nest"), "empty_nest");
    assert_null(vocab_id_for_label(v, "空巢"));
    assert_null(vocab_id_for_label(v, "空巢 老人"));
    assert_null(vocab_id_for_label(v, ""));
    assert_null(vocab_id_for_label(v, "   "));
    assert_null(vocab_id_for_label(v, NULL));
    assert_null(vocab_id_for_label(NULL, "孤儿"));
    assert_null(vocab_label(NULL, "orphan"));
    assert_null(vocab_label(v, NULL));
    assert_false(vocab_has(NULL, "orphan"));
    assert_int_equal(vocab_index(v, "nope"), -1);
    assert_null(vocab_entry_of(v, "nope"));

    assert_ptr_equal(vocab_find("place_level"), &vocab_place_levels);
    assert_ptr_equal(vocab_find("org_kind"), &vocab_org_kinds);
    assert_ptr_equal(vocab_find("member_kind"), &vocab_member_kinds);
    assert_ptr_equal(vocab_find("partner_trade"), &vocab_partner_trades);
    assert_ptr_equal(vocab_find("care_tag"), &vocab_care_tags);
    assert_null(vocab_find("role"));
    assert_null(vocab_find(NULL));
}

/* Within each vocabulary no id, label or alias may mean two entries. */
static void test_vocab_tables_unambiguous(void **state)
{
    (void)state;
    assert_int_equal(vocab_all_count, 5);
    for (int t = 0; t < vocab_all_count; t++) {
        const struct vocab *v = vocab_all[t];
        for (int i = 0; i < v->count; i++) {
            const struct vocab_entry *e = &v->entries[i];
            assert_non_null(e->id);
            assert_non_null(e->zh);
            assert_string_equal(vocab_id_for_label(v, e->id), e->id);
            assert_string_equal(vocab_id_for_label(v, e->zh), e->id);
            for (int a = 0; a < VOCAB_MAX_ALIASES && e->aliases[a]; a++)
                assert_string_equal(vocab_id_for_label(v, e->aliases[a]), e->id);
            for (int j = i + 1; j < v->count; j++) {
                assert_string_not_equal(e->id, v->entries[j].id);
                assert_string_not_equal(e->zh, v->entries[j].zh);
            }
        }
    }
}

static void test_age_on(void **state)
{
    (void)state;
    assert_int_equal(age_on("1990-03-07", NOW_2025_06_01_NOON), 35);
    assert_int_equal(age_on("1965-06-01", NOW_2025_06_01_NOON), 60); /* birthday today */
    assert_int_equal(age_on("1965-06-02", NOW_2025_06_01_NOON), 59); /* tomorrow */
    assert_int_equal(age_on("1965-05-31", NOW_2025_06_01_NOON), 60);
    assert_int_equal(age_on("2025-06-01", NOW_2025_06_01_NOON), 0);
    /* Beijing date: at 00:00 Beijing on 1 June it is already the birthday. */
    assert_int_equal(age_on("1965-06-01", NOW_2025_06_01_0000), 60);
    assert_int_equal(age_on("1965-06-01", NOW_2025_06_01_0000 - 1), 59);
    /* Born on 29 February: a year older on 1 March in a common year. */
    assert_int_equal(age_on("2000-02-29", NOW_2025_02_28_NOON), 24);
    assert_int_equal(age_on("2000-02-29", NOW_2025_03_01_NOON), 25);
    /* Invalid or future. */
    assert_int_equal(age_on("2025-06-02", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("2030-01-01", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("2001-02-29", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("1990-13-01", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("1990-3-7", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("19900307", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("1990/03/07", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("1990-03-07x", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on("", NOW_2025_06_01_NOON), -1);
    assert_int_equal(age_on(NULL, NOW_2025_06_01_NOON), -1);
}

static void test_is_elderly(void **state)
{
    (void)state;
    assert_false(is_elderly(-1));
    assert_false(is_elderly(0));
    assert_false(is_elderly(59));
    assert_true(is_elderly(60));
    assert_true(is_elderly(95));
    assert_true(is_elderly(age_on("1965-06-01", NOW_2025_06_01_NOON)));
    assert_false(is_elderly(age_on("1965-06-02", NOW_2025_06_01_NOON)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocab_place_levels),
        cmocka_unit_test(test_vocab_org_kinds),
        cmocka_unit_test(test_vocab_people),
        cmocka_unit_test(test_vocab_care_tags),
        cmocka_unit_test(test_vocab_lookup_edges),
        cmocka_unit_test(test_vocab_tables_unambiguous),
        cmocka_unit_test(test_age_on),
        cmocka_unit_test(test_is_elderly),
    };
    return cmocka_run_group_tests_name("vocab", tests, NULL, NULL);
}
