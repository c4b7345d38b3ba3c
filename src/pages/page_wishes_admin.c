/* 心愿管理 for the secretary and staff (desktop): the review queue, the wishes
 * of the places they review with filters (state, kind, place, overdue — the
 * unclaimed and overdue ones the secretary follows up), a button to post on
 * behalf of a child or an elder, and the counts by place (rolled up), kind
 * and state over a period. */
#include <string.h>

#include "core/roles.h"
#include "core/wish_rule.h"
#include "pages/layout.h"
#include "service/svc_wishes.h"
#include "store/store_wishes.h"

static void options(buf *o, const char *const (*list)[2], int n, const char *selected,
                    const char *any)
{
    buf_puts(o, "<option value=\"\">");
    buf_html(o, any);
    buf_puts(o, "</option>");
    for (int i = 0; i < n; i++) {
        buf_printf(o, "<option value=\"%s\"%s>", list[i][0],
                   selected && !strcmp(selected, list[i][0]) ? " selected" : "");
        buf_html(o, list[i][1]);
        buf_puts(o, "</option>");
    }
}

static const char *const kinds[][2] = {
    {"resident", "居民心愿"}, {"child", "困境儿童心愿"}, {"elder", "老人心愿"}};
static const char *const states[][2] = {{"pending", "待审核"},  {"published", "待认领"},
                                        {"claimed", "已认领"},  {"fulfilled", "待确认"},
                                        {"achieved", "已达成"}, {"rejected", "未通过"}};

static void wish_table(req *r, const db_rows *w, int n, const char *today, const char *empty)
{
    buf *o = &r->out;
    if (n == 0) {
        buf_puts(o, "<p class=\"muted\">");
        buf_html(o, empty);
        buf_puts(o, "</p>\n");
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>心愿</th>"
                "<th>类型</th><th>状态</th><th>心愿人</th><th>所在</th><th>期望日期</th>"
                "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const char *state = db_get(w, i, WC_STATE);
        buf_printf(o, "<tr><td><a href=\"/wishes/%s\">", db_get(w, i, WC_ID));
        buf_html(o, db_get(w, i, WC_TITLE));
        buf_puts(o, "</a></td><td>");
        buf_html(o, wish_kind_zh(db_get(w, i, WC_KIND)));
        buf_puts(o, "</td><td>");
        buf_html(o, wish_state_zh(state));
        if (wish_overdue(db_get(w, i, WC_WANTED_BY), today, state))
            buf_puts(o, " <span class=\"badge\">已逾期</span>");
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(w, i, WC_DISPLAY_NAME));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(w, i, WC_PLACE_NAME));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(w, i, WC_WANTED_BY) ? db_get(w, i, WC_WANTED_BY) : "—");
        buf_puts(o, "</td></tr>\n");
    }
    buf_puts(o, "</tbody></table></div>\n");
}

static void stats_section(req *r, const struct wish_stats *st)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>心愿统计：");
    buf_html(o, st->place_name);
    buf_puts(o, " ");
    buf_html(o, st->from);
    buf_puts(o, " 至 ");
    buf_html(o, st->to);
    buf_puts(o, "</h2>\n<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>区划</th>"
                "<th class=\"num\">发布</th><th class=\"num\">上墙</th><th class=\"num\">认领</th>"
                "<th class=\"num\">达成</th><th class=\"num\">逾期</th></tr></thead><tbody>\n");
    for (int i = 0; i < st->places->nrows; i++) {
        bool self = strcmp(db_get(st->places, i, 0), st->place) == 0;
        buf_puts(o, "<tr><td>");
        if (self) buf_puts(o, "<strong>合计 ");
        buf_html(o, db_get(st->places, i, 1));
        if (self) buf_puts(o, "</strong>");
        buf_puts(o, "</td>");
        for (int c = 2; c <= 6; c++)
            buf_printf(o, "<td class=\"num\">%lld</td>", (long long)db_get_int(st->places, i, c));
        buf_puts(o, "</tr>\n");
    }
    buf_puts(o, "</tbody></table></div>\n<p>按类型：");
    for (int i = 0; i < st->kinds->nrows; i++) {
        buf_html(o, wish_kind_zh(db_get(st->kinds, i, 0)));
        buf_printf(o, " %lld；", (long long)db_get_int(st->kinds, i, 1));
    }
    if (!st->kinds->nrows) buf_puts(o, "暂无");
    buf_puts(o, "</p><p>按状态：");
    for (int i = 0; i < st->states->nrows; i++) {
        buf_html(o, wish_state_zh(db_get(st->states, i, 0)));
        buf_printf(o, " %lld；", (long long)db_get_int(st->states, i, 1));
    }
    if (!st->states->nrows) buf_puts(o, "暂无");
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
    db_rows *pend = store_wishes_list(r->db, r->a, me, &q);
    if (!pend) return E_INTERNAL;
    buf_puts(o, "<section class=\"card\"><h2>待审核</h2>\n");
    wish_table(r, pend, pend->nrows > 50 ? 50 : pend->nrows, today, "没有待审核的心愿");
    buf_puts(o, "</section>\n");

    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/wishes/admin\">"
                "<label for=\"state\">状态</label><select id=\"state\" name=\"state\">");
    options(o, states, 6, state, "全部状态");
    buf_puts(o, "</select><label for=\"kind\">类型</label><select id=\"kind\" name=\"kind\">");
    options(o, kinds, 3, kind, "全部类型");
    buf_puts(o, "</select><label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" value=\"");
    buf_html(o, place);
    buf_printf(o,
               "\"><label><input type=\"checkbox\" name=\"overdue\" value=\"1\"%s> 只看逾期"
               "</label><label for=\"from\">自</label><input id=\"from\" name=\"from\" "
               "type=\"date\" value=\"",
               od ? " checked" : "");
    buf_html(o, from);
    buf_puts(o, "\"><label for=\"to\">至</label><input id=\"to\" name=\"to\" type=\"date\" "
                "value=\"");
    buf_html(o, to);
    buf_puts(o, "\"><button type=\"submit\">查询</button></form>\n");
    buf_puts(o, "<p><a href=\"/wishes/admin?state=published\">未认领的心愿</a> · "
                "<a href=\"/wishes/admin?overdue=1\">逾期的心愿</a></p>\n");

    struct wish_filter f = {.state = state && *state ? state : NULL,
                            .kind = kind && *kind ? kind : NULL,
                            .place = place,
                            .overdue_before = od ? today : NULL,
                            .limit = 201};
    db_rows *w = store_wishes_list(r->db, r->a, me, &f);
    if (!w) return E_INTERNAL;
    buf_puts(o, "<section class=\"card\"><h2>心愿</h2>\n");
    wish_table(r, w, w->nrows > 200 ? 200 : w->nrows, today, "没有符合条件的心愿");
    if (w->nrows > 200) buf_puts(o, "<p class=\"muted\">只显示最新200条，请缩小范围</p>");
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
