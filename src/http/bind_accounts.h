/* Binders of the account operations (http/bind.h): creating an account, a
 * grant, a password set by an administrator or by oneself, revoking a grant
 * from its page, and logging in — each the one mapping from a JSON body or a
 * posted form to the service's input; and creating an Open311 API key, used by the API handler and
 * the page handler alike. */
#ifndef LINLI_BIND_ACCOUNTS_H
#define LINLI_BIND_ACCOUNTS_H
#include "http/bind.h"
#include "service/svc_accounts.h"
#include "service/svc_api_keys.h"

struct password_input {
    const char *old_password, *password;
};
struct revoke_input {
    int64_t grant_id;
};
struct login_input {
    const char *username, *password, *next;
};

/* POST /api/v1/accounts and POST /accounts */
extern const struct binder account_create_bind;
/* POST /api/v1/accounts/{id}/grants and POST /accounts/{id}/grants: role and scope */
extern const struct binder grant_add_bind;
/* POST /api/v1/accounts/{id}/password and POST /accounts/{id}/password */
extern const struct binder account_password_bind;
/* POST /api/v1/me/password */
extern const struct binder my_password_bind;
/* POST /accounts/{id}/revoke (the API names the grant in its path) */
extern const struct binder grant_revoke_bind;
/* POST /api/v1/auth/login and POST /login */
extern const struct binder login_bind;
/* POST /api/v1/api-keys and POST /api-keys */
extern const struct binder api_key_create_bind;

#endif
