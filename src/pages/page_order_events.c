/* POST /orders/{id}/events: one event from an action form of the order page,
 * applied by svc_order_event; back to the order with a Chinese message. On
 * error the order page is shown again with the reason and nothing changed.
 * Result photos of 办结 are stored in the same transaction as the event. */
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "core/roles.h"
#include "http/bind_orders.h"
#include "pages/layout.h"
#include "pages/page_orders.h"
#include "service/svc_orders.h"
#include "store/store_orders.h"

static err_code page_order_event(req *r)
{
    int64_t id = req_id(r, "id");
    const char *event = bind_order_event_name(r);
    /* a 抢单 the caller lost is the service's to answer (409, 已被他人接单) */
    if ((!event || strcmp(event, "take") != 0) &&
        !store_order_get(r->db, r->a, r->me->account_id, id))
        return E_NOT_FOUND;
    struct order_event_args in;
    err_code e = bind_order_event(r, &in);
    if (e) return page_order_render(r, id, r->err_message, NULL, 400);
    struct order_photo_upload *photos;
    int n = bind_order_photos(r, "photos", &photos);
    struct svc_result res = svc_order_event_with_photos(r->db, r->a, r->me, id, &in, photos, n);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err == E_NOT_FOUND) return E_NOT_FOUND;
    /* the loser may no longer see the order: the message on a page of its own */
    if (res.err == E_ALREADY_TAKEN) return http_fail(r, res.err, NULL, res.message);
    if (res.err)
        return page_order_render(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                                 err_http_status(res.err));
    enum order_event ev = ORDER_EV_ACCEPT;
    order_event_parse(in.event, &ev); /* the service took it: a known event */
    return http_redirect(
        r, arena_printf(r->a, "/orders/%lld?done=%s", (long long)id, order_event_id(ev)));
}
ROUTE("POST", "/orders/{id}/events", page_order_event, CAP_SELF, R_PAGE, "order",
      "对工单执行操作（受理、派单、接单、联系、办结、评价等）");
