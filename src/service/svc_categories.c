/* Categories and responsibilities; see svc_categories.h. Anything the actor
 * may not see answers 404 with the same message as something absent. */
#include "service/svc_categories.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/category_seed.h"
#include "core/roles.h"
#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "store/store_categories.h"
#include "store/store_orgs.h"
#include "store/store_places.h"
#include "util/clock.h"

const char category_inherit[] = "";

static const char *const no_category = "事项分类不存在";
static const char *const no_place = "区划不存在或不在您的管辖范围内";

struct category_input category_input_empty(void)
{
    return (struct category_input){.response_minutes = CAT_KEEP,
                                   .resolution_minutes = CAT_KEEP,
                                   .sort_order = CAT_KEEP,
                                   .working_hours = CAT_FLAG_KEEP,
                                   .active = CAT_FLAG_KEEP};
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Copy without surrounding ASCII spaces (the sentinel stays itself). */
static const char *trim(arena *a, const char *s)
{
    if (!s || s == category_inherit) return s;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    return arena_strndup(a, s, n);
}

/* ------------------------------------------------------------------ seed */

static struct svc_result seed_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)ctx;
    int64_t n = store_categories_count(d);
    if (n < 0) return svc_store_failed();
    if (n != 0) return (struct svc_result){0}; /* not empty: nothing to do, no audit */
    int64_t now = clock_now();
    for (int i = 0; i < category_seeds_count; i++) {
        const struct category_seed *s = &category_seeds[i];
        struct category_row row = {.code = s->code,
                                   .parent_code = s->parent,
                                   .name = s->name,
                                   .description = s->description,
                                   .response_minutes = s->response_minutes,
                                   .resolution_minutes = s->resolution_minutes,
                                   .working_hours = s->working_hours,
                                   .active = 1,
                                   .tier = s->tier,
                                   .skill = s->skill,
                                   .whistle = s->whistle,
                                   .sort_order = (i + 1) * 10};
        if (store_category_insert(d, &row, now) < 0) return svc_store_failed();
    }
    *au = (struct svc_audit){.action = "seed",
                             .entity = "category",
                             .note = arena_printf(a, "初始事项分类 %d 项", category_seeds_count)};
    return (struct svc_result){.id = category_seeds_count};
}

int categories_seed_if_empty(db *d)
{
    arena *a = arena_new();
    struct svc_result r = svc_tx(d, a, NULL, "category seed", seed_tx, NULL);
    arena_free(a);
    return r.err ? -1 : (int)r.id;
}

/* ------------------------------------------------------------------ reads */

static struct category_eff eff_of(const struct category_view *v)
{
    const struct category_row *c = &v->row;
    return (struct category_eff){
        .code = c->code,
        .parent_code = c->parent_code,
        .place_code = c->place_code,
        .place_name = v->place_name,
        .name = c->name,
        .description = c->description,
        .response_minutes = c->response_minutes,
        .resolution_minutes = c->resolution_minutes,
        .sort_order = c->sort_order,
        .working_hours = c->working_hours != 0,
        .active = c->active != 0,
        .tier = c->tier,
        .skill = c->skill && *c->skill ? c->skill : NULL,
        .whistle = c->whistle && *c->whistle ? c->whistle : NULL,
    };
}

/* Applies the overrides (widest first) of e's code onto e. */
static void apply_overrides(struct category_eff *e, const struct override_view *o, int n)
{
    for (int i = 0; i < n; i++) {
        const struct override_row *v = &o[i].row;
        if (strcmp(v->code, e->code) != 0) continue;
        if (v->response_minutes) e->response_minutes = v->response_minutes;
        if (v->resolution_minutes) e->resolution_minutes = v->resolution_minutes;
        if (v->working_hours >= 0) e->working_hours = v->working_hours != 0;
        if (v->active >= 0) e->active = v->active != 0;
        if (v->tier) e->tier = v->tier;
        if (v->skill) e->skill = *v->skill ? v->skill : NULL;
        if (v->whistle) e->whistle = *v->whistle ? v->whistle : NULL;
        e->override_place = v->place_code;
    }
}

/* A place filter must be a place in the viewer's places.read scope. */
static bool place_seen(db *d, arena *a, int64_t viewer, const char *place)
{
    return store_place_visible(d, a, viewer, CAP_PLACES_READ, place) != NULL;
}

/* Appends the subtree of parent (NULL: the roots) depth first. */
static void walk(struct category_eff *all, int n, bool *done, const char *parent, int depth,
                 struct category_eff *out, int *k)
{
    for (int i = 0; i < n; i++) {
        if (done[i]) continue;
        bool child = parent ? all[i].parent_code && !strcmp(all[i].parent_code, parent)
                            : !all[i].parent_code;
        if (!child) continue;
        done[i] = true;
        out[*k] = all[i];
        out[(*k)++].depth = depth;
        walk(all, n, done, all[i].code, depth + 1, out, k);
    }
}

err_code svc_categories_tree(db *d, arena *a, int64_t viewer, const char *at,
                             struct category_eff **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (at && *at && !place_seen(d, a, viewer, at)) return E_NOT_FOUND;
    if (at && !*at) at = NULL;
    struct category_view *c;
    struct override_view *o = NULL;
    int nc = store_categories_find(d, a, viewer, CAP_PLACES_READ, at, &c);
    int no = at ? store_category_overrides_at_list(d, a, at, &o) : 0;
    if (nc < 0 || no < 0) return E_INTERNAL;
    struct category_eff *all = arena_alloc(a, sizeof *all * (size_t)(nc + 1));
    bool *done = arena_alloc(a, sizeof *done * (size_t)(nc + 1));
    for (int i = 0; i < nc; i++) {
        all[i] = eff_of(&c[i]);
        apply_overrides(&all[i], o, no);
    }
    /* a parent the viewer does not see makes its children roots */
    for (int i = 0; i < nc; i++) {
        bool found = false;
        for (int j = 0; all[i].parent_code && j < nc && !found; j++)
            found = !strcmp(all[j].code, all[i].parent_code);
        if (!found) all[i].parent_code = NULL;
    }
    struct category_eff *res = arena_alloc(a, sizeof *res * (size_t)(nc + 1));
    int k = 0;
    walk(all, nc, done, NULL, 0, res, &k);
    *out = res;
    *n = k;
    return E_OK;
}

err_code svc_category_get(db *d, arena *a, int64_t viewer, const char *code, const char *at,
                          struct category_eff *out)
{
    if (at && !*at) at = NULL;
    if (at && !place_seen(d, a, viewer, at)) return E_NOT_FOUND;
    struct category_view c;
    if (!store_category_read(d, a, viewer, CAP_PLACES_READ, code, &c)) return E_NOT_FOUND;
    *out = eff_of(&c);
    const char *local = out->place_code;
    if (at) {
        /* a local category applies only below its place */
        if (local && strncmp(at, local, strlen(local)) != 0) return E_NOT_FOUND;
        struct override_view *o;
        int no = store_category_overrides_at_list(d, a, at, &o);
        if (no < 0) return E_INTERNAL;
        apply_overrides(out, o, no);
    }
    int depth = 0;
    for (const char *p = out->parent_code; p && depth < 16; depth++) {
        struct category_view pr;
        p = store_category_read(d, a, 0, CAP_PLACES_READ, p, &pr) ? pr.row.parent_code : NULL;
    }
    out->depth = depth;
    return E_OK;
}

/* ------------------------------------------------------------------ writes */

/* The stored category as a row, skill and whistle NULL for none. */
static struct category_row eff_row(const struct category_view *v)
{
    struct category_row c = v->row;
    struct category_eff e = eff_of(v);
    c.skill = e.skill;
    c.whistle = e.whistle;
    return c;
}

static const char *dump(arena *a, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    const char *out = arena_strdup(a, s);
    free(s);
    return out;
}

static const char *category_audit_json(arena *a, const struct category_row *c)
{
    return dump(a, json_pack("{s:s, s:s?, s:s?, s:s, s:s?, s:i, s:i, s:b, s:s, s:s?, s:s?, s:b, "
                             "s:i}",
                             "code", c->code, "parent_code", c->parent_code, "place_code",
                             c->place_code, "name", c->name, "description", c->description,
                             "response_minutes", (int)c->response_minutes, "resolution_minutes",
                             (int)c->resolution_minutes, "working_hours", c->working_hours, "tier",
                             c->tier, "skill", c->skill, "whistle", c->whistle, "active", c->active,
                             "sort_order", (int)c->sort_order));
}

/* Validates the limits, tier, skill and whistle of `in` onto c; for_override
 * accepts the CLEAR values (they keep c as is: the caller tracks clearing). */
static struct svc_result check_values(arena *a, const struct category_input *in,
                                      struct category_row *c)
{
    if (in->response_minutes != CAT_KEEP && in->response_minutes != CAT_CLEAR) {
        if (!category_limit_valid(in->response_minutes))
            return svc_fail(E_BAD_INPUT, "response_minutes", "响应时限应为1到527040之间的分钟数");
        c->response_minutes = in->response_minutes;
    }
    if (in->resolution_minutes != CAT_KEEP && in->resolution_minutes != CAT_CLEAR) {
        if (!category_limit_valid(in->resolution_minutes))
            return svc_fail(E_BAD_INPUT, "resolution_minutes", "办结时限应为1到527040之间的分钟数");
        c->resolution_minutes = in->resolution_minutes;
    }
    if (in->tier && in->tier != category_inherit) {
        const char *t =
            category_term_parse(category_tiers, category_tiers_count, trim(a, in->tier));
        if (!t)
            return svc_fail(E_BAD_INPUT, "tier",
                            "处置层级无效，应为现场处置、派单处置、协商处置、攻坚处置或上报处置");
        c->tier = t;
    }
    if (in->whistle && in->whistle != category_inherit) {
        const char *w = trim(a, in->whistle);
        if (!*w)
            c->whistle = NULL;
        else if (!(c->whistle = category_term_parse(category_whistles, category_whistles_count, w)))
            return svc_fail(E_BAD_INPUT, "whistle",
                            "吹哨类型无效，应为宣传哨、应急哨、执法哨或攻坚哨");
    }
    if (in->skill && in->skill != category_inherit) {
        const char *s = trim(a, in->skill);
        if (utf8_chars(s) > 20) return svc_fail(E_BAD_INPUT, "skill", "专业属性不能超过20个字");
        c->skill = *s ? s : NULL;
    }
    if (in->working_hours >= 0) c->working_hours = in->working_hours != 0;
    if (in->active >= 0) c->active = in->active != 0;
    if (c->response_minutes > c->resolution_minutes)
        return svc_fail(E_BAD_INPUT, "response_minutes", "响应时限不能长于办结时限");
    return (struct svc_result){0};
}

static struct svc_result check_text(arena *a, const struct category_input *in,
                                    struct category_row *c)
{
    if (in->name) {
        const char *name = trim(a, in->name);
        if (!*name) return svc_fail(E_BAD_INPUT, "name", "请填写分类名称");
        if (utf8_chars(name) > 40) return svc_fail(E_BAD_INPUT, "name", "分类名称不能超过40个字");
        c->name = name;
    }
    if (in->description) {
        const char *s = trim(a, in->description);
        if (utf8_chars(s) > 500) return svc_fail(E_BAD_INPUT, "description", "说明不能超过500个字");
        c->description = *s ? s : NULL;
    }
    if (in->sort_order != CAT_KEEP) {
        if (in->sort_order < 0 || in->sort_order > 1000000)
            return svc_fail(E_BAD_INPUT, "sort_order", "排序号应为0到1000000之间的整数");
        c->sort_order = in->sort_order;
    }
    return (struct svc_result){0};
}

/* May the actor change a row of this place (NULL: global)? */
static bool may_write(db *d, int64_t viewer, const char *place)
{
    return place ? store_place_in_scope(d, viewer, CAP_ORGS_WRITE, place)
                 : store_scope_covers_all(d, viewer, CAP_ORGS_WRITE);
}

/* One write of this file: `store` makes it (the id, or < 0; a constraint
 * failure answers E_CONFLICT on conflict_field when conflict is set), then
 * the audit entry (its entity_id the id when not given). */
struct cat_write {
    int64_t (*store)(db *d, const struct cat_write *w);
    const void *row;
    int64_t id;
    const char *conflict_field, *conflict;
    struct svc_audit audit;
};

static struct svc_result cat_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct cat_write *w = ctx;
    int64_t id = w->store(d, w);
    if (id < 0 && w->conflict && db_last_code(d) == DB_CONSTRAINT)
        return svc_fail(E_CONFLICT, w->conflict_field, w->conflict);
    if (id < 0) return svc_store_failed();
    *au = w->audit;
    if (!au->entity_id) au->entity_id = arena_printf(a, "%lld", (long long)id);
    return (struct svc_result){.id = id};
}

static int64_t category_insert(db *d, const struct cat_write *w)
{
    return store_category_insert(d, w->row, clock_now());
}

static int64_t category_update(db *d, const struct cat_write *w)
{
    return store_category_update(d, w->row, clock_now()) < 0 ? -1 : w->id;
}

static int64_t override_put(db *d, const struct cat_write *w)
{
    return store_category_override_put(d, w->row, clock_now());
}

/* Where a new category applies and under which parent, onto c. */
static struct svc_result check_new(db *d, arena *a, int64_t viewer, const struct category_input *in,
                                   struct category_row *c)
{
    c->code = trim(a, in->code);
    if (!c->code || !*c->code) return svc_fail(E_BAD_INPUT, "code", "请填写分类代码");
    if (!category_code_valid(c->code))
        return svc_fail(E_BAD_INPUT, "code",
                        "分类代码应为小写字母开头、由小写字母、数字和下划线组成的40位以内代码");
    const char *place = trim(a, in->place_code);
    if (place && *place) {
        if (!store_place_visible(d, a, viewer, CAP_ORGS_WRITE, place))
            return svc_fail(E_NOT_FOUND, "place_code", no_place);
        c->place_code = place;
    } else if (!may_write(d, viewer, NULL))
        return svc_fail(E_FORBIDDEN, "place_code",
                        "您只能为管辖区划新建本地分类，请填写适用区划（全域分类由系统管理员维护）");
    const char *parent = trim(a, in->parent_code);
    if (parent && *parent) {
        struct category_view p;
        if (!store_category_read(d, a, viewer, CAP_PLACES_READ, parent, &p))
            return svc_fail(E_BAD_INPUT, "parent_code", "上级分类不存在");
        /* a child applies where its parent does */
        const char *pplace = p.row.place_code;
        if (pplace && (!c->place_code || strncmp(c->place_code, pplace, strlen(pplace)) != 0))
            return svc_fail(E_BAD_INPUT, "parent_code",
                            "上级分类是本地分类，下级分类须在其适用区划内");
        c->parent_code = parent;
    }
    return (struct svc_result){0};
}

struct svc_result svc_category_create(db *d, arena *a, const struct principal *who,
                                      const struct category_input *given)
{
    int64_t viewer = principal_viewer(who);
    /* nothing to inherit on a new category: "clear" is the default */
    struct category_input in = *given;
    if (in.tier == category_inherit) in.tier = NULL;
    if (in.skill == category_inherit) in.skill = "";
    if (in.whistle == category_inherit) in.whistle = "";
    if (in.response_minutes == CAT_CLEAR) in.response_minutes = CAT_KEEP;
    if (in.resolution_minutes == CAT_CLEAR) in.resolution_minutes = CAT_KEEP;
    if (in.working_hours == CAT_FLAG_CLEAR) in.working_hours = CAT_FLAG_KEEP;
    if (in.active == CAT_FLAG_CLEAR) in.active = CAT_FLAG_KEEP;
    struct category_row c = {.response_minutes = CATEGORY_RESPONSE_DEFAULT,
                             .resolution_minutes = CATEGORY_RESOLUTION_DEFAULT,
                             .tier = "dispatch",
                             .active = 1};
    struct svc_result v = check_new(d, a, viewer, &in, &c);
    if (v.err) return v;
    if (!in.name) return svc_fail(E_BAD_INPUT, "name", "请填写分类名称");
    if (!(v = check_text(a, &in, &c)).err) v = check_values(a, &in, &c);
    if (v.err) return v;
    struct category_view exists;
    if (store_category_read(d, a, 0, CAP_PLACES_READ, c.code, &exists))
        return svc_fail(E_CONFLICT, "code", "分类代码已存在");
    if (in.sort_order == CAT_KEEP) c.sort_order = (long)store_category_next_sort(d);
    struct cat_write w = {.store = category_insert,
                          .row = &c,
                          .conflict_field = "code",
                          .conflict = "分类代码已存在",
                          .audit = {.action = "create",
                                    .entity = "category",
                                    .entity_id = c.code,
                                    .place_code = c.place_code,
                                    .after_json = category_audit_json(a, &c)}};
    return svc_tx(d, a, who, "category create", cat_tx, &w);
}

struct svc_result svc_category_update(db *d, arena *a, const struct principal *who,
                                      const char *code, const struct category_input *given)
{
    int64_t viewer = principal_viewer(who);
    struct category_view cur;
    if (!code || !store_category_read(d, a, viewer, CAP_PLACES_READ, code, &cur))
        return svc_fail(E_NOT_FOUND, NULL, no_category);
    struct category_row before = eff_row(&cur), c = before;
    if (!may_write(d, viewer, before.place_code))
        return svc_fail(E_FORBIDDEN, NULL,
                        before.place_code ? "您无权修改该分类（其适用区划不在您的管辖范围内）"
                                          : "全域分类只能由系统管理员修改；县（区）可带 place "
                                            "参数为本区划设置时限等");
    struct category_input in = *given;
    /* a category's own skill and whistle inherit nothing: cleared is none */
    if (in.skill == category_inherit) in.skill = "";
    if (in.whistle == category_inherit) in.whistle = "";
    if ((in.code && strcmp(in.code, code) != 0) || in.parent_code || in.place_code)
        return svc_fail(E_BAD_INPUT,
                        in.code          ? "code"
                        : in.parent_code ? "parent_code"
                                         : "place_code",
                        "分类代码、上级分类和适用区划创建后不能修改");
    if (in.response_minutes == CAT_CLEAR || in.resolution_minutes == CAT_CLEAR ||
        in.working_hours == CAT_FLAG_CLEAR || in.active == CAT_FLAG_CLEAR ||
        in.tier == category_inherit)
        return svc_fail(E_BAD_INPUT, NULL, "分类本身的时限、层级和状态不能为空");
    struct svc_result v = check_text(a, &in, &c);
    if (!v.err) v = check_values(a, &in, &c);
    if (v.err) return v;
    struct cat_write w = {.store = category_update,
                          .row = &c,
                          .id = cur.id,
                          .audit = {.action = "update",
                                    .entity = "category",
                                    .entity_id = c.code,
                                    .place_code = c.place_code,
                                    .before_json = category_audit_json(a, &before),
                                    .after_json = category_audit_json(a, &c)}};
    return svc_tx(d, a, who, "category update", cat_tx, &w);
}

static json_t *override_json(const struct override_row *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "category_code", json_string(o->code));
    json_object_set_new(j, "place_code", json_string(o->place_code));
    json_object_set_new(j, "response_minutes",
                        o->response_minutes > 0 ? json_integer(o->response_minutes) : json_null());
    json_object_set_new(j, "resolution_minutes",
                        o->resolution_minutes > 0 ? json_integer(o->resolution_minutes)
                                                  : json_null());
    json_object_set_new(j, "working_hours",
                        o->working_hours >= 0 ? json_boolean(o->working_hours) : json_null());
    json_object_set_new(j, "active", o->active >= 0 ? json_boolean(o->active) : json_null());
    json_object_set_new(j, "tier", o->tier ? json_string(o->tier) : json_null());
    json_object_set_new(j, "skill", o->skill ? json_string(o->skill) : json_null());
    json_object_set_new(j, "whistle", o->whistle ? json_string(o->whistle) : json_null());
    return j;
}

/* Records in o only what `in` gives, validated against the effective eff. */
static void override_apply(const struct category_input *in, const struct category_row *eff,
                           struct override_row *o)
{
    if (in->response_minutes == CAT_CLEAR)
        o->response_minutes = 0;
    else if (in->response_minutes != CAT_KEEP)
        o->response_minutes = eff->response_minutes;
    if (in->resolution_minutes == CAT_CLEAR)
        o->resolution_minutes = 0;
    else if (in->resolution_minutes != CAT_KEEP)
        o->resolution_minutes = eff->resolution_minutes;
    if (in->working_hours != CAT_FLAG_KEEP)
        o->working_hours = in->working_hours < 0 ? -1 : eff->working_hours;
    if (in->active != CAT_FLAG_KEEP) o->active = in->active < 0 ? -1 : eff->active;
    if (in->tier) o->tier = in->tier == category_inherit ? NULL : eff->tier;
    if (in->skill) o->skill = in->skill == category_inherit ? NULL : eff->skill ? eff->skill : "";
    if (in->whistle)
        o->whistle = in->whistle == category_inherit ? NULL : eff->whistle ? eff->whistle : "";
}

struct svc_result svc_category_override(db *d, arena *a, const struct principal *who,
                                        const char *code, const char *place,
                                        const struct category_input *in)
{
    int64_t viewer = principal_viewer(who);
    place = trim(a, place);
    /* the place first: an override outside the actor's scope is not there */
    if (!place || !*place || !store_place_visible(d, a, viewer, CAP_ORGS_WRITE, place))
        return svc_fail(E_NOT_FOUND, "place", no_place);
    struct category_eff at;
    if (!code || svc_category_get(d, a, viewer, code, place, &at) != E_OK)
        return svc_fail(E_NOT_FOUND, NULL, no_category);
    if (in->code || in->parent_code || in->place_code || in->name || in->description ||
        in->sort_order != CAT_KEEP)
        return svc_fail(E_BAD_INPUT, NULL,
                        "区划设置只能调整时限、工作时间、处置层级、专业属性、吹哨类型和启用状态");
    struct override_view cur;
    bool existed = store_category_override_read(d, a, code, place, &cur);
    struct override_row before =
        existed ? cur.row
                : (struct override_row){
                      .code = code, .place_code = place, .working_hours = -1, .active = -1};
    struct override_row o = before;
    o.code = code;
    o.place_code = place;
    /* validate against the effective values, then record only what was given */
    struct category_row eff = {.response_minutes = at.response_minutes,
                               .resolution_minutes = at.resolution_minutes,
                               .working_hours = at.working_hours,
                               .active = at.active,
                               .tier = at.tier,
                               .skill = at.skill,
                               .whistle = at.whistle};
    struct svc_result v = check_values(a, in, &eff);
    if (v.err) return v;
    override_apply(in, &eff, &o);
    struct cat_write w = {.store = override_put,
                          .row = &o,
                          .audit = {.action = existed ? "update" : "override",
                                    .entity = "category",
                                    .entity_id = code,
                                    .place_code = place,
                                    .before_json = existed ? dump(a, override_json(&before)) : NULL,
                                    .after_json = dump(a, override_json(&o)),
                                    .note = "区划设置"}};
    return svc_tx(d, a, who, "category override", cat_tx, &w);
}

/* ------------------------------------------------------------------ 责任清单 */

static const char *resp_audit_json(arena *a, const char *code, const char *place, int64_t org_id,
                                   const char *org_name, const char *role, const char *note)
{
    return dump(a, json_pack("{s:s, s:s?, s:I, s:s, s:s, s:s?}", "category_code", code,
                             "place_code", place, "org_id", (json_int_t)org_id, "org_name",
                             org_name, "role", role, "note", note));
}

/* A responsibility, checked: what responsibility_insert stores. */
struct resp_write {
    const char *code, *place, *role, *note;
    int64_t org_id;
};

static int64_t responsibility_insert(db *d, const struct cat_write *w)
{
    const struct resp_write *r = w->row;
    return store_responsibility_insert(d, r->code, r->place, r->org_id, r->role, r->note,
                                       clock_now());
}

static int64_t responsibility_delete(db *d, const struct cat_write *w)
{
    return store_responsibility_delete(d, w->id) != 1 ? -1 : w->id;
}

/* The responsible unit: one of the place or above it (县直部门 for a
 * community), or one the actor sees. */
static struct svc_result check_unit(db *d, arena *a, int64_t viewer, const char *place,
                                    const char *org_text, struct org_brief *org)
{
    char *end = NULL;
    long long id = org_text && *org_text ? strtoll(org_text, &end, 10) : 0;
    if (id <= 0 || *end) return svc_fail(E_BAD_INPUT, "org_id", "请选择责任单位");
    struct org_view seen;
    if (!store_category_org_read(d, a, id, org))
        return svc_fail(E_NOT_FOUND, "org_id", "责任单位不存在或不在您的管辖范围内");
    const char *home = org->place_code;
    bool above = home && place && !strncmp(place, home, strlen(home));
    if (!above && !store_org_read(d, a, viewer, CAP_ORGS_READ, id, &seen))
        return svc_fail(E_NOT_FOUND, "org_id", "责任单位不存在或不在您的管辖范围内");
    return (struct svc_result){0};
}

struct svc_result svc_responsibility_add(db *d, arena *a, const struct principal *who,
                                         const struct responsibility_input *in)
{
    int64_t viewer = principal_viewer(who);
    struct resp_write r = {.code = trim(a, in->category_code), .place = trim(a, in->place_code)};
    if (!r.code || !*r.code) return svc_fail(E_BAD_INPUT, "category_code", "请选择事项分类");
    if (r.place && !*r.place) r.place = NULL;
    if (r.place) {
        if (!store_place_visible(d, a, viewer, CAP_ORGS_WRITE, r.place))
            return svc_fail(E_NOT_FOUND, "place_code", no_place);
    } else if (!may_write(d, viewer, NULL))
        return svc_fail(E_BAD_INPUT, "place_code", "请填写适用区划");
    struct category_view c;
    bool found = store_category_read(d, a, viewer, CAP_PLACES_READ, r.code, &c);
    const char *local = found ? c.row.place_code : NULL;
    if (!found || (local && (!r.place || strncmp(r.place, local, strlen(local)) != 0)))
        return svc_fail(E_BAD_INPUT, "category_code", "事项分类不存在或不适用于该区划");
    struct org_brief org;
    struct svc_result v = check_unit(d, a, viewer, r.place, in->org_id, &org);
    if (v.err) return v;
    r.org_id = org.id;
    const char *role = in->role && *in->role ? trim(a, in->role) : "lead";
    if (!(r.role = category_term_parse(category_resp_roles, category_resp_roles_count, role)))
        return svc_fail(E_BAD_INPUT, "role", "责任类型无效，应为主责或配合");
    r.note = trim(a, in->note);
    if (r.note && utf8_chars(r.note) > RESP_NOTE_MAX)
        return svc_fail(E_BAD_INPUT, "note", "备注不能超过200个字");
    if (store_responsibility_exists(d, r.code, r.place, r.org_id))
        return svc_fail(E_CONFLICT, "org_id", "该单位已在此区划的该事项责任清单中");
    struct cat_write w = {.store = responsibility_insert,
                          .row = &r,
                          .conflict_field = "org_id",
                          .conflict = "该单位已在此区划的该事项责任清单中",
                          .audit = {.action = "create",
                                    .entity = "responsibility",
                                    .place_code = r.place,
                                    .after_json = resp_audit_json(a, r.code, r.place, r.org_id,
                                                                  org.name, r.role, r.note)}};
    return svc_tx(d, a, who, "responsibility add", cat_tx, &w);
}

struct svc_result svc_responsibility_remove(db *d, arena *a, const struct principal *who,
                                            int64_t id)
{
    int64_t viewer = principal_viewer(who);
    struct resp_view r;
    if (!store_responsibility_read(d, a, viewer, CAP_PLACES_READ, id, &r))
        return svc_fail(E_NOT_FOUND, NULL, "责任清单条目不存在");
    if (!may_write(d, viewer, r.place_code))
        return svc_fail(E_FORBIDDEN, NULL, "您无权删除该条目（其适用区划不在您的管辖范围内）");
    struct cat_write w = {
        .store = responsibility_delete,
        .id = id,
        .audit = {.action = "delete",
                  .entity = "responsibility",
                  .place_code = r.place_code,
                  .before_json = resp_audit_json(a, r.category_code, r.place_code, r.org_id,
                                                 r.org_name, r.role, r.note)}};
    return svc_tx(d, a, who, "responsibility delete", cat_tx, &w);
}

err_code svc_responsibility_lookup(db *d, arena *a, int64_t viewer, const char *code,
                                   const char *place, struct resp_view **out, int *n,
                                   const char **category_used)
{
    *out = NULL;
    *n = 0;
    *category_used = NULL;
    if (!place_seen(d, a, viewer, place)) return E_NOT_FOUND;
    struct category_eff e;
    if (svc_category_get(d, a, viewer, code, place, &e) != E_OK) return E_NOT_FOUND;
    for (const char *c = code; c;) {
        struct resp_filter f = {.category = c, .place = place, .limit = 500};
        struct resp_view *r;
        int nr = store_responsibilities_find(d, a, viewer, CAP_PLACES_READ, &f, &r);
        if (nr < 0) return E_INTERNAL;
        /* the narrowest place with rows wins (NULL, everywhere, is the widest) */
        size_t best = 0;
        for (int i = 0; i < nr; i++) {
            size_t len = r[i].place_code ? strlen(r[i].place_code) : 0;
            if (len > best) best = len;
        }
        if (nr > 0) {
            int k = 0;
            for (int i = 0; i < nr; i++)
                if ((r[i].place_code ? strlen(r[i].place_code) : 0) == best) r[k++] = r[i];
            *out = r;
            *n = k;
            *category_used = c;
            return E_OK;
        }
        struct category_view cv;
        c = store_category_read(d, a, viewer, CAP_PLACES_READ, c, &cv) ? cv.row.parent_code : NULL;
    }
    *category_used = code;
    return E_OK;
}
