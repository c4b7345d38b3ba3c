#include "http/json_out.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/clock.h"

void json_set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

void json_set_id(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_integer(strtoll(v, NULL, 10)) : json_null());
}

void json_set_int(json_t *o, const char *key, long long v)
{
    json_object_set_new(o, key, json_integer(v));
}

void json_set_bool(json_t *o, const char *key, int v)
{
    json_object_set_new(o, key, json_boolean(v));
}

json_t *json_page(json_t *items, const char *next_cursor)
{
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    json_set_str(o, "next_cursor", next_cursor);
    return o;
}

json_t *json_page_id(json_t *items, int64_t next_id)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)next_id);
    return json_page(items, next_id ? id : NULL);
}

void json_set_time_at(json_t *o, const char *key, int64_t t)
{
    char ts[32];
    clock_format_rfc3339((time_t)t, ts);
    json_object_set_new(o, key, json_string(ts));
}

void json_set_id_nz(json_t *o, const char *key, int64_t id)
{
    json_object_set_new(o, key, id ? json_integer(id) : json_null());
}

void json_set_time_nz(json_t *o, const char *key, int64_t t)
{
    if (t)
        json_set_time_at(o, key, t);
    else
        json_object_set_new(o, key, json_null());
}

void json_set_time(json_t *o, const char *key, const char *unix_s)
{
    if (!unix_s)
        json_object_set_new(o, key, json_null());
    else
        json_set_time_at(o, key, atoll(unix_s));
}
