/* The resident's phone pages of points: /points my balance and statement,
 * /market the points supermarket 积分超市 of my community with a redeem button
 * on every good. Writes go through service/svc_points.c. */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "http/http.h"
#include "pages/layout.h"
#include "service/svc_dual_review.h"
#include "service/svc_points.h"
#include "store/store_points.h"

/* What a movement was, in words. */
static const char *movement_what(const db_rows *m, int i)
{
    const char *reason = db_get(m, i, PM_REASON), *kind = db_get(m, i, PM_KIND);
    if (strcmp(kind, "reverse") == 0) return reason ? reason : "冲正";
    return reason ? reason : db_get(m, i, PM_SOURCE_TYPE);
}

static err_code page_my_points(req *r)
{
    page_begin(r, "我的积分");
    buf *o = &r->out;
    int64_t person = r->me->person_id;
    if (person <= 0) {
        buf_puts(o, "<p class=\"muted\">本账号未关联居民，没有积分。</p>\n");
        return page_end(r);
    }
    db_rows *m = store_points_statement(r->db, r->a, person, 0, 50);
    if (!m) return E_INTERNAL;
    int64_t running = store_points_balance(r->db, person);
    buf_printf(o,
               "<div class=\"kpi\"><div><strong>%lld</strong><span>积分余额</span></div>"
               "<div><strong>%d</strong><span>最近明细（笔）</span></div></div>\n",
               (long long)running, m->nrows);
    if (svc_dual_is_member(r->db, r->me))
        buf_printf(o,
                   "<p><a href=\"/dual-review/%lld\">我的双评价</a>（在职党员在居住社区的表现，"
                   "社区评价与单位评价）</p>\n",
                   (long long)person);
    buf_puts(o, "<p><a class=\"primary\" href=\"/market\">去积分超市兑换</a></p>\n"
                "<p class=\"muted\">服务换积分、积分换礼品：参加志愿服务、认领微心愿、"
                "办结群众点单等按社区积分细则得分。</p>\n<h2>积分明细</h2>\n");
    if (!m->nrows)
        buf_puts(o, "<p class=\"muted\">还没有积分记录。</p>\n");
    else {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th>"
                    "<th>事项</th><th class=\"num\">积分</th><th class=\"num\">余额</th></tr>"
                    "</thead><tbody>\n");
        for (int i = 0; i < m->nrows; i++) {
            int64_t pts = db_get_int(m, i, PM_POINTS);
            buf_puts(o, "<tr><td>");
            buf_html(o, page_time(r, db_get_int(m, i, PM_CREATED_AT)));
            buf_puts(o, "</td><td class=\"wrap\">");
            buf_html(o, movement_what(m, i));
            if (db_get(m, i, PM_REVERSED_BY)) buf_puts(o, " <span class=\"tag\">已冲正</span>");
            buf_printf(o, "</td><td class=\"num\">%+lld</td><td class=\"num\">%lld</td></tr>\n",
                       (long long)pts, (long long)running);
            running -= pts;
        }
        buf_puts(o, "</tbody></table></div>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/points", page_my_points, CAP_SELF, R_PAGE, NULL, "我的积分与明细");

static err_code market_page(req *r, const char *error, const char *notice, int status)
{
    page_begin(r, "积分超市");
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    const char *home = svc_points_home(r->db, r->a, r->me);
    if (!home) {
        buf_puts(o, "<p class=\"muted\">本账号未关联社区居民，不能兑换。</p>\n");
        err_code e = page_end(r);
        r->status = status;
        return e;
    }
    buf_printf(o, "<p>我的积分余额：<strong>%lld</strong> 分 · <a href=\"/points\">明细</a></p>\n",
               (long long)store_points_balance(r->db, r->me->person_id));
    db_rows *g = store_points_goods(r->db, r->a, 0, CAP_POINTS_READ, NULL, home, false, 0, 200);
    if (!g) return E_INTERNAL;
    if (!g->nrows) buf_puts(o, "<p class=\"muted\">本社区积分超市暂无商品。</p>\n");
    for (int i = 0; i < g->nrows; i++) {
        int64_t stock = db_get_int(g, i, PG_STOCK);
        buf_puts(o, "<section class=\"card\"><h2>");
        buf_html(o, db_get(g, i, PG_NAME));
        buf_printf(o, "</h2>\n<p><strong>%lld</strong> 积分 · 库存 %lld",
                   (long long)db_get_int(g, i, PG_PRICE), (long long)stock);
        if (db_get(g, i, PG_DONOR)) {
            buf_puts(o, "<br><span class=\"muted\">爱心捐赠：");
            buf_html(o, db_get(g, i, PG_DONOR));
            buf_puts(o, "</span>");
        }
        buf_puts(o, "</p>\n");
        if (stock > 0) {
            buf_puts(o, "<form method=\"post\" action=\"/market/redeem\">");
            page_csrf_field(r);
            buf_puts(o, "<input type=\"hidden\" name=\"goods_id\" value=\"");
            buf_html(o, db_get(g, i, PG_ID));
            buf_printf(o,
                       "\"><label for=\"qty%s\">数量</label><input id=\"qty%s\" name=\"qty\" "
                       "type=\"number\" min=\"1\" max=\"100\" value=\"1\">"
                       "<button type=\"submit\" class=\"primary\">兑换</button></form>\n",
                       db_get(g, i, PG_ID), db_get(g, i, PG_ID));
        } else
            buf_puts(o, "<p class=\"muted\">已兑完</p>\n");
        buf_puts(o, "</section>\n");
    }
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_market(req *r)
{
    return market_page(r, NULL, NULL, 200);
}
ROUTE("GET", "/market", page_market, CAP_SELF, R_PAGE, NULL, "积分超市（本社区商品与兑换）");

static err_code page_market_redeem(req *r)
{
    int64_t goods;
    if (req_int(r, "body", "goods_id", 1, INT64_MAX, 0, &goods) || !goods)
        return market_page(r, "请选择商品", NULL, 400);
    struct points_redeem in = {.goods_id = goods, .qty = req_form(r, "qty")};
    struct svc_result res = svc_points_redeem(r->db, r->a, r->me, &in);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return market_page(r, res.message ? res.message : err_message_zh(res.err), NULL,
                           err_http_status(res.err));
    return market_page(r, NULL, "兑换成功，请到社区积分超市领取", 200);
}
ROUTE("POST", "/market/redeem", page_market_redeem, CAP_SELF, R_PAGE, NULL, "积分兑换（本人）");
