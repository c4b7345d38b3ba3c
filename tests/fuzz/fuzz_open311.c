/* fuzz_open311: the parameters of the Open311 routes as src/api/open311_params.c
 * reads them (GET /requests filters, POST fields, a path's request id), the
 * coordinate parser (core/geo.h) and the redaction of the public texts
 * (core/redact.h), from memory: no server, no database.
 *
 * Input: a query string "name=value&name=value…" ('+' and %XX decoded, as the
 * server does; a value may hold any byte but NUL). Beyond "no crash", the
 * target checks what the parsers promise:
 *   - a filter that parses has limit 1000, a lower bound > 0 and no upper
 *     bound before it; with service_request_id the other filters are unset;
 *     every list is ",a,b," with no empty item and no space;
 *   - a POST that parses has a key, a service code, a location, and lat/long
 *     both or neither, each accepted by geo_parse with its value in the box;
 *   - open311_id_parse is positive exactly for a plain decimal that fits;
 *   - geo_parse accepts only [-]digits[.digits] and only inside the box;
 *   - redact_numbers never lengthens a text, leaves no number of 7 digits
 *     or more (redacting its output again changes nothing) and never cuts a
 *     UTF-8 sequence of a valid input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/open311_params.h"
#include "core/geo.h"
#include "core/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAIRS 32

struct pairs {
    int n;
    const char *name[MAX_PAIRS], *value[MAX_PAIRS];
};

static void check(bool ok, const char *what, const char *detail)
{
    if (ok) return;
    fprintf(stderr, "fuzz_open311: %s: %s\n", what, detail ? detail : "(null)");
    abort();
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes s[0..n) into a fresh arena copy: '+' → ' ', %XX → byte
 * (a decoded NUL ends the value, as C strings do). */
static const char *decode(arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+')
            *w++ = ' ';
        else if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            *w++ = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else
            *w++ = s[i];
    }
    *w = 0;
    return out;
}

static const char *get(void *ctx, const char *name)
{
    const struct pairs *p = ctx;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->name[i], name) == 0) return p->value[i];
    return NULL;
}

static bool list_ok(const char *l)
{
    if (!l) return true;
    size_t n = strlen(l);
    return n >= 3 && l[0] == ',' && l[n - 1] == ',' && !strstr(l, ",,") && !strchr(l, ' ');
}

static bool plain_decimal(const char *s)
{
    const char *p = s + (*s == '-');
    int ni = 0, nf = 0;
    while (*p >= '0' && *p <= '9') p++, ni++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') p++, nf++;
        if (!nf) return false;
    }
    return !*p && ni >= 1 && ni <= 3 && nf <= 12;
}

/* True when s is valid UTF-8 (no overlong or surrogate checks: enough to
 * know that the input's sequences are whole). */
static bool utf8_whole(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80             ? 0
                : (*s & 0xE0) == 0xC0 ? 1
                : (*s & 0xF0) == 0xE0 ? 2
                : (*s & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0) return false;
        s++;
        while (n--)
            if ((*s++ & 0xC0) != 0x80) return false;
    }
    return true;
}

static void check_value(arena *a, const char *v)
{
    long long id = open311_id_parse(v);
    bool digits = *v && strspn(v, "0123456789") == strlen(v);
    if (id > 0) check(digits && strtoll(v, NULL, 10) == id, "id parse", v);
    if (digits && strlen(v) <= 18 && strtoll(v, NULL, 10) > 0) check(id > 0, "id refused", v);

    for (int axis = GEO_LAT; axis <= GEO_LON; axis++) {
        double x;
        if (!geo_parse(v, (enum geo_axis)axis, &x)) continue;
        check(plain_decimal(v), "geo took a non-decimal", v);
        check(axis == GEO_LAT ? x >= GEO_LAT_MIN && x <= GEO_LAT_MAX
                              : x >= GEO_LON_MIN && x <= GEO_LON_MAX,
              "geo outside the box", v);
        char pub[24];
        geo_public(x, pub, sizeof pub);
        check(strlen(pub) < sizeof pub && pub[0] >= '0' && pub[0] <= '9', "geo_public", pub);
    }

    size_t n = strlen(v);
    char *out = arena_alloc(a, n + 1), *again = arena_alloc(a, n + 1);
    redact_numbers(v, out, n + 1);
    check(strlen(out) <= n, "redact lengthened", v);
    check(redact_numbers(out, again, n + 1) == 0 && strcmp(out, again) == 0, "redact left a number",
          out);
    if (utf8_whole((const unsigned char *)v))
        check(utf8_whole((const unsigned char *)out), "redact cut a character", v);
    /* a small buffer truncates, never overflows */
    char small[5];
    redact_numbers(v, small, sizeof small);
    check(strlen(small) < sizeof small, "redact overflow", v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) return 0; /* larger bodies are refused before parsing */
    arena *a = arena_new();
    const char *in = arena_strndup(a, (const char *)data, size);
    struct pairs p = {0};
    for (const char *s = in; *s && p.n < MAX_PAIRS;) {
        size_t len = strcspn(s, "&");
        const char *eq = memchr(s, '=', len);
        size_t nl = eq ? (size_t)(eq - s) : len;
        p.name[p.n] = decode(a, s, nl);
        p.value[p.n] = eq ? decode(a, eq + 1, len - nl - 1) : "";
        p.n++;
        s += len;
        if (*s == '&') s++;
    }

    struct open311_filter f;
    const char *why = NULL;
    int st = open311_filter_parse(a, get, &p, 1796601600 /* 2026-12-07 */, &f, &why);
    if (st == 0) {
        check(f.limit == O311_MAX_REQUESTS, "filter limit", NULL);
        check(list_ok(f.ids) && list_ok(f.codes) && list_ok(f.states), "filter list",
              f.ids ? f.ids : f.codes);
        if (f.ids)
            check(!f.codes && !f.states && !f.from && !f.to, "ids alone", f.ids);
        else
            check(f.from > 0 && (!f.to || f.to >= f.from), "filter window", NULL);
    } else
        check(st == 400 && why && *why, "filter refusal", why);

    struct open311_post post;
    st = open311_post_parse(a, get, &p, &post, &why);
    if (st == 0) {
        check(post.api_key && post.service_code, "post key/code", NULL);
        check(!post.lat == !post.lon, "post lat/long", post.lat);
        check(post.lat || post.address_string || post.address_id, "post location", NULL);
        if (post.lat) {
            double x, y;
            check(geo_parse(post.lat, GEO_LAT, &x) && x == post.lat_v, "post lat", post.lat);
            check(geo_parse(post.lon, GEO_LON, &y) && y == post.lon_v, "post long", post.lon);
        }
    } else
        check((st == 400 || st == 403) && why && *why, "post refusal", why);

    for (int i = 0; i < p.n; i++) check_value(a, p.value[i]);
    arena_free(a);
    return 0;
}
