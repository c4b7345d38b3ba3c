/* 账号与授权: /accounts (list + create), /accounts/{id} (grants, add/revoke,
 * reset password, disable/enable). Forms post back to the same pages; every
 * change goes through service/svc_accounts.c, and every form is read by its
 * binder in http/bind_accounts.c (the API's own). */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "http/bind_accounts.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_accounts.h"
#include "store/store_accounts.h"

/* <select name="role"> of the roles below the viewer's rank. */
static void role_select(req *r)
{
    const char *selected = req_form(r, "role");
    buf_puts(&r->out, "<label for=\"role\">角色</label><select id=\"role\" name=\"role\">");
    for (int i = 0; i < roles_count; i++) {
        if (!role_outranked_by(roles[i].id, r->me->top_rank)) continue;
        buf_hprintf(&r->out, "<option value=\"%s\"%s>%s</option>", roles[i].id,
                    selected && !strcmp(selected, roles[i].id) ? " selected" : "", roles[i].zh);
    }
    buf_puts(&r->out, "</select>\n");
}

static void scope_fields(req *r)
{
    buf *o = &r->out;
    ui_input(o, "place_code", "区划代码（授权范围）", req_form(r, "place_code"),
             "inputmode=\"numeric\" placeholder=\"如 140930100010\"");
    ui_input(o, "grid_id", "或网格编号", req_form(r, "grid_id"), "inputmode=\"numeric\"");
    ui_input(o, "org_id", "或组织编号", req_form(r, "org_id"), "inputmode=\"numeric\"");
}

/* What a grant scopes: its place, grid or organisation, by name. */
static const char *grant_target(const struct grant_row *g)
{
    return g->place_name ? g->place_name : g->grid_name ? g->grid_name : g->org_name;
}

static const char *role_zh(const char *id)
{
    const struct role *role = role_find(id);
    return role ? role->zh : id;
}

static void account_rows(req *r, const struct account_row *a, int n)
{
    buf *o = &r->out;
    for (int i = 0; i < n; i++) {
        buf_hprintf(o, "<tr><td><a href=\"/accounts/%lld\">%s</a></td><td>%s</td><td>",
                    (long long)a[i].id, a[i].username, a[i].display_name);
        struct grant_row *g;
        int ng = store_grants_list(r->db, r->a, a[i].id, &g);
        for (int j = 0; j < ng; j++)
            buf_hprintf(o, "<span class=\"tag\">%s · %s</span> ", role_zh(g[j].role),
                        grant_target(&g[j]));
        buf_puts(o, "</td><td>");
        buf_puts(o, a[i].disabled ? "<span class=\"badge\">已停用</span>" : "正常");
        buf_puts(o, "</td></tr>\n");
    }
    if (n == 0) buf_puts(o, "<tr><td colspan=\"4\" class=\"muted\">没有符合条件的账号</td></tr>\n");
}

static void create_form(req *r)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>新建账号</h2>\n"
                "<form method=\"post\" action=\"/accounts\">");
    page_csrf_field(r);
    ui_input(o, "username", "用户名", req_form(r, "username"), "required");
    ui_input(o, "display_name", "姓名", req_form(r, "display_name"), "");
    buf_puts(o, "<label for=\"password\">初始密码（至少8位）</label><input id=\"password\" "
                "name=\"password\" type=\"password\" autocomplete=\"new-password\" required>\n");
    role_select(r);
    scope_fields(r);
    buf_puts(o, "<button type=\"submit\" class=\"primary\">创建</button></form></section>\n");
}

static err_code accounts_page(req *r, const char *error, const char *notice)
{
    page_begin(r, "账号与授权");
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    const char *q = req_query(r, "q");
    buf_hprintf(o,
                "<form class=\"filters\" method=\"get\" action=\"/accounts\">"
                "<label for=\"q\">搜索</label><input id=\"q\" name=\"q\" "
                "placeholder=\"用户名或姓名\" value=\"%s\"><button type=\"submit\">查询</button>"
                "</form>\n",
                q);
    int64_t cursor = 0;
    const char *c = req_query(r, "cursor");
    if (c) cursor = atoll(c);
    struct account_row *a;
    int n = store_accounts_find(r->db, r->a, r->me->account_id, q, cursor, 51, &a);
    bool more = n > 50;
    if (more) n = 50;
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>用户名</th>"
                "<th>姓名</th><th>授权</th><th>状态</th></tr></thead><tbody>\n");
    account_rows(r, a, n < 0 ? 0 : n);
    buf_puts(o, "</tbody></table></div>\n");
    if (more) {
        buf_printf(o, "<nav class=\"pager\"><a href=\"/accounts?cursor=%lld", (long long)a[49].id);
        if (q) {
            buf_puts(o, "&amp;q=");
            buf_url(o, q);
        }
        buf_puts(o, "\">下一页</a></nav>\n");
    }
    create_form(r);
    return page_end(r);
}

static err_code page_accounts(req *r)
{
    return accounts_page(r, NULL, NULL);
}
ROUTE("GET", "/accounts", page_accounts, CAP_ACCOUNTS, R_PAGE, NULL, "账号列表");

/* A refusal re-shown on the page it came from (with the status it stands for);
 * the store failing is the error page. */
static err_code refused(req *r, struct svc_result res, err_code (*show)(req *, const char *))
{
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    err_code e = show(r, res.message ? res.message : err_message_zh(res.err));
    r->status = err_http_status(res.err);
    return e;
}

static err_code show_accounts(req *r, const char *error)
{
    return accounts_page(r, error, NULL);
}

static err_code page_accounts_create(req *r)
{
    struct account_input in = {0};
    err_code e = bind_input(r, &account_create_bind, &in);
    struct svc_result res =
        e ? bind_refused(r, e)
          : svc_account_create(r->db, r->a, r->me, in.username, in.display_name, in.password,
                               in.role, in.place_code, in.grid_id, in.org_id);
    if (res.err == E_OK)
        return http_redirect(r, arena_printf(r->a, "/accounts/%lld", (long long)res.id));
    return refused(r, res, show_accounts);
}
ROUTE("POST", "/accounts", page_accounts_create, CAP_ACCOUNTS, R_PAGE, NULL, "创建账号");

static void grant_list(req *r, int64_t id)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>授权</h2><ul class=\"plain\">");
    struct grant_row *g;
    int n = store_grants_list(r->db, r->a, id, &g);
    for (int j = 0; j < n; j++) {
        buf_hprintf(o, "<li><strong>%s</strong> · %s", role_zh(g[j].role), grant_target(&g[j]));
        if (g[j].place_code) buf_hprintf(o, " <span class=\"muted\">%s</span>", g[j].place_code);
        if (svc_grant_may_revoke(r->db, r->me, g[j].id, g[j].role)) {
            buf_printf(o,
                       " <form class=\"inline\" method=\"post\" action=\"/accounts/%lld/revoke\" "
                       "data-confirm=\"确定撤销该授权？\">",
                       (long long)id);
            page_csrf_field(r);
            buf_printf(o,
                       "<input type=\"hidden\" name=\"grant_id\" value=\"%lld\">"
                       "<button type=\"submit\">撤销</button></form>",
                       (long long)g[j].id);
        }
        buf_puts(o, "</li>");
    }
    buf_printf(o, "</ul>\n<h3>增加授权</h3><form method=\"post\" action=\"/accounts/%lld/grants\">",
               (long long)id);
    page_csrf_field(r);
    role_select(r);
    scope_fields(r);
    buf_puts(o, "<button type=\"submit\" class=\"primary\">授权</button></form></section>\n");
}

static void admin_forms(req *r, const struct account_row *acct)
{
    buf *o = &r->out;
    buf_printf(o,
               "<section class=\"card\"><h2>重置密码</h2><form method=\"post\" "
               "action=\"/accounts/%lld/password\">",
               (long long)acct->id);
    page_csrf_field(r);
    buf_printf(o,
               "<label for=\"password\">新密码（至少8位）</label><input id=\"password\" "
               "name=\"password\" type=\"password\" autocomplete=\"new-password\" required>"
               "<button type=\"submit\">重置</button></form>\n<form method=\"post\" "
               "action=\"/accounts/%lld",
               (long long)acct->id);
    buf_puts(o, acct->disabled ? "/enable\">" : "/disable\" data-confirm=\"确定停用该账号？\">");
    page_csrf_field(r);
    buf_puts(o, acct->disabled ? "<button type=\"submit\">启用账号</button>"
                               : "<button type=\"submit\">停用账号</button>");
    buf_puts(o, "</form></section>\n");
}

static err_code account_page(req *r, int64_t id, const char *error, const char *notice)
{
    struct account_row acct;
    if (!store_account_get(r->db, r->a, id, &acct) ||
        !store_account_in_scope(r->db, r->me->account_id, id))
        return E_NOT_FOUND;
    page_begin(r, arena_printf(r->a, "账号 %s", acct.username));
    buf *o = &r->out;
    buf_hprintf(o, "<p class=\"breadcrumbs\"><a href=\"/accounts\">账号与授权</a> › %s</p>\n",
                acct.username);
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_hprintf(o, "<section class=\"card\"><p>姓名：%s　状态：",
                acct.display_name ? acct.display_name : "—");
    buf_puts(o, acct.disabled ? "<span class=\"badge\">已停用</span>" : "正常");
    buf_puts(o, "</p></section>\n");
    grant_list(r, id);
    if (!svc_account_may_administer(r->db, r->a, r->me, id)) {
        /* a password and an account are account-wide: see svc_accounts.h */
        buf_puts(o, "<section class=\"card\"><p class=\"muted\">该账号拥有不低于您级别的角色或"
                    "超出您管辖范围的授权，您不能重置其密码或停用、启用它。</p></section>\n");
        return page_end(r);
    }
    admin_forms(r, &acct);
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

static err_code show_account(req *r, const char *error)
{
    return account_page(r, req_id(r, "id"), error, NULL);
}

/* After an account action: back to the account's page by a redirect (so a
 * reload does not act again), or the page with the refusal. */
static err_code after(req *r, struct svc_result res, const char *done)
{
    if (res.err == E_NOT_FOUND) return E_NOT_FOUND;
    if (!res.err)
        return http_redirect(
            r, arena_printf(r->a, "/accounts/%lld?done=%s", (long long)req_id(r, "id"), done));
    return refused(r, res, show_account);
}

static err_code page_grant_add(req *r)
{
    struct account_input in = {0};
    err_code e = bind_input(r, &grant_add_bind, &in);
    return after(r,
                 e ? bind_refused(r, e)
                   : svc_grant_add(r->db, r->a, r->me, req_id(r, "id"), in.role, in.place_code,
                                   in.grid_id, in.org_id),
                 "grant");
}
ROUTE("POST", "/accounts/{id}/grants", page_grant_add, CAP_ACCOUNTS, R_PAGE, "account", "增加授权");

static err_code page_grant_revoke(req *r)
{
    struct revoke_input in = {0};
    struct grant_row g;
    if (bind_input(r, &grant_revoke_bind, &in) || !store_grant_get(r->db, r->a, in.grant_id, &g) ||
        g.account_id != req_id(r, "id"))
        return E_NOT_FOUND;
    return after(r, svc_grant_remove(r->db, r->a, r->me, g.id), "revoke");
}
ROUTE("POST", "/accounts/{id}/revoke", page_grant_revoke, CAP_ACCOUNTS, R_PAGE, "account",
      "撤销授权");

static err_code page_account_password(req *r)
{
    struct password_input in = {0};
    err_code e = bind_input(r, &account_password_bind, &in);
    return after(r,
                 e ? bind_refused(r, e)
                   : svc_account_set_password(r->db, r->a, r->me, req_id(r, "id"), in.password),
                 "password");
}
ROUTE("POST", "/accounts/{id}/password", page_account_password, CAP_ACCOUNTS, R_PAGE, "account",
      "重置密码");

static err_code page_account_disable(req *r)
{
    return after(r, svc_account_set_disabled(r->db, r->a, r->me, req_id(r, "id"), 1), "disable");
}
ROUTE("POST", "/accounts/{id}/disable", page_account_disable, CAP_ACCOUNTS, R_PAGE, "account",
      "停用账号");

static err_code page_account_enable(req *r)
{
    return after(r, svc_account_set_disabled(r->db, r->a, r->me, req_id(r, "id"), 0), "enable");
}
ROUTE("POST", "/accounts/{id}/enable", page_account_enable, CAP_ACCOUNTS, R_PAGE, "account",
      "启用账号");
