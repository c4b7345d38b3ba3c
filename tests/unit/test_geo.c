/* Unit tests for core/geo (the one coordinate parser and the public rounding),
 * core/redact (contact numbers out of published text) and core/net_addr
 * (which webhook targets are public). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/geo.h"
#include "core/net_addr.h"
#include "core/redact.h"

static void test_geo_accepts_plain_decimals_inside_china(void **state)
{
    (void)state;
    double v = 0;
    assert_true(geo_parse("39.38", GEO_LAT, &v));
    assert_true(v > 39.379 && v < 39.381);
    assert_true(geo_parse("111", GEO_LON, &v));
    assert_true(geo_parse("3.8", GEO_LAT, NULL));
    assert_true(geo_parse("53.6", GEO_LAT, NULL));
    assert_true(geo_parse("73.5", GEO_LON, NULL));
    assert_true(geo_parse("135.1", GEO_LON, NULL));
    assert_true(geo_parse("39.123456789012", GEO_LAT, NULL)); /* 12 decimals */
}

static void test_geo_refuses_everything_else(void **state)
{
    (void)state;
    static const char *const bad[] = {NULL,       "",
                                      "nan",      "NaN",
                                      "inf",      "-inf",
                                      "infinity", "0x10",
                                      "0x1p5",    "1e1",
                                      "39.1e0",   " 39.1",
                                      "39.1 ",    "+39.1",
                                      "39,1",     ".5",
                                      "39.",      "-",
                                      "-.5",      "39.1abc",
                                      "0039.1",   "39.1234567890123",
                                      "39..1",    "3 9",
                                      "３９.１",  "39.1\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 12345;
        assert_false(geo_parse(bad[i], GEO_LAT, &v));
        assert_true(v == 12345); /* untouched */
    }
    /* numbers, but outside the box (or swapped) */
    assert_false(geo_parse("3.79", GEO_LAT, NULL));
    assert_false(geo_parse("53.61", GEO_LAT, NULL));
    assert_false(geo_parse("0", GEO_LAT, NULL));
    assert_false(geo_parse("-39.1", GEO_LAT, NULL));
    assert_false(geo_parse("111.1", GEO_LAT, NULL));
    assert_false(geo_parse("39.1", GEO_LON, NULL));
    assert_false(geo_parse("135.11", GEO_LON, NULL));
    assert_false(geo_parse("999", GEO_LON, NULL));
}

static void expect_public(double v, const char *want)
{
    char out[24];
    geo_public(v, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_geo_public_rounds_to_about_100m(void **state)
{
    (void)state;
    expect_public(39.381234, "39.381");
    expect_public(111.152545, "111.153");
    expect_public(39.3804, "39.38");
    expect_public(111.0002, "111");
    expect_public(39.9999, "40");
}

static void expect_redact(const char *in, const char *want, int n)
{
    char out[256];
    memset(out, 'Z', sizeof out);
    assert_int_equal(redact_numbers(in, out, sizeof out), n);
    assert_string_equal(out, want);
}

static void test_redact_numbers(void **state)
{
    (void)state;
    expect_redact("请联系13912345678谢谢", "请联系***谢谢", 1);
    expect_redact("电话 139 1234 5678。", "电话 ***。", 1);
    expect_redact("139-1234-5678", "***", 1);
    expect_redact("+86 139 1234 5678", "***", 1);
    expect_redact("座机0350-7212345转8", "座机***转8", 1);
    expect_redact("身份证14093019900307123X号", "身份证***号", 1);
    expect_redact("身份证14093019900307123x", "身份证***", 1);
    expect_redact("全角１３９１２３４５６７８", "全角***", 1);
    expect_redact("１３９－１２３４－５６７８", "***", 1);
    expect_redact("7212345", "***", 1);
    /* short numbers stay: house numbers, counts, years */
    expect_redact("3号楼2单元301，共3盏灯，2026年", "3号楼2单元301，共3盏灯，2026年", 0);
    expect_redact("123456", "123456", 0);
    expect_redact("a 1 2 3 4 5 6 b", "a 1 2 3 4 5 6 b", 0);
    expect_redact("a 1 2 3 4 5 6 7 b", "a *** b", 1);
    expect_redact("", "", 0);
    expect_redact(NULL, "", 0);
    expect_redact("两个 13912345678 和 13812345678", "两个 *** 和 ***", 2);
    /* a trailing separator is not part of the number */
    expect_redact("13912345678- ", "***- ", 1);
}

static void test_redact_never_longer_and_truncates_cleanly(void **state)
{
    (void)state;
    char out[8];
    redact_numbers("路灯坏了", out, sizeof out); /* 12 bytes into 8: two characters */
    assert_string_equal(out, "路灯");
    char big[64];
    const char *in = "1234567 1234567 1234567";
    redact_numbers(in, big, strlen(in) + 1);
    assert_string_equal(big, "***");
    /* a truncated UTF-8 sequence at the end does not read past the end */
    redact_numbers("a\xE4\xB8", big, sizeof big);
    assert_string_equal(big, "a\xE4\xB8");
}

static void test_net_host_private(void **state)
{
    (void)state;
    static const char *const priv[] = {"127.0.0.1",
                                       "127.255.1.2",
                                       "10.0.0.1",
                                       "172.16.0.1",
                                       "172.31.255.255",
                                       "192.168.0.1",
                                       "169.254.169.254",
                                       "100.64.0.1",
                                       "100.127.255.255",
                                       "0.0.0.0",
                                       "224.0.0.1",
                                       "255.255.255.255",
                                       "192.0.2.1",
                                       "198.18.0.1",
                                       "::1",
                                       "::",
                                       "fe80::1",
                                       "fc00::1",
                                       "fd12:3456::1",
                                       "ff02::1",
                                       "::ffff:127.0.0.1",
                                       "::ffff:10.0.0.1",
                                       "64:ff9b::a00:1",
                                       "2002:7f00:1::",
                                       "2001:db8::1",
                                       "localhost",
                                       "LOCALHOST.",
                                       "a.b.localhost",
                                       "2130706433",
                                       "0x7f.1",
                                       "127.1",
                                       "017700000001",
                                       ""};
    for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++) {
        if (net_host_private(priv[i]) != 1) fail_msg("%s should not be public", priv[i]);
    }
    static const char *const pub[] = {"8.8.8.8",        "172.32.0.1",    "172.15.255.255",
                                      "100.128.0.1",    "192.169.0.1",   "2400:3200::1",
                                      "::ffff:8.8.8.8", "2002:808:808::"};
    for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++) {
        if (net_host_private(pub[i]) != 0) fail_msg("%s should be public", pub[i]);
    }
    assert_int_equal(net_host_private("example.org"), -1);
    assert_int_equal(net_host_private("localhost.example.org"), -1);
    assert_int_equal(net_host_private("notlocalhost"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geo_accepts_plain_decimals_inside_china),
        cmocka_unit_test(test_geo_refuses_everything_else),
        cmocka_unit_test(test_geo_public_rounds_to_about_100m),
        cmocka_unit_test(test_redact_numbers),
        cmocka_unit_test(test_redact_never_longer_and_truncates_cleanly),
        cmocka_unit_test(test_net_host_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
