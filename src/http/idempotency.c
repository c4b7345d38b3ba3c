/* One effect per key: see idempotency.h. */
#include "http/idempotency.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "service/svc_api_keys.h"
#include "store/store_idempotency.h"
#include "util/clock.h"

/* Answers that show a secret once (an Open311 key, a webhook's signing
 * secret): kept as answered, never their body. */
static const char *const secret_routes[] = {
    "/api/v1/api-keys",
    "/api/v1/webhooks",
};

static bool is_unsafe(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static bool valid_key(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > IDEM_KEY_MAX) return false;
    for (const char *p = k; *p; p++)
        if (*p < 0x21 || *p > 0x7e) return false;
    return true;
}

/* Passwords stay out of the stored hash: an unsalted SHA-256 of a body with
 * a password in it could be guessed from a copy of the database. */
static bool hashed_field(const char *name)
{
    return strcmp(name, "_csrf") != 0 && strcmp(name, "_once") != 0 && !strstr(name, "password");
}

static void hash_part(crypto_hash_sha256_state *h, const void *p, size_t n)
{
    unsigned char len[8];
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)((uint64_t)n >> (8 * i));
    crypto_hash_sha256_update(h, len, sizeof len); /* length-prefixed: no two splits collide */
    crypto_hash_sha256_update(h, p, n);
}

/* SHA-256 of method, URL and body: the posted form fields in order, the
 * JSON body (keys sorted, so spacing does not matter) or the raw bytes. */
static const char *request_hash(req *r, const char *url)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    hash_part(&h, r->method, strlen(r->method));
    hash_part(&h, url, strlen(url));
    if (r->form) {
        for (const struct form_field *f = r->form; f; f = f->next) {
            if (!hashed_field(f->name)) continue;
            hash_part(&h, f->name, strlen(f->name));
            hash_part(&h, f->filename ? f->filename : "", f->filename ? strlen(f->filename) : 0);
            hash_part(&h, f->value, f->len);
        }
    } else if (r->json && json_is_object(r->json)) {
        json_t *copy = json_deep_copy(r->json);
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(copy, tmp, k, v)
        {
            if (!hashed_field(k)) json_object_del(copy, k);
        }
        char *s = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(copy);
        if (s) hash_part(&h, s, strlen(s));
        free(s);
    } else {
        hash_part(&h, r->body ? r->body : "", r->body ? r->body_len : 0);
    }
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, out);
    char *hex = arena_alloc(r->a, sizeof out * 2 + 1);
    sodium_bin2hex(hex, sizeof out * 2 + 1, out, sizeof out);
    return hex;
}

/* Whose key it is, or NULL when the request takes none. */
static const char *scope_of(req *r, bool *page, const char **key)
{
    const struct route *rt = r->route;
    *page = false;
    *key = NULL;
    if (!rt || !is_unsafe(r->method)) return NULL;
    if ((rt->flags & R_PAGE) && r->me) {
        *key = req_form(r, "_once");
        *page = true;
        return *key ? arena_printf(r->a, "a:%lld", (long long)r->me->account_id) : NULL;
    }
    if (!r->is_api) return NULL;
    *key = req_header(r, "Idempotency-Key");
    if (!*key) return NULL;
    if (strncmp(r->path, "/open311/", 9) == 0) {
        const char *k = req_form(r, "api_key");
        if (!k) k = req_query(r, "api_key");
        struct api_key_info info;
        /* an unknown key is refused by the handler itself */
        if (!k || !svc_api_key_check(r->db, r->a, k, &info)) return NULL;
        return arena_printf(r->a, "k:%lld", (long long)info.id);
    }
    /* login and the other public routes have no caller to scope a key to */
    if (!r->me || (rt->flags & R_PUBLIC)) return NULL;
    return arena_printf(r->a, "a:%lld", (long long)r->me->account_id);
}

static bool refuse(req *r, err_code e, const char *message_zh)
{
    http_respond_error(r, http_fail(r, e, NULL, message_zh));
    return true;
}

/* The same key again: its kept answer, or why there is none. */
static bool answer_again(req *r, const struct idem_slot *s, const struct idem_key *k,
                         const char *hash)
{
    if (strcmp(k->request_hash, hash) != 0)
        return s->page ? refuse(r, E_CONFLICT,
                                "此表单已提交过，内容与第一次不同。请重新打开表单填写后提交")
                       : refuse(r, E_UNPROCESSABLE,
                                "Idempotency-Key 已用于另一个请求（方法、地址或内容不同），"
                                "请换用新的键");
    if (k->state == IDEM_RUNNING)
        return refuse(r, E_CONFLICT,
                      s->page ? "此表单正在提交，请稍候刷新查看结果，不要重复提交"
                              : "使用同一 Idempotency-Key 的请求正在处理中，请稍后再试");
    if (k->state == IDEM_NOT_KEPT)
        return refuse(r, E_CONFLICT,
                      s->page ? "此表单已提交过，请勿重复提交"
                              : "该请求已处理过；其结果含只显示一次的内容或过大，不再重复返回");
    r->status = k->status;
    r->content_type_out = k->content_type ? arena_strdup(r->a, k->content_type) : NULL;
    if (k->location) http_header(r, "Location", arena_strdup(r->a, k->location));
    if (!s->page) http_header(r, "Idempotent-Replayed", "true");
    http_header(r, "Cache-Control", "no-store");
    buf_reset(&r->out);
    if (k->body) buf_puts(&r->out, k->body);
    return true;
}

bool idem_begin(req *r, const char *url, struct idem_slot *s)
{
    *s = (struct idem_slot){0};
    bool page;
    const char *key;
    const char *scope = scope_of(r, &page, &key);
    if (!scope) return false;
    if (!valid_key(key))
        return refuse(r, E_BAD_INPUT,
                      page ? "表单令牌无效，请重新打开表单后提交"
                           : "Idempotency-Key 应为1至255个可见的ASCII字符");
    const char *hash = request_hash(r, url);
    s->page = page;
    int64_t now = clock_now();
    /* twice at most: a key released (its request failed) or expired between
     * the insert and the read is reserved anew */
    for (int attempt = 0; attempt < 2; attempt++) {
        if (db_begin(r->db) < 0) return refuse(r, E_UNAVAILABLE, NULL);
        int rc = store_idem_reserve(r->db, scope, key, hash, now, now + IDEM_TTL);
        if (rc < 0 || db_commit(r->db) < 0) {
            while (db_in_tx(r->db)) db_rollback(r->db);
            return refuse(r, E_UNAVAILABLE, NULL);
        }
        if (rc == 1) {
            s->scope = scope;
            s->key = key;
            return false;
        }
        struct idem_key k;
        int got = store_idem_get(r->db, r->a, scope, key, now, &k);
        if (got < 0) return refuse(r, E_UNAVAILABLE, NULL);
        if (got == 1) return answer_again(r, s, &k, hash);
    }
    return refuse(r, E_UNAVAILABLE, NULL);
}

static const char *header_of(req *r, const char *name)
{
    for (int i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->hnames[i], name) == 0) return r->hvalues[i];
    return NULL;
}

static bool shows_secret(req *r)
{
    for (size_t i = 0; i < sizeof secret_routes / sizeof secret_routes[0]; i++)
        if (strcmp(r->route->pattern, secret_routes[i]) == 0) return true;
    return false;
}

void idem_end(req *r, struct idem_slot *s, err_code e)
{
    if (!s->scope) return;
    if (e != E_OK)
        while (db_in_tx(r->db)) db_rollback(r->db);
    int status = r->status ? r->status : 200;
    int rc;
    if (db_begin(r->db) < 0) {
        rc = -1;
    } else if (e != E_OK || status >= 400) {
        rc = store_idem_release(r->db, s->scope, s->key);
    } else {
        const char *loc = header_of(r, "Location");
        /* a page's own HTML is not kept: only its redirect (POST–redirect–GET) */
        bool keep = s->page ? (status >= 300 && status < 400 && loc)
                            : (!shows_secret(r) && r->out.len <= IDEM_MAX_BODY &&
                               (!r->out.len || strlen(buf_cstr(&r->out)) == r->out.len));
        rc = keep ? store_idem_finish(r->db, s->scope, s->key, IDEM_KEPT, status,
                                      r->content_type_out, loc, s->page ? NULL : buf_cstr(&r->out))
                  : store_idem_finish(r->db, s->scope, s->key, IDEM_NOT_KEPT, 0, NULL, NULL, NULL);
    }
    if (rc < 0 || db_commit(r->db) < 0) {
        while (db_in_tx(r->db)) db_rollback(r->db);
        /* the key stays "running" until it expires: refused, never run twice */
        fprintf(stderr, "linli: idempotency key of %s %s not recorded: %s\n", r->method, r->path,
                db_errmsg(r->db));
    }
    s->scope = NULL;
}
