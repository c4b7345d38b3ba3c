/* POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me */
#include "api/api_accounts.h"
#include "core/roles.h"
#include "http/bind_accounts.h"
#include "http/http.h"
#include "http/json_out.h"
#include "store/store_accounts.h"

static err_code api_login(req *r)
{
    if (!r->json || !json_is_object(r->json))
        return http_fail(r, E_BAD_INPUT, NULL, "请以 JSON 提交 {\"username\",\"password\"}");
    struct login_input in = {0};
    err_code e = bind_input(r, &login_bind, &in);
    if (e) return e;
    char *token = NULL;
    e = session_login(r, in.username, in.password, &token);
    if (e != E_OK) return e;
    return http_json(r, 200, json_pack("{s:s}", "token", token));
}
ROUTE("POST", "/api/v1/auth/login", api_login, NULL, R_API | R_PUBLIC | R_NO_CSRF, NULL,
      "登录，返回令牌并设置会话 Cookie");

static err_code api_logout(req *r)
{
    session_logout(r);
    return http_json(r, 200, json_pack("{s:b}", "ok", 1));
}
ROUTE("POST", "/api/v1/auth/logout", api_logout, NULL, R_API, NULL, "退出登录");

static err_code api_me(req *r)
{
    json_t *grants = json_array();
    struct grant_row *g;
    int n = store_grants_list(r->db, r->a, r->me->account_id, &g);
    for (int i = 0; i < n; i++) json_array_append_new(grants, api_grant_json(&g[i]));
    json_t *caps = json_array();
    for (int i = 0; i < r->me->ncaps; i++) json_array_append_new(caps, json_string(r->me->caps[i]));
    return http_json(r, 200,
                     json_pack("{s:I, s:s, s:s?, s:o, s:o, s:s?}", "id",
                               (json_int_t)r->me->account_id, "username", r->me->username,
                               "display_name", r->me->display_name, "grants", grants,
                               "capabilities", caps, "csrf", r->me->csrf));
}
ROUTE("GET", "/api/v1/me", api_me, NULL, R_API, NULL, "当前账号、授权与能力");
