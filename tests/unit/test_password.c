/* Password hashing: production parameters are memory-hard argon2id; the test
 * build's cheaper ones still produce and verify argon2id hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/password.h"

static void production_parameters(void **state)
{
    (void)state;
    struct password_params p = password_params_production();
    assert_true(p.memlimit >= 64u * 1024 * 1024); /* 64 MiB: memory-hard */
    assert_true(p.opslimit >= 3);
}

static void hash_and_verify(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("correct horse", h), 0);
    assert_memory_equal(h, "$argon2id$", 10);
    assert_true(password_verify(h, "correct horse"));
    assert_false(password_verify(h, "correct horsf"));
    assert_false(password_verify("$2y$10$notargon", "x"));
    assert_false(password_verify(NULL, "x"));
}

static void weakness(void **state)
{
    (void)state;
    assert_non_null(password_weakness("short"));
    assert_non_null(password_weakness(NULL));
    assert_null(password_weakness("longenough"));
}

static void tokens(void **state)
{
    (void)state;
    char a[65], b[65], h[65];
    random_token(a, 32);
    random_token(b, 32);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    sha256_hex("abc", h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(production_parameters),
        cmocka_unit_test(hash_and_verify),
        cmocka_unit_test(weakness),
        cmocka_unit_test(tokens),
    };
    return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
