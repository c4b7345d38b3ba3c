/* The login limits as rules (core/login_rule.h) and the rank rule of account
 * administration (core/roles.h): at most LOGIN_MAX_PAIR attempts per window
 * for one username from one address, a delay that grows but never locks for
 * a username from anywhere, and who outranks whom. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/login_rule.h"
#include "core/roles.h"

static void hard_limit_per_window(void **state)
{
    (void)state;
    struct login_counter c = {0};
    int64_t t = 1000000;
    for (int i = 0; i < LOGIN_MAX_PAIR; i++) assert_int_equal(login_take_hard(&c, t + i, 5), 0);
    assert_int_equal(c.attempts, LOGIN_MAX_PAIR);
    struct login_counter before = c;
    int64_t w = login_take_hard(&c, t + 10, LOGIN_MAX_PAIR);
    assert_int_equal(w, LOGIN_WINDOW - 10);
    assert_memory_equal(&c, &before, sizeof c); /* a refusal changes nothing */
    /* the window ends: counted afresh */
    assert_int_equal(login_take_hard(&c, t + LOGIN_WINDOW, LOGIN_MAX_PAIR), 0);
    assert_int_equal(c.attempts, 1);
    assert_int_equal(c.window_start, t + LOGIN_WINDOW);
}

static void delay_grows_and_is_capped(void **state)
{
    (void)state;
    for (int i = 0; i < LOGIN_FREE; i++) assert_int_equal(login_delay(i), 0);
    assert_int_equal(login_delay(LOGIN_FREE), 1);
    assert_int_equal(login_delay(LOGIN_FREE + 1), 2);
    assert_int_equal(login_delay(LOGIN_FREE + 4), 16);
    assert_int_equal(login_delay(LOGIN_FREE + 9), LOGIN_DELAY_MAX);
    assert_int_equal(login_delay(1000000), LOGIN_DELAY_MAX);
}

static void delayed_counter(void **state)
{
    (void)state;
    struct login_counter c = {0};
    int64_t t = 5000000;
    /* all at once: LOGIN_FREE pass, the next waits a second */
    for (int i = 0; i < LOGIN_FREE; i++) assert_int_equal(login_take_delayed(&c, t), 0);
    struct login_counter before = c;
    assert_int_equal(login_take_delayed(&c, t), 1);
    assert_memory_equal(&c, &before, sizeof c);
    assert_int_equal(login_take_delayed(&c, t + 1), 0);
    assert_int_equal(login_take_delayed(&c, t + 1), 2);
    assert_int_equal(login_take_delayed(&c, t + 3), 0);
    assert_int_equal(login_take_delayed(&c, t + 3), 4);
    /* never more than LOGIN_DELAY_MAX, however long it goes on: no lock */
    int64_t now = t + 3;
    for (int i = 0; i < 50; i++) {
        int64_t w = login_take_delayed(&c, now);
        assert_true(w >= 0 && w <= LOGIN_DELAY_MAX);
        now += w;
        assert_int_equal(login_take_delayed(&c, now), 0);
    }
    assert_int_equal(login_take_delayed(&c, now), LOGIN_DELAY_MAX);
    /* a quiet window forgets */
    assert_int_equal(login_take_delayed(&c, now + LOGIN_WINDOW), 0);
    assert_int_equal(c.attempts, 1);
}

static void ranks(void **state)
{
    (void)state;
    /* a secretary (6) administers a community worker, not another secretary
     * nor a street admin */
    assert_true(role_outranked_by("community_worker", 6));
    assert_false(role_outranked_by("secretary", 6));
    assert_false(role_outranked_by("street_admin", 6));
    assert_true(role_outranked_by("street_admin", 8));
    /* an admin outranks everything, its own rank too */
    assert_true(role_outranked_by("admin", ROLE_RANK_ADMIN));
    assert_true(role_outranked_by("no_such_role", ROLE_RANK_ADMIN));
    assert_false(role_outranked_by("no_such_role", 9));
    assert_false(role_outranked_by(NULL, 9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hard_limit_per_window),
        cmocka_unit_test(delay_grows_and_is_capped),
        cmocka_unit_test(delayed_counter),
        cmocka_unit_test(ranks),
    };
    return cmocka_run_group_tests_name("login_rule", tests, NULL, NULL);
}
