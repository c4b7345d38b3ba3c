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
 * staff have not hidden, without personal data (see request_out and
 * store/store_open311.h). Parameters are parsed in open311_params.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/open311_params.h"
#include "core/geo.h"
#include "core/order_fsm.h"
#include "core/redact.h"
#include "http/http.h"
#include "service/svc_api_keys.h"
#include "service/svc_categories.h"
#include "service/svc_order_public.h"
#include "service/svc_orders.h"
#include "store/store_open311.h"
#include "store/store_places.h"
#include "util/clock.h"

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

static void w_time(struct o311w *w, const char *name, int64_t t)
{
    char ts[32];
    clock_format_rfc3339((time_t)t, ts);
    w_str(w, name, ts);
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

static void service_out(struct o311w *w, const struct open311_service_row *s)
{
    w_item(w, "service");
    w_str(w, "service_code", s->code);
    w_str(w, "service_name", s->name);
    w_str(w, "description", s->description);
    w_lit(w, "metadata", "false");
    w_str(w, "type", "realtime");
    w_str(w, "keywords", NULL);
    w_str(w, "group", s->group);
    w_item_end(w, "service");
}

static err_code services(req *r)
{
    struct open311_service_row *s;
    int n = store_open311_services(r->db, r->a, NULL, &s);
    if (n < 0) return o311_error(r, 500, "database error");
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    w_begin(&w, "services");
    for (int i = 0; i < n; i++) service_out(&w, &s[i]);
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
    struct open311_service_row *s;
    if (store_open311_services(r->db, r->a, code, &s) <= 0)
        return o311_error(r, 404, "service_code not found");
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    if (w.xml) {
        buf_puts(w.b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_definition>"
                      "<service_code>");
        buf_html(w.b, s->code);
        buf_puts(w.b, "</service_code><attributes/></service_definition>\n");
    } else {
        buf_puts(w.b, "{\"service_code\":");
        buf_json_str(w.b, s->code);
        buf_puts(w.b, ",\"attributes\":[]}\n");
    }
    return send(r, 200, &w);
}
ROUTE("GET", "/open311/v2/services/{code}", service_definition, NULL, R_PUBLIC, "category",
      "Open311 服务定义（.json 或 .xml）");

/* Free text for the public feed: contact numbers removed (core/redact.h). */
static const char *public_text(arena *a, const char *v)
{
    if (!v) return NULL;
    char *out = arena_alloc(a, strlen(v) + 1);
    redact_numbers(v, out, strlen(v) + 1);
    return out;
}

/* A stored coordinate for the public feed: rounded to about 100 m
 * (core/geo.h), or null when it is not a coordinate inside China (rows from
 * before the check may hold anything strtod took). */
static const char *public_coord(arena *a, const char *v, enum geo_axis axis)
{
    if (!v) return NULL;
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end ||
        !(axis == GEO_LAT ? x >= GEO_LAT_MIN && x <= GEO_LAT_MAX
                          : x >= GEO_LON_MIN && x <= GEO_LON_MAX))
        return NULL;
    char *out = arena_alloc(a, 24);
    geo_public(x, out, 24);
    return out;
}

/* One request as the public may see it: the place no finer than the compound
 * (store_open311.h), the compound's name as the address (an address_string
 * may name a door), rounded coordinates, no contact numbers in the texts. */
static void request_out(struct o311w *w, arena *a, const struct open311_request_row *o)
{
    enum order_state st;
    const char *status = order_state_parse(o->state, &st) ? order_state_open311(st) : "closed";
    w_item(w, "request");
    w_str(w, "service_request_id", arena_printf(a, "%lld", (long long)o->id));
    w_str(w, "status", status);
    w_str(w, "status_notes", public_text(a, o->note));
    w_str(w, "service_name", o->service_name);
    w_str(w, "service_code", o->service_code);
    w_str(w, "description", public_text(a, o->description));
    w_str(w, "agency_responsible", o->agency);
    w_str(w, "service_notice", NULL);
    w_time(w, "requested_datetime", o->created_at);
    w_time(w, "updated_datetime", o->updated_at);
    w_str(w, "expected_datetime", NULL);
    w_str(w, "address", o->place_name);
    w_str(w, "address_id", o->place);
    w_str(w, "zipcode", NULL);
    w_lit(w, "lat", public_coord(a, o->lat, GEO_LAT));
    w_lit(w, "long", public_coord(a, o->lon, GEO_LON));
    w_str(w, "media_url", NULL);
    w_item_end(w, "request");
}

static err_code requests_out(req *r, const struct open311_request_row *o, int n)
{
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    w_begin(&w, "service_requests");
    for (int i = 0; i < n; i++) request_out(&w, r->a, &o[i]);
    w_end(&w, "service_requests");
    return send(r, 200, &w);
}

static const char *query_get(void *r, const char *name)
{
    return req_query(r, name);
}

static err_code requests_get(req *r)
{
    struct open311_filter f;
    const char *why = NULL;
    int status = open311_filter_parse(r->a, query_get, r, clock_now(), &f, &why);
    if (status) return o311_error(r, status, why);
    struct open311_request_row *o;
    int n = store_open311_requests(r->db, r->a, &f, &o);
    if (n < 0) return o311_error(r, 500, "database error");
    return requests_out(r, o, n);
}
ROUTE("GET", "/open311/v2/requests.json", requests_get, NULL, R_PUBLIC, NULL,
      "Open311 诉求列表（公开，无个人信息；JSON）");
ROUTE("GET", "/open311/v2/requests.xml", requests_get, NULL, R_PUBLIC, NULL,
      "Open311 诉求列表（公开，无个人信息；XML）");

/* {request} is the id with its format ("15.json"), so it is text to the
 * router: the spec's own 404s answer here. */
static err_code request_one(req *r)
{
    if (!format_ok(r)) return o311_error(r, 404, "format must be .json or .xml");
    long long n = open311_id_parse(param_bare(r, "request"));
    if (n <= 0) return o311_error(r, 404, "service_request_id not found");
    struct open311_filter f = {.limit = 1};
    f.ids = arena_printf(r->a, ",%lld,", n);
    struct open311_request_row *o;
    int found = store_open311_requests(r->db, r->a, &f, &o);
    if (found < 0) return o311_error(r, 500, "database error");
    if (found == 0) return o311_error(r, 404, "service_request_id not found");
    return requests_out(r, o, found);
}
ROUTE("GET", "/open311/v2/requests/{request}", request_one, NULL, R_PUBLIC, "order",
      "Open311 单个诉求（.json 或 .xml）");
ROUTE("GET", "/open311/v2/request/{request}", request_one, NULL, R_PUBLIC, "order",
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
static const char *arg(void *rv, const char *name)
{
    req *r = rv;
    const char *v = req_form(r, name);
    return v ? v : req_query(r, name);
}

static int status_of(err_code e)
{
    return e == E_FORBIDDEN ? 403 : e == E_NOT_FOUND ? 404 : e == E_BAD_INPUT ? 400 : 500;
}

static err_code requests_post(req *r)
{
    struct open311_post p;
    const char *why = NULL;
    int bad = open311_post_parse(r->a, arg, r, &p, &why);
    struct api_key_info key;
    /* the key first, as before: no one learns anything without one */
    if (bad == 403 || !svc_api_key_check(r->db, r->a, p.api_key, &key))
        return o311_error(r, 403, "api_key was not provided or is invalid");
    if (!p.service_code) return o311_error(r, 400, "service_code was not provided");
    struct open311_service_row *s;
    if (store_open311_services(r->db, r->a, p.service_code, &s) <= 0)
        return o311_error(r, 400, "service_code not found");
    if (bad) return o311_error(r, bad, why);
    const char *code = p.service_code, *addr = p.address_string, *addr_id = p.address_id;
    /* the place: address_id (a place code) inside the key's place, else the key's place */
    const char *place = key.place;
    if (addr_id) {
        if (!store_place_level(r->db, r->a, addr_id))
            return o311_error(r, 400, "address_id is not a known place code");
        if (strncmp(addr_id, key.place, strlen(key.place)) != 0)
            return o311_error(r, 403, "address_id lies outside the place of this api_key");
        place = addr_id;
    }
    struct order_intake in = {
        .channel = "open311",
        .category_code = code,
        .place_code = place,
        .contact_phone = p.phone,
        .title = s->name,
        .description = p.description ? p.description : s->name,
        .lat = p.lat,
        .lon = p.lon,
    };
    /* the key acts as the command line would, under its own name in the
     * history and the audit log; its place was checked above */
    struct principal as_key = {.account_id = 0,
                               .username = arena_printf(r->a, "open311:%s", key.name)};
    struct svc_result res =
        svc_order_open311_file(r->db, r->a, &as_key, key.id, &in, addr, addr_id);
    if (res.err == E_UNAVAILABLE) return o311_error(r, 503, "database unavailable");
    if (res.err == E_INTERNAL) return o311_error(r, 500, "database error");
    if (res.err)
        return o311_error(r, status_of(res.err), res.message ? res.message : "invalid request");
    const char *ids = arena_printf(r->a, "%lld", (long long)res.id);
    struct open311_filter f = {.limit = 1, .ids = arena_printf(r->a, ",%s,", ids)};
    struct open311_request_row *o;
    int found = store_open311_requests(r->db, r->a, &f, &o);
    struct o311w w = {&r->out, want_xml(r), 0, 0};
    w_begin(&w, "service_requests");
    w_item(&w, "request");
    w_str(&w, "service_request_id", ids);
    w_str(&w, "token", found > 0 ? o->code : NULL);
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
