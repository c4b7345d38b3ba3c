/* Organisations, 共建协议 and the branch coverage report over the API:
 * /api/v1/organisations…, /api/v1/branches/coverage. Reads are scoped in the
 * store (orgs.read); writes go through service/svc_orgs.c, which checks
 * orgs.write scope and writes the audit entry. */
#include <stdlib.h>
#include <string.h>

#include "core/branch_rule.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "api/api_registry.h"
#include "http/bind_orgs.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_orgs.h"
#include "store/store_accounts.h"
#include "store/store_orgs.h"
#include "store/store_places.h"

static void set_flag(json_t *o, const char *key, int v)
{
    json_object_set_new(o, key, v < 0 ? json_null() : json_boolean(v));
}

/* The 五有 and secretary block of a branch (the secretary's name masked unless
 * revealable). */
static void org_profile_json(req *r, json_t *j, const struct org_view *v)
{
    const struct org_row *o = &v->row;
    json_t *five = json_object();
    json_set_bool(five, "has_organisation", 1);
    set_flag(five, "has_position", o->has_position);
    set_flag(five, "has_ledger", o->has_ledger);
    set_flag(five, "has_mechanism", o->has_mechanism);
    set_flag(five, "has_plan", o->has_plan);
    json_set_int(five, "met",
                 1 + (o->has_position == 1) + (o->has_ledger == 1) + (o->has_mechanism == 1) +
                     (o->has_plan == 1));
    json_object_set_new(j, "five_haves", five);
    json_t *sec = json_object();
    const char *name = v->secretary_name;
    api_set_opt_int(sec, "person_id", o->secretary_person_id, true);
    if (name && !store_person_place_in_scope(r->db, r->a, r->me->account_id, CAP_PEOPLE_REVEAL,
                                             o->secretary_person_id)) {
        char m[256];
        mask_name(name, m, sizeof m);
        name = arena_strdup(r->a, m);
    }
    json_set_str(sec, "name", name);
    json_set_str(sec, "way", o->secretary_way);
    json_set_str(sec, "way_name", org_secretary_way_zh(o->secretary_way));
    set_flag(sec, "one_shoulder", o->one_shoulder);
    json_object_set_new(j, "secretary", sec);
}

/* One organisation as JSON; with_profile adds a branch's 五有 and secretary. */
static json_t *org_json(req *r, const struct org_view *v, bool with_profile)
{
    const struct org_row *o = &v->row;
    json_t *j = json_object();
    json_set_int(j, "id", v->id);
    json_set_str(j, "kind", o->kind);
    json_set_str(j, "kind_name", vocab_label(&vocab_org_kinds, o->kind));
    json_set_str(j, "name", o->name);
    api_set_opt_int(j, "parent_id", o->parent_id, true);
    json_set_str(j, "parent_name", v->parent_name);
    json_set_str(j, "place_code", o->place_code);
    json_set_str(j, "place_name", v->place_name);
    json_set_str(j, "formation", o->formation);
    enum branch_formation f;
    json_set_str(j, "formation_name",
                 o->formation && branch_formation_parse(o->formation, &f) ? branch_formation_zh(f)
                                                                          : NULL);
    json_set_str(j, "phone", o->phone);
    json_set_int(j, "n_places", v->n_places);
    json_set_int(j, "n_children", v->n_children);
    json_set_int(j, "n_members", v->n_members);
    if (with_profile && o->kind && !strcmp(o->kind, "branch")) org_profile_json(r, j, v);
    return j;
}

static json_t *agreement_json(const struct agreement_view *g)
{
    json_t *j = json_object();
    json_set_int(j, "id", g->id);
    json_set_int(j, "org_id", g->org_id);
    json_set_str(j, "org_name", g->org_name);
    json_set_str(j, "place_code", g->place_code);
    json_set_str(j, "place_name", g->place_name);
    json_set_str(j, "title", g->title);
    json_set_str(j, "signed_on", g->signed_on);
    json_set_str(j, "expires_on", g->expires_on);
    return j;
}

static json_t *members_json(req *r, int64_t id)
{
    json_t *members = json_array();
    struct org_member *m;
    int n = store_org_member_list(r->db, r->a, r->me->account_id, id, 500, &m);
    for (int i = 0; i < n; i++) {
        json_t *x = json_object();
        const char *name = m[i].name;
        char masked[256];
        if (!m[i].can_reveal) {
            mask_name(name, masked, sizeof masked);
            name = masked;
        }
        json_set_int(x, "id", m[i].id);
        json_set_str(x, "name", name);
        json_set_str(x, "sex", m[i].sex);
        json_set_str(x, "place_code", m[i].place_code);
        json_set_str(x, "place_name", m[i].place_name);
        json_set_str(x, "member_kind", m[i].member_kind);
        json_set_str(x, "member_kind_name", vocab_label(&vocab_member_kinds, m[i].member_kind));
        json_array_append_new(members, x);
    }
    return members;
}

/* The full record: the organisation, the places it serves that the caller
 * may see, its sub-organisations, its members (branches) and agreements. */
static json_t *org_detail(req *r, const struct org_view *o)
{
    int64_t me = r->me->account_id, id = o->id;
    json_t *j = org_json(r, o, true);
    struct served_place *p;
    int np = store_org_served(r->db, r->a, me, CAP_ORGS_READ, id, &p);
    json_object_set_new(j, "places", api_served_json(p, np, true));
    json_t *children = json_array();
    struct org_filter f = {.parent_id = id, .limit = 500};
    struct org_view *c;
    int nc = store_orgs_find(r->db, r->a, me, CAP_ORGS_READ, &f, &c);
    for (int i = 0; i < nc; i++) json_array_append_new(children, org_json(r, &c[i], false));
    json_object_set_new(j, "children", children);
    json_object_set_new(j, "members", members_json(r, id));
    json_t *agreements = json_array();
    struct agreement_view *g;
    int ng = store_org_agreement_list(r->db, r->a, me, CAP_ORGS_READ, id, &g);
    for (int i = 0; i < ng; i++) json_array_append_new(agreements, agreement_json(&g[i]));
    json_object_set_new(j, "agreements", agreements);
    return j;
}

static err_code api_orgs_list(req *r)
{
    int64_t limit, cursor;
    err_code e = api_list_window(r, &limit, &cursor);
    if (e) return e;
    struct org_filter f = {.kind = req_query(r, "kind"),
                           .place = req_query(r, "place"),
                           .serves = req_query(r, "serves"),
                           .q = req_query(r, "q"),
                           .after_id = cursor,
                           .limit = (int)limit + 1};
    if (f.kind && *f.kind) {
        f.kind = vocab_id_for_label(&vocab_org_kinds, f.kind);
        if (!f.kind) return http_fail(r, E_BAD_INPUT, "kind", "组织类型无效");
    }
    if ((e = api_place_filter(r, "place", f.place, CAP_ORGS_READ)) ||
        (e = api_place_filter(r, "serves", f.serves, CAP_ORGS_READ)))
        return e;
    if (f.q && strlen(f.q) > 100) return http_fail(r, E_BAD_INPUT, "q", "搜索词过长");
    struct org_view *o;
    int n = store_orgs_find(r->db, r->a, r->me->account_id, CAP_ORGS_READ, &f, &o);
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    int shown = n > limit ? (int)limit : n;
    for (int i = 0; i < shown; i++) json_array_append_new(items, org_json(r, &o[i], false));
    return http_json(r, 200, api_list_page(r, items, n, limit, shown ? o[shown - 1].id : 0));
}
ROUTE("GET", "/api/v1/organisations", api_orgs_list, CAP_ORGS_READ, R_API, NULL,
      "组织列表（按类型、所在区划、服务区划筛选）");

/* The organisation of the path, as the caller sees it: 200 with its record,
 * or 404 (also when it moved out of the caller's scope). */
static err_code org_answer(req *r, int64_t id, int status)
{
    struct org_view o;
    if (!store_org_read(r->db, r->a, r->me->account_id, CAP_ORGS_READ, id, &o)) return E_NOT_FOUND;
    return http_json(r, status, org_detail(r, &o));
}

static err_code api_org_get(req *r)
{
    return org_answer(r, req_id(r, "id"), 200);
}
ROUTE("GET", "/api/v1/organisations/{id}", api_org_get, CAP_ORGS_READ, R_API, "organisation",
      "组织详情：服务区划、下级组织、党员、共建协议");

static err_code api_org_create(req *r)
{
    struct org_input in;
    err_code e = bind_org(r, true, &in);
    if (e) return e;
    struct svc_result res = svc_org_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    e = org_answer(r, res.id, 201);
    return e == E_NOT_FOUND ? E_INTERNAL : e;
}
ROUTE("POST", "/api/v1/organisations", api_org_create, CAP_ORGS_WRITE, R_API, NULL,
      "新建组织（类型、名称、上级、所在区划、服务区划）");

static err_code api_org_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct org_view cur;
    /* out of scope is 404 before any complaint about the body */
    if (!store_org_read(r->db, r->a, r->me->account_id, CAP_ORGS_READ, id, &cur))
        return E_NOT_FOUND;
    struct org_input in;
    err_code e = bind_org(r, false, &in);
    if (e) return e;
    struct svc_result res = svc_org_update(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return org_answer(r, id, 200);
}
ROUTE("PATCH", "/api/v1/organisations/{id}", api_org_update, CAP_ORGS_WRITE, R_API, "organisation",
      "修改组织（只改所给字段）");

static err_code api_agreement_add(req *r)
{
    int64_t id = req_id(r, "id");
    struct org_view o;
    if (!store_org_read(r->db, r->a, r->me->account_id, CAP_ORGS_READ, id, &o)) return E_NOT_FOUND;
    struct agreement_input in;
    err_code e = bind_agreement(r, &in);
    if (e) return e;
    struct svc_result res = svc_agreement_add(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    struct agreement_view g;
    if (!store_agreement_read(r->db, r->a, r->me->account_id, CAP_ORGS_READ, res.id, &g))
        return E_INTERNAL;
    return http_json(r, 201, agreement_json(&g));
}
ROUTE("POST", "/api/v1/organisations/{id}/agreements", api_agreement_add, CAP_ORGS_WRITE, R_API,
      "organisation", "为组织与社区签订共建协议");

static json_t *coverage_row_json(const struct coverage_row *c)
{
    json_t *j = json_object();
    json_set_str(j, "code", c->code);
    json_set_str(j, "name", c->name);
    json_set_str(j, "level", c->level);
    json_set_str(j, "level_name", vocab_label(&vocab_place_levels, c->level));
    json_set_int(j, "compounds", c->cov.compounds);
    json_set_int(j, "covered", c->cov.covered);
    json_set_int(j, "branches", c->cov.branches);
    json_set_int(j, "standalone", c->cov.standalone);
    json_set_int(j, "joint", c->cov.joint);
    json_set_int(j, "party_members", c->party_members);
    json_set_int(j, "standalone_missing", c->standalone_missing);
    json_set_int(j, "joint_missing", c->joint_missing);
    /* ‰ as integers: exact in JSON, where 83.3 would print as 83.299999999999997 */
    json_set_int(j, "coverage_permille", (long long)(branch_coverage_percent(&c->cov) * 10 + 0.5));
    json_set_int(j, "standalone_permille",
                 (long long)(branch_coverage_standalone_percent(&c->cov) * 10 + 0.5));
    return j;
}

static err_code api_branch_coverage(req *r)
{
    const char *place = req_query(r, "place");
    if (!place || !*place) {
        place = store_registry_top_place(r->db, r->a, r->me->account_id, CAP_ORGS_READ);
        if (!place) return E_NOT_FOUND;
    }
    struct coverage_report rep;
    err_code e = svc_branch_coverage(r->db, r->a, r->me->account_id, place, &rep);
    if (e == E_NOT_FOUND) return http_fail(r, e, "place", "区划不存在或不在您的管辖范围内");
    if (e) return e;
    json_t *j = json_object();
    json_object_set_new(j, "total", coverage_row_json(&rep.total));
    json_t *rows = json_array();
    for (int i = 0; i < rep.nrows; i++)
        json_array_append_new(rows, coverage_row_json(&rep.rows[i]));
    json_object_set_new(j, "rows", rows);
    json_t *groups = json_array();
    for (int g = 0; g < rep.ngroups; g++) {
        json_t *x = json_object(), *cs = json_array();
        for (int k = 0; k < rep.groups[g].ncompounds; k++)
            json_array_append_new(cs, json_pack("{s:s, s:s}", "code", rep.groups[g].codes[k],
                                                "name", rep.groups[g].names[k]));
        json_object_set_new(x, "compounds", cs);
        json_set_int(x, "party_members", rep.groups[g].members);
        json_array_append_new(groups, x);
    }
    json_object_set_new(j, "proposals", groups);
    json_set_int(j, "min_members", BRANCH_MIN_MEMBERS);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/branches/coverage", api_branch_coverage, CAP_ORGS_READ, R_API, NULL,
      "小区党支部覆盖情况（逐级：小区数、已覆盖、支部数、单独组建、联合组建）");
