/* API keys over the API: list, create (the key is in the answer, once),
 * revoke. accounts.admin over the key's place; see service/svc_api_keys.h. */
#include <stdlib.h>

#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_api_keys.h"
#include "store/store_api_keys.h"
#include "util/clock.h"

static json_t *key_json(const db_rows *k, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(k, i, AK_ID));
    json_set_str(j, "name", db_get(k, i, AK_NAME));
    json_set_str(j, "place_code", db_get(k, i, AK_PLACE));
    json_set_str(j, "place_name", db_get(k, i, AK_PLACE_NAME));
    json_set_str(j, "key_prefix", db_get(k, i, AK_PREFIX));
    json_set_str(j, "created_by", db_get(k, i, AK_CREATOR));
    json_set_time(j, "created_at", db_get(k, i, AK_CREATED_AT));
    json_set_time(j, "revoked_at", db_get(k, i, AK_REVOKED_AT));
    json_set_time(j, "last_used_at", db_get(k, i, AK_LAST_USED_AT));
    return j;
}

static err_code api_keys_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 1, INT64_MAX, 0, &cursor);
    if (e) return e;
    db_rows *k =
        store_api_keys_list(r->db, r->a, r->me->account_id, CAP_ACCOUNTS, cursor, (int)limit + 1);
    if (!k) return E_INTERNAL;
    int n = k->nrows > limit ? (int)limit : k->nrows;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, key_json(k, i));
    return http_json(r, 200, json_page(items, k->nrows > limit ? db_get(k, n - 1, AK_ID) : NULL));
}
ROUTE("GET", "/api/v1/api-keys", api_keys_list, CAP_ACCOUNTS, R_API, NULL,
      "Open311 接口密钥列表（只显示前缀）");

static err_code api_keys_create(req *r)
{
    const char *key = NULL;
    struct svc_result res = svc_api_key_create(r->db, r->a, r->me, req_input(r, "name"),
                                               req_input(r, "place_code"), &key);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *k = store_api_key_get(r->db, r->a, 0, CAP_ACCOUNTS, res.id);
    if (!k) return E_INTERNAL;
    json_t *j = key_json(k, 0);
    json_set_str(j, "key", key); /* shown this once; only its hash is kept */
    return http_json(r, 201, j);
}
ROUTE("POST", "/api/v1/api-keys", api_keys_create, CAP_ACCOUNTS, R_API, NULL,
      "创建 Open311 接口密钥（密钥只显示这一次）");

static err_code api_keys_revoke(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_api_key_revoke(r->db, r->a, r->me, id);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *k = store_api_key_get(r->db, r->a, 0, CAP_ACCOUNTS, id);
    if (!k) return E_INTERNAL;
    return http_json(r, 200, key_json(k, 0));
}
ROUTE("POST", "/api/v1/api-keys/{id}/revoke", api_keys_revoke, CAP_ACCOUNTS, R_API, "api_key",
      "停用 Open311 接口密钥");
