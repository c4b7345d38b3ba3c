/* Binders of the account operations; see bind_accounts.h. */
#include "http/bind_accounts.h"

#define GRANT_FIELDS                                                                               \
    BIND_TEXT(struct account_input, role, "role", 0, BIND_REQUIRED),                               \
        BIND_TEXT(struct account_input, place_code, "place_code", 0, 0),                           \
        BIND_INT(struct account_input, grid_id, "grid_id", 0),                                     \
        BIND_INT(struct account_input, org_id, "org_id", 0)

static const struct bind_field account_create_fields[] = {
    BIND_TEXT(struct account_input, username, "username", 0, BIND_REQUIRED),
    BIND_TEXT(struct account_input, display_name, "display_name", 0, 0),
    BIND_TEXT(struct account_input, password, "password", 0, BIND_REQUIRED),
    GRANT_FIELDS,
    {0}};
BINDER(account_create_bind, account_create_fields, "POST /api/v1/accounts", "POST /accounts");

static const struct bind_field grant_add_fields[] = {GRANT_FIELDS, {0}};
BINDER(grant_add_bind, grant_add_fields, "POST /api/v1/accounts/{id}/grants",
       "POST /accounts/{id}/grants");

static const struct bind_field account_password_fields[] = {
    BIND_TEXT(struct password_input, password, "password", 0, BIND_REQUIRED), {0}};
BINDER(account_password_bind, account_password_fields, "POST /api/v1/accounts/{id}/password",
       "POST /accounts/{id}/password");

static const struct bind_field my_password_fields[] = {
    BIND_TEXT(struct password_input, old_password, "old_password", 0, BIND_REQUIRED),
    BIND_TEXT(struct password_input, password, "password", 0, BIND_REQUIRED),
    {0}};
BINDER(my_password_bind, my_password_fields, "POST /api/v1/me/password");

static const struct bind_field grant_revoke_fields[] = {
    BIND_INT(struct revoke_input, grant_id, "grant_id", BIND_REQUIRED), {0}};
BINDER(grant_revoke_bind, grant_revoke_fields, "POST /accounts/{id}/revoke");

static const struct bind_field login_fields[] = {
    BIND_TEXT(struct login_input, username, "username", 0, BIND_REQUIRED),
    BIND_TEXT(struct login_input, password, "password", 0, BIND_REQUIRED),
    BIND_TEXT(struct login_input, next, "next", 0, BIND_PAGE_ONLY),
    {0}};
BINDER(login_bind, login_fields, "POST /api/v1/auth/login", "POST /login");

static const struct bind_field api_key_create_fields[] = {
    BIND_TEXT(struct api_key_input, name, "name", API_KEY_NAME_MAX, BIND_REQUIRED),
    BIND_TEXT(struct api_key_input, place_code, "place_code", 0, BIND_REQUIRED),
    {0}};
BINDER(api_key_create_bind, api_key_create_fields, "POST /api/v1/api-keys", "POST /api-keys");
