/* Binders of the demand loop; see bind_orders.h. The limits are the
 * services' (svc_orders.c, svc_whistles.c, svc_order_costs.c), stated here for
 * the schema; the services keep the checks. */
#include "http/bind_orders.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http/bind.h"

enum {
    TITLE_MAX = 60,         /* svc_orders.c: 标题 */
    DESCRIPTION_MAX = 2000, /* svc_orders.c: 诉求内容 */
    COMMENT_MAX = 500,      /* svc_orders.c: 评价意见 */
    EVENT_TEXT_MAX = 2000,  /* svc_orders.c: 理由、说明、办结结果 */
    EXTERNAL_REF_MAX = 40,  /* svc_orders.c: 外部工单号 */
    TIER_NOTE_MAX = 500,    /* svc_order_followups.c: 说明、协商参加人员 */
    CONSULT_MAX = 2000,     /* svc_order_followups.c: 协商结果 */
    NOTE_MAX = 500,         /* svc_whistles.c, svc_order_costs.c: 说明、备注 */
    RESOURCE_MAX = 200,     /* svc_order_costs.c: 资源说明 */
    COORD_DECIMALS = 7,     /* a JSON coordinate as text */
    YUAN_DECIMALS = 2,      /* a JSON amount as text */
};

/* An optional id (BIND_ID: the text of a JSON integer, a JSON string or the
 * form's text): 0 when absent or empty, else a positive integer, or a refusal
 * with `message`. */
static err_code id_of(req *r, const char *text, const char *field, const char *message,
                      int64_t *out)
{
    *out = 0;
    if (!text || !*text) return 0;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v <= 0) return http_fail(r, E_BAD_INPUT, field, message);
    *out = v;
    return 0;
}

/* The intake: the service's input and the requester's id as given. */
struct order_intake_form {
    struct order_intake in;
    const char *requester_person_id;
};
#define OI struct order_intake_form
static const struct bind_field order_intake_fields[] = {
    BIND_TEXT(OI, in.category_code, "category_code", 0, BIND_REQUIRED),
    BIND_TEXT(OI, in.place_code, "place_code", 0, BIND_REQUIRED),
    BIND_TEXT(OI, in.title, "title", TITLE_MAX, BIND_REQUIRED),
    BIND_TEXT(OI, in.description, "description", DESCRIPTION_MAX, BIND_REQUIRED | BIND_MULTILINE),
    BIND_TEXT(OI, in.channel, "channel", 0, 0),
    BIND_TEXT(OI, in.urgency, "urgency", 0, 0),
    BIND_TEXT(OI, in.scope_size, "scope_size", 0, 0),
    BIND_TEXT(OI, in.contact_phone, "contact_phone", 0, 0),
    BIND_TEXT(OI, in.external_ref, "external_ref", EXTERNAL_REF_MAX, BIND_API_ONLY),
    BIND_NUM(OI, in.lat, "lat", COORD_DECIMALS, 0),
    BIND_NUM(OI, in.lon, "lon", COORD_DECIMALS, 0),
    BIND_ID(OI, requester_person_id, "requester_person_id", 0),
    {0}};
BINDER(order_intake_bind, order_intake_fields, "POST /api/v1/orders", "POST /orders");

err_code bind_order_intake(req *r, struct order_intake *in)
{
    struct order_intake_form f = {0};
    err_code e = bind_input(r, &order_intake_bind, &f);
    if (!e)
        e = id_of(r, f.requester_person_id, "requester_person_id", "诉求人编号应为正整数",
                  &f.in.requester_person_id);
    *in = f.in;
    return e;
}

/* The event form: the service's arguments and the page's hand-typed assignee. */
struct order_event_form {
    struct order_event_args args;
    const char *assignee_id, *assignee_manual, *target; /* ids as given */
};
#define EF struct order_event_form
static const struct bind_field order_event_fields[] = {
    BIND_TEXT(EF, args.event, "event", 0, BIND_REQUIRED),
    BIND_TEXT(EF, args.reason, "reason", EVENT_TEXT_MAX, BIND_MULTILINE),
    BIND_TEXT(EF, args.note, "note", EVENT_TEXT_MAX, BIND_MULTILINE),
    BIND_TEXT(EF, args.result, "result", EVENT_TEXT_MAX, BIND_MULTILINE),
    BIND_TEXT(EF, args.outcome, "outcome", 0, 0),
    BIND_TEXT(EF, args.rating, "rating", 0, 0),
    BIND_TEXT(EF, args.comment, "comment", COMMENT_MAX, BIND_MULTILINE),
    BIND_TEXT(EF, args.assignee_kind, "assignee_kind", 0, 0),
    BIND_ID(EF, assignee_id, "assignee_id", 0),
    BIND_ID(EF, assignee_manual, "assignee_manual", BIND_PAGE_ONLY),
    BIND_ID(EF, target, "target", 0),
    BIND_TEXT(EF, args.deadline, "deadline", 0, 0),
    {0}};
BINDER(order_event_bind, order_event_fields, "POST /api/v1/orders/{id}/events",
       "POST /orders/{id}/events");

const char *bind_order_event_name(req *r)
{
    if (r->is_api) {
        json_t *v = json_object_get(r->json, "event"); /* NULL when json is not an object */
        return json_string_value(v);
    }
    return req_form(r, "event");
}

err_code bind_order_event(req *r, struct order_event_args *out)
{
    struct order_event_form f = {0};
    int64_t manual = 0;
    err_code e = bind_input(r, &order_event_bind, &f);
    if (!e) e = id_of(r, f.assignee_manual, "assignee_manual", "承办人编号应为正整数", &manual);
    if (!e) e = id_of(r, f.assignee_id, "assignee_id", "承办人编号应为正整数", &f.args.assignee_id);
    if (!e) e = id_of(r, f.target, "target", "目标工单编号应为正整数", &f.args.target);
    if (e) return e;
    if (!r->is_api) {
        if (manual > 0)
            f.args.assignee_id = manual;
        else
            f.args.assignee_kind = "person"; /* the suggestions are people */
    }
    *out = f.args;
    return 0;
}

static const struct bind_field whistle_blow_fields[] = {
    BIND_TEXT(struct whistle_blow_input, kind, "kind", 0, BIND_REQUIRED),
    BIND_TEXT(struct whistle_blow_input, note, "note", NOTE_MAX, 0),
    {0}};
BINDER(whistle_blow_bind, whistle_blow_fields, "POST /api/v1/orders/{id}/whistles",
       "POST /orders/{id}/whistles");

err_code bind_whistle_blow(req *r, struct whistle_blow_input *in)
{
    return bind_input(r, &whistle_blow_bind, in);
}

#define WK struct whistle_kind_input
static const struct bind_field whistle_kind_fields[] = {
    BIND_TEXT(WK, county, "place_code", 0, BIND_REQUIRED),
    BIND_INT_SET(WK, answer_minutes, minutes_set, "answer_minutes", 0),
    BIND_ID_LIST(WK, orgs, norgs, orgs_given, "department_ids", 0, 0),
    {0}};
BINDER(whistle_kind_bind, whistle_kind_fields, "PUT /api/v1/whistle-kinds/{code}");

err_code bind_whistle_kind(req *r, struct whistle_kind_input *in)
{
    return bind_input(r, &whistle_kind_bind, in);
}

static const struct bind_field whistle_report_fields[] = {
    BIND_TEXT(struct whistle_report_input, note, "note", NOTE_MAX, 0), {0}};
BINDER(whistle_report_bind, whistle_report_fields, "POST /api/v1/whistle-calls/{id}/report",
       "POST /whistle-calls/{id}/report");

err_code bind_whistle_report(req *r, struct whistle_report_input *in)
{
    /* the note is optional: a report without a body is a report */
    if (r->is_api && !json_is_object(r->json)) return 0;
    return bind_input(r, &whistle_report_bind, in);
}

/* A proposal: the service's input and the organisation's id as given. */
struct order_cost_form {
    struct order_cost_input in;
    const char *org_id;
};
#define CF struct order_cost_form
static const struct bind_field order_cost_fields[] = {
    BIND_ID(CF, org_id, "org_id", BIND_REQUIRED),
    BIND_NUM(CF, in.amount, "amount", YUAN_DECIMALS, BIND_REQUIRED | BIND_NUM_TEXT),
    BIND_TEXT(CF, in.resource, "resource", RESOURCE_MAX, 0),
    BIND_TEXT(CF, in.note, "note", NOTE_MAX, 0),
    {0}};
BINDER(order_cost_bind, order_cost_fields, "POST /api/v1/orders/{id}/costs",
       "POST /orders/{id}/costs");

err_code bind_order_cost(req *r, struct order_cost_input *in)
{
    struct order_cost_form f = {0};
    err_code e = bind_input(r, &order_cost_bind, &f);
    if (!e) e = id_of(r, f.org_id, "org_id", "请选择买单的组织（组织不存在）", &f.in.org_id);
    *in = f.in;
    return e;
}

#define TI struct svc_tier_input
static const struct bind_field order_tier_fields[] = {
    BIND_TEXT(TI, tier, "tier", 0, BIND_REQUIRED),
    BIND_TEXT(TI, note, "note", TIER_NOTE_MAX, 0),
    BIND_TEXT(TI, participants, "participants", TIER_NOTE_MAX, 0),
    BIND_TEXT(TI, outcome, "outcome", CONSULT_MAX, BIND_MULTILINE),
    BIND_TEXT(TI, held_at, "held_at", 0, 0),
    {0}};
BINDER(order_tier_bind, order_tier_fields, "POST /api/v1/orders/{id}/tier",
       "POST /orders/{id}/tier");

err_code bind_order_tier(req *r, struct svc_tier_input *in)
{
    return bind_input(r, &order_tier_bind, in);
}

int bind_order_photos(req *r, const char *field, struct order_photo_upload **out)
{
    int n = 0;
    for (const struct form_field *f = r->form; f; f = f->next) n++;
    struct order_photo_upload *p = arena_alloc(r->a, sizeof *p * (size_t)(n + 1));
    n = 0;
    for (const struct form_field *f = r->form; f; f = f->next)
        if (!strcmp(f->name, field) && f->filename && f->len > 0)
            p[n++] = (struct order_photo_upload){f->filename, f->value, f->len};
    *out = p;
    return n;
}

struct order_public_input {
    bool hidden, set;
};
static const struct bind_field order_public_fields[] = {
    BIND_BOOL_SET(struct order_public_input, hidden, set, "open311_hidden", BIND_REQUIRED), {0}};
BINDER(order_public_bind, order_public_fields, "PUT /api/v1/orders/{id}/open311",
       "POST /orders/{id}/open311");

err_code bind_order_public(req *r, bool *hidden)
{
    struct order_public_input in = {0};
    err_code e = bind_input(r, &order_public_bind, &in);
    if (e) return e;
    if (!in.set)
        return http_fail(r, E_BAD_INPUT, "open311_hidden",
                         r->is_api ? "open311_hidden 应为 true 或 false" : "请选择是否公开显示");
    *hidden = in.hidden;
    return 0;
}
