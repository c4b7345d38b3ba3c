/* 督办 page: the open supervisions of orders in scope, overdue first. */
#include <stdlib.h>

#include "core/roles.h"
#include "core/whistle_rule.h"
#include "pages/layout.h"
#include "store/store_order_followups.h"
#include "util/clock.h"

static err_code page_supervisions(req *r)
{
    const char *place = req_query(r, "place");
    int64_t now = clock_now();
    struct supervision_row *s;
    int n = store_supervisions_open(r->db, r->a, r->me->account_id, place && *place ? place : NULL,
                                    now, 200, &s);
    page_begin(r, "督办中的工单");
    buf *o = &r->out;
    buf_hprintf(o,
                "<form class=\"filters\" method=\"get\" action=\"/supervisions\">"
                "<label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" placeholder=\"如 140930100010\" value=\"%s\"><button "
                "type=\"submit\">查询</button></form>\n<section class=\"card\">",
                place ? place : "");
    if (n <= 0) {
        buf_puts(o, "<p class=\"muted\">没有督办中的工单</p></section>\n");
        return page_end(r);
    }
    buf_puts(o, "<ul class=\"plain\">");
    for (int i = 0; i < n; i++) {
        bool late = supervision_overdue(s[i].deadline, 0, now);
        buf_puts(o, late ? "<li><span class=\"badge\">已超期</span> "
                         : "<li><span class=\"tag\">督办中</span> ");
        buf_hprintf(o,
                    "<a href=\"/orders/%lld\">%s %s</a><br>%s<br><span class=\"muted\">期限 %s · "
                    "督办人 %s</span></li>\n",
                    (long long)s[i].order_id, s[i].order_code, s[i].order_title, s[i].note,
                    page_time(r, s[i].deadline), s[i].by ? s[i].by : "系统");
    }
    buf_puts(o, "</ul></section>\n");
    return page_end(r);
}
ROUTE("GET", "/supervisions", page_supervisions, CAP_ORDERS_READ, R_PAGE, NULL,
      "督办：督办中的工单（超期的在前）");
