/* 吹哨报到 pages: GET /whistles lists the calls waiting for 报到 — for staff
 * those of orders in their scope (overdue first), for a department account
 * its own, each with a 报到 form posted to /whistle-calls/{id}/report. */
#include <stdbool.h>

#include "core/roles.h"
#include "http/bind.h"
#include "http/bind_orders.h"
#include "pages/layout.h"
#include "pages/page_order_extras.h"
#include "service/svc_whistles.h"
#include "store/store_whistles.h"
#include "util/clock.h"

static void calls_section(req *r, const char *title, bool as_department, int64_t now)
{
    struct whistle_call_row *c;
    int n = store_whistle_calls_open(r->db, r->a, r->me->account_id, as_department, 200, &c);
    buf *o = &r->out;
    buf_hprintf(o, "<section class=\"card\"><h2>%s</h2>", title);
    if (n <= 0) {
        buf_puts(o, "<p class=\"muted\">没有待报到的吹哨</p></section>\n");
        return;
    }
    buf_puts(o, "<ul class=\"plain\">");
    for (int i = 0; i < n; i++) page_whistle_call_item(r, &c[i], now, as_department);
    buf_puts(o, "</ul></section>\n");
}

static err_code page_whistles(req *r)
{
    int64_t now = clock_now();
    page_begin(r, "吹哨报到");
    const char *done = req_query(r, "done");
    if (done && *done) page_message(r, "notice", "已报到");
    bool staff = principal_has_cap(r->me, CAP_ORDERS_READ);
    if (!staff || store_whistle_calls_open(r->db, r->a, r->me->account_id, true, 1,
                                           &(struct whistle_call_row *){NULL}) > 0)
        calls_section(r, "待本部门报到", true, now);
    if (staff) calls_section(r, "辖区内待报到（超时的在前）", false, now);
    return page_end(r);
}
ROUTE("GET", "/whistles", page_whistles, CAP_ORGS_READ, R_PAGE, NULL,
      "吹哨报到：待报到与超时未报到的部门");

static err_code page_whistle_report(req *r)
{
    int64_t id = req_id(r, "id");
    struct whistle_report_input in = {0};
    err_code e = bind_whistle_report(r, &in);
    struct svc_result res =
        e ? bind_refused(r, e) : svc_whistle_report(r->db, r->a, r->me, id, &in);
    if (!res.err) return http_redirect(r, "/whistles?done=1");
    if (res.err == E_NOT_FOUND) return E_NOT_FOUND;
    return page_form_refused(r, "报到未成功", res.message, res.err, "/whistles", "返回吹哨报到");
}
ROUTE("POST", "/whistle-calls/{id}/report", page_whistle_report, NULL, R_PAGE, "whistle_call",
      "部门报到");
