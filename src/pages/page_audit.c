/* 操作日志: the audit log a secretary browses, filtered by object, action,
 * operator, place and date, newest first, within the viewer's scope. */
#include <string.h>

#include "core/roles.h"
#include "http/audit_query.h"
#include "pages/layout.h"

static const struct {
    const char *id, *zh;
} actions[] = {
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
};

static const char *action_zh(const char *id)
{
    for (size_t i = 0; id && i < sizeof actions / sizeof actions[0]; i++)
        if (!strcmp(actions[i].id, id)) return actions[i].zh;
    return id;
}

static void text_filter(req *r, const char *name, const char *label, const char *placeholder)
{
    buf *o = &r->out;
    buf_printf(
        o, "<label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" placeholder=\"%s\" value=\"",
        name, label, name, name, placeholder);
    buf_html(o, req_query(r, name));
    buf_puts(o, "\">");
}

static err_code page_audit(req *r)
{
    struct audit_filter f = {0};
    err_code e = audit_filter_from_query(r, &f);
    if (e) return e;
    f.limit = 51;
    db_rows *rows = audit_list(r->db, r->a, r->me->account_id, &f);
    if (!rows) return E_INTERNAL;
    page_begin(r, "操作日志");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/audit\">");
    text_filter(r, "entity", "对象", "如 person、account");
    buf_puts(o, "<label for=\"action\">操作</label><select id=\"action\" name=\"action\">"
                "<option value=\"\">全部</option>");
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        buf_printf(o, "<option value=\"%s\"%s>%s</option>", actions[i].id,
                   f.action && !strcmp(f.action, actions[i].id) ? " selected" : "", actions[i].zh);
    }
    buf_puts(o, "</select>");
    text_filter(r, "actor", "操作人", "用户名");
    text_filter(r, "place", "区划代码", "如 140930100010");
    buf_puts(o, "<label for=\"from\">起始日期</label><input id=\"from\" name=\"from\" "
                "type=\"date\" value=\"");
    buf_html(o, req_query(r, "from"));
    buf_puts(
        o,
        "\"><label for=\"to\">截止日期</label><input id=\"to\" name=\"to\" type=\"date\" value=\"");
    buf_html(o, req_query(r, "to"));
    buf_puts(o, "\"><button type=\"submit\">筛选</button></form>\n");

    buf_puts(
        o,
        "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th><th>操作人</th>"
        "<th>操作</th><th>对象</th><th>区划</th><th>变更内容</th></tr></thead><tbody>\n");
    int n = rows->nrows > 50 ? 50 : rows->nrows;
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<tr><td>");
        buf_html(o, page_time(r, db_get_int(rows, i, 1)));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(rows, i, 2));
        buf_puts(o, "</td><td>");
        buf_html(o, action_zh(db_get(rows, i, 3)));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(rows, i, 4));
        if (db_get(rows, i, 5)) {
            buf_puts(o, " #");
            buf_html(o, db_get(rows, i, 5));
        }
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(rows, i, 6));
        buf_puts(o, "</td><td class=\"diff\">");
        if (db_get(rows, i, 7)) {
            buf_puts(o, "<div><span class=\"muted\">原：</span><code>");
            buf_html(o, db_get(rows, i, 7));
            buf_puts(o, "</code></div>");
        }
        if (db_get(rows, i, 8)) {
            buf_puts(o, "<div><span class=\"muted\">新：</span><code>");
            buf_html(o, db_get(rows, i, 8));
            buf_puts(o, "</code></div>");
        }
        if (db_get(rows, i, 9)) {
            buf_puts(o, "<div class=\"muted\">");
            buf_html(o, db_get(rows, i, 9));
            buf_puts(o, "</div>");
        }
        buf_puts(o, "</td></tr>\n");
    }
    if (n == 0) buf_puts(o, "<tr><td colspan=\"6\" class=\"muted\">没有符合条件的记录</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
    if (rows->nrows > 50) {
        /* keep the filters on the next page */
        buf_puts(o, "<nav class=\"pager\"><a href=\"/audit?cursor=");
        buf_html(o, db_get(rows, 49, 0));
        const char *keep[] = {"entity", "action", "actor", "place", "from", "to"};
        for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
            const char *v = req_query(r, keep[k]);
            if (!v || !*v) continue;
            buf_printf(o, "&amp;%s=", keep[k]);
            buf_url(o, v);
        }
        buf_puts(o, "\">更早的记录</a></nav>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/audit", page_audit, CAP_AUDIT_READ, R_PAGE, NULL, "操作日志");
