/* Unit tests for core/order_rates: a hand-made fixture of twelve orders is
 * counted here the way the store counts them (core/order_tally), and every rate is checked
 * against a value worked out by hand; then roll-up, "no data" and
 * inconsistent counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/order_rates.h"
#include "core/order_tally.h"

/* One order of the fixture, as its history would show it. */
struct fx_order {
    int no;
    bool accepted;
    const char *ended; /* final state id */
    int response_s;    /* counted seconds to first contact; -1 = none */
    bool response_in_limit;
    int resolution_s; /* counted seconds to (latest) resolution; -1 = never resolved */
    bool resolution_in_limit;
    const char *outcome; /* latest outcome */
    bool reopened;
    const char *ratings; /* one letter per rating given: s 满意, b 基本满意, u 不满意;
                          * the last one stands */
};

static const struct fx_order fixture[] = {
    {1, true, "closed", 600, true, 36000, true, "fixed", false, "s"},
    {2, true, "closed", 1200, true, 100000, false, "fixed", false, "b"},
    /* Not fixed first, 不满意, reopened, fixed, 满意. */
    {3, true, "closed", 5400, false, 50000, true, "fixed", true, "us"},
    {4, true, "resolved", 300, true, 20000, true, "to_demand_list", false, ""},
    {5, true, "taken", 1800, true, -1, false, NULL, false, ""},
    {6, true, "dispatched", -1, false, -1, false, NULL, false, ""},
    {7, true, "rejected", -1, false, -1, false, NULL, false, ""},
    {8, true, "merged", -1, false, -1, false, NULL, false, ""},
    {9, false, "rejected", -1, false, -1, false, NULL, false, ""},
    {10, false, "merged", -1, false, -1, false, NULL, false, ""},
    {11, false, "submitted", -1, false, -1, false, NULL, false, ""},
    {12, true, "closed", 900, true, 10000, true, "fixed", false, "s"},
};

/* Counts the fixture the way the store does: each order's facts through
 * core/order_tally, the counters summed. */
static struct order_counts count(const struct fx_order *o, int n)
{
    long long sum[ORDER_TALLY_N] = {0}, v[ORDER_TALLY_N];
    for (int i = 0; i < n; i++) {
        struct order_facts f = {0};
        assert_true(order_state_parse(o[i].ended, &f.state));
        f.accepted = o[i].accepted;
        f.responded = o[i].response_s >= 0;
        f.response_seconds = o[i].response_s;
        f.response_breached = f.responded && !o[i].response_in_limit;
        f.resolved = o[i].resolution_s >= 0;
        f.resolution_seconds = o[i].resolution_s;
        f.resolution_breached = f.resolved && !o[i].resolution_in_limit;
        if (o[i].outcome) assert_true(order_outcome_parse(o[i].outcome, &f.outcome));
        f.reopened = o[i].reopened;
        size_t nr = strlen(o[i].ratings); /* the standing rating is the latest */
        if (nr) {
            char last[2] = {o[i].ratings[nr - 1], 0};
            f.rating = last[0] == 's'   ? ORDER_RATING_SATISFIED
                       : last[0] == 'b' ? ORDER_RATING_BASIC
                                        : ORDER_RATING_UNSATISFIED;
        }
        order_tally_of(&f, v);
        assert_int_equal(v[T_TOTAL], 1);
        for (int m = 0; m < ORDER_TALLY_N; m++) sum[m] += v[m];
    }
    struct order_counts c;
    order_tally_counts(sum, &c);
    return c;
}

#define NFIX ((int)(sizeof fixture / sizeof fixture[0]))

static void assert_rate(struct rate r, long long num, long long den, int permille, const char *text)
{
    char buf[32];
    assert_int_equal(r.num, num);
    assert_int_equal(r.den, den);
    assert_int_equal(rate_permille(r), permille);
    assert_string_equal(rate_format(r, buf, sizeof buf), text);
}

static void test_fixture(void **state)
{
    (void)state;
    struct order_counts c = count(fixture, NFIX);
    /* The counts, by hand: accepted 1–8 and 12. */
    assert_int_equal(c.accepted, 9);
    assert_int_equal(c.rejected, 1);
    assert_int_equal(c.merged, 1);
    assert_int_equal(c.responded_in_limit, 5); /* 1 2 4 5 12 */
    assert_int_equal(c.resolved, 5);           /* 1 2 3 4 12 */
    assert_int_equal(c.fixed, 4);              /* 1 2 3 12 */
    assert_int_equal(c.resolved_in_limit, 4);  /* 1 3 4 12 */
    assert_int_equal(c.reopened, 1);           /* 3 */
    assert_int_equal(c.satisfied, 3);          /* 1, 3 (its standing second rating), 12 */
    assert_int_equal(c.basic, 1);              /* 2 */
    assert_int_equal(c.unsatisfied, 0);        /* 3's first was replaced by its second */

    struct order_rates r;
    assert_int_equal(order_rates_compute(&c, &r), 0);
    assert_rate(r.response, 5, 9, 556, "55.6%");   /* 555.56‰ */
    assert_rate(r.resolution, 4, 7, 571, "57.1%"); /* base 9 − 1 − 1 */
    assert_rate(r.completion, 5, 7, 714, "71.4%");
    assert_rate(r.satisfaction, 4, 4, 1000, "100.0%"); /* order 4 unrated: not counted */
    assert_rate(r.on_time, 4, 5, 800, "80.0%");
    assert_rate(r.reopen, 1, 5, 200, "20.0%");
    assert_int_equal(r.avg_response_seconds, 1700);    /* 10200 / 6 */
    assert_int_equal(r.avg_resolution_seconds, 43200); /* 216000 / 5 */
}

static void test_roll_up(void **state)
{
    (void)state;
    /* Two communities: rates of the sum, not the mean of the rates. */
    struct order_counts a = {
        .accepted = 1, .responded_in_limit = 1, .resolved = 1, .fixed = 1, .satisfied = 1};
    struct order_counts b = {
        .accepted = 9, .responded_in_limit = 0, .resolved = 3, .fixed = 0, .unsatisfied = 3};
    struct order_counts sum = {0};
    order_counts_add(&sum, &a);
    order_counts_add(&sum, &b);
    struct order_rates r;
    assert_int_equal(order_rates_compute(&sum, &r), 0);
    assert_rate(r.response, 1, 10, 100, "10.0%"); /* the mean of 100 % and 0 % would say 50 % */
    assert_rate(r.resolution, 1, 10, 100, "10.0%");
    assert_rate(r.satisfaction, 1, 4, 250, "25.0%");
    /* Adding the fixture to itself doubles every count and keeps every rate. */
    struct order_counts c = count(fixture, NFIX), d = c;
    order_counts_add(&d, &c);
    assert_int_equal(d.accepted, 18);
    assert_int_equal(d.resolution_seconds, 432000);
    struct order_rates r2;
    assert_int_equal(order_rates_compute(&d, &r2), 0);
    assert_int_equal(rate_permille(r2.response), 556);
    assert_int_equal(r2.avg_response_seconds, 1700);
}

static void test_no_data(void **state)
{
    (void)state;
    struct order_counts none = {0};
    struct order_rates r;
    assert_int_equal(order_rates_compute(&none, &r), 0);
    assert_false(rate_has_data(r.response));
    assert_rate(r.response, 0, 0, -1, "无数据");
    assert_rate(r.satisfaction, 0, 0, -1, "无数据");
    assert_rate(r.on_time, 0, 0, -1, "无数据");
    assert_int_equal(r.avg_response_seconds, -1);
    assert_int_equal(r.avg_resolution_seconds, -1);
    /* Accepted but nothing rated: 满意率 no data, 响应率 0 %. */
    struct order_counts some = {.accepted = 3};
    assert_int_equal(order_rates_compute(&some, &r), 0);
    assert_rate(r.response, 0, 3, 0, "0.0%");
    assert_true(rate_has_data(r.response));
    assert_rate(r.satisfaction, 0, 0, -1, "无数据");
    /* Every accepted order rejected or merged: 解决率 no data. */
    struct order_counts gone = {.accepted = 2, .rejected = 1, .merged = 1};
    assert_int_equal(order_rates_compute(&gone, &r), 0);
    assert_rate(r.resolution, 0, 0, -1, "无数据");
    /* Rounding half up; 100 %. */
    assert_int_equal(rate_permille((struct rate){1, 8}), 125);
    assert_int_equal(rate_permille((struct rate){1, 2000}), 1); /* 0.5‰ → 1 */
    assert_int_equal(rate_permille((struct rate){2, 3}), 667);
    char buf[16];
    assert_string_equal(rate_format((struct rate){7, 7}, buf, sizeof buf), "100.0%");
    assert_null(rate_format((struct rate){1, 2}, NULL, 0));
}

static void test_inconsistent(void **state)
{
    (void)state;
    struct order_rates r;
    struct order_counts bad[] = {
        {.accepted = -1},
        {.accepted = 2, .responded_in_limit = 3},
        {.accepted = 2, .rejected = 2, .resolved = 1},
        {.accepted = 2, .rejected = 2, .merged = 1},
        {.accepted = 5, .resolved = 2, .fixed = 3},
        {.accepted = 5, .resolved = 2, .resolved_in_limit = 3},
        {.accepted = 5, .resolved = 2, .reopened = 3},
        {.accepted = 5, .responded = 6},
        {.accepted = 5, .unsatisfied = -2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(order_rates_compute(&bad[i], &r), -1);
        assert_false(rate_has_data(r.response));
        assert_int_equal(r.avg_response_seconds, -1);
    }
    assert_int_equal(order_rates_compute(NULL, &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_roll_up),
        cmocka_unit_test(test_no_data),
        cmocka_unit_test(test_inconsistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
