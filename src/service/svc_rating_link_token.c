/* Rating link tokens: see svc_rating_link_token.h. */
#include "service/svc_rating_link_token.h"

#include <sodium.h>
#include <string.h>

#include "core/order_fsm.h"
#include "store/store_rating_links.h"

#define TOKEN_BYTES 16 /* 128 bits, as hex in the URL */

const char *svc_rating_link_hash(arena *a, const char *token)
{
    if (!token || strlen(token) != 2 * TOKEN_BYTES ||
        strspn(token, "0123456789abcdef") != 2 * TOKEN_BYTES)
        return NULL;
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    char *hex = arena_alloc(a, 2 * sizeof h + 1);
    sodium_bin2hex(hex, 2 * sizeof h + 1, h, sizeof h);
    return hex;
}

const char *svc_rating_link_create(db *d, arena *a, int64_t order_id, time_t now)
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    char token[2 * TOKEN_BYTES + 1];
    sodium_bin2hex(token, sizeof token, raw, sizeof raw);
    int64_t expires = (int64_t)now + (int64_t)ORDER_UNRATED_CLOSE_DAYS * 86400;
    if (store_rating_link_add(d, order_id, svc_rating_link_hash(a, token), (int64_t)now, expires) <
        0)
        return NULL;
    return arena_printf(a, "/rate/%s", token);
}
