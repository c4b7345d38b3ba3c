/* The response cache: see response_cache.h. */
#include "http/response_cache.h"

#include <microhttpd.h>
#include <pthread.h>
#include <string.h>

#include "core/idcard.h"
#include "util/clock.h"
#include "util/version_cache.h"

static size_t megabytes = 64;
static struct version_cache *cache;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init(void)
{
    if (megabytes) cache = version_cache_new(65536, megabytes << 20);
}

void response_cache_configure(size_t mb)
{
    megabytes = mb;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    buf *b = cls;
    buf_puts(b, "&");
    buf_url(b, k); /* escaped, so that a=1%26b%3D2 and a=1&b=2 stay apart */
    if (v) {
        buf_puts(b, "=");
        buf_url(b, v);
    }
    return MHD_YES;
}

/* account | auth counter | Beijing date | path | query, or NULL: not cacheable. */
static const char *key_of(req *r)
{
    if (!cache || !r->route || !(r->route->flags & R_CACHED) || !r->me || !r->have_changes ||
        strcmp(r->method, "GET") != 0)
        return NULL;
    int y, m, d;
    idcard_today(clock_now(), &y, &m, &d);
    buf b = {0};
    buf_printf(&b, "%lld|%lld|%04d%02d%02d|", (long long)r->me->account_id,
               (long long)r->changes.auth, y, m, d);
    buf_url(&b, r->path);
    if (r->conn) MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &b);
    const char *key = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return key;
}

bool response_cache_serve(req *r)
{
    pthread_once(&once, init);
    r->cache_key = key_of(r); /* kept for response_cache_keep() on a miss */
    if (!r->cache_key) return false;
    buf_reset(&r->out);
    if (!version_cache_get(cache, r->cache_key, r->changes.people, &r->out)) return false;
    http_json_written(r, 200);
    return true;
}

void response_cache_keep(req *r)
{
    if (!r->cache_key || r->status != 200 || !r->content_type_out ||
        strncmp(r->content_type_out, "application/json", 16) != 0)
        return;
    version_cache_put(cache, r->cache_key, r->changes.people, r->out.data, r->out.len);
}
