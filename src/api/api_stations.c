/* Service positions 阵地 over the API: /api/v1/stations… Reads are scoped in
 * the store (places.read on the place a station sits in); writes go through
 * service/svc_stations.c, which checks places.write and writes the audit. */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/station_rule.h"
#include "core/vocab.h"
#include "api/api_registry.h"
#include "http/bind_orgs.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_stations.h"
#include "store/store_accounts.h"
#include "store/store_places.h"
#include "store/store_stations.h"

/* The N modules, stored joined by '、', as an array. */
static json_t *extra_json(const char *joined)
{
    json_t *arr = json_array();
    const char *sep = "、";
    size_t sl = strlen(sep);
    for (const char *p = joined; p && *p;) {
        const char *e = strstr(p, sep);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) json_array_append_new(arr, json_stringn(p, n));
        p = e ? e + sl : p + n;
    }
    return arr;
}

/* The checklist: {standard: {…}, areas: {…}, modules: {…}}, whether it meets
 * the standard and what is missing. */
static void items_json(json_t *j, const int items[SI__COUNT])
{
    for (int g = 0; g < 3; g++) {
        json_t *grp = json_object();
        for (int k = 0; k < SI__COUNT; k++)
            if ((int)station_items[k].group == g)
                json_set_bool(grp, station_items[k].key, items[k]);
        json_object_set_new(j, station_group_keys[g], grp);
    }
}

/* One station as JSON. */
static json_t *station_json(const struct station_view *v)
{
    const struct station_row *s = &v->row;
    json_t *j = json_object();
    json_set_int(j, "id", v->id);
    json_set_str(j, "kind", s->kind);
    json_set_str(j, "kind_name", station_kind_zh(s->kind));
    json_set_str(j, "name", s->name);
    json_set_str(j, "place_code", s->place_code);
    json_set_str(j, "place_name", v->place_name);
    json_set_str(j, "place_level", v->place_level);
    json_set_str(j, "address", s->address);
    api_set_opt_int(j, "area_m2", s->area_m2, false);
    json_set_str(j, "build_mode", s->build_mode);
    json_set_str(j, "build_mode_name", station_mode_zh(s->build_mode));
    api_set_opt_int(j, "funding", s->funding, false);
    json_set_str(j, "opened_on", s->opened_on);
    json_set_str(j, "hours", s->hours);
    json_set_bool(j, "zone_24h", s->zone_24h != 0);
    json_set_bool(j, "zone_8h", s->zone_8h != 0);
    json_set_str(j, "phone", s->phone);
    items_json(j, s->items);
    json_object_set_new(j, "extra_modules", extra_json(s->extra_modules));
    json_set_bool(j, "standardized", station_standardized(s->items));
    json_t *missing = json_array();
    for (int k = 0; k < SI__COUNT; k++)
        if (!s->items[k]) json_array_append_new(missing, json_string(station_items[k].zh));
    json_object_set_new(j, "missing", missing);
    json_set_int(j, "n_places", v->n_places);
    return j;
}

/* The station of id as the caller sees it, with the compounds it serves that
 * the caller may see: 200 (or status), or 404. */
static err_code station_answer(req *r, int64_t id, int status)
{
    struct station_view v;
    if (!store_station_read(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id, &v))
        return E_NOT_FOUND;
    json_t *j = station_json(&v);
    struct served_place *p;
    int np = store_station_served(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id, &p);
    json_object_set_new(j, "places", api_served_json(p, np, false));
    return http_json(r, status, j);
}

static err_code api_stations_list(req *r)
{
    int64_t limit, cursor;
    err_code e = api_list_window(r, &limit, &cursor);
    if (e) return e;
    struct station_filter f = {.kind = req_query(r, "kind"),
                               .place = req_query(r, "place"),
                               .after_id = cursor,
                               .limit = (int)limit + 1};
    if (f.kind && *f.kind && !(f.kind = station_kind_parse(f.kind)))
        return http_fail(r, E_BAD_INPUT, "kind", "阵地类型无效");
    if ((e = api_place_filter(r, "place", f.place, CAP_PLACES_READ))) return e;
    struct station_view *s;
    int n = store_stations_find(r->db, r->a, r->me->account_id, CAP_PLACES_READ, &f, &s);
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    int shown = n > limit ? (int)limit : n;
    for (int i = 0; i < shown; i++) json_array_append_new(items, station_json(&s[i]));
    return http_json(r, 200, api_list_page(r, items, n, limit, shown ? s[shown - 1].id : 0));
}
ROUTE("GET", "/api/v1/stations", api_stations_list, CAP_PLACES_READ, R_API, NULL,
      "党群服务阵地列表（按区划、类型筛选）");

static err_code api_stations_summary(req *r)
{
    const char *place = req_query(r, "place");
    if (!place || !*place) {
        place = store_registry_top_place(r->db, r->a, r->me->account_id, CAP_PLACES_READ);
        if (!place) return E_NOT_FOUND;
    }
    struct station_summary sum;
    err_code e = svc_station_summary(r->db, r->a, r->me->account_id, place, &sum);
    if (e == E_NOT_FOUND) return http_fail(r, e, "place", "区划不存在或不在您的管辖范围内");
    if (e) return e;
    json_t *j = json_object();
    json_set_str(j, "place_code", place);
    json_set_int(j, "centers", sum.centers);
    json_set_int(j, "stations", sum.stations);
    json_set_int(j, "love_posts", sum.love_posts);
    json_set_int(j, "standardized", sum.standardized);
    json_set_int(j, "compounds", sum.compounds);
    json_set_int(j, "compounds_covered", sum.covered);
    json_set_int(j, "coverage_permille", sum.coverage_permille);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/stations/summary", api_stations_summary, CAP_PLACES_READ, R_API, NULL,
      "阵地统计：中心、服务站、达标数、小区覆盖");

static err_code api_station_get(req *r)
{
    return station_answer(r, req_id(r, "id"), 200);
}
ROUTE("GET", "/api/v1/stations/{id}", api_station_get, CAP_PLACES_READ, R_API, "station",
      "阵地详情：六有一好、2+5+N功能、服务小区");

static err_code api_station_create(req *r)
{
    struct station_input in;
    err_code e = bind_station(r, true, &in);
    if (e) return e;
    struct svc_result res = svc_station_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    e = station_answer(r, res.id, 201);
    return e == E_NOT_FOUND ? E_INTERNAL : e;
}
ROUTE("POST", "/api/v1/stations", api_station_create, CAP_PLACES_WRITE, R_API, NULL,
      "登记党群服务阵地");

static err_code api_station_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct station_view cur;
    /* out of scope is 404 before any complaint about the body */
    if (!store_station_read(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id, &cur))
        return E_NOT_FOUND;
    struct station_input in;
    err_code e = bind_station(r, false, &in);
    if (e) return e;
    struct svc_result res = svc_station_update(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return station_answer(r, id, 200);
}
ROUTE("PATCH", "/api/v1/stations/{id}", api_station_update, CAP_PLACES_WRITE, R_API, "station",
      "修改党群服务阵地（只改所给字段）");
