/* 事项分类 and 责任清单 pages: /categories (the tree with its limits, tier,
 * skill and whistle, effective at ?place=; ?edit=CODE shows the form to change
 * a category, or with a place its override for that subtree) and
 * /responsibilities (the list with filters and the form to add an entry).
 * Reads need places.read; writes go through svc_categories.c. */
#include <stdlib.h>
#include <string.h>

#include "core/category_seed.h"
#include "core/roles.h"
#include "pages/layout.h"
#include "service/svc_categories.h"
#include "store/store_categories.h"

static void options(buf *o, const struct category_term *t, int n, const char *sel, const char *none)
{
    if (none) {
        buf_puts(o, "<option value=\"\">");
        buf_html(o, none);
        buf_puts(o, "</option>");
    }
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<option value=\"");
        buf_html(o, t[i].id);
        buf_puts(o, sel && !strcmp(sel, t[i].id) ? "\" selected>" : "\">");
        buf_html(o, t[i].zh);
        buf_puts(o, "</option>");
    }
}

static void edit_form(req *r, const struct category_eff *c, const char *place)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card narrow\"><h2>修改分类：");
    buf_html(o, c->name);
    buf_puts(o, "</h2>");
    if (place && *place) {
        buf_puts(o, "<p class=\"muted\">为区划 ");
        buf_html(o, place);
        buf_puts(o, " 及其下级设置（留空的时限沿用上级设置）</p>");
    }
    buf_puts(o, "<form method=\"post\" action=\"/categories/");
    buf_url(o, c->code);
    buf_puts(o, "\">");
    page_csrf_field(r);
    buf_puts(o, "<input type=\"hidden\" name=\"place\" value=\"");
    buf_html(o, place);
    buf_printf(o,
               "\"><label for=\"response_minutes\">响应时限（分钟）</label><input "
               "id=\"response_minutes\" name=\"response_minutes\" type=\"number\" min=\"1\" "
               "value=\"%ld\"><label for=\"resolution_minutes\">办结时限（分钟）</label><input "
               "id=\"resolution_minutes\" name=\"resolution_minutes\" type=\"number\" min=\"1\" "
               "value=\"%ld\">",
               c->response_minutes, c->resolution_minutes);
    buf_puts(o, "<label for=\"tier\">处置层级</label><select id=\"tier\" name=\"tier\">");
    options(o, category_tiers, category_tiers_count, c->tier, NULL);
    buf_puts(o, "</select><label for=\"skill\">专业属性</label><input id=\"skill\" name=\"skill\" "
                "placeholder=\"如 水电维修，留空为无\" value=\"");
    buf_html(o, c->skill);
    buf_puts(o,
             "\"><label for=\"whistle\">吹哨类型</label><select id=\"whistle\" name=\"whistle\">");
    options(o, category_whistles, category_whistles_count, c->whistle, "不吹哨");
    buf_printf(o,
               "</select><label><input type=\"checkbox\" name=\"working_hours\" value=\"1\"%s> "
               "按工作时间计时</label><label><input type=\"checkbox\" name=\"active\" "
               "value=\"1\"%s> 启用</label><input type=\"hidden\" name=\"flags\" value=\"1\">"
               "<button class=\"primary\" type=\"submit\">保存</button></form></section>\n",
               c->working_hours ? " checked" : "", c->active ? " checked" : "");
}

static err_code categories_page(req *r, const char *place, const char *edit, const char *error,
                                int status)
{
    int64_t me = r->me->account_id;
    struct category_eff *all;
    int n;
    err_code e = svc_categories_tree(r->db, r->a, me, place, &all, &n);
    if (e) return e;
    page_begin(r, "事项分类");
    buf *o = &r->out;
    page_message(r, "error", error);
    if (req_query(r, "saved")) page_message(r, "muted", "已保存");
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/categories\"><label "
                "for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" placeholder=\"查看该区划的实际时限\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><button type=\"submit\">查看</button></form>\n");
    bool can_write = principal_has_cap(r->me, CAP_ORGS_WRITE);
    if (edit && can_write) {
        for (int i = 0; i < n; i++)
            if (!strcmp(all[i].code, edit)) edit_form(r, &all[i], place);
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>分类</th>"
                "<th>代码</th><th>时限</th><th>处置层级</th><th>专业属性</th><th>吹哨</th>"
                "<th>状态</th>");
    if (can_write) buf_puts(o, "<th></th>");
    buf_puts(o, "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const struct category_eff *c = &all[i];
        char limits[96];
        buf_puts(o, "<tr><td>");
        for (int k = 0; k < c->depth; k++) buf_puts(o, "　");
        if (c->depth) buf_puts(o, "› ");
        buf_html(o, c->name);
        if (c->place_name) {
            buf_puts(o, " <span class=\"tag\">");
            buf_html(o, c->place_name);
            buf_puts(o, "</span>");
        }
        buf_puts(o, "</td><td>");
        buf_html(o, c->code);
        buf_puts(o, "</td><td>");
        buf_html(o, category_limits_zh(c->response_minutes, c->resolution_minutes, c->working_hours,
                                       limits, sizeof limits));
        if (c->override_place) buf_puts(o, " <span class=\"badge\">本地设置</span>");
        buf_puts(o, "</td><td>");
        buf_html(o, category_term_zh(category_tiers, category_tiers_count, c->tier));
        buf_puts(o, "</td><td>");
        buf_html(o, c->skill ? c->skill : "—");
        buf_puts(o, "</td><td>");
        buf_html(o, c->whistle
                        ? category_term_zh(category_whistles, category_whistles_count, c->whistle)
                        : "—");
        buf_puts(o, c->active ? "</td><td>启用</td>" : "</td><td class=\"muted\">停用</td>");
        if (can_write) {
            buf_puts(o, "<td><a href=\"/categories?edit=");
            buf_url(o, c->code);
            if (place && *place) {
                buf_puts(o, "&amp;place=");
                buf_url(o, place);
            }
            buf_puts(o, "\">修改</a></td>");
        }
        buf_puts(o, "</tr>\n");
    }
    if (n == 0) buf_puts(o, "<tr><td colspan=\"7\" class=\"muted\">尚无事项分类</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n<p><a href=\"/responsibilities\">责任清单</a></p>\n");
    err_code done = page_end(r);
    r->status = status;
    return done;
}

static err_code page_categories(req *r)
{
    const char *place = req_query(r, "place");
    err_code e =
        categories_page(r, place && *place ? place : NULL, req_query(r, "edit"), NULL, 200);
    return e;
}
ROUTE("GET", "/categories", page_categories, CAP_PLACES_READ, R_PAGE, NULL, "事项分类");

static long form_minutes(req *r, const char *name)
{
    const char *v = req_form(r, name);
    if (!v || !*v) return CAT_CLEAR;
    char *end;
    long n = strtol(v, &end, 10);
    return *end || n < -1000000000L || n > 1000000000L ? 0 : n;
}

static err_code page_category_update(req *r)
{
    const char *code = req_param(r, "code"), *place = req_form(r, "place");
    struct category_eff c;
    if (svc_category_get(r->db, r->a, r->me->account_id, code, NULL, &c)) return E_NOT_FOUND;
    struct category_input in = category_input_empty();
    bool local = place && *place;
    in.response_minutes = form_minutes(r, "response_minutes");
    in.resolution_minutes = form_minutes(r, "resolution_minutes");
    if (!local) {
        if (in.response_minutes == CAT_CLEAR) in.response_minutes = CAT_KEEP;
        if (in.resolution_minutes == CAT_CLEAR) in.resolution_minutes = CAT_KEEP;
    }
    in.tier = req_form(r, "tier");
    in.skill = req_form(r, "skill");
    in.whistle = req_form(r, "whistle");
    if (req_form(r, "flags")) {
        in.working_hours = req_form(r, "working_hours") != NULL;
        in.active = req_form(r, "active") != NULL;
    }
    struct svc_result res = local ? svc_category_override(r->db, r->a, r->me, code, place, &in)
                                  : svc_category_update(r->db, r->a, r->me, code, &in);
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err) {
        if (local)
            return http_redirect(r, arena_printf(r->a, "/categories?saved=1&place=%s", place));
        return http_redirect(r, "/categories?saved=1");
    }
    return categories_page(r, local && res.field && !strcmp(res.field, "place") ? NULL : place,
                           code, res.message ? res.message : err_message_zh(res.err),
                           err_http_status(res.err));
}
ROUTE("POST", "/categories/{code}", page_category_update, CAP_ORGS_WRITE, R_PAGE, "category",
      "修改事项分类或区划设置");

/* ------------------------------------------------------------------ 责任清单 */

static err_code resp_page(req *r, const char *error, int status)
{
    int64_t me = r->me->account_id;
    const char *cat = req_query(r, "category"), *place = req_query(r, "place");
    if (cat && !*cat) cat = NULL;
    if (place && !*place) place = NULL;
    struct category_eff *all;
    int n;
    err_code e = svc_categories_tree(r->db, r->a, me, place, &all, &n);
    if (e) return e;
    db_rows *g;
    if (cat && place) {
        const char *used;
        e = svc_responsibility_lookup(r->db, r->a, me, cat, place, &g, &used);
        if (e) return e;
    } else {
        struct resp_filter f = {.category = cat, .place = place, .limit = 500};
        g = store_responsibilities_list(r->db, r->a, me, CAP_PLACES_READ, &f);
        if (!g) return E_INTERNAL;
    }
    page_begin(r, "责任清单");
    buf *o = &r->out;
    buf_puts(o, "<p "
                "class=\"muted\">网格事项清单、部门权责清单：某类事项在某区划由哪些单位主责、配合。"
                "同时选择分类和区划时，显示最具体区划的责任单位。</p>\n");
    page_message(r, "error", error);
    if (req_query(r, "saved")) page_message(r, "muted", "已保存");
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/responsibilities\"><label "
                "for=\"category\">事项分类</label><select id=\"category\" name=\"category\">"
                "<option value=\"\">全部分类</option>");
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<option value=\"");
        buf_html(o, all[i].code);
        buf_puts(o, cat && !strcmp(cat, all[i].code) ? "\" selected>" : "\">");
        for (int k = 0; k < all[i].depth; k++) buf_puts(o, "　");
        buf_html(o, all[i].name);
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select><label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><button type=\"submit\">查询</button></form>\n");
    buf_puts(o,
             "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>事项分类</th>"
             "<th>适用区划</th><th>责任单位</th><th>责任</th><th>备注</th></tr></thead><tbody>\n");
    for (int i = 0; i < g->nrows; i++) {
        buf_puts(o, "<tr><td>");
        buf_html(o, db_get(g, i, RC_CATEGORY_NAME));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(g, i, RC_PLACE_NAME) ? db_get(g, i, RC_PLACE_NAME) : "全域");
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(g, i, RC_ORG_NAME));
        buf_puts(o, "</td><td><span class=\"tag\">");
        buf_html(o, category_term_zh(category_resp_roles, category_resp_roles_count,
                                     db_get(g, i, RC_ROLE)));
        buf_puts(o, "</span></td><td>");
        buf_html(o, db_get(g, i, RC_NOTE));
        buf_puts(o, "</td></tr>\n");
    }
    if (g->nrows == 0) buf_puts(o, "<tr><td colspan=\"5\" class=\"muted\">没有条目</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
    if (principal_has_cap(r->me, CAP_ORGS_WRITE)) {
        buf_puts(o, "<section class=\"card narrow\"><h2>新增条目</h2><form method=\"post\" "
                    "action=\"/responsibilities\">");
        page_csrf_field(r);
        buf_puts(o, "<label for=\"category_code\">事项分类</label><select id=\"category_code\" "
                    "name=\"category_code\">");
        for (int i = 0; i < n; i++) {
            buf_puts(o, "<option value=\"");
            buf_html(o, all[i].code);
            buf_puts(o, cat && !strcmp(cat, all[i].code) ? "\" selected>" : "\">");
            buf_html(o, all[i].name);
            buf_puts(o, "</option>");
        }
        buf_puts(o, "</select><label for=\"place_code\">适用区划代码</label><input "
                    "id=\"place_code\" name=\"place_code\" inputmode=\"numeric\" value=\"");
        buf_html(o, place);
        buf_puts(o, "\"><label for=\"org_id\">责任单位编号</label><input id=\"org_id\" "
                    "name=\"org_id\" type=\"number\" min=\"1\" required><label for=\"role\">责任"
                    "</label><select id=\"role\" name=\"role\">");
        options(o, category_resp_roles, category_resp_roles_count, "lead", NULL);
        buf_puts(o, "</select><label for=\"note\">备注</label><input id=\"note\" name=\"note\">"
                    "<button class=\"primary\" type=\"submit\">新增</button></form></section>\n");
    }
    err_code done = page_end(r);
    r->status = status;
    return done;
}

static err_code page_responsibilities(req *r)
{
    return resp_page(r, NULL, 200);
}
ROUTE("GET", "/responsibilities", page_responsibilities, CAP_PLACES_READ, R_PAGE, NULL, "责任清单");

static err_code page_resp_add(req *r)
{
    const char *org = req_form(r, "org_id");
    int64_t org_id = org ? atoll(org) : 0;
    struct svc_result res = svc_responsibility_add(r->db, r->a, r->me, req_form(r, "category_code"),
                                                   req_form(r, "place_code"), org_id,
                                                   req_form(r, "role"), req_form(r, "note"));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err) return http_redirect(r, "/responsibilities?saved=1");
    return resp_page(r, res.message ? res.message : err_message_zh(res.err),
                     err_http_status(res.err));
}
ROUTE("POST", "/responsibilities", page_resp_add, CAP_ORGS_WRITE, R_PAGE, NULL, "新增责任清单条目");
