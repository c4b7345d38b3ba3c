/* Unit tests for core/mask: masked 身份证号, phones and names as lists show
 * them, including short, odd, multi-byte and invalid input and small buffers,
 * and the phone shape check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/mask.h"

typedef void (*mask_fn)(const char *, char *, size_t);

static void expect_mask(mask_fn f, const char *in, const char *want)
{
    char out[128];
    memset(out, 'Z', sizeof out);
    f(in, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_mask_id_number(void **state)
{
    (void)state;
    expect_mask(mask_id_number, "14093019900307123X", "140930********123X");
    expect_mask(mask_id_number, "140930199003071234", "140930********1234");
    /* A 15-digit first-generation number: 6 + 5 stars + 4. */
    expect_mask(mask_id_number, "140930900307123", "140930*****7123");
    expect_mask(mask_id_number, "123456789012", "123456**9012");
    /* Short input keeps n/3 + n/4 and always hides something. */
    expect_mask(mask_id_number, "12345678901", "123******01");
    expect_mask(mask_id_number, "1234", "1**4");
    expect_mask(mask_id_number, "123", "1**");
    expect_mask(mask_id_number, "12", "**");
    expect_mask(mask_id_number, "1", "*");
    expect_mask(mask_id_number, "", "");
    expect_mask(mask_id_number, NULL, "");
}

static void test_mask_phone(void **state)
{
    (void)state;
    expect_mask(mask_phone, "13812341234", "138****1234");
    expect_mask(mask_phone, "19900001111", "199****1111");
    expect_mask(mask_phone, "0350-1234567", "035*****4567");
    expect_mask(mask_phone, "010-12345678", "010*****5678");
    expect_mask(mask_phone, "1234567", "1****67");
    expect_mask(mask_phone, "12345678", "12****78");
    expect_mask(mask_phone, "12345", "1***5");
    expect_mask(mask_phone, "123", "**3");
    expect_mask(mask_phone, "12", "**");
    expect_mask(mask_phone, "1", "*");
    expect_mask(mask_phone, "+8613812341234", "+86******41234");
    expect_mask(mask_phone, "", "");
    expect_mask(mask_phone, NULL, "");
}

static void test_mask_name(void **state)
{
    (void)state;
    expect_mask(mask_name, "张三", "张*");
    expect_mask(mask_name, "张三丰", "张**");
    expect_mask(mask_name, "欧阳娜娜", "欧***");
    expect_mask(mask_name, "买买提·艾力", "买*****");
    expect_mask(mask_name, "张", "张");
    expect_mask(mask_name, "Li Lei", "L*****");
    /* 4-byte character (CJK Extension B, U+20BB7 𠮷) counts as one. */
    expect_mask(mask_name, "\xF0\xA0\xAE\xB7大", "\xF0\xA0\xAE\xB7*");
    expect_mask(mask_name, "", "");
    expect_mask(mask_name, NULL, "");
}

static void test_mask_invalid_utf8(void **state)
{
    (void)state;
    /* A stray continuation byte, a truncated sequence, an overlong form and a
     * surrogate: each invalid byte is one character, shown as '?' if kept. */
    expect_mask(mask_name, "\x80张", "?*");
    expect_mask(mask_name, "\xE5\xBC", "?*");
    expect_mask(mask_name,
                "\xC0\xAF"
                "a",
                "?**");
    expect_mask(mask_name, "\xED\xA0\x80", "?**");
    expect_mask(mask_phone,
                "138\xFF"
                "1234567",
                "138****4567");
    /* A multi-byte character in the middle of a phone is starred once. */
    expect_mask(mask_phone, "138一二三四1234", "138****1234");
}

static void test_mask_small_buffers(void **state)
{
    (void)state;
    char out[8];
    /* Truncates at a character boundary, never mid-sequence. */
    mask_name("张三丰", out, 5); /* "张" (3) + "*" (1) + NUL */
    assert_string_equal(out, "张*");
    mask_name("张三丰", out, 3); /* "张" does not fit with its NUL */
    assert_string_equal(out, "");
    mask_id_number("14093019900307123X", out, sizeof out);
    assert_string_equal(out, "140930*");
    mask_phone("13812341234", out, 1);
    assert_string_equal(out, "");
    out[0] = 'Q';
    mask_phone("13812341234", out, 0); /* outsz 0: untouched */
    assert_int_equal(out[0], 'Q');
    mask_phone("13812341234", NULL, 10); /* NULL out: no crash */
}

static void test_phone_valid(void **state)
{
    (void)state;
    assert_true(phone_valid("13812341234"));
    assert_true(phone_valid("19912345678"));
    assert_true(phone_valid("16612345678"));
    assert_false(phone_valid("12812341234")); /* 12x is not a mobile prefix */
    assert_false(phone_valid("10812341234"));
    assert_false(phone_valid("1381234123"));   /* 10 digits */
    assert_false(phone_valid("138123412345")); /* 12 digits */
    assert_false(phone_valid("1381234123a"));
    assert_false(phone_valid("+8613812341234"));
    assert_false(phone_valid("138 1234 1234"));

    assert_true(phone_valid("0350-1234567")); /* 忻州 */
    assert_true(phone_valid("0350-12345678"));
    assert_true(phone_valid("010-12345678")); /* 北京 */
    assert_true(phone_valid("03501234567"));
    assert_true(phone_valid("01012345678"));
    assert_true(phone_valid("0350-1234567-801"));
    assert_false(phone_valid("0350-123456"));    /* local too short */
    assert_false(phone_valid("0350-123456789")); /* too long */
    assert_false(phone_valid("0350-0234567"));   /* local starts with 0 */
    assert_false(phone_valid("00350-1234567"));
    assert_false(phone_valid("0350-"));
    assert_false(phone_valid("0350-1234567-"));
    assert_false(phone_valid("0350-1234567-1234567"));
    assert_false(phone_valid("0350--1234567"));
    assert_false(phone_valid("035012345"));
    assert_false(phone_valid("12345"));
    assert_false(phone_valid("0"));
    assert_false(phone_valid(""));
    assert_false(phone_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_id_number),     cmocka_unit_test(test_mask_phone),
        cmocka_unit_test(test_mask_name),          cmocka_unit_test(test_mask_invalid_utf8),
        cmocka_unit_test(test_mask_small_buffers), cmocka_unit_test(test_phone_valid),
    };
    return cmocka_run_group_tests_name("mask", tests, NULL, NULL);
}
