/* Accounts and grants over the API: /api/v1/accounts…, /api/v1/grants/{id}.
 * Everything goes through service/svc_accounts.c, which checks scope and rank
 * and writes the audit entry; the bodies are read by http/bind_accounts.c. */
#include "api/api_accounts.h"

#include <stdlib.h>

#include "auth/password.h"
#include "core/roles.h"
#include "http/bind_accounts.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_accounts.h"
#include "store/store_accounts.h"
#include "util/clock.h"

static err_code svc_error(req *r, struct svc_result res)
{
    return http_fail(r, res.err, res.field, res.message);
}

json_t *api_grant_json(const struct grant_row *g)
{
    const struct role *role = role_find(g->role);
    json_t *o = json_object();
    json_set_int(o, "id", g->id);
    json_set_str(o, "role", g->role);
    json_set_str(o, "role_name", role ? role->zh : g->role);
    json_set_str(o, "place_code", g->place_code);
    json_set_str(o, "place_name", g->place_name);
    json_set_id_nz(o, "grid_id", g->grid_id);
    json_set_str(o, "grid_name", g->grid_name);
    json_set_id_nz(o, "org_id", g->org_id);
    json_set_str(o, "org_name", g->org_name);
    return o;
}

static json_t *account_json(req *r, const struct account_row *acct)
{
    json_t *o = json_object();
    json_set_int(o, "id", acct->id);
    json_set_str(o, "username", acct->username);
    json_set_str(o, "display_name", acct->display_name);
    json_set_bool(o, "disabled", acct->disabled);
    json_t *arr = json_array();
    struct grant_row *g;
    int n = store_grants_list(r->db, r->a, acct->id, &g);
    for (int i = 0; i < n; i++) json_array_append_new(arr, api_grant_json(&g[i]));
    json_object_set_new(o, "grants", arr);
    return o;
}

static err_code api_accounts_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    struct account_row *a;
    int n = store_accounts_find(r->db, r->a, r->me->account_id, req_query(r, "q"), cursor,
                                (int)limit + 1, &a);
    if (n < 0) return E_INTERNAL;
    bool more = n > limit;
    if (more) n = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, account_json(r, &a[i]));
    return http_json(r, 200, json_page_id(items, more ? a[n - 1].id : 0));
}
ROUTE("GET", "/api/v1/accounts", api_accounts_list, CAP_ACCOUNTS, R_API, NULL,
      "管辖范围内的账号列表");

/* The account of the path, when it exists and the caller may administer it. */
static err_code load_account(req *r, int64_t id, struct account_row *out)
{
    if (!store_account_get(r->db, r->a, id, out) ||
        !store_account_in_scope(r->db, r->me->account_id, id))
        return E_NOT_FOUND;
    return E_OK;
}

/* 200 (or 201) with the account as it is now. */
static err_code answer_account(req *r, int status, int64_t id)
{
    struct account_row acct;
    if (!store_account_get(r->db, r->a, id, &acct)) return E_INTERNAL;
    return http_json(r, status, account_json(r, &acct));
}

static err_code api_account_get(req *r)
{
    struct account_row acct;
    err_code e = load_account(r, req_id(r, "id"), &acct);
    if (e) return e;
    return http_json(r, 200, account_json(r, &acct));
}
ROUTE("GET", "/api/v1/accounts/{id}", api_account_get, CAP_ACCOUNTS, R_API, "account",
      "账号详情与授权");

static err_code api_account_create(req *r)
{
    struct account_input in = {0};
    err_code e = bind_input(r, &account_create_bind, &in);
    if (e) return e;
    struct svc_result res =
        svc_account_create(r->db, r->a, r->me, in.username, in.display_name, in.password, in.role,
                           in.place_code, in.grid_id, in.org_id);
    if (res.err) return svc_error(r, res);
    return answer_account(r, 201, res.id);
}
ROUTE("POST", "/api/v1/accounts", api_account_create, CAP_ACCOUNTS, R_API, NULL,
      "创建账号并授予一个角色");

static err_code api_grant_add(req *r)
{
    struct account_row acct;
    err_code e = load_account(r, req_id(r, "id"), &acct);
    if (e) return e;
    struct account_input in = {0};
    if ((e = bind_input(r, &grant_add_bind, &in))) return e;
    struct svc_result res =
        svc_grant_add(r->db, r->a, r->me, acct.id, in.role, in.place_code, in.grid_id, in.org_id);
    if (res.err) return svc_error(r, res);
    return answer_account(r, 201, acct.id);
}
ROUTE("POST", "/api/v1/accounts/{id}/grants", api_grant_add, CAP_ACCOUNTS, R_API, "account",
      "为账号增加授权");

static err_code api_ok(req *r, struct svc_result res)
{
    if (res.err) return svc_error(r, res);
    return http_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static err_code api_grant_delete(req *r)
{
    return api_ok(r, svc_grant_remove(r->db, r->a, r->me, req_id(r, "id")));
}
ROUTE("DELETE", "/api/v1/grants/{id}", api_grant_delete, CAP_ACCOUNTS, R_API, "grant",
      "撤销一项授权");

static err_code api_account_password(req *r)
{
    struct account_row acct;
    err_code e = load_account(r, req_id(r, "id"), &acct);
    if (e) return e;
    struct password_input in = {0};
    if ((e = bind_input(r, &account_password_bind, &in))) return e;
    return api_ok(r, svc_account_set_password(r->db, r->a, r->me, acct.id, in.password));
}
ROUTE("POST", "/api/v1/accounts/{id}/password", api_account_password, CAP_ACCOUNTS, R_API,
      "account", "重置账号密码");

static err_code set_disabled(req *r, int disabled)
{
    struct account_row acct;
    err_code e = load_account(r, req_id(r, "id"), &acct);
    if (e) return e;
    struct svc_result res = svc_account_set_disabled(r->db, r->a, r->me, acct.id, disabled);
    if (res.err) return svc_error(r, res);
    return answer_account(r, 200, acct.id);
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
    struct password_input in = {0};
    err_code e = bind_input(r, &my_password_bind, &in);
    if (e) return e;
    struct account_row me;
    if (!store_account_get(r->db, r->a, r->me->account_id, &me) || !in.old_password)
        return http_fail(r, E_BAD_INPUT, "old_password", "请输入原密码");
    /* guessing the old password with a taken session is guessing a login:
     * the same counters, reserved before the verification */
    const char *keys[LOGIN_KEYS];
    login_keys(r->a, r->client_ip, r->me->username, keys);
    int64_t wait;
    struct svc_result lim = svc_login_reserve(r->db, r->a, keys, clock_now(), &wait);
    if (lim.err == E_RATE_LIMITED)
        http_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
    if (lim.err) return svc_error(r, lim);
    if (!password_verify(me.password_hash, in.old_password))
        return http_fail(r, E_BAD_INPUT, "old_password", "原密码不正确");
    if (svc_login_succeeded(r->db, keys) < 0) return E_UNAVAILABLE;
    return api_ok(r, svc_account_set_password(r->db, r->a, r->me, me.id, in.password));
}
ROUTE("POST", "/api/v1/me/password", api_my_password, NULL, R_API, NULL, "修改自己的密码");
