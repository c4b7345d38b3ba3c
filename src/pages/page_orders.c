/* GET /orders: the list adapts to the account. Staff who may dispatch
 * (people.write somewhere) see the 工单队列 with filters and live clocks; a
 * volunteer, party member or partner sees 可接工单 (the open pool of their
 * area) and 我承办的; everyone sees 我的诉求, the orders they filed. Reads are
 * scoped by store_orders_list. */
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "core/roles.h"
#include "pages/layout.h"
#include "pages/page_orders.h"
#include "service/svc_categories.h"
#include "store/store_orders.h"
#include "util/clock.h"

#define QUEUE_PAGE   50
#define SECTION_ROWS 30

/* Items of a list; the rows pass keep() (NULL: all). Returns how many. */
static int order_items(req *r, const struct order_row *g, int n,
                       bool (*keep)(const struct order_row *), const char *empty)
{
    buf *o = &r->out;
    time_t now = clock_now();
    int shown = 0;
    buf_puts(o, "<ul class=\"plain orders\">\n");
    for (int i = 0; i < n; i++) {
        if (keep && !keep(&g[i])) continue;
        order_list_item(r, &g[i], now);
        shown++;
    }
    if (!shown) {
        buf_puts(o, "<li class=\"muted\">");
        buf_html(o, empty);
        buf_puts(o, "</li>\n");
    }
    buf_puts(o, "</ul>\n");
    return shown;
}

static bool in_pool(const struct order_row *o)
{
    return strcmp(o->state, "accepted") == 0 && !o->assignee_kind;
}

static void section(req *r, const char *title, const struct order_filter *f,
                    bool (*keep)(const struct order_row *), const char *empty)
{
    buf_puts(&r->out, "<section class=\"card\"><h2>");
    buf_html(&r->out, title);
    buf_puts(&r->out, "</h2>\n");
    struct order_row *g;
    int n = store_orders_rows(r->db, r->a, r->me->account_id, f, &g);
    order_items(r, g, n, keep, empty);
    buf_puts(&r->out, "</section>\n");
}

static void option(buf *o, const char *value, const char *label, const char *selected)
{
    buf_puts(o, "<option value=\"");
    buf_html(o, value);
    buf_puts(o, selected && strcmp(selected, value) == 0 ? "\" selected>" : "\">");
    buf_html(o, label);
    buf_puts(o, "</option>");
}

static const char *q(req *r, const char *name)
{
    const char *v = req_query(r, name);
    return v && *v ? v : NULL;
}

/* The dispatcher's queue: filters, newest first, keyset pages. */
static err_code queue(req *r)
{
    buf *o = &r->out;
    struct order_filter f = {.state = q(r, "state"),
                             .category = q(r, "category"),
                             .channel = q(r, "channel"),
                             .place = q(r, "place"),
                             .limit = QUEUE_PAGE + 1};
    int64_t cursor;
    err_code e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    f.before_id = cursor;
    enum order_state s;
    const char *err = NULL;
    if (f.state && !order_state_parse(f.state, &s)) {
        err = "工单状态不正确";
        f.state = NULL;
    } else if (f.state)
        f.state = order_state_id(s);

    buf_puts(o, "<p><a class=\"button primary\" href=\"/orders/new\">代录诉求</a></p>\n");
    page_message(r, "error", err);
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/orders\">"
                "<label for=\"f-state\">状态</label><select id=\"f-state\" name=\"state\">");
    option(o, "", "全部状态", f.state);
    for (int i = 0; i < ORDER_STATE_COUNT; i++)
        option(o, order_state_id((enum order_state)i), order_state_zh((enum order_state)i),
               f.state);
    buf_puts(o, "</select><label for=\"f-category\">事项分类</label>"
                "<select id=\"f-category\" name=\"category\">");
    option(o, "", "全部分类", f.category);
    struct category_eff *cats;
    int nc = 0;
    if (svc_categories_tree(r->db, r->a, 0, NULL, &cats, &nc) != E_OK) nc = 0;
    for (int i = 0; i < nc; i++)
        option(o, cats[i].code,
               cats[i].depth ? arena_printf(r->a, "— %s", cats[i].name) : cats[i].name, f.category);
    buf_puts(o, "</select><label for=\"f-channel\">来源渠道</label>"
                "<select id=\"f-channel\" name=\"channel\">");
    option(o, "", "全部渠道", f.channel);
    option(o, "web", order_channel_zh("web"), f.channel);
    for (int i = 0; order_staff_channels[i][0]; i++)
        option(o, order_staff_channels[i][0], order_staff_channels[i][1], f.channel);
    buf_puts(o, "</select><label for=\"f-place\">区划代码</label><input id=\"f-place\" "
                "name=\"place\" inputmode=\"numeric\" placeholder=\"如 140930100010\" value=\"");
    buf_html(o, f.place);
    buf_puts(o, "\"><button type=\"submit\">筛选</button></form>\n");

    struct order_row *g;
    int ng = store_orders_rows(r->db, r->a, r->me->account_id, &f, &g);
    int n = ng > QUEUE_PAGE ? QUEUE_PAGE : ng;
    buf_puts(o, "<section class=\"card\">");
    order_items(r, g, n, NULL, "没有符合条件的工单");
    buf_puts(o, "</section>\n");
    if (ng > QUEUE_PAGE) {
        buf_puts(o, "<nav class=\"pager\" aria-label=\"翻页\"><a href=\"/orders?cursor=");
        buf_printf(o, "%lld", (long long)g[n - 1].id);
        const char *names[] = {"state", "category", "channel", "place"};
        const char *vals[] = {f.state, f.category, f.channel, f.place};
        for (int i = 0; i < 4; i++)
            if (vals[i]) {
                buf_hprintf(o, "&amp;%s=", names[i]);
                buf_url(o, vals[i]);
            }
        buf_puts(o, "\">更早的工单</a></nav>\n");
    }
    return E_OK;
}

static err_code page_orders(req *r)
{
    bool staff = principal_has_cap(r->me, CAP_ORDERS_READ);
    struct order_account me;
    store_order_account(r->db, r->me->account_id, &me);
    page_begin(r, staff ? "工单队列" : me.pool_taker ? "工单" : "我的诉求");
    if (staff) {
        err_code e = queue(r);
        if (e) return e;
        return page_end(r);
    }
    buf_puts(&r->out, "<p><a class=\"button primary\" href=\"/orders/new\">我要点单</a></p>\n");
    if (me.pool_taker) {
        struct order_filter pool = {.state = "accepted", .limit = SECTION_ROWS};
        section(r, "可接工单", &pool, in_pool, "附近暂时没有待接的工单");
    }
    /* an assignee: a person, or (a department, a team) through its organisation */
    if (me.pool_taker || principal_has_cap(r->me, CAP_ORGS_READ)) {
        struct order_filter mine = {.assigned_to_me = true, .limit = SECTION_ROWS};
        section(r, me.pool_taker ? "我承办的" : "本单位承办的", &mine, NULL,
                me.pool_taker ? "您还没有承办的工单" : "本单位暂时没有承办的工单");
    }
    struct order_filter filed = {.mine = true, .limit = SECTION_ROWS};
    section(r, "我的诉求", &filed, NULL, "您还没有提交过诉求");
    return page_end(r);
}
ROUTE("GET", "/orders", page_orders, CAP_SELF, R_PAGE, NULL,
      "工单：我的诉求、可接工单与我承办的；派单人员的工单队列（筛选、时限倒计时）");
