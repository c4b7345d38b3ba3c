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

static json_t *grid_json(const db_rows *g, int i)
{
    json_t *j = json_object();
    const char *kind = db_get(g, i, GC_KIND);
    json_set_id(j, "id", db_get(g, i, GC_ID));
    json_set_str(j, "code", db_get(g, i, GC_CODE));
    json_set_str(j, "name", db_get(g, i, GC_NAME));
    json_set_str(j, "kind", kind);
    json_set_str(j, "kind_name", grid_kind_zh(kind));
    json_set_str(j, "community_code", db_get(g, i, GC_COMMUNITY));
    json_set_str(j, "community_name", db_get(g, i, GC_COMMUNITY_NAME));
    json_set_int(j, "n_places", db_get_int(g, i, GC_N_PLACES));
    json_set_int(j, "n_households", db_get_int(g, i, GC_N_HOUSEHOLDS));
    json_set_int(j, "n_residents", db_get_int(g, i, GC_N_RESIDENTS));
    json_set_int(j, "n_workers", db_get_int(g, i, GC_N_WORKERS));
    json_set_str(j, "size_warning",
                 grid_size_warning(kind, (int)db_get_int(g, i, GC_N_HOUSEHOLDS)));
    return j;
}

static json_t *grid_detail(req *r, const db_rows *g)
{
    int64_t id = db_get_int(g, 0, GC_ID);
    json_t *j = grid_json(g, 0);
    json_t *places = json_array();
    db_rows *p = store_grid_places(r->db, r->a, id);
    for (int i = 0; p && i < p->nrows; i++) {
        json_t *x = json_object();
        json_set_str(x, "code", db_get(p, i, 0));
        json_set_str(x, "name", db_get(p, i, 1));
        json_set_str(x, "level", db_get(p, i, 2));
        json_set_str(x, "level_name", vocab_label(&vocab_place_levels, db_get(p, i, 2)));
        json_set_int(x, "n_households", db_get_int(p, i, 3));
        json_array_append_new(places, x);
    }
    json_object_set_new(j, "places", places);
    json_t *workers = json_array();
    db_rows *w = store_grid_workers(r->db, r->a, r->me->account_id, id);
    for (int i = 0; w && i < w->nrows; i++) {
        json_t *x = json_object();
        char name[256], phone[64];
        const char *n = db_get(w, i, GW_NAME);
        if (!db_get_int(w, i, GW_REVEAL)) {
            mask_name(n, name, sizeof name);
            n = name;
        }
        mask_phone(db_get(w, i, GW_PHONE), phone, sizeof phone);
        json_set_id(x, "id", db_get(w, i, GW_ID));
        json_set_str(x, "name", n);
        json_set_str(x, "phone", db_get(w, i, GW_PHONE) ? phone : NULL);
        json_array_append_new(workers, x);
    }
    json_object_set_new(j, "workers", workers);
    json_t *accounts = json_array();
    db_rows *ac = store_grid_accounts(r->db, r->a, id);
    for (int i = 0; ac && i < ac->nrows; i++) {
        json_t *x = json_object();
        json_set_id(x, "id", db_get(ac, i, 0));
        json_set_str(x, "name", db_get(ac, i, 2) ? db_get(ac, i, 2) : db_get(ac, i, 1));
        json_set_str(x, "role", db_get(ac, i, 3));
        json_array_append_new(accounts, x);
    }
    json_object_set_new(j, "accounts", accounts);
    return j;
}

static err_code api_grids_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    const char *place = req_query(r, "place");
    int64_t me = r->me->account_id;
    if (place && *place &&
        !(store_place_level(r->db, r->a, place) &&
          store_place_in_scope(r->db, me, CAP_PLACES_READ, place)))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    db_rows *g = store_grids_list(r->db, r->a, me, CAP_PLACES_READ, place, cursor, (int)limit + 1);
    if (!g) return E_INTERNAL;
    json_t *items = json_array();
    int n = g->nrows > limit ? (int)limit : g->nrows;
    for (int i = 0; i < n; i++) json_array_append_new(items, grid_json(g, i));
    return http_json(r, 200, json_page(items, g->nrows > limit ? db_get(g, n - 1, GC_ID) : NULL));
}
ROUTE("GET", "/api/v1/grids", api_grids_list, CAP_PLACES_READ, R_API, NULL,
      "网格列表（含户数与300—500户提示）");

static err_code api_grid_get(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *g = store_grid_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id);
    return g ? http_json(r, 200, grid_detail(r, g)) : E_NOT_FOUND;
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
    db_rows *g = store_grid_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, res.id);
    return g ? http_json(r, 201, grid_detail(r, g)) : E_INTERNAL;
}
ROUTE("POST", "/api/v1/grids", api_grid_create, CAP_PLACES_WRITE, R_API, NULL,
      "新建网格并设置覆盖区划与网格员");

static err_code api_grid_update(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_grid_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id)) return E_NOT_FOUND;
    struct grid_input in = {0};
    err_code e = bind_input(r, &grid_update_bind, &in);
    if (e) return e;
    struct svc_result res = svc_grid_update(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *g = store_grid_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id);
    return g ? http_json(r, 200, grid_detail(r, g)) : E_NOT_FOUND;
}
ROUTE("PATCH", "/api/v1/grids/{id}", api_grid_update, CAP_PLACES_WRITE, R_API, "grid",
      "修改网格名称、类型、覆盖区划或网格员");
