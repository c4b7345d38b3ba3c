/* Sessions: a random token in an HttpOnly, SameSite=Lax cookie (Secure behind
 * TLS) or as a bearer token; only its SHA-256 is stored, in the database, so
 * every server process behind a load balancer shares them. Cookie-authenticated
 * unsafe requests must carry the session's CSRF token (form field _csrf or
 * header X-CSRF-Token); bearer requests cannot be forged by a browser. Login
 * attempts are counted in the database per address, per username and address,
 * and per username (core/login_rule.h), reserved before the password is
 * verified. */
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "http/http.h"
#include "http/session_cache.h"
#include "service/svc_accounts.h"
#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "util/clock.h"

#define SESSION_COOKIE "linli_session"
enum { SESSION_SECONDS = 12 * 3600 };

err_code session_authenticate(req *r)
{
    const char *token = NULL;
    const char *auth = req_header(r, "Authorization");
    bool cookie = false;
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        token = auth + 7;
    } else {
        token = req_cookie(r, SESSION_COOKIE);
        cookie = true;
    }
    if (!token || strlen(token) != 64) return E_OK;
    /* The change counters, read before any data of the request: they validate
     * the session cache here and the response cache later. */
    r->have_changes = store_change_counters(r->db, r->a, &r->changes);
    char hash[65];
    sha256_hex(token, hash);
    struct principal *p = arena_alloc(r->a, sizeof *p);
    int64_t now = clock_now(), expires_at;
    if (r->have_changes && session_cache_get(hash, r->changes.auth, now, r->a, p)) {
        /* checked before, and nothing that decides it has changed since */
    } else if (store_session_load(r->db, r->a, hash, now, p, &expires_at)) {
        if (r->have_changes) session_cache_put(hash, r->changes.auth, expires_at, p);
    } else {
        if (!cookie) return E_UNAUTHORIZED; /* a stale bearer token is an error, not anonymity */
        return E_OK;
    }
    p->via_cookie = cookie;
    r->me = p;
    return E_OK;
}

err_code session_check_csrf(req *r)
{
    if (!r->me || !r->me->via_cookie) return E_OK;
    const char *t = req_header(r, "X-CSRF-Token");
    if (!t) t = req_form(r, "_csrf");
    if (!t && r->json) t = json_string_value(json_object_get(r->json, "_csrf"));
    if (!t || !r->me->csrf || strcmp(t, r->me->csrf) != 0) return E_CSRF;
    return E_OK;
}

/* The write of a login or a logout: the session row, the login counters, and
 * the audit entry filed under the account's home place. */
struct session_tx {
    int64_t account_id, now;
    const char *token_hash, *csrf, *client_ip;
    const char *const *keys;
};

static void session_audit(db *d, arena *a, const struct session_tx *x, const char *action,
                          struct svc_audit *au)
{
    *au = (struct svc_audit){.action = action,
                             .entity = "account",
                             .entity_id = arena_printf(a, "%lld", (long long)x->account_id),
                             .place_code = store_account_home_place(d, a, x->account_id),
                             .note = x->client_ip};
}

static struct svc_result login_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const struct session_tx *x = ctx;
    if (store_session_create(d, x->account_id, x->token_hash, x->csrf, x->now,
                             x->now + SESSION_SECONDS) < 0 ||
        svc_login_succeeded(d, x->keys) < 0)
        return svc_store_failed();
    session_audit(d, a, x, "login", au);
    return (struct svc_result){0};
}

static struct svc_result logout_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const struct session_tx *x = ctx;
    if (store_session_delete(d, x->token_hash) < 0) return svc_store_failed();
    session_audit(d, a, x, "logout", au);
    return (struct svc_result){0};
}

/* Refuses an attempt the login counters do not allow, with its Retry-After. */
static err_code reserve_attempt(req *r, const char *const keys[LOGIN_KEYS], int64_t now)
{
    int64_t wait;
    struct svc_result res = svc_login_reserve(r->db, r->a, keys, now, &wait);
    if (res.err == E_RATE_LIMITED)
        http_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
    return res.err ? http_fail(r, res.err, res.field, res.message) : E_OK;
}

err_code session_login(req *r, const char *username, const char *password, char **token_out)
{
    if (!username || !*username || !password || !*password)
        return http_fail(r, E_BAD_INPUT, !username || !*username ? "username" : "password",
                         "请输入用户名和密码");
    /* no account has a longer name (svc_accounts.c): no counter row for it */
    if (strlen(username) > 256) return http_fail(r, E_BAD_INPUT, "username", "用户名过长");
    int64_t now = clock_now();
    const char *keys[LOGIN_KEYS];
    login_keys(r->a, r->client_ip, username, keys);
    err_code e = reserve_attempt(r, keys, now);
    if (e) return e;

    /* An unknown username, a disabled account and a stored hash that is no
     * argon2id cost a verification too: the time of the answer tells nothing. */
    struct account_row acct = {0};
    const char *stored =
        store_account_by_username(r->db, r->a, username, &acct) ? acct.password_hash : NULL;
    bool ok = stored && strncmp(stored, "$argon2id$", 10) == 0 ? password_verify(stored, password)
                                                               : password_verify_dummy(password);
    /* a failure leaves its reserved attempt counted */
    if (!ok || acct.disabled) return http_fail(r, E_UNAUTHORIZED, NULL, "用户名或密码错误");
    char token[65], csrf[65], hash[65];
    random_token(token, 32);
    random_token(csrf, 32);
    sha256_hex(token, hash);
    struct principal who = {.account_id = acct.id, .username = username};
    struct session_tx tx = {.account_id = acct.id,
                            .token_hash = hash,
                            .csrf = csrf,
                            .now = now,
                            .keys = keys,
                            .client_ip = r->client_ip};
    struct svc_result res = svc_tx(r->db, r->a, &who, "login", login_tx, &tx);
    if (res.err) return res.err;
    http_header(r, "Set-Cookie",
                arena_printf(r->a,
                             SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
                             token, SESSION_SECONDS, r->secure ? "; Secure" : ""));
    *token_out = arena_strdup(r->a, token);
    return E_OK;
}

void session_logout(req *r)
{
    const char *auth = req_header(r, "Authorization");
    const char *token =
        (auth && strncasecmp(auth, "Bearer ", 7) == 0) ? auth + 7 : req_cookie(r, SESSION_COOKIE);
    if (token) {
        char hash[65];
        sha256_hex(token, hash);
        struct session_tx tx = {.token_hash = hash, .client_ip = r->client_ip};
        if (r->me) {
            tx.account_id = r->me->account_id;
            svc_tx(r->db, r->a, r->me, "logout", logout_tx, &tx);
        }
    }
    http_header(r, "Set-Cookie",
                arena_printf(r->a, SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                             r->secure ? "; Secure" : ""));
}
