/* Account operations shared by the command line, the pages and the API:
 * validation, scope (a granter may only grant inside their own scope and below
 * their own rank), the transaction and its audit entry. */
#ifndef LINLI_SVC_ACCOUNTS_H
#define LINLI_SVC_ACCOUNTS_H
#include "core/error.h"
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

/* who NULL: the command line. One of place_code / grid_id / org_id scopes the grant. */
struct svc_result svc_account_create(db *d, arena *a, const struct principal *who,
                                     const char *username, const char *display_name,
                                     const char *password, const char *role, const char *place_code,
                                     int64_t grid_id, int64_t org_id);
struct svc_result svc_grant_add(db *d, arena *a, const struct principal *who, int64_t account_id,
                                const char *role, const char *place_code, int64_t grid_id,
                                int64_t org_id);
struct svc_result svc_grant_remove(db *d, arena *a, const struct principal *who, int64_t grant_id);
struct svc_result svc_account_set_password(db *d, arena *a, const struct principal *who,
                                           int64_t account_id, const char *password);
struct svc_result svc_account_set_disabled(db *d, arena *a, const struct principal *who,
                                           int64_t account_id, int disabled);

/* Login attempts (core/login_rule.h): the counters' keys for an attempt from
 * an address on a username — the address, the username from that address,
 * the username from anywhere. */
enum { LOGIN_KEYS = 3 };
void login_keys(arena *a, const char *client_ip, const char *username,
                const char *keys[LOGIN_KEYS]);
/* Reserves one attempt on each counter in one write transaction, to be done
 * before any password is verified. When a limit refuses: E_RATE_LIMITED with
 * a Chinese message, *wait the seconds to wait, and nothing changed. */
struct svc_result svc_login_reserve(db *d, arena *a, const char *const keys[LOGIN_KEYS],
                                    int64_t now, int64_t *wait);
/* After a verification that succeeded: the address's attempt is given back,
 * the username's counters are cleared (in the caller's transaction, if one is
 * open: transactions nest). */
int svc_login_succeeded(db *d, const char *const keys[LOGIN_KEYS]);

#endif
