/* Binders of the people operations; see bind_people.h. */
#include "http/bind_people.h"

#include "http/bind.h"

const char *bind_str(req *r, const char *name)
{
    if (r->json) {
        json_t *v = json_object_get(r->json, name);
        if (!v) return NULL;
        if (json_is_null(v)) return "";
    }
    return req_input(r, name);
}

bool bind_remove(req *r)
{
    if (r->json) return json_is_true(json_object_get(r->json, "remove"));
    const char *v = req_form(r, "remove");
    return v && *v;
}

#define PM(m, name) BIND_TEXT(struct party_member_input, m, name, 0, BIND_NULL_CLEARS)
static const struct bind_field party_member_fields[] = {
    BIND_TEXT(struct party_member_input, kind, "kind", 0, 0),
    BIND_ID(struct party_member_input, branch_id, "branch_id", BIND_NULL_CLEARS),
    BIND_DATE(struct party_member_input, joined_on, "joined_on", BIND_NULL_CLEARS),
    PM(work_unit, "work_unit"),
    BIND_ID(struct party_member_input, work_org_id, "work_org_id", BIND_NULL_CLEARS),
    BIND_DATE(struct party_member_input, reported_at, "reported_at", BIND_NULL_CLEARS),
    PM(reported_community, "reported_community"),
    PM(pioneer_post, "pioneer_post"),
    PM(duty_area, "duty_area"),
    BIND_BOOL(struct party_member_input, remove, "remove", 0),
    {0}};
BINDER(party_member_bind, party_member_fields, "PUT /api/v1/residents/{id}/party-member",
       "POST /residents/{id}/party-member");

err_code bind_party_member(req *r, struct party_member_input *in)
{
    *in = (struct party_member_input){0};
    return bind_input(r, &party_member_bind, in);
}
