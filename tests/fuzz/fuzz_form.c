/* fuzz_form: the request body reader (src/http/body.c) behind a real
 * libmicrohttpd: a daemon without a listening socket is handed one end of a
 * socketpair per input (MHD_add_connection) and the target writes an HTTP
 * request into the other end, so MHD's own header parsing, chunked decoding
 * and post processor (urlencoded, multipart) feed body_begin/_feed/_end as in
 * the server, with the accessors handlers use run over the fields made.
 *
 * Input: one flags byte, the Content-Type up to the first '\n', the body.
 *   flags & 1: sent chunked (no Content-Length)
 *   flags & 2: the small limit (256 bytes) instead of 1 MiB
 *   flags & 4: an api_key field read first ("ok") raises the small limit
 * Beyond "no crash", it checks what body.c promises: every field has a name
 * that is UTF-8, a text field's value is UTF-8 without NUL and its length is
 * right, a request answered E_OK read no more than its limit, and when the
 * connection is gone every byte of the budget has been given back. */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/body.h"
#include "http/http.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { SMALL = 256, LARGE = 1024 * 1024 };

static void check(bool ok, const char *what)
{
    if (ok) return;
    fprintf(stderr, "fuzz_form: %s\n", what);
    abort();
}

struct state {
    arena *a;
    struct body_reader body;
};

static void api_key_field(struct body_reader *b, const struct form_field *f)
{
    if (!strcmp(f->name, "api_key") && !strcmp(f->value, "ok")) b->limit = LARGE;
}

/* What handlers do with a form: look fields up by name, files, lists. */
static void use_form(struct state *st)
{
    req r = {.a = st->a, .form = st->body.form};
    for (const struct form_field *f = st->body.form; f; f = f->next) {
        check(f->name != NULL, "a field without a name");
        check(text_utf8_valid(f->name, strlen(f->name)), "a name that is not UTF-8");
        check(f->value != NULL && f->value[f->len] == 0, "a value not NUL-terminated at len");
        bool file =
            f->filename || (f->content_type && strncasecmp(f->content_type, "text/plain", 10));
        if (!file) {
            check(strlen(f->value) == f->len, "a NUL inside a text field");
            check(text_utf8_valid(f->value, f->len), "a text field that is not UTF-8");
        }
        check(req_form(&r, f->name) != NULL, "req_form misses a field");
        req_file(&r, f->name);
        int n = 0;
        req_form_list(&r, f->name, "extra", &n);
        check(n >= 0, "req_form_list");
    }
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    (void)url;
    (void)method;
    (void)version;
    unsigned flags = *(const unsigned *)cls;
    struct state *st = *con_cls;
    err_code e;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st) return MHD_NO;
        st->a = arena_new();
        *con_cls = st;
        if (flags & 4) st->body.on_field = api_key_field;
        e = body_begin(&st->body, c, st->a, flags & 2 ? SMALL : LARGE);
        if (e == E_OK) return MHD_YES;
    } else if (*upload_data_size > 0) {
        body_feed(&st->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    } else {
        e = body_end(&st->body);
        if (e == E_OK) {
            check(st->body.received <= st->body.limit, "read past the limit");
            use_form(st);
        }
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok =
        MHD_queue_response(c, e == E_OK ? 200 : (unsigned)err_http_status(e), resp);
    MHD_destroy_response(resp);
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct state *st = *con_cls;
    if (!st) return;
    body_release(&st->body);
    arena_free(st->a);
    free(st);
    *con_cls = NULL;
}

static struct MHD_Daemon *daemon_;
static unsigned flags_;

static void start(void)
{
    if (daemon_) return;
    body_budget_set(64u * 1024 * 1024);
    daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, access_handler, &flags_,
                               MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                               MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)0, MHD_OPTION_END);
    check(daemon_ != NULL, "MHD_start_daemon");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256 * 1024) return 0;
    start();
    flags_ = data[0];
    const char *in = (const char *)data + 1, *end = (const char *)data + size;
    const char *nl = memchr(in, '\n', (size_t)(end - in));
    if (!nl) return 0;
    /* a header value cannot hold CR, LF or NUL */
    char ct[512];
    size_t ctn = 0;
    for (const char *p = in; p < nl && ctn < sizeof ct - 1; p++)
        if (*p != '\r' && *p != '\0') ct[ctn++] = *p;
    ct[ctn] = 0;
    const char *body = nl + 1;
    size_t blen = (size_t)(end - body);

    buf rq = {0};
    buf_printf(&rq, "POST /f HTTP/1.1\r\nHost: f\r\nConnection: close\r\nContent-Type: %s\r\n", ct);
    if (flags_ & 1) {
        buf_puts(&rq, "Transfer-Encoding: chunked\r\n\r\n");
        if (blen) {
            buf_printf(&rq, "%zx\r\n", blen);
            buf_raw(&rq, body, blen);
            buf_puts(&rq, "\r\n");
        }
        buf_puts(&rq, "0\r\n\r\n");
    } else {
        buf_printf(&rq, "Content-Length: %zu\r\n\r\n", blen);
        buf_raw(&rq, body, blen);
    }

    int sv[2];
    check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    check(MHD_add_connection(daemon_, sv[1], (struct sockaddr *)&peer, sizeof peer) == MHD_YES,
          "MHD_add_connection");
    size_t off = 0;
    char sink[4096];
    for (int i = 0;; i++) {
        check(i < 1000000, "the exchange never ends");
        if (off < rq.len) {
            ssize_t w = send(sv[0], rq.data + off, rq.len - off, MSG_NOSIGNAL);
            if (w > 0)
                off += (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                off = rq.len; /* the server closed: it answered early */
        }
        MHD_run(daemon_);
        ssize_t r = recv(sv[0], sink, sizeof sink, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) break;
    }
    close(sv[0]);
    MHD_run(daemon_);
    buf_free(&rq);
    check(body_budget_in_use() == 0, "budget not given back");
    return 0;
}
