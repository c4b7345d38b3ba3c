/* The staff desktop page of points, /points/admin?place=…&period=…: totals
 * issued and redeemed, the leaderboard, the rules 服务换积分, the goods of the
 * supermarket with stock-in (爱心捐赠 / 社区自筹), counter redemption (the
 * resident confirms with the one-time code on her phone or her whole phone
 * number), manual awards and reversals, and the latest movements. Every form
 * posts to its own route and the page is shown again with the outcome; a
 * counter redemption instead redirects to its result page, and its form
 * carries a request key, so that a reload or a second post redeems once. */
#include <stdlib.h>
#include <string.h>

#include "core/points_rule.h"
#include "core/redeem_confirm.h"
#include "core/roles.h"
#include "http/bind.h"
#include "http/bind_points.h"
#include "http/http.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_points.h"
#include "store/store_grids.h"
#include "store/store_points.h"

/* A labelled input showing what was posted; ids are prefixed by their form, as
 * names repeat across the forms of the page (ui_input with an id prefix). */
static void field(buf *o, req *r, const char *form, const char *name, const char *label,
                  const char *attrs)
{
    buf_hprintf(o, "<label for=\"%s_%s\">%s</label><input id=\"%s_%s\" name=\"%s\" ", form, name,
                label, form, name, name);
    buf_puts(o, attrs); /* trusted: literal markup of the caller */
    buf_hprintf(o, " value=\"%s\">\n", req_form(r, name));
}

/* A form posting to action (a path this code built) that keeps the page's place. */
static void form_open(buf *o, req *r, const char *action, const char *place)
{
    buf_hprintf(o, "<form method=\"post\" action=\"%s\">", action);
    page_csrf_field(r);
    buf_hprintf(o, "<input type=\"hidden\" name=\"place\" value=\"%s\">", place);
}

static void period_select(buf *o, const char *period)
{
    static const char *const periods[][2] = {{"day", "本日"},  {"week", "本周"}, {"month", "本月"},
                                             {"year", "本年"}, {"all", "全部"},  {NULL, NULL}};
    ui_select(o, "period", "周期", periods, period);
}

static const char *place_of(req *r)
{
    const char *p = req_form(r, "place");
    if (!p || !*p) p = req_query(r, "place");
    if (!p || !*p) p = store_points_scope_place(r->db, r->a, r->me->account_id, CAP_POINTS_READ);
    return p;
}

/* The leaderboard of a place (grid 0) or of a grid. */
static void leader_table(req *r, const char *place, int64_t grid, int64_t from, int64_t to,
                         const char *empty)
{
    buf *o = &r->out;
    struct points_leader *lb;
    int n = store_points_leaders(r->db, r->a, place, grid, from, to, 20, &lb);
    if (n <= 0) {
        buf_hprintf(o, "<p class=\"muted\">%s</p>\n", empty);
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名次</th>"
                "<th>姓名</th><th>编号</th><th class=\"num\">积分</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++)
        buf_hprintf(o, "<tr><td>%d</td><td>%s</td><td>%lld</td><td class=\"num\">%lld</td></tr>\n",
                    i + 1, lb[i].name, (long long)lb[i].person_id, (long long)lb[i].points);
    buf_puts(o, "</tbody></table></div>\n");
}

/* 网格排行: the grids of the place to choose from, and the chosen grid's board. */
static void grid_leaders(req *r, buf *o, const char *place, const char *period, int64_t from,
                         int64_t to)
{
    struct grid *gs;
    int ngs = store_grids_page(r->db, r->a, r->me->account_id, CAP_POINTS_READ, place, 0, 200, &gs);
    if (ngs <= 0) return;
    const char *want = req_query(r, "grid");
    int64_t grid = want ? strtoll(want, NULL, 10) : 0;
    const char *grid_name = NULL;
    buf_hprintf(o,
                "<section class=\"card\"><h2>网格积分排行</h2>\n<form class=\"filters\" "
                "method=\"get\" action=\"/points/admin\"><input type=\"hidden\" name=\"place\" "
                "value=\"%s\"><input type=\"hidden\" name=\"period\" value=\"%s\">"
                "<label for=\"grid\">网格</label><select id=\"grid\" name=\"grid\">",
                place, period);
    for (int i = 0; i < ngs; i++) {
        int64_t id = gs[i].id;
        if (id == grid) grid_name = gs[i].name;
        buf_hprintf(o, "<option value=\"%lld\"%s>%s</option>", (long long)id,
                    id == grid ? " selected" : "", gs[i].name);
    }
    buf_puts(o, "</select><button type=\"submit\">查看</button></form>\n");
    if (grid_name) { /* only a grid of this place, in the viewer's scope */
        buf_hprintf(o, "<h3>%s</h3>\n", grid_name);
        leader_table(r, NULL, grid, from, to, "本期该网格暂无获得积分的居民。");
    } else if (want && *want) {
        buf_puts(o, "<p class=\"muted\">该网格不在本区划或您的管辖范围内。</p>\n");
    }
    buf_puts(o, "</section>\n");
}

static void totals_and_leaders(req *r, buf *o, const char *place, const char *period)
{
    int64_t from, to, issued, redeemed, n;
    svc_points_period(period, NULL, &from, &to);
    store_points_totals(r->db, place, from, to, &issued, &redeemed, &n);
    buf_puts(o, "<div class=\"kpi\">");
    ui_kpi_n(o, issued, "发放积分");
    ui_kpi_n(o, redeemed, "兑换积分");
    ui_kpi_n(o, n, "积分变动（笔）");
    buf_puts(o, "</div>\n<section class=\"card\"><h2>积分排行</h2>\n");
    leader_table(r, place, 0, from, to, "本期暂无获得积分的居民。");
    buf_puts(o, "</section>\n");
    grid_leaders(r, o, place, period, from, to);
}

static void rules_section(req *r, buf *o, const char *place)
{
    struct points_rule_row *ru;
    int n = store_points_rules_at(r->db, r->a, place, &ru);
    buf_puts(o, "<section class=\"card\"><h2>积分规则（服务换积分）</h2>\n");
    if (n <= 0)
        buf_puts(o, "<p class=\"muted\">本区划未设置规则（按上级区划的规则）。</p>\n");
    else {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>类型</th>"
                    "<th>名称</th><th class=\"num\">积分</th><th>上限</th><th>状态</th></tr>"
                    "</thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            enum points_period p = PP_MONTH;
            points_period_parse(ru[i].period, &p);
            buf_hprintf(o, "<tr><td>%s</td><td>%s</td><td class=\"num\">%lld</td><td>",
                        ru[i].source_type, ru[i].name, (long long)ru[i].points);
            if (ru[i].cap)
                buf_hprintf(o, "%s %lld 分", points_period_zh(p), (long long)ru[i].cap);
            else
                buf_puts(o, "不设");
            buf_puts(o, ru[i].active ? "</td><td>启用</td></tr>\n" : "</td><td>停用</td></tr>\n");
        }
        buf_puts(o, "</tbody></table></div>\n");
    }
    buf_puts(o, "<h3>设置规则</h3>\n");
    form_open(o, r, "/points/admin/rules", place);
    buf_hprintf(o, "<input type=\"hidden\" name=\"place_code\" value=\"%s\">", place);
    field(o, r, "rule", "source_type",
          "来源类型（如 serve_activity、fulfil_wish、finish_order、meeting、visit）",
          "required pattern=\"[a-z][a-z0-9_]*\" maxlength=\"32\"");
    field(o, r, "rule", "name", "名称", "required maxlength=\"50\"");
    field(o, r, "rule", "points", "每次积分", "type=\"number\" min=\"1\" max=\"100000\" required");
    field(o, r, "rule", "cap", "每人每周期上限（0 为不设）",
          "type=\"number\" min=\"0\" max=\"100000\"");
    buf_puts(o, "<label for=\"rule_period\">上限周期</label><select id=\"rule_period\" "
                "name=\"period\"><option value=\"day\">每日</option><option value=\"week\">"
                "每周</option><option value=\"month\" selected>每月</option><option "
                "value=\"year\">每年</option></select>\n<input type=\"hidden\" "
                "name=\"active_set\" value=\"1\"><label class=\"check\"><input "
                "type=\"checkbox\" name=\"active\" value=\"1\" checked> 启用</label>\n"
                "<button type=\"submit\" class=\"primary\">保存规则</button></form></section>\n");
}

static void goods_item(req *r, buf *o, const char *place, const struct points_good *g)
{
    long long id = (long long)g->id;
    buf_hprintf(o, "<p><strong>%s</strong>（编号 %lld）", g->name, id);
    if (!g->active) buf_puts(o, "<span class=\"tag\">已下架</span>");
    buf_hprintf(o, " %lld 积分 · 库存 %lld · %s", (long long)g->price, (long long)g->stock,
                g->place_name);
    if (g->donor) buf_hprintf(o, " · 捐赠：%s", g->donor);
    buf_puts(o, "</p>\n");
    form_open(o, r, arena_printf(r->a, "/points/admin/goods/%lld/stock", id), place);
    buf_hprintf(o,
                "<label for=\"stock%lld\">入库数量</label><input id=\"stock%lld\" "
                "name=\"stock\" type=\"number\" min=\"1\" max=\"100000\" required>"
                "<label for=\"source%lld\">来源</label><select id=\"source%lld\" name=\"source\">"
                "<option value=\"donation\">爱心捐赠</option><option value=\"purchase\">"
                "社区自筹</option></select><label for=\"donor%lld\">捐赠人</label><input "
                "id=\"donor%lld\" name=\"donor\" maxlength=\"100\"><button "
                "type=\"submit\">入库</button></form>\n",
                id, id, id, id, id, id);
}

static void goods_section(req *r, buf *o, const char *place, const struct points_good *g, int n)
{
    buf_puts(o, "<section class=\"card\"><h2>积分超市商品</h2>\n");
    if (n <= 0) buf_puts(o, "<p class=\"muted\">暂无商品。</p>\n");
    for (int i = 0; i < n; i++) goods_item(r, o, place, &g[i]);
    buf_puts(o, "<h3>上架新商品</h3>\n");
    form_open(o, r, "/points/admin/goods", place);
    buf_hprintf(o,
                "<label for=\"goods_place_code\">社区代码</label><input id=\"goods_place_code\" "
                "name=\"place_code\" inputmode=\"numeric\" required value=\"%s\">\n",
                req_form(r, "place_code") ? req_form(r, "place_code") : place);
    field(o, r, "goods", "name", "商品名称", "required maxlength=\"50\"");
    field(o, r, "goods", "price", "兑换积分", "type=\"number\" min=\"1\" max=\"100000\" required");
    field(o, r, "goods", "stock", "首批数量", "type=\"number\" min=\"0\" max=\"100000\"");
    buf_puts(o, "<label for=\"goods_source\">来源</label><select id=\"goods_source\" "
                "name=\"source\"><option "
                "value=\"donation\">爱心捐赠</option><option value=\"purchase\">社区自筹</option>"
                "</select>\n");
    field(o, r, "goods", "donor", "捐赠人（爱心捐赠必填）", "maxlength=\"100\"");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">上架</button></form></section>\n");
}

static void counter_section(req *r, buf *o, const char *place, const struct points_good *g, int n)
{
    buf_puts(o,
             "<section class=\"card\"><h2>柜台兑换</h2>\n<p class=\"muted\">为到场居民兑换："
             "请居民出示本人手机“我的积分”里的兑换码，没有智能手机的居民报出本人登记的完整"
             "手机号；核对无误才能兑换（记入审计日志）。同一居民确认错误5次后暂停柜台兑换24小时。"
             "</p>\n");
    char key[REDEEM_KEY_HEX + 1];
    redeem_key_new(key);
    form_open(o, r, "/points/admin/redeem", place);
    buf_hprintf(o, "<input type=\"hidden\" name=\"request_key\" value=\"%s\">", key);
    buf_puts(
        o,
        "<label for=\"counter_goods\">商品</label><select id=\"counter_goods\" name=\"goods_id\">");
    for (int i = 0; i < n; i++)
        if (g[i].active)
            buf_hprintf(o, "<option value=\"%lld\">%s（%lld 积分，库存 %lld）</option>",
                        (long long)g[i].id, g[i].name, (long long)g[i].price,
                        (long long)g[i].stock);
    buf_puts(o, "</select>\n");
    field(o, r, "counter", "person_id", "居民编号", "type=\"number\" min=\"1\" required");
    /* never echoed back: what the resident showed or said is hers */
    buf_puts(o, "<label for=\"counter_confirm\">兑换码（6位）或居民完整手机号</label><input "
                "id=\"counter_confirm\" name=\"confirm\" inputmode=\"numeric\" maxlength=\"20\" "
                "required autocomplete=\"off\">\n");
    field(o, r, "counter", "qty", "数量", "type=\"number\" min=\"1\" max=\"100\"");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">兑换</button></form></section>\n");
}

static void award_reverse_section(req *r, buf *o, const char *place)
{
    buf_puts(o,
             "<section class=\"card\"><h2>发放积分</h2>\n<p class=\"muted\">同一来源（类型与编号）"
             "对同一人只发一次；积分填 0 按规则。</p>\n");
    form_open(o, r, "/points/admin/award", place);
    buf_hprintf(o,
                "<label for=\"award_place\">社区代码</label><input id=\"award_place\" "
                "name=\"place_code\" inputmode=\"numeric\" required value=\"%s\">\n",
                place);
    field(o, r, "award", "person_id", "居民编号", "type=\"number\" min=\"1\" required");
    field(o, r, "award", "source_type", "来源类型",
          "required pattern=\"[a-z][a-z0-9_]*\" maxlength=\"32\"");
    field(o, r, "award", "source_id", "来源编号（活动、心愿、工单等的编号）",
          "type=\"number\" min=\"1\" required");
    field(o, r, "award", "points", "积分（0 按规则）", "type=\"number\" min=\"0\" max=\"100000\"");
    field(o, r, "award", "reason", "说明", "maxlength=\"200\"");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">发放</button></form></section>\n");
    buf_puts(o,
             "<section class=\"card\"><h2>冲正</h2>\n<p class=\"muted\">记错的积分不能修改或删除，"
             "只能写一笔反向记录并注明原因；兑换冲正时商品退回库存。</p>\n");
    form_open(o, r, "/points/admin/reverse", place);
    field(o, r, "reverse", "movement_id", "积分记录编号", "type=\"number\" min=\"1\" required");
    field(o, r, "reverse", "reason", "冲正原因", "required maxlength=\"200\"");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">冲正</button></form></section>\n");
}

static void recent_section(req *r, buf *o, const char *place)
{
    struct points_movement *m;
    int n = store_points_recent(r->db, r->a, place, 20, &m);
    buf_puts(o, "<section class=\"card\"><h2>最近积分记录</h2>\n");
    if (n <= 0) {
        buf_puts(o, "<p class=\"muted\">暂无记录。</p></section>\n");
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>编号</th>"
                "<th>时间</th><th>居民</th><th>事项</th><th class=\"num\">积分</th></tr></thead>"
                "<tbody>\n");
    for (int i = 0; i < n; i++) {
        buf_hprintf(o, "<tr><td>%lld</td><td>%s</td><td>%s（%lld）</td><td class=\"wrap\">%s",
                    (long long)m[i].id, page_time(r, m[i].created_at), m[i].person_name,
                    (long long)m[i].person_id, m[i].reason ? m[i].reason : m[i].source_type);
        if (m[i].reversed_by) buf_puts(o, " <span class=\"tag\">已冲正</span>");
        buf_printf(o, "</td><td class=\"num\">%+lld</td></tr>\n", (long long)m[i].points);
    }
    buf_puts(o, "</tbody></table></div></section>\n");
}

static err_code admin_page(req *r, const char *error, const char *notice, int status)
{
    const char *place = place_of(r);
    const char *period = req_query(r, "period");
    if (!period || !*period) period = "month";
    int64_t f, t;
    if (svc_points_period(period, NULL, &f, &t).err) period = "month";
    page_begin(r, "积分管理");
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    if (!place || !store_points_covers(r->db, r->me->account_id, CAP_POINTS_READ, place)) {
        buf_puts(o, "<p class=\"muted\">该区划不在您的管辖范围内。</p>\n");
        err_code e = page_end(r);
        r->status = place ? 404 : status;
        return e;
    }
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/points/admin\">");
    ui_input(o, "place", "区划代码", place, "inputmode=\"numeric\"");
    period_select(o, period);
    buf_puts(o, "<button type=\"submit\">查看</button></form>\n");
    totals_and_leaders(r, o, place, period);
    if (principal_has_cap(r->me, CAP_POINTS_MANAGE) &&
        store_points_covers(r->db, r->me->account_id, CAP_POINTS_MANAGE, place)) {
        struct points_good *g;
        int n = store_points_goods(r->db, r->a, r->me->account_id, CAP_POINTS_MANAGE, NULL, place,
                                   true, 0, 200, &g);
        counter_section(r, o, place, g, n);
        goods_section(r, o, place, g, n);
        rules_section(r, o, place);
        award_reverse_section(r, o, place);
    }
    recent_section(r, o, place);
    return page_end_status(r, status);
}

static err_code page_points_admin(req *r)
{
    return admin_page(r, NULL, NULL, 200);
}
ROUTE("GET", "/points/admin", page_points_admin, CAP_POINTS_READ, R_PAGE, NULL,
      "积分管理：发放与兑换合计、排行、规则、商品、柜台兑换、冲正");

/* The page again after a form: the outcome on top, the form kept on failure. */
static err_code after(req *r, struct svc_result res, const char *done)
{
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return admin_page(r, res.message ? res.message : err_message_zh(res.err), NULL,
                          err_http_status(res.err));
    const char *place = req_form(r, "place");
    r->form = NULL; /* empty forms after success */
    if (place) {
        struct form_field *f = arena_alloc(r->a, sizeof *f);
        f->name = "place";
        f->value = place;
        f->len = strlen(place);
        r->form = f;
    }
    return admin_page(r, NULL, res.message ? res.message : done, 200);
}

static err_code page_points_rule(req *r)
{
    struct points_rule_input in;
    err_code e = bind_points_rule(r, &in);
    return after(r, e ? bind_refused(r, e) : svc_points_rule_put(r->db, r->a, r->me, &in),
                 "规则已保存");
}
ROUTE("POST", "/points/admin/rules", page_points_rule, CAP_POINTS_MANAGE, R_PAGE, NULL,
      "设置积分规则");

static err_code page_points_goods(req *r)
{
    struct points_goods_input in;
    err_code e = bind_points_goods(r, &in);
    return after(r, e ? bind_refused(r, e) : svc_points_goods_create(r->db, r->a, r->me, &in),
                 "商品已上架");
}
ROUTE("POST", "/points/admin/goods", page_points_goods, CAP_POINTS_MANAGE, R_PAGE, NULL,
      "上架积分超市商品");

static err_code page_points_stock(req *r)
{
    struct points_goods_input in;
    err_code e = bind_points_stock(r, &in);
    struct svc_result res =
        e ? bind_refused(r, e) : svc_points_stock_in(r->db, r->a, r->me, req_id(r, "id"), &in);
    if (res.err == E_NOT_FOUND) return E_NOT_FOUND;
    return after(r, res, "已入库");
}
ROUTE("POST", "/points/admin/goods/{id}/stock", page_points_stock, CAP_POINTS_MANAGE, R_PAGE,
      "points_goods", "商品入库");

static err_code page_points_counter(req *r)
{
    struct points_redeem in;
    /* the counter redeems for someone else: a resident's number is required */
    if (bind_points_redeem(r, &in) || in.goods_id <= 0 || in.person_id <= 0)
        return admin_page(r, "请选择商品并填写居民编号", NULL, 400);
    struct svc_result res = svc_points_redeem(r->db, r->a, r->me, &in);
    if (res.err) return after(r, res, NULL);
    /* done, or done before by this very form: the result page, which a reload only shows */
    const char *place = req_form(r, "place");
    buf u = {0};
    buf_printf(&u, "/points/admin/redeemed/%lld", (long long)res.id);
    if (place && *place) {
        buf_puts(&u, "?place=");
        buf_url(&u, place);
    }
    const char *to = arena_strdup(r->a, buf_cstr(&u));
    buf_free(&u);
    return http_redirect(r, to);
}
ROUTE("POST", "/points/admin/redeem", page_points_counter, CAP_POINTS_MANAGE, R_PAGE, NULL,
      "柜台兑换（居民出示兑换码或报出完整手机号当面确认）");

/* The result of a counter redemption: only for staff who manage both the
 * supermarket's community and the person's place. */
static err_code page_points_redeemed(req *r)
{
    int64_t id = req_id(r, "id");
    struct points_movement m;
    if (!store_points_movement(r->db, r->a, r->me->account_id, CAP_POINTS_MANAGE, 0, id, &m) ||
        strcmp(m.kind, "redeem") != 0 ||
        !store_points_person_place(r->db, r->a, r->me->account_id, CAP_POINTS_MANAGE, m.person_id))
        return E_NOT_FOUND;
    const char *place = req_query(r, "place");
    if (!place || !*place) place = m.place_code;
    page_begin(r, "兑换结果");
    buf *o = &r->out;
    page_message(r, "notice", "兑换成功");
    buf_hprintf(o,
                "<section class=\"card\"><h2>%s</h2>\n<p>居民：%s（编号 %lld）· 扣除 "
                "<strong>%lld</strong> 积分 · %s · 积分记录编号 %lld",
                m.reason, m.person_name, (long long)m.person_id, (long long)-m.points,
                page_time(r, m.created_at), (long long)id);
    if (m.reversed_by) buf_puts(o, " <span class=\"tag\">已冲正</span>");
    buf_printf(o, "</p>\n<p>居民当前积分余额：<strong>%lld</strong> 分</p></section>\n",
               (long long)store_points_balance(r->db, m.person_id));
    buf_puts(o, "<p><a class=\"primary\" href=\"/points/admin?place=");
    buf_url(o, place);
    buf_puts(o, "\">返回积分管理</a></p>\n");
    return page_end(r);
}
ROUTE("GET", "/points/admin/redeemed/{id}", page_points_redeemed, CAP_POINTS_MANAGE, R_PAGE,
      "points_movement", "柜台兑换结果");

static err_code page_points_award(req *r)
{
    struct points_award aw;
    if (bind_points_award(r, &aw))
        return admin_page(r, "居民编号、来源编号或积分不正确（积分为 0–100000）", NULL, 400);
    return after(r, svc_points_award_manual(r->db, r->a, r->me, &aw), "积分已发放");
}
ROUTE("POST", "/points/admin/award", page_points_award, CAP_POINTS_MANAGE, R_PAGE, NULL,
      "发放积分");

static err_code page_points_reverse(req *r)
{
    struct points_reverse_input in;
    if (bind_points_reverse(r, &in) || in.movement_id <= 0)
        return admin_page(r, "请填写积分记录编号", NULL, 400);
    return after(r, svc_points_reverse(r->db, r->a, r->me, in.movement_id, in.reason), "已冲正");
}
ROUTE("POST", "/points/admin/reverse", page_points_reverse, CAP_POINTS_MANAGE, R_PAGE, NULL,
      "冲正积分记录");
