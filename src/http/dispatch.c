#include "http/dispatch.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "http/idempotency.h"
#include "http/response_cache.h"
#include "util/embed.h"

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

static void run(req *r, const struct http_exchange *ex)
{
    if (ex->too_large) {
        http_respond_error(r, E_TOO_LARGE);
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
    const char *proto = req_header(&r, "X-Forwarded-Proto");
    r.secure = ex->secure_cookies || (proto && strcmp(proto, "https") == 0);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(ex->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[64] = "?";
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
    r.client_ip = arena_strdup(r.a, ip);

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
