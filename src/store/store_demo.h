/* The few statements the demo county needs besides the bulk writers
 * (store_bulk.h, store_places_write.h). */
#ifndef LINLI_STORE_DEMO_H
#define LINLI_STORE_DEMO_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* True when the database has no accounts and no people: the demo is only
 * ever created in an empty database. */
bool store_demo_db_empty(db *d);
/* The next free id of "people", "organisations" or "grids" (MAX(id) + 1),
 * so the demo can write rows with explicit ids; -1 on error. */
int64_t store_demo_next_id(db *d, const char *table);
/* Links an account to the person it is (accounts.person_id). */
int store_demo_link_person(db *d, const char *username, int64_t person_id);

/* The communities of the county's subtree that have a grid, by code: their
 * number (*codes in a) or -1 on error. */
int store_demo_communities_with_grids(db *d, arena *a, const char *county, const char ***codes);

#endif
