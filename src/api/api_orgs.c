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
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_orgs.h"
#include "store/store_accounts.h"
#include "store/store_orgs.h"
#include "store/store_places.h"

static void set_flag(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_boolean(v[0] == '1') : json_null());
}

/* One organisation row (enum org_col) as JSON; with_profile adds the 五有 and
 * secretary block of a branch (the secretary's name masked unless revealable). */
static json_t *org_json(req *r, const db_rows *o, int i, bool with_profile)
{
    json_t *j = json_object();
    const char *kind = db_get(o, i, OC_KIND), *formation = db_get(o, i, OC_FORMATION);
    json_set_id(j, "id", db_get(o, i, OC_ID));
    json_set_str(j, "kind", kind);
    json_set_str(j, "kind_name", vocab_label(&vocab_org_kinds, kind));
    json_set_str(j, "name", db_get(o, i, OC_NAME));
    json_set_id(j, "parent_id", db_get(o, i, OC_PARENT_ID));
    json_set_str(j, "parent_name", db_get(o, i, OC_PARENT_NAME));
    json_set_str(j, "place_code", db_get(o, i, OC_PLACE_CODE));
    json_set_str(j, "place_name", db_get(o, i, OC_PLACE_NAME));
    json_set_str(j, "formation", formation);
    enum branch_formation f;
    json_set_str(j, "formation_name",
                 formation && branch_formation_parse(formation, &f) ? branch_formation_zh(f)
                                                                    : NULL);
    json_set_str(j, "phone", db_get(o, i, OC_PHONE));
    json_set_int(j, "n_places", db_get_int(o, i, OC_N_PLACES));
    json_set_int(j, "n_children", db_get_int(o, i, OC_N_CHILDREN));
    json_set_int(j, "n_members", db_get_int(o, i, OC_N_MEMBERS));
    if (with_profile && kind && !strcmp(kind, "branch")) {
        json_t *five = json_object();
        json_set_bool(five, "has_organisation", 1);
        set_flag(five, "has_position", db_get(o, i, OC_HAS_POSITION));
        set_flag(five, "has_ledger", db_get(o, i, OC_HAS_LEDGER));
        set_flag(five, "has_mechanism", db_get(o, i, OC_HAS_MECHANISM));
        set_flag(five, "has_plan", db_get(o, i, OC_HAS_PLAN));
        int met = 1;
        for (int c = OC_HAS_POSITION; c <= OC_HAS_PLAN; c++) met += db_get_int(o, i, c) == 1;
        json_set_int(five, "met", met);
        json_object_set_new(j, "five_haves", five);
        json_t *sec = json_object();
        const char *sid = db_get(o, i, OC_SECRETARY_ID), *name = db_get(o, i, OC_SECRETARY_NAME);
        json_set_id(sec, "person_id", sid);
        if (name && !store_person_place_in_scope(r->db, r->a, r->me->account_id, CAP_PEOPLE_REVEAL,
                                                 db_get_int(o, i, OC_SECRETARY_ID))) {
            char m[256];
            mask_name(name, m, sizeof m);
            name = arena_strdup(r->a, m);
        }
        json_set_str(sec, "name", name);
        json_set_str(sec, "way", db_get(o, i, OC_SECRETARY_WAY));
        json_set_str(sec, "way_name", org_secretary_way_zh(db_get(o, i, OC_SECRETARY_WAY)));
        set_flag(sec, "one_shoulder", db_get(o, i, OC_ONE_SHOULDER));
        json_object_set_new(j, "secretary", sec);
    }
    return j;
}

static json_t *agreement_json(const db_rows *g, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(g, i, AG_ID));
    json_set_id(j, "org_id", db_get(g, i, AG_ORG_ID));
    json_set_str(j, "org_name", db_get(g, i, AG_ORG_NAME));
    json_set_str(j, "place_code", db_get(g, i, AG_PLACE));
    json_set_str(j, "place_name", db_get(g, i, AG_PLACE_NAME));
    json_set_str(j, "title", db_get(g, i, AG_TITLE));
    json_set_str(j, "signed_on", db_get(g, i, AG_SIGNED));
    json_set_str(j, "expires_on", db_get(g, i, AG_EXPIRES));
    return j;
}

/* The full record: the organisation, the places it serves that the caller
 * may see, its sub-organisations, its members (branches) and agreements. */
static json_t *org_detail(req *r, const db_rows *o)
{
    int64_t me = r->me->account_id, id = db_get_int(o, 0, OC_ID);
    json_t *j = org_json(r, o, 0, true);
    json_t *places = json_array();
    db_rows *p = store_org_places(r->db, r->a, me, CAP_ORGS_READ, id);
    for (int i = 0; p && i < p->nrows; i++) {
        json_t *x = json_object();
        json_set_str(x, "code", db_get(p, i, 0));
        json_set_str(x, "name", db_get(p, i, 1));
        json_set_str(x, "level", db_get(p, i, 2));
        json_set_str(x, "level_name", vocab_label(&vocab_place_levels, db_get(p, i, 2)));
        json_array_append_new(places, x);
    }
    json_object_set_new(j, "places", places);
    json_t *children = json_array();
    struct org_filter f = {.parent_id = id, .limit = 500};
    db_rows *c = store_orgs_list(r->db, r->a, me, CAP_ORGS_READ, &f);
    for (int i = 0; c && i < c->nrows; i++)
        json_array_append_new(children, org_json(r, c, i, false));
    json_object_set_new(j, "children", children);
    json_t *members = json_array();
    db_rows *m = store_org_members(r->db, r->a, me, id, 500);
    for (int i = 0; m && i < m->nrows; i++) {
        json_t *x = json_object();
        const char *name = db_get(m, i, MC_NAME);
        char masked[256];
        if (!db_get_int(m, i, MC_REVEAL)) {
            mask_name(name, masked, sizeof masked);
            name = masked;
        }
        json_set_id(x, "id", db_get(m, i, MC_ID));
        json_set_str(x, "name", name);
        json_set_str(x, "sex", db_get(m, i, MC_SEX));
        json_set_str(x, "place_code", db_get(m, i, MC_PLACE));
        json_set_str(x, "place_name", db_get(m, i, MC_PLACE_NAME));
        json_set_str(x, "member_kind", db_get(m, i, MC_KIND));
        json_set_str(x, "member_kind_name",
                     vocab_label(&vocab_member_kinds, db_get(m, i, MC_KIND)));
        json_array_append_new(members, x);
    }
    json_object_set_new(j, "members", members);
    json_t *agreements = json_array();
    db_rows *g = store_org_agreements(r->db, r->a, me, CAP_ORGS_READ, id);
    for (int i = 0; g && i < g->nrows; i++) json_array_append_new(agreements, agreement_json(g, i));
    json_object_set_new(j, "agreements", agreements);
    return j;
}

/* A place filter must name a place in the caller's scope. */
static bool place_ok(req *r, const char *code, const char *cap)
{
    return !code || !*code ||
           (store_place_level(r->db, r->a, code) &&
            store_place_in_scope(r->db, r->me->account_id, cap, code));
}

static err_code api_orgs_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
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
    if (!place_ok(r, f.place, CAP_ORGS_READ))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    if (!place_ok(r, f.serves, CAP_ORGS_READ))
        return http_fail(r, E_NOT_FOUND, "serves", "区划不存在或不在您的管辖范围内");
    if (f.q && strlen(f.q) > 100) return http_fail(r, E_BAD_INPUT, "q", "搜索词过长");
    db_rows *o = store_orgs_list(r->db, r->a, r->me->account_id, CAP_ORGS_READ, &f);
    if (!o) return E_INTERNAL;
    json_t *items = json_array();
    int n = o->nrows > limit ? (int)limit : o->nrows;
    for (int i = 0; i < n; i++) json_array_append_new(items, org_json(r, o, i, false));
    return http_json(r, 200, json_page(items, o->nrows > limit ? db_get(o, n - 1, OC_ID) : NULL));
}
ROUTE("GET", "/api/v1/organisations", api_orgs_list, CAP_ORGS_READ, R_API, NULL,
      "组织列表（按类型、所在区划、服务区划筛选）");

static err_code load_org(req *r, db_rows **out)
{
    int64_t id = req_id(r, "id");
    *out = store_org_get(r->db, r->a, r->me->account_id, CAP_ORGS_READ, id);
    return *out ? E_OK : E_NOT_FOUND;
}

static err_code api_org_get(req *r)
{
    db_rows *o;
    err_code e = load_org(r, &o);
    return e ? e : http_json(r, 200, org_detail(r, o));
}
ROUTE("GET", "/api/v1/organisations/{id}", api_org_get, CAP_ORGS_READ, R_API, "organisation",
      "组织详情：服务区划、下级组织、党员、共建协议");

/* A JSON boolean field: absent keeps, null clears, true/false set. */
static err_code json_flag(req *r, const char *key, int *out)
{
    json_t *v = json_object_get(r->json, key);
    if (!v)
        *out = ORG_FLAG_KEEP;
    else if (json_is_null(v))
        *out = ORG_FLAG_NULL;
    else if (json_is_boolean(v))
        *out = json_is_true(v);
    else
        return http_fail(r, E_BAD_INPUT, key,
                         arena_printf(r->a, "%s 应为 true、false 或 null", key));
    return E_OK;
}

/* A JSON string field: absent NULL (keep), null "" (clear). */
static err_code json_text(req *r, const char *key, const char **out)
{
    json_t *v = json_object_get(r->json, key);
    if (!v)
        *out = NULL;
    else if (json_is_null(v))
        *out = "";
    else if (json_is_string(v))
        *out = json_string_value(v);
    else
        return http_fail(r, E_BAD_INPUT, key, arena_printf(r->a, "%s 应为字符串", key));
    return E_OK;
}

/* A JSON id field: absent leaves *set false, null is 0. */
static err_code json_id(req *r, const char *key, bool *set, int64_t *out)
{
    json_t *v = json_object_get(r->json, key);
    *set = v != NULL;
    *out = 0;
    if (!v || json_is_null(v)) return E_OK;
    if (json_is_integer(v) && json_integer_value(v) > 0)
        *out = json_integer_value(v);
    else
        return http_fail(r, E_BAD_INPUT, key, arena_printf(r->a, "%s 应为正整数编号", key));
    return E_OK;
}

static err_code org_input_from_json(req *r, struct org_input *in)
{
    *in = org_input_empty();
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    const char *keys[] = {"kind", "name", "place_code", "formation", "phone", "secretary_way"};
    const char **dst[] = {&in->kind,      &in->name,  &in->place_code,
                          &in->formation, &in->phone, &in->secretary_way};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        err_code e = json_text(r, keys[i], dst[i]);
        if (e) return e;
    }
    err_code e = json_id(r, "parent_id", &in->set_parent, &in->parent_id);
    if (!e) e = json_id(r, "secretary_person_id", &in->set_secretary, &in->secretary_person_id);
    if (!e) e = json_flag(r, "has_position", &in->has_position);
    if (!e) e = json_flag(r, "has_ledger", &in->has_ledger);
    if (!e) e = json_flag(r, "has_mechanism", &in->has_mechanism);
    if (!e) e = json_flag(r, "has_plan", &in->has_plan);
    if (!e) e = json_flag(r, "one_shoulder", &in->one_shoulder);
    if (e) return e;
    json_t *places = json_object_get(r->json, "places");
    if (places) {
        if (!json_is_array(places))
            return http_fail(r, E_BAD_INPUT, "places", "places 应为区划代码数组");
        size_t n = json_array_size(places);
        const char **codes = arena_alloc(r->a, sizeof *codes * (n + 1));
        for (size_t i = 0; i < n; i++) {
            codes[i] = json_string_value(json_array_get(places, i));
            if (!codes[i]) return http_fail(r, E_BAD_INPUT, "places", "places 应为区划代码数组");
        }
        in->set_places = true;
        in->places = codes;
        in->nplaces = (int)n;
    }
    return E_OK;
}

static err_code api_org_create(req *r)
{
    struct org_input in;
    err_code e = org_input_from_json(r, &in);
    if (e) return e;
    struct svc_result res = svc_org_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *o = store_org_get(r->db, r->a, r->me->account_id, CAP_ORGS_READ, res.id);
    if (!o) return E_INTERNAL;
    return http_json(r, 201, org_detail(r, o));
}
ROUTE("POST", "/api/v1/organisations", api_org_create, CAP_ORGS_WRITE, R_API, NULL,
      "新建组织（类型、名称、上级、所在区划、服务区划）");

static err_code api_org_update(req *r)
{
    int64_t id = req_id(r, "id");
    /* out of scope is 404 before any complaint about the body */
    if (!store_org_get(r->db, r->a, r->me->account_id, CAP_ORGS_READ, id)) return E_NOT_FOUND;
    struct org_input in;
    err_code e = org_input_from_json(r, &in);
    if (e) return e;
    struct svc_result res = svc_org_update(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *o = store_org_get(r->db, r->a, r->me->account_id, CAP_ORGS_READ, id);
    if (!o) return E_NOT_FOUND; /* moved out of the caller's scope */
    return http_json(r, 200, org_detail(r, o));
}
ROUTE("PATCH", "/api/v1/organisations/{id}", api_org_update, CAP_ORGS_WRITE, R_API, "organisation",
      "修改组织（只改所给字段）");

static err_code api_agreement_add(req *r)
{
    db_rows *o;
    err_code e = load_org(r, &o);
    if (e) return e;
    struct svc_result res = svc_agreement_add(
        r->db, r->a, r->me, db_get_int(o, 0, OC_ID), req_input(r, "place_code"),
        req_input(r, "title"), req_input(r, "signed_on"), req_input(r, "expires_on"));
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *g = store_agreement_get(r->db, r->a, r->me->account_id, CAP_ORGS_READ, res.id);
    if (!g) return E_INTERNAL;
    return http_json(r, 201, agreement_json(g, 0));
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
        db_rows *t = store_place_tops(r->db, r->a, r->me->account_id, CAP_ORGS_READ);
        if (!t || !t->nrows) return E_NOT_FOUND;
        place = db_get(t, 0, PLC_CODE);
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
