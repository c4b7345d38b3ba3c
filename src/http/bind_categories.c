/* Binders of the category operations; see bind_categories.h. */
#include "http/bind_categories.h"

#include "http/bind.h"

/* What the category binders fill: the service input, and the numbers and
 * flags as the binder reads them (bind.h has no "clear"; see bind_category). */
struct category_bind {
    struct category_input in;
    int64_t num[3];
    bool num_set[3];
    bool flag[2], flag_set[2];
    const char *place;
};
static const char *const num_names[3] = {"response_minutes", "resolution_minutes", "sort_order"};
static const char *const flag_names[2] = {"working_hours", "active"};

#define CB(m, name, max, flags) BIND_TEXT(struct category_bind, in.m, name, max, flags)
#define CNUM(i, name, flags)    BIND_INT_SET(struct category_bind, num[i], num_set[i], name, flags)
#define CFLAG(i, name)                                                                             \
    BIND_BOOL_SET(struct category_bind, flag[i], flag_set[i], name, BIND_NULL_CLEARS)
#define CATEGORY_FIELDS(req)                                                                       \
    CB(code, "code", 0, req), CB(parent_code, "parent_code", 0, 0),                                \
        CB(place_code, "place_code", 0, 0), CB(name, "name", 40, req),                             \
        CB(description, "description", 0, BIND_NULL_CLEARS),                                       \
        CNUM(0, "response_minutes", BIND_NULL_CLEARS),                                             \
        CNUM(1, "resolution_minutes", BIND_NULL_CLEARS), CFLAG(0, "working_hours"),                \
        CB(tier, "tier", 0, BIND_NULL_CLEARS), CB(skill, "skill", 0, BIND_NULL_CLEARS),            \
        CB(whistle, "whistle", 0, BIND_NULL_CLEARS), CFLAG(1, "active"), CNUM(2, "sort_order", 0)

static const struct bind_field category_create_fields[] = {CATEGORY_FIELDS(BIND_REQUIRED), {0}};
BINDER(category_create_bind, category_create_fields, "POST /api/v1/categories");
static const struct bind_field category_update_fields[] = {
    CATEGORY_FIELDS(0), BIND_TEXT(struct category_bind, place, "place", 0, BIND_PAGE_ONLY), {0}};
BINDER(category_update_bind, category_update_fields, "PATCH /api/v1/categories/{code}",
       "POST /categories/{code}");

/* JSON null, or (forms, when empty_too) an empty field. */
static bool cleared(req *r, const char *name, bool empty_too)
{
    if (r->json) {
        json_t *v = json_object_get(r->json, name);
        return v && json_is_null(v);
    }
    const char *v = req_form(r, name);
    return empty_too && v && !*v;
}

err_code bind_category(req *r, bool create, struct category_input *in, const char **place)
{
    struct category_bind b = {.in = category_input_empty()};
    err_code e = bind_input(r, create ? &category_create_bind : &category_update_bind, &b);
    if (e) return e;
    long *nums[3] = {&b.in.response_minutes, &b.in.resolution_minutes, &b.in.sort_order};
    for (int i = 0; i < 3; i++) {
        if (b.num_set[i] && (b.num[i] <= -1000000000 || b.num[i] >= 1000000000))
            return http_fail(r, E_BAD_INPUT, num_names[i],
                             arena_printf(r->a, "%s 应为整数", num_names[i]));
        if (b.num_set[i])
            *nums[i] = (long)b.num[i];
        else if (i < 2 && cleared(r, num_names[i], true))
            *nums[i] = CAT_CLEAR;
    }
    int *flags[2] = {&b.in.working_hours, &b.in.active};
    for (int i = 0; i < 2; i++)
        *flags[i] = cleared(r, flag_names[i], false) ? CAT_FLAG_CLEAR
                    : b.flag_set[i]                  ? b.flag[i]
                                                     : CAT_FLAG_KEEP;
    const char **inherit[3] = {&b.in.tier, &b.in.skill, &b.in.whistle};
    const char *const inherit_names[3] = {"tier", "skill", "whistle"};
    for (int i = 0; i < 3; i++)
        if (cleared(r, inherit_names[i], false)) *inherit[i] = category_inherit;
    *in = b.in;
    if (place) *place = b.place;
    return E_OK;
}

static const struct bind_field resp_fields[] = {
    BIND_TEXT(struct responsibility_input, category_code, "category_code", 0, BIND_REQUIRED),
    BIND_TEXT(struct responsibility_input, place_code, "place_code", 0, 0),
    BIND_ID(struct responsibility_input, org_id, "org_id", BIND_REQUIRED),
    BIND_TEXT(struct responsibility_input, role, "role", 0, 0),
    BIND_TEXT(struct responsibility_input, note, "note", RESP_NOTE_MAX, 0),
    {0}};
BINDER(responsibility_bind, resp_fields, "POST /api/v1/responsibilities", "POST /responsibilities");

err_code bind_responsibility(req *r, struct responsibility_input *in)
{
    *in = (struct responsibility_input){0};
    return bind_input(r, &responsibility_bind, in);
}
