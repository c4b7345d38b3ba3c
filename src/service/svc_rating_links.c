/* Rating links 评价链接: see svc_rating_links.h. */
#include "service/svc_rating_links.h"

#include <sodium.h>
#include <string.h>

#include "core/order_fsm.h"
#include "service/svc_orders.h"
#include "store/store_orders.h"
#include "store/store_rating_links.h"
#include "util/clock.h"

#define TOKEN_BYTES 16 /* 128 bits, as hex in the URL */

/* The stored form of a token: hex BLAKE2b-256, so a copy of the database
 * cannot rate anything. NULL for a token that is not 32 hex digits. */
static const char *token_hash(arena *a, const char *token)
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
    if (store_rating_link_add(d, order_id, token_hash(a, token), (int64_t)now, expires) < 0)
        return NULL;
    return arena_printf(a, "/rate/%s", token);
}

db_rows *svc_rating_link_order(db *d, arena *a, const char *token)
{
    const char *h = token_hash(a, token);
    int64_t id = h ? store_rating_link_order(d, h, clock_now()) : 0;
    db_rows *o = id > 0 ? store_order_get(d, a, 0, id) : NULL;
    if (!o || strcmp(db_get(o, 0, OC_STATE), "resolved") != 0) return NULL;
    return o;
}

struct svc_result svc_rating_link_rate(db *d, arena *a, const char *token, const char *rating,
                                       const char *comment)
{
    db_rows *o = svc_rating_link_order(d, a, token);
    if (!o) return svc_fail(E_NOT_FOUND, NULL, "评价链接无效、已使用或已过期");
    /* the history and the audit log name the link, not a person */
    static const struct principal by_link = {.username = "群众（评价链接）"};
    struct order_event_args in = {
        .event = "rate", .rating = rating, .comment = comment, .via_rating_link = true};
    struct svc_result r = svc_order_event(d, a, &by_link, db_get_int(o, 0, OC_ID), &in);
    if (r.err) return r;
    /* rated: the order left 已办结, so the link can no longer be used anyway;
     * marking it keeps the record of its use */
    if (store_rating_link_use(d, token_hash(a, token), clock_now()) < 0)
        return svc_fail(E_INTERNAL, NULL, NULL);
    return r;
}
