/* What the two registries' services — organisations (svc_orgs.c) and service
 * positions (svc_stations.c) — share: the list of places an entry serves,
 * checked the one way, and its audit image. */
#ifndef LINLI_SVC_REGISTRY_H
#define LINLI_SVC_REGISTRY_H
#include <jansson.h>

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

/* JSON null for NULL, else the string. */
json_t *svc_json_str(const char *s);

#endif
