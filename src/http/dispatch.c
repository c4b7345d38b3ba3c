#include "http/dispatch.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/idempotency.h"
#include "http/peers.h"
#include "http/response_cache.h"
#include "service/svc_api_keys.h"
#include "util/embed.h"
#include "util/text.h"

static bool is_unsafe(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static const char *mime_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".svg")) return "image/svg+xml";
    if (!strcmp(dot, ".png")) return "image/png";
    if (!strcmp(dot, ".csv")) return "text/csv; charset=utf-8";
    if (!strcmp(dot, ".ico")) return "image/x-icon";
    return "application/octet-stream";
}

/* /static/NAME serves web/static/NAME from the binary (no CDN: county networks
 * are often closed). */
static bool serve_static(req *r)
{
    if (strncmp(r->path, "/static/", 8) != 0 || strstr(r->path, "..")) return false;
    char name[256];
    snprintf(name, sizeof name, "web/static/%s", r->path + 8);
    const struct embedded_file *f = embed_find(name);
    if (!f) return false;
    http_header(r, "Cache-Control", "public, max-age=3600");
    http_bytes(r, 200, mime_of(name), (const char *)f->data, f->len);
    return true;
}

/* Query parameters are text like form fields: UTF-8 without NUL bytes (a %00
 * would cut a value short where C reads it). */
struct query_check {
    req *r;
    bool bad;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct query_check *q = cls;
    if (!text_utf8_valid(key, key_size) || (value && !text_utf8_valid(value, value_size))) {
        q->bad = true;
        http_fail(q->r, E_BAD_INPUT,
                  text_utf8_valid(key, key_size) ? arena_strdup(q->r->a, key) : NULL,
                  "查询参数含有无效字符（应为 UTF-8 文本，不能含 NUL）");
        return MHD_NO;
    }
    return MHD_YES;
}

static bool query_invalid(req *r)
{
    struct query_check q = {r, false};
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &q);
    return q.bad;
}

static void run(req *r, const struct http_exchange *ex)
{
    if (ex->body_err != E_OK || query_invalid(r)) {
        if (ex->body_err != E_OK)
            http_fail(r, ex->body_err, ex->body_err_field, ex->body_err_message);
        if (ex->body_err == E_UNAVAILABLE) http_header(r, "Retry-After", "5");
        http_respond_error(r, ex->body_err != E_OK ? ex->body_err : E_BAD_INPUT);
        return;
    }
    if (strcmp(r->method, "GET") == 0 && serve_static(r)) return;

    const struct route *rt = NULL;
    err_code e = router_match(r, &rt);
    if (e != E_OK) {
        http_respond_error(r, e);
        return;
    }
    r->route = rt;
    if (rt->flags & R_API) r->is_api = true;
    r->db = db_thread();
    if (!r->db) {
        http_respond_error(r, E_UNAVAILABLE);
        return;
    }
    db_read_begin(r->db); /* ended in dispatch(), or by the handler's first write */
    e = session_authenticate(r);
    if (e == E_OK && !(rt->flags & R_PUBLIC)) {
        if (!r->me)
            e = E_UNAUTHORIZED;
        else if (rt->cap && !principal_has_cap(r->me, rt->cap))
            e = E_NOT_FOUND;
    }
    /* after the login check (a stranger is sent to log in, as for any id),
     * before CSRF and the handler: a malformed id names nothing */
    if (e == E_OK) e = router_parse_params(r);
    if (e == E_OK && is_unsafe(r->method) && !(rt->flags & R_NO_CSRF)) e = session_check_csrf(r);
    if (e == E_OK && r->content_type && strncmp(r->content_type, "application/json", 16) == 0 &&
        r->body_len > 0) {
        json_error_t je;
        r->json = json_loadb(r->body, r->body_len, 0, &je);
        if (!r->json) {
            e = http_fail(r, E_BAD_INPUT, NULL, "请求内容不是有效的 JSON");
        }
    }
    if (e == E_OK && response_cache_serve(r)) return;
    struct idem_slot once = {0}; /* a form or API request sent twice acts once */
    if (e == E_OK && idem_begin(r, ex->url, &once)) return;
    if (e == E_OK) e = rt->fn(r);
    idem_end(r, &once, e);
    if (e == E_OK) response_cache_keep(r);
    if (e != E_OK) {
        /* a handler that failed mid-transaction leaves nothing behind */
        while (r->db && db_in_tx(r->db)) db_rollback(r->db);
        if (e == E_UNAUTHORIZED && (rt->flags & R_PAGE) && strcmp(r->method, "GET") == 0) {
            buf loc = {0};
            buf_puts(&loc, "/login?next=");
            buf_url(&loc, r->path);
            buf_reset(&r->out);
            http_redirect(r, arena_strdup(r->a, buf_cstr(&loc)));
            buf_free(&loc);
            return;
        }
        buf_reset(&r->out);
        http_respond_error(r, e);
    }
}

/* Every X-Forwarded-For header joined in order (as one list), and the last
 * X-Forwarded-Proto. */
struct forwarded {
    arena *a;
    const char *xff, *proto;
};

static enum MHD_Result forwarded_of(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    struct forwarded *fw = cls;
    if (!value) return MHD_YES;
    if (!strcasecmp(key, "X-Forwarded-For"))
        fw->xff = fw->xff ? arena_printf(fw->a, "%s, %s", fw->xff, value) : value;
    else if (!strcasecmp(key, "X-Forwarded-Proto"))
        fw->proto = value;
    return MHD_YES;
}

struct body_allowance dispatch_body_allowance(void *conn, const char *url, const char *method,
                                              arena *a)
{
    struct body_allowance al = {BODY_LIMIT_PUBLIC, "未登录或无权访问时，提交的内容不能超过 32 KB",
                                false};
    req r = {0};
    r.a = a;
    r.conn = conn;
    r.method = method;
    const char *q = strchr(url, '?');
    r.path = q ? arena_strndup(a, url, (size_t)(q - url)) : url;
    const struct route *rt = NULL;
    if (router_match(&r, &rt) != E_OK) return al;
    r.route = rt;
    r.db = db_thread();
    if (!r.db) return al;
    db_read_begin(r.db);
    bool ok =
        session_authenticate(&r) == E_OK && r.me && (!rt->cap || principal_has_cap(r.me, rt->cap));
    if (!ok && (rt->flags & R_PUBLIC) && !strncmp(r.path, "/open311/", 9)) {
        struct api_key_info key;
        const char *k = req_query(&r, "api_key");
        ok = k && *k && svc_api_key_check(r.db, a, k, &key);
        if (!ok) {
            al.key_in_form = true;
            al.why = "请把 api_key 放在表单的最前面（或查询参数中）：未验证 api_key "
                     "时提交的内容不能超过 32 KB";
        }
    }
    db_read_end(r.db);
    if (ok) al = (struct body_allowance){BODY_LIMIT, NULL, false};
    return al;
}

bool dispatch_api_key_valid(arena *a, const char *key)
{
    db *d = db_thread();
    if (!d || !key || !*key) return false;
    struct api_key_info info;
    db_read_begin(d);
    bool ok = svc_api_key_check(d, a, key, &info);
    db_read_end(d);
    return ok;
}

void dispatch(const struct http_exchange *ex, struct http_reply *rep)
{
    req r = {0};
    r.a = ex->arena;
    r.conn = ex->conn;
    r.method = ex->method;
    const char *q = strchr(ex->url, '?');
    r.path = q ? arena_strndup(r.a, ex->url, (size_t)(q - ex->url)) : ex->url;
    r.body = ex->body;
    r.body_len = ex->body_len;
    r.form = ex->form;
    r.content_type = req_header(&r, "Content-Type");
    r.is_api = strncmp(r.path, "/api/", 5) == 0 || strncmp(r.path, "/open311/", 9) == 0;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(ex->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *peer = ci ? ci->client_addr : NULL;
    /* X-Forwarded-* only from a trusted proxy (linli serve --trusted-proxy) */
    struct forwarded fw = {r.a, NULL, NULL};
    if (peers_trusted(peer))
        MHD_get_connection_values(ex->conn, MHD_HEADER_KIND, forwarded_of, &fw);
    r.secure = ex->secure_cookies || peers_forwarded_https(peer, fw.proto);
    r.client_ip = peers_client_ip(r.a, peer, fw.xff);

    run(&r, ex);
    if (r.db) db_read_end(r.db);
    if (r.json) json_decref(r.json);

    rep->status = r.status ? r.status : 200;
    rep->len = r.out.len;
    rep->data = r.out.data; /* ownership passes to the server */
    int n = 0;
    rep->hnames[n] = "Content-Type";
    rep->hvalues[n++] = r.content_type_out ? r.content_type_out : "text/plain; charset=utf-8";
    rep->hnames[n] = "X-Content-Type-Options";
    rep->hvalues[n++] = "nosniff";
    rep->hnames[n] = "Referrer-Policy";
    rep->hvalues[n++] = "same-origin";
    if (!r.is_api) {
        rep->hnames[n] = "X-Frame-Options";
        rep->hvalues[n++] = "DENY";
        rep->hnames[n] = "Content-Security-Policy";
        rep->hvalues[n++] = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                            "script-src 'self'; form-action 'self'; frame-ancestors 'none'";
    }
    for (int i = 0; i < r.nheaders; i++) {
        rep->hnames[n] = r.hnames[i];
        rep->hvalues[n++] = r.hvalues[i];
    }
    rep->nheaders = n;
}
