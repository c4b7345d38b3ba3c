/* The HTTP layer: a request context with its arena, the declarative route
 * table, and the one error path. Handlers are thin adapters between a request
 * and the store/domain; they return E_OK after writing a response, or an error
 * code that http_respond_error() renders as a Chinese page or as the API's
 * {"error":{"code","message","field"}}.
 *
 * Routes register themselves: ROUTE(...) places a struct in the linker section
 * "linli_routes", so adding a page never edits a central switch (the idea of
 * Fossil's WEBPAGE: comments, without a code generator). */
#ifndef LINLI_HTTP_H
#define LINLI_HTTP_H
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/error.h"
#include "core/principal.h"
#include "store/db.h"
#include "store/store_changes.h"
#include "util/arena.h"
#include "util/buf.h"

#define MAX_PATH_PARAMS 4
#define MAX_HEADERS     8

typedef struct req {
    arena *a;
    db *db;                    /* this worker thread's connection */
    const char *method, *path; /* path without the query string */
    const char *client_ip;
    void *conn; /* struct MHD_Connection * */
    const char *pnames[MAX_PATH_PARAMS], *pvalues[MAX_PATH_PARAMS];
    int64_t pids[MAX_PATH_PARAMS]; /* integer params, parsed by router_parse_params() */
    int nparams;
    const char *body; /* NUL-terminated, may contain NULs; "" for forms (see form) */
    size_t body_len;
    const char *content_type;
    json_t *json;                   /* parsed body for application/json (owned by the request) */
    struct form_field *form;        /* parsed urlencoded/multipart body */
    bool is_api;                    /* /api/… and /open311/…: JSON errors */
    bool secure;                    /* behind TLS (--secure-cookies, or a trusted proxy's https) */
    struct principal *me;           /* NULL when not logged in */
    struct change_counters changes; /* read before any data (see response_cache.h) */
    bool have_changes;              /* false: they could not be read; no cache is used */
    const char *cache_key;          /* the answer's key in http/response_cache.c, or NULL */
    const struct route *route;
    /* response */
    int status;
    buf out;
    const char *content_type_out;
    const char *hnames[MAX_HEADERS], *hvalues[MAX_HEADERS];
    int nheaders;
    const char *err_field;   /* optional: which field was wrong */
    const char *err_message; /* optional: a more precise Chinese message */
} req;

struct form_field {
    struct form_field *next;
    const char *name, *value, *filename, *content_type;
    size_t len;
    size_t cap; /* bytes malloc'd for value by http/body.c (0: none); freed after the answer */
};

typedef err_code (*route_fn)(req *r);

enum {
    R_API = 1,     /* JSON errors; bearer tokens accepted */
    R_PAGE = 2,    /* HTML errors; redirects to login */
    R_PUBLIC = 4,  /* no login needed */
    R_NO_CSRF = 8, /* unsafe method without CSRF (login itself) */
    R_CACHED = 16, /* GET answer kept by http/response_cache.c: read its promise first */
};

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/residents/{id}" */
    route_fn fn;
    const char *cap; /* capability needed somewhere in the grants; NULL: logged in */
    unsigned flags;
    const char *id_entity; /* what {id} names (person, place, …), for the scope test */
    const char *summary;   /* one line, Chinese, for the route list and OpenAPI check */
};

#define ROUTE_CAT2(a, b) a##b
#define ROUTE_CAT(a, b)  ROUTE_CAT2(a, b)
#define ROUTE(method, pattern, fn, cap, flags, id_entity, summary)                                 \
    static const struct route ROUTE_CAT(route_, __LINE__)                                          \
        __attribute__((used, section("linli_routes"), aligned(sizeof(void *)))) = {                \
            method, pattern, fn, cap, flags, id_entity, summary}

/* The route table (all ROUTE()s linked into the binary). */
const struct route *routes_begin(void);
const struct route *routes_end(void);
/* Finds the route; fills path params. E_NOT_FOUND or E_METHOD on failure. */
err_code router_match(req *r, const struct route **out);

/* Path parameter types, declared by name (router.c holds the one table; a
 * pattern naming a parameter not in it aborts at start-up):
 *   {id}, {n}        PARAM_ID: 1..INT64_MAX in canonical decimal ("7", not
 *                    "07", "+7", "7.0" or "1e3")
 *   {code}, {token}, PARAM_TEXT: any non-empty segment; the handler checks it
 *   {request}        (place, category and wall codes, tokens, and Open311's
 *                    "15.json" have different forms, each validated where it
 *                    is looked up). */
enum param_type { PARAM_TEXT, PARAM_ID };
/* The type of a parameter name; -1 if undeclared. */
int router_param_type(const char *name);
/* Parses every typed parameter of the matched route into r->pids; E_NOT_FOUND
 * (an id that cannot exist names nothing) when one is malformed. dispatch()
 * calls it after the login and capability checks, before CSRF and the handler. */
err_code router_parse_params(req *r);

/* Request accessors. */
const char *req_param(req *r, const char *name); /* path param */
/* An integer path param ({id}, {n}) as the router parsed it: always 1..INT64_MAX
 * in a handler of a route that declares it (0 when the route has none). */
int64_t req_id(req *r, const char *name);
const char *req_query(req *r, const char *name); /* query string */
const char *req_form(req *r, const char *name);  /* form field (urlencoded or multipart) */
const struct form_field *req_file(req *r, const char *name);
/* Every value posted under name (checkboxes), plus the codes typed into the
 * field extra (may be NULL), split on spaces, commas, semicolons, 、 and ，. */
const char **req_form_list(req *r, const char *name, const char *extra, int *n);
const char *req_header(req *r, const char *name);
const char *req_cookie(req *r, const char *name);
/* Reads a string field from the JSON body (API) or the form (pages). */
const char *req_input(req *r, const char *name);
/* Integer path/query parameter with bounds; sets err_field on failure. */
err_code req_int(req *r, const char *where, const char *name, int64_t lo, int64_t hi, int64_t dflt,
                 int64_t *out);
/* A list's window from the query: limit 1..500 (50), cursor ≥ 0 (0: the first
 * page; an id the list continues below). */
err_code req_page(req *r, int64_t *limit, int64_t *cursor);

/* Responses. */
void http_header(req *r, const char *name, const char *value);
err_code http_json(req *r, int status, json_t *body); /* steals body */
/* The JSON answer is already in r->out (written straight into it, or kept). */
err_code http_json_written(req *r, int status);
err_code http_html(req *r, int status);               /* r->out holds the page */
err_code http_redirect(req *r, const char *location); /* 303 See Other */
err_code http_bytes(req *r, int status, const char *content_type, const char *data, size_t len);
err_code http_fail(req *r, err_code e, const char *field, const char *message_zh);
/* Renders an error for the request (API JSON or Chinese page). */
void http_respond_error(req *r, err_code e);
/* The HTML error page a page request gets: http/ sits below pages/, so the
 * pages layer hands its renderer in at start-up (linli serve installs
 * page_error). Without one, a bare page with the message. */
typedef void (*http_error_page_fn)(req *r, int status, const char *message_zh);
void http_set_error_page(http_error_page_fn fn);

/* Server. */
struct server_options {
    const char *listen; /* "127.0.0.1:8080" */
    int threads;        /* worker threads, 0 = 2 × cores */
    bool secure_cookies;
    const char *const *trusted_proxies; /* CIDRs whose X-Forwarded-For/-Proto are believed */
    int ntrusted_proxies;
    unsigned conns_per_address; /* open connections per client address, 0 = no limit */
    size_t body_budget;         /* request body bytes held at once, 0 = no limit */
};
int server_run(const struct server_options *o); /* returns on SIGINT/SIGTERM */
/* Blocks SIGINT and SIGTERM in the calling thread and the threads it starts
 * afterwards; call before starting any thread (server_run waits for them). */
void server_block_stop_signals(void);

/* Session and identity (http/session.c). */
err_code session_authenticate(req *r); /* sets r->me if a valid cookie/bearer */
err_code session_check_csrf(req *r);
err_code session_login(req *r, const char *username, const char *password, char **token_out);
void session_logout(req *r);

#endif
