/* Unit tests for core/checkin_code: the codes of RFC 6238's SHA-256 test
 * vectors (their last six digits), the current and previous step accepted,
 * older and next steps refused, malformed codes refused, and the window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/checkin_code.h"

static const unsigned char SECRET[] = "12345678901234567890123456789012";
#define SLEN 32

static void test_vectors(void **state)
{
    (void)state;
    char c[7];
    checkin_code_at(SECRET, SLEN, checkin_step(59), c);
    assert_string_equal(c, "119246"); /* RFC 6238: 46119246 */
    checkin_code_at(SECRET, SLEN, checkin_step(1111111109), c);
    assert_string_equal(c, "084774"); /* 68084774 */
    checkin_code_at(SECRET, SLEN, checkin_step(1111111111), c);
    assert_string_equal(c, "062674"); /* 67062674 */
    checkin_code_at(SECRET, SLEN, checkin_step(2000000000), c);
    assert_string_equal(c, "698825"); /* 90698825 */
}

static void test_steps(void **state)
{
    (void)state;
    time_t now = 1795397400; /* a step boundary: 1795397400 = 30 × 59846580 */
    char cur[7], prev[7], old[7], next[7];
    int64_t s = checkin_step(now);
    checkin_code_at(SECRET, SLEN, s, cur);
    checkin_code_at(SECRET, SLEN, s - 1, prev);
    checkin_code_at(SECRET, SLEN, s - 2, old);
    checkin_code_at(SECRET, SLEN, s + 1, next);
    assert_true(checkin_code_valid(SECRET, SLEN, now, cur));
    assert_true(checkin_code_valid(SECRET, SLEN, now + 29, cur));
    assert_true(checkin_code_valid(SECRET, SLEN, now, prev));
    if (strcmp(old, cur) && strcmp(old, prev))
        assert_false(checkin_code_valid(SECRET, SLEN, now, old));
    if (strcmp(next, cur) && strcmp(next, prev))
        assert_false(checkin_code_valid(SECRET, SLEN, now, next));
    /* a code read in the last second of its step still works in the next one */
    assert_true(checkin_code_valid(SECRET, SLEN, now + 30, cur));
    assert_false(checkin_code_valid(SECRET, SLEN, now, "12345"));
    assert_false(checkin_code_valid(SECRET, SLEN, now, "1234567"));
    assert_false(checkin_code_valid(SECRET, SLEN, now, NULL));
    /* another secret gives other codes */
    const unsigned char other[] = "abcdefghijabcdefghijabcdefghijab";
    char oc[7];
    checkin_code_at(other, SLEN, s, oc);
    assert_string_not_equal(oc, cur);
}

static void test_window(void **state)
{
    (void)state;
    time_t start = 1795397400, end = start + 7200;
    assert_false(checkin_window_open(start - CHECKIN_EARLY_S - 1, start, end));
    assert_true(checkin_window_open(start - CHECKIN_EARLY_S, start, end));
    assert_true(checkin_window_open(start, start, end));
    assert_true(checkin_window_open(end, start, end));
    assert_false(checkin_window_open(end + 1, start, end));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_window),
    };
    return cmocka_run_group_tests_name("checkin_code", tests, NULL, NULL);
}
