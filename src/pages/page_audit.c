/* 操作日志: the audit log a secretary browses, filtered by object, action,
 * operator, place and date, newest first, within the viewer's scope. */
#include <string.h>

#include "core/roles.h"
#include "http/audit_query.h"
#include "pages/layout.h"
#include "pages/ui.h"

static const char *const actions[][2] = {
    {"create", "新建"},
    {"update", "修改"},
    {"delete", "删除"},
    {"reveal", "查看完整信息"},
    {"import", "导入"},
    {"export", "导出"},
    {"login", "登录"},
    {"grant", "授权"},
    {"revoke", "撤销授权"},
    {"password", "重置密码"},
    {"disable", "停用"},
    {"enable", "启用"},
    {"demo", "生成演示数据"},
    /* refusals and limits worth a look (docs/security.md) */
    {"create_denied", "越权建账号（已拒绝）"},
    {"grant_denied", "越权授权（已拒绝）"},
    {"revoke_denied", "越权撤销授权（已拒绝）"},
    {"password_denied", "越权重置密码（已拒绝）"},
    {"disable_denied", "越权停用（已拒绝）"},
    {"enable_denied", "越权启用（已拒绝）"},
    {"duplicate", "重复登记身份证号（已拒绝）"},
    {"checkin_locked", "签到码错误次数过多"},
    {"confirm_failed", "兑换确认错误"},
    {"confirm_locked", "兑换确认错误次数过多"},
    {"open311_hide", "从公开诉求列表隐藏"},
    {"open311_show", "在公开诉求列表显示"},
    {"logout", "退出登录"},
    {NULL, NULL},
};

static const char *action_zh(const char *id)
{
    for (size_t i = 0; id && actions[i][0]; i++)
        if (!strcmp(actions[i][0], id)) return actions[i][1];
    return id;
}

static void filters(req *r, const struct audit_filter *f)
{
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/audit\">");
    ui_input(o, "entity", "对象", req_query(r, "entity"), "placeholder=\"如 person、account\"");
    buf_puts(o, "<label for=\"action\">操作</label><select id=\"action\" name=\"action\">"
                "<option value=\"\">全部</option>");
    for (size_t i = 0; actions[i][0]; i++)
        buf_hprintf(o, "<option value=\"%s\"%s>%s</option>", actions[i][0],
                    f->action && !strcmp(f->action, actions[i][0]) ? " selected" : "",
                    actions[i][1]);
    buf_puts(o, "</select>");
    ui_input(o, "actor", "操作人", req_query(r, "actor"), "placeholder=\"用户名\"");
    ui_input(o, "place", "区划代码", req_query(r, "place"), "placeholder=\"如 140930100010\"");
    ui_input(o, "from", "起始日期", req_query(r, "from"), "type=\"date\"");
    ui_input(o, "to", "截止日期", req_query(r, "to"), "type=\"date\"");
    buf_puts(o, "<button type=\"submit\">筛选</button></form>\n");
}

/* before/after/note: what changed. */
static void change_cell(buf *o, const struct audit_row *e)
{
    if (e->before_json)
        buf_hprintf(o, "<div><span class=\"muted\">原：</span><code>%s</code></div>",
                    e->before_json);
    if (e->after_json)
        buf_hprintf(o, "<div><span class=\"muted\">新：</span><code>%s</code></div>",
                    e->after_json);
    if (e->note) buf_hprintf(o, "<div class=\"muted\">%s</div>", e->note);
}

static void entry_rows(req *r, const struct audit_row *rows, int n)
{
    buf *o = &r->out;
    for (int i = 0; i < n; i++) {
        const struct audit_row *e = &rows[i];
        buf_hprintf(o, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s", page_time(r, e->at), e->actor,
                    action_zh(e->action), e->entity);
        if (e->entity_id) buf_hprintf(o, " #%s", e->entity_id);
        buf_hprintf(o, "</td><td>%s</td><td class=\"diff\">", e->place_code);
        change_cell(o, e);
        buf_puts(o, "</td></tr>\n");
    }
    if (n == 0) buf_puts(o, "<tr><td colspan=\"6\" class=\"muted\">没有符合条件的记录</td></tr>\n");
}

static err_code page_audit(req *r)
{
    struct audit_filter f = {0};
    err_code e = audit_filter_from_query(r, &f);
    if (e) return e;
    f.limit = 51;
    struct audit_row *rows;
    int n = audit_find(r->db, r->a, r->me->account_id, &f, &rows);
    if (n < 0) return E_INTERNAL;
    page_begin(r, "操作日志");
    buf *o = &r->out;
    filters(r, &f);
    buf_puts(
        o,
        "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th><th>操作人</th>"
        "<th>操作</th><th>对象</th><th>区划</th><th>变更内容</th></tr></thead><tbody>\n");
    bool more = n > 50;
    entry_rows(r, rows, more ? 50 : n);
    buf_puts(o, "</tbody></table></div>\n");
    if (more) {
        /* keep the filters on the next page */
        buf_printf(o, "<nav class=\"pager\"><a href=\"/audit?cursor=%lld", (long long)rows[49].id);
        static const char *const keep[] = {"entity", "action", "actor", "place", "from", "to"};
        for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
            const char *v = req_query(r, keep[k]);
            if (!v || !*v) continue;
            buf_hprintf(o, "&amp;%s=", keep[k]);
            buf_url(o, v);
        }
        buf_puts(o, "\">更早的记录</a></nav>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/audit", page_audit, CAP_AUDIT_READ, R_PAGE, NULL, "操作日志");
