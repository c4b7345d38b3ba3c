/* The points ledger and the points supermarket in SQL (migration 014).
 * Writes take no scope (the service checked it); reads take the viewer and a
 * capability and check scope with SCOPE_COVERS (viewer 0: the command line). */
#ifndef LINLI_STORE_POINTS_H
#define LINLI_STORE_POINTS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Whether viewer holds cap over place (viewer 0: always). */
bool store_points_covers(db *d, int64_t viewer, const char *cap, const char *place);
/* The community (level community) that is place or contains it, or NULL. */
const char *store_points_community_of(db *d, arena *a, const char *place);

/* The ledger account of kind "issue"/"market" of a community (person 0) or of a
 * person (kind "person"), created on first use. < 0: store error. */
int64_t store_points_account(db *d, const char *kind, const char *place, int64_t person);
/* A person's cached balance (0 without an account). */
int64_t store_points_balance(db *d, int64_t person);
/* Takes the row lock of a ledger account (PostgreSQL; SQLite holds the whole
 * database from BEGIN IMMEDIATE), so that checks made after it see every
 * movement committed before. */
int store_points_lock(db *d, int64_t account);

struct points_movement_row {
    const char *kind, *place_code, *source_type, *reason;
    int64_t person_id, points, source_id, created_by, reverses_id;
};
struct points_entry {
    int64_t account_id, amount;
};
/* Posts a movement and its entries (which must sum to zero) and moves the
 * cached balances: an account other than an issuing account never goes below
 * zero (a conditional UPDATE). Returns the movement id; 0 when a balance would
 * go below zero (the caller rolls back); < 0 a store error (DB_CONSTRAINT: the
 * source was paid already, or the movement was reversed already). */
int64_t store_points_post(db *d, const struct points_movement_row *m, const struct points_entry *e,
                          int n);

/* The award movement of (source_type, source_id, person), or 0. */
int64_t store_points_award_of(db *d, const char *source_type, int64_t source_id, int64_t person);
/* Points of awards of source_type to person at community in [from, to), net of
 * reversals (a reversed award frees its share of the cap). */
int64_t store_points_awarded(db *d, int64_t person, const char *community, const char *source_type,
                             int64_t from, int64_t to);

enum pm_col {
    PM_ID,
    PM_KIND,
    PM_PLACE,
    PM_PERSON,
    PM_POINTS,
    PM_SOURCE_TYPE,
    PM_SOURCE_ID,
    PM_REASON,
    PM_CREATED_BY,
    PM_CREATED_AT,
    PM_REVERSES,
    PM_REVERSED_BY,
    PM_PERSON_NAME,
    PM_ACTOR
};
/* One movement, if viewer may see it (points.read over its community, or it is
 * the viewer's own person_id — pass self_person, 0 for none). */
db_rows *store_points_movement(db *d, arena *a, int64_t viewer, const char *cap,
                               int64_t self_person, int64_t id);
/* Entries of a movement: account_id, amount. */
db_rows *store_points_entries(db *d, arena *a, int64_t movement);
/* A person's movements, newest first, ids below before_id (0: from the newest),
 * columns enum pm_col. */
db_rows *store_points_statement(db *d, arena *a, int64_t person, int64_t before_id, int limit);
/* The newest movements at a place subtree, columns enum pm_col. */
db_rows *store_points_recent(db *d, arena *a, const char *place, int limit);
/* The widest place over which viewer holds cap (the staff page's default), or NULL. */
const char *store_points_scope_place(db *d, arena *a, int64_t viewer, const char *cap);
/* Sum of a person's movement points with id ≥ from_id (for running balances). */
int64_t store_points_sum_since(db *d, int64_t person, int64_t from_id);

/* Rules of place and the divisions above it (for points_rule_pick), and the
 * rules set at exactly place: id, place_code, source_type, name, points,
 * cap_points, cap_period, active. */
enum pr_col { PR_ID, PR_PLACE, PR_SOURCE_TYPE, PR_NAME, PR_POINTS, PR_CAP, PR_PERIOD, PR_ACTIVE };
db_rows *store_points_rules_for(db *d, arena *a, const char *community, const char *source_type);
db_rows *store_points_rules_at(db *d, arena *a, const char *place);
/* Creates or replaces the rule of (place, source_type). < 0 on error, else its id. */
int64_t store_points_rule_put(db *d, const char *place, const char *source_type, const char *name,
                              int64_t points, int64_t cap, const char *period, bool active);

enum pg_col {
    PG_ID,
    PG_PLACE,
    PG_NAME,
    PG_PRICE,
    PG_STOCK,
    PG_SOURCE,
    PG_DONOR,
    PG_ACTIVE,
    PG_CREATED,
    PG_PLACE_NAME
};
/* One good if viewer holds cap over its community, or it is in community_of_self
 * (a resident's own community, NULL for none). */
db_rows *store_points_good(db *d, arena *a, int64_t viewer, const char *cap,
                           const char *community_of_self, int64_t id);
/* Goods the viewer may see — cap over their community, or in home (a
 * resident's own community, or NULL) — within place's subtree (NULL: any),
 * active only unless all, by id after after_id. */
db_rows *store_points_goods(db *d, arena *a, int64_t viewer, const char *cap, const char *home,
                            const char *place, bool all, int64_t after_id, int limit);
int64_t store_points_good_insert(db *d, const char *place, const char *name, int64_t price,
                                 const char *source, const char *donor, int64_t now);
/* Adds (qty > 0) or takes (qty < 0, only while stock suffices and the good is
 * active) stock: rows changed, 0 when refused. */
int store_points_stock(db *d, int64_t goods, int64_t qty);
int store_points_good_set(db *d, int64_t goods, int64_t price, bool active);
int64_t store_points_stock_move(db *d, int64_t goods, const char *kind, int64_t qty,
                                const char *donor, const char *note, int64_t redemption, int64_t by,
                                int64_t now);
/* request_key: the form's key (NULL: none); DB_CONSTRAINT when by already
 * used it (a concurrent post of the same form). */
int64_t store_points_redemption_insert(db *d, int64_t goods, int64_t person, int64_t qty,
                                       int64_t points, const char *confirmed, int64_t by,
                                       const char *request_key, int64_t now);
/* The redeem movement of the redemption that account by made with request_key, or 0. */
int64_t store_points_redemption_by_key(db *d, int64_t by, const char *request_key);
/* goods_id, qty of a redemption. */
db_rows *store_points_redemption(db *d, arena *a, int64_t id);

/* The place of a person if viewer holds cap over it (viewer 0: any person),
 * else NULL — an unknown person and one out of scope look the same. */
const char *store_points_person_place(db *d, arena *a, int64_t viewer, const char *cap,
                                      int64_t person);
/* A person's registered phone, or NULL. */
const char *store_points_person_phone(db *d, arena *a, int64_t person);

/* ---- counter confirmation (migration 024, core/redeem_confirm.h) ---- */

/* Sets the person's one-time code (replacing any), valid until expires. */
int store_points_code_put(db *d, int64_t person, const char *code, int64_t expires, int64_t now);
/* The person's code while it is valid at now (expires_at in *expires), or NULL. */
const char *store_points_code_get(db *d, arena *a, int64_t person, int64_t now, int64_t *expires);
/* Uses the code up (rows removed). */
int store_points_code_take(db *d, int64_t person);
/* Records a confirmation at the counter, right or wrong. */
int store_points_try_add(db *d, int64_t person, int64_t account, bool ok, int64_t now);
/* Wrong confirmations of a person since `since` and after their last right one. */
int64_t store_points_wrong_tries(db *d, int64_t person, int64_t since);
/* Whether the account has seen the person's whole phone number in the system:
 * it revealed her record, or registered her (the audit log says so). */
bool store_points_phone_known_to(db *d, int64_t account, int64_t person);
/* Wrong confirmations made by a staff account since `since`. */
int64_t store_points_wrong_tries_by(db *d, int64_t account, int64_t since);

/* Leaderboard: person id, name, earned (awards net of their reversals) in
 * [from, to) at a community subtree or a grid (grid > 0), highest first. */
db_rows *store_points_leaders(db *d, arena *a, const char *place, int64_t grid, int64_t from,
                              int64_t to, int limit);
/* Issued (awards net of reversals) and redeemed (redemptions net of
 * reversals) at a place subtree in [from, to). */
void store_points_totals(db *d, const char *place, int64_t from, int64_t to, int64_t *issued,
                         int64_t *redeemed, int64_t *movements);

/* `linli check ledger`: movements whose entries do not sum to zero, and
 * accounts whose cached balance differs from the sum of their entries:
 * what, id, expected, found. */
db_rows *store_points_check(db *d, arena *a);

#endif
