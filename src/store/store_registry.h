/* What the two registries — organisations (store_orgs.h) and service
 * positions (store_stations.h) — share: the places an entry serves, as
 * structs. */
#ifndef LINLI_STORE_REGISTRY_H
#define LINLI_STORE_REGISTRY_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/store_rows.h"

/* A place an organisation or a station serves. */
struct served_place {
    const char *code, *name, *level;
};

/* Rows of (code, name, level) as an array in a; the count, or -1 when r is
 * NULL (the query failed). */
int store_served_places_of(arena *a, const db_rows *r, struct served_place **out);

/* The place (code, name, level) when the viewer sees it under cap. */
bool store_registry_place(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                          struct served_place *out);
/* The first top place of the viewer's scope under cap (a list's default), or NULL. */
const char *store_registry_top_place(db *d, arena *a, int64_t viewer, const char *cap);

/* A flag column "1"/"0"/NULL as 1, 0 or -1 (not recorded). */
int store_flag_of(const char *v);

#endif
