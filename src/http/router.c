/* Matches a path against the route table. Literal segments beat {params}, so
 * /api/v1/residents/search wins over /api/v1/residents/{id} whatever the link
 * order of the modules. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/hash.h"

extern const struct route __start_linli_routes[];
extern const struct route __stop_linli_routes[];

const struct route *routes_begin(void)
{
    return __start_linli_routes;
}

const struct route *routes_end(void)
{
    return __stop_linli_routes;
}

/* Returns a score (higher is more specific) or -1 when the pattern does not
 * match; captures params into r when capture is set. */
static int match(const char *pat, const char *path, req *r, bool capture)
{
    int score = 0, np = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/') return -1;
        pat++;
        path++;
        const char *pe = strchr(pat, '/');
        const char *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pl > 2 && pat[0] == '{' && pat[pl - 1] == '}') {
            if (sl == 0 || np >= MAX_PATH_PARAMS) return -1;
            if (capture) {
                r->pnames[np] = arena_strndup(r->a, pat + 1, pl - 2);
                r->pvalues[np] = arena_strndup(r->a, path, sl);
            }
            np++;
        } else {
            if (pl != sl || memcmp(pat, path, pl) != 0) return -1;
            score += 2;
        }
        pat += pl;
        path += sl;
    }
    if (*pat || *path) return -1;
    if (capture) r->nparams = np;
    return score;
}

/* The index: a route lives in the bucket of its leading literal segments (at
 * most MAX_DEPTH of them), so a path is matched against the few routes sharing
 * its first segments instead of the whole table (~600 routes: scanning them
 * all cost a fifth of a cached read). Any route that matches a path has leading
 * literal segments equal to the path's, so the buckets of the path's first 0 …
 * MAX_DEPTH segments hold every candidate. Built once; read-only afterwards. */
enum { MAX_DEPTH = 3, NBUCKETS = 2048 };
struct bucket {
    const char *prefix; /* NULL: empty */
    size_t len;
    int depth;
    const struct route **routes;
    int n;
};
static struct bucket buckets[NBUCKETS];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* Length of the first d segments of s ("/a/b/c", 2 → "/a/b"), -1 if it has fewer. */
static long prefix_len(const char *s, int d)
{
    size_t i = 0;
    for (int k = 0; k < d; k++) {
        if (s[i] != '/') return -1;
        i++;
        while (s[i] && s[i] != '/') i++;
    }
    return (long)i;
}

static size_t bucket_of(const char *prefix, size_t len, int depth)
{
    uint64_t h = fnv1a64(FNV64_OFFSET ^ (uint64_t)depth, prefix, len);
    size_t b = (size_t)h & (NBUCKETS - 1);
    while (buckets[b].prefix && (buckets[b].depth != depth || buckets[b].len != len ||
                                 memcmp(buckets[b].prefix, prefix, len) != 0))
        b = (b + 1) & (NBUCKETS - 1);
    return b;
}

static const struct {
    const char *name;
    enum param_type type;
} param_types[] = {{"id", PARAM_ID},
                   {"n", PARAM_ID},
                   {"code", PARAM_TEXT},
                   {"token", PARAM_TEXT},
                   {"request", PARAM_TEXT}};

int router_param_type(const char *name)
{
    for (size_t i = 0; i < sizeof param_types / sizeof *param_types; i++)
        if (strcmp(param_types[i].name, name) == 0) return (int)param_types[i].type;
    return -1;
}

/* 1..INT64_MAX in canonical decimal; 0 when s is anything else. */
static int64_t parse_id(const char *s)
{
    if (*s < '1' || *s > '9') return 0;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        int d = *s - '0';
        if (v > (INT64_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    return v;
}

err_code router_parse_params(req *r)
{
    for (int i = 0; i < r->nparams; i++) {
        r->pids[i] = 0;
        if (router_param_type(r->pnames[i]) != PARAM_ID) continue;
        r->pids[i] = parse_id(r->pvalues[i]);
        if (!r->pids[i]) return E_NOT_FOUND;
    }
    return E_OK;
}

/* Every {name} of every pattern has a declared type: a new kind of parameter
 * is given one in param_types rather than silently read as text. */
static void check_declared(const char *pat)
{
    for (const char *p = strchr(pat, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        char name[32];
        size_t n = e ? (size_t)(e - p - 1) : sizeof name;
        if (n >= sizeof name) abort();
        memcpy(name, p + 1, n);
        name[n] = '\0';
        if (router_param_type(name) < 0) {
            fprintf(stderr, "route %s: parameter {%s} has no declared type (http/router.c)\n", pat,
                    name);
            abort();
        }
    }
}

static void index_build(void)
{
    for (const struct route *rt = routes_begin(); rt < routes_end(); rt++) {
        check_declared(rt->pattern);
        int d = 0;
        while (d < MAX_DEPTH) {
            long at = prefix_len(rt->pattern, d);
            if (at < 0 || rt->pattern[at] != '/' || rt->pattern[at + 1] == '{') break;
            d++;
        }
        size_t len = (size_t)prefix_len(rt->pattern, d);
        struct bucket *b = &buckets[bucket_of(rt->pattern, len, d)];
        if (!b->prefix) *b = (struct bucket){.prefix = rt->pattern, .len = len, .depth = d};
        const struct route **grown = realloc(b->routes, (size_t)(b->n + 1) * sizeof *grown);
        if (!grown) abort();
        b->routes = grown;
        b->routes[b->n++] = rt;
    }
}

err_code router_match(req *r, const struct route **out)
{
    pthread_once(&index_once, index_build);
    const struct route *best = NULL;
    int best_score = -1;
    bool path_known = false;
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    for (int d = 0; d <= MAX_DEPTH; d++) {
        long len = prefix_len(r->path, d);
        if (len < 0) break;
        const struct bucket *b = &buckets[bucket_of(r->path, (size_t)len, d)];
        for (int i = 0; i < b->n; i++) {
            const struct route *rt = b->routes[i];
            int s = match(rt->pattern, r->path, r, false);
            if (s < 0) continue;
            path_known = true;
            if (strcmp(rt->method, method) != 0) continue;
            if (s > best_score) {
                best = rt;
                best_score = s;
            }
        }
    }
    if (!best) return path_known ? E_METHOD : E_NOT_FOUND;
    match(best->pattern, r->path, r, true);
    *out = best;
    return E_OK;
}
