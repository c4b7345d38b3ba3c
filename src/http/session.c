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
#include "core/login_rule.h"
#include "http/http.h"
#include "http/session_cache.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
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

/* Reserves one attempt on each login counter (core/login_rule.h) in one write
 * transaction, before any password is verified. When a limit refuses, *wait
 * is the seconds to wait and nothing changed. */
static err_code login_reserve(req *r, const char *const keys[3], int64_t now, int64_t *wait)
{
    *wait = 0;
    if (db_begin(r->db) < 0) return E_UNAVAILABLE;
    for (int i = 0; i < 3; i++) {
        struct login_counter c;
        if (store_login_counter_lock(r->db, keys[i], &c) < 0) {
            db_rollback(r->db);
            return E_UNAVAILABLE;
        }
        int64_t w = i == 0   ? login_take_hard(&c, now, LOGIN_MAX_ADDRESS)
                    : i == 1 ? login_take_hard(&c, now, LOGIN_MAX_PAIR)
                             : login_take_delayed(&c, now);
        if (w > 0) {
            *wait = w;
            break;
        }
        if (store_login_counter_put(r->db, keys[i], &c) < 0) {
            db_rollback(r->db);
            return E_UNAVAILABLE;
        }
    }
    if (*wait) {
        db_rollback(r->db);
        return E_OK;
    }
    return db_commit(r->db) < 0 ? E_UNAVAILABLE : E_OK;
}

err_code session_login(req *r, const char *username, const char *password, char **token_out)
{
    if (!username || !*username || !password || !*password)
        return http_fail(r, E_BAD_INPUT, !username || !*username ? "username" : "password",
                         "请输入用户名和密码");
    /* no account has a longer name (svc_accounts.c): no counter row for it */
    if (strlen(username) > 256) return http_fail(r, E_BAD_INPUT, "username", "用户名过长");
    int64_t now = clock_now();
    /* the address, the username from this address, the username from anywhere */
    const char *keys[3] = {arena_printf(r->a, "ip:%s", r->client_ip),
                           arena_printf(r->a, "up:%s %s", r->client_ip, username),
                           arena_printf(r->a, "u:%s", username)};
    int64_t wait;
    err_code e = login_reserve(r, keys, now, &wait);
    if (e) return e;
    if (wait > 0) {
        http_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
        return http_fail(
            r, E_RATE_LIMITED, NULL,
            wait >= 60 ? arena_printf(r->a, "登录失败次数过多，请%lld分钟后再试",
                                      (long long)((wait + 59) / 60))
                       : arena_printf(r->a, "登录尝试过于频繁，请%lld秒后再试", (long long)wait));
    }

    /* An unknown username and a disabled account cost a verification too, so
     * that the time of the answer tells nothing. */
    db_rows *acct = store_account_by_username(r->db, r->a, username);
    bool ok =
        acct ? password_verify(db_get(acct, 0, 2), password) : password_verify_dummy(password);
    if (!ok || db_get_int(acct, 0, 5) != 0)
        return http_fail(r, E_UNAUTHORIZED, NULL,
                         "用户名或密码错误"); /* the attempt stays counted */
    int64_t id = db_get_int(acct, 0, 0);
    char token[65], csrf[65], hash[65];
    random_token(token, 32);
    random_token(csrf, 32);
    sha256_hex(token, hash);
    if (db_begin(r->db) < 0) return E_UNAVAILABLE;
    struct principal who = {.account_id = id, .username = username};
    if (store_session_create(r->db, id, hash, csrf, now, now + SESSION_SECONDS) < 0 ||
        store_login_counter_release(r->db, keys[0]) < 0 ||
        store_login_counter_clear(r->db, keys[1]) < 0 ||
        store_login_counter_clear(r->db, keys[2]) < 0 ||
        audit_write(r->db, &who, "login", "account", arena_printf(r->a, "%lld", (long long)id),
                    store_account_home_place(r->db, r->a, id), NULL, NULL, r->client_ip) < 0) {
        db_rollback(r->db);
        return E_INTERNAL;
    }
    if (db_commit(r->db) < 0) return E_UNAVAILABLE;
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
        if (r->me && db_begin(r->db) == DB_OK) {
            if (store_session_delete(r->db, hash) >= 0 &&
                audit_write(r->db, r->me, "logout", "account",
                            arena_printf(r->a, "%lld", (long long)r->me->account_id),
                            store_account_home_place(r->db, r->a, r->me->account_id), NULL, NULL,
                            r->client_ip) >= 0)
                db_commit(r->db);
            else
                db_rollback(r->db);
        }
    }
    http_header(r, "Set-Cookie",
                arena_printf(r->a, SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                             r->secure ? "; Secure" : ""));
}
