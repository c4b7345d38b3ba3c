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

/* What a registry's service gives the one write path: how it stores a row,
 * replaces its places served, validates an input onto a row, draws the
 * audit image, and where a row sits. */
struct svc_registry_ops {
    const char *entity;                    /* of the audit entry: "organisation", "station" */
    const char *what_create, *what_update; /* in the server log */
    int64_t (*store)(db *d, int64_t id, const void *row); /* insert (id 0) or update: id or < 0 */
    int (*places_set)(db *d, int64_t id, const char *const *codes, int n);
    struct svc_result (*validate)(db *d, arena *a, const struct principal *who, int64_t self,
                                  const void *in, void *row, const char *const **places, int *n);
    const char *(*audit)(arena *a, const void *row, const char *const *places, int n);
    const char *(*place_code)(const void *row);
};

/* Validates `in` onto row and writes it in one svc_tx(): the row, the places
 * served (replaced when set_places), the audit entry. id 0 creates (row holds
 * the defaults); else row and before hold the stored entry, served by
 * pbefore[0..nbefore). */
struct svc_result svc_registry_save(db *d, arena *a, const struct principal *who,
                                    const struct svc_registry_ops *ops, int64_t id, const void *in,
                                    bool set_places, void *row, const void *before,
                                    const char *const *pbefore, int nbefore);

/* JSON null for NULL, else the string. */
json_t *svc_json_str(const char *s);

#endif
