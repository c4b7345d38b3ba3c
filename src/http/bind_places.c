/* Binders of the place and grid operations; see bind_places.h. */
#include "http/bind_places.h"

#define GRID_LISTS                                                                                 \
    BIND_TEXT_LIST(struct grid_input, places, nplaces, set_places, "places", GRID_PLACES_MAX, 0),  \
        BIND_ID_LIST(struct grid_input, workers, nworkers, set_workers, "workers",                 \
                     GRID_WORKERS_MAX, 0)

static const struct bind_field grid_create_fields[] = {
    BIND_TEXT(struct grid_input, code, "code", 0, 0),
    BIND_TEXT(struct grid_input, name, "name", GRID_NAME_MAX, BIND_REQUIRED),
    BIND_TEXT(struct grid_input, kind, "kind", 0, BIND_REQUIRED),
    BIND_TEXT(struct grid_input, community_code, "community_code", 0, BIND_REQUIRED),
    GRID_LISTS,
    {0}};
BINDER(grid_create_bind, grid_create_fields, "POST /api/v1/grids", "POST /grids");

static const struct bind_field grid_update_fields[] = {
    BIND_TEXT(struct grid_input, name, "name", GRID_NAME_MAX, 0),
    BIND_TEXT(struct grid_input, kind, "kind", 0, 0),
    BIND_TEXT(struct grid_input, community_code, "community_code", 0, BIND_API_ONLY),
    GRID_LISTS,
    {0}};
BINDER(grid_update_bind, grid_update_fields, "PATCH /api/v1/grids/{id}", "POST /grids/{id}");
