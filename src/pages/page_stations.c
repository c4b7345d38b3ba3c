/* 党群阵地: /stations (the registry with filters by place and kind, the counts
 * — centers, stations, standardized, compounds covered — drawn as SVG bars),
 * /stations/new, and /stations/{id} (the 六有一好 checklist ✓/✗, the 2+5+N
 * modules, the compounds served) with the form to edit it. Reads are scoped in
 * the store; writes go through svc_stations.c. */
#include "pages/page_stations.h"

#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/station_rule.h"
#include "pages/layout.h"
#include "service/svc_stations.h"
#include "store/store_accounts.h"
#include "store/store_places.h"
#include "store/store_stations.h"

#define STATIONS_PAGE 50

static void station_link(buf *o, const char *id, const char *name)
{
    buf_puts(o, "<a href=\"/stations/");
    buf_html(o, id);
    buf_puts(o, "\">");
    buf_html(o, name);
    buf_puts(o, "</a>");
}

static void kind_options(buf *o, const char *selected, bool with_any)
{
    if (with_any) buf_puts(o, "<option value=\"\">全部类型</option>");
    for (int i = 0; station_kinds[i]; i++) {
        buf_puts(o, "<option value=\"");
        buf_puts(o, station_kinds[i]);
        buf_puts(o, selected && !strcmp(selected, station_kinds[i]) ? "\" selected>" : "\">");
        buf_html(o, station_kind_zh(station_kinds[i]));
        buf_puts(o, "</option>");
    }
}

/* A table of station rows (enum station_col). */
static void stations_table(req *r, const db_rows *s, int n, const char *empty)
{
    buf *o = &r->out;
    if (n == 0) {
        buf_puts(o, "<p class=\"muted\">");
        buf_html(o, empty);
        buf_puts(o, "</p>\n");
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名称</th>"
                "<th>类型</th><th>所在区划</th><th class=\"num\">面积（㎡）</th>"
                "<th class=\"num\">服务小区</th><th>标准化</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        int items[SI__COUNT];
        station_items_of(s, i, items);
        bool std = station_standardized(items);
        buf_puts(o, "<tr><td>");
        station_link(o, db_get(s, i, STC_ID), db_get(s, i, STC_NAME));
        buf_puts(o, "</td><td>");
        buf_html(o, station_kind_zh(db_get(s, i, STC_KIND)));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(s, i, STC_PLACE_NAME));
        buf_puts(o, "</td><td class=\"num\">");
        buf_html(o, db_get(s, i, STC_AREA) ? db_get(s, i, STC_AREA) : "—");
        buf_printf(o, "</td><td class=\"num\">%lld</td><td>",
                   (long long)db_get_int(s, i, STC_N_PLACES));
        buf_puts(o,
                 std ? "<span class=\"tag\">达标</span>" : "<span class=\"badge\">未达标</span>");
        buf_puts(o, "</td></tr>\n");
    }
    buf_puts(o, "</tbody></table></div>\n");
}

void page_place_stations(req *r, const char *code)
{
    if (!store_place_in_scope(r->db, r->me->account_id, CAP_PLACES_READ, code)) return;
    struct station_filter f = {.place = code, .limit = 21};
    db_rows *s = store_stations_list(r->db, r->a, r->me->account_id, CAP_PLACES_READ, &f);
    int n = s ? (s->nrows > 20 ? 20 : s->nrows) : 0;
    buf *o = &r->out;
    buf_puts(o, "<h2>党群服务阵地</h2>\n");
    stations_table(r, s, n, "尚未登记党群服务阵地");
    buf_puts(o, "<p><a href=\"/stations?place=");
    buf_url(o, code);
    buf_puts(o, "\">全部阵地与覆盖统计</a></p>\n");
}

static void kpi(buf *o, long v, const char *label)
{
    buf_printf(o, "<div><strong>%ld</strong><span>", v);
    buf_html(o, label);
    buf_puts(o, "</span></div>");
}

/* One bar: share of the whole, with the figure beside it. */
static void bar_figure(buf *o, const char *label, long part, long whole, const char *unit)
{
    double pct = whole > 0 ? 100.0 * (double)part / (double)whole : 0;
    double w = pct > 100 ? 400 : pct * 4;
    buf_puts(o, "<figure class=\"chart\"><h3>");
    buf_html(o, label);
    buf_puts(o, "</h3><svg viewBox=\"0 0 400 36\" width=\"400\" height=\"36\" role=\"img\" "
                "aria-label=\"");
    buf_html(o, label);
    buf_printf(o,
               " %.1f%%\"><rect class=\"bar-alt\" x=\"0\" y=\"8\" width=\"400\" height=\"20\" "
               "rx=\"4\"></rect><rect class=\"bar\" x=\"0\" y=\"8\" width=\"%.1f\" height=\"20\" "
               "rx=\"4\"></rect></svg><figcaption class=\"chart-figure\"><strong>%.1f%%</strong>"
               " %ld / %ld ",
               pct, w, pct, part, whole);
    buf_html(o, unit);
    buf_puts(o, "</figcaption></figure>\n");
}

static err_code page_stations(req *r)
{
    int64_t me = r->me->account_id;
    const char *kind = req_query(r, "kind"), *place = req_query(r, "place");
    const char *c = req_query(r, "cursor");
    const char *kind_id = kind && *kind ? station_kind_parse(kind) : NULL;
    page_begin(r, "党群服务阵地");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" "
                "action=\"/stations\"><label for=\"place\">区划代码</label><input id=\"place\" "
                "name=\"place\" inputmode=\"numeric\" placeholder=\"如 140930100010\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><label for=\"kind\">类型</label><select id=\"kind\" name=\"kind\">");
    kind_options(o, kind_id, true);
    buf_puts(o, "</select><button type=\"submit\">查询</button></form>\n");
    if (principal_has_cap(r->me, CAP_PLACES_WRITE)) {
        buf_puts(o, "<p><a class=\"button primary\" href=\"/stations/new");
        if (place && *place) {
            buf_puts(o, "?place=");
            buf_url(o, place);
        }
        buf_puts(o, "\">登记阵地</a></p>\n");
    }
    const char *err = NULL;
    if (kind && *kind && !kind_id) err = "阵地类型无效";
    const char *scope = place && *place ? place : NULL;
    if (!err && !scope) {
        db_rows *t = store_place_tops(r->db, r->a, me, CAP_PLACES_READ);
        if (t && t->nrows) scope = db_get(t, 0, PLC_CODE);
    }
    struct station_summary sum;
    if (!err && scope && svc_station_summary(r->db, r->a, me, scope, &sum) != E_OK)
        err = "区划不存在或不在您的管辖范围内";
    if (err) {
        page_message(r, "error", err);
        err_code e = page_end(r);
        r->status = 400;
        return e;
    }
    if (scope) {
        db_rows *p = store_place_get(r->db, r->a, me, CAP_PLACES_READ, scope);
        buf_puts(o, "<section class=\"card\"><h2>");
        buf_html(o, p ? db_get(p, 0, PLC_NAME) : scope);
        buf_puts(o, " 阵地概况</h2>\n<div class=\"kpi\">");
        kpi(o, sum.centers, "党群服务中心");
        kpi(o, sum.stations, "小区党群服务站");
        kpi(o, sum.standardized, "标准化达标");
        kpi(o, sum.covered, "已覆盖小区");
        kpi(o, sum.compounds, "小区总数");
        if (sum.love_posts) kpi(o, sum.love_posts, "爱心驿站");
        buf_puts(o, "</div>\n");
        bar_figure(o, "标准化达标率（六有一好、2+5功能）", sum.standardized,
                   sum.centers + sum.stations, "个中心和服务站");
        bar_figure(o, "小区覆盖率", sum.covered, sum.compounds, "个小区");
        buf_puts(o, "</section>\n");
    }
    struct station_filter f = {
        .kind = kind_id, .place = place, .after_id = c ? atoll(c) : 0, .limit = STATIONS_PAGE + 1};
    db_rows *s = store_stations_list(r->db, r->a, me, CAP_PLACES_READ, &f);
    int n = s ? (s->nrows > STATIONS_PAGE ? STATIONS_PAGE : s->nrows) : 0;
    stations_table(r, s, n, "没有符合条件的阵地");
    if (s && s->nrows > STATIONS_PAGE) {
        buf_puts(o, "<nav class=\"pager\"><a href=\"/stations?cursor=");
        buf_html(o, db_get(s, n - 1, STC_ID));
        const char *names[] = {"kind", "place"}, *vals[] = {kind_id, place};
        for (int i = 0; i < 2; i++) {
            if (!vals[i] || !*vals[i]) continue;
            buf_printf(o, "&amp;%s=", names[i]);
            buf_url(o, vals[i]);
        }
        buf_puts(o, "\">下一页</a></nav>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/stations", page_stations, CAP_PLACES_READ, R_PAGE, NULL,
      "党群服务阵地：列表、达标与覆盖统计");

/* ---- Forms ------------------------------------------------------------------ */

/* The value of a field: the posted one when re-rendering, else the stored. */
static const char *val(req *r, const db_rows *s, const char *name, int col)
{
    if (r->form) return req_form(r, name);
    return s ? db_get(s, 0, col) : NULL;
}

static bool checked(req *r, const db_rows *s, const char *name, int col, bool dflt)
{
    if (r->form) return req_form(r, name) != NULL;
    return s ? db_get_int(s, 0, col) != 0 : dflt;
}

static void checkbox(buf *o, const char *name, const char *label, bool on)
{
    buf_printf(o, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%s>",
               name, on ? " checked" : "");
    buf_html(o, label);
    buf_puts(o, "</label>\n");
}

static void text_input(buf *o, const char *name, const char *label, const char *v,
                       const char *attrs)
{
    buf_printf(o, "<label for=\"%s\">", name);
    buf_html(o, label);
    buf_printf(o, "</label><input id=\"%s\" name=\"%s\" %s value=\"", name, name, attrs);
    buf_html(o, v);
    buf_puts(o, "\">\n");
}

static bool in_list(const char *const *v, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

/* Create (s NULL, sitting in `place`) or edit station s. */
static void station_form(req *r, const db_rows *s, const char *place)
{
    buf *o = &r->out;
    int64_t me = r->me->account_id;
    buf_puts(o, "<form method=\"post\" action=\"/stations");
    if (s) {
        buf_puts(o, "/");
        buf_html(o, db_get(s, 0, STC_ID));
    }
    buf_puts(o, "\">");
    page_csrf_field(r);
    const char *kind = val(r, s, "kind", STC_KIND);
    buf_puts(o, "<label for=\"kind\">类型</label><select id=\"kind\" name=\"kind\">");
    kind_options(o, kind ? station_kind_parse(kind) : "station", false);
    buf_puts(o, "</select>\n");
    text_input(o, "name", "名称", val(r, s, "name", STC_NAME), "required maxlength=\"100\"");
    const char *home = r->form ? req_form(r, "place_code") : s ? db_get(s, 0, STC_PLACE) : place;
    text_input(o, "place_code", "所在社区或小区（代码）", home, "inputmode=\"numeric\" required");
    text_input(o, "address", "地址", val(r, s, "address", STC_ADDRESS), "maxlength=\"200\"");
    text_input(o, "area_m2", "使用面积（平方米）", val(r, s, "area_m2", STC_AREA),
               "inputmode=\"numeric\"");
    buf_puts(o, "<label for=\"build_mode\">建设方式（四个一批）</label><select id=\"build_mode\" "
                "name=\"build_mode\"><option value=\"\">未填写</option>");
    const char *mode = val(r, s, "build_mode", STC_MODE);
    for (int i = 0; station_modes[i]; i++) {
        buf_puts(o, "<option value=\"");
        buf_puts(o, station_modes[i]);
        buf_puts(o, mode && !strcmp(mode, station_modes[i]) ? "\" selected>" : "\">");
        buf_html(o, station_mode_zh(station_modes[i]));
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select>\n");
    text_input(o, "funding", "建设经费（元）", val(r, s, "funding", STC_FUNDING),
               "inputmode=\"numeric\"");
    text_input(o, "opened_on", "启用日期", val(r, s, "opened_on", STC_OPENED), "type=\"date\"");
    text_input(o, "hours", "开放时间", val(r, s, "hours", STC_HOURS), "maxlength=\"200\"");
    checkbox(o, "zone_24h", "设有24小时自助区", checked(r, s, "zone_24h", STC_ZONE_24H, false));
    checkbox(o, "zone_8h", "设有8小时值守区", checked(r, s, "zone_8h", STC_ZONE_8H, true));
    text_input(o, "phone", "联系电话", val(r, s, "phone", STC_PHONE), "inputmode=\"tel\"");
    for (int g = 0; g < 3; g++) {
        buf_puts(o, "<fieldset><legend>");
        buf_html(o, station_group_zh[g]);
        buf_puts(o, "</legend>\n");
        for (int i = 0; i < SI__COUNT; i++) {
            if ((int)station_items[i].group != g) continue;
            const char *name = arena_printf(r->a, "item_%s", station_items[i].key);
            checkbox(o, name, station_items[i].zh, checked(r, s, name, STC_ITEMS + i, false));
        }
        buf_puts(o, "</fieldset>\n");
    }
    text_input(o, "extra_modules", "特色功能 N（用顿号或逗号分隔，如 老年食堂、四点半课堂）",
               val(r, s, "extra_modules", STC_EXTRA), "maxlength=\"400\"");

    /* Compounds served: those of the station's community, and what it serves now. */
    int nsel = 0;
    const char **sel = NULL;
    db_rows *cur =
        s ? store_station_places(r->db, r->a, me, CAP_PLACES_READ, db_get_int(s, 0, STC_ID)) : NULL;
    if (r->form)
        sel = req_form_list(r, "places", "places_extra", &nsel);
    else if (cur) {
        sel = arena_alloc(r->a, sizeof *sel * (size_t)(cur->nrows + 1));
        for (int i = 0; i < cur->nrows; i++) sel[nsel++] = db_get(cur, i, 0);
    } else if (home && strlen(home) > 12) {
        sel = arena_alloc(r->a, sizeof *sel);
        sel[nsel++] = home;
    }
    const char *community = home && strlen(home) >= 12 ? arena_strndup(r->a, home, 12) : NULL;
    db_rows *ch = community && store_place_level(r->db, r->a, community)
                      ? store_place_child_names(r->db, r->a, me, CAP_PLACES_READ, community, 300)
                      : NULL;
    buf_puts(o, "<fieldset><legend>服务小区</legend>\n");
    for (int pass = 0; pass < 2; pass++) {
        db_rows *list = pass ? cur : ch;
        for (int i = 0; list && i < list->nrows; i++) {
            const char *code = db_get(list, i, 0);
            if (!pass && strcmp(db_get(list, i, 2), "compound") != 0) continue;
            if (pass) {
                bool listed = false;
                for (int j = 0; ch && j < ch->nrows && !listed; j++)
                    listed = !strcmp(db_get(ch, j, 0), code);
                if (listed) continue;
            }
            buf_puts(o, "<label class=\"check\"><input type=\"checkbox\" name=\"places\" value=\"");
            buf_html(o, code);
            buf_puts(o, in_list(sel, nsel, code) ? "\" checked>" : "\">");
            buf_html(o, db_get(list, i, 1));
            buf_puts(o, "</label>\n");
        }
    }
    text_input(o, "places_extra", "其他小区代码（多个用空格或逗号分隔）",
               r->form ? req_form(r, "places_extra") : NULL, "inputmode=\"numeric\"");
    buf_puts(o, "</fieldset>\n<button type=\"submit\" class=\"primary\">");
    buf_puts(o, s ? "保存" : "登记阵地");
    buf_puts(o, "</button></form>\n");
}

static void input_from_form(req *r, struct station_input *in)
{
    *in = station_input_empty();
    in->kind = req_form(r, "kind");
    in->name = req_form(r, "name");
    in->place_code = req_form(r, "place_code");
    const char **txt[] = {&in->address, &in->build_mode, &in->opened_on, &in->hours,
                          &in->phone,   &in->area_m2,    &in->funding};
    const char *names[] = {"address", "build_mode", "opened_on", "hours",
                           "phone",   "area_m2",    "funding"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = req_form(r, names[i]);
        *txt[i] = v ? v : "";
    }
    in->zone_24h = req_form(r, "zone_24h") != NULL;
    in->zone_8h = req_form(r, "zone_8h") != NULL;
    for (int i = 0; i < SI__COUNT; i++)
        in->items[i] = req_form(r, arena_printf(r->a, "item_%s", station_items[i].key)) != NULL;
    in->set_extra = true;
    in->extra = req_form_list(r, "extra_modules_list", "extra_modules", &in->nextra);
    in->set_places = true;
    in->places = req_form_list(r, "places", "places_extra", &in->nplaces);
}

static err_code new_station_page(req *r, const char *error, int status)
{
    page_begin(r, "登记阵地");
    buf *o = &r->out;
    buf_puts(o,
             "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/stations\">党群阵地</a> › "
             "登记</nav>\n");
    page_message(r, "error", error);
    buf_puts(o, "<section class=\"card\">\n");
    const char *place = req_query(r, "place");
    if (place && !(store_place_level(r->db, r->a, place) &&
                   store_place_in_scope(r->db, r->me->account_id, CAP_PLACES_READ, place)))
        place = NULL;
    station_form(r, NULL, place);
    buf_puts(o, "</section>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_station_new(req *r)
{
    return new_station_page(r, NULL, 200);
}
ROUTE("GET", "/stations/new", page_station_new, CAP_PLACES_WRITE, R_PAGE, NULL, "登记党群服务阵地");

static err_code page_station_create(req *r)
{
    struct station_input in;
    input_from_form(r, &in);
    struct svc_result res = svc_station_create(r->db, r->a, r->me, &in);
    if (!res.err) return http_redirect(r, arena_printf(r->a, "/stations/%lld", (long long)res.id));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    return new_station_page(r, res.message ? res.message : err_message_zh(res.err),
                            err_http_status(res.err));
}
ROUTE("POST", "/stations", page_station_create, CAP_PLACES_WRITE, R_PAGE, NULL, "登记党群服务阵地");

/* ---- One station ------------------------------------------------------------ */

static void field_row(buf *o, const char *label, const char *v)
{
    buf_puts(o, "<dt>");
    buf_html(o, label);
    buf_puts(o, "</dt><dd>");
    buf_html(o, v && *v ? v : "—");
    buf_puts(o, "</dd>\n");
}

static err_code station_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    int64_t me = r->me->account_id;
    db_rows *s = store_station_get(r->db, r->a, me, CAP_PLACES_READ, id);
    if (!s) return E_NOT_FOUND;
    const char *name = db_get(s, 0, STC_NAME);
    page_begin(r, name);
    buf *o = &r->out;
    buf_puts(
        o, "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/stations\">党群阵地</a> › ");
    buf_html(o, name);
    buf_puts(o, "</nav>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    int items[SI__COUNT];
    station_items_of(s, 0, items);
    bool std = station_standardized(items);
    buf_puts(o, "<section class=\"card\"><p>");
    buf_html(o, station_kind_zh(db_get(s, 0, STC_KIND)));
    buf_puts(o, std ? " <span class=\"tag\">标准化达标</span>"
                    : " <span class=\"badge\">未达标</span>");
    buf_puts(o, "</p>\n<dl>\n<dt>所在区划</dt><dd><a href=\"/places/");
    buf_url(o, db_get(s, 0, STC_PLACE));
    buf_puts(o, "\">");
    buf_html(o, db_get(s, 0, STC_PLACE_NAME));
    buf_puts(o, "</a></dd>\n");
    field_row(o, "地址", db_get(s, 0, STC_ADDRESS));
    field_row(o, "使用面积（平方米）", db_get(s, 0, STC_AREA));
    field_row(o, "建设方式（四个一批）", station_mode_zh(db_get(s, 0, STC_MODE)));
    field_row(o, "建设经费（元）", db_get(s, 0, STC_FUNDING));
    field_row(o, "启用日期", db_get(s, 0, STC_OPENED));
    field_row(o, "开放时间", db_get(s, 0, STC_HOURS));
    const char *zones =
        db_get_int(s, 0, STC_ZONE_24H)
            ? (db_get_int(s, 0, STC_ZONE_8H) ? "24小时自助区、8小时值守区" : "24小时自助区")
            : (db_get_int(s, 0, STC_ZONE_8H) ? "8小时值守区" : NULL);
    field_row(o, "功能分区", zones);
    field_row(o, "联系电话", db_get(s, 0, STC_PHONE));
    buf_puts(o,
             "</dl></section>\n<section class=\"card\"><h2>标准与功能（六有一好、2+5+N）</h2>\n");
    for (int g = 0; g < 3; g++) {
        int of = 0, met = station_group_met(items, (enum station_group)g, &of);
        buf_puts(o, "<h3>");
        buf_html(o, station_group_zh[g]);
        buf_printf(o, " <span class=\"muted\">%d/%d</span></h3>\n<ul class=\"plain\">", met, of);
        for (int i = 0; i < SI__COUNT; i++) {
            if ((int)station_items[i].group != g) continue;
            buf_puts(o, items[i] ? "<li>✓ " : "<li class=\"error\">✗ ");
            buf_html(o, station_items[i].zh);
            buf_puts(o, "</li>");
        }
        buf_puts(o, "</ul>\n");
    }
    buf_puts(o, "<h3>特色功能（N）</h3>\n<p>");
    buf_html(o, db_get(s, 0, STC_EXTRA) ? db_get(s, 0, STC_EXTRA) : "无");
    buf_puts(o, "</p></section>\n<section class=\"card\"><h2>服务小区</h2>\n");
    db_rows *p = store_station_places(r->db, r->a, me, CAP_PLACES_READ, id);
    if (!p || !p->nrows)
        buf_puts(o, "<p class=\"muted\">未登记服务小区</p>\n");
    else {
        buf_puts(o, "<ul class=\"plain\">");
        for (int i = 0; i < p->nrows; i++) {
            buf_puts(o, "<li><a href=\"/places/");
            buf_url(o, db_get(p, i, 0));
            buf_puts(o, "\">");
            buf_html(o, db_get(p, i, 1));
            buf_puts(o, "</a></li>");
        }
        buf_puts(o, "</ul>\n");
    }
    buf_puts(o, "</section>\n");
    if (principal_has_cap(r->me, CAP_PLACES_WRITE) &&
        store_place_in_scope(r->db, me, CAP_PLACES_WRITE, db_get(s, 0, STC_PLACE))) {
        buf_puts(o, "<section class=\"card\"><h2>修改阵地</h2>\n");
        station_form(r, s, NULL);
        buf_puts(o, "</section>\n");
    }
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_station(req *r)
{
    int64_t id = req_id(r, "id");
    const char *saved = req_query(r, "saved");
    return station_page(r, id, NULL, saved && *saved == '1' ? "已保存" : NULL, 200);
}
ROUTE("GET", "/stations/{id}", page_station, CAP_PLACES_READ, R_PAGE, "station",
      "阵地详情：六有一好清单、2+5+N功能、服务小区");

static err_code page_station_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct station_input in;
    input_from_form(r, &in);
    struct svc_result res = svc_station_update(r->db, r->a, r->me, id, &in);
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err)
        return http_redirect(r, arena_printf(r->a, "/stations/%lld?saved=1", (long long)id));
    return station_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                        err_http_status(res.err));
}
ROUTE("POST", "/stations/{id}", page_station_update, CAP_PLACES_WRITE, R_PAGE, "station",
      "修改党群服务阵地");
