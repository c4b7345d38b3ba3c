/* Grids 网格 in SQL: a grid belongs to one community and covers places in it
 * (compounds, buildings …); its households are the 户 places below them. Its
 * workers are people (grid_workers) and the accounts granted over it.
 *
 * A grid is visible to a viewer holding cap over its community or over one of
 * its places (a grid worker's scope is their grid's places). Viewer 0 is the
 * trusted command line. */
#ifndef LINLI_STORE_GRIDS_H
#define LINLI_STORE_GRIDS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Columns of store_grid_get and store_grids_list. */
enum grid_col {
    GC_ID,
    GC_CODE,
    GC_NAME,
    GC_KIND,
    GC_COMMUNITY,
    GC_COMMUNITY_NAME,
    GC_CREATED_AT,
    GC_N_PLACES,
    GC_N_HOUSEHOLDS, /* 户 places below the grid's places */
    GC_N_RESIDENTS,
    GC_N_WORKERS,
    GC__COUNT
};

/* A grid with its counts (store_grid_get, store_grids_page). */
struct grid {
    int64_t id;
    const char *code, *name, *kind, *community_code, *community_name;
    int64_t n_places, n_households /* 户 places below its places */, n_residents, n_workers;
};
bool store_grid_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id, struct grid *out);
/* Visible grids whose community or one of whose places lies in the subtree of
 * place (NULL: all), by id, ids after after_id: rows of enum grid_col, or as
 * structs into *out with the count (-1 on a database error). */
db_rows *store_grids_list(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                          int64_t after_id, int limit);
int store_grids_page(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                     int64_t after_id, int limit, struct grid **out);

/* The functions below fill an array in the arena and return its count, or -1
 * on a database error. */

/* The grid's places. Unscoped like store_grid_accounts: callers have found
 * the grid with store_grid_get, whose scope covers it. */
struct grid_place {
    const char *code, *name, *level;
    int64_t n_households; /* below the place */
};
int store_grid_places(db *d, arena *a, int64_t grid_id, struct grid_place **out);
/* A grid's worker (a person); phone NULL where not asked. */
struct grid_worker {
    int64_t id;
    const char *name, *phone;
    bool reveal; /* the viewer holds people.reveal over the person */
};
/* The grid's workers in the viewer's people.read scope. */
int store_grid_workers(db *d, arena *a, int64_t viewer, int64_t grid_id, struct grid_worker **out);
/* Person ids of the grid's workers, unscoped (for the audit image). */
int store_grid_worker_ids(db *d, arena *a, int64_t grid_id, int64_t **out);
/* Accounts granted a role over the grid. */
struct grid_account {
    int64_t id;
    const char *username, *display_name, *role;
};
int store_grid_accounts(db *d, arena *a, int64_t grid_id, struct grid_account **out);
/* The name of a basic grid (other than except_id) having a place that
 * overlaps place_code (the same place, one above it or one below it), or NULL. */
const char *store_grid_overlapping(db *d, arena *a, const char *place_code, int64_t except_id);
/* Candidates for a grid's worker in a community (no phone): community workers
 * of the community, then people already working one of its grids. */
int store_grid_worker_candidates(db *d, arena *a, int64_t viewer, const char *community,
                                 struct grid_worker **out);

/* Writes (no scope: the service checked it). */
int64_t store_grid_insert(db *d, const char *code, const char *name, const char *kind,
                          const char *community);
int store_grid_update(db *d, int64_t id, const char *name, const char *kind);
int store_grid_places_set(db *d, int64_t id, const char *const *codes, int n);
int store_grid_workers_set(db *d, int64_t id, const int64_t *people, int n);
bool store_grid_code_taken(db *d, const char *code);
/* Grids of a community so far (to number a new grid's code). */
int64_t store_grids_in_community(db *d, const char *community);

#endif
