/* 事项分类 and 责任清单 over the API: /api/v1/categories… and
 * /api/v1/responsibilities…. Reads need places.read; writes go through
 * service/svc_categories.c, which checks orgs.write scope and audits. */
#include <stdlib.h>
#include <string.h>

#include "core/category_seed.h"
#include "core/roles.h"
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

static json_t *override_item(const db_rows *o, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(o, i, OV_ID));
    json_set_str(j, "place_code", db_get(o, i, OV_PLACE));
    json_set_str(j, "place_name", db_get(o, i, OV_PLACE_NAME));
    const char *resp = db_get(o, i, OV_RESPONSE), *reso = db_get(o, i, OV_RESOLUTION);
    const char *wh = db_get(o, i, OV_WORKING_HOURS), *act = db_get(o, i, OV_ACTIVE);
    json_object_set_new(j, "response_minutes", resp ? json_integer(atoll(resp)) : json_null());
    json_object_set_new(j, "resolution_minutes", reso ? json_integer(atoll(reso)) : json_null());
    json_object_set_new(j, "working_hours", wh ? json_boolean(wh[0] == '1') : json_null());
    json_object_set_new(j, "active", act ? json_boolean(act[0] == '1') : json_null());
    json_set_str(j, "tier", db_get(o, i, OV_TIER));
    json_set_str(j, "skill", db_get(o, i, OV_SKILL));
    json_set_str(j, "whistle", db_get(o, i, OV_WHISTLE));
    return j;
}

static err_code category_detail(req *r, const char *code, const char *at, int status)
{
    struct category_eff c;
    err_code e = svc_category_get(r->db, r->a, r->me->account_id, code, at, &c);
    if (e) return e;
    json_t *j = category_json(r, &c);
    json_t *ov = json_array();
    db_rows *o = store_category_overrides_of(r->db, r->a, r->me->account_id, CAP_PLACES_READ, code);
    for (int i = 0; o && i < o->nrows; i++) json_array_append_new(ov, override_item(o, i));
    json_object_set_new(j, "overrides", ov);
    return http_json(r, status, j);
}

static err_code api_category_get(req *r)
{
    return category_detail(r, req_param(r, "code"), req_query(r, "place"), 200);
}
ROUTE("GET", "/api/v1/categories/{code}", api_category_get, CAP_PLACES_READ, R_API, "category",
      "事项分类详情（带 place 参数时为该区划的实际时限）及各区划设置");

/* Reads the JSON body into a category_input. Numbers and booleans: null is
 * "inherit" (overrides only); strings: null clears. */
static err_code input_from_json(req *r, struct category_input *in)
{
    *in = category_input_empty();
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    static const char *const skeys[] = {"code",        "parent_code", "place_code", "name",
                                        "description", "tier",        "skill",      "whistle"};
    const char **sdst[] = {&in->code,        &in->parent_code, &in->place_code, &in->name,
                           &in->description, &in->tier,        &in->skill,      &in->whistle};
    for (size_t i = 0; i < sizeof skeys / sizeof skeys[0]; i++) {
        json_t *v = json_object_get(r->json, skeys[i]);
        if (!v) continue;
        if (json_is_null(v))
            *sdst[i] = category_inherit;
        else if (json_is_string(v))
            *sdst[i] = json_string_value(v);
        else
            return http_fail(r, E_BAD_INPUT, skeys[i],
                             arena_printf(r->a, "%s 应为字符串", skeys[i]));
    }
    /* null for a plain text field of the category itself: empty */
    if (in->description == category_inherit) in->description = "";
    if (in->code == category_inherit) in->code = "";
    if (in->name == category_inherit) in->name = "";
    if (in->parent_code == category_inherit) in->parent_code = "";
    if (in->place_code == category_inherit) in->place_code = "";
    static const char *const nkeys[] = {"response_minutes", "resolution_minutes", "sort_order"};
    long *ndst[] = {&in->response_minutes, &in->resolution_minutes, &in->sort_order};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(r->json, nkeys[i]);
        if (!v) continue;
        if (json_is_null(v))
            *ndst[i] = CAT_CLEAR;
        else if (json_is_integer(v) && json_integer_value(v) > -1000000000 &&
                 json_integer_value(v) < 1000000000)
            *ndst[i] = (long)json_integer_value(v);
        else
            return http_fail(r, E_BAD_INPUT, nkeys[i], arena_printf(r->a, "%s 应为整数", nkeys[i]));
    }
    if (in->sort_order == CAT_CLEAR) in->sort_order = CAT_KEEP;
    static const char *const bkeys[] = {"working_hours", "active"};
    int *bdst[] = {&in->working_hours, &in->active};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(r->json, bkeys[i]);
        if (!v) continue;
        if (json_is_null(v))
            *bdst[i] = CAT_FLAG_CLEAR;
        else if (json_is_boolean(v))
            *bdst[i] = json_is_true(v);
        else
            return http_fail(r, E_BAD_INPUT, bkeys[i],
                             arena_printf(r->a, "%s 应为 true 或 false", bkeys[i]));
    }
    return E_OK;
}

static err_code api_category_create(req *r)
{
    struct category_input in;
    err_code e = input_from_json(r, &in);
    if (e) return e;
    if (in.tier == category_inherit) in.tier = NULL;
    if (in.skill == category_inherit) in.skill = "";
    if (in.whistle == category_inherit) in.whistle = "";
    if (in.response_minutes == CAT_CLEAR) in.response_minutes = CAT_KEEP;
    if (in.resolution_minutes == CAT_CLEAR) in.resolution_minutes = CAT_KEEP;
    if (in.working_hours == CAT_FLAG_CLEAR) in.working_hours = CAT_FLAG_KEEP;
    if (in.active == CAT_FLAG_CLEAR) in.active = CAT_FLAG_KEEP;
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
    err_code e = input_from_json(r, &in);
    if (e) return e;
    struct svc_result res;
    if (place && *place)
        res = svc_category_override(r->db, r->a, r->me, code, place, &in);
    else {
        if (in.skill == category_inherit) in.skill = "";
        if (in.whistle == category_inherit) in.whistle = "";
        res = svc_category_update(r->db, r->a, r->me, code, &in);
    }
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return category_detail(r, code, place && *place ? place : NULL, 200);
}
ROUTE("PATCH", "/api/v1/categories/{code}", api_category_update, CAP_ORGS_WRITE, R_API, "category",
      "修改事项分类；带 place 参数时为该区划及其下级设置时限、层级等");

/* ------------------------------------------------------------------ 责任清单 */

static json_t *resp_json(const db_rows *g, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(g, i, RC_ID));
    json_set_str(j, "category_code", db_get(g, i, RC_CODE));
    json_set_str(j, "category_name", db_get(g, i, RC_CATEGORY_NAME));
    json_set_str(j, "place_code", db_get(g, i, RC_PLACE));
    json_set_str(j, "place_name", db_get(g, i, RC_PLACE_NAME));
    json_set_id(j, "org_id", db_get(g, i, RC_ORG_ID));
    json_set_str(j, "org_name", db_get(g, i, RC_ORG_NAME));
    json_set_str(j, "org_kind", db_get(g, i, RC_ORG_KIND));
    json_set_str(j, "role", db_get(g, i, RC_ROLE));
    json_set_str(
        j, "role_name",
        category_term_zh(category_resp_roles, category_resp_roles_count, db_get(g, i, RC_ROLE)));
    json_set_str(j, "note", db_get(g, i, RC_NOTE));
    return j;
}

static err_code api_resp_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    const char *cat = req_query(r, "category"), *place = req_query(r, "place");
    if (cat && !*cat) cat = NULL;
    if (place && !*place) place = NULL;
    json_t *items = json_array();
    if (cat && place) {
        /* the lookup: who handles C at P, the narrowest place wins */
        db_rows *g;
        const char *used;
        e = svc_responsibility_lookup(r->db, r->a, r->me->account_id, cat, place, &g, &used);
        if (e == E_NOT_FOUND) {
            json_decref(items);
            return http_fail(r, e, NULL, "事项分类或区划不存在，或不在您的管辖范围内");
        }
        if (e) {
            json_decref(items);
            return e;
        }
        for (int i = 0; i < g->nrows; i++) json_array_append_new(items, resp_json(g, i));
        return http_json(r, 200, json_page(items, NULL));
    }
    if (place) {
        struct category_eff *all;
        int n;
        if (svc_categories_tree(r->db, r->a, r->me->account_id, place, &all, &n)) {
            json_decref(items);
            return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
        }
    }
    struct resp_filter f = {
        .category = cat, .place = place, .after_id = cursor, .limit = (int)limit + 1};
    db_rows *g = store_responsibilities_list(r->db, r->a, r->me->account_id, CAP_PLACES_READ, &f);
    if (!g) {
        json_decref(items);
        return E_INTERNAL;
    }
    int n = g->nrows > limit ? (int)limit : g->nrows;
    for (int i = 0; i < n; i++) json_array_append_new(items, resp_json(g, i));
    return http_json(r, 200, json_page(items, g->nrows > limit ? db_get(g, n - 1, RC_ID) : NULL));
}
ROUTE("GET", "/api/v1/responsibilities", api_resp_list, CAP_PLACES_READ, R_API, NULL,
      "责任清单；同时给出 category 与 place 时返回该区划该事项的责任单位（最具体的区划优先）");

static err_code api_resp_create(req *r)
{
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    json_t *org = json_object_get(r->json, "org_id");
    if (!json_is_integer(org) || json_integer_value(org) <= 0)
        return http_fail(r, E_BAD_INPUT, "org_id", "org_id 应为正整数编号");
    struct svc_result res = svc_responsibility_add(
        r->db, r->a, r->me, req_input(r, "category_code"), req_input(r, "place_code"),
        json_integer_value(org), req_input(r, "role"), req_input(r, "note"));
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *g = store_responsibility_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, res.id);
    if (!g) return E_INTERNAL;
    return http_json(r, 201, resp_json(g, 0));
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
