/* Rotating check-in codes; see checkin_code.h. libsodium gives the HMAC. */
#include "core/checkin_code.h"

#include <sodium.h>
#include <string.h>

void checkin_code_at(const unsigned char *secret, size_t len, int64_t step, char out[7])
{
    unsigned char msg[8], mac[crypto_auth_hmacsha256_BYTES];
    for (int i = 7; i >= 0; i--, step >>= 8) msg[i] = (unsigned char)(step & 0xff);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, secret, len);
    crypto_auth_hmacsha256_update(&st, msg, sizeof msg);
    crypto_auth_hmacsha256_final(&st, mac);
    int off = mac[sizeof mac - 1] & 0x0f;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
    bin %= 1000000u;
    for (int i = 5; i >= 0; i--, bin /= 10) out[i] = (char)('0' + bin % 10);
    out[6] = 0;
}

int64_t checkin_step(time_t now)
{
    int64_t t = (int64_t)now;
    return t >= 0 ? t / CHECKIN_STEP_S : (t - CHECKIN_STEP_S + 1) / CHECKIN_STEP_S;
}

bool checkin_window_open(time_t now, time_t starts, time_t ends)
{
    return now >= starts - CHECKIN_EARLY_S && now <= ends;
}

bool checkin_code_valid(const unsigned char *secret, size_t len, time_t now, const char *code)
{
    if (!code || strlen(code) != 6) return false;
    int64_t step = checkin_step(now);
    char want[7];
    bool ok = false;
    for (int64_t s = step - 1; s <= step; s++) {
        checkin_code_at(secret, len, s, want);
        /* constant time: both compared whatever the first gives */
        ok |= sodium_memcmp(want, code, 6) == 0;
    }
    return ok;
}
