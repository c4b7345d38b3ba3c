#include "auth/password.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sem_t hashing_slots; /* at most 2 hashes at once: 2 × 64 MiB */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

static bool log_verifications; /* test builds: LINLI_TEST_LOG_VERIFY */

static void init_once(void)
{
#ifdef LINLI_TEST_BUILD
    log_verifications = getenv("LINLI_TEST_LOG_VERIFY") != NULL;
#endif
    init_rc = sodium_init() < 0 ? -1 : 0;
    sem_init(&hashing_slots, 0, 2);
}

int password_init(void)
{
    pthread_once(&once, init_once);
    return init_rc;
}

struct password_params password_params_production(void)
{
    return (struct password_params){.opslimit = 3, .memlimit = 64u * 1024 * 1024};
}

struct password_params password_params_current(void)
{
#ifdef LINLI_TEST_BUILD
    return (struct password_params){.opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                    .memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN};
#else
    return password_params_production();
#endif
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    if (password_init() < 0) return -1;
    struct password_params pp = password_params_current();
    sem_wait(&hashing_slots);
    int rc = crypto_pwhash_argon2id_str(out, password, strlen(password), pp.opslimit, pp.memlimit);
    sem_post(&hashing_slots);
    return rc;
}

/* The tests' way to see that a verification ran (not how long it took): in
 * a test build with LINLI_TEST_LOG_VERIFY set, each one finished writes a
 * line to stderr. */
static void log_verify(void)
{
    if (log_verifications) fputs("linli: test: password verified\n", stderr);
}

bool password_verify(const char *hash, const char *password)
{
    if (password_init() < 0 || !hash || !password) return false;
    if (strncmp(hash, "$argon2id$", 10) != 0) return false;
    sem_wait(&hashing_slots);
    int rc = crypto_pwhash_argon2id_str_verify(hash, password, strlen(password));
    sem_post(&hashing_slots);
    log_verify();
    return rc == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_init(void)
{
    char pw[33];
    random_token(pw, 16);
    if (password_hash(pw, dummy_hash) != 0) dummy_hash[0] = 0;
}

bool password_verify_dummy(const char *password)
{
    pthread_once(&dummy_once, dummy_init);
    /* never true: nobody knows the random password it was made from */
    password_verify(dummy_hash, password ? password : "");
    return false;
}

const char *password_weakness(const char *password)
{
    if (!password || strlen(password) < PASSWORD_MIN_LEN) return "密码至少需要8个字符";
    if (strlen(password) > 256) return "密码过长";
    return NULL;
}

void random_token(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw) nbytes = sizeof raw;
    password_init();
    randombytes_buf(raw, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, raw, nbytes);
}

void sha256_hex(const char *s, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    password_init();
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, h, sizeof h);
}
