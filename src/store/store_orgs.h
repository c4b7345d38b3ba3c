/* Organisations in SQL: party organisations, departments, co-building units,
 * property companies, owners' committees, volunteer teams — one entity with a
 * kind, a home place, a parent in the party tree and the places it serves —
 * and the 共建协议 (agreements) between units and communities.
 *
 * An organisation is visible to a viewer holding cap over its home place,
 * over a place it serves, over a place inside an area it serves (a county
 * department serving the county is seen by 滨河社区's secretary), or over a
 * community it has a 共建协议 with. Viewer 0 is the trusted command line. */
#ifndef LINLI_STORE_ORGS_H
#define LINLI_STORE_ORGS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/store_registry.h"

/* Columns of store_org_get, store_orgs_list and store_org_children. */
enum org_col {
    OC_ID,
    OC_KIND,
    OC_NAME,
    OC_PARENT_ID,
    OC_PARENT_NAME,
    OC_PLACE_CODE,
    OC_PLACE_NAME,
    OC_FORMATION,
    OC_PHONE,
    OC_CREATED_AT,
    OC_HAS_POSITION, /* 五有 flags: "1", "0" or NULL (not assessed) */
    OC_HAS_LEDGER,
    OC_HAS_MECHANISM,
    OC_HAS_PLAN,
    OC_SECRETARY_ID,
    OC_SECRETARY_NAME,
    OC_SECRETARY_WAY,
    OC_ONE_SHOULDER,
    OC_N_PLACES,   /* places served, all of them (the viewer may see fewer) */
    OC_N_CHILDREN, /* sub-organisations */
    OC_N_MEMBERS,  /* party members whose branch this is */
    OC__COUNT
};

db_rows *store_org_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id);

struct org_filter {
    const char *kind;   /* kind id, or NULL */
    const char *place;  /* home place in this subtree, or NULL */
    const char *serves; /* serves a place in this subtree, or NULL */
    const char *q;      /* name contains, or NULL */
    int64_t parent_id;  /* 0: any */
    int64_t after_id;   /* keyset cursor: ids greater than this */
    int limit;
};
/* Visible organisations matching f, by id. */
db_rows *store_orgs_list(db *d, arena *a, int64_t viewer, const char *cap,
                         const struct org_filter *f);

/* Places an organisation serves that lie in the viewer's cap scope, by code:
 * code, name, level. */
db_rows *store_org_places(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id);

/* Party members whose branch is org_id, in the viewer's people.read scope, by
 * id: id, name, sex, place_code, place_name, member_kind, joined_on,
 * can_reveal (1 when the viewer holds people.reveal over the person). */
enum member_col { MC_ID, MC_NAME, MC_SEX, MC_PLACE, MC_PLACE_NAME, MC_KIND, MC_JOINED, MC_REVEAL };
db_rows *store_org_members(db *d, arena *a, int64_t viewer, int64_t org_id, int limit);

/* Agreements whose community is in the viewer's cap scope, newest first:
 * id, org_id, org_name, place_code, place_name, title, signed_on, expires_on,
 * created_at. Of one organisation, or of every community in a subtree. */
enum agreement_col {
    AG_ID,
    AG_ORG_ID,
    AG_ORG_NAME,
    AG_PLACE,
    AG_PLACE_NAME,
    AG_TITLE,
    AG_SIGNED,
    AG_EXPIRES,
    AG_CREATED
};
db_rows *store_org_agreements(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id);
db_rows *store_place_agreements(db *d, arena *a, int64_t viewer, const char *cap,
                                const char *place_code);
db_rows *store_agreement_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id);

/* True when org `id` is `ancestor` or lies below it in the party tree (the
 * check that keeps parent links free of cycles). */
bool store_org_is_below(db *d, int64_t id, int64_t ancestor);

/* Branch coverage (小区党支部覆盖) under a place in the viewer's cap scope.
 * Compounds (小区) of the subtree by code: code, name, n_party_members (party
 * members living in it), has_standalone / has_joint (1 when a branch of that
 * formation sits in it or serves it). */
enum branch_compound_col { BCC_CODE, BCC_NAME, BCC_MEMBERS, BCC_STANDALONE, BCC_JOINT };
db_rows *store_branch_compounds(db *d, arena *a, int64_t viewer, const char *cap,
                                const char *place);
/* Branches anchored in the subtree (their home place, else the first place
 * they serve), by anchor: id, anchor, formation ("standalone"/"joint"; when
 * not recorded, joint if it serves more than one place). */
enum branch_col { BR_ID, BR_ANCHOR, BR_FORMATION };
db_rows *store_branches_under(db *d, arena *a, int64_t viewer, const char *cap, const char *place);

/* ---- Rows as structs (callers outside store/ read fields, not columns) ---- */

/* Writes (no scope: the service checked it). Flags: -1 NULL, 0, 1. */
struct org_row {
    const char *kind, *name, *place_code, *formation, *phone, *secretary_way;
    int64_t parent_id, secretary_person_id; /* 0: none */
    int has_position, has_ledger, has_mechanism, has_plan, one_shoulder;
};

/* An organisation as read: its stored values and what the joins add. */
struct org_view {
    int64_t id;
    struct org_row row;
    const char *parent_name, *place_name, *secretary_name;
    long n_places;   /* places served, all of them (the viewer may see fewer) */
    long n_children; /* sub-organisations */
    long n_members;  /* party members whose branch this is */
};
/* store_org_get as a struct: false when absent or not visible. */
bool store_org_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                    struct org_view *out);
/* store_orgs_list as structs: the count, or -1 when the query failed. */
int store_orgs_find(db *d, arena *a, int64_t viewer, const char *cap, const struct org_filter *f,
                    struct org_view **out);
/* store_org_places as structs; -1 on failure. */
int store_org_served(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id,
                     struct served_place **out);

struct org_member {
    int64_t id;
    const char *name, *sex, *place_code, *place_name, *member_kind, *joined_on;
    bool can_reveal; /* the viewer holds people.reveal over the person */
};
/* store_org_members as structs; -1 on failure. */
int store_org_member_list(db *d, arena *a, int64_t viewer, int64_t org_id, int limit,
                          struct org_member **out);

struct agreement_view {
    int64_t id, org_id;
    const char *org_name, *place_code, *place_name, *title, *signed_on, *expires_on;
};
/* store_org_agreements as structs; -1 on failure. */
int store_org_agreement_list(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id,
                             struct agreement_view **out);
/* store_place_agreements as structs; -1 on failure. */
int store_place_agreement_list(db *d, arena *a, int64_t viewer, const char *cap,
                               const char *place_code, struct agreement_view **out);
/* store_agreement_get as a struct: false when absent or not visible. */
bool store_agreement_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                          struct agreement_view *out);

/* Branch coverage as structs: the compounds and the branches under a place
 * (store_branch_compounds, store_branches_under); -1 on failure. */
struct branch_compound {
    const char *code, *name;
    long members;
    bool standalone, joint;
};
int store_branch_compound_list(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                               struct branch_compound **out);
struct branch_anchor {
    const char *anchor;
    bool joint;
};
int store_branch_anchor_list(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                             struct branch_anchor **out);

/* Returns the new id or a negative DB_* code. */
int64_t store_org_insert(db *d, const struct org_row *o);
int store_org_update(db *d, int64_t id, const struct org_row *o);
/* Replaces the places served with codes[0..n). */
int store_org_places_set(db *d, int64_t id, const char *const *codes, int n);
int64_t store_agreement_insert(db *d, int64_t org_id, const char *place_code, const char *title,
                               const char *signed_on, const char *expires_on);

#endif
