/* 心愿管理 for the secretary and staff (desktop): the review queue, the wishes
 * of the places they review with filters (state, kind, place, overdue — the
 * unclaimed and overdue ones the secretary follows up), a button to post on
 * behalf of a child or an elder, and the counts by place (rolled up), kind
 * and state over a period. */
#include <string.h>

#include "core/roles.h"
#include "core/wish_rule.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_wishes.h"
#include "store/store_wishes.h"

static const char *const kinds[][2] = {{"", "全部类型"},
                                       {"resident", "居民心愿"},
                                       {"child", "困境儿童心愿"},
                                       {"elder", "老人心愿"},
                                       {NULL, NULL}};
static const char *const states[][2] = {
    {"", "全部状态"},        {"pending", "待审核"},  {"published", "待认领"}, {"claimed", "已认领"},
    {"fulfilled", "待确认"}, {"achieved", "已达成"}, {"rejected", "未通过"},  {NULL, NULL}};

static void wish_table(req *r, const struct wish *w, int n, const char *today, const char *empty)
{
    buf *o = &r->out;
    if (n == 0) {
        buf_hprintf(o, "<p class=\"muted\">%s</p>\n", empty);
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>心愿</th>"
                "<th>类型</th><th>状态</th><th>心愿人</th><th>所在</th><th>期望日期</th>"
                "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        buf_hprintf(o, "<tr><td><a href=\"/wishes/%lld\">%s</a></td><td>%s</td><td>%s",
                    (long long)w[i].id, w[i].title, wish_kind_zh(w[i].kind),
                    wish_state_zh(w[i].state));
        if (wish_overdue(w[i].wanted_by, today, w[i].state))
            buf_puts(o, " <span class=\"badge\">已逾期</span>");
        buf_hprintf(o, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", w[i].display_name,
                    w[i].place_name, w[i].wanted_by ? w[i].wanted_by : "—");
    }
    buf_puts(o, "</tbody></table></div>\n");
}

/* "name count；" for each, or 暂无. */
static void counts(buf *o, const struct wish_count *c, int n, const char *(*zh)(const char *))
{
    for (int i = 0; i < n; i++) buf_hprintf(o, "%s %lld；", zh(c[i].key), (long long)c[i].count);
    if (!n) buf_puts(o, "暂无");
}

static void stats_section(req *r, const struct wish_stats *st)
{
    buf *o = &r->out;
    buf_hprintf(o, "<section class=\"card\"><h2>心愿统计：%s %s 至 %s</h2>\n", st->place_name,
                st->from, st->to);
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>区划</th>"
                "<th class=\"num\">发布</th><th class=\"num\">上墙</th><th class=\"num\">认领</th>"
                "<th class=\"num\">达成</th><th class=\"num\">逾期</th></tr></thead><tbody>\n");
    for (int i = 0; i < st->nplaces; i++) {
        const struct wish_place_counts *c = &st->places[i];
        bool self = strcmp(c->code, st->place) == 0;
        buf_hprintf(o, self ? "<tr><td><strong>合计 %s</strong></td>" : "<tr><td>%s</td>", c->name);
        buf_printf(o,
                   "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld"
                   "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
                   (long long)c->total, (long long)c->published, (long long)c->claimed,
                   (long long)c->achieved, (long long)c->overdue);
    }
    buf_puts(o, "</tbody></table></div>\n<p>按类型：");
    counts(o, st->kinds, st->nkinds, wish_kind_zh);
    buf_puts(o, "</p><p>按状态：");
    counts(o, st->states, st->nstates, wish_state_zh);
    buf_puts(o, "</p></section>\n");
}

static err_code page_wishes_admin(req *r)
{
    const char *state = req_query(r, "state"), *kind = req_query(r, "kind");
    const char *place = req_query(r, "place"), *overdue = req_query(r, "overdue");
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    if (state && *state && !wish_state_known(state)) state = NULL;
    if (kind && *kind && !wish_kind_zh(kind)) kind = NULL;
    bool od = overdue && !strcmp(overdue, "1");
    const char *today = wish_today(r->a);
    int64_t me = r->me->account_id;
    page_begin(r, "心愿管理");
    buf *o = &r->out;
    buf_puts(o, "<p><a class=\"button primary\" href=\"/wishes/new\">代困境儿童、老人发布心愿</a>"
                "</p>\n");

    struct wish_filter q = {.state = "pending", .place = place, .limit = 51};
    struct wish *pend;
    int np = store_wishes_list(r->db, r->a, me, &q, &pend);
    if (np < 0) return E_INTERNAL;
    buf_puts(o, "<section class=\"card\"><h2>待审核</h2>\n");
    wish_table(r, pend, np > 50 ? 50 : np, today, "没有待审核的心愿");
    buf_puts(o, "</section>\n");

    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/wishes/admin\">");
    ui_select(o, "state", "状态", states, state);
    ui_select(o, "kind", "类型", kinds, kind);
    ui_input(o, "place", "区划代码", place, "inputmode=\"numeric\"");
    buf_puts(o, od ? "<label><input type=\"checkbox\" name=\"overdue\" value=\"1\" checked> "
                     "只看逾期</label>"
                   : "<label><input type=\"checkbox\" name=\"overdue\" value=\"1\"> "
                     "只看逾期</label>");
    ui_input(o, "from", "自", from, "type=\"date\"");
    ui_input(o, "to", "至", to, "type=\"date\"");
    buf_puts(o, "<button type=\"submit\">查询</button></form>\n");
    buf_puts(o, "<p><a href=\"/wishes/admin?state=published\">未认领的心愿</a> · "
                "<a href=\"/wishes/admin?overdue=1\">逾期的心愿</a></p>\n");

    struct wish_filter f = {.state = state && *state ? state : NULL,
                            .kind = kind && *kind ? kind : NULL,
                            .place = place,
                            .overdue_before = od ? today : NULL,
                            .limit = 201};
    struct wish *w;
    int nw = store_wishes_list(r->db, r->a, me, &f, &w);
    if (nw < 0) return E_INTERNAL;
    buf_puts(o, "<section class=\"card\"><h2>心愿</h2>\n");
    wish_table(r, w, nw > 200 ? 200 : nw, today, "没有符合条件的心愿");
    if (nw > 200) buf_puts(o, "<p class=\"muted\">只显示最新200条，请缩小范围</p>");
    buf_puts(o, "</section>\n");

    struct wish_stats st;
    struct svc_result res = svc_wish_stats(r->db, r->a, r->me, place, from, to, &st);
    if (res.err == E_INTERNAL) return E_INTERNAL;
    if (res.err)
        page_message(r, "error", res.message);
    else
        stats_section(r, &st);
    return page_end(r);
}
ROUTE("GET", "/wishes/admin", page_wishes_admin, CAP_WISHES_REVIEW, R_PAGE, NULL,
      "心愿管理：审核、未认领与逾期、统计");
