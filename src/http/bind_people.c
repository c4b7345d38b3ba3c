/* Binders of the people operations; see bind_people.h. */
#include "http/bind_people.h"

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

void bind_party_member(req *r, struct party_member_input *in)
{
    *in = (struct party_member_input){
        .kind = bind_str(r, "kind"),
        .branch_id = bind_str(r, "branch_id"),
        .joined_on = bind_str(r, "joined_on"),
        .work_unit = bind_str(r, "work_unit"),
        .work_org_id = bind_str(r, "work_org_id"),
        .reported_at = bind_str(r, "reported_at"),
        .reported_community = bind_str(r, "reported_community"),
        .pioneer_post = bind_str(r, "pioneer_post"),
        .duty_area = bind_str(r, "duty_area"),
        .remove = bind_remove(r),
    };
}
