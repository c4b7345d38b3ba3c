/* Service positions; see svc_stations.h. Scope: a write needs places.write
 * over the place the station sits in and over every compound it serves;
 * anything the actor may not see answers 404 with the same message as
 * something absent. */
#include "service/svc_stations.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/mask.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "service/svc_registry.h"
#include "service/svc_tx.h"
#include "store/store_places.h"
#include "store/store_stations.h"
#include "util/buf.h"
#include "util/text.h"

#define COMMUNITY_CODE_LEN 12 /* a compound's code starts with its community's */

struct station_input station_input_empty(void)
{
    struct station_input in = {0};
    for (int i = 0; i < SI__COUNT; i++) in.items[i] = STATION_KEEP;
    return in;
}

/* A whole number of at most 10 digits in [0, max]; -1 when s is not one. */
static int64_t number_of(const char *s, int64_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > 10) return -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return -1;
    int64_t v = strtoll(s, NULL, 10);
    return v > max ? -1 : v;
}

/* The audit image of a station. */
static const char *audit_json(arena *a, const void *row, const char *const *places, int n)
{
    const struct station_row *s = row;
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(s->kind));
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "place_code", json_string(s->place_code));
    json_object_set_new(o, "address", svc_json_str(s->address));
    json_object_set_new(o, "area_m2", s->area_m2 < 0 ? json_null() : json_integer(s->area_m2));
    json_object_set_new(o, "build_mode", svc_json_str(s->build_mode));
    json_object_set_new(o, "funding", s->funding < 0 ? json_null() : json_integer(s->funding));
    json_object_set_new(o, "opened_on", svc_json_str(s->opened_on));
    json_object_set_new(o, "hours", svc_json_str(s->hours));
    json_object_set_new(o, "zone_24h", json_boolean(s->zone_24h));
    json_object_set_new(o, "zone_8h", json_boolean(s->zone_8h));
    json_object_set_new(o, "phone", svc_json_str(s->phone));
    for (int g = 0; g < 3; g++) {
        json_t *grp = json_object();
        for (int i = 0; i < SI__COUNT; i++)
            if ((int)station_items[i].group == g)
                json_object_set_new(grp, station_items[i].key, json_boolean(s->items[i]));
        json_object_set_new(o, station_group_keys[g], grp);
    }
    json_object_set_new(o, "extra_modules", svc_json_str(s->extra_modules));
    json_object_set_new(o, "places", svc_registry_codes_json(places, n));
    return svc_registry_dump(a, o);
}

static const char *const not_in_scope = "区划不存在或不在您的管辖范围内";

/* An optional text field: NULL keeps *out, "" clears it. */
static struct svc_result text_field(arena *a, const char *in, const char *field, size_t max,
                                    const char *too_long, const char **out)
{
    if (!in) return (struct svc_result){0};
    const char *t = text_trim(a, in);
    long n = text_chars_printable(t);
    if (n < 0) return svc_fail(E_BAD_INPUT, field, "不能包含控制字符");
    if ((size_t)n > max) return svc_fail(E_BAD_INPUT, field, too_long);
    *out = *t ? t : NULL;
    return (struct svc_result){0};
}

/* Kind, name and the place it sits in; *in_compound tells where. */
static struct svc_result validate_head(db *d, arena *a, int64_t viewer, int64_t self,
                                       const struct station_input *in, struct station_row *out,
                                       bool *in_compound)
{
    if (in->kind || !self) {
        const char *k = station_kind_parse(text_trim(a, in->kind));
        if (!k)
            return svc_fail(E_BAD_INPUT, "kind",
                            "阵地类型无效，应为党群服务中心、小区党群服务站或爱心驿站");
        out->kind = k;
    }
    if (in->name || !self) {
        const char *name = text_trim(a, in->name);
        if (!name || !*name) return svc_fail(E_BAD_INPUT, "name", "请填写阵地名称");
        long n = text_chars_printable(name);
        if (n < 0) return svc_fail(E_BAD_INPUT, "name", "名称不能包含控制字符");
        if (n > STATION_NAME_MAX) return svc_fail(E_BAD_INPUT, "name", "阵地名称不能超过100个字");
        out->name = name;
    }
    const char *level = NULL;
    if (in->place_code || !self) {
        const char *code = text_trim(a, in->place_code);
        if (!code || !*code)
            return svc_fail(E_BAD_INPUT, "place_code", "请填写阵地所在的社区或小区");
        if (!(level = store_place_visible(d, a, viewer, CAP_PLACES_WRITE, code)))
            return svc_fail(E_NOT_FOUND, "place_code", not_in_scope);
        out->place_code = code;
    } else
        level = store_place_level(d, a, out->place_code);
    *in_compound = level && !strcmp(level, "compound");
    if (!level || (strcmp(level, "community") != 0 && !*in_compound))
        return svc_fail(E_BAD_INPUT, "place_code", "阵地应设在社区（村）或小区");
    if (!strcmp(out->kind, "center") && *in_compound)
        return svc_fail(E_BAD_INPUT, "place_code",
                        "党群服务中心应设在社区（村），小区请选小区党群服务站");
    return (struct svc_result){0};
}

/* A whole number field: NULL keeps, "" clears (-1), else in [min, max]. */
static struct svc_result number_field(arena *a, const char *in, const char *field, int64_t min,
                                      int64_t max, const char *bad, int64_t *out)
{
    if (!in) return (struct svc_result){0};
    const char *t = text_trim(a, in);
    int64_t n = *t ? number_of(t, max) : -1;
    if (*t && n < min) return svc_fail(E_BAD_INPUT, field, bad);
    *out = n;
    return (struct svc_result){0};
}

/* The facts: address, hours, area, funding, how it was built, when it
 * opened, its phone. */
static struct svc_result validate_facts(arena *a, const struct station_input *in,
                                        struct station_row *out)
{
    struct svc_result v = text_field(a, in->address, "address", STATION_TEXT_MAX,
                                     "地址不能超过200个字", &out->address);
    if (!v.err)
        v = text_field(a, in->hours, "hours", STATION_TEXT_MAX, "开放时间不能超过200个字",
                       &out->hours);
    if (!v.err)
        v = number_field(a, in->area_m2, "area_m2", 1, STATION_AREA_MAX,
                         "使用面积应为1至100000之间的整数（平方米）", &out->area_m2);
    if (!v.err)
        v = number_field(a, in->funding, "funding", 0, STATION_FUNDS_MAX,
                         "建设经费应为0至10亿之间的整数（元）", &out->funding);
    if (v.err) return v;
    if (in->build_mode) {
        const char *t = text_trim(a, in->build_mode);
        if (!*t)
            out->build_mode = NULL;
        else if (!(out->build_mode = station_mode_parse(t)))
            return svc_fail(
                E_BAD_INPUT, "build_mode",
                "建设方式无效，应为盘活闲置用房改造、协调物业用房共享、选取场地租赁或规划预留新建");
    }
    if (in->opened_on) {
        const char *t = text_trim(a, in->opened_on);
        if (*t && !iso_date_valid(t))
            return svc_fail(E_BAD_INPUT, "opened_on", "启用日期应为 YYYY-MM-DD 格式的有效日期");
        out->opened_on = *t ? t : NULL;
    }
    if (in->phone) {
        const char *t = text_trim(a, in->phone);
        if (*t && !phone_valid(t)) return svc_fail(E_BAD_INPUT, "phone", "联系电话格式不正确");
        out->phone = *t ? t : NULL;
    }
    return (struct svc_result){0};
}

/* The N modules, joined by '、'. */
static struct svc_result validate_extra(arena *a, const struct station_input *in,
                                        struct station_row *out)
{
    if (in->nextra > STATION_EXTRA_MAX)
        return svc_fail(E_BAD_INPUT, "extra_modules", "特色功能最多20项");
    buf joined = {0};
    int n = 0;
    const char **seen = arena_alloc(a, sizeof *seen * (size_t)(in->nextra + 1));
    for (int i = 0; i < in->nextra; i++) {
        const char *m = text_trim(a, in->extra[i]);
        if (!m || !*m) continue;
        long len = text_chars_printable(m);
        if (len < 0 || len > STATION_MODULE_MAX || strstr(m, "、")) {
            buf_free(&joined);
            return svc_fail(E_BAD_INPUT, "extra_modules",
                            "每项特色功能不超过20个字，且不能包含控制字符或顿号");
        }
        bool dup = false;
        for (int j = 0; j < n && !dup; j++) dup = !strcmp(seen[j], m);
        if (dup) continue;
        seen[n++] = m;
        if (joined.len) buf_puts(&joined, "、");
        buf_puts(&joined, m);
    }
    out->extra_modules = n ? arena_strdup(a, buf_cstr(&joined)) : NULL;
    buf_free(&joined);
    return (struct svc_result){0};
}

/* Served places: compounds of the station's own community, in scope when given. */
static struct svc_result validate_served(db *d, arena *a, int64_t viewer, int64_t self,
                                         const struct station_input *in, bool in_compound,
                                         const struct station_row *out, const char *const **places,
                                         int *nplaces)
{
    static const struct svc_registry_places rule = {"places", "服务小区过多（最多200个）",
                                                    "服务小区 %s 不存在或不在您的管辖范围内",
                                                    STATION_PLACES_MAX};
    if (in->set_places) {
        struct svc_result v = svc_registry_places(d, a, viewer, CAP_PLACES_WRITE, &rule, in->places,
                                                  in->nplaces, places, nplaces);
        if (v.err) return v;
    } else if (!self && in_compound && strcmp(out->kind, "center") != 0) {
        /* a compound's station serves its own compound unless told otherwise */
        const char **codes = arena_alloc(a, sizeof *codes);
        codes[0] = out->place_code;
        *places = codes;
        *nplaces = 1;
    }
    for (int i = 0; i < *nplaces; i++) {
        const char *c = (*places)[i];
        const char *lv = store_place_level(d, a, c);
        if (!lv || strcmp(lv, "compound") != 0)
            return svc_fail(E_BAD_INPUT, "places", arena_printf(a, "服务对象 %s 不是小区", c));
        if (strncmp(c, out->place_code, COMMUNITY_CODE_LEN) != 0)
            return svc_fail(E_BAD_INPUT, "places",
                            arena_printf(a, "服务小区 %s 不在阵地所在的社区内", c));
    }
    return (struct svc_result){0};
}

/* Validates `in` over `out` (the stored row on update, an empty row on
 * create) and the places it is to serve. self: the station's id (0: new). */
static struct svc_result validate(db *d, arena *a, const struct principal *who, int64_t self,
                                  const void *input, void *row, const char *const **places,
                                  int *nplaces)
{
    const struct station_input *in = input;
    struct station_row *out = row;
    int64_t viewer = principal_viewer(who);
    bool in_compound = false;
    struct svc_result v = validate_head(d, a, viewer, self, in, out, &in_compound);
    if (!v.err) v = validate_facts(a, in, out);
    if (v.err) return v;
    if (in->set_zone_24h) out->zone_24h = in->zone_24h;
    if (in->set_zone_8h) out->zone_8h = in->zone_8h;
    for (int i = 0; i < SI__COUNT; i++)
        if (in->items[i] != STATION_KEEP) out->items[i] = in->items[i] != 0;
    if (in->set_extra && (v = validate_extra(a, in, out)).err) return v;
    return validate_served(d, a, viewer, self, in, in_compound, out, places, nplaces);
}

static int64_t station_store(db *d, int64_t id, const void *row)
{
    if (!id) return store_station_insert(d, row);
    return store_station_update(d, id, row) < 0 ? -1 : id;
}

static const char *station_place(const void *row)
{
    return ((const struct station_row *)row)->place_code;
}

static const struct svc_registry_ops station_ops = {.entity = "station",
                                                    .what_create = "station create",
                                                    .what_update = "station update",
                                                    .store = station_store,
                                                    .places_set = store_station_places_set,
                                                    .validate = validate,
                                                    .audit = audit_json,
                                                    .place_code = station_place};

struct svc_result svc_station_create(db *d, arena *a, const struct principal *who,
                                     const struct station_input *in)
{
    struct station_row row = {.area_m2 = -1, .funding = -1};
    return svc_registry_save(d, a, who, &station_ops, 0, in, true, &row, NULL, NULL, 0);
}

struct svc_result svc_station_update(db *d, arena *a, const struct principal *who, int64_t id,
                                     const struct station_input *in)
{
    int64_t viewer = principal_viewer(who);
    struct station_view cur;
    if (!store_station_read(d, a, viewer, CAP_PLACES_READ, id, &cur))
        return svc_fail(E_NOT_FOUND, NULL, "阵地不存在或不在您的管辖范围内");
    if (!store_place_in_scope(d, viewer, CAP_PLACES_WRITE, cur.row.place_code))
        return svc_fail(E_FORBIDDEN, NULL, "您无权修改该阵地（其所在区划不在您的管辖范围内）");
    struct station_row row = cur.row;
    struct served_place *sp;
    int n = store_station_served(d, a, 0, CAP_PLACES_READ, id, &sp);
    n = n < 0 ? 0 : n;
    return svc_registry_save(d, a, who, &station_ops, id, in, in->set_places, &row, &cur.row,
                             svc_registry_codes(a, sp, n), n);
}

err_code svc_station_summary(db *d, arena *a, int64_t viewer, const char *place,
                             struct station_summary *out)
{
    memset(out, 0, sizeof *out);
    if (!place || !*place || !store_place_visible(d, a, viewer, CAP_PLACES_READ, place))
        return E_NOT_FOUND;
    /* Whole pages of the list: a county has hundreds of stations, a city a
     * few thousand; the standard is judged by core/station_rule.c. */
    struct station_filter f = {.place = place, .limit = 500};
    for (;;) {
        struct station_view *s;
        int n = store_stations_find(d, a, viewer, CAP_PLACES_READ, &f, &s);
        if (n < 0) return E_INTERNAL;
        for (int i = 0; i < n; i++) {
            const char *k = s[i].row.kind;
            if (!strcmp(k, "center"))
                out->centers++;
            else if (!strcmp(k, "station"))
                out->stations++;
            else
                out->love_posts++;
            if (strcmp(k, "love_post") != 0)
                out->standardized += station_standardized(s[i].row.items);
        }
        if (n < f.limit) break;
        f.after_id = s[n - 1].id;
    }
    store_station_coverage(d, viewer, CAP_PLACES_READ, place, &out->compounds, &out->covered);
    out->coverage_permille = station_coverage_permille(out->covered, out->compounds);
    return E_OK;
}
