/* Counter confirmations and request keys; see redeem_confirm.h. */
#include "core/redeem_confirm.h"

#include <sodium.h>
#include <string.h>

void redeem_code_new(char out[REDEEM_CODE_DIGITS + 1])
{
    uint32_t v = randombytes_uniform(1000000u); /* 10^REDEEM_CODE_DIGITS */
    for (int i = REDEEM_CODE_DIGITS - 1; i >= 0; i--, v /= 10) out[i] = (char)('0' + v % 10);
    out[REDEEM_CODE_DIGITS] = 0;
}

/* The digits of s into out (at most cap - 1 of them), skipping spaces and
 * '-' and a leading "+86"; false on any other character or too many digits. */
static bool digits_of(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    if (!s) return false;
    if (strncmp(s, "+86", 3) == 0) s += 3;
    for (; *s; s++) {
        if (*s == ' ' || *s == '-') continue;
        if (*s < '0' || *s > '9' || n + 1 >= cap) return false;
        out[n++] = *s;
    }
    out[n] = 0;
    return true;
}

bool redeem_code_matches(const char *code, const char *given)
{
    char g[16];
    if (!code || strlen(code) != REDEEM_CODE_DIGITS || !digits_of(given, g, sizeof g) ||
        strlen(g) != REDEEM_CODE_DIGITS)
        return false;
    return sodium_memcmp(code, g, REDEEM_CODE_DIGITS) == 0;
}

bool redeem_phone_matches(const char *phone, const char *given)
{
    char p[32], g[32];
    if (!digits_of(phone, p, sizeof p) || !digits_of(given, g, sizeof g)) return false;
    size_t n = strlen(p);
    /* the length is no secret (the mask shows it); the digits are compared in constant time */
    return n >= 7 && strlen(g) == n && sodium_memcmp(p, g, n) == 0;
}

void redeem_key_new(char out[REDEEM_KEY_HEX + 1])
{
    unsigned char raw[REDEEM_KEY_HEX / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, REDEEM_KEY_HEX + 1, raw, sizeof raw);
}

bool redeem_key_valid(const char *s)
{
    if (!s || strlen(s) != REDEEM_KEY_HEX) return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return false;
    return true;
}
