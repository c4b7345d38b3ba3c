/* Work orders 工单 over the API: intake, lists, one order with its history,
 * events (the state machine), suggested assignees. Thin: the rules are in
 * service/svc_orders.c and core/order_fsm.c. */
#include <stdlib.h>
#include <string.h>

#include "core/assignee_rank.h"
#include "core/mask.h"
#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_orders.h"
#include "store/store_orders.h"
#include "util/clock.h"

static void set_time(json_t *j, const char *key, const char *unix_s)
{
    if (!unix_s) {
        json_object_set_new(j, key, json_null());
        return;
    }
    char ts[32];
    clock_format_rfc3339((time_t)atoll(unix_s), ts);
    json_object_set_new(j, key, json_string(ts));
}

static void set_instant(json_t *j, const char *key, time_t t)
{
    char ts[32];
    if (t == CLOCK_NONE) {
        json_object_set_new(j, key, json_null());
        return;
    }
    clock_format_rfc3339(t, ts);
    json_object_set_new(j, key, json_string(ts));
}

static const char *status_id(enum clock_status s)
{
    return s == CLOCK_BREACHED ? "breached" : s == CLOCK_WARNING ? "warning" : "ok";
}

static void set_num(json_t *j, const char *key, const char *v)
{
    json_object_set_new(j, key, v ? json_real(atof(v)) : json_null());
}

static json_t *order_json(req *r, const db_rows *o, time_t now)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(o, 0, OC_ID));
    json_set_str(j, "code", db_get(o, 0, OC_CODE));
    json_set_str(j, "channel", db_get(o, 0, OC_CHANNEL));
    json_set_str(j, "category_code", db_get(o, 0, OC_CATEGORY));
    json_set_str(j, "category_name", db_get(o, 0, OC_CATEGORY_NAME));
    json_set_str(j, "place_code", db_get(o, 0, OC_PLACE));
    json_set_str(j, "place_name", db_get(o, 0, OC_PLACE_NAME));
    json_set_str(j, "title", db_get(o, 0, OC_TITLE));
    json_set_str(j, "description", db_get(o, 0, OC_DESCRIPTION));
    json_set_str(j, "urgency", db_get(o, 0, OC_URGENCY));
    json_set_str(j, "scope_size", db_get(o, 0, OC_SCOPE_SIZE));
    json_set_str(j, "skill", db_get(o, 0, OC_SKILL));
    json_set_str(j, "tier", db_get(o, 0, OC_TIER));
    const char *st = db_get(o, 0, OC_STATE);
    enum order_state s = ORDER_SUBMITTED;
    order_state_parse(st, &s);
    json_set_str(j, "state", st);
    json_set_str(j, "state_name", order_state_zh(s));
    json_set_str(j, "resume_to", db_get(o, 0, OC_RESUME_TO));
    if (db_get(o, 0, OC_ASSIGNEE_KIND)) {
        json_t *as = json_object();
        json_set_str(as, "kind", db_get(o, 0, OC_ASSIGNEE_KIND));
        json_set_id(as, "id", db_get(o, 0, OC_ASSIGNEE_ID));
        json_set_str(as, "name", db_get(o, 0, OC_ASSIGNEE_NAME));
        json_object_set_new(j, "assignee", as);
    } else
        json_object_set_new(j, "assignee", json_null());
    json_set_id(j, "requester_person_id", db_get(o, 0, OC_REQ_PERSON));
    char phone[64];
    mask_phone(db_get(o, 0, OC_PHONE), phone, sizeof phone);
    json_set_str(j, "contact_phone", *phone ? phone : NULL);
    json_set_int(j, "reopen_count", db_get_int(o, 0, OC_REOPEN_COUNT));
    json_set_int(j, "escalation_level", db_get_int(o, 0, OC_ESCALATION));
    json_set_id(j, "merged_into", db_get(o, 0, OC_MERGED_INTO));
    json_set_str(j, "outcome", db_get(o, 0, OC_OUTCOME));
    json_set_str(j, "result", db_get(o, 0, OC_RESULT));
    json_set_str(j, "rating", db_get(o, 0, OC_RATING));
    json_set_str(j, "rating_comment", db_get(o, 0, OC_RATING_COMMENT));
    json_set_str(j, "reason", db_get(o, 0, OC_REASON));
    json_set_str(j, "external_ref", db_get(o, 0, OC_EXTERNAL_REF));
    set_num(j, "lat", db_get(o, 0, OC_LAT));
    set_num(j, "lon", db_get(o, 0, OC_LON));
    json_set_id(j, "response_limit_s", db_get(o, 0, OC_RESPONSE_LIMIT));
    json_set_id(j, "resolution_limit_s", db_get(o, 0, OC_RESOLUTION_LIMIT));
    json_set_bool(j, "working_hours", db_get_int(o, 0, OC_WORKING_HOURS) != 0);
    set_time(j, "accepted_at", db_get(o, 0, OC_ACCEPTED_AT));
    set_time(j, "first_contact_at", db_get(o, 0, OC_FIRST_CONTACT_AT));
    set_time(j, "resolved_at", db_get(o, 0, OC_RESOLVED_AT));
    set_time(j, "rated_at", db_get(o, 0, OC_RATED_AT));
    set_time(j, "closed_at", db_get(o, 0, OC_CLOSED_AT));
    set_time(j, "created_at", db_get(o, 0, OC_CREATED_AT));
    set_time(j, "updated_at", db_get(o, 0, OC_UPDATED_AT));
    /* the clocks, computed now (suspended time excluded) */
    struct order_clocks c;
    svc_order_clocks(r->db, r->a, o, now, &c);
    json_t *ck = json_object();
    if (c.started) {
        set_instant(ck, "response_deadline", c.response_deadline);
        set_instant(ck, "resolution_deadline", c.resolution_deadline);
        json_set_int(ck, "response_counted_s", c.response_counted);
        json_set_int(ck, "resolution_counted_s", c.resolution_counted);
        json_set_int(ck, "suspended_s", c.suspended_seconds);
        json_set_str(ck, "response_status", status_id(c.response_status));
        json_set_str(ck, "resolution_status", status_id(c.resolution_status));
        json_set_bool(ck, "response_stopped", c.response_stopped);
        json_set_bool(ck, "resolution_stopped", c.resolution_stopped);
        json_object_set_new(j, "clocks", ck);
    } else {
        json_decref(ck);
        json_object_set_new(j, "clocks", json_null());
    }
    return j;
}

/* One order with its history and what this account may do next. */
static err_code order_detail(req *r, int64_t id, int status)
{
    db_rows *o = store_order_get(r->db, r->a, r->me->account_id, id);
    if (!o) return E_NOT_FOUND;
    json_t *j = order_json(r, o, clock_now());
    unsigned kinds = svc_order_actors(r->db, r->me, o);
    json_t *ak = json_array();
    for (int b = 0; b < ORDER_ACTOR_KIND_COUNT; b++)
        if (kinds & (1u << b)) json_array_append_new(ak, json_string(order_actor_id(1u << b)));
    json_object_set_new(j, "actor_kinds", ak);
    enum order_state s = ORDER_SUBMITTED;
    order_state_parse(db_get(o, 0, OC_STATE), &s);
    unsigned evs = order_fsm_events_for(s, kinds);
    json_t *allowed = json_array();
    for (int e = 0; e < ORDER_EVENT_COUNT; e++)
        if (evs & (1u << e))
            json_array_append_new(allowed, json_string(order_event_id((enum order_event)e)));
    json_object_set_new(j, "allowed_events", allowed);
    json_t *hist = json_array();
    db_rows *h = store_order_events(r->db, r->a, id);
    for (int i = 0; h && i < h->nrows; i++) {
        json_t *e = json_object();
        json_set_id(e, "id", db_get(h, i, OE_ID));
        set_time(e, "at", db_get(h, i, OE_AT));
        json_set_str(e, "actor", db_get(h, i, OE_ACTOR));
        const char *ev = db_get(h, i, OE_EVENT);
        json_set_str(e, "event", ev);
        json_set_str(e, "event_name", order_history_zh(ev));
        json_set_str(e, "from_state", db_get(h, i, OE_FROM));
        json_set_str(e, "to_state", db_get(h, i, OE_TO));
        json_set_str(e, "note", db_get(h, i, OE_NOTE));
        const char *dj = db_get(h, i, OE_DATA);
        json_t *data = dj ? json_loads(dj, 0, NULL) : NULL;
        json_object_set_new(e, "data", data ? data : json_null());
        json_array_append_new(hist, e);
    }
    json_object_set_new(j, "history", hist);
    return http_json(r, status, j);
}

static const char *num_input(req *r, const char *name)
{
    json_t *v = r->json ? json_object_get(r->json, name) : NULL;
    if (json_is_number(v)) return arena_printf(r->a, "%.7f", json_number_value(v));
    return NULL;
}

static err_code api_orders_create(req *r)
{
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    struct order_intake in = {
        .channel = req_input(r, "channel"),
        .category_code = req_input(r, "category_code"),
        .place_code = req_input(r, "place_code"),
        .contact_phone = req_input(r, "contact_phone"),
        .title = req_input(r, "title"),
        .description = req_input(r, "description"),
        .urgency = req_input(r, "urgency"),
        .scope_size = req_input(r, "scope_size"),
        .external_ref = req_input(r, "external_ref"),
    };
    static const char *const coords[] = {"lat", "lon"};
    const char **dst[] = {&in.lat, &in.lon};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(r->json, coords[i]);
        if (v && !json_is_null(v) && !json_is_number(v))
            return http_fail(r, E_BAD_INPUT, coords[i], "坐标应为数字");
        *dst[i] = num_input(r, coords[i]);
    }
    int64_t person;
    err_code e = req_int(r, "body", "requester_person_id", 1, INT64_MAX, 0, &person);
    if (e) return e;
    in.requester_person_id = person;
    struct svc_result res = svc_order_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return order_detail(r, res.id, 201);
}
ROUTE("POST", "/api/v1/orders", api_orders_create, NULL, R_API, NULL,
      "提交工单（居民为自己的住户；社区工作人员可代录各渠道诉求）");

static err_code api_orders_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    struct order_filter f = {.before_id = cursor, .limit = (int)limit + 1};
    const char *qs[] = {"state", "place", "category", "channel"};
    const char **dst[] = {&f.state, &f.place, &f.category, &f.channel};
    for (int i = 0; i < 4; i++) {
        const char *v = req_query(r, qs[i]);
        *dst[i] = v && *v ? v : NULL;
    }
    enum order_state s;
    if (f.state && !order_state_parse(f.state, &s))
        return http_fail(r, E_BAD_INPUT, "state", "工单状态不正确");
    if (f.state) f.state = order_state_id(s);
    const char *as = req_query(r, "assignee"), *mine = req_query(r, "mine");
    if (as && *as && strcmp(as, "me") != 0)
        return http_fail(r, E_BAD_INPUT, "assignee", "assignee 只能为 me");
    f.assigned_to_me = as && *as;
    f.mine = mine && strcmp(mine, "1") == 0;
    db_rows *g = store_orders_list(r->db, r->a, r->me->account_id, &f);
    if (!g) return E_INTERNAL;
    int n = g->nrows > limit ? (int)limit : g->nrows;
    json_t *items = json_array();
    time_t now = clock_now();
    for (int i = 0; i < n; i++) {
        db_rows one = *g;
        one.nrows = 1;
        one.cells = g->cells + (size_t)i * (size_t)g->ncols;
        json_t *j = order_json(r, &one, now);
        json_object_del(j, "description");
        json_array_append_new(items, j);
    }
    return http_json(r, 200, json_page(items, g->nrows > limit ? db_get(g, n - 1, OC_ID) : NULL));
}
ROUTE("GET", "/api/v1/orders", api_orders_list, NULL, R_API, NULL,
      "工单列表（按状态、区划、分类、渠道筛选；assignee=me 我承办的；mine=1 我提交的）");

static err_code api_order_get(req *r)
{
    int64_t id;
    if (req_int(r, "path", "id", 1, INT64_MAX, 0, &id)) return E_NOT_FOUND;
    return order_detail(r, id, 200);
}
ROUTE("GET", "/api/v1/orders/{id}", api_order_get, NULL, R_API, "order",
      "工单详情（含全部处理记录与时限）");

static err_code api_order_event(req *r)
{
    int64_t id;
    if (req_int(r, "path", "id", 1, INT64_MAX, 0, &id)) return E_NOT_FOUND;
    /* out of scope is 404 before any complaint about the body */
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    struct order_event_args in = {
        .event = req_input(r, "event"),
        .reason = req_input(r, "reason"),
        .note = req_input(r, "note"),
        .result = req_input(r, "result"),
        .outcome = req_input(r, "outcome"),
        .rating = req_input(r, "rating"),
        .comment = req_input(r, "comment"),
        .assignee_kind = req_input(r, "assignee_kind"),
        .deadline = req_input(r, "deadline"),
    };
    int64_t v;
    err_code e = req_int(r, "body", "assignee_id", 1, INT64_MAX, 0, &v);
    if (e) return e;
    in.assignee_id = v;
    if ((e = req_int(r, "body", "target", 1, INT64_MAX, 0, &v))) return e;
    in.target = v;
    struct svc_result res = svc_order_event(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return order_detail(r, id, 200);
}
ROUTE("POST", "/api/v1/orders/{id}/events", api_order_event, NULL, R_API, "order",
      "对工单执行操作（受理、派单、接单、联系、挂起、恢复、办结、评价等）");

static err_code api_order_suggestions(req *r)
{
    int64_t id, limit, cursor;
    if (req_int(r, "path", "id", 1, INT64_MAX, 0, &id)) return E_NOT_FOUND;
    err_code e = req_int(r, "query", "limit", 1, 500, 10, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, 1000000, 0, &cursor);
    if (e) return e;
    struct candidate *c;
    int n;
    e = svc_order_suggest(r->db, r->a, r->me, id, 500, &c, &n);
    if (e == E_FORBIDDEN) return http_fail(r, e, NULL, "只有派单人员可以查看派单建议");
    if (e) return e;
    json_t *items = json_array();
    int end = cursor + limit < n ? (int)(cursor + limit) : n;
    for (int i = (int)cursor; i < end; i++) {
        json_t *j = json_object();
        json_set_int(j, "person_id", c[i].id);
        json_set_str(j, "name", c[i].name);
        json_set_str(j, "place_code", c[i].place_code);
        json_set_int(j, "score", c[i].score);
        json_set_int(j, "skill_points", c[i].skill_pts);
        json_set_int(j, "distance_points", c[i].distance_pts);
        json_set_int(j, "load_points", c[i].load_pts);
        json_set_int(j, "rating_points", c[i].rating_pts);
        json_set_int(j, "open_orders", c[i].open_orders);
        json_set_str(j, "why", c[i].why);
        json_array_append_new(items, j);
    }
    json_t *page = json_page(items, end < n ? arena_printf(r->a, "%d", end) : NULL);
    json_set_str(
        page, "formula",
        "得分 = (40×技能 + 25×距离 + 20×在办量 + 15×评价) / 100；各项0–1000分：技能匹配1000、"
        "不匹配0、工单未指定技能500；距离同户1000、同楼栋800、同小区600、同社区400、同街道200；"
        "在办量 1000×3/(3+在办件数)；评价 "
        "(Σ分值+5×800)/(评价次数+5)，满意1000、基本满意700、不满意0");
    return http_json(r, 200, page);
}
ROUTE("GET", "/api/v1/orders/{id}/suggestions", api_order_suggestions, CAP_ORDERS_DISPATCH, R_API,
      "order", "派单建议：按技能、距离、在办量和评价排序的承办人");
