/* What the two registries' services — organisations (svc_orgs.c) and service
 * positions (svc_stations.c) — share: the list of places an entry serves,
 * checked the one way, and its audit image. */
#ifndef LINLI_SVC_REGISTRY_H
#define LINLI_SVC_REGISTRY_H
#include <jansson.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_registry.h"

/* The served places as given: trimmed, empty and repeated codes dropped, each
 * visible to viewer under cap (else E_NOT_FOUND on `field` with not_found, a
 * format taking the code). More than max: E_BAD_INPUT too_many. */
struct svc_registry_places {
    const char *field, *too_many, *not_found;
    int max;
};
struct svc_result svc_registry_places(db *d, arena *a, int64_t viewer, const char *cap,
                                      const struct svc_registry_places *rule, const char *const *in,
                                      int n, const char *const **codes, int *ncodes);

/* The codes of served places. */
const char *const *svc_registry_codes(arena *a, const struct served_place *p, int n);

/* codes[0..n) as a JSON array. */
json_t *svc_registry_codes_json(const char *const *codes, int n);
/* o as compact JSON text in a (o is freed). */
const char *svc_registry_dump(arena *a, json_t *o);

/* One registry write (create when id is 0): the row stored by `store`
 * (insert when id is 0, else update; the id or < 0), the places served
 * replaced when set_places, and the audit entry — in one svc_tx(). */
struct svc_registry_write {
    const char *entity; /* of the audit entry: "organisation", "station" */
    int64_t id;
    const void *row;
    int64_t (*store)(db *d, int64_t id, const void *row);
    int (*places_set)(db *d, int64_t id, const char *const *codes, int n);
    const char *const *places;
    int nplaces;
    bool set_places;
    const char *place_code, *before_json, *after_json;
};
struct svc_result svc_registry_write(db *d, arena *a, const struct principal *who, const char *what,
                                     struct svc_registry_write *w);

/* JSON null for NULL, else the string. */
json_t *svc_json_str(const char *s);

#endif
