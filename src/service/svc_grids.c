/* Grids: create, set places and workers; see svc_grids.h. */
#include "service/svc_grids.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grid_rule.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "service/svc_tx.h"
#include "util/text.h"
#include "store/store_grids.h"
#include "store/store_places.h"

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

static bool under(const char *code, const char *prefix)
{
    return !strncmp(code, prefix, strlen(prefix));
}

/* What a grid looks like to the audit log. */
static const char *grid_audit_json(arena *a, const char *code, const char *name, const char *kind,
                                   const char *community, const char *const *places, int np,
                                   const int64_t *workers, int nw)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name", name, "kind", kind,
                          "community_code", community);
    json_t *p = json_array(), *w = json_array();
    for (int i = 0; i < np; i++) json_array_append_new(p, json_string(places[i]));
    for (int i = 0; i < nw; i++) json_array_append_new(w, json_integer(workers[i]));
    json_object_set_new(o, "places", p);
    json_object_set_new(o, "workers", w);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = arena_strdup(a, s);
    free(s);
    return out;
}

/* Checks name and kind (when given or required) into *name / *kind. */
static struct svc_result check_name_kind(arena *a, const struct grid_input *in, bool create,
                                         const char **name, const char **kind)
{
    if (in->kind || create) {
        const char *k = grid_kind_from_label(text_trim(a, in->kind));
        if (!k) return svc_fail(E_BAD_INPUT, "kind", "网格类型无效，应为基础网格或专属网格");
        *kind = k;
    }
    if (in->name || create) {
        const char *n = text_trim(a, in->name);
        if (!n || !*n) return svc_fail(E_BAD_INPUT, "name", "请填写网格名称");
        if (text_chars(n) > GRID_NAME_MAX)
            return svc_fail(E_BAD_INPUT, "name", "网格名称不能超过60个字");
        *name = n;
    }
    return (struct svc_result){0};
}

/* Checks the places for a grid `self` (0: new) of kind in community into
 * *out (deduplicated). */
static struct svc_result check_places(db *d, arena *a, const struct principal *who,
                                      const struct grid_input *in, int64_t self, const char *kind,
                                      const char *community, const char *const **out, int *nout)
{
    if (in->nplaces > GRID_PLACES_MAX)
        return svc_fail(E_BAD_INPUT, "places", "网格区划过多（最多500处）");
    const char **codes = arena_alloc(a, sizeof *codes * (size_t)(in->nplaces + 1));
    int n = 0;
    int64_t viewer = who ? who->account_id : 0;
    for (int i = 0; i < in->nplaces; i++) {
        const char *c = text_trim(a, in->places[i]);
        if (!c || !*c) continue;
        bool dup = false;
        for (int j = 0; j < n && !dup; j++) dup = !strcmp(codes[j], c);
        if (dup) continue;
        if (!store_place_visible(d, a, viewer, CAP_PLACES_WRITE, c))
            return svc_fail(E_NOT_FOUND, "places",
                            arena_printf(a, "区划 %s 不存在或不在您的管辖范围内", c));
        if (!under(c, community))
            return svc_fail(E_BAD_INPUT, "places", arena_printf(a, "区划 %s 不在该社区内", c));
        for (int j = 0; j < n; j++)
            if (under(c, codes[j]) || under(codes[j], c))
                return svc_fail(E_BAD_INPUT, "places",
                                arena_printf(a, "区划 %s 与 %s 相互包含，请只选其一", c, codes[j]));
        if (!strcmp(kind, GRID_KIND_BASIC)) {
            const char *other = store_grid_overlapping(d, a, c, self);
            if (other)
                return svc_fail(E_CONFLICT, "places",
                                arena_printf(a,
                                             "区划 %s 已属于基础网格“%s”，一处只能属于一个基础网格",
                                             c, other));
        }
        codes[n++] = c;
    }
    *out = codes;
    *nout = n;
    return (struct svc_result){0};
}

static struct svc_result check_workers(db *d, arena *a, const struct principal *who,
                                       const struct grid_input *in, const int64_t **out, int *nout)
{
    if (in->nworkers > GRID_WORKERS_MAX)
        return svc_fail(E_BAD_INPUT, "workers", "网格员过多（最多20人）");
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(in->nworkers + 1));
    int n = 0;
    for (int i = 0; i < in->nworkers; i++) {
        bool dup = false;
        for (int j = 0; j < n && !dup; j++) dup = ids[j] == in->workers[i];
        if (dup) continue;
        if (in->workers[i] <= 0 || !store_person_place_in_scope(d, a, who ? who->account_id : 0,
                                                                CAP_PEOPLE_READ, in->workers[i]))
            return svc_fail(E_NOT_FOUND, "workers", "网格员不存在或不在您的管辖范围内");
        ids[n++] = in->workers[i];
    }
    *out = ids;
    *nout = n;
    return (struct svc_result){0};
}

/* A grid write, checked: what grid_create_tx / grid_update_tx store. */
struct grid_write {
    const struct principal *who;
    int64_t id; /* update: the grid */
    const char *code, *name, *kind, *community;
    const char *const *places;
    const int64_t *workers;
    int np, nw;
    bool set_places, set_workers; /* update: which lists change */
    const char *before;           /* update: the grid as it was, for the audit log */
};

static struct svc_result grid_create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct grid_write *w = ctx;
    int64_t id = -1;
    if (w->code && *w->code) {
        id = store_grid_insert(d, w->code, w->name, w->kind, w->community);
        if (id == DB_CONSTRAINT) return svc_fail(E_CONFLICT, "code", "网格编号已存在");
    } else {
        /* <community>-NN, the next free number */
        int64_t next = store_grids_in_community(d, w->community) + 1;
        for (int tries = 0; id < 0 && tries < 50; tries++, next++) {
            w->code = arena_printf(a, "%s-%02lld", w->community, (long long)next);
            if (store_grid_code_taken(d, w->code)) continue;
            id = store_grid_insert(d, w->code, w->name, w->kind, w->community);
        }
    }
    if (id < 0 || store_grid_places_set(d, id, w->places, w->np) < 0 ||
        store_grid_workers_set(d, id, w->workers, w->nw) < 0)
        return svc_store_failed();
    *au =
        (struct svc_audit){.action = "create",
                           .entity = "grid",
                           .entity_id = arena_printf(a, "%lld", (long long)id),
                           .place_code = w->community,
                           .after_json = grid_audit_json(a, w->code, w->name, w->kind, w->community,
                                                         w->places, w->np, w->workers, w->nw)};
    return (struct svc_result){.id = id};
}

static struct svc_result grid_update_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct grid_write *w = ctx;
    if (store_grid_update(d, w->id, w->name, w->kind) < 0 ||
        (w->set_places && store_grid_places_set(d, w->id, w->places, w->np) < 0) ||
        (w->set_workers && store_grid_workers_set(d, w->id, w->workers, w->nw) < 0))
        return svc_store_failed();
    *au =
        (struct svc_audit){.action = "update",
                           .entity = "grid",
                           .entity_id = arena_printf(a, "%lld", (long long)w->id),
                           .place_code = w->community,
                           .before_json = w->before,
                           .after_json = grid_audit_json(a, w->code, w->name, w->kind, w->community,
                                                         w->places, w->np, w->workers, w->nw)};
    return (struct svc_result){.id = w->id};
}

/* Checks the lists a write sets (in->set_places / set_workers) into w, which
 * holds the stored ones (update) or none (create), and runs fn. */
static struct svc_result grid_write_lists(db *d, arena *a, const struct grid_input *in,
                                          struct grid_write *w, const char *what, svc_tx_fn fn)
{
    struct svc_result v = {0};
    if (in->set_places)
        v = check_places(d, a, w->who, in, w->id, w->kind, w->community, &w->places, &w->np);
    if (!v.err && in->set_workers) v = check_workers(d, a, w->who, in, &w->workers, &w->nw);
    if (v.err) return v;
    w->set_places = in->set_places;
    w->set_workers = in->set_workers;
    return svc_tx(d, a, w->who, what, fn, w);
}

struct svc_result svc_grid_create(db *d, arena *a, const struct principal *who,
                                  const struct grid_input *in)
{
    const char *name = NULL, *kind = NULL;
    struct svc_result v = check_name_kind(a, in, true, &name, &kind);
    if (v.err) return v;
    const char *community = text_trim(a, in->community_code);
    if (!community || !*community) return svc_fail(E_BAD_INPUT, "community_code", "请选择所属社区");
    const char *level =
        store_place_visible(d, a, principal_viewer(who), CAP_PLACES_WRITE, community);
    if (!level) return svc_fail(E_NOT_FOUND, "community_code", "社区不存在或不在您的管辖范围内");
    if (strcmp(level, "community") != 0)
        return svc_fail(E_BAD_INPUT, "community_code", "网格应建在社区或村");
    const char *code = text_trim(a, in->code);
    if (code && *code && !code_ok(code))
        return svc_fail(E_BAD_INPUT, "code", "网格编号只能包含字母、数字、- 和 _，最多40位");
    struct grid_write w = {
        .who = who, .code = code, .name = name, .kind = kind, .community = community};
    return grid_write_lists(d, a, in, &w, "grid create", grid_create_tx);
}

struct svc_result svc_grid_update(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct grid_input *in)
{
    int64_t viewer = who ? who->account_id : 0;
    struct grid g;
    if (!store_grid_get(d, a, viewer, CAP_PLACES_READ, id, &g))
        return svc_fail(E_NOT_FOUND, NULL, "网格不存在或不在您的管辖范围内");
    const char *community = g.community_code;
    if (!store_place_in_scope(d, viewer, CAP_PLACES_WRITE, community))
        return svc_fail(E_FORBIDDEN, NULL, "您无权修改该网格（需有所属社区的管理权限）");
    if (in->community_code && *in->community_code && strcmp(in->community_code, community))
        return svc_fail(E_BAD_INPUT, "community_code", "网格的所属社区不能更改");
    const char *name = g.name, *kind = g.kind, *code = g.code;
    struct svc_result v = check_name_kind(a, in, false, &name, &kind);
    if (v.err) return v;

    struct grid_place *bp = NULL;
    int npb = store_grid_places(d, a, id, &bp);
    if (npb < 0) npb = 0;
    const char **pbefore = arena_alloc(a, sizeof *pbefore * (size_t)(npb + 1));
    for (int i = 0; i < npb; i++) pbefore[i] = bp[i].code;
    int64_t *wbefore = NULL;
    int nwb = store_grid_worker_ids(d, a, id, &wbefore);
    if (nwb < 0) nwb = 0;

    struct grid_input eff = *in;
    if (!in->set_places && strcmp(kind, g.kind) != 0) {
        /* becoming basic: its places must not be in another basic grid */
        eff.set_places = true;
        eff.places = pbefore;
        eff.nplaces = npb;
    }
    struct grid_write w = {
        .who = who,
        .id = id,
        .code = code,
        .name = name,
        .kind = kind,
        .community = community,
        .places = pbefore,
        .np = npb,
        .workers = wbefore,
        .nw = nwb,
        .before = grid_audit_json(a, code, g.name, g.kind, community, pbefore, npb, wbefore, nwb)};
    return grid_write_lists(d, a, &eff, &w, "grid update", grid_update_tx);
}
