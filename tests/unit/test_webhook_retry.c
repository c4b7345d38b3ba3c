/* Unit tests for core/webhook_retry: the documented schedule 30 s, 60 s,
 * 120 s … capped at one hour, eight attempts in all, 2xx only succeeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/webhook_retry.h"

static void delays_double_from_30_seconds(void **state)
{
    (void)state;
    assert_int_equal(webhook_retry_delay(1), 30);
    assert_int_equal(webhook_retry_delay(2), 60);
    assert_int_equal(webhook_retry_delay(3), 120);
    assert_int_equal(webhook_retry_delay(7), 1920);
    assert_int_equal(webhook_retry_delay(0), 30);
    assert_int_equal(webhook_retry_delay(-5), 30);
}

static void delays_are_capped_at_one_hour(void **state)
{
    (void)state;
    assert_int_equal(webhook_retry_delay(8), 3600);
    assert_int_equal(webhook_retry_delay(40), 3600);
    assert_int_equal(webhook_retry_delay(1000000), 3600);
}

static void eight_attempts_then_give_up(void **state)
{
    (void)state;
    for (int i = 1; i < 8; i++) assert_true(webhook_retry_again(i));
    assert_false(webhook_retry_again(8));
    assert_false(webhook_retry_again(9));
}

static void only_2xx_is_delivered(void **state)
{
    (void)state;
    assert_true(webhook_status_ok(200));
    assert_true(webhook_status_ok(204));
    assert_true(webhook_status_ok(299));
    assert_false(webhook_status_ok(199));
    assert_false(webhook_status_ok(300));
    assert_false(webhook_status_ok(500));
    assert_false(webhook_status_ok(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delays_double_from_30_seconds),
        cmocka_unit_test(delays_are_capped_at_one_hour),
        cmocka_unit_test(eight_attempts_then_give_up),
        cmocka_unit_test(only_2xx_is_delivered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
