/* Unit tests for util/version_cache: an entry answers only for its own key
 * and version, a newer version replaces it, and the least recently used
 * entry gives way when the cache is full, by count or by bytes. */
#include <stdio.h>
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
    struct version_cache *c = version_cache_new(4, 1024);
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
    struct version_cache *c = version_cache_new(2, 1024);
    version_cache_put(c, "a", 1, "A", 1);
    version_cache_put(c, "b", 1, "B", 1);
    assert_true(get(c, "a", 1, "A")); /* a is now more recent than b */
    version_cache_put(c, "c", 1, "C", 1);
    assert_true(get(c, "a", 1, "A"));
    assert_false(get(c, "b", 1, NULL));
    assert_true(get(c, "c", 1, "C"));
    version_cache_free(c);
}

static void test_byte_budget(void **state)
{
    (void)state;
    struct version_cache *c = version_cache_new(100, 40);
    char big[11] = "0123456789";
    version_cache_put(c, "too big", 1, "0123456789AB", 12); /* over a quarter of 40 */
    assert_false(get(c, "too big", 1, NULL));
    for (int i = 0; i < 5; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        version_cache_put(c, k, 1, big, 10);
    }
    /* 40 bytes hold four: the first went */
    assert_false(get(c, "k0", 1, NULL));
    for (int i = 1; i < 5; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        assert_true(get(c, k, 1, big));
    }
    version_cache_free(c);
}

static void test_many_keys(void **state)
{
    (void)state;
    struct version_cache *c = version_cache_new(5000, 1u << 20);
    char k[32], v[32];
    for (int i = 0; i < 6000; i++) {
        snprintf(k, sizeof k, "/api/v1/residents/%d", i);
        snprintf(v, sizeof v, "{\"id\":%d}", i);
        version_cache_put(c, k, 3, v, strlen(v));
    }
    for (int i = 0; i < 6000; i++) {
        snprintf(k, sizeof k, "/api/v1/residents/%d", i);
        snprintf(v, sizeof v, "{\"id\":%d}", i);
        assert_int_equal(get(c, k, 3, v), i >= 1000); /* the oldest thousand gave way */
    }
    version_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_and_version),
        cmocka_unit_test(test_least_recently_used_goes),
        cmocka_unit_test(test_byte_budget),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
