/* Parsing of Open311 GeoReport v2 parameters, apart from the server so that
 * it can be fuzzed (tests/fuzz/fuzz_open311.c) and reasoned about alone: the
 * GET filters of /requests and the fields of a POST. Values come through a
 * getter (the request's query or form, or the fuzzer's pairs); everything
 * returned is in the arena. Nothing here touches the database. */
#ifndef LINLI_OPEN311_PARAMS_H
#define LINLI_OPEN311_PARAMS_H
#include <time.h>

#include "store/store_open311.h"
#include "util/arena.h"

/* A parameter's value, or NULL when absent. */
typedef const char *(*o311_get_fn)(void *ctx, const char *name);

#define O311_MAX_REQUESTS   1000
#define O311_DEFAULT_DAYS   90
#define O311_MAX_LIST_ITEMS 1000 /* service_request_id / service_code lists */
#define O311_MAX_LIST_CHARS 20000

/* The GET /requests filter at now: 0 and *f filled, or the HTTP status (400)
 * with *why, the spec's error description. */
int open311_filter_parse(arena *a, o311_get_fn get, void *ctx, time_t now, struct open311_filter *f,
                         const char **why);

/* The fields of a POST, trimmed to NULL when empty. lat/lon are the text as
 * given, checked by core/geo.h (and lat_v/lon_v their values). */
struct open311_post {
    const char *api_key, *service_code, *lat, *lon, *address_string, *address_id, *description,
        *phone;
    double lat_v, lon_v;
};
/* 0 and *p filled, or the status (403 no api_key, 400 otherwise) with *why. */
int open311_post_parse(arena *a, o311_get_fn get, void *ctx, struct open311_post *p,
                       const char **why);

/* A request id of a path ("123", the .json/.xml already removed): > 0, or 0
 * when it is no positive decimal without sign, spaces or leading junk. */
long long open311_id_parse(const char *s);

/* A W3C datetime, or a date alone (start of that day, UTC). */
bool open311_parse_when(const char *s, time_t *out);

#endif
