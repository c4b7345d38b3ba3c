/* 评价链接: /rate/{token} — a requester rates a resolved order from the link
 * sent with the 已办结 notice, without logging in (a 12345 caller, someone who
 * filed by phone). The token itself is the credential: single use, valid
 * until the order would close unrated. Thin: service/svc_rating_links.c. */
#include <string.h>

#include "core/order_fsm.h"
#include "pages/layout.h"
#include "service/svc_rating_links.h"
#include "store/store_orders.h"

static const char *const ratings[][2] = {
    {"satisfied", "满意"}, {"basic", "基本满意"}, {"unsatisfied", "不满意"}};

static err_code rate_page(req *r, const char *token, const char *error, int status)
{
    struct order_row o;
    bool found = svc_rating_link_order(r->db, r->a, token, &o);
    page_begin(r, "评价办理结果");
    buf *out = &r->out;
    page_message(r, "error", error);
    if (!found) {
        page_message(r, "error", "评价链接无效、已使用或已过期。如需反映问题，请联系社区。");
        err_code e = page_end(r);
        r->status = error ? status : 404;
        return e;
    }
    buf_puts(out, "<section class=\"card\"><dl><dt>工单</dt><dd>");
    buf_html(out, o.code);
    buf_puts(out, "</dd><dt>诉求</dt><dd>");
    buf_html(out, o.title);
    buf_puts(out, "</dd><dt>办理结果</dt><dd>");
    buf_html(out, o.result);
    buf_puts(out, "</dd></dl></section>\n<form class=\"card\" method=\"post\" action=\"/rate/");
    buf_url(out, token);
    buf_puts(out, "\"><fieldset><legend>您对办理结果是否满意？</legend>");
    for (size_t i = 0; i < sizeof ratings / sizeof ratings[0]; i++) {
        buf_hprintf(out, "<label><input type=\"radio\" name=\"rating\" value=\"%s\"%s> ",
                    ratings[i][0], i == 0 ? " required" : "");
        buf_html(out, ratings[i][1]);
        buf_puts(out, "</label>");
    }
    buf_puts(out, "</fieldset><label for=\"comment\">意见（可选）</label><textarea id=\"comment\" "
                  "name=\"comment\" maxlength=\"500\"></textarea><button type=\"submit\" "
                  "class=\"primary\">提交评价</button></form>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_rate(req *r)
{
    return rate_page(r, req_param(r, "token"), NULL, 200);
}
ROUTE("GET", "/rate/{token}", page_rate, NULL, R_PAGE | R_PUBLIC, NULL,
      "评价链接：群众免登录评价已办结的诉求");

static err_code page_rate_post(req *r)
{
    const char *token = req_param(r, "token");
    struct svc_result res =
        svc_rating_link_rate(r->db, r->a, token, req_form(r, "rating"), req_form(r, "comment"));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err) return rate_page(r, token, res.message, err_http_status(res.err));
    page_begin(r, "感谢您的评价");
    page_message(r, "notice", "评价已提交，感谢您对社区工作的监督！");
    return page_end(r);
}
/* No CSRF token: there is no session to ride on; the link's token is the
 * credential and is good for one rating only. */
ROUTE("POST", "/rate/{token}", page_rate_post, NULL, R_PAGE | R_PUBLIC | R_NO_CSRF, NULL,
      "评价链接：提交评价");
