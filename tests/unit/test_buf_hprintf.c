/* Unit tests for util/buf's buf_hprintf: every %s escaped (with precision),
 * numbers of every length modifier as printf writes them, '*' widths, %%. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

static void test_escapes_strings(void **state)
{
    (void)state;
    buf b = {0};
    buf_hprintf(&b, "<a href=\"/x/%s\">%s</a>", "a\"b", "<script>&'");
    assert_string_equal(buf_cstr(&b), "<a href=\"/x/a&quot;b\">&lt;script&gt;&amp;&#39;</a>");
    buf_reset(&b);
    buf_hprintf(&b, "[%.3s|%.*s]", "<<<<<", 2, "&&&&");
    assert_string_equal(buf_cstr(&b), "[&lt;&lt;&lt;|&amp;&amp;]");
    buf_free(&b);
}

static void test_numbers_as_printf(void **state)
{
    (void)state;
    buf b = {0};
    buf_hprintf(&b, "%d %ld %lld %u %zu %x %05.1f %c %% %*d|%-4s|", -7, 123456789L,
                (long long)INT64_MAX, 42u, (size_t)9, 255, 3.14159, 'z', 3, 5, "é");
    char want[160];
    snprintf(want, sizeof want, "%d %ld %lld %u %zu %x %05.1f %c %% %*d|%s|", -7, 123456789L,
             (long long)INT64_MAX, 42u, (size_t)9, 255, 3.14159, 'z', 3, 5, "é");
    assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_strings),
        cmocka_unit_test(test_numbers_as_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
