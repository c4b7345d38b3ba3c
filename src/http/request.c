/* Request accessors and response writers. */
#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

const char *req_param(req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->pnames[i], name) == 0) return r->pvalues[i];
    return NULL;
}

int64_t req_id(req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->pnames[i], name) == 0) return r->pids[i];
    return 0;
}

const char *req_query(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *req_form(req *r, const char *name)
{
    for (const struct form_field *f = r->form; f; f = f->next)
        if (strcmp(f->name, name) == 0) return f->value;
    return NULL;
}

const struct form_field *req_file(req *r, const char *name)
{
    for (const struct form_field *f = r->form; f; f = f->next)
        if (strcmp(f->name, name) == 0 && f->filename) return f;
    return NULL;
}

const char **req_form_list(req *r, const char *name, const char *extra, int *n)
{
    int cap = 0;
    for (const struct form_field *f = r->form; f; f = f->next)
        if (!strcmp(f->name, name)) cap++;
    const char *ex = extra ? req_form(r, extra) : NULL;
    if (ex) cap += (int)strlen(ex) / 2 + 1;
    const char **out = arena_alloc(r->a, sizeof *out * (size_t)(cap + 1));
    *n = 0;
    for (const struct form_field *f = r->form; f; f = f->next)
        if (!strcmp(f->name, name) && f->value && *f->value) out[(*n)++] = f->value;
    if (ex) {
        char *s = arena_strdup(r->a, ex);
        /* full-width separators become spaces first */
        for (char *p; (p = strstr(s, "\xe3\x80\x81")) || (p = strstr(s, "\xef\xbc\x8c"));)
            memset(p, ' ', 3);
        char *save = NULL; /* strtok_r: worker threads parse forms concurrently */
        for (char *tok = strtok_r(s, " ,;\t\r\n", &save); tok;
             tok = strtok_r(NULL, " ,;\t\r\n", &save))
            if (*n < cap) out[(*n)++] = tok;
    }
    return out;
}

const char *req_input(req *r, const char *name)
{
    if (r->json) {
        json_t *v = json_object_get(r->json, name);
        if (json_is_string(v)) return json_string_value(v);
        if (json_is_integer(v)) return arena_printf(r->a, "%lld", (long long)json_integer_value(v));
        if (json_is_true(v)) return "1";
        if (json_is_false(v)) return "0";
        return NULL;
    }
    return req_form(r, name);
}

err_code req_int(req *r, const char *where, const char *name, int64_t lo, int64_t hi, int64_t dflt,
                 int64_t *out)
{
    const char *s = strcmp(where, "path") == 0    ? req_param(r, name)
                    : strcmp(where, "query") == 0 ? req_query(r, name)
                                                  : req_input(r, name);
    if (!s || !*s) {
        *out = dflt;
        return E_OK;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        /* an id that cannot exist is simply not found */
        if (strcmp(where, "path") == 0) return E_NOT_FOUND;
        return http_fail(r, E_BAD_INPUT, name,
                         arena_printf(r->a, "参数 %s 应为 %lld 到 %lld 之间的整数", name,
                                      (long long)lo, (long long)hi));
    }
    *out = v;
    return E_OK;
}

err_code req_page(req *r, int64_t *limit, int64_t *cursor)
{
    err_code e = req_int(r, "query", "limit", 1, 500, 50, limit);
    return e ? e : req_int(r, "query", "cursor", 0, INT64_MAX, 0, cursor);
}

void http_header(req *r, const char *name, const char *value)
{
    if (r->nheaders >= MAX_HEADERS) return;
    r->hnames[r->nheaders] = name;
    r->hvalues[r->nheaders] = value;
    r->nheaders++;
}

err_code http_json(req *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(body);
    if (!s) return E_INTERNAL;
    buf_reset(&r->out);
    buf_puts(&r->out, s);
    free(s);
    return http_json_written(r, status);
}

err_code http_json_written(req *r, int status)
{
    r->status = status;
    r->content_type_out = "application/json; charset=utf-8";
    http_header(r, "Cache-Control", "no-store");
    return E_OK;
}

err_code http_html(req *r, int status)
{
    r->status = status;
    r->content_type_out = "text/html; charset=utf-8";
    http_header(r, "Cache-Control", "no-store");
    return E_OK;
}

err_code http_redirect(req *r, const char *location)
{
    r->status = 303;
    http_header(r, "Location", location);
    r->content_type_out = "text/plain; charset=utf-8";
    return E_OK;
}

err_code http_bytes(req *r, int status, const char *content_type, const char *data, size_t len)
{
    buf_reset(&r->out);
    buf_raw(&r->out, data, len);
    r->status = status;
    r->content_type_out = content_type;
    return E_OK;
}

err_code http_fail(req *r, err_code e, const char *field, const char *message_zh)
{
    r->err_field = field;
    r->err_message = message_zh;
    return e;
}

static http_error_page_fn error_page;

void http_set_error_page(http_error_page_fn fn)
{
    error_page = fn;
}

void http_respond_error(req *r, err_code e)
{
    const char *msg = r->err_message ? r->err_message : err_message_zh(e);
    bool retry_set = false; /* a handler may know better (the login's delay) */
    for (int i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->hnames[i], "Retry-After") == 0) retry_set = true;
    if (e == E_RATE_LIMITED && !retry_set) http_header(r, "Retry-After", "60");
    if (r->is_api) {
        json_t *err = json_pack("{s:s, s:s, s:s?}", "code", err_api_code(e), "message", msg,
                                "field", r->err_field);
        http_json(r, err_http_status(e), json_pack("{s:o}", "error", err));
        return;
    }
    buf_reset(&r->out);
    if (error_page) {
        error_page(r, err_http_status(e), msg);
        return;
    }
    buf_puts(&r->out, "<!DOCTYPE html>\n<meta charset=\"utf-8\">\n<p>");
    buf_html(&r->out, msg);
    buf_puts(&r->out, "</p>\n");
    http_html(r, err_http_status(e));
}
