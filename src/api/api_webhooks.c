/* Webhooks 外部推送 over the API: account administrators (accounts.admin)
 * register, list and disable the webhooks of places in their scope and read
 * the delivery log. The secret is returned once, at creation. */
#include <stdlib.h>

#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_webhooks.h"
#include "store/store_timers.h"
#include "util/clock.h"

static json_t *webhook_json(const db_rows *w, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(w, i, WC_ID));
    json_set_str(j, "url", db_get(w, i, WC_URL));
    json_set_str(j, "place_code", db_get(w, i, WC_PLACE));
    json_set_str(j, "place_name", db_get(w, i, WC_PLACE_NAME));
    json_set_str(j, "kinds", db_get(w, i, WC_KINDS));
    json_set_bool(j, "active", db_get_int(w, i, WC_ACTIVE) != 0);
    json_set_time(j, "created_at", db_get(w, i, WC_CREATED));
    return j;
}

static err_code api_webhook_create(req *r)
{
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    struct webhook_input in = {.url = req_input(r, "url"),
                               .secret = req_input(r, "secret"),
                               .place_code = req_input(r, "place_code"),
                               .kinds = req_input(r, "kinds")};
    const char *secret;
    struct svc_result res = svc_webhook_create(r->db, r->a, r->me, &in, &secret);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *w = store_webhook_get(r->db, r->a, r->me->account_id, res.id);
    if (!w) return E_INTERNAL;
    json_t *j = webhook_json(w, 0);
    json_set_str(j, "secret", secret);
    return http_json(r, 201, j);
}
ROUTE("POST", "/api/v1/webhooks", api_webhook_create, CAP_ACCOUNTS, R_API, NULL,
      "登记 Webhook 推送地址（按区划范围与消息类型推送，HMAC-SHA256 签名；密钥只返回一次）");

static err_code api_webhooks_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    db_rows *w = store_webhooks_list(r->db, r->a, r->me->account_id, cursor, (int)limit + 1);
    if (!w) return E_INTERNAL;
    int n = w->nrows > limit ? (int)limit : w->nrows;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, webhook_json(w, i));
    return http_json(r, 200, json_page(items, w->nrows > limit ? db_get(w, n - 1, WC_ID) : NULL));
}
ROUTE("GET", "/api/v1/webhooks", api_webhooks_list, CAP_ACCOUNTS, R_API, NULL,
      "Webhook 推送地址列表（管辖范围内）");

static err_code api_webhook_delete(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_webhook_disable(r->db, r->a, r->me, id);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *w = store_webhook_get(r->db, r->a, r->me->account_id, id);
    if (!w) return E_INTERNAL;
    return http_json(r, 200, webhook_json(w, 0));
}
ROUTE("DELETE", "/api/v1/webhooks/{id}", api_webhook_delete, CAP_ACCOUNTS, R_API, "webhook",
      "停用 Webhook 推送地址（保留投递记录）");

static err_code api_webhook_deliveries(req *r)
{
    int64_t id, limit, cursor;
    id = req_id(r, "id");
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    if (!store_webhook_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    db_rows *dl = store_deliveries_list(r->db, r->a, id, cursor, (int)limit + 1);
    if (!dl) return E_INTERNAL;
    int n = dl->nrows > limit ? (int)limit : dl->nrows;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = json_object();
        json_set_id(j, "id", db_get(dl, i, DC_ID));
        json_set_id(j, "delivery_id", db_get(dl, i, DC_OUTBOX));
        json_set_time(j, "at", db_get(dl, i, DC_AT));
        json_set_id(j, "attempt", db_get(dl, i, DC_ATTEMPT));
        json_set_id(j, "http_status", db_get(dl, i, DC_STATUS));
        /* derived, not the stored text: rows from before the rule may hold a
         * transport error that tells an open port from a closed one */
        json_set_str(
            j, "error",
            webhook_error_public(r->a, db_get_int(dl, i, DC_STATUS), db_get(dl, i, DC_ERROR)));
        json_set_str(j, "state", db_get(dl, i, DC_STATE));
        json_array_append_new(items, j);
    }
    return http_json(r, 200, json_page(items, dl->nrows > limit ? db_get(dl, n - 1, DC_ID) : NULL));
}
ROUTE("GET", "/api/v1/webhooks/{id}/deliveries", api_webhook_deliveries, CAP_ACCOUNTS, R_API,
      "webhook", "Webhook 投递记录（每次尝试的时间、HTTP 状态与错误）");
