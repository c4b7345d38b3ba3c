/* Unit tests for core/idcard: the 18-digit 身份证号 check (GB 11643-1999) with
 * real valid numbers and each way a number can be wrong. The clock is fixed
 * (2025-06-01 12:00 Beijing) so the "future date" cases never drift. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/idcard.h"

#define NOW_2025_06_01_NOON ((time_t)1748750400) /* 2025-06-01 12:00 +08:00 */
#define NOW_2025_06_01_0000 ((time_t)1748707200) /* 2025-06-01 00:00 +08:00 */

static void expect_reason(const char *id, time_t now, const char *reason)
{
    const char *why = NULL;
    struct idcard_info info;
    assert_false(idcard_check(id, now, &info, &why));
    assert_non_null(why);
    assert_string_equal(why, reason);
}

static void test_idcard_valid_hequ(void **state)
{
    (void)state;
    /* 河曲县 140930, born 1990-03-07, sequence 123 (odd: male), check digit 4. */
    assert_int_equal(idcard_check_digit("14093019900307123"), '4');
    struct idcard_info info;
    const char *why = "unset";
    assert_true(idcard_check("140930199003071234", NOW_2025_06_01_NOON, &info, &why));
    assert_null(why);
    assert_string_equal(info.birth, "1990-03-07");
    assert_int_equal(info.sex, 'M');
    assert_string_equal(info.province, "14");
}

static void test_idcard_valid_x_female(void **state)
{
    (void)state;
    /* The widely published sample number; check digit X, 17th digit 2: female. */
    assert_int_equal(idcard_check_digit("11010519491231002"), 'X');
    struct idcard_info info;
    assert_true(idcard_check("11010519491231002X", NOW_2025_06_01_NOON, &info, NULL));
    assert_string_equal(info.birth, "1949-12-31");
    assert_int_equal(info.sex, 'F');
    assert_string_equal(info.province, "11");
    /* NULL out and NULL reason are allowed. */
    assert_true(idcard_check("14093019850617031X", NOW_2025_06_01_NOON, NULL, NULL));
}

static void test_idcard_lowercase_x(void **state)
{
    (void)state;
    struct idcard_info info;
    assert_true(idcard_check("14093019850617031x", NOW_2025_06_01_NOON, &info, NULL));
    assert_int_equal(info.sex, 'M');
    assert_string_equal(info.birth, "1985-06-17");

    char s[] = "14093019850617031x";
    idcard_normalize(s);
    assert_string_equal(s, "14093019850617031X");
}

static void test_idcard_normalize(void **state)
{
    (void)state;
    char a[] = "  140930 19900307 1234\t\n";
    idcard_normalize(a);
    assert_string_equal(a, "140930199003071234");
    /* Full-width digits and ｘ as pasted from some spreadsheets, with U+3000. */
    char b[] = "１４０９３０１９８５０６１７０３１ｘ\xE3\x80\x80";
    idcard_normalize(b);
    assert_string_equal(b, "14093019850617031X");
    char c[] = "";
    idcard_normalize(c);
    assert_string_equal(c, "");
    idcard_normalize(NULL);
}

static void test_idcard_wrong_check_digit(void **state)
{
    (void)state;
    expect_reason("140930199003071235", NOW_2025_06_01_NOON, "身份证号校验位错误");
    expect_reason("140930199003071230", NOW_2025_06_01_NOON, "身份证号校验位错误");
    expect_reason("11010519491231002Y", NOW_2025_06_01_NOON, "身份证号只能由数字和末位X组成");
    expect_reason("110105194912310021", NOW_2025_06_01_NOON, "身份证号校验位错误");
    /* A single transposition is caught. */
    expect_reason("140930199003071324", NOW_2025_06_01_NOON, "身份证号校验位错误");
}

static void test_idcard_length_and_chars(void **state)
{
    (void)state;
    expect_reason("", NOW_2025_06_01_NOON, "身份证号不能为空");
    expect_reason(NULL, NOW_2025_06_01_NOON, "身份证号不能为空");
    expect_reason("14093019900307123", NOW_2025_06_01_NOON, "身份证号长度应为18位");
    expect_reason("1409301990030712345", NOW_2025_06_01_NOON, "身份证号长度应为18位");
    expect_reason("140930900307123", NOW_2025_06_01_NOON, "身份证号长度应为18位"); /* 15-digit */
    expect_reason("14093019900307X234", NOW_2025_06_01_NOON, "身份证号只能由数字和末位X组成");
    expect_reason("14093019900307123 ", NOW_2025_06_01_NOON, "身份证号只能由数字和末位X组成");
    expect_reason("1409301990-3071234", NOW_2025_06_01_NOON, "身份证号只能由数字和末位X组成");
    assert_int_equal(idcard_check_digit("1409301990030712"), '\0');
    assert_int_equal(idcard_check_digit("1409301990030712a"), '\0');
    assert_int_equal(idcard_check_digit(NULL), '\0');
}

static void test_idcard_leap_years(void **state)
{
    (void)state;
    /* 2000 is a leap year (divisible by 400): 2000-02-29 is real. */
    struct idcard_info info;
    assert_true(idcard_check("140930200002290043", NOW_2025_06_01_NOON, &info, NULL));
    assert_string_equal(info.birth, "2000-02-29");
    assert_int_equal(info.sex, 'F');
    /* 2001 is not: Feb 29 is rejected even with a correct check digit. */
    assert_int_equal(idcard_check_digit("14093020010229001"), '6');
    expect_reason("140930200102290016", NOW_2025_06_01_NOON, "出生日期无效");
    /* 1900 is not a leap year (divisible by 100, not 400). */
    char s[19] = "14093019000229001";
    s[17] = idcard_check_digit(s);
    s[18] = '\0';
    expect_reason(s, NOW_2025_06_01_NOON, "出生日期无效");

    assert_true(idcard_date_valid(2024, 2, 29));
    assert_false(idcard_date_valid(2023, 2, 29));
    assert_false(idcard_date_valid(2100, 2, 29));
    assert_true(idcard_date_valid(2400, 2, 29));
    assert_false(idcard_date_valid(2025, 4, 31));
    assert_false(idcard_date_valid(2025, 13, 1));
    assert_false(idcard_date_valid(2025, 0, 1));
    assert_false(idcard_date_valid(2025, 1, 0));
    assert_true(idcard_date_valid(2025, 12, 31));
}

static void make_id(char out[19], const char *first17)
{
    memcpy(out, first17, 17);
    out[17] = idcard_check_digit(first17);
    out[18] = '\0';
}

static void test_idcard_bad_dates(void **state)
{
    (void)state;
    char s[19];
    make_id(s, "14093019901301123"); /* month 13 */
    expect_reason(s, NOW_2025_06_01_NOON, "出生日期无效");
    make_id(s, "14093019900431123"); /* April 31 */
    expect_reason(s, NOW_2025_06_01_NOON, "出生日期无效");
    make_id(s, "14093019900100123"); /* day 0 */
    expect_reason(s, NOW_2025_06_01_NOON, "出生日期无效");
    make_id(s, "14093018991231123"); /* before 1900 */
    expect_reason(s, NOW_2025_06_01_NOON, "出生日期早于1900年");
    /* 1900-01-01 itself is allowed. */
    assert_true(idcard_check("140930190001010015", NOW_2025_06_01_NOON, NULL, NULL));
}

static void test_idcard_future_date(void **state)
{
    (void)state;
    /* Born tomorrow (2025-06-02): refused. */
    expect_reason("140930202506020011", NOW_2025_06_01_NOON, "出生日期晚于当前日期");
    /* Born today is fine, and "today" is the Beijing date: at 00:00 Beijing
     * (still 31 May in UTC) 2025-06-01 is already today. */
    assert_true(idcard_check("140930202506010016", NOW_2025_06_01_NOON, NULL, NULL));
    assert_true(idcard_check("140930202506010016", NOW_2025_06_01_0000, NULL, NULL));
    expect_reason("140930202506010016", NOW_2025_06_01_0000 - 1, "出生日期晚于当前日期");
    char s[19];
    make_id(s, "14093020300101123");
    expect_reason(s, NOW_2025_06_01_NOON, "出生日期晚于当前日期");
}

static void test_idcard_bad_province(void **state)
{
    (void)state;
    char s[19];
    make_id(s, "10093019900307123"); /* 10: none */
    expect_reason(s, NOW_2025_06_01_NOON, "省份代码无效");
    make_id(s, "16093019900307123"); /* 16: gap after 15 */
    expect_reason(s, NOW_2025_06_01_NOON, "省份代码无效");
    make_id(s, "38093019900307123");
    expect_reason(s, NOW_2025_06_01_NOON, "省份代码无效");
    make_id(s, "99093019900307123");
    expect_reason(s, NOW_2025_06_01_NOON, "省份代码无效");
    make_id(s, "00093019900307123");
    expect_reason(s, NOW_2025_06_01_NOON, "省份代码无效");
    /* Each valid range endpoint. The county part is not checked: 999 is fine. */
    const char *ok[] = {"11", "15", "21", "23", "31", "37", "41", "46",
                        "50", "54", "61", "65", "71", "81", "82"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char first[18];
        memcpy(first, ok[i], 2);
        memcpy(first + 2, "999919900307123", 16);
        make_id(s, first);
        assert_true(idcard_check(s, NOW_2025_06_01_NOON, NULL, NULL));
        assert_true(idcard_province_valid((ok[i][0] - '0') * 10 + (ok[i][1] - '0')));
    }
    const int bad[] = {0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 91, 99};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(idcard_province_valid(bad[i]));
}

static void test_idcard_today(void **state)
{
    (void)state;
    int y, m, d;
    idcard_today(NOW_2025_06_01_NOON, &y, &m, &d);
    assert_int_equal(y, 2025);
    assert_int_equal(m, 6);
    assert_int_equal(d, 1);
    idcard_today(NOW_2025_06_01_0000 - 1, &y, &m, &d);
    assert_int_equal(d, 31);
    assert_int_equal(m, 5);
    idcard_today((time_t)0, &y, &m, &d); /* 1970-01-01 08:00 Beijing */
    assert_int_equal(y, 1970);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    idcard_today((time_t)-28801, &y, &m, &d); /* 1969-12-31 23:59:59 Beijing */
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    idcard_today((time_t)951782400, &y, &m, &d); /* 2000-02-29 08:00 Beijing */
    assert_int_equal(y, 2000);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idcard_valid_hequ),
        cmocka_unit_test(test_idcard_valid_x_female),
        cmocka_unit_test(test_idcard_lowercase_x),
        cmocka_unit_test(test_idcard_normalize),
        cmocka_unit_test(test_idcard_wrong_check_digit),
        cmocka_unit_test(test_idcard_length_and_chars),
        cmocka_unit_test(test_idcard_leap_years),
        cmocka_unit_test(test_idcard_bad_dates),
        cmocka_unit_test(test_idcard_future_date),
        cmocka_unit_test(test_idcard_bad_province),
        cmocka_unit_test(test_idcard_today),
    };
    return cmocka_run_group_tests_name("idcard", tests, NULL, NULL);
}
