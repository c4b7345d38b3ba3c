/* The login page, logout, and the home page. */
#include <string.h>

#include "core/next_path.h"
#include "core/roles.h"
#include "http/bind_accounts.h"
#include "pages/layout.h"
#include "store/store_accounts.h"

static void login_form(req *r, const char *username, const char *error)
{
    page_begin(r, "登录");
    buf *o = &r->out;
    if (error) {
        buf_puts(o, "<p class=\"error\" role=\"alert\">");
        buf_html(o, error);
        buf_puts(o, "</p>\n");
    }
    buf_puts(o, "<form class=\"card narrow\" method=\"post\" action=\"/login\">\n"
                "<input type=\"hidden\" name=\"next\" value=\"");
    buf_html(o, next_path_safe(req_query(r, "next") ? req_query(r, "next") : req_form(r, "next")));
    buf_puts(o, "\">\n<label for=\"username\">用户名</label>\n"
                "<input id=\"username\" name=\"username\" autocomplete=\"username\" required "
                "value=\"");
    buf_html(o, username ? username : "");
    buf_puts(o, "\">\n<label for=\"password\">密码</label>\n"
                "<input id=\"password\" name=\"password\" type=\"password\" "
                "autocomplete=\"current-password\" required>\n"
                "<button type=\"submit\" class=\"primary\">登录</button>\n</form>\n"
                "<p class=\"small\">爱心人士可<a href=\"/volunteer/signup\">用手机号注册</a>"
                "，认领社区心愿墙上的微心愿。</p>\n");
}

static err_code page_login_get(req *r)
{
    if (r->me) return http_redirect(r, "/");
    login_form(r, NULL, NULL);
    return page_end(r);
}
ROUTE("GET", "/login", page_login_get, NULL, R_PAGE | R_PUBLIC, NULL, "登录页");

static err_code page_login_post(req *r)
{
    struct login_input in = {0};
    err_code e = bind_input(r, &login_bind, &in);
    char *token = NULL;
    if (!e) e = session_login(r, in.username, in.password, &token);
    if (e == E_OK) return http_redirect(r, next_path_safe(in.next));
    if (e != E_UNAUTHORIZED && e != E_RATE_LIMITED && e != E_BAD_INPUT) return e;
    const char *msg = r->err_message;
    r->err_message = NULL;
    login_form(r, in.username, msg);
    page_end(r);
    r->status = err_http_status(e);
    return E_OK;
}
ROUTE("POST", "/login", page_login_post, NULL, R_PAGE | R_PUBLIC | R_NO_CSRF, NULL, "提交登录");

static err_code page_logout(req *r)
{
    session_logout(r);
    return http_redirect(r, "/login");
}
ROUTE("POST", "/logout", page_logout, NULL, R_PAGE, NULL, "退出登录");

static err_code page_home(req *r)
{
    page_begin(r, "首页");
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>我的授权</h2><ul class=\"plain\">");
    struct grant_row *g;
    int n = store_grants_list(r->db, r->a, r->me->account_id, &g);
    for (int i = 0; i < n; i++) {
        const struct role *role = role_find(g[i].role);
        buf_hprintf(o, "<li><strong>%s</strong> · ", role ? role->zh : g[i].role);
        if (g[i].place_code) {
            buf_puts(o, "<a href=\"/places/");
            buf_url(o, g[i].place_code);
            buf_hprintf(o, "\">%s</a>", g[i].place_name);
        } else {
            buf_html(o, g[i].grid_name ? g[i].grid_name : g[i].org_name);
        }
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul></section>\n");
    return page_end(r);
}
ROUTE("GET", "/", page_home, NULL, R_PAGE, NULL, "首页");
