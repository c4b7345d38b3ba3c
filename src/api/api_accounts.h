/* What the account API shares with the other API files. */
#ifndef LINLI_API_ACCOUNTS_H
#define LINLI_API_ACCOUNTS_H
#include <jansson.h>

#include "store/store_accounts.h"

/* A grant as the API shows it: in an account, and in GET /api/v1/me. */
json_t *api_grant_json(const struct grant_row *g);

#endif
