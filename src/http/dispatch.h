/* From one HTTP exchange to one reply: route, authenticate, check capability
 * and CSRF, run the handler, render errors. Independent of libmicrohttpd's
 * types except the connection pointer used for header and argument lookups. */
#ifndef LINLI_DISPATCH_H
#define LINLI_DISPATCH_H
#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

struct http_exchange {
    void *conn;
    const char *url, *method;
    const char *body;
    size_t body_len;
    struct form_field *form;
    /* the body could not be read (too large, over the budget, malformed):
     * answered with this error before anything else */
    err_code body_err;
    const char *body_err_field, *body_err_message;
    arena *arena;
    bool secure_cookies;
};

struct http_reply {
    int status;
    char *data; /* malloc'd; the server frees it */
    size_t len;
    const char *hnames[MAX_HEADERS + 8], *hvalues[MAX_HEADERS + 8];
    int nheaders;
};

void dispatch(const struct http_exchange *ex, struct http_reply *rep);

/* Bodies: a caller not yet known gets BODY_LIMIT_PUBLIC (a login form is a few
 * hundred bytes), one allowed on the route (a session or bearer token with the
 * route's capability, or a valid Open311 api_key) BODY_LIMIT. */
enum { BODY_LIMIT = 16 * 1024 * 1024, BODY_LIMIT_PUBLIC = 32 * 1024 };
struct body_allowance {
    size_t limit;
    const char *why;  /* Chinese, for the 413 when limit is the small one */
    bool key_in_form; /* an Open311 POST: an api_key field read first raises limit */
};
/* Decided when the headers are complete, before any of the body is read: the
 * route and the credentials, checked on this thread's database connection. */
struct body_allowance dispatch_body_allowance(void *conn, const char *url, const char *method,
                                              arena *a);
/* An Open311 api_key sent in the form: true when it is valid (not revoked). */
bool dispatch_api_key_valid(arena *a, const char *key);

#endif
