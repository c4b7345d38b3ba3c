/* 部门买单 pages: GET /order-costs shows an organisation's costs waiting for
 * its confirmation (forms to confirm or decline) and, for staff, the
 * proposed costs in scope and the confirmed totals by organisation and by
 * community. */
#include <stdbool.h>

#include "core/roles.h"
#include "core/whistle_rule.h"
#include "pages/layout.h"
#include "pages/page_order_extras.h"
#include "service/svc_order_costs.h"
#include "store/store_order_costs.h"

static void costs_section(req *r, const char *title, bool as_org)
{
    struct order_cost_row *k;
    int n = store_order_costs_open(r->db, r->a, r->me->account_id, as_org, 200, &k);
    buf *o = &r->out;
    buf_hprintf(o, "<section class=\"card\"><h2>%s</h2>", title);
    if (n <= 0) {
        buf_puts(o, "<p class=\"muted\">没有待确认的买单</p></section>\n");
        return;
    }
    buf_puts(o, "<ul class=\"plain\">");
    for (int i = 0; i < n; i++) page_cost_item(r, &k[i], as_org);
    buf_puts(o, "</ul></section>\n");
}

static void totals_table(req *r, const char *title, const char *head,
                         const struct order_cost_total *t, int n)
{
    buf *o = &r->out;
    buf_hprintf(o, "<h3>%s</h3>", title);
    if (n <= 0) {
        buf_puts(o, "<p class=\"muted\">暂无已确认的买单</p>\n");
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>");
    buf_html(o, head);
    buf_puts(o, "</th><th class=\"num\">件数</th><th class=\"num\">金额（元）</th></tr></thead>"
                "<tbody>");
    for (int i = 0; i < n; i++) {
        char yuan[32];
        const char *name = t[i].name   ? t[i].name
                           : t[i].code ? t[i].code
                                       : arena_printf(r->a, "%lld", (long long)t[i].org_id);
        buf_hprintf(o, "<tr><td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%s</td></tr>",
                    name, (long long)t[i].count,
                    money_format_yuan(t[i].amount_fen, yuan, sizeof yuan));
    }
    buf_puts(o, "</tbody></table></div>\n");
}

static err_code page_order_costs(req *r)
{
    page_begin(r, "部门买单");
    const char *done = req_query(r, "done");
    if (done && *done) page_message(r, "notice", "已处理");
    bool staff = principal_has_cap(r->me, CAP_ORDERS_READ);
    if (!staff || store_order_costs_open(r->db, r->a, r->me->account_id, true, 1,
                                         &(struct order_cost_row *){NULL}) > 0)
        costs_section(r, "待本组织确认", true);
    if (staff) {
        costs_section(r, "辖区内待确认", false);
        int64_t me = r->me->account_id;
        buf_puts(&r->out, "<section class=\"card\"><h2>已确认买单汇总</h2>");
        struct order_cost_total *t;
        int n = store_order_costs_by_org(r->db, r->a, me, NULL, 0, 0, &t);
        totals_table(r, "按组织", "组织", t, n);
        n = store_order_costs_by_place(r->db, r->a, me, NULL, 0, 0, &t);
        totals_table(r, "按社区", "社区", t, n);
        buf_puts(&r->out, "</section>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/order-costs", page_order_costs, CAP_ORGS_READ, R_PAGE, NULL,
      "部门买单：待确认的买单与已确认金额汇总");

static err_code decide(req *r, bool confirm)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_order_cost_decide(r->db, r->a, r->me, id, confirm);
    if (!res.err) return http_redirect(r, "/order-costs?done=1");
    if (res.err == E_NOT_FOUND) return E_NOT_FOUND;
    return page_form_refused(r, "买单未处理", res.message, res.err, "/order-costs", "返回部门买单");
}
static err_code page_cost_confirm(req *r)
{
    return decide(r, true);
}
static err_code page_cost_decline(req *r)
{
    return decide(r, false);
}
ROUTE("POST", "/order-costs/{id}/confirm", page_cost_confirm, NULL, R_PAGE, "order_cost",
      "确认买单");
ROUTE("POST", "/order-costs/{id}/decline", page_cost_decline, NULL, R_PAGE, "order_cost",
      "拒绝买单");
