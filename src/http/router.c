/* Matches a path against the route table. Literal segments beat {params}, so
 * /api/v1/residents/search wins over /api/v1/residents/{id} whatever the link
 * order of the modules. */
#include <string.h>

#include "http/http.h"

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

err_code router_match(req *r, const struct route **out)
{
    const struct route *best = NULL;
    int best_score = -1;
    bool path_known = false;
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    for (const struct route *rt = routes_begin(); rt < routes_end(); rt++) {
        int s = match(rt->pattern, r->path, r, false);
        if (s < 0) continue;
        path_known = true;
        if (strcmp(rt->method, method) != 0) continue;
        if (s > best_score) {
            best = rt;
            best_score = s;
        }
    }
    if (!best) return path_known ? E_METHOD : E_NOT_FOUND;
    match(best->pattern, r->path, r, true);
    *out = best;
    return E_OK;
}
