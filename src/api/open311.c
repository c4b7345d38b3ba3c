/* Open311 GeoReport v2 over the work orders (docs/open311.md): discovery,
 * services (the categories), requests (GET public, POST with an api_key) and
 * tokens, each as .json and .xml. Intake goes through svc_order_create, so
 * every rule of a work order applies; this file only translates.
 *
 * XML is written by hand: the documents are flat (a list of elements with
 * text children), so an XML library would add a dependency for nothing; text
 * goes through buf_html, whose escaping (& < > " ') is also valid XML.
 *
 * The routes are public (R_PUBLIC) and not R_API: they answer the spec's
 * error lists, not the /api/v1 error object, and GET shows every request
 * publicly, without personal data (see store/store_open311.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/order_fsm.h"
#include "http/http.h"
#include "service/svc_api_keys.h"
#include "service/svc_categories.h"
#include "service/svc_orders.h"
#include "store/store_api_keys.h"
#include "store/store_open311.h"
#include "store/store_places.h"
#include "util/clock.h"

#define O311_MAX_REQUESTS 1000
#define O311_DEFAULT_DAYS 90

/* A tiny writer that emits the same records as JSON or XML. */
struct o311w {
    buf *b;
    bool xml;
    int items, fields;
};

static void w_begin(struct o311w *w, const char *root)
{
    if (w->xml)
        buf_printf(w->b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<%s>", root);
    else
        buf_puts(w->b, "[");
}

static void w_end(struct o311w *w, const char *root)
{
    if (w->xml)
        buf_printf(w->b, "</%s>\n", root);
    else
        buf_puts(w->b, "]\n");
}

static void w_item(struct o311w *w, const char *elem)
{
    if (w->xml)
        buf_printf(w->b, "<%s>", elem);
    else
        buf_puts(w->b, w->items ? ",{" : "{");
    w->items++;
    w->fields = 0;
}

static void w_item_end(struct o311w *w, const char *elem)
{
    if (w->xml)
        buf_printf(w->b, "</%s>", elem);
    else
        buf_puts(w->b, "}");
}

static void w_key(struct o311w *w, const char *name)
{
    if (!w->xml) {
        buf_puts(w->b, w->fields ? "," : "");
        buf_json_str(w->b, name);
        buf_puts(w->b, ":");
    }
    w->fields++;
}

/* A text field; NULL is JSON null and an empty XML element. */
static void w_str(struct o311w *w, const char *name, const char *v)
{
    w_key(w, name);
    if (!w->xml) {
        buf_json_str(w->b, v);
        return;
    }
    if (!v) {
        buf_printf(w->b, "<%s/>", name);
        return;
    }
    buf_printf(w->b, "<%s>", name);
    buf_html(w->b, v);
    buf_printf(w->b, "</%s>", name);
}

/* A number, boolean or other literal given as text (NULL: null). */
static void w_lit(struct o311w *w, const char *name, const char *v)
{
    w_key(w, name);
    if (w->xml) {
        if (v)
            buf_printf(w->b, "<%s>%s</%s>", name, v, name);
        else
            buf_printf(w->b, "<%s/>", name);
    } else {
        buf_puts(w->b, v ? v : "null");
    }
}

static void w_time(struct o311w *w, const char *name, const char *unix_s)
{
    char ts[32];
    if (unix_s) clock_format_rfc3339((time_t)atoll(unix_s), ts);
    w_str(w, name, unix_s ? ts : NULL);
}

/* The format of the request: the suffix of the last path segment. */
static bool want_xml(req *r)
{
    size_t n = strlen(r->path);
    return n > 4 && strcmp(r->path + n - 4, ".xml") == 0;
}

static bool format_ok(req *r)
{
    size_t n = strlen(r->path);
    return (n > 5 && strcmp(r->path + n - 5, ".json") == 0) || want_xml(r);
}

/* A path parameter without its .json/.xml suffix. */
static const char *param_bare(req *r, const char *name)
{
    const char *v = req_param(r, name);
    if (!v) return NULL;
    const char *dot = strrchr(v, '.');
    return dot ? arena_strndup(r->a, v, (size_t)(dot - v)) : v;
}

static err_code send(req *r, int status, struct o311w *w)
{
    r->status = status;
    r->content_type_out = w->xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
    return E_OK;
}

/* The spec's error list: [{code, description}] / <errors><error>. */
static err_code o311_error(req *r, int status, const char *description)
{
    buf_reset(&r->out);
    struct o311w w = {&r->out, format_ok(r) ? want_xml(r) : false, 0, 0};
    char code[8];
    snprintf(code, sizeof code, "%d", status);
    w_begin(&w, "errors");
    w_item(&w, "error");
    w_lit(&w, "code", code);
    w_str(&w, "description", description);
    w_item_end(&w, "error");
    w_end(&w, "errors");
    return send(r, status, &w);
}

static err_code discovery(req *r)
{
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    const char *host = req_header(r, "Host");
    const char *base = arena_printf(r->a, "%s://%s/open311/v2", r->secure ? "https" : "http",
                                    host ? host : "localhost");
    /* discovery is one object, not a list */
    if (w.xml) {
        buf_puts(w.b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<discovery>"
                      "<changeset>2026-11-23T00:00:00Z</changeset><contact>");
        buf_html(w.b, "所在县（区）社会治理指挥中心");
        buf_puts(w.b, "</contact><key_service>");
        buf_html(w.b, "向所在县（区）管理员申请 api_key（linli apikey create）");
        buf_puts(w.b, "</key_service><endpoints><endpoint>"
                      "<specification>http://wiki.open311.org/GeoReport_v2</specification><url>");
        buf_html(w.b, base);
        buf_puts(w.b, "</url><changeset>2026-11-23T00:00:00Z</changeset><type>production</type>"
                      "<formats><format>text/xml</format><format>application/json</format>"
                      "</formats></endpoint></endpoints></discovery>\n");
    } else {
        buf_puts(w.b, "{\"changeset\":\"2026-11-23T00:00:00Z\",\"contact\":");
        buf_json_str(w.b, "所在县（区）社会治理指挥中心");
        buf_puts(w.b, ",\"key_service\":");
        buf_json_str(w.b, "向所在县（区）管理员申请 api_key（linli apikey create）");
        buf_puts(w.b, ",\"endpoints\":[{\"specification\":\"http://wiki.open311.org/GeoReport_v2\","
                      "\"url\":");
        buf_json_str(w.b, base);
        buf_puts(w.b, ",\"changeset\":\"2026-11-23T00:00:00Z\",\"type\":\"production\","
                      "\"formats\":[\"text/xml\",\"application/json\"]}]}\n");
    }
    return send(r, 200, &w);
}
ROUTE("GET", "/open311/v2/discovery.json", discovery, NULL, R_PUBLIC, NULL,
      "Open311 服务发现（JSON）");
ROUTE("GET", "/open311/v2/discovery.xml", discovery, NULL, R_PUBLIC, NULL,
      "Open311 服务发现（XML）");

static void service_out(struct o311w *w, const db_rows *s, int i)
{
    w_item(w, "service");
    w_str(w, "service_code", db_get(s, i, OS_CODE));
    w_str(w, "service_name", db_get(s, i, OS_NAME));
    w_str(w, "description", db_get(s, i, OS_DESCRIPTION));
    w_lit(w, "metadata", "false");
    w_str(w, "type", "realtime");
    w_str(w, "keywords", NULL);
    w_str(w, "group", db_get(s, i, OS_GROUP));
    w_item_end(w, "service");
}

static err_code services(req *r)
{
    db_rows *s = store_open311_services(r->db, r->a, NULL);
    if (!s) return o311_error(r, 500, "database error");
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    w_begin(&w, "services");
    for (int i = 0; i < s->nrows; i++) service_out(&w, s, i);
    w_end(&w, "services");
    return send(r, 200, &w);
}
ROUTE("GET", "/open311/v2/services.json", services, NULL, R_PUBLIC, NULL,
      "Open311 服务（事项分类）列表（JSON）");
ROUTE("GET", "/open311/v2/services.xml", services, NULL, R_PUBLIC, NULL,
      "Open311 服务（事项分类）列表（XML）");

/* A service definition: no extra attributes (metadata is false). */
static err_code service_definition(req *r)
{
    if (!format_ok(r)) return o311_error(r, 404, "format must be .json or .xml");
    const char *code = param_bare(r, "code");
    db_rows *s = store_open311_services(r->db, r->a, code);
    if (!s || s->nrows == 0) return o311_error(r, 404, "service_code not found");
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    if (w.xml) {
        buf_puts(w.b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_definition>"
                      "<service_code>");
        buf_html(w.b, db_get(s, 0, OS_CODE));
        buf_puts(w.b, "</service_code><attributes/></service_definition>\n");
    } else {
        buf_puts(w.b, "{\"service_code\":");
        buf_json_str(w.b, db_get(s, 0, OS_CODE));
        buf_puts(w.b, ",\"attributes\":[]}\n");
    }
    return send(r, 200, &w);
}
ROUTE("GET", "/open311/v2/services/{code}", service_definition, NULL, R_PUBLIC, "category",
      "Open311 服务定义（.json 或 .xml）");

static void request_out(struct o311w *w, const db_rows *o, int i)
{
    enum order_state st;
    const char *status =
        order_state_parse(db_get(o, i, OR_STATE), &st) ? order_state_open311(st) : "closed";
    w_item(w, "request");
    w_str(w, "service_request_id", db_get(o, i, OR_ID));
    w_str(w, "status", status);
    w_str(w, "status_notes", db_get(o, i, OR_NOTE));
    w_str(w, "service_name", db_get(o, i, OR_SERVICE_NAME));
    w_str(w, "service_code", db_get(o, i, OR_SERVICE_CODE));
    w_str(w, "description", db_get(o, i, OR_DESCRIPTION));
    w_str(w, "agency_responsible", db_get(o, i, OR_AGENCY));
    w_str(w, "service_notice", NULL);
    w_time(w, "requested_datetime", db_get(o, i, OR_CREATED_AT));
    w_time(w, "updated_datetime", db_get(o, i, OR_UPDATED_AT));
    w_str(w, "expected_datetime", NULL);
    const char *addr = db_get(o, i, OR_ADDRESS_STRING);
    w_str(w, "address", addr ? addr : db_get(o, i, OR_PLACE_NAME));
    w_str(w, "address_id", db_get(o, i, OR_PLACE));
    w_str(w, "zipcode", NULL);
    w_lit(w, "lat", db_get(o, i, OR_LAT));
    w_lit(w, "long", db_get(o, i, OR_LON));
    w_str(w, "media_url", NULL);
    w_item_end(w, "request");
}

static err_code requests_out(req *r, const db_rows *o)
{
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    w_begin(&w, "service_requests");
    for (int i = 0; i < o->nrows; i++) request_out(&w, o, i);
    w_end(&w, "service_requests");
    return send(r, 200, &w);
}

/* ",a,b," from "a,b" (spaces dropped), or NULL for NULL/empty. */
static const char *list_of(req *r, const char *v)
{
    if (!v || !*v) return NULL;
    buf b = {0};
    buf_puts(&b, ",");
    for (const char *p = v; *p; p++)
        if (*p != ' ') buf_raw(&b, p, 1);
    buf_puts(&b, ",");
    const char *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* A W3C datetime, or a date alone (start of that day, UTC). */
static bool parse_when(const char *s, time_t *out)
{
    if (clock_parse_rfc3339(s, out)) return true;
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *out = timegm(&tm);
    return true;
}

static err_code requests_get(req *r)
{
    struct open311_filter f = {.limit = O311_MAX_REQUESTS};
    f.ids = list_of(r, req_query(r, "service_request_id"));
    if (!f.ids) {
        /* the spec: other parameters are ignored when ids are given */
        f.codes = list_of(r, req_query(r, "service_code"));
        const char *status = req_query(r, "status");
        if (status && *status) {
            bool open = strstr(status, "open") != NULL, closed = strstr(status, "closed") != NULL;
            if (!open && !closed) return o311_error(r, 400, "status must be open or closed");
            buf b = {0};
            buf_puts(&b, ",");
            for (int s = 0; s < ORDER_STATE_COUNT; s++)
                if (order_state_is_active((enum order_state)s) ? open : closed)
                    buf_printf(&b, "%s,", order_state_id((enum order_state)s));
            f.states = arena_strdup(r->a, buf_cstr(&b));
            buf_free(&b);
        }
        const char *sd = req_query(r, "start_date"), *ed = req_query(r, "end_date");
        time_t t;
        if (sd && *sd) {
            if (!parse_when(sd, &t)) return o311_error(r, 400, "start_date is not a w3c datetime");
            f.from = t;
        }
        if (ed && *ed) {
            if (!parse_when(ed, &t)) return o311_error(r, 400, "end_date is not a w3c datetime");
            f.to = t;
        }
        if (f.from && f.to && f.to < f.from)
            return o311_error(r, 400, "end_date is before start_date");
        /* the spec's default window: the most recent 90 days */
        if (!f.from && !f.to)
            f.from = clock_now() - O311_DEFAULT_DAYS * 86400;
        else if (!f.from && f.to)
            f.from = f.to - O311_DEFAULT_DAYS * 86400;
    }
    db_rows *o = store_open311_requests(r->db, r->a, &f);
    if (!o) return o311_error(r, 500, "database error");
    return requests_out(r, o);
}
ROUTE("GET", "/open311/v2/requests.json", requests_get, NULL, R_PUBLIC, NULL,
      "Open311 诉求列表（公开，无个人信息；JSON）");
ROUTE("GET", "/open311/v2/requests.xml", requests_get, NULL, R_PUBLIC, NULL,
      "Open311 诉求列表（公开，无个人信息；XML）");

static err_code request_one(req *r)
{
    if (!format_ok(r)) return o311_error(r, 404, "format must be .json or .xml");
    const char *id = param_bare(r, "id");
    char *end = NULL;
    long long n = id ? strtoll(id, &end, 10) : 0;
    if (n <= 0 || !end || *end) return o311_error(r, 404, "service_request_id not found");
    struct open311_filter f = {.limit = 1};
    f.ids = arena_printf(r->a, ",%lld,", n);
    db_rows *o = store_open311_requests(r->db, r->a, &f);
    if (!o) return o311_error(r, 500, "database error");
    if (o->nrows == 0) return o311_error(r, 404, "service_request_id not found");
    return requests_out(r, o);
}
ROUTE("GET", "/open311/v2/requests/{id}", request_one, NULL, R_PUBLIC, "order",
      "Open311 单个诉求（.json 或 .xml）");
ROUTE("GET", "/open311/v2/request/{id}", request_one, NULL, R_PUBLIC, "order",
      "Open311 单个诉求（规范的另一写法）");

/* Tokens: a request is filed at once, so its token (the order's code)
 * always resolves to its id. */
static err_code token(req *r)
{
    if (!format_ok(r)) return o311_error(r, 404, "format must be .json or .xml");
    const char *t = param_bare(r, "token");
    int64_t id = t ? store_open311_by_code(r->db, t) : 0;
    if (id <= 0) return o311_error(r, 404, "token not found");
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    w_begin(&w, "service_requests");
    w_item(&w, "request");
    w_str(&w, "service_request_id", arena_printf(r->a, "%lld", (long long)id));
    w_str(&w, "token", t);
    w_item_end(&w, "request");
    w_end(&w, "service_requests");
    return send(r, 200, &w);
}
ROUTE("GET", "/open311/v2/tokens/{token}", token, NULL, R_PUBLIC, "order",
      "Open311 凭据查询（.json 或 .xml）");

/* A POST parameter: the form body as the spec says, else the query string. */
static const char *arg(req *r, const char *name)
{
    const char *v = req_form(r, name);
    if (!v) v = req_query(r, name);
    return v && *v ? v : NULL;
}

static int status_of(err_code e)
{
    return e == E_FORBIDDEN ? 403 : e == E_NOT_FOUND ? 404 : e == E_BAD_INPUT ? 400 : 500;
}

static err_code requests_post(req *r)
{
    struct api_key_info key;
    if (!svc_api_key_check(r->db, r->a, arg(r, "api_key"), &key))
        return o311_error(r, 403, "api_key was not provided or is invalid");
    const char *code = arg(r, "service_code");
    if (!code) return o311_error(r, 400, "service_code was not provided");
    db_rows *s = store_open311_services(r->db, r->a, code);
    if (!s || s->nrows == 0) return o311_error(r, 400, "service_code not found");
    const char *lat = arg(r, "lat"), *lon = arg(r, "long");
    const char *addr = arg(r, "address_string"), *addr_id = arg(r, "address_id");
    if ((lat != NULL) != (lon != NULL))
        return o311_error(r, 400, "lat and long must be given together");
    if (!lat && !addr && !addr_id)
        return o311_error(r, 400,
                          "a location (lat & long, address_string or address_id) is required");
    for (const char *c = lat; c; c = c == lat ? lon : NULL) {
        char *end = NULL;
        strtod(c, &end);
        if (!end || *end) return o311_error(r, 400, "lat and long must be numbers");
    }
    /* the place: address_id (a place code) inside the key's place, else the key's place */
    const char *place = key.place;
    if (addr_id) {
        if (!store_place_level(r->db, r->a, addr_id))
            return o311_error(r, 400, "address_id is not a known place code");
        if (strncmp(addr_id, key.place, strlen(key.place)) != 0)
            return o311_error(r, 403, "address_id lies outside the place of this api_key");
        place = addr_id;
    }
    const char *desc = arg(r, "description");
    struct order_intake in = {
        .channel = "open311",
        .category_code = code,
        .place_code = place,
        .contact_phone = arg(r, "phone"),
        .title = db_get(s, 0, OS_NAME),
        .description = desc ? desc : db_get(s, 0, OS_NAME),
        .lat = lat,
        .lon = lon,
    };
    /* the key acts as the command line would, under its own name in the
     * history and the audit log; its place was checked above */
    struct principal as_key = {.account_id = 0,
                               .username = arena_printf(r->a, "open311:%s", key.name)};
    if (db_begin(r->db) < 0) return o311_error(r, 503, "database unavailable");
    struct svc_result res = svc_order_create(r->db, r->a, &as_key, &in);
    if (res.err) {
        while (db_in_tx(r->db)) db_rollback(r->db);
        return o311_error(r, status_of(res.err), res.message ? res.message : "invalid request");
    }
    if (store_open311_request_insert(r->db, res.id, key.id, addr, addr_id) != 1 ||
        store_api_key_touch(r->db, key.id, clock_now()) != 1 || db_commit(r->db) < 0) {
        while (db_in_tx(r->db)) db_rollback(r->db);
        return o311_error(r, 500, "database error");
    }
    const char *ids = arena_printf(r->a, "%lld", (long long)res.id);
    struct open311_filter f = {.limit = 1, .ids = arena_printf(r->a, ",%s,", ids)};
    db_rows *o = store_open311_requests(r->db, r->a, &f);
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    w_begin(&w, "service_requests");
    w_item(&w, "request");
    w_str(&w, "service_request_id", ids);
    w_str(&w, "token", o && o->nrows ? db_get(o, 0, OR_CODE) : NULL);
    w_str(&w, "service_notice", "已受理登记，将按事项时限办理");
    w_str(&w, "account_id", NULL);
    w_item_end(&w, "request");
    w_end(&w, "service_requests");
    return send(r, 200, &w);
}
ROUTE("POST", "/open311/v2/requests.json", requests_post, NULL, R_PUBLIC | R_NO_CSRF, NULL,
      "Open311 提交诉求（api_key，表单编码；JSON）");
ROUTE("POST", "/open311/v2/requests.xml", requests_post, NULL, R_PUBLIC | R_NO_CSRF, NULL,
      "Open311 提交诉求（api_key，表单编码；XML）");
