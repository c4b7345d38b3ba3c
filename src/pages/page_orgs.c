/* 组织: /organisations (list with filters), /organisations/new, and
 * /organisations/{id} (the places it serves, sub-organisations, members of a
 * branch, 共建协议; for a compound branch the 五有 standard, its secretary's
 * 四个一批 way and 一肩挑) with the forms to edit it and add an agreement.
 * Reads are scoped in the store; writes go through svc_orgs.c. */
#include <stdlib.h>
#include <string.h>

#include "core/branch_rule.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "pages/layout.h"
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

static void org_link(buf *o, const char *id, const char *name)
{
    buf_puts(o, "<a href=\"/organisations/");
    buf_html(o, id);
    buf_puts(o, "\">");
    buf_html(o, name);
    buf_puts(o, "</a>");
}

static void kind_options(buf *o, const char *selected, bool with_any)
{
    if (with_any) buf_puts(o, "<option value=\"\">全部类型</option>");
    for (int i = 0; i < vocab_org_kinds.count; i++) {
        const struct vocab_entry *e = &vocab_org_kinds.entries[i];
        buf_puts(o, "<option value=\"");
        buf_html(o, e->id);
        buf_puts(o, selected && !strcmp(selected, e->id) ? "\" selected>" : "\">");
        buf_html(o, e->zh);
        buf_puts(o, "</option>");
    }
}

/* A table of organisation rows (enum org_col). */
static void orgs_table(req *r, const db_rows *g, int n, const char *empty)
{
    buf *o = &r->out;
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名称</th>"
                "<th>类型</th><th>所在区划</th><th>组建方式</th><th class=\"num\">党员</th>"
                "<th class=\"num\">服务区划</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        buf_puts(o, "<tr><td>");
        org_link(o, db_get(g, i, OC_ID), db_get(g, i, OC_NAME));
        buf_puts(o, "</td><td>");
        buf_html(o, kind_zh(db_get(g, i, OC_KIND)));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(g, i, OC_PLACE_NAME) ? db_get(g, i, OC_PLACE_NAME) : "—");
        buf_puts(o, "</td><td>");
        const char *fz = formation_zh(db_get(g, i, OC_FORMATION));
        if (fz) {
            buf_puts(o, "<span class=\"tag\">");
            buf_html(o, fz);
            buf_puts(o, "</span>");
        }
        buf_printf(o, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
                   (long long)db_get_int(g, i, OC_N_MEMBERS),
                   (long long)db_get_int(g, i, OC_N_PLACES));
    }
    if (n == 0) {
        buf_puts(o, "<tr><td colspan=\"6\" class=\"muted\">");
        buf_html(o, empty);
        buf_puts(o, "</td></tr>\n");
    }
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
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/organisations\">"
                "<label for=\"kind\">类型</label><select id=\"kind\" name=\"kind\">");
    kind_options(o, kind_id, true);
    buf_puts(o, "</select><label for=\"place\">所在区划代码</label><input id=\"place\" "
                "name=\"place\" inputmode=\"numeric\" placeholder=\"如 140930100010\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><label for=\"q\">名称</label><input id=\"q\" name=\"q\" value=\"");
    buf_html(o, q);
    buf_puts(o, "\"><button type=\"submit\">查询</button></form>\n");
    if (principal_has_cap(r->me, CAP_ORGS_WRITE)) {
        buf_puts(o, "<p><a class=\"button primary\" href=\"/organisations/new");
        if (place && *place) {
            buf_puts(o, "?place=");
            buf_url(o, place);
        }
        buf_puts(o, "\">新建组织</a></p>\n");
    }
    const char *err = NULL;
    if (kind && *kind && !kind_id)
        err = "组织类型无效";
    else if (place && *place &&
             !(store_place_level(r->db, r->a, place) &&
               store_place_in_scope(r->db, me, CAP_ORGS_READ, place)))
        err = "区划不存在或不在您的管辖范围内";
    if (err) {
        page_message(r, "error", err);
        err_code e = page_end(r);
        r->status = 400;
        return e;
    }
    struct org_filter f = {.kind = kind_id,
                           .place = place,
                           .q = q,
                           .after_id = c ? atoll(c) : 0,
                           .limit = ORGS_PAGE + 1};
    db_rows *g = store_orgs_list(r->db, r->a, me, CAP_ORGS_READ, &f);
    int n = g ? (g->nrows > ORGS_PAGE ? ORGS_PAGE : g->nrows) : 0;
    orgs_table(r, g, n, "没有符合条件的组织");
    if (g && g->nrows > ORGS_PAGE) {
        buf_puts(o, "<nav class=\"pager\"><a href=\"/organisations?cursor=");
        buf_html(o, db_get(g, n - 1, OC_ID));
        const char *names[] = {"kind", "place", "q"}, *vals[] = {kind_id, place, q};
        for (int i = 0; i < 3; i++) {
            if (!vals[i] || !*vals[i]) continue;
            buf_printf(o, "&amp;%s=", names[i]);
            buf_url(o, vals[i]);
        }
        buf_puts(o, "\">下一页</a></nav>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/organisations", page_orgs, CAP_ORGS_READ, R_PAGE, NULL, "组织列表");

/* ---- The organisation form ------------------------------------------------ */

static bool in_list(const char *const *v, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

static void select_flag(buf *o, const char *name, const char *label, const char *v)
{
    buf_printf(o, "<label for=\"%s\">", name);
    buf_html(o, label);
    buf_printf(o, "</label><select id=\"%s\" name=\"%s\">", name, name);
    const char *vals[] = {"", "1", "0"}, *labels[] = {"未评估", "已达标", "未达标"};
    for (int i = 0; i < 3; i++) {
        buf_printf(o, "<option value=\"%s\"%s>%s</option>", vals[i],
                   (v ? !strcmp(v, vals[i]) : !*vals[i]) ? " selected" : "", labels[i]);
    }
    buf_puts(o, "</select>\n");
}

/* The value of a field: the posted one when re-rendering, else the stored. */
static const char *val(req *r, const db_rows *g, const char *name, int col)
{
    if (r->form) return req_form(r, name);
    return g ? db_get(g, 0, col) : NULL;
}

/* Create (g NULL, home place `place`) or edit organisation g. */
static void org_form(req *r, const db_rows *g, const char *place)
{
    buf *o = &r->out;
    int64_t me = r->me->account_id;
    const char *kind = val(r, g, "kind", OC_KIND);
    const char *home = r->form ? req_form(r, "place_code")
                       : g     ? db_get(g, 0, OC_PLACE_CODE)
                               : place;
    buf_puts(o, "<form method=\"post\" action=\"/organisations");
    if (g) {
        buf_puts(o, "/");
        buf_html(o, db_get(g, 0, OC_ID));
    }
    buf_puts(o, "\">");
    page_csrf_field(r);
    buf_puts(o, "<label for=\"kind\">组织类型</label><select id=\"kind\" name=\"kind\">");
    kind_options(o, kind ? vocab_id_for_label(&vocab_org_kinds, kind) : "branch", false);
    buf_puts(o, "</select>\n<label for=\"name\">名称</label><input id=\"name\" name=\"name\" "
                "required maxlength=\"100\" value=\"");
    buf_html(o, val(r, g, "name", OC_NAME));
    buf_puts(o, "\">\n<label for=\"place_code\">所在区划（代码）</label><input id=\"place_code\" "
                "name=\"place_code\" inputmode=\"numeric\" required value=\"");
    buf_html(o, home);
    buf_puts(o, "\">\n<label for=\"parent_id\">上级组织</label><select id=\"parent_id\" "
                "name=\"parent_id\"><option value=\"\">无</option>");
    const char *parent = val(r, g, "parent_id", OC_PARENT_ID);
    struct org_filter pf = {.limit = 500};
    db_rows *ps = store_orgs_list(r->db, r->a, me, CAP_ORGS_READ, &pf);
    bool parent_listed = false;
    /* grouped by level of the party tree, committees first */
    static const char *const levels[] = {"party_committee", "party_working_committee",
                                         "community_party_committee", "branch", "party_group"};
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        bool open = false;
        for (int i = 0; ps && i < ps->nrows; i++) {
            const char *id = db_get(ps, i, OC_ID);
            if (strcmp(db_get(ps, i, OC_KIND), levels[l]) != 0) continue;
            if (g && !strcmp(id, db_get(g, 0, OC_ID))) continue;
            if (!open) {
                buf_puts(o, "<optgroup label=\"");
                buf_html(o, kind_zh(levels[l]));
                buf_puts(o, "\">");
                open = true;
            }
            bool sel = parent && !strcmp(parent, id);
            parent_listed |= sel;
            buf_puts(o, "<option value=\"");
            buf_html(o, id);
            buf_puts(o, sel ? "\" selected>" : "\">");
            buf_html(o, db_get(ps, i, OC_NAME));
            buf_puts(o, "</option>");
        }
        if (open) buf_puts(o, "</optgroup>");
    }
    if (parent && *parent && !parent_listed) {
        buf_puts(o, "<option value=\"");
        buf_html(o, parent);
        buf_puts(o, "\" selected>");
        buf_html(o, g && !r->form && db_get(g, 0, OC_PARENT_NAME) ? db_get(g, 0, OC_PARENT_NAME)
                                                                  : parent);
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select>\n");

    /* Places served: the home place's children and what it serves now. */
    int nsel = 0;
    const char **sel = NULL;
    db_rows *cur =
        g ? store_org_places(r->db, r->a, me, CAP_ORGS_READ, db_get_int(g, 0, OC_ID)) : NULL;
    if (r->form)
        sel = req_form_list(r, "places", "places_extra", &nsel);
    else if (cur) {
        sel = arena_alloc(r->a, sizeof *sel * (size_t)(cur->nrows + 1));
        for (int i = 0; i < cur->nrows; i++) sel[nsel++] = db_get(cur, i, 0);
    }
    db_rows *ch = home && *home && store_place_level(r->db, r->a, home)
                      ? store_place_child_names(r->db, r->a, me, CAP_ORGS_READ, home, 300)
                      : NULL;
    buf_puts(o, "<fieldset><legend>服务区划（支部覆盖的小区、单位服务的社区等）</legend>\n");
    for (int pass = 0; pass < 2; pass++) {
        db_rows *list = pass ? cur : ch;
        for (int i = 0; list && i < list->nrows; i++) {
            const char *code = db_get(list, i, 0);
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
    buf_puts(o, "<label for=\"places_extra\">其他区划代码（多个用空格或逗号分隔）</label>"
                "<input id=\"places_extra\" name=\"places_extra\" value=\"");
    if (r->form) buf_html(o, req_form(r, "places_extra"));
    buf_puts(o, "\"></fieldset>\n<label for=\"formation\">组建方式（党支部）</label>"
                "<select id=\"formation\" name=\"formation\">");
    const char *formation = val(r, g, "formation", OC_FORMATION);
    const char *fv[] = {"", "standalone", "joint"},
               *fl[] = {"自动（覆盖多个小区即联合组建）", "单独组建", "联合组建"};
    for (int i = 0; i < 3; i++)
        buf_printf(o, "<option value=\"%s\"%s>%s</option>", fv[i],
                   (formation ? !strcmp(formation, fv[i]) : i == 0) ? " selected" : "", fl[i]);
    buf_puts(o,
             "</select>\n<label for=\"phone\">联系电话</label><input id=\"phone\" name=\"phone\" "
             "inputmode=\"tel\" value=\"");
    buf_html(o, val(r, g, "phone", OC_PHONE));
    buf_puts(o,
             "\">\n<fieldset><legend>小区党支部：五有、书记与一肩挑（仅党支部填写）</legend>\n"
             "<p class=\"muted small\">五有：有党组织、有服务阵地、有党员信息台账、有服务群众机制、"
             "有应急预案。</p>\n");
    select_flag(o, "has_position", "有服务阵地", val(r, g, "has_position", OC_HAS_POSITION));
    select_flag(o, "has_ledger", "有党员信息台账", val(r, g, "has_ledger", OC_HAS_LEDGER));
    select_flag(o, "has_mechanism", "有服务群众机制", val(r, g, "has_mechanism", OC_HAS_MECHANISM));
    select_flag(o, "has_plan", "有应急预案", val(r, g, "has_plan", OC_HAS_PLAN));
    buf_puts(o, "<label for=\"secretary_person_id\">支部书记（人员编号）</label><input "
                "id=\"secretary_person_id\" name=\"secretary_person_id\" inputmode=\"numeric\" "
                "value=\"");
    buf_html(o, val(r, g, "secretary_person_id", OC_SECRETARY_ID));
    buf_puts(o, "\">\n<label for=\"secretary_way\">书记选任方式（四个一批）</label><select "
                "id=\"secretary_way\" name=\"secretary_way\"><option value=\"\">未填写</option>");
    const char *way = val(r, g, "secretary_way", OC_SECRETARY_WAY);
    for (int i = 0; org_secretary_ways[i]; i++) {
        buf_puts(o, "<option value=\"");
        buf_puts(o, org_secretary_ways[i]);
        buf_puts(o, way && !strcmp(way, org_secretary_ways[i]) ? "\" selected>" : "\">");
        buf_html(o, org_secretary_way_zh(org_secretary_ways[i]));
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select>\n");
    select_flag(o, "one_shoulder", "一肩挑（书记兼任业委会主任）",
                val(r, g, "one_shoulder", OC_ONE_SHOULDER));
    buf_puts(o, "</fieldset>\n<button type=\"submit\" class=\"primary\">");
    buf_puts(o, g ? "保存" : "创建组织");
    buf_puts(o, "</button></form>\n");
}

static int form_flag(req *r, const char *name)
{
    const char *v = req_form(r, name);
    return !v || !*v ? ORG_FLAG_NULL : v[0] == '1';
}

static void org_input_from_form(req *r, struct org_input *in)
{
    *in = org_input_empty();
    in->kind = req_form(r, "kind");
    in->name = req_form(r, "name");
    in->place_code = req_form(r, "place_code");
    in->formation = req_form(r, "formation");
    in->phone = req_form(r, "phone");
    const char *parent = req_form(r, "parent_id");
    in->set_parent = true;
    in->parent_id = parent && *parent ? atoll(parent) : 0;
    if (parent && *parent && in->parent_id <= 0) in->parent_id = INT64_MAX; /* not found */
    in->set_places = true;
    in->places = req_form_list(r, "places", "places_extra", &in->nplaces);
    const char *k = vocab_id_for_label(&vocab_org_kinds, in->kind);
    if (k && !strcmp(k, "branch")) {
        in->has_position = form_flag(r, "has_position");
        in->has_ledger = form_flag(r, "has_ledger");
        in->has_mechanism = form_flag(r, "has_mechanism");
        in->has_plan = form_flag(r, "has_plan");
        in->one_shoulder = form_flag(r, "one_shoulder");
        const char *s = req_form(r, "secretary_person_id");
        in->set_secretary = true;
        in->secretary_person_id = s && *s ? atoll(s) : 0;
        if (s && *s && in->secretary_person_id <= 0) in->secretary_person_id = INT64_MAX;
        in->secretary_way = req_form(r, "secretary_way") ? req_form(r, "secretary_way") : "";
    }
}

static err_code new_org_page(req *r, const char *error, int status)
{
    page_begin(r, "新建组织");
    buf *o = &r->out;
    buf_puts(o,
             "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/organisations\">组织</a> › "
             "新建</nav>\n");
    page_message(r, "error", error);
    buf_puts(o, "<section class=\"card\">\n");
    const char *place = req_query(r, "place");
    if (place && !(store_place_level(r->db, r->a, place) &&
                   store_place_in_scope(r->db, r->me->account_id, CAP_ORGS_READ, place)))
        place = NULL;
    org_form(r, NULL, place);
    buf_puts(o, "</section>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_org_new(req *r)
{
    return new_org_page(r, NULL, 200);
}
ROUTE("GET", "/organisations/new", page_org_new, CAP_ORGS_WRITE, R_PAGE, NULL, "新建组织");

static err_code page_org_create(req *r)
{
    struct org_input in;
    org_input_from_form(r, &in);
    struct svc_result res = svc_org_create(r->db, r->a, r->me, &in);
    if (!res.err)
        return http_redirect(r, arena_printf(r->a, "/organisations/%lld", (long long)res.id));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    return new_org_page(r, res.message ? res.message : err_message_zh(res.err),
                        err_http_status(res.err));
}
ROUTE("POST", "/organisations", page_org_create, CAP_ORGS_WRITE, R_PAGE, NULL, "创建组织");

/* ---- One organisation ----------------------------------------------------- */

static void five_haves(req *r, const db_rows *g)
{
    buf *o = &r->out;
    const char *labels[] = {"有服务阵地", "有党员信息台账", "有服务群众机制", "有应急预案"};
    int met = 1;
    for (int c = OC_HAS_POSITION; c <= OC_HAS_PLAN; c++) met += db_get_int(g, 0, c) == 1;
    buf_printf(o,
               "<section class=\"card\"><h2>五有标准 <span class=\"badge\">达标 %d/5</span></h2>"
               "<ul class=\"plain\"><li>有党组织：<strong>是</strong></li>",
               met);
    for (int i = 0; i < 4; i++) {
        const char *v = db_get(g, 0, OC_HAS_POSITION + i);
        buf_puts(o, "<li>");
        buf_html(o, labels[i]);
        buf_puts(o, "：");
        buf_puts(o, !v            ? "<span class=\"muted\">未评估</span>"
                    : v[0] == '1' ? "<strong>是</strong>"
                                  : "<span class=\"badge\">否</span>");
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul>\n<h3>支部书记</h3><dl><dt>书记</dt><dd>");
    const char *name = db_get(g, 0, OC_SECRETARY_NAME);
    if (name) {
        char m[256];
        if (!store_person_place_in_scope(r->db, r->a, r->me->account_id, CAP_PEOPLE_REVEAL,
                                         db_get_int(g, 0, OC_SECRETARY_ID))) {
            mask_name(name, m, sizeof m);
            name = m;
        }
        buf_puts(o, "<a href=\"/residents/");
        buf_html(o, db_get(g, 0, OC_SECRETARY_ID));
        buf_puts(o, "\">");
        buf_html(o, name);
        buf_puts(o, "</a>");
    } else
        buf_puts(o, "<span class=\"muted\">未填写</span>");
    buf_puts(o, "</dd><dt>选任方式</dt><dd>");
    const char *way = org_secretary_way_zh(db_get(g, 0, OC_SECRETARY_WAY));
    buf_html(o, way ? way : "未填写");
    buf_puts(o, "</dd><dt>一肩挑</dt><dd>");
    const char *one = db_get(g, 0, OC_ONE_SHOULDER);
    buf_puts(o, !one ? "未填写" : one[0] == '1' ? "是（兼任业委会主任）" : "否");
    buf_puts(o, "</dd></dl></section>\n");
}

static void members(req *r, int64_t id)
{
    buf *o = &r->out;
    db_rows *m = store_org_members(r->db, r->a, r->me->account_id, id, 500);
    if (!m || !m->nrows) return;
    buf_printf(o, "<h2>党员（%d）</h2>\n", m->nrows);
    buf_puts(
        o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>姓名</th><th>类别</th>"
           "<th>住址</th></tr></thead><tbody>\n");
    for (int i = 0; i < m->nrows; i++) {
        char masked[256];
        const char *n = db_get(m, i, MC_NAME);
        if (!db_get_int(m, i, MC_REVEAL)) {
            mask_name(n, masked, sizeof masked);
            n = masked;
        }
        buf_puts(o, "<tr><td><a href=\"/residents/");
        buf_html(o, db_get(m, i, MC_ID));
        buf_puts(o, "\">");
        buf_html(o, n);
        buf_puts(o, "</a></td><td>");
        const char *k = vocab_label(&vocab_member_kinds, db_get(m, i, MC_KIND));
        buf_html(o, k ? k : "党员");
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(m, i, MC_PLACE_NAME) ? db_get(m, i, MC_PLACE_NAME) : "—");
        buf_puts(o, "</td></tr>\n");
    }
    buf_puts(o, "</tbody></table></div>\n");
}

/* The community an agreement form proposes: the home place if it is one,
 * else the first community the organisation serves. */
static const char *default_community(req *r, const db_rows *g, const db_rows *places)
{
    const char *home = db_get(g, 0, OC_PLACE_CODE);
    const char *lv = store_place_level(r->db, r->a, home);
    if (lv && !strcmp(lv, "community")) return home;
    for (int i = 0; places && i < places->nrows; i++)
        if (!strcmp(db_get(places, i, 2), "community")) return db_get(places, i, 0);
    return NULL;
}

static err_code org_page(req *r, int64_t id, const char *error, const char *notice, int status,
                         bool agreement_posted)
{
    int64_t me = r->me->account_id;
    db_rows *g = store_org_get(r->db, r->a, me, CAP_ORGS_READ, id);
    if (!g) return E_NOT_FOUND;
    const char *kind = db_get(g, 0, OC_KIND), *home = db_get(g, 0, OC_PLACE_CODE);
    page_begin(r, db_get(g, 0, OC_NAME));
    buf *o = &r->out;
    buf_puts(o,
             "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/organisations\">组织</a>");
    if (db_get(g, 0, OC_PARENT_ID)) {
        buf_puts(o, " › ");
        if (store_org_get(r->db, r->a, me, CAP_ORGS_READ, db_get_int(g, 0, OC_PARENT_ID)))
            org_link(o, db_get(g, 0, OC_PARENT_ID), db_get(g, 0, OC_PARENT_NAME));
        else
            buf_html(o, db_get(g, 0, OC_PARENT_NAME));
    }
    buf_puts(o, " › ");
    buf_html(o, db_get(g, 0, OC_NAME));
    buf_puts(o, "</nav>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_puts(o, "<section class=\"card\"><dl><dt>类型</dt><dd>");
    buf_html(o, kind_zh(kind));
    buf_puts(o, "</dd><dt>所在区划</dt><dd>");
    if (home && store_place_in_scope(r->db, me, CAP_PLACES_READ, home)) {
        buf_puts(o, "<a href=\"/places/");
        buf_url(o, home);
        buf_puts(o, "\">");
        buf_html(o, db_get(g, 0, OC_PLACE_NAME));
        buf_puts(o, "</a>");
    } else
        buf_html(o, db_get(g, 0, OC_PLACE_NAME) ? db_get(g, 0, OC_PLACE_NAME) : "—");
    if (formation_zh(db_get(g, 0, OC_FORMATION))) {
        buf_puts(o, "</dd><dt>组建方式</dt><dd>");
        buf_html(o, formation_zh(db_get(g, 0, OC_FORMATION)));
    }
    buf_puts(o, "</dd><dt>联系电话</dt><dd>");
    buf_html(o, db_get(g, 0, OC_PHONE) ? db_get(g, 0, OC_PHONE) : "—");
    buf_printf(o, "</dd><dt>党员</dt><dd>%lld</dd><dt>下级组织</dt><dd>%lld</dd></dl></section>\n",
               (long long)db_get_int(g, 0, OC_N_MEMBERS),
               (long long)db_get_int(g, 0, OC_N_CHILDREN));
    if (kind && !strcmp(kind, "branch")) five_haves(r, g);

    db_rows *p = store_org_places(r->db, r->a, me, CAP_ORGS_READ, id);
    int np = p ? p->nrows : 0;
    long long hidden = db_get_int(g, 0, OC_N_PLACES) - np;
    buf_printf(o, "<section class=\"card\"><h2>服务区划（%lld）</h2>",
               (long long)db_get_int(g, 0, OC_N_PLACES));
    if (np) buf_puts(o, "<ul class=\"plain\">");
    for (int i = 0; i < np; i++) {
        buf_puts(o, "<li>");
        if (store_place_in_scope(r->db, me, CAP_PLACES_READ, db_get(p, i, 0))) {
            buf_puts(o, "<a href=\"/places/");
            buf_url(o, db_get(p, i, 0));
            buf_puts(o, "\">");
            buf_html(o, db_get(p, i, 1));
            buf_puts(o, "</a>");
        } else
            buf_html(o, db_get(p, i, 1));
        buf_puts(o, " <span class=\"tag\">");
        buf_html(o, vocab_label(&vocab_place_levels, db_get(p, i, 2)));
        buf_puts(o, "</span></li>");
    }
    if (np) buf_puts(o, "</ul>");
    if (hidden > 0)
        buf_printf(o, "<p class=\"muted\">另有 %lld 处不在您的管辖范围内。</p>", hidden);
    if (!np && hidden <= 0) buf_puts(o, "<p class=\"muted\">尚未设置服务区划</p>");
    buf_puts(o, "</section>\n");

    struct org_filter f = {.parent_id = id, .limit = 500};
    db_rows *ch = store_orgs_list(r->db, r->a, me, CAP_ORGS_READ, &f);
    if (ch && ch->nrows) {
        buf_puts(o, "<h2>下级组织</h2>\n");
        orgs_table(r, ch, ch->nrows, "");
    }
    members(r, id);
    db_rows *ag = store_org_agreements(r->db, r->a, me, CAP_ORGS_READ, id);
    buf_puts(o, "<section class=\"card\"><h2>共建协议</h2>\n");
    if (ag && ag->nrows) {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>协议</th>"
                    "<th>社区</th><th>签订日期</th><th>到期日期</th></tr></thead><tbody>\n");
        for (int i = 0; i < ag->nrows; i++) {
            buf_puts(o, "<tr><td class=\"wrap\">");
            buf_html(o, db_get(ag, i, AG_TITLE));
            buf_puts(o, "</td><td>");
            buf_html(o, db_get(ag, i, AG_PLACE_NAME));
            buf_puts(o, "</td><td>");
            buf_html(o, db_get(ag, i, AG_SIGNED));
            buf_puts(o, "</td><td>");
            buf_html(o, db_get(ag, i, AG_EXPIRES) ? db_get(ag, i, AG_EXPIRES) : "长期");
            buf_puts(o, "</td></tr>\n");
        }
        buf_puts(o, "</tbody></table></div>\n");
    } else
        buf_puts(o, "<p class=\"muted\">尚无共建协议</p>\n");

    bool can_write = principal_has_cap(r->me, CAP_ORGS_WRITE);
    if (can_write) {
        /* re-rendering one form keeps the other form's fields fresh */
        struct form_field *posted = r->form;
        if (!agreement_posted) r->form = NULL;
        buf_puts(o, "<h3>新增共建协议</h3><form method=\"post\" action=\"/organisations/");
        buf_html(o, db_get(g, 0, OC_ID));
        buf_puts(o, "/agreements\">");
        page_csrf_field(r);
        buf_puts(o, "<label for=\"ag_place\">共建社区（代码）</label><input id=\"ag_place\" "
                    "name=\"place_code\" inputmode=\"numeric\" required value=\"");
        buf_html(o, r->form ? req_form(r, "place_code") : default_community(r, g, p));
        buf_puts(o, "\">\n<label for=\"title\">协议名称</label><input id=\"title\" name=\"title\" "
                    "required maxlength=\"200\" value=\"");
        buf_html(o, r->form ? req_form(r, "title") : NULL);
        buf_puts(o, "\">\n<label for=\"signed_on\">签订日期</label><input id=\"signed_on\" "
                    "name=\"signed_on\" type=\"date\" required value=\"");
        buf_html(o, r->form ? req_form(r, "signed_on") : NULL);
        buf_puts(o, "\">\n<label for=\"expires_on\">到期日期（可不填）</label><input "
                    "id=\"expires_on\" name=\"expires_on\" type=\"date\" value=\"");
        buf_html(o, r->form ? req_form(r, "expires_on") : NULL);
        buf_puts(o, "\">\n<button type=\"submit\" class=\"primary\">添加协议</button></form>\n");
        r->form = agreement_posted ? NULL : posted;
    }
    buf_puts(o, "</section>\n");
    if (can_write && home && store_place_in_scope(r->db, me, CAP_ORGS_WRITE, home)) {
        buf_puts(o, "<section class=\"card\"><h2>修改组织</h2>\n");
        org_form(r, g, NULL);
        buf_puts(o, "</section>\n");
    }
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_org(req *r)
{
    int64_t id = req_id(r, "id");
    const char *saved = req_query(r, "saved");
    return org_page(r, id, NULL, saved && *saved == '1' ? "已保存" : NULL, 200, false);
}
ROUTE("GET", "/organisations/{id}", page_org, CAP_ORGS_READ, R_PAGE, "organisation", "组织详情");

static err_code page_org_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct org_input in;
    org_input_from_form(r, &in);
    struct svc_result res = svc_org_update(r->db, r->a, r->me, id, &in);
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err)
        return http_redirect(r, arena_printf(r->a, "/organisations/%lld?saved=1", (long long)id));
    return org_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                    err_http_status(res.err), false);
}
ROUTE("POST", "/organisations/{id}", page_org_update, CAP_ORGS_WRITE, R_PAGE, "organisation",
      "修改组织");

static err_code page_agreement_add(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res =
        svc_agreement_add(r->db, r->a, r->me, id, req_form(r, "place_code"), req_form(r, "title"),
                          req_form(r, "signed_on"), req_form(r, "expires_on"));
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err)
        return http_redirect(r, arena_printf(r->a, "/organisations/%lld?saved=1", (long long)id));
    return org_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                    err_http_status(res.err), true);
}
ROUTE("POST", "/organisations/{id}/agreements", page_agreement_add, CAP_ORGS_WRITE, R_PAGE,
      "organisation", "新增共建协议");
