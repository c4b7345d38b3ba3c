/* Open311 parameters; see open311_params.h. */
#include "api/open311_params.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/geo.h"
#include "core/order_fsm.h"
#include "util/buf.h"
#include "util/clock.h"

static const char *val(o311_get_fn get, void *ctx, const char *name)
{
    const char *v = get(ctx, name);
    return v && *v ? v : NULL;
}

/* ",a,b," from "a,b" (spaces and empty items dropped), NULL for none; *bad
 * when the list is too long. */
static const char *list_of(arena *a, const char *v, bool *bad)
{
    if (!v || !*v) return NULL;
    if (strlen(v) > O311_MAX_LIST_CHARS) {
        *bad = true;
        return NULL;
    }
    buf b = {0};
    buf_puts(&b, ",");
    int items = 0;
    bool open_item = false;
    for (const char *p = v; *p; p++) {
        if (*p == ' ') continue;
        if (*p == ',') {
            if (open_item) buf_puts(&b, ","), items++;
            open_item = false;
            continue;
        }
        buf_raw(&b, p, 1);
        open_item = true;
    }
    if (open_item) buf_puts(&b, ","), items++;
    const char *out = items ? arena_strdup(a, buf_cstr(&b)) : NULL;
    buf_free(&b);
    if (items > O311_MAX_LIST_ITEMS) *bad = true;
    return out;
}

bool open311_parse_when(const char *s, time_t *out)
{
    if (clock_parse_rfc3339(s, out)) return true;
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] || m < 1 || m > 12 || d < 1 ||
        d > 31 || y < 1970 || y > 9999)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *out = timegm(&tm);
    return true;
}

int open311_filter_parse(arena *a, o311_get_fn get, void *ctx, time_t now, struct open311_filter *f,
                         const char **why)
{
    *f = (struct open311_filter){.limit = O311_MAX_REQUESTS};
    bool bad = false;
    f->ids = list_of(a, val(get, ctx, "service_request_id"), &bad);
    if (bad) return *why = "service_request_id lists too many requests", 400;
    if (f->ids) return 0; /* the spec: other parameters are ignored when ids are given */
    f->codes = list_of(a, val(get, ctx, "service_code"), &bad);
    if (bad) return *why = "service_code lists too many services", 400;
    const char *status = val(get, ctx, "status");
    if (status) {
        bool open = strstr(status, "open") != NULL, closed = strstr(status, "closed") != NULL;
        if (!open && !closed) return *why = "status must be open or closed", 400;
        buf b = {0};
        buf_puts(&b, ",");
        for (int s = 0; s < ORDER_STATE_COUNT; s++)
            if (order_state_is_active((enum order_state)s) ? open : closed)
                buf_printf(&b, "%s,", order_state_id((enum order_state)s));
        f->states = arena_strdup(a, buf_cstr(&b));
        buf_free(&b);
    }
    const char *sd = val(get, ctx, "start_date"), *ed = val(get, ctx, "end_date");
    time_t t;
    if (sd) {
        if (!open311_parse_when(sd, &t)) return *why = "start_date is not a w3c datetime", 400;
        f->from = t > 0 ? t : 1; /* 0 would mean "open" to the store */
    }
    if (ed) {
        if (!open311_parse_when(ed, &t)) return *why = "end_date is not a w3c datetime", 400;
        f->to = t > 0 ? t : 1;
    }
    if (f->from && f->to && f->to < f->from) return *why = "end_date is before start_date", 400;
    /* the spec's default window: the most recent 90 days */
    if (!f->from && !f->to)
        f->from = now - O311_DEFAULT_DAYS * 86400;
    else if (!f->from && f->to)
        f->from = f->to - O311_DEFAULT_DAYS * 86400;
    if (f->from <= 0) f->from = 1; /* 0 would mean "open" to the store */
    return 0;
}

int open311_post_parse(arena *a, o311_get_fn get, void *ctx, struct open311_post *p,
                       const char **why)
{
    (void)a;
    *p = (struct open311_post){0};
    p->api_key = val(get, ctx, "api_key");
    if (!p->api_key) return *why = "api_key was not provided or is invalid", 403;
    p->service_code = val(get, ctx, "service_code");
    if (!p->service_code) return *why = "service_code was not provided", 400;
    p->lat = val(get, ctx, "lat");
    p->lon = val(get, ctx, "long");
    p->address_string = val(get, ctx, "address_string");
    p->address_id = val(get, ctx, "address_id");
    if ((p->lat != NULL) != (p->lon != NULL))
        return *why = "lat and long must be given together", 400;
    if (!p->lat && !p->address_string && !p->address_id)
        return *why = "a location (lat & long, address_string or address_id) is required", 400;
    if (p->lat && !geo_parse(p->lat, GEO_LAT, &p->lat_v)) return *why = geo_reason_zh(GEO_LAT), 400;
    if (p->lon && !geo_parse(p->lon, GEO_LON, &p->lon_v)) return *why = geo_reason_zh(GEO_LON), 400;
    p->description = val(get, ctx, "description");
    p->phone = val(get, ctx, "phone");
    return 0;
}

long long open311_id_parse(const char *s)
{
    if (!s || !*s) return 0;
    long long n = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || n > (LLONG_MAX - 9) / 10) return 0;
        n = n * 10 + (*p - '0');
    }
    return n;
}
