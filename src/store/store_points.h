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

/* The savepoint of an award inside a caller's transaction: set, rolled back
 * to, released. < 0 on error. */
enum points_savepoint { SP_BEGIN, SP_UNDO, SP_RELEASE };
int store_points_savepoint(db *d, enum points_savepoint what);

/* The award movement of (source_type, source_id, person), or 0. */
int64_t store_points_award_of(db *d, const char *source_type, int64_t source_id, int64_t person);
/* Points of awards of source_type to person at community in [from, to), net of
 * reversals (a reversed award frees its share of the cap). */
int64_t store_points_awarded(db *d, int64_t person, const char *community, const char *source_type,
                             int64_t from, int64_t to);

/* A movement as read back: ids of NULL columns are 0. */
struct points_movement {
    int64_t id, person_id, points, source_id, created_by, created_at;
    int64_t reverses_id, reversed_by; /* 0: none */
    const char *kind, *place_code, *source_type, *reason;
    const char *person_name, *actor; /* the person's name, the author's display name */
};
/* One movement, if viewer may see it (points.read over its community, or it is
 * the viewer's own person_id — pass self_person, 0 for none): true and *out. */
bool store_points_movement(db *d, arena *a, int64_t viewer, const char *cap, int64_t self_person,
                           int64_t id, struct points_movement *out);
/* Entries of a movement in order (*out in the arena): their count, < 0 on error. */
int store_points_entries(db *d, arena *a, int64_t movement, struct points_entry **out);
/* A person's movements, newest first, ids below before_id (0: from the newest):
 * their count (*out in the arena), < 0 on error. */
int store_points_statement(db *d, arena *a, int64_t person, int64_t before_id, int limit,
                           struct points_movement **out);
/* The newest movements at a place subtree: count, < 0 on error. */
int store_points_recent(db *d, arena *a, const char *place, int limit,
                        struct points_movement **out);
/* The widest place over which viewer holds cap (the staff page's default), or NULL. */
const char *store_points_scope_place(db *d, arena *a, int64_t viewer, const char *cap);
/* Sum of a person's movement points with id ≥ from_id (for running balances). */
int64_t store_points_sum_since(db *d, int64_t person, int64_t from_id);

/* A rule of 服务换积分. */
struct points_rule_row {
    int64_t id, points, cap;
    const char *place_code, *source_type, *name, *period;
    bool active;
};
/* The active rules of source_type at community and the divisions above it (for
 * points_rule_pick), and every rule set at exactly place: count (*out in the
 * arena), < 0 on error. */
int store_points_rules_for(db *d, arena *a, const char *community, const char *source_type,
                           struct points_rule_row **out);
int store_points_rules_at(db *d, arena *a, const char *place, struct points_rule_row **out);
/* Creates or replaces the rule of (place, source_type). < 0 on error, else its id. */
int64_t store_points_rule_put(db *d, const char *place, const char *source_type, const char *name,
                              int64_t points, int64_t cap, const char *period, bool active);

/* A good of a supermarket. */
struct points_good {
    int64_t id, price, stock, created_at;
    const char *place_code, *place_name, *name, *source, *donor;
    bool active;
};
/* One good if viewer holds cap over its community, or it is in community_of_self
 * (a resident's own community, NULL for none): true and *out. */
bool store_points_good(db *d, arena *a, int64_t viewer, const char *cap,
                       const char *community_of_self, int64_t id, struct points_good *out);
/* Goods the viewer may see — cap over their community, or in home (a
 * resident's own community, or NULL) — within place's subtree (NULL: any),
 * active only unless all, by id after after_id: count (*out in the arena),
 * < 0 on error. */
int store_points_goods(db *d, arena *a, int64_t viewer, const char *cap, const char *home,
                       const char *place, bool all, int64_t after_id, int limit,
                       struct points_good **out);
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
/* The good and quantity of a redemption: false when there is none. */
bool store_points_redemption(db *d, int64_t id, int64_t *goods, int64_t *qty);

/* The place of a person if viewer holds cap over it (viewer 0: any person),
 * else NULL — an unknown person and one out of scope look the same. */
const char *store_points_person_place(db *d, arena *a, int64_t viewer, const char *cap,
                                      int64_t person);
/* Whether the person exists (no scope). */
bool store_points_person_exists(db *d, int64_t person);
/* The person of an account, or 0. */
int64_t store_points_account_person(db *d, int64_t account);
/* The community of a grid, or NULL. */
const char *store_points_grid_community(db *d, arena *a, int64_t grid);
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

/* Leaderboard: who earned most (awards net of their reversals) in [from, to)
 * at a community subtree or a grid (grid > 0), highest first: count (*out in
 * the arena), < 0 on error. */
struct points_leader {
    int64_t person_id, points;
    const char *name;
};
int store_points_leaders(db *d, arena *a, const char *place, int64_t grid, int64_t from, int64_t to,
                         int limit, struct points_leader **out);
/* Issued (awards net of reversals) and redeemed (redemptions net of
 * reversals) at a place subtree in [from, to). */
void store_points_totals(db *d, const char *place, int64_t from, int64_t to, int64_t *issued,
                         int64_t *redeemed, int64_t *movements);

/* `linli check ledger`: movements whose entries do not sum to zero, and
 * accounts whose cached balance differs from the sum of their entries:
 * what, id, expected, found. */
db_rows *store_points_check(db *d, arena *a);

#endif
