/* Shared pieces of the registry APIs; see api_registry.h. */
#include "api/api_registry.h"

#include "core/vocab.h"
#include "http/json_out.h"
#include "store/store_accounts.h"

err_code api_list_window(req *r, int64_t *limit, int64_t *cursor)
{
    err_code e = req_int(r, "query", "limit", 1, 500, 50, limit);
    return e ? e : req_int(r, "query", "cursor", 0, INT64_MAX, 0, cursor);
}

err_code api_place_filter(req *r, const char *field, const char *code, const char *cap)
{
    if (!code || !*code || store_place_visible(r->db, r->a, r->me->account_id, cap, code))
        return E_OK;
    return http_fail(r, E_NOT_FOUND, field, "区划不存在或不在您的管辖范围内");
}

json_t *api_list_page(req *r, json_t *items, int n, int64_t limit, int64_t last_id)
{
    return json_page(items, n > limit ? arena_printf(r->a, "%lld", (long long)last_id) : NULL);
}

json_t *api_served_json(const struct served_place *p, int n, bool with_level_name)
{
    json_t *places = json_array();
    for (int i = 0; i < n; i++) {
        json_t *x = json_object();
        json_set_str(x, "code", p[i].code);
        json_set_str(x, "name", p[i].name);
        json_set_str(x, "level", p[i].level);
        if (with_level_name)
            json_set_str(x, "level_name", vocab_label(&vocab_place_levels, p[i].level));
        json_array_append_new(places, x);
    }
    return places;
}

void api_set_opt_int(json_t *o, const char *key, int64_t v, bool zero_null)
{
    json_object_set_new(o, key, v < 0 || (zero_null && !v) ? json_null() : json_integer(v));
}
