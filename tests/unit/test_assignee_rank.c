/* Unit tests for core/assignee_rank: each factor's points, and for EACH factor
 * a pair of otherwise equal candidates whose order flips when that factor
 * alone changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/assignee_rank.h"

/* 滨河社区 140930100010; a compound, building, unit and household in it. */
#define COMMUNITY "140930100010"
#define COMPOUND  COMMUNITY "001"
#define BUILDING  COMPOUND "01"
#define HOUSEHOLD                                                                                  \
    BUILDING "1"                                                                                   \
             "001"
#define HOUSE_2                                                                                    \
    BUILDING "1"                                                                                   \
             "002"
#define BLDG_2   COMPOUND "02"
#define COMPND_2 COMMUNITY "002"
#define COMM_2   "140930100007"
#define STREET_2 "140930101001"

static const char *const plumber[] = {"水电维修", "能人"};
static const char *const medic[] = {"医疗"};

/* Two identical candidates: a (id 1) and b (id 2). */
static void twins(struct candidate c[2])
{
    memset(c, 0, 2 * sizeof *c);
    for (int i = 0; i < 2; i++) {
        c[i].id = i + 1;
        c[i].name = i ? "乙" : "甲";
        c[i].place_code = COMPOUND;
        c[i].skills = plumber;
        c[i].nskills = 2;
        c[i].open_orders = 2;
        c[i].n_satisfied = 5;
        c[i].n_basic = 1;
        c[i].n_unsatisfied = 1;
    }
}

static const struct rank_query query = {.skill = "水电维修", .place_code = HOUSEHOLD};

static void test_factor_points(void **state)
{
    (void)state;
    assert_int_equal(rank_skill_points("水电维修", plumber, 2), 1000);
    assert_int_equal(rank_skill_points("医疗", plumber, 2), 0);
    assert_int_equal(rank_skill_points("医疗", NULL, 0), 0);
    assert_int_equal(rank_skill_points(NULL, plumber, 2), 500);
    assert_int_equal(rank_skill_points("", NULL, 0), 500);

    assert_int_equal(rank_distance_points(HOUSEHOLD, HOUSEHOLD), 1000);
    assert_int_equal(rank_distance_points(HOUSEHOLD, HOUSE_2), 800);
    assert_int_equal(rank_distance_points(HOUSEHOLD, BUILDING), 800);
    assert_int_equal(rank_distance_points(HOUSEHOLD, BLDG_2), 600);
    assert_int_equal(rank_distance_points(HOUSEHOLD, COMPOUND), 600);
    assert_int_equal(rank_distance_points(HOUSEHOLD, COMPND_2), 400);
    assert_int_equal(rank_distance_points(HOUSEHOLD, COMMUNITY), 400);
    assert_int_equal(rank_distance_points(HOUSEHOLD, COMM_2), 200);
    assert_int_equal(rank_distance_points(HOUSEHOLD, STREET_2), 0);
    assert_int_equal(rank_distance_points(HOUSEHOLD, NULL), 0);
    assert_int_equal(rank_distance_points(NULL, HOUSEHOLD), 0);
    assert_int_equal(rank_distance_points(COMMUNITY, COMMUNITY), 1000);
    assert_string_equal(rank_distance_zh(HOUSEHOLD, COMPND_2), "同一社区");
    assert_string_equal(rank_distance_zh(HOUSEHOLD, BLDG_2), "同一小区");
    assert_string_equal(rank_distance_zh(HOUSEHOLD, STREET_2), "不在同一街道");

    assert_int_equal(rank_load_points(0), 1000);
    assert_int_equal(rank_load_points(RANK_LOAD_HALF), 500);
    assert_int_equal(rank_load_points(-4), 1000);
    assert_true(rank_load_points(1) > rank_load_points(2));

    assert_int_equal(rank_rating_points(0, 0, 0), RANK_PRIOR);
    /* 5 satisfied: (5·1000 + 5·800) / 10 = 900. */
    assert_int_equal(rank_rating_points(5, 0, 0), 900);
    /* 1 unsatisfied: (0 + 4000) / 6 = 666.67 → 667. */
    assert_int_equal(rank_rating_points(0, 0, 1), 667);
    /* 基本满意 sits between. */
    assert_int_equal(rank_rating_points(0, 5, 0), 750);
    /* Few ratings move it less than many. */
    assert_true(rank_rating_points(0, 0, 1) > rank_rating_points(0, 0, 10));
}

/* The score is the documented weighted mean. */
static void test_formula(void **state)
{
    (void)state;
    struct candidate c[2];
    twins(c);
    assignee_rank(c, 1, &query);
    int expect =
        (40 * 1000 + 25 * 600 + 20 * rank_load_points(2) + 15 * rank_rating_points(5, 1, 1) + 50) /
        100;
    assert_int_equal(c[0].skill_pts, 1000);
    assert_int_equal(c[0].distance_pts, 600);
    assert_int_equal(c[0].load_pts, 600);
    assert_int_equal(c[0].score, expect);
    assert_int_equal(c[0].score, 791); /* (40000 + 15000 + 12000 + 15·808) / 100 */
    assert_string_equal(c[0].why, "技能匹配（水电维修）；同一小区；在办2件；满意率85%（7次评价）；"
                                  "得分791");
}

static void assert_first(struct candidate c[2], long long id)
{
    assignee_rank(c, 2, &query);
    assert_int_equal(c[0].id, id);
    assert_true(c[0].score >= c[1].score);
}

static void test_flip_by_skill(void **state)
{
    (void)state;
    struct candidate c[2];
    twins(c);
    c[0].open_orders = 1; /* a slightly ahead on load */
    assert_first(c, 1);
    twins(c);
    c[0].open_orders = 1;
    c[0].skills = medic; /* a loses the skill */
    c[0].nskills = 1;
    assert_first(c, 2);
    assert_non_null(strstr(c[1].why, "不具备所需技能"));
}

static void test_flip_by_distance(void **state)
{
    (void)state;
    struct candidate c[2];
    twins(c);
    c[1].place_code = BUILDING; /* b is nearer */
    assert_first(c, 2);
    twins(c);
    c[1].place_code = COMPND_2; /* b is farther */
    assert_first(c, 1);
    assert_non_null(strstr(c[1].why, "同一社区"));
}

static void test_flip_by_load(void **state)
{
    (void)state;
    struct candidate c[2];
    twins(c);
    c[0].open_orders = 5; /* a busier */
    assert_first(c, 2);
    twins(c);
    c[1].open_orders = 5; /* b busier */
    assert_first(c, 1);
    assert_non_null(strstr(c[1].why, "在办5件"));
}

static void test_flip_by_rating(void **state)
{
    (void)state;
    struct candidate c[2];
    twins(c);
    c[0].n_unsatisfied = 4; /* a rated worse */
    assert_first(c, 2);
    twins(c);
    c[1].n_unsatisfied = 4; /* b rated worse */
    assert_first(c, 1);
    /* A newcomer (prior 800) beats someone with a poor record… */
    twins(c);
    c[0].n_satisfied = c[0].n_basic = c[0].n_unsatisfied = 0;
    c[1].n_satisfied = 1;
    c[1].n_basic = 0;
    c[1].n_unsatisfied = 3;
    assert_first(c, 1);
    assert_non_null(strstr(c[0].why, "暂无评价"));
    /* …and loses to a long good one. */
    twins(c);
    c[0].n_satisfied = c[0].n_basic = c[0].n_unsatisfied = 0;
    c[1].n_satisfied = 30;
    c[1].n_basic = c[1].n_unsatisfied = 0;
    assert_first(c, 2);
}

static void test_ties_and_edges(void **state)
{
    (void)state;
    struct candidate c[3];
    memset(c, 0, sizeof c);
    /* Exact twins: smaller id first, whatever the input order. */
    twins(c);
    struct candidate tmp = c[0];
    c[0] = c[1];
    c[1] = tmp;
    assignee_rank(c, 2, &query);
    assert_int_equal(c[0].id, 1);
    assert_int_equal(c[0].score, c[1].score);
    /* Equal scores, different loads: fewer open orders first, before the id.
     * a: load 0 (1000), far (0); b: load 3 (500), same community (400):
     * 20·1000 + 25·0 = 20·500 + 25·400. */
    memset(c, 0, sizeof c);
    c[0].id = 2;
    c[0].place_code = STREET_2;
    c[0].open_orders = 0;
    c[1].id = 1;
    c[1].place_code = COMPND_2;
    c[1].open_orders = 3;
    struct rank_query noskill = {.place_code = HOUSEHOLD};
    assignee_rank(c, 2, &noskill);
    assert_int_equal(c[0].score, c[1].score);
    assert_int_equal(c[0].id, 2);
    assignee_rank(c, 2, NULL);
    /* Without a query: skill neutral, distance far, both for everyone. */
    assert_int_equal(c[0].skill_pts, 500);
    assert_int_equal(c[0].distance_pts, 0);
    assert_non_null(strstr(c[0].why, "工单未指定技能"));
    /* Nothing to do. */
    assignee_rank(NULL, 3, &query);
    assignee_rank(c, 0, &query);
    /* A long skill name is cut, never overflowing why[]. */
    char longskill[400];
    memset(longskill, 'x', sizeof longskill - 1);
    longskill[sizeof longskill - 1] = 0;
    struct rank_query q = {.skill = longskill, .place_code = HOUSEHOLD};
    memset(c, 0, sizeof c);
    assignee_rank(c, 3, &q);
    assert_true(strlen(c[0].why) < RANK_WHY_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_factor_points),  cmocka_unit_test(test_formula),
        cmocka_unit_test(test_flip_by_skill),  cmocka_unit_test(test_flip_by_distance),
        cmocka_unit_test(test_flip_by_load),   cmocka_unit_test(test_flip_by_rating),
        cmocka_unit_test(test_ties_and_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
