/* Webhooks 外部推送 page for account administrators: the webhooks of places
 * in scope with their last deliveries, a form to add one (the secret is
 * shown once) and a button to disable one. */
#include <stdlib.h>

#include "core/roles.h"
#include "http/http.h"
#include "pages/layout.h"
#include "service/svc_webhooks.h"
#include "store/store_timers.h"

static err_code webhooks_page(req *r, const char *error, const char *notice, int status)
{
    int64_t me = r->me->account_id;
    db_rows *w = store_webhooks_list(r->db, r->a, me, 0, 200);
    if (!w) return E_INTERNAL;
    page_begin(r, "Webhook 推送");
    buf *o = &r->out;
    buf_puts(o, "<p "
                "class=\"muted\">派单、接单、办结、预警、超时等消息按区划推送到外部系统；"
                "请求头 X-Linli-Signature 为 HMAC-SHA256 签名。</p>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    if (w->nrows == 0)
        buf_puts(o, "<p class=\"muted\">尚未登记推送地址</p>\n");
    else
        buf_puts(o, "<ul class=\"list\">\n");
    for (int i = 0; i < w->nrows; i++) {
        bool active = db_get_int(w, i, WC_ACTIVE) != 0;
        buf_puts(o, "<li><strong>");
        buf_html(o, db_get(w, i, WC_URL));
        buf_puts(o, "</strong><br><span class=\"muted\">");
        buf_html(o, db_get(w, i, WC_PLACE_NAME));
        buf_puts(o, " · ");
        buf_html(o, db_get(w, i, WC_KINDS) ? db_get(w, i, WC_KINDS) : "全部消息");
        buf_puts(o, active ? " · 启用" : " · 已停用");
        buf_puts(o, "</span>");
        db_rows *dl = store_deliveries_list(r->db, r->a, db_get_int(w, i, WC_ID), 0, 1);
        if (dl && dl->nrows) {
            buf_puts(o, "<br><span class=\"muted\">最近投递：");
            buf_html(o, page_time(r, db_get_int(dl, 0, DC_AT)));
            buf_puts(o, " ");
            const char *e =
                webhook_error_public(r->a, db_get_int(dl, 0, DC_STATUS), db_get(dl, 0, DC_ERROR));
            if (e)
                buf_html(o, e);
            else if (db_get(dl, 0, DC_STATUS))
                buf_printf(o, "HTTP %lld", (long long)db_get_int(dl, 0, DC_STATUS));
            buf_puts(o, "</span>");
        }
        if (active) {
            buf_puts(o, " <form class=\"inline\" method=\"post\" action=\"/webhooks/");
            buf_html(o, db_get(w, i, WC_ID));
            buf_puts(o, "/disable\" data-confirm=\"确定停用该推送地址？\">");
            page_csrf_field(r);
            buf_puts(o, "<button type=\"submit\">停用</button></form>");
        }
        buf_puts(o, "</li>\n");
    }
    if (w->nrows) buf_puts(o, "</ul>\n");
    buf_puts(o, "<section class=\"card\"><h2>登记推送地址</h2>\n<form method=\"post\" "
                "action=\"/webhooks\">");
    page_csrf_field(r);
    buf_puts(
        o,
        "<label for=\"url\">推送地址</label><input id=\"url\" name=\"url\" type=\"url\" required "
        "placeholder=\"https://example.org/linli\" value=\"");
    buf_html(o, req_form(r, "url"));
    buf_puts(o, "\">\n<label for=\"place_code\">区划代码（推送此区划及下级的消息）</label><input "
                "id=\"place_code\" "
                "name=\"place_code\" inputmode=\"numeric\" required value=\"");
    buf_html(o, req_form(r, "place_code"));
    buf_puts(
        o, "\">\n<label for=\"kinds\">消息类型（逗号分隔，留空为全部）</label><input id=\"kinds\" "
           "name=\"kinds\" placeholder=\"dispatched,resolved,breach\" value=\"");
    buf_html(o, req_form(r, "kinds"));
    buf_puts(o, "\">\n<label for=\"secret\">密钥（留空自动生成）</label><input id=\"secret\" "
                "name=\"secret\" "
                "autocomplete=\"off\">\n<button type=\"submit\" "
                "class=\"primary\">登记</button></form></section>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_webhooks(req *r)
{
    return webhooks_page(r, NULL, NULL, 200);
}
ROUTE("GET", "/webhooks", page_webhooks, CAP_ACCOUNTS, R_PAGE, NULL, "Webhook 推送地址");

static err_code page_webhook_create(req *r)
{
    struct webhook_input in = {.url = req_form(r, "url"),
                               .secret = req_form(r, "secret"),
                               .place_code = req_form(r, "place_code"),
                               .kinds = req_form(r, "kinds")};
    const char *secret;
    struct svc_result res = svc_webhook_create(r->db, r->a, r->me, &in, &secret);
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
