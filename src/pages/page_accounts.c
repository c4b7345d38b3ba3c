/* 账号与授权: /accounts (list + create), /accounts/{id} (grants, add/revoke,
 * reset password, disable/enable). Forms post back to the same pages; every
 * change goes through service/svc_accounts.c. */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "pages/layout.h"
#include "service/svc_accounts.h"
#include "store/store_accounts.h"

static void role_options(req *r, const char *selected)
{
    for (int i = 0; i < roles_count; i++) {
        if (!role_outranked_by(roles[i].id, r->me->top_rank)) continue;
        buf_puts(&r->out, "<option value=\"");
        buf_html(&r->out, roles[i].id);
        buf_puts(&r->out, "\"");
        if (selected && !strcmp(selected, roles[i].id)) buf_puts(&r->out, " selected");
        buf_puts(&r->out, ">");
        buf_html(&r->out, roles[i].zh);
        buf_puts(&r->out, "</option>");
    }
}

static void scope_fields(req *r)
{
    buf_puts(&r->out, "<label for=\"place_code\">区划代码（授权范围）</label>"
                      "<input id=\"place_code\" name=\"place_code\" inputmode=\"numeric\" "
                      "placeholder=\"如 140930100010\" value=\"");
    buf_html(&r->out, req_form(r, "place_code"));
    buf_puts(&r->out, "\">\n<label for=\"grid_id\">或网格编号</label>"
                      "<input id=\"grid_id\" name=\"grid_id\" inputmode=\"numeric\" value=\"");
    buf_html(&r->out, req_form(r, "grid_id"));
    buf_puts(&r->out, "\">\n<label for=\"org_id\">或组织编号</label>"
                      "<input id=\"org_id\" name=\"org_id\" inputmode=\"numeric\" value=\"");
    buf_html(&r->out, req_form(r, "org_id"));
    buf_puts(&r->out, "\">\n");
}

static err_code accounts_page(req *r, const char *error, const char *notice)
{
    page_begin(r, "账号与授权");
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    const char *q = req_query(r, "q");
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/accounts\">"
                "<label for=\"q\">搜索</label><input id=\"q\" name=\"q\" "
                "placeholder=\"用户名或姓名\" value=\"");
    buf_html(o, q);
    buf_puts(o, "\"><button type=\"submit\">查询</button></form>\n");
    int64_t cursor = 0;
    const char *c = req_query(r, "cursor");
    if (c) cursor = atoll(c);
    db_rows *a = store_accounts_list(r->db, r->a, r->me->account_id, q, cursor, 51);
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>用户名</th>"
                "<th>姓名</th><th>授权</th><th>状态</th></tr></thead><tbody>\n");
    int n = a ? (a->nrows > 50 ? 50 : a->nrows) : 0;
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<tr><td><a href=\"/accounts/");
        buf_html(o, db_get(a, i, 0));
        buf_puts(o, "\">");
        buf_html(o, db_get(a, i, 1));
        buf_puts(o, "</a></td><td>");
        buf_html(o, db_get(a, i, 2));
        buf_puts(o, "</td><td>");
        db_rows *g = store_grants_of(r->db, r->a, db_get_int(a, i, 0));
        for (int j = 0; g && j < g->nrows; j++) {
            const struct role *role = role_find(db_get(g, j, 2));
            buf_puts(o, "<span class=\"tag\">");
            buf_html(o, role ? role->zh : db_get(g, j, 2));
            buf_puts(o, " · ");
            buf_html(o, db_get(g, j, 4)   ? db_get(g, j, 4)
                        : db_get(g, j, 6) ? db_get(g, j, 6)
                                          : db_get(g, j, 8));
            buf_puts(o, "</span> ");
        }
        buf_puts(o, "</td><td>");
        buf_puts(o, db_get_int(a, i, 3) ? "<span class=\"badge\">已停用</span>" : "正常");
        buf_puts(o, "</td></tr>\n");
    }
    if (n == 0) buf_puts(o, "<tr><td colspan=\"4\" class=\"muted\">没有符合条件的账号</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
    if (a && a->nrows > 50) {
        buf_puts(o, "<nav class=\"pager\"><a href=\"/accounts?cursor=");
        buf_html(o, db_get(a, 49, 0));
        if (q) {
            buf_puts(o, "&amp;q=");
            buf_url(o, q);
        }
        buf_puts(o, "\">下一页</a></nav>\n");
    }

    buf_puts(o, "<section class=\"card\"><h2>新建账号</h2>\n"
                "<form method=\"post\" action=\"/accounts\">");
    page_csrf_field(r);
    buf_puts(o, "<label for=\"username\">用户名</label><input id=\"username\" name=\"username\" "
                "required value=\"");
    buf_html(o, req_form(r, "username"));
    buf_puts(o, "\">\n<label for=\"display_name\">姓名</label><input id=\"display_name\" "
                "name=\"display_name\" value=\"");
    buf_html(o, req_form(r, "display_name"));
    buf_puts(o, "\">\n<label for=\"password\">初始密码（至少8位）</label><input id=\"password\" "
                "name=\"password\" type=\"password\" autocomplete=\"new-password\" required>\n"
                "<label for=\"role\">角色</label><select id=\"role\" name=\"role\">");
    role_options(r, req_form(r, "role"));
    buf_puts(o, "</select>\n");
    scope_fields(r);
    buf_puts(o, "<button type=\"submit\" class=\"primary\">创建</button></form></section>\n");
    return page_end(r);
}

static err_code page_accounts(req *r)
{
    return accounts_page(r, NULL, NULL);
}
ROUTE("GET", "/accounts", page_accounts, CAP_ACCOUNTS, R_PAGE, NULL, "账号列表");

static int64_t form_id(req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v && *v ? atoll(v) : 0;
}

static err_code page_accounts_create(req *r)
{
    struct svc_result res =
        svc_account_create(r->db, r->a, r->me, req_form(r, "username"), req_form(r, "display_name"),
                           req_form(r, "password"), req_form(r, "role"), req_form(r, "place_code"),
                           form_id(r, "grid_id"), form_id(r, "org_id"));
    if (res.err == E_OK)
        return http_redirect(r, arena_printf(r->a, "/accounts/%lld", (long long)res.id));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    err_code e = accounts_page(r, res.message ? res.message : err_message_zh(res.err), NULL);
    r->status = err_http_status(res.err);
    return e;
}
ROUTE("POST", "/accounts", page_accounts_create, CAP_ACCOUNTS, R_PAGE, NULL, "创建账号");

static err_code account_page(req *r, int64_t id, const char *error, const char *notice)
{
    db_rows *a = store_account_by_id(r->db, r->a, id);
    if (!a || !store_account_in_scope(r->db, r->me->account_id, id)) return E_NOT_FOUND;
    page_begin(r, arena_printf(r->a, "账号 %s", db_get(a, 0, 1)));
    buf *o = &r->out;
    buf_puts(o, "<p class=\"breadcrumbs\"><a href=\"/accounts\">账号与授权</a> › ");
    buf_html(o, db_get(a, 0, 1));
    buf_puts(o, "</p>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_puts(o, "<section class=\"card\"><p>姓名：");
    buf_html(o, db_get(a, 0, 3) ? db_get(a, 0, 3) : "—");
    buf_puts(o, "　状态：");
    buf_puts(o, db_get_int(a, 0, 5) ? "<span class=\"badge\">已停用</span>" : "正常");
    buf_puts(o, "</p></section>\n<section class=\"card\"><h2>授权</h2><ul class=\"plain\">");
    db_rows *g = store_grants_of(r->db, r->a, id);
    for (int j = 0; g && j < g->nrows; j++) {
        const struct role *role = role_find(db_get(g, j, 2));
        buf_puts(o, "<li><strong>");
        buf_html(o, role ? role->zh : db_get(g, j, 2));
        buf_puts(o, "</strong> · ");
        buf_html(o, db_get(g, j, 4)   ? db_get(g, j, 4)
                    : db_get(g, j, 6) ? db_get(g, j, 6)
                                      : db_get(g, j, 8));
        if (db_get(g, j, 3)) {
            buf_puts(o, " <span class=\"muted\">");
            buf_html(o, db_get(g, j, 3));
            buf_puts(o, "</span>");
        }
        if (svc_grant_may_revoke(r->db, r->me, db_get_int(g, j, 0), db_get(g, j, 2))) {
            buf_puts(o, " <form class=\"inline\" method=\"post\" action=\"/accounts/");
            buf_html(o, db_get(a, 0, 0));
            buf_puts(o, "/revoke\" data-confirm=\"确定撤销该授权？\">");
            page_csrf_field(r);
            buf_puts(o, "<input type=\"hidden\" name=\"grant_id\" value=\"");
            buf_html(o, db_get(g, j, 0));
            buf_puts(o, "\"><button type=\"submit\">撤销</button></form>");
        }
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul>\n<h3>增加授权</h3><form method=\"post\" action=\"/accounts/");
    buf_html(o, db_get(a, 0, 0));
    buf_puts(o, "/grants\">");
    page_csrf_field(r);
    buf_puts(o, "<label for=\"role\">角色</label><select id=\"role\" name=\"role\">");
    role_options(r, req_form(r, "role"));
    buf_puts(o, "</select>\n");
    scope_fields(r);
    buf_puts(o, "<button type=\"submit\" class=\"primary\">授权</button></form></section>\n");

    if (!svc_account_may_administer(r->db, r->a, r->me, id)) {
        /* a password and an account are account-wide: see svc_accounts.h */
        buf_puts(o, "<section class=\"card\"><p class=\"muted\">该账号拥有不低于您级别的角色或"
                    "超出您管辖范围的授权，您不能重置其密码或停用、启用它。</p></section>\n");
        return page_end(r);
    }
    buf_puts(o,
             "<section class=\"card\"><h2>重置密码</h2><form method=\"post\" action=\"/accounts/");
    buf_html(o, db_get(a, 0, 0));
    buf_puts(o, "/password\">");
    page_csrf_field(r);
    buf_puts(
        o,
        "<label for=\"password\">新密码（至少8位）</label><input id=\"password\" "
        "name=\"password\" type=\"password\" autocomplete=\"new-password\" required>"
        "<button type=\"submit\">重置</button></form>\n<form method=\"post\" action=\"/accounts/");
    buf_html(o, db_get(a, 0, 0));
    buf_puts(o,
             db_get_int(a, 0, 5) ? "/enable\">" : "/disable\" data-confirm=\"确定停用该账号？\">");
    page_csrf_field(r);
    buf_puts(o, db_get_int(a, 0, 5) ? "<button type=\"submit\">启用账号</button>"
                                    : "<button type=\"submit\">停用账号</button>");
    buf_puts(o, "</form></section>\n");
    return page_end(r);
}

/* The outcome of an account action, shown after its redirect (?done=…). */
static const char *const done_messages[][2] = {
    {"grant", "已增加授权"},
    {"revoke", "已撤销授权"},
    {"password", "密码已重置，该账号需重新登录"},
    {"disable", "账号已停用"},
    {"enable", "账号已启用"},
};

static const char *done_message(const char *done)
{
    for (size_t i = 0; done && i < sizeof done_messages / sizeof done_messages[0]; i++)
        if (strcmp(done, done_messages[i][0]) == 0) return done_messages[i][1];
    return NULL;
}

static err_code page_account(req *r)
{
    int64_t id = req_id(r, "id");
    return account_page(r, id, NULL, done_message(req_query(r, "done")));
}
ROUTE("GET", "/accounts/{id}", page_account, CAP_ACCOUNTS, R_PAGE, "account", "账号详情");

/* After an account action: back to the account's page by a redirect (so a
 * reload does not act again), or the page with the refusal. */
static err_code after(req *r, int64_t id, struct svc_result res, const char *done)
{
    if (res.err == E_NOT_FOUND) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err)
        return http_redirect(r, arena_printf(r->a, "/accounts/%lld?done=%s", (long long)id, done));
    err_code e = account_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL);
    r->status = err_http_status(res.err);
    return e;
}

static err_code page_grant_add(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, id,
                 svc_grant_add(r->db, r->a, r->me, id, req_form(r, "role"),
                               req_form(r, "place_code"), form_id(r, "grid_id"),
                               form_id(r, "org_id")),
                 "grant");
}
ROUTE("POST", "/accounts/{id}/grants", page_grant_add, CAP_ACCOUNTS, R_PAGE, "account", "增加授权");

static err_code page_grant_revoke(req *r)
{
    int64_t id = req_id(r, "id");
    int64_t gid = form_id(r, "grant_id");
    db_rows *g = store_grant_by_id(r->db, r->a, gid);
    if (!g || db_get_int(g, 0, 1) != id) return E_NOT_FOUND;
    return after(r, id, svc_grant_remove(r->db, r->a, r->me, gid), "revoke");
}
ROUTE("POST", "/accounts/{id}/revoke", page_grant_revoke, CAP_ACCOUNTS, R_PAGE, "account",
      "撤销授权");

static err_code page_account_password(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, id, svc_account_set_password(r->db, r->a, r->me, id, req_form(r, "password")),
                 "password");
}
ROUTE("POST", "/accounts/{id}/password", page_account_password, CAP_ACCOUNTS, R_PAGE, "account",
      "重置密码");

static err_code page_account_disable(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, id, svc_account_set_disabled(r->db, r->a, r->me, id, 1), "disable");
}
ROUTE("POST", "/accounts/{id}/disable", page_account_disable, CAP_ACCOUNTS, R_PAGE, "account",
      "停用账号");

static err_code page_account_enable(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, id, svc_account_set_disabled(r->db, r->a, r->me, id, 0), "enable");
}
ROUTE("POST", "/accounts/{id}/enable", page_account_enable, CAP_ACCOUNTS, R_PAGE, "account",
      "启用账号");
