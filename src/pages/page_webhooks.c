/* Webhooks 外部推送 page for account administrators: the webhooks of places
 * in scope with their last deliveries, a form to add one (the secret is
 * shown once) and a button to disable one. */
#include "core/roles.h"
#include "http/bind_webhooks.h"
#include "http/http.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_webhooks.h"
#include "store/store_webhook_rows.h"

static void webhook_item(req *r, const struct webhook_row *w)
{
    buf *o = &r->out;
    buf_hprintf(o, "<li><strong>%s</strong><br><span class=\"muted\">%s · %s%s</span>", w->url,
                w->place_name, w->kinds ? w->kinds : "全部消息",
                w->active ? " · 启用" : " · 已停用");
    struct delivery_row *dl;
    if (store_deliveries_find(r->db, r->a, w->id, 0, 1, &dl) > 0) {
        const char *e = webhook_error_public(r->a, dl->http_status, dl->error);
        buf_hprintf(o, "<br><span class=\"muted\">最近投递：%s ", page_time(r, dl->at));
        if (e)
            buf_html(o, e);
        else if (dl->http_status)
            buf_printf(o, "HTTP %lld", (long long)dl->http_status);
        buf_puts(o, "</span>");
    }
    if (w->active) {
        buf_printf(o,
                   " <form class=\"inline\" method=\"post\" action=\"/webhooks/%lld/disable\" "
                   "data-confirm=\"确定停用该推送地址？\">",
                   (long long)w->id);
        page_csrf_field(r);
        buf_puts(o, "<button type=\"submit\">停用</button></form>");
    }
    buf_puts(o, "</li>\n");
}

static void create_form(req *r)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>登记推送地址</h2>\n<form method=\"post\" "
                "action=\"/webhooks\">");
    page_csrf_field(r);
    ui_input(o, "url", "推送地址", req_form(r, "url"),
             "type=\"url\" required placeholder=\"https://example.org/linli\"");
    ui_input(o, "place_code", "区划代码（推送此区划及下级的消息）", req_form(r, "place_code"),
             "inputmode=\"numeric\" required");
    ui_input(o, "kinds", "消息类型（逗号分隔，留空为全部）", req_form(r, "kinds"),
             "placeholder=\"dispatched,resolved,breach\"");
    buf_puts(o, "<label for=\"secret\">密钥（留空自动生成）</label><input id=\"secret\" "
                "name=\"secret\" "
                "autocomplete=\"off\">\n<button type=\"submit\" "
                "class=\"primary\">登记</button></form></section>\n");
}

static err_code webhooks_page(req *r, const char *error, const char *notice, int status)
{
    struct webhook_row *w;
    int n = store_webhooks_find(r->db, r->a, r->me->account_id, 0, 200, &w);
    if (n < 0) return E_INTERNAL;
    page_begin(r, "Webhook 推送");
    buf *o = &r->out;
    buf_puts(o, "<p "
                "class=\"muted\">派单、接单、办结、预警、超时等消息按区划推送到外部系统；"
                "请求头 X-Linli-Signature 为 HMAC-SHA256 签名。</p>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    if (n == 0)
        buf_puts(o, "<p class=\"muted\">尚未登记推送地址</p>\n");
    else
        buf_puts(o, "<ul class=\"list\">\n");
    for (int i = 0; i < n; i++) webhook_item(r, &w[i]);
    if (n) buf_puts(o, "</ul>\n");
    create_form(r);
    return page_end_status(r, status);
}

static err_code page_webhooks(req *r)
{
    return webhooks_page(r, NULL, NULL, 200);
}
ROUTE("GET", "/webhooks", page_webhooks, CAP_ACCOUNTS, R_PAGE, NULL, "Webhook 推送地址");

static err_code page_webhook_create(req *r)
{
    struct webhook_input in = {0};
    err_code e = bind_input(r, &webhook_create_bind, &in);
    const char *secret;
    struct svc_result res =
        e ? bind_refused(r, e) : svc_webhook_create(r->db, r->a, r->me, &in, &secret);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return webhooks_page(r, res.message ? res.message : err_message_zh(res.err), NULL,
                             err_http_status(res.err));
    r->form = NULL; /* an empty form after success */
    return webhooks_page(
        r, NULL, arena_printf(r->a, "已登记。签名密钥（只显示这一次，请妥善保存）：%s", secret),
        200);
}
ROUTE("POST", "/webhooks", page_webhook_create, CAP_ACCOUNTS, R_PAGE, NULL,
      "登记 Webhook 推送地址");

static err_code page_webhook_disable(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_webhook_disable(r->db, r->a, r->me, id);
    if (res.err) return res.err;
    return http_redirect(r, "/webhooks");
}
ROUTE("POST", "/webhooks/{id}/disable", page_webhook_disable, CAP_ACCOUNTS, R_PAGE, "webhook",
      "停用 Webhook 推送地址");
