/* Binders of the place and grid operations (see http/bind.h): the one mapping
 * from a request to a service input, shared by the API and the pages. */
#ifndef LINLI_BIND_PLACES_H
#define LINLI_BIND_PLACES_H
#include "http/bind.h"
#include "service/svc_grids.h"

/* POST /api/v1/grids and POST /grids (struct grid_input). */
extern const struct binder grid_create_bind;
/* PATCH /api/v1/grids/{id} and POST /grids/{id}: absent fields are kept. */
extern const struct binder grid_update_bind;

#endif
