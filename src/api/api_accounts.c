/* Accounts and grants over the API: /api/v1/accounts…, /api/v1/grants/{id}.
 * Everything goes through service/svc_accounts.c, which checks scope and rank
 * and writes the audit entry. */
#include <stdlib.h>

#include "auth/password.h"
#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_accounts.h"
#include "store/store_accounts.h"
#include "util/clock.h"

static err_code svc_error(req *r, struct svc_result res)
{
    return http_fail(r, res.err, res.field, res.message);
}

static json_t *grants_json(req *r, int64_t account_id)
{
    json_t *arr = json_array();
    db_rows *g = store_grants_of(r->db, r->a, account_id);
    for (int i = 0; g && i < g->nrows; i++) {
        const struct role *role = role_find(db_get(g, i, 2));
        json_t *o = json_row(g, i);
        json_object_del(o, "account_id");
        json_set_str(o, "role_name", role ? role->zh : db_get(g, i, 2));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *account_json(req *r, db_rows *a, int i, bool with_grants)
{
    json_t *o = json_object();
    json_set_id(o, "id", db_get(a, i, db_col(a, "id")));
    json_set_str(o, "username", db_get(a, i, db_col(a, "username")));
    json_set_str(o, "display_name", db_get(a, i, db_col(a, "display_name")));
    json_set_bool(o, "disabled", db_get_int(a, i, db_col(a, "disabled")) != 0);
    if (with_grants) json_object_set_new(o, "grants", grants_json(r, db_get_int(a, i, 0)));
    return o;
}

static err_code api_accounts_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    db_rows *a = store_accounts_list(r->db, r->a, r->me->account_id, req_query(r, "q"), cursor,
                                     (int)limit + 1);
    if (!a) return E_INTERNAL;
    json_t *items = json_array();
    int n = a->nrows > limit ? (int)limit : a->nrows;
    for (int i = 0; i < n; i++) json_array_append_new(items, account_json(r, a, i, true));
    const char *next = a->nrows > limit ? db_get(a, n - 1, 0) : NULL;
    return http_json(r, 200, json_page(items, next));
}
ROUTE("GET", "/api/v1/accounts", api_accounts_list, CAP_ACCOUNTS, R_API, NULL,
      "管辖范围内的账号列表");

static err_code load_account(req *r, db_rows **out)
{
    int64_t id = req_id(r, "id");
    db_rows *a = store_account_by_id(r->db, r->a, id);
    if (!a || !store_account_in_scope(r->db, r->me->account_id, id)) return E_NOT_FOUND;
    *out = a;
    return E_OK;
}

static err_code api_account_get(req *r)
{
    db_rows *a;
    err_code e = load_account(r, &a);
    if (e) return e;
    return http_json(r, 200, account_json(r, a, 0, true));
}
ROUTE("GET", "/api/v1/accounts/{id}", api_account_get, CAP_ACCOUNTS, R_API, "account",
      "账号详情与授权");

/* Reads the scope of a grant from the body: place_code, grid_id or org_id. */
static void grant_scope(req *r, const char **place, int64_t *grid, int64_t *org)
{
    const char *g = req_input(r, "grid_id"), *o = req_input(r, "org_id");
    *place = req_input(r, "place_code");
    *grid = g ? atoll(g) : 0;
    *org = o ? atoll(o) : 0;
}

static err_code api_account_create(req *r)
{
    const char *place;
    int64_t grid, org;
    grant_scope(r, &place, &grid, &org);
    struct svc_result res = svc_account_create(
        r->db, r->a, r->me, req_input(r, "username"), req_input(r, "display_name"),
        req_input(r, "password"), req_input(r, "role"), place, grid, org);
    if (res.err) return svc_error(r, res);
    db_rows *a = store_account_by_id(r->db, r->a, res.id);
    return http_json(r, 201, account_json(r, a, 0, true));
}
ROUTE("POST", "/api/v1/accounts", api_account_create, CAP_ACCOUNTS, R_API, NULL,
      "创建账号并授予一个角色");

static err_code api_grant_add(req *r)
{
    db_rows *a;
    err_code e = load_account(r, &a);
    if (e) return e;
    const char *place;
    int64_t grid, org;
    grant_scope(r, &place, &grid, &org);
    struct svc_result res = svc_grant_add(r->db, r->a, r->me, db_get_int(a, 0, 0),
                                          req_input(r, "role"), place, grid, org);
    if (res.err) return svc_error(r, res);
    return http_json(r, 201, account_json(r, a, 0, true));
}
ROUTE("POST", "/api/v1/accounts/{id}/grants", api_grant_add, CAP_ACCOUNTS, R_API, "account",
      "为账号增加授权");

static err_code api_grant_delete(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_grant_remove(r->db, r->a, r->me, id);
    if (res.err) return svc_error(r, res);
    return http_json(r, 200, json_pack("{s:b}", "ok", 1));
}
ROUTE("DELETE", "/api/v1/grants/{id}", api_grant_delete, CAP_ACCOUNTS, R_API, "grant",
      "撤销一项授权");

static err_code api_account_password(req *r)
{
    db_rows *a;
    err_code e = load_account(r, &a);
    if (e) return e;
    struct svc_result res =
        svc_account_set_password(r->db, r->a, r->me, db_get_int(a, 0, 0), req_input(r, "password"));
    if (res.err) return svc_error(r, res);
    return http_json(r, 200, json_pack("{s:b}", "ok", 1));
}
ROUTE("POST", "/api/v1/accounts/{id}/password", api_account_password, CAP_ACCOUNTS, R_API,
      "account", "重置账号密码");

static err_code set_disabled(req *r, int disabled)
{
    db_rows *a;
    err_code e = load_account(r, &a);
    if (e) return e;
    struct svc_result res =
        svc_account_set_disabled(r->db, r->a, r->me, db_get_int(a, 0, 0), disabled);
    if (res.err) return svc_error(r, res);
    a = store_account_by_id(r->db, r->a, db_get_int(a, 0, 0));
    return http_json(r, 200, account_json(r, a, 0, true));
}

static err_code api_account_disable(req *r)
{
    return set_disabled(r, 1);
}
ROUTE("POST", "/api/v1/accounts/{id}/disable", api_account_disable, CAP_ACCOUNTS, R_API, "account",
      "停用账号");

static err_code api_account_enable(req *r)
{
    return set_disabled(r, 0);
}
ROUTE("POST", "/api/v1/accounts/{id}/enable", api_account_enable, CAP_ACCOUNTS, R_API, "account",
      "启用账号");

static err_code api_my_password(req *r)
{
    const char *old = req_input(r, "old_password");
    db_rows *a = store_account_by_id(r->db, r->a, r->me->account_id);
    if (!a || !old) return http_fail(r, E_BAD_INPUT, "old_password", "请输入原密码");
    /* guessing the old password with a taken session is guessing a login:
     * the same counters, reserved before the verification */
    const char *keys[LOGIN_KEYS];
    login_keys(r->a, r->client_ip, r->me->username, keys);
    int64_t wait;
    struct svc_result lim = svc_login_reserve(r->db, r->a, keys, clock_now(), &wait);
    if (lim.err == E_RATE_LIMITED)
        http_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
    if (lim.err) return svc_error(r, lim);
    if (!password_verify(db_get(a, 0, 2), old))
        return http_fail(r, E_BAD_INPUT, "old_password", "原密码不正确");
    if (svc_login_succeeded(r->db, keys) < 0) return E_UNAVAILABLE;
    struct svc_result res =
        svc_account_set_password(r->db, r->a, r->me, r->me->account_id, req_input(r, "password"));
    if (res.err) return svc_error(r, res);
    return http_json(r, 200, json_pack("{s:b}", "ok", 1));
}
ROUTE("POST", "/api/v1/me/password", api_my_password, NULL, R_API, NULL, "修改自己的密码");
