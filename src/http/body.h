/* Reading a request body: raw bytes, or form fields made by libmicrohttpd's
 * post processor (urlencoded and multipart). Every byte held is charged to one
 * process-wide budget, each request has its own limit (small until the caller
 * is known to be allowed more), and a field is only ever made with a name;
 * text fields must be UTF-8 without NUL bytes (file parts are bytes). Kept
 * apart from server.c so that tests/fuzz/fuzz_form.c drives the same code
 * through a real libmicrohttpd connection without a network or a database. */
#ifndef LINLI_BODY_H
#define LINLI_BODY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "http/http.h"
#include "util/arena.h"

struct MHD_Connection;
struct MHD_PostProcessor;

struct body_reader {
    arena *a;
    struct MHD_PostProcessor *pp;
    bool is_form; /* fields only; the raw body is not kept */
    char *raw;    /* malloc'd, NUL-terminated */
    size_t raw_len, raw_cap;
    struct form_field *form, *tail;
    int nfields;
    uint64_t expected; /* Content-Length, or UINT64_MAX when not given (chunked) */
    size_t received, limit;
    const char *limit_message; /* why limit is what it is (Chinese); NULL: the usual 413 */
    size_t charged;            /* bytes of the process-wide budget this request holds */
    /* Called when a form field is complete (the next one starts, or at the
     * end); may raise limit (an Open311 api_key read before the upload). */
    void (*on_field)(struct body_reader *b, const struct form_field *f);
    void *cls;
    /* the first problem; E_OK while all is well */
    err_code err;
    const char *err_field, *err_message;
};

/* Starts reading the body of connection c (its Content-Type decides raw or
 * form) with at most limit bytes. E_OK, or the error (also kept in b->err). */
err_code body_begin(struct body_reader *b, struct MHD_Connection *c, arena *a, size_t limit);
/* Takes the next bytes of the body. After an error it discards them. */
err_code body_feed(struct body_reader *b, const char *data, size_t n);
/* The body is complete: flushes the post processor, checks the text fields. */
err_code body_end(struct body_reader *b);
/* Frees what the reader holds and returns its bytes to the budget. The form
 * fields' values are freed too: call after the request is answered. */
void body_release(struct body_reader *b);

/* The process-wide budget of body bytes held at once (0: no budget). */
void body_budget_set(size_t bytes);
size_t body_budget_in_use(void);

#endif
