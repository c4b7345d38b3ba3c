/* Service positions 阵地 over the API: /api/v1/stations… Reads are scoped in
 * the store (places.read on the place a station sits in); writes go through
 * service/svc_stations.c, which checks places.write and writes the audit. */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/station_rule.h"
#include "core/vocab.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_stations.h"
#include "store/store_accounts.h"
#include "store/store_places.h"
#include "store/store_stations.h"

static void set_opt_int(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_integer(strtoll(v, NULL, 10)) : json_null());
}

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

/* One station row (enum station_col) as JSON. */
static json_t *station_json(const db_rows *s, int i)
{
    json_t *j = json_object();
    const char *kind = db_get(s, i, STC_KIND), *mode = db_get(s, i, STC_MODE);
    json_set_id(j, "id", db_get(s, i, STC_ID));
    json_set_str(j, "kind", kind);
    json_set_str(j, "kind_name", station_kind_zh(kind));
    json_set_str(j, "name", db_get(s, i, STC_NAME));
    json_set_str(j, "place_code", db_get(s, i, STC_PLACE));
    json_set_str(j, "place_name", db_get(s, i, STC_PLACE_NAME));
    json_set_str(j, "place_level", db_get(s, i, STC_PLACE_LEVEL));
    json_set_str(j, "address", db_get(s, i, STC_ADDRESS));
    set_opt_int(j, "area_m2", db_get(s, i, STC_AREA));
    json_set_str(j, "build_mode", mode);
    json_set_str(j, "build_mode_name", station_mode_zh(mode));
    set_opt_int(j, "funding", db_get(s, i, STC_FUNDING));
    json_set_str(j, "opened_on", db_get(s, i, STC_OPENED));
    json_set_str(j, "hours", db_get(s, i, STC_HOURS));
    json_set_bool(j, "zone_24h", db_get_int(s, i, STC_ZONE_24H) != 0);
    json_set_bool(j, "zone_8h", db_get_int(s, i, STC_ZONE_8H) != 0);
    json_set_str(j, "phone", db_get(s, i, STC_PHONE));
    int items[SI__COUNT];
    station_items_of(s, i, items);
    for (int g = 0; g < 3; g++) {
        json_t *grp = json_object();
        for (int k = 0; k < SI__COUNT; k++)
            if ((int)station_items[k].group == g)
                json_set_bool(grp, station_items[k].key, items[k]);
        json_object_set_new(j, station_group_keys[g], grp);
    }
    json_object_set_new(j, "extra_modules", extra_json(db_get(s, i, STC_EXTRA)));
    json_set_bool(j, "standardized", station_standardized(items));
    json_t *missing = json_array();
    for (int k = 0; k < SI__COUNT; k++)
        if (!items[k]) json_array_append_new(missing, json_string(station_items[k].zh));
    json_object_set_new(j, "missing", missing);
    json_set_int(j, "n_places", db_get_int(s, i, STC_N_PLACES));
    return j;
}

/* The full record: the station and the compounds it serves that the caller may see. */
static json_t *station_detail(req *r, const db_rows *s)
{
    json_t *j = station_json(s, 0);
    json_t *places = json_array();
    db_rows *p = store_station_places(r->db, r->a, r->me->account_id, CAP_PLACES_READ,
                                      db_get_int(s, 0, STC_ID));
    for (int i = 0; p && i < p->nrows; i++) {
        json_t *x = json_object();
        json_set_str(x, "code", db_get(p, i, 0));
        json_set_str(x, "name", db_get(p, i, 1));
        json_set_str(x, "level", db_get(p, i, 2));
        json_array_append_new(places, x);
    }
    json_object_set_new(j, "places", places);
    return j;
}

static bool place_ok(req *r, const char *code)
{
    return !code || !*code ||
           (store_place_level(r->db, r->a, code) &&
            store_place_in_scope(r->db, r->me->account_id, CAP_PLACES_READ, code));
}

static err_code api_stations_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    struct station_filter f = {.kind = req_query(r, "kind"),
                               .place = req_query(r, "place"),
                               .after_id = cursor,
                               .limit = (int)limit + 1};
    if (f.kind && *f.kind && !(f.kind = station_kind_parse(f.kind)))
        return http_fail(r, E_BAD_INPUT, "kind", "阵地类型无效");
    if (!place_ok(r, f.place))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    db_rows *s = store_stations_list(r->db, r->a, r->me->account_id, CAP_PLACES_READ, &f);
    if (!s) return E_INTERNAL;
    json_t *items = json_array();
    int n = s->nrows > limit ? (int)limit : s->nrows;
    for (int i = 0; i < n; i++) json_array_append_new(items, station_json(s, i));
    return http_json(r, 200, json_page(items, s->nrows > limit ? db_get(s, n - 1, STC_ID) : NULL));
}
ROUTE("GET", "/api/v1/stations", api_stations_list, CAP_PLACES_READ, R_API, NULL,
      "党群服务阵地列表（按区划、类型筛选）");

static err_code api_stations_summary(req *r)
{
    const char *place = req_query(r, "place");
    if (!place || !*place) {
        db_rows *t = store_place_tops(r->db, r->a, r->me->account_id, CAP_PLACES_READ);
        if (!t || !t->nrows) return E_NOT_FOUND;
        place = db_get(t, 0, PLC_CODE);
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
    int64_t id = req_id(r, "id");
    db_rows *s = store_station_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id);
    return s ? http_json(r, 200, station_detail(r, s)) : E_NOT_FOUND;
}
ROUTE("GET", "/api/v1/stations/{id}", api_station_get, CAP_PLACES_READ, R_API, "station",
      "阵地详情：六有一好、2+5+N功能、服务小区");

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

/* A JSON whole number: absent keeps, null clears; as text for the service. */
static err_code json_number(req *r, const char *key, const char **out)
{
    json_t *v = json_object_get(r->json, key);
    if (!v)
        *out = NULL;
    else if (json_is_null(v))
        *out = "";
    else if (json_is_integer(v))
        *out = arena_printf(r->a, "%lld", (long long)json_integer_value(v));
    else
        return http_fail(r, E_BAD_INPUT, key, arena_printf(r->a, "%s 应为整数", key));
    return E_OK;
}

static err_code json_bool(req *r, json_t *obj, const char *key, const char *field, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) return E_OK;
    if (!json_is_boolean(v))
        return http_fail(r, E_BAD_INPUT, field, arena_printf(r->a, "%s 应为 true 或 false", field));
    *out = json_is_true(v);
    return E_OK;
}

static err_code json_strings(req *r, const char *key, bool *set, const char *const **out, int *n)
{
    json_t *v = json_object_get(r->json, key);
    if (!v) return E_OK;
    if (!json_is_array(v))
        return http_fail(r, E_BAD_INPUT, key, arena_printf(r->a, "%s 应为字符串数组", key));
    size_t len = json_array_size(v);
    const char **arr = arena_alloc(r->a, sizeof *arr * (len + 1));
    for (size_t i = 0; i < len; i++)
        if (!(arr[i] = json_string_value(json_array_get(v, i))))
            return http_fail(r, E_BAD_INPUT, key, arena_printf(r->a, "%s 应为字符串数组", key));
    *set = true;
    *out = arr;
    *n = (int)len;
    return E_OK;
}

static err_code input_from_json(req *r, struct station_input *in)
{
    *in = station_input_empty();
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    const char *keys[] = {"kind",       "name",      "place_code", "address",
                          "build_mode", "opened_on", "hours",      "phone"};
    const char **dst[] = {&in->kind,       &in->name,      &in->place_code, &in->address,
                          &in->build_mode, &in->opened_on, &in->hours,      &in->phone};
    err_code e = E_OK;
    for (size_t i = 0; !e && i < sizeof keys / sizeof keys[0]; i++)
        e = json_text(r, keys[i], dst[i]);
    if (!e) e = json_number(r, "area_m2", &in->area_m2);
    if (!e) e = json_number(r, "funding", &in->funding);
    if (!e) e = json_bool(r, r->json, "zone_24h", "zone_24h", &in->zone_24h);
    if (!e) e = json_bool(r, r->json, "zone_8h", "zone_8h", &in->zone_8h);
    for (int g = 0; !e && g < 3; g++) {
        json_t *grp = json_object_get(r->json, station_group_keys[g]);
        if (!grp) continue;
        if (!json_is_object(grp))
            return http_fail(r, E_BAD_INPUT, station_group_keys[g],
                             arena_printf(r->a, "%s 应为对象", station_group_keys[g]));
        const char *k;
        json_t *v;
        json_object_foreach(grp, k, v)
        {
            int found = -1;
            for (int i = 0; i < SI__COUNT && found < 0; i++)
                if ((int)station_items[i].group == g && !strcmp(station_items[i].key, k)) found = i;
            const char *field = arena_printf(r->a, "%s.%s", station_group_keys[g], k);
            if (found < 0)
                return http_fail(r, E_BAD_INPUT, field,
                                 arena_printf(r->a, "未知的检查项 %s", field));
            e = json_bool(r, grp, k, field, &in->items[found]);
            if (e) return e;
        }
    }
    if (!e) e = json_strings(r, "extra_modules", &in->set_extra, &in->extra, &in->nextra);
    if (!e) e = json_strings(r, "places", &in->set_places, &in->places, &in->nplaces);
    return e;
}

static err_code api_station_create(req *r)
{
    struct station_input in;
    err_code e = input_from_json(r, &in);
    if (e) return e;
    struct svc_result res = svc_station_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *s = store_station_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, res.id);
    if (!s) return E_INTERNAL;
    return http_json(r, 201, station_detail(r, s));
}
ROUTE("POST", "/api/v1/stations", api_station_create, CAP_PLACES_WRITE, R_API, NULL,
      "登记党群服务阵地");

static err_code api_station_update(req *r)
{
    int64_t id = req_id(r, "id");
    /* out of scope is 404 before any complaint about the body */
    if (!store_station_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id)) return E_NOT_FOUND;
    struct station_input in;
    err_code e = input_from_json(r, &in);
    if (e) return e;
    struct svc_result res = svc_station_update(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *s = store_station_get(r->db, r->a, r->me->account_id, CAP_PLACES_READ, id);
    if (!s) return E_NOT_FOUND;
    return http_json(r, 200, station_detail(r, s));
}
ROUTE("PATCH", "/api/v1/stations/{id}", api_station_update, CAP_PLACES_WRITE, R_API, "station",
      "修改党群服务阵地（只改所给字段）");
