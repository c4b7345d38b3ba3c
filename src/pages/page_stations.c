/* 党群阵地: /stations (the registry with filters by place and kind, the counts
 * — centers, stations, standardized, compounds covered — drawn as SVG bars),
 * /stations/new, and /stations/{id} (the 六有一好 checklist ✓/✗, the 2+5+N
 * modules, the compounds served) with the form to edit it. Reads are scoped in
 * the store; writes go through svc_stations.c, their input through the
 * binders of http/bind_orgs.c; what the list and the form share with the
 * organisation pages is in page_registry.c. */
#include "pages/page_stations.h"

#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/station_rule.h"
#include "http/bind.h"
#include "http/bind_orgs.h"
#include "pages/layout.h"
#include "pages/page_registry.h"
#include "pages/ui.h"
#include "service/svc_stations.h"
#include "store/store_accounts.h"
#include "store/store_places.h"
#include "store/store_stations.h"

#define STATIONS_PAGE 50

static const char *const (*kind_options(req *r, const char *any))[2]
{
    int n = 0;
    while (station_kinds[n]) n++;
    const char **zh = arena_alloc(r->a, sizeof *zh * (size_t)(n + 1));
    for (int i = 0; i < n; i++) zh[i] = station_kind_zh(station_kinds[i]);
    return registry_options(r->a, station_kinds, zh, n, any);
}

/* A table of stations. */
static void stations_table(req *r, const struct station_view *s, int n, const char *empty)
{
    buf *o = &r->out;
    if (n <= 0) {
        buf_hprintf(o, "<p class=\"muted\">%s</p>\n", empty);
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名称</th>"
                "<th>类型</th><th>所在区划</th><th class=\"num\">面积（㎡）</th>"
                "<th class=\"num\">服务小区</th><th>标准化</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const struct station_row *st = &s[i].row;
        buf_hprintf(o,
                    "<tr><td><a href=\"/stations/%lld\">%s</a></td><td>%s</td><td>%s</td>"
                    "<td class=\"num\">",
                    (long long)s[i].id, st->name, station_kind_zh(st->kind), s[i].place_name);
        if (st->area_m2 < 0)
            buf_puts(o, "—");
        else
            buf_printf(o, "%lld", (long long)st->area_m2);
        buf_printf(o, "</td><td class=\"num\">%ld</td><td>", s[i].n_places);
        buf_puts(o, station_standardized(st->items) ? "<span class=\"tag\">达标</span>"
                                                    : "<span class=\"badge\">未达标</span>");
        buf_puts(o, "</td></tr>\n");
    }
    buf_puts(o, "</tbody></table></div>\n");
}

void page_place_stations(req *r, const char *code)
{
    if (!store_place_in_scope(r->db, r->me->account_id, CAP_PLACES_READ, code)) return;
    struct station_filter f = {.place = code, .limit = 21};
    struct station_view *s;
    int n = store_stations_find(r->db, r->a, r->me->account_id, CAP_PLACES_READ, &f, &s);
    buf *o = &r->out;
    buf_puts(o, "<h2>党群服务阵地</h2>\n");
    stations_table(r, s, n > 20 ? 20 : n, "尚未登记党群服务阵地");
    buf_puts(o, "<p><a href=\"/stations?place=");
    buf_url(o, code);
    buf_puts(o, "\">全部阵地与覆盖统计</a></p>\n");
}

/* One bar: share of the whole, with the figure beside it. */
static void bar_figure(buf *o, const char *label, long part, long whole, const char *unit)
{
    double pct = whole > 0 ? 100.0 * (double)part / (double)whole : 0;
    double w = pct > 100 ? 400 : pct * 4;
    buf_hprintf(o,
                "<figure class=\"chart\"><h3>%s</h3><svg viewBox=\"0 0 400 36\" width=\"400\" "
                "height=\"36\" role=\"img\" aria-label=\"%s %.1f%%\"><rect class=\"bar-alt\" "
                "x=\"0\" y=\"8\" width=\"400\" height=\"20\" rx=\"4\"></rect><rect class=\"bar\" "
                "x=\"0\" y=\"8\" width=\"%.1f\" height=\"20\" rx=\"4\"></rect></svg><figcaption "
                "class=\"chart-figure\"><strong>%.1f%%</strong> %ld / %ld %s</figcaption>"
                "</figure>\n",
                label, label, pct, w, pct, part, whole, unit);
}

/* The counts under scope: a KPI strip and two bars. */
static void summary_card(req *r, const char *scope, const struct station_summary *sum)
{
    buf *o = &r->out;
    struct served_place p;
    bool seen = store_registry_place(r->db, r->a, r->me->account_id, CAP_PLACES_READ, scope, &p);
    buf_hprintf(o, "<section class=\"card\"><h2>%s 阵地概况</h2>\n<div class=\"kpi\">",
                seen ? p.name : scope);
    ui_kpi_n(o, sum->centers, "党群服务中心");
    ui_kpi_n(o, sum->stations, "小区党群服务站");
    ui_kpi_n(o, sum->standardized, "标准化达标");
    ui_kpi_n(o, sum->covered, "已覆盖小区");
    ui_kpi_n(o, sum->compounds, "小区总数");
    if (sum->love_posts) ui_kpi_n(o, sum->love_posts, "爱心驿站");
    buf_puts(o, "</div>\n");
    bar_figure(o, "标准化达标率（六有一好、2+5功能）", sum->standardized,
               sum->centers + sum->stations, "个中心和服务站");
    bar_figure(o, "小区覆盖率", sum->covered, sum->compounds, "个小区");
    buf_puts(o, "</section>\n");
}

static err_code page_stations(req *r)
{
    int64_t me = r->me->account_id;
    const char *kind = req_query(r, "kind"), *place = req_query(r, "place");
    const char *c = req_query(r, "cursor");
    const char *kind_id = kind && *kind ? station_kind_parse(kind) : NULL;
    page_begin(r, "党群服务阵地");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/stations\">");
    ui_input(o, "place", "区划代码", place,
             "inputmode=\"numeric\" placeholder=\"如 140930100010\"");
    ui_select(o, "kind", "类型", kind_options(r, "全部类型"), kind_id ? kind_id : "");
    buf_puts(o, "<button type=\"submit\">查询</button></form>\n");
    registry_new_button(r, "/stations", "登记阵地", CAP_PLACES_WRITE, place);
    if (kind && *kind && !kind_id) return registry_refuse(r, "阵地类型无效");
    const char *scope = place && *place ? place : NULL;
    if (!scope) scope = store_registry_top_place(r->db, r->a, me, CAP_PLACES_READ);
    struct station_summary sum;
    if (scope && svc_station_summary(r->db, r->a, me, scope, &sum) != E_OK)
        return registry_refuse(r, "区划不存在或不在您的管辖范围内");
    if (scope) summary_card(r, scope, &sum);
    struct station_filter f = {
        .kind = kind_id, .place = place, .after_id = c ? atoll(c) : 0, .limit = STATIONS_PAGE + 1};
    struct station_view *s;
    int n = store_stations_find(r->db, r->a, me, CAP_PLACES_READ, &f, &s);
    int shown = n > STATIONS_PAGE ? STATIONS_PAGE : n;
    stations_table(r, s, shown, "没有符合条件的阵地");
    if (n > STATIONS_PAGE) {
        const char *names[] = {"kind", "place"}, *vals[] = {kind_id, place};
        registry_pager(r, "/stations", s[shown - 1].id, names, vals, 2);
    }
    return page_end(r);
}
ROUTE("GET", "/stations", page_stations, CAP_PLACES_READ, R_PAGE, NULL,
      "党群服务阵地：列表、达标与覆盖统计");

/* ---- Forms ------------------------------------------------------------------ */

/* A checkbox with the `name`_set marker, so that unchecking is given. */
static void checkbox(req *r, const char *name, const char *label, bool stored, bool marker)
{
    bool on = r->form ? req_form(r, name) != NULL : stored;
    buf_hprintf(&r->out,
                "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%s>%s"
                "</label>\n",
                name, on ? " checked" : "", label);
    if (marker) buf_hprintf(&r->out, "<input type=\"hidden\" name=\"%s_set\" value=\"1\">", name);
}

static const char *number_text(req *r, int64_t v)
{
    return v < 0 ? NULL : arena_printf(r->a, "%lld", (long long)v);
}

/* The facts: address, area, how it was built, funding, hours, zones, phone. */
static void station_facts(req *r, const struct station_row *s)
{
    buf *o = &r->out;
    ui_input(o, "address", "地址", ui_value(r, "address", s ? s->address : NULL),
             "maxlength=\"200\"");
    ui_input(o, "area_m2", "使用面积（平方米）",
             ui_value(r, "area_m2", s ? number_text(r, s->area_m2) : NULL),
             "inputmode=\"numeric\"");
    int n = 0;
    while (station_modes[n]) n++;
    const char **zh = arena_alloc(r->a, sizeof *zh * (size_t)(n + 1));
    for (int i = 0; i < n; i++) zh[i] = station_mode_zh(station_modes[i]);
    const char *mode = ui_value(r, "build_mode", s ? s->build_mode : NULL);
    ui_select(o, "build_mode", "建设方式（四个一批）",
              registry_options(r->a, station_modes, zh, n, "未填写"), mode ? mode : "");
    ui_input(o, "funding", "建设经费（元）",
             ui_value(r, "funding", s ? number_text(r, s->funding) : NULL),
             "inputmode=\"numeric\"");
    ui_input(o, "opened_on", "启用日期", ui_value(r, "opened_on", s ? s->opened_on : NULL),
             "type=\"date\"");
    ui_input(o, "hours", "开放时间", ui_value(r, "hours", s ? s->hours : NULL),
             "maxlength=\"200\"");
    checkbox(r, "zone_24h", "设有24小时自助区", s ? s->zone_24h : false, true);
    checkbox(r, "zone_8h", "设有8小时值守区", s ? s->zone_8h : true, true);
    ui_input(o, "phone", "联系电话", ui_value(r, "phone", s ? s->phone : NULL),
             "inputmode=\"tel\"");
}

/* The checklist in its three groups, and the N modules. */
static void station_items_fields(req *r, const struct station_row *s)
{
    buf *o = &r->out;
    for (int g = 0; g < 3; g++) {
        buf_hprintf(o, "<fieldset><legend>%s</legend>\n", station_group_zh[g]);
        for (int i = 0; i < SI__COUNT; i++) {
            if ((int)station_items[i].group != g) continue;
            const char *name = arena_printf(r->a, "item_%s", station_items[i].key);
            checkbox(r, name, station_items[i].zh, s ? s->items[i] : false, false);
        }
        buf_puts(o, "</fieldset>\n");
    }
    buf_puts(o, "<input type=\"hidden\" name=\"items_set\" value=\"1\">");
    ui_input(o, "extra_modules_extra", "特色功能 N（用顿号或逗号分隔，如 老年食堂、四点半课堂）",
             ui_value(r, "extra_modules_extra", s ? s->extra_modules : NULL), "maxlength=\"400\"");
    buf_puts(o, "<input type=\"hidden\" name=\"extra_modules_set\" value=\"1\">");
}

/* Compounds served: those of the station's community, and what it serves now. */
static void station_places(req *r, const struct station_view *v, const char *home)
{
    int64_t me = r->me->account_id;
    struct served_place *cur = NULL, *ch = NULL;
    int ncur = v ? store_station_served(r->db, r->a, me, CAP_PLACES_READ, v->id, &cur) : 0;
    const char *community = home && strlen(home) >= 12 ? arena_strndup(r->a, home, 12) : NULL;
    int nch =
        community && store_place_level(r->db, r->a, community)
            ? store_served_places_of(
                  r->a, store_place_child_names(r->db, r->a, me, CAP_PLACES_READ, community, 300),
                  &ch)
            : 0;
    struct registry_places f = {.legend = "服务小区",
                                .extra_label = "其他小区代码（多个用空格或逗号分隔）",
                                .level = "compound",
                                .dflt = !v && home && strlen(home) > 12 ? home : NULL};
    registry_places_fieldset(r, &f, ch, nch, cur, ncur);
}

/* Create (v NULL, sitting in `place`) or edit station v. */
static void station_form(req *r, const struct station_view *v, const char *place)
{
    buf *o = &r->out;
    const struct station_row *s = v ? &v->row : NULL;
    registry_form_open(r, "/stations", v ? v->id : 0);
    const char *kind = ui_value(r, "kind", s ? s->kind : NULL);
    ui_select(o, "kind", "类型", kind_options(r, NULL),
              kind ? station_kind_parse(kind) : "station");
    ui_input(o, "name", "名称", ui_value(r, "name", s ? s->name : NULL),
             "required maxlength=\"100\"");
    const char *home = ui_value(r, "place_code", s ? s->place_code : place);
    ui_input(o, "place_code", "所在社区或小区（代码）", home, "inputmode=\"numeric\" required");
    station_facts(r, s);
    station_items_fields(r, s);
    station_places(r, v, home);
    registry_form_close(r, v ? "保存" : "登记阵地");
}

static void new_station_form(req *r, const char *place)
{
    station_form(r, NULL, place);
}

static const struct registry_new new_station = {.title = "登记阵地",
                                                .list_path = "/stations",
                                                .list_label = "党群阵地",
                                                .crumb = "登记",
                                                .cap = CAP_PLACES_READ,
                                                .form = new_station_form};

static err_code page_station_new(req *r)
{
    return registry_new_page(r, &new_station, NULL, 200);
}
ROUTE("GET", "/stations/new", page_station_new, CAP_PLACES_WRITE, R_PAGE, NULL, "登记党群服务阵地");

static err_code page_station_create(req *r)
{
    struct station_input in;
    err_code e = bind_station(r, true, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_station_create(r->db, r->a, r->me, &in);
    const char *message;
    int status;
    e = registry_written(r, res, arena_printf(r->a, "/stations/%lld", (long long)res.id), &message,
                         &status);
    return message ? registry_new_page(r, &new_station, message, status) : e;
}
ROUTE("POST", "/stations", page_station_create, CAP_PLACES_WRITE, R_PAGE, NULL, "登记党群服务阵地");

/* ---- One station ------------------------------------------------------------ */

static void station_facts_card(req *r, const struct station_view *v)
{
    buf *o = &r->out;
    const struct station_row *s = &v->row;
    buf_hprintf(o, "<section class=\"card\"><p>%s", station_kind_zh(s->kind));
    buf_puts(o, station_standardized(s->items) ? " <span class=\"tag\">标准化达标</span>"
                                               : " <span class=\"badge\">未达标</span>");
    buf_puts(o, "</p>\n<dl>\n<dt>所在区划</dt><dd><a href=\"/places/");
    buf_url(o, s->place_code);
    buf_hprintf(o, "\">%s</a></dd>\n", v->place_name);
    ui_row(o, "地址", s->address);
    ui_row(o, "使用面积（平方米）", number_text(r, s->area_m2));
    ui_row(o, "建设方式（四个一批）", station_mode_zh(s->build_mode));
    ui_row(o, "建设经费（元）", number_text(r, s->funding));
    ui_row(o, "启用日期", s->opened_on);
    ui_row(o, "开放时间", s->hours);
    ui_row(o, "功能分区",
           s->zone_24h ? (s->zone_8h ? "24小时自助区、8小时值守区" : "24小时自助区")
                       : (s->zone_8h ? "8小时值守区" : NULL));
    ui_row(o, "联系电话", s->phone);
    buf_puts(o, "</dl></section>\n");
}

static void checklist_card(req *r, const struct station_row *s)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>标准与功能（六有一好、2+5+N）</h2>\n");
    for (int g = 0; g < 3; g++) {
        int of = 0, met = station_group_met(s->items, (enum station_group)g, &of);
        buf_hprintf(o, "<h3>%s <span class=\"muted\">%d/%d</span></h3>\n<ul class=\"plain\">",
                    station_group_zh[g], met, of);
        for (int i = 0; i < SI__COUNT; i++) {
            if ((int)station_items[i].group != g) continue;
            buf_hprintf(o, "%s%s</li>", s->items[i] ? "<li>✓ " : "<li class=\"error\">✗ ",
                        station_items[i].zh);
        }
        buf_puts(o, "</ul>\n");
    }
    buf_hprintf(o, "<h3>特色功能（N）</h3>\n<p>%s</p></section>\n",
                s->extra_modules ? s->extra_modules : "无");
}

static void served_card(req *r, int64_t id)
{
    buf *o = &r->out;
    struct served_place *p;
    int n = store_station_served(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id, &p);
    buf_puts(o, "<section class=\"card\"><h2>服务小区</h2>\n");
    if (n <= 0)
        buf_puts(o, "<p class=\"muted\">未登记服务小区</p>\n");
    else {
        buf_puts(o, "<ul class=\"plain\">");
        for (int i = 0; i < n; i++) {
            buf_puts(o, "<li><a href=\"/places/");
            buf_url(o, p[i].code);
            buf_hprintf(o, "\">%s</a></li>", p[i].name);
        }
        buf_puts(o, "</ul>\n");
    }
    buf_puts(o, "</section>\n");
}

static err_code station_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    int64_t me = r->me->account_id;
    struct station_view v;
    if (!store_station_read(r->db, r->a, me, CAP_PLACES_READ, id, &v)) return E_NOT_FOUND;
    page_begin(r, v.row.name);
    buf_hprintf(&r->out,
                "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/stations\">党群阵地</a>"
                " › %s</nav>\n",
                v.row.name);
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    station_facts_card(r, &v);
    checklist_card(r, &v.row);
    served_card(r, id);
    if (principal_has_cap(r->me, CAP_PLACES_WRITE) &&
        store_place_in_scope(r->db, me, CAP_PLACES_WRITE, v.row.place_code)) {
        buf_puts(&r->out, "<section class=\"card\"><h2>修改阵地</h2>\n");
        station_form(r, &v, NULL);
        buf_puts(&r->out, "</section>\n");
    }
    return registry_end(r, status);
}

static err_code page_station(req *r)
{
    const char *saved = req_query(r, "saved");
    return station_page(r, req_id(r, "id"), NULL, saved && *saved == '1' ? "已保存" : NULL, 200);
}
ROUTE("GET", "/stations/{id}", page_station, CAP_PLACES_READ, R_PAGE, "station",
      "阵地详情：六有一好清单、2+5+N功能、服务小区");

static err_code page_station_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct station_input in;
    err_code e = bind_station(r, false, &in);
    struct svc_result res =
        e ? bind_refused(r, e) : svc_station_update(r->db, r->a, r->me, id, &in);
    const char *message;
    int status;
    e = registry_written(r, res, arena_printf(r->a, "/stations/%lld?saved=1", (long long)id),
                         &message, &status);
    return message ? station_page(r, id, message, NULL, status) : e;
}
ROUTE("POST", "/stations/{id}", page_station_update, CAP_PLACES_WRITE, R_PAGE, "station",
      "修改党群服务阵地");
