#include "pages/layout.h"

#include "auth/password.h"
#include "core/roles.h"
#include "util/clock.h"

static const struct {
    const char *href, *label, *cap;
} menu[] = {
    {"/orders", "工单", CAP_SELF},
    {"/orders/new", "我要点单", CAP_SELF},
    {"/dashboard", "数据看板", CAP_ORDERS_READ},
    {"/supervisions", "督办", CAP_ORDERS_READ},
    {"/whistles", "吹哨报到", CAP_ORGS_READ},
    {"/order-costs", "部门买单", CAP_ORGS_READ},
    {"/inbox", "消息", CAP_SELF},
    {"/wishes", "微心愿", CAP_SELF},
    {"/wishes/admin", "心愿管理", CAP_WISHES_REVIEW},
    {"/activities", "活动", CAP_SELF},
    {"/activities/stats", "活动统计", CAP_ACTIVITIES_MANAGE},
    {"/points", "我的积分", CAP_SELF},
    {"/market", "积分超市", CAP_SELF},
    {"/points/admin", "积分管理", CAP_POINTS_READ},
    {"/selections", "评选", CAP_SELF},
    {"/dual-review", "双评价", CAP_ORGS_READ},
    {"/places", "区划与网格", CAP_PLACES_READ},
    {"/residents", "居民台账", CAP_PEOPLE_READ},
    {"/organisations", "组织", CAP_ORGS_READ},
    {"/branches/coverage", "支部覆盖", CAP_ORGS_READ},
    {"/stations", "党群阵地", CAP_PLACES_READ},
    {"/categories", "事项分类", CAP_PLACES_READ},
    {"/responsibilities", "责任清单", CAP_PLACES_READ},
    {"/import", "导入", CAP_PEOPLE_IMPORT},
    {"/accounts", "账号与授权", CAP_ACCOUNTS},
    {"/webhooks", "消息推送", CAP_ACCOUNTS},
    {"/api-keys", "接口密钥", CAP_ACCOUNTS},
    {"/audit", "操作日志", CAP_AUDIT_READ},
};

void page_begin(req *r, const char *title)
{
    buf *o = &r->out;
    buf_reset(o);
    buf_puts(o, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    buf_html(o, title);
    buf_puts(o, " · 邻里</title>\n<link rel=\"stylesheet\" href=\"/static/linli.css\">\n"
                "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
                "<script src=\"/static/linli.js\" defer></script>\n</head>\n<body>\n"
                "<header class=\"top\"><a class=\"brand\" href=\"/\">邻里</a>");
    if (r->me) {
        buf_puts(o, "<nav class=\"menu\">");
        for (size_t i = 0; i < sizeof menu / sizeof menu[0]; i++) {
            if (!principal_has_cap(r->me, menu[i].cap)) continue;
            buf_puts(o, "<a href=\"");
            buf_html(o, menu[i].href);
            buf_puts(o, "\">");
            buf_html(o, menu[i].label);
            buf_puts(o, "</a>");
        }
        buf_puts(o, "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">");
        page_csrf_field(r);
        buf_puts(o, "<span class=\"who\">");
        buf_html(o, r->me->display_name ? r->me->display_name : r->me->username);
        buf_puts(o, "</span><button type=\"submit\">退出</button></form>");
    }
    buf_puts(o, "</header>\n<main>\n<h1>");
    buf_html(o, title);
    buf_puts(o, "</h1>\n");
}

err_code page_end(req *r)
{
    return page_end_status(r, 200);
}

err_code page_end_status(req *r, int status)
{
    buf_puts(&r->out, "</main>\n<footer>邻里 · 党建引领基层治理平台</footer>\n</body>\n</html>\n");
    return http_html(r, status);
}

void page_error(req *r, int status, const char *message_zh)
{
    page_begin(r, status == 404 ? "未找到" : status == 401 ? "请登录" : "出错了");
    buf_puts(&r->out, "<p class=\"error\">");
    buf_html(&r->out, message_zh);
    buf_puts(&r->out, "</p>\n<p><a href=\"/\">返回首页</a></p>\n");
    page_end(r);
    r->status = status;
}

void page_message(req *r, const char *cls, const char *text)
{
    if (!text) return;
    buf_hprintf(&r->out, "<p class=\"%s\" role=\"alert\">%s</p>\n", cls, text);
}

void page_csrf_field(req *r)
{
    if (!r->me || !r->me->csrf) return;
    /* a fresh one-time token per form: the same form posted twice (a double
     * click, a reload, a resend) acts once (http/idempotency.h) */
    char once[33];
    random_token(once, 16);
    buf_hprintf(&r->out,
                "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"_once\" value=\"%s\">",
                r->me->csrf, once);
}

const char *page_time(req *r, int64_t t)
{
    char *s = arena_alloc(r->a, 20);
    clock_format_local((time_t)t, s);
    return s;
}
