/* Grid operations shared by the command line, the pages and the API: create a
 * grid (基础网格 / 专属网格) in a community, set the places it covers and the
 * people who work it. A write needs places.write over the community; a place
 * belongs to at most one basic grid (多网合一), and a grid's places do not
 * nest, so its household count is exact. Every change is audited. */
#ifndef LINLI_SVC_GRIDS_H
#define LINLI_SVC_GRIDS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

#define GRID_NAME_MAX    60 /* characters */
#define GRID_PLACES_MAX  500
#define GRID_WORKERS_MAX 20

/* NULL strings and unset lists keep what is stored (the community of a grid
 * never changes). */
struct grid_input {
    const char *code; /* optional on create: assigned as <community>-NN */
    const char *name;
    const char *kind;           /* basic/dedicated or 基础网格/专属网格 */
    const char *community_code; /* create only */
    bool set_places;
    const char *const *places;
    int nplaces;
    bool set_workers;
    const int64_t *workers; /* person ids */
    int nworkers;
};

struct svc_result svc_grid_create(db *d, arena *a, const struct principal *who,
                                  const struct grid_input *in);
struct svc_result svc_grid_update(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct grid_input *in);

#endif
