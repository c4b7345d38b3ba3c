/* Categories and responsibilities; see svc_categories.h. Anything the actor
 * may not see answers 404 with the same message as something absent. */
#include "service/svc_categories.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/category_seed.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
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

int categories_seed_if_empty(db *d)
{
    if (db_begin(d) < 0) return -1;
    int64_t n = store_categories_count(d);
    if (n != 0) {
        db_commit(d);
        return n < 0 ? -1 : 0;
    }
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
        if (store_category_insert(d, &row, now) < 0) goto fail;
    }
    char note[64];
    snprintf(note, sizeof note, "初始事项分类 %d 项", category_seeds_count);
    if (audit_write(d, NULL, "seed", "category", NULL, NULL, NULL, NULL, note) < 0) goto fail;
    if (db_commit(d) < 0) return -1;
    return category_seeds_count;
fail:
    fprintf(stderr, "linli: category seed: %s\n", db_errmsg(d));
    db_rollback(d);
    return -1;
}

/* ------------------------------------------------------------------ reads */

static struct category_eff eff_of(const db_rows *c, int i)
{
    const char *skill = db_get(c, i, CC_SKILL), *whistle = db_get(c, i, CC_WHISTLE);
    return (struct category_eff){
        .code = db_get(c, i, CC_CODE),
        .parent_code = db_get(c, i, CC_PARENT),
        .place_code = db_get(c, i, CC_PLACE),
        .place_name = db_get(c, i, CC_PLACE_NAME),
        .name = db_get(c, i, CC_NAME),
        .description = db_get(c, i, CC_DESCRIPTION),
        .response_minutes = (long)db_get_int(c, i, CC_RESPONSE),
        .resolution_minutes = (long)db_get_int(c, i, CC_RESOLUTION),
        .sort_order = (long)db_get_int(c, i, CC_SORT),
        .working_hours = db_get_int(c, i, CC_WORKING_HOURS) != 0,
        .active = db_get_int(c, i, CC_ACTIVE) != 0,
        .tier = db_get(c, i, CC_TIER),
        .skill = skill && *skill ? skill : NULL,
        .whistle = whistle && *whistle ? whistle : NULL,
    };
}

/* Applies the overrides (widest first) of e's code onto e. */
static void apply_overrides(struct category_eff *e, const db_rows *o)
{
    for (int i = 0; o && i < o->nrows; i++) {
        if (strcmp(db_get(o, i, OV_CODE), e->code) != 0) continue;
        if (db_get(o, i, OV_RESPONSE)) e->response_minutes = (long)db_get_int(o, i, OV_RESPONSE);
        if (db_get(o, i, OV_RESOLUTION))
            e->resolution_minutes = (long)db_get_int(o, i, OV_RESOLUTION);
        if (db_get(o, i, OV_WORKING_HOURS))
            e->working_hours = db_get_int(o, i, OV_WORKING_HOURS) != 0;
        if (db_get(o, i, OV_ACTIVE)) e->active = db_get_int(o, i, OV_ACTIVE) != 0;
        if (db_get(o, i, OV_TIER)) e->tier = db_get(o, i, OV_TIER);
        const char *s = db_get(o, i, OV_SKILL), *w = db_get(o, i, OV_WHISTLE);
        if (s) e->skill = *s ? s : NULL;
        if (w) e->whistle = *w ? w : NULL;
        e->override_place = db_get(o, i, OV_PLACE);
    }
}

/* A place filter must be a place in the viewer's places.read scope. */
static bool place_seen(db *d, arena *a, int64_t viewer, const char *place)
{
    return store_place_level(d, a, place) &&
           store_place_in_scope(d, viewer, CAP_PLACES_READ, place);
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
    db_rows *c = store_categories_list(d, a, viewer, CAP_PLACES_READ, at);
    if (!c) return E_INTERNAL;
    db_rows *o = at ? store_category_overrides_at(d, a, at) : NULL;
    if (at && !o) return E_INTERNAL;
    struct category_eff *all = arena_alloc(a, sizeof *all * (size_t)(c->nrows + 1));
    bool *done = arena_alloc(a, sizeof *done * (size_t)(c->nrows + 1));
    for (int i = 0; i < c->nrows; i++) {
        all[i] = eff_of(c, i);
        apply_overrides(&all[i], o);
    }
    /* a parent the viewer does not see makes its children roots */
    for (int i = 0; i < c->nrows; i++) {
        bool found = false;
        for (int j = 0; all[i].parent_code && j < c->nrows && !found; j++)
            found = !strcmp(all[j].code, all[i].parent_code);
        if (!found) all[i].parent_code = NULL;
    }
    struct category_eff *res = arena_alloc(a, sizeof *res * (size_t)(c->nrows + 1));
    int k = 0;
    walk(all, c->nrows, done, NULL, 0, res, &k);
    *out = res;
    *n = k;
    return E_OK;
}

err_code svc_category_get(db *d, arena *a, int64_t viewer, const char *code, const char *at,
                          struct category_eff *out)
{
    if (at && !*at) at = NULL;
    if (at && !place_seen(d, a, viewer, at)) return E_NOT_FOUND;
    db_rows *c = store_category_get(d, a, viewer, CAP_PLACES_READ, code);
    if (!c) return E_NOT_FOUND;
    *out = eff_of(c, 0);
    const char *local = out->place_code;
    if (at) {
        /* a local category applies only below its place */
        if (local && strncmp(at, local, strlen(local)) != 0) return E_NOT_FOUND;
        db_rows *o = store_category_overrides_at(d, a, at);
        if (!o) return E_INTERNAL;
        apply_overrides(out, o);
    }
    int depth = 0;
    for (const char *p = out->parent_code; p && depth < 16; depth++) {
        db_rows *pr = store_category_get(d, a, 0, CAP_PLACES_READ, p);
        p = pr ? db_get(pr, 0, CC_PARENT) : NULL;
    }
    out->depth = depth;
    return E_OK;
}

/* ------------------------------------------------------------------ writes */

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

struct svc_result svc_category_create(db *d, arena *a, const struct principal *who,
                                      const struct category_input *in)
{
    int64_t viewer = principal_viewer(who);
    struct category_row c = {.response_minutes = CATEGORY_RESPONSE_DEFAULT,
                             .resolution_minutes = CATEGORY_RESOLUTION_DEFAULT,
                             .tier = "dispatch",
                             .active = 1};
    c.code = trim(a, in->code);
    if (!c.code || !*c.code) return svc_fail(E_BAD_INPUT, "code", "请填写分类代码");
    if (!category_code_valid(c.code))
        return svc_fail(E_BAD_INPUT, "code",
                        "分类代码应为小写字母开头、由小写字母、数字和下划线组成的40位以内代码");
    const char *place = trim(a, in->place_code);
    if (place && *place) {
        if (!store_place_level(d, a, place) ||
            !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, place))
            return svc_fail(E_NOT_FOUND, "place_code", no_place);
        c.place_code = place;
    } else if (!may_write(d, viewer, NULL))
        return svc_fail(E_FORBIDDEN, "place_code",
                        "您只能为管辖区划新建本地分类，请填写适用区划（全域分类由系统管理员维护）");
    const char *parent = trim(a, in->parent_code);
    if (parent && *parent) {
        db_rows *p = store_category_get(d, a, viewer, CAP_PLACES_READ, parent);
        const char *pplace = p ? db_get(p, 0, CC_PLACE) : NULL;
        if (!p) return svc_fail(E_BAD_INPUT, "parent_code", "上级分类不存在");
        /* a child applies where its parent does */
        if (pplace && (!c.place_code || strncmp(c.place_code, pplace, strlen(pplace)) != 0))
            return svc_fail(E_BAD_INPUT, "parent_code",
                            "上级分类是本地分类，下级分类须在其适用区划内");
        c.parent_code = parent;
    }
    if (!in->name) return svc_fail(E_BAD_INPUT, "name", "请填写分类名称");
    struct svc_result v = check_text(a, in, &c);
    if (!v.err) v = check_values(a, in, &c);
    if (v.err) return v;
    if (store_category_get(d, a, 0, CAP_PLACES_READ, c.code))
        return svc_fail(E_CONFLICT, "code", "分类代码已存在");
    if (in->sort_order == CAT_KEEP)
        c.sort_order = DBI(d, 0, "SELECT COALESCE(MAX(sort_order), 0) + 10 FROM categories");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_category_insert(d, &c, clock_now());
    if (id < 0 || audit_write(d, who, "create", "category", c.code, c.place_code, NULL,
                              category_audit_json(a, &c), NULL) < 0) {
        bool dup = db_last_code(d) == DB_CONSTRAINT;
        fprintf(stderr, "linli: category create: %s\n", db_errmsg(d));
        db_rollback(d);
        return dup ? svc_fail(E_CONFLICT, "code", "分类代码已存在")
                   : svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

static struct category_row row_of(const db_rows *r)
{
    struct category_eff e = eff_of(r, 0);
    return (struct category_row){.code = e.code,
                                 .parent_code = e.parent_code,
                                 .place_code = e.place_code,
                                 .name = e.name,
                                 .description = e.description,
                                 .response_minutes = e.response_minutes,
                                 .resolution_minutes = e.resolution_minutes,
                                 .working_hours = e.working_hours,
                                 .active = e.active,
                                 .tier = e.tier,
                                 .skill = e.skill,
                                 .whistle = e.whistle,
                                 .sort_order = e.sort_order};
}

struct svc_result svc_category_update(db *d, arena *a, const struct principal *who,
                                      const char *code, const struct category_input *in)
{
    int64_t viewer = principal_viewer(who);
    db_rows *cur = code ? store_category_get(d, a, viewer, CAP_PLACES_READ, code) : NULL;
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, no_category);
    struct category_row before = row_of(cur), c = before;
    if (!may_write(d, viewer, before.place_code))
        return svc_fail(E_FORBIDDEN, NULL,
                        before.place_code ? "您无权修改该分类（其适用区划不在您的管辖范围内）"
                                          : "全域分类只能由系统管理员修改；县（区）可带 place "
                                            "参数为本区划设置时限等");
    if ((in->code && strcmp(in->code, code) != 0) || in->parent_code || in->place_code)
        return svc_fail(E_BAD_INPUT,
                        in->code          ? "code"
                        : in->parent_code ? "parent_code"
                                          : "place_code",
                        "分类代码、上级分类和适用区划创建后不能修改");
    if (in->response_minutes == CAT_CLEAR || in->resolution_minutes == CAT_CLEAR ||
        in->working_hours == CAT_FLAG_CLEAR || in->active == CAT_FLAG_CLEAR ||
        in->tier == category_inherit)
        return svc_fail(E_BAD_INPUT, NULL, "分类本身的时限、层级和状态不能为空");
    struct svc_result v = check_text(a, in, &c);
    if (!v.err) v = check_values(a, in, &c);
    if (v.err) return v;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (store_category_update(d, &c, clock_now()) < 0 ||
        audit_write(d, who, "update", "category", c.code, c.place_code,
                    category_audit_json(a, &before), category_audit_json(a, &c), NULL) < 0) {
        fprintf(stderr, "linli: category update: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = db_get_int(cur, 0, CC_ID)};
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

static struct override_row override_of(const db_rows *r, const char *code, const char *place)
{
    struct override_row o = {.code = code, .place_code = place, .working_hours = -1, .active = -1};
    if (!r) return o;
    if (db_get(r, 0, OV_RESPONSE)) o.response_minutes = (long)db_get_int(r, 0, OV_RESPONSE);
    if (db_get(r, 0, OV_RESOLUTION)) o.resolution_minutes = (long)db_get_int(r, 0, OV_RESOLUTION);
    if (db_get(r, 0, OV_WORKING_HOURS)) o.working_hours = db_get_int(r, 0, OV_WORKING_HOURS) != 0;
    if (db_get(r, 0, OV_ACTIVE)) o.active = db_get_int(r, 0, OV_ACTIVE) != 0;
    o.tier = db_get(r, 0, OV_TIER);
    o.skill = db_get(r, 0, OV_SKILL);
    o.whistle = db_get(r, 0, OV_WHISTLE);
    return o;
}

struct svc_result svc_category_override(db *d, arena *a, const struct principal *who,
                                        const char *code, const char *place,
                                        const struct category_input *in)
{
    int64_t viewer = principal_viewer(who);
    place = trim(a, place);
    /* the place first: an override outside the actor's scope is not there */
    if (!place || !*place || !store_place_level(d, a, place) ||
        !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, place))
        return svc_fail(E_NOT_FOUND, "place", no_place);
    struct category_eff at;
    if (!code || svc_category_get(d, a, viewer, code, place, &at) != E_OK)
        return svc_fail(E_NOT_FOUND, NULL, no_category);
    if (in->code || in->parent_code || in->place_code || in->name || in->description ||
        in->sort_order != CAT_KEEP)
        return svc_fail(E_BAD_INPUT, NULL,
                        "区划设置只能调整时限、工作时间、处置层级、专业属性、吹哨类型和启用状态");
    db_rows *cur = store_category_override_get(d, a, code, place);
    struct override_row before = override_of(cur, code, place), o = before;
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
    if (in->response_minutes == CAT_CLEAR)
        o.response_minutes = 0;
    else if (in->response_minutes != CAT_KEEP)
        o.response_minutes = eff.response_minutes;
    if (in->resolution_minutes == CAT_CLEAR)
        o.resolution_minutes = 0;
    else if (in->resolution_minutes != CAT_KEEP)
        o.resolution_minutes = eff.resolution_minutes;
    if (in->working_hours != CAT_FLAG_KEEP)
        o.working_hours = in->working_hours < 0 ? -1 : eff.working_hours;
    if (in->active != CAT_FLAG_KEEP) o.active = in->active < 0 ? -1 : eff.active;
    if (in->tier) o.tier = in->tier == category_inherit ? NULL : eff.tier;
    if (in->skill) o.skill = in->skill == category_inherit ? NULL : eff.skill ? eff.skill : "";
    if (in->whistle)
        o.whistle = in->whistle == category_inherit ? NULL : eff.whistle ? eff.whistle : "";
    json_t *bj = cur ? override_json(&before) : NULL;
    const char *before_s = bj ? dump(a, bj) : NULL;
    const char *after_s = dump(a, override_json(&o));
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_category_override_put(d, &o, clock_now());
    if (id < 0 || audit_write(d, who, cur ? "update" : "override", "category", code, place,
                              before_s, after_s, "区划设置") < 0) {
        fprintf(stderr, "linli: category override: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

/* ------------------------------------------------------------------ 责任清单 */

static const char *resp_audit_json(arena *a, const char *code, const char *place, int64_t org_id,
                                   const char *org_name, const char *role, const char *note)
{
    return dump(a, json_pack("{s:s, s:s?, s:I, s:s, s:s, s:s?}", "category_code", code,
                             "place_code", place, "org_id", (json_int_t)org_id, "org_name",
                             org_name, "role", role, "note", note));
}

struct svc_result svc_responsibility_add(db *d, arena *a, const struct principal *who,
                                         const char *code, const char *place, int64_t org_id,
                                         const char *role, const char *note)
{
    int64_t viewer = principal_viewer(who);
    code = trim(a, code);
    if (!code || !*code) return svc_fail(E_BAD_INPUT, "category_code", "请选择事项分类");
    place = trim(a, place);
    if (place && !*place) place = NULL;
    if (place) {
        if (!store_place_level(d, a, place) ||
            !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, place))
            return svc_fail(E_NOT_FOUND, "place_code", no_place);
    } else if (!may_write(d, viewer, NULL))
        return svc_fail(E_BAD_INPUT, "place_code", "请填写适用区划");
    db_rows *c = store_category_get(d, a, viewer, CAP_PLACES_READ, code);
    const char *local = c ? db_get(c, 0, CC_PLACE) : NULL;
    if (!c || (local && (!place || strncmp(place, local, strlen(local)) != 0)))
        return svc_fail(E_BAD_INPUT, "category_code", "事项分类不存在或不适用于该区划");
    if (org_id <= 0) return svc_fail(E_BAD_INPUT, "org_id", "请选择责任单位");
    db_rows *org = store_category_org_brief(d, a, org_id);
    /* a unit of the place or above it (县直部门 for a community), or one the
     * actor sees */
    const char *home = org ? db_get(org, 0, 3) : NULL;
    bool above = home && place && !strncmp(place, home, strlen(home));
    if (!org || !(above || store_org_get(d, a, viewer, CAP_ORGS_READ, org_id)))
        return svc_fail(E_NOT_FOUND, "org_id", "责任单位不存在或不在您的管辖范围内");
    const char *r = category_term_parse(category_resp_roles, category_resp_roles_count,
                                        role && *role ? trim(a, role) : "lead");
    if (!r) return svc_fail(E_BAD_INPUT, "role", "责任类型无效，应为主责或配合");
    note = trim(a, note);
    if (note && utf8_chars(note) > 200) return svc_fail(E_BAD_INPUT, "note", "备注不能超过200个字");
    if (store_responsibility_exists(d, code, place, org_id))
        return svc_fail(E_CONFLICT, "org_id", "该单位已在此区划的该事项责任清单中");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_responsibility_insert(d, code, place, org_id, r, note, clock_now());
    if (id < 0 || audit_write(d, who, "create", "responsibility",
                              arena_printf(a, "%lld", (long long)id), place, NULL,
                              resp_audit_json(a, code, place, org_id, db_get(org, 0, 1), r, note),
                              NULL) < 0) {
        bool dup = db_last_code(d) == DB_CONSTRAINT;
        fprintf(stderr, "linli: responsibility add: %s\n", db_errmsg(d));
        db_rollback(d);
        return dup ? svc_fail(E_CONFLICT, "org_id", "该单位已在此区划的该事项责任清单中")
                   : svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_responsibility_remove(db *d, arena *a, const struct principal *who,
                                            int64_t id)
{
    int64_t viewer = principal_viewer(who);
    db_rows *r = store_responsibility_get(d, a, viewer, CAP_PLACES_READ, id);
    if (!r) return svc_fail(E_NOT_FOUND, NULL, "责任清单条目不存在");
    const char *place = db_get(r, 0, RC_PLACE);
    if (!may_write(d, viewer, place))
        return svc_fail(E_FORBIDDEN, NULL, "您无权删除该条目（其适用区划不在您的管辖范围内）");
    const char *before =
        resp_audit_json(a, db_get(r, 0, RC_CODE), place, db_get_int(r, 0, RC_ORG_ID),
                        db_get(r, 0, RC_ORG_NAME), db_get(r, 0, RC_ROLE), db_get(r, 0, RC_NOTE));
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (store_responsibility_delete(d, id) != 1 ||
        audit_write(d, who, "delete", "responsibility", arena_printf(a, "%lld", (long long)id),
                    place, before, NULL, NULL) < 0) {
        fprintf(stderr, "linli: responsibility delete: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

err_code svc_responsibility_lookup(db *d, arena *a, int64_t viewer, const char *code,
                                   const char *place, db_rows **out, const char **category_used)
{
    *out = NULL;
    *category_used = NULL;
    if (!place_seen(d, a, viewer, place)) return E_NOT_FOUND;
    struct category_eff e;
    if (svc_category_get(d, a, viewer, code, place, &e) != E_OK) return E_NOT_FOUND;
    for (const char *c = code; c;) {
        struct resp_filter f = {.category = c, .place = place, .limit = 500};
        db_rows *r = store_responsibilities_list(d, a, viewer, CAP_PLACES_READ, &f);
        if (!r) return E_INTERNAL;
        /* the narrowest place with rows wins (NULL, everywhere, is the widest) */
        size_t best = 0;
        bool any = false;
        for (int i = 0; i < r->nrows; i++) {
            const char *p = db_get(r, i, RC_PLACE);
            size_t len = p ? strlen(p) : 0;
            if (!any || len > best) best = len;
            any = true;
        }
        if (any) {
            int k = 0;
            for (int i = 0; i < r->nrows; i++) {
                const char *p = db_get(r, i, RC_PLACE);
                if ((p ? strlen(p) : 0) != best) continue;
                if (k != i)
                    memcpy(&r->cells[(size_t)k * (size_t)r->ncols],
                           &r->cells[(size_t)i * (size_t)r->ncols],
                           sizeof(char *) * (size_t)r->ncols);
                k++;
            }
            r->nrows = k;
            *out = r;
            *category_used = c;
            return E_OK;
        }
        db_rows *cr = store_category_get(d, a, viewer, CAP_PLACES_READ, c);
        c = cr ? db_get(cr, 0, CC_PARENT) : NULL;
    }
    struct resp_filter none = {.category = code, .place = place, .limit = 0};
    *out = store_responsibilities_list(d, a, viewer, CAP_PLACES_READ, &none);
    *category_used = code;
    return *out ? E_OK : E_INTERNAL;
}
