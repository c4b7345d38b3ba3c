/* Read queries for the place tree (省 → … → 户) as an account sees it: one
 * place, its children, the account's top scopes, breadcrumbs and search, each
 * row with the counts shown at every level of the tree.
 *
 * Every query takes the viewer's account id and a capability and checks data
 * scope in SQL (store/scope.h); viewer 0 is the trusted command line. A place
 * outside scope is simply absent, so callers answer 404. */
#ifndef LINLI_STORE_PLACES_H
#define LINLI_STORE_PLACES_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Columns of every place row with counts (get, children, tops, search).
 * Counts are over the place's whole subtree: households (户 places), residents
 * (people whose place lies in it), party members among them, and party
 * branches located in it or covering a place in it. */
enum place_col {
    PLC_CODE,
    PLC_NAME,
    PLC_LEVEL,
    PLC_KIND,
    PLC_PARENT,
    PLC_N_CHILDREN, /* direct child places */
    PLC_N_HOUSEHOLDS,
    PLC_N_RESIDENTS,
    PLC_N_PARTY_MEMBERS,
    PLC_N_BRANCHES,
    PLC__COUNT
};

/* A place row with counts, as a struct. */
struct place {
    const char *code, *name, *level, *kind, *parent_code;
    int64_t n_children, n_households, n_residents, n_party_members, n_branches;
};
/* The place rows of get/children/tops/search as structs into *out (in r's
 * arena): the count, or -1 when r is NULL (a database error). */
int store_place_rows(arena *a, const db_rows *r, struct place **out);

/* One place with counts, or NULL when absent or outside the viewer's scope. */
db_rows *store_place_get(db *d, arena *a, int64_t viewer, const char *cap, const char *code);
/* Direct children of a place in scope, by code, after after_code (NULL: from
 * the start), at most limit rows. */
db_rows *store_place_children(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                              const char *after_code, int limit);
/* The highest places the viewer holds cap over (no one inside another), by
 * code. Viewer 0: the roots of the tree. */
db_rows *store_place_tops(db *d, arena *a, int64_t viewer, const char *cap);
/* The code of the first of them, or NULL. */
const char *store_place_top_code(db *d, arena *a, int64_t viewer, const char *cap);
/* Direct children in scope without counts, by code: code, name, level. */
db_rows *store_place_child_names(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                                 int limit);
/* Places in scope whose name contains q, by code, keyset-paged like children. */
db_rows *store_place_search(db *d, arena *a, int64_t viewer, const char *cap, const char *q,
                            const char *after_code, int limit);

/* Ancestors of a place, root first, not including the place: code, name,
 * level, in_scope (1 when the viewer holds cap over it). Names of divisions are
 * public, so the caller shows them all but links only those in scope. */
enum ancestor_col { ANC_CODE, ANC_NAME, ANC_LEVEL, ANC_IN_SCOPE };
db_rows *store_place_ancestors(db *d, arena *a, int64_t viewer, const char *cap, const char *code);
/* The same ancestors as structs into *out: the count, or -1 on a database
 * error. */
struct place_step {
    const char *code, *name, *level;
    bool in_scope;
};
int store_place_path(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                     struct place_step **out);

/* People whose place is exactly this one (the members of a household), in the
 * viewer's people.read scope, by id: id, name, sex, birth_date, relation,
 * member_kind (NULL: not a party member), can_reveal (1 when the viewer holds
 * people.reveal over the place, so the name may be shown unmasked). */
enum resident_col {
    RES_ID,
    RES_NAME,
    RES_SEX,
    RES_BIRTH,
    RES_RELATION,
    RES_MEMBER_KIND,
    RES_REVEAL,
    RES_ID_NUMBER, /* shown masked: the household page is a list */
    RES_PHONE
};
db_rows *store_place_residents(db *d, arena *a, int64_t viewer, const char *code);
/* The same residents as structs into *out: the count, or -1 on a database
 * error. */
struct place_resident {
    int64_t id;
    const char *name, *sex, *birth_date, *relation, *member_kind, *id_number, *phone;
    bool reveal;
};
int store_place_residents_of(db *d, arena *a, int64_t viewer, const char *code,
                             struct place_resident **out);

/* The place code of a person the viewer holds cap over (copied into the
 * arena), or NULL when the person is absent or outside scope. Services use it
 * to check a secretary or a grid worker they are given. */
const char *store_person_place_in_scope(db *d, arena *a, int64_t viewer, const char *cap,
                                        int64_t person_id);

/* Level of a place ("community" …) copied into the arena, regardless of scope
 * (services use it after their own scope check); NULL when absent. */
const char *store_place_level(db *d, arena *a, const char *code);

#endif
