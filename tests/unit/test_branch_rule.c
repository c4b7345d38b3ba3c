/* Unit tests for core/branch_rule: the 3-member rule, the joint-branch proposal
 * on several compound layouts (all small, one big among small, leftovers,
 * existing branches, degenerate communities), a randomised check of its
 * invariants, and the coverage arithmetic on 忻州's published figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/branch_rule.h"

#define MAXC 32

/* Builds compounds from member counts; a negative count -m means m members and
 * an existing branch. Runs the proposal and compares with want[]. */
static void expect_groups(const int *members, int n, const int *want, int want_count)
{
    struct compound_info c[MAXC] = {{0}};
    int got[MAXC] = {0};
    assert_true(n <= MAXC);
    for (int i = 0; i < n; i++) {
        c[i].code = "140930100010001";
        c[i].party_members = members[i] < 0 ? -members[i] : members[i];
        c[i].has_branch = members[i] < 0;
    }
    int k = branch_propose_joint(c, n, got);
    assert_int_equal(k, want_count);
    for (int i = 0; i < n; i++) {
        if (got[i] != want[i]) print_error("compound %d: group %d, want %d\n", i, got[i], want[i]);
        assert_int_equal(got[i], want[i]);
    }
}

#define N_ (-1) /* BRANCH_GROUP_NONE, short for the tables below */
#define EXPECT(members, want, count)                                                               \
    do {                                                                                           \
        const int m_[] = members;                                                                  \
        const int w_[] = want;                                                                     \
        expect_groups(m_, (int)(sizeof m_ / sizeof m_[0]), w_, count);                             \
    } while (0)
#define L(...)                                                                                     \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

static void test_branch_rule_for(void **state)
{
    (void)state;
    assert_int_equal(branch_rule_for(0), BRANCH_JOINT);
    assert_int_equal(branch_rule_for(2), BRANCH_JOINT);
    assert_int_equal(branch_rule_for(3), BRANCH_STANDALONE);
    assert_int_equal(branch_rule_for(120), BRANCH_STANDALONE);
    assert_int_equal(branch_rule_for(-1), BRANCH_JOINT);
    assert_string_equal(branch_formation_zh(BRANCH_STANDALONE), "单独组建");
    assert_string_equal(branch_formation_zh(BRANCH_JOINT), "联合组建");
    assert_string_equal(branch_formation_id(BRANCH_STANDALONE), "standalone");
    assert_string_equal(branch_formation_id(BRANCH_JOINT), "joint");
    enum branch_formation f = BRANCH_STANDALONE;
    assert_true(branch_formation_parse("joint", &f));
    assert_int_equal(f, BRANCH_JOINT);
    assert_true(branch_formation_parse("单独组建", &f));
    assert_int_equal(f, BRANCH_STANDALONE);
    assert_true(branch_formation_parse("联合组建", &f));
    assert_int_equal(f, BRANCH_JOINT);
    assert_false(branch_formation_parse("mixed", &f));
    assert_false(branch_formation_parse(NULL, &f));
}

static void test_branch_all_small(void **state)
{
    (void)state;
    /* Seven 1-member compounds: {1,1,1} {1,1,1} and the last one, a leftover,
     * merges into the nearest (previous) group. */
    EXPECT(L(1, 1, 1, 1, 1, 1, 1), L(0, 0, 0, 1, 1, 1, 1), 2);
    /* Exactly divisible. */
    EXPECT(L(2, 1, 2, 1), L(0, 0, 1, 1), 2);
    /* 2+2 closes at 4; the last 2 is a leftover. */
    EXPECT(L(2, 2, 2), L(0, 0, 0), 1);
    /* A leftover of two compounds. */
    EXPECT(L(1, 2, 0, 1), L(0, 0, 0, 0), 1);
    /* Compounds with no party member are covered too. */
    EXPECT(L(0, 0, 1, 2, 0), L(0, 0, 0, 0, 0), 1);
}

static void test_branch_one_big_among_small(void **state)
{
    (void)state;
    /* Small runs that reach 3 on their own leave the big compound standalone. */
    EXPECT(L(2, 2, 5, 2, 1), L(0, 0, N_, 1, 1), 2);
    /* Runs too small on their own join the big neighbour: the first run has no
     * left neighbour so it takes the right one; the second run's left neighbour
     * is then already in that group, the nearest group. */
    EXPECT(L(1, 1, 5, 1, 1), L(0, 0, 0, 0, 0), 1);
    /* One small compound between two big ones joins the left one. */
    EXPECT(L(4, 1, 6), L(0, 0, N_), 1);
    /* Two small compounds separated by two big ones: each joins its own. */
    EXPECT(L(1, 4, 4, 1), L(0, 0, 1, 1), 2);
    /* Big compounds only: nothing to propose. */
    EXPECT(L(3, 7, 12), L(N_, N_, N_), 0);
}

static void test_branch_existing_branches(void **state)
{
    (void)state;
    /* A neighbour that already has a branch is preferred as host. */
    EXPECT(L(-4, 1, 6), L(0, 0, N_), 1);
    EXPECT(L(4, 1, -6), L(N_, 0, 0), 1);
    /* A small compound already in a branch is left alone and splits runs. */
    EXPECT(L(-1, 1, 1, 1), L(N_, 0, 0, 0), 1);
    EXPECT(L(1, 1, 1, -2, 2, 1), L(0, 0, 0, N_, 1, 1), 2);
    /* All covered already. */
    EXPECT(L(-1, -5, -2), L(N_, N_, N_), 0);
}

static void test_branch_degenerate(void **state)
{
    (void)state;
    /* A one-compound community under 3 members: one group, the best possible. */
    EXPECT(L(2), L(0), 1);
    EXPECT(L(0, 1), L(0, 0), 1);
    EXPECT(L(5), L(N_), 0);

    struct compound_info c[2] = {{"a", 1, false}, {"b", -1, false}};
    int g[2];
    assert_int_equal(branch_propose_joint(c, 2, g), -1); /* negative members */
    assert_int_equal(branch_propose_joint(c, -1, g), -1);
    assert_int_equal(branch_propose_joint(NULL, 2, g), -1);
    assert_int_equal(branch_propose_joint(c, 2, NULL), -1);
    assert_int_equal(branch_propose_joint(NULL, 0, NULL), 0);
}

/* Deterministic pseudo-random layouts; checks the contract on each:
 * every candidate is grouped; groups are contiguous and numbered 0.. in order;
 * a compound outside any group is not a candidate; a group reaches 3 members
 * unless it holds a compound that already has a branch or it is the whole
 * community. */
static unsigned int lcg_next(unsigned int *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7FFF;
}

static void test_branch_random_invariants(void **state)
{
    (void)state;
    unsigned int seed = 20250601u;
    for (int round = 0; round < 5000; round++) {
        int n = 1 + (int)(lcg_next(&seed) % MAXC);
        struct compound_info c[MAXC] = {{0}};
        int g[MAXC] = {0};
        for (int i = 0; i < n; i++) {
            unsigned int r = lcg_next(&seed);
            c[i].code = "x";
            c[i].party_members = (int)(r % 10 < 7 ? r % 3 : r % 9); /* mostly small */
            c[i].has_branch = lcg_next(&seed) % 8 == 0;
        }
        int k = branch_propose_joint(c, n, g);
        assert_true(k >= 0);
        int expected_next = 0;
        for (int i = 0; i < n; i++) {
            bool cand = !c[i].has_branch && c[i].party_members < 3;
            if (cand) assert_true(g[i] >= 0);
            if (g[i] < 0) {
                assert_int_equal(g[i], BRANCH_GROUP_NONE);
                continue;
            }
            assert_true(g[i] < k);
            if (i == 0 || g[i - 1] != g[i]) { /* a group starts here */
                assert_int_equal(g[i], expected_next);
                expected_next++;
            }
        }
        assert_int_equal(expected_next, k);
        for (int grp = 0; grp < k; grp++) {
            long sum = 0;
            bool has_existing = false;
            int size = 0;
            for (int i = 0; i < n; i++) {
                if (g[i] != grp) continue;
                sum += c[i].party_members;
                has_existing |= c[i].has_branch;
                size++;
            }
            if (sum < 3 && !has_existing) assert_int_equal(size, n);
        }
    }
}

static void test_branch_coverage_xinzhou(void **state)
{
    (void)state;
    /* 忻州: 2366 小区 all covered, 2057 branches, 1680 standalone → 377 joint. */
    struct branch_coverage cov;
    memset(&cov, 0, sizeof cov);
    branch_coverage_add(&cov, 2366, 2366, 1680, 377);
    assert_int_equal(cov.compounds, 2366);
    assert_int_equal(cov.covered, 2366);
    assert_int_equal(cov.branches, 2057);
    assert_int_equal(cov.standalone, 1680);
    assert_int_equal(cov.joint, 377);
    assert_true(fabs(branch_coverage_percent(&cov) - 100.0) < 1e-9);
    assert_true(fabs(branch_coverage_standalone_percent(&cov) - 100.0 * 1680 / 2057) < 1e-9);
}

static void test_branch_coverage_sum(void **state)
{
    (void)state;
    struct branch_coverage cov;
    memset(&cov, 0, sizeof cov);
    assert_true(branch_coverage_percent(&cov) == 0.0); /* no compounds */
    assert_true(branch_coverage_standalone_percent(&cov) == 0.0);
    assert_true(branch_coverage_percent(NULL) == 0.0);
    /* Two communities: 40 compounds, 30 covered by 20 + 4 branches; then 10
     * compounds, 9 covered by 6 + 1. Negative figures count as 0. */
    branch_coverage_add(&cov, 40, 30, 20, 4);
    branch_coverage_add(&cov, 10, 9, 6, 1);
    branch_coverage_add(&cov, -5, -5, -1, -1);
    branch_coverage_add(NULL, 1, 1, 1, 1);
    assert_int_equal(cov.compounds, 50);
    assert_int_equal(cov.covered, 39);
    assert_int_equal(cov.branches, 31);
    assert_int_equal(cov.standalone, 26);
    assert_int_equal(cov.joint, 5);
    assert_true(fabs(branch_coverage_percent(&cov) - 78.0) < 1e-9);
    assert_true(fabs(branch_coverage_standalone_percent(&cov) - 100.0 * 26 / 31) < 1e-9);
}

/* The proposal feeds the coverage report: one community, proposal applied. */
static void test_branch_proposal_to_coverage(void **state)
{
    (void)state;
    struct compound_info c[] = {{"01", 6, true},  {"02", 1, false}, {"03", 1, false},
                                {"04", 2, false}, {"05", 4, false}, {"06", 0, false}};
    int g[6];
    int k = branch_propose_joint(c, 6, g);
    /* 02+03+04 form one group; 06 alone joins its left neighbour 05. */
    const int want[] = {N_, 0, 0, 0, 1, 1};
    for (int i = 0; i < 6; i++) assert_int_equal(g[i], want[i]);
    assert_int_equal(k, 2);
    int standalone = 0;
    for (int i = 0; i < 6; i++)
        if (g[i] == BRANCH_GROUP_NONE && branch_rule_for(c[i].party_members) == BRANCH_STANDALONE)
            standalone++;
    struct branch_coverage cov;
    memset(&cov, 0, sizeof cov);
    branch_coverage_add(&cov, 6, 6, standalone, k);
    assert_int_equal(cov.branches, 3);
    assert_true(fabs(branch_coverage_percent(&cov) - 100.0) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_branch_rule_for),
        cmocka_unit_test(test_branch_all_small),
        cmocka_unit_test(test_branch_one_big_among_small),
        cmocka_unit_test(test_branch_existing_branches),
        cmocka_unit_test(test_branch_degenerate),
        cmocka_unit_test(test_branch_random_invariants),
        cmocka_unit_test(test_branch_coverage_xinzhou),
        cmocka_unit_test(test_branch_coverage_sum),
        cmocka_unit_test(test_branch_proposal_to_coverage),
    };
    return cmocka_run_group_tests_name("branch_rule", tests, NULL, NULL);
}
