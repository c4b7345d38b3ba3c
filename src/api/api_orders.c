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

/* An integer from a database cell, or null. */
static void jw_id(struct jw *w, const char *key, const char *v)
{
    jw_key(w, key);
    if (v)
        buf_printf(w->b, "%lld", strtoll(v, NULL, 10));
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

/* An RFC 3339 time from Unix seconds (a cell, or an instant), or null. */
static void jw_time(struct jw *w, const char *key, const char *unix_s)
{
    jw_key(w, key);
    if (!unix_s) {
        buf_puts(w->b, "null");
        return;
    }
    char ts[32];
    clock_format_rfc3339((time_t)atoll(unix_s), ts);
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
static void order_members(struct jw *w, req *r, const db_rows *o, time_t now, bool description)
{
    jw_id(w, "id", db_get(o, 0, OC_ID));
    jw_str(w, "code", db_get(o, 0, OC_CODE));
    jw_str(w, "channel", db_get(o, 0, OC_CHANNEL));
    jw_str(w, "category_code", db_get(o, 0, OC_CATEGORY));
    jw_str(w, "category_name", db_get(o, 0, OC_CATEGORY_NAME));
    jw_str(w, "place_code", db_get(o, 0, OC_PLACE));
    jw_str(w, "place_name", db_get(o, 0, OC_PLACE_NAME));
    jw_str(w, "title", db_get(o, 0, OC_TITLE));
    if (description) jw_str(w, "description", db_get(o, 0, OC_DESCRIPTION));
    jw_str(w, "urgency", db_get(o, 0, OC_URGENCY));
    jw_str(w, "scope_size", db_get(o, 0, OC_SCOPE_SIZE));
    jw_str(w, "skill", db_get(o, 0, OC_SKILL));
    jw_str(w, "tier", db_get(o, 0, OC_TIER));
    const char *st = db_get(o, 0, OC_STATE);
    enum order_state s = ORDER_SUBMITTED;
    order_state_parse(st, &s);
    jw_str(w, "state", st);
    jw_str(w, "state_name", order_state_zh(s));
    jw_str(w, "resume_to", db_get(o, 0, OC_RESUME_TO));
    jw_key(w, "assignee");
    if (db_get(o, 0, OC_ASSIGNEE_KIND)) {
        struct jw as = {w->b, true};
        buf_puts(w->b, "{");
        jw_str(&as, "kind", db_get(o, 0, OC_ASSIGNEE_KIND));
        jw_id(&as, "id", db_get(o, 0, OC_ASSIGNEE_ID));
        jw_str(&as, "name", db_get(o, 0, OC_ASSIGNEE_NAME));
        buf_puts(w->b, "}");
    } else
        buf_puts(w->b, "null");
    jw_id(w, "requester_person_id", db_get(o, 0, OC_REQ_PERSON));
    char phone[64];
    mask_phone(db_get(o, 0, OC_PHONE), phone, sizeof phone);
    jw_str(w, "contact_phone", *phone ? phone : NULL);
    jw_int(w, "reopen_count", db_get_int(o, 0, OC_REOPEN_COUNT));
    jw_int(w, "escalation_level", db_get_int(o, 0, OC_ESCALATION));
    jw_id(w, "merged_into", db_get(o, 0, OC_MERGED_INTO));
    jw_str(w, "outcome", db_get(o, 0, OC_OUTCOME));
    jw_str(w, "result", db_get(o, 0, OC_RESULT));
    jw_str(w, "rating", db_get(o, 0, OC_RATING));
    jw_str(w, "rating_comment", db_get(o, 0, OC_RATING_COMMENT));
    jw_str(w, "reason", db_get(o, 0, OC_REASON));
    jw_str(w, "external_ref", db_get(o, 0, OC_EXTERNAL_REF));
    jw_num(w, "lat", db_get(o, 0, OC_LAT));
    jw_num(w, "lon", db_get(o, 0, OC_LON));
    jw_id(w, "response_limit_s", db_get(o, 0, OC_RESPONSE_LIMIT));
    jw_id(w, "resolution_limit_s", db_get(o, 0, OC_RESOLUTION_LIMIT));
    jw_bool(w, "working_hours", db_get_int(o, 0, OC_WORKING_HOURS) != 0);
    jw_time(w, "accepted_at", db_get(o, 0, OC_ACCEPTED_AT));
    jw_time(w, "first_contact_at", db_get(o, 0, OC_FIRST_CONTACT_AT));
    jw_time(w, "resolved_at", db_get(o, 0, OC_RESOLVED_AT));
    jw_time(w, "rated_at", db_get(o, 0, OC_RATED_AT));
    jw_time(w, "closed_at", db_get(o, 0, OC_CLOSED_AT));
    jw_time(w, "created_at", db_get(o, 0, OC_CREATED_AT));
    jw_time(w, "updated_at", db_get(o, 0, OC_UPDATED_AT));
    /* the clocks, computed now (suspended time excluded) */
    struct order_clocks c;
    svc_order_clocks(r->db, r->a, o, now, &c);
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
    db_rows *o = store_order_get(r->db, r->a, r->me->account_id, id);
    if (!o) return E_NOT_FOUND;
    buf_reset(&r->out);
    struct jw w = {&r->out, true};
    buf_puts(&r->out, "{");
    order_members(&w, r, o, clock_now(), true);
    unsigned kinds = svc_order_actors(r->db, r->me, o);
    json_t *ak = json_array();
    for (int b = 0; b < ORDER_ACTOR_KIND_COUNT; b++)
        if (kinds & (1u << b)) json_array_append_new(ak, json_string(order_actor_id(1u << b)));
    jw_json(&w, "actor_kinds", ak);
    enum order_state s = ORDER_SUBMITTED;
    order_state_parse(db_get(o, 0, OC_STATE), &s);
    unsigned evs = order_fsm_events_for(s, kinds);
    json_t *allowed = json_array();
    for (int e = 0; e < ORDER_EVENT_COUNT; e++)
        if (evs & (1u << e))
            json_array_append_new(allowed, json_string(order_event_id((enum order_event)e)));
    jw_json(&w, "allowed_events", allowed);
    json_t *hist = json_array();
    db_rows *h = store_order_events(r->db, r->a, id);
    for (int i = 0; h && i < h->nrows; i++) {
        json_t *e = json_object();
        json_set_id(e, "id", db_get(h, i, OE_ID));
        char at[32];
        clock_format_rfc3339((time_t)db_get_int(h, i, OE_AT), at);
        json_set_str(e, "at", at);
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
    time_t now = clock_now();
    buf_reset(&r->out);
    buf_puts(&r->out, "{\"items\":[");
    for (int i = 0; i < n; i++) {
        db_rows one = *g;
        one.nrows = 1;
        one.cells = g->cells + (size_t)i * (size_t)g->ncols;
        struct jw w = {&r->out, true};
        buf_puts(&r->out, i ? ",{" : "{");
        order_members(&w, r, &one, now, false);
        buf_puts(&r->out, "}");
    }
    buf_puts(&r->out, "],\"next_cursor\":");
    buf_json_str(&r->out, g->nrows > limit ? db_get(g, n - 1, OC_ID) : NULL);
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
        !store_order_get(r->db, r->a, r->me->account_id, id))
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
