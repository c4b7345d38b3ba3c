/* Accounts, grants, sessions and login failures. */
#ifndef LINLI_STORE_ACCOUNTS_H
#define LINLI_STORE_ACCOUNTS_H
#include "core/principal.h"
#include "store/db.h"

/* An account as the pages, the API and the services read it (strings in the
 * caller's arena). */
struct account_row {
    int64_t id;
    const char *username, *password_hash, *display_name;
    int64_t person_id;
    bool disabled;
};
/* One grant with the names of what it scopes (NULL / 0 where it does not). */
struct grant_row {
    int64_t id, account_id;
    const char *role, *place_code, *place_name;
    int64_t grid_id;
    const char *grid_name;
    int64_t org_id;
    const char *org_name;
};

/* Returns the new id, or a negative DB_* code (DB_CONSTRAINT: name taken). */
int64_t store_account_create(db *d, const char *username, const char *display_name,
                             const char *password_hash, int64_t person_id);
/* An account by its username (strings in a); false when there is none. */
bool store_account_by_username(db *d, arena *a, const char *username, struct account_row *out);
/* An account by its id into *out; false when there is none (or the store failed). */
bool store_account_get(db *d, arena *a, int64_t id, struct account_row *out);
/* The place an account belongs to, for filing its audit entries: the place of
 * its first grant (a grid's community, an organisation's home). NULL if none. */
const char *store_account_home_place(db *d, arena *a, int64_t id);
int store_account_set_password(db *d, int64_t id, const char *password_hash);
int store_account_set_disabled(db *d, int64_t id, int disabled);
/* Ends every session of the account (a new password). */
int store_account_sessions_delete(db *d, int64_t id);

/* Exactly one of place_code / grid_id / org_id (others NULL / 0). */
int64_t store_grant_add(db *d, int64_t account_id, const char *role, const char *place_code,
                        int64_t grid_id, int64_t org_id);
int store_grant_delete(db *d, int64_t grant_id);
/* id, account_id, role, place_code, place_name, grid_id, grid_name, org_id, org_name */
db_rows *store_grants_of(db *d, arena *a, int64_t account_id);
/* The grants of an account, oldest first, into *out (arena): their number, or
 * −1 when the store failed. */
int store_grants_list(db *d, arena *a, int64_t account_id, struct grant_row **out);
/* One grant (without the names); false when there is none. */
bool store_grant_get(db *d, arena *a, int64_t grant_id, struct grant_row *out);
/* Where a grant on a grid (its community) or an organisation (its home, NULL
 * when it has none) is anchored: false when the grid or organisation does not
 * exist. Exactly one of grid_id / org_id. */
bool store_grant_anchor(db *d, arena *a, int64_t grid_id, int64_t org_id, const char **place);

/* Accounts whose grants lie inside the viewer's CAP_ACCOUNTS scope (viewer 0: all). */
db_rows *store_accounts_list(db *d, arena *a, int64_t viewer, const char *q, int64_t after_id,
                             int limit);
/* The same as rows (id, username, display_name, disabled) into *out: their
 * number, or −1 when the store failed. */
int store_accounts_find(db *d, arena *a, int64_t viewer, const char *q, int64_t after_id, int limit,
                        struct account_row **out);
/* True when viewer may administer the account (its every place grant is in scope). */
bool store_account_in_scope(db *d, int64_t viewer, int64_t account_id);
/* True when the viewer holds cap over the place (viewer 0: always). */
bool store_place_in_scope(db *d, int64_t viewer, const char *cap, const char *place_code);
/* "May this viewer see this place": the place's level ("community", …) when it
 * exists and lies in the viewer's scope for cap (viewer 0: any place), else
 * NULL. One query; use it instead of store_place_level + store_place_in_scope. */
const char *store_place_visible(db *d, arena *a, int64_t viewer, const char *cap,
                                const char *place_code);

/* The places a grant would confer or anchors it (a place itself; a grid's
 * community and places; an organisation's home, places and 共建协议 places)
 * that lie outside the viewer's scope for cap: 0 when all lie inside, −1 on
 * error. Grants are looked at: a new one (one of place_code / grid_id /
 * org_id), every grant of an account, or one grant. */
int64_t store_new_grant_outside(db *d, int64_t viewer, const char *cap, const char *place_code,
                                int64_t grid_id, int64_t org_id);
int64_t store_account_grants_outside(db *d, int64_t viewer, const char *cap, int64_t account_id);
int64_t store_grant_outside(db *d, int64_t viewer, const char *cap, int64_t grant_id);

int store_session_create(db *d, int64_t account_id, const char *token_hash, const char *csrf,
                         int64_t now, int64_t expires_at);
/* Fills *p (strings in arena) and *expires_at when the session exists, is
 * unexpired and its account is enabled. */
bool store_session_load(db *d, arena *a, const char *token_hash, int64_t now, struct principal *p,
                        int64_t *expires_at);
/* Loads a principal for an account id (the command line acting as a user). */
bool store_principal_load(db *d, arena *a, int64_t account_id, struct principal *p);
int store_session_delete(db *d, const char *token_hash);
/* Deletes the sessions expired at now; the number deleted (no statement when
 * none: a delete bumps the auth change counter, even of no rows on PG). */
int store_sessions_purge(db *d, int64_t now);

/* Login counters (migration 022, core/login_rule.h). Inside a write
 * transaction: locks key's row (creating an empty one) until the transaction
 * ends and reads it. */
struct login_counter;
int store_login_counter_lock(db *d, const char *key, struct login_counter *out);
int store_login_counter_put(db *d, const char *key, const struct login_counter *c);
int store_login_counter_clear(db *d, const char *key);
/* Gives back one reserved attempt (a login that succeeded was no failure). */
int store_login_counter_release(db *d, const char *key);
/* Deletes counters idle since idle_before (and whose delay has passed), and
 * login_failures rows older than failures_before; the number of rows deleted. */
int store_login_counters_purge(db *d, int64_t idle_before, int64_t failures_before);

int64_t store_login_failures_since(db *d, const char *key, int64_t since);
int store_login_failure_add(db *d, const char *key, int64_t now);
int store_login_failures_clear(db *d, const char *key);

#endif
