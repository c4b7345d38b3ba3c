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

#endif
