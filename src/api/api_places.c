/* The place tree over the API: /api/v1/places… A place is named by its code.
 * Every read is scoped in the store (places.read); a code outside the
 * caller's scope answers 404 exactly like a missing one. */
#include <string.h>

#include "core/roles.h"
#include "core/vocab.h"
#include "http/http.h"
#include "http/json_out.h"
#include "store/store_accounts.h"
#include "store/store_places.h"

/* The place exists and lies in the caller's places.read scope (no counts). */
static bool place_visible(req *r, const char *code)
{
    return store_place_visible(r->db, r->a, r->me->account_id, CAP_PLACES_READ, code) != NULL;
}

static json_t *place_json(const struct place *p)
{
    json_t *o = json_object();
    json_set_str(o, "code", p->code);
    json_set_str(o, "name", p->name);
    json_set_str(o, "level", p->level);
    json_set_str(o, "level_name", vocab_label(&vocab_place_levels, p->level));
    json_set_str(o, "kind", p->kind);
    json_set_str(o, "parent_code", p->parent_code);
    json_set_int(o, "n_children", p->n_children);
    json_set_int(o, "n_households", p->n_households);
    json_set_int(o, "n_residents", p->n_residents);
    json_set_int(o, "n_party_members", p->n_party_members);
    json_set_int(o, "n_branches", p->n_branches);
    return o;
}

/* A page of place rows fetched with limit + 1: items and the next cursor. */
static err_code place_page(req *r, db_rows *rows, int64_t limit)
{
    struct place *p;
    int np = store_place_rows(r->a, rows, &p);
    if (np < 0) return E_INTERNAL;
    json_t *items = json_array();
    int n = np > limit ? (int)limit : np;
    for (int i = 0; i < n; i++) json_array_append_new(items, place_json(&p[i]));
    return http_json(r, 200, json_page(items, np > limit ? p[n - 1].code : NULL));
}

static err_code page_args(req *r, int64_t *limit, const char **cursor)
{
    err_code e = req_int(r, "query", "limit", 1, 500, 50, limit);
    if (e) return e;
    *cursor = req_query(r, "cursor");
    if (*cursor && !**cursor) *cursor = NULL;
    return E_OK;
}

static err_code api_places_list(req *r)
{
    int64_t limit;
    const char *cursor, *parent = req_query(r, "parent"), *q = req_query(r, "q");
    err_code e = page_args(r, &limit, &cursor);
    if (e) return e;
    int64_t me = r->me->account_id;
    if (q && *q) {
        if (strlen(q) > 100) return http_fail(r, E_BAD_INPUT, "q", "搜索词过长");
        return place_page(
            r, store_place_search(r->db, r->a, me, CAP_PLACES_READ, q, cursor, (int)limit + 1),
            limit);
    }
    if (parent && *parent) {
        if (!place_visible(r, parent))
            return http_fail(r, E_NOT_FOUND, "parent", "区划不存在或不在您的管辖范围内");
        return place_page(
            r,
            store_place_children(r->db, r->a, me, CAP_PLACES_READ, parent, cursor, (int)limit + 1),
            limit);
    }
    /* The account's top scopes: few, so one page. */
    return place_page(r, store_place_tops(r->db, r->a, me, CAP_PLACES_READ), 500);
}
ROUTE("GET", "/api/v1/places", api_places_list, CAP_PLACES_READ, R_API, NULL,
      "区划列表：管辖范围的顶层、某区划的下级或按名称搜索");

static err_code api_place_get(req *r)
{
    const char *code = req_param(r, "code");
    int64_t me = r->me->account_id;
    struct place *p;
    if (store_place_rows(r->a, store_place_get(r->db, r->a, me, CAP_PLACES_READ, code), &p) < 1)
        return E_NOT_FOUND;
    json_t *o = place_json(p);
    json_t *anc = json_array();
    struct place_step *up;
    int n = store_place_path(r->db, r->a, me, CAP_PLACES_READ, code, &up);
    for (int i = 0; i < n; i++) {
        json_t *a = json_object();
        json_set_str(a, "code", up[i].code);
        json_set_str(a, "name", up[i].name);
        json_set_str(a, "level", up[i].level);
        json_set_str(a, "level_name", vocab_label(&vocab_place_levels, up[i].level));
        json_set_bool(a, "in_scope", up[i].in_scope);
        json_array_append_new(anc, a);
    }
    json_object_set_new(o, "ancestors", anc);
    return http_json(r, 200, o);
}
ROUTE("GET", "/api/v1/places/{code}", api_place_get, CAP_PLACES_READ, R_API, "place",
      "区划详情（含逐级统计与上级路径）");

static err_code api_place_children(req *r)
{
    int64_t limit;
    const char *cursor, *code = req_param(r, "code");
    err_code e = page_args(r, &limit, &cursor);
    if (e) return e;
    int64_t me = r->me->account_id;
    if (!place_visible(r, code)) return E_NOT_FOUND;
    return place_page(
        r, store_place_children(r->db, r->a, me, CAP_PLACES_READ, code, cursor, (int)limit + 1),
        limit);
}
ROUTE("GET", "/api/v1/places/{code}/children", api_place_children, CAP_PLACES_READ, R_API, "place",
      "下级区划及各自的户数、人数、党员数、支部数");
