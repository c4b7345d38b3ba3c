/* FNV-1a: the one small non-cryptographic hash for in-memory tables (never for
 * anything an attacker could use to choose collisions that matter: these
 * tables are bounded or probe linearly over values the server chose). */
#ifndef LINLI_HASH_H
#define LINLI_HASH_H
#include <stddef.h>
#include <stdint.h>

#define FNV64_OFFSET 1469598103934665603ull

/* Continues h over n bytes; start with FNV64_OFFSET (or it XOR a salt). */
static inline uint64_t fnv1a64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

/* The same over a NUL-terminated string. */
static inline uint64_t fnv1a64_str(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

#endif
