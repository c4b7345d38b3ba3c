/* 区划与网格: /places (the tree from the account's top scopes), /places/{code}
 * (one place with breadcrumbs and its children with counts; a community adds
 * its party organisations, grids and co-building units; a household lists
 * who lives there), and the grid pages /grids/new, /grids/{id} with their
 * forms. Reads are scoped in the store; writes go through svc_grids.c. */
#include <stdlib.h>
#include <string.h>

#include "core/branch_rule.h"
#include "core/grid_rule.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "http/bind_places.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "pages/page_stations.h"
#include "util/clock.h"
#include "service/svc_grids.h"
#include "service/svc_orgs.h"
#include "store/store_accounts.h"
#include "store/store_grids.h"
#include "store/store_orgs.h"
#include "store/store_places.h"

#define CHILDREN_PAGE 100

static const char *level_zh(const char *level)
{
    const char *zh = vocab_label(&vocab_place_levels, level);
    return zh ? zh : (level ? level : "");
}

static void place_link(buf *o, const char *code, const char *name)
{
    buf_puts(o, "<a href=\"/places/");
    buf_url(o, code);
    buf_puts(o, "\">");
    buf_html(o, name);
    buf_puts(o, "</a>");
}

static void td_num(buf *o, long long v)
{
    buf_printf(o, "<td class=\"num\">%lld</td>", v);
}

/* A table of places with the counts of each level: the first n of p. */
static void places_table(req *r, const struct place *p, int n)
{
    buf *o = &r->out;
    buf_puts(o,
             "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名称</th>"
             "<th>层级</th><th>代码</th><th class=\"num\">下级</th><th class=\"num\">户数</th>"
             "<th class=\"num\">居民</th><th class=\"num\">党员</th><th class=\"num\">党支部</th>"
             "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<tr><td>");
        place_link(o, p[i].code, p[i].name);
        buf_hprintf(o, "</td><td>%s</td><td class=\"muted\">%s</td>", level_zh(p[i].level),
                    p[i].code);
        td_num(o, p[i].n_children);
        td_num(o, p[i].n_households);
        td_num(o, p[i].n_residents);
        td_num(o, p[i].n_party_members);
        td_num(o, p[i].n_branches);
        buf_puts(o, "</tr>\n");
    }
    if (n <= 0) buf_puts(o, "<tr><td colspan=\"8\" class=\"muted\">没有下级区划</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
}

/* The children of a place from cursor on (NULL: the start), a page of them,
 * and a link to the next page labelled more. */
static void children_table(req *r, const char *code, const char *cursor, const char *more)
{
    buf *o = &r->out;
    struct place *c;
    int nc = store_place_rows(r->a,
                              store_place_children(r->db, r->a, r->me->account_id, CAP_PLACES_READ,
                                                   code, cursor, CHILDREN_PAGE + 1),
                              &c);
    int n = nc > CHILDREN_PAGE ? CHILDREN_PAGE : nc;
    places_table(r, c, n);
    if (nc > CHILDREN_PAGE) {
        buf_puts(o, "<nav class=\"pager\"><a href=\"/places/");
        buf_url(o, code);
        buf_puts(o, "?cursor=");
        buf_url(o, c[n - 1].code);
        buf_hprintf(o, "\">%s</a></nav>\n", more);
    }
}

static void search_form(req *r, const char *q)
{
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/places\">"
                "<label for=\"q\">按名称查找</label><input id=\"q\" name=\"q\" "
                "placeholder=\"如 滨河社区\" value=\"");
    buf_html(o, q);
    buf_puts(o, "\"><button type=\"submit\">查找</button></form>\n");
}

static err_code page_places(req *r)
{
    int64_t me = r->me->account_id;
    const char *q = req_query(r, "q");
    page_begin(r, "区划与网格");
    buf *o = &r->out;
    search_form(r, q);
    if (q && *q) {
        struct place *s;
        int ns = store_place_rows(
            r->a, store_place_search(r->db, r->a, me, CAP_PLACES_READ, q, NULL, 101), &s);
        buf_puts(o, "<h2>查找结果</h2>\n");
        places_table(r, s, ns > 100 ? 100 : ns);
        if (ns > 100) buf_puts(o, "<p class=\"muted\">只显示前100条，请输入更完整的名称。</p>\n");
        return page_end(r);
    }
    struct place *t;
    int n = store_place_rows(r->a, store_place_tops(r->db, r->a, me, CAP_PLACES_READ), &t);
    buf_puts(o, "<h2>管辖范围</h2>\n");
    places_table(r, t, n);
    /* One top scope (the usual case): show its children right away. */
    if (n == 1) {
        buf_hprintf(o, "<h2>%s 的下级</h2>\n", t[0].name);
        children_table(r, t[0].code, NULL, "更多下级");
    }
    return page_end(r);
}
ROUTE("GET", "/places", page_places, CAP_PLACES_READ, R_PAGE, NULL, "区划树（从管辖范围向下）");

static void breadcrumbs(req *r, const char *code, const char *name)
{
    buf *o = &r->out;
    struct place_step *up;
    int n = store_place_path(r->db, r->a, r->me->account_id, CAP_PLACES_READ, code, &up);
    buf_puts(o,
             "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/places\">区划与网格</a>");
    for (int i = 0; i < n; i++) {
        buf_puts(o, " › ");
        if (up[i].in_scope)
            place_link(o, up[i].code, up[i].name);
        else
            buf_html(o, up[i].name);
    }
    if (name) {
        buf_puts(o, " › ");
        buf_html(o, name);
    }
    buf_puts(o, "</nav>\n");
}

static const char *formation_zh(const char *f)
{
    enum branch_formation bf;
    return f && branch_formation_parse(f, &bf) ? branch_formation_zh(bf) : NULL;
}

static void org_item(buf *o, const struct org_view *g)
{
    buf_hprintf(o, "<li><a href=\"/organisations/%lld\">%s</a> <span class=\"tag\">%s</span>",
                (long long)g->id, g->row.name, vocab_label(&vocab_org_kinds, g->row.kind));
    const char *fz = formation_zh(g->row.formation);
    if (fz) {
        buf_puts(o, " <span class=\"tag\">");
        buf_html(o, fz);
        buf_puts(o, "</span>");
    }
    buf_puts(o, "</li>");
}

/* The community's organisations: its party committee and compound branches
 * as a table (党小组 and 党员中心户 counted), then the other organisations
 * located in it (volunteer teams, owners' committees, property companies). */
static void community_orgs(req *r, const char *code)
{
    buf *o = &r->out;
    struct org_filter f = {.place = code, .limit = 500};
    struct org_view *g;
    int ng = store_orgs_find(r->db, r->a, r->me->account_id, CAP_ORGS_READ, &f, &g);
    buf_puts(o, "<section class=\"card\"><h2>党组织</h2>\n<div class=\"table-wrap\"><table "
                "class=\"table\"><thead><tr><th>名称</th><th>类型</th><th>组建方式</th>"
                "<th class=\"num\">党员</th><th class=\"num\">覆盖区划</th></tr></thead><tbody>\n");
    int shown = 0, groups = 0, centres = 0, others = 0;
    for (int i = 0; i < ng; i++) {
        const char *kind = g[i].row.kind;
        if (!org_kind_is_party(kind)) {
            others++;
            continue;
        }
        if (!strcmp(kind, "party_group")) groups++;
        if (!strcmp(kind, "center_household")) centres++;
        if (!strcmp(kind, "party_group") || !strcmp(kind, "center_household")) continue;
        shown++;
        buf_hprintf(o, "<tr><td><a href=\"/organisations/%lld\">%s</a></td><td>%s</td><td>",
                    (long long)g[i].id, g[i].row.name, vocab_label(&vocab_org_kinds, kind));
        const char *fz = formation_zh(g[i].row.formation);
        if (fz) {
            buf_puts(o, "<span class=\"tag\">");
            buf_html(o, fz);
            buf_puts(o, "</span>");
        }
        buf_puts(o, "</td>");
        td_num(o, g[i].n_members);
        td_num(o, g[i].n_places);
        buf_puts(o, "</tr>\n");
    }
    if (!shown) buf_puts(o, "<tr><td colspan=\"5\" class=\"muted\">尚未登记党组织</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
    if (groups || centres)
        buf_printf(
            o, "<p class=\"muted\">另有楼栋党小组 %d 个、党员中心户 %d 户，见各支部页面。</p>\n",
            groups, centres);
    buf_puts(o, "<p><a href=\"/branches/coverage?place=");
    buf_url(o, code);
    buf_puts(o, "\">查看小区党支部覆盖情况</a>");
    if (principal_has_cap(r->me, CAP_ORGS_WRITE) &&
        store_place_in_scope(r->db, r->me->account_id, CAP_ORGS_WRITE, code)) {
        buf_puts(o, " · <a href=\"/organisations/new?place=");
        buf_url(o, code);
        buf_puts(o, "\">新建组织</a>");
    }
    buf_puts(o, "</p></section>\n");
    if (!others) return;
    buf_puts(o, "<section class=\"card\"><h2>志愿服务队、业委会与物业</h2><ul class=\"plain\">");
    for (int i = 0; i < ng; i++)
        if (!org_kind_is_party(g[i].row.kind)) org_item(o, &g[i]);
    buf_puts(o, "</ul></section>\n");
}

static void grids_table(req *r, const struct grid *g, int n)
{
    buf *o = &r->out;
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>网格</th>"
                "<th>类型</th><th class=\"num\">覆盖区划</th><th class=\"num\">户数</th>"
                "<th class=\"num\">居民</th><th class=\"num\">网格员</th><th>提示</th></tr></thead>"
                "<tbody>\n");
    for (int i = 0; i < n; i++) {
        int hh = (int)g[i].n_households;
        buf_hprintf(o, "<tr><td><a href=\"/grids/%lld\">%s</a></td><td>%s</td>", (long long)g[i].id,
                    g[i].name, grid_kind_zh(g[i].kind));
        td_num(o, g[i].n_places);
        td_num(o, hh);
        td_num(o, g[i].n_residents);
        td_num(o, g[i].n_workers);
        buf_puts(o, "<td class=\"wrap\">");
        const char *w = grid_size_warning(g[i].kind, hh);
        if (w)
            buf_hprintf(o, "<span class=\"badge\">%s</span> <span class=\"muted small\">%s</span>",
                        hh < GRID_MIN_HOUSEHOLDS ? "户数偏少" : "户数偏多", w);
        buf_puts(o, "</td></tr>\n");
    }
    if (n <= 0) buf_puts(o, "<tr><td colspan=\"7\" class=\"muted\">尚未划分网格</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
}

static void community_grids(req *r, const char *code)
{
    buf *o = &r->out;
    struct grid *g;
    int n = store_grids_page(r->db, r->a, r->me->account_id, CAP_PLACES_READ, code, 0, 500, &g);
    buf_puts(o, "<section class=\"card\"><h2>网格</h2>\n");
    buf_printf(o, "<p class=\"muted\">基础网格每格%d—%d户；专属网格不受此限。</p>\n",
               GRID_MIN_HOUSEHOLDS, GRID_MAX_HOUSEHOLDS);
    grids_table(r, g, n);
    if (principal_has_cap(r->me, CAP_PLACES_WRITE) &&
        store_place_in_scope(r->db, r->me->account_id, CAP_PLACES_WRITE, code)) {
        buf_puts(o, "<p><a href=\"/grids/new?community=");
        buf_url(o, code);
        buf_puts(o, "\">新建网格</a></p>\n");
    }
    buf_puts(o, "</section>\n");
}

/* Co-building units: the agreements with the community, then the other
 * organisations that serve it. */
static void community_units(req *r, const char *code)
{
    buf *o = &r->out;
    int64_t me = r->me->account_id;
    struct agreement_view *ag;
    int nag = store_place_agreement_list(r->db, r->a, me, CAP_ORGS_READ, code, &ag);
    buf_puts(o, "<section class=\"card\"><h2>共建单位与共建协议</h2>\n<div class=\"table-wrap\">"
                "<table class=\"table\"><thead><tr><th>共建单位</th><th>协议</th><th>签订日期</th>"
                "<th>到期日期</th></tr></thead><tbody>\n");
    for (int i = 0; i < nag; i++)
        buf_hprintf(o,
                    "<tr><td><a href=\"/organisations/%lld\">%s</a></td><td class=\"wrap\">%s"
                    "</td><td>%s</td><td>%s</td></tr>\n",
                    (long long)ag[i].org_id, ag[i].org_name, ag[i].title, ag[i].signed_on,
                    ag[i].expires_on ? ag[i].expires_on : "长期");
    if (nag <= 0) buf_puts(o, "<tr><td colspan=\"4\" class=\"muted\">尚无共建协议</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
    struct org_filter f = {.serves = code, .limit = 200};
    struct org_view *s;
    int ns = store_orgs_find(r->db, r->a, me, CAP_ORGS_READ, &f, &s);
    int shown = 0;
    size_t n = strlen(code);
    for (int i = 0; i < ns; i++) {
        const char *home = s[i].row.place_code;
        if (org_kind_is_party(s[i].row.kind)) continue;
        if (home && !strncmp(home, code, n)) continue; /* listed with the community's own */
        if (!shown++) buf_puts(o, "<h3>服务本社区的其他单位</h3><ul class=\"plain\">");
        org_item(o, &s[i]);
    }
    if (shown) buf_puts(o, "</ul>\n");
    buf_puts(o, "</section>\n");
}

/* Who lives in a household, names masked unless the viewer may reveal them. */
static void household_members(req *r, const char *code)
{
    buf *o = &r->out;
    struct place_resident *m;
    int n = store_place_residents_of(r->db, r->a, r->me->account_id, code, &m);
    buf_puts(o, "<section class=\"card\"><h2>家庭成员</h2>\n<div class=\"table-wrap\"><table "
                "class=\"table\"><thead><tr><th>姓名</th><th>与户主关系</th><th>性别</th>"
                "<th class=\"num\">年龄</th><th>身份证号</th><th>手机号</th><th>政治面貌</th>"
                "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        char name[256], idm[32], phm[32];
        const char *nm = m[i].name, *sex = m[i].sex;
        if (!m[i].reveal) {
            mask_name(nm, name, sizeof name);
            nm = name;
        }
        buf_hprintf(o, "<tr><td><a href=\"/residents/%lld\">%s</a></td><td>%s</td><td>%s</td>",
                    (long long)m[i].id, nm, m[i].relation ? m[i].relation : "—",
                    !sex                ? "—"
                    : !strcmp(sex, "M") ? "男"
                    : !strcmp(sex, "F") ? "女"
                                        : "—");
        /* the age, not the birth date: the date is the masked part of the 身份证号 */
        int age = m[i].birth_date ? age_on(m[i].birth_date, clock_now()) : -1;
        if (age >= 0)
            buf_printf(o, "<td class=\"num\">%d</td>", age);
        else
            buf_puts(o, "<td class=\"num\">—</td>");
        mask_id_number(m[i].id_number, idm, sizeof idm);
        mask_phone(m[i].phone, phm, sizeof phm);
        const char *mk = m[i].member_kind;
        const char *zh = mk ? vocab_label(&vocab_member_kinds, mk) : NULL;
        buf_hprintf(o, "<td class=\"mono\">%s</td><td class=\"mono\">%s</td><td>", *idm ? idm : "—",
                    *phm ? phm : "—");
        if (mk)
            buf_hprintf(o, "<span class=\"tag\">%s</span>", zh ? zh : "党员");
        else
            buf_puts(o, "群众");
        buf_puts(o, "</td></tr>\n");
    }
    if (n <= 0)
        buf_puts(o, "<tr><td colspan=\"7\" class=\"muted\">没有可查看的家庭成员</td></tr>\n");
    buf_puts(o, "</tbody></table></div></section>\n");
}

/* Grids and organisations covering a compound, building or unit. */
static void covering(req *r, const char *code)
{
    buf *o = &r->out;
    int64_t me = r->me->account_id;
    struct grid *g;
    int n = store_grids_page(r->db, r->a, me, CAP_PLACES_READ, code, 0, 50, &g);
    if (n > 0) {
        buf_puts(o, "<section class=\"card\"><h2>所属网格</h2>\n");
        grids_table(r, g, n);
        buf_puts(o, "</section>\n");
    }
    struct org_filter f = {.serves = code, .limit = 100};
    struct org_view *s;
    int ns = store_orgs_find(r->db, r->a, me, CAP_ORGS_READ, &f, &s);
    if (ns > 0) {
        buf_puts(o, "<section class=\"card\"><h2>服务本区划的组织</h2><ul class=\"plain\">");
        for (int i = 0; i < ns; i++) org_item(o, &s[i]);
        buf_puts(o, "</ul></section>\n");
    }
}

static err_code page_place(req *r)
{
    const char *code = req_param(r, "code");
    int64_t me = r->me->account_id;
    struct place *p;
    if (store_place_rows(r->a, store_place_get(r->db, r->a, me, CAP_PLACES_READ, code), &p) < 1)
        return E_NOT_FOUND;
    const char *level = p->level, *name = p->name;
    page_begin(r, name);
    buf *o = &r->out;
    breadcrumbs(r, code, name);
    buf_hprintf(o, "<p class=\"muted\">%s · 代码 %s</p>\n<div class=\"kpi\">", level_zh(level),
                code);
    bool household = level && !strcmp(level, "household");
    if (!household) ui_kpi_n(o, p->n_children, "下级区划");
    if (!household) ui_kpi_n(o, p->n_households, "户数");
    ui_kpi_n(o, p->n_residents, household ? "家庭人口" : "居民");
    ui_kpi_n(o, p->n_party_members, "党员");
    if (!household) ui_kpi_n(o, p->n_branches, "党支部");
    buf_puts(o, "</div>\n");

    if (household) {
        household_members(r, code);
        return page_end(r);
    }
    const char *cursor = req_query(r, "cursor");
    if (cursor && !*cursor) cursor = NULL;
    buf_puts(o, "<h2>下级区划</h2>\n");
    children_table(r, code, cursor, "下一页");
    if (level && !strcmp(level, "community")) {
        community_orgs(r, code);
        community_grids(r, code);
        community_units(r, code);
        page_place_stations(r, code);
    } else if (level && (!strcmp(level, "compound") || !strcmp(level, "building") ||
                         !strcmp(level, "unit"))) {
        covering(r, code);
        if (!strcmp(level, "compound")) page_place_stations(r, code);
    }
    return page_end(r);
}
ROUTE("GET", "/places/{code}", page_place, CAP_PLACES_READ, R_PAGE, "place",
      "区划详情：逐级统计、社区的党组织、网格与共建单位、住户成员");

/* ---- Grids --------------------------------------------------------------- */

static bool in_list(const char *const *v, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

/* A checkbox of a grid form. */
static void check_box(buf *o, const char *name, const char *value, bool on, const char *label)
{
    buf_hprintf(o, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s>%s",
                name, value, on ? " checked" : "", label);
}

/* The checked values of the list `name`: as just posted (with name_extra)
 * when re-showing the form, else the stored ones. */
static const char **checked_values(req *r, const char *name, const char **stored, int nstored,
                                   int *n)
{
    if (r->form) return req_form_list(r, name, arena_printf(r->a, "%s_extra", name), n);
    *n = nstored;
    return stored;
}

/* The free-text field `name`_extra that ends a fieldset of checkboxes (as
 * just posted, when re-showing the form). attrs: literal markup. */
static void extra_field(req *r, const char *name, const char *label, const char *attrs)
{
    const char *extra = arena_printf(r->a, "%s_extra", name);
    buf_hprintf(&r->out, "<label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" ", extra, label,
                extra, extra);
    buf_puts(&r->out, attrs); /* trusted: literal markup of the caller */
    buf_hprintf(&r->out, " value=\"%s\"></fieldset>\n", r->form ? req_form(r, extra) : NULL);
}

/* The places a grid covers: the community's children, and whatever the grid
 * covers now; checked as posted (when re-rendering) or as stored. */
static void grid_places_fields(req *r, const struct grid *g, const char *community)
{
    buf *o = &r->out;
    int nsel = 0, ncur = 0;
    struct grid_place *cur = NULL;
    if (g) ncur = store_grid_places(r->db, r->a, g->id, &cur);
    const char **stored = arena_alloc(r->a, sizeof *stored * (size_t)(ncur > 0 ? ncur : 1));
    for (int i = 0; i < ncur; i++) stored[i] = cur[i].code;
    const char **sel = checked_values(r, "places", stored, ncur > 0 ? ncur : 0, &nsel);
    struct place *ch = NULL;
    int nch = community && *community && store_place_level(r->db, r->a, community)
                  ? store_place_rows(r->a,
                                     store_place_children(r->db, r->a, r->me->account_id,
                                                          CAP_PLACES_READ, community, NULL, 500),
                                     &ch)
                  : 0;
    buf_puts(o, "<fieldset><legend>覆盖区划（小区、楼栋等）</legend>\n"
                "<input type=\"hidden\" name=\"places_set\" value=\"1\">\n");
    int shown = 0;
    for (int i = 0; i < nch; i++, shown++) {
        check_box(o, "places", ch[i].code, in_list(sel, nsel, ch[i].code), ch[i].name);
        buf_printf(o, "（%lld户）</label>\n", (long long)ch[i].n_households);
    }
    for (int i = 0; i < ncur; i++) {
        bool listed = false;
        for (int j = 0; j < nch && !listed; j++) listed = !strcmp(ch[j].code, cur[i].code);
        if (listed) continue;
        shown++;
        check_box(o, "places", cur[i].code, in_list(sel, nsel, cur[i].code), cur[i].name);
        buf_printf(o, "（%lld户）</label>\n", (long long)cur[i].n_households);
    }
    if (!shown) buf_puts(o, "<p class=\"muted\">先填写所属社区代码，或在下面填写区划代码。</p>\n");
    extra_field(r, "places", "其他区划代码（楼栋等，多个用空格或逗号分隔）", "");
}

/* The grid's workers: the community's workers and those already on its grids. */
static void grid_workers_fields(req *r, const struct grid *g, const char *community)
{
    buf *o = &r->out;
    int64_t me = r->me->account_id;
    int nw = 0, ncur = 0, ncand = 0;
    struct grid_worker *cur = NULL, *cand = NULL;
    if (g) ncur = store_grid_workers(r->db, r->a, me, g->id, &cur);
    const char **stored = arena_alloc(r->a, sizeof *stored * (size_t)(ncur > 0 ? ncur : 1));
    for (int i = 0; i < ncur; i++) stored[i] = arena_printf(r->a, "%lld", (long long)cur[i].id);
    const char **wsel = checked_values(r, "workers", stored, ncur > 0 ? ncur : 0, &nw);
    if (community && *community)
        ncand = store_grid_worker_candidates(r->db, r->a, me, community, &cand);
    buf_puts(o, "<fieldset><legend>网格员</legend>\n"
                "<input type=\"hidden\" name=\"workers_set\" value=\"1\">\n");
    for (int i = 0; i < ncand; i++) {
        char masked[256];
        const char *n = cand[i].name;
        if (!cand[i].reveal) {
            mask_name(n, masked, sizeof masked);
            n = masked;
        }
        const char *id = arena_printf(r->a, "%lld", (long long)cand[i].id);
        check_box(o, "workers", id, in_list(wsel, nw, id), n);
        buf_puts(o, "</label>\n");
    }
    if (ncand <= 0)
        buf_puts(o, "<p class=\"muted\">本社区尚未登记社区工作者，可在下面填写人员编号。</p>\n");
    extra_field(r, "workers", "其他网格员（人员编号，多个用空格分隔）", "inputmode=\"numeric\"");
}

/* The grid form: create (g NULL) or edit grid g; values from the posted form
 * when re-rendering after an error. */
static void grid_form(req *r, const struct grid *g, const char *community)
{
    buf *o = &r->out;
    bool posted = r->form != NULL;
    const char *name = posted ? req_form(r, "name") : g ? g->name : NULL;
    const char *kind = posted ? req_form(r, "kind") : g ? g->kind : GRID_KIND_BASIC;
    if (g)
        buf_printf(o, "<form method=\"post\" action=\"/grids/%lld\">", (long long)g->id);
    else
        buf_puts(o, "<form method=\"post\" action=\"/grids\">");
    page_csrf_field(r);
    if (!g)
        buf_hprintf(o,
                    "<label for=\"community_code\">所属社区（代码）</label><input "
                    "id=\"community_code\" name=\"community_code\" inputmode=\"numeric\" required "
                    "value=\"%s\">\n",
                    community);
    buf_hprintf(o,
                "<label for=\"name\">网格名称</label><input id=\"name\" name=\"name\" required "
                "maxlength=\"60\" value=\"%s\">\n<label for=\"kind\">网格类型</label><select "
                "id=\"kind\" name=\"kind\">",
                name);
    const char *kinds[] = {GRID_KIND_BASIC, GRID_KIND_DEDICATED};
    for (int i = 0; i < 2; i++)
        buf_hprintf(o, "<option value=\"%s\"%s>%s</option>", kinds[i],
                    kind && !strcmp(kind, kinds[i]) ? " selected" : "", grid_kind_zh(kinds[i]));
    buf_puts(o, "</select>\n");
    if (!g)
        buf_hprintf(o,
                    "<label for=\"code\">网格编号（可不填，自动编号）</label><input id=\"code\" "
                    "name=\"code\" maxlength=\"40\" value=\"%s\">\n",
                    req_form(r, "code"));
    grid_places_fields(r, g, community);
    grid_workers_fields(r, g, community);
    buf_puts(o, g ? "<button type=\"submit\" class=\"primary\">保存网格</button></form>\n"
                  : "<button type=\"submit\" class=\"primary\">创建网格</button></form>\n");
}

static err_code new_grid_page(req *r, const char *error, int status)
{
    const char *community = r->form ? req_form(r, "community_code") : req_query(r, "community");
    page_begin(r, "新建网格");
    buf *o = &r->out;
    struct place *p;
    if (community && *community &&
        store_place_rows(
            r->a, store_place_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, community), &p) >
            0) {
        breadcrumbs(r, community, NULL);
        buf_puts(o, "<p>所属社区：");
        place_link(o, community, p->name);
        buf_puts(o, "</p>\n");
    }
    page_message(r, "error", error);
    buf_puts(o, "<section class=\"card\">\n");
    buf_printf(o,
               "<p class=\"muted\">基础网格每格%d—%d户，一处区划只属于一个基础网格（多网合一）。"
               "</p>\n",
               GRID_MIN_HOUSEHOLDS, GRID_MAX_HOUSEHOLDS);
    grid_form(r, NULL, community);
    buf_puts(o, "</section>\n");
    return page_end_status(r, status);
}

static err_code page_grid_new(req *r)
{
    return new_grid_page(r, NULL, 200);
}
ROUTE("GET", "/grids/new", page_grid_new, CAP_PLACES_WRITE, R_PAGE, NULL, "新建网格");

static err_code page_grid_create(req *r)
{
    struct grid_input in = {0};
    err_code e = bind_input(r, &grid_create_bind, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_grid_create(r->db, r->a, r->me, &in);
    if (!res.err) return http_redirect(r, arena_printf(r->a, "/grids/%lld", (long long)res.id));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    return new_grid_page(r, res.message ? res.message : err_message_zh(res.err),
                         err_http_status(res.err));
}
ROUTE("POST", "/grids", page_grid_create, CAP_PLACES_WRITE, R_PAGE, NULL, "创建网格");

/* The grid's places as a table. */
static void grid_places_table(req *r, int64_t id)
{
    buf *o = &r->out;
    struct grid_place *p;
    int n = store_grid_places(r->db, r->a, id, &p);
    buf_puts(o, "<h2>覆盖区划</h2>\n<div class=\"table-wrap\"><table class=\"table\"><thead><tr>"
                "<th>名称</th><th>层级</th><th class=\"num\">户数</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<tr><td>");
        if (store_place_in_scope(r->db, r->me->account_id, CAP_PLACES_READ, p[i].code))
            place_link(o, p[i].code, p[i].name);
        else
            buf_html(o, p[i].name);
        buf_hprintf(o, "</td><td>%s</td>", level_zh(p[i].level));
        td_num(o, p[i].n_households);
        buf_puts(o, "</tr>\n");
    }
    if (n <= 0) buf_puts(o, "<tr><td colspan=\"3\" class=\"muted\">尚未设置覆盖区划</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
}

/* The grid's workers (people, masked unless the viewer may reveal them) and
 * the accounts granted over it. */
static void grid_workers_card(req *r, int64_t id)
{
    buf *o = &r->out;
    struct grid_worker *wk;
    struct grid_account *ac;
    int nw = store_grid_workers(r->db, r->a, r->me->account_id, id, &wk);
    int na = store_grid_accounts(r->db, r->a, id, &ac);
    buf_puts(o, "<section class=\"card\"><h2>网格员</h2><ul class=\"plain\">");
    for (int i = 0; i < nw; i++) {
        char name[256], phone[64];
        const char *n = wk[i].name;
        if (!wk[i].reveal) {
            mask_name(n, name, sizeof name);
            n = name;
        }
        buf_hprintf(o, "<li><a href=\"/residents/%lld\">%s</a>", (long long)wk[i].id, n);
        if (wk[i].phone) {
            mask_phone(wk[i].phone, phone, sizeof phone);
            buf_hprintf(o, " <span class=\"muted\">%s</span>", phone);
        }
        buf_puts(o, "</li>");
    }
    for (int i = 0; i < na; i++) {
        const struct role *role = role_find(ac[i].role);
        buf_hprintf(o, "<li>%s <span class=\"tag\">账号 · %s</span></li>",
                    ac[i].display_name ? ac[i].display_name : ac[i].username,
                    role ? role->zh : ac[i].role);
    }
    if (nw <= 0 && na <= 0) buf_puts(o, "<li class=\"muted\">尚未配备网格员</li>");
    buf_puts(o, "</ul></section>\n");
}

static err_code grid_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    int64_t me = r->me->account_id;
    struct grid g;
    if (!store_grid_get(r->db, r->a, me, CAP_PLACES_READ, id, &g)) return E_NOT_FOUND;
    int hh = (int)g.n_households;
    page_begin(r, g.name);
    buf *o = &r->out;
    buf_puts(
        o, "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/places\">区划与网格</a> › ");
    if (store_place_in_scope(r->db, me, CAP_PLACES_READ, g.community_code))
        place_link(o, g.community_code, g.community_name);
    else
        buf_html(o, g.community_name);
    buf_hprintf(o, " › %s</nav>\n", g.name);
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    const char *w = grid_size_warning(g.kind, hh);
    if (w) page_message(r, "error", w);
    buf_puts(o, "<div class=\"kpi\">");
    ui_kpi_n(o, hh, "户数");
    ui_kpi_n(o, g.n_residents, "居民");
    ui_kpi_n(o, g.n_places, "覆盖区划");
    ui_kpi_n(o, g.n_workers, "网格员");
    buf_puts(o, "</div>\n<section class=\"card\"><dl>");
    ui_row(o, "编号", g.code);
    ui_row(o, "类型", grid_kind_zh(g.kind));
    ui_row(o, "所属社区", g.community_name);
    buf_puts(o, "</dl></section>\n");
    grid_places_table(r, id);
    grid_workers_card(r, id);
    if (principal_has_cap(r->me, CAP_PLACES_WRITE) &&
        store_place_in_scope(r->db, me, CAP_PLACES_WRITE, g.community_code)) {
        buf_puts(o, "<section class=\"card\"><h2>修改网格</h2>\n");
        grid_form(r, &g, g.community_code);
        buf_puts(o, "</section>\n");
    }
    return page_end_status(r, status);
}

static err_code page_grid(req *r)
{
    const char *saved = req_query(r, "saved");
    return grid_page(r, req_id(r, "id"), NULL, saved && *saved == '1' ? "已保存" : NULL, 200);
}
ROUTE("GET", "/grids/{id}", page_grid, CAP_PLACES_READ, R_PAGE, "grid", "网格详情");

static err_code page_grid_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct grid_input in = {0};
    err_code e = bind_input(r, &grid_update_bind, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_grid_update(r->db, r->a, r->me, id, &in);
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err) return http_redirect(r, arena_printf(r->a, "/grids/%lld?saved=1", (long long)id));
    return grid_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                     err_http_status(res.err));
}
ROUTE("POST", "/grids/{id}", page_grid_update, CAP_PLACES_WRITE, R_PAGE, "grid", "修改网格");
