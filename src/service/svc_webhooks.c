/* Webhooks: registration and delivery; see svc_webhooks.h. */
#include "service/svc_webhooks.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/net_addr.h"
#include "core/roles.h"
#include "core/webhook_retry.h"
#include "store/store_accounts.h"
#include "service/svc_audit_json.h"
#include "service/svc_tx.h"
#include "store/store_timers.h"
#include "store/store_webhook_rows.h"
#include "util/clock.h"
#include "util/text.h"

enum { STALE_CLAIM_S = 300, DUE_BATCH = 50 };

static const char *const kinds_known[] = {"dispatched", "transferred", "taken",
                                          "resolved",   "returned",    "reopened",
                                          "warning",    "breach",      "rating_link"};

static pthread_once_t allow_once = PTHREAD_ONCE_INIT;
static bool allow_private;
static void allow_read(void)
{
    const char *v = getenv("LINLI_WEBHOOK_ALLOW_PRIVATE");
    allow_private = v && strcmp(v, "1") == 0;
}

bool svc_webhooks_private_allowed(void)
{
    pthread_once(&allow_once, allow_read);
    return allow_private;
}

/* The host of an http(s) URL as curl will read it (brackets of an IPv6
 * literal removed), or NULL when curl cannot parse the URL. */
static const char *url_host(arena *a, const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL;
    const char *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
        size_t n = strlen(host);
        out = n > 2 && host[0] == '[' && host[n - 1] == ']' ? arena_strndup(a, host + 1, n - 2)
                                                            : arena_strdup(a, host);
        /* a zone id ("fe80::1%25eth0") is link-local whatever follows it */
        char *pct = strchr(out, '%');
        if (pct) *pct = 0;
    }
    curl_free(host);
    curl_url_cleanup(u);
    return out;
}

static bool kinds_valid(const char *k)
{
    if (!k || !*k) return true;
    const char *p = k;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        bool ok = false;
        for (size_t i = 0; i < sizeof kinds_known / sizeof kinds_known[0] && !ok; i++)
            ok = strlen(kinds_known[i]) == len && strncmp(kinds_known[i], p, len) == 0;
        if (!ok) return false;
        if (!e) return true;
        p = e + 1;
    }
}

/* The webhook to add: url, place_code, kinds, secret (created_by: the actor). */
static struct svc_result create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct webhook_row *w = ctx;
    int64_t id =
        store_webhook_add(d, w->url, w->secret, w->place_code, w->kinds, w->id, clock_now());
    if (id <= 0) return svc_store_failed();
    *au = (struct svc_audit){
        .action = "create",
        .entity = "webhook",
        .entity_id = arena_printf(a, "%lld", (long long)id),
        .place_code = w->place_code,
        .after_json = svc_audit_json(a, json_pack("{s:s, s:s, s:s?}", "url", w->url, "place_code",
                                                  w->place_code, "kinds",
                                                  w->kinds && *w->kinds ? w->kinds : NULL))};
    return (struct svc_result){.id = id};
}

struct svc_result svc_webhook_create(db *d, arena *a, const struct principal *who,
                                     const struct webhook_input *in, const char **secret_out)
{
    *secret_out = NULL;
    int64_t viewer = principal_viewer(who);
    const char *url = text_trim(a, in->url);
    if (!url || !*url) return svc_fail(E_BAD_INPUT, "url", "请填写推送地址");
    if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
        strlen(url) > 500 || text_chars_printable(url) < 0 || strchr(url, ' '))
        return svc_fail(E_BAD_INPUT, "url",
                        "推送地址应为 http:// 或 https:// 开头的网址（500字以内）");
    const char *host = url_host(a, url);
    if (!host) return svc_fail(E_BAD_INPUT, "url", "推送地址不是有效的网址");
    /* the literal text only; what a name resolves to is checked at every
     * delivery (post_json), since DNS can change after registration */
    if (!svc_webhooks_private_allowed() && net_host_private(host) == 1)
        return svc_fail(
            E_BAD_INPUT, "url",
            "推送地址不能是本机、内网或保留地址（如需推送到内网，请系统管理员在启动时设置 "
            "LINLI_WEBHOOK_ALLOW_PRIVATE=1）");
    const char *place = text_trim(a, in->place_code);
    if (!place || !*place) return svc_fail(E_BAD_INPUT, "place_code", "请填写区划代码");
    if (!store_place_visible(d, a, viewer, CAP_ACCOUNTS, place))
        return svc_fail(E_BAD_INPUT, "place_code", "区划不存在或不在您的管辖范围内");
    const char *kinds = text_trim(a, in->kinds);
    if (kinds && *kinds) {
        char *k = arena_strdup(a, kinds), *w = k;
        for (char *p = k; *p; p++) /* drop spaces: "taken, resolved" */
            if (*p != ' ') *w++ = *p;
        *w = 0;
        kinds = k;
    }
    if (!kinds_valid(kinds))
        return svc_fail(
            E_BAD_INPUT, "kinds",
            "消息类型应为逗号分隔的 dispatched、transferred、taken、resolved、returned、"
            "reopened、warning、breach");
    const char *secret = text_trim(a, in->secret);
    if (secret && *secret) {
        long n = text_chars_printable(secret);
        if (n < 16 || n > 200) return svc_fail(E_BAD_INPUT, "secret", "密钥应为16至200个字符");
    } else {
        unsigned char raw[24];
        char *hex = arena_alloc(a, sizeof raw * 2 + 1);
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(hex, sizeof raw * 2 + 1, raw, sizeof raw);
        secret = hex;
    }
    /* id: the creator (0: the command line) */
    struct webhook_row w = {
        .id = viewer, .url = url, .place_code = place, .kinds = kinds, .secret = secret};
    struct svc_result res = svc_tx(d, a, who, "webhook create", create_tx, &w);
    if (!res.err) *secret_out = secret;
    return res;
}

static struct svc_result disable_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const struct webhook_row *w = ctx;
    if (store_webhook_disable(d, w->id) < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "disable",
                             .entity = "webhook",
                             .entity_id = arena_printf(a, "%lld", (long long)w->id),
                             .place_code = w->place_code,
                             .before_json = "{\"active\":true}",
                             .after_json = "{\"active\":false}"};
    return (struct svc_result){.id = w->id};
}

struct svc_result svc_webhook_disable(db *d, arena *a, const struct principal *who, int64_t id)
{
    struct webhook_row w;
    if (!store_webhook_read(d, a, principal_viewer(who), id, &w))
        return svc_fail(E_NOT_FOUND, NULL, "推送地址不存在或不在您的范围内");
    return svc_tx(d, a, who, "webhook disable", disable_tx, &w);
}

const char *webhook_error_public(arena *a, long status, const char *error)
{
    if (status > 0 && !webhook_status_ok(status))
        return arena_printf(a, "投递失败（HTTP %ld）", status);
    return error && *error ? "投递失败" : NULL;
}

void webhook_sign(const char *secret, const char *body, size_t len, char *out)
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, sizeof mac * 2 + 1, mac, sizeof mac);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
    (void)p;
    (void)u;
    return size * n;
}

/* Opens the socket of a delivery only to a public address (unless allowed):
 * this sees the address curl actually connects to, after DNS, on every
 * attempt, so a name that resolves (or is re-pointed) to 127.0.0.1 is
 * refused like the literal. */
static curl_socket_t open_public(void *blocked, curlsocktype purpose, struct curl_sockaddr *sa)
{
    (void)purpose;
    bool priv = true; /* an unknown family is not delivered to */
    if (sa->family == AF_INET && sa->addrlen >= sizeof(struct sockaddr_in))
        priv = net_addr_private_v4(
            (const unsigned char *)&((const struct sockaddr_in *)(const void *)&sa->addr)
                ->sin_addr);
    else if (sa->family == AF_INET6 && sa->addrlen >= sizeof(struct sockaddr_in6))
        priv = net_addr_private_v6(
            (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)&sa->addr)
                ->sin6_addr);
    if (priv && !svc_webhooks_private_allowed()) {
        *(bool *)blocked = true;
        return CURL_SOCKET_BAD;
    }
    return socket(sa->family, sa->socktype, sa->protocol);
}

/* One POST. Returns the HTTP status, or 0 with *err set (arena) when there was
 * no answer. *err is for the operator's log only: what users see says no more
 * than "投递失败" (webhook_error_public), so that registering a webhook cannot
 * serve to scan which ports of which hosts are open. */
static long post_json(arena *a, const char *url, const char *body, const char *sig,
                      const char *delivery, const char **err)
{
    pthread_once(&curl_once, curl_init);
    *err = NULL;
    CURL *c = curl_easy_init();
    if (!c) {
        *err = "curl_easy_init failed";
        return 0;
    }
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Content-Type: application/json; charset=utf-8");
    h = curl_slist_append(h, arena_printf(a, "X-Linli-Signature: %s", sig));
    h = curl_slist_append(h, arena_printf(a, "X-Linli-Delivery: %s", delivery));
    h = curl_slist_append(h, "User-Agent: linli-webhook/1");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    /* straight to the target, so the address check sees the real one: no
     * proxy from the environment, no redirects */
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    bool blocked = false;
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_public);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &blocked);
    long status = 0;
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    else if (blocked)
        *err = "目标为本机、内网或保留地址，未允许（LINLI_WEBHOOK_ALLOW_PRIVATE）";
    else
        *err = arena_strdup(a, curl_easy_strerror(rc));
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

/* The outcome of one attempt: logged, and the outbox row finished. */
struct attempt_done {
    const struct outbox_row *ob;
    int64_t now, next;
    int attempt;
    long status;
    const char *error, *token, *state;
};

static struct svc_result attempt_done_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)a, (void)au;
    const struct attempt_done *x = ctx;
    if (store_delivery_log(d, x->ob->id, x->ob->webhook_id, x->now, x->attempt, (int)x->status,
                           x->error) < 0 ||
        store_outbox_finish(d, x->ob->id, x->token, x->state, x->next) < 0)
        return svc_store_failed();
    return (struct svc_result){0};
}

int svc_webhooks_deliver(db *d, arena *a, time_t now, buf *log)
{
    int64_t *due;
    int ndue = store_outbox_due_ids(d, a, now, now - STALE_CLAIM_S, DUE_BATCH, &due);
    if (ndue < 0) return -1;
    int attempts = 0;
    for (int i = 0; i < ndue; i++) {
        int64_t id = due[i];
        unsigned char raw[12];
        char token[25];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(token, sizeof token, raw, sizeof raw);
        if (store_outbox_claim(d, id, token, now, now - STALE_CLAIM_S) != 1) continue;
        struct outbox_row ob;
        if (!store_outbox_read(d, a, id, &ob)) continue;
        char sig[80];
        webhook_sign(ob.secret, ob.payload, strlen(ob.payload), sig);
        const char *err;
        long status =
            post_json(a, ob.url, ob.payload, sig, arena_printf(a, "%lld", (long long)ob.id), &err);
        int attempt = (int)ob.attempts;
        bool ok = webhook_status_ok(status);
        const char *state = ok ? "delivered" : webhook_retry_again(attempt) ? "pending" : "failed";
        int64_t next =
            ok || !webhook_retry_again(attempt) ? now : now + webhook_retry_delay(attempt);
        if (!ok && !err) err = arena_printf(a, "HTTP %ld", status);
        struct attempt_done done = {.ob = &ob,
                                    .now = now,
                                    .next = next,
                                    .attempt = attempt,
                                    .status = status,
                                    .error = ok ? NULL : webhook_error_public(a, status, err),
                                    .token = token,
                                    .state = state};
        if (svc_tx(d, a, NULL, "webhook delivery", attempt_done_tx, &done).err) return -1;
        attempts++;
        if (log)
            buf_printf(log, "webhook %lld attempt %d: %s (%s)\n", (long long)id, attempt, state,
                       ok ? arena_printf(a, "HTTP %ld", status) : err);
    }
    return attempts;
}
