/* Grids over the API: /api/v1/grids… Reads are scoped in the store
 * (places.read); writes go through service/svc_grids.c. A basic grid outside
 * 300–500 households carries the warning of core/grid_rule.h. */
#include <string.h>

#include "core/grid_rule.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "http/bind_places.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_grids.h"
#include "store/store_accounts.h"
#include "store/store_grids.h"
#include "store/store_places.h"

static json_t *grid_json(const struct grid *g)
{
    json_t *j = json_object();
    json_set_int(j, "id", g->id);
    json_set_str(j, "code", g->code);
    json_set_str(j, "name", g->name);
    json_set_str(j, "kind", g->kind);
    json_set_str(j, "kind_name", grid_kind_zh(g->kind));
    json_set_str(j, "community_code", g->community_code);
    json_set_str(j, "community_name", g->community_name);
    json_set_int(j, "n_places", g->n_places);
    json_set_int(j, "n_households", g->n_households);
    json_set_int(j, "n_residents", g->n_residents);
    json_set_int(j, "n_workers", g->n_workers);
    json_set_str(j, "size_warning", grid_size_warning(g->kind, (int)g->n_households));
    return j;
}

static json_t *grid_detail(req *r, const struct grid *g)
{
    json_t *j = grid_json(g);
    json_t *places = json_array();
    struct grid_place *p;
    int np = store_grid_places(r->db, r->a, g->id, &p);
    for (int i = 0; i < np; i++) {
        json_t *x = json_object();
        json_set_str(x, "code", p[i].code);
        json_set_str(x, "name", p[i].name);
        json_set_str(x, "level", p[i].level);
        json_set_str(x, "level_name", vocab_label(&vocab_place_levels, p[i].level));
        json_set_int(x, "n_households", p[i].n_households);
        json_array_append_new(places, x);
    }
    json_object_set_new(j, "places", places);
    json_t *workers = json_array();
    struct grid_worker *w;
    int nw = store_grid_workers(r->db, r->a, r->me->account_id, g->id, &w);
    for (int i = 0; i < nw; i++) {
        json_t *x = json_object();
        char name[256], phone[64];
        const char *n = w[i].name;
        if (!w[i].reveal) {
            mask_name(n, name, sizeof name);
            n = name;
        }
        mask_phone(w[i].phone, phone, sizeof phone);
        json_set_int(x, "id", w[i].id);
        json_set_str(x, "name", n);
        json_set_str(x, "phone", w[i].phone ? phone : NULL);
        json_array_append_new(workers, x);
    }
    json_object_set_new(j, "workers", workers);
    json_t *accounts = json_array();
    struct grid_account *ac;
    int na = store_grid_accounts(r->db, r->a, g->id, &ac);
    for (int i = 0; i < na; i++) {
        json_t *x = json_object();
        json_set_int(x, "id", ac[i].id);
        json_set_str(x, "name", ac[i].display_name ? ac[i].display_name : ac[i].username);
        json_set_str(x, "role", ac[i].role);
        json_array_append_new(accounts, x);
    }
    json_object_set_new(j, "accounts", accounts);
    return j;
}

/* The grid as the caller sees it now, or 404 (out of scope) / fallback. */
static err_code respond_grid(req *r, int status, int64_t id, err_code missing)
{
    struct grid g;
    if (!store_grid_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id, &g)) return missing;
    return http_json(r, status, grid_detail(r, &g));
}

static err_code api_grids_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    const char *place = req_query(r, "place");
    int64_t me = r->me->account_id;
    if (place && *place && !store_place_visible(r->db, r->a, me, CAP_PLACES_READ, place))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    struct grid *g;
    int ng = store_grids_page(r->db, r->a, me, CAP_PLACES_READ, place, cursor, (int)limit + 1, &g);
    if (ng < 0) return E_INTERNAL;
    json_t *items = json_array();
    int n = ng > limit ? (int)limit : ng;
    for (int i = 0; i < n; i++) json_array_append_new(items, grid_json(&g[i]));
    const char *next = ng > limit ? arena_printf(r->a, "%lld", (long long)g[n - 1].id) : NULL;
    return http_json(r, 200, json_page(items, next));
}
ROUTE("GET", "/api/v1/grids", api_grids_list, CAP_PLACES_READ, R_API, NULL,
      "网格列表（含户数与300—500户提示）");

static err_code api_grid_get(req *r)
{
    return respond_grid(r, 200, req_id(r, "id"), E_NOT_FOUND);
}
ROUTE("GET", "/api/v1/grids/{id}", api_grid_get, CAP_PLACES_READ, R_API, "grid",
      "网格详情：覆盖区划、户数、网格员");

static err_code api_grid_create(req *r)
{
    struct grid_input in = {0};
    err_code e = bind_input(r, &grid_create_bind, &in);
    if (e) return e;
    struct svc_result res = svc_grid_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return respond_grid(r, 201, res.id, E_INTERNAL);
}
ROUTE("POST", "/api/v1/grids", api_grid_create, CAP_PLACES_WRITE, R_API, NULL,
      "新建网格并设置覆盖区划与网格员");

static err_code api_grid_update(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_grid_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id, NULL))
        return E_NOT_FOUND;
    struct grid_input in = {0};
    err_code e = bind_input(r, &grid_update_bind, &in);
    if (e) return e;
    struct svc_result res = svc_grid_update(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return respond_grid(r, 200, id, E_NOT_FOUND);
}
ROUTE("PATCH", "/api/v1/grids/{id}", api_grid_update, CAP_PLACES_WRITE, R_API, "grid",
      "修改网格名称、类型、覆盖区划或网格员");
