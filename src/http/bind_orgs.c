/* Binders of the registry operations; see bind_orgs.h. */
#include "http/bind_orgs.h"

#include <string.h>

#include "http/bind.h"

/* ---- Organisations ---------------------------------------------------------- */

/* What the org binders fill: the service input, and the five flags as the
 * binder reads booleans (bind.h has no "not assessed"; see org_flags). */
struct org_bind {
    struct org_input in;
    bool flag[5], flag_set[5];
};
static const char *const org_flag_names[5] = {"has_position", "has_ledger", "has_mechanism",
                                              "has_plan", "one_shoulder"};

#define OB(m, name, max, flags) BIND_TEXT(struct org_bind, in.m, name, max, flags)
#define OFLAG(i, name)          BIND_BOOL_SET(struct org_bind, flag[i], flag_set[i], name, BIND_NULL_CLEARS)
#define ORG_FIELDS(req)                                                                            \
    OB(kind, "kind", 0, req), OB(name, "name", ORG_NAME_MAX, req),                                 \
        OB(place_code, "place_code", 0, req),                                                      \
        BIND_ID(struct org_bind, in.parent_id, "parent_id", BIND_NULL_CLEARS),                     \
        BIND_TEXT_LIST(struct org_bind, in.places, in.nplaces, in.set_places, "places",            \
                       ORG_PLACES_MAX, 0),                                                         \
        OB(formation, "formation", 0, BIND_NULL_CLEARS), OB(phone, "phone", 0, BIND_NULL_CLEARS),  \
        OFLAG(0, "has_position"), OFLAG(1, "has_ledger"), OFLAG(2, "has_mechanism"),               \
        OFLAG(3, "has_plan"),                                                                      \
        BIND_ID(struct org_bind, in.secretary_person_id, "secretary_person_id", BIND_NULL_CLEARS), \
        OB(secretary_way, "secretary_way", 0, BIND_NULL_CLEARS), OFLAG(4, "one_shoulder"),         \
    {                                                                                              \
        0                                                                                          \
    }

static const struct bind_field org_create_fields[] = {ORG_FIELDS(BIND_REQUIRED)};
BINDER(org_create_bind, org_create_fields, "POST /api/v1/organisations", "POST /organisations");
static const struct bind_field org_update_fields[] = {ORG_FIELDS(0)};
BINDER(org_update_bind, org_update_fields, "PATCH /api/v1/organisations/{id}",
       "POST /organisations/{id}");

/* A flag is "not assessed" when JSON gives null or the form's select "". */
static bool flag_cleared(req *r, const char *name)
{
    if (r->json) {
        json_t *v = json_object_get(r->json, name);
        return v && json_is_null(v);
    }
    const char *v = req_form(r, name);
    return v && !*v;
}

err_code bind_org(req *r, bool create, struct org_input *in)
{
    struct org_bind b = {.in = org_input_empty()};
    err_code e = bind_input(r, create ? &org_create_bind : &org_update_bind, &b);
    int *flags[5] = {&b.in.has_position, &b.in.has_ledger, &b.in.has_mechanism, &b.in.has_plan,
                     &b.in.one_shoulder};
    for (int i = 0; i < 5; i++)
        *flags[i] = flag_cleared(r, org_flag_names[i]) ? ORG_FLAG_NULL
                    : b.flag_set[i]                    ? b.flag[i]
                                                       : ORG_FLAG_KEEP;
    *in = b.in;
    return e;
}

static const struct bind_field agreement_fields[] = {
    BIND_TEXT(struct agreement_input, place_code, "place_code", 0, BIND_REQUIRED),
    BIND_TEXT(struct agreement_input, title, "title", AGREEMENT_TITLE_MAX, BIND_REQUIRED),
    BIND_DATE(struct agreement_input, signed_on, "signed_on", BIND_REQUIRED),
    BIND_DATE(struct agreement_input, expires_on, "expires_on", BIND_NULL_CLEARS),
    {0}};
BINDER(agreement_bind, agreement_fields, "POST /api/v1/organisations/{id}/agreements",
       "POST /organisations/{id}/agreements");

err_code bind_agreement(req *r, struct agreement_input *in)
{
    *in = (struct agreement_input){0};
    return bind_input(r, &agreement_bind, in);
}

/* ---- Service positions ------------------------------------------------------ */

#define SB(m, name, max, flags) BIND_TEXT(struct station_input, m, name, max, flags)
#define SN(m, name)             BIND_TEXT(struct station_input, m, name, 0, BIND_NULL_CLEARS)
#define STATION_FIELDS(req)                                                                        \
    SB(kind, "kind", 0, req), SB(name, "name", STATION_NAME_MAX, req),                             \
        SB(place_code, "place_code", 0, req),                                                      \
        SB(address, "address", STATION_TEXT_MAX, BIND_NULL_CLEARS),                                \
        BIND_ID(struct station_input, area_m2, "area_m2", BIND_NULL_CLEARS),                       \
        SN(build_mode, "build_mode"),                                                              \
        BIND_ID(struct station_input, funding, "funding", BIND_NULL_CLEARS),                       \
        BIND_DATE(struct station_input, opened_on, "opened_on", BIND_NULL_CLEARS),                 \
        SB(hours, "hours", STATION_TEXT_MAX, BIND_NULL_CLEARS),                                    \
        BIND_BOOL_SET(struct station_input, zone_24h, set_zone_24h, "zone_24h", 0),                \
        BIND_BOOL_SET(struct station_input, zone_8h, set_zone_8h, "zone_8h", 0),                   \
        SN(phone, "phone"),                                                                        \
        BIND_TEXT_LIST(struct station_input, extra, nextra, set_extra, "extra_modules",            \
                       STATION_EXTRA_MAX, 0),                                                      \
        BIND_TEXT_LIST(struct station_input, places, nplaces, set_places, "places",                \
                       STATION_PLACES_MAX, 0),                                                     \
        BIND_OBJECT("standard", 0), BIND_OBJECT("areas", 0), BIND_OBJECT("modules", 0),            \
    {                                                                                              \
        0                                                                                          \
    }

/* The checklist items (standard, areas, modules) are objects of booleans in
 * JSON (BIND_OBJECT: documented here, read by bind_station_items() for both
 * representations). */
static const struct bind_field station_create_fields[] = {STATION_FIELDS(BIND_REQUIRED)};
BINDER(station_create_bind, station_create_fields, "POST /api/v1/stations", "POST /stations");
static const struct bind_field station_update_fields[] = {STATION_FIELDS(0)};
BINDER(station_update_bind, station_update_fields, "PATCH /api/v1/stations/{id}",
       "POST /stations/{id}");

/* JSON: {"standard": {"has_sign": true, …}, "areas": …, "modules": …}, only
 * the items given; a form: the checkboxes item_<key>, unchecked ones given
 * false when the form carries items_set. */
static err_code bind_station_items(req *r, int items[SI__COUNT])
{
    if (!r->json) {
        bool all = req_form(r, "items_set") != NULL;
        for (int i = 0; i < SI__COUNT; i++) {
            bool on = req_form(r, arena_printf(r->a, "item_%s", station_items[i].key)) != NULL;
            if (on || all) items[i] = on;
        }
        return E_OK;
    }
    for (int g = 0; g < 3; g++) {
        const char *gk = station_group_keys[g];
        json_t *grp = json_object_get(r->json, gk), *v;
        if (!grp) continue;
        if (!json_is_object(grp))
            return http_fail(r, E_BAD_INPUT, gk, arena_printf(r->a, "%s 应为对象", gk));
        const char *k;
        json_object_foreach(grp, k, v)
        {
            int found = -1;
            for (int i = 0; i < SI__COUNT && found < 0; i++)
                if ((int)station_items[i].group == g && !strcmp(station_items[i].key, k)) found = i;
            const char *field = arena_printf(r->a, "%s.%s", gk, k);
            if (found < 0)
                return http_fail(r, E_BAD_INPUT, field,
                                 arena_printf(r->a, "未知的检查项 %s", field));
            if (!json_is_boolean(v))
                return http_fail(r, E_BAD_INPUT, field,
                                 arena_printf(r->a, "%s 应为 true 或 false", field));
            items[found] = json_is_true(v);
        }
    }
    return E_OK;
}

err_code bind_station(req *r, bool create, struct station_input *in)
{
    *in = station_input_empty();
    err_code e = bind_input(r, create ? &station_create_bind : &station_update_bind, in);
    return e ? e : bind_station_items(r, in->items);
}
