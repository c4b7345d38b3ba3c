/* 组织: /organisations (list with filters), /organisations/new, and
 * /organisations/{id} (the places it serves, sub-organisations, members of a
 * branch, 共建协议; for a compound branch the 五有 standard, its secretary's
 * 四个一批 way and 一肩挑) with the forms to edit it and add an agreement.
 * Reads are scoped in the store; writes go through svc_orgs.c, their input
 * through the binders of http/bind_orgs.c; what the list and the form share
 * with the stations pages is in page_registry.c. */
#include <stdlib.h>
#include <string.h>

#include "core/branch_rule.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "http/bind.h"
#include "http/bind_orgs.h"
#include "pages/layout.h"
#include "pages/page_registry.h"
#include "pages/ui.h"
#include "service/svc_orgs.h"
#include "store/store_accounts.h"
#include "store/store_orgs.h"
#include "store/store_places.h"

#define ORGS_PAGE 50

static const char *kind_zh(const char *kind)
{
    const char *zh = vocab_label(&vocab_org_kinds, kind);
    return zh ? zh : (kind ? kind : "");
}

static const char *formation_zh(const char *f)
{
    enum branch_formation bf;
    return f && branch_formation_parse(f, &bf) ? branch_formation_zh(bf) : NULL;
}

static const char *const (*kind_options(req *r, const char *any))[2]
{
    int n = vocab_org_kinds.count;
    const char **ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
    const char **zh = arena_alloc(r->a, sizeof *zh * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        ids[i] = vocab_org_kinds.entries[i].id;
        zh[i] = vocab_org_kinds.entries[i].zh;
    }
    return registry_options(r->a, ids, zh, n, any);
}

/* A table of organisations. */
static void orgs_table(req *r, const struct org_view *g, int n, const char *empty)
{
    buf *o = &r->out;
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名称</th>"
                "<th>类型</th><th>所在区划</th><th>组建方式</th><th class=\"num\">党员</th>"
                "<th class=\"num\">服务区划</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const char *fz = formation_zh(g[i].row.formation);
        buf_hprintf(o,
                    "<tr><td><a href=\"/organisations/%lld\">%s</a></td><td>%s</td><td>%s</td><td>",
                    (long long)g[i].id, g[i].row.name, kind_zh(g[i].row.kind),
                    g[i].place_name ? g[i].place_name : "—");
        if (fz) buf_hprintf(o, "<span class=\"tag\">%s</span>", fz);
        buf_printf(o, "</td><td class=\"num\">%ld</td><td class=\"num\">%ld</td></tr>\n",
                   g[i].n_members, g[i].n_places);
    }
    if (n == 0) buf_hprintf(o, "<tr><td colspan=\"6\" class=\"muted\">%s</td></tr>\n", empty);
    buf_puts(o, "</tbody></table></div>\n");
}

static err_code page_orgs(req *r)
{
    int64_t me = r->me->account_id;
    const char *kind = req_query(r, "kind"), *place = req_query(r, "place"), *q = req_query(r, "q");
    const char *c = req_query(r, "cursor");
    const char *kind_id = kind && *kind ? vocab_id_for_label(&vocab_org_kinds, kind) : NULL;
    page_begin(r, "组织");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/organisations\">");
    ui_select(o, "kind", "类型", kind_options(r, "全部类型"), kind_id ? kind_id : "");
    ui_input(o, "place", "所在区划代码", place,
             "inputmode=\"numeric\" placeholder=\"如 140930100010\"");
    ui_input(o, "q", "名称", q, "");
    buf_puts(o, "<button type=\"submit\">查询</button></form>\n");
    registry_new_button(r, "/organisations", "新建组织", CAP_ORGS_WRITE, place);
    if (kind && *kind && !kind_id) return registry_refuse(r, "组织类型无效");
    if (place && *place && !store_place_visible(r->db, r->a, me, CAP_ORGS_READ, place))
        return registry_refuse(r, "区划不存在或不在您的管辖范围内");
    struct org_filter f = {.kind = kind_id,
                           .place = place,
                           .q = q,
                           .after_id = c ? atoll(c) : 0,
                           .limit = ORGS_PAGE + 1};
    struct org_view *g;
    int n = store_orgs_find(r->db, r->a, me, CAP_ORGS_READ, &f, &g);
    int shown = n > ORGS_PAGE ? ORGS_PAGE : n > 0 ? n : 0;
    orgs_table(r, g, shown, "没有符合条件的组织");
    if (n > ORGS_PAGE) {
        const char *names[] = {"kind", "place", "q"}, *vals[] = {kind_id, place, q};
        registry_pager(r, "/organisations", g[shown - 1].id, names, vals, 3);
    }
    return page_end(r);
}
ROUTE("GET", "/organisations", page_orgs, CAP_ORGS_READ, R_PAGE, NULL, "组织列表");

/* ---- The organisation form ------------------------------------------------ */

static const char *id_text(req *r, int64_t id)
{
    return id ? arena_printf(r->a, "%lld", (long long)id) : NULL;
}

static const char *flag_text(int f)
{
    return f < 0 ? NULL : f ? "1" : "0";
}

static void select_flag(req *r, const char *name, const char *label, int stored)
{
    static const char *const opts[][2] = {
        {"", "未评估"}, {"1", "已达标"}, {"0", "未达标"}, {NULL, NULL}};
    const char *v = ui_value(r, name, flag_text(stored));
    ui_select(&r->out, name, label, opts, v ? v : "");
}

/* The parent select, grouped by level of the party tree, committees first. */
static void parent_select(req *r, const struct org_view *g)
{
    buf *o = &r->out;
    static const char *const levels[] = {"party_committee", "party_working_committee",
                                         "community_party_committee", "branch", "party_group"};
    const char *parent = ui_value(r, "parent_id", g ? id_text(r, g->row.parent_id) : NULL);
    struct org_filter pf = {.limit = 500};
    struct org_view *ps;
    int n = store_orgs_find(r->db, r->a, r->me->account_id, CAP_ORGS_READ, &pf, &ps);
    bool parent_listed = false;
    buf_puts(o, "<label for=\"parent_id\">上级组织</label><select id=\"parent_id\" "
                "name=\"parent_id\"><option value=\"\">无</option>");
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        bool open = false;
        for (int i = 0; i < n; i++) {
            if (strcmp(ps[i].row.kind, levels[l]) != 0 || (g && ps[i].id == g->id)) continue;
            if (!open) buf_hprintf(o, "<optgroup label=\"%s\">", kind_zh(levels[l]));
            open = true;
            bool sel = parent && atoll(parent) == ps[i].id;
            parent_listed |= sel;
            buf_hprintf(o, "<option value=\"%lld\"%s>%s</option>", (long long)ps[i].id,
                        sel ? " selected" : "", ps[i].row.name);
        }
        if (open) buf_puts(o, "</optgroup>");
    }
    if (parent && *parent && !parent_listed)
        buf_hprintf(o, "<option value=\"%s\" selected>%s</option>", parent,
                    g && !r->form && g->parent_name ? g->parent_name : parent);
    buf_puts(o, "</select>\n");
}

/* The places served: the home place's children and what it serves now. */
static void org_places(req *r, const struct org_view *g, const char *home)
{
    int64_t me = r->me->account_id;
    struct served_place *cur = NULL, *ch = NULL;
    int ncur = g ? store_org_served(r->db, r->a, me, CAP_ORGS_READ, g->id, &cur) : 0;
    int nch =
        home && *home && store_place_level(r->db, r->a, home)
            ? store_served_places_of(
                  r->a, store_place_child_names(r->db, r->a, me, CAP_ORGS_READ, home, 300), &ch)
            : 0;
    static const struct registry_places f = {.legend =
                                                 "服务区划（支部覆盖的小区、单位服务的社区等）",
                                             .extra_label = "其他区划代码（多个用空格或逗号分隔）"};
    registry_places_fieldset(r, &f, ch, nch, cur, ncur);
}

/* Formation, phone, and a compound branch's 五有, secretary and 一肩挑. */
static void org_branch_fields(req *r, const struct org_view *g)
{
    buf *o = &r->out;
    const struct org_row *s = g ? &g->row : NULL;
    static const char *const formations[][2] = {{"", "自动（覆盖多个小区即联合组建）"},
                                                {"standalone", "单独组建"},
                                                {"joint", "联合组建"},
                                                {NULL, NULL}};
    const char *formation = ui_value(r, "formation", s ? s->formation : NULL);
    ui_select(o, "formation", "组建方式（党支部）", formations, formation ? formation : "");
    ui_input(o, "phone", "联系电话", ui_value(r, "phone", s ? s->phone : NULL),
             "inputmode=\"tel\"");
    buf_puts(o,
             "<fieldset><legend>小区党支部：五有、书记与一肩挑（仅党支部填写）</legend>\n"
             "<p class=\"muted small\">五有：有党组织、有服务阵地、有党员信息台账、有服务群众机制、"
             "有应急预案。</p>\n");
    select_flag(r, "has_position", "有服务阵地", s ? s->has_position : -1);
    select_flag(r, "has_ledger", "有党员信息台账", s ? s->has_ledger : -1);
    select_flag(r, "has_mechanism", "有服务群众机制", s ? s->has_mechanism : -1);
    select_flag(r, "has_plan", "有应急预案", s ? s->has_plan : -1);
    ui_input(o, "secretary_person_id", "支部书记（人员编号）",
             ui_value(r, "secretary_person_id", s ? id_text(r, s->secretary_person_id) : NULL),
             "inputmode=\"numeric\"");
    int nways = 0;
    while (org_secretary_ways[nways]) nways++;
    const char **zh = arena_alloc(r->a, sizeof *zh * (size_t)(nways + 1));
    for (int i = 0; i < nways; i++) zh[i] = org_secretary_way_zh(org_secretary_ways[i]);
    const char *way = ui_value(r, "secretary_way", s ? s->secretary_way : NULL);
    ui_select(o, "secretary_way", "书记选任方式（四个一批）",
              registry_options(r->a, org_secretary_ways, zh, nways, "未填写"), way ? way : "");
    select_flag(r, "one_shoulder", "一肩挑（书记兼任业委会主任）", s ? s->one_shoulder : -1);
    buf_puts(o, "</fieldset>\n");
}

/* Create (g NULL, home place `place`) or edit organisation g. */
static void org_form(req *r, const struct org_view *g, const char *place)
{
    buf *o = &r->out;
    const char *kind = ui_value(r, "kind", g ? g->row.kind : NULL);
    const char *home = ui_value(r, "place_code", g ? g->row.place_code : place);
    registry_form_open(r, "/organisations", g ? g->id : 0);
    ui_select(o, "kind", "组织类型", kind_options(r, NULL),
              kind ? vocab_id_for_label(&vocab_org_kinds, kind) : "branch");
    ui_input(o, "name", "名称", ui_value(r, "name", g ? g->row.name : NULL),
             "required maxlength=\"100\"");
    ui_input(o, "place_code", "所在区划（代码）", home, "inputmode=\"numeric\" required");
    parent_select(r, g);
    org_places(r, g, home);
    org_branch_fields(r, g);
    registry_form_close(r, g ? "保存" : "创建组织");
}

static void new_org_form(req *r, const char *place)
{
    org_form(r, NULL, place);
}

static const struct registry_new new_org = {.title = "新建组织",
                                            .list_path = "/organisations",
                                            .list_label = "组织",
                                            .crumb = "新建",
                                            .cap = CAP_ORGS_READ,
                                            .form = new_org_form};

static err_code page_org_new(req *r)
{
    return registry_new_page(r, &new_org, NULL, 200);
}
ROUTE("GET", "/organisations/new", page_org_new, CAP_ORGS_WRITE, R_PAGE, NULL, "新建组织");

static err_code page_org_create(req *r)
{
    struct org_input in;
    err_code e = bind_org(r, true, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_org_create(r->db, r->a, r->me, &in);
    const char *message;
    int status;
    e = registry_written(r, res, arena_printf(r->a, "/organisations/%lld", (long long)res.id),
                         &message, &status);
    return message ? registry_new_page(r, &new_org, message, status) : e;
}
ROUTE("POST", "/organisations", page_org_create, CAP_ORGS_WRITE, R_PAGE, NULL, "创建组织");

/* ---- One organisation ----------------------------------------------------- */

static void five_haves(req *r, const struct org_view *g)
{
    buf *o = &r->out;
    const struct org_row *s = &g->row;
    const char *labels[] = {"有服务阵地", "有党员信息台账", "有服务群众机制", "有应急预案"};
    const int flags[] = {s->has_position, s->has_ledger, s->has_mechanism, s->has_plan};
    int met = 1;
    for (int i = 0; i < 4; i++) met += flags[i] == 1;
    buf_printf(o,
               "<section class=\"card\"><h2>五有标准 <span class=\"badge\">达标 %d/5</span></h2>"
               "<ul class=\"plain\"><li>有党组织：<strong>是</strong></li>",
               met);
    for (int i = 0; i < 4; i++) {
        buf_hprintf(o, "<li>%s：", labels[i]);
        buf_puts(o, flags[i] < 0    ? "<span class=\"muted\">未评估</span></li>"
                    : flags[i] == 1 ? "<strong>是</strong></li>"
                                    : "<span class=\"badge\">否</span></li>");
    }
    buf_puts(o, "</ul>\n<h3>支部书记</h3><dl><dt>书记</dt><dd>");
    const char *name = g->secretary_name;
    if (name) {
        char m[256];
        if (!store_person_place_in_scope(r->db, r->a, r->me->account_id, CAP_PEOPLE_REVEAL,
                                         s->secretary_person_id)) {
            mask_name(name, m, sizeof m);
            name = m;
        }
        buf_hprintf(o, "<a href=\"/residents/%lld\">%s</a>", (long long)s->secretary_person_id,
                    name);
    } else
        buf_puts(o, "<span class=\"muted\">未填写</span>");
    buf_puts(o, "</dd>");
    const char *way = org_secretary_way_zh(s->secretary_way);
    ui_row(o, "选任方式", way ? way : "未填写");
    ui_row(o, "一肩挑",
           s->one_shoulder < 0 ? "未填写"
           : s->one_shoulder   ? "是（兼任业委会主任）"
                               : "否");
    buf_puts(o, "</dl></section>\n");
}

static void members(req *r, int64_t id)
{
    buf *o = &r->out;
    struct org_member *m;
    int n = store_org_member_list(r->db, r->a, r->me->account_id, id, 500, &m);
    if (n <= 0) return;
    buf_printf(o, "<h2>党员（%d）</h2>\n", n);
    buf_puts(
        o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>姓名</th><th>类别</th>"
           "<th>住址</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        char masked[256];
        const char *name = m[i].name;
        if (!m[i].can_reveal) {
            mask_name(name, masked, sizeof masked);
            name = masked;
        }
        const char *k = vocab_label(&vocab_member_kinds, m[i].member_kind);
        buf_hprintf(
            o, "<tr><td><a href=\"/residents/%lld\">%s</a></td><td>%s</td><td>%s</td></tr>\n",
            (long long)m[i].id, name, k ? k : "党员", m[i].place_name ? m[i].place_name : "—");
    }
    buf_puts(o, "</tbody></table></div>\n");
}

/* A place of the page: a link when the viewer may read places there. */
static void place_link(req *r, const char *code, const char *name)
{
    if (code && store_place_in_scope(r->db, r->me->account_id, CAP_PLACES_READ, code)) {
        buf_puts(&r->out, "<a href=\"/places/");
        buf_url(&r->out, code);
        buf_hprintf(&r->out, "\">%s</a>", name);
    } else
        buf_html(&r->out, name ? name : "—");
}

static void org_facts(req *r, const struct org_view *g)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><dl>");
    ui_row(o, "类型", kind_zh(g->row.kind));
    buf_puts(o, "<dt>所在区划</dt><dd>");
    place_link(r, g->row.place_code, g->place_name);
    buf_puts(o, "</dd>\n");
    if (formation_zh(g->row.formation)) ui_row(o, "组建方式", formation_zh(g->row.formation));
    ui_row(o, "联系电话", g->row.phone);
    ui_row_n(o, "党员", g->n_members);
    ui_row_n(o, "下级组织", g->n_children);
    buf_puts(o, "</dl></section>\n");
}

static void served_card(req *r, const struct org_view *g, const struct served_place *p, int np)
{
    buf *o = &r->out;
    long hidden = g->n_places - np;
    buf_printf(o, "<section class=\"card\"><h2>服务区划（%ld）</h2>", g->n_places);
    if (np > 0) buf_puts(o, "<ul class=\"plain\">");
    for (int i = 0; i < np; i++) {
        buf_puts(o, "<li>");
        place_link(r, p[i].code, p[i].name);
        buf_hprintf(o, " <span class=\"tag\">%s</span></li>",
                    vocab_label(&vocab_place_levels, p[i].level));
    }
    if (np > 0) buf_puts(o, "</ul>");
    if (hidden > 0) buf_printf(o, "<p class=\"muted\">另有 %ld 处不在您的管辖范围内。</p>", hidden);
    if (np <= 0 && hidden <= 0) buf_puts(o, "<p class=\"muted\">尚未设置服务区划</p>");
    buf_puts(o, "</section>\n");
}

/* The community an agreement form proposes: the home place if it is one,
 * else the first community the organisation serves. */
static const char *default_community(req *r, const struct org_view *g, const struct served_place *p,
                                     int np)
{
    const char *home = g->row.place_code;
    const char *lv = home ? store_place_level(r->db, r->a, home) : NULL;
    if (lv && !strcmp(lv, "community")) return home;
    for (int i = 0; i < np; i++)
        if (!strcmp(p[i].level, "community")) return p[i].code;
    return NULL;
}

/* The agreements, and the form to add one; `posted`: re-showing it. */
static void agreements_card(req *r, const struct org_view *g, const char *community, bool posted)
{
    buf *o = &r->out;
    struct agreement_view *ag;
    int n = store_org_agreement_list(r->db, r->a, r->me->account_id, CAP_ORGS_READ, g->id, &ag);
    buf_puts(o, "<section class=\"card\"><h2>共建协议</h2>\n");
    if (n > 0) {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>协议</th>"
                    "<th>社区</th><th>签订日期</th><th>到期日期</th></tr></thead><tbody>\n");
        for (int i = 0; i < n; i++)
            buf_hprintf(o, "<tr><td class=\"wrap\">%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                        ag[i].title, ag[i].place_name, ag[i].signed_on,
                        ag[i].expires_on ? ag[i].expires_on : "长期");
        buf_puts(o, "</tbody></table></div>\n");
    } else
        buf_puts(o, "<p class=\"muted\">尚无共建协议</p>\n");
    if (principal_has_cap(r->me, CAP_ORGS_WRITE)) {
        const char *(*v)(req *, const char *) = posted ? req_form : NULL;
        buf_puts(o, "<h3>新增共建协议</h3>");
        registry_form_open(
            r, arena_printf(r->a, "/organisations/%lld/agreements", (long long)g->id), 0);
        buf_hprintf(o,
                    "<label for=\"ag_place\">共建社区（代码）</label><input id=\"ag_place\" "
                    "name=\"place_code\" inputmode=\"numeric\" required value=\"%s\">\n",
                    v ? v(r, "place_code") : community);
        ui_input(o, "title", "协议名称", v ? v(r, "title") : NULL, "required maxlength=\"200\"");
        ui_input(o, "signed_on", "签订日期", v ? v(r, "signed_on") : NULL,
                 "type=\"date\" required");
        ui_input(o, "expires_on", "到期日期（可不填）", v ? v(r, "expires_on") : NULL,
                 "type=\"date\"");
        registry_form_close(r, "添加协议");
    }
    buf_puts(o, "</section>\n");
}

static void org_crumbs(req *r, const struct org_view *g)
{
    buf *o = &r->out;
    struct org_view parent;
    buf_puts(o,
             "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/organisations\">组织</a>");
    if (g->row.parent_id) {
        buf_puts(o, " › ");
        if (store_org_read(r->db, r->a, r->me->account_id, CAP_ORGS_READ, g->row.parent_id,
                           &parent))
            buf_hprintf(o, "<a href=\"/organisations/%lld\">%s</a>", (long long)parent.id,
                        g->parent_name);
        else
            buf_html(o, g->parent_name);
    }
    buf_hprintf(o, " › %s</nav>\n", g->row.name);
}

/* The page of organisation id; `agreement_posted`: re-showing the agreement
 * form (the edit form then shows what is stored), else the edit form when
 * something was posted. */
static err_code org_page(req *r, int64_t id, const char *error, const char *notice, int status,
                         bool agreement_posted)
{
    int64_t me = r->me->account_id;
    struct org_view g;
    if (!store_org_read(r->db, r->a, me, CAP_ORGS_READ, id, &g)) return E_NOT_FOUND;
    page_begin(r, g.row.name);
    org_crumbs(r, &g);
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    org_facts(r, &g);
    if (g.row.kind && !strcmp(g.row.kind, "branch")) five_haves(r, &g);
    struct served_place *p;
    int np = store_org_served(r->db, r->a, me, CAP_ORGS_READ, id, &p);
    served_card(r, &g, p, np);
    struct org_filter f = {.parent_id = id, .limit = 500};
    struct org_view *ch;
    int nch = store_orgs_find(r->db, r->a, me, CAP_ORGS_READ, &f, &ch);
    if (nch > 0) {
        buf_puts(&r->out, "<h2>下级组织</h2>\n");
        orgs_table(r, ch, nch, "");
    }
    members(r, id);
    agreements_card(r, &g, default_community(r, &g, p, np), agreement_posted);
    if (principal_has_cap(r->me, CAP_ORGS_WRITE) && g.row.place_code &&
        store_place_in_scope(r->db, me, CAP_ORGS_WRITE, g.row.place_code)) {
        struct form_field *posted = r->form;
        if (agreement_posted) r->form = NULL;
        buf_puts(&r->out, "<section class=\"card\"><h2>修改组织</h2>\n");
        org_form(r, &g, NULL);
        buf_puts(&r->out, "</section>\n");
        r->form = posted;
    }
    return registry_end(r, status);
}

static err_code page_org(req *r)
{
    const char *saved = req_query(r, "saved");
    return org_page(r, req_id(r, "id"), NULL, saved && *saved == '1' ? "已保存" : NULL, 200, false);
}
ROUTE("GET", "/organisations/{id}", page_org, CAP_ORGS_READ, R_PAGE, "organisation", "组织详情");

/* What a write on the organisation's page answers: back to the page, or the
 * page again with the refusal (`agreement`: on the agreement form). */
static err_code org_written(req *r, int64_t id, struct svc_result res, bool agreement)
{
    const char *message;
    int status;
    err_code e =
        registry_written(r, res, arena_printf(r->a, "/organisations/%lld?saved=1", (long long)id),
                         &message, &status);
    return message ? org_page(r, id, message, NULL, status, agreement) : e;
}

static err_code page_org_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct org_input in;
    err_code e = bind_org(r, false, &in);
    return org_written(r, id, e ? bind_refused(r, e) : svc_org_update(r->db, r->a, r->me, id, &in),
                       false);
}
ROUTE("POST", "/organisations/{id}", page_org_update, CAP_ORGS_WRITE, R_PAGE, "organisation",
      "修改组织");

static err_code page_agreement_add(req *r)
{
    int64_t id = req_id(r, "id");
    struct agreement_input in;
    err_code e = bind_agreement(r, &in);
    return org_written(
        r, id, e ? bind_refused(r, e) : svc_agreement_add(r->db, r->a, r->me, id, &in), true);
}
ROUTE("POST", "/organisations/{id}/agreements", page_agreement_add, CAP_ORGS_WRITE, R_PAGE,
      "organisation", "新增共建协议");
