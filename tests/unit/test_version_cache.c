/* Unit tests for util/version_cache: an entry answers only for its own key
 * and version, a newer version replaces it, and the least recently used
 * entry gives way when the cache is full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/version_cache.h"

static bool get(struct version_cache *c, const char *key, int64_t v, const char *want)
{
    buf b = {0};
    bool hit = version_cache_get(c, key, v, &b);
    if (hit && want) assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
    return hit;
}

static void test_key_and_version(void **state)
{
    (void)state;
    struct version_cache *c = version_cache_new(4);
    assert_false(get(c, "140930|1|2", 7, NULL));
    version_cache_put(c, "140930|1|2", 7, "seven", 5);
    assert_true(get(c, "140930|1|2", 7, "seven"));
    assert_false(get(c, "140930|1|2", 8, NULL)); /* the figures changed: not this answer */
    assert_false(get(c, "140930|1|3", 7, NULL)); /* another question */
    version_cache_put(c, "140930|1|2", 8, "eight", 5);
    assert_true(get(c, "140930|1|2", 8, "eight"));
    assert_false(get(c, "140930|1|2", 7, NULL)); /* replaced, not kept beside */
    version_cache_free(c);
}

static void test_least_recently_used_goes(void **state)
{
    (void)state;
    struct version_cache *c = version_cache_new(2);
    version_cache_put(c, "a", 1, "A", 1);
    version_cache_put(c, "b", 1, "B", 1);
    assert_true(get(c, "a", 1, "A")); /* a is now more recent than b */
    version_cache_put(c, "c", 1, "C", 1);
    assert_true(get(c, "a", 1, "A"));
    assert_false(get(c, "b", 1, NULL));
    assert_true(get(c, "c", 1, "C"));
    version_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_and_version),
        cmocka_unit_test(test_least_recently_used_goes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
