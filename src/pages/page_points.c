/* The resident's phone pages of points: /points my balance and statement and
 * the one-time code 兑换码 she shows at the supermarket's counter, /market the
 * points supermarket 积分超市 of my community with a redeem button on every
 * good. A redemption answers with a redirect to its result page
 * (POST–redirect–GET), and every form carries its own request key, so that
 * neither a reload nor the same form posted again redeems twice. Writes go
 * through service/svc_points.c. */
#include <stdlib.h>
#include <string.h>

#include "core/redeem_confirm.h"
#include "core/roles.h"
#include "http/bind_points.h"
#include "http/http.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_dual_review.h"
#include "service/svc_points.h"
#include "store/store_points.h"
#include "util/clock.h"

/* What a movement was, in words. */
static const char *movement_what(const struct points_movement *m)
{
    if (m->reason) return m->reason;
    return strcmp(m->kind, "reverse") == 0 ? "冲正" : m->source_type;
}

/* 柜台兑换码: the code while it is valid, and the button that makes a new one. */
static void code_section(req *r, buf *o, int64_t person)
{
    int64_t expires = 0;
    const char *code = store_points_code_get(r->db, r->a, person, clock_now(), &expires);
    buf_puts(o, "<section class=\"card\" id=\"code\"><h2>柜台兑换码</h2>\n");
    if (code) {
        buf_puts(o, "<div class=\"kpi\"><div><strong id=\"redeem-code\">");
        buf_html(o, code);
        buf_puts(o, "</strong><span>有效至 ");
        buf_html(o, page_time(r, expires));
        buf_puts(o, "</span></div></div>\n<p class=\"muted\">在社区积分超市柜台出示给工作人员，"
                    "只能使用一次。请勿告诉他人。</p>\n");
    } else
        buf_puts(o, "<p class=\"muted\">到社区积分超市柜台兑换时，生成兑换码出示给工作人员"
                    "（10分钟内有效，只能使用一次）。没有智能手机也可以报出本人登记的完整手机号。"
                    "</p>\n");
    buf_puts(o, "<form method=\"post\" action=\"/points/code\">");
    page_csrf_field(r);
    buf_puts(o, code ? "<button type=\"submit\">换一个兑换码</button></form></section>\n"
                     : "<button type=\"submit\">生成兑换码</button></form></section>\n");
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
    struct points_movement *m;
    int n = store_points_statement(r->db, r->a, person, 0, 50, &m);
    if (n < 0) return E_INTERNAL;
    int64_t running = store_points_balance(r->db, person);
    buf_puts(o, "<div class=\"kpi\">");
    ui_kpi_n(o, running, "积分余额");
    ui_kpi_n(o, n, "最近明细（笔）");
    buf_puts(o, "</div>\n");
    if (svc_dual_is_member(r->db, r->me))
        buf_printf(o,
                   "<p><a href=\"/dual-review/%lld\">我的双评价</a>（在职党员在居住社区的表现，"
                   "社区评价与单位评价）</p>\n",
                   (long long)person);
    code_section(r, o, person);
    buf_puts(o, "<p><a class=\"primary\" href=\"/market\">去积分超市兑换</a></p>\n"
                "<p class=\"muted\">服务换积分、积分换礼品：参加志愿服务、认领微心愿、"
                "办结群众点单等按社区积分细则得分。</p>\n<h2>积分明细</h2>\n");
    if (!n)
        buf_puts(o, "<p class=\"muted\">还没有积分记录。</p>\n");
    else {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th>"
                    "<th>事项</th><th class=\"num\">积分</th><th class=\"num\">余额</th></tr>"
                    "</thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            int64_t pts = m[i].points;
            buf_hprintf(o, "<tr><td>%s</td><td class=\"wrap\">%s", page_time(r, m[i].created_at),
                        movement_what(&m[i]));
            if (m[i].reversed_by) buf_puts(o, " <span class=\"tag\">已冲正</span>");
            buf_printf(o, "</td><td class=\"num\">%+lld</td><td class=\"num\">%lld</td></tr>\n",
                       (long long)pts, (long long)running);
            running -= pts;
        }
        buf_puts(o, "</tbody></table></div>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/points", page_my_points, CAP_SELF, R_PAGE, NULL, "我的积分与明细");

static err_code page_points_code(req *r)
{
    const char *code;
    int64_t expires;
    struct svc_result res = svc_points_code_issue(r->db, r->a, r->me, &code, &expires);
    if (res.err) return res.err;
    return http_redirect(r, "/points#code");
}
ROUTE("POST", "/points/code", page_points_code, CAP_SELF, R_PAGE, NULL,
      "生成柜台兑换码（10分钟内有效，只能用一次）");

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
    struct points_good *g;
    int n = store_points_goods(r->db, r->a, 0, CAP_POINTS_READ, NULL, home, false, 0, 200, &g);
    if (n < 0) return E_INTERNAL;
    if (!n) buf_puts(o, "<p class=\"muted\">本社区积分超市暂无商品。</p>\n");
    for (int i = 0; i < n; i++) {
        buf_hprintf(
            o, "<section class=\"card\"><h2>%s</h2>\n<p><strong>%lld</strong> 积分 · 库存 %lld",
            g[i].name, (long long)g[i].price, (long long)g[i].stock);
        if (g[i].donor) buf_hprintf(o, "<br><span class=\"muted\">爱心捐赠：%s</span>", g[i].donor);
        buf_puts(o, "</p>\n");
        if (g[i].stock > 0) {
            char key[REDEEM_KEY_HEX + 1];
            redeem_key_new(key);
            buf_puts(o, "<form method=\"post\" action=\"/market/redeem\">");
            page_csrf_field(r);
            buf_hprintf(o,
                        "<input type=\"hidden\" name=\"request_key\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"goods_id\" value=\"%lld\">"
                        "<label for=\"qty%lld\">数量</label><input id=\"qty%lld\" name=\"qty\" "
                        "type=\"number\" min=\"1\" max=\"100\" value=\"1\">"
                        "<button type=\"submit\" class=\"primary\">兑换</button></form>\n",
                        key, (long long)g[i].id, (long long)g[i].id, (long long)g[i].id);
        } else
            buf_puts(o, "<p class=\"muted\">已兑完</p>\n");
        buf_puts(o, "</section>\n");
    }
    return page_end_status(r, status);
}

static err_code page_market(req *r)
{
    return market_page(r, NULL, NULL, 200);
}
ROUTE("GET", "/market", page_market, CAP_SELF, R_PAGE, NULL, "积分超市（本社区商品与兑换）");

static err_code page_market_redeem(req *r)
{
    struct points_redeem in;
    if (bind_points_redeem(r, &in) || in.goods_id <= 0)
        return market_page(r, "请选择商品", NULL, 400);
    /* the market: for oneself only, whatever the form says */
    in.person_id = 0;
    in.confirm = NULL;
    struct svc_result res = svc_points_redeem(r->db, r->a, r->me, &in);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return market_page(r, res.message ? res.message : err_message_zh(res.err), NULL,
                           err_http_status(res.err));
    /* done, or done before by this very form: the result page, which a reload only shows */
    return http_redirect(r, arena_printf(r->a, "/market/redeemed/%lld", (long long)res.id));
}
ROUTE("POST", "/market/redeem", page_market_redeem, CAP_SELF, R_PAGE, NULL, "积分兑换（本人）");

static err_code page_market_redeemed(req *r)
{
    int64_t id = req_id(r, "id");
    int64_t self = r->me->person_id;
    struct points_movement m;
    /* the resident's own redemptions only */
    if (self <= 0 || !store_points_movement(r->db, r->a, 0, CAP_POINTS_READ, 0, id, &m) ||
        m.person_id != self || strcmp(m.kind, "redeem") != 0)
        return E_NOT_FOUND;
    page_begin(r, "兑换结果");
    buf *o = &r->out;
    page_message(r, "notice", "兑换成功，请到社区积分超市领取");
    buf_hprintf(o, "<section class=\"card\"><h2>%s</h2>\n<p>扣除 <strong>%lld</strong> 积分 · %s",
                m.reason, (long long)-m.points, page_time(r, m.created_at));
    if (m.reversed_by) buf_puts(o, " <span class=\"tag\">已冲正</span>");
    buf_printf(o, "</p>\n<p>我的积分余额：<strong>%lld</strong> 分</p></section>\n",
               (long long)store_points_balance(r->db, self));
    buf_puts(o, "<p><a class=\"primary\" href=\"/market\">继续兑换</a> · "
                "<a href=\"/points\">积分明细</a></p>\n");
    return page_end(r);
}
ROUTE("GET", "/market/redeemed/{id}", page_market_redeemed, CAP_SELF, R_PAGE, "points_movement",
      "兑换结果（本人的一笔兑换）");
