/* Password hashing: argon2id through libsodium. Production parameters are
 * memory-hard (64 MiB, 3 passes); test builds (-DLINLI_TEST_BUILD) use the
 * cheapest argon2id parameters so the suite stays fast. Concurrent hashing is
 * capped so a login flood cannot exhaust memory. */
#ifndef LINLI_PASSWORD_H
#define LINLI_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_LEN  8

struct password_params {
    unsigned long long opslimit;
    size_t memlimit;
};

/* The parameters used for new hashes in this build, and the production ones. */
struct password_params password_params_current(void);
struct password_params password_params_production(void);

int password_init(void); /* sodium_init; 0 on success */
/* Hashes into out (PASSWORD_HASH_MAX bytes, "$argon2id$…"); 0 on success. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *password);
/* The same work as password_verify against a hash of this build's parameters
 * whose password nobody knows; always false. A login for an unknown username
 * runs it, so that it costs what a wrong password costs. */
bool password_verify_dummy(const char *password);
/* A Chinese reason when a new password is too weak, else NULL. */
const char *password_weakness(const char *password);
/* Random URL-safe token of 2*nbytes hex characters into out. */
void random_token(char *out, size_t nbytes);
/* SHA-256 of s as 64 hex characters into out (65 bytes). */
void sha256_hex(const char *s, char out[65]);

#endif
