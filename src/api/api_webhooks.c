/* Webhooks 外部推送 over the API: account administrators (accounts.admin)
 * register, list and disable the webhooks of places in their scope and read
 * the delivery log. The secret is returned once, at creation. */
#include <stdlib.h>

#include "core/roles.h"
#include "http/bind_webhooks.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_webhooks.h"
#include "store/store_webhook_rows.h"

static json_t *webhook_json(const struct webhook_row *w)
{
    json_t *j = json_object();
    json_set_int(j, "id", w->id);
    json_set_str(j, "url", w->url);
    json_set_str(j, "place_code", w->place_code);
    json_set_str(j, "place_name", w->place_name);
    json_set_str(j, "kinds", w->kinds);
    json_set_bool(j, "active", w->active);
    json_set_time_at(j, "created_at", w->created_at);
    return j;
}

/* The webhook as it is now (with its secret when just made). */
static err_code answer_webhook(req *r, int status, int64_t id, const char *secret)
{
    struct webhook_row w;
    if (!store_webhook_read(r->db, r->a, r->me->account_id, id, &w)) return E_INTERNAL;
    json_t *j = webhook_json(&w);
    if (secret) json_set_str(j, "secret", secret);
    return http_json(r, status, j);
}

static err_code api_webhook_create(req *r)
{
    struct webhook_input in = {0};
    err_code e = bind_input(r, &webhook_create_bind, &in);
    if (e) return e;
    const char *secret;
    struct svc_result res = svc_webhook_create(r->db, r->a, r->me, &in, &secret);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer_webhook(r, 201, res.id, secret);
}
ROUTE("POST", "/api/v1/webhooks", api_webhook_create, CAP_ACCOUNTS, R_API, NULL,
      "登记 Webhook 推送地址（按区划范围与消息类型推送，HMAC-SHA256 签名；密钥只返回一次）");

static err_code api_webhooks_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    struct webhook_row *w;
    int n = store_webhooks_find(r->db, r->a, r->me->account_id, cursor, (int)limit + 1, &w);
    if (n < 0) return E_INTERNAL;
    bool more = n > limit;
    if (more) n = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, webhook_json(&w[i]));
    return http_json(r, 200, json_page_id(items, more ? w[n - 1].id : 0));
}
ROUTE("GET", "/api/v1/webhooks", api_webhooks_list, CAP_ACCOUNTS, R_API, NULL,
      "Webhook 推送地址列表（管辖范围内）");

static err_code api_webhook_delete(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_webhook_disable(r->db, r->a, r->me, id);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer_webhook(r, 200, id, NULL);
}
ROUTE("DELETE", "/api/v1/webhooks/{id}", api_webhook_delete, CAP_ACCOUNTS, R_API, "webhook",
      "停用 Webhook 推送地址（保留投递记录）");

static json_t *delivery_json(req *r, const struct delivery_row *dl)
{
    json_t *j = json_object();
    json_set_int(j, "id", dl->id);
    json_set_int(j, "delivery_id", dl->outbox_id);
    json_set_time_at(j, "at", dl->at);
    json_set_int(j, "attempt", dl->attempt);
    json_set_id_nz(j, "http_status", dl->http_status);
    /* derived, not the stored text: rows from before the rule may hold a
     * transport error that tells an open port from a closed one */
    json_set_str(j, "error", webhook_error_public(r->a, dl->http_status, dl->error));
    json_set_str(j, "state", dl->state);
    return j;
}

static err_code api_webhook_deliveries(req *r)
{
    int64_t id, limit, cursor;
    id = req_id(r, "id");
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    struct webhook_row w;
    if (!store_webhook_read(r->db, r->a, r->me->account_id, id, &w)) return E_NOT_FOUND;
    struct delivery_row *dl;
    int n = store_deliveries_find(r->db, r->a, id, cursor, (int)limit + 1, &dl);
    if (n < 0) return E_INTERNAL;
    bool more = n > limit;
    if (more) n = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, delivery_json(r, &dl[i]));
    return http_json(r, 200, json_page_id(items, more ? dl[n - 1].id : 0));
}
ROUTE("GET", "/api/v1/webhooks/{id}/deliveries", api_webhook_deliveries, CAP_ACCOUNTS, R_API,
      "webhook", "Webhook 投递记录（每次尝试的时间、HTTP 状态与错误）");
