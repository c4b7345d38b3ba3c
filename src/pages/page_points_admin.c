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
#include "service/svc_points.h"
#include "store/store_grids.h"
#include "store/store_points.h"

/* A labelled input; ids are prefixed by their form, as names repeat across forms. */
static void field(buf *o, req *r, const char *form, const char *name, const char *label,
                  const char *attrs)
{
    buf_printf(o, "<label for=\"%s_%s\">%s</label><input id=\"%s_%s\" name=\"%s\" %s value=\"",
               form, name, label, form, name, name, attrs);
    buf_html(o, req_form(r, name));
    buf_puts(o, "\">\n");
}

static void form_open(buf *o, req *r, const char *action, const char *place)
{
    buf_printf(o, "<form method=\"post\" action=\"%s\">", action);
    page_csrf_field(r);
    buf_puts(o, "<input type=\"hidden\" name=\"place\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\">");
}

static void period_select(buf *o, const char *period)
{
    static const char *const ids[] = {"day", "week", "month", "year", "all"};
    static const char *const zh[] = {"本日", "本周", "本月", "本年", "全部"};
    buf_puts(o, "<label for=\"period\">周期</label><select id=\"period\" name=\"period\">");
    for (int i = 0; i < 5; i++)
        buf_printf(o, "<option value=\"%s\"%s>%s</option>", ids[i],
                   strcmp(period, ids[i]) == 0 ? " selected" : "", zh[i]);
    buf_puts(o, "</select>\n");
}

static const char *place_of(req *r)
{
    const char *p = req_form(r, "place");
    if (!p || !*p) p = req_query(r, "place");
    if (!p || !*p) p = store_points_scope_place(r->db, r->a, r->me->account_id, CAP_POINTS_READ);
    return p;
}

static void leader_table(buf *o, const db_rows *lb, const char *empty)
{
    if (!lb || !lb->nrows) {
        buf_printf(o, "<p class=\"muted\">%s</p>\n", empty);
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名次</th>"
                "<th>姓名</th><th>编号</th><th class=\"num\">积分</th></tr></thead><tbody>\n");
    for (int i = 0; i < lb->nrows; i++) {
        buf_printf(o, "<tr><td>%d</td><td>", i + 1);
        buf_html(o, db_get(lb, i, 1));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(lb, i, 0));
        buf_printf(o, "</td><td class=\"num\">%lld</td></tr>\n", (long long)db_get_int(lb, i, 2));
    }
    buf_puts(o, "</tbody></table></div>\n");
}

/* 网格排行: the grids of the place to choose from, and the chosen grid's board. */
static void grid_leaders(req *r, buf *o, const char *place, const char *period, int64_t from,
                         int64_t to)
{
    db_rows *gs = store_grids_list(r->db, r->a, r->me->account_id, CAP_POINTS_READ, place, 0, 200);
    if (!gs || !gs->nrows) return;
    const char *want = req_query(r, "grid");
    int64_t grid = want ? strtoll(want, NULL, 10) : 0;
    const char *grid_name = NULL;
    buf_puts(o, "<section class=\"card\"><h2>网格积分排行</h2>\n<form class=\"filters\" "
                "method=\"get\" action=\"/points/admin\"><input type=\"hidden\" name=\"place\" "
                "value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><input type=\"hidden\" name=\"period\" value=\"");
    buf_html(o, period);
    buf_puts(o, "\"><label for=\"grid\">网格</label><select id=\"grid\" name=\"grid\">");
    for (int i = 0; i < gs->nrows; i++) {
        int64_t id = db_get_int(gs, i, GC_ID);
        if (id == grid) grid_name = db_get(gs, i, GC_NAME);
        buf_printf(o, "<option value=\"%lld\"%s>", (long long)id, id == grid ? " selected" : "");
        buf_html(o, db_get(gs, i, GC_NAME));
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select><button type=\"submit\">查看</button></form>\n");
    if (grid_name) { /* only a grid of this place, in the viewer's scope */
        buf_puts(o, "<h3>");
        buf_html(o, grid_name);
        buf_puts(o, "</h3>\n");
        leader_table(o, store_points_leaders(r->db, r->a, NULL, grid, from, to, 20),
                     "本期该网格暂无获得积分的居民。");
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
    buf_printf(o,
               "<div class=\"kpi\"><div><strong>%lld</strong><span>发放积分</span></div>"
               "<div><strong>%lld</strong><span>兑换积分</span></div>"
               "<div><strong>%lld</strong><span>积分变动（笔）</span></div></div>\n",
               (long long)issued, (long long)redeemed, (long long)n);
    buf_puts(o, "<section class=\"card\"><h2>积分排行</h2>\n");
    leader_table(o, store_points_leaders(r->db, r->a, place, 0, from, to, 20),
                 "本期暂无获得积分的居民。");
    buf_puts(o, "</section>\n");
    grid_leaders(r, o, place, period, from, to);
}

static void rules_section(req *r, buf *o, const char *place)
{
    db_rows *ru = store_points_rules_at(r->db, r->a, place);
    buf_puts(o, "<section class=\"card\"><h2>积分规则（服务换积分）</h2>\n");
    if (!ru || !ru->nrows)
        buf_puts(o, "<p class=\"muted\">本区划未设置规则（按上级区划的规则）。</p>\n");
    else {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>类型</th>"
                    "<th>名称</th><th class=\"num\">积分</th><th>上限</th><th>状态</th></tr>"
                    "</thead><tbody>\n");
        for (int i = 0; i < ru->nrows; i++) {
            enum points_period p = PP_MONTH;
            points_period_parse(db_get(ru, i, PR_PERIOD), &p);
            buf_puts(o, "<tr><td>");
            buf_html(o, db_get(ru, i, PR_SOURCE_TYPE));
            buf_puts(o, "</td><td>");
            buf_html(o, db_get(ru, i, PR_NAME));
            buf_printf(o, "</td><td class=\"num\">%lld</td><td>",
                       (long long)db_get_int(ru, i, PR_POINTS));
            if (db_get_int(ru, i, PR_CAP))
                buf_printf(o, "%s %lld 分", points_period_zh(p),
                           (long long)db_get_int(ru, i, PR_CAP));
            else
                buf_puts(o, "不设");
            buf_printf(o, "</td><td>%s</td></tr>\n",
                       db_get_int(ru, i, PR_ACTIVE) ? "启用" : "停用");
        }
        buf_puts(o, "</tbody></table></div>\n");
    }
    buf_puts(o, "<h3>设置规则</h3>\n");
    form_open(o, r, "/points/admin/rules", place);
    buf_puts(o, "<input type=\"hidden\" name=\"place_code\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\">");
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

static void goods_section(req *r, buf *o, const char *place, db_rows *g)
{
    buf_puts(o, "<section class=\"card\"><h2>积分超市商品</h2>\n");
    if (!g || !g->nrows) buf_puts(o, "<p class=\"muted\">暂无商品。</p>\n");
    for (int i = 0; g && i < g->nrows; i++) {
        const char *id = db_get(g, i, PG_ID);
        buf_puts(o, "<p><strong>");
        buf_html(o, db_get(g, i, PG_NAME));
        buf_printf(o, "</strong>（编号 %s）%s %lld 积分 · 库存 %lld · ", id,
                   db_get_int(g, i, PG_ACTIVE) ? "" : "<span class=\"tag\">已下架</span>",
                   (long long)db_get_int(g, i, PG_PRICE), (long long)db_get_int(g, i, PG_STOCK));
        buf_html(o, db_get(g, i, PG_PLACE_NAME));
        if (db_get(g, i, PG_DONOR)) {
            buf_puts(o, " · 捐赠：");
            buf_html(o, db_get(g, i, PG_DONOR));
        }
        buf_puts(o, "</p>\n");
        buf_printf(o, "<form method=\"post\" action=\"/points/admin/goods/%s/stock\">", id);
        page_csrf_field(r);
        buf_puts(o, "<input type=\"hidden\" name=\"place\" value=\"");
        buf_html(o, place);
        buf_printf(o,
                   "\"><label for=\"stock%s\">入库数量</label><input id=\"stock%s\" "
                   "name=\"stock\" type=\"number\" min=\"1\" max=\"100000\" required>"
                   "<label for=\"source%s\">来源</label><select id=\"source%s\" name=\"source\">"
                   "<option value=\"donation\">爱心捐赠</option><option value=\"purchase\">"
                   "社区自筹</option></select><label for=\"donor%s\">捐赠人</label><input "
                   "id=\"donor%s\" name=\"donor\" maxlength=\"100\"><button "
                   "type=\"submit\">入库</button></form>\n",
                   id, id, id, id, id, id);
    }
    buf_puts(o, "<h3>上架新商品</h3>\n");
    form_open(o, r, "/points/admin/goods", place);
    buf_puts(o, "<label for=\"goods_place_code\">社区代码</label><input id=\"goods_place_code\" "
                "name=\"place_code\" inputmode=\"numeric\" required value=\"");
    buf_html(o, req_form(r, "place_code") ? req_form(r, "place_code") : place);
    buf_puts(o, "\">\n");
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

static void counter_section(req *r, buf *o, const char *place, db_rows *g)
{
    buf_puts(o,
             "<section class=\"card\"><h2>柜台兑换</h2>\n<p class=\"muted\">为到场居民兑换："
             "请居民出示本人手机“我的积分”里的兑换码，没有智能手机的居民报出本人登记的完整"
             "手机号；核对无误才能兑换（记入审计日志）。同一居民确认错误5次后暂停柜台兑换24小时。"
             "</p>\n");
    char key[REDEEM_KEY_HEX + 1];
    redeem_key_new(key);
    form_open(o, r, "/points/admin/redeem", place);
    buf_printf(o, "<input type=\"hidden\" name=\"request_key\" value=\"%s\">", key);
    buf_puts(
        o,
        "<label for=\"counter_goods\">商品</label><select id=\"counter_goods\" name=\"goods_id\">");
    for (int i = 0; g && i < g->nrows; i++) {
        if (!db_get_int(g, i, PG_ACTIVE)) continue;
        buf_printf(o, "<option value=\"%s\">", db_get(g, i, PG_ID));
        buf_html(o, db_get(g, i, PG_NAME));
        buf_printf(o, "（%lld 积分，库存 %lld）</option>", (long long)db_get_int(g, i, PG_PRICE),
                   (long long)db_get_int(g, i, PG_STOCK));
    }
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
    buf_puts(o, "<label for=\"award_place\">社区代码</label><input id=\"award_place\" "
                "name=\"place_code\" inputmode=\"numeric\" required value=\"");
    buf_html(o, place);
    buf_puts(o, "\">\n");
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
    db_rows *m = store_points_recent(r->db, r->a, place, 20);
    buf_puts(o, "<section class=\"card\"><h2>最近积分记录</h2>\n");
    if (!m || !m->nrows) {
        buf_puts(o, "<p class=\"muted\">暂无记录。</p></section>\n");
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>编号</th>"
                "<th>时间</th><th>居民</th><th>事项</th><th class=\"num\">积分</th></tr></thead>"
                "<tbody>\n");
    for (int i = 0; i < m->nrows; i++) {
        buf_puts(o, "<tr><td>");
        buf_html(o, db_get(m, i, PM_ID));
        buf_puts(o, "</td><td>");
        buf_html(o, page_time(r, db_get_int(m, i, PM_CREATED_AT)));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(m, i, PM_PERSON_NAME));
        buf_puts(o, "（");
        buf_html(o, db_get(m, i, PM_PERSON));
        buf_puts(o, "）</td><td class=\"wrap\">");
        buf_html(o,
                 db_get(m, i, PM_REASON) ? db_get(m, i, PM_REASON) : db_get(m, i, PM_SOURCE_TYPE));
        if (db_get(m, i, PM_REVERSED_BY)) buf_puts(o, " <span class=\"tag\">已冲正</span>");
        buf_printf(o, "</td><td class=\"num\">%+lld</td></tr>\n",
                   (long long)db_get_int(m, i, PM_POINTS));
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
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/points/admin\"><label "
                "for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\">\n");
    period_select(o, period);
    buf_puts(o, "<button type=\"submit\">查看</button></form>\n");
    totals_and_leaders(r, o, place, period);
    if (principal_has_cap(r->me, CAP_POINTS_MANAGE) &&
        store_points_covers(r->db, r->me->account_id, CAP_POINTS_MANAGE, place)) {
        db_rows *g = store_points_goods(r->db, r->a, r->me->account_id, CAP_POINTS_MANAGE, NULL,
                                        place, true, 0, 200);
        counter_section(r, o, place, g);
        goods_section(r, o, place, g);
        rules_section(r, o, place);
        award_reverse_section(r, o, place);
    }
    recent_section(r, o, place);
    err_code e = page_end(r);
    r->status = status;
    return e;
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
    db_rows *m = store_points_movement(r->db, r->a, r->me->account_id, CAP_POINTS_MANAGE, 0, id);
    if (!m || !m->nrows || strcmp(db_get(m, 0, PM_KIND), "redeem") != 0 ||
        !store_points_person_place(r->db, r->a, r->me->account_id, CAP_POINTS_MANAGE,
                                   db_get_int(m, 0, PM_PERSON)))
        return E_NOT_FOUND;
    const char *place = req_query(r, "place");
    if (!place || !*place) place = db_get(m, 0, PM_PLACE);
    page_begin(r, "兑换结果");
    buf *o = &r->out;
    page_message(r, "notice", "兑换成功");
    buf_puts(o, "<section class=\"card\"><h2>");
    buf_html(o, db_get(m, 0, PM_REASON));
    buf_puts(o, "</h2>\n<p>居民：");
    buf_html(o, db_get(m, 0, PM_PERSON_NAME));
    buf_puts(o, "（编号 ");
    buf_html(o, db_get(m, 0, PM_PERSON));
    buf_printf(o, "）· 扣除 <strong>%lld</strong> 积分 · ",
               (long long)-db_get_int(m, 0, PM_POINTS));
    buf_html(o, page_time(r, db_get_int(m, 0, PM_CREATED_AT)));
    buf_printf(o, " · 积分记录编号 %lld", (long long)id);
    if (db_get(m, 0, PM_REVERSED_BY)) buf_puts(o, " <span class=\"tag\">已冲正</span>");
    buf_printf(o, "</p>\n<p>居民当前积分余额：<strong>%lld</strong> 分</p></section>\n",
               (long long)store_points_balance(r->db, db_get_int(m, 0, PM_PERSON)));
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
