/* Rating links 评价链接: see svc_rating_links.h. */
#include "service/svc_rating_links.h"

#include <string.h>

#include "service/svc_orders.h"
#include "service/svc_rating_link_token.h"
#include "store/store_orders.h"
#include "store/store_rating_links.h"
#include "util/clock.h"

bool svc_rating_link_order(db *d, arena *a, const char *token, struct order_row *o)
{
    const char *h = svc_rating_link_hash(a, token);
    int64_t id = h ? store_rating_link_order(d, h, clock_now()) : 0;
    return id > 0 && store_order_read(d, a, 0, id, o) && strcmp(o->state, "resolved") == 0;
}

struct svc_result svc_rating_link_rate(db *d, arena *a, const char *token, const char *rating,
                                       const char *comment)
{
    struct order_row o;
    if (!svc_rating_link_order(d, a, token, &o))
        return svc_fail(E_NOT_FOUND, NULL, "评价链接无效、已使用或已过期");
    /* the history and the audit log name the link, not a person */
    static const struct principal by_link = {.username = "群众（评价链接）"};
    struct order_event_args in = {
        .event = "rate", .rating = rating, .comment = comment, .via_rating_link = true};
    struct svc_result r = svc_order_event(d, a, &by_link, o.id, &in);
    if (r.err) return r;
    /* rated: the order left 已办结, so the link can no longer be used anyway;
     * marking it keeps the record of its use */
    if (store_rating_link_use(d, svc_rating_link_hash(a, token), clock_now()) < 0)
        return svc_fail(E_INTERNAL, NULL, NULL);
    return r;
}
