/* Unit tests for core/redeem_confirm: codes are six digits and match only
 * themselves; a phone number matches only whole (spaces, '-' and +86 aside),
 * never its last four digits nor another number with the same mask; request
 * keys are 32 lowercase hex digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "core/redeem_confirm.h"

static void test_codes(void **state)
{
    (void)state;
    char c[REDEEM_CODE_DIGITS + 1], d[REDEEM_CODE_DIGITS + 1];
    int same = 0;
    for (int i = 0; i < 100; i++) {
        redeem_code_new(c);
        assert_int_equal(strlen(c), 6);
        assert_int_equal(strspn(c, "0123456789"), 6);
        assert_true(redeem_code_matches(c, c));
        redeem_code_new(d);
        same += strcmp(c, d) == 0;
    }
    assert_true(same < 3); /* drawn, not fixed */
    assert_true(redeem_code_matches("012345", "012 345"));
    assert_false(redeem_code_matches("012345", "012346"));
    assert_false(redeem_code_matches("012345", "12345"));
    assert_false(redeem_code_matches("012345", "0123456"));
    assert_false(redeem_code_matches("012345", "01234a"));
    assert_false(redeem_code_matches("012345", ""));
    assert_false(redeem_code_matches("012345", NULL));
    assert_false(redeem_code_matches(NULL, "012345"));
}

static void test_phones(void **state)
{
    (void)state;
    const char *p = "13812345678";
    assert_true(redeem_phone_matches(p, "13812345678"));
    assert_true(redeem_phone_matches(p, "138 1234 5678"));
    assert_true(redeem_phone_matches(p, "138-1234-5678"));
    assert_true(redeem_phone_matches(p, "+86 13812345678"));
    assert_false(redeem_phone_matches(p, "5678"));        /* what every mask shows */
    assert_false(redeem_phone_matches(p, "13800005678")); /* the same mask, 138****5678 */
    assert_false(redeem_phone_matches(p, "1381234567"));
    assert_false(redeem_phone_matches(p, "138123456789"));
    assert_false(redeem_phone_matches(p, "1381234567x"));
    assert_false(redeem_phone_matches(p, ""));
    assert_false(redeem_phone_matches(p, NULL));
    assert_false(redeem_phone_matches(NULL, "13812345678"));
    assert_false(redeem_phone_matches("", ""));
    assert_false(redeem_phone_matches("5678", "5678")); /* too short to be a number */
    assert_true(redeem_phone_matches("0358-1234567", "03581234567"));
}

static void test_keys(void **state)
{
    (void)state;
    char k[REDEEM_KEY_HEX + 1], l[REDEEM_KEY_HEX + 1];
    redeem_key_new(k);
    redeem_key_new(l);
    assert_true(redeem_key_valid(k));
    assert_string_not_equal(k, l);
    assert_false(redeem_key_valid(NULL));
    assert_false(redeem_key_valid(""));
    assert_false(redeem_key_valid("0123456789abcdef0123456789abcde"));
    assert_false(redeem_key_valid("0123456789ABCDEF0123456789abcdef"));
    assert_true(redeem_key_valid("0123456789abcdef0123456789abcdef"));
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_phones),
        cmocka_unit_test(test_keys),
    };
    return cmocka_run_group_tests_name("redeem_confirm", tests, NULL, NULL);
}
