/* 事项分类 and 责任清单 pages: /categories (the tree with its limits, tier,
 * skill and whistle, effective at ?place=; ?edit=CODE shows the form to change
 * a category, or with a place its override for that subtree) and
 * /responsibilities (the list with filters and the form to add an entry).
 * Reads need places.read; writes go through svc_categories.c, their input
 * through the binders of http/bind_categories.c. */
#include <stdlib.h>
#include <string.h>

#include "core/category_seed.h"
#include "core/roles.h"
#include "http/bind.h"
#include "http/bind_categories.h"
#include "pages/layout.h"
#include "pages/page_registry.h"
#include "pages/ui.h"
#include "service/svc_categories.h"
#include "store/store_categories.h"

/* {id, zh} pairs of a term list for ui_select; `none` first as "" when given. */
static const char *const (*term_options(req *r, const struct category_term *t, int n,
                                        const char *none))[2]
{
    const char **ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
    const char **zh = arena_alloc(r->a, sizeof *zh * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        ids[i] = t[i].id;
        zh[i] = t[i].zh;
    }
    return registry_options(r->a, ids, zh, n, none);
}

/* A checkbox with its `name`_set marker, so that unchecking is given. */
static void flag_box(req *r, const char *name, const char *label, bool on)
{
    buf_hprintf(&r->out,
                "<label><input type=\"checkbox\" name=\"%s\" value=\"1\"%s> %s</label>"
                "<input type=\"hidden\" name=\"%s_set\" value=\"1\">",
                name, on ? " checked" : "", label, name);
}

static void edit_form(req *r, const struct category_eff *c, const char *place)
{
    buf *o = &r->out;
    buf_hprintf(o, "<section class=\"card narrow\"><h2>修改分类：%s</h2>", c->name);
    if (place && *place)
        buf_hprintf(o, "<p class=\"muted\">为区划 %s 及其下级设置（留空的时限沿用上级设置）</p>",
                    place);
    buf_puts(o, "<form method=\"post\" action=\"/categories/");
    buf_url(o, c->code);
    buf_puts(o, "\">");
    page_csrf_field(r);
    buf_hprintf(o, "<input type=\"hidden\" name=\"place\" value=\"%s\">", place);
    ui_input(o, "response_minutes", "响应时限（分钟）",
             arena_printf(r->a, "%ld", c->response_minutes), "type=\"number\" min=\"1\"");
    ui_input(o, "resolution_minutes", "办结时限（分钟）",
             arena_printf(r->a, "%ld", c->resolution_minutes), "type=\"number\" min=\"1\"");
    ui_select(o, "tier", "处置层级", term_options(r, category_tiers, category_tiers_count, NULL),
              c->tier);
    ui_input(o, "skill", "专业属性", c->skill, "placeholder=\"如 水电维修，留空为无\"");
    ui_select(o, "whistle", "吹哨类型",
              term_options(r, category_whistles, category_whistles_count, "不吹哨"),
              c->whistle ? c->whistle : "");
    flag_box(r, "working_hours", "按工作时间计时", c->working_hours);
    flag_box(r, "active", "启用", c->active);
    buf_puts(o, "<button class=\"primary\" type=\"submit\">保存</button></form></section>\n");
}

static void category_row(req *r, const struct category_eff *c, const char *place, bool can_write)
{
    buf *o = &r->out;
    char limits[96];
    buf_puts(o, "<tr><td>");
    for (int k = 0; k < c->depth; k++) buf_puts(o, "　");
    if (c->depth) buf_puts(o, "› ");
    buf_html(o, c->name);
    if (c->place_name) buf_hprintf(o, " <span class=\"tag\">%s</span>", c->place_name);
    buf_hprintf(o, "</td><td>%s</td><td>%s", c->code,
                category_limits_zh(c->response_minutes, c->resolution_minutes, c->working_hours,
                                   limits, sizeof limits));
    if (c->override_place) buf_puts(o, " <span class=\"badge\">本地设置</span>");
    buf_hprintf(
        o, "</td><td>%s</td><td>%s</td><td>%s</td>",
        category_term_zh(category_tiers, category_tiers_count, c->tier), c->skill ? c->skill : "—",
        c->whistle ? category_term_zh(category_whistles, category_whistles_count, c->whistle)
                   : "—");
    buf_puts(o, c->active ? "<td>启用</td>" : "<td class=\"muted\">停用</td>");
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

static err_code categories_page(req *r, const char *place, const char *edit, const char *error,
                                int status)
{
    struct category_eff *all;
    int n;
    err_code e = svc_categories_tree(r->db, r->a, r->me->account_id, place, &all, &n);
    if (e) return e;
    page_begin(r, "事项分类");
    buf *o = &r->out;
    page_message(r, "error", error);
    if (req_query(r, "saved")) page_message(r, "muted", "已保存");
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/categories\">");
    ui_input(o, "place", "区划代码", place,
             "inputmode=\"numeric\" placeholder=\"查看该区划的实际时限\"");
    buf_puts(o, "<button type=\"submit\">查看</button></form>\n");
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
    for (int i = 0; i < n; i++) category_row(r, &all[i], place, can_write);
    if (n == 0) buf_puts(o, "<tr><td colspan=\"7\" class=\"muted\">尚无事项分类</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n<p><a href=\"/responsibilities\">责任清单</a></p>\n");
    return registry_end(r, status);
}

static err_code page_categories(req *r)
{
    const char *place = req_query(r, "place");
    return categories_page(r, place && *place ? place : NULL, req_query(r, "edit"), NULL, 200);
}
ROUTE("GET", "/categories", page_categories, CAP_PLACES_READ, R_PAGE, NULL, "事项分类");

static err_code page_category_update(req *r)
{
    const char *code = req_param(r, "code"), *place = NULL;
    struct category_eff c;
    if (svc_category_get(r->db, r->a, r->me->account_id, code, NULL, &c)) return E_NOT_FOUND;
    struct category_input in;
    err_code e = bind_category(r, false, &in, &place);
    bool local = place && *place;
    /* the category's own form: an empty limit keeps it (an override's inherits) */
    if (!local && in.response_minutes == CAT_CLEAR) in.response_minutes = CAT_KEEP;
    if (!local && in.resolution_minutes == CAT_CLEAR) in.resolution_minutes = CAT_KEEP;
    struct svc_result res = e       ? bind_refused(r, e)
                            : local ? svc_category_override(r->db, r->a, r->me, code, place, &in)
                                    : svc_category_update(r->db, r->a, r->me, code, &in);
    const char *message;
    int status;
    const char *to = "/categories?saved=1";
    if (local) {
        buf u = {0};
        buf_puts(&u, "/categories?saved=1&place=");
        buf_url(&u, place);
        to = arena_strdup(r->a, buf_cstr(&u));
        buf_free(&u);
    }
    e = registry_written(r, res, to, &message, &status);
    if (!message) return e;
    return categories_page(r, local && res.field && !strcmp(res.field, "place") ? NULL : place,
                           code, message, status);
}
ROUTE("POST", "/categories/{code}", page_category_update, CAP_ORGS_WRITE, R_PAGE, "category",
      "修改事项分类或区划设置");

/* ------------------------------------------------------------------ 责任清单 */

/* The category options, indented by depth. */
static void category_options(req *r, const struct category_eff *all, int n, const char *sel,
                             bool indent)
{
    buf *o = &r->out;
    for (int i = 0; i < n; i++) {
        buf_hprintf(o, "<option value=\"%s\"%s>", all[i].code,
                    sel && !strcmp(sel, all[i].code) ? " selected" : "");
        for (int k = 0; indent && k < all[i].depth; k++) buf_puts(o, "　");
        buf_hprintf(o, "%s</option>", all[i].name);
    }
}

static void resp_table(req *r, const struct resp_view *g, int n)
{
    buf *o = &r->out;
    buf_puts(o,
             "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>事项分类</th>"
             "<th>适用区划</th><th>责任单位</th><th>责任</th><th>备注</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++)
        buf_hprintf(o,
                    "<tr><td>%s</td><td>%s</td><td>%s</td><td><span class=\"tag\">%s</span></td>"
                    "<td>%s</td></tr>\n",
                    g[i].category_name, g[i].place_name ? g[i].place_name : "全域", g[i].org_name,
                    category_term_zh(category_resp_roles, category_resp_roles_count, g[i].role),
                    g[i].note);
    if (n <= 0) buf_puts(o, "<tr><td colspan=\"5\" class=\"muted\">没有条目</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
}

static void resp_form(req *r, const struct category_eff *all, int n, const char *cat,
                      const char *place)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card narrow\"><h2>新增条目</h2>");
    registry_form_open(r, "/responsibilities", 0);
    buf_puts(o, "<label for=\"category_code\">事项分类</label><select id=\"category_code\" "
                "name=\"category_code\">");
    category_options(r, all, n, cat, false);
    buf_puts(o, "</select>");
    ui_input(o, "place_code", "适用区划代码", place, "inputmode=\"numeric\"");
    ui_input(o, "org_id", "责任单位编号", NULL, "type=\"number\" min=\"1\" required");
    ui_select(o, "role", "责任",
              term_options(r, category_resp_roles, category_resp_roles_count, NULL), "lead");
    ui_input(o, "note", "备注", NULL, "");
    buf_puts(o, "<button class=\"primary\" type=\"submit\">新增</button></form></section>\n");
}

static err_code resp_page(req *r, const char *error, int status)
{
    int64_t me = r->me->account_id;
    const char *cat = req_query(r, "category"), *place = req_query(r, "place");
    if (cat && !*cat) cat = NULL;
    if (place && !*place) place = NULL;
    struct category_eff *all;
    int n, ng;
    err_code e = svc_categories_tree(r->db, r->a, me, place, &all, &n);
    if (e) return e;
    struct resp_view *g;
    if (cat && place) {
        const char *used;
        e = svc_responsibility_lookup(r->db, r->a, me, cat, place, &g, &ng, &used);
        if (e) return e;
    } else {
        struct resp_filter f = {.category = cat, .place = place, .limit = 500};
        ng = store_responsibilities_find(r->db, r->a, me, CAP_PLACES_READ, &f, &g);
        if (ng < 0) return E_INTERNAL;
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
    category_options(r, all, n, cat, true);
    buf_puts(o, "</select>");
    ui_input(o, "place", "区划代码", place, "inputmode=\"numeric\"");
    buf_puts(o, "<button type=\"submit\">查询</button></form>\n");
    resp_table(r, g, ng);
    if (principal_has_cap(r->me, CAP_ORGS_WRITE)) resp_form(r, all, n, cat, place);
    return registry_end(r, status);
}

static err_code page_responsibilities(req *r)
{
    return resp_page(r, NULL, 200);
}
ROUTE("GET", "/responsibilities", page_responsibilities, CAP_PLACES_READ, R_PAGE, NULL, "责任清单");

static err_code page_resp_add(req *r)
{
    struct responsibility_input in;
    err_code e = bind_responsibility(r, &in);
    struct svc_result res =
        e ? bind_refused(r, e) : svc_responsibility_add(r->db, r->a, r->me, &in);
    const char *message;
    int status;
    e = registry_written(r, res, "/responsibilities?saved=1", &message, &status);
    return message ? resp_page(r, message, status) : e;
}
ROUTE("POST", "/responsibilities", page_resp_add, CAP_ORGS_WRITE, R_PAGE, NULL, "新增责任清单条目");
