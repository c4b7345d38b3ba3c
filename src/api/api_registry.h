/* What the two registry APIs — organisations (api_orgs.c) and service
 * positions (api_stations.c) — share: the list window, the place filter
 * check, the places an entry serves as JSON. */
#ifndef LINLI_API_REGISTRY_H
#define LINLI_API_REGISTRY_H
#include <jansson.h>

#include "http/http.h"
#include "store/store_registry.h"

/* ?limit= (1..500, 50) and ?cursor= (an id). */
err_code api_list_window(req *r, int64_t *limit, int64_t *cursor);

/* A place filter: absent, or a place visible to the caller under cap; else
 * answers 404 on `field` and returns that error. */
err_code api_place_filter(req *r, const char *field, const char *code, const char *cap);

/* {items, next_cursor}: n rows were read for a page of limit; last_id is the
 * id of the page's last item. */
json_t *api_list_page(req *r, json_t *items, int n, int64_t limit, int64_t last_id);

/* [{code, name, level[, level_name]}] */
json_t *api_served_json(const struct served_place *p, int n, bool with_level_name);

/* An integer, or null when v < 0 (NULL stored) — or ≤ 0 for ids (zero_null). */
void api_set_opt_int(json_t *o, const char *key, int64_t v, bool zero_null);

#endif
