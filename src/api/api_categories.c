/* 事项分类 and 责任清单 over the API: /api/v1/categories… and
 * /api/v1/responsibilities…. Reads need places.read; writes go through
 * service/svc_categories.c, which checks orgs.write scope and audits. */
#include <stdlib.h>
#include <string.h>

#include "core/category_seed.h"
#include "core/roles.h"
#include "api/api_registry.h"
#include "http/bind_categories.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_categories.h"
#include "store/store_categories.h"

static json_t *category_json(req *r, const struct category_eff *e)
{
    char limits[96];
    json_t *j = json_object();
    json_set_str(j, "code", e->code);
    json_set_str(j, "service_code", e->code);
    json_set_str(j, "parent_code", e->parent_code);
    json_set_str(j, "place_code", e->place_code);
    json_set_str(j, "place_name", e->place_name);
    json_set_str(j, "name", e->name);
    json_set_str(j, "description", e->description);
    json_set_int(j, "depth", e->depth);
    json_set_int(j, "response_minutes", e->response_minutes);
    json_set_int(j, "resolution_minutes", e->resolution_minutes);
    json_set_bool(j, "working_hours", e->working_hours);
    json_set_str(j, "limits_text",
                 arena_strdup(r->a, category_limits_zh(e->response_minutes, e->resolution_minutes,
                                                       e->working_hours, limits, sizeof limits)));
    json_set_str(j, "tier", e->tier);
    json_set_str(j, "tier_name", category_term_zh(category_tiers, category_tiers_count, e->tier));
    json_set_str(j, "skill", e->skill);
    json_set_str(j, "whistle", e->whistle);
    json_set_str(j, "whistle_name",
                 category_term_zh(category_whistles, category_whistles_count, e->whistle));
    json_set_bool(j, "active", e->active);
    json_set_int(j, "sort_order", e->sort_order);
    json_set_str(j, "override_place", e->override_place);
    return j;
}

static err_code api_categories_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, 1000000, 0, &cursor);
    if (e) return e;
    struct category_eff *all;
    int n;
    e = svc_categories_tree(r->db, r->a, r->me->account_id, req_query(r, "place"), &all, &n);
    if (e == E_NOT_FOUND) return http_fail(r, e, "place", "区划不存在或不在您的管辖范围内");
    if (e) return e;
    json_t *items = json_array();
    int end = cursor + limit < n ? (int)(cursor + limit) : n;
    for (int i = (int)cursor; i < end; i++) json_array_append_new(items, category_json(r, &all[i]));
    return http_json(r, 200, json_page(items, end < n ? arena_printf(r->a, "%d", end) : NULL));
}
ROUTE("GET", "/api/v1/categories", api_categories_list, CAP_PLACES_READ, R_API, NULL,
      "事项分类树（按层级深度优先；带 place 参数时为该区划的实际时限）");

static json_t *override_item(const struct override_view *v)
{
    const struct override_row *o = &v->row;
    json_t *j = json_object();
    json_set_int(j, "id", v->id);
    json_set_str(j, "place_code", o->place_code);
    json_set_str(j, "place_name", v->place_name);
    api_set_opt_int(j, "response_minutes", o->response_minutes, true);
    api_set_opt_int(j, "resolution_minutes", o->resolution_minutes, true);
    json_object_set_new(j, "working_hours",
                        o->working_hours < 0 ? json_null() : json_boolean(o->working_hours));
    json_object_set_new(j, "active", o->active < 0 ? json_null() : json_boolean(o->active));
    json_set_str(j, "tier", o->tier);
    json_set_str(j, "skill", o->skill);
    json_set_str(j, "whistle", o->whistle);
    return j;
}

static err_code category_detail(req *r, const char *code, const char *at, int status)
{
    struct category_eff c;
    err_code e = svc_category_get(r->db, r->a, r->me->account_id, code, at, &c);
    if (e) return e;
    json_t *j = category_json(r, &c);
    json_t *ov = json_array();
    struct override_view *o;
    int n =
        store_category_overrides_of_list(r->db, r->a, r->me->account_id, CAP_PLACES_READ, code, &o);
    for (int i = 0; i < n; i++) json_array_append_new(ov, override_item(&o[i]));
    json_object_set_new(j, "overrides", ov);
    return http_json(r, status, j);
}

static err_code api_category_get(req *r)
{
    return category_detail(r, req_param(r, "code"), req_query(r, "place"), 200);
}
ROUTE("GET", "/api/v1/categories/{code}", api_category_get, CAP_PLACES_READ, R_API, "category",
      "事项分类详情（带 place 参数时为该区划的实际时限）及各区划设置");

static err_code api_category_create(req *r)
{
    struct category_input in;
    err_code e = bind_category(r, true, &in, NULL);
    if (e) return e;
    struct svc_result res = svc_category_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return category_detail(r, in.code, NULL, 201);
}
ROUTE("POST", "/api/v1/categories", api_category_create, CAP_ORGS_WRITE, R_API, NULL,
      "新建事项分类（全域或某区划的本地分类）");

static err_code api_category_update(req *r)
{
    const char *code = req_param(r, "code"), *place = req_query(r, "place");
    /* out of scope is 404 before any complaint about the body */
    struct category_eff c;
    if (svc_category_get(r->db, r->a, r->me->account_id, code, NULL, &c)) return E_NOT_FOUND;
    struct category_input in;
    err_code e = bind_category(r, false, &in, NULL);
    if (e) return e;
    bool local = place && *place;
    struct svc_result res = local ? svc_category_override(r->db, r->a, r->me, code, place, &in)
                                  : svc_category_update(r->db, r->a, r->me, code, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return category_detail(r, code, local ? place : NULL, 200);
}
ROUTE("PATCH", "/api/v1/categories/{code}", api_category_update, CAP_ORGS_WRITE, R_API, "category",
      "修改事项分类；带 place 参数时为该区划及其下级设置时限、层级等");

/* ------------------------------------------------------------------ 责任清单 */

static json_t *resp_json(const struct resp_view *g)
{
    json_t *j = json_object();
    json_set_int(j, "id", g->id);
    json_set_str(j, "category_code", g->category_code);
    json_set_str(j, "category_name", g->category_name);
    json_set_str(j, "place_code", g->place_code);
    json_set_str(j, "place_name", g->place_name);
    json_set_int(j, "org_id", g->org_id);
    json_set_str(j, "org_name", g->org_name);
    json_set_str(j, "org_kind", g->org_kind);
    json_set_str(j, "role", g->role);
    json_set_str(j, "role_name",
                 category_term_zh(category_resp_roles, category_resp_roles_count, g->role));
    json_set_str(j, "note", g->note);
    return j;
}

static err_code api_resp_list(req *r)
{
    int64_t limit, cursor;
    err_code e = api_list_window(r, &limit, &cursor);
    if (e) return e;
    const char *cat = req_query(r, "category"), *place = req_query(r, "place");
    if (cat && !*cat) cat = NULL;
    if (place && !*place) place = NULL;
    struct resp_view *g;
    int n;
    if (cat && place) {
        /* the lookup: who handles C at P, the narrowest place wins */
        const char *used;
        e = svc_responsibility_lookup(r->db, r->a, r->me->account_id, cat, place, &g, &n, &used);
        if (e == E_NOT_FOUND)
            return http_fail(r, e, NULL, "事项分类或区划不存在，或不在您的管辖范围内");
        if (e) return e;
        json_t *items = json_array();
        for (int i = 0; i < n; i++) json_array_append_new(items, resp_json(&g[i]));
        return http_json(r, 200, json_page(items, NULL));
    }
    if ((e = api_place_filter(r, "place", place, CAP_PLACES_READ))) return e;
    struct resp_filter f = {
        .category = cat, .place = place, .after_id = cursor, .limit = (int)limit + 1};
    n = store_responsibilities_find(r->db, r->a, r->me->account_id, CAP_PLACES_READ, &f, &g);
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    int shown = n > limit ? (int)limit : n;
    for (int i = 0; i < shown; i++) json_array_append_new(items, resp_json(&g[i]));
    return http_json(r, 200, api_list_page(r, items, n, limit, shown ? g[shown - 1].id : 0));
}
ROUTE("GET", "/api/v1/responsibilities", api_resp_list, CAP_PLACES_READ, R_API, NULL,
      "责任清单；同时给出 category 与 place 时返回该区划该事项的责任单位（最具体的区划优先）");

static err_code api_resp_create(req *r)
{
    struct responsibility_input in;
    err_code e = bind_responsibility(r, &in);
    if (e) return e;
    struct svc_result res = svc_responsibility_add(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    struct resp_view g;
    if (!store_responsibility_read(r->db, r->a, r->me->account_id, CAP_PLACES_READ, res.id, &g))
        return E_INTERNAL;
    return http_json(r, 201, resp_json(&g));
}
ROUTE("POST", "/api/v1/responsibilities", api_resp_create, CAP_ORGS_WRITE, R_API, NULL,
      "新增责任清单条目（事项分类、适用区划、责任单位、主责或配合）");

static err_code api_resp_delete(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_responsibility_remove(r->db, r->a, r->me, id);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    json_t *j = json_object();
    json_set_int(j, "id", id);
    json_set_bool(j, "deleted", 1);
    return http_json(r, 200, j);
}
ROUTE("DELETE", "/api/v1/responsibilities/{id}", api_resp_delete, CAP_ORGS_WRITE, R_API,
      "responsibility", "删除责任清单条目");
