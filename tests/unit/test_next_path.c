/* `next` after login (issue 10, point 8): only a path on this site is
 * followed. The values are as the request hands them over: URL-decoded once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/next_path.h"

static void same_site_paths(void **state)
{
    (void)state;
    const char *ok[] = {"/",
                        "/people",
                        "/places/140930100010?tab=people",
                        "/orders/12#history",
                        "/a:b",
                        "/%E6%BB%A8%E6%B2%B3",
                        "/滨河社区",
                        "/people?q=%25"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_true(next_path_ok(ok[i]));
        assert_string_equal(next_path_safe(ok[i]), ok[i]);
    }
}

static void other_sites_and_tricks(void **state)
{
    (void)state;
    const char *bad[] = {NULL,
                         "",
                         "people",
                         "http://example.com",
                         "https://example.com/",
                         "//example.com",
                         "///example.com",
                         "/\\example.com",
                         "\\\\example.com",
                         "/\t/example.com", /* %09 decoded */
                         "/%09/example.com",
                         "/\n/example.com",
                         "/\r\n/x",
                         " /x",
                         "/ /example.com",
                         "/x y",
                         "/%2F/example.com",
                         "/%2f/example.com",
                         "/%5Cexample.com",
                         "/x\\y",
                         "/%20/example.com",
                         "/%00",
                         "/\x7f",
                         "/%7F",
                         "/x%0d%0aSet-Cookie:%20a=b",
                         "javascript:alert(1)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(next_path_ok(bad[i]));
        assert_string_equal(next_path_safe(bad[i]), "/");
    }
}

static void stray_percent_is_plain(void **state)
{
    (void)state;
    /* not an escape: the browser keeps it as it is */
    assert_true(next_path_ok("/x%"));
    assert_true(next_path_ok("/x%2"));
    assert_true(next_path_ok("/%zz"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_site_paths),
        cmocka_unit_test(other_sites_and_tricks),
        cmocka_unit_test(stray_percent_is_plain),
    };
    return cmocka_run_group_tests_name("next_path", tests, NULL, NULL);
}
