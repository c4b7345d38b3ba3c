/* The session cache (see session_cache.h) on util/version_cache: an entry is the
 * principal flattened into bytes — the struct with its string pointers cleared,
 * then the expiry and the strings. Capability names point into the static role
 * table and stay valid as they are. */
#include "http/session_cache.h"

#include <pthread.h>
#include <string.h>

#include "util/buf.h"
#include "util/version_cache.h"

struct flat {
    struct principal p;
    int64_t expires_at;
    uint32_t len[3]; /* username, display_name, csrf (with their NULs; 0: NULL) */
};

static struct version_cache *cache;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init(void)
{
    cache = version_cache_new(8192, 8u << 20);
}

bool session_cache_get(const char *token_hash, int64_t auth_version, int64_t now, arena *a,
                       struct principal *p)
{
    pthread_once(&once, init);
    if (!cache) return false;
    buf b = {0};
    bool hit = version_cache_get(cache, token_hash, auth_version, &b);
    struct flat f;
    if (hit && b.len >= sizeof f) {
        memcpy(&f, b.data, sizeof f);
        hit = f.expires_at > now;
    } else {
        hit = false;
    }
    if (hit) {
        *p = f.p;
        const char *s = b.data + sizeof f;
        const char **dst[3] = {&p->username, &p->display_name, &p->csrf};
        for (int i = 0; i < 3; i++) {
            *dst[i] = f.len[i] ? arena_strndup(a, s, f.len[i] - 1) : NULL;
            s += f.len[i];
        }
    }
    buf_free(&b);
    return hit;
}

void session_cache_put(const char *token_hash, int64_t auth_version, int64_t expires_at,
                       const struct principal *p)
{
    pthread_once(&once, init);
    if (!cache) return;
    struct flat f;
    memset(&f, 0, sizeof f); /* padding too: the bytes are compared nowhere, but copied */
    f.p = *p;
    f.expires_at = expires_at;
    const char *src[3] = {p->username, p->display_name, p->csrf};
    f.p.username = f.p.display_name = f.p.csrf = NULL;
    f.p.via_cookie = false;
    for (int i = 0; i < 3; i++) f.len[i] = src[i] ? (uint32_t)strlen(src[i]) + 1 : 0;
    buf b = {0};
    buf_raw(&b, (const char *)&f, sizeof f);
    for (int i = 0; i < 3; i++)
        if (src[i]) buf_raw(&b, src[i], f.len[i]);
    version_cache_put(cache, token_hash, auth_version, b.data, b.len);
    buf_free(&b);
}
