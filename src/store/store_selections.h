/* Selections 评选 in SQL (migration 017): selections of a community, their
 * nominations, review, publication and the public list of winners. Reads take
 * the viewer and check scope in the query (store/scope.h). */
#ifndef LINLI_STORE_SELECTIONS_H
#define LINLI_STORE_SELECTIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A selection as services and handlers read it (strings in the arena). */
struct selection_row {
    int64_t id, year, opens_at, closes_at, points, published_at; /* published_at 0: not yet */
    const char *name, *kind, *place_code, *place_name, *honour, *state;
    bool can_manage; /* people.write over the community */
};
/* A nomination (household and compound NULL where none). */
struct nomination_row {
    int64_t id, selection_id, person_id, by, honoured_at, created_at;
    const char *name, *household, *compound, *reason, *state, *review_reason;
    bool self;
};
/* A person of a community as a nomination needs them. */
struct nominee_row {
    int64_t id;
    const char *place_code;
    bool is_partner;
};

struct selection_new {
    const char *name, *kind, *place_code, *honour;
    int year;
    int64_t opens_at, closes_at, points, created_by;
};
int64_t store_selection_insert(db *d, const struct selection_new *s, int64_t now);
/* One selection the viewer sees (self or people.write over its community;
 * viewer 0: any): false when absent or out of scope. */
bool store_selection_read(db *d, arena *a, int64_t viewer, int64_t id, struct selection_row *out);
/* Those the viewer sees, newest first, with ids below before_id (0: all):
 * their number, or −1 when the store failed. */
int store_selections_find(db *d, arena *a, int64_t viewer, int64_t before_id, int limit,
                          struct selection_row **out);

/* A person living in the community: false when none. */
bool store_selection_nominee(db *d, arena *a, const char *community, int64_t person,
                             struct nominee_row *out);
/* The one person named name living in the community: their number (only 1
 * fills *out), or −1 when the store failed. */
int store_selection_nominee_named(db *d, arena *a, const char *community, const char *name,
                                  struct nominee_row *out);
/* The accounts linked to a person (column 0: account id). */
db_rows *store_selection_person_accounts(db *d, arena *a, int64_t person);
/* The head of a household (relation 户主), or 0. */
int64_t store_selection_household_head(db *d, const char *household);

/* DB_CONSTRAINT when the person is already nominated. */
int64_t store_nomination_insert(db *d, int64_t selection, int64_t person, const char *household,
                                const char *reason, int self, int64_t by, int64_t now);
/* Nominations of a selection (by > 0: only those made by that account; state
 * non-NULL: only in that state): their number, or −1 when the store failed. */
int store_nominations_find(db *d, arena *a, int64_t selection, int64_t by, const char *state,
                           struct nomination_row **out);
/* One nomination: false when none. */
bool store_nomination_read(db *d, arena *a, int64_t id, struct nomination_row *out);
/* Conditional on state pending: rows changed (0 or 1) or -1. */
int store_nomination_review(db *d, int64_t id, int approve, const char *reason, int64_t by,
                            int64_t now);
/* Conditional on state open; marks the approved nominations honoured. */
int store_selection_publish(db *d, int64_t id, int64_t now);

#endif
