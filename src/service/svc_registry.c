/* Shared pieces of the registries' services; see svc_registry.h. */
#include "service/svc_registry.h"

#include <stdlib.h>
#include <string.h>

#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "util/text.h"

struct svc_result svc_registry_places(db *d, arena *a, int64_t viewer, const char *cap,
                                      const struct svc_registry_places *rule, const char *const *in,
                                      int n, const char *const **codes, int *ncodes)
{
    if (n > rule->max) return svc_fail(E_BAD_INPUT, rule->field, rule->too_many);
    const char **out = arena_alloc(a, sizeof *out * (size_t)(n + 1));
    int k = 0;
    for (int i = 0; i < n; i++) {
        const char *c = text_trim(a, in[i]);
        if (!c || !*c) continue;
        bool dup = false;
        for (int j = 0; j < k && !dup; j++) dup = !strcmp(out[j], c);
        if (dup) continue;
        if (!store_place_visible(d, a, viewer, cap, c))
            return svc_fail(E_NOT_FOUND, rule->field, arena_printf(a, rule->not_found, c));
        out[k++] = c;
    }
    *codes = out;
    *ncodes = k;
    return (struct svc_result){0};
}

const char *const *svc_registry_codes(arena *a, const struct served_place *p, int n)
{
    const char **codes = arena_alloc(a, sizeof *codes * (size_t)(n > 0 ? n + 1 : 1));
    for (int i = 0; i < n; i++) codes[i] = p[i].code;
    return codes;
}

json_t *svc_registry_codes_json(const char *const *codes, int n)
{
    json_t *p = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(p, json_string(codes[i]));
    return p;
}

const char *svc_registry_dump(arena *a, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = arena_strdup(a, s);
    free(s);
    return out;
}

json_t *svc_json_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

struct registry_write {
    const struct svc_registry_ops *ops;
    int64_t id;
    const void *row;
    const char *const *places;
    int nplaces;
    bool set_places;
    const char *before_json, *after_json;
};

static struct svc_result registry_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct registry_write *w = ctx;
    int64_t id = w->ops->store(d, w->id, w->row);
    if (id < 0 || (w->set_places && w->ops->places_set(d, id, w->places, w->nplaces) < 0))
        return svc_store_failed();
    *au = (struct svc_audit){.action = w->id ? "update" : "create",
                             .entity = w->ops->entity,
                             .entity_id = arena_printf(a, "%lld", (long long)id),
                             .place_code = w->ops->place_code(w->row),
                             .before_json = w->before_json,
                             .after_json = w->after_json};
    return (struct svc_result){.id = id};
}

struct svc_result svc_registry_save(db *d, arena *a, const struct principal *who,
                                    const struct svc_registry_ops *ops, int64_t id, const void *in,
                                    bool set_places, void *row, const void *before,
                                    const char *const *pbefore, int nbefore)
{
    struct registry_write w = {.ops = ops,
                               .id = id,
                               .row = row,
                               .places = pbefore,
                               .nplaces = nbefore,
                               .set_places = !id || set_places};
    struct svc_result v = ops->validate(d, a, who, id, in, row, &w.places, &w.nplaces);
    if (v.err) return v;
    w.before_json = before ? ops->audit(a, before, pbefore, nbefore) : NULL;
    w.after_json = ops->audit(a, row, w.places, w.nplaces);
    return svc_tx(d, a, who, id ? ops->what_update : ops->what_create, registry_tx, &w);
}
