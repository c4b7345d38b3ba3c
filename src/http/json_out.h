/* Small helpers for building API objects with jansson: NULL strings become
 * JSON null, ids and counts integers. */
#ifndef LINLI_JSON_OUT_H
#define LINLI_JSON_OUT_H
#include <jansson.h>

#include "store/db.h"

void json_set_str(json_t *o, const char *key, const char *v); /* null when v is NULL */
void json_set_id(json_t *o, const char *key, const char *v);  /* integer, null when NULL */
void json_set_int(json_t *o, const char *key, long long v);
void json_set_bool(json_t *o, const char *key, int v);
/* RFC 3339 in UTC from Unix seconds as text (a store cell), null when NULL. */
void json_set_time(json_t *o, const char *key, const char *unix_s);
void json_set_time_at(json_t *o, const char *key, int64_t t);
/* A struct field where 0 means none: the id (integer) or the time, else null. */
void json_set_id_nz(json_t *o, const char *key, int64_t id);
void json_set_time_nz(json_t *o, const char *key, int64_t t);
/* {"items":[…],"next_cursor":…}; steals items. */
json_t *json_page(json_t *items, const char *next_cursor);
/* The same with the next cursor an id: the last item's when more follow, else
 * none (next_id 0). */
json_t *json_page_id(json_t *items, int64_t next_id);

#endif
