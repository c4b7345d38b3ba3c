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
    db_rows *s = store_supervisions_open(r->db, r->a, r->me->account_id,
                                         place && *place ? place : NULL, now, 200);
    page_begin(r, "督办中的工单");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/supervisions\">"
                "<label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" placeholder=\"如 140930100010\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><button type=\"submit\">查询</button></form>\n<section class=\"card\">");
    if (!s || s->nrows == 0) {
        buf_puts(o, "<p class=\"muted\">没有督办中的工单</p></section>\n");
        return page_end(r);
    }
    buf_puts(o, "<ul class=\"plain\">");
    for (int i = 0; i < s->nrows; i++) {
        bool late = supervision_overdue(db_get_int(s, i, SV_DEADLINE), 0, now);
        buf_puts(o, "<li>");
        buf_puts(o, late ? "<span class=\"badge\">已超期</span> "
                         : "<span class=\"tag\">督办中</span> ");
        buf_puts(o, "<a href=\"/orders/");
        buf_html(o, db_get(s, i, SV_ORDER));
        buf_puts(o, "\">");
        buf_html(o, db_get(s, i, SV_CODE));
        buf_puts(o, " ");
        buf_html(o, db_get(s, i, SV_TITLE));
        buf_puts(o, "</a><br>");
        buf_html(o, db_get(s, i, SV_NOTE));
        buf_puts(o, "<br><span class=\"muted\">期限 ");
        buf_html(o, page_time(r, db_get_int(s, i, SV_DEADLINE)));
        buf_puts(o, " · 督办人 ");
        buf_html(o, db_get(s, i, SV_BY) ? db_get(s, i, SV_BY) : "系统");
        buf_puts(o, "</span></li>\n");
    }
    buf_puts(o, "</ul></section>\n");
    return page_end(r);
}
ROUTE("GET", "/supervisions", page_supervisions, CAP_ORDERS_READ, R_PAGE, NULL,
      "督办：督办中的工单（超期的在前）");
