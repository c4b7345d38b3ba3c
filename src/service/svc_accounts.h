/* Account operations shared by the command line, the pages and the API:
 * validation, scope and rank, the transaction and its audit entry.
 *   A grant: the role below the granter's rank, and every place it would
 *   confer (a subtree; a grid's community and places; an organisation's home,
 *   places and 共建协议 places) inside the granter's CAP_ACCOUNTS scope.
 *   Resetting a password, disabling, enabling: account-wide, so the actor
 *   outranks every role of the account and every grant of it lies in scope.
 *   Revoking one grant: the same of that grant.
 * Admins (ROLE_RANK_ADMIN) are outranked by nobody; the scope rule holds for
 * them too. A refusal (403) changes nothing and is audited as <action>_denied;
 * a target out of sight is not found (404) and not audited. The checks run
 * inside the write transaction of the change. */
#ifndef LINLI_SVC_ACCOUNTS_H
#define LINLI_SVC_ACCOUNTS_H
#include "core/error.h"
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

enum { ACCOUNT_USERNAME_MAX = 64, ACCOUNT_DISPLAY_NAME_MAX = 100 };

/* The input of creating an account and of a grant (role and one scope). */
struct account_input {
    const char *username, *display_name, *password, *role, *place_code;
    int64_t grid_id, org_id;
};

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
/* The same checks without acting, for offering only the forms that would
 * work (the actions check again). */
bool svc_account_may_administer(db *d, arena *a, const struct principal *who, int64_t account_id);
bool svc_grant_may_revoke(db *d, const struct principal *who, int64_t grant_id, const char *role);

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
