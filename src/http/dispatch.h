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
    bool too_large;
    struct form_field *form;
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

#endif
