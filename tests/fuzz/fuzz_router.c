/* fuzz_router: router_match() and the path parameters, against the whole route
 * table linked in (every ROUTE() of src/api and src/pages).
 *
 * Input: "METHOD PATH" (the first space separates them; no space: GET). The
 * path is what dispatch() hands the router: the URL up to '?', any bytes but
 * NUL. Beyond "no crash", the target checks what the router promises:
 *   - its bucket index finds what a plain scan of the whole table finds (the
 *     most specific match, E_METHOD when only another method matches, else
 *     E_NOT_FOUND);
 *   - the captured parameters are the path's segments at the pattern's
 *     {name}s: substituting them back into the pattern gives the path;
 *   - every {name} has a declared type, and router_parse_params() accepts an
 *     id-typed value exactly when it is 1..INT64_MAX written the way printf
 *     writes it (no sign, no leading zero, no space), req_id() then giving
 *     that number; text values are left alone. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reference: the router's rule written plainly (a literal segment scores
 * 2, a {param} matches one non-empty segment, at most MAX_PATH_PARAMS). */
static int ref_score(const char *pat, const char *path)
{
    int score = 0, np = 0;
    while (*pat && *path) {
        if (*pat++ != '/' || *path++ != '/') return -1;
        size_t pl = strcspn(pat, "/"), sl = strcspn(path, "/");
        if (pl > 2 && pat[0] == '{' && pat[pl - 1] == '}') {
            if (sl == 0 || ++np > MAX_PATH_PARAMS) return -1;
        } else {
            if (pl != sl || memcmp(pat, path, pl) != 0) return -1;
            score += 2;
        }
        pat += pl;
        path += sl;
    }
    return *pat || *path ? -1 : score;
}

/* The reference for an id: strtoll, then a round trip through printf. */
static bool ref_id(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 1) return false;
    char back[24];
    snprintf(back, sizeof back, "%lld", v);
    if (strcmp(back, s) != 0) return false;
    *out = v;
    return true;
}

static void check(bool ok, const char *what, const char *method, const char *path)
{
    if (ok) return;
    fprintf(stderr, "fuzz_router: %s for %s %s\n", what, method, path);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0; /* longer URLs are refused by the server before routing */
    arena *a = arena_new();
    char *in = arena_strndup(a, (const char *)data, size); /* stops at a NUL, as C strings do */
    char *sp = strchr(in, ' ');
    const char *method = "GET", *path = in;
    if (sp) {
        *sp = '\0';
        method = in;
        path = sp + 1;
    }
    req r = {.a = a, .method = method, .path = path};
    const struct route *rt = NULL;
    err_code e = router_match(&r, &rt);

    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    int best = -1;
    bool known = false;
    for (const struct route *t = routes_begin(); t < routes_end(); t++) {
        int s = ref_score(t->pattern, path);
        if (s < 0) continue;
        known = true;
        if (strcmp(t->method, m) == 0 && s > best) best = s;
    }
    if (best < 0) {
        check(e == (known ? E_METHOD : E_NOT_FOUND), "wrong error", method, path);
        check(r.nparams == 0, "params without a match", method, path);
    } else {
        check(e == E_OK && rt, "no match where the table has one", method, path);
        check(strcmp(rt->method, m) == 0, "wrong method", method, path);
        check(ref_score(rt->pattern, path) == best, "a less specific route", method, path);
        /* The pattern with the parameters put back is the path. */
        buf b = {0};
        int k = 0;
        for (const char *p = rt->pattern; *p;) {
            size_t n = strcspn(p + 1, "/") + 1;
            if (n > 3 && p[1] == '{' && p[n - 1] == '}') {
                check(k < r.nparams, "too few params", method, path);
                check(strlen(r.pnames[k]) == n - 3 && !memcmp(r.pnames[k], p + 2, n - 3),
                      "wrong param name", method, path);
                check(*r.pvalues[k] && !strchr(r.pvalues[k], '/'), "bad param value", method, path);
                check(req_param(&r, r.pnames[k]) != NULL, "req_param misses it", method, path);
                buf_puts(&b, "/");
                buf_puts(&b, r.pvalues[k++]);
            } else {
                buf_raw(&b, p, n);
            }
            p += n;
        }
        check(k == r.nparams, "too many params", method, path);
        /* typed parameters: all valid, or E_NOT_FOUND naming a bad id */
        bool all_ok = true;
        int64_t want[MAX_PATH_PARAMS] = {0};
        for (int i = 0; i < r.nparams; i++) {
            int t = router_param_type(r.pnames[i]);
            check(t == PARAM_ID || t == PARAM_TEXT, "undeclared param type", method, path);
            if (t == PARAM_ID && !ref_id(r.pvalues[i], &want[i])) all_ok = false;
        }
        err_code pe = router_parse_params(&r);
        check(pe == (all_ok ? E_OK : E_NOT_FOUND), "typed param verdict", method, path);
        if (pe == E_OK)
            for (int i = 0; i < r.nparams; i++)
                check(r.pids[i] == want[i] && req_id(&r, r.pnames[i]) == want[i],
                      "req_id differs from the reference", method, path);
        check(strcmp(buf_cstr(&b), path) == 0, "params do not rebuild the path", method, path);
        buf_free(&b);
    }
    arena_free(a);
    return 0;
}
