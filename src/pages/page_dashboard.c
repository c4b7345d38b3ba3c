/* 工单数据看板: /dashboard?place=CODE&from=&to=&category=&channel= — the
 * demand loop's figures (三率: 响应率, 解决率, 满意率, and 办结率, 按时办结率,
 * 重办率, average times, breaches, states) for a division and period, with
 * every division below it, each category and channel, and the days. One page
 * serves every level, from the community secretary to the county: the place
 * decides. Charts are SVG drawn here (no JavaScript); the figures come from
 * service/svc_order_stats.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "core/order_tally.h"
#include "core/whistle_rule.h"
#include "core/roles.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "pages/page_orders.h"
#include "service/svc_order_stats.h"
#include "store/store_places.h"

#define CHART_ROWS_MAX 40

static void day_text(char *out, size_t n, int v)
{
    snprintf(out, n, "%04d-%02d-%02d", v / 10000, v / 100 % 100, v % 100);
}

/* A link to this page for another place, keeping the period and filters. */
static void self_link(buf *o, const struct stats_query *q, const char *place, const char *text)
{
    char f[16], t[16];
    day_text(f, sizeof f, q->from);
    day_text(t, sizeof t, q->to);
    buf_puts(o, "<a href=\"/dashboard?place=");
    buf_url(o, place);
    buf_puts(o, "&amp;from=");
    buf_url(o, f);
    buf_puts(o, "&amp;to=");
    buf_url(o, t);
    if (q->category && *q->category) {
        buf_puts(o, "&amp;category=");
        buf_url(o, q->category);
    }
    if (q->channel && *q->channel) {
        buf_puts(o, "&amp;channel=");
        buf_url(o, q->channel);
    }
    buf_puts(o, "\">");
    buf_html(o, text);
    buf_puts(o, "</a>");
}

static void duration_text(char *out, size_t n, long long s)
{
    if (s < 0)
        snprintf(out, n, "无数据");
    else if (s < 3600)
        snprintf(out, n, "%lld分钟", (s + 30) / 60);
    else
        snprintf(out, n, "%.1f小时", (double)s / 3600.0);
}

/* The three rates and their companions as bars of 0–100 %. */
static void rate_bars(buf *o, const struct stats_line *t)
{
    const struct {
        const char *zh;
        struct rate r;
    } rows[] = {{"响应率", t->rates.response},     {"解决率", t->rates.resolution},
                {"满意率", t->rates.satisfaction}, {"办结率", t->rates.completion},
                {"按时办结率", t->rates.on_time},  {"重办率", t->rates.reopen}};
    int n = (int)(sizeof rows / sizeof rows[0]), h = 28 * n + 4;
    buf_printf(o,
               "<figure class=\"chart\"><h3>三率及办理质量</h3><svg viewBox=\"0 0 400 %d\" "
               "width=\"400\" height=\"%d\" role=\"img\" aria-label=\"响应率、解决率、满意率、"
               "办结率、按时办结率、重办率\">",
               h, h);
    for (int i = 0; i < n; i++) {
        char txt[16];
        int pm = rate_permille(rows[i].r);
        double w = pm < 0 ? 0 : 220.0 * pm / 1000.0;
        int y = 4 + 28 * i;
        buf_printf(o, "<text class=\"label\" x=\"0\" y=\"%d\">", y + 15);
        buf_html(o, rows[i].zh);
        buf_printf(o,
                   "</text><rect class=\"bar-alt\" x=\"100\" y=\"%d\" width=\"220\" height=\"18\" "
                   "rx=\"3\"></rect><rect class=\"bar\" x=\"100\" y=\"%d\" width=\"%.1f\" "
                   "height=\"18\" rx=\"3\"></rect><text class=\"value\" x=\"326\" y=\"%d\">",
                   y, y, w, y + 15);
        buf_html(o, rate_format(rows[i].r, txt, sizeof txt));
        buf_puts(o, "</text>");
    }
    buf_puts(o, "</svg><figcaption class=\"chart-figure\">分母为零时显示“无数据”，"
                "不是 0%</figcaption></figure>\n");
}

/* Per division below: 响应率, 解决率 and 满意率 side by side. */
static void children_chart(buf *o, const struct stats_report *rep)
{
    int n = 0;
    for (int i = 0; i < rep->nchildren; i++) n += rep->children[i].v[T_TOTAL] > 0;
    if (n < 2 || n > CHART_ROWS_MAX) return;
    int h = 40 * n + 8, y = 4;
    buf_printf(o,
               "<figure class=\"chart\"><h3>各下级三率</h3><svg viewBox=\"0 0 400 %d\" "
               "width=\"400\" height=\"%d\" role=\"img\" aria-label=\"各下级响应率、解决率、"
               "满意率\">",
               h, h);
    for (int i = 0; i < rep->nchildren; i++) {
        const struct stats_line *c = &rep->children[i];
        if (!c->v[T_TOTAL]) continue;
        buf_printf(o, "<text class=\"label\" x=\"0\" y=\"%d\">", y + 20);
        buf_html(o, c->name ? c->name : c->key);
        buf_puts(o, "</text>");
        const struct rate rs[3] = {c->rates.response, c->rates.resolution, c->rates.satisfaction};
        for (int k = 0; k < 3; k++) {
            int pm = rate_permille(rs[k]);
            double w = pm < 0 ? 0 : 200.0 * pm / 1000.0;
            buf_hprintf(o,
                        "<rect fill=\"%s\" x=\"120\" y=\"%d\" width=\"%.1f\" height=\"10\" "
                        "rx=\"2\"></rect>",
                        k == 0   ? "#c8161d"
                        : k == 1 ? "#e37b1f"
                                 : "#2f6fb5",
                        y + 2 + 11 * k, w);
        }
        y += 40;
    }
    buf_puts(o, "</svg><figcaption class=\"chart-figure\">自上而下：响应率（红）、解决率（橙）、"
                "满意率（蓝）</figcaption></figure>\n");
}

/* Orders filed per day, with those already resolved. */
static void days_chart(buf *o, const struct stats_report *rep)
{
    if (rep->ndays < 2) return;
    long long max = 0;
    for (int i = 0; i < rep->ndays; i++)
        if (rep->days[i].v[T_TOTAL] > max) max = rep->days[i].v[T_TOTAL];
    if (max == 0) return;
    int n = rep->ndays > 92 ? 92 : rep->ndays, first = rep->ndays - n;
    double bw = 380.0 / n;
    buf_puts(o,
             "<figure class=\"chart\"><h3>每日工单</h3><svg viewBox=\"0 0 400 130\" "
             "width=\"400\" height=\"130\" role=\"img\" aria-label=\"每日受理工单与已办结工单\">");
    for (int i = first; i < rep->ndays; i++) {
        const struct stats_line *d = &rep->days[i];
        double h = 110.0 * (double)d->v[T_TOTAL] / (double)max;
        double hr = 110.0 * (double)d->v[T_RESOLVED] / (double)max;
        double x = 10 + bw * (i - first);
        buf_printf(o,
                   "<rect class=\"bar-alt\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                   "</rect><rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                   "height=\"%.1f\"></rect>",
                   x, 115 - h, bw * 0.8, h, x, 115 - hr, bw * 0.8, hr);
    }
    char f[16], t[16];
    day_text(f, sizeof f, atoi(rep->days[first].key));
    day_text(t, sizeof t, atoi(rep->days[rep->ndays - 1].key));
    buf_hprintf(o,
                "<text class=\"value\" x=\"10\" y=\"128\">%s</text><text class=\"value\" x=\"300\" "
                "y=\"128\">%s</text></svg><figcaption class=\"chart-figure\">灰色为当日提交，"
                "红色为其中已办结；最多%lld件/日</figcaption></figure>\n",
                f, t, max);
}

static void rate_cell(buf *o, struct rate r)
{
    char txt[16];
    buf_puts(o, "<td class=\"num\">");
    buf_html(o, rate_format(r, txt, sizeof txt));
    buf_puts(o, "</td>");
}

/* A table of lines: name, filed, accepted, resolved, the three rates, breaches. */
static void lines_table(buf *o, const struct stats_query *q, const char *head,
                        const struct stats_line *l, int n, bool link, bool channel)
{
    buf_puts(o, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">");
    buf_html(o, head);
    buf_puts(o, "</th><th scope=\"col\" class=\"num\">工单</th><th scope=\"col\" "
                "class=\"num\">受理</th><th scope=\"col\" class=\"num\">办结</th><th "
                "scope=\"col\" class=\"num\">响应率</th><th scope=\"col\" class=\"num\">解决率"
                "</th><th scope=\"col\" class=\"num\">满意率</th><th scope=\"col\" "
                "class=\"num\">超时</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<tr><td>");
        const char *name = channel ? order_channel_zh(l[i].key) : l[i].name ? l[i].name : l[i].key;
        if (link)
            self_link(o, q, l[i].key, name);
        else
            buf_html(o, name);
        buf_printf(o,
                   "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td><td "
                   "class=\"num\">%lld</td>",
                   l[i].v[T_TOTAL], l[i].v[T_ACCEPTED], l[i].v[T_RESOLVED]);
        rate_cell(o, l[i].rates.response);
        rate_cell(o, l[i].rates.resolution);
        rate_cell(o, l[i].rates.satisfaction);
        buf_printf(o, "<td class=\"num\">%lld</td></tr>",
                   l[i].v[T_RESPONSE_BREACHED] + l[i].v[T_RESOLUTION_BREACHED]);
    }
    buf_puts(o, "</tbody></table></div>\n");
}

static void states_list(buf *o, const struct stats_line *t)
{
    static const struct {
        enum order_tally_metric m;
        enum order_state s;
    } st[] = {{T_ST_SUBMITTED, ORDER_SUBMITTED},   {T_ST_ACCEPTED, ORDER_ACCEPTED},
              {T_ST_DISPATCHED, ORDER_DISPATCHED}, {T_ST_TAKEN, ORDER_TAKEN},
              {T_ST_SUSPENDED, ORDER_SUSPENDED},   {T_ST_RESOLVED, ORDER_RESOLVED},
              {T_ST_RATED, ORDER_RATED},           {T_ST_CLOSED, ORDER_CLOSED},
              {T_ST_REJECTED, ORDER_REJECTED},     {T_ST_MERGED, ORDER_MERGED}};
    buf_puts(o, "<h2>按状态</h2>\n<ul class=\"tags\">");
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        buf_puts(o, "<li class=\"tag\">");
        buf_html(o, order_state_zh(st[i].s));
        buf_printf(o, " %lld</li>", t->v[st[i].m]);
    }
    buf_puts(o, "</ul>\n");
}

/* 吹哨 by kind and 部门买单 of the period. */
static void whistles_costs(buf *o, const struct stats_report *rep)
{
    char yuan[32];
    buf_puts(o, "<h2>吹哨与部门买单</h2>\n<ul class=\"tags\">");
    for (int i = 0; i < rep->nwhistles; i++) {
        const struct stats_whistles *w = &rep->whistles[i];
        buf_puts(o, "<li class=\"tag\">");
        buf_html(o, w->name);
        buf_printf(o, " %lld 次（召集部门 %lld，已报到 %lld）</li>", w->whistles, w->calls,
                   w->answered);
    }
    if (rep->nwhistles == 0) buf_puts(o, "<li class=\"tag\">期间内未吹哨</li>");
    buf_hprintf(o, "<li class=\"tag\">部门买单 %lld 笔，合计 %s 元</li></ul>\n", rep->costs,
                money_format_yuan(rep->cost_fen, yuan, sizeof yuan));
    buf_puts(o, "<p class=\"small\"><a href=\"/whistles\">待报到的吹哨</a> · <a "
                "href=\"/supervisions\">督办</a> · <a href=\"/order-costs\">部门买单</a></p>\n");
}

/* Orders in hand that breached a limit or went up the tree. */
static void attention(buf *o, const struct stats_report *rep)
{
    static const char *const level[] = {"社区", "街道", "区/县"};
    buf_puts(o, "<h2>超时与上报的在办工单</h2>\n");
    if (rep->nattention == 0) {
        buf_puts(o, "<p class=\"muted\">没有超时或上报的在办工单。</p>\n");
        return;
    }
    buf_puts(o, "<ul class=\"plain\">");
    for (int i = 0; i < rep->nattention; i++) {
        const struct stats_attention *x = &rep->attention[i];
        buf_printf(o, "<li><a href=\"/orders/%lld\">", (long long)x->id);
        buf_html(o, x->code);
        buf_puts(o, " ");
        buf_html(o, x->title);
        buf_puts(o, "</a>");
        if (x->level > 0)
            buf_hprintf(o, " <span class=\"tag\">已上报%s</span>",
                        level[x->level > 2 ? 2 : x->level]);
        if (x->response_breached) buf_puts(o, " <span class=\"tag\">响应超时</span>");
        if (x->resolution_breached) buf_puts(o, " <span class=\"tag\">办结超时</span>");
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul>\n");
}

static err_code page_dashboard(req *r)
{
    int64_t me = r->me->account_id;
    struct stats_query q = {.place = req_query(r, "place"),
                            .category = req_query(r, "category"),
                            .channel = req_query(r, "channel")};
    if (!q.place || !*q.place) {
        struct place *top;
        if (store_place_rows(r->a, store_place_tops(r->db, r->a, me, CAP_ORDERS_READ), &top) < 1)
            return E_NOT_FOUND;
        q.place = svc_order_stats_division(r->a, top[0].code);
    }
    if (q.category && !*q.category) q.category = NULL;
    if (q.channel && !*q.channel) q.channel = NULL;
    struct stats_report rep;
    struct svc_result v = svc_order_stats_period(req_query(r, "from"), req_query(r, "to"), &q);
    if (!v.err) v = svc_order_stats_report(r->db, r->a, r->me, &q, &rep);
    if (v.err == E_NOT_FOUND) return http_fail(r, v.err, v.field, v.message);
    page_begin(r, "工单数据看板");
    buf *o = &r->out;
    char f[16], t[16];
    day_text(f, sizeof f, q.from > 0 ? q.from : 20260101);
    day_text(t, sizeof t, q.to > 0 ? q.to : 20261231);
    if (!v.err) {
        struct place_step *up;
        int nup = store_place_path(r->db, r->a, me, CAP_ORDERS_READ, q.place, &up);
        buf_puts(o, "<nav class=\"breadcrumbs\" aria-label=\"位置\">");
        for (int i = 0; i < nup; i++) {
            if (up[i].in_scope)
                self_link(o, &q, up[i].code, up[i].name);
            else
                buf_html(o, up[i].name);
            buf_puts(o, " › ");
        }
        buf_html(o, rep.place_name);
        buf_puts(o, "</nav>\n");
    }
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/dashboard\">"
                "<label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" value=\"");
    buf_html(o, q.place);
    buf_puts(o, "\"><label for=\"from\">起</label><input id=\"from\" name=\"from\" type=\"date\" "
                "value=\"");
    buf_html(o, f);
    buf_puts(o, "\"><label for=\"to\">止</label><input id=\"to\" name=\"to\" type=\"date\" "
                "value=\"");
    buf_html(o, t);
    buf_puts(o, "\"><label for=\"channel\">渠道</label><select id=\"channel\" name=\"channel\">"
                "<option value=\"\">全部</option>");
    for (int i = 0; order_channels[i][0]; i++) {
        buf_puts(o, "<option value=\"");
        buf_html(o, order_channels[i][0]);
        buf_puts(o, q.channel && !strcmp(q.channel, order_channels[i][0]) ? "\" selected>" : "\">");
        buf_html(o, order_channels[i][1]);
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select><button type=\"submit\">查看</button></form>\n");
    if (v.err) {
        page_message(r, "error", v.message ? v.message : "查询条件不正确");
        return page_end(r);
    }

    const struct stats_line *tl = &rep.total;
    char ar[32], as[32], txt[16];
    duration_text(ar, sizeof ar, tl->rates.avg_response_seconds);
    duration_text(as, sizeof as, tl->rates.avg_resolution_seconds);
    buf_puts(o, "<p>");
    buf_html(o, rep.place_name);
    buf_hprintf(o,
                "　%s 至 %s：群众诉求 <strong>%lld</strong> 件，受理 <strong>%lld</strong> 件，"
                "办结 <strong>%lld</strong> 件。</p>\n",
                f, t, tl->v[T_TOTAL], tl->v[T_ACCEPTED], tl->v[T_RESOLVED]);
    buf_puts(o, "<div class=\"kpi\">");
    ui_kpi(o, rate_format(tl->rates.response, txt, sizeof txt), "响应率");
    ui_kpi(o, rate_format(tl->rates.resolution, txt, sizeof txt), "解决率");
    ui_kpi(o, rate_format(tl->rates.satisfaction, txt, sizeof txt), "满意率");
    ui_kpi(o, rate_format(tl->rates.on_time, txt, sizeof txt), "按时办结率");
    ui_kpi(o, ar, "平均响应");
    ui_kpi(o, as, "平均办结");
    ui_kpi_n(o, tl->v[T_RESPONSE_BREACHED], "响应超时");
    ui_kpi_n(o, tl->v[T_RESOLUTION_BREACHED], "办结超时");
    ui_kpi_n(o, tl->v[T_ESCALATED], "上报升级");
    ui_kpi_n(o, tl->v[T_REOPENED], "重新办理");
    buf_puts(o, "</div>\n");
    rate_bars(o, tl);
    children_chart(o, &rep);
    days_chart(o, &rep);
    states_list(o, tl);
    whistles_costs(o, &rep);
    attention(o, &rep);
    if (rep.nchildren > 0) {
        buf_puts(o, "<h2>逐级明细</h2>\n");
        lines_table(o, &q, "下级区划", rep.children, rep.nchildren, true, false);
    }
    if (rep.ncategories > 0) {
        buf_puts(o, "<h2>按事项分类</h2>\n");
        lines_table(o, &q, "事项分类", rep.categories, rep.ncategories, false, false);
    }
    if (rep.nchannels > 0) {
        buf_puts(o, "<h2>按来源渠道</h2>\n");
        lines_table(o, &q, "来源渠道", rep.channels, rep.nchannels, false, true);
    }
    buf_puts(o, "<p class=\"muted small\">口径：响应率＝时限内首次联系群众的工单÷受理工单；"
                "解决率＝办结结果为“已解决”的工单÷（受理−不予受理−已合并）；满意率＝（满意＋"
                "基本满意）÷已评价工单，未评价的不计入分母。按提交日期统计，逐级汇总。</p>\n");
    return page_end(r);
}
ROUTE("GET", "/dashboard", page_dashboard, CAP_ORDERS_READ, R_PAGE, NULL,
      "工单数据看板（三率、逐级、分类、渠道、每日）");
