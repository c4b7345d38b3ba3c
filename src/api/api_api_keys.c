/* API keys over the API: list, create (the key is in the answer, once),
 * revoke. accounts.admin over the key's place; see service/svc_api_keys.h. */
#include <stdlib.h>

#include "core/roles.h"
#include "http/bind_accounts.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_api_keys.h"
#include "store/store_api_keys.h"
#include "util/clock.h"

static json_t *key_json(const struct api_key_row *k)
{
    json_t *j = json_object();
    json_set_int(j, "id", k->id);
    json_set_str(j, "name", k->name);
    json_set_str(j, "place_code", k->place_code);
    json_set_str(j, "place_name", k->place_name);
    json_set_str(j, "key_prefix", k->prefix);
    json_set_str(j, "created_by", k->creator);
    json_set_time_at(j, "created_at", k->created_at);
    json_set_time_nz(j, "revoked_at", k->revoked_at);
    json_set_time_nz(j, "last_used_at", k->last_used_at);
    return j;
}

/* The key as it is now, with status. */
static err_code answer_key(req *r, int status, int64_t id, const char *key)
{
    struct api_key_row k;
    if (!store_api_key_read(r->db, r->a, 0, CAP_ACCOUNTS, id, &k)) return E_INTERNAL;
    json_t *j = key_json(&k);
    if (key) json_set_str(j, "key", key); /* shown this once; only its hash is kept */
    return http_json(r, status, j);
}

static err_code api_keys_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 1, INT64_MAX, 0, &cursor);
    if (e) return e;
    struct api_key_row *k;
    int n = store_api_keys_find(r->db, r->a, r->me->account_id, CAP_ACCOUNTS, cursor,
                                (int)limit + 1, &k);
    if (n < 0) return E_INTERNAL;
    bool more = n > limit;
    if (more) n = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, key_json(&k[i]));
    return http_json(r, 200, json_page_id(items, more ? k[n - 1].id : 0));
}
ROUTE("GET", "/api/v1/api-keys", api_keys_list, CAP_ACCOUNTS, R_API, NULL,
      "Open311 接口密钥列表（只显示前缀）");

static err_code api_keys_create(req *r)
{
    struct api_key_input in = {0};
    err_code e = bind_input(r, &api_key_create_bind, &in);
    if (e) return e;
    const char *key = NULL;
    struct svc_result res = svc_api_key_create(r->db, r->a, r->me, in.name, in.place_code, &key);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer_key(r, 201, res.id, key);
}
ROUTE("POST", "/api/v1/api-keys", api_keys_create, CAP_ACCOUNTS, R_API, NULL,
      "创建 Open311 接口密钥（密钥只显示这一次）");

static err_code api_keys_revoke(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_api_key_revoke(r->db, r->a, r->me, id);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer_key(r, 200, id, NULL);
}
ROUTE("POST", "/api/v1/api-keys/{id}/revoke", api_keys_revoke, CAP_ACCOUNTS, R_API, "api_key",
      "停用 Open311 接口密钥");
