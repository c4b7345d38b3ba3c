/* Work orders 工单 over the API: intake, lists, one order with its history,
 * events (the state machine), suggested assignees. Thin: the rules are in
 * service/svc_orders.c and core/order_fsm.c. */
#include <stdlib.h>
#include <string.h>

#include "core/assignee_rank.h"
#include "core/mask.h"
#include "core/roles.h"
#include "http/bind_orders.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_orders.h"
#include "store/store_orders.h"
#include "util/clock.h"

/* Orders are written straight into the response as JSON text (a list of 50
 * built as jansson trees spent most of its time in malloc): members of one
 * object, each after a comma but the first. */
struct jw {
    buf *b;
    bool first;
};

static void jw_key(struct jw *w, const char *key)
{
    buf_puts(w->b, w->first ? "\"" : ",\"");
    w->first = false;
    buf_puts(w->b, key); /* keys are literals of this file */
    buf_puts(w->b, "\":");
}

static void jw_str(struct jw *w, const char *key, const char *v)
{
    jw_key(w, key);
    buf_json_str(w->b, v); /* null for NULL */
}

/* An id (or a limit), null when 0 (the column is NULL: ids and limits are
 * never 0). */
static void jw_id(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    if (v)
        buf_printf(w->b, "%lld", (long long)v);
    else
        buf_puts(w->b, "null");
}

static void jw_int(struct jw *w, const char *key, long long v)
{
    jw_key(w, key);
    buf_printf(w->b, "%lld", v);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    buf_puts(w->b, v ? "true" : "false");
}

/* A number from a decimal cell (coordinates), or null. */
static void jw_num(struct jw *w, const char *key, const char *v)
{
    jw_key(w, key);
    if (!v) {
        buf_puts(w->b, "null");
        return;
    }
    char n[40];
    snprintf(n, sizeof n, "%.15g", atof(v));
    buf_puts(w->b, n);
    if (!strpbrk(n, ".eE")) buf_puts(w->b, ".0");
}

/* An RFC 3339 time from Unix seconds, or null when 0 (not yet). */
static void jw_time(struct jw *w, const char *key, int64_t unix_s)
{
    jw_key(w, key);
    if (!unix_s) {
        buf_puts(w->b, "null");
        return;
    }
    char ts[32];
    clock_format_rfc3339((time_t)unix_s, ts);
    buf_json_str(w->b, ts);
}

static void jw_instant(struct jw *w, const char *key, time_t t)
{
    jw_key(w, key);
    if (t == CLOCK_NONE) {
        buf_puts(w->b, "null");
        return;
    }
    char ts[32];
    clock_format_rfc3339(t, ts);
    buf_json_str(w->b, ts);
}

static const char *status_id(enum clock_status s)
{
    return s == CLOCK_BREACHED ? "breached" : s == CLOCK_WARNING ? "warning" : "ok";
}

/* The members of an order object (OrderItem in web/openapi/70_orders.json;
 * the detail adds the description and more). */
static void order_members(struct jw *w, req *r, const struct order_row *o, time_t now,
                          bool description)
{
    jw_id(w, "id", o->id);
    jw_str(w, "code", o->code);
    jw_str(w, "channel", o->channel);
    jw_str(w, "category_code", o->category_code);
    jw_str(w, "category_name", o->category_name);
    jw_str(w, "place_code", o->place_code);
    jw_str(w, "place_name", o->place_name);
    jw_str(w, "title", o->title);
    if (description) jw_str(w, "description", o->description);
    jw_str(w, "urgency", o->urgency);
    jw_str(w, "scope_size", o->scope_size);
    jw_str(w, "skill", o->skill);
    jw_str(w, "tier", o->tier);
    const char *st = o->state;
    enum order_state s = ORDER_SUBMITTED;
    order_state_parse(st, &s);
    jw_str(w, "state", st);
    jw_str(w, "state_name", order_state_zh(s));
    jw_str(w, "resume_to", o->resume_to);
    jw_key(w, "assignee");
    if (o->assignee_kind) {
        struct jw as = {w->b, true};
        buf_puts(w->b, "{");
        jw_str(&as, "kind", o->assignee_kind);
        jw_id(&as, "id", o->assignee_id);
        jw_str(&as, "name", o->assignee_name);
        buf_puts(w->b, "}");
    } else
        buf_puts(w->b, "null");
    jw_id(w, "requester_person_id", o->requester_person_id);
    char phone[64];
    mask_phone(o->contact_phone, phone, sizeof phone);
    jw_str(w, "contact_phone", *phone ? phone : NULL);
    jw_int(w, "reopen_count", o->reopen_count);
    jw_int(w, "escalation_level", o->escalation_level);
    jw_id(w, "merged_into", o->merged_into);
    jw_str(w, "outcome", o->outcome);
    jw_str(w, "result", o->result);
    jw_str(w, "rating", o->rating);
    jw_str(w, "rating_comment", o->rating_comment);
    jw_str(w, "reason", o->reason);
    jw_str(w, "external_ref", o->external_ref);
    jw_num(w, "lat", o->lat);
    jw_num(w, "lon", o->lon);
    jw_id(w, "response_limit_s", o->response_limit_s);
    jw_id(w, "resolution_limit_s", o->resolution_limit_s);
    jw_bool(w, "working_hours", o->working_hours);
    jw_time(w, "accepted_at", o->accepted_at);
    jw_time(w, "first_contact_at", o->first_contact_at);
    jw_time(w, "resolved_at", o->resolved_at);
    jw_time(w, "rated_at", o->rated_at);
    jw_time(w, "closed_at", o->closed_at);
    jw_time(w, "created_at", o->created_at);
    jw_time(w, "updated_at", o->updated_at);
    /* the clocks, computed now (suspended time excluded) */
    struct order_clocks c;
    svc_order_clocks_of(r->db, r->a, o, now, &c);
    jw_key(w, "clocks");
    if (!c.started) {
        buf_puts(w->b, "null");
        return;
    }
    struct jw ck = {w->b, true};
    buf_puts(w->b, "{");
    jw_instant(&ck, "response_deadline", c.response_deadline);
    jw_instant(&ck, "resolution_deadline", c.resolution_deadline);
    jw_int(&ck, "response_counted_s", c.response_counted);
    jw_int(&ck, "resolution_counted_s", c.resolution_counted);
    jw_int(&ck, "suspended_s", c.suspended_seconds);
    jw_str(&ck, "response_status", status_id(c.response_status));
    jw_str(&ck, "resolution_status", status_id(c.resolution_status));
    jw_bool(&ck, "response_stopped", c.response_stopped);
    jw_bool(&ck, "resolution_stopped", c.resolution_stopped);
    buf_puts(w->b, "}");
}

/* Appends ,"key":<the JSON of v> and frees v. */
static void jw_json(struct jw *w, const char *key, json_t *v)
{
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(v);
    jw_key(w, key);
    buf_puts(w->b, t ? t : "null");
    free(t);
}

/* One order with its history and what this account may do next. */
static err_code order_detail(req *r, int64_t id, int status)
{
    struct order_row ord, *o = &ord;
    if (!store_order_read(r->db, r->a, r->me->account_id, id, o)) return E_NOT_FOUND;
    buf_reset(&r->out);
    struct jw w = {&r->out, true};
    buf_puts(&r->out, "{");
    order_members(&w, r, o, clock_now(), true);
    unsigned kinds = svc_order_actors_of(r->db, r->me, o);
    json_t *ak = json_array();
    for (int b = 0; b < ORDER_ACTOR_KIND_COUNT; b++)
        if (kinds & (1u << b)) json_array_append_new(ak, json_string(order_actor_id(1u << b)));
    jw_json(&w, "actor_kinds", ak);
    enum order_state s = ORDER_SUBMITTED;
    order_state_parse(o->state, &s);
    unsigned evs = order_fsm_events_for(s, kinds);
    json_t *allowed = json_array();
    for (int e = 0; e < ORDER_EVENT_COUNT; e++)
        if (evs & (1u << e))
            json_array_append_new(allowed, json_string(order_event_id((enum order_event)e)));
    jw_json(&w, "allowed_events", allowed);
    json_t *hist = json_array();
    struct order_event_row *h;
    int nh = store_order_history(r->db, r->a, id, &h);
    for (int i = 0; i < nh; i++) {
        json_t *e = json_object();
        json_set_int(e, "id", h[i].id);
        char at[32];
        clock_format_rfc3339((time_t)h[i].at, at);
        json_set_str(e, "at", at);
        json_set_str(e, "actor", h[i].actor);
        json_set_str(e, "event", h[i].event);
        json_set_str(e, "event_name", order_history_zh(h[i].event));
        json_set_str(e, "from_state", h[i].from_state);
        json_set_str(e, "to_state", h[i].to_state);
        json_set_str(e, "note", h[i].note);
        const char *dj = h[i].data_json;
        json_t *data = dj ? json_loads(dj, 0, NULL) : NULL;
        json_object_set_new(e, "data", data ? data : json_null());
        json_array_append_new(hist, e);
    }
    jw_json(&w, "history", hist);
    buf_puts(&r->out, "}");
    return http_json_written(r, status);
}

static err_code api_orders_create(req *r)
{
    struct order_intake in = {0};
    err_code e = bind_order_intake(r, &in);
    if (e) return e;
    struct svc_result res = svc_order_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return order_detail(r, res.id, 201);
}
ROUTE("POST", "/api/v1/orders", api_orders_create, NULL, R_API, NULL,
      "提交工单（居民为自己的住户；社区工作人员可代录各渠道诉求）");

static err_code api_orders_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
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
    struct order_row *g;
    int ng = store_orders_rows(r->db, r->a, r->me->account_id, &f, &g);
    if (ng < 0) return E_INTERNAL;
    int n = ng > limit ? (int)limit : ng;
    time_t now = clock_now();
    buf_reset(&r->out);
    buf_puts(&r->out, "{\"items\":[");
    for (int i = 0; i < n; i++) {
        struct jw w = {&r->out, true};
        buf_puts(&r->out, i ? ",{" : "{");
        order_members(&w, r, &g[i], now, false);
        buf_puts(&r->out, "}");
    }
    buf_puts(&r->out, "],\"next_cursor\":");
    buf_json_str(&r->out, ng > limit ? arena_printf(r->a, "%lld", (long long)g[n - 1].id) : NULL);
    buf_puts(&r->out, "}");
    return http_json_written(r, 200);
}
ROUTE("GET", "/api/v1/orders", api_orders_list, NULL, R_API, NULL,
      "工单列表（按状态、区划、分类、渠道筛选；assignee=me 我承办的；mine=1 我提交的）");

static err_code api_order_get(req *r)
{
    int64_t id = req_id(r, "id");
    return order_detail(r, id, 200);
}
ROUTE("GET", "/api/v1/orders/{id}", api_order_get, NULL, R_API, "order",
      "工单详情（含全部处理记录与时限）");

static err_code api_order_event(req *r)
{
    int64_t id = req_id(r, "id");
    /* out of scope is 404 before any complaint about the body; but a 抢单
     * the caller lost is the service's to answer (409 already_taken) */
    const char *event = bind_order_event_name(r);
    if ((!event || strcmp(event, "take") != 0) &&
        !store_order_visible(r->db, r->a, r->me->account_id, id))
        return E_NOT_FOUND;
    struct order_event_args in;
    err_code e = bind_order_event(r, &in);
    if (e) return e;
    struct svc_result res = svc_order_event(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return order_detail(r, id, 200);
}
ROUTE("POST", "/api/v1/orders/{id}/events", api_order_event, NULL, R_API, "order",
      "对工单执行操作（受理、派单、接单、联系、挂起、恢复、办结、评价等）");

static err_code api_order_suggestions(req *r)
{
    int64_t id, limit, cursor;
    id = req_id(r, "id");
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
