/* Whether an order appears in the public Open311 feed, over the API:
 * read by anyone who sees the order, set by its dispatchers and secretary
 * (service/svc_order_public.h). */
#include "http/http.h"
#include "http/bind_orders.h"
#include "service/svc_order_public.h"

static err_code answer(req *r, int64_t id, bool hidden)
{
    json_t *j = json_object();
    json_object_set_new(j, "order_id", json_integer(id));
    json_object_set_new(j, "open311_hidden", json_boolean(hidden));
    return http_json(r, 200, j);
}

static err_code api_order_public_get(req *r)
{
    int64_t id = req_id(r, "id");
    bool hidden;
    struct svc_result res = svc_order_public_get(r->db, r->a, r->me, id, &hidden);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer(r, id, hidden);
}
ROUTE("GET", "/api/v1/orders/{id}/open311", api_order_public_get, NULL, R_API, "order",
      "工单是否在公开诉求列表（Open311）中显示");

static err_code api_order_public_put(req *r)
{
    int64_t id = req_id(r, "id");
    /* out of sight answers 404 before the body is judged, like a missing order */
    bool was;
    struct svc_result seen = svc_order_public_get(r->db, r->a, r->me, id, &was);
    if (seen.err) return http_fail(r, seen.err, seen.field, seen.message);
    bool hidden;
    err_code e = bind_order_public(r, &hidden);
    if (e) return e;
    struct svc_result res = svc_order_public_set(r->db, r->a, r->me, id, hidden);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer(r, id, hidden);
}
ROUTE("PUT", "/api/v1/orders/{id}/open311", api_order_public_put, NULL, R_API, "order",
      "设置工单是否在公开诉求列表（Open311）中显示（派单人员、社区书记）");
