/* libmicrohttpd glue: a thread pool, each worker with its own database
 * connection (db_thread()), keep-alive preserved by answering on the second
 * call of the access handler. Before any of a body is read, the caller's
 * allowance is decided (dispatch_body_allowance); the body is read by body.c
 * under that limit and the process-wide budget. Connections are limited per
 * address (peers.c). Everything else happens in dispatch.c. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/body.h"
#include "http/dispatch.h"
#include "http/http.h"
#include "http/peers.h"
#include "store/db.h"

struct conn_state {
    arena *a;
    struct body_reader body;
    bool answered;    /* a response was queued (before the body, when it was refused) */
    size_t discarded; /* bytes thrown away after an error */
};

static bool secure_cookies;

/* An Open311 POST whose api_key comes in the form: once that field is read
 * and the key is valid, the upload may be as large as anyone's. */
static void api_key_field(struct body_reader *b, const struct form_field *f)
{
    if (b->limit >= BODY_LIMIT || strcmp(f->name, "api_key") != 0) return;
    if (dispatch_api_key_valid(b->a, f->value)) {
        b->limit = BODY_LIMIT;
        b->limit_message = NULL;
    }
}

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct conn_state *cs = *con_cls;
    if (!cs) return;
    body_release(&cs->body);
    arena_free(cs->a);
    free(cs);
    *con_cls = NULL;
}

static enum MHD_Result answer(struct MHD_Connection *c, struct conn_state *cs, const char *url,
                              const char *method)
{
    struct http_exchange ex = {
        .conn = c,
        .url = url,
        .method = method,
        .body = cs->body.raw ? cs->body.raw : "",
        .body_len = cs->body.raw_len,
        .form = cs->body.form,
        .body_err = cs->body.err,
        .body_err_field = cs->body.err_field,
        .body_err_message = cs->body.err_message,
        .arena = cs->a,
        .secure_cookies = secure_cookies,
    };
    struct http_reply rep = {0};
    dispatch(&ex, &rep);

    struct MHD_Response *resp =
        MHD_create_response_from_buffer(rep.len, rep.data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(rep.data);
        return MHD_NO;
    }
    for (int i = 0; i < rep.nheaders; i++)
        MHD_add_response_header(resp, rep.hnames[i], rep.hvalues[i]);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rep.status, resp);
    MHD_destroy_response(resp);
    return ok;
}

enum { MIN_THREADS = 16 };

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    (void)cls;
    (void)version;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        /* the headers are complete, none of the body is read: decide now how
         * much of it this caller may send */
        cs = calloc(1, sizeof *cs);
        if (!cs) return MHD_NO;
        cs->a = arena_new();
        *con_cls = cs;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
        struct body_allowance al = {BODY_LIMIT_PUBLIC, NULL, false};
        /* only a body that may exceed the small limit costs the credential check */
        if (te || (cl && strtoull(cl, NULL, 10) > BODY_LIMIT_PUBLIC))
            al = dispatch_body_allowance(c, url, method, cs->a);
        cs->body.limit_message = al.why;
        if (al.key_in_form) cs->body.on_field = api_key_field;
        if (body_begin(&cs->body, c, cs->a, al.limit) != E_OK) {
            /* answered before the body is read; libmicrohttpd then closes */
            cs->answered = true;
            return answer(c, cs, url, method);
        }
        return MHD_YES; /* answer on a later call: keeps keep-alive working */
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (body_feed(&cs->body, upload_data, n) != E_OK) {
            /* too large, over the budget or malformed: libmicrohttpd 0.9 cannot
             * answer before the body is read, so the rest is thrown away and
             * the error answered at its end; but a body that goes on past the
             * limit (chunked, no Content-Length) only gets the connection closed */
            cs->discarded += n;
            if (cs->discarded > cs->body.limit) return MHD_NO;
        }
        return MHD_YES;
    }
    if (cs->answered) return MHD_YES;
    body_end(&cs->body);
    cs->answered = true;
    return answer(c, cs, url, method);
}

/* SIGINT and SIGTERM, blocked in every thread and taken by sigwait() in the
 * main thread: a handler with pause() loses the signal when it lands between
 * the flag test and pause(), or on another thread (under valgrind it did,
 * and the server never stopped). */
static sigset_t stop_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

void server_block_stop_signals(void)
{
    sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* Connections are counted per address from the moment libmicrohttpd has one
 * until it is closed; the address is kept with the connection because the
 * closing notice comes when the socket may be gone. */
static void connection_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        struct sockaddr_storage *ss = calloc(1, sizeof *ss);
        if (!ss || !ci || !ci->client_addr) {
            free(ss);
            return;
        }
        memcpy(ss, ci->client_addr,
               ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                      : sizeof(struct sockaddr_in));
        peers_conn_open((struct sockaddr *)ss);
        *socket_context = ss;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        peers_conn_close(*socket_context);
        free(*socket_context);
        *socket_context = NULL;
    }
}

static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)cls;
    (void)addrlen;
    return peers_conn_allowed(addr) ? MHD_YES : MHD_NO;
}

int server_run(const struct server_options *o)
{
    char host[64] = "127.0.0.1";
    int port = 8080;
    const char *colon = strrchr(o->listen ? o->listen : "", ':');
    if (o->listen && colon) {
        size_t n = (size_t)(colon - o->listen);
        if (n >= sizeof host) n = sizeof host - 1;
        memcpy(host, o->listen, n);
        host[n] = 0;
        port = atoi(colon + 1);
    } else if (o->listen) {
        port = atoi(o->listen);
    }
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "linli: 监听地址无效 invalid --listen %s\n", o->listen);
        return 2;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "linli: 监听地址无效 invalid --listen host %s\n", host);
        return 2;
    }
    secure_cookies = o->secure_cookies;
    peers_trust_none();
    for (int i = 0; i < o->ntrusted_proxies; i++)
        if (peers_trust(o->trusted_proxies[i]) < 0) {
            fprintf(stderr, "linli: 无效的代理地址 invalid --trusted-proxy %s\n",
                    o->trusted_proxies[i]);
            return 2;
        }
    peers_conn_limit(o->conns_per_address);
    body_budget_set(o->body_budget);
    /* Two per CPU this process may run on (taskset, cgroups' cpusets), not per
     * CPU of the machine, and at least MIN_THREADS: a thread whose commit waits
     * for the shared WAL fsync (group commit) serves none of its connections
     * meanwhile, and the commits that wait together are those one fsync makes
     * durable — with 4 threads on a fast disk point awards ran at 826/s, with 16
     * at 1265/s; reads did not change. */
    cpu_set_t cpus;
    long cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus)
                                                               : sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads > 0
                           ? (unsigned)o->threads
                           : (unsigned)(cores * 2 > MIN_THREADS ? cores * 2 : MIN_THREADS);

    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, accept_policy, NULL,
        access_handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, connection_notify, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "linli: 无法监听 cannot listen on %s:%d\n", host, port);
        return 1;
    }
    printf("linli: 正在服务 serving on http://%s:%d/\n", host, port);
    fflush(stdout);
    sigset_t set = stop_signals();
    int sig = 0;
    while (sigwait(&set, &sig) != 0) continue;
    MHD_stop_daemon(d);
    uint64_t commits, batches, fsyncs;
    db_sqlite_sync_stats(&commits, &batches, &fsyncs);
    if (commits)
        printf("linli: SQLite 写入 %llu 次事务，合并为 %llu 次提交，%llu 次 WAL fsync "
               "(commits, batches, fsyncs)\n",
               (unsigned long long)commits, (unsigned long long)batches,
               (unsigned long long)fsyncs);
    printf("linli: stopped\n");
    return 0;
}
